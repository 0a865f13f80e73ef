//! Backup and restore (issue 8): one portable file format for both backends,
//! so a backup taken from PostgreSQL restores into SQLite and the other way
//! round.
//!
//! The format is JSON lines:
//!
//! ```text
//! {"format":"pmcoach-backup","version":1,"schema":9,"backend":"sqlite",…}   header
//! {"table":"organisations","columns":["id","name",…],"rows":1}             one per table
//! [1,"Northwind Labs",…]                                                    its rows, in column order
//! {"end":{"tables":27,"rows":1234}}                                         trailer
//! ```
//!
//! Tables are read from the database's own catalog, parents before children
//! (by their foreign keys, in creation order otherwise), so tables added by
//! later migrations are backed up without touching this file. Ids are copied,
//! so references stay valid. Booleans are written as 0/1 on both backends.
//! The backup reads one snapshot (a read transaction in SQLite's WAL mode,
//! `REPEATABLE READ` in PostgreSQL), so it is consistent while the server
//! keeps writing. A restore runs in one transaction into an empty database:
//! it either restores everything or changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

use async_trait::async_trait;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, now_millis};
use crate::{Result, StoreError, migrate};

/// The first line's `format`: what says "this is a pmcoach backup".
pub const FORMAT: &str = "pmcoach-backup";
/// The version of the file layout this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// Rows per `INSERT` when restoring.
const BATCH: usize = 500;

/// The schema this build migrates to: the number of its last migration.
pub fn schema_version() -> i64 {
    let last = |migrations: &[migrate::Migration]| migrations.iter().map(|m| m.0).max().unwrap_or(0);
    last(migrate::SQLITE).max(last(migrate::POSTGRES))
}

/// A backup's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// The schema version (last migration) of the database it came from.
    pub schema: i64,
    /// "sqlite" or "postgres": where it came from (informative only).
    pub backend: String,
    pub created_at: Millis,
    /// The pmcoach version that wrote it.
    pub pmcoach: String,
}

/// How much a backup holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub tables: u64,
    pub rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableLine {
    table: String,
    columns: Vec<String>,
    rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLine {
    end: Totals,
}

/// Writing and reading the portable backup. A supertrait of [`crate::Store`].
#[async_trait]
pub trait BackupStore {
    /// Writes every table of one consistent snapshot to `out`.
    async fn backup(&self, out: &mut (dyn Write + Send)) -> Result<Totals>;
    /// Restores a backup into this database, which must be empty, in one
    /// transaction. Check the file first with [`verify`]: this reads it again
    /// and stops at the first problem, changing nothing.
    async fn restore(&self, input: &mut (dyn BufRead + Send)) -> Result<Totals>;
}

/// A problem with the backup file, named by line.
fn bad_file(line: usize, message: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("the backup file is not valid at line {line}: {message}"))
}

fn io_error(error: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot read or write the backup file: {error}"))
}

/// Reads a backup line by line, counting lines for messages.
struct Lines<'a> {
    input: &'a mut (dyn BufRead + Send),
    number: usize,
    buffer: String,
}

impl<'a> Lines<'a> {
    fn new(input: &'a mut (dyn BufRead + Send)) -> Self {
        Lines { input, number: 0, buffer: String::new() }
    }

    /// The next line without its line break, or None at the end of the file.
    fn next(&mut self) -> Result<Option<&str>> {
        self.buffer.clear();
        let read = self.input.read_line(&mut self.buffer).map_err(|error| {
            if error.kind() == std::io::ErrorKind::InvalidData {
                bad_file(self.number + 1, "not UTF-8 text")
            } else {
                io_error(error)
            }
        })?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if !self.buffer.ends_with('\n') {
            return Err(bad_file(self.number, "the line is cut off: the file ends early (truncated?)"));
        }
        Ok(Some(self.buffer.trim_end_matches(['\n', '\r'])))
    }

    fn header(&mut self) -> Result<Header> {
        let Some(line) = self.next()? else {
            return Err(StoreError::Conflict("the file is empty: it is not a pmcoach backup".to_owned()));
        };
        let value: Value = serde_json::from_str(line).map_err(|_| not_a_backup())?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(not_a_backup());
        }
        let header: Header = serde_json::from_value(value).map_err(|error| bad_file(1, error))?;
        if header.version > FORMAT_VERSION {
            return Err(StoreError::Conflict(format!(
                "this backup was written by a newer pmcoach ({}, backup format {}; this pmcoach reads format {}): \
                 restore it with that version or newer",
                header.pmcoach, header.version, FORMAT_VERSION
            )));
        }
        if header.schema > schema_version() {
            return Err(StoreError::Conflict(format!(
                "this backup comes from a newer pmcoach ({}, database schema {}; this pmcoach knows schema {}): \
                 restore it with that version or newer",
                header.pmcoach,
                header.schema,
                schema_version()
            )));
        }
        Ok(header)
    }
}

fn not_a_backup() -> StoreError {
    StoreError::Conflict(format!("this is not a pmcoach backup: its first line is not a \"{FORMAT}\" header"))
}

/// One item of a backup after the header.
enum Item {
    Table(TableLine),
    Row(Vec<Value>),
    End(Totals),
}

fn parse_item(line: &str, number: usize) -> Result<Item> {
    if line.starts_with('[') {
        return serde_json::from_str(line).map(Item::Row).map_err(|error| bad_file(number, error));
    }
    let value: Value = serde_json::from_str(line).map_err(|error| bad_file(number, error))?;
    if value.get("end").is_some() {
        let end: EndLine = serde_json::from_value(value).map_err(|error| bad_file(number, error))?;
        Ok(Item::End(end.end))
    } else {
        serde_json::from_value(value).map(Item::Table).map_err(|error| bad_file(number, error))
    }
}

/// Walks a whole backup, checking its structure: a header this build can
/// read, each table's announced rows present with one value per column, the
/// trailer's totals right and nothing after it. `each` sees every table and
/// batch of rows; [`verify`] passes a no-op, a restore inserts them.
struct Walker<'a> {
    lines: Lines<'a>,
}

enum Step {
    Table(TableLine),
    Rows(Vec<Vec<Value>>),
    Done(Totals),
}

impl<'a> Walker<'a> {
    /// The walker and the file's header.
    fn start(input: &'a mut (dyn BufRead + Send)) -> Result<(Walker<'a>, Header)> {
        let mut lines = Lines::new(input);
        let header = lines.header()?;
        Ok((Walker { lines }, header))
    }
}

/// The state of a walk between steps.
struct WalkState {
    current: Option<(usize, u64)>,
    seen_tables: BTreeSet<String>,
    totals: Totals,
    done: bool,
}

impl WalkState {
    fn new() -> Self {
        WalkState { current: None, seen_tables: BTreeSet::new(), totals: Totals::default(), done: false }
    }
}

impl Walker<'_> {
    /// The next table line, batch of up to [`BATCH`] rows, or the end.
    fn step(&mut self, state: &mut WalkState) -> Result<Step> {
        let mut rows = Vec::new();
        loop {
            // A table with rows still to come yields a batch once it is full.
            if rows.len() == BATCH {
                return Ok(Step::Rows(rows));
            }
            let number = self.lines.number + 1;
            let Some(line) = self.lines.next()? else {
                return Err(bad_file(number, "the file ends before its last line (truncated?)"));
            };
            match parse_item(line, number)? {
                Item::Row(row) => {
                    let Some((columns, remaining)) = state.current.as_mut() else {
                        return Err(bad_file(number, "a row before any table line"));
                    };
                    if *remaining == 0 {
                        return Err(bad_file(number, "more rows than the table line announced"));
                    }
                    if row.len() != *columns {
                        return Err(bad_file(number, format!("{} values for {} columns", row.len(), columns)));
                    }
                    *remaining -= 1;
                    state.totals.rows += 1;
                    rows.push(row);
                }
                item => {
                    if let Some((_, remaining)) = state.current
                        && remaining > 0
                    {
                        return Err(bad_file(number, format!("{remaining} rows of the table before are missing")));
                    }
                    // A table's last row ended its batch, so none is pending here.
                    debug_assert!(rows.is_empty());
                    match item {
                        Item::Table(table) => {
                            if table.columns.is_empty() {
                                return Err(bad_file(number, format!("table {} has no columns", table.table)));
                            }
                            if !state.seen_tables.insert(table.table.clone()) {
                                return Err(bad_file(number, format!("table {} appears twice", table.table)));
                            }
                            state.current = Some((table.columns.len(), table.rows));
                            state.totals.tables += 1;
                            return Ok(Step::Table(table));
                        }
                        Item::End(end) => {
                            if end != state.totals {
                                return Err(bad_file(
                                    number,
                                    format!(
                                        "the trailer counts {} tables and {} rows but the file holds {} and {}",
                                        end.tables, end.rows, state.totals.tables, state.totals.rows
                                    ),
                                ));
                            }
                            if self.lines.next()?.is_some() {
                                return Err(bad_file(number + 1, "text after the trailer line"));
                            }
                            state.done = true;
                            return Ok(Step::Done(state.totals));
                        }
                        Item::Row(_) => unreachable!("rows are handled above"),
                    }
                }
            }
            // The last row of a table ends its batch, so a table line never
            // has to be held back.
            if let Some((_, 0)) = state.current {
                return Ok(Step::Rows(rows));
            }
        }
    }
}

/// Reads a whole backup and checks it without touching any database: its
/// header (format, and a schema no newer than this build's), every table's
/// rows and the trailer. Returns the header and what the file holds.
pub fn verify(input: &mut (dyn BufRead + Send)) -> Result<(Header, Totals)> {
    let (mut walker, header) = Walker::start(input)?;
    let mut state = WalkState::new();
    loop {
        if let Step::Done(totals) = walker.step(&mut state)? {
            return Ok((header, totals));
        }
    }
}

/// Quotes an identifier read from the catalog for SQL.
fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Orders tables parents first (by foreign keys), keeping creation order
/// where no key decides. References to itself do not count; a cycle, which
/// our schema has none of, falls back to creation order.
fn dependency_order(tables: Vec<(String, BTreeSet<String>)>) -> Vec<String> {
    let names: BTreeSet<String> = tables.iter().map(|(name, _)| name.clone()).collect();
    let mut pending: Vec<(String, BTreeSet<String>)> = tables
        .into_iter()
        .map(|(name, parents)| {
            let parents = parents.into_iter().filter(|p| *p != name && names.contains(p)).collect();
            (name, parents)
        })
        .collect();
    let mut done: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let ready = pending.iter().position(|(_, parents)| parents.iter().all(|p| done.contains(p))).unwrap_or(0);
        done.push(pending.remove(ready).0);
    }
    done
}

/// A row as written: booleans as 0/1, so both backends write the same file.
fn normalise(value: Value) -> Value {
    match value {
        Value::Bool(flag) => Value::from(i64::from(flag)),
        other => other,
    }
}

fn write_line(out: &mut (dyn Write + Send), value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|error| io_error(error.into()))?;
    out.write_all(b"\n").map_err(io_error)
}

fn header_now(backend: &str, schema: i64) -> Header {
    Header {
        format: FORMAT.to_owned(),
        version: FORMAT_VERSION,
        schema,
        backend: backend.to_owned(),
        created_at: now_millis(),
        pmcoach: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// What a non-empty target holds, for the refusal message.
fn not_empty(counts: &[(String, i64)]) -> StoreError {
    let list: Vec<String> = counts
        .iter()
        .map(|(table, rows)| format!("{table}: {rows} {}", if *rows == 1 { "row" } else { "rows" }))
        .collect();
    StoreError::Conflict(format!(
        "the target database is not empty ({}): restore only into an empty database",
        list.join(", ")
    ))
}

// The SQL that differs between the backends: the catalogs, reading a row as
// JSON and inserting rows from JSON. Identifiers come from the database's
// own catalog (or, on restore, must name a table and columns the catalog
// has) and are quoted, so the built statements carry no input.

impl SqliteStore {
    // The data version is the database's own count of writes, not data: a
    // restored database keeps counting from its own.
    const TABLES: &'static str = "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite^_%' ESCAPE '^' AND name NOT IN ('schema_migrations', 'data_version') ORDER BY rowid";
    const COLUMNS: &'static str = "SELECT name FROM pragma_table_info($1) ORDER BY cid";
    const PARENTS: &'static str = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)";

    fn select_rows(table: &str, columns: &[String]) -> String {
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        format!("SELECT json_array({}) FROM {} ORDER BY rowid", list.join(", "), quote(table))
    }

    fn insert_rows(table: &str, columns: &[String]) -> String {
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        let values: Vec<String> = (0..columns.len()).map(|i| format!("json_extract(value, '$[{i}]')")).collect();
        format!("INSERT INTO {} ({}) SELECT {} FROM json_each($1)", quote(table), list.join(", "), values.join(", "))
    }

    /// SQLite writes arrays already; the batch is the rows as they are.
    fn batch_json(_columns: &[String], rows: Vec<Vec<Value>>) -> String {
        Value::Array(rows.into_iter().map(Value::Array).collect()).to_string()
    }

    fn row_values(text: &str, _columns: &[String]) -> Result<Vec<Value>> {
        let row: Vec<Value> = serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(row.into_iter().map(normalise).collect())
    }

    async fn start_snapshot(_tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>) -> Result<()> {
        // A read transaction in WAL mode sees one snapshot from its first read on.
        Ok(())
    }

    async fn start_restore(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>) -> Result<()> {
        // Checked at commit instead of row by row, in case a table refers to itself.
        sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut **tx).await?;
        Ok(())
    }

    async fn finish_restore(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>) -> Result<()> {
        // INTEGER PRIMARY KEY continues after the largest id by itself.
        let broken: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut **tx).await?;
        if let Some((table,)) = broken.first() {
            return Err(StoreError::Conflict(format!(
                "the backup's rows of {table} refer to rows that are not in it: nothing was restored"
            )));
        }
        Ok(())
    }
}

impl PgStore {
    const TABLES: &'static str = "SELECT c.relname::text FROM pg_class c \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r' \
         AND c.relname NOT IN ('schema_migrations', 'data_version') ORDER BY c.oid";
    const COLUMNS: &'static str = "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position";
    const PARENTS: &'static str = "SELECT DISTINCT p.relname::text FROM pg_constraint k \
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
         WHERE k.contype = 'f' AND c.relname = $1 AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

    fn select_rows(table: &str, columns: &[String]) -> String {
        // row_to_json has no column limit; the first column is the id where there is one.
        format!("SELECT row_to_json(t)::text FROM {} t ORDER BY t.{}", quote(table), quote(&columns[0]))
    }

    fn insert_rows(table: &str, columns: &[String]) -> String {
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        let list = list.join(", ");
        format!(
            "INSERT INTO {table} ({list}) OVERRIDING SYSTEM VALUE SELECT {list} \
             FROM json_populate_recordset(NULL::{table}, $1::json)",
            table = quote(table)
        )
    }

    /// json_populate_recordset takes objects keyed by column; it converts
    /// each value with the column type's own input (so 0/1 to booleans).
    fn batch_json(columns: &[String], rows: Vec<Vec<Value>>) -> String {
        let objects = rows.into_iter().map(|row| Value::Object(columns.iter().cloned().zip(row).collect())).collect();
        Value::Array(objects).to_string()
    }

    fn row_values(text: &str, columns: &[String]) -> Result<Vec<Value>> {
        let mut object: serde_json::Map<String, Value> =
            serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(columns.iter().map(|c| normalise(object.remove(c).unwrap_or(Value::Null))).collect())
    }

    async fn start_snapshot(tx: &mut sqlx::Transaction<'static, sqlx::Postgres>) -> Result<()> {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut **tx).await?;
        Ok(())
    }

    async fn start_restore(_tx: &mut sqlx::Transaction<'static, sqlx::Postgres>) -> Result<()> {
        Ok(())
    }

    /// Identity columns continue after the largest restored id.
    async fn finish_restore(tx: &mut sqlx::Transaction<'static, sqlx::Postgres>) -> Result<()> {
        let identities: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut **tx)
        .await?;
        for (table, column) in identities {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({col}), 0) + 1, false) FROM {table}",
                col = quote(&column),
                table = quote(&table)
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(quote(&table)).bind(&column).execute(&mut **tx).await?;
        }
        Ok(())
    }
}

macro_rules! backup_backend {
    ($store:ident, $db:ty, $name:literal) => {
        impl $store {
            /// Every table (but the migrations' own), parents first, with its columns.
            async fn backup_tables(tx: &mut sqlx::Transaction<'static, $db>) -> Result<Vec<(String, Vec<String>)>> {
                let names: Vec<(String,)> = sqlx::query_as(Self::TABLES).fetch_all(&mut **tx).await?;
                let mut with_parents = Vec::new();
                for (name,) in names {
                    let parents: Vec<(String,)> =
                        sqlx::query_as(Self::PARENTS).bind(&name).fetch_all(&mut **tx).await?;
                    with_parents.push((name, parents.into_iter().map(|(p,)| p).collect()));
                }
                let mut tables = Vec::new();
                for name in dependency_order(with_parents) {
                    let columns: Vec<(String,)> =
                        sqlx::query_as(Self::COLUMNS).bind(&name).fetch_all(&mut **tx).await?;
                    tables.push((name, columns.into_iter().map(|(c,)| c).collect()));
                }
                Ok(tables)
            }

            async fn schema_of(tx: &mut sqlx::Transaction<'static, $db>) -> Result<i64> {
                let (schema,): (Option<i64>,) =
                    sqlx::query_as("SELECT MAX(version) FROM schema_migrations").fetch_one(&mut **tx).await?;
                Ok(schema.unwrap_or(0))
            }
        }

        #[async_trait]
        impl BackupStore for $store {
            async fn backup(&self, out: &mut (dyn Write + Send)) -> Result<Totals> {
                let mut tx = self.pool.begin().await?;
                Self::start_snapshot(&mut tx).await?;
                let schema = Self::schema_of(&mut tx).await?;
                write_line(out, &header_now($name, schema))?;
                let mut totals = Totals::default();
                for (table, columns) in Self::backup_tables(&mut tx).await? {
                    // Built from the catalog's names, quoted: see above.
                    let count_sql = format!("SELECT COUNT(*) FROM {}", quote(&table));
                    let (rows,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql)).fetch_one(&mut *tx).await?;
                    let rows = u64::try_from(rows).unwrap_or(0);
                    write_line(out, &TableLine { table: table.clone(), columns: columns.clone(), rows })?;
                    let select = Self::select_rows(&table, &columns);
                    let mut stream = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(select)).fetch(&mut *tx);
                    let mut written = 0;
                    while let Some((text,)) = stream.try_next().await? {
                        write_line(out, &Self::row_values(&text, &columns)?)?;
                        written += 1;
                    }
                    if written != rows {
                        return Err(StoreError::Corrupt(format!(
                            "{table} changed during the backup ({rows} rows counted, {written} read)"
                        )));
                    }
                    totals.tables += 1;
                    totals.rows += rows;
                }
                write_line(out, &EndLine { end: totals })?;
                out.flush().map_err(io_error)?;
                tx.commit().await?;
                Ok(totals)
            }

            async fn restore(&self, input: &mut (dyn BufRead + Send)) -> Result<Totals> {
                let (mut walker, _header) = Walker::start(input)?;
                let mut tx = self.begin_write().await?;
                Self::start_restore(&mut tx).await?;
                let known: BTreeMap<String, Vec<String>> = Self::backup_tables(&mut tx).await?.into_iter().collect();
                let mut counts = Vec::new();
                for table in known.keys() {
                    let sql = format!("SELECT COUNT(*) FROM {}", quote(table));
                    let (rows,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *tx).await?;
                    if rows > 0 {
                        counts.push((table.clone(), rows));
                    }
                }
                if !counts.is_empty() {
                    return Err(not_empty(&counts));
                }
                let mut state = WalkState::new();
                let mut insert: Option<(String, Vec<String>)> = None;
                loop {
                    match walker.step(&mut state)? {
                        Step::Table(table) => {
                            let Some(columns) = known.get(&table.table) else {
                                return Err(StoreError::Conflict(format!(
                                    "the backup has a table {} that this database does not: nothing was restored",
                                    table.table
                                )));
                            };
                            if let Some(unknown) = table.columns.iter().find(|c| !columns.contains(c)) {
                                return Err(StoreError::Conflict(format!(
                                    "the backup's table {} has a column {unknown} that this database does not: \
                                     nothing was restored",
                                    table.table
                                )));
                            }
                            insert = Some((Self::insert_rows(&table.table, &table.columns), table.columns));
                        }
                        Step::Rows(rows) => {
                            let Some((sql, columns)) = &insert else { continue };
                            if rows.is_empty() {
                                continue;
                            }
                            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                                .bind(Self::batch_json(columns, rows))
                                .execute(&mut *tx)
                                .await?;
                        }
                        Step::Done(totals) => {
                            Self::finish_restore(&mut tx).await?;
                            tx.commit().await?;
                            return Ok(totals);
                        }
                    }
                }
            }
        }
    };
}

backup_backend!(SqliteStore, sqlx::Sqlite, "sqlite");
backup_backend!(PgStore, sqlx::Postgres, "postgres");

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parents_come_first_and_creation_order_is_kept_otherwise() {
        let order = dependency_order(vec![
            ("b".to_owned(), set(&["c"])),
            ("a".to_owned(), set(&[])),
            ("c".to_owned(), set(&["a", "c"])),
            ("d".to_owned(), set(&[])),
        ]);
        assert_eq!(order, ["a", "c", "b", "d"]);
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote("users"), "\"users\"");
        assert_eq!(quote("we\"ird"), "\"we\"\"ird\"");
    }
}
