//! The dashboard's "Growth plan" card: focus skills, streak, next check-in.

use pmcoach_core::growth::{Date, Streak, streak};
use pmcoach_store::User;

use pmcoach_core::framework::Framework;
use pmcoach_store::growth::Plan;

use super::{relative_days, skill_name};
use crate::error::AppResult;
use crate::state::AppState;

pub struct GrowthCard {
    pub focus: Vec<(String, String)>,
    pub streak: Streak,
    pub next_check_in: Option<String>,
    pub check_in_due: bool,
}

/// What the card is made of, read from the store; the card itself depends
/// on the day too, so it is worked out from these per request.
pub struct GrowthInputs {
    plan: Option<Plan>,
    days: Vec<Date>,
    org_check_in_days: i64,
}

pub async fn inputs(state: &AppState, user: &User, org_check_in_days: i64) -> AppResult<GrowthInputs> {
    let plan = state.store.plan(user.id).await?;
    let days = state.store.practice_entries(user.id, None).await?.iter().map(|e| e.day).collect();
    Ok(GrowthInputs { plan, days, org_check_in_days })
}

pub fn card(framework: &Framework, inputs: &GrowthInputs, today: Date) -> GrowthCard {
    let plan = inputs.plan.as_ref();
    let next = plan.and_then(|p| p.next_check_in(inputs.org_check_in_days)).map(Date::from_millis);
    GrowthCard {
        focus: plan
            .into_iter()
            .flat_map(|p| p.active())
            .map(|s| (s.skill.to_string(), skill_name(framework, s.skill.as_str())))
            .collect(),
        streak: streak(inputs.days.iter().copied(), today),
        next_check_in: next.map(|d| format!("{} ({})", d.human(), relative_days(d, today))),
        check_in_due: next.is_some_and(|d| d <= today),
    }
}
