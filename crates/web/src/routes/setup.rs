//! First run: with no users yet, `/setup` creates the organisation and its
//! first admin, and signs them in.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_store::NewUser;
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::{self, FieldErrors};
use crate::access::{Access, Routes};
use crate::auth::password;
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::routes::signin::sign_in;
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/setup", Access::Anonymous, form).post("/setup", Access::Anonymous, submit)
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    chrome: Chrome,
    organisation: String,
    name: String,
    email: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupForm {
    organisation: String,
    name: String,
    email: String,
    password: String,
    confirm: String,
}

#[tracing::instrument(skip_all)]
async fn form(State(state): State<AppState>, session: Session) -> AppResult<Response> {
    if state.store.has_users().await? {
        return Ok(Redirect::to("/signin").into_response());
    }
    let chrome = Chrome::new(&session, None, Nav::None).await?;
    render(&SetupPage {
        chrome,
        organisation: String::new(),
        name: String::new(),
        email: String::new(),
        errors: FieldErrors::default(),
    })
}

#[tracing::instrument(skip_all)]
async fn submit(State(state): State<AppState>, session: Session, Form(form): Form<SetupForm>) -> AppResult<Response> {
    if state.store.has_users().await? {
        return Ok(Redirect::to("/signin").into_response());
    }
    let mut errors = FieldErrors::default();
    let organisation =
        forms::required_text(&mut errors, "organisation", "your organisation's name", &form.organisation);
    let name = forms::required_text(&mut errors, "name", "your name", &form.name);
    let email = forms::email(&mut errors, "email", &form.email);
    forms::new_password(&mut errors, "password", &form.password, &form.confirm);
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let chrome = Chrome::new(&session, None, Nav::None).await?;
        let page = SetupPage { chrome, organisation, name, email: form.email.trim().to_owned(), errors };
        let mut response = render(&page)?;
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(response);
    };
    let password_hash = password::hash(form.password).await?;
    let (_, admin) = state.store.create_organisation(&organisation, &NewUser { email, name, password_hash }).await?;
    sign_in(&session, admin.id).await?;
    tracing::info!(user = admin.id, "organisation created");
    Ok(Redirect::to("/profile").into_response())
}
