//! The yardstick for `bench/load.sh`: the smallest honest web page — axum,
//! one 32-row SQLite query, a formatted HTML table — and a plain "hello".
//! pmcoach's pages are reported as a ratio to it, so that the figures say
//! how much pmcoach costs over the floor on the same machine and run.
//! Given a PostgreSQL database, `/pg` is the same page with its query sent
//! to PostgreSQL: the floor of a page that makes one round trip to a
//! database server sharing the machine, as pmcoach's pages on PostgreSQL do.
//!
//! `cargo run --release -p pmcoach-web --example yardstick -- 127.0.0.1:8181 [postgres://…]`

use std::fmt::Write as _;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr: SocketAddr = std::env::args().nth(1).as_deref().unwrap_or("127.0.0.1:8181").parse()?;
    let dir = tempfile::tempdir()?;
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("yardstick.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::query("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, weight REAL NOT NULL)")
        .execute(&pool)
        .await?;
    for n in 1..=32_i64 {
        sqlx::query("INSERT INTO items (name, weight) VALUES ($1, $2)")
            .bind(format!("Skill number {n}"))
            .bind(n as f64 / 32.0)
            .execute(&pool)
            .await?;
    }
    let mut app = Router::new().route("/", get(table)).route("/hello", get(|| async { "hello" })).with_state(pool);
    if let Some(url) = std::env::args().nth(2) {
        // The pool size pmcoach uses on PostgreSQL.
        let pg = PgPoolOptions::new().max_connections(16).connect(&url).await?;
        sqlx::query("DROP TABLE IF EXISTS yardstick_items").execute(&pg).await?;
        sqlx::query("CREATE TABLE yardstick_items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL)")
            .execute(&pg)
            .await?;
        sqlx::query(
            "INSERT INTO yardstick_items SELECT n, 'Skill number ' || n, n / 32.0 FROM generate_series(1, 32) n",
        )
        .execute(&pg)
        .await?;
        app = app.merge(Router::new().route("/pg", get(pg_table)).with_state(pg));
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The benchmark script waits for this line's address to answer.
    #[allow(clippy::print_stdout)]
    {
        println!("yardstick listening on http://{}", listener.local_addr()?);
    }
    axum::serve(listener, app).await?;
    Ok(())
}

async fn table(State(pool): State<SqlitePool>) -> Result<Html<String>, String> {
    let rows: Vec<(i64, String, f64)> = sqlx::query_as("SELECT id, name, weight FROM items ORDER BY id LIMIT 32")
        .fetch_all(&pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Html(format_table(rows)))
}

async fn pg_table(State(pool): State<PgPool>) -> Result<Html<String>, String> {
    let rows: Vec<(i64, String, f64)> =
        sqlx::query_as("SELECT id, name, weight FROM yardstick_items ORDER BY id LIMIT 32")
            .fetch_all(&pool)
            .await
            .map_err(|e| e.to_string())?;
    Ok(Html(format_table(rows)))
}

fn format_table(rows: Vec<(i64, String, f64)>) -> String {
    let mut page =
        String::from("<!doctype html><title>Yardstick</title><table><tr><th>#</th><th>Name</th><th>Weight</th></tr>");
    for (id, name, weight) in rows {
        let _ = write!(page, "<tr><td>{id}</td><td>{name}</td><td>{weight:.3}</td></tr>");
    }
    page.push_str("</table>");
    page
}
