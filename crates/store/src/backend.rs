//! The two backends. Their SQL is written once, in the `backend!` macro
//! below, and compiled for each database's own typed pool: `$1`
//! placeholders, `RETURNING`, `ON CONFLICT` and BIGINT ids and times are
//! accepted by both SQLite and PostgreSQL.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use std::collections::BTreeMap;

use async_trait::async_trait;
use pmcoach_core::assessment::{RaterKey, Threshold};
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Purpose, Role, RoleContext};
use pmcoach_core::framework::model::Category;
use pmcoach_core::ids::{Email, Level, SkillId};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::migrate::{self, Migration};
use crate::model::*;
use crate::{Result, Store, StoreError};

/// The embedded store: one SQLite file in WAL mode.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// Reads: several connections, each reading its own snapshot (WAL).
    pub(crate) pool: SqlitePool,
    /// Writes: one connection (see [`SqliteStore::writer`]).
    writer: SqlitePool,
}

/// The shared store: PostgreSQL, for several app servers behind a balancer.
#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl SqliteStore {
    /// How a transaction that writes begins: taking the write lock at once.
    /// A deferred transaction that reads first and then writes fails with
    /// "database is locked" at its first write whenever another connection
    /// wrote since its read, without waiting (the busy timeout cannot help
    /// it: its snapshot is already stale). Immediate ones queue for the
    /// lock instead, up to the busy timeout.
    pub(crate) const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    /// Opens (creating if missing) the database file at `path` and migrates it.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a transaction that returned is on disk, even if the
            // machine loses power right after.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Each connection keeps its own page cache (2 MiB by default),
            // which fills as the database grows: 1 MiB each bounds the 9
            // connections' caches at 9 MiB. The operating system caches
            // the file as well, so a page missed here is a copy from memory,
            // not a disk read (docs/benchmarks.md, the soak).
            .pragma("cache_size", "-1024");
        let connect = |connections| {
            SqlitePoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options.clone())
        };
        let cannot_open = |error| StoreError::Unavailable(format!("cannot open {}: {error}", path.display()));
        // The writer first: it creates the file, so the readers find it.
        let writer = connect(1).await.map_err(cannot_open)?;
        let pool = connect(8).await.map_err(cannot_open)?;
        let store = SqliteStore { pool, writer };
        store.migrate(migrate::SQLITE, None).await?;
        Ok(store)
    }

    /// The pool every write goes through: one connection, handed out in
    /// the order asked for. SQLite lets one connection write at a time;
    /// writers on separate connections wait for it in SQLite's busy
    /// handler, which sleeps and retries with no order, so under a stream
    /// of writes some waited seconds (the soak saw 2 s timeouts) while
    /// holding a connection readers needed. Queued here they wait their
    /// turn without holding one. Another process writing (the CLI) still
    /// meets the busy timeout.
    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// A write transaction: on the writer, taking SQLite's write lock at once.
    pub(crate) async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.writer.begin_with(Self::BEGIN_WRITE).await
    }
}

impl PgStore {
    /// How a transaction that writes begins (PostgreSQL waits for row locks by itself).
    pub(crate) const BEGIN_WRITE: &'static str = "BEGIN";

    /// The pool writes go through: the one pool (PostgreSQL writes side by side).
    pub(crate) fn writer(&self) -> &PgPool {
        &self.pool
    }

    /// A write transaction (PostgreSQL waits for row locks by itself).
    pub(crate) async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        self.pool.begin_with(Self::BEGIN_WRITE).await
    }

    /// Connects to PostgreSQL and migrates it.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|error| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {error}")))?;
        let store = PgStore { pool };
        // Two servers starting together must not both migrate.
        store.migrate(migrate::POSTGRES, Some("SELECT pg_advisory_xact_lock(7202611)")).await?;
        Ok(store)
    }
}

type UserRow = (i64, String, String, i64, String, Option<i64>, i64);
/// `SELECT` of a [`UserRow`] followed by the given clause, as one static
/// string (sqlx only runs SQL it can see is not built from input).
macro_rules! select_user {
    ($clause:literal) => {
        concat!(
            "SELECT u.id, u.email, u.name, m.org_id, m.role, m.manager_id, u.sessions_valid_after ",
            "FROM users u JOIN memberships m ON m.user_id = u.id ",
            $clause
        )
    };
}

/// How stale an API token's "last used" may be: a minute.
const TOKEN_USE_PRECISION: Millis = 60_000;

type LoadedSessionRow = (
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
);

fn loaded_session_from(row: LoadedSessionRow) -> Result<LoadedSession> {
    let (id, data, expires_at, user_id, uid, email, name, org_id, role, manager_id, valid_after, unread, version) = row;
    let user = match (uid, email, name, org_id, role, valid_after) {
        (Some(uid), Some(email), Some(name), Some(org_id), Some(role), Some(valid_after)) => {
            Some(user_from((uid, email, name, org_id, role, manager_id, valid_after))?)
        }
        _ => None,
    };
    Ok(LoadedSession { record: SessionRecord { id, data, expires_at, user_id }, user, unread, data_version: version })
}

fn user_from(row: UserRow) -> Result<User> {
    let (id, email, name, org_id, role, manager_id, sessions_valid_after) = row;
    Ok(User {
        sessions_valid_after,
        id,
        email: Email::parse(&email).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        name,
        org_id,
        role: OrgRole::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        manager_id,
    })
}

type InvitationRow = (i64, i64, String, String, Option<i64>, i64, i64, i64, Option<i64>);
/// The columns of an [`InvitationRow`].
macro_rules! invitation_columns {
    () => {
        "id, org_id, email, role, manager_id, created_by, created_at, expires_at, accepted_at"
    };
}

fn invitation_from(row: InvitationRow) -> Result<Invitation> {
    let (id, org_id, email, role, manager_id, created_by, created_at, expires_at, accepted_at) = row;
    Ok(Invitation {
        id,
        org_id,
        email: Email::parse(&email).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        role: OrgRole::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        manager_id,
        created_by,
        created_at,
        expires_at,
        accepted_at,
    })
}

type ContextRow = (String, String, String, Option<String>, String, String, String, String, String);

fn context_from(row: ContextRow) -> Result<RoleContext> {
    fn parse<T: FromStr<Err = pmcoach_core::UnknownValue>>(raw: &str) -> Result<T> {
        raw.parse().map_err(|e: pmcoach_core::UnknownValue| StoreError::Corrupt(e.to_string()))
    }
    let (role, level, stage, industry, technicality, team_maturity, ambiguity, data_driven, purpose) = row;
    let mut context = RoleContext::new(parse::<Role>(&role)?, parse::<CareerLevel>(&level)?)
        .with_industry(industry.as_deref().unwrap_or(""));
    context.stage = parse::<CompanyStage>(&stage)?;
    context.technicality = parse::<Degree>(&technicality)?;
    context.team_maturity = parse::<Degree>(&team_maturity)?;
    context.ambiguity = parse::<Degree>(&ambiguity)?;
    context.data_driven = parse::<Degree>(&data_driven)?;
    context.purpose = parse::<Purpose>(&purpose)?;
    Ok(context)
}

type TokenRow = (i64, i64, String, i64, Option<i64>, Option<i64>);

fn token_from((id, user_id, name, created_at, last_used_at, revoked_at): TokenRow) -> ApiToken {
    ApiToken { id, user_id, name, created_at, last_used_at, revoked_at }
}

// ---- assessments: the frozen cycle as JSON, and rows

/// A cycle as frozen into `cycles.frozen`: everything [`Cycle::new`] needs
/// besides the state (kept in its own column), and the role context. Enums
/// are stored by their vocabulary spelling; weights as Rust's shortest
/// round-trip decimal text, so a reloaded cycle equals the one opened to the
/// last bit (a JSON number would be parsed back only approximately).
#[derive(serde::Serialize, serde::Deserialize)]
struct FrozenCycle {
    version: u32,
    threshold: u32,
    skills: Vec<FrozenSkill>,
    context: FrozenContext,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FrozenSkill {
    id: String,
    name: String,
    category: String,
    observers: Vec<String>,
    target: u8,
    weight: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FrozenContext {
    role: String,
    level: String,
    stage: String,
    industry: Option<String>,
    technicality: String,
    team_maturity: String,
    ambiguity: String,
    data_driven: String,
    purpose: String,
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

fn freeze_json(cycle: &Cycle, context: &RoleContext) -> Result<String> {
    let frozen = FrozenCycle {
        version: 1,
        threshold: cycle.threshold().get(),
        skills: cycle
            .skills()
            .iter()
            .map(|skill| FrozenSkill {
                id: skill.id.as_str().to_owned(),
                name: skill.name.clone(),
                category: skill.category.as_str().to_owned(),
                observers: skill.observers.iter().map(|o| o.as_str().to_owned()).collect(),
                target: skill.target.get(),
                weight: skill.weight.to_string(),
            })
            .collect(),
        context: FrozenContext {
            role: context.role.as_str().to_owned(),
            level: context.level.as_str().to_owned(),
            stage: context.stage.as_str().to_owned(),
            industry: context.industry.clone(),
            technicality: context.technicality.as_str().to_owned(),
            team_maturity: context.team_maturity.as_str().to_owned(),
            ambiguity: context.ambiguity.as_str().to_owned(),
            data_driven: context.data_driven.as_str().to_owned(),
            purpose: context.purpose.as_str().to_owned(),
        },
    };
    serde_json::to_string(&frozen).map_err(corrupt)
}

fn thaw_json(json: &str, state: CycleState) -> Result<(Cycle, RoleContext)> {
    let frozen: FrozenCycle = serde_json::from_str(json).map_err(corrupt)?;
    if frozen.version != 1 {
        return Err(StoreError::Corrupt(format!("unknown frozen cycle version {}", frozen.version)));
    }
    let skills = frozen
        .skills
        .into_iter()
        .map(|skill| {
            Ok(pmcoach_core::assessment::CycleSkill {
                id: SkillId::parse(&skill.id).map_err(corrupt)?,
                name: skill.name,
                category: Category::parse(&skill.category).map_err(corrupt)?,
                observers: skill
                    .observers
                    .iter()
                    .map(|o| Observer::parse(o).map_err(corrupt))
                    .collect::<Result<_>>()?,
                target: Level::new(i64::from(skill.target)).map_err(corrupt)?,
                weight: skill.weight.parse::<f64>().map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let threshold = Threshold::new(i64::from(frozen.threshold)).map_err(corrupt)?;
    let cycle = Cycle::new(skills, threshold, state).map_err(corrupt)?;
    let c = frozen.context;
    let context = context_from((
        c.role,
        c.level,
        c.stage,
        c.industry,
        c.technicality,
        c.team_maturity,
        c.ambiguity,
        c.data_driven,
        c.purpose,
    ))?;
    Ok((cycle, context))
}

type CycleRow = (i64, i64, String, String, i64, Option<i64>);
/// The columns of a [`CycleRow`].
macro_rules! cycle_columns {
    () => {
        "id, user_id, state, frozen, opened_at, closed_at"
    };
}

fn cycle_from((id, user_id, state, frozen, opened_at, closed_at): CycleRow) -> Result<StoredCycle> {
    let state = CycleState::parse(&state).map_err(corrupt)?;
    let (cycle, context) = thaw_json(&frozen, state)?;
    Ok(StoredCycle { id, user_id, cycle, context, opened_at, closed_at })
}

type InviteRow = (i64, i64, String, Option<String>, i64, i64, Option<i64>, Option<i64>);
/// The columns of an [`InviteRow`].
macro_rules! invite_columns {
    () => {
        "id, cycle_id, rater_group, email, created_at, expires_at, answered_at, last_reminded_at"
    };
}

fn invite_from(row: InviteRow) -> Result<RaterInvite> {
    let (id, cycle_id, group, email, created_at, expires_at, answered_at, last_reminded_at) = row;
    Ok(RaterInvite {
        id,
        cycle_id,
        group: Observer::parse(&group).map_err(corrupt)?,
        email: email.as_deref().map(Email::parse).transpose().map_err(corrupt)?,
        created_at,
        expires_at,
        answered_at,
        last_reminded_at,
    })
}

fn level_from(level: i64) -> Result<Level> {
    Level::new(level).map_err(corrupt)
}

fn answer_from(level: Option<i64>) -> Result<Answer> {
    level.map_or(Ok(Answer::NotObserved), |level| level_from(level).map(Answer::Rated))
}

/// The opaque key a submitted invitation's response goes under.
fn rater_key(invite: RaterInviteId) -> Result<RaterKey> {
    RaterKey::parse(&format!("r{invite}")).map_err(corrupt)
}

const CYCLE_CLOSED: &str = "this assessment cycle is closed: it takes no more answers";

fn comment_text(comment: &Comment) -> Option<&str> {
    let text = comment.text.trim();
    (!text.is_empty()).then_some(text)
}

macro_rules! backend {
    ($store:ident, $db:ty, $name:literal) => {
        impl $store {
            async fn migrate(&self, migrations: &'static [Migration], lock: Option<&'static str>) -> Result<()> {
                let fail = |error: sqlx::Error| StoreError::Migration(error.to_string());
                let mut tx = self.begin_write().await.map_err(fail)?;
                if let Some(lock) = lock {
                    sqlx::query(lock).execute(&mut *tx).await.map_err(fail)?;
                }
                sqlx::query(migrate::CREATE_TABLE).execute(&mut *tx).await.map_err(fail)?;
                let applied: Vec<(i64,)> =
                    sqlx::query_as("SELECT version FROM schema_migrations").fetch_all(&mut *tx).await.map_err(fail)?;
                for (version, name, sql) in migrations {
                    if applied.iter().any(|(v,)| v == version) {
                        continue;
                    }
                    tracing::info!(backend = $name, version, name, "applying migration");
                    for statement in migrate::statements(sql) {
                        sqlx::query(statement).execute(&mut *tx).await.map_err(|e| {
                            StoreError::Migration(format!("{version:04}_{name}: {e}"))
                        })?;
                    }
                    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                        .bind(version)
                        .bind(name)
                        .bind(now_millis())
                        .execute(&mut *tx)
                        .await
                        .map_err(fail)?;
                }
                tx.commit().await.map_err(fail)
            }

            async fn user_on<'c, E>(executor: E, id: UserId) -> Result<User>
            where
                E: sqlx::Executor<'c, Database = $db>,
            {
                let row: UserRow = sqlx::query_as(select_user!("WHERE u.id = $1")).bind(id).fetch_one(executor).await?;
                user_from(row)
            }

            async fn insert_user(
                tx: &mut sqlx::Transaction<'_, $db>,
                org: OrgId,
                user: &NewUser,
                role: OrgRole,
                manager: Option<UserId>,
            ) -> Result<User> {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(user.email.as_str())
                .bind(user.name.trim())
                .bind(&user.password_hash)
                .bind(now_millis())
                .fetch_one(&mut **tx)
                .await?;
                sqlx::query("INSERT INTO memberships (user_id, org_id, role, manager_id) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(org)
                    .bind(role.as_str())
                    .bind(manager)
                    .execute(&mut **tx)
                    .await?;
                Self::user_on(&mut **tx, id).await
            }

            /// Locks an open cycle's row for the rest of the transaction, so
            /// that closing it waits for (or is seen by) whatever writes
            /// answers under it; a closed cycle is [`StoreError::Gone`].
            async fn lock_open_cycle(tx: &mut sqlx::Transaction<'_, $db>, id: CycleId) -> Result<StoredCycle> {
                let row: Option<CycleRow> = sqlx::query_as(concat!(
                    "UPDATE cycles SET state = state WHERE id = $1 AND state = 'open' RETURNING ",
                    cycle_columns!()
                ))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
                match row {
                    Some(row) => cycle_from(row),
                    None => {
                        let exists: Option<(i64,)> =
                            sqlx::query_as("SELECT id FROM cycles WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
                        Err(if exists.is_some() { StoreError::Gone(CYCLE_CLOSED.to_owned()) } else { StoreError::NotFound })
                    }
                }
            }

            /// Locks an invitation that may still answer (not submitted, not
            /// expired, cycle open) and its cycle; otherwise says why not.
            async fn lock_answerable(
                tx: &mut sqlx::Transaction<'_, $db>,
                invite: RaterInviteId,
                now: Millis,
            ) -> Result<(RaterInvite, StoredCycle)> {
                let row: Option<InviteRow> = sqlx::query_as(concat!(
                    "UPDATE rater_invites SET expires_at = expires_at WHERE id = $1 AND answered_at IS NULL ",
                    "AND expires_at > $2 AND cycle_id IN (SELECT id FROM cycles WHERE state = 'open') RETURNING ",
                    invite_columns!()
                ))
                .bind(invite)
                .bind(now)
                .fetch_optional(&mut **tx)
                .await?;
                let Some(row) = row else {
                    let found: Option<InviteRow> =
                        sqlx::query_as(concat!("SELECT ", invite_columns!(), " FROM rater_invites WHERE id = $1"))
                            .bind(invite)
                            .fetch_optional(&mut **tx)
                            .await?;
                    let found = invite_from(found.ok_or(StoreError::NotFound)?)?;
                    return Err(StoreError::Gone(
                        if found.is_submitted() {
                            "these answers were already sent: thank you, there is nothing more to do"
                        } else if found.is_expired(now) {
                            "this feedback link has expired: ask the person who sent it for a new one"
                        } else {
                            CYCLE_CLOSED
                        }
                        .to_owned(),
                    ));
                };
                let invite = invite_from(row)?;
                // Also lock the cycle: a close that committed in between is seen here.
                let cycle = Self::lock_open_cycle(tx, invite.cycle_id).await?;
                Ok((invite, cycle))
            }

            /// Writes a rater's answers (each replacing the saved answer to
            /// its skill) and replaces their comments, after checking them
            /// against what the group is asked.
            async fn write_draft(
                tx: &mut sqlx::Transaction<'_, $db>,
                invite: &RaterInvite,
                cycle: &Cycle,
                draft: &RaterDraft,
            ) -> Result<()> {
                let response = RaterResponse {
                    rater: rater_key(invite.id)?,
                    group: invite.group,
                    answers: draft.answers.clone(),
                    comments: draft.comments.clone(),
                };
                cycle.check_response(&response).map_err(|e| StoreError::Conflict(e.to_string()))?;
                for (skill, answer) in &draft.answers {
                    let level = match answer {
                        Answer::Rated(level) => Some(i64::from(level.get())),
                        Answer::NotObserved => None,
                    };
                    sqlx::query(
                        "INSERT INTO rater_answers (invite_id, skill, level) VALUES ($1, $2, $3) \
                         ON CONFLICT (invite_id, skill) DO UPDATE SET level = excluded.level",
                    )
                    .bind(invite.id)
                    .bind(skill.as_str())
                    .bind(level)
                    .execute(&mut **tx)
                    .await?;
                }
                sqlx::query("DELETE FROM rater_comments WHERE invite_id = $1").bind(invite.id).execute(&mut **tx).await?;
                for comment in &draft.comments {
                    let Some(text) = comment_text(comment) else { continue };
                    sqlx::query("INSERT INTO rater_comments (invite_id, skill, body) VALUES ($1, $2, $3)")
                        .bind(invite.id)
                        .bind(comment.skill.as_ref().map(SkillId::as_str))
                        .bind(text)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            async fn draft_on(tx: &mut sqlx::Transaction<'_, $db>, invite: RaterInviteId) -> Result<RaterDraft> {
                let answers: Vec<(String, Option<i64>)> =
                    sqlx::query_as("SELECT skill, level FROM rater_answers WHERE invite_id = $1 ORDER BY skill")
                        .bind(invite)
                        .fetch_all(&mut **tx)
                        .await?;
                let comments: Vec<(Option<String>, String)> =
                    sqlx::query_as("SELECT skill, body FROM rater_comments WHERE invite_id = $1 ORDER BY id")
                        .bind(invite)
                        .fetch_all(&mut **tx)
                        .await?;
                Ok(RaterDraft {
                    answers: answers
                        .into_iter()
                        .map(|(skill, level)| Ok((SkillId::parse(&skill).map_err(corrupt)?, answer_from(level)?)))
                        .collect::<Result<_>>()?,
                    comments: comments
                        .into_iter()
                        .map(|(skill, text)| {
                            Ok(Comment { skill: skill.as_deref().map(SkillId::parse).transpose().map_err(corrupt)?, text })
                        })
                        .collect::<Result<_>>()?,
                })
            }

            async fn self_ratings_on(
                tx: &mut sqlx::Transaction<'_, $db>,
                cycle: CycleId,
            ) -> Result<BTreeMap<SkillId, SelfRating>> {
                let rows: Vec<(String, i64, Option<String>)> =
                    sqlx::query_as("SELECT skill, level, evidence FROM self_ratings WHERE cycle_id = $1")
                        .bind(cycle)
                        .fetch_all(&mut **tx)
                        .await?;
                rows.into_iter()
                    .map(|(skill, level, evidence)| {
                        Ok((SkillId::parse(&skill).map_err(corrupt)?, SelfRating { level: level_from(level)?, evidence }))
                    })
                    .collect()
            }

            async fn save_draft(&self, invite: RaterInviteId, draft: &RaterDraft, now: Millis, submit: bool) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let (invite, stored) = Self::lock_answerable(&mut tx, invite, now).await?;
                Self::write_draft(&mut tx, &invite, &stored.cycle, draft).await?;
                if submit {
                    sqlx::query("UPDATE rater_invites SET answered_at = $1 WHERE id = $2 AND answered_at IS NULL")
                        .bind(now)
                        .bind(invite.id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            #[tracing::instrument(skip(self))]
            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn has_users(&self) -> Result<bool> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?;
                Ok(count > 0)
            }

            #[tracing::instrument(skip(self, admin))]
            async fn create_organisation(&self, name: &str, admin: &NewUser) -> Result<(Organisation, User)> {
                let mut tx = self.begin_write().await?;
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
                if count > 0 {
                    return Err(StoreError::Conflict("pmcoach is already set up: sign in instead".to_owned()));
                }
                let (org_id,): (i64,) =
                    sqlx::query_as("INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id")
                        .bind(name.trim())
                        .bind(now_millis())
                        .fetch_one(&mut *tx)
                        .await?;
                let user = Self::insert_user(&mut tx, org_id, admin, OrgRole::Admin, None).await?;
                tx.commit().await?;
                Ok((self.organisation(org_id).await?, user))
            }

            #[tracing::instrument(skip(self))]
            async fn organisation(&self, id: OrgId) -> Result<Organisation> {
                let (id, name, anonymity_threshold, check_in_days): (i64, String, i64, i64) = sqlx::query_as(
                    "SELECT id, name, anonymity_threshold, check_in_days FROM organisations WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
                Ok(Organisation { id, name, anonymity_threshold, check_in_days })
            }

            #[tracing::instrument(skip(self))]
            async fn set_anonymity_threshold(&self, org: OrgId, threshold: i64) -> Result<()> {
                if threshold < 2 {
                    return Err(StoreError::Conflict(
                        "the anonymity threshold can never be below 2 raters per group".to_owned(),
                    ));
                }
                let done = sqlx::query("UPDATE organisations SET anonymity_threshold = $1 WHERE id = $2")
                    .bind(threshold)
                    .bind(org)
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn first_organisation(&self) -> Result<Option<Organisation>> {
                let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, name, anonymity_threshold, check_in_days FROM organisations ORDER BY id LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|(id, name, anonymity_threshold, check_in_days)| Organisation {
                    id,
                    name,
                    anonymity_threshold,
                    check_in_days,
                }))
            }

            #[tracing::instrument(skip(self, user))]
            async fn create_user(
                &self,
                org: OrgId,
                user: &NewUser,
                role: OrgRole,
                manager: Option<UserId>,
            ) -> Result<User> {
                let mut tx = self.begin_write().await?;
                let created = Self::insert_user(&mut tx, org, user, role, manager).await?;
                tx.commit().await?;
                Ok(created)
            }

            #[tracing::instrument(skip(self))]
            async fn user(&self, id: UserId) -> Result<User> {
                Self::user_on(&self.pool, id).await
            }

            #[tracing::instrument(skip(self))]
            async fn user_with_password(&self, email: &Email) -> Result<Option<(User, String)>> {
                let Some(row): Option<UserRow> =
                    sqlx::query_as(select_user!("WHERE u.email = $1")).bind(email.as_str()).fetch_optional(&self.pool).await?
                else {
                    return Ok(None);
                };
                let user = user_from(row)?;
                let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
                    .bind(user.id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Some((user, hash)))
            }

            #[tracing::instrument(skip(self))]
            async fn members(&self, org: OrgId) -> Result<Vec<User>> {
                let rows: Vec<UserRow> = sqlx::query_as(select_user!("WHERE m.org_id = $1 ORDER BY u.name, u.id")).bind(org).fetch_all(&self.pool).await?;
                rows.into_iter().map(user_from).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn reports(&self, manager: UserId) -> Result<Vec<User>> {
                let rows: Vec<UserRow> =
                    sqlx::query_as(select_user!("WHERE m.manager_id = $1 ORDER BY u.name, u.id")).bind(manager).fetch_all(&self.pool).await?;
                rows.into_iter().map(user_from).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn set_role(&self, user: UserId, role: OrgRole) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let target = Self::user_on(&mut *tx, user).await?;
                if target.role == OrgRole::Admin && role != OrgRole::Admin {
                    let (admins,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'")
                            .bind(target.org_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    if admins <= 1 {
                        return Err(StoreError::Conflict(
                            "this is the organisation's last admin: make someone else admin first".to_owned(),
                        ));
                    }
                }
                sqlx::query("UPDATE memberships SET role = $1 WHERE user_id = $2")
                    .bind(role.as_str())
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn set_manager(&self, user: UserId, manager: Option<UserId>) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let target = Self::user_on(&mut *tx, user).await?;
                if let Some(manager) = manager {
                    // Walk up from the new manager: meeting `user` would make a cycle.
                    let mut current = Some(manager);
                    let mut steps = 0;
                    while let Some(id) = current {
                        if id == user {
                            return Err(StoreError::Conflict(
                                "that reporting line would make a loop: someone would manage their own manager"
                                    .to_owned(),
                            ));
                        }
                        let above = Self::user_on(&mut *tx, id).await?;
                        if above.org_id != target.org_id {
                            return Err(StoreError::Conflict("a manager must be in the same organisation".to_owned()));
                        }
                        current = above.manager_id;
                        steps += 1;
                        if steps > 10_000 {
                            return Err(StoreError::Corrupt("the reporting lines already contain a loop".to_owned()));
                        }
                    }
                }
                sqlx::query("UPDATE memberships SET manager_id = $1 WHERE user_id = $2")
                    .bind(manager)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self, password_hash))]
            async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()> {
                // Every session signed in before now stops being accepted.
                let done = sqlx::query("UPDATE users SET password_hash = $1, sessions_valid_after = $3 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user)
                    .bind(now_millis())
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip_all)]
            async fn session_create(&self, record: &SessionRecord) -> Result<()> {
                sqlx::query("INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4)")
                    .bind(&record.id)
                    .bind(&record.data)
                    .bind(record.expires_at)
                    .bind(record.user_id)
                    .execute(self.writer())
                    .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn session_save(&self, record: &SessionRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, \
                     user_id = excluded.user_id",
                )
                .bind(&record.id)
                .bind(&record.data)
                .bind(record.expires_at)
                .bind(record.user_id)
                .execute(self.writer())
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn session_load(&self, id: &str, now: Millis) -> Result<Option<LoadedSession>> {
                let row: Option<LoadedSessionRow> = sqlx::query_as(
                    "SELECT s.id, s.data, s.expires_at, s.user_id, \
                       u.id, u.email, u.name, m.org_id, m.role, m.manager_id, u.sessions_valid_after, \
                       (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL), \
                       (SELECT version FROM data_version) \
                     FROM sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN memberships m ON m.user_id = u.id \
                     WHERE s.id = $1 AND s.expires_at > $2",
                )
                .bind(id)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                row.map(loaded_session_from).transpose()
            }

            #[tracing::instrument(skip_all)]
            async fn session_delete(&self, id: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(self.writer()).await?;
                Ok(())
            }

            async fn data_version(&self) -> Result<DataVersion> {
                let (version,): (i64,) = sqlx::query_as("SELECT version FROM data_version").fetch_one(&self.pool).await?;
                Ok(version)
            }

            #[tracing::instrument(skip(self))]
            async fn sessions_purge(&self, now: Millis) -> Result<u64> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(self.writer()).await?;
                Ok(done.rows_affected())
            }

            #[tracing::instrument(skip(self, token_hash))]
            async fn create_api_token(&self, user: UserId, name: &str, token_hash: &str) -> Result<ApiToken> {
                let row: TokenRow = sqlx::query_as(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id, user_id, name, created_at, last_used_at, revoked_at",
                )
                .bind(user)
                .bind(name.trim())
                .bind(token_hash)
                .bind(now_millis())
                .fetch_one(self.writer())
                .await?;
                Ok(token_from(row))
            }

            #[tracing::instrument(skip(self))]
            async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
                let rows: Vec<TokenRow> = sqlx::query_as(
                    "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens \
                     WHERE user_id = $1 ORDER BY id DESC",
                )
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(token_from).collect())
            }

            #[tracing::instrument(skip(self))]
            async fn revoke_api_token(&self, user: UserId, token: i64) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                )
                .bind(now_millis())
                .bind(token)
                .bind(user)
                .execute(self.writer())
                .await?;
                Ok(done.rows_affected() == 1)
            }

            #[tracing::instrument(skip_all)]
            async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
                // Read first; write the last use only when it is a minute old,
                // so a script's burst of calls is not a burst of writes.
                let found: Option<(Option<i64>, i64, String, String, i64, String, Option<i64>, i64)> = sqlx::query_as(
                    "SELECT t.last_used_at, u.id, u.email, u.name, m.org_id, m.role, m.manager_id, \
                       u.sessions_valid_after \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN memberships m ON m.user_id = u.id \
                     WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                let Some((last_used, id, email, name, org_id, role, manager_id, valid_after)) = found else {
                    return Ok(None);
                };
                let now = now_millis();
                if last_used.is_none_or(|at| now - at >= TOKEN_USE_PRECISION) {
                    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                        .bind(now)
                        .bind(token_hash)
                        .execute(self.writer())
                        .await?;
                }
                Ok(Some(user_from((id, email, name, org_id, role, manager_id, valid_after))?))
            }

            #[tracing::instrument(skip(self, token_hash))]
            async fn create_invitation(
                &self,
                org: OrgId,
                email: &Email,
                role: OrgRole,
                manager: Option<UserId>,
                token_hash: &str,
                created_by: UserId,
                expires_at: Millis,
            ) -> Result<Invitation> {
                let row: InvitationRow = sqlx::query_as(concat!(
                    "INSERT INTO invitations (org_id, email, role, manager_id, token_hash, created_by, created_at, ",
                    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
                    invitation_columns!()
                ))
                    .bind(org)
                    .bind(email.as_str())
                    .bind(role.as_str())
                    .bind(manager)
                    .bind(token_hash)
                    .bind(created_by)
                    .bind(now_millis())
                    .bind(expires_at)
                    .fetch_one(self.writer())
                    .await?;
                invitation_from(row)
            }

            #[tracing::instrument(skip_all)]
            async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<Invitation>> {
                let row: Option<InvitationRow> =
                    sqlx::query_as(concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE token_hash = $1")).bind(token_hash).fetch_optional(&self.pool).await?;
                row.map(invitation_from).transpose()
            }

            #[tracing::instrument(skip(self))]
            async fn invitations(&self, org: OrgId) -> Result<Vec<Invitation>> {
                let rows: Vec<InvitationRow> =
                    sqlx::query_as(concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE org_id = $1 ORDER BY id DESC")).bind(org).fetch_all(&self.pool).await?;
                rows.into_iter().map(invitation_from).collect()
            }

            #[tracing::instrument(skip(self, user))]
            async fn accept_invitation(&self, invitation: i64, user: &NewUser, now: Millis) -> Result<User> {
                let mut tx = self.begin_write().await?;
                let claimed: Option<(i64, String, Option<i64>)> = sqlx::query_as(
                    "UPDATE invitations SET accepted_at = $1 \
                     WHERE id = $2 AND accepted_at IS NULL AND expires_at > $1 RETURNING org_id, role, manager_id",
                )
                .bind(now)
                .bind(invitation)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((org, role, manager)) = claimed else {
                    return Err(StoreError::Gone(
                        "this invitation has already been used or has expired: ask your admin for a new link".to_owned(),
                    ));
                };
                let role = OrgRole::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let created = Self::insert_user(&mut tx, org, user, role, manager).await?;
                tx.commit().await?;
                Ok(created)
            }

            #[tracing::instrument(skip(self))]
            async fn save_role_context(&self, user: UserId, context: &RoleContext) -> Result<()> {
                sqlx::query(
                    "INSERT INTO role_contexts (user_id, role, level, stage, industry, technicality, team_maturity, \
                     ambiguity, data_driven, purpose, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(user)
                .bind(context.role.as_str())
                .bind(context.level.as_str())
                .bind(context.stage.as_str())
                .bind(context.industry.as_deref())
                .bind(context.technicality.as_str())
                .bind(context.team_maturity.as_str())
                .bind(context.ambiguity.as_str())
                .bind(context.data_driven.as_str())
                .bind(context.purpose.as_str())
                .bind(now_millis())
                .execute(self.writer())
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn role_context(&self, user: UserId) -> Result<Option<RoleContext>> {
                let row: Option<ContextRow> = sqlx::query_as(
                    "SELECT role, level, stage, industry, technicality, team_maturity, ambiguity, data_driven, \
                     purpose FROM role_contexts WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
                )
                .bind(user)
                .fetch_optional(&self.pool)
                .await?;
                row.map(context_from).transpose()
            }

            #[tracing::instrument(skip(self, cycle, context))]
            async fn open_cycle(&self, user: UserId, cycle: &Cycle, context: &RoleContext, now: Millis) -> Result<CycleId> {
                if cycle.state() != CycleState::Open {
                    return Err(StoreError::Conflict("a cycle is stored when it opens, not once it is closed".to_owned()));
                }
                let frozen = freeze_json(cycle, context)?;
                let one_open = || {
                    StoreError::Conflict(
                        "you already have an assessment open: close it before you start a new one".to_owned(),
                    )
                };
                let mut tx = self.begin_write().await?;
                let inserted = sqlx::query_as(
                    "INSERT INTO cycles (user_id, state, frozen, opened_at) VALUES ($1, 'open', $2, $3) RETURNING id",
                )
                .bind(user)
                .bind(&frozen)
                .bind(now)
                .fetch_one(&mut *tx)
                .await;
                // The partial unique index on open cycles decides, even between two servers.
                let (id,): (i64,) = match inserted {
                    Ok(row) => row,
                    Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Err(one_open()),
                    Err(error) => return Err(error.into()),
                };
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self))]
            async fn cycle(&self, id: CycleId) -> Result<StoredCycle> {
                let row: CycleRow = sqlx::query_as(concat!("SELECT ", cycle_columns!(), " FROM cycles WHERE id = $1"))
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await?;
                cycle_from(row)
            }

            #[tracing::instrument(skip(self))]
            async fn cycles(&self, user: UserId) -> Result<Vec<StoredCycle>> {
                let rows: Vec<CycleRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    cycle_columns!(),
                    " FROM cycles WHERE user_id = $1 ORDER BY opened_at, id"
                ))
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(cycle_from).collect()
            }

            #[tracing::instrument(skip(self))]
            async fn open_cycle_of(&self, user: UserId) -> Result<Option<StoredCycle>> {
                let row: Option<CycleRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    cycle_columns!(),
                    " FROM cycles WHERE user_id = $1 AND state = 'open'"
                ))
                .bind(user)
                .fetch_optional(&self.pool)
                .await?;
                row.map(cycle_from).transpose()
            }

            #[tracing::instrument(skip(self))]
            async fn close_cycle(&self, id: CycleId, now: Millis) -> Result<StoredCycle> {
                let mut tx = self.begin_write().await?;
                let row: Option<CycleRow> = sqlx::query_as(concat!(
                    "UPDATE cycles SET state = 'closed', closed_at = $1 WHERE id = $2 AND state = 'open' RETURNING ",
                    cycle_columns!()
                ))
                .bind(now)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    let exists: Option<(i64,)> =
                        sqlx::query_as("SELECT id FROM cycles WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                    return Err(match exists {
                        Some(_) => StoreError::Gone("this assessment cycle is already closed".to_owned()),
                        None => StoreError::NotFound,
                    });
                };
                tx.commit().await?;
                cycle_from(row)
            }

            #[tracing::instrument(skip(self, ratings))]
            async fn save_self_ratings(
                &self,
                cycle: CycleId,
                ratings: &BTreeMap<SkillId, SelfRating>,
                now: Millis,
            ) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let stored = Self::lock_open_cycle(&mut tx, cycle).await?;
                stored.cycle.check_self(ratings).map_err(|e| StoreError::Conflict(e.to_string()))?;
                for (skill, rating) in ratings {
                    let evidence = rating.evidence.as_deref().map(str::trim).filter(|e| !e.is_empty());
                    sqlx::query(
                        "INSERT INTO self_ratings (cycle_id, skill, level, evidence, updated_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cycle_id, skill) DO UPDATE SET \
                         level = excluded.level, evidence = excluded.evidence, updated_at = excluded.updated_at",
                    )
                    .bind(cycle)
                    .bind(skill.as_str())
                    .bind(i64::from(rating.level.get()))
                    .bind(evidence)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn self_ratings(&self, cycle: CycleId) -> Result<BTreeMap<SkillId, SelfRating>> {
                let mut tx = self.begin_write().await?;
                let ratings = Self::self_ratings_on(&mut tx, cycle).await?;
                tx.commit().await?;
                Ok(ratings)
            }

            #[tracing::instrument(skip(self, email, token_hash))]
            async fn create_rater_invite(
                &self,
                cycle: CycleId,
                group: Observer,
                email: Option<&Email>,
                token_hash: &str,
                expires_at: Millis,
                now: Millis,
            ) -> Result<RaterInvite> {
                let mut tx = self.begin_write().await?;
                Self::lock_open_cycle(&mut tx, cycle).await?;
                let inserted = sqlx::query_as(concat!(
                    "INSERT INTO rater_invites (cycle_id, rater_group, email, token_hash, created_at, expires_at) ",
                    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                    invite_columns!()
                ))
                .bind(cycle)
                .bind(group.as_str())
                .bind(email.map(Email::as_str))
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .fetch_one(&mut *tx)
                .await;
                let row: InviteRow = match inserted {
                    Ok(row) => row,
                    Err(sqlx::Error::Database(db)) if db.is_unique_violation() && db.message().contains("email") => {
                        return Err(StoreError::Conflict(
                            "that person is already invited to give feedback in this cycle".to_owned(),
                        ));
                    }
                    Err(error) => return Err(error.into()),
                };
                tx.commit().await?;
                invite_from(row)
            }

            #[tracing::instrument(skip_all)]
            async fn rater_invite_by_token(&self, token_hash: &str) -> Result<Option<(RaterInvite, StoredCycle)>> {
                let mut tx = self.begin_write().await?;
                let row: Option<InviteRow> =
                    sqlx::query_as(concat!("SELECT ", invite_columns!(), " FROM rater_invites WHERE token_hash = $1"))
                        .bind(token_hash)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let invite = invite_from(row)?;
                let cycle: CycleRow = sqlx::query_as(concat!("SELECT ", cycle_columns!(), " FROM cycles WHERE id = $1"))
                    .bind(invite.cycle_id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some((invite, cycle_from(cycle)?)))
            }

            #[tracing::instrument(skip(self))]
            async fn rater_invites(&self, cycle: CycleId) -> Result<Vec<InviteSummary>> {
                let rows: Vec<InviteRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    invite_columns!(),
                    " FROM rater_invites WHERE cycle_id = $1 ORDER BY created_at, id"
                ))
                .bind(cycle)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let invite = invite_from(row)?;
                        Ok(InviteSummary {
                            id: invite.id,
                            group: invite.group,
                            answered: invite.is_submitted(),
                            email: invite.email,
                            created_at: invite.created_at,
                            expires_at: invite.expires_at,
                            last_reminded_at: invite.last_reminded_at,
                        })
                    })
                    .collect()
            }

            #[tracing::instrument(skip(self, token_hash))]
            async fn renew_rater_link(&self, invite: RaterInviteId, token_hash: &str, now: Millis) -> Result<()> {
                let done = sqlx::query(
                    "UPDATE rater_invites SET token_hash = $1, last_reminded_at = $2 \
                     WHERE id = $3 AND answered_at IS NULL AND expires_at > $2 \
                     AND cycle_id IN (SELECT id FROM cycles WHERE state = 'open')",
                )
                .bind(token_hash)
                .bind(now)
                .bind(invite)
                .execute(self.writer())
                .await?;
                if done.rows_affected() == 1 {
                    Ok(())
                } else {
                    Err(StoreError::Gone(
                        "this rater has already answered, their link has expired, or the assessment is closed".to_owned(),
                    ))
                }
            }

            #[tracing::instrument(skip(self))]
            async fn mark_reminded(&self, invite: RaterInviteId, now: Millis) -> Result<()> {
                let done = sqlx::query("UPDATE rater_invites SET last_reminded_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(invite)
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip(self))]
            async fn claim_due_reminders(&self, now: Millis, every: Millis) -> Result<Vec<DueReminder>> {
                let mut tx = self.begin_write().await?;
                // On PostgreSQL a second, concurrent claim waits for the rows the
                // first locked, then re-checks them: they are no longer due.
                let claimed: Vec<(i64, i64, String, Option<String>, i64)> = sqlx::query_as(
                    "UPDATE rater_invites SET last_reminded_at = $1 \
                     WHERE answered_at IS NULL AND email IS NOT NULL AND expires_at > $1 \
                     AND COALESCE(last_reminded_at, created_at) < $2 \
                     AND cycle_id IN (SELECT id FROM cycles WHERE state = 'open') \
                     RETURNING id, cycle_id, rater_group, email, expires_at",
                )
                .bind(now)
                .bind(now.saturating_sub(every))
                .fetch_all(&mut *tx)
                .await?;
                let mut names: BTreeMap<CycleId, String> = BTreeMap::new();
                let mut due = Vec::with_capacity(claimed.len());
                for (invite_id, cycle_id, group, email, expires_at) in claimed {
                    if !names.contains_key(&cycle_id) {
                        let (name,): (String,) = sqlx::query_as(
                            "SELECT u.name FROM cycles c JOIN users u ON u.id = c.user_id WHERE c.id = $1",
                        )
                        .bind(cycle_id)
                        .fetch_one(&mut *tx)
                        .await?;
                        names.insert(cycle_id, name);
                    }
                    due.push(DueReminder {
                        invite_id,
                        cycle_id,
                        group: Observer::parse(&group).map_err(corrupt)?,
                        email: Email::parse(email.as_deref().unwrap_or_default()).map_err(corrupt)?,
                        expires_at,
                        subject_name: names.get(&cycle_id).cloned().unwrap_or_default(),
                    });
                }
                tx.commit().await?;
                due.sort_by_key(|reminder| reminder.invite_id);
                Ok(due)
            }

            #[tracing::instrument(skip(self))]
            async fn rater_draft(&self, invite: RaterInviteId) -> Result<RaterDraft> {
                let mut tx = self.begin_write().await?;
                let draft = Self::draft_on(&mut tx, invite).await?;
                tx.commit().await?;
                Ok(draft)
            }

            #[tracing::instrument(skip(self, draft))]
            async fn save_rater_draft(&self, invite: RaterInviteId, draft: &RaterDraft, now: Millis) -> Result<()> {
                self.save_draft(invite, draft, now, false).await
            }

            #[tracing::instrument(skip(self, draft))]
            async fn submit_rater_draft(&self, invite: RaterInviteId, draft: &RaterDraft, now: Millis) -> Result<()> {
                self.save_draft(invite, draft, now, true).await
            }

            #[tracing::instrument(skip(self))]
            async fn cycle_answers(&self, cycle: CycleId) -> Result<CycleAnswers> {
                let mut tx = self.begin_write().await?;
                let row: CycleRow = sqlx::query_as(concat!("SELECT ", cycle_columns!(), " FROM cycles WHERE id = $1"))
                    .bind(cycle)
                    .fetch_one(&mut *tx)
                    .await?;
                let stored = cycle_from(row)?;
                let self_ratings = Self::self_ratings_on(&mut tx, cycle).await?;
                let submitted: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT id, rater_group FROM rater_invites WHERE cycle_id = $1 AND answered_at IS NOT NULL ORDER BY id",
                )
                .bind(cycle)
                .fetch_all(&mut *tx)
                .await?;
                let mut responses = Vec::with_capacity(submitted.len());
                for (invite, group) in submitted {
                    let draft = Self::draft_on(&mut tx, invite).await?;
                    responses.push(RaterResponse {
                        rater: rater_key(invite)?,
                        group: Observer::parse(&group).map_err(corrupt)?,
                        answers: draft.answers,
                        comments: draft.comments,
                    });
                }
                tx.commit().await?;
                Ok(CycleAnswers { cycle: stored, self_ratings, responses })
            }

            #[tracing::instrument(skip(self))]
            #[tracing::instrument(skip(self))]
            async fn set_cycle_shared(&self, cycle: CycleId, shared: bool) -> Result<()> {
                let state: Option<(String,)> =
                    sqlx::query_as("UPDATE cycles SET shared_with_manager = $1 WHERE id = $2 AND state = 'closed' RETURNING state")
                        .bind(shared)
                        .bind(cycle)
                        .fetch_optional(self.writer())
                        .await?;
                if state.is_some() {
                    return Ok(());
                }
                let exists: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM cycles WHERE id = $1").bind(cycle).fetch_optional(&self.pool).await?;
                Err(match exists {
                    Some(_) => StoreError::Conflict("an open assessment cycle has no results to share yet".to_owned()),
                    None => StoreError::NotFound,
                })
            }

            #[tracing::instrument(skip(self))]
            async fn shared_cycles(&self, user: UserId) -> Result<Vec<CycleId>> {
                let rows: Vec<(i64,)> = sqlx::query_as(
                    "SELECT id FROM cycles WHERE user_id = $1 AND state = 'closed' AND shared_with_manager \
                     ORDER BY opened_at, id",
                )
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(id,)| id).collect())
            }

            async fn completion(&self, org: OrgId) -> Result<Vec<CycleCompletion>> {
                let rows: Vec<(i64, i64, String, String, i64, Option<i64>, i64, i64)> = sqlx::query_as(
                    "SELECT c.id, c.user_id, u.name, c.state, c.opened_at, c.closed_at, \
                     (SELECT COUNT(*) FROM rater_invites i WHERE i.cycle_id = c.id), \
                     (SELECT COUNT(*) FROM rater_invites i WHERE i.cycle_id = c.id AND i.answered_at IS NOT NULL) \
                     FROM cycles c JOIN users u ON u.id = c.user_id JOIN memberships m ON m.user_id = c.user_id \
                     WHERE m.org_id = $1 ORDER BY c.opened_at, c.id",
                )
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(cycle_id, user_id, user_name, state, opened_at, closed_at, invited, answered)| {
                        Ok(CycleCompletion {
                            cycle_id,
                            user_id,
                            user_name,
                            state: CycleState::parse(&state).map_err(corrupt)?,
                            opened_at,
                            closed_at,
                            invited,
                            answered,
                        })
                    })
                    .collect()
            }
        }
    };
}

backend!(SqliteStore, sqlx::Sqlite, "sqlite");
backend!(PgStore, sqlx::Postgres, "postgres");

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_writes_queue_on_one_connection_and_every_page_cache_is_bounded() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = SqliteStore::open(&dir.path().join("pmcoach.db")).await.expect("open");
        assert_eq!(store.writer().options().get_max_connections(), 1);
        for pool in [&store.pool, store.writer()] {
            let (cache,): (i64,) = sqlx::query_as("PRAGMA cache_size").fetch_one(pool).await.expect("pragma");
            assert_eq!(cache, -1024, "a connection's page cache, in KiB (negative)");
        }
    }
}
