//! Personal settings: password change and API tokens.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_store::{ApiToken, User};
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::{self, FieldErrors};
use crate::access::{Access, CurrentUser, Routes};
use crate::auth::{password, secret};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/settings", Access::Member, page)
        .post("/settings/password", Access::Member, change_password)
        .post("/settings/tokens", Access::Member, create_token)
        .post("/settings/tokens/{token_id}/revoke", Access::Member, revoke_token)
        .post("/settings/reminders", Access::Member, set_reminders)
}

/// A token as the settings page lists it.
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

fn date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
}

impl From<ApiToken> for TokenRow {
    fn from(token: ApiToken) -> Self {
        TokenRow {
            id: token.id,
            name: token.name,
            created: date(token.created_at),
            last_used: token.last_used_at.map_or_else(|| "never".to_owned(), date),
            revoked: token.revoked_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    user: User,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    token_name: String,
    /// Whether this server sends e-mail at all.
    server_email: bool,
    email_reminders: bool,
}

async fn show(
    state: &AppState,
    session: &Session,
    user: User,
    new_token: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    token_name: String,
) -> AppResult<Response> {
    let tokens = state.store.api_tokens(user.id).await?.into_iter().map(TokenRow::from).collect();
    let chrome = Chrome::new(session, Some(&user), Nav::Settings).await?;
    let failed = !errors.is_empty();
    let server_email = state.config.email.enabled;
    let email_reminders = state.store.email_reminders(user.id).await?;
    let mut response = render(&SettingsPage {
        chrome,
        user,
        tokens,
        new_token,
        notice,
        errors,
        token_name,
        server_email,
        email_reminders,
    })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct Notice {
    saved: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    axum::extract::Query(notice): axum::extract::Query<Notice>,
) -> AppResult<Response> {
    let notice = match notice.saved.as_deref() {
        Some("password") => Some("Your password has been changed.".to_owned()),
        Some("revoked") => Some("The token has been revoked; scripts using it will stop working.".to_owned()),
        Some("reminders-on") => Some("Your reminders will also reach you by e-mail.".to_owned()),
        Some("reminders-off") => Some("Your reminders will only show in pmcoach, not by e-mail.".to_owned()),
        _ => None,
    };
    show(&state, &session, user, None, notice, FieldErrors::default(), String::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

#[tracing::instrument(skip_all)]
async fn change_password(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let (_, hash) = state.store.user_with_password(&user.email).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    if !password::verify(form.current, Some(hash), state.dummy_hash.to_string()).await {
        errors.add("current", "That is not your current password.");
    }
    forms::new_password(&mut errors, "password", &form.password, &form.confirm);
    if !errors.is_empty() {
        return show(&state, &session, user, None, None, errors, String::new()).await;
    }
    state.store.set_password(user.id, &password::hash(form.password).await?).await?;
    // Every other session of this account is now refused; this one is
    // signed in afresh, under a new id.
    super::signin::sign_in(&session, user.id).await?;
    Ok(Redirect::to("/settings?saved=password").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    name: String,
}

#[tracing::instrument(skip_all)]
async fn create_token(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let name = forms::required_text(&mut errors, "name", "a name for the token", &form.name);
    if !errors.is_empty() {
        return show(&state, &session, user, None, None, errors, name).await;
    }
    let token = secret::generate("pmc_")?;
    state.store.create_api_token(user.id, &name, &secret::digest(&token)).await?;
    let notice = Some(format!(
        "Token \"{name}\" created. Copy it now: pmcoach keeps only a fingerprint and cannot show it again."
    ));
    show(&state, &session, user, Some(token), notice, FieldErrors::default(), String::new()).await
}

#[tracing::instrument(skip_all)]
async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(token_id): Path<String>,
) -> AppResult<Redirect> {
    let id: i64 = token_id.parse().map_err(|_| AppError::NotFound)?;
    if state.store.revoke_api_token(user.id, id).await? {
        Ok(Redirect::to("/settings?saved=revoked"))
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RemindersForm {
    /// A checkbox: present ("on") when ticked, absent otherwise.
    email: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn set_reminders(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(form): Form<RemindersForm>,
) -> AppResult<Redirect> {
    let on = match form.email.as_deref() {
        None => false,
        Some("on") => true,
        Some(other) => {
            return Err(AppError::Invalid(format!(
                "The e-mail reminders box sent {other:?}; expected it ticked or not. Reload the page and try again."
            )));
        }
    };
    state.store.set_email_reminders(user.id, on).await?;
    Ok(Redirect::to(if on { "/settings?saved=reminders-on" } else { "/settings?saved=reminders-off" }))
}
