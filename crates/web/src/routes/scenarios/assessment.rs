//! `/scenarios/assessment`: a fixed set of scenarios per focus skill (the
//! first few tagged with it that suit the person's role, in bank order),
//! answered blind. Their scores form the "Scenarios" signal the results page
//! shows beside self and 360.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pmcoach_core::scenarios::{Window, percent, skill_scores};
use tower_sessions::Session;

use super::{ASSESSMENT_SET, assessment_set, bank, core_attempts};
use crate::access::CurrentUser;
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::routes::growth::skill_name;
use crate::state::AppState;

pub struct SetItem {
    pub id: String,
    pub title: String,
    /// The blind score, "80 %", once answered.
    pub blind: Option<String>,
}

pub struct SkillSet {
    pub id: String,
    pub name: String,
    pub items: Vec<SetItem>,
    pub done: usize,
    /// The skill's scenario signal over every blind answer, once there is one.
    pub signal: Option<String>,
}

#[derive(Template)]
#[template(path = "scenarios_assessment.html")]
struct AssessmentPage {
    chrome: Chrome,
    sets: Vec<SkillSet>,
    per_skill: usize,
    has_context: bool,
    open_cycle: bool,
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    let context = state.store.role_context(user.id).await?;
    let attempts = state.store.blind_attempts(user.id).await?;
    let scores = skill_scores(&bank, &core_attempts(&attempts), Window::ALL);
    let plan = state.store.plan(user.id).await?;
    let sets = plan
        .iter()
        .flat_map(|p| p.active())
        .map(|focus| {
            let id = focus.skill.as_str();
            let items: Vec<SetItem> = assessment_set(&bank, context.as_ref(), id)
                .into_iter()
                .map(|s| SetItem {
                    id: s.id.to_string(),
                    title: s.title.clone(),
                    blind: attempts
                        .iter()
                        .find(|a| a.blind && a.scenario == s.id.as_str())
                        .map(|a| format!("{} %", percent(a.score))),
                })
                .collect();
            SkillSet {
                id: id.to_owned(),
                name: skill_name(&state.framework, id),
                done: items.iter().filter(|i| i.blind.is_some()).count(),
                items,
                signal: scores.iter().find(|s| s.skill.as_str() == id).map(|s| format!("{} %", s.percent)),
            }
        })
        .collect();
    render(&AssessmentPage {
        chrome: Chrome::new(&session, Some(&user), Nav::Scenarios).await?,
        sets,
        per_skill: ASSESSMENT_SET,
        has_context: context.is_some(),
        open_cycle: state.store.open_cycle_of(user.id).await?.is_some(),
    })
}
