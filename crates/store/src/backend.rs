//! The two backends. Their SQL is written once, in the `backend!` macro
//! below, and compiled for each database's own typed pool: `$1`
//! placeholders, `RETURNING`, `ON CONFLICT` and BIGINT ids and times are
//! accepted by both SQLite and PostgreSQL.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Purpose, Role, RoleContext};
use pmcoach_core::ids::Email;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::migrate::{self, Migration};
use crate::model::*;
use crate::{Result, Store, StoreError};

/// The embedded store: one SQLite file in WAL mode.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

/// The shared store: PostgreSQL, for several app servers behind a balancer.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl SqliteStore {
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
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|error| StoreError::Unavailable(format!("cannot open {}: {error}", path.display())))?;
        let store = SqliteStore { pool };
        store.migrate(migrate::SQLITE, None).await?;
        Ok(store)
    }
}

impl PgStore {
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

type UserRow = (i64, String, String, i64, String, Option<i64>);
/// `SELECT` of a [`UserRow`] followed by the given clause, as one static
/// string (sqlx only runs SQL it can see is not built from input).
macro_rules! select_user {
    ($clause:literal) => {
        concat!(
            "SELECT u.id, u.email, u.name, m.org_id, m.role, m.manager_id ",
            "FROM users u JOIN memberships m ON m.user_id = u.id ",
            $clause
        )
    };
}

fn user_from(row: UserRow) -> Result<User> {
    let (id, email, name, org_id, role, manager_id) = row;
    Ok(User {
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

macro_rules! backend {
    ($store:ident, $db:ty, $name:literal) => {
        impl $store {
            async fn migrate(&self, migrations: &'static [Migration], lock: Option<&'static str>) -> Result<()> {
                let fail = |error: sqlx::Error| StoreError::Migration(error.to_string());
                let mut tx = self.pool.begin().await.map_err(fail)?;
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
                let mut tx = self.pool.begin().await?;
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
                let mut tx = self.pool.begin().await?;
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
                let mut tx = self.pool.begin().await?;
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
                let mut tx = self.pool.begin().await?;
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
                let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            #[tracing::instrument(skip_all)]
            async fn session_create(&self, record: &SessionRecord) -> Result<()> {
                sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)")
                    .bind(&record.id)
                    .bind(&record.data)
                    .bind(record.expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn session_save(&self, record: &SessionRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                )
                .bind(&record.id)
                .bind(&record.data)
                .bind(record.expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn session_load(&self, id: &str, now: Millis) -> Result<Option<SessionRecord>> {
                let row: Option<(String, String, i64)> =
                    sqlx::query_as("SELECT id, data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                        .bind(id)
                        .bind(now)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(id, data, expires_at)| SessionRecord { id, data, expires_at }))
            }

            #[tracing::instrument(skip_all)]
            async fn session_delete(&self, id: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
                Ok(())
            }

            #[tracing::instrument(skip(self))]
            async fn sessions_purge(&self, now: Millis) -> Result<u64> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
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
                .fetch_one(&self.pool)
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
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            #[tracing::instrument(skip_all)]
            async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
                let owner: Option<(i64,)> = sqlx::query_as(
                    "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
                     RETURNING user_id",
                )
                .bind(now_millis())
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                match owner {
                    Some((id,)) => Ok(Some(self.user(id).await?)),
                    None => Ok(None),
                }
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
                    .fetch_one(&self.pool)
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
                let mut tx = self.pool.begin().await?;
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
                .execute(&self.pool)
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
        }
    };
}

backend!(SqliteStore, sqlx::Sqlite, "sqlite");
backend!(PgStore, sqlx::Postgres, "postgres");
