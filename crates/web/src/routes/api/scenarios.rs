//! Scenario practice over the API: the list, one scenario without its keys,
//! answering (which returns the score, the keys and the explanations), and
//! the per-skill scores. A scenario's keys are only ever sent in the answer
//! to an answer, exactly as the practice page shows them only after one.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing;
use pmcoach_core::scenarios::{Answer, AnswerFormat, Feedback, Scenario, Window, percent, skill_scores};
use pmcoach_store::{AttemptMode, NewAttempt, now_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, TokenUser};
use crate::access::{Access, Routes};
use crate::error::{ApiError, AppError};
use crate::routes::growth::skill_name;
use crate::routes::scenarios::{BEST_WORST_METHOD, RATING_METHOD, bank, core_attempts, suited};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/api/v1/scenarios", Access::ApiToken, list)
        .get("/api/v1/scenarios/scores", Access::ApiToken, scores)
        .get("/api/v1/scenarios/{scenario}", Access::ApiToken, show)
        .add(
            Method::POST,
            "/api/v1/scenarios/{scenario}/answers",
            Access::ApiToken,
            routing::post(answer).layer(axum::extract::DefaultBodyLimit::max(super::extract::MAX_BODY_BYTES)),
        )
}

/// A scenario in the list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSummary {
    pub id: String,
    pub title: String,
    /// Skill ids it exercises.
    pub skills: Vec<String>,
    /// The token owner's latest score on it, 0–100; null when never answered.
    pub last_percent: Option<u8>,
    /// How often the token owner answered it.
    pub attempts: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioList {
    /// In bank order.
    pub scenarios: Vec<ScenarioSummary>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only scenarios exercising this skill id.
    skill: Option<String>,
    /// `true`: every scenario; else only those for the token owner's role and level (all without a role context).
    all: Option<bool>,
}

/// The scenarios suited to the token owner's role context.
#[utoipa::path(
    get,
    path = "/api/v1/scenarios",
    tag = "scenarios",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The scenarios, without options or keys", body = ScenarioList),
        (status = 400, description = "An unknown skill, or a query that cannot be read", body = super::doc::ErrorBody),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) =
        query.map_err(|e| AppError::Invalid(format!("The query could not be read: {}.", e.body_text())))?;
    let bank = bank(&state)?;
    let context = state.store.role_context(user.id).await?;
    let mut scenarios: Vec<&Scenario> =
        if query.all.unwrap_or(false) { bank.iter().collect() } else { suited(&bank, context.as_ref()) };
    if let Some(skill) = query.skill.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if state.framework.skill(skill).is_none() {
            return Err(AppError::Invalid(format!(
                "`skill`: there is no skill \"{}\" in the framework; see GET /api/v1/framework for the ids.",
                skill.chars().take(80).collect::<String>()
            ))
            .into());
        }
        scenarios.retain(|s| s.exercises(skill));
    }
    let attempts = state.store.attempts(user.id).await?;
    let scenarios = scenarios
        .iter()
        .map(|s| {
            let mine: Vec<_> = attempts.iter().filter(|a| a.scenario == s.id.as_str()).collect();
            ScenarioSummary {
                id: s.id.to_string(),
                title: s.title.clone(),
                skills: s.skills.iter().map(ToString::to_string).collect(),
                last_percent: mine.last().map(|a| percent(a.score)),
                attempts: mine.len(),
            }
        })
        .collect();
    Ok(Json(ScenarioList { scenarios }).into_response())
}

/// An option as asked: no key, no explanation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionJson {
    /// 1-based, the number answers refer to.
    pub number: usize,
    pub text: String,
}

/// A scenario as asked, without its keys.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioJson {
    pub id: String,
    pub title: String,
    pub setup: String,
    pub question: String,
    pub skills: Vec<String>,
    pub roles: Vec<String>,
    pub levels: Vec<String>,
    pub options: Vec<OptionJson>,
}

fn not_found(id: &str) -> AppError {
    AppError::Missing(format!(
        "There is no scenario \"{}\". GET /api/v1/scenarios lists them.",
        id.chars().take(80).collect::<String>()
    ))
}

/// One scenario: the situation, the question and the options, without keys.
#[utoipa::path(
    get,
    path = "/api/v1/scenarios/{scenario}",
    tag = "scenarios",
    security(("bearer" = [])),
    params(("scenario" = String, Path, description = "Scenario id, such as `launch-slips`")),
    responses(
        (status = 200, description = "The scenario; keys and explanations come only with the answer", body = ScenarioJson),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
        (status = 404, description = "No scenario has this id", body = super::doc::ErrorBody),
    )
)]
pub async fn show(State(state): State<AppState>, ApiPath(id): ApiPath) -> Result<Response, ApiError> {
    let bank = bank(&state)?;
    let s = bank.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(Json(ScenarioJson {
        id: s.id.to_string(),
        title: s.title.clone(),
        setup: s.setup.clone(),
        question: s.question.clone(),
        skills: s.skills.iter().map(ToString::to_string).collect(),
        roles: s.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        levels: s.levels.iter().map(|l| l.as_str().to_owned()).collect(),
        options: s
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| OptionJson { number: i + 1, text: o.text.clone() })
            .collect(),
    })
    .into_response())
}

/// An answer: every option rated 1–5, or the best and the worst option.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// `rating` or `best-worst`.
    pub format: String,
    /// `rating`: one rating 1–5 per option, in option order.
    pub ratings: Option<Vec<i64>>,
    /// `best-worst`: the number (1-based) of the option judged best.
    pub best: Option<i64>,
    /// `best-worst`: the number (1-based) of the option judged worst; not the same as `best`.
    pub worst: Option<i64>,
}

/// An option after answering: its key, why, and the answer given.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionResultJson {
    pub number: usize,
    pub text: String,
    /// Effectiveness, 1 (makes things worse) to 5 (most effective).
    pub key: u8,
    pub why: String,
    /// `rating`: the rating given to this option; else null.
    pub rating: Option<u8>,
    pub picked_best: bool,
    pub picked_worst: bool,
}

/// A skill's scenario score before and after this answer, 0–100.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillMoveJson {
    pub skill: String,
    pub name: String,
    /// Null before the first scored scenario of the skill.
    pub before: Option<u8>,
    pub after: Option<u8>,
}

/// The result of an answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerResult {
    pub attempt_id: i64,
    /// 0..1.
    pub score: f64,
    /// The score as a whole percentage.
    pub percent: u8,
    /// The first answer to this scenario: it counts towards the skill scores.
    pub blind: bool,
    /// How the score was computed, in one line.
    pub method: String,
    pub options: Vec<OptionResultJson>,
    pub skills: Vec<SkillMoveJson>,
}

/// Reads an answer, or says everything that is wrong with it.
fn read_answer(scenario: &Scenario, input: &AnswerInput) -> Result<Answer, AppError> {
    let count = scenario.options.len();
    let mut problems = Vec::new();
    let answer = match AnswerFormat::parse(input.format.trim()) {
        Ok(AnswerFormat::Rating) => {
            if input.best.is_some() || input.worst.is_some() {
                problems.push("`best` and `worst` belong to the `best-worst` format; leave them out".to_owned());
            }
            let ratings = input.ratings.clone().unwrap_or_default();
            if ratings.len() != count {
                problems.push(format!(
                    "`ratings`: the scenario has {count} options, so send {count} ratings; {} were sent",
                    ratings.len()
                ));
            }
            for (i, rating) in ratings.iter().enumerate().filter(|(_, r)| !(1..=5).contains(*r)) {
                problems.push(format!("`ratings[{i}]` is {rating}: ratings run from 1 to 5"));
            }
            Some(Answer::Rating { ratings: ratings.iter().map(|&r| r.clamp(1, 5) as u8).collect() })
        }
        Ok(AnswerFormat::BestWorst) => {
            if input.ratings.is_some() {
                problems.push("`ratings` belongs to the `rating` format; leave it out".to_owned());
            }
            let mut pick = |value: Option<i64>, name: &str| match value {
                None => {
                    problems.push(format!("`{name}` is missing: send the number of an option, 1 to {count}"));
                    None
                }
                Some(n) if n < 1 || n > count as i64 => {
                    problems.push(format!("`{name}` is {n}: the options are numbered 1 to {count}"));
                    None
                }
                Some(n) => Some(n as usize - 1),
            };
            let (best, worst) = (pick(input.best, "best"), pick(input.worst, "worst"));
            match (best, worst) {
                (Some(b), Some(w)) if b == w => {
                    problems.push("`best` and `worst` are the same option: pick two different ones".to_owned());
                    None
                }
                (Some(best), Some(worst)) => Some(Answer::BestWorst { best, worst }),
                _ => None,
            }
        }
        Err(error) => {
            problems.push(format!("`format`: {error}"));
            None
        }
    };
    match answer {
        Some(answer) if problems.is_empty() => Ok(answer),
        _ => Err(AppError::Invalid(format!("The answer cannot be scored: {}.", problems.join("; ")))),
    }
}

/// Answers a scenario in practice mode: scores it, keeps it, and returns
/// the keys with their explanations and the skill scores before and after.
#[utoipa::path(
    post,
    path = "/api/v1/scenarios/{scenario}/answers",
    tag = "scenarios",
    security(("bearer" = [])),
    params(("scenario" = String, Path, description = "Scenario id")),
    request_body = AnswerInput,
    responses(
        (status = 201, description = "The score, the keys and explanations, the skill scores", body = AnswerResult),
        (status = 400, description = "The answer is incomplete or out of range; the message names each problem",
            body = super::doc::ErrorBody),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
        (status = 404, description = "No scenario has this id", body = super::doc::ErrorBody),
        (status = 413, description = "The body is over 2 MB", body = super::doc::ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    ApiPath(id): ApiPath,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Response, ApiError> {
    let bank = bank(&state)?;
    let scenario = bank.get(&id).ok_or_else(|| not_found(&id))?;
    let answer = read_answer(scenario, &input)?;
    let feedback = Feedback::new(scenario, &answer).map_err(|e| AppError::Invalid(e.to_string()))?;
    // The signal counts blind attempts only, so they are all it reads: a
    // person's thousandth answer costs what their first did.
    let before = skill_scores(&bank, &core_attempts(&state.store.blind_attempts(user.id).await?), Window::ALL);
    let attempt = NewAttempt {
        scenario: scenario.id.to_string(),
        answer: answer.clone(),
        score: feedback.score,
        mode: AttemptMode::Practice,
        cycle_id: None,
    };
    let stored = state.store.record_attempt(user.id, &attempt, now_millis()).await?;
    let after = skill_scores(&bank, &core_attempts(&state.store.blind_attempts(user.id).await?), Window::ALL);
    let find = |scores: &[pmcoach_core::scenarios::SkillScore], id: &str| {
        scores.iter().find(|s| s.skill.as_str() == id).map(|s| s.percent)
    };
    let body = AnswerResult {
        attempt_id: stored.id,
        score: feedback.score,
        percent: feedback.percent,
        blind: stored.blind,
        method: match answer.format() {
            AnswerFormat::Rating => RATING_METHOD,
            AnswerFormat::BestWorst => BEST_WORST_METHOD,
        }
        .to_owned(),
        options: scenario
            .options
            .iter()
            .zip(&feedback.options)
            .enumerate()
            .map(|(i, (option, result))| OptionResultJson {
                number: i + 1,
                text: option.text.clone(),
                key: result.key,
                why: result.why.clone(),
                rating: result.rating,
                picked_best: result.picked_best,
                picked_worst: result.picked_worst,
            })
            .collect(),
        skills: scenario
            .skills
            .iter()
            .map(|skill| SkillMoveJson {
                skill: skill.to_string(),
                name: skill_name(&state.framework, skill.as_str()),
                before: find(&before, skill.as_str()),
                after: find(&after, skill.as_str()),
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// One skill's scenario score.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillScoreJson {
    pub skill: String,
    pub name: String,
    /// Mean of the first answers to the scenarios exercising the skill, 0–100.
    pub percent: u8,
    /// How many scenarios count.
    pub scenarios: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresJson {
    /// Skills with at least one scored scenario, by skill id.
    pub skills: Vec<SkillScoreJson>,
}

/// The token owner's scenario score per skill, from first (blind) answers.
#[utoipa::path(
    get,
    path = "/api/v1/scenarios/scores",
    tag = "scenarios",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Per skill, in percent; a separate signal from the 1–5 levels", body = ScoresJson),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn scores(State(state): State<AppState>, TokenUser(user): TokenUser) -> Result<Response, ApiError> {
    let bank = bank(&state)?;
    let attempts = core_attempts(&state.store.blind_attempts(user.id).await?);
    let skills = skill_scores(&bank, &attempts, Window::ALL)
        .into_iter()
        .map(|s| SkillScoreJson {
            name: skill_name(&state.framework, s.skill.as_str()),
            skill: s.skill.to_string(),
            percent: s.percent,
            scenarios: s.scenarios,
        })
        .collect();
    Ok(Json(ScoresJson { skills }).into_response())
}
