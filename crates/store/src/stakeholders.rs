//! The stakeholder map, 1:1 cadence and meeting notes (issue 6, module M6).

use async_trait::async_trait;

use crate::Result;
use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, UserId};

/// A stakeholder whose 1:1 is overdue: the last meeting (or, with none, the
/// day they were added) plus their cadence is at or before now. The
/// reminders task keys its notification by `due_at`, so each overdue
/// meeting reminds once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueOneOnOne {
    pub user_id: UserId,
    pub stakeholder_id: i64,
    pub stakeholder_name: String,
    pub due_at: Millis,
}

#[async_trait]
pub trait StakeholderStore {
    /// Every stakeholder, of everybody, whose 1:1 is due at or before `now`.
    async fn overdue_one_on_ones(&self, now: Millis) -> Result<Vec<OverdueOneOnOne>>;
}

macro_rules! stakeholder_backend {
    ($store:ident, $db:ty) => {
        #[async_trait]
        impl StakeholderStore for $store {
            async fn overdue_one_on_ones(&self, _now: Millis) -> Result<Vec<OverdueOneOnOne>> {
                todo!("issue 6: stakeholders")
            }
        }
    };
}

stakeholder_backend!(SqliteStore, sqlx::Sqlite);
stakeholder_backend!(PgStore, sqlx::Postgres);
