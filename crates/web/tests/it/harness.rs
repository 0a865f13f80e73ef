//! Spawning the real app and talking to it like a browser: cookies kept,
//! redirects not followed (so tests can see them), CSRF tokens read from
//! the pages.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use pmcoach_core::framework::Framework;
use pmcoach_store::Store;
use pmcoach_web::{App, Config, RouteRule};
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery";

/// A running app on a fresh database.
#[allow(missing_debug_implementations)]
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    pub rules: Vec<RouteRule>,
    /// The configuration the app runs with.
    pub config: Config,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    /// The app on a fresh SQLite file, or on a fresh PostgreSQL database when
    /// `PMCOACH_TEST_PG_URL` is set and `postgres` is true.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            addr: "127.0.0.1:0".parse().expect("addr"),
            data_dir: dir.path().to_owned(),
            // Plenty for a test's own sign-ins; the rate-limit test lowers it.
            sign_in_burst: 50,
            ..Config::default()
        };
        // Tests run reminder passes themselves, at the times they choose.
        config.reminders.enabled = false;
        adjust(&mut config);
        let store = pmcoach_store::open(&config.store_url()).await.expect("open store");
        let framework = Framework::embedded().expect("framework");
        let app = App::with_parts(config.clone(), store.clone(), framework).await.expect("build app");
        let addr = app.local_addr().expect("addr");
        let rules = app.rules().to_vec();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.serve(async {
            let _ = rx.await;
        }));
        TestApp { addr, store, rules, config, _dir: dir, shutdown: Some(tx) }
    }

    /// The app on a fresh PostgreSQL database of the server in
    /// `PMCOACH_TEST_PG_URL`, or None when it is not set.
    pub async fn spawn_on_postgres() -> Option<TestApp> {
        let server = std::env::var("PMCOACH_TEST_PG_URL").ok()?;
        let url = fresh_pg_database(&server).await;
        Some(Self::spawn_with(|config| config.database_url = Some(url)).await)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client with no cookies yet.
    pub fn client(&self) -> Client {
        Client { base: self.url(""), http: http(), cookies: BTreeMap::new() }
    }

    /// Creates the organisation through /setup; returns the admin's client.
    pub async fn setup(&self) -> Client {
        let mut admin = self.client();
        let page = admin.get("/setup").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let response = admin
            .post_form(
                "/setup",
                &[
                    ("organisation", "Northwind"),
                    ("name", "Ada Admin"),
                    ("email", "ada@northwind.test"),
                    ("password", PASSWORD),
                    ("confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        admin
    }

    /// Creates an account directly in the store and signs it in.
    pub async fn member(
        &self,
        email: &str,
        name: &str,
        role: pmcoach_store::OrgRole,
        manager: Option<i64>,
    ) -> (Client, pmcoach_store::User) {
        let org = self.store.first_organisation().await.expect("query").expect("run setup() first");
        let hash = pmcoach_web::hash_password(PASSWORD.to_owned()).await.expect("hash");
        let new_user = pmcoach_store::NewUser {
            email: pmcoach_core::ids::Email::parse(email).expect("email"),
            name: name.to_owned(),
            password_hash: hash,
        };
        let user = self.store.create_user(org.id, &new_user, role, manager).await.expect("create user");
        let mut client = self.client();
        client.sign_in(email, PASSWORD).await;
        (client, user)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Creates a uniquely named database on the server of `url`; returns its URL.
pub async fn fresh_pg_database(url: &str) -> String {
    use sqlx::Connection;
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "pmcoach_test_web_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        pmcoach_store::now_millis()
    );
    let mut admin = sqlx::PgConnection::connect(url).await.expect("connect to the PostgreSQL server");
    // The name is ours (pid, counter, clock), not input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create");
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client")
}

/// What a response carried, read in full.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"_csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A browser-like client: keeps cookies, follows nothing.
#[allow(missing_debug_implementations)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Page {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request = request.header(COOKIE, cookie);
        }
        let response = build(request).send().await.expect("request");
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().expect("cookie");
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let expired = text.contains("Max-Age=0") || value.is_empty();
                if expired {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Page { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, |r| r).await
    }

    /// Posts a form as-is (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let fields: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.send(Method::POST, path, |r| r.form(&fields)).await
    }

    /// Posts a form with this session's CSRF token, as a page's form would.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// This session's CSRF token, read from a page that has a form.
    pub async fn csrf_token(&mut self) -> String {
        for path in ["/settings", "/signin", "/setup"] {
            let page = self.get(path).await;
            if page.status == StatusCode::OK
                && let Some(token) = page.csrf()
            {
                return token;
            }
        }
        panic!("no page with a form to read a CSRF token from");
    }

    pub fn session(&self) -> Option<&String> {
        self.cookies.get("pmcoach_session")
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let page = self.post_form("/signin", &[("email", email), ("password", password)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "sign-in failed: {}", page.body);
        page
    }
}
