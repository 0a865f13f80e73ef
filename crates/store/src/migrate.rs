//! A small migration runner: numbered SQL files embedded per backend,
//! applied in order inside a transaction each, recorded in
//! `schema_migrations`. (sqlx's own `migrate!` needs its proc-macro crates,
//! which cost more build time on two cores than these forty lines.)

/// (version, name, SQL) of each migration, per backend.
pub type Migration = (i64, &'static str, &'static str);

pub const SQLITE: &[Migration] = &[
    (1, "accounts", include_str!("../migrations/sqlite/0001_accounts.sql")),
    (2, "context_purpose", include_str!("../migrations/sqlite/0002_context_purpose.sql")),
    (3, "assessments", include_str!("../migrations/sqlite/0003_assessments.sql")),
    (4, "results_sharing", include_str!("../migrations/sqlite/0004_results_sharing.sql")),
    (5, "growth", include_str!("../migrations/sqlite/0005_growth.sql")),
    (6, "stakeholders", include_str!("../migrations/sqlite/0006_stakeholders.sql")),
    (7, "notifications", include_str!("../migrations/sqlite/0007_notifications.sql")),
    (8, "scenarios", include_str!("../migrations/sqlite/0008_scenarios.sql")),
    (9, "session_epoch", include_str!("../migrations/sqlite/0009_session_epoch.sql")),
];
pub const POSTGRES: &[Migration] = &[
    (1, "accounts", include_str!("../migrations/postgres/0001_accounts.sql")),
    (2, "context_purpose", include_str!("../migrations/postgres/0002_context_purpose.sql")),
    (3, "assessments", include_str!("../migrations/postgres/0003_assessments.sql")),
    (4, "results_sharing", include_str!("../migrations/postgres/0004_results_sharing.sql")),
    (5, "growth", include_str!("../migrations/postgres/0005_growth.sql")),
    (6, "stakeholders", include_str!("../migrations/postgres/0006_stakeholders.sql")),
    (7, "notifications", include_str!("../migrations/postgres/0007_notifications.sql")),
    (8, "scenarios", include_str!("../migrations/postgres/0008_scenarios.sql")),
    (9, "session_epoch", include_str!("../migrations/postgres/0009_session_epoch.sql")),
];

pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// Splits a migration file into statements. Our migrations keep one
/// statement per `;`-terminated block and no `;` inside strings.
pub fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';').map(str::trim).filter(|statement| {
        statement.lines().any(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with("--")
        })
    })
}
