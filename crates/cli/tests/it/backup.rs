//! `pmcoach backup` and `pmcoach restore`, run as the real binary against
//! real databases: a round trip SQLite → file → PostgreSQL → file → SQLite
//! of the demo organisation, a backup taken while a writer keeps writing,
//! and every kind of bad input refused with exit 2 and nothing changed.
//! The PostgreSQL parts run when `PMCOACH_TEST_PG_URL` is set.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pmcoach_store::Store;
use pmcoach_store::stakeholders::{NewMeeting, StakeholderProfile};
use serde_json::Value;
use sqlx::Connection;

use crate::{pmcoach, stderr, stdout};

/// The PostgreSQL server of `PMCOACH_TEST_PG_URL`, or None (the PG parts are skipped).
#[allow(clippy::print_stderr)] // says why a part did not run
pub fn pg_server() -> Option<String> {
    let url = std::env::var("PMCOACH_TEST_PG_URL").ok();
    if url.is_none() {
        eprintln!("PMCOACH_TEST_PG_URL is not set: the PostgreSQL part is skipped");
    }
    url
}

/// Creates a uniquely named database on the server of `url`; returns its URL.
pub async fn fresh_pg_database(url: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "pmcoach_test_cli_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        pmcoach_store::now_millis()
    );
    let mut admin = sqlx::PgConnection::connect(url).await.expect("connect to the PostgreSQL server");
    // The name is ours (pid, counter, clock), not input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create");
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

/// A SQLite store in `dir` holding the demo organisation.
async fn demo_sqlite(dir: &Path) -> Arc<dyn Store> {
    std::fs::create_dir_all(dir).expect("data dir");
    let store = pmcoach_store::open(&dir.join("pmcoach.db").display().to_string()).await.expect("open");
    pmcoach_web::demo::seed(store.as_ref()).await.expect("seed").expect("an empty store gets the demo");
    store
}

fn run_ok(args: &[&str]) -> String {
    let output = pmcoach(args);
    assert!(output.status.success(), "pmcoach {args:?} failed: {}", stderr(&output));
    stdout(&output)
}

/// Runs a command that must be refused: exit 2, and the message on stderr.
fn run_refused(args: &[&str]) -> String {
    let output = pmcoach(args);
    assert_eq!(output.status.code(), Some(2), "pmcoach {args:?}: {}{}", stdout(&output), stderr(&output));
    stderr(&output)
}

/// A backup file's tables: columns and rows, rows sorted. Numbers compare
/// as numbers (PostgreSQL writes the double 1.0 as 1, SQLite as 1.0).
type Tables = BTreeMap<String, (Vec<String>, Vec<Vec<Value>>)>;

fn read_backup(path: &Path) -> Tables {
    let text = std::fs::read_to_string(path).expect("read backup");
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("header")).expect("header JSON");
    assert_eq!(header["format"], "pmcoach-backup");
    let mut tables = Tables::new();
    let mut current = String::new();
    for line in lines {
        let value: Value = serde_json::from_str(line).expect("JSON line");
        match value {
            Value::Array(row) => {
                let row = row.into_iter().map(|v| v.as_f64().map_or(v, Value::from)).collect();
                tables.get_mut(&current).expect("a table line first").1.push(row);
            }
            Value::Object(object) if object.contains_key("table") => {
                current = object["table"].as_str().expect("name").to_owned();
                let columns = serde_json::from_value(object["columns"].clone()).expect("columns");
                tables.insert(current.clone(), (columns, Vec::new()));
            }
            _ => {}
        }
    }
    for (_, rows) in tables.values_mut() {
        rows.sort_by_key(|row| serde_json::to_string(row).expect("row"));
    }
    tables
}

/// Every table of a SQLite database but the bookkeeping (migrations applied, the
/// data version: not data, and each database keeps its own), with its row count,
/// read from the catalog without the backup code.
async fn sqlite_counts(db: &Path) -> BTreeMap<String, i64> {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.expect("open");
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' \
         AND name NOT IN ('schema_migrations', 'data_version')",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut counts = BTreeMap::new();
    for (name,) in names {
        // The name comes from the catalog.
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{name}\"")))
            .fetch_one(&mut conn)
            .await
            .expect("count");
        counts.insert(name, n);
    }
    counts
}

async fn pg_counts(url: &str) -> BTreeMap<String, i64> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'data_version')",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut counts = BTreeMap::new();
    for (name,) in names {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{name}\"")))
            .fetch_one(&mut conn)
            .await
            .expect("count");
        counts.insert(name, n);
    }
    counts
}

fn file_counts(tables: &Tables) -> BTreeMap<String, i64> {
    tables.iter().map(|(name, (_, rows))| (name.clone(), rows.len() as i64)).collect()
}

async fn integrity_ok(db: &Path) {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.expect("open");
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut conn).await.expect("check");
    assert_eq!(check, "ok");
    let broken: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut conn).await.expect("fk");
    assert!(broken.is_empty(), "rows refer to missing rows in {broken:?}");
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_organisation_round_trips_sqlite_postgres_sqlite() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let store_a = demo_sqlite(&a).await;
    let org = store_a.first_organisation().await.expect("query").expect("org");
    let members_a = store_a.members(org.id).await.expect("members");
    drop(store_a);

    let first = tmp.path().join("first.pmcoach-backup");
    let out = run_ok(&["backup", &arg(&first), "--data-dir", &arg(&a)]);
    assert!(out.starts_with("backed up "), "{out}");
    let tables = read_backup(&first);
    // Every table of the catalog is in the file with all its rows.
    assert_eq!(file_counts(&tables), sqlite_counts(&a.join("pmcoach.db")).await);
    assert!(tables["users"].1.len() >= 6 && !tables["stakeholders"].1.is_empty(), "the demo data is in it");

    // From SQLite through PostgreSQL (when configured) back to SQLite.
    let second = tmp.path().join("second.pmcoach-backup");
    let middle = match pg_server() {
        Some(server) => {
            let pg = fresh_pg_database(&server).await;
            let out = run_ok(&["restore", &arg(&first), "--database-url", &pg]);
            assert!(out.contains("a sqlite backup"), "{out}");
            assert_eq!(pg_counts(&pg).await, file_counts(&tables));
            run_ok(&["backup", &arg(&second), "--database-url", &pg]);
            // The restored PostgreSQL database works: same people, and new
            // rows get ids after the restored ones.
            let store = pmcoach_store::open(&pg).await.expect("open pg");
            assert_eq!(store.members(org.id).await.expect("members"), members_a);
            let created = store.create_stakeholder(members_a[0].id, &profile("After restore"), 1).await;
            let max = tables["stakeholders"].1.iter().filter_map(|row| row[0].as_f64()).fold(0.0, f64::max);
            assert!(created.expect("insert after restore").id as f64 > max);
            second
        }
        None => first.clone(),
    };
    let out = run_ok(&["restore", &arg(&middle), "--data-dir", &arg(&b)]);
    assert!(out.starts_with("restored "), "{out}");
    integrity_ok(&b.join("pmcoach.db")).await;
    let third = tmp.path().join("third.pmcoach-backup");
    run_ok(&["backup", &arg(&third), "--data-dir", &arg(&b)]);

    // Every table's rows are the same at each step.
    if middle != first {
        assert_eq!(read_backup(&middle), tables, "SQLite → PostgreSQL changed rows");
    }
    assert_eq!(read_backup(&third), tables, "the round trip changed rows");
    let store_b = pmcoach_store::open(&arg(&b.join("pmcoach.db"))).await.expect("open b");
    assert_eq!(store_b.members(org.id).await.expect("members"), members_a);
}

fn profile(name: &str) -> StakeholderProfile {
    StakeholderProfile {
        name: name.to_owned(),
        function_id: "engineering".to_owned(),
        title: None,
        goals: String::new(),
        pressures: String::new(),
        needs: String::new(),
        channel: String::new(),
        style: String::new(),
        influence: 3,
        interest: 3,
        health: 3,
        cadence_days: None,
        last_met_at: None,
    }
}

/// Keeps adding a stakeholder and then, in a second transaction, a meeting
/// with them, until `stop`: a backup that read the stakeholders table and
/// later the meetings table outside one snapshot would hold meetings whose
/// stakeholder it lacks, and its restore would fail.
async fn keep_writing(store: Arc<dyn Store>, owner: i64, stop: Arc<AtomicBool>) -> usize {
    let mut written = 0;
    while !stop.load(Ordering::Relaxed) {
        let name = format!("Writer {written}");
        let created = store.create_stakeholder(owner, &profile(&name), 1).await.expect("create");
        let meeting = NewMeeting { met_at: 0, notes: name, decisions: String::new(), follow_ups: String::new() };
        store.log_meeting(owner, created.id, &meeting, 2).await.expect("meeting");
        written += 1;
    }
    written
}

async fn backups_while_writing(store: Arc<dyn Store>, source: &[&str], tmp: &Path) {
    let org = store.first_organisation().await.expect("query").expect("org");
    let owner = store.members(org.id).await.expect("members")[0].id;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn(keep_writing(store.clone(), owner, stop.clone()));
    let mut files = Vec::new();
    for i in 0..3 {
        let file = tmp.join(format!("live-{i}.pmcoach-backup"));
        let mut args = vec!["backup".to_owned(), arg(&file)];
        args.extend(source.iter().map(|s| (*s).to_owned()));
        let output = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            pmcoach(&args)
        })
        .await
        .expect("join");
        assert!(output.status.success(), "{}", stderr(&output));
        files.push(file);
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.expect("writer");
    assert!(written > 0, "the writer wrote while the backups ran");
    for (i, file) in files.iter().enumerate() {
        let target = tmp.join(format!("restored-{i}"));
        run_ok(&["restore", &arg(file), "--data-dir", &arg(&target)]);
        integrity_ok(&target.join("pmcoach.db")).await;
        // One snapshot: every meeting's stakeholder is in the file, and every
        // writer's stakeholder has its meeting but perhaps the last (the
        // snapshot fell between its two transactions).
        let tables = read_backup(file);
        let column = |table: &str, name: &str| tables[table].0.iter().position(|c| c == name).expect("column");
        let ids: BTreeSet<String> =
            tables["stakeholders"].1.iter().map(|row| row[column("stakeholders", "id")].to_string()).collect();
        for meeting in &tables["meetings"].1 {
            assert!(ids.contains(&meeting[column("meetings", "stakeholder_id")].to_string()), "{file:?}: {meeting:?}");
        }
        let writer_rows = |table: &str, name: &str| {
            tables[table]
                .1
                .iter()
                .filter(|row| row[column(table, name)].as_str().is_some_and(|n| n.starts_with("Writer ")))
                .count()
        };
        let (people, meetings) = (writer_rows("stakeholders", "name"), writer_rows("meetings", "notes"));
        assert!(people == meetings || people == meetings + 1, "{file:?}: {people} stakeholders, {meetings} meetings");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_a_writer_writes_restores_whole_sqlite() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let store = demo_sqlite(&a).await;
    backups_while_writing(store, &["--data-dir", &arg(&a)], tmp.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_a_writer_writes_restores_whole_postgres() {
    let Some(server) = pg_server() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let url = fresh_pg_database(&server).await;
    let store = pmcoach_store::open(&url).await.expect("open");
    pmcoach_web::demo::seed(store.as_ref()).await.expect("seed");
    backups_while_writing(store, &["--database-url", &url], tmp.path()).await;
}

/// A good backup to spoil, and a target folder that must stay untouched.
struct Spoilt {
    tmp: tempfile::TempDir,
    good: String,
}

impl Spoilt {
    async fn new() -> Spoilt {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = tmp.path().join("a");
        drop(demo_sqlite(&a).await);
        let good = std::fs::read_to_string({
            let file = tmp.path().join("good.pmcoach-backup");
            run_ok(&["backup", &arg(&file), "--data-dir", &arg(&a)]);
            file
        })
        .expect("read");
        Spoilt { tmp, good }
    }

    /// Restores `text` into a new folder: refused, and the folder never made.
    fn refused(&self, name: &str, text: &str) -> String {
        let file = self.tmp.path().join(name);
        std::fs::write(&file, text).expect("write");
        let target = self.tmp.path().join(format!("target-{name}"));
        let message = run_refused(&["restore", &arg(&file), "--data-dir", &arg(&target)]);
        assert!(!target.exists(), "a refused restore created {target:?}");
        message
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_backup_files_are_refused_with_a_clear_message_and_nothing_changed() {
    let spoilt = Spoilt::new().await;
    let lines: Vec<&str> = spoilt.good.lines().collect();

    let missing = spoilt.tmp.path().join("no-such.pmcoach-backup");
    let message = run_refused(&["restore", &arg(&missing), "--data-dir", &arg(&spoilt.tmp.path().join("t0"))]);
    assert!(message.contains("cannot open the backup file") && message.contains("no-such"), "{message}");
    assert!(!spoilt.tmp.path().join("t0").exists());

    // Cut in the middle of a line, and cut at a line break before the trailer.
    let message = spoilt.refused("cut-mid-line", &spoilt.good[..spoilt.good.len() / 2]);
    assert!(message.contains("truncated"), "{message}");
    let message = spoilt.refused("cut-at-line", &(lines[..lines.len() / 2].join("\n") + "\n"));
    assert!(message.contains("truncated") || message.contains("missing"), "{message}");
    let message = spoilt.refused("no-trailer", &(lines[..lines.len() - 1].join("\n") + "\n"));
    assert!(message.contains("truncated"), "{message}");

    // A file from a newer pmcoach: a later schema, or a later file format.
    let header: Value = serde_json::from_str(lines[0]).expect("header");
    let schema = header["schema"].as_i64().expect("schema");
    let newer_schema = spoilt.good.replacen(&format!("\"schema\":{schema},"), "\"schema\":9999,", 1);
    let message = spoilt.refused("newer-schema", &newer_schema);
    assert!(message.contains("newer pmcoach") && message.contains("9999"), "{message}");
    let newer_format = spoilt.good.replacen("\"version\":1,", "\"version\":2,", 1);
    let message = spoilt.refused("newer-format", &newer_format);
    assert!(message.contains("newer pmcoach") && message.contains("format 2"), "{message}");

    // Not a backup at all; an empty file; a row with a value too few.
    let message = spoilt.refused("not-a-backup", "id,name\n1,Ada\n");
    assert!(message.contains("not a pmcoach backup"), "{message}");
    let message = spoilt.refused("empty", "");
    assert!(message.contains("empty"), "{message}");
    let short_row = lines.iter().position(|l| l.starts_with('[')).expect("a row");
    let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    changed[short_row] = "[1]".to_owned();
    let message = spoilt.refused("short-row", &(changed.join("\n") + "\n"));
    assert!(message.contains(&format!("line {}", short_row + 1)) && message.contains("values for"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_into_a_database_that_has_data_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    drop(demo_sqlite(&a).await);
    let file = tmp.path().join("a.pmcoach-backup");
    run_ok(&["backup", &arg(&file), "--data-dir", &arg(&a)]);
    let before = sqlite_counts(&a.join("pmcoach.db")).await;

    let message = run_refused(&["restore", &arg(&file), "--data-dir", &arg(&a)]);
    assert!(message.contains("not empty") && message.contains("users: 6 rows"), "{message}");
    assert_eq!(sqlite_counts(&a.join("pmcoach.db")).await, before);

    // A backup never overwrites a file.
    let message = run_refused(&["backup", &arg(&file), "--data-dir", &arg(&a)]);
    assert!(message.contains("already exists"), "{message}");
    // Nor backs up a folder with no database in it.
    let empty = tmp.path().join("empty");
    let message = run_refused(&["backup", &arg(&tmp.path().join("x")), "--data-dir", &arg(&empty)]);
    assert!(message.contains("no pmcoach database"), "{message}");
    assert!(!empty.exists());

    if let Some(server) = pg_server() {
        let pg = fresh_pg_database(&server).await;
        run_ok(&["restore", &arg(&file), "--database-url", &pg]);
        let before = pg_counts(&pg).await;
        let message = run_refused(&["restore", &arg(&file), "--database-url", &pg]);
        assert!(message.contains("not empty"), "{message}");
        assert_eq!(pg_counts(&pg).await, before);
    }
}

/// The set of tables a backup holds is the set the schema has: a table
/// added by a later migration is backed up without naming it anywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_holds_every_table_of_the_schema() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    drop(demo_sqlite(&a).await);
    let file = tmp.path().join("a.pmcoach-backup");
    run_ok(&["backup", &arg(&file), "--data-dir", &arg(&a)]);
    let in_file: BTreeSet<String> = read_backup(&file).into_keys().collect();
    let in_catalog: BTreeSet<String> = sqlite_counts(&a.join("pmcoach.db")).await.into_keys().collect();
    assert_eq!(in_file, in_catalog);
    assert!(in_file.contains("scenario_attempts") && in_file.contains("meetings"), "{in_file:?}");
}
