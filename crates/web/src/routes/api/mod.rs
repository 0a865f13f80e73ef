//! The JSON API under `/api/v1` (docs/api.md). Every route but the OpenAPI
//! document needs an API token; every failure answers in the one error shape
//! of [`ApiError`]. The profile and check bodies are the very shapes of
//! `pmcoach profile --format json` and one entry of `pmcoach check --format
//! json`, built by the same code, so the CLI and the API cannot drift.

pub mod doc;
mod extract;
pub mod growth;
pub mod scenarios;
pub mod stakeholders;

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use pmcoach_comms::output::JsonFile;
use pmcoach_comms::{Audience, CheckOptions, Dimension, Kind, TextFormat};
use pmcoach_core::context::engine;
use pmcoach_core::context::json::{ContextInput, ProfileJson};
use pmcoach_core::framework::model::Skill;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use self::extract::{ApiJson, ApiPath, MAX_BODY_BYTES, TokenUser};
use crate::access::{Access, Routes};
use crate::error::{ApiError, ApiResult, AppError};
use crate::state::AppState;

/// The longest text `POST /api/v1/check` takes, in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

pub fn routes(routes: Routes) -> Routes {
    let limit = || DefaultBodyLimit::max(MAX_BODY_BYTES);
    routes
        .get("/api/v1/openapi.json", Access::Anonymous, openapi)
        .get("/api/v1/me", Access::ApiToken, me)
        .get("/api/v1/framework", Access::ApiToken, framework)
        .get("/api/v1/skills/{skill}", Access::ApiToken, skill)
        .get("/api/v1/profile", Access::ApiToken, saved_profile)
        .add(Method::POST, "/api/v1/profile", Access::ApiToken, routing::post(profile_for).layer(limit()))
        .add(Method::POST, "/api/v1/check", Access::ApiToken, routing::post(check).layer(limit()))
        .get("/api/v1/results", Access::ApiToken, results)
        .area(growth::routes)
        .area(stakeholders::routes)
        .area(scenarios::routes)
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "This document", content_type = "application/json"))
)]
async fn openapi() -> Response {
    let document: &'static utoipa::openapi::OpenApi = doc::document();
    Json(document).into_response()
}

/// The owner of an API token.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Their role in the organisation.
    #[schema(schema_with = doc::org_role)]
    pub role: &'static str,
}

/// Who the token belongs to.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's owner", body = Me),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
    )
)]
async fn me(TokenUser(user): TokenUser) -> ApiResult<Me> {
    Ok(Json(Me { id: user.id, name: user.name, email: user.email.to_string(), role: user.role.as_str() }))
}

/// `{"skills":[…]}`, as `pmcoach framework show --format json` prints it.
#[derive(Serialize)]
struct SkillsJson<'a> {
    skills: &'a [Skill],
}

/// Every skill of the framework, in the framework's order.
#[utoipa::path(
    get,
    path = "/api/v1/framework",
    tag = "framework",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The whole framework, the shape of `pmcoach framework show --format json`",
            body = doc::FrameworkDoc),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
    )
)]
async fn framework(State(state): State<AppState>) -> Response {
    Json(SkillsJson { skills: &state.framework.skills }).into_response()
}

/// One skill: definition, levels with behaviours, stages, activities.
#[utoipa::path(
    get,
    path = "/api/v1/skills/{skill}",
    tag = "framework",
    security(("bearer" = [])),
    params(("skill" = String, Path, description = "Skill id, such as `stakeholder-alignment`")),
    responses(
        (status = 200, description = "The skill", body = doc::SkillDoc),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
        (status = 404, description = "No skill has this id; the message lists the ids", body = doc::ErrorBody),
    )
)]
async fn skill(State(state): State<AppState>, ApiPath(id): ApiPath) -> Result<Response, ApiError> {
    let skill = state.framework.skill(&id).ok_or_else(|| {
        let ids: Vec<&str> = state.framework.ids().map(|id| id.as_str()).collect();
        AppError::Missing(format!("There is no skill \"{id}\" in the framework. The skills are: {}.", ids.join(", ")))
    })?;
    Ok(Json(skill).into_response())
}

/// The target profile of the token owner's saved role context.
#[utoipa::path(
    get,
    path = "/api/v1/profile",
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile, the shape of `pmcoach profile --format json`", body = doc::ProfileDoc),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
        (status = 404, description = "The token owner has not set a role context yet", body = doc::ErrorBody),
    )
)]
async fn saved_profile(State(state): State<AppState>, TokenUser(user): TokenUser) -> Result<Response, ApiError> {
    let context = state.store.role_context(user.id).await?.ok_or_else(|| {
        AppError::Missing(
            "You have not set your role context yet. Set it under \"My profile\" (/profile) in pmcoach, \
             or POST a context to /api/v1/profile."
                .to_owned(),
        )
    })?;
    let profile = engine::profile(&state.framework, &context);
    Ok(Json(ProfileJson::from(&profile)).into_response())
}

/// The target profile of any role context.
#[utoipa::path(
    post,
    path = "/api/v1/profile",
    tag = "profile",
    security(("bearer" = [])),
    request_body = doc::ContextInputDoc,
    responses(
        (status = 200, description = "The profile, the shape of `pmcoach profile --format json`", body = doc::ProfileDoc),
        (status = 400, description = "The body is not a valid context; the message names every bad value and the \
            valid ones", body = doc::ErrorBody),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
        (status = 413, description = "The body is larger than 2 MB", body = doc::ErrorBody),
    )
)]
async fn profile_for(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ContextInput>,
) -> Result<Response, ApiError> {
    let context = input.to_context().map_err(|problems| {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        AppError::Invalid(format!("The context has values pmcoach does not know: {}.", problems.join("; ")))
    })?;
    let profile = engine::profile(&state.framework, &context);
    Ok(Json(ProfileJson::from(&profile)).into_response())
}

/// A message to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The message, Markdown or plain text; at most 1 MB of UTF-8.
    pub text: String,
    /// Whom it is written for.
    #[schema(schema_with = doc::audience)]
    pub audience: String,
    /// What it is for; without one, the audience's usual kind (a reply for
    /// customers), else no assumption.
    #[schema(schema_with = doc::kind)]
    pub kind: Option<String>,
    /// How to read the text; Markdown when not given.
    #[schema(schema_with = doc::text_format)]
    pub format: Option<String>,
}

/// The check result: one entry of `pmcoach check --format json` (path `-`),
/// plus the kind it was checked as and the five score dimensions.
#[derive(Serialize)]
struct Checked<'a> {
    #[serde(flatten)]
    file: JsonFile<'a>,
    kind: Option<&'static str>,
    dimensions: &'a [Dimension],
}

/// Checks a message for its audience: score, dimensions and findings.
#[utoipa::path(
    post,
    path = "/api/v1/check",
    tag = "coach",
    security(("bearer" = [])),
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The result: one entry of `pmcoach check --format json` with `kind` and \
            `dimensions` added", body = doc::CheckedDoc),
        (status = 400, description = "A missing or unknown field; the message lists the valid values",
            body = doc::ErrorBody),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
        (status = 413, description = "`text` is over 1 MB, or the body over 2 MB", body = doc::ErrorBody),
    )
)]
async fn check(ApiJson(request): ApiJson<CheckRequest>) -> Result<Response, ApiError> {
    if request.text.len() > MAX_TEXT_BYTES {
        return Err(AppError::TooLarge(format!(
            "`text` is {} bytes; the API checks at most 1 MB ({MAX_TEXT_BYTES} bytes) at a time. Split it, or run \
             `pmcoach check` on the file, which has no limit.",
            request.text.len()
        ))
        .into());
    }
    let options = check_options(&request)?;
    let text = request.text;
    // Checking a long text takes milliseconds: off the async threads.
    let body = tokio::task::spawn_blocking(move || {
        let report = super::coach::checker().check(&text, &options);
        let kind = report.kind.map(Kind::as_str);
        serde_json::to_vec(&Checked { file: JsonFile::new("-", &report), kind, dimensions: &report.dimensions })
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))?
    .map_err(|error| AppError::Internal(error.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The options the request asks for, or every field that is wrong.
fn check_options(request: &CheckRequest) -> Result<CheckOptions, AppError> {
    let mut problems = Vec::new();
    if request.text.trim().is_empty() {
        problems.push("`text` is empty: send the message you want checked".to_owned());
    }
    let audience = Audience::parse(&request.audience).map_err(|e| problems.push(e.to_string())).ok();
    let kind = match request.kind.as_deref() {
        Some(kind) => Kind::parse(kind).map_err(|e| problems.push(e.to_string())).ok(),
        None => None,
    };
    let format = match request.format.as_deref() {
        None | Some("markdown") => TextFormat::Markdown,
        Some("plain") => TextFormat::Plain,
        Some(other) => {
            problems.push(format!("unknown format `{other}`; expected one of: markdown, plain"));
            TextFormat::Markdown
        }
    };
    match audience {
        Some(audience) if problems.is_empty() => Ok(CheckOptions { audience: Some(audience), kind, format }),
        _ => Err(AppError::Invalid(format!("The request cannot be checked: {}.", problems.join("; ")))),
    }
}

/// The cycle a results body describes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsCycle {
    pub id: i64,
    /// Milliseconds since the Unix epoch, UTC.
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// The anonymity threshold frozen into the cycle when it opened.
    pub threshold: u32,
}

/// A closed cycle's results, exactly what the results page shows.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsBody {
    pub cycle: ResultsCycle,
    /// `threshold`, `pools` (who answered, per pool, and whether shown), `skills` (per skill: target, weight,
    /// `self_rating`, `observed` stats of every shown answer, `gap`, `signal` and one cell per shown pool; a
    /// withheld cell has `stats: null`), `perceptions` (per-function blind spots and hidden strengths),
    /// `comments` (shuffled, without dates) and `focus` (up to three skills ranked by weight × gap). Answers of
    /// a group below the anonymity threshold appear nowhere in it.
    #[schema(value_type = Object)]
    pub results: pmcoach_core::assessment::Results,
}

/// The results of the token owner's latest closed assessment cycle.
#[utoipa::path(
    get,
    path = "/api/v1/results",
    tag = "assessment",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest closed cycle's results", body = ResultsBody),
        (status = 401, description = "No valid API token", body = doc::ErrorBody),
        (status = 404, description = "The token owner has no closed assessment cycle yet", body = doc::ErrorBody),
    )
)]
async fn results(State(state): State<AppState>, TokenUser(user): TokenUser) -> Result<Response, ApiError> {
    let released = super::results::released(&state, user.id).await?.pop().ok_or_else(|| {
        AppError::Missing(
            "You have no closed assessment cycle yet: results are released when a cycle is closed. Start one under \
             Assessment (/assessment) in pmcoach."
                .to_owned(),
        )
    })?;
    let cycle = ResultsCycle {
        id: released.cycle.id,
        opened_at: released.cycle.opened_at,
        closed_at: released.cycle.closed_at,
        threshold: released.results.threshold,
    };
    Ok(Json(ResultsBody { cycle, results: released.results }).into_response())
}
