//! The growth plan and practice log over the API: `GET /api/v1/plan`,
//! `GET /api/v1/practice` and `POST /api/v1/practice`. The same validation
//! as the practice page, answered in the API's error shape.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing;
use pmcoach_core::growth::Date;
use pmcoach_store::growth::{Plan, PracticeEntry};
use pmcoach_store::now_millis;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, TokenUser};
use crate::access::{Access, Routes};
use crate::error::{ApiError, AppError};
use crate::routes::growth::practice::{EntryFields, validate};
use crate::routes::growth::skill_name;
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/api/v1/plan", Access::ApiToken, plan).get("/api/v1/practice", Access::ApiToken, practice_list).add(
        Method::POST,
        "/api/v1/practice",
        Access::ApiToken,
        routing::post(practice_create).layer(axum::extract::DefaultBodyLimit::max(super::extract::MAX_BODY_BYTES)),
    )
}

/// An activity of a focus skill.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityJson {
    pub id: i64,
    /// The framework activity's id; null for the person's own.
    pub activity: Option<String>,
    pub title: String,
    /// once, daily, weekly, fortnightly, monthly or quarterly.
    pub cadence: String,
}

/// A focus skill, active or from the plan's history.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusJson {
    pub id: i64,
    pub skill: String,
    pub name: String,
    pub goal: String,
    /// Milliseconds since the Unix epoch, UTC.
    pub added_at: i64,
    /// When it was finished or removed; null while active.
    pub ended_at: Option<i64>,
    /// `finished` or `removed`; null while active.
    pub outcome: Option<String>,
    pub activities: Vec<ActivityJson>,
}

/// One focus skill's answer in a check-in.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInAnswerJson {
    pub focus_id: i64,
    /// progress, steady, stuck or no-time.
    pub feeling: String,
    /// 1 to 5.
    pub confidence: i64,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInJson {
    pub at: i64,
    pub answers: Vec<CheckInAnswerJson>,
}

/// The token owner's growth plan.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanJson {
    /// Up to three active focus skills, in the order added.
    pub focus: Vec<FocusJson>,
    /// Finished and removed focus skills, oldest first.
    pub history: Vec<FocusJson>,
    /// The interval in days that applies (the person's own, else the organisation's).
    pub check_in_days: i64,
    /// The next check-in day (YYYY-MM-DD, UTC); null without an active focus skill.
    pub next_check_in: Option<String>,
    /// Whether the manager sees the plan and a 1:1 agenda built from it.
    pub shared: bool,
    /// Oldest first.
    pub check_ins: Vec<CheckInJson>,
}

fn plan_json(state: &AppState, plan: Option<&Plan>, org_days: i64) -> PlanJson {
    let focus = |active: bool| -> Vec<FocusJson> {
        plan.iter()
            .flat_map(|p| p.skills.iter())
            .filter(|s| s.is_active() == active)
            .map(|s| FocusJson {
                id: s.id,
                skill: s.skill.to_string(),
                name: skill_name(&state.framework, s.skill.as_str()),
                goal: s.goal.clone(),
                added_at: s.added_at,
                ended_at: s.ended_at,
                outcome: s.outcome.map(|o| o.as_str().to_owned()),
                activities: s
                    .activities
                    .iter()
                    .map(|a| ActivityJson {
                        id: a.id,
                        activity: a.activity.clone(),
                        title: a.title.clone(),
                        cadence: a.cadence.as_str().to_owned(),
                    })
                    .collect(),
            })
            .collect()
    };
    PlanJson {
        focus: focus(true),
        history: focus(false),
        check_in_days: plan.and_then(|p| p.check_in_days).unwrap_or(org_days),
        next_check_in: plan.and_then(|p| p.next_check_in(org_days)).map(|t| Date::from_millis(t).to_string()),
        shared: plan.is_some_and(|p| p.shared),
        check_ins: plan
            .iter()
            .flat_map(|p| p.check_ins.iter())
            .map(|c| CheckInJson {
                at: c.at,
                answers: c
                    .answers
                    .iter()
                    .map(|a| CheckInAnswerJson {
                        focus_id: a.focus_id,
                        feeling: a.feeling.as_str().to_owned(),
                        confidence: a.confidence,
                        note: a.note.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The token owner's growth plan: focus skills, goals, activities, check-ins.
#[utoipa::path(
    get,
    path = "/api/v1/plan",
    tag = "growth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan; without focus skills yet, `focus` is empty", body = PlanJson),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn plan(State(state): State<AppState>, TokenUser(user): TokenUser) -> Result<Response, ApiError> {
    let plan = state.store.plan(user.id).await?;
    let org_days = state.store.organisation(user.org_id).await?.check_in_days;
    Ok(Json(plan_json(&state, plan.as_ref(), org_days)).into_response())
}

/// A practice entry.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeJson {
    pub id: i64,
    /// The day practised, YYYY-MM-DD (UTC).
    pub day: String,
    pub skill: String,
    pub skill_name: String,
    /// One of the plan's activities, or null.
    pub activity_id: Option<i64>,
    pub activity: Option<String>,
    pub did: String,
    pub happened: String,
    pub learned: String,
    pub next_step: String,
    pub created_at: i64,
    pub updated_at: i64,
}

fn practice_json(state: &AppState, e: &PracticeEntry) -> PracticeJson {
    PracticeJson {
        id: e.id,
        day: e.day.to_string(),
        skill: e.skill.to_string(),
        skill_name: skill_name(&state.framework, e.skill.as_str()),
        activity_id: e.activity_id,
        activity: e.activity_title.clone(),
        did: e.did.clone(),
        happened: e.happened.clone(),
        learned: e.learned.clone(),
        next_step: e.next_step.clone(),
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeList {
    /// Newest day first.
    pub entries: Vec<PracticeJson>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PracticeQuery {
    /// Only entries on or after this day, YYYY-MM-DD.
    since: Option<String>,
}

/// The token owner's practice log, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/practice",
    tag = "growth",
    security(("bearer" = [])),
    params(PracticeQuery),
    responses(
        (status = 200, description = "The entries, newest day first", body = PracticeList),
        (status = 400, description = "`since` is not a YYYY-MM-DD date", body = super::doc::ErrorBody),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn practice_list(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    query: Result<Query<PracticeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) =
        query.map_err(|e| AppError::Invalid(format!("The query could not be read: {}.", e.body_text())))?;
    let since = match query.since.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(Date::parse(raw).map_err(|e| AppError::Invalid(format!("`since`: {e}.")))?),
    };
    let entries = state.store.practice_entries(user.id, since).await?;
    Ok(Json(PracticeList { entries: entries.iter().map(|e| practice_json(&state, e)).collect() }).into_response())
}

/// A practice entry to log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeInput {
    /// A skill id of the framework; may be left out when `activity_id` is given.
    pub skill: Option<String>,
    /// One of the token owner's plan activities (`id` in `GET /api/v1/plan`).
    pub activity_id: Option<i64>,
    /// YYYY-MM-DD, not in the future; today (UTC) when left out.
    pub day: Option<String>,
    /// What I did (required, at most 4,000 characters).
    pub did: String,
    pub happened: Option<String>,
    pub learned: Option<String>,
    pub next_step: Option<String>,
}

/// Logs a practice entry.
#[utoipa::path(
    post,
    path = "/api/v1/practice",
    tag = "growth",
    security(("bearer" = [])),
    request_body = PracticeInput,
    responses(
        (status = 201, description = "The entry as saved", body = PracticeJson),
        (status = 400, description = "A field is missing or wrong; the message names each one", body = super::doc::ErrorBody),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
        (status = 413, description = "The body is over 2 MB", body = super::doc::ErrorBody),
    )
)]
pub async fn practice_create(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    ApiJson(input): ApiJson<PracticeInput>,
) -> Result<Response, ApiError> {
    let plan = state.store.plan(user.id).await?;
    let fields = EntryFields {
        skill: input.skill.unwrap_or_default(),
        activity: input.activity_id.map(|id| id.to_string()).unwrap_or_default(),
        day: input.day.unwrap_or_else(|| crate::routes::growth::today().to_string()),
        did: input.did,
        happened: input.happened.unwrap_or_default(),
        learned: input.learned.unwrap_or_default(),
        next_step: input.next_step.unwrap_or_default(),
    };
    let entry = validate(&state, plan.as_ref(), &fields).map_err(|invalid| {
        let (_, errors) = *invalid;
        let problems: Vec<String> = [
            ("skill", "skill"),
            ("activity", "activity_id"),
            ("day", "day"),
            ("did", "did"),
            ("happened", "happened"),
            ("learned", "learned"),
            ("next_step", "next_step"),
        ]
        .iter()
        .filter_map(|(field, name)| errors.get(field).map(|m| format!("`{name}`: {m}")))
        .collect();
        AppError::Invalid(format!("The entry cannot be saved: {}", problems.join(" ")))
    })?;
    let saved = state.store.create_practice(user.id, &entry, now_millis()).await?;
    Ok((StatusCode::CREATED, Json(practice_json(&state, &saved))).into_response())
}
