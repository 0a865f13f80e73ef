//! Scenario practice (issue 7, module M7): every answer a person gives to a
//! situational-judgement scenario, with its score and whether it was blind.
//!
//! The store decides `blind` itself, in the same statement that records the
//! attempt: a person's first attempt at a scenario is blind, every later one
//! is not (they have seen the key). A unique index keeps one blind attempt per
//! person and scenario even when two answers race. Scores are computed by
//! `pmcoach_core::scenarios` before they get here; the store checks only
//! that they are in 0..=1.
//!
//! Attempts belong to one person: [`ScenarioStore::attempts`] takes the
//! owner. The organisation-wide list, for item statistics, carries only user
//! ids, which the admin page never shows.

use async_trait::async_trait;
use pmcoach_core::scenarios::{Answer, AnswerFormat};

use crate::backend::{PgStore, SqliteStore};
use crate::model::{CycleId, Millis, OrgId, UserId};
use crate::{Result, StoreError};

pub type AttemptId = i64;

/// Why a scenario was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptMode {
    /// Practice: one scenario at a time, feedback right away.
    Practice,
    /// Assessment: the fixed set of a focus skill, answered blind.
    Assessment,
}

impl AttemptMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptMode::Practice => "practice",
            AttemptMode::Assessment => "assessment",
        }
    }

    fn parse(text: &str) -> Result<AttemptMode> {
        match text {
            "practice" => Ok(AttemptMode::Practice),
            "assessment" => Ok(AttemptMode::Assessment),
            other => Err(StoreError::Corrupt(format!("unknown attempt mode {other:?}"))),
        }
    }
}

/// An answer to record, already scored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttempt {
    pub scenario: String,
    pub answer: Answer,
    /// 0..=1, from `pmcoach_core::scenarios::score`.
    pub score: f64,
    pub mode: AttemptMode,
    /// The person's open assessment cycle, for assessment-mode answers.
    pub cycle_id: Option<CycleId>,
}

/// A recorded attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAttempt {
    pub id: AttemptId,
    pub user_id: UserId,
    pub scenario: String,
    pub answer: Answer,
    pub score: f64,
    pub mode: AttemptMode,
    /// The person's first attempt at this scenario, made before seeing its key.
    pub blind: bool,
    pub cycle_id: Option<CycleId>,
    pub created_at: Millis,
}

impl StoredAttempt {
    /// The attempt as core's per-skill scoring takes it.
    pub fn core(&self) -> pmcoach_core::scenarios::Attempt {
        pmcoach_core::scenarios::Attempt { scenario: self.scenario.clone(), at: self.created_at, score: self.score }
    }

    /// The attempt as core's item statistics take it, keyed by user id.
    pub fn response(&self) -> pmcoach_core::scenarios::Response {
        pmcoach_core::scenarios::Response {
            respondent: self.user_id.to_string(),
            scenario: self.scenario.clone(),
            at: self.created_at,
            answer: self.answer.clone(),
            score: self.score,
        }
    }
}

#[async_trait]
pub trait ScenarioStore {
    /// Records an answer; it is blind when the person never attempted this
    /// scenario before. Refuses a score outside 0..=1, an empty rating list
    /// and a best/worst pair naming the same option ([`StoreError::Conflict`]).
    async fn record_attempt(&self, user: UserId, attempt: &NewAttempt, now: Millis) -> Result<StoredAttempt>;
    /// The person's attempts, oldest first.
    async fn attempts(&self, user: UserId) -> Result<Vec<StoredAttempt>>;
    /// The person's blind attempts (at most one per scenario), oldest first:
    /// all the skill signal needs, however often they practised.
    async fn blind_attempts(&self, user: UserId) -> Result<Vec<StoredAttempt>>;
    /// Every attempt by members of the organisation, oldest first: the input
    /// of item statistics and the anonymised export.
    async fn org_attempts(&self, org: OrgId) -> Result<Vec<StoredAttempt>>;
}

type AttemptRow =
    (i64, i64, String, String, String, Option<String>, Option<i64>, Option<i64>, f64, bool, Option<i64>, i64);

macro_rules! attempt_select {
    ($rest:literal) => {
        concat!(
            "SELECT a.id, a.user_id, a.scenario, a.format, a.mode, a.ratings, a.best, a.worst, a.score, a.blind, \
             a.cycle_id, a.created_at FROM scenario_attempts a ",
            $rest
        )
    };
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("scenario attempt: {what}"))
}

fn attempt_from(row: AttemptRow) -> Result<StoredAttempt> {
    let (id, user_id, scenario, format, mode, ratings, best, worst, score, blind, cycle_id, created_at) = row;
    let answer = match (AnswerFormat::parse(&format).map_err(corrupt)?, ratings, best, worst) {
        (AnswerFormat::Rating, Some(ratings), None, None) => Answer::Rating {
            ratings: ratings.split(',').map(|r| r.parse::<u8>().map_err(corrupt)).collect::<Result<Vec<u8>>>()?,
        },
        (AnswerFormat::BestWorst, None, Some(best), Some(worst)) => Answer::BestWorst {
            best: usize::try_from(best).map_err(corrupt)?,
            worst: usize::try_from(worst).map_err(corrupt)?,
        },
        (format, ..) => return Err(corrupt(format!("the columns of attempt {id} do not fit its format {format}"))),
    };
    Ok(StoredAttempt {
        id,
        user_id,
        scenario,
        answer,
        score,
        mode: AttemptMode::parse(&mode)?,
        blind,
        cycle_id,
        created_at,
    })
}

/// The answer as columns: (ratings, best, worst).
fn answer_columns(answer: &Answer) -> Result<(Option<String>, Option<i64>, Option<i64>)> {
    match answer {
        Answer::Rating { ratings } if ratings.is_empty() => {
            Err(StoreError::Conflict("a rating answer needs a rating for every option".to_owned()))
        }
        Answer::Rating { ratings } => {
            Ok((Some(ratings.iter().map(u8::to_string).collect::<Vec<_>>().join(",")), None, None))
        }
        Answer::BestWorst { best, worst } if best == worst => {
            Err(StoreError::Conflict("the best and the worst option must differ".to_owned()))
        }
        Answer::BestWorst { best, worst } => Ok((
            None,
            Some(i64::try_from(*best).map_err(|_| StoreError::Conflict("no such option".to_owned()))?),
            Some(i64::try_from(*worst).map_err(|_| StoreError::Conflict("no such option".to_owned()))?),
        )),
    }
}

macro_rules! scenario_backend {
    ($store:ident) => {
        impl $store {
            async fn insert_attempt(
                &self,
                user: UserId,
                attempt: &NewAttempt,
                columns: &(Option<String>, Option<i64>, Option<i64>),
                blind_if_first: bool,
                now: Millis,
            ) -> Result<StoredAttempt> {
                let mut tx = self.begin_write().await?;
                // Every earlier attempt at a scenario means a blind one exists (a
                // person's first is always tried blind), so look for that: the
                // partial unique index finds it at once, where "any attempt"
                // walked all of the person's attempts (the soak's 36,000).
                let seen: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM scenario_attempts WHERE user_id = $1 AND scenario = $2 AND blind LIMIT 1",
                )
                .bind(user)
                .bind(&attempt.scenario)
                .fetch_optional(&mut *tx)
                .await?;
                let blind = blind_if_first && seen.is_none();
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO scenario_attempts \
                     (user_id, scenario, format, mode, ratings, best, worst, score, blind, cycle_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(user)
                .bind(&attempt.scenario)
                .bind(attempt.answer.format().as_str())
                .bind(attempt.mode.as_str())
                .bind(&columns.0)
                .bind(columns.1)
                .bind(columns.2)
                .bind(attempt.score)
                .bind(blind)
                .bind(attempt.cycle_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let row: AttemptRow =
                    sqlx::query_as(attempt_select!("WHERE a.id = $1")).bind(id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                attempt_from(row)
            }
        }

        #[async_trait]
        impl ScenarioStore for $store {
            #[tracing::instrument(skip(self, attempt), fields(scenario = %attempt.scenario))]
            async fn record_attempt(&self, user: UserId, attempt: &NewAttempt, now: Millis) -> Result<StoredAttempt> {
                if !(0.0..=1.0).contains(&attempt.score) {
                    return Err(StoreError::Conflict(format!("a score runs from 0 to 1, not {}", attempt.score)));
                }
                let columns = answer_columns(&attempt.answer)?;
                match self.insert_attempt(user, attempt, &columns, true, now).await {
                    // Two first answers raced and the other one is the blind
                    // one: this one is a repeat.
                    Err(StoreError::Conflict(_)) => self.insert_attempt(user, attempt, &columns, false, now).await,
                    other => other,
                }
            }

            #[tracing::instrument(skip(self))]
            async fn attempts(&self, user: UserId) -> Result<Vec<StoredAttempt>> {
                let rows: Vec<AttemptRow> =
                    sqlx::query_as(attempt_select!("WHERE a.user_id = $1 ORDER BY a.created_at, a.id"))
                        .bind(user)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(attempt_from).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn blind_attempts(&self, user: UserId) -> Result<Vec<StoredAttempt>> {
                let rows: Vec<AttemptRow> =
                    sqlx::query_as(attempt_select!("WHERE a.user_id = $1 AND a.blind ORDER BY a.created_at, a.id"))
                        .bind(user)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(attempt_from).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn org_attempts(&self, org: OrgId) -> Result<Vec<StoredAttempt>> {
                let rows: Vec<AttemptRow> = sqlx::query_as(attempt_select!(
                    "JOIN memberships m ON m.user_id = a.user_id WHERE m.org_id = $1 ORDER BY a.created_at, a.id"
                ))
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(attempt_from).collect()
            }
        }
    };
}

scenario_backend!(SqliteStore);
scenario_backend!(PgStore);
