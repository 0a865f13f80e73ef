//! The dashboard: the next step for the signed-in person, their heaviest
//! skills once their role context is set, and their team for managers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pmcoach_core::context::engine;
use pmcoach_store::User;
use tower_sessions::Session;

use pmcoach_core::growth::Date;
use pmcoach_store::stakeholders::Stakeholder;

use crate::access::{Access, CurrentUser, Routes, SeenVersion};
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::routes::growth::summary::{self, GrowthCard, GrowthInputs};
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
struct DashboardPage<'a> {
    chrome: Chrome,
    first_name: &'a str,
    organisation: &'a str,
    context_summary: &'a Option<String>,
    top: &'a [TopSkill],
    reports: &'a [User],
    members: usize,
    is_admin: bool,
    growth: GrowthCard,
    stakeholders: StakeholderSummary,
}

/// Everything on the dashboard that only the data decides, kept until the
/// data version moves (see [`crate::page_cache`]); what the clock decides
/// (streak, due check-in, overdue 1:1s) is worked out per request.
struct DashboardData {
    organisation: String,
    context_summary: Option<String>,
    top: Vec<TopSkill>,
    reports: Vec<User>,
    members: usize,
    growth: GrowthInputs,
    stakeholders: Vec<Stakeholder>,
}

async fn load(state: &AppState, user: &User) -> AppResult<DashboardData> {
    let organisation = state.store.organisation(user.org_id).await?;
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
    Ok(DashboardData {
        context_summary,
        top,
        reports: state.store.reports(user.id).await?,
        members: if user.is_admin() { state.store.members(user.org_id).await?.len() } else { 0 },
        growth: summary::inputs(state, user, organisation.check_in_days).await?,
        stakeholders: state.store.stakeholders(user.id).await?,
        organisation: organisation.name,
    })
}

#[tracing::instrument(skip_all)]
async fn dashboard(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    SeenVersion(version): SeenVersion,
) -> AppResult<Response> {
    let data = state.pages.get_or_load(version, user.id, "dashboard", || load(&state, &user)).await?;
    let now = pmcoach_store::now_millis();
    let chrome = Chrome::new(&session, Some(&user), Nav::Dashboard).await?;
    let first_name = user.name.split_whitespace().next().unwrap_or(&user.name);
    render(&DashboardPage {
        chrome,
        first_name,
        organisation: &data.organisation,
        context_summary: &data.context_summary,
        top: &data.top,
        reports: &data.reports,
        members: data.members,
        is_admin: user.is_admin(),
        growth: summary::card(&state.framework, &data.growth, Date::from_millis(now)),
        stakeholders: StakeholderSummary::at(&data.stakeholders, now),
    })
}
