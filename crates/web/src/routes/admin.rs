//! Organisation admin: people, roles, reporting lines and invitations.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use pmcoach_store::{OrgRole, User};
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::{self, FieldErrors};
use crate::access::{Access, CurrentUser, Routes};
use crate::auth::secret;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/admin/people", Access::Admin, page)
        .post("/admin/invitations", Access::Admin, invite)
        .post("/admin/people/{user_id}/role", Access::Admin, set_role)
        .post("/admin/people/{user_id}/manager", Access::Admin, set_manager)
        .post("/admin/settings/anonymity", Access::Admin, set_anonymity)
}

/// A person as the admin table shows them.
pub struct PersonRow {
    pub user: User,
}

impl PersonRow {
    pub fn is_managed_by(&self, id: &i64) -> bool {
        self.user.manager_id == Some(*id)
    }
}

/// An invitation as the admin table shows it.
pub struct InvitationRow {
    pub email: String,
    pub role: OrgRole,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    chrome: Chrome,
    people: Vec<PersonRow>,
    invitations: Vec<InvitationRow>,
    roles: &'static [OrgRole],
    invite_link: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    invite_email: String,
    threshold: i64,
}

#[derive(Deserialize)]
struct Notice {
    saved: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    session: &Session,
    admin: &User,
    invite_link: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    invite_email: String,
) -> AppResult<Response> {
    let members = state.store.members(admin.org_id).await?;
    let people = members.into_iter().map(|user| PersonRow { user }).collect();
    let now = pmcoach_store::now_millis();
    let invitations = state
        .store
        .invitations(admin.org_id)
        .await?
        .into_iter()
        .map(|invitation| InvitationRow {
            email: invitation.email.to_string(),
            role: invitation.role,
            status: if invitation.accepted_at.is_some() {
                "joined"
            } else if invitation.expires_at <= now {
                "expired"
            } else {
                "waiting"
            },
        })
        .collect();
    let failed = !errors.is_empty();
    let chrome = Chrome::new(session, Some(admin), Nav::Admin).await?;
    let threshold = state.store.organisation(admin.org_id).await?.anonymity_threshold;
    let mut response = render(&PeoplePage {
        chrome,
        people,
        invitations,
        roles: OrgRole::ALL,
        invite_link,
        notice,
        errors,
        invite_email,
        threshold,
    })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[tracing::instrument(skip_all)]
async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(admin): CurrentUser,
    axum::extract::Query(notice): axum::extract::Query<Notice>,
) -> AppResult<Response> {
    let notice = match notice.saved.as_deref() {
        Some("role") => Some("Role updated.".to_owned()),
        Some("manager") => Some("Reporting line updated.".to_owned()),
        Some("anonymity") => Some(
            "Anonymity threshold saved. It applies to assessments started from now on; open ones keep theirs."
                .to_owned(),
        ),
        _ => None,
    };
    show(&state, &session, &admin, None, notice, FieldErrors::default(), String::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    email: String,
    role: String,
    manager: String,
}

/// Reads a manager field: empty for none, else the id of someone in the organisation.
async fn manager_field(state: &AppState, admin: &User, raw: &str) -> Result<Option<i64>, String> {
    let Some(raw) = super::non_empty(raw) else { return Ok(None) };
    let id: i64 = raw.parse().map_err(|_| "Choose a manager from the list.".to_owned())?;
    match state.store.user(id).await {
        Ok(manager) if manager.org_id == admin.org_id => Ok(Some(id)),
        _ => Err("Choose a manager from the list.".to_owned()),
    }
}

/// The address people reach this server at, for links to send them: the
/// `Host` they used, over HTTPS when a proxy says so.
fn public_base(headers: &axum::http::HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let proto = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    let proto = if proto == "https" { "https" } else { "http" };
    format!("{proto}://{host}")
}

#[tracing::instrument(skip_all)]
async fn invite(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(admin): CurrentUser,
    headers: axum::http::HeaderMap,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let email = forms::email(&mut errors, "email", &form.email);
    let role = OrgRole::parse(&form.role).ok();
    if role.is_none() {
        errors.add("role", "Choose member, manager or admin.");
    }
    let manager = manager_field(&state, &admin, &form.manager).await.unwrap_or_else(|message| {
        errors.add("manager", message);
        None
    });
    if let Some(email) = &email
        && state.store.user_with_password(email).await?.is_some()
    {
        errors.add("email", "Someone with that e-mail address already has an account.");
    }
    let (Some(email), Some(role)) = (email, role) else {
        return show(&state, &session, &admin, None, None, errors, form.email.trim().to_owned()).await;
    };
    if !errors.is_empty() {
        return show(&state, &session, &admin, None, None, errors, form.email.trim().to_owned()).await;
    }
    let token = secret::generate("")?;
    let expires_at = pmcoach_store::now_millis() + state.config.invitation_days * 86_400_000;
    state
        .store
        .create_invitation(admin.org_id, &email, role, manager, &secret::digest(&token), admin.id, expires_at)
        .await?;
    let notice = Some(format!(
        "Invitation for {email} created. Send them this link; it works once and expires in {} days.",
        state.config.invitation_days
    ));
    show(
        &state,
        &session,
        &admin,
        Some(format!("{}/join/{token}", public_base(&headers))),
        notice,
        FieldErrors::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn person(state: &AppState, admin: &User, user_id: &str) -> AppResult<User> {
    let id: i64 = user_id.parse().map_err(|_| AppError::NotFound)?;
    let person = state.store.user(id).await?;
    if person.org_id == admin.org_id { Ok(person) } else { Err(AppError::NotFound) }
}

#[tracing::instrument(skip_all)]
async fn set_role(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(user_id): Path<String>,
    Form(form): Form<RoleForm>,
) -> AppResult<Redirect> {
    let person = person(&state, &admin, &user_id).await?;
    let role = OrgRole::parse(&form.role)
        .map_err(|_| AppError::Invalid(format!("\"{}\" is not a role: choose member, manager or admin.", form.role)))?;
    state.store.set_role(person.id, role).await?;
    Ok(Redirect::to("/admin/people?saved=role"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ManagerForm {
    manager: String,
}

#[tracing::instrument(skip_all)]
async fn set_manager(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(user_id): Path<String>,
    Form(form): Form<ManagerForm>,
) -> AppResult<Redirect> {
    let person = person(&state, &admin, &user_id).await?;
    let manager = manager_field(&state, &admin, &form.manager).await.map_err(AppError::Invalid)?;
    state.store.set_manager(person.id, manager).await?;
    Ok(Redirect::to("/admin/people?saved=manager"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnonymityForm {
    threshold: String,
}

/// How many raters of a group must answer before the group is shown.
#[tracing::instrument(skip_all)]
async fn set_anonymity(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<AnonymityForm>,
) -> AppResult<Redirect> {
    let threshold: i64 = form.threshold.trim().parse().ok().filter(|n| (2..=20).contains(n)).ok_or_else(|| {
        AppError::Invalid(format!(
            "\"{}\" is not a valid threshold: use a whole number from 2 to 20.",
            form.threshold.trim()
        ))
    })?;
    state.store.set_anonymity_threshold(admin.org_id, threshold).await?;
    Ok(Redirect::to("/admin/people?saved=anonymity"))
}
