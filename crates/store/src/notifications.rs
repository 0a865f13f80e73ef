//! In-app notifications and the e-mails that go with them (issue 6,
//! reminders).

use async_trait::async_trait;

use crate::backend::{PgStore, SqliteStore};

#[async_trait]
pub trait NotificationStore {}

macro_rules! notification_backend {
    ($store:ident, $db:ty) => {
        #[async_trait]
        impl NotificationStore for $store {}
    };
}

notification_backend!(SqliteStore, sqlx::Sqlite);
notification_backend!(PgStore, sqlx::Postgres);
