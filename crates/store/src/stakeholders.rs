//! The stakeholder map, 1:1 cadence and meeting notes (issue 6, module M6).
//! Every stakeholder belongs to one person: each method takes the owner and
//! answers [`StoreError::NotFound`] for anybody else's, so a handler cannot
//! reach another member's map by guessing ids.

use async_trait::async_trait;

use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, UserId};
use crate::{Result, StoreError};

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

/// What a person writes about a stakeholder. Lists (goals, pressures,
/// needs) are text with one entry per line. Scores run from 1 to 5, the
/// cadence from 1 to 365 days; callers validate, the database refuses the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StakeholderProfile {
    pub name: String,
    /// The id of a function template, such as `engineering`.
    pub function_id: String,
    pub title: Option<String>,
    pub goals: String,
    pub pressures: String,
    pub needs: String,
    pub channel: String,
    pub style: String,
    pub influence: i64,
    pub interest: i64,
    pub health: i64,
    pub cadence_days: Option<i64>,
    /// Midnight UTC of the day of the last meeting.
    pub last_met_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stakeholder {
    pub id: i64,
    pub user_id: UserId,
    pub profile: StakeholderProfile,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub archived_at: Option<Millis>,
}

impl Stakeholder {
    /// When the next 1:1 is due, if they have a cadence and are not archived.
    pub fn due_at(&self) -> Option<Millis> {
        if self.archived_at.is_some() {
            return None;
        }
        pmcoach_core::stakeholders::next_due(self.profile.last_met_at, self.created_at, self.profile.cadence_days)
    }
}

/// A meeting as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    /// Midnight UTC of the day they met.
    pub met_at: Millis,
    pub notes: String,
    pub decisions: String,
    pub follow_ups: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub stakeholder_id: i64,
    pub met_at: Millis,
    pub notes: String,
    pub decisions: String,
    pub follow_ups: String,
    pub created_at: Millis,
}

#[async_trait]
pub trait StakeholderStore {
    /// Every stakeholder, of everybody, whose 1:1 is due at or before `now`.
    async fn overdue_one_on_ones(&self, now: Millis) -> Result<Vec<OverdueOneOnOne>>;

    async fn create_stakeholder(&self, owner: UserId, profile: &StakeholderProfile, now: Millis)
    -> Result<Stakeholder>;
    /// The owner's stakeholders, archived ones included, by name.
    async fn stakeholders(&self, owner: UserId) -> Result<Vec<Stakeholder>>;
    async fn stakeholder(&self, owner: UserId, id: i64) -> Result<Stakeholder>;
    async fn update_stakeholder(
        &self,
        owner: UserId,
        id: i64,
        profile: &StakeholderProfile,
        now: Millis,
    ) -> Result<Stakeholder>;
    /// Archives (`true`) or restores a stakeholder: archived ones keep their
    /// notes but leave the grid and are never overdue.
    async fn set_stakeholder_archived(&self, owner: UserId, id: i64, archived: bool, now: Millis) -> Result<()>;
    /// Deletes a stakeholder and their meeting notes.
    async fn delete_stakeholder(&self, owner: UserId, id: i64) -> Result<()>;
    /// Logs a meeting; the stakeholder's last meeting moves to it unless a
    /// later one is already known.
    async fn log_meeting(&self, owner: UserId, stakeholder: i64, meeting: &NewMeeting, now: Millis) -> Result<Meeting>;
    /// A stakeholder's meetings, newest first.
    async fn meetings(&self, owner: UserId, stakeholder: i64) -> Result<Vec<Meeting>>;
}

/// The columns of a [`Stakeholder`], in the order `stakeholder_row` reads them.
/// The columns `stakeholder_row` reads.
macro_rules! stakeholder_columns {
    () => {
        "id, user_id, name, function_id, title, goals, pressures, needs, channel, style, influence, \
         interest, health, cadence_days, last_met_at, created_at, updated_at, archived_at"
    };
}

macro_rules! select_stakeholder {
    ($clause:literal) => {
        concat!("SELECT ", stakeholder_columns!(), " FROM stakeholders ", $clause)
    };
}

type MeetingRow = (i64, i64, i64, String, String, String, i64);

fn meeting_from((id, stakeholder_id, met_at, notes, decisions, follow_ups, created_at): MeetingRow) -> Meeting {
    Meeting { id, stakeholder_id, met_at, notes, decisions, follow_ups, created_at }
}

macro_rules! stakeholder_backend {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Eighteen columns are more than sqlx's tuples hold, so the row is read by name.
            /// Binds a profile's fields, in the order of the columns the
            /// insert and the update both list after their own parameters.
            fn bind_profile<'q>(
                query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
                profile: &'q StakeholderProfile,
            ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments> {
                query
                    .bind(&profile.name)
                    .bind(&profile.function_id)
                    .bind(&profile.title)
                    .bind(&profile.goals)
                    .bind(&profile.pressures)
                    .bind(&profile.needs)
                    .bind(&profile.channel)
                    .bind(&profile.style)
                    .bind(profile.influence)
                    .bind(profile.interest)
                    .bind(profile.health)
                    .bind(profile.cadence_days)
                    .bind(profile.last_met_at)
            }

            fn stakeholder_row(row: &<$db as sqlx::Database>::Row) -> Result<Stakeholder> {
                use sqlx::Row as _;
                Ok(Stakeholder {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    profile: StakeholderProfile {
                        name: row.try_get("name")?,
                        function_id: row.try_get("function_id")?,
                        title: row.try_get("title")?,
                        goals: row.try_get("goals")?,
                        pressures: row.try_get("pressures")?,
                        needs: row.try_get("needs")?,
                        channel: row.try_get("channel")?,
                        style: row.try_get("style")?,
                        influence: row.try_get("influence")?,
                        interest: row.try_get("interest")?,
                        health: row.try_get("health")?,
                        cadence_days: row.try_get("cadence_days")?,
                        last_met_at: row.try_get("last_met_at")?,
                    },
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    archived_at: row.try_get("archived_at")?,
                })
            }
        }

        #[async_trait]
        impl StakeholderStore for $store {
            #[tracing::instrument(skip(self))]
            async fn overdue_one_on_ones(&self, now: Millis) -> Result<Vec<OverdueOneOnOne>> {
                // The same sum as pmcoach_core::stakeholders::next_due (86400000 ms in a day).
                let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(concat!(
                    "SELECT user_id, id, name, COALESCE(last_met_at, created_at) + cadence_days * 86400000 AS due ",
                    "FROM stakeholders WHERE archived_at IS NULL AND cadence_days IS NOT NULL ",
                    "AND COALESCE(last_met_at, created_at) + cadence_days * 86400000 <= $1 ",
                    "ORDER BY due, id"
                ))
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(user_id, stakeholder_id, stakeholder_name, due_at)| OverdueOneOnOne {
                        user_id,
                        stakeholder_id,
                        stakeholder_name,
                        due_at,
                    })
                    .collect())
            }

            #[tracing::instrument(skip(self, profile))]
            async fn create_stakeholder(
                &self,
                owner: UserId,
                profile: &StakeholderProfile,
                now: Millis,
            ) -> Result<Stakeholder> {
                let query = sqlx::query(concat!(
                    "INSERT INTO stakeholders (user_id, name, function_id, title, goals, pressures, needs, channel, ",
                    "style, influence, interest, health, cadence_days, last_met_at, created_at, updated_at) ",
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) ",
                    "RETURNING ",
                    stakeholder_columns!()
                ))
                .bind(owner);
                let row = Self::bind_profile(query, profile).bind(now).fetch_one(self.writer()).await?;
                Self::stakeholder_row(&row)
            }

            #[tracing::instrument(skip(self))]
            async fn stakeholders(&self, owner: UserId) -> Result<Vec<Stakeholder>> {
                let rows = sqlx::query(select_stakeholder!("WHERE user_id = $1 ORDER BY LOWER(name), id"))
                    .bind(owner)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(Self::stakeholder_row).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn stakeholder(&self, owner: UserId, id: i64) -> Result<Stakeholder> {
                let row = sqlx::query(select_stakeholder!("WHERE user_id = $1 AND id = $2"))
                    .bind(owner)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Self::stakeholder_row(&row)
            }

            #[tracing::instrument(skip(self, profile))]
            async fn update_stakeholder(
                &self,
                owner: UserId,
                id: i64,
                profile: &StakeholderProfile,
                now: Millis,
            ) -> Result<Stakeholder> {
                let query = sqlx::query(concat!(
                    "UPDATE stakeholders SET name = $3, function_id = $4, title = $5, goals = $6, pressures = $7, ",
                    "needs = $8, channel = $9, style = $10, influence = $11, interest = $12, health = $13, ",
                    "cadence_days = $14, last_met_at = $15, updated_at = $16 WHERE user_id = $1 AND id = $2 ",
                    "RETURNING ",
                    stakeholder_columns!()
                ))
                .bind(owner)
                .bind(id);
                let row = Self::bind_profile(query, profile)
                    .bind(now)
                    .fetch_optional(self.writer())
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Self::stakeholder_row(&row)
            }

            #[tracing::instrument(skip(self))]
            async fn set_stakeholder_archived(
                &self,
                owner: UserId,
                id: i64,
                archived: bool,
                now: Millis,
            ) -> Result<()> {
                let archived_at = archived.then_some(now);
                let done = sqlx::query(
                    "UPDATE stakeholders SET archived_at = $3, updated_at = $4 WHERE user_id = $1 AND id = $2",
                )
                .bind(owner)
                .bind(id)
                .bind(archived_at)
                .bind(now)
                .execute(self.writer())
                .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn delete_stakeholder(&self, owner: UserId, id: i64) -> Result<()> {
                let done = sqlx::query("DELETE FROM stakeholders WHERE user_id = $1 AND id = $2")
                    .bind(owner)
                    .bind(id)
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self, meeting))]
            async fn log_meeting(
                &self,
                owner: UserId,
                stakeholder: i64,
                meeting: &NewMeeting,
                now: Millis,
            ) -> Result<Meeting> {
                let mut tx = self.begin_write().await?;
                // Moving the last meeting first also proves the stakeholder is the owner's.
                let moved = sqlx::query(concat!(
                    "UPDATE stakeholders SET last_met_at = CASE WHEN last_met_at IS NULL OR last_met_at < $3 ",
                    "THEN $3 ELSE last_met_at END, updated_at = $4 WHERE user_id = $1 AND id = $2"
                ))
                .bind(owner)
                .bind(stakeholder)
                .bind(meeting.met_at)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let row: MeetingRow = sqlx::query_as(concat!(
                    "INSERT INTO meetings (stakeholder_id, met_at, notes, decisions, follow_ups, created_at) ",
                    "VALUES ($1, $2, $3, $4, $5, $6) ",
                    "RETURNING id, stakeholder_id, met_at, notes, decisions, follow_ups, created_at"
                ))
                .bind(stakeholder)
                .bind(meeting.met_at)
                .bind(&meeting.notes)
                .bind(&meeting.decisions)
                .bind(&meeting.follow_ups)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(meeting_from(row))
            }

            #[tracing::instrument(skip(self))]
            async fn meetings(&self, owner: UserId, stakeholder: i64) -> Result<Vec<Meeting>> {
                let mut tx = self.begin_write().await?;
                let owned: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM stakeholders WHERE user_id = $1 AND id = $2")
                        .bind(owner)
                        .bind(stakeholder)
                        .fetch_optional(&mut *tx)
                        .await?;
                if owned.is_none() {
                    return Err(StoreError::NotFound);
                }
                let rows: Vec<MeetingRow> = sqlx::query_as(concat!(
                    "SELECT id, stakeholder_id, met_at, notes, decisions, follow_ups, created_at FROM meetings ",
                    "WHERE stakeholder_id = $1 ORDER BY met_at DESC, id DESC"
                ))
                .bind(stakeholder)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(rows.into_iter().map(meeting_from).collect())
            }
        }
    };
}

stakeholder_backend!(SqliteStore, sqlx::Sqlite);
stakeholder_backend!(PgStore, sqlx::Postgres);
