//! `/practice`: the practice log with its reflection prompts, the weekly
//! streak, the calendar, a progress chart per focus skill, editing one's own
//! entries and the CSV export.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::growth::{Date, Streak, calendar, streak, weekly_counts};
use pmcoach_core::ids::SkillId;
use pmcoach_store::growth::{NewPractice, Plan, PracticeEntry};
use pmcoach_store::{StoreError, User, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::chart::{LevelPoint, calendar_svg, progress_svg};
use super::{LONG_TEXT, SkillGroup, SkillOption, limited, required, skill_groups, skill_name, today};
use crate::access::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::forms::FieldErrors;
use crate::routes::results::{Released, released};
use crate::state::AppState;

/// Weeks the calendar shows: half a year.
pub const CALENDAR_WEEKS: u32 = 26;

/// The fields of an entry as typed, with their problems.
#[derive(Default)]
pub struct EntryInput {
    pub skill: String,
    pub activity: String,
    pub day: String,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EntryFields {
    pub skill: String,
    pub activity: String,
    pub day: String,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
}

pub struct ActivityChoice {
    pub id: i64,
    pub title: String,
    pub selected: bool,
}

pub struct ActivityGroup {
    pub label: String,
    pub activities: Vec<ActivityChoice>,
}

/// The entry form: what was typed, its errors and the choices.
pub struct EntryForm {
    pub input: EntryInput,
    pub errors: FieldErrors,
    pub skills: Vec<SkillGroup>,
    pub activities: Vec<ActivityGroup>,
    pub today: String,
    pub action: String,
    pub submit: &'static str,
}

impl EntryForm {
    fn new(state: &AppState, plan: Option<&Plan>, input: EntryInput, errors: FieldErrors, action: String) -> Self {
        let active: Vec<&pmcoach_store::growth::FocusSkill> = plan.iter().flat_map(|p| p.active()).collect();
        let focus_ids: Vec<&str> = active.iter().map(|s| s.skill.as_str()).collect();
        let mut skills = Vec::new();
        if !active.is_empty() {
            skills.push(SkillGroup {
                label: "Your focus skills",
                skills: active
                    .iter()
                    .map(|s| SkillOption {
                        id: s.skill.to_string(),
                        name: skill_name(&state.framework, s.skill.as_str()),
                        selected: s.skill.as_str() == input.skill,
                    })
                    .collect(),
            });
        }
        skills.extend(skill_groups(&state.framework, &input.skill, &focus_ids));
        let activities = active
            .iter()
            .filter(|s| !s.activities.is_empty())
            .map(|s| ActivityGroup {
                label: skill_name(&state.framework, s.skill.as_str()),
                activities: s
                    .activities
                    .iter()
                    .map(|a| ActivityChoice {
                        id: a.id,
                        title: a.title.clone(),
                        selected: a.id.to_string() == input.activity,
                    })
                    .collect(),
            })
            .collect();
        let editing = action != "/practice";
        EntryForm {
            input,
            errors,
            skills,
            activities,
            today: today().to_string(),
            action,
            submit: if editing { "Save changes" } else { "Log practice" },
        }
    }
}

/// Checks an entry; returns it, or the problems by field.
pub fn validate(
    state: &AppState,
    plan: Option<&Plan>,
    fields: &EntryFields,
) -> Result<NewPractice, Box<(EntryInput, FieldErrors)>> {
    let mut errors = FieldErrors::default();
    let activity = match fields.activity.trim() {
        "" => None,
        raw => match raw.parse::<i64>().ok().and_then(|id| plan?.activity(id)) {
            Some((focus, activity)) => Some((focus.skill.clone(), activity.id)),
            None => {
                errors.add("activity", "That is not one of your plan's activities. Choose one from the list, or none.");
                None
            }
        },
    };
    let skill: Option<SkillId> = match fields.skill.trim() {
        "" => match &activity {
            Some((skill, _)) => Some(skill.clone()),
            None => {
                errors.add("skill", "Choose the skill you practised.");
                None
            }
        },
        raw => match state.framework.skill(raw) {
            Some(s) => Some(s.id.clone()),
            None => {
                errors.add("skill", "pmcoach does not know that skill. Choose one from the list.");
                None
            }
        },
    };
    if let (Some(skill), Some((activity_skill, _))) = (&skill, &activity)
        && skill != activity_skill
    {
        errors.add(
            "activity",
            format!(
                "That activity belongs to {}. Choose it as the skill, or pick no activity.",
                skill_name(&state.framework, activity_skill.as_str())
            ),
        );
    }
    let today = today();
    let day = match Date::parse(&fields.day) {
        _ if fields.day.trim().is_empty() => {
            errors.add("day", "Enter the day you practised.");
            None
        }
        Ok(day) if day > today => {
            errors.add(
                "day",
                format!("That day is in the future. Log practice once it happened (today is {}).", today.human()),
            );
            None
        }
        Ok(day) if today.days_since(day) > 366 * 5 => {
            errors.add("day", "That is more than five years ago. Check the year.");
            None
        }
        Ok(day) => Some(day),
        Err(error) => {
            errors.add("day", error.to_string());
            None
        }
    };
    let did = required(&mut errors, "did", &fields.did, LONG_TEXT, "Write what you did, even in one line.");
    let happened = limited(&mut errors, "happened", &fields.happened, LONG_TEXT);
    let learned = limited(&mut errors, "learned", &fields.learned, LONG_TEXT);
    let next_step = limited(&mut errors, "next_step", &fields.next_step, LONG_TEXT);
    match (skill, day) {
        (Some(skill), Some(day)) if errors.is_empty() => {
            Ok(NewPractice { skill, activity_id: activity.map(|(_, id)| id), day, did, happened, learned, next_step })
        }
        _ => Err(Box::new((
            EntryInput {
                skill: fields.skill.trim().chars().take(80).collect(),
                activity: fields.activity.trim().chars().take(20).collect(),
                day: fields.day.trim().chars().take(20).collect(),
                did,
                happened,
                learned,
                next_step,
            },
            errors,
        ))),
    }
}

pub struct EntryView {
    pub id: i64,
    pub day: String,
    pub weekday: &'static str,
    pub skill_id: String,
    pub skill: String,
    pub activity: Option<String>,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
}

impl EntryView {
    pub fn new(state: &AppState, entry: &PracticeEntry) -> EntryView {
        EntryView {
            id: entry.id,
            day: entry.day.human(),
            weekday: entry.day.weekday_short(),
            skill_id: entry.skill.to_string(),
            skill: skill_name(&state.framework, entry.skill.as_str()),
            activity: entry.activity_title.clone(),
            did: entry.did.clone(),
            happened: entry.happened.clone(),
            learned: entry.learned.clone(),
            next_step: entry.next_step.clone(),
        }
    }
}

pub struct LevelRow {
    pub date: String,
    pub own: String,
    pub raters: String,
    pub target: String,
}

pub struct ProgressView {
    pub name: String,
    pub svg: String,
    pub entries: u32,
    pub weeks: usize,
    pub levels: Vec<LevelRow>,
}

fn level_text(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// A progress chart per active focus skill: practice per week since the
/// skill (or its first practice, or first closed assessment) started, at
/// most a year back and at least eight weeks, and its assessed levels.
pub fn progress_views(
    state: &AppState,
    plan: Option<&Plan>,
    entries: &[PracticeEntry],
    cycles: &[Released],
) -> Vec<ProgressView> {
    let today = today();
    plan.iter()
        .flat_map(|p| p.active())
        .map(|focus| {
            let id = focus.skill.as_str();
            let days: Vec<Date> = entries.iter().filter(|e| e.skill == focus.skill).map(|e| e.day).collect();
            let points: Vec<LevelPoint> = cycles
                .iter()
                .filter_map(|r| {
                    let skill = r.results.skill(id)?;
                    Some(LevelPoint {
                        day: Date::from_millis(r.cycle.closed_at?),
                        own: skill.self_rating.map(|l| f64::from(l.get())),
                        raters: skill.observed.as_ref().map(|s| s.mean),
                        target: Some(f64::from(skill.target.get())),
                    })
                })
                .collect();
            let earliest = days
                .iter()
                .copied()
                .chain(points.iter().map(|p| p.day))
                .chain([Date::from_millis(focus.added_at)])
                .min()
                .unwrap_or(today);
            let from = earliest.max(today.add_days(-364)).min(today.add_days(-7 * 7));
            let weeks = weekly_counts(days.iter().copied(), from, today);
            let name = skill_name(&state.framework, id);
            ProgressView {
                svg: progress_svg(&format!("progress-{}", focus.id), &name, &weeks, &points),
                entries: weeks.iter().map(|w| w.count).sum(),
                weeks: weeks.len(),
                levels: points
                    .iter()
                    .map(|p| LevelRow {
                        date: p.day.human(),
                        own: level_text(p.own),
                        raters: level_text(p.raters),
                        target: level_text(p.target),
                    })
                    .collect(),
                name,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "growth_practice.html")]
struct PracticePage {
    chrome: Chrome,
    form: EntryForm,
    streak: Streak,
    calendar: String,
    calendar_total: u32,
    calendar_days: u32,
    progress: Vec<ProgressView>,
    entries: Vec<EntryView>,
    has_plan: bool,
}

async fn render_page(
    state: &AppState,
    session: &Session,
    user: &User,
    input: EntryInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let plan = state.store.plan(user.id).await?;
    let entries = state.store.practice_entries(user.id, None).await?;
    let today = today();
    let days: Vec<Date> = entries.iter().map(|e| e.day).collect();
    let cal = calendar(days.iter().copied(), today, CALENDAR_WEEKS);
    let cycles = released(state, user.id).await?;
    let chrome = Chrome::new(session, Some(user), Nav::Growth).await?;
    let has_errors = !errors.is_empty();
    let page = PracticePage {
        form: EntryForm::new(state, plan.as_ref(), input, errors, "/practice".to_owned()),
        streak: streak(days.iter().copied(), today),
        calendar: calendar_svg(&cal),
        calendar_total: cal.total,
        calendar_days: cal.active_days,
        progress: progress_views(state, plan.as_ref(), &entries, &cycles),
        entries: entries.iter().map(|e| EntryView::new(state, e)).collect(),
        has_plan: plan.as_ref().is_some_and(|p| p.active().next().is_some()),
        chrome,
    };
    let mut response = render(&page)?;
    if has_errors {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct PageQuery {
    edit: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    if let Some(entry) = query.edit {
        return edit_page(&state, &session, &user, &entry).await;
    }
    let input = EntryInput { day: today().to_string(), ..Default::default() };
    render_page(&state, &session, &user, input, FieldErrors::default()).await
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(fields): Form<EntryFields>,
) -> AppResult<Response> {
    let plan = state.store.plan(user.id).await?;
    match validate(&state, plan.as_ref(), &fields) {
        Ok(entry) => {
            let saved = state.store.create_practice(user.id, &entry, now_millis()).await?;
            Ok(Redirect::to(&format!("/practice#entry-{}", saved.id)).into_response())
        }
        Err(invalid) => {
            let (input, errors) = *invalid;
            render_page(&state, &session, &user, input, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "growth_entry_edit.html")]
struct EditPage {
    chrome: Chrome,
    form: EntryForm,
    id: i64,
}

fn entry_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::NotFound)
}

async fn render_edit(
    state: &AppState,
    session: &Session,
    user: &User,
    id: i64,
    input: EntryInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let plan = state.store.plan(user.id).await?;
    let has_errors = !errors.is_empty();
    let chrome = Chrome::new(session, Some(user), Nav::Growth).await?;
    let mut response = render(&EditPage {
        chrome,
        form: EntryForm::new(state, plan.as_ref(), input, errors, format!("/practice/{id}")),
        id,
    })?;
    if has_errors {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// One's own entry, opened for editing; anybody else's is 404.
async fn edit_page(state: &AppState, session: &Session, user: &User, entry: &str) -> AppResult<Response> {
    let id = entry_id(entry)?;
    let found = state.store.practice_entry(user.id, id).await?;
    let input = EntryInput {
        skill: found.skill.to_string(),
        activity: found.activity_id.map(|a| a.to_string()).unwrap_or_default(),
        day: found.day.to_string(),
        did: found.did,
        happened: found.happened,
        learned: found.learned,
        next_step: found.next_step,
    };
    render_edit(state, session, user, id, input, FieldErrors::default()).await
}

#[tracing::instrument(skip_all, fields(entry = %entry))]
pub async fn update(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(entry): Path<String>,
    Form(fields): Form<EntryFields>,
) -> AppResult<Response> {
    let id = entry_id(&entry)?;
    // Someone else's entry is 404 before anything is checked or kept.
    state.store.practice_entry(user.id, id).await?;
    let plan = state.store.plan(user.id).await?;
    match validate(&state, plan.as_ref(), &fields) {
        Ok(new) => {
            state.store.update_practice(user.id, id, &new, now_millis()).await?;
            Ok(Redirect::to(&format!("/practice#entry-{id}")).into_response())
        }
        Err(invalid) => {
            let (input, errors) = *invalid;
            render_edit(&state, &session, &user, id, input, errors).await
        }
    }
}

#[tracing::instrument(skip_all, fields(entry = %entry))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(entry): Path<String>,
) -> AppResult<Response> {
    let id = entry_id(&entry)?;
    match state.store.delete_practice(user.id, id).await {
        Ok(()) => Ok(Redirect::to("/practice#log").into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The columns of `/practice.csv`.
pub const CSV_HEADER: [&str; 8] = [
    "date",
    "skill",
    "skill_name",
    "activity",
    "what_i_did",
    "what_happened",
    "what_i_learned",
    "what_i_will_try_next",
];

/// One CSV cell: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a
/// `'` so that a spreadsheet shows it as text instead of running it as a
/// formula; then RFC 4180 quoting when needed.
pub fn csv_cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

pub fn csv_text(state: &AppState, entries: &[PracticeEntry]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for e in entries {
        let row = [
            e.day.to_string(),
            e.skill.to_string(),
            skill_name(&state.framework, e.skill.as_str()),
            e.activity_title.clone().unwrap_or_default(),
            e.did.clone(),
            e.happened.clone(),
            e.learned.clone(),
            e.next_step.clone(),
        ];
        out.push_str(&row.iter().map(|cell| csv_cell(cell)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[tracing::instrument(skip_all)]
pub async fn csv(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    let entries = state.store.practice_entries(user.id, None).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"pmcoach-practice-log.csv\""),
        ],
        csv_text(&state, &entries),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_never_start_a_formula_and_are_quoted_when_needed() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1 call"), "'+1 call");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("@sam"), "'@sam");
        assert_eq!(csv_cell("Asked why, twice"), "\"Asked why, twice\"");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
