//! `/plan`: focus skills with goals and activities, check-ins, sharing with
//! the manager and the reassessment prompt.

use std::collections::HashMap;

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::framework::model::{Cadence, Skill};
use pmcoach_core::growth::{
    CheckInFeeling, Date, MAX_FOCUS_SKILLS, REASSESS_AFTER_DAYS, activity_overdue, check_in_days, focus_room,
    reassessment_due,
};
use pmcoach_core::ids::SkillId;
use pmcoach_store::growth::{CheckInAnswer, FocusOutcome, FocusSkill, Plan, PracticeEntry};
use pmcoach_store::{StoreError, User, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::{LONG_TEXT, SHORT_TEXT, SkillGroup, first_name, limited, relative_days, required, skill_groups, today};
use crate::access::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::forms::FieldErrors;
use crate::routes::results::released;
use crate::state::AppState;

const DAY: i64 = 86_400_000;

/// "Weekly", "Once".
pub fn cadence_label(cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Once => "Once",
        Cadence::Daily => "Daily",
        Cadence::Weekly => "Weekly",
        Cadence::Fortnightly => "Every two weeks",
        Cadence::Monthly => "Monthly",
        Cadence::Quarterly => "Quarterly",
    }
}

pub struct ActivityView {
    pub id: i64,
    pub title: String,
    pub cadence: &'static str,
    pub effort: String,
    pub description: String,
    pub custom: bool,
    pub practised: usize,
    pub last_done: String,
    pub overdue: bool,
}

/// A framework activity that can still be added.
pub struct ActivityOption {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

pub struct CadenceOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn cadence_options(selected: &str) -> Vec<CadenceOption> {
    Cadence::ALL
        .iter()
        .map(|c| CadenceOption { value: c.as_str(), label: cadence_label(*c), selected: c.as_str() == selected })
        .collect()
}

/// What the person typed into a focus skill's forms, kept on an error.
#[derive(Default)]
pub struct ActivityForm {
    pub activity: String,
    pub title: String,
    pub cadence: String,
    pub errors: FieldErrors,
    pub goal: Option<String>,
    pub goal_error: Option<String>,
}

pub struct FocusView {
    pub id: i64,
    pub skill_id: String,
    pub name: String,
    pub category: &'static str,
    pub goal: String,
    pub added: String,
    pub activities: Vec<ActivityView>,
    pub options: Vec<ActivityOption>,
    pub cadences: Vec<CadenceOption>,
    pub entries: usize,
    pub entries_since_check_in: usize,
    pub last_confidence: Option<i64>,
    pub overdue: usize,
    pub form: ActivityForm,
}

impl FocusView {
    pub fn new(
        skill: &FocusSkill,
        framework_skill: Option<&Skill>,
        entries: &[PracticeEntry],
        plan: &Plan,
        today: Date,
        form: ActivityForm,
    ) -> FocusView {
        let mine: Vec<&PracticeEntry> =
            entries.iter().filter(|e| e.skill == skill.skill && e.day >= Date::from_millis(skill.added_at)).collect();
        let since = plan.last_check_in().map_or(Date::from_millis(skill.added_at), |c| Date::from_millis(c.at));
        let activities: Vec<ActivityView> = skill
            .activities
            .iter()
            .map(|a| {
                let done: Vec<Date> = mine.iter().filter(|e| e.activity_id == Some(a.id)).map(|e| e.day).collect();
                let last = done.iter().max().copied();
                let framework_activity = a.activity.as_deref().and_then(|id| framework_skill?.activity(id));
                ActivityView {
                    id: a.id,
                    title: a.title.clone(),
                    cadence: cadence_label(a.cadence),
                    effort: framework_activity.map(|f| f.effort.to_string()).unwrap_or_default(),
                    description: framework_activity.map(|f| f.description.clone()).unwrap_or_default(),
                    custom: a.activity.is_none(),
                    practised: done.len(),
                    last_done: last.map_or_else(|| "not yet".to_owned(), |d| relative_days(d, today)),
                    overdue: activity_overdue(a.cadence, Date::from_millis(a.added_at), last, today),
                }
            })
            .collect();
        let taken: Vec<&str> = skill.activities.iter().filter_map(|a| a.activity.as_deref()).collect();
        let options = framework_skill
            .map(|s| {
                s.activities
                    .iter()
                    .filter(|a| !taken.contains(&a.id.as_str()))
                    .map(|a| ActivityOption {
                        id: a.id.clone(),
                        label: format!("{} ({}, {})", a.title, cadence_label(a.cadence).to_lowercase(), a.effort),
                        selected: a.id == form.activity,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let last_confidence = plan
            .check_ins
            .iter()
            .rev()
            .find_map(|c| c.answers.iter().find(|a| a.focus_id == skill.id).map(|a| a.confidence));
        FocusView {
            id: skill.id,
            skill_id: skill.skill.to_string(),
            name: framework_skill.map_or_else(|| skill.skill.to_string(), |s| s.name.clone()),
            category: framework_skill.map_or("soft", |s| s.category.as_str()),
            goal: skill.goal.clone(),
            added: Date::from_millis(skill.added_at).human(),
            overdue: activities.iter().filter(|a| a.overdue).count(),
            activities,
            options,
            cadences: cadence_options(&form.cadence),
            entries: mine.len(),
            entries_since_check_in: mine.iter().filter(|e| e.day >= since).count(),
            last_confidence,
            form,
        }
    }
}

pub struct Suggestion {
    pub skill_id: String,
    pub name: String,
    pub reason: String,
}

pub struct CheckInView {
    pub date: String,
    pub answers: Vec<AnswerView>,
}

pub struct AnswerView {
    pub skill: String,
    pub feeling: &'static str,
    pub confidence: i64,
    pub note: String,
}

pub struct PastSkill {
    pub name: String,
    pub goal: String,
    pub span: String,
    pub outcome: &'static str,
}

pub fn check_in_views(plan: &Plan, state: &AppState) -> Vec<CheckInView> {
    plan.check_ins
        .iter()
        .rev()
        .map(|c| CheckInView {
            date: Date::from_millis(c.at).human(),
            answers: c
                .answers
                .iter()
                .map(|a| AnswerView {
                    skill: plan
                        .skills
                        .iter()
                        .find(|s| s.id == a.focus_id)
                        .map_or_else(String::new, |s| super::skill_name(&state.framework, s.skill.as_str())),
                    feeling: a.feeling.label(),
                    confidence: a.confidence,
                    note: a.note.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The form being answered when the page is shown again with errors.
#[derive(Default)]
pub enum Typed {
    #[default]
    Nothing,
    AddFocus {
        skill: String,
        goal: String,
        errors: FieldErrors,
    },
    Focus {
        focus: i64,
        form: ActivityForm,
    },
    Settings {
        days: String,
        error: String,
    },
}

#[derive(Template)]
#[template(path = "growth_plan.html")]
struct PlanPage {
    chrome: Chrome,
    focus: Vec<FocusView>,
    max: usize,
    room: bool,
    suggestions: Vec<Suggestion>,
    has_results: bool,
    groups: Vec<SkillGroup>,
    add_skill: String,
    add_goal: String,
    add_skill_name: String,
    add_errors: FieldErrors,
    free_goal: String,
    free_goal_error: Option<String>,
    next_check_in: Option<String>,
    check_in_when: String,
    check_in_overdue: bool,
    days_value: String,
    days_error: Option<String>,
    org_days: i64,
    own_days: Option<i64>,
    shared: bool,
    manager: Option<String>,
    reassess: Option<String>,
    check_ins: Vec<CheckInView>,
    past: Vec<PastSkill>,
}

/// Whether the person's last closed assessment is a quarter old with no
/// cycle open: the date it closed, for the banner.
pub async fn reassessment(state: &AppState, user: &User) -> AppResult<Option<String>> {
    let cycles = state.store.cycles(user.id).await?;
    let open = cycles.iter().any(|c| c.is_open());
    let last = cycles.iter().filter_map(|c| c.closed_at).max();
    Ok(reassessment_due(last, open, now_millis(), REASSESS_AFTER_DAYS * DAY)
        .and(last)
        .map(|closed| Date::from_millis(closed).human()))
}

async fn render_plan(state: &AppState, session: &Session, user: &User, typed: Typed) -> AppResult<Response> {
    let today = today();
    let plan = state.store.plan(user.id).await?;
    let entries = state.store.practice_entries(user.id, None).await?;
    let org = state.store.organisation(user.org_id).await?;
    let (mut add_skill, mut add_goal, mut add_errors) = (String::new(), String::new(), FieldErrors::default());
    let (mut days_value, mut days_error) = (String::new(), None);
    let mut focus_form = None;
    match typed {
        Typed::Nothing => {}
        Typed::AddFocus { skill, goal, errors } => (add_skill, add_goal, add_errors) = (skill, goal, errors),
        Typed::Focus { focus, form } => focus_form = Some((focus, form)),
        Typed::Settings { days, error } => (days_value, days_error) = (days, Some(error)),
    }
    let mut focus = Vec::new();
    let mut past = Vec::new();
    if let Some(plan) = &plan {
        for skill in &plan.skills {
            let framework_skill = state.framework.skill(skill.skill.as_str());
            if skill.is_active() {
                let form = match focus_form.take() {
                    Some((id, form)) if id == skill.id => form,
                    other => {
                        focus_form = other;
                        ActivityForm::default()
                    }
                };
                focus.push(FocusView::new(skill, framework_skill, &entries, plan, today, form));
            } else {
                past.push(PastSkill {
                    name: super::skill_name(&state.framework, skill.skill.as_str()),
                    goal: skill.goal.clone(),
                    span: format!(
                        "{} – {}",
                        Date::from_millis(skill.added_at).human(),
                        skill.ended_at.map(|t| Date::from_millis(t).human()).unwrap_or_default()
                    ),
                    outcome: match skill.outcome {
                        Some(FocusOutcome::Finished) => "Finished",
                        _ => "Removed",
                    },
                });
            }
        }
        if days_error.is_none() {
            days_value = plan.check_in_days.map(|d| d.to_string()).unwrap_or_default();
        }
    }
    past.reverse();
    let active: Vec<&str> = focus.iter().map(|f| f.skill_id.as_str()).collect();
    let all_results = released(state, user.id).await?;
    let suggestions: Vec<Suggestion> = all_results
        .last()
        .map(|r| {
            r.results
                .focus
                .iter()
                .filter(|f| !active.contains(&f.skill.as_str()))
                .map(|f| Suggestion { skill_id: f.skill.to_string(), name: f.name.clone(), reason: f.reason.clone() })
                .collect()
        })
        .unwrap_or_default();
    let next = plan.as_ref().and_then(|p| p.next_check_in(org.check_in_days)).map(Date::from_millis);
    let manager = match user.manager_id {
        Some(id) => Some(first_name(&state.store.user(id).await?.name)),
        None => None,
    };
    let from_suggestion = suggestions.iter().any(|s: &Suggestion| s.skill_id == add_skill);
    let free_goal = if from_suggestion { String::new() } else { add_goal.clone() };
    let free_goal_error = if from_suggestion { None } else { add_errors.get("goal").map(str::to_owned) };
    let chrome = Chrome::new(session, Some(user), Nav::Growth).await?;
    render(&PlanPage {
        free_goal,
        free_goal_error,
        chrome,
        max: MAX_FOCUS_SKILLS,
        room: focus.len() < MAX_FOCUS_SKILLS,
        suggestions,
        has_results: !all_results.is_empty(),
        groups: skill_groups(&state.framework, &add_skill, &active),
        add_skill_name: state.framework.skill(&add_skill).map(|s| s.name.clone()).unwrap_or_default(),
        add_skill,
        add_goal,
        add_errors,
        next_check_in: next.map(Date::human),
        check_in_when: next.map(|d| relative_days(d, today)).unwrap_or_default(),
        check_in_overdue: next.is_some_and(|d| d <= today),
        days_value,
        days_error,
        org_days: org.check_in_days,
        own_days: plan.as_ref().and_then(|p| p.check_in_days),
        shared: plan.as_ref().is_some_and(|p| p.shared),
        manager,
        reassess: reassessment(state, user).await?,
        check_ins: plan.as_ref().map(|p| check_in_views(p, state)).unwrap_or_default(),
        past,
        focus,
    })
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    render_plan(&state, &session, &user, Typed::Nothing).await
}

#[derive(Deserialize)]
pub struct FocusForm {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    goal: String,
}

/// Adds a focus skill: from a suggestion or chosen freely, with a goal.
#[tracing::instrument(skip_all)]
pub async fn add_focus(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<FocusForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let skill_raw = form.skill.trim().to_owned();
    let known = state.framework.skill(&skill_raw).map(|s| s.id.clone());
    if skill_raw.is_empty() {
        errors.add("skill", "Choose the skill you want to focus on.");
    } else if known.is_none() {
        errors.add("skill", "pmcoach does not know that skill. Choose one from the list.");
    }
    let goal = required(&mut errors, "goal", &form.goal, SHORT_TEXT, "Write your goal for this skill in a sentence.");
    let active = state.store.plan(user.id).await?.map_or(0, |p| p.active().count());
    if let Err(error) = focus_room(active) {
        errors.add("skill", error.to_string());
    }
    let skill: Option<SkillId> = known;
    if let (true, Some(skill)) = (errors.is_empty(), &skill) {
        match state.store.add_focus_skill(user.id, skill, &goal, now_millis()).await {
            Ok(id) => return Ok(Redirect::to(&format!("/plan#focus-{id}")).into_response()),
            Err(StoreError::Conflict(message)) => errors.add("skill", message),
            Err(error) => return Err(error.into()),
        }
    }
    let typed = Typed::AddFocus { skill: skill_raw.chars().take(80).collect(), goal, errors };
    let mut response = render_plan(&state, &session, &user, typed).await?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

fn focus_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// One of the person's own active focus skills, or 404.
async fn own_focus(state: &AppState, user: &User, id: i64) -> AppResult<FocusSkill> {
    state
        .store
        .plan(user.id)
        .await?
        .and_then(|p| p.skills.into_iter().find(|s| s.id == id && s.is_active()))
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    goal: String,
}

#[tracing::instrument(skip_all, fields(focus = %focus))]
pub async fn set_goal(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(focus): Path<String>,
    Form(form): Form<GoalForm>,
) -> AppResult<Response> {
    let id = focus_id(&focus)?;
    own_focus(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let goal = required(&mut errors, "goal", &form.goal, SHORT_TEXT, "Write your goal for this skill in a sentence.");
    if errors.is_empty() {
        state.store.set_focus_goal(user.id, id, &goal).await?;
        return Ok(Redirect::to(&format!("/plan#focus-{id}")).into_response());
    }
    let form =
        ActivityForm { goal: Some(goal), goal_error: errors.get("goal").map(str::to_owned), ..Default::default() };
    let mut response = render_plan(&state, &session, &user, Typed::Focus { focus: id, form }).await?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    outcome: String,
}

#[tracing::instrument(skip_all, fields(focus = %focus))]
pub async fn end_focus(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(focus): Path<String>,
    Form(form): Form<EndForm>,
) -> AppResult<Response> {
    let id = focus_id(&focus)?;
    let outcome = match form.outcome.as_str() {
        "finished" => FocusOutcome::Finished,
        "removed" => FocusOutcome::Removed,
        _ => return Err(AppError::Invalid("Choose to finish the skill or to remove it from your plan.".to_owned())),
    };
    state.store.end_focus_skill(user.id, id, outcome, now_millis()).await?;
    Ok(Redirect::to("/plan").into_response())
}

#[derive(Deserialize)]
pub struct ActivityInput {
    #[serde(default)]
    activity: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    cadence: String,
}

/// Adds one of the skill's suggested activities, or a custom one.
#[tracing::instrument(skip_all, fields(focus = %focus))]
pub async fn add_activity(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(focus): Path<String>,
    Form(input): Form<ActivityInput>,
) -> AppResult<Response> {
    let id = focus_id(&focus)?;
    let skill = own_focus(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let framework_skill = state.framework.skill(skill.skill.as_str());
    let cadence = match input.cadence.trim() {
        "" => None,
        raw => match Cadence::parse(raw) {
            Ok(c) => Some(c),
            Err(_) => {
                errors.add("cadence", "Choose how often from the list.");
                None
            }
        },
    };
    let mut title = String::new();
    let mut activity_id = None;
    let mut chosen = None;
    match input.activity.trim() {
        "" => errors.add("activity", "Choose a suggested activity, or \"My own activity\" to write one."),
        "custom" => {
            title = required(
                &mut errors,
                "title",
                &input.title,
                SHORT_TEXT,
                "Name your activity: what you will do, with whom.",
            );
            if cadence.is_none() && errors.get("cadence").is_none() {
                errors.add("cadence", "Choose how often you will do it.");
            }
        }
        raw => match framework_skill.and_then(|s| s.activity(raw)) {
            Some(a) => {
                title = a.title.clone();
                activity_id = Some(a.id.clone());
                chosen = Some(a.cadence);
            }
            None => errors.add("activity", "That is not one of this skill's activities. Choose one from the list."),
        },
    }
    if errors.is_empty() {
        let cadence = cadence.or(chosen).unwrap_or(Cadence::Weekly);
        match state.store.add_activity(user.id, id, activity_id.as_deref(), &title, cadence, now_millis()).await {
            Ok(_) => return Ok(Redirect::to(&format!("/plan#focus-{id}")).into_response()),
            Err(StoreError::Conflict(message)) => errors.add("activity", message),
            Err(error) => return Err(error.into()),
        }
    }
    let form = ActivityForm {
        activity: input.activity.chars().take(80).collect(),
        title: if input.activity == "custom" { title } else { String::new() },
        cadence: input.cadence.chars().take(20).collect(),
        errors,
        ..Default::default()
    };
    let mut response = render_plan(&state, &session, &user, Typed::Focus { focus: id, form }).await?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[tracing::instrument(skip_all, fields(activity = %activity))]
pub async fn remove_activity(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(activity): Path<String>,
) -> AppResult<Response> {
    let id = focus_id(&activity)?;
    state.store.remove_activity(user.id, id).await?;
    Ok(Redirect::to("/plan").into_response())
}

#[derive(Deserialize)]
pub struct SettingsForm {
    check_in_days: Option<String>,
    shared: Option<String>,
}

/// Sets the check-in interval (blank: the organisation's) or sharing.
#[tracing::instrument(skip_all)]
pub async fn settings(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let now = now_millis();
    if let Some(shared) = form.shared.as_deref() {
        let shared = match shared {
            "1" => true,
            "0" => false,
            _ => return Err(AppError::Invalid("Choose to share (shared=1) or to stop sharing (shared=0).".to_owned())),
        };
        if shared && user.manager_id.is_none() {
            return Err(AppError::Invalid(
                "You have no manager in pmcoach to share with. Ask an admin to set your reporting line first."
                    .to_owned(),
            ));
        }
        state.store.set_plan_shared(user.id, shared, now).await?;
    }
    if let Some(days) = form.check_in_days.as_deref() {
        let value = if days.trim().is_empty() {
            None
        } else {
            match check_in_days(days) {
                Ok(days) => Some(days),
                Err(error) => {
                    let typed = Typed::Settings { days: days.chars().take(20).collect(), error: error.to_string() };
                    let mut response = render_plan(&state, &session, &user, typed).await?;
                    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                    return Ok(response);
                }
            }
        };
        state.store.set_check_in_days(user.id, value, now).await?;
    }
    Ok(Redirect::to("/plan#check-ins").into_response())
}

// ---- check-ins

pub struct CheckInSkill {
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub practised: usize,
    pub feeling: String,
    pub confidence: String,
    pub note: String,
    pub errors: Vec<(&'static str, String)>,
}

impl CheckInSkill {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

pub struct FeelingOption {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "growth_check_in.html")]
struct CheckInPage {
    chrome: Chrome,
    skills: Vec<CheckInSkill>,
    feelings: Vec<FeelingOption>,
    since: String,
    has_errors: bool,
}

async fn render_check_in(
    state: &AppState,
    session: &Session,
    user: &User,
    typed: Option<HashMap<i64, CheckInSkill>>,
) -> AppResult<Response> {
    let plan = state.store.plan(user.id).await?;
    let entries = state.store.practice_entries(user.id, None).await?;
    let since = plan.as_ref().and_then(|p| p.last_check_in()).map(|c| Date::from_millis(c.at));
    let mut typed = typed.unwrap_or_default();
    let has_errors = typed.values().any(|s| !s.errors.is_empty());
    let skills = plan
        .iter()
        .flat_map(|p| p.active())
        .map(|s| {
            let from = since.unwrap_or(Date::from_millis(s.added_at));
            let practised = entries.iter().filter(|e| e.skill == s.skill && e.day >= from).count();
            let mut view = typed.remove(&s.id).unwrap_or(CheckInSkill {
                id: s.id,
                name: String::new(),
                goal: String::new(),
                practised: 0,
                feeling: String::new(),
                confidence: String::new(),
                note: String::new(),
                errors: Vec::new(),
            });
            view.name = super::skill_name(&state.framework, s.skill.as_str());
            view.goal = s.goal.clone();
            view.practised = practised;
            view
        })
        .collect();
    let chrome = Chrome::new(session, Some(user), Nav::Growth).await?;
    render(&CheckInPage {
        chrome,
        skills,
        feelings: CheckInFeeling::ALL.iter().map(|f| FeelingOption { value: f.as_str(), label: f.label() }).collect(),
        since: since
            .map_or_else(|| "you started your plan".to_owned(), |d| format!("your last check-in on {}", d.human())),
        has_errors,
    })
}

#[tracing::instrument(skip_all)]
pub async fn check_in_page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    render_check_in(&state, &session, &user, None).await
}

/// Records a check-in: for each active focus skill, how it went, a
/// confidence from 1 to 5 and an optional note.
#[tracing::instrument(skip_all)]
pub async fn check_in(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let plan = state.store.plan(user.id).await?;
    let active: Vec<i64> = plan.iter().flat_map(|p| p.active()).map(|s| s.id).collect();
    if active.is_empty() {
        return Err(AppError::Invalid("Add a focus skill to your plan before checking in on it.".to_owned()));
    }
    let value = |name: String| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut typed = HashMap::new();
    let mut answers = Vec::new();
    for id in active {
        let feeling_raw = value(format!("feeling-{id}"));
        let confidence_raw = value(format!("confidence-{id}"));
        let mut errors = FieldErrors::default();
        let note = limited(&mut errors, "note", &value(format!("note-{id}")), LONG_TEXT);
        let mut problems: Vec<(&'static str, String)> = Vec::new();
        if let Some(message) = errors.get("note") {
            problems.push(("note", message.to_owned()));
        }
        let feeling = CheckInFeeling::parse(feeling_raw.trim()).ok();
        if feeling.is_none() {
            problems.push(("feeling", "Choose how practising this skill went.".to_owned()));
        }
        let confidence = confidence_raw.trim().parse::<i64>().ok().filter(|c| (1..=5).contains(c));
        if confidence.is_none() {
            problems.push(("confidence", "Choose your confidence from 1 (not yet) to 5 (very).".to_owned()));
        }
        if let (Some(feeling), Some(confidence)) = (feeling, confidence) {
            answers.push(CheckInAnswer { focus_id: id, feeling, confidence, note: note.clone() });
        }
        typed.insert(
            id,
            CheckInSkill {
                id,
                name: String::new(),
                goal: String::new(),
                practised: 0,
                feeling: feeling_raw.chars().take(20).collect(),
                confidence: confidence_raw.chars().take(2).collect(),
                note,
                errors: problems,
            },
        );
    }
    if typed.values().all(|s| s.errors.is_empty()) {
        state.store.record_check_in(user.id, &answers, now_millis()).await?;
        return Ok(Redirect::to("/plan#check-ins").into_response());
    }
    let mut response = render_check_in(&state, &session, &user, Some(typed)).await?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
