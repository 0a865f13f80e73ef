//! pmcoach's web application: server-rendered pages, the JSON API under
//! `/api/v1`, accounts, sessions and access rules.
//!
//! [`App::build`] opens the store, runs migrations, binds the listener (port
//! 0 in tests) and returns the app ready to [`App::serve`].

pub mod access;
mod assets;
mod auth;
mod charts;
mod charts_results;
pub mod config;
pub mod demo;

mod error;
mod mail;
mod page;
mod page_cache;
pub mod reminders;
mod routes;
mod state;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use pmcoach_core::framework::Framework;
use pmcoach_store::Store;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use access::{Access, RouteRule};
pub use auth::password::{check_new as check_new_password, hash as hash_password};
pub use auth::secret::digest as secret_digest;
pub use config::{Config, DEFAULT_CONFIG_TOML};
pub use state::AppState;

/// A built application: bound, migrated, ready to serve.
#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    router: Router,
    rules: Vec<RouteRule>,
    pub state: AppState,
}

impl App {
    /// Opens the store named by `config`, loads the framework and binds
    /// `config.addr`.
    pub async fn build(config: Config) -> anyhow::Result<App> {
        let framework = Framework::embedded()
            .map_err(|problems| anyhow::anyhow!("the built-in framework is invalid: {problems:?}"))?;
        Self::build_with(config, framework).await
    }

    /// Like [`App::build`], with a framework the caller loaded (and checked)
    /// from its own folder.
    pub async fn build_with(config: Config, framework: Framework) -> anyhow::Result<App> {
        config.validate()?;
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("cannot create the data folder {}", config.data_dir.display()))?;
        }
        let store = pmcoach_store::open(&config.store_url()).await?;
        Self::with_parts(config, store, framework).await
    }

    /// Builds the app on a store and framework the caller already has.
    pub async fn with_parts(config: Config, store: Arc<dyn Store>, framework: Framework) -> anyhow::Result<App> {
        let dummy_hash = auth::password::hash(auth::secret::generate("")?).await?;
        let listener =
            TcpListener::bind(config.addr).await.with_context(|| format!("cannot listen on {}", config.addr))?;
        let state = AppState {
            store,
            framework: Arc::new(framework),
            config: Arc::new(config),
            dummy_hash: Arc::new(dummy_hash),
            pages: Arc::default(),
        };
        let (router, rules) = router(state.clone());
        Ok(App { listener, router, rules, state })
    }

    /// The address the server listens on (the real port when 0 was asked).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Every route with its access rule.
    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let purge = tokio::spawn(purge_sessions(self.state.store.clone()));
        let reminders = self
            .state
            .config
            .reminders
            .enabled
            .then(|| reminders::Reminders::new(self.state.store.clone(), self.state.config.clone()))
            .transpose()
            .map_err(std::io::Error::other)?
            .map(|reminders| tokio::spawn(reminders.run()));
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await;
        purge.abort();
        if let Some(task) = reminders {
            task.abort();
        }
        result
    }
}

/// Expired sessions are useless; sweep them hourly.
async fn purge_sessions(store: Arc<dyn Store>) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    loop {
        interval.tick().await;
        match store.sessions_purge(pmcoach_store::now_millis()).await {
            Ok(removed) => tracing::debug!(removed, "purged expired sessions"),
            Err(error) => tracing::warn!(%error, "could not purge expired sessions"),
        }
    }
}

/// The whole application router with its security layers, and its rules.
pub fn router(state: AppState) -> (Router, Vec<RouteRule>) {
    let (routes, rules) = routes::all(state.clone());
    let sessions = SessionManagerLayer::new(auth::session_store::DbSessionStore::new(state.store.clone()))
        .with_name("pmcoach_session")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(state.config.session_days)));
    let router = routes
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .with_state(state)
        .layer(sessions)
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(header_layer(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"));
    (router, rules)
}

/// Only our own scripts, styles and images; no framing by anyone.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
