//! The storage "story" tests: the same stories run against SQLite always and
//! against PostgreSQL when `PMCOACH_TEST_PG_URL` is set (CI sets it), each
//! on a fresh database.

mod assessments;
mod growth;
mod notifications;
mod org;
mod scenarios;
mod stakeholders;
mod stories;

use std::sync::Arc;

use pmcoach_store::{PgStore, SqliteStore, Store};

/// A store on a fresh SQLite file; the temp dir lives as long as the store.
pub async fn sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("pmcoach.db")).await.expect("open sqlite");
    (Arc::new(store), dir)
}

/// A store on a fresh PostgreSQL database, or None when no server is configured.
pub async fn postgres() -> Option<Arc<dyn Store>> {
    let url = std::env::var("PMCOACH_TEST_PG_URL").ok()?;
    Some(Arc::new(PgStore::connect(&fresh_pg_database(&url).await).await.expect("connect postgres")))
}

/// Creates a uniquely named database on the server of `url` and returns its URL.
pub async fn fresh_pg_database(url: &str) -> String {
    use sqlx::Connection;
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "pmcoach_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        pmcoach_store::now_millis()
    );
    let mut admin = sqlx::PgConnection::connect(url).await.expect("connect to the PostgreSQL server");
    // The name is ours (pid, counter, clock), not input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

/// Runs one story on SQLite, then on PostgreSQL when configured.
#[macro_export]
macro_rules! story {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (store, _dir) = $crate::sqlite().await;
                super::$name(store).await;
            }

            #[tokio::test]
            async fn postgres() {
                match $crate::postgres().await {
                    Some(store) => super::$name(store).await,
                    None => eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL story skipped"),
                }
            }
        }
    };
}
