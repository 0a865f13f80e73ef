//! Organisation-wide reads for admin views that must stay fast at 100,000
//! people (issue 8; `bench/scale.sh` measures them). They fetch the fewest
//! rows and columns the view needs; every figure is still computed in core,
//! never in SQL, so the one tested function decides what is shown.

use async_trait::async_trait;

use crate::Result;
use crate::backend::{PgStore, SqliteStore};
use crate::model::{OrgId, UserId};

/// A person's blind score on one scenario: their first attempt, made before
/// they saw its key.
#[derive(Debug, Clone, PartialEq)]
pub struct BlindScore {
    pub user_id: UserId,
    pub scenario: String,
    /// 0..=1.
    pub score: f64,
}

#[async_trait]
pub trait OrgStore {
    /// The blind score of every member of the organisation on every
    /// scenario they attempted, in no particular order: the input of
    /// `pmcoach_core::scenarios::item_stats_of_blind`, which gives the item
    /// statistics of [`crate::ScenarioStore::org_attempts`] without reading
    /// answers and repeats.
    async fn org_blind_scores(&self, org: OrgId) -> Result<Vec<BlindScore>>;
}

macro_rules! org_backend {
    ($store:ident) => {
        #[async_trait]
        impl OrgStore for $store {
            #[tracing::instrument(skip(self))]
            async fn org_blind_scores(&self, org: OrgId) -> Result<Vec<BlindScore>> {
                let rows: Vec<(i64, String, f64)> = sqlx::query_as(
                    "SELECT a.user_id, a.scenario, a.score FROM scenario_attempts a \
                     JOIN memberships m ON m.user_id = a.user_id WHERE m.org_id = $1 AND a.blind",
                )
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(user_id, scenario, score)| BlindScore { user_id, scenario, score }).collect())
            }
        }
    };
}

org_backend!(SqliteStore);
org_backend!(PgStore);
