//! What can go wrong in the store, in terms a caller can act on.

/// A storage failure. Handlers map `NotFound` to 404, `Conflict` to a
/// friendly 422, `Gone` to 410 and `Unavailable` to 503.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key or a rule of the data was violated; the message says
    /// which in words a user understands.
    #[error("{0}")]
    Conflict(String),
    /// Used up or expired, such as an accepted invitation.
    #[error("{0}")]
    Gone(String),
    /// The database is locked, gone or unreachable.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer parses, such as an unknown role.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(error.to_string())
            }
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                // SQLite: SQLITE_BUSY (5) / SQLITE_LOCKED (6); the message names them.
                if message.contains("database is locked") || message.contains("database table is locked") {
                    StoreError::Unavailable(message)
                } else if db.is_unique_violation() {
                    StoreError::Conflict(unique_message(&message))
                } else {
                    StoreError::Database(error)
                }
            }
            _ => StoreError::Database(error),
        }
    }
}

/// Turns a backend's unique-violation text into a sentence for people.
fn unique_message(message: &str) -> String {
    if message.contains("email") {
        "someone with that e-mail address already has an account".to_owned()
    } else {
        format!("that already exists ({message})")
    }
}
