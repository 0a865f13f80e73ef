//! The person's assessment (PRODUCT.md M3, collecting the answers): open a
//! cycle (the whole framework or the heaviest skills of their context), rate
//! themselves with behaviourally anchored levels, invite raters by group,
//! and close the cycle to release its results.
//!
//! Every page here is about the signed-in person's own cycle: no path names
//! anyone, so no one can reach another person's assessment. The owner sees
//! who was invited and whether they answered, never what they answered.

use std::collections::BTreeMap;

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::assessment::{self, Cycle, Placement, SelfRating, Threshold};
use pmcoach_core::context::engine;
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::ids::{Email, Level, SkillId};
use pmcoach_store::{StoreError, StoredCycle, User, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::FieldErrors;
use crate::access::{Access, CurrentUser, Routes};
use crate::auth::secret;
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

/// Skills in focus mode: the heaviest of the person's profile.
pub const FOCUS_SKILLS: usize = 8;
/// Skills per page of the self-assessment.
const PAGE_SIZE: usize = 6;
/// The longest evidence or comment kept, in characters.
pub const MAX_TEXT: usize = 2000;
/// How long a rater's link works.
pub const LINK_DAYS: i64 = 21;
const DAY_MILLIS: i64 = 86_400_000;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/assessment", Access::Member, home)
        .post("/assessment/start", Access::Member, start)
        .post("/assessment/close", Access::Member, close)
        .get("/assessment/self", Access::Member, self_page)
        .post("/assessment/self", Access::Member, save_self)
        .get("/assessment/raters", Access::Member, raters_page)
        .post("/assessment/raters", Access::Member, invite)
        .post("/assessment/raters/{invite}/remind", Access::Member, remind)
}

/// The class of a category's pill.
pub fn category_class(category: Category) -> &'static str {
    match category {
        Category::Soft => "soft",
        Category::Craft => "craft",
        Category::Technical => "technical",
    }
}

/// A date as pages show it: "24 November 2026".
pub fn date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
}

/// One level a person or rater can choose, with the behaviours that show it.
pub struct LevelOption {
    pub value: u8,
    pub name: String,
    pub behaviours: Vec<String>,
    pub checked: bool,
}

/// The five levels of a skill, described by the framework's behaviours
/// (or by their names alone if the framework no longer has the skill).
pub fn level_options(framework: &Framework, id: &SkillId, chosen: Option<u8>) -> Vec<LevelOption> {
    let skill = framework.skill(id.as_str());
    (1u8..=5)
        .map(|value| {
            let described = skill.and_then(|s| s.levels.get(usize::from(value) - 1));
            LevelOption {
                value,
                name: described.map_or_else(|| Level::NAMES[usize::from(value) - 1].to_owned(), |l| l.name.clone()),
                behaviours: described.map(|l| l.behaviours.clone()).unwrap_or_default(),
                checked: chosen == Some(value),
            }
        })
        .collect()
}

/// The address people reach this server at, for links to send them: the
/// `Host` they used, over HTTPS when a proxy says so.
fn public_base(headers: &HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let proto = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    let proto = if proto == "https" { "https" } else { "http" };
    format!("{proto}://{host}")
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

async fn threshold_of(state: &AppState, user: &User) -> AppResult<Threshold> {
    let organisation = state.store.organisation(user.org_id).await?;
    // A stored value below the minimum cannot weaken anonymity: use the minimum.
    Ok(Threshold::new(organisation.anonymity_threshold).unwrap_or(Threshold::MIN))
}

// ---------------------------------------------------------------- home

/// A rater group's line in the progress table.
pub struct GroupRow {
    pub label: &'static str,
    pub invited: usize,
    pub answered: usize,
    pub needs: u32,
    /// Fewer answers than the group needs to be shown on its own.
    pub short: bool,
    pub status: &'static str,
    pub status_class: &'static str,
}

struct CycleView {
    opened: String,
    total: usize,
    rated: usize,
    percent: usize,
    invited: usize,
    answered: usize,
    groups: Vec<GroupRow>,
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct HomePage {
    chrome: Chrome,
    first_name: String,
    has_context: bool,
    skill_count: usize,
    focus: usize,
    cycle: Option<CycleView>,
    past_cycles: usize,
    threshold: u32,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    saved: Option<String>,
}

async fn cycle_view(state: &AppState, stored: &StoredCycle) -> AppResult<CycleView> {
    let total = stored.cycle.skills().len();
    let rated = state.store.self_ratings(stored.id).await?.len();
    let invitations: Vec<_> = state.store.rater_invites(stored.id).await?.iter().map(|i| i.invitation()).collect();
    let progress = assessment::progress(stored.cycle.threshold(), &invitations);
    let groups = progress
        .groups
        .iter()
        .map(|g| {
            let (status, status_class) = match g.placement {
                _ if g.group == Observer::Manager && g.answered == 0 => ("waiting for their answer", "withheld"),
                Placement::Own if g.group == Observer::Manager => ("shown by name", "named"),
                Placement::Own => ("enough answers to be shown", "own"),
                Placement::Others => ("merged into \u{201c}others\u{201d} for now", "others"),
                Placement::Withheld => ("not enough answers yet", "withheld"),
            };
            GroupRow {
                label: g.group.label(),
                invited: g.invited,
                answered: g.answered,
                needs: g.threshold,
                short: g.group != Observer::Manager && g.answered < g.threshold as usize,
                status,
                status_class,
            }
        })
        .collect();
    Ok(CycleView {
        opened: date(stored.opened_at),
        total,
        rated,
        percent: (rated * 100).checked_div(total).unwrap_or(0),
        invited: progress.invited,
        answered: progress.answered,
        groups,
    })
}

#[tracing::instrument(skip_all)]
async fn home(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<HomeQuery>,
) -> AppResult<Response> {
    let has_context = state.store.role_context(user.id).await?.is_some();
    let cycles = state.store.cycles(user.id).await?;
    let open = cycles.iter().find(|c| c.is_open());
    let cycle = match open {
        Some(stored) => Some(cycle_view(&state, stored).await?),
        None => None,
    };
    let threshold = match open {
        Some(stored) => stored.cycle.threshold().get(),
        None => threshold_of(&state, &user).await?.get(),
    };
    let notice = match query.saved.as_deref() {
        Some("started") => Some("Your assessment is open. Start with your own ratings, then invite raters."),
        Some("self") => Some(
            "Your ratings are saved. Invite raters next, or come back to any skill before you close the assessment.",
        ),
        _ => None,
    };
    let chrome = Chrome::new(&session, Some(&user), Nav::Assessment).await?;
    render(&HomePage {
        chrome,
        first_name: user.name.split_whitespace().next().unwrap_or(&user.name).to_owned(),
        has_context,
        skill_count: state.framework.skills.len(),
        focus: FOCUS_SKILLS,
        cycle,
        past_cycles: cycles.iter().filter(|c| !c.is_open()).count(),
        threshold,
        notice,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartForm {
    mode: String,
}

#[tracing::instrument(skip_all)]
async fn start(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(form): Form<StartForm>,
) -> AppResult<Response> {
    let focus = match form.mode.as_str() {
        "full" => false,
        "focus" => true,
        _ => return Err(AppError::Invalid("Choose a full self-assessment or focus mode.".to_owned())),
    };
    let Some(context) = state.store.role_context(user.id).await? else {
        return Err(AppError::Conflict(
            "An assessment measures you against the target profile of your role, so set your role context first under My profile."
                .to_owned(),
        ));
    };
    let mut profile = engine::profile(&state.framework, &context);
    if focus {
        // The profile lists skills heaviest first.
        profile.skills.truncate(FOCUS_SKILLS);
    }
    let threshold = threshold_of(&state, &user).await?;
    let cycle = Cycle::freeze(&state.framework, &profile, threshold)
        .map_err(|error| AppError::Internal(anyhow::anyhow!("freezing a cycle: {error}")))?;
    match state.store.open_cycle(user.id, &cycle, &context, now_millis()).await {
        // Already open (a second tab, a double click): go to it.
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(Redirect::to("/assessment?saved=started").into_response()),
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "assessment_close.html")]
struct ClosePage {
    chrome: Chrome,
    cycle: CycleView,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CloseForm {
    confirm: String,
}

#[tracing::instrument(skip_all)]
async fn close(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(form): Form<CloseForm>,
) -> AppResult<Response> {
    let Some(stored) = state.store.open_cycle_of(user.id).await? else {
        return Ok(Redirect::to("/assessment").into_response());
    };
    if form.confirm != "yes" {
        let cycle = cycle_view(&state, &stored).await?;
        let chrome = Chrome::new(&session, Some(&user), Nav::Assessment).await?;
        return render(&ClosePage { chrome, cycle });
    }
    match state.store.close_cycle(stored.id, now_millis()).await {
        Ok(_) | Err(StoreError::Gone(_)) => Ok(Redirect::to("/results").into_response()),
        Err(error) => Err(error.into()),
    }
}

// ---------------------------------------------------------------- self-assessment

struct SkillCard {
    id: String,
    number: usize,
    name: String,
    category: &'static str,
    category_class: &'static str,
    definition: String,
    target: u8,
    levels: Vec<LevelOption>,
    evidence: String,
    rated: bool,
    level_error: Option<String>,
    evidence_error: Option<String>,
}

struct PageLink {
    number: usize,
    current: bool,
    done: bool,
}

#[derive(Template)]
#[template(path = "assessment_self.html")]
struct SelfPage {
    chrome: Chrome,
    open: bool,
    cards: Vec<SkillCard>,
    page: usize,
    pages: Vec<PageLink>,
    last_page: bool,
    total: usize,
    rated: usize,
    percent: usize,
    notice: Option<&'static str>,
    problem: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SelfQuery {
    page: Option<usize>,
    saved: Option<String>,
}

/// What the form holds for one skill while it is shown again.
#[derive(Default, Clone)]
struct Typed {
    level: Option<u8>,
    evidence: String,
}

fn page_count(total: usize) -> usize {
    total.div_ceil(PAGE_SIZE).max(1)
}

#[allow(clippy::too_many_arguments)]
fn self_page_for(
    framework: &Framework,
    chrome: Chrome,
    stored: &StoredCycle,
    saved: &BTreeMap<SkillId, SelfRating>,
    page: usize,
    typed: &BTreeMap<String, Typed>,
    errors: &BTreeMap<String, String>,
    notice: Option<&'static str>,
    problem: Option<String>,
) -> SelfPage {
    let skills = stored.cycle.skills();
    let total = skills.len();
    let count = page_count(total);
    let page = page.clamp(1, count);
    let start = (page - 1) * PAGE_SIZE;
    let cards = skills
        .iter()
        .enumerate()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|(index, skill)| {
            let id = skill.id.as_str().to_owned();
            let stored_rating = saved.get(&skill.id);
            let current = typed.get(&id).cloned().unwrap_or_else(|| Typed {
                level: stored_rating.map(|r| r.level.get()),
                evidence: stored_rating.and_then(|r| r.evidence.clone()).unwrap_or_default(),
            });
            SkillCard {
                number: index + 1,
                name: skill.name.clone(),
                category: skill.category.label(),
                category_class: category_class(skill.category),
                definition: framework.skill(&id).map(|s| s.definition.clone()).unwrap_or_default(),
                target: skill.target.get(),
                levels: level_options(framework, &skill.id, current.level),
                evidence: current.evidence,
                rated: stored_rating.is_some(),
                level_error: errors.get(&format!("level.{id}")).cloned(),
                evidence_error: errors.get(&format!("evidence.{id}")).cloned(),
                id,
            }
        })
        .collect();
    let pages = (1..=count)
        .map(|number| PageLink {
            number,
            current: number == page,
            done: skills.iter().skip((number - 1) * PAGE_SIZE).take(PAGE_SIZE).all(|s| saved.contains_key(&s.id)),
        })
        .collect();
    let rated = skills.iter().filter(|s| saved.contains_key(&s.id)).count();
    SelfPage {
        chrome,
        open: true,
        cards,
        page,
        pages,
        last_page: page == count,
        total,
        rated,
        percent: (rated * 100).checked_div(total).unwrap_or(0),
        notice,
        problem,
    }
}

#[tracing::instrument(skip_all)]
async fn self_page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(query): Query<SelfQuery>,
) -> AppResult<Response> {
    let chrome = Chrome::new(&session, Some(&user), Nav::Assessment).await?;
    let Some(stored) = state.store.open_cycle_of(user.id).await? else {
        return render(&SelfPage {
            chrome,
            open: false,
            cards: vec![],
            page: 1,
            pages: vec![],
            last_page: true,
            total: 0,
            rated: 0,
            percent: 0,
            notice: None,
            problem: None,
        });
    };
    let saved = state.store.self_ratings(stored.id).await?;
    let notice = query.saved.is_some().then_some("Saved. You can stop at any time and pick up where you left off.");
    let page = query.page.unwrap_or_else(|| {
        // Resume at the first page with a skill still to rate.
        stored.cycle.skills().iter().position(|s| !saved.contains_key(&s.id)).map_or(1, |i| i / PAGE_SIZE + 1)
    });
    render(&self_page_for(
        &state.framework,
        chrome,
        &stored,
        &saved,
        page,
        &BTreeMap::new(),
        &BTreeMap::new(),
        notice,
        None,
    ))
}

#[tracing::instrument(skip_all)]
async fn save_self(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let Some(stored) = state.store.open_cycle_of(user.id).await? else {
        return Err(AppError::Gone(
            "This assessment is closed, so its ratings can no longer change. Start a new one from your assessment page."
                .to_owned(),
        ));
    };
    let mut page = 1;
    let mut go = String::new();
    let mut typed: BTreeMap<String, Typed> = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut problem = None;
    for (name, value) in &fields {
        let (field, id) = match name.split_once('.') {
            Some((field @ ("level" | "evidence"), id)) => (field, id),
            _ => {
                match name.as_str() {
                    "page" => page = value.parse().unwrap_or(1),
                    "go" => go.clone_from(value),
                    _ => {}
                }
                continue;
            }
        };
        let known = SkillId::parse(id).ok().filter(|id| stored.cycle.skill(id).is_some());
        if known.is_none() {
            problem = Some(format!(
                "\u{201c}{id}\u{201d} is not one of the skills in your assessment, so nothing was saved. Reload the page and try again."
            ));
            continue;
        }
        let entry = typed.entry(id.to_owned()).or_default();
        if field == "level" {
            match value.trim().parse::<i64>().ok().and_then(|n| Level::new(n).ok()) {
                Some(level) => entry.level = Some(level.get()),
                None if value.trim().is_empty() => {}
                None => {
                    errors.insert(
                        format!("level.{id}"),
                        "Choose one of the five levels, from 1 (Learning) to 5 (Role model).".to_owned(),
                    );
                }
            }
        } else {
            let length = value.chars().count();
            if length > MAX_TEXT {
                errors.insert(
                    format!("evidence.{id}"),
                    format!("Keep your evidence under {MAX_TEXT} characters (this is {length})."),
                );
            }
            entry.evidence.clone_from(value);
        }
    }
    for (id, entry) in &typed {
        if entry.level.is_none() && !entry.evidence.trim().is_empty() && !errors.contains_key(&format!("level.{id}")) {
            errors.insert(
                format!("level.{id}"),
                "Choose a level as well, so your evidence can be saved with it.".to_owned(),
            );
        }
    }
    let saved = state.store.self_ratings(stored.id).await?;
    if problem.is_some() || !errors.is_empty() {
        let chrome = Chrome::new(&session, Some(&user), Nav::Assessment).await?;
        let problem = problem.or_else(|| {
            Some(format!(
                "{} to fix before this page can be saved; everything you entered is still here.",
                if errors.len() == 1 { "One answer".to_owned() } else { format!("{} answers", errors.len()) }
            ))
        });
        let view = self_page_for(&state.framework, chrome, &stored, &saved, page, &typed, &errors, None, problem);
        return Ok(with_status(render(&view)?, StatusCode::BAD_REQUEST));
    }
    let ratings: BTreeMap<SkillId, SelfRating> = typed
        .into_iter()
        .filter_map(|(id, entry)| {
            let level = Level::new(i64::from(entry.level?)).ok()?;
            let evidence = super::non_empty(&entry.evidence).map(str::to_owned);
            Some((SkillId::parse(&id).ok()?, SelfRating { level, evidence }))
        })
        .collect();
    if !ratings.is_empty() {
        state.store.save_self_ratings(stored.id, &ratings, now_millis()).await?;
    }
    let count = page_count(stored.cycle.skills().len());
    let target = match go.as_str() {
        "next" if page >= count => return Ok(Redirect::to("/assessment?saved=self").into_response()),
        "next" => page + 1,
        "back" => page.saturating_sub(1).max(1),
        _ => page.clamp(1, count),
    };
    Ok(Redirect::to(&format!("/assessment/self?page={target}&saved=1")).into_response())
}

// ---------------------------------------------------------------- raters

struct InviteRow {
    id: i64,
    reminded: String,
    group: &'static str,
    email: String,
    answered: bool,
    expired: bool,
    expires: String,
}

struct GroupChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "assessment_raters.html")]
struct RatersPage {
    chrome: Chrome,
    open: bool,
    groups: Vec<GroupChoice>,
    invites: Vec<InviteRow>,
    progress: Vec<GroupRow>,
    new_link: Option<String>,
    new_group: &'static str,
    /// The link shown replaces an earlier one (a reminder).
    renewed: bool,
    errors: FieldErrors,
    email: String,
    threshold: u32,
    days: i64,
}

#[allow(clippy::too_many_arguments)]
async fn show_raters(
    state: &AppState,
    session: &Session,
    user: &User,
    new_link: Option<String>,
    new_group: &'static str,
    errors: FieldErrors,
    group: &str,
    email: String,
) -> AppResult<Response> {
    let chrome = Chrome::new(session, Some(user), Nav::Assessment).await?;
    let stored = state.store.open_cycle_of(user.id).await?;
    let (invites, progress, threshold) = match &stored {
        Some(stored) => {
            let now = now_millis();
            let invites = state
                .store
                .rater_invites(stored.id)
                .await?
                .into_iter()
                .map(|i| InviteRow {
                    id: i.id,
                    reminded: i.last_reminded_at.map(date).unwrap_or_default(),
                    group: i.group.label(),
                    email: i.email.map(|e| e.to_string()).unwrap_or_default(),
                    answered: i.answered,
                    expired: i.expires_at <= now,
                    expires: date(i.expires_at),
                })
                .collect();
            (invites, cycle_view(state, stored).await?.groups, stored.cycle.threshold().get())
        }
        None => (vec![], vec![], threshold_of(state, user).await?.get()),
    };
    let failed = !errors.is_empty();
    let groups = Observer::ALL
        .iter()
        .map(|&g| GroupChoice { value: g.as_str(), label: g.label(), selected: g.as_str() == group })
        .collect();
    let page = RatersPage {
        chrome,
        open: stored.is_some(),
        groups,
        invites,
        progress,
        // A link shown without a chosen group comes from a reminder, not a new invitation.
        renewed: new_link.is_some() && group.is_empty(),
        new_link,
        new_group,
        errors,
        email,
        threshold,
        days: LINK_DAYS,
    };
    let response = render(&page)?;
    Ok(if failed { with_status(response, StatusCode::BAD_REQUEST) } else { response })
}

#[tracing::instrument(skip_all)]
async fn raters_page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    show_raters(&state, &session, &user, None, "", FieldErrors::default(), "", String::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    group: String,
    email: String,
}

#[tracing::instrument(skip_all)]
async fn invite(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let Some(stored) = state.store.open_cycle_of(user.id).await? else {
        return Ok(Redirect::to("/assessment").into_response());
    };
    let mut errors = FieldErrors::default();
    let group = Observer::parse(&form.group).ok();
    if group.is_none() {
        errors.add("group", "Choose how this person works with you.");
    }
    let email = match super::non_empty(&form.email) {
        None => None,
        Some(raw) => match Email::parse(raw) {
            Ok(email) if email == user.email => {
                errors.add("email", "That is your own address: your own view goes into the self-assessment.");
                None
            }
            Ok(email) => Some(email),
            Err(error) => {
                errors.add("email", error.to_string());
                None
            }
        },
    };
    let Some(group) = group.filter(|_| errors.is_empty()) else {
        return show_raters(&state, &session, &user, None, "", errors, &form.group, form.email).await;
    };
    let token = secret::generate("")?;
    let now = now_millis();
    let expires = now + LINK_DAYS * DAY_MILLIS;
    match state.store.create_rater_invite(stored.id, group, email.as_ref(), &secret::digest(&token), expires, now).await
    {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            errors.add("email", "You have already invited this address in this assessment.");
            return show_raters(&state, &session, &user, None, "", errors, &form.group, form.email).await;
        }
        Err(error) => return Err(error.into()),
    }
    let link = format!("{}/rate/{token}", public_base(&headers));
    show_raters(
        &state,
        &session,
        &user,
        Some(link),
        group.label(),
        FieldErrors::default(),
        group.as_str(),
        String::new(),
    )
    .await
}

/// A reminder for a rater who has not answered: only the hash of a link is
/// kept, so the reminder is a fresh link (the old one stops working) that
/// the person sends again; the reminder is recorded.
#[tracing::instrument(skip_all)]
async fn remind(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    Path(invite): Path<String>,
) -> AppResult<Response> {
    let Some(stored) = state.store.open_cycle_of(user.id).await? else {
        return Ok(Redirect::to("/assessment").into_response());
    };
    let invite: i64 = invite.parse().map_err(|_| AppError::NotFound)?;
    // Only invitations of the person's own open assessment.
    let summary =
        state.store.rater_invites(stored.id).await?.into_iter().find(|i| i.id == invite).ok_or(AppError::NotFound)?;
    let token = secret::generate("")?;
    state.store.renew_rater_link(summary.id, &secret::digest(&token), now_millis()).await?;
    let link = format!("{}/rate/{token}", public_base(&headers));
    show_raters(&state, &session, &user, Some(link), summary.group.label(), FieldErrors::default(), "", String::new())
        .await
}
