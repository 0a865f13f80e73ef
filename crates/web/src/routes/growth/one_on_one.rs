//! `/people/{id}/one-on-one`: the manager's 1:1 agenda, built from the
//! report's growth plan and recent practice, only when the report shares
//! their plan. The report may open it too, to see what their manager sees.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use pmcoach_core::growth::{Date, activity_overdue};
use pmcoach_store::UserId;
use pmcoach_store::growth::{Plan, PracticeEntry};
use tower_sessions::Session;

use super::practice::{EntryView, ProgressView, progress_views};
use super::{first_name, skill_name, today};
use crate::access::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::results::released;
use crate::state::AppState;

/// How many recent entries the agenda lists at most.
const RECENT: usize = 8;

pub struct AgendaSkill {
    pub name: String,
    pub goal: String,
    pub since: String,
    pub entries: usize,
    pub recent: usize,
    pub confidence: Option<i64>,
    pub overdue: Vec<String>,
}

pub struct Agenda {
    pub skills: Vec<AgendaSkill>,
    pub last_check_in: Option<String>,
    pub period: String,
    pub practice: Vec<EntryView>,
    pub more: usize,
    pub questions: Vec<String>,
    pub progress: Vec<ProgressView>,
    /// Whether any assessment levels reach the charts.
    pub levels_shown: bool,
}

#[derive(Template)]
#[template(path = "growth_one_on_one.html")]
struct OneOnOnePage {
    chrome: Chrome,
    own: bool,
    name: String,
    first_name: String,
    person_id: UserId,
    /// `None` when the plan is private (or there is none).
    agenda: Option<Agenda>,
    has_plan: bool,
}

/// The questions a manager could ask, from what the plan and practice show.
/// Grounded in how skills grow: feedback, watching people who are good at
/// it, stretch work, and clear guardrails followed by autonomy.
fn questions(first: &str, skills: &[AgendaSkill], practice: &[&PracticeEntry]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(next) = practice.iter().find(|e| !e.next_step.is_empty()) {
        out.push(format!(
            "Last time you wrote you would try: \u{201c}{}\u{201d}. Did you get to it, and what happened?",
            next.next_step.trim_end_matches(['.', ' ']).chars().take(160).collect::<String>()
        ));
    }
    for skill in skills {
        if let Some(title) = skill.overdue.first() {
            out.push(format!(
                "\u{201c}{title}\u{201d} has not happened for a while. What got in the way, and is it still the right practice for {}?",
                skill.name
            ));
        }
        match skill.confidence {
            Some(c) if c <= 2 => out.push(format!(
                "You rated your confidence in {} at {c}/5. What would make it a 3, and what small step fits before our next 1:1?",
                skill.name
            )),
            Some(c) if c >= 4 => out.push(format!(
                "Confidence in {} is at {c}/5. Where would the people you work with see it, and is it time to choose a new focus?",
                skill.name
            )),
            _ => {}
        }
        if skill.recent == 0 {
            out.push(format!(
                "No practice of {} logged since the last check-in. Is the goal still the right one, or is the week too full to practise?",
                skill.name
            ));
        }
    }
    if let Some(skill) = skills.first() {
        out.push(format!(
            "Who around you is strong at {}? Could you sit in on one of their meetings or calls this month and note what they do?",
            skill.name
        ));
        out.push(format!(
            "Is there a stretch project coming up where {first} could practise {} for real, with me as a safety net?",
            skill.name
        ));
    }
    out.push("Whose feedback have you asked for since we last spoke, and what did you hear?".to_owned());
    out.push(
        "What do you need from me: a guardrail, an introduction to someone, or room to try it your way?".to_owned(),
    );
    out.truncate(8);
    out
}

fn agenda(
    state: &AppState,
    plan: &Plan,
    entries: &[PracticeEntry],
    first: &str,
    progress: Vec<ProgressView>,
) -> Agenda {
    let today = today();
    let since = plan.last_check_in().map(|c| Date::from_millis(c.at));
    let skills: Vec<AgendaSkill> = plan
        .active()
        .map(|s| {
            let added = Date::from_millis(s.added_at);
            let mine: Vec<&PracticeEntry> = entries.iter().filter(|e| e.skill == s.skill && e.day >= added).collect();
            let from = since.unwrap_or(added);
            let overdue = s
                .activities
                .iter()
                .filter(|a| {
                    let last = mine.iter().filter(|e| e.activity_id == Some(a.id)).map(|e| e.day).max();
                    activity_overdue(a.cadence, Date::from_millis(a.added_at), last, today)
                })
                .map(|a| a.title.clone())
                .collect();
            AgendaSkill {
                name: skill_name(&state.framework, s.skill.as_str()),
                goal: s.goal.clone(),
                since: added.human(),
                entries: mine.len(),
                recent: mine.iter().filter(|e| e.day >= from).count(),
                confidence: plan
                    .check_ins
                    .iter()
                    .rev()
                    .find_map(|c| c.answers.iter().find(|a| a.focus_id == s.id).map(|a| a.confidence)),
                overdue,
            }
        })
        .collect();
    let from = since.unwrap_or_else(|| today.add_days(-14));
    let recent: Vec<&PracticeEntry> = entries.iter().filter(|e| e.day >= from).collect();
    Agenda {
        questions: questions(first, &skills, &recent),
        skills,
        last_check_in: since.map(Date::human),
        period: since
            .map_or_else(|| "in the last two weeks".to_owned(), |d| format!("since the check-in on {}", d.human())),
        more: recent.len().saturating_sub(RECENT),
        practice: recent.iter().take(RECENT).map(|e| EntryView::new(state, e)).collect(),
        levels_shown: progress.iter().any(|p| !p.levels.is_empty()),
        progress,
    }
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // The access rule has already checked that the viewer is this person or their manager.
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    let person = state.store.user(id).await?;
    let own = person.id == viewer.id;
    let plan = state.store.plan(person.id).await?;
    let first = first_name(&person.name);
    let visible = plan.as_ref().filter(|p| (own || p.shared) && p.active().next().is_some());
    let agenda = match visible {
        Some(plan) => {
            let entries = state.store.practice_entries(person.id, None).await?;
            let cycles = released(&state, person.id).await?;
            // Levels from assessments are the person's own results: only
            // those they shared reach the manager's charts.
            let shared = state.store.shared_cycles(person.id).await?;
            let cycles: Vec<_> = cycles.into_iter().filter(|r| own || shared.contains(&r.cycle.id)).collect();
            let progress = progress_views(&state, Some(plan), &entries, &cycles);
            Some(agenda(&state, plan, &entries, &first, progress))
        }
        None => None,
    };
    let chrome = Chrome::new(&session, Some(&viewer), if own { Nav::Growth } else { Nav::Team }).await?;
    render(&OneOnOnePage {
        chrome,
        own,
        has_plan: plan.as_ref().is_some_and(|p| p.active().next().is_some()),
        name: person.name.clone(),
        first_name: first,
        person_id: person.id,
        agenda,
    })
}
