//! The pages: the map (grid, overdue 1:1s, table), the add/edit form, and
//! one stakeholder with their meetings.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_comms::Audience;
use pmcoach_core::stakeholders::{FunctionTemplate, Quadrant, health_label};
use pmcoach_store::stakeholders::{Meeting, Stakeholder};
use pmcoach_store::{User, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::form::{MeetingForm, StakeholderForm};
use super::grid::{self, Dot};
use super::{days_overdue, human_millis, lines, parse_id, templates};
use crate::access::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::forms::FieldErrors;
use crate::state::AppState;

/// The kind of message the coach checks a follow-up as.
const FOLLOW_UP_KIND: &str = "update";

/// A stakeholder as the pages show them.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub function: String,
    pub title: String,
    pub influence: i64,
    pub interest: i64,
    pub health: i64,
    pub health_label: &'static str,
    pub quadrant: &'static str,
    pub cadence: String,
    pub last_met: String,
    pub next_due: String,
    /// Whole days overdue, when the 1:1 is due at or before now.
    pub overdue_days: Option<i64>,
}

impl Row {
    fn new(stakeholder: &Stakeholder, now: i64) -> Row {
        let profile = &stakeholder.profile;
        let due = stakeholder.due_at();
        let score = |n: i64| u8::try_from(n.clamp(1, 5)).unwrap_or(3);
        Row {
            id: stakeholder.id,
            name: profile.name.clone(),
            function: templates().name(&profile.function_id).to_owned(),
            title: profile.title.clone().unwrap_or_default(),
            influence: profile.influence,
            interest: profile.interest,
            health: profile.health,
            health_label: health_label(score(profile.health)),
            quadrant: Quadrant::of(score(profile.influence), score(profile.interest)).label(),
            cadence: match profile.cadence_days {
                Some(1) => "every day".to_owned(),
                Some(days) => format!("every {days} days"),
                None => "no regular 1:1".to_owned(),
            },
            last_met: profile.last_met_at.map_or_else(|| "not yet".to_owned(), human_millis),
            next_due: due.map(human_millis).unwrap_or_default(),
            overdue_days: due.filter(|due| *due <= now).map(|due| days_overdue(due, now)),
        }
    }

    pub fn overdue_text(&self) -> String {
        self.overdue_days.map(overdue_text).unwrap_or_default()
    }
}

/// "due today", "1 day overdue", "12 days overdue".
pub fn overdue_text(days: i64) -> String {
    match days {
        0 => "due today".to_owned(),
        1 => "1 day overdue".to_owned(),
        days => format!("{days} days overdue"),
    }
}

/// A quadrant and who is in it, the grid's text equivalent.
pub struct QuadrantGroup {
    pub label: &'static str,
    pub advice: &'static str,
    pub names: Vec<(i64, String)>,
}

pub struct Legend {
    pub score: u8,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "stakeholders_list.html")]
struct ListPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    grid_svg: String,
    quadrants: Vec<QuadrantGroup>,
    legend: Vec<Legend>,
    overdue: Vec<Row>,
    rows: Vec<Row>,
    archived: Vec<Row>,
    functions: &'static [FunctionTemplate],
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Notice {
    saved: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<&'static str> {
        Some(match self.saved.as_deref()? {
            "created" => "Stakeholder added. Log your first meeting with them when you have had it.",
            "updated" => "Changes saved.",
            "meeting" => "Meeting logged; their last meeting moved to that day.",
            "archived" => "Archived: they left the grid and the overdue list; their notes stay.",
            "restored" => "Restored to your map.",
            "deleted" => "Deleted, with their meeting notes.",
            _ => return None,
        })
    }
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let now = now_millis();
    let all = state.store.stakeholders(user.id).await?;
    let (active, archived): (Vec<&Stakeholder>, Vec<&Stakeholder>) =
        all.iter().partition(|stakeholder| stakeholder.archived_at.is_none());
    let rows: Vec<Row> = active.iter().map(|s| Row::new(s, now)).collect();
    let names: Vec<(String, String)> =
        active.iter().map(|s| (s.profile.name.clone(), templates().name(&s.profile.function_id).to_owned())).collect();
    let dots: Vec<Dot<'_>> = active
        .iter()
        .zip(&names)
        .map(|(s, (name, function))| Dot {
            id: s.id,
            name,
            function,
            influence: u8::try_from(s.profile.influence).unwrap_or(3),
            interest: u8::try_from(s.profile.interest).unwrap_or(3),
            health: u8::try_from(s.profile.health).unwrap_or(3),
        })
        .collect();
    let grid_svg = grid::grid("stakeholder-grid", &dots);
    let quadrants = Quadrant::ALL
        .iter()
        .map(|&quadrant| QuadrantGroup {
            label: quadrant.label(),
            advice: quadrant.advice(),
            names: rows.iter().filter(|r| r.quadrant == quadrant.label()).map(|r| (r.id, r.name.clone())).collect(),
        })
        .collect();
    let mut overdue: Vec<Row> =
        active.iter().filter(|s| s.due_at().is_some_and(|due| due <= now)).map(|s| Row::new(s, now)).collect();
    // Most overdue first: the earliest due date.
    overdue.sort_by_key(|row| std::cmp::Reverse(row.overdue_days));
    let legend = (1..=5).map(|score| Legend { score, label: health_label(score) }).collect();
    let chrome = Chrome::new(&session, Some(&user), Nav::Stakeholders).await?;
    render(&ListPage {
        chrome,
        notice: notice.text(),
        grid_svg,
        quadrants,
        legend,
        overdue,
        rows,
        archived: archived.iter().map(|s| Row::new(s, now)).collect(),
        functions: templates().all(),
    })
}

/// One option of the function select.
pub struct FunctionOption {
    pub id: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "stakeholders_form.html")]
struct FormPage {
    chrome: Chrome,
    /// `None` while adding.
    editing: Option<Stakeholder>,
    template: Option<&'static FunctionTemplate>,
    functions: &'static [FunctionTemplate],
    options: Vec<FunctionOption>,
    form: StakeholderForm,
    errors: FieldErrors,
    meeting_count: usize,
    confirm_missing: bool,
}

fn options(selected: &str) -> Vec<FunctionOption> {
    templates().all().iter().map(|f| FunctionOption { id: &f.id, name: &f.name, selected: f.id == selected }).collect()
}

struct FormState {
    editing: Option<Stakeholder>,
    template: Option<&'static FunctionTemplate>,
    form: StakeholderForm,
    errors: FieldErrors,
    meeting_count: usize,
    confirm_missing: bool,
}

async fn show_form(session: &Session, user: &User, state: FormState) -> AppResult<Response> {
    let chrome = Chrome::new(session, Some(user), Nav::Stakeholders).await?;
    let failed = !state.errors.is_empty();
    let mut response = render(&FormPage {
        chrome,
        editing: state.editing,
        template: state.template,
        functions: templates().all(),
        options: options(&state.form.function),
        form: state.form,
        errors: state.errors,
        meeting_count: state.meeting_count,
        confirm_missing: state.confirm_missing,
    })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    function: Option<String>,
}

/// The add form: blank, or prefilled from the function the link names.
#[tracing::instrument(skip_all)]
pub async fn new(
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let template = match query.function.as_deref().filter(|f| !f.is_empty()) {
        Some(id) => Some(templates().get(id).ok_or(AppError::NotFound)?),
        None => None,
    };
    let form = template.map_or_else(StakeholderForm::blank, StakeholderForm::from_template);
    let state = FormState {
        editing: None,
        template,
        form,
        errors: FieldErrors::default(),
        meeting_count: 0,
        confirm_missing: false,
    };
    show_form(&session, &user, state).await
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<StakeholderForm>,
) -> AppResult<Response> {
    match form.validate() {
        Ok(profile) => {
            let created = state.store.create_stakeholder(user.id, &profile, now_millis()).await?;
            Ok(Redirect::to(&format!("/stakeholders/{}?saved=created", created.id)).into_response())
        }
        Err(errors) => {
            let template = templates().get(form.function.trim());
            let state = FormState { editing: None, template, form, errors, meeting_count: 0, confirm_missing: false };
            show_form(&session, &user, state).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditQuery {
    confirm: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn edit(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Query(query): Query<EditQuery>,
) -> AppResult<Response> {
    let stakeholder = state.store.stakeholder(user.id, parse_id(&raw)?).await?;
    let meeting_count = state.store.meetings(user.id, stakeholder.id).await?.len();
    let form = StakeholderForm::from_stakeholder(&stakeholder);
    let state = FormState {
        editing: Some(stakeholder),
        template: None,
        form,
        errors: FieldErrors::default(),
        meeting_count,
        confirm_missing: query.confirm.as_deref() == Some("missing"),
    };
    show_form(&session, &user, state).await
}

#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Form(form): Form<StakeholderForm>,
) -> AppResult<Response> {
    let stakeholder = state.store.stakeholder(user.id, parse_id(&raw)?).await?;
    match form.validate() {
        Ok(profile) => {
            state.store.update_stakeholder(user.id, stakeholder.id, &profile, now_millis()).await?;
            Ok(Redirect::to(&format!("/stakeholders/{}?saved=updated", stakeholder.id)).into_response())
        }
        Err(errors) => {
            let meeting_count = state.store.meetings(user.id, stakeholder.id).await?.len();
            let state = FormState {
                editing: Some(stakeholder),
                template: None,
                form,
                errors,
                meeting_count,
                confirm_missing: false,
            };
            show_form(&session, &user, state).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArchiveForm {
    archived: String,
}

#[tracing::instrument(skip_all)]
pub async fn archive(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Form(form): Form<ArchiveForm>,
) -> AppResult<Response> {
    let id = parse_id(&raw)?;
    let archived = match form.archived.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::Invalid("Say whether to archive (yes) or restore (no).".to_owned())),
    };
    state.store.set_stakeholder_archived(user.id, id, archived, now_millis()).await?;
    let saved = if archived { "archived" } else { "restored" };
    Ok(Redirect::to(&format!("/stakeholders?saved={saved}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let id = parse_id(&raw)?;
    // Load first, so that someone else's id is a 404 whatever the form says.
    let stakeholder = state.store.stakeholder(user.id, id).await?;
    if form.confirm != "yes" {
        return Ok(
            Redirect::to(&format!("/stakeholders/{}/edit?confirm=missing#delete", stakeholder.id)).into_response()
        );
    }
    state.store.delete_stakeholder(user.id, stakeholder.id).await?;
    Ok(Redirect::to("/stakeholders?saved=deleted").into_response())
}

/// A meeting as the history shows it.
pub struct MeetingView {
    pub date: String,
    pub notes: String,
    pub decisions: String,
    pub follow_ups: Vec<String>,
    /// The coach with the audience and this meeting's follow-ups filled in.
    pub follow_up_href: String,
}

#[derive(Template)]
#[template(path = "stakeholders_detail.html")]
struct DetailPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    stakeholder: Stakeholder,
    row: Row,
    goals: Vec<String>,
    pressures: Vec<String>,
    needs: Vec<String>,
    ask_why: &'static [String],
    audience_label: &'static str,
    follow_up_href: String,
    meetings: Vec<MeetingView>,
    meeting: MeetingForm,
    errors: FieldErrors,
}

/// The coach's address with the audience, kind and draft text filled in.
pub fn coach_href(audience: &str, text: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("audience", audience).append_pair("kind", FOLLOW_UP_KIND);
    if !text.is_empty() {
        query.append_pair("text", text);
    }
    format!("/coach?{}", query.finish())
}

/// A first draft of a follow-up: a greeting, the follow-ups as bullets,
/// and a place for the ask. The coach takes it from there.
fn follow_up_draft(name: &str, date: &str, follow_ups: &[String]) -> String {
    let first = name.split_whitespace().next().unwrap_or(name);
    let bullets: Vec<String> = follow_ups.iter().map(|f| format!("- {f}")).collect();
    format!("Hi {first},\n\nThanks for our 1:1 on {date}. What I am taking away:\n{}\n", bullets.join("\n"))
}

/// How the coach names the readers of a function's audience.
fn audience_label(audience: &str) -> &'static str {
    Audience::parse(audience).map_or("fellow product people", crate::routes::coach::readers)
}

async fn show_detail(
    state: &AppState,
    session: &Session,
    user: &User,
    stakeholder: Stakeholder,
    meeting: MeetingForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let template = templates().get(&stakeholder.profile.function_id);
    let audience = template.map_or("peer", |t| t.audience.as_str());
    let meetings = state
        .store
        .meetings(user.id, stakeholder.id)
        .await?
        .into_iter()
        .map(|m: Meeting| {
            let date = human_millis(m.met_at);
            let follow_ups: Vec<String> = lines(&m.follow_ups).into_iter().map(str::to_owned).collect();
            let draft = if follow_ups.is_empty() {
                String::new()
            } else {
                follow_up_draft(&stakeholder.profile.name, &date, &follow_ups)
            };
            MeetingView {
                follow_up_href: coach_href(audience, &draft),
                date,
                notes: m.notes,
                decisions: m.decisions,
                follow_ups,
            }
        })
        .collect();
    let owned = |text: &str| lines(text).into_iter().map(str::to_owned).collect::<Vec<_>>();
    let chrome = Chrome::new(session, Some(user), Nav::Stakeholders).await?;
    let failed = !errors.is_empty();
    let page = DetailPage {
        chrome,
        notice,
        row: Row::new(&stakeholder, now_millis()),
        goals: owned(&stakeholder.profile.goals),
        pressures: owned(&stakeholder.profile.pressures),
        needs: owned(&stakeholder.profile.needs),
        ask_why: template.map_or(&[][..], |t| t.ask_why.as_slice()),
        audience_label: audience_label(audience),
        follow_up_href: coach_href(audience, ""),
        meetings,
        meeting,
        errors,
        stakeholder,
    };
    let mut response = render(&page)?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[tracing::instrument(skip_all)]
pub async fn detail(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let stakeholder = state.store.stakeholder(user.id, parse_id(&raw)?).await?;
    show_detail(&state, &session, &user, stakeholder, MeetingForm::today(), FieldErrors::default(), notice.text()).await
}

#[tracing::instrument(skip_all)]
pub async fn log_meeting(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let stakeholder = state.store.stakeholder(user.id, parse_id(&raw)?).await?;
    match form.validate() {
        Ok(meeting) => {
            state.store.log_meeting(user.id, stakeholder.id, &meeting, now_millis()).await?;
            Ok(Redirect::to(&format!("/stakeholders/{}?saved=meeting#meetings", stakeholder.id)).into_response())
        }
        Err(errors) => show_detail(&state, &session, &user, stakeholder, form, errors, None).await,
    }
}
