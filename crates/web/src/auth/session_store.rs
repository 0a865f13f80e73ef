//! tower-sessions' `SessionStore` on top of our own [`Store`], so sessions
//! live in the same database as everything else and several servers can
//! share them. Session ids are stored as SHA-256 digests.
//!
//! Loading a session also reads its person, their unread count and the
//! data version in the same query; they wait in [`LOADED`] for the access
//! middleware, which would otherwise need a query for each.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use pmcoach_store::{DataVersion, SessionRecord, Store, StoreError, User};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::secret::digest;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    store: Arc<dyn Store>,
}

impl DbSessionStore {
    pub fn new(store: Arc<dyn Store>) -> Self {
        DbSessionStore { store }
    }
}

/// What the session's query read besides the session itself.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The signed-in person; `None` when signed out or the account is gone.
    pub user: Option<User>,
    pub unread: i64,
    pub data_version: DataVersion,
    /// When the stored session expires (milliseconds since the epoch).
    pub expires_at: pmcoach_store::Millis,
}

tokio::task_local! {
    /// Filled by [`DbSessionStore::load`] inside [`with_loaded`].
    static LOADED: RefCell<Option<Loaded>>;
}

/// Runs `work` with a place for the session load to leave what it read.
pub async fn with_loaded<F: Future>(work: F) -> F::Output {
    LOADED.scope(RefCell::new(None), work).await
}

/// What the session load of this request read, once (outside
/// [`with_loaded`], or when the session was not loaded from the database:
/// `None`).
pub fn take_loaded() -> Option<Loaded> {
    LOADED.try_with(|slot| slot.borrow_mut().take()).ok().flatten()
}

fn to_row(record: &Record) -> session_store::Result<SessionRecord> {
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expires_at = i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
    let user_id = record.data.get(crate::routes::signin::USER_KEY).and_then(serde_json::Value::as_i64);
    Ok(SessionRecord { id: digest(&record.id.to_string()), data, expires_at, user_id })
}

fn backend(error: StoreError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A collision of 128 random bits is not expected, but retry anyway
        // rather than overwrite someone else's session.
        loop {
            match self.store.session_create(&to_row(record)?).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict(_)) => record.id = Id::default(),
                Err(error) => return Err(backend(error)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store.session_save(&to_row(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = pmcoach_store::now_millis();
        let Some(loaded) = self.store.session_load(&digest(&id.to_string()), now).await.map_err(backend)? else {
            return Ok(None);
        };
        let row = loaded.record;
        let extra = Loaded {
            user: loaded.user,
            unread: loaded.unread,
            data_version: loaded.data_version,
            expires_at: row.expires_at,
        };
        // Outside `with_loaded` there is nobody to hand it to.
        let _ = LOADED.try_with(|slot| *slot.borrow_mut() = Some(extra));
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(row.expires_at) * 1_000_000)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.session_delete(&digest(&id.to_string())).await.map_err(backend)
    }
}
