//! Results of closed assessment cycles: the person's own page, a past cycle,
//! the CSV export, what a manager sees when results are shared with them,
//! and completion counts for admins.
//!
//! Every figure on these pages comes from [`assessment::results`], which
//! drops withheld answers before anything is counted; the pages only format
//! what it returns. The comment shuffle is keyed by the cycle id and a
//! server-side constant, never by time, so reloading shows the same order.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::assessment::{
    self, Basis, CSV_HEADER, Pool, PoolSummary, Progress, Results, ShuffleSeed, Signal, SkillResult,
};
use pmcoach_core::framework::model::Observer;
use pmcoach_store::{CycleId, StoredCycle, User, UserId};
use serde::Deserialize;
use tower_sessions::Session;

use crate::access::{Access, CurrentUser, Routes, SeenVersion};
use crate::charts_results::{self, HistoryColumn, RadarAxis};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::scenarios::signal::ScenarioSignal;
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/results", Access::Member, latest)
        .get("/results.csv", Access::Member, csv)
        .get("/results/{cycle}", Access::Member, one)
        .post("/results/{cycle}/share", Access::Member, share)
        .get("/people/{id}/results", Access::ManagerOfSubject, shared_with_manager)
        .get("/admin/assessments", Access::Admin, admin_completion)
}

/// Mixed with the cycle id into the comment shuffle's seed, so the order of
/// comments depends on the texts and this server's key alone.
const SHUFFLE_KEY: &str = "pmcoach/results/comment-order/v1";

/// The seed of a cycle's comment order.
pub fn seed(cycle: CycleId) -> ShuffleSeed {
    ShuffleSeed::from_bytes(crate::auth::secret::digest(&format!("{SHUFFLE_KEY}:{cycle}")).as_bytes())
}

/// A closed cycle with its results.
pub struct Released {
    pub cycle: StoredCycle,
    pub results: Results,
}

/// The person's closed cycles, oldest first, with their results.
pub async fn released(state: &AppState, user: UserId) -> AppResult<Vec<Released>> {
    let mut out = Vec::new();
    for cycle in state.store.cycles(user).await?.into_iter().filter(|cycle| !cycle.is_open()) {
        let answers = state.store.cycle_answers(cycle.id).await?;
        let results =
            assessment::results(&answers.cycle.cycle, &answers.self_ratings, &answers.responses, seed(cycle.id))
                .map_err(|error| AppError::Internal(anyhow::anyhow!(error)))?;
        out.push(Released { cycle, results });
    }
    Ok(out)
}

fn date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
}

fn short_date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {} {}", t.day(), &t.month().to_string()[..3], t.year()))
        .unwrap_or_default()
}

/// "Customer success" for `customer-success`.
fn group_name(group: Observer) -> String {
    let text = group.as_str().replace('-', " ");
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn pool_name(pool: Pool) -> String {
    match pool {
        Pool::Group(Observer::Manager) => "Manager".to_owned(),
        Pool::Group(group) => group_name(group),
        Pool::Others => "Others".to_owned(),
    }
}

fn groups_text(groups: &[Observer]) -> String {
    let names: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn level_text(value: f64) -> String {
    format!("{value:.1}")
}

/// A pool as the "who answered" list shows it.
pub struct PoolLine {
    pub name: String,
    pub raters: usize,
    pub note: String,
    pub shown: bool,
    pub named: bool,
}

/// One column of the per-skill table (a shown pool).
pub struct Column {
    pub name: String,
    pub named: bool,
}

/// One skill's row.
pub struct Row {
    pub id: String,
    pub name: String,
    pub target: String,
    pub own: String,
    pub cells: Vec<String>,
    pub all: String,
    pub gap: String,
    pub spread: String,
    pub signal: &'static str,
    pub signal_class: &'static str,
}

pub struct FocusView {
    pub id: String,
    pub name: String,
    pub reason: String,
    pub priority: String,
}

pub struct CommentView {
    pub heading: String,
    pub texts: Vec<String>,
}

pub struct SignalLine {
    pub skill: String,
    pub text: String,
}

pub struct HistoryRow {
    pub label: String,
    pub target: String,
    pub own: String,
    pub others: String,
}

/// One skill's line of the per-skill history table.
pub struct SkillHistoryRow {
    pub name: String,
    pub cells: Vec<String>,
}

/// Another closed cycle to switch to.
pub struct CycleLink {
    pub id: CycleId,
    pub label: String,
    pub current: bool,
}

/// Everything a results page shows about one cycle.
pub struct ResultsView {
    pub cycle_id: CycleId,
    pub closed: String,
    pub threshold: u32,
    pub pools: Vec<PoolLine>,
    /// Why some answers are not shown; empty when everything is.
    pub withheld: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The rows of the skills on the radar, for the table beside it.
    pub radar_rows: usize,
    pub radar: String,
    pub radar_note: String,
    pub blind_spots: Vec<SignalLine>,
    pub hidden_strengths: Vec<SignalLine>,
    /// Per-function differences, largest first: the first few are listed,
    /// the rest folded away.
    pub by_function: Vec<SignalLine>,
    pub by_function_more: Vec<SignalLine>,
    pub focus: Vec<FocusView>,
    pub comments: Vec<CommentView>,
    pub history_chart: String,
    pub history: Vec<HistoryRow>,
    /// Per skill, self and raters in each cycle (columns as `history`).
    pub history_skills: Vec<SkillHistoryRow>,
    pub cycles: Vec<CycleLink>,
}

fn pool_line(pool: &PoolSummary, threshold: u32) -> (PoolLine, Option<String>) {
    let raters = plural(pool.raters, "rater", "raters");
    let (note, withheld) = match (pool.pool, pool.shown) {
        (Pool::Group(Observer::Manager), _) => {
            ("Shown as the manager's own answers, not anonymously.".to_owned(), None)
        }
        (Pool::Group(_), _) => (format!("At least {threshold} answered, so shown as a group."), None),
        (Pool::Others, true) => (
            format!(
                "{} had fewer than {threshold} raters each, so their {raters} are shown together as others.",
                groups_text(&pool.groups)
            ),
            None,
        ),
        (Pool::Others, false) => {
            let text = format!(
                "{raters} from {} answered — fewer than {threshold}, so their answers were merged into others, which is \
                 withheld too: it also has fewer than {threshold} raters. None of their ratings or comments appear \
                 on this page, in the CSV export or in the API.",
                groups_text(&pool.groups)
            );
            ("Withheld to keep them anonymous.".to_owned(), Some(text))
        }
    };
    let line = PoolLine {
        name: match pool.pool {
            Pool::Others if !pool.shown => format!("Others ({})", groups_text(&pool.groups)),
            other => pool_name(other),
        },
        raters: pool.raters,
        note,
        shown: pool.shown,
        named: !pool.anonymous,
    };
    (line, withheld)
}

fn row(skill: &SkillResult, columns: &[Pool]) -> Row {
    let cells = columns
        .iter()
        .map(|pool| match skill.pools.iter().find(|cell| cell.pool == *pool) {
            Some(cell) => cell.stats.as_ref().map_or_else(|| "withheld".to_owned(), |s| level_text(s.mean)),
            None => "—".to_owned(),
        })
        .collect();
    let (signal, signal_class) = match skill.signal {
        Some(Signal::BlindSpot) => ("Blind spot", "pill warn"),
        Some(Signal::HiddenStrength) => ("Hidden strength", "pill good"),
        None => ("", ""),
    };
    Row {
        id: skill.id.to_string(),
        name: skill.name.clone(),
        target: skill.target.to_string(),
        own: skill.self_rating.map_or_else(|| "—".to_owned(), |l| l.to_string()),
        cells,
        all: skill.observed.as_ref().map_or_else(|| "withheld".to_owned(), |s| level_text(s.mean)),
        gap: skill.gap.map_or_else(|| "—".to_owned(), |g| format!("{g:+.1}")),
        spread: skill.observed.as_ref().and_then(|s| s.spread).map_or_else(|| "—".to_owned(), |s| format!("{s:.1}")),
        signal,
        signal_class,
    }
}

/// Per-function differences listed before the rest are folded away.
const BY_FUNCTION_SHOWN: usize = 6;

/// Skills drawn on the radar: all of them up to this many, else the heaviest.
const RADAR_SKILLS: usize = 12;

impl ResultsView {
    /// The view of `all[index]`, with history drawn from every cycle up to it.
    pub fn new(all: &[Released], index: usize, whose: &str) -> ResultsView {
        let Released { cycle, results } = &all[index];
        let threshold = results.threshold;
        let mut withheld = Vec::new();
        let pools = results
            .pools
            .iter()
            .map(|pool| {
                let (line, note) = pool_line(pool, threshold);
                withheld.extend(note);
                line
            })
            .collect();
        let shown: Vec<Pool> = results.pools.iter().filter(|p| p.shown).map(|p| p.pool).collect();
        let columns = shown.iter().map(|&pool| Column { name: pool_name(pool), named: pool.is_named() }).collect();
        let rows = results.skills.iter().map(|skill| row(skill, &shown)).collect();

        let drawn: Vec<&SkillResult> = results.skills.iter().take(RADAR_SKILLS).collect();
        let axes: Vec<RadarAxis<'_>> = drawn
            .iter()
            .map(|skill| RadarAxis {
                name: &skill.name,
                target: f64::from(skill.target.get()),
                self_rating: skill.self_rating.map(|l| f64::from(l.get())),
                others: skill.observed.as_ref().map(|s| s.mean),
            })
            .collect();
        let radar_note = if results.skills.len() > RADAR_SKILLS {
            format!(
                "The chart shows the {RADAR_SKILLS} heaviest of {} skills; the table below has them all.",
                results.skills.len()
            )
        } else {
            String::new()
        };
        let radar = charts_results::radar(
            "results-radar",
            &format!("Target, {whose} own rating and raters per skill"),
            "Each spoke is a skill on the 1 to 5 scale. The grey dashed outline is the target, blue the self rating, \
             orange the mean of every rater answer shown. The table beside the chart has the same numbers.",
            &axes,
        );

        let signal_line = |skill: &SkillResult| {
            let seen = skill.observed.as_ref().map_or(0.0, |s| s.mean);
            SignalLine {
                skill: skill.name.clone(),
                text: format!(
                    "raters see {seen:.1}, self rating {}.",
                    skill.self_rating.map_or_else(|| "missing".to_owned(), |l| l.to_string())
                ),
            }
        };
        let blind_spots =
            results.skills.iter().filter(|s| s.signal == Some(Signal::BlindSpot)).map(signal_line).collect();
        let hidden_strengths =
            results.skills.iter().filter(|s| s.signal == Some(Signal::HiddenStrength)).map(signal_line).collect();
        let mut perceptions: Vec<_> = results.perceptions.iter().collect();
        perceptions.sort_by(|a, b| {
            let size = |p: &&assessment::Perception| (p.seen - f64::from(p.self_rating.get())).abs();
            size(b).total_cmp(&size(a))
        });
        let mut by_function: Vec<SignalLine> = perceptions
            .into_iter()
            .map(|p| {
                let name = results.skill(p.skill.as_str()).map_or_else(|| p.skill.to_string(), |s| s.name.clone());
                let mut text = p.message.clone();
                if let Some(first) = text.get(..1) {
                    text = format!("{}{}", first.to_uppercase(), &text[1..]);
                }
                let label = match p.signal {
                    Signal::BlindSpot => "blind spot",
                    Signal::HiddenStrength => "hidden strength",
                };
                SignalLine { skill: name, text: format!("{text} ({label}).") }
            })
            .collect();
        let by_function_more = by_function.split_off(by_function.len().min(BY_FUNCTION_SHOWN));
        let focus = results
            .focus
            .iter()
            .map(|f| FocusView {
                id: f.skill.to_string(),
                name: f.name.clone(),
                reason: f.reason.clone(),
                priority: match f.basis {
                    Basis::Raters => format!("Gap {:.1} from raters × weight {:.1}%", f.gap, f.weight * 100.0),
                    Basis::SelfRating => format!("Gap {:.0} from your rating × weight {:.1}%", f.gap, f.weight * 100.0),
                },
            })
            .collect();
        let comments = results
            .comments
            .iter()
            .map(|group| {
                let about = group
                    .skill
                    .as_ref()
                    .and_then(|id| results.skill(id.as_str()))
                    .map_or_else(|| "in general".to_owned(), |s| format!("on {}", s.name));
                let who = match group.pool {
                    Pool::Group(Observer::Manager) => "Manager (not anonymous)".to_owned(),
                    other => pool_name(other),
                };
                CommentView { heading: format!("{who}, {about}"), texts: group.texts.clone() }
            })
            .collect();

        // History: every closed cycle up to this one, averaged over skills.
        let upto = &all[..=index];
        let labels: Vec<String> =
            upto.iter().map(|r| short_date(r.cycle.closed_at.unwrap_or(r.cycle.opened_at))).collect();
        let history =
            assessment::history(upto.iter().zip(&labels).map(|(released, label)| (label.as_str(), &released.results)));
        let mean = |values: Vec<f64>| (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
        let averages: Vec<(Option<f64>, Option<f64>, Option<f64>)> = (0..history.cycles.len())
            .map(|at| {
                let points = history.skills.iter().filter_map(|skill| skill.points.get(at));
                let target = mean(points.clone().filter_map(|p| p.target.map(|l| f64::from(l.get()))).collect());
                let own = mean(points.clone().filter_map(|p| p.self_rating.map(|l| f64::from(l.get()))).collect());
                let others = mean(points.filter_map(|p| p.observed).collect());
                (target, own, others)
            })
            .collect();
        let columns_h: Vec<HistoryColumn<'_>> = history
            .cycles
            .iter()
            .zip(&averages)
            .map(|(label, &(target, own, others))| HistoryColumn { label, target, self_rating: own, others })
            .collect();
        let history_chart = charts_results::history_lines(
            "results-history",
            "Average over all skills, per closed cycle",
            "Average target, self rating and rater mean across the skills of each cycle, oldest first. The table \
             beside the chart has the same numbers.",
            &columns_h,
        );
        let show = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), level_text);
        let history_skills = history
            .skills
            .iter()
            .map(|skill| SkillHistoryRow {
                name: skill.name.clone(),
                cells: skill
                    .points
                    .iter()
                    .map(|p| {
                        if p.target.is_none() {
                            return "not in this cycle".to_owned();
                        }
                        let own = p.self_rating.map_or_else(|| "—".to_owned(), |l| l.to_string());
                        format!("self {own} · raters {}", p.observed.map_or_else(|| "withheld".to_owned(), level_text))
                    })
                    .collect(),
            })
            .collect();
        let history = history
            .cycles
            .iter()
            .zip(&averages)
            .map(|(label, &(target, own, others))| HistoryRow {
                label: label.clone(),
                target: show(target),
                own: show(own),
                others: show(others),
            })
            .collect();
        let cycles = all
            .iter()
            .rev()
            .map(|r| CycleLink {
                id: r.cycle.id,
                label: format!("Closed {}", date(r.cycle.closed_at.unwrap_or(r.cycle.opened_at))),
                current: r.cycle.id == cycle.id,
            })
            .collect();

        ResultsView {
            cycle_id: cycle.id,
            closed: date(cycle.closed_at.unwrap_or(cycle.opened_at)),
            threshold,
            pools,
            withheld,
            columns,
            radar_rows: drawn.len(),
            rows,
            radar,
            radar_note,
            blind_spots,
            hidden_strengths,
            by_function,
            by_function_more,
            focus,
            comments,
            history_chart,
            history_skills,
            history,
            cycles,
        }
    }
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage<'a> {
    chrome: Chrome,
    /// The viewer's own results (else a manager's view of shared results).
    own: bool,
    name: &'a str,
    first_name: String,
    view: &'a Option<ResultsView>,
    /// An open cycle, for the empty state.
    open_cycle: bool,
    /// A cycle number that matched no closed cycle of the person.
    missing: &'a Option<String>,
    /// The person whose results these are.
    subject_id: UserId,
    /// The sharing control, on the owner's page when they have a manager.
    share: &'a Option<ShareView>,
    /// The page below the sharing control, rendered by [`ResultsBody`]
    /// (empty without a view).
    body: &'a str,
}

/// The sections of a results page that depend on the results alone, not on
/// the request (no form, no token), so the latest cycle's HTML is rendered
/// once per data version and kept with its data.
#[derive(Template)]
#[template(path = "_results_body.html")]
struct ResultsBody<'a> {
    own: bool,
    subject_id: UserId,
    view: &'a ResultsView,
    /// The scenario signal (issue 7), on the owner's page only: its own
    /// column in percent, never mixed into self or raters.
    scenarios: &'a Option<ScenarioSignal>,
}

/// What the person's own results page shows, besides the frame: nothing in
/// it depends on the clock, so the latest cycle's is kept until the data
/// version moves (see [`crate::page_cache`]).
struct OwnResults {
    view: Option<ResultsView>,
    open_cycle: bool,
    missing: Option<String>,
    share: Option<ShareView>,
    body: String,
}

/// Whether the shown cycle is shared, and with whom.
pub struct ShareView {
    pub shared: bool,
    pub manager: String,
}

fn first_name(user: &User) -> String {
    user.name.split_whitespace().next().unwrap_or(&user.name).to_owned()
}

async fn own_results(
    state: &AppState,
    viewer: &User,
    pick: impl FnOnce(&[Released]) -> Result<Option<usize>, String>,
) -> AppResult<OwnResults> {
    let all = released(state, viewer.id).await?;
    let open_cycle = state.store.open_cycle_of(viewer.id).await?.is_some();
    let picked = pick(&all);
    // An older cycle shows the scenario answers given before it closed; the
    // latest shows them up to today.
    let until = match &picked {
        Ok(Some(index)) if index + 1 < all.len() => all[*index].cycle.closed_at,
        _ => None,
    };
    let (view, missing) = match picked {
        Ok(Some(index)) => (Some(ResultsView::new(&all, index, "your")), None),
        Ok(None) => (None, None),
        Err(missing) => (None, Some(missing)),
    };
    let share = match (&view, viewer.manager_id) {
        (Some(view), Some(manager)) => {
            let manager = state.store.user(manager).await?;
            let shared = state.store.shared_cycles(viewer.id).await?.contains(&view.cycle_id);
            Some(ShareView { shared, manager: first_name(&manager) })
        }
        _ => None,
    };
    let body = match &view {
        Some(view) => {
            let scenarios = crate::routes::scenarios::signal::for_results(state, viewer.id, until, &view.rows).await?;
            ResultsBody { own: true, subject_id: viewer.id, view, scenarios: &scenarios }.render()?
        }
        None => String::new(),
    };
    Ok(OwnResults { view, open_cycle, missing, share, body })
}

async fn own_page(session: &Session, viewer: &User, results: &OwnResults) -> AppResult<Response> {
    let chrome = Chrome::new(session, Some(viewer), Nav::Profile).await?;
    render(&ResultsPage {
        chrome,
        own: true,
        name: &viewer.name,
        first_name: first_name(viewer),
        view: &results.view,
        open_cycle: results.open_cycle,
        missing: &results.missing,
        subject_id: viewer.id,
        share: &results.share,
        body: &results.body,
    })
}

#[derive(Deserialize)]
struct ShareForm {
    shared: String,
}

/// Shares one of the viewer's own closed cycles with their manager, or stops.
#[tracing::instrument(skip_all, fields(cycle = %cycle))]
async fn share(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(cycle): Path<String>,
    Form(form): Form<ShareForm>,
) -> AppResult<Response> {
    let id = cycle.parse::<CycleId>().map_err(|_| AppError::NotFound)?;
    let shared = match form.shared.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("Choose to share (shared=1) or to stop sharing (shared=0).".to_owned())),
    };
    // Someone else's cycle is answered exactly like one that does not exist.
    let owned = match state.store.cycle(id).await {
        Ok(found) => found.user_id == viewer.id,
        Err(pmcoach_store::StoreError::NotFound) => false,
        Err(error) => return Err(error.into()),
    };
    if !owned {
        return Err(AppError::NotFound);
    }
    if shared && viewer.manager_id.is_none() {
        return Err(AppError::Invalid(
            "You have no manager in pmcoach to share with. Ask an admin to set your reporting line first.".to_owned(),
        ));
    }
    state.store.set_cycle_shared(id, shared).await?;
    Ok(Redirect::to(&format!("/results/{id}")).into_response())
}

/// What a manager sees: the latest cycle the person shared, else an empty
/// state. The person themselves is sent to their own page.
#[tracing::instrument(skip_all, fields(id = %id))]
async fn shared_with_manager(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // The access rule has already checked that the viewer is this person or their manager.
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    if id == viewer.id {
        return Ok(Redirect::to("/results").into_response());
    }
    let person = state.store.user(id).await?;
    let shared = state.store.shared_cycles(person.id).await?;
    let all: Vec<Released> =
        released(&state, person.id).await?.into_iter().filter(|r| shared.contains(&r.cycle.id)).collect();
    let first = first_name(&person);
    let view = all.len().checked_sub(1).map(|index| ResultsView::new(&all, index, &format!("{first}'s")));
    let body = match &view {
        Some(view) => ResultsBody { own: false, subject_id: person.id, view, scenarios: &None }.render()?,
        None => String::new(),
    };
    let chrome = Chrome::new(&session, Some(&viewer), Nav::Team).await?;
    render(&ResultsPage {
        chrome,
        own: false,
        name: &person.name,
        first_name: first,
        view: &view,
        open_cycle: false,
        missing: &None,
        subject_id: person.id,
        share: &None,
        body: &body,
    })
}

#[tracing::instrument(skip_all)]
async fn latest(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
    SeenVersion(version): SeenVersion,
) -> AppResult<Response> {
    let results = state
        .pages
        .get_or_load(version, viewer.id, "results", || own_results(&state, &viewer, |all| Ok(all.len().checked_sub(1))))
        .await?;
    own_page(&session, &viewer, &results).await
}

#[tracing::instrument(skip_all, fields(cycle = %cycle))]
async fn one(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
    Path(cycle): Path<String>,
) -> AppResult<Response> {
    // Only the viewer's own closed cycles are looked up, so another person's
    // cycle number finds nothing, exactly like a number that does not exist.
    let wanted = cycle.parse::<CycleId>().ok();
    let results = own_results(&state, &viewer, |all| match all.iter().position(|r| Some(r.cycle.id) == wanted) {
        Some(index) => Ok(Some(index)),
        None => Err(cycle.chars().take(40).collect()),
    })
    .await?;
    own_page(&session, &viewer, &results).await
}

#[derive(Deserialize)]
struct CsvQuery {
    cycle: Option<String>,
}

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The whole CSV text of one cycle's results.
pub fn csv_text(results: &Results) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for row in assessment::csv_rows(results) {
        out.push_str(&row.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[tracing::instrument(skip_all)]
async fn csv(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Query(query): Query<CsvQuery>,
) -> AppResult<Response> {
    let all = released(&state, viewer.id).await?;
    let chosen = match query.cycle.as_deref() {
        Some(raw) => {
            let id = raw.parse::<CycleId>().map_err(|_| AppError::NotFound)?;
            all.iter().find(|r| r.cycle.id == id)
        }
        None => all.last(),
    };
    // Without a closed cycle yet, the export is the header alone: the same
    // columns every later export has, ready for a spreadsheet.
    let (filename, text) = match (query.cycle.is_some(), chosen) {
        (_, Some(released)) => (format!("pmcoach-results-{}.csv", released.cycle.id), csv_text(&released.results)),
        (true, None) => return Err(AppError::NotFound),
        (false, None) => ("pmcoach-results.csv".to_owned(), format!("{}\r\n", CSV_HEADER.join(","))),
    };
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        text,
    )
        .into_response())
}

/// One cycle's line in the admins' table: counts only.
pub struct CompletionLine {
    pub person: String,
    pub state: &'static str,
    pub opened: String,
    pub closed: String,
    pub invited: usize,
    pub answered: usize,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "results_admin.html")]
struct AdminPage {
    chrome: Chrome,
    lines: Vec<CompletionLine>,
    invited: usize,
    answered: usize,
    rate: String,
    open: usize,
    closed: usize,
}

fn rate(answered: usize, invited: usize) -> String {
    if invited == 0 { "—".to_owned() } else { format!("{:.0}%", 100.0 * answered as f64 / invited as f64) }
}

#[tracing::instrument(skip_all)]
async fn admin_completion(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(viewer): CurrentUser,
) -> AppResult<Response> {
    let rows = state.store.completion(viewer.org_id).await?;
    let progress: Vec<(String, Progress)> = rows.iter().map(|row| (row.cycle_id.to_string(), row.progress())).collect();
    let summary = assessment::completion(progress.iter().map(|(id, p)| (id.as_str(), p)));
    let lines = rows
        .iter()
        .zip(&summary.cycles)
        .map(|(row, counts)| CompletionLine {
            person: row.user_name.clone(),
            state: row.state.as_str(),
            opened: date(row.opened_at),
            closed: row.closed_at.map_or_else(|| "—".to_owned(), date),
            invited: counts.invited,
            answered: counts.answered,
            rate: rate(counts.answered, counts.invited),
        })
        .collect::<Vec<_>>();
    let open = lines.iter().filter(|l| l.state == "open").count();
    let chrome = Chrome::new(&session, Some(&viewer), Nav::Admin).await?;
    render(&AdminPage {
        chrome,
        closed: lines.len() - open,
        open,
        invited: summary.invited,
        answered: summary.answered,
        rate: summary.rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0)),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn seeds_depend_on_the_cycle_only() {
        assert_eq!(seed(7), seed(7));
        assert_ne!(seed(7), seed(8));
    }
}
