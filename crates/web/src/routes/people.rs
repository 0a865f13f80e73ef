//! One person's role context and target profile, read-only, for them and
//! their manager.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

use super::profile::{ContextFact, ProfileView, context_facts};
use crate::access::{Access, CurrentUser, Routes};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/people/{id}", Access::ManagerOfSubject, person)
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    name: String,
    first_name: String,
    email: String,
    /// The viewer is looking at their own page.
    own: bool,
    facts: Vec<ContextFact>,
    profile: Option<ProfileView>,
    /// Where the viewer can see this person's assessment results.
    results_link: String,
}

#[tracing::instrument(skip_all, fields(id = %id))]
async fn person(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // The access rule has already checked that the viewer is this person or their manager.
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let person = state.store.user(id).await?;
    let context = state.store.role_context(person.id).await?;
    let own = person.id == viewer.id;
    let chrome = Chrome::new(&session, Some(&viewer), if own { Nav::Profile } else { Nav::Team }).await?;
    render(&PersonPage {
        chrome,
        first_name: person.name.split_whitespace().next().unwrap_or(&person.name).to_owned(),
        email: person.email.to_string(),
        own,
        facts: context.as_ref().map(context_facts).unwrap_or_default(),
        profile: context.as_ref().map(|context| ProfileView::new(&state.framework, context, "person")),
        results_link: if own { "/results".to_owned() } else { format!("/people/{}/results", person.id) },
        name: person.name,
    })
}
