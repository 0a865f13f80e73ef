//! Scenario practice (issue 7, M7): situational-judgement scenarios answered
//! one at a time with keyed feedback, the per-skill progress chart, the
//! assessment set for focus skills, the scenario signal on the results page,
//! and item statistics for admins.
//!
//! Scoring, the per-skill signal and the statistics are
//! `pmcoach_core::scenarios`; the store keeps attempts and decides which one
//! is blind. A person's attempts are loaded by owner, so nobody ever sees
//! another member's answers; admins see only anonymous figures.

pub mod admin;
pub mod assessment;
pub mod chart;
pub mod practice;
pub mod signal;

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use pmcoach_core::context::{CareerLevel, Role, RoleContext};
use pmcoach_core::framework::Framework;
use pmcoach_core::scenarios::{Attempt, Scenario, ScenarioBank};
use pmcoach_store::StoredAttempt;

use crate::access::{Access, Routes};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/scenarios", Access::Member, practice::list)
        .get("/scenarios/progress", Access::Member, practice::progress)
        .get("/scenarios/assessment", Access::Member, assessment::page)
        .get("/scenarios/{scenario}", Access::Member, practice::show)
        .post("/scenarios/{scenario}", Access::Member, practice::answer)
        .get("/admin/scenarios", Access::Admin, admin::page)
        .get("/admin/scenarios.csv", Access::Admin, admin::csv)
}

/// The shipped bank, validated against the app's framework once. (A bank
/// that does not fit the framework is a build problem the CLI's `scenarios
/// validate` and core's tests catch; here it fails the page, not the app.)
pub fn bank(state: &AppState) -> AppResult<Arc<ScenarioBank>> {
    static BANK: OnceLock<Result<Arc<ScenarioBank>, String>> = OnceLock::new();
    BANK.get_or_init(|| load(&state.framework))
        .clone()
        .map_err(|problems| AppError::Internal(anyhow::anyhow!("the scenario bank does not load: {problems}")))
}

fn load(framework: &Framework) -> Result<Arc<ScenarioBank>, String> {
    ScenarioBank::embedded(framework)
        .map(Arc::new)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
}

/// The scenario a path names, or 404.
pub fn find<'a>(bank: &'a ScenarioBank, id: &str) -> AppResult<&'a Scenario> {
    bank.get(id).ok_or(AppError::NotFound)
}

pub fn core_attempts(attempts: &[StoredAttempt]) -> Vec<Attempt> {
    attempts.iter().map(StoredAttempt::core).collect()
}

/// The scenarios that suit a role context (all of them without one), in
/// bank order.
pub fn suited<'a>(bank: &'a ScenarioBank, context: Option<&RoleContext>) -> Vec<&'a Scenario> {
    match context {
        Some(context) => bank.suited_to(context.role, context.level).collect(),
        None => bank.iter().collect(),
    }
}

/// The fixed assessment set of a skill: the first scenarios tagged with it
/// that suit the person, in bank order.
pub const ASSESSMENT_SET: usize = 3;

pub fn assessment_set<'a>(bank: &'a ScenarioBank, context: Option<&RoleContext>, skill: &str) -> Vec<&'a Scenario> {
    suited(bank, context).into_iter().filter(|s| s.exercises(skill)).take(ASSESSMENT_SET).collect()
}

/// Skill ids the bank tags, for filters.
pub fn tagged_skills(bank: &ScenarioBank) -> BTreeSet<String> {
    bank.iter().flat_map(|s| s.skills.iter().map(|id| id.to_string())).collect()
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Pm => "PM",
        Role::Pmm => "PMM",
        Role::Tpm => "TPM",
        Role::GrowthPm => "growth PM",
        Role::PlatformPm => "platform PM",
    }
}

pub fn level_label(level: CareerLevel) -> &'static str {
    match level {
        CareerLevel::Apm => "associate",
        CareerLevel::Pm => "mid-level",
        CareerLevel::Senior => "senior",
        CareerLevel::Lead => "lead",
        CareerLevel::Director => "director",
        CareerLevel::Vp => "VP",
    }
}

/// The scoring method in one line, per format, as the feedback shows it.
pub const RATING_METHOD: &str = "Rating score = 1 − (sum of |your rating − key| over the options) ÷ (4 × number of options): \
     4 is the furthest a rating can be from a key.";
pub const BEST_WORST_METHOD: &str = "Best/worst score = the mean of 1 − (top key − key of your best) ÷ 4 and 1 − (key of your worst − bottom key) ÷ 4: \
     full marks for picking a top-keyed best and a bottom-keyed worst.";
