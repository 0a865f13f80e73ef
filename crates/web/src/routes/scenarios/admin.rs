//! `/admin/scenarios`: item statistics of the organisation's answers (how
//! many answered, mean score, item–rest correlation, flags), and the
//! anonymised CSV export. Neither names a person: the page shows only
//! figures per scenario, the export opaque respondent keys shuffled afresh
//! for every download.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pmcoach_core::scenarios::{Flag, ItemStats, Response as ScenarioResponse, csv_rows, csv_text, item_stats_of_blind};
use pmcoach_store::StoredAttempt;
use serde::Deserialize;
use tower_sessions::Session;

use super::bank;
use crate::access::CurrentUser;
use crate::auth::secret;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::growth::skill_name;
use crate::state::AppState;

pub struct FlagView {
    pub name: &'static str,
    pub explanation: &'static str,
    pub serious: bool,
}

pub struct ItemRow {
    pub id: String,
    pub title: String,
    pub skills: String,
    pub answered: usize,
    pub mean: String,
    pub discrimination: String,
    /// Why the correlation is missing, when it is.
    pub undefined: Option<String>,
    pub negative: bool,
    pub flags: Vec<FlagView>,
}

#[derive(Template)]
#[template(path = "scenarios_admin.html")]
struct AdminPage {
    chrome: Chrome,
    rows: Vec<ItemRow>,
    /// Every flag with its explanation, for the legend.
    legend: Vec<FlagView>,
    sort: &'static str,
    people: usize,
    responses: usize,
    flagged: usize,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SortQuery {
    sort: String,
}

/// The sort orders the table offers; flags first by default.
const SORTS: [&str; 4] = ["flags", "answered", "mean", "discrimination"];

fn serious(flag: Flag) -> bool {
    flag != Flag::TooFewAnswers
}

fn sort_rows(stats: &mut [ItemStats], sort: &str) {
    let key_flags = |s: &ItemStats| {
        (std::cmp::Reverse(s.flags.iter().filter(|f| serious(**f)).count()), std::cmp::Reverse(s.answered))
    };
    match sort {
        "answered" => stats.sort_by_key(|s| std::cmp::Reverse(s.answered)),
        // Hardest first; unanswered last.
        "mean" => stats.sort_by(|a, b| a.mean.unwrap_or(2.0).total_cmp(&b.mean.unwrap_or(2.0))),
        // Weakest first; undefined last.
        "discrimination" => stats.sort_by(|a, b| {
            a.discrimination.value().unwrap_or(2.0).total_cmp(&b.discrimination.value().unwrap_or(2.0))
        }),
        _ => stats.sort_by_key(key_flags),
    }
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<SortQuery>,
) -> AppResult<Response> {
    let bank = bank(&state)?;
    // The statistics need only each person's blind score per scenario, not
    // every attempt with its answers (at 100,000 people: 0.2 s, not 1–2.5 s).
    let blind = state.store.org_blind_scores(user.org_id).await?;
    let responses = state.store.org_attempt_count(user.org_id).await?;
    let ids: Vec<&str> = bank.iter().map(|s| s.id.as_str()).collect();
    let mut stats = item_stats_of_blind(&ids, blind.iter().map(|b| (b.user_id, b.scenario.as_str(), b.score)));
    let sort = SORTS.into_iter().find(|s| *s == query.sort).unwrap_or("flags");
    sort_rows(&mut stats, sort);
    let rows: Vec<ItemRow> = stats
        .iter()
        .map(|s| {
            let scenario = bank.get(&s.scenario);
            ItemRow {
                id: s.scenario.clone(),
                title: scenario.map_or_else(|| s.scenario.clone(), |sc| sc.title.clone()),
                skills: scenario
                    .map(|sc| {
                        sc.skills
                            .iter()
                            .map(|id| skill_name(&state.framework, id.as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                answered: s.answered,
                mean: s.mean.map_or_else(|| "–".to_owned(), |m| format!("{:.0} %", m * 100.0)),
                discrimination: s.discrimination.value().map_or_else(|| "–".to_owned(), |r| format!("{r:+.2}")),
                undefined: s.discrimination.reason().map(|r| r.to_string()),
                negative: s.discrimination.value().is_some_and(|r| r < 0.0),
                flags: s
                    .flags
                    .iter()
                    .map(|f| FlagView { name: f.as_str(), explanation: f.explanation(), serious: serious(*f) })
                    .collect(),
            }
        })
        .collect();
    // Everyone who tried a scenario has a blind score: their first try.
    let mut people: Vec<i64> = blind.iter().map(|b| b.user_id).collect();
    people.sort_unstable();
    people.dedup();
    render(&AdminPage {
        chrome: Chrome::new(&session, Some(&user), Nav::Admin).await?,
        flagged: rows.iter().filter(|r| r.flags.iter().any(|f| f.serious)).count(),
        rows,
        legend: Flag::ALL
            .iter()
            .map(|f| FlagView { name: f.as_str(), explanation: f.explanation(), serious: serious(*f) })
            .collect(),
        sort,
        people: people.len(),
        responses: usize::try_from(responses).unwrap_or(0),
    })
}

/// A seed nobody can know in advance: from a fresh random secret, so the
/// respondent keys of two downloads cannot be matched up.
fn export_seed() -> AppResult<u64> {
    let random = secret::generate("export").map_err(AppError::Internal)?;
    let digest = secret::digest(&random);
    u64::from_str_radix(&digest[..16], 16).map_err(|error| AppError::Internal(error.into()))
}

#[tracing::instrument(skip_all)]
pub async fn csv(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    let attempts = state.store.org_attempts(user.org_id).await?;
    let responses: Vec<ScenarioResponse> = attempts.iter().map(StoredAttempt::response).collect();
    let text = csv_text(&csv_rows(&responses, export_seed()?));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"pmcoach-scenario-responses.csv\""),
        ],
        text,
    )
        .into_response())
}
