//! Growth plans, check-ins and the practice log (issue 6, module M4): what
//! the store keeps so that "where I stand" turns into deliberate practice.

use async_trait::async_trait;

use crate::Result;
use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, UserId};

/// A person whose growth-plan check-in is due: the reminders task turns it
/// into a notification keyed by `due_at`, so each due date reminds once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCheckIn {
    pub user_id: UserId,
    pub due_at: Millis,
}

/// A person whose last assessment is a quarter old (or older) and who has
/// no open cycle: time to reassess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReassessment {
    pub user_id: UserId,
    pub due_at: Millis,
}

#[async_trait]
pub trait GrowthStore {
    /// Every person with a growth plan whose next check-in is due at or before `now`.
    async fn due_check_ins(&self, now: Millis) -> Result<Vec<DueCheckIn>>;
    /// Every person whose latest cycle closed `every` or more before `now`
    /// and who has no open cycle.
    async fn due_reassessments(&self, now: Millis, every: Millis) -> Result<Vec<DueReassessment>>;
}

macro_rules! growth_backend {
    ($store:ident, $db:ty) => {
        #[async_trait]
        impl GrowthStore for $store {
            async fn due_check_ins(&self, _now: Millis) -> Result<Vec<DueCheckIn>> {
                todo!("issue 6: growth plans")
            }

            async fn due_reassessments(&self, _now: Millis, _every: Millis) -> Result<Vec<DueReassessment>> {
                todo!("issue 6: growth plans")
            }
        }
    };
}

growth_backend!(SqliteStore, sqlx::Sqlite);
growth_backend!(PgStore, sqlx::Postgres);
