//! The dashboard: the next step for the signed-in person, their heaviest
//! skills once their role context is set, and their team for managers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pmcoach_core::context::engine;
use pmcoach_store::User;
use tower_sessions::Session;

use crate::access::{Access, CurrentUser, Routes};
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::routes::stakeholders::StakeholderSummary;
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/", Access::Member, dashboard)
}

/// One of the heaviest skills of the person's profile.
pub struct TopSkill {
    pub id: String,
    pub name: String,
    pub target: u8,
    pub level_name: &'static str,
    pub percent: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    first_name: String,
    organisation: String,
    context_summary: Option<String>,
    top: Vec<TopSkill>,
    reports: Vec<User>,
    members: usize,
    is_admin: bool,
    growth: crate::routes::growth::summary::GrowthCard,
    stakeholders: StakeholderSummary,
}

#[tracing::instrument(skip_all)]
async fn dashboard(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    let organisation = state.store.organisation(user.org_id).await?.name;
    let context = state.store.role_context(user.id).await?;
    let (context_summary, top) = match &context {
        Some(context) => {
            let profile = engine::profile(&state.framework, context);
            let top = profile
                .skills
                .iter()
                .take(5)
                .map(|skill| TopSkill {
                    id: skill.id.to_string(),
                    name: skill.name.clone(),
                    target: skill.target.get(),
                    level_name: skill.target.name(),
                    percent: format!("{:.1}", skill.weight * 100.0),
                })
                .collect();
            let industry = context.industry.as_deref().map(|i| format!(" in {i}")).unwrap_or_default();
            (Some(format!("{} · {} · {} company{industry}", context.role, context.level, context.stage)), top)
        }
        None => (None, Vec::new()),
    };
    let reports = state.store.reports(user.id).await?;
    let members = if user.is_admin() { state.store.members(user.org_id).await?.len() } else { 0 };
    let growth = crate::routes::growth::summary::card(&state, &user).await?;
    let stakeholders = StakeholderSummary::of(&state, user.id).await?;
    let chrome = Chrome::new(&session, Some(&user), Nav::Dashboard).await?;
    let first_name = user.name.split_whitespace().next().unwrap_or(&user.name).to_owned();
    render(&DashboardPage {
        chrome,
        first_name,
        organisation,
        context_summary,
        top,
        reports,
        members,
        is_admin: user.is_admin(),
        growth,
        stakeholders,
    })
}
