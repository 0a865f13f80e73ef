//! Crash safety: a storm of writes against the real `pmcoach serve`, killed
//! with SIGKILL in the middle of it, then restarted on the same database.
//! Every write the server acknowledged (303 to the new stakeholder) must be
//! there after the restart, and the database must pass its integrity check.
//! SQLite always; PostgreSQL when `PMCOACH_TEST_PG_URL` is set.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sqlx::Connection;

use crate::backup::{fresh_pg_database, pg_server};

/// Writers at once: three per demo account signed in.
const ACCOUNTS: usize = 4;
const WRITERS_PER_ACCOUNT: usize = 3;
/// How long the storm runs before the kill (a bound, not a measurement).
const STORM: Duration = Duration::from_millis(1500);

/// A running `pmcoach serve`; killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
    /// The demo accounts it printed when it filled the database.
    emails: Vec<String>,
}

impl Server {
    /// Starts the binary on a free port and waits until it serves (and, with
    /// `--demo`, until the demo organisation is in).
    fn start(store: &[&str], demo: bool, log: &Path) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pmcoach"));
        command.args(["serve", "--addr", "127.0.0.1:0"]).args(store);
        if demo {
            command.arg("--demo");
        }
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log file");
        let mut child = command
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start pmcoach serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut base = None;
        let mut emails = Vec::new();
        for line in lines.by_ref() {
            let line = line.expect("read stdout");
            if let Some(rest) = line.split("running at ").nth(1) {
                base = rest.split_whitespace().next().map(str::to_owned);
                if !demo {
                    break;
                }
            } else if let Some(email) = line.split_whitespace().find(|word| word.contains('@')) {
                emails.push(email.to_owned());
            } else if line.contains("Password for every demo account") || line.contains("no demo data was added") {
                break;
            }
        }
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let base = base.expect("the server printed its address");
        Server { child, base, emails }
    }

    fn kill(&mut self) {
        // Child::kill sends SIGKILL on Unix: no shutdown code runs.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A signed-in browser session: its cookie and CSRF token.
#[derive(Clone)]
struct Session {
    http: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn csrf_of(body: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = body.find(marker).expect("a form with a CSRF token") + marker.len();
    body[start..].split('"').next().expect("token").to_owned()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pmcoach_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

async fn sign_in(base: &str, email: &str) -> Session {
    let http = http();
    let page = http.get(format!("{base}/signin")).send().await.expect("signin page");
    let mut cookie = session_cookie(&page).unwrap_or_default();
    let csrf = csrf_of(&page.text().await.expect("body"));
    let response = http
        .post(format!("{base}/signin"))
        .header(COOKIE, &cookie)
        .form(&[("_csrf", csrf.as_str()), ("email", email), ("password", pmcoach_web::demo::DEMO_PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
    cookie = session_cookie(&response).unwrap_or(cookie);
    let form = http.get(format!("{base}/stakeholders/new")).header(COOKIE, &cookie).send().await.expect("form");
    assert_eq!(form.status(), StatusCode::OK);
    let csrf = csrf_of(&form.text().await.expect("body"));
    Session { http, base: base.to_owned(), cookie, csrf }
}

/// One acknowledged write: whose, the new stakeholder's id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Acked {
    email: String,
    id: i64,
    name: String,
}

/// Creates stakeholders until the server stops answering; returns the
/// writes it acknowledged. Anything but a 303 to the new stakeholder, while
/// the server is up, fails the test.
async fn writer(session: Session, email: String, writer: usize, killed: Arc<AtomicBool>) -> Vec<Acked> {
    let mut acked = Vec::new();
    for n in 0.. {
        let name = format!("Storm {writer}-{n}");
        let sent = session
            .http
            .post(format!("{}/stakeholders", session.base))
            .header(COOKIE, &session.cookie)
            .form(&[
                ("_csrf", session.csrf.as_str()),
                ("name", name.as_str()),
                ("function", "engineering"),
                ("influence", "3"),
                ("interest", "3"),
                ("health", "4"),
                ("goals", "Ship the storm safely"),
            ])
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(_) if killed.load(Ordering::SeqCst) => break,
            Err(error) => panic!("request failed before the kill: {error}"),
        };
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name}");
        let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let id = location
            .strip_prefix("/stakeholders/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a redirect to the new stakeholder, not {location:?}"));
        acked.push(Acked { email: email.clone(), id, name });
    }
    acked
}

/// Storms the server, kills it mid-storm, restarts it and checks every
/// acknowledged write. `store_args` name the database; `url` opens it here.
async fn storm_kill_restart(store_args: &[&str], url: &str, log: &Path) -> Vec<Acked> {
    let mut server = Server::start(store_args, true, log);
    assert!(server.emails.len() >= ACCOUNTS, "demo accounts: {:?}", server.emails);
    let killed = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for email in server.emails.iter().take(ACCOUNTS) {
        let session = sign_in(&server.base, email).await;
        for w in 0..WRITERS_PER_ACCOUNT {
            let label = tasks.len() * 10 + w;
            tasks.push(tokio::spawn(writer(session.clone(), email.clone(), label, killed.clone())));
        }
    }
    tokio::time::sleep(STORM).await;
    killed.store(true, Ordering::SeqCst);
    server.kill();
    let mut acked = Vec::new();
    for task in tasks {
        acked.extend(tokio::time::timeout(Duration::from_secs(20), task).await.expect("writers stop").expect("writer"));
    }
    assert!(acked.len() >= ACCOUNTS * WRITERS_PER_ACCOUNT, "only {} writes acknowledged", acked.len());

    // The same database, a new server.
    let server = Server::start(store_args, false, log);
    let store = pmcoach_store::open(url).await.expect("open the database after the crash");
    let org = store.first_organisation().await.expect("query").expect("org");
    let ids: BTreeMap<String, i64> =
        store.members(org.id).await.expect("members").into_iter().map(|u| (u.email.to_string(), u.id)).collect();
    let mut stored: BTreeMap<i64, (String, String)> = BTreeMap::new();
    for (email, user) in &ids {
        for s in store.stakeholders(*user).await.expect("stakeholders") {
            stored.insert(s.id, (email.clone(), s.profile.name));
        }
    }
    for write in &acked {
        assert_eq!(
            stored.get(&write.id),
            Some(&(write.email.clone(), write.name.clone())),
            "acknowledged write {write:?} is missing after the crash"
        );
    }
    // And the restarted server shows them.
    let first = &acked[0];
    let session = sign_in(&server.base, &first.email).await;
    for write in acked.iter().filter(|w| w.email == first.email) {
        let page = session
            .http
            .get(format!("{}/stakeholders/{}", server.base, write.id))
            .header(COOKIE, &session.cookie)
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), StatusCode::OK, "{write:?}");
        assert!(page.text().await.expect("body").contains(&write.name), "{write:?}");
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // the count of writes, for the report
async fn acknowledged_writes_survive_sigkill_sqlite() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    let data_arg = data.display().to_string();
    let db = data.join("pmcoach.db");
    let acked =
        storm_kill_restart(&["--data-dir", &data_arg], &db.display().to_string(), &tmp.path().join("log")).await;
    eprintln!("SQLite: {} writes acknowledged before the kill, all there after it", acked.len());

    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.expect("open");
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut conn).await.expect("check");
    assert_eq!(check, "ok");
    let broken: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut conn).await.expect("fk");
    assert!(broken.is_empty(), "{broken:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // the count of writes, for the report
async fn acknowledged_writes_survive_sigkill_postgres() {
    let Some(server) = pg_server() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let url = fresh_pg_database(&server).await;
    let acked = storm_kill_restart(&["--database-url", &url], &url, &tmp.path().join("log")).await;
    eprintln!("PostgreSQL: {} writes acknowledged before the kill, all there after it", acked.len());

    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
    let (one,): (i32,) = sqlx::query_as("SELECT 1").fetch_one(&mut conn).await.expect("select 1");
    assert_eq!(one, 1);
    // No stakeholder lost its owner and ids still come from the sequence.
    let (orphans,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM stakeholders s LEFT JOIN users u ON u.id = s.user_id WHERE u.id IS NULL")
            .fetch_one(&mut conn)
            .await
            .expect("orphans");
    assert_eq!(orphans, 0);
}
