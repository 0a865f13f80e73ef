//! The dashboard's "Growth plan" card: focus skills, streak, next check-in.

use pmcoach_core::growth::{Date, Streak, streak};
use pmcoach_store::User;

use super::{relative_days, skill_name, today};
use crate::error::AppResult;
use crate::state::AppState;

pub struct GrowthCard {
    pub focus: Vec<(String, String)>,
    pub streak: Streak,
    pub next_check_in: Option<String>,
    pub check_in_due: bool,
}

pub async fn card(state: &AppState, user: &User) -> AppResult<GrowthCard> {
    let plan = state.store.plan(user.id).await?;
    let days: Vec<Date> = state.store.practice_entries(user.id, None).await?.iter().map(|e| e.day).collect();
    let org_days = state.store.organisation(user.org_id).await?.check_in_days;
    let today = today();
    let next = plan.as_ref().and_then(|p| p.next_check_in(org_days)).map(Date::from_millis);
    Ok(GrowthCard {
        focus: plan
            .iter()
            .flat_map(|p| p.active())
            .map(|s| (s.skill.to_string(), skill_name(&state.framework, s.skill.as_str())))
            .collect(),
        streak: streak(days, today),
        next_check_in: next.map(|d| format!("{} ({})", d.human(), relative_days(d, today))),
        check_in_due: next.is_some_and(|d| d <= today),
    })
}
