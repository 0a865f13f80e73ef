//! `/api/v1/stakeholders`: the token owner's stakeholder map, for scripts
//! that sync it with a CRM or a notes tool. The same checks as the pages
//! (`routes::stakeholders`), and the same rule: only one's own.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing;
use pmcoach_core::stakeholders::Quadrant;
use pmcoach_store::now_millis;
use pmcoach_store::stakeholders::{Meeting, Stakeholder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath, MAX_BODY_BYTES, TokenUser};
use crate::access::{Access, Routes};
use crate::error::{ApiError, AppError};
use crate::routes::stakeholders::{iso, lines, millis_date, parse_id, templates};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/api/v1/stakeholders", Access::ApiToken, list)
        .add(
            Method::POST,
            "/api/v1/stakeholders",
            Access::ApiToken,
            routing::post(create).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .get("/api/v1/stakeholders/{stakeholder}", Access::ApiToken, show)
}

/// A stakeholder on the token owner's map.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderJson {
    pub id: i64,
    pub name: String,
    /// The function template id, such as `engineering` or `customer-success`.
    pub function: String,
    /// The function as people read it.
    pub function_name: String,
    pub title: Option<String>,
    pub goals: Vec<String>,
    pub pressures: Vec<String>,
    /// What they need from the token owner.
    pub needs: Vec<String>,
    pub channel: String,
    pub style: String,
    /// 1 to 5.
    pub influence: i64,
    /// 1 to 5.
    pub interest: i64,
    /// Relationship health, 1 (strained) to 5 (strong).
    pub health: i64,
    /// `Manage closely`, `Keep satisfied`, `Keep informed` or `Monitor`; 3 or more counts as high.
    pub quadrant: &'static str,
    /// Days between 1:1s; null for no regular 1:1.
    pub cadence_days: Option<i64>,
    /// The day of the last meeting, `YYYY-MM-DD` (UTC); null before the first.
    pub last_met: Option<String>,
    /// When the next 1:1 is due, in milliseconds since the Unix epoch, UTC;
    /// null without a cadence or when archived.
    pub next_due_at: Option<i64>,
    /// Whether the next 1:1 is due at or before now.
    pub overdue: bool,
    pub archived: bool,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
    pub updated_at: i64,
}

impl StakeholderJson {
    fn new(stakeholder: Stakeholder, now: i64) -> Self {
        let due = stakeholder.due_at();
        let profile = stakeholder.profile;
        let score = |n: i64| u8::try_from(n.clamp(1, 5)).unwrap_or(3);
        StakeholderJson {
            id: stakeholder.id,
            function_name: templates().name(&profile.function_id).to_owned(),
            quadrant: Quadrant::of(score(profile.influence), score(profile.interest)).label(),
            goals: owned_lines(&profile.goals),
            pressures: owned_lines(&profile.pressures),
            needs: owned_lines(&profile.needs),
            last_met: profile.last_met_at.and_then(millis_date).map(iso),
            name: profile.name,
            function: profile.function_id,
            title: profile.title,
            channel: profile.channel,
            style: profile.style,
            influence: profile.influence,
            interest: profile.interest,
            health: profile.health,
            cadence_days: profile.cadence_days,
            next_due_at: due,
            overdue: due.is_some_and(|due| due <= now),
            archived: stakeholder.archived_at.is_some(),
            created_at: stakeholder.created_at,
            updated_at: stakeholder.updated_at,
        }
    }
}

fn owned_lines(text: &str) -> Vec<String> {
    lines(text).into_iter().map(str::to_owned).collect()
}

/// One logged meeting.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingJson {
    pub id: i64,
    /// The day they met, `YYYY-MM-DD` (UTC).
    pub date: String,
    pub notes: String,
    pub decisions: String,
    pub follow_ups: Vec<String>,
    /// When it was logged, in milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
}

impl From<Meeting> for MeetingJson {
    fn from(meeting: Meeting) -> Self {
        MeetingJson {
            id: meeting.id,
            date: millis_date(meeting.met_at).map(iso).unwrap_or_default(),
            follow_ups: owned_lines(&meeting.follow_ups),
            notes: meeting.notes,
            decisions: meeting.decisions,
            created_at: meeting.created_at,
        }
    }
}

/// The token owner's stakeholders, archived ones included.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderList {
    pub stakeholders: Vec<StakeholderJson>,
}

/// A stakeholder with their meetings, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderDetail {
    pub stakeholder: StakeholderJson,
    pub meetings: Vec<MeetingJson>,
}

/// The token owner's stakeholders, by name.
#[utoipa::path(
    get,
    path = "/api/v1/stakeholders",
    tag = "stakeholders",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every stakeholder of the token owner, archived ones included", body = StakeholderList),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, TokenUser(user): TokenUser) -> Result<Response, ApiError> {
    let now = now_millis();
    let stakeholders =
        state.store.stakeholders(user.id).await?.into_iter().map(|s| StakeholderJson::new(s, now)).collect();
    Ok(Json(StakeholderList { stakeholders }).into_response())
}

/// One stakeholder of the token owner, with their meetings.
#[utoipa::path(
    get,
    path = "/api/v1/stakeholders/{stakeholder}",
    tag = "stakeholders",
    security(("bearer" = [])),
    params(("stakeholder" = i64, Path, description = "The stakeholder's id")),
    responses(
        (status = 200, description = "The stakeholder and their meetings, newest first", body = StakeholderDetail),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
        (status = 404, description = "The token owner has no stakeholder with this id", body = super::doc::ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    ApiPath(raw): ApiPath,
) -> Result<Response, ApiError> {
    let missing =
        || AppError::Missing(format!("You have no stakeholder with id {raw}; GET /api/v1/stakeholders lists them."));
    let id = parse_id(&raw).map_err(|_| missing())?;
    let stakeholder = state.store.stakeholder(user.id, id).await.map_err(|error| match error {
        pmcoach_store::StoreError::NotFound => missing(),
        other => other.into(),
    })?;
    let meetings = state.store.meetings(user.id, id).await?.into_iter().map(MeetingJson::from).collect();
    Ok(Json(StakeholderDetail { stakeholder: StakeholderJson::new(stakeholder, now_millis()), meetings })
        .into_response())
}

/// A stakeholder to add. Lists, channel, style and cadence left out come
/// from the function's template.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStakeholderRequest {
    /// At most 200 characters.
    pub name: String,
    /// A function template id: engineering, design, sales, customer-success, marketing, leadership, finance,
    /// legal or customer.
    pub function: String,
    pub title: Option<String>,
    pub goals: Option<Vec<String>>,
    pub pressures: Option<Vec<String>>,
    pub needs: Option<Vec<String>>,
    pub channel: Option<String>,
    pub style: Option<String>,
    /// 1 to 5.
    pub influence: i64,
    /// 1 to 5.
    pub interest: i64,
    /// 1 to 5.
    pub health: i64,
    /// Days between 1:1s, 1 to 365; 0 for no regular 1:1; left out, the function's usual cadence.
    pub cadence_days: Option<i64>,
    /// The day of the last meeting, `YYYY-MM-DD`.
    pub last_met: Option<String>,
}

const FIELDS: [&str; 13] = [
    "name",
    "function",
    "title",
    "goals",
    "pressures",
    "needs",
    "channel",
    "style",
    "influence",
    "interest",
    "health",
    "cadence_days",
    "last_met",
];

/// One field's problem, in the API's words: the form's "choose one in the
/// list" becomes the list itself.
fn problem(field: &str, message: &str) -> String {
    if field == "function" {
        let ids: Vec<&str> = templates().all().iter().map(|t| t.id.as_str()).collect();
        format!("`function` must be one of: {}.", ids.join(", "))
    } else {
        format!("`{field}`: {message}")
    }
}

/// Adds a stakeholder to the token owner's map.
#[utoipa::path(
    post,
    path = "/api/v1/stakeholders",
    tag = "stakeholders",
    security(("bearer" = [])),
    request_body = NewStakeholderRequest,
    responses(
        (status = 201, description = "The stakeholder as stored", body = StakeholderJson),
        (status = 400, description = "A field is missing or out of range; the message names each", body = super::doc::ErrorBody),
        (status = 401, description = "No valid API token", body = super::doc::ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    ApiJson(request): ApiJson<NewStakeholderRequest>,
) -> Result<Response, ApiError> {
    let template = templates().get(request.function.trim());
    let list = |given: Option<Vec<String>>,
                default: fn(&pmcoach_core::stakeholders::FunctionTemplate) -> &Vec<String>| {
        given.map(|items| items.join("\n")).or_else(|| template.map(|t| default(t).join("\n"))).unwrap_or_default()
    };
    let form = crate::routes::stakeholders::StakeholderForm {
        name: request.name,
        title: request.title.unwrap_or_default(),
        goals: list(request.goals, |t| &t.goals),
        pressures: list(request.pressures, |t| &t.pressures),
        needs: list(request.needs, |t| &t.needs),
        channel: request.channel.or_else(|| template.map(|t| t.channel.clone())).unwrap_or_default(),
        style: request.style.or_else(|| template.map(|t| t.style.clone())).unwrap_or_default(),
        influence: request.influence.to_string(),
        interest: request.interest.to_string(),
        health: request.health.to_string(),
        cadence_days: match request.cadence_days {
            Some(0) => String::new(),
            Some(days) => days.to_string(),
            None => template.map(|t| t.cadence_days.to_string()).unwrap_or_default(),
        },
        last_met: request.last_met.unwrap_or_default(),
        function: request.function,
    };
    let profile = form.validate().map_err(|errors| {
        let problems: Vec<String> =
            FIELDS.iter().filter_map(|field| errors.get(field).map(|message| problem(field, message))).collect();
        AppError::Invalid(format!("The stakeholder cannot be added. {}", problems.join(" ")))
    })?;
    let created = state.store.create_stakeholder(user.id, &profile, now_millis()).await?;
    Ok((StatusCode::CREATED, Json(StakeholderJson::new(created, now_millis()))).into_response())
}
