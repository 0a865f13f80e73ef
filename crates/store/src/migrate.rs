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
    (10, "data_version", include_str!("../migrations/sqlite/0010_data_version.sql")),
    (11, "aggregation_indexes", include_str!("../migrations/sqlite/0011_aggregation_indexes.sql")),
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
    (10, "data_version", include_str!("../migrations/postgres/0010_data_version.sql")),
    (11, "aggregation_indexes", include_str!("../migrations/postgres/0011_aggregation_indexes.sql")),
];

pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// Splits a migration file into statements. Our migrations end each
/// statement with a `;` at the end of a line; a `;` inside a line (a
/// trigger's body) belongs to its statement.
pub fn statements(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut at) = (0, 0);
    for line in sql.split_inclusive('\n') {
        at += line.len();
        let line = line.trim();
        if line.ends_with(';') && !line.starts_with("--") {
            out.push(&sql[start..at]);
            start = at;
        }
    }
    out.push(&sql[start..]);
    out.into_iter()
        .map(|statement| statement.trim().trim_end_matches(';'))
        .filter(|statement| {
            statement.lines().any(|line| {
                let line = line.trim();
                !line.is_empty() && !line.starts_with("--")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables whose writes are not data a page shows (see migration 0010).
    const UNVERSIONED: &[&str] = &["sessions", "data_version"];

    fn tables(migrations: &[Migration]) -> Vec<String> {
        let mut out = Vec::new();
        for (_, _, sql) in migrations {
            for statement in statements(sql) {
                let words: Vec<&str> = statement.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                if let Some(at) = words.windows(2).position(|pair| pair == ["CREATE", "TABLE"]) {
                    let name = words[at + 2].trim_end_matches('(');
                    if !UNVERSIONED.contains(&name) {
                        out.push(name.to_owned());
                    }
                }
            }
        }
        out
    }

    fn triggered(migrations: &[Migration], table: &str, event: &str) -> bool {
        migrations.iter().flat_map(|(_, _, sql)| statements(sql)).any(|statement| {
            statement.starts_with("CREATE TRIGGER")
                && statement.contains(&format!(" ON {table} "))
                && statement.contains(event)
                && statement.contains("version")
        })
    }

    #[test]
    fn every_table_moves_the_data_version() {
        for (backend, migrations) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let tables = tables(migrations);
            assert!(tables.len() >= 21, "{backend}: found only {tables:?}");
            for table in &tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    assert!(
                        triggered(migrations, table, event),
                        "{backend}: a write ({event}) to {table} would not move the data version; add its trigger"
                    );
                }
            }
        }
    }

    #[test]
    fn a_semicolon_inside_a_line_stays_in_its_statement() {
        let sql = "-- a comment;\nCREATE TABLE a (x INT);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET y = 1; END;\n";
        assert_eq!(
            statements(sql),
            [
                "-- a comment;\nCREATE TABLE a (x INT)",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET y = 1; END"
            ]
        );
    }
}
