//! `/scenarios`: the list suited to the person's role, one scenario at a
//! time in either answer format, the feedback with keys and explanations
//! and the skill score before → after, and the per-skill progress chart.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::scenarios::{
    Answer, AnswerFormat, Feedback, Scenario, ScenarioBank, Window, percent, skill_scores, skill_series,
};
use pmcoach_store::{AttemptMode, NewAttempt, StoredAttempt, User, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::chart::{ChartPoint, progress_chart};
use super::{
    BEST_WORST_METHOD, RATING_METHOD, assessment_set, bank, core_attempts, find, level_label, role_label, suited,
    tagged_skills,
};
use crate::access::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::forms::{FieldErrors, Form};
use crate::routes::growth::skill_name;
use crate::state::AppState;

/// A skill a scenario exercises, for its pills and links.
pub struct SkillTag {
    pub id: String,
    pub name: String,
}

fn tags(state: &AppState, scenario: &Scenario) -> Vec<SkillTag> {
    scenario
        .skills
        .iter()
        .map(|id| SkillTag { id: id.to_string(), name: skill_name(&state.framework, id.as_str()) })
        .collect()
}

/// One row of the list.
pub struct ListItem {
    pub id: String,
    pub title: String,
    pub skills: Vec<SkillTag>,
    /// The latest attempt's score, as "75 %"; empty when never tried.
    pub last: String,
    pub attempts: usize,
}

fn list_item(state: &AppState, scenario: &Scenario, attempts: &[StoredAttempt]) -> ListItem {
    let mine: Vec<&StoredAttempt> = attempts.iter().filter(|a| a.scenario == scenario.id.as_str()).collect();
    ListItem {
        id: scenario.id.to_string(),
        title: scenario.title.clone(),
        skills: tags(state, scenario),
        last: mine.last().map(|a| format!("{} %", percent(a.score))).unwrap_or_default(),
        attempts: mine.len(),
    }
}

pub struct SkillChoice {
    pub id: String,
    pub name: String,
    pub count: usize,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "scenarios_list.html")]
struct ListPage {
    chrome: Chrome,
    /// "senior PM", when a role context is set.
    role: Option<String>,
    showing_all: bool,
    skill: Option<SkillTag>,
    skills: Vec<SkillChoice>,
    focus: Vec<ListItem>,
    focus_names: Vec<String>,
    items: Vec<ListItem>,
    answered: usize,
    total: usize,
    has_assessment: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    skill: String,
    all: String,
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    let context = state.store.role_context(user.id).await?;
    let showing_all = query.all == "1" || context.is_none();
    let mut scenarios = if showing_all { bank.iter().collect() } else { suited(&bank, context.as_ref()) };
    // An unknown skill in the address filters nothing rather than failing.
    let skill = state.framework.skill(query.skill.trim()).filter(|s| bank.for_skill(s.id.as_str()).next().is_some());
    if let Some(skill) = skill {
        scenarios.retain(|s| s.exercises(skill.id.as_str()));
    }
    let attempts = state.store.attempts(user.id).await?;
    let plan = state.store.plan(user.id).await?;
    let focus_ids: Vec<String> = plan.iter().flat_map(|p| p.active()).map(|f| f.skill.to_string()).collect();
    // Scenarios for the focus skills come first; the rest follow in bank order.
    let (focus, rest): (Vec<&Scenario>, Vec<&Scenario>) =
        scenarios.iter().partition(|s| skill.is_none() && focus_ids.iter().any(|f| s.exercises(f)));
    let counts = bank.skill_counts();
    let mut skills: Vec<SkillChoice> = tagged_skills(&bank)
        .into_iter()
        .map(|id| SkillChoice {
            name: skill_name(&state.framework, &id),
            count: counts.iter().find(|(k, _)| k.as_str() == id).map_or(0, |(_, n)| *n),
            selected: skill.is_some_and(|s| s.id.as_str() == id),
            id,
        })
        .collect();
    skills.sort_by(|a, b| a.name.cmp(&b.name));
    let answered = scenarios.iter().filter(|s| attempts.iter().any(|a| a.scenario == s.id.as_str())).count();
    let page = ListPage {
        chrome: Chrome::new(&session, Some(&user), Nav::Scenarios).await?,
        role: context.as_ref().map(|c| format!("{} {}", level_label(c.level), role_label(c.role))),
        showing_all,
        skill: skill.map(|s| SkillTag { id: s.id.to_string(), name: s.name.clone() }),
        skills,
        focus: focus.iter().map(|s| list_item(&state, s, &attempts)).collect(),
        focus_names: focus_ids.iter().map(|id| skill_name(&state.framework, id)).collect(),
        items: rest.iter().map(|s| list_item(&state, s, &attempts)).collect(),
        answered,
        total: scenarios.len(),
        has_assessment: !focus_ids.is_empty(),
    };
    render(&page)
}

/// An option as the question form shows it, with what was typed.
pub struct OptionView {
    pub number: usize,
    pub text: String,
    pub rating: String,
    pub error: Option<String>,
}

/// An option after answering: its key, why, and the person's answer.
pub struct OptionResult {
    pub number: usize,
    pub text: String,
    pub key: u8,
    pub why: String,
    /// "You rated it 4", "Your best", …; empty when the person did not pick it.
    pub yours: String,
    /// Whether the answer disagreed with the key here.
    pub differs: bool,
    pub is_best: bool,
    pub is_worst: bool,
}

/// A skill's scenario score before and after this answer.
pub struct SkillMove {
    pub id: String,
    pub name: String,
    pub before: String,
    pub after: String,
    pub moved: bool,
}

pub struct FeedbackView {
    pub percent: u8,
    pub format: &'static str,
    pub method: &'static str,
    pub blind: bool,
    pub options: Vec<OptionResult>,
    pub skills: Vec<SkillMove>,
}

/// Where to go after this scenario.
pub struct NextLink {
    pub href: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "scenarios_show.html")]
struct ShowPage {
    chrome: Chrome,
    id: String,
    title: String,
    setup: Vec<String>,
    question: String,
    skills: Vec<SkillTag>,
    /// "rating" or "best-worst".
    format: &'static str,
    assessment: bool,
    options: Vec<OptionView>,
    best: String,
    worst: String,
    errors: FieldErrors,
    feedback: Option<FeedbackView>,
    next: Option<NextLink>,
    /// How many times the person answered this one before.
    tried: usize,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    format: String,
    mode: String,
    attempt: String,
}

fn format_of(raw: &str) -> AnswerFormat {
    AnswerFormat::parse(raw.trim()).unwrap_or(AnswerFormat::Rating)
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// The next scenario to practise: in assessment mode the next unanswered one
/// of the person's sets, else the next suited one after this in bank order
/// that they have not tried (wrapping round), else simply the next one.
fn next_link(
    bank: &ScenarioBank,
    suited: &[&Scenario],
    sets: &[&Scenario],
    current: &str,
    attempts: &[StoredAttempt],
    assessment: bool,
) -> Option<NextLink> {
    let tried = |s: &Scenario| attempts.iter().any(|a| a.scenario == s.id.as_str());
    if assessment {
        return sets
            .iter()
            .find(|s| s.id.as_str() != current && !tried(s))
            .map(|s| NextLink { href: format!("/scenarios/{}?mode=assessment", s.id), title: s.title.clone() });
    }
    let pool: Vec<&Scenario> = if suited.is_empty() { bank.iter().collect() } else { suited.to_vec() };
    let start = pool.iter().position(|s| s.id.as_str() == current).map_or(0, |i| i + 1);
    let rotated = pool[start.min(pool.len())..].iter().chain(&pool[..start.min(pool.len())]);
    let candidates: Vec<&&Scenario> = rotated.filter(|s| s.id.as_str() != current).collect();
    candidates
        .iter()
        .find(|s| !tried(s))
        .or(candidates.first())
        .map(|s| NextLink { href: format!("/scenarios/{}", s.id), title: s.title.clone() })
}

fn feedback_view(
    state: &AppState,
    bank: &ScenarioBank,
    scenario: &Scenario,
    attempts: &[StoredAttempt],
    attempt: &StoredAttempt,
) -> AppResult<FeedbackView> {
    let feedback = Feedback::new(scenario, &attempt.answer)
        .map_err(|error| AppError::Internal(anyhow::anyhow!("a stored answer no longer scores: {error}")))?;
    let options = scenario
        .options
        .iter()
        .zip(&feedback.options)
        .enumerate()
        .map(|(i, (option, result))| {
            let (yours, differs) = match (&attempt.answer, result.rating) {
                (Answer::Rating { .. }, Some(rating)) => {
                    let off = result.distance.unwrap_or(0);
                    let text = match off {
                        0 => format!("You rated it {rating}: on the key."),
                        1 => format!("You rated it {rating}: one point off."),
                        n => format!("You rated it {rating}: {n} points off."),
                    };
                    (text, off > 0)
                }
                _ if result.picked_best => (
                    if result.is_best {
                        "Your best: a top-keyed option.".to_owned()
                    } else {
                        "Your best: not the top-keyed option.".to_owned()
                    },
                    !result.is_best,
                ),
                _ if result.picked_worst => (
                    if result.is_worst {
                        "Your worst: a bottom-keyed option.".to_owned()
                    } else {
                        "Your worst: not the bottom-keyed option.".to_owned()
                    },
                    !result.is_worst,
                ),
                _ => (String::new(), false),
            };
            OptionResult {
                number: i + 1,
                text: option.text.clone(),
                key: result.key,
                why: result.why.clone(),
                yours,
                differs,
                is_best: result.is_best,
                is_worst: result.is_worst,
            }
        })
        .collect();
    // Before and after this attempt: every attempt up to it, with and without it.
    let upto = attempts.iter().position(|a| a.id == attempt.id).unwrap_or(attempts.len().saturating_sub(1));
    let all = core_attempts(attempts);
    let before = skill_scores(bank, &all[..upto], Window::ALL);
    let after = skill_scores(bank, &all[..=upto.min(all.len().saturating_sub(1))], Window::ALL);
    let shown = |scores: &[pmcoach_core::scenarios::SkillScore], id: &str| {
        scores.iter().find(|s| s.skill.as_str() == id).map(|s| s.percent)
    };
    let skills = scenario
        .skills
        .iter()
        .map(|id| {
            let (b, a) = (shown(&before, id.as_str()), shown(&after, id.as_str()));
            SkillMove {
                id: id.to_string(),
                name: skill_name(&state.framework, id.as_str()),
                before: b.map_or_else(|| "no score yet".to_owned(), |p| format!("{p} %")),
                after: a.map_or_else(|| "no score yet".to_owned(), |p| format!("{p} %")),
                moved: b != a,
            }
        })
        .collect();
    let (format, method) = match attempt.answer.format() {
        AnswerFormat::Rating => ("rating every option", RATING_METHOD),
        AnswerFormat::BestWorst => ("best and worst", BEST_WORST_METHOD),
    };
    Ok(FeedbackView { percent: feedback.percent, format, method, blind: attempt.blind, options, skills })
}

struct Typed {
    format: AnswerFormat,
    assessment: bool,
    ratings: Vec<String>,
    best: String,
    worst: String,
}

#[allow(clippy::too_many_arguments)]
async fn render_show(
    state: &AppState,
    session: &Session,
    user: &User,
    scenario: &Scenario,
    typed: Typed,
    errors: FieldErrors,
    attempt: Option<&StoredAttempt>,
) -> AppResult<Response> {
    let bank = bank(state)?;
    let attempts = state.store.attempts(user.id).await?;
    let context = state.store.role_context(user.id).await?;
    let feedback = match attempt {
        Some(attempt) => Some(feedback_view(state, &bank, scenario, &attempts, attempt)?),
        None => None,
    };
    let plan = state.store.plan(user.id).await?;
    let sets: Vec<&Scenario> = plan
        .iter()
        .flat_map(|p| p.active())
        .flat_map(|f| assessment_set(&bank, context.as_ref(), f.skill.as_str()))
        .collect();
    let suited = suited(&bank, context.as_ref());
    let next = next_link(&bank, &suited, &sets, scenario.id.as_str(), &attempts, typed.assessment);
    let options = scenario
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| OptionView {
            number: i + 1,
            text: option.text.clone(),
            rating: typed.ratings.get(i).cloned().unwrap_or_default(),
            error: errors.get(&rating_field(i)).map(str::to_owned),
        })
        .collect();
    let has_errors = !errors.is_empty();
    let page = ShowPage {
        chrome: Chrome::new(session, Some(user), Nav::Scenarios).await?,
        id: scenario.id.to_string(),
        title: scenario.title.clone(),
        setup: paragraphs(&scenario.setup),
        question: scenario.question.clone(),
        skills: tags(state, scenario),
        format: typed.format.as_str(),
        assessment: typed.assessment,
        options,
        best: typed.best,
        worst: typed.worst,
        errors,
        feedback,
        next,
        tried: attempts
            .iter()
            .filter(|a| a.scenario == scenario.id.as_str() && Some(a.id) != attempt.map(|t| t.id))
            .count(),
    };
    let mut response = render(&page)?;
    if has_errors {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The field names of the rating radios: `rating-1`, `rating-2`, …
fn rating_field(index: usize) -> String {
    format!("rating-{}", index + 1)
}

#[tracing::instrument(skip_all, fields(scenario = %id))]
pub async fn show(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    let scenario = find(&bank, &id)?;
    // Feedback is shown only for one's own attempt at this scenario.
    let attempt = match query.attempt.trim() {
        "" => None,
        raw => {
            let wanted: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
            let found = state.store.attempts(user.id).await?.into_iter().find(|a| a.id == wanted);
            match found {
                Some(attempt) if attempt.scenario == scenario.id.as_str() => Some(attempt),
                _ => return Err(AppError::NotFound),
            }
        }
    };
    let typed = Typed {
        format: attempt.as_ref().map_or_else(|| format_of(&query.format), |a| a.answer.format()),
        assessment: query.mode == "assessment",
        ratings: Vec::new(),
        best: String::new(),
        worst: String::new(),
    };
    render_show(&state, &session, &user, scenario, typed, FieldErrors::default(), attempt.as_ref()).await
}

/// Reads an answer form; the typed values come back with the errors.
fn parse_answer(scenario: &Scenario, fields: &[(String, String)]) -> (Typed, Result<Answer, FieldErrors>) {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let format = format_of(&value("format").unwrap_or_default());
    let assessment = value("mode").as_deref() == Some("assessment");
    let count = scenario.options.len();
    let mut errors = FieldErrors::default();
    let keep = |raw: Option<String>| raw.map(|v| v.chars().take(8).collect::<String>()).unwrap_or_default();
    let ratings: Vec<String> = (0..count).map(|i| keep(value(&rating_field(i)))).collect();
    let (best, worst) = (keep(value("best")), keep(value("worst")));
    let answer = match format {
        AnswerFormat::Rating => {
            let mut parsed = Vec::with_capacity(count);
            for (i, raw) in ratings.iter().enumerate() {
                let field: &'static str = RATING_FIELDS.get(i).copied().unwrap_or("rating");
                match raw.parse::<u8>() {
                    _ if raw.is_empty() => errors.add(field, "Rate this option from 1 to 5."),
                    Ok(n @ 1..=5) => parsed.push(n),
                    _ => errors.add(
                        field,
                        format!("“{raw}” is not a rating: rate from 1 (makes things worse) to 5 (most effective)."),
                    ),
                }
            }
            Answer::Rating { ratings: parsed }
        }
        AnswerFormat::BestWorst => {
            let pick = |raw: &str, field: &'static str, what: &str, errors: &mut FieldErrors| -> Option<usize> {
                match raw.parse::<usize>() {
                    _ if raw.is_empty() => {
                        errors.add(field, format!("Pick the option you think is {what}."));
                        None
                    }
                    Ok(n) if (1..=count).contains(&n) => Some(n - 1),
                    _ => {
                        errors.add(field, format!("Pick one of the {count} options as the {what}."));
                        None
                    }
                }
            };
            let b = pick(&best, "best", "best", &mut errors);
            let w = pick(&worst, "worst", "worst", &mut errors);
            if let (Some(b), Some(w)) = (b, w)
                && b == w
            {
                errors.add(
                    "worst",
                    "The best and the worst cannot be the same option: pick a different one for the worst.",
                );
            }
            Answer::BestWorst { best: b.unwrap_or(0), worst: w.unwrap_or(0) }
        }
    };
    let typed = Typed { format, assessment, ratings, best, worst };
    if errors.is_empty() { (typed, Ok(answer)) } else { (typed, Err(errors)) }
}

/// `FieldErrors` keys are static: the rating fields of up to five options.
const RATING_FIELDS: [&str; 5] = ["rating-1", "rating-2", "rating-3", "rating-4", "rating-5"];

#[tracing::instrument(skip_all, fields(scenario = %id))]
pub async fn answer(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    let scenario = find(&bank, &id)?;
    let (typed, parsed) = parse_answer(scenario, &fields);
    let answer = match parsed {
        Ok(answer) => answer,
        Err(errors) => return render_show(&state, &session, &user, scenario, typed, errors, None).await,
    };
    let score =
        pmcoach_core::scenarios::score(scenario, &answer).map_err(|error| AppError::Invalid(error.to_string()))?;
    let (mode, cycle_id) = if typed.assessment {
        (AttemptMode::Assessment, state.store.open_cycle_of(user.id).await?.map(|c| c.id))
    } else {
        (AttemptMode::Practice, None)
    };
    let attempt = NewAttempt { scenario: scenario.id.to_string(), answer, score, mode, cycle_id };
    let stored = state.store.record_attempt(user.id, &attempt, now_millis()).await?;
    let mode = if typed.assessment { "&mode=assessment" } else { "" };
    Ok(Redirect::to(&format!("/scenarios/{}?attempt={}{mode}#feedback", scenario.id, stored.id)).into_response())
}

/// One skill on the progress page.
pub struct SkillProgress {
    pub id: String,
    pub name: String,
    pub percent: u8,
    pub scenarios: usize,
    pub selected: bool,
}

pub struct SeriesRow {
    pub date: String,
    pub scenario: String,
    pub title: String,
    pub score: u8,
    pub repeat: bool,
    pub mean: u8,
}

#[derive(Template)]
#[template(path = "scenarios_progress.html")]
struct ProgressPage {
    chrome: Chrome,
    skills: Vec<SkillProgress>,
    selected: Option<SkillProgress>,
    chart: String,
    rows: Vec<SeriesRow>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProgressQuery {
    skill: String,
}

pub fn day(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
}

#[tracing::instrument(skip_all)]
pub async fn progress(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<ProgressQuery>,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    let attempts = core_attempts(&state.store.attempts(user.id).await?);
    let scores = skill_scores(&bank, &attempts, Window::ALL);
    let plan = state.store.plan(user.id).await?;
    let focus: Vec<String> = plan.iter().flat_map(|p| p.active()).map(|f| f.skill.to_string()).collect();
    // The skill asked for, else the first focus skill with a score, else the
    // skill with the most scenarios answered.
    let chosen = scores
        .iter()
        .find(|s| s.skill.as_str() == query.skill.trim())
        .or_else(|| scores.iter().find(|s| focus.iter().any(|f| f == s.skill.as_str())))
        .or_else(|| scores.iter().max_by_key(|s| s.scenarios))
        .map(|s| s.skill.to_string());
    let mut skills: Vec<SkillProgress> = scores
        .iter()
        .map(|s| SkillProgress {
            id: s.skill.to_string(),
            name: skill_name(&state.framework, s.skill.as_str()),
            percent: s.percent,
            scenarios: s.scenarios,
            selected: chosen.as_deref() == Some(s.skill.as_str()),
        })
        .collect();
    skills.sort_by(|a, b| a.name.cmp(&b.name));
    let (chart, rows, selected) = match &chosen {
        Some(id) => {
            let series = skill_series(&bank, &attempts, id);
            let name = skill_name(&state.framework, id);
            let points: Vec<ChartPoint> = series
                .iter()
                .map(|p| ChartPoint { at: p.at, score: p.score, mean: p.mean, repeat: p.repeat })
                .collect();
            let rows = series
                .iter()
                .map(|p| SeriesRow {
                    date: day(p.at),
                    scenario: p.scenario.clone(),
                    title: bank.get(&p.scenario).map_or_else(|| p.scenario.clone(), |s| s.title.clone()),
                    score: percent(p.score),
                    repeat: p.repeat,
                    mean: percent(p.mean),
                })
                .collect();
            let selected = skills.iter().find(|s| &s.id == id).map(|s| SkillProgress {
                id: s.id.clone(),
                name: s.name.clone(),
                percent: s.percent,
                scenarios: s.scenarios,
                selected: true,
            });
            (progress_chart(&format!("scenario-progress-{id}"), &name, &points), rows, selected)
        }
        None => (String::new(), Vec::new(), None),
    };
    render(&ProgressPage {
        chrome: Chrome::new(&session, Some(&user), Nav::Scenarios).await?,
        skills,
        selected,
        chart,
        rows,
    })
}
