//! The scale benchmark's organisation (issue 8): generates one organisation
//! of N people into an empty database, then times the organisation-wide
//! aggregations through the real [`Store`] and core code.
//!
//! ```text
//! big_org generate DB [--people 100000] [--seed 1]   fill an empty database
//! big_org time DB [--runs 5] [--only NAME]           time each aggregation
//! ```
//!
//! `DB` is a SQLite file path (or `sqlite://PATH`) or a `postgres://` URL.
//! `generate` opens the store first (which creates the file and runs every
//! migration), creates the organisation and its first admin through it, and
//! then writes everything else with multi-row `INSERT`s in large
//! transactions, straight into the migrated schema with every constraint
//! and trigger in force. The data is a fixed function of `--people` and
//! `--seed`: a management tree with spans of 4–10 (7 on average), role
//! contexts (some with history), assessment cycles (most people have one or
//! two; most are closed, some open) with self ratings and invitations to
//! managers, engineering, sales, customer success and leadership, the
//! answers and comments of those who answered (drafts of some who did not),
//! and scenario attempts scored by core. `bench/scale.sh` runs both steps on
//! SQLite and PostgreSQL and writes the figures into `docs/benchmarks.md`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use pmcoach_core::assessment::{self, Cycle, Progress, Threshold};
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Role, RoleContext, engine};
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::Observer;
use pmcoach_core::ids::Email;
use pmcoach_core::rng::SplitMix64;
use pmcoach_core::scenarios::{Answer, Scenario, ScenarioBank, item_stats, item_stats_of_blind, score};
use pmcoach_store::{NewUser, Store, StoredAttempt};
use sqlx::{AssertSqlSafe, Connection};

type Error = Box<dyn std::error::Error + Send + Sync>;

const DAY: i64 = 86_400_000;
/// 2026-11-01 00:00 UTC: every generated time is relative to it, so two runs
/// with the same seed write the same rows.
const ANCHOR: i64 = 1_793_491_200_000;
/// Role contexts in use: people share them, as real teams do.
const CONTEXTS: usize = 48;
/// Rows per `INSERT` statement (of the table with the most rows).
const BATCH_ROWS: usize = 4_000;
/// Statements per transaction.
const BATCHES_PER_TRANSACTION: usize = 25;

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("big_org: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str, default: u64| -> Result<u64, Error> {
        match args.iter().position(|a| a == name) {
            Some(at) => Ok(args.get(at + 1).ok_or(format!("{name} needs a value"))?.parse()?),
            None => Ok(default),
        }
    };
    match (args.first().map(String::as_str), args.get(1)) {
        (Some("generate"), Some(db)) => {
            generate(db, usize::try_from(option("--people", 100_000)?)?, option("--seed", 1)?).await
        }
        (Some("time"), Some(db)) => {
            let only = args.iter().position(|a| a == "--only").and_then(|at| args.get(at + 1)).map(String::as_str);
            time(db, usize::try_from(option("--runs", 5)?)?, only).await
        }
        _ => {
            Err("usage: big_org generate DB [--people N] [--seed S] | big_org time DB [--runs R] [--only NAME]".into())
        }
    }
}

// ---- a small deterministic generator

/// Core's SplitMix64 with the draws the generator needs.
struct Rng(SplitMix64);

impl Rng {
    /// An independent stream per (seed, stream): one per person, so the
    /// rows of a person do not depend on the batch they are written in.
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = SplitMix64::stream(seed, stream);
        rng.next_u64();
        Rng(rng)
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in 0..1.
    fn unit(&mut self) -> f64 {
        self.0.unit()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Roughly standard normal (the sum of four uniforms, rescaled).
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luca", "Maya", "Nadia",
    "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomás", "Uma", "Viktor", "Wen", "Xavier", "Yara", "Zoe",
];
const LAST: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Patel",
    "Yilmaz",
    "Adeyemi",
    "Kowalski",
    "Tanaka",
    "García",
    "Schmidt",
    "O'Brien",
    "Rossi",
    "Nguyen",
    "Haddad",
    "Silva",
    "Kim",
    "Jensen",
    "Novak",
    "Costa",
    "Dubois",
    "Müller",
    "Singh",
];
const COMMENTS: &[&str] = &[
    "Specs arrive early and answer most of our questions before we ask them.",
    "Turns a messy customer escalation into a plan the customer trusts.",
    "I would like earlier notice of what ships each quarter.",
    "Good at saying no to scope creep, and explains why.",
    "Decisions get reopened when a new stakeholder joins; write them down.",
    "Brings engineering in before the roadmap is fixed, which saves us weeks.",
    "The launch review was the clearest we have had this year.",
];

/// The rater groups invited, with how many of each a cycle invites and how
/// far above (+) or below (−) the person's level the group tends to see them.
const GROUPS: &[(Observer, usize, usize, f64)] = &[
    (Observer::Manager, 1, 1, 0.0),
    (Observer::Engineering, 2, 5, -0.3),
    (Observer::Sales, 0, 3, 0.3),
    (Observer::CustomerSuccess, 0, 3, 0.2),
    (Observer::Leadership, 0, 2, -0.1),
];

fn pick_str<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// SQL text literal: our own generated text, quotes doubled.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn opt_i64(value: Option<i64>) -> String {
    value.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

/// One table's pending multi-row `INSERT`.
struct Table {
    head: &'static str,
    sql: String,
    pending: usize,
    written: u64,
}

impl Table {
    fn new(head: &'static str) -> Table {
        Table { head, sql: String::new(), pending: 0, written: 0 }
    }

    /// Starts a row; the caller writes `(…)` into the returned buffer.
    fn row(&mut self) -> &mut String {
        if self.pending == 0 {
            self.sql.push_str(self.head);
            self.sql.push_str(" VALUES ");
        } else {
            self.sql.push(',');
        }
        self.pending += 1;
        self.written += 1;
        &mut self.sql
    }

    fn take(&mut self) -> Option<String> {
        (self.pending > 0).then(|| {
            self.pending = 0;
            std::mem::take(&mut self.sql)
        })
    }
}

enum Db {
    Sqlite(sqlx::SqliteConnection),
    Pg(sqlx::PgConnection),
}

impl Db {
    async fn connect(url: &str) -> Result<Db, Error> {
        if is_postgres(url) {
            Ok(Db::Pg(sqlx::PgConnection::connect(url).await?))
        } else {
            // The file the store just created and migrated. Durability is
            // not needed while loading: a failed run is simply run again.
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(sqlite_path(url))
                .foreign_keys(true)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
            Ok(Db::Sqlite(sqlx::SqliteConnection::connect_with(&options).await?))
        }
    }

    async fn exec(&mut self, sql: String) -> Result<(), Error> {
        match self {
            Db::Sqlite(connection) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *connection).await.map(|_| ())?,
            Db::Pg(connection) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *connection).await.map(|_| ())?,
        }
        Ok(())
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn sqlite_path(url: &str) -> &Path {
    Path::new(url.strip_prefix("sqlite://").unwrap_or(url))
}

/// A role context in use, with the cycle it freezes (as the store keeps it).
struct Context {
    context: RoleContext,
    frozen: String,
    cycle: Cycle,
}

/// The JSON the store freezes a cycle into (`backend.rs`, `FrozenCycle`).
fn frozen_json(cycle: &Cycle, context: &RoleContext) -> Result<String, Error> {
    let skills: Vec<serde_json::Value> = cycle
        .skills()
        .iter()
        .map(|skill| {
            serde_json::json!({
                "id": skill.id.as_str(),
                "name": skill.name,
                "category": skill.category.as_str(),
                "observers": skill.observers.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
                "target": skill.target.get(),
                "weight": skill.weight.to_string(),
            })
        })
        .collect();
    Ok(serde_json::to_string(&serde_json::json!({
        "version": 1,
        "threshold": cycle.threshold().get(),
        "skills": skills,
        "context": {
            "role": context.role.as_str(),
            "level": context.level.as_str(),
            "stage": context.stage.as_str(),
            "industry": context.industry,
            "technicality": context.technicality.as_str(),
            "team_maturity": context.team_maturity.as_str(),
            "ambiguity": context.ambiguity.as_str(),
            "data_driven": context.data_driven.as_str(),
            "purpose": context.purpose.as_str(),
        },
    }))?)
}

fn contexts(framework: &Framework, seed: u64) -> Result<Vec<Context>, Error> {
    let mut rng = Rng::new(seed, u64::MAX);
    (0..CONTEXTS)
        .map(|_| {
            let mut context = RoleContext::new(*rng.pick(Role::ALL), *rng.pick(CareerLevel::ALL))
                .with_industry(pick_str(&mut rng, &["", "fintech", "healthcare", "ai", "devtools"]));
            context.stage = *rng.pick(CompanyStage::ALL);
            context.technicality = *rng.pick(Degree::ALL);
            context.team_maturity = *rng.pick(Degree::ALL);
            context.ambiguity = *rng.pick(Degree::ALL);
            context.data_driven = *rng.pick(Degree::ALL);
            let profile = engine::profile(framework, &context);
            let cycle = Cycle::freeze(framework, &profile, Threshold::default())?;
            let frozen = frozen_json(&cycle, &context)?;
            Ok(Context { context, frozen, cycle })
        })
        .collect()
}

/// An answer by someone whose judgement lands on the key with probability
/// `ability` (otherwise off by a point, or a guess), scored by core.
fn scenario_answer(rng: &mut Rng, scenario: &Scenario, ability: f64) -> Result<(Answer, f64), Error> {
    let keys = scenario.keys();
    let n = keys.len();
    let answer = if rng.chance(0.5) {
        let max = keys.iter().copied().max().unwrap_or(5);
        let min = keys.iter().copied().min().unwrap_or(1);
        let tops: Vec<usize> = (0..n).filter(|&i| keys[i] == max).collect();
        let bottoms: Vec<usize> = (0..n).filter(|&i| keys[i] == min).collect();
        let best = if rng.chance(ability) { *rng.pick(&tops) } else { rng.below(n) };
        let mut worst = if rng.chance(ability) { *rng.pick(&bottoms) } else { rng.below(n) };
        if worst == best {
            worst = (best + 1 + rng.below(n - 1)) % n;
        }
        Answer::BestWorst { best, worst }
    } else {
        let ratings = keys
            .iter()
            .map(|&key| {
                let roll = rng.unit();
                if roll < ability {
                    key
                } else if roll < (1.0 + ability) / 2.0 {
                    if rng.chance(0.5) { key.saturating_sub(1).max(1) } else { (key + 1).min(5) }
                } else {
                    1 + rng.below(5) as u8
                }
            })
            .collect();
        Answer::Rating { ratings }
    };
    let score = score(scenario, &answer)?;
    Ok((answer, score))
}

fn level(value: f64) -> i64 {
    (value.round() as i64).clamp(1, 5)
}

struct Tables {
    users: Table,
    memberships: Table,
    contexts: Table,
    cycles: Table,
    self_ratings: Table,
    invites: Table,
    answers: Table,
    comments: Table,
    attempts: Table,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            users: Table::new("INSERT INTO users (id, email, name, password_hash, created_at)"),
            memberships: Table::new("INSERT INTO memberships (user_id, org_id, role, manager_id)"),
            contexts: Table::new(
                "INSERT INTO role_contexts (user_id, role, level, stage, industry, technicality, team_maturity, \
                 ambiguity, data_driven, purpose, created_at)",
            ),
            cycles: Table::new("INSERT INTO cycles (id, user_id, state, frozen, opened_at, closed_at)"),
            self_ratings: Table::new("INSERT INTO self_ratings (cycle_id, skill, level, evidence, updated_at)"),
            invites: Table::new(
                "INSERT INTO rater_invites (id, cycle_id, rater_group, email, token_hash, created_at, expires_at, \
                 answered_at, last_reminded_at)",
            ),
            answers: Table::new("INSERT INTO rater_answers (invite_id, skill, level)"),
            comments: Table::new("INSERT INTO rater_comments (invite_id, skill, body)"),
            attempts: Table::new(
                "INSERT INTO scenario_attempts (user_id, scenario, format, mode, ratings, best, worst, score, blind, \
                 cycle_id, created_at)",
            ),
        }
    }

    /// Every table, parents before children (foreign keys are checked).
    fn in_order(&mut self) -> [&mut Table; 9] {
        [
            &mut self.users,
            &mut self.memberships,
            &mut self.contexts,
            &mut self.cycles,
            &mut self.self_ratings,
            &mut self.invites,
            &mut self.answers,
            &mut self.comments,
            &mut self.attempts,
        ]
    }
}

/// Who reports to whom: person 0 is the top; everyone else gets the next
/// manager in breadth-first order, each manager taking 4–10 people.
fn management_tree(people: usize, seed: u64) -> Vec<Option<usize>> {
    let mut rng = Rng::new(seed, u64::MAX - 1);
    let mut manager_of = vec![None; people];
    let (mut manager, mut span, mut taken) = (0, rng.between(4, 10), 0);
    for slot in manager_of.iter_mut().skip(1) {
        if taken == span {
            manager += 1;
            span = rng.between(4, 10);
            taken = 0;
        }
        *slot = Some(manager);
        taken += 1;
    }
    manager_of
}

struct Ids {
    cycle: i64,
    invite: i64,
}

/// Writes one person's rows (not their user and membership) into `t`.
#[allow(clippy::too_many_arguments)]
fn person_rows(
    t: &mut Tables,
    ids: &mut Ids,
    rng: &mut Rng,
    user: i64,
    has_manager: bool,
    context: &Context,
    previous: &Context,
    bank: &[&Scenario],
) -> Result<(), Error> {
    // Role contexts: a fifth changed theirs once.
    let write_context = |t: &mut Tables, c: &RoleContext, at: i64| {
        let industry = c.industry.as_deref().map_or_else(|| "NULL".to_owned(), quoted);
        let _ = write!(
            t.contexts.row(),
            "({user},'{}','{}','{}',{industry},'{}','{}','{}','{}','{}',{at})",
            c.role,
            c.level,
            c.stage,
            c.technicality,
            c.team_maturity,
            c.ambiguity,
            c.data_driven,
            c.purpose
        );
    };
    let joined = ANCHOR - (30 + rng.below(700) as i64) * DAY;
    if rng.chance(0.2) {
        write_context(t, &previous.context, joined);
    }
    write_context(t, &context.context, joined + DAY);

    // Assessment cycles: 72% of people have some; 30% of those two.
    let mut last_cycle = None;
    if rng.chance(0.72) {
        let count = if rng.chance(0.3) { 2 } else { 1 };
        let strength = rng.normal() * 0.7;
        for n in 0..count {
            let latest = n == count - 1;
            let open = latest && rng.chance(0.12);
            let opened = if open {
                ANCHOR - rng.between(1, 25) as i64 * DAY
            } else if latest {
                ANCHOR - rng.between(30, 200) as i64 * DAY
            } else {
                ANCHOR - rng.between(230, 420) as i64 * DAY
            };
            let growth = if latest { 0.3 } else { 0.0 };
            let id = ids.cycle;
            ids.cycle += 1;
            last_cycle = Some(id);
            let closed = (!open).then(|| opened + rng.between(12, 30) as i64 * DAY);
            let _ = write!(
                t.cycles.row(),
                "({id},{user},'{}',{},{opened},{})",
                if open { "open" } else { "closed" },
                quoted(&context.frozen),
                opt_i64(closed)
            );
            let skills = context.cycle.skills();
            // How others see the person on each skill; self view a little rosier.
            let seen: Vec<f64> = skills
                .iter()
                .map(|s| f64::from(s.target.get()) - 0.4 + strength + growth + rng.normal() * 0.5)
                .collect();
            for (skill, &seen) in skills.iter().zip(&seen) {
                if rng.chance(0.93) {
                    let evidence = if rng.chance(0.05) {
                        quoted("Led the rollout end to end and wrote the review.")
                    } else {
                        "NULL".into()
                    };
                    let _ = write!(
                        t.self_ratings.row(),
                        "({id},'{}',{},{evidence},{})",
                        skill.id,
                        level(seen + 0.3 + rng.normal() * 0.6),
                        opened + DAY
                    );
                }
            }
            for &(group, low, high, bias) in GROUPS {
                if group == Observer::Manager && !has_manager {
                    continue;
                }
                for _ in 0..rng.between(low, high) {
                    let invite = ids.invite;
                    ids.invite += 1;
                    let answered = rng.chance(if open { 0.45 } else { 0.8 });
                    let email =
                        if rng.chance(0.6) { quoted(&format!("r{invite}@raters.example")) } else { "NULL".into() };
                    let answered_at = answered.then(|| opened + DAY + rng.between(1, 240) as i64 * 3_600_000);
                    let reminded = rng.chance(0.3).then(|| opened + 5 * DAY);
                    let _ = write!(
                        t.invites.row(),
                        "({invite},{id},'{group}',{email},'{invite:064x}',{},{},{},{})",
                        opened + DAY,
                        opened + 30 * DAY,
                        opt_i64(answered_at),
                        opt_i64(reminded)
                    );
                    // Those who answered answered every question; a tenth of
                    // the others saved a draft of a few.
                    let asked = skills.iter().zip(&seen).filter(|(skill, _)| skill.is_observed_by(group));
                    let draft = !answered && rng.chance(0.1);
                    if !answered && !draft {
                        continue;
                    }
                    let rater = rng.normal() * 0.4;
                    for (skill, &seen) in asked {
                        if draft && rng.chance(0.7) {
                            continue;
                        }
                        let value = if rng.chance(0.07) {
                            "NULL".to_owned()
                        } else {
                            level(seen + bias + rater + rng.normal() * 0.5).to_string()
                        };
                        let _ = write!(t.answers.row(), "({invite},'{}',{value})", skill.id);
                    }
                    if answered && rng.chance(0.25) {
                        let _ = write!(t.comments.row(), "({invite},NULL,{})", quoted(pick_str(rng, COMMENTS)));
                    }
                }
            }
        }
    }

    // Scenario attempts: 60% of people practise, 1–10 scenarios each,
    // a quarter of them a second time after seeing the key.
    if rng.chance(0.6) {
        let ability = 0.45 + 0.4 * rng.unit();
        let mut order: Vec<usize> = (0..bank.len()).collect();
        let count = rng.between(1, 10).min(bank.len());
        for i in 0..count {
            let j = i + rng.below(order.len() - i);
            order.swap(i, j);
            let scenario = bank[order[i]];
            let mut at = ANCHOR - rng.between(1, 300) as i64 * DAY + rng.below(86_400) as i64 * 1000;
            let tries = if rng.chance(0.25) { 2 } else { 1 };
            for attempt in 0..tries {
                let (answer, score) = scenario_answer(rng, scenario, ability + 0.1 * attempt as f64)?;
                let (format, ratings, best, worst) = match &answer {
                    Answer::Rating { ratings } => (
                        "rating",
                        quoted(&ratings.iter().map(u8::to_string).collect::<Vec<_>>().join(",")),
                        "NULL".to_owned(),
                        "NULL".to_owned(),
                    ),
                    Answer::BestWorst { best, worst } => {
                        ("best-worst", "NULL".to_owned(), best.to_string(), worst.to_string())
                    }
                };
                let assessment = last_cycle.filter(|_| rng.chance(0.15));
                let _ = write!(
                    t.attempts.row(),
                    "({user},'{}','{format}','{}',{ratings},{best},{worst},{score},{},{},{at})",
                    scenario.id,
                    if assessment.is_some() { "assessment" } else { "practice" },
                    if attempt == 0 { "TRUE" } else { "FALSE" },
                    opt_i64(assessment)
                );
                at += rng.between(1, 30) as i64 * DAY;
            }
        }
    }
    Ok(())
}

async fn generate(url: &str, people: usize, seed: u64) -> Result<(), Error> {
    if people < 2 {
        return Err("--people must be at least 2".into());
    }
    let started = Instant::now();
    let framework = Framework::embedded().map_err(|problems| format!("framework: {problems:?}"))?;
    let bank = ScenarioBank::embedded(&framework).map_err(|problems| format!("scenarios: {problems:?}"))?;
    let bank: Vec<&Scenario> = bank.iter().collect();
    let contexts = contexts(&framework, seed)?;

    // The store creates the schema, the organisation and its first admin.
    let (org, admin) = {
        let store = pmcoach_store::open(url).await?;
        if store.has_users().await? {
            return Err(format!("{url} already has people: generate needs an empty database").into());
        }
        let admin = NewUser {
            email: Email::parse("person0@bigorg.example")?,
            name: "Ada Okafor".to_owned(),
            password_hash: "!".to_owned(),
        };
        store.create_organisation("Big Org", &admin).await?
    };
    let mut db = Db::connect(url).await?;
    if let Db::Pg(_) = db {
        // PostgreSQL checks each foreign key with a query per row, which
        // would make loading ten times slower; the rows are written parents
        // first and satisfy every key by construction, so load as a replica
        // does (no triggers, no key checks) and move the data version once
        // at the end. Check constraints, unique and partial indexes apply.
        db.exec("SET session_replication_role = replica; SET synchronous_commit = off".to_owned()).await?;
    }
    let manager_of = management_tree(people, seed);
    let mut is_manager = vec![false; people];
    for manager in manager_of.iter().flatten() {
        is_manager[*manager] = true;
    }
    let user_id = |person: usize| admin.id + person as i64;

    let mut t = Tables::new();
    let mut ids = Ids { cycle: 1, invite: 1 };
    let mut statements = 0;
    db.exec("BEGIN".to_owned()).await?;
    // The admin (person 0) exists; its role context, cycles and attempts are generated like everyone's.
    for person in 0..people {
        let mut rng = Rng::new(seed, person as u64);
        let user = user_id(person);
        if person > 0 {
            let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let _ = write!(
                t.users.row(),
                "({user},'person{person}@bigorg.example',{},'!',{})",
                quoted(&name),
                ANCHOR - 800 * DAY
            );
            let role = if person < 5 {
                "admin"
            } else if is_manager[person] {
                "manager"
            } else {
                "member"
            };
            let manager = manager_of[person].map(user_id);
            let _ = write!(t.memberships.row(), "({user},{},'{role}',{})", org.id, opt_i64(manager));
        }
        let context = &contexts[rng.below(contexts.len())];
        let previous = &contexts[rng.below(contexts.len())];
        person_rows(&mut t, &mut ids, &mut rng, user, manager_of[person].is_some(), context, previous, &bank)?;
        if t.answers.pending >= BATCH_ROWS || person == people - 1 {
            for table in t.in_order() {
                if let Some(sql) = table.take() {
                    db.exec(sql).await?;
                    statements += 1;
                }
            }
            if statements >= BATCHES_PER_TRANSACTION * 9 || person == people - 1 {
                db.exec("COMMIT".to_owned()).await?;
                db.exec("BEGIN".to_owned()).await?;
                statements = 0;
            }
        }
    }
    db.exec("COMMIT".to_owned()).await?;
    let loaded = started.elapsed();
    if let Db::Pg(_) = db {
        db.exec("SET session_replication_role = DEFAULT; UPDATE data_version SET version = version + 1".to_owned())
            .await?;
        // Explicit ids were written: move the identity sequences past them,
        // and let the planner see the new tables (as autovacuum soon would).
        for table in ["users", "cycles", "rater_invites"] {
            db.exec(format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .await?;
        }
        db.exec("VACUUM ANALYZE".to_owned()).await?;
    }
    let total = started.elapsed();
    let names = [
        "users",
        "memberships",
        "role_contexts",
        "cycles",
        "self_ratings",
        "rater_invites",
        "rater_answers",
        "rater_comments",
        "scenario_attempts",
    ];
    let mut rows = 0;
    for (name, table) in names.iter().zip(t.in_order()) {
        // The admin's user and membership came from the store.
        let written = table.written + u64::from(matches!(*name, "users" | "memberships"));
        rows += written;
        println!("ROWS|{name}|{written}");
    }
    println!("ROWS|total|{rows}");
    println!("LOADED|{:.1}", loaded.as_secs_f64());
    println!("GENERATED|{:.1}", total.as_secs_f64());
    eprintln!(
        "generated {people} people, {rows} rows in {:.1} s ({:.1} s loading{})",
        total.as_secs_f64(),
        loaded.as_secs_f64(),
        if is_postgres(url) { ", then VACUUM ANALYZE" } else { "" }
    );
    Ok(())
}

// ---- timing

/// One run of an aggregation: its result, and how long its store call took.
struct Run<T> {
    out: T,
    store: Duration,
}

/// Times the store call `fetch` and returns its value with the time taken.
async fn timed<T>(fetch: impl std::future::Future<Output = pmcoach_store::Result<T>>) -> Result<(T, Duration), Error> {
    let started = Instant::now();
    let value = fetch.await?;
    Ok((value, started.elapsed()))
}

/// Runs `job` `runs` times; returns (total, store part) per run and the last result.
async fn repeat<T, F, Fut>(runs: usize, mut job: F) -> Result<(Vec<(Duration, Duration)>, T), Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Run<T>, Error>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let run = job().await?;
        times.push((started.elapsed(), run.store));
        last = Some(std::hint::black_box(run.out));
    }
    Ok((times, last.ok_or("--runs must be at least 1")?))
}

/// Prints the first run, the fastest and the median of the total, and the
/// medians of its store and core parts.
fn report(name: &str, backend: &str, what: String, times: &[(Duration, Duration)]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        (values[0], values[values.len() / 2])
    };
    let first = ms(times[0].0);
    let (min, total) = median(times.iter().map(|t| ms(t.0)).collect());
    let (_, store) = median(times.iter().map(|t| ms(t.1)).collect());
    let (_, core) = median(times.iter().map(|t| ms(t.0) - ms(t.1)).collect());
    println!("TIME|{name}|{backend}|{what}|{first:.1}|{min:.1}|{total:.1}|{store:.1}|{core:.1}");
    let all: Vec<String> = times.iter().map(|t| format!("{:.0}", ms(t.0))).collect();
    eprintln!(
        "{name:<34} {backend:<10} {what:<38} first {first:>7.1} ms, min {min:>7.1}, median {total:>7.1} \
         (store {store:>7.1}, core {core:>6.1}); runs {}",
        all.join(" ")
    );
}

async fn time(url: &str, runs: usize, only: Option<&str>) -> Result<(), Error> {
    let wanted = |name: &str| only.is_none_or(|only| name.starts_with(only));
    let store = pmcoach_store::open(url).await?;
    let backend = if is_postgres(url) { "PostgreSQL" } else { "SQLite" };
    let org = store.first_organisation().await?.ok_or("no organisation: run generate first")?;
    let framework = Framework::embedded().map_err(|problems| format!("framework: {problems:?}"))?;
    let bank = ScenarioBank::embedded(&framework).map_err(|problems| format!("scenarios: {problems:?}"))?;
    let ids: Vec<&str> = bank.iter().map(|s| s.id.as_str()).collect();
    let store: &dyn Store = &*store;
    if only.is_none() {
        check(store, org.id).await?;
    }

    // Members (/admin/people): every person with role and manager, by name.
    if wanted("members") {
        let (times, members) = repeat(runs, || async {
            let (members, store) = timed(store.members(org.id)).await?;
            Ok(Run { out: members.len(), store })
        })
        .await?;
        report("members", backend, format!("{members} people"), &times);
    }

    // Completion (/admin/assessments): counts per cycle from the store,
    // summed by core, as the page does.
    if wanted("completion") {
        let (times, (cycles, invited)) = repeat(runs, || async {
            let (rows, store) = timed(store.completion(org.id)).await?;
            let progress: Vec<(String, Progress)> =
                rows.iter().map(|row| (row.cycle_id.to_string(), row.progress())).collect();
            let summary = assessment::completion(progress.iter().map(|(id, p)| (id.as_str(), p)));
            Ok(Run { out: (summary.cycles.len(), summary.invited), store })
        })
        .await?;
        report("completion", backend, format!("{cycles} cycles, {invited} invitations"), &times);
    }

    // Scenario item statistics (/admin/scenarios): every attempt from the
    // store, statistics in core, as the page does.
    if wanted("scenario") {
        let (times, (attempts, items)) = repeat(runs, || async {
            let (attempts, store) = timed(store.org_attempts(org.id)).await?;
            let responses: Vec<_> = attempts.iter().map(StoredAttempt::response).collect();
            let stats = item_stats(&ids, &responses);
            Ok(Run { out: (attempts.len(), stats.len()), store })
        })
        .await?;
        report("scenario item statistics", backend, format!("{attempts} attempts, {items} scenarios"), &times);
    }

    // The same statistics from blind scores alone (OrgStore::org_blind_scores).
    if wanted("scenario") {
        let (times, (scores, items)) = repeat(runs, || async {
            let (scores, store) = timed(store.org_blind_scores(org.id)).await?;
            let stats = item_stats_of_blind(&ids, scores.iter().map(|s| (s.user_id, s.scenario.as_str(), s.score)));
            Ok(Run { out: (scores.len(), stats.len()), store })
        })
        .await?;
        report(
            "scenario statistics, blind scores",
            backend,
            format!("{scores} blind scores, {items} scenarios"),
            &times,
        );
    }
    Ok(())
}

/// Reads a few generated cycles back through the store and core, so a
/// generator that drifted from the schema or the frozen format fails loudly.
async fn check(store: &dyn Store, org: pmcoach_store::OrgId) -> Result<(), Error> {
    let members = store.members(org).await?;
    let mut results = 0;
    for member in members.iter().take(200) {
        for stored in store.cycles(member.id).await? {
            if stored.cycle.state() == assessment::CycleState::Closed {
                let answers = store.cycle_answers(stored.id).await?;
                assessment::results(
                    &answers.cycle.cycle,
                    &answers.self_ratings,
                    &answers.responses,
                    assessment::ShuffleSeed::new(1),
                )?;
                results += 1;
            }
        }
    }
    if results == 0 {
        return Err("no closed cycle among the first 200 people".into());
    }
    eprintln!("checked: the results of {results} closed cycles load and compute");
    Ok(())
}
