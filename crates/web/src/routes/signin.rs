//! Signing in and out. Sign-in is rate-limited per client address, checks
//! passwords off the executor with a dummy hash for unknown e-mails, and
//! rotates the session id so a session fixed before sign-in is worthless.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use pmcoach_core::ids::Email;
use serde::Deserialize;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_sessions::Session;

use crate::access::{Access, CurrentUser, MaybeUser, Routes};
use crate::auth::password;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

/// Session key of the signed-in user's id.
pub const USER_KEY: &str = "user_id";
/// When the session was signed in (milliseconds since the epoch): a session
/// older than the account's last password change is refused.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// When a session in use last had its expiry pushed back (see
/// `access::renew_if_half_gone`).
pub const RENEWED_AT_KEY: &str = "renewed_at";

pub fn routes(routes: Routes, state: &AppState) -> Routes {
    routes
        .get("/signin", Access::Anonymous, form)
        .add(Method::POST, "/signin", Access::Anonymous, rate_limited(post(submit), state))
        .post("/signout", Access::Member, sign_out)
}

/// Wraps a route that guesses secrets (sign-in, invitation links) in a
/// per-client-address rate limit, answered with a readable 429 page.
pub fn rate_limited(route: MethodRouter<AppState>, state: &AppState) -> MethodRouter<AppState> {
    let Some(config) = GovernorConfigBuilder::default()
        .burst_size(state.config.sign_in_burst.max(1))
        .period(std::time::Duration::from_secs(state.config.sign_in_refill_seconds.max(1)))
        .finish()
    else {
        return route;
    };
    route.layer(GovernorLayer::new(config).error_handler(|error| {
        let wait = match error {
            tower_governor::GovernorError::TooManyRequests { wait_time, .. } => wait_time,
            _ => 10,
        };
        let mut response = AppError::TooManyAttempts(wait).into_response();
        if let Ok(value) = axum::http::HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }))
}

/// Puts `user` into the session under a fresh session id.
pub async fn sign_in(session: &Session, user_id: i64) -> AppResult<()> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user_id).await?;
    session.insert(SIGNED_IN_AT_KEY, pmcoach_store::now_millis()).await?;
    Ok(())
}

/// Only same-site paths are followed after sign-in, never another origin.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn form(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    Query(query): Query<NextQuery>,
) -> AppResult<Response> {
    if user.is_some() {
        return Ok(Redirect::to(&safe_next(query.next.as_deref())).into_response());
    }
    if !state.store.has_users().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    let chrome = Chrome::new(&session, None, Nav::None).await?;
    render(&SignInPage { chrome, email: String::new(), next: safe_next(query.next.as_deref()), error: None })
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn submit(State(state): State<AppState>, session: Session, Form(form): Form<SignInForm>) -> AppResult<Response> {
    let found = match Email::parse(&form.email) {
        Ok(email) => state.store.user_with_password(&email).await?,
        Err(_) => None,
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let valid = password::verify(form.password, hash, state.dummy_hash.to_string()).await;
    match user {
        Some(user) if valid => {
            sign_in(&session, user.id).await?;
            tracing::info!(user = user.id, "signed in");
            Ok(Redirect::to(&safe_next(form.next.as_deref())).into_response())
        }
        _ => {
            let chrome = Chrome::new(&session, None, Nav::None).await?;
            let page = SignInPage {
                chrome,
                email: form.email.trim().to_owned(),
                next: safe_next(form.next.as_deref()),
                error: Some(
                    "That e-mail address and password do not match an account. Check both and try again.".to_owned(),
                ),
            };
            let mut response = render(&page)?;
            *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            Ok(response)
        }
    }
}

#[tracing::instrument(skip_all)]
async fn sign_out(session: Session, CurrentUser(user): CurrentUser) -> AppResult<Redirect> {
    session.flush().await?;
    tracing::info!(user = user.id, "signed out");
    Ok(Redirect::to("/signin"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/glossary/sql")), "/glossary/sql");
        for bad in ["https://evil.test", "//evil.test", "/\\evil.test", "javascript:alert(1)", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
