//! Organisation-wide reads for admin views that must stay fast at 100,000
//! people (issue 8; `bench/scale.sh` measures them). They fetch the fewest
//! rows and columns the view needs; every figure is still computed in core,
//! never in SQL, so the one tested function decides what is shown.

use async_trait::async_trait;

use crate::backend::{PgStore, SqliteStore};
use crate::model::{OrgId, UserId};
use crate::{Result, StoreError};

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
    /// How many scenario attempts the organisation's members made, blind or not.
    async fn org_attempt_count(&self, org: OrgId) -> Result<i64>;
}

// On SQLite the blind scores come back as one JSON array of `[user,
// scenario, score]` rather than a row each: sqlx's SQLite driver hands every
// row from its worker thread to the caller, which at 330,000 rows cost more
// than the query. SQLite writes reals with 15 digits in JSON, so the score
// goes as 17-digit text, to come back bit for bit. PostgreSQL sends rows
// faster than it builds JSON, so it sends rows.
impl SqliteStore {
    async fn blind_scores(&self, org: OrgId) -> Result<Vec<BlindScore>> {
        let (json,): (String,) = sqlx::query_as(
            "SELECT json_group_array(json_array(a.user_id, a.scenario, printf('%!.17g', a.score))) \
             FROM scenario_attempts a JOIN memberships m ON m.user_id = a.user_id WHERE m.org_id = $1 AND a.blind",
        )
        .bind(org)
        .fetch_one(&self.pool)
        .await?;
        blind_scores_from(&json)
    }
}

impl PgStore {
    async fn blind_scores(&self, org: OrgId) -> Result<Vec<BlindScore>> {
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

fn blind_scores_from(json: &str) -> Result<Vec<BlindScore>> {
    let rows: Vec<(UserId, String, String)> =
        serde_json::from_str(json).map_err(|error| StoreError::Corrupt(format!("blind scores: {error}")))?;
    rows.into_iter()
        .map(|(user_id, scenario, score)| {
            let score = score.parse().map_err(|_| StoreError::Corrupt(format!("blind score {score:?}")))?;
            Ok(BlindScore { user_id, scenario, score })
        })
        .collect()
}

macro_rules! org_backend {
    ($store:ident) => {
        #[async_trait]
        impl OrgStore for $store {
            #[tracing::instrument(skip(self))]
            async fn org_blind_scores(&self, org: OrgId) -> Result<Vec<BlindScore>> {
                self.blind_scores(org).await
            }

            #[tracing::instrument(skip(self))]
            async fn org_attempt_count(&self, org: OrgId) -> Result<i64> {
                let (count,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM scenario_attempts a JOIN memberships m ON m.user_id = a.user_id \
                     WHERE m.org_id = $1",
                )
                .bind(org)
                .fetch_one(&self.pool)
                .await?;
                Ok(count)
            }
        }
    };
}

org_backend!(SqliteStore);
org_backend!(PgStore);
