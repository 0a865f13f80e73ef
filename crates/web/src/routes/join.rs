//! Accepting an invitation: the link carries a secret whose digest the
//! database holds; it works once, until it expires.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pmcoach_store::{Invitation, NewUser};
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::{self, FieldErrors};
use crate::access::{Access, Routes};
use crate::auth::{password, secret};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::signin::{rate_limited, sign_in};
use crate::state::AppState;

pub fn routes(routes: Routes, state: &AppState) -> Routes {
    routes.add(Method::GET, "/join/{token}", Access::Anonymous, rate_limited(get(form), state)).add(
        Method::POST,
        "/join/{token}",
        Access::Anonymous,
        rate_limited(post(submit), state),
    )
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    chrome: Chrome,
    organisation: String,
    email: String,
    token: String,
    name: String,
    errors: FieldErrors,
}

/// The live invitation behind a link, or a clear reason why it is not.
async fn invitation(state: &AppState, token: &str) -> AppResult<Invitation> {
    let invitation = state.store.invitation_by_token(&secret::digest(token)).await?.ok_or_else(|| {
        AppError::Gone(
            "This invitation link is not valid. Check that you copied all of it, or ask your admin for a new one."
                .to_owned(),
        )
    })?;
    if invitation.accepted_at.is_some() {
        return Err(AppError::Gone(
            "This invitation has already been used. Sign in instead, or ask your admin for a new link.".to_owned(),
        ));
    }
    if invitation.expires_at <= pmcoach_store::now_millis() {
        return Err(AppError::Gone("This invitation link has expired. Ask your admin to send a new one.".to_owned()));
    }
    Ok(invitation)
}

#[tracing::instrument(skip_all)]
async fn form(State(state): State<AppState>, session: Session, Path(token): Path<String>) -> AppResult<Response> {
    let invitation = invitation(&state, &token).await?;
    let organisation = state.store.organisation(invitation.org_id).await?.name;
    let chrome = Chrome::new(&session, None, Nav::None).await?;
    render(&JoinPage {
        chrome,
        organisation,
        email: invitation.email.to_string(),
        token,
        name: String::new(),
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JoinForm {
    name: String,
    password: String,
    confirm: String,
}

#[tracing::instrument(skip_all)]
async fn submit(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Form(form): Form<JoinForm>,
) -> AppResult<Response> {
    let invitation = invitation(&state, &token).await?;
    let mut errors = FieldErrors::default();
    let name = forms::required_text(&mut errors, "name", "your name", &form.name);
    forms::new_password(&mut errors, "password", &form.password, &form.confirm);
    if !errors.is_empty() {
        let organisation = state.store.organisation(invitation.org_id).await?.name;
        let chrome = Chrome::new(&session, None, Nav::None).await?;
        let page = JoinPage { chrome, organisation, email: invitation.email.to_string(), token, name, errors };
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let password_hash = password::hash(form.password).await?;
    let user = NewUser { email: invitation.email.clone(), name, password_hash };
    let created = state.store.accept_invitation(invitation.id, &user, pmcoach_store::now_millis()).await?;
    sign_in(&session, created.id).await?;
    tracing::info!(user = created.id, "joined by invitation");
    Ok(Redirect::to("/profile").into_response())
}
