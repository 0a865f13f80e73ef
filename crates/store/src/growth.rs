//! Growth plans, check-ins and the practice log (issue 6, module M4): what
//! the store keeps so that "where I stand" turns into deliberate practice.
//!
//! Everything here belongs to one person. Every method takes the owner and
//! finds rows by (owner, id), so somebody else's focus skill, activity or
//! entry is [`StoreError::NotFound`], exactly like one that does not exist.

use async_trait::async_trait;
use pmcoach_core::framework::model::Cadence;
use pmcoach_core::growth::{CheckInFeeling, Date, MAX_FOCUS_SKILLS, next_check_in};
use pmcoach_core::ids::SkillId;

use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, UserId};
use crate::{Result, StoreError};

pub type FocusId = i64;
pub type ActivityId = i64;
pub type EntryId = i64;
pub type CheckInId = i64;

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

/// How a focus skill left the plan: done with it, or dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusOutcome {
    Finished,
    Removed,
}

impl FocusOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            FocusOutcome::Finished => "finished",
            FocusOutcome::Removed => "removed",
        }
    }

    fn parse(text: &str) -> Result<FocusOutcome> {
        match text {
            "finished" => Ok(FocusOutcome::Finished),
            "removed" => Ok(FocusOutcome::Removed),
            other => Err(StoreError::Corrupt(format!("unknown focus outcome {other:?}"))),
        }
    }
}

/// A practice activity of a focus skill: one of the framework's (its id in
/// `activity`) or the person's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanActivity {
    pub id: ActivityId,
    pub focus_id: FocusId,
    /// The framework activity's id; `None` for a custom one.
    pub activity: Option<String>,
    pub title: String,
    pub cadence: Cadence,
    pub added_at: Millis,
}

/// A skill the person chose to focus on, with their goal in their words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusSkill {
    pub id: FocusId,
    pub skill: SkillId,
    pub goal: String,
    pub added_at: Millis,
    pub ended_at: Option<Millis>,
    pub outcome: Option<FocusOutcome>,
    pub activities: Vec<PlanActivity>,
}

impl FocusSkill {
    pub fn is_active(&self) -> bool {
        self.ended_at.is_none()
    }
}

/// One focus skill's answer in a check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInAnswer {
    pub focus_id: FocusId,
    pub feeling: CheckInFeeling,
    /// 1 (not at all) to 5 (very): how confident the person feels in the skill now.
    pub confidence: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub id: CheckInId,
    pub at: Millis,
    pub answers: Vec<CheckInAnswer>,
}

/// A person's growth plan: every focus skill they ever had (active ones
/// have no `ended_at`), in the order added, and their check-ins, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub user_id: UserId,
    /// Their own interval; `None` uses the organisation's.
    pub check_in_days: Option<i64>,
    pub shared: bool,
    pub created_at: Millis,
    pub skills: Vec<FocusSkill>,
    pub check_ins: Vec<CheckIn>,
}

impl Plan {
    pub fn active(&self) -> impl Iterator<Item = &FocusSkill> {
        self.skills.iter().filter(|skill| skill.is_active())
    }

    /// When the current plan started: the oldest active focus skill's date.
    pub fn started_at(&self) -> Option<Millis> {
        self.active().map(|skill| skill.added_at).min()
    }

    pub fn last_check_in(&self) -> Option<&CheckIn> {
        self.check_ins.last()
    }

    /// When the next check-in is due, with `org_days` as the default
    /// interval; `None` without an active focus skill.
    pub fn next_check_in(&self, org_days: i64) -> Option<Millis> {
        let started = self.started_at()?;
        Some(next_check_in(started, self.last_check_in().map(|c| c.at), self.check_in_days.unwrap_or(org_days)))
    }

    pub fn activity(&self, id: ActivityId) -> Option<(&FocusSkill, &PlanActivity)> {
        self.skills.iter().find_map(|skill| skill.activities.iter().find(|a| a.id == id).map(|a| (skill, a)))
    }
}

/// A practice entry as written (for create and update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPractice {
    pub skill: SkillId,
    /// One of the person's own plan activities.
    pub activity_id: Option<ActivityId>,
    pub day: Date,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeEntry {
    pub id: EntryId,
    pub user_id: UserId,
    pub skill: SkillId,
    pub activity_id: Option<ActivityId>,
    /// The activity's title when it still exists.
    pub activity_title: Option<String>,
    pub day: Date,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[async_trait]
pub trait GrowthStore {
    /// Every person with a growth plan whose next check-in is due at or before `now`.
    async fn due_check_ins(&self, now: Millis) -> Result<Vec<DueCheckIn>>;
    /// Every person whose latest cycle closed `every` or more before `now`
    /// and who has no open cycle.
    async fn due_reassessments(&self, now: Millis, every: Millis) -> Result<Vec<DueReassessment>>;

    /// The person's plan, or `None` before their first focus skill.
    async fn plan(&self, user: UserId) -> Result<Option<Plan>>;
    /// Adds a focus skill (creating the plan on the first). Refused with
    /// [`StoreError::Conflict`] when three are active or this one already is.
    async fn add_focus_skill(&self, user: UserId, skill: &SkillId, goal: &str, now: Millis) -> Result<FocusId>;
    /// Rewrites the goal of one of the person's active focus skills.
    async fn set_focus_goal(&self, user: UserId, focus: FocusId, goal: &str) -> Result<()>;
    /// Finishes or removes an active focus skill; it stays in the history.
    async fn end_focus_skill(&self, user: UserId, focus: FocusId, outcome: FocusOutcome, now: Millis) -> Result<()>;
    /// Adds an activity to one of the person's active focus skills.
    async fn add_activity(
        &self,
        user: UserId,
        focus: FocusId,
        activity: Option<&str>,
        title: &str,
        cadence: Cadence,
        now: Millis,
    ) -> Result<ActivityId>;
    /// Removes an activity; entries that named it keep their text.
    async fn remove_activity(&self, user: UserId, activity: ActivityId) -> Result<()>;
    /// Sets the person's own check-in interval (`None`: the organisation's).
    async fn set_check_in_days(&self, user: UserId, days: Option<i64>, now: Millis) -> Result<()>;
    /// Shares the plan (and recent practice) with the manager, or stops.
    async fn set_plan_shared(&self, user: UserId, shared: bool, now: Millis) -> Result<()>;
    /// Records a check-in, one answer per focus skill given; each must be
    /// one of the person's active focus skills ([`StoreError::Conflict`]).
    async fn record_check_in(&self, user: UserId, answers: &[CheckInAnswer], now: Millis) -> Result<CheckInId>;

    /// Logs practice. A named activity must be one of the person's own
    /// ([`StoreError::NotFound`] otherwise).
    async fn create_practice(&self, user: UserId, entry: &NewPractice, now: Millis) -> Result<PracticeEntry>;
    async fn update_practice(
        &self,
        user: UserId,
        id: EntryId,
        entry: &NewPractice,
        now: Millis,
    ) -> Result<PracticeEntry>;
    async fn delete_practice(&self, user: UserId, id: EntryId) -> Result<()>;
    async fn practice_entry(&self, user: UserId, id: EntryId) -> Result<PracticeEntry>;
    /// The person's entries, newest day first, from `since` on when given.
    async fn practice_entries(&self, user: UserId, since: Option<Date>) -> Result<Vec<PracticeEntry>>;
}

const TOO_MANY: &str = "You already have 3 focus skills. Finish or remove one before adding another.";

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

type EntryRow = (i64, i64, String, Option<i64>, Option<String>, String, String, String, String, String, i64, i64);

macro_rules! entry_select {
    ($clause:literal) => {
        concat!(
            "SELECT e.id, e.user_id, e.skill, e.plan_activity_id, a.title, e.day, e.did, e.happened, e.learned, ",
            "e.next_step, e.created_at, e.updated_at FROM practice_entries e ",
            "LEFT JOIN plan_activities a ON a.id = e.plan_activity_id ",
            $clause
        )
    };
}

fn entry_from(row: EntryRow) -> Result<PracticeEntry> {
    let (id, user_id, skill, activity_id, activity_title, day, did, happened, learned, next_step, created, updated) =
        row;
    Ok(PracticeEntry {
        id,
        user_id,
        skill: SkillId::parse(&skill).map_err(corrupt)?,
        activity_id,
        activity_title,
        day: Date::parse(&day).map_err(corrupt)?,
        did,
        happened,
        learned,
        next_step,
        created_at: created,
        updated_at: updated,
    })
}

macro_rules! growth_backend {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Whether an activity belongs to one of `user`'s focus skills.
            async fn owns_activity(
                tx: &mut sqlx::Transaction<'_, $db>,
                user: UserId,
                activity: ActivityId,
            ) -> Result<bool> {
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT a.id FROM plan_activities a JOIN plan_skills s ON s.id = a.plan_skill_id \
                     WHERE a.id = $1 AND s.user_id = $2",
                )
                .bind(activity)
                .bind(user)
                .fetch_optional(&mut **tx)
                .await?;
                Ok(row.is_some())
            }

            async fn entry_in(tx: &mut sqlx::Transaction<'_, $db>, user: UserId, id: EntryId) -> Result<PracticeEntry> {
                let row: EntryRow = sqlx::query_as(entry_select!("WHERE e.id = $1 AND e.user_id = $2"))
                    .bind(id)
                    .bind(user)
                    .fetch_one(&mut **tx)
                    .await?;
                entry_from(row)
            }

            /// Creates the plan row if needed and locks it for the rest of
            /// the transaction, so two requests cannot both add a third skill.
            async fn lock_plan(tx: &mut sqlx::Transaction<'_, $db>, user: UserId, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO plans (user_id, created_at, updated_at) VALUES ($1, $2, $2) \
                     ON CONFLICT (user_id) DO UPDATE SET updated_at = $2",
                )
                .bind(user)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

        #[async_trait]
        impl GrowthStore for $store {
            #[tracing::instrument(skip(self))]
            async fn due_check_ins(&self, now: Millis) -> Result<Vec<DueCheckIn>> {
                let rows: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
                    "SELECT p.user_id, \
                       (SELECT MIN(s.added_at) FROM plan_skills s WHERE s.user_id = p.user_id AND s.ended_at IS NULL), \
                       COALESCE(p.check_in_days, o.check_in_days), \
                       (SELECT MAX(c.at) FROM check_ins c WHERE c.user_id = p.user_id) \
                     FROM plans p JOIN memberships m ON m.user_id = p.user_id \
                     JOIN organisations o ON o.id = m.org_id \
                     WHERE EXISTS (SELECT 1 FROM plan_skills s WHERE s.user_id = p.user_id AND s.ended_at IS NULL) \
                     ORDER BY p.user_id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(user_id, started, days, last)| DueCheckIn { user_id, due_at: next_check_in(started, last, days) })
                    .filter(|due| due.due_at <= now)
                    .collect())
            }

            #[tracing::instrument(skip(self))]
            async fn due_reassessments(&self, now: Millis, every: Millis) -> Result<Vec<DueReassessment>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT c.user_id, MAX(c.closed_at) FROM cycles c WHERE c.state = 'closed' \
                     AND NOT EXISTS (SELECT 1 FROM cycles o WHERE o.user_id = c.user_id AND o.state = 'open') \
                     GROUP BY c.user_id HAVING MAX(c.closed_at) <= $1 ORDER BY c.user_id",
                )
                .bind(now.saturating_sub(every))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(user_id, closed)| DueReassessment { user_id, due_at: closed + every }).collect())
            }

            #[tracing::instrument(skip(self))]
            async fn plan(&self, user: UserId) -> Result<Option<Plan>> {
                let mut tx = self.begin_write().await?;
                let Some((check_in_days, shared, created_at)): Option<(Option<i64>, bool, i64)> = sqlx::query_as(
                    "SELECT check_in_days, shared_with_manager, created_at FROM plans WHERE user_id = $1",
                )
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?
                else {
                    return Ok(None);
                };
                let skill_rows: Vec<(i64, String, String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
                    "SELECT id, skill, goal, added_at, ended_at, outcome FROM plan_skills WHERE user_id = $1 \
                     ORDER BY added_at, id",
                )
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
                let activity_rows: Vec<(i64, i64, Option<String>, String, String, i64)> = sqlx::query_as(
                    "SELECT a.id, a.plan_skill_id, a.activity, a.title, a.cadence, a.added_at FROM plan_activities a \
                     JOIN plan_skills s ON s.id = a.plan_skill_id WHERE s.user_id = $1 ORDER BY a.added_at, a.id",
                )
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
                let check_in_rows: Vec<(i64, i64)> =
                    sqlx::query_as("SELECT id, at FROM check_ins WHERE user_id = $1 ORDER BY at, id")
                        .bind(user)
                        .fetch_all(&mut *tx)
                        .await?;
                let answer_rows: Vec<(i64, i64, String, i64, String)> = sqlx::query_as(
                    "SELECT a.check_in_id, a.plan_skill_id, a.feeling, a.confidence, a.note FROM check_in_answers a \
                     JOIN check_ins c ON c.id = a.check_in_id WHERE c.user_id = $1 ORDER BY a.plan_skill_id",
                )
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;

                let mut activities: Vec<PlanActivity> = activity_rows
                    .into_iter()
                    .map(|(id, focus_id, activity, title, cadence, added_at)| {
                        Ok(PlanActivity {
                            id,
                            focus_id,
                            activity,
                            title,
                            cadence: Cadence::parse(&cadence).map_err(corrupt)?,
                            added_at,
                        })
                    })
                    .collect::<Result<_>>()?;
                let skills = skill_rows
                    .into_iter()
                    .map(|(id, skill, goal, added_at, ended_at, outcome)| {
                        let (mine, rest): (Vec<_>, Vec<_>) = activities.drain(..).partition(|a| a.focus_id == id);
                        activities = rest;
                        Ok(FocusSkill {
                            id,
                            skill: SkillId::parse(&skill).map_err(corrupt)?,
                            goal,
                            added_at,
                            ended_at,
                            outcome: outcome.as_deref().map(FocusOutcome::parse).transpose()?,
                            activities: mine,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let mut check_ins: Vec<CheckIn> =
                    check_in_rows.into_iter().map(|(id, at)| CheckIn { id, at, answers: Vec::new() }).collect();
                for (check_in, focus_id, feeling, confidence, note) in answer_rows {
                    let feeling = CheckInFeeling::parse(&feeling).map_err(corrupt)?;
                    if let Some(c) = check_ins.iter_mut().find(|c| c.id == check_in) {
                        c.answers.push(CheckInAnswer { focus_id, feeling, confidence, note });
                    }
                }
                Ok(Some(Plan { user_id: user, check_in_days, shared, created_at, skills, check_ins }))
            }

            #[tracing::instrument(skip(self, goal))]
            async fn add_focus_skill(&self, user: UserId, skill: &SkillId, goal: &str, now: Millis) -> Result<FocusId> {
                let mut tx = self.begin_write().await?;
                Self::lock_plan(&mut tx, user, now).await?;
                let active: Vec<(String,)> =
                    sqlx::query_as("SELECT skill FROM plan_skills WHERE user_id = $1 AND ended_at IS NULL")
                        .bind(user)
                        .fetch_all(&mut *tx)
                        .await?;
                if active.iter().any(|(s,)| s == skill.as_str()) {
                    return Err(StoreError::Conflict("This skill is already one of your focus skills.".to_owned()));
                }
                if active.len() >= MAX_FOCUS_SKILLS {
                    return Err(StoreError::Conflict(TOO_MANY.to_owned()));
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO plan_skills (user_id, skill, goal, added_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(user)
                .bind(skill.as_str())
                .bind(goal)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self, goal))]
            async fn set_focus_goal(&self, user: UserId, focus: FocusId, goal: &str) -> Result<()> {
                let done = sqlx::query(
                    "UPDATE plan_skills SET goal = $1 WHERE id = $2 AND user_id = $3 AND ended_at IS NULL",
                )
                .bind(goal)
                .bind(focus)
                .bind(user)
                .execute(self.writer())
                .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn end_focus_skill(
                &self,
                user: UserId,
                focus: FocusId,
                outcome: FocusOutcome,
                now: Millis,
            ) -> Result<()> {
                let done = sqlx::query(
                    "UPDATE plan_skills SET ended_at = $1, outcome = $2 \
                     WHERE id = $3 AND user_id = $4 AND ended_at IS NULL",
                )
                .bind(now)
                .bind(outcome.as_str())
                .bind(focus)
                .bind(user)
                .execute(self.writer())
                .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self, title))]
            async fn add_activity(
                &self,
                user: UserId,
                focus: FocusId,
                activity: Option<&str>,
                title: &str,
                cadence: Cadence,
                now: Millis,
            ) -> Result<ActivityId> {
                let mut tx = self.begin_write().await?;
                let owned: Option<(i64,)> = sqlx::query_as(
                    "UPDATE plan_skills SET goal = goal WHERE id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING id",
                )
                .bind(focus)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
                if owned.is_none() {
                    return Err(StoreError::NotFound);
                }
                if let Some(activity) = activity {
                    let dup: Option<(i64,)> =
                        sqlx::query_as("SELECT id FROM plan_activities WHERE plan_skill_id = $1 AND activity = $2")
                            .bind(focus)
                            .bind(activity)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if dup.is_some() {
                        return Err(StoreError::Conflict("That activity is already in your plan for this skill.".to_owned()));
                    }
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO plan_activities (plan_skill_id, activity, title, cadence, added_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(focus)
                .bind(activity)
                .bind(title)
                .bind(cadence.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self))]
            async fn remove_activity(&self, user: UserId, activity: ActivityId) -> Result<()> {
                let done = sqlx::query(
                    "DELETE FROM plan_activities WHERE id = $1 \
                     AND plan_skill_id IN (SELECT id FROM plan_skills WHERE user_id = $2)",
                )
                .bind(activity)
                .bind(user)
                .execute(self.writer())
                .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn set_check_in_days(&self, user: UserId, days: Option<i64>, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO plans (user_id, check_in_days, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                     ON CONFLICT (user_id) DO UPDATE SET check_in_days = $2, updated_at = $3",
                )
                .bind(user)
                .bind(days)
                .bind(now)
                .execute(self.writer())
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn set_plan_shared(&self, user: UserId, shared: bool, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO plans (user_id, shared_with_manager, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                     ON CONFLICT (user_id) DO UPDATE SET shared_with_manager = $2, updated_at = $3",
                )
                .bind(user)
                .bind(shared)
                .bind(now)
                .execute(self.writer())
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self, answers))]
            async fn record_check_in(&self, user: UserId, answers: &[CheckInAnswer], now: Millis) -> Result<CheckInId> {
                let mut tx = self.begin_write().await?;
                Self::lock_plan(&mut tx, user, now).await?;
                let active: Vec<(i64,)> =
                    sqlx::query_as("SELECT id FROM plan_skills WHERE user_id = $1 AND ended_at IS NULL")
                        .bind(user)
                        .fetch_all(&mut *tx)
                        .await?;
                if answers.is_empty() {
                    return Err(StoreError::Conflict("A check-in needs an answer for at least one focus skill.".to_owned()));
                }
                if answers.iter().any(|a| !active.iter().any(|(id,)| *id == a.focus_id)) {
                    return Err(StoreError::Conflict("A check-in can only answer for your active focus skills.".to_owned()));
                }
                let (id,): (i64,) = sqlx::query_as("INSERT INTO check_ins (user_id, at) VALUES ($1, $2) RETURNING id")
                    .bind(user)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                for answer in answers {
                    sqlx::query(
                        "INSERT INTO check_in_answers (check_in_id, plan_skill_id, feeling, confidence, note) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(answer.focus_id)
                    .bind(answer.feeling.as_str())
                    .bind(answer.confidence)
                    .bind(&answer.note)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self, entry))]
            async fn create_practice(&self, user: UserId, entry: &NewPractice, now: Millis) -> Result<PracticeEntry> {
                let mut tx = self.begin_write().await?;
                if let Some(activity) = entry.activity_id
                    && !Self::owns_activity(&mut tx, user, activity).await?
                {
                    return Err(StoreError::NotFound);
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO practice_entries (user_id, skill, plan_activity_id, day, did, happened, learned, \
                     next_step, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(user)
                .bind(entry.skill.as_str())
                .bind(entry.activity_id)
                .bind(entry.day.to_string())
                .bind(&entry.did)
                .bind(&entry.happened)
                .bind(&entry.learned)
                .bind(&entry.next_step)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let saved = Self::entry_in(&mut tx, user, id).await?;
                tx.commit().await?;
                Ok(saved)
            }

            #[tracing::instrument(skip(self, entry))]
            async fn update_practice(
                &self,
                user: UserId,
                id: EntryId,
                entry: &NewPractice,
                now: Millis,
            ) -> Result<PracticeEntry> {
                let mut tx = self.begin_write().await?;
                if let Some(activity) = entry.activity_id
                    && !Self::owns_activity(&mut tx, user, activity).await?
                {
                    return Err(StoreError::NotFound);
                }
                let done = sqlx::query(
                    "UPDATE practice_entries SET skill = $1, plan_activity_id = $2, day = $3, did = $4, happened = $5, \
                     learned = $6, next_step = $7, updated_at = $8 WHERE id = $9 AND user_id = $10",
                )
                .bind(entry.skill.as_str())
                .bind(entry.activity_id)
                .bind(entry.day.to_string())
                .bind(&entry.did)
                .bind(&entry.happened)
                .bind(&entry.learned)
                .bind(&entry.next_step)
                .bind(now)
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let saved = Self::entry_in(&mut tx, user, id).await?;
                tx.commit().await?;
                Ok(saved)
            }

            #[tracing::instrument(skip(self))]
            async fn delete_practice(&self, user: UserId, id: EntryId) -> Result<()> {
                let done = sqlx::query("DELETE FROM practice_entries WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user)
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn practice_entry(&self, user: UserId, id: EntryId) -> Result<PracticeEntry> {
                let row: EntryRow = sqlx::query_as(entry_select!("WHERE e.id = $1 AND e.user_id = $2"))
                    .bind(id)
                    .bind(user)
                    .fetch_one(&self.pool)
                    .await?;
                entry_from(row)
            }

            #[tracing::instrument(skip(self))]
            async fn practice_entries(&self, user: UserId, since: Option<Date>) -> Result<Vec<PracticeEntry>> {
                // '0000-00-00' sorts before every date.
                let since = since.map_or_else(|| "0000-00-00".to_owned(), |d| d.to_string());
                let rows: Vec<EntryRow> =
                    sqlx::query_as(entry_select!("WHERE e.user_id = $1 AND e.day >= $2 ORDER BY e.day DESC, e.id DESC"))
                        .bind(user)
                        .bind(since)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(entry_from).collect()
            }
        }
    };
}

growth_backend!(SqliteStore, sqlx::Sqlite);
growth_backend!(PgStore, sqlx::Postgres);
