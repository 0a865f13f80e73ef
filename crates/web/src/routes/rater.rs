//! The rater's page behind an invitation link: no account, works on a
//! phone, shows only the skills the rater's group can observe, saves a
//! draft to come back to, and submits once.
//!
//! The link's secret is looked up by its SHA-256; the page never shows the
//! rater anything about other raters. Every link route is rate-limited per
//! client address, like sign-in, so secrets cannot be guessed in bulk.

use std::collections::BTreeMap;

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pmcoach_core::assessment::{Answer, Comment, is_named};
use pmcoach_core::framework::model::Observer;
use pmcoach_core::ids::{Level, SkillId};
use pmcoach_store::{RaterDraft, RaterInvite, StoreError, StoredCycle, now_millis};
use serde::Deserialize;
use tower_sessions::Session;

use super::assessment::{LevelOption, MAX_TEXT, date, level_options};
use super::signin::rate_limited;
use crate::access::{Access, Routes};
use crate::auth::secret;
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes, state: &AppState) -> Routes {
    routes
        .add(Method::GET, "/rate/{token}", Access::Anonymous, rate_limited(get(page), state))
        .add(Method::POST, "/rate/{token}", Access::Anonymous, rate_limited(post(save), state))
        .add(Method::GET, "/rate/{token}/thanks", Access::Anonymous, rate_limited(get(thanks), state))
}

/// Why a link cannot be used, told to the rater with what to do.
#[derive(Template)]
#[template(path = "rater_gone.html")]
struct GonePage {
    chrome: Chrome,
    title: &'static str,
    message: String,
}

async fn gone(session: &Session, title: &'static str, message: String) -> AppResult<Response> {
    let chrome = Chrome::new(session, None, Nav::None).await?;
    let mut response = render(&GonePage { chrome, title, message })?;
    *response.status_mut() = StatusCode::GONE;
    Ok(response)
}

/// An invitation whose link still takes answers, with the name of who asked.
struct Usable {
    invite: RaterInvite,
    cycle: StoredCycle,
    person: String,
}

/// Finds the invitation a link names, or the page that explains why it
/// cannot be used.
async fn find(state: &AppState, session: &Session, token: &str) -> AppResult<Result<Usable, Response>> {
    let Some((invite, cycle)) = state.store.rater_invite_by_token(&secret::digest(token)).await? else {
        return Ok(Err(gone(
            session,
            "This link does not work",
            "We could not find an invitation for this link. Check that you copied all of it, or ask the person who sent it for a new one."
                .to_owned(),
        )
        .await?));
    };
    let person = state.store.user(cycle.user_id).await?.name;
    if invite.is_submitted() {
        return Ok(Err(gone(
            session,
            "Thank you, your answers are in",
            format!("You have already sent your answers to {person}, and they can no longer be changed. There is nothing more to do."),
        )
        .await?));
    }
    if !cycle.is_open() {
        return Ok(Err(gone(
            session,
            "This feedback round has closed",
            format!("{person} has closed this feedback round, so it takes no more answers. If you still want to share your view, tell them directly."),
        )
        .await?));
    }
    if invite.is_expired(now_millis()) {
        return Ok(Err(gone(
            session,
            "This link has expired",
            format!(
                "This link stopped working on {}. If you still want to answer, ask {person} for a new link.",
                date(invite.expires_at)
            ),
        )
        .await?));
    }
    Ok(Ok(Usable { invite, cycle, person }))
}

struct RateSkill {
    id: String,
    number: usize,
    name: String,
    definition: String,
    levels: Vec<LevelOption>,
    not_observed: bool,
    comment: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "rater.html")]
struct RatePage {
    chrome: Chrome,
    token: String,
    person: String,
    first_name: String,
    group: &'static str,
    named: bool,
    skills: Vec<RateSkill>,
    total: usize,
    minutes: usize,
    answered: usize,
    page: usize,
    pages: Vec<PageLink>,
    last_page: bool,
    overall: String,
    overall_error: Option<String>,
    expires: String,
    notice: Option<&'static str>,
    problem: Option<String>,
}

/// What the form holds for one skill: a level, "not observed", or nothing.
#[derive(Default, Clone)]
struct Typed {
    answer: Option<Answer>,
    comment: String,
}

/// Everything the rater entered (or saved before), and what is wrong with it.
#[derive(Default)]
struct Entered {
    skills: BTreeMap<String, Typed>,
    overall: String,
    /// By skill id; the overall comment's under "".
    errors: BTreeMap<String, String>,
}

impl Entered {
    /// What the rater saved before.
    fn from_draft(draft: &RaterDraft) -> Self {
        let mut entered = Entered {
            skills: draft
                .answers
                .iter()
                .map(|(id, answer)| (id.as_str().to_owned(), Typed { answer: Some(*answer), comment: String::new() }))
                .collect(),
            ..Entered::default()
        };
        for comment in &draft.comments {
            match &comment.skill {
                Some(id) => entered.skills.entry(id.as_str().to_owned()).or_default().comment.clone_from(&comment.text),
                None => entered.overall.clone_from(&comment.text),
            }
        }
        entered
    }

    fn draft(&self) -> RaterDraft {
        let mut draft = RaterDraft::default();
        for (id, entry) in &self.skills {
            let Ok(skill) = SkillId::parse(id) else { continue };
            if let Some(text) = super::non_empty(&entry.comment) {
                draft.comments.push(Comment { skill: Some(skill.clone()), text: text.to_owned() });
            }
            if let Some(answer) = entry.answer {
                draft.answers.insert(skill, answer);
            }
        }
        if let Some(text) = super::non_empty(&self.overall) {
            draft.comments.push(Comment { skill: None, text: text.to_owned() });
        }
        draft
    }
}

/// Skills per page of the rater's form: short enough for a phone.
const PAGE_SIZE: usize = 6;

struct PageLink {
    number: usize,
    current: bool,
}

fn rate_page(
    state: &AppState,
    chrome: Chrome,
    token: String,
    usable: &Usable,
    entered: Entered,
    page: usize,
    notice: Option<&'static str>,
) -> RatePage {
    let Entered { skills: typed, overall, errors } = entered;
    let group = usable.invite.group;
    let total = usable.cycle.cycle.questions(group).count();
    let count = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, count);
    let answered = usable
        .cycle
        .cycle
        .questions(group)
        .filter(|skill| typed.get(skill.id.as_str()).is_some_and(|t| t.answer.is_some()))
        .count();
    let skills: Vec<RateSkill> = usable
        .cycle
        .cycle
        .questions(group)
        .enumerate()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(index, skill)| {
            let id = skill.id.as_str().to_owned();
            let current = typed.get(&id).cloned().unwrap_or_default();
            let chosen = match current.answer {
                Some(Answer::Rated(level)) => Some(level.get()),
                _ => None,
            };
            RateSkill {
                number: index + 1,
                name: skill.name.clone(),
                definition: state.framework.skill(&id).map(|s| s.definition.clone()).unwrap_or_default(),
                levels: level_options(&state.framework, &skill.id, chosen),
                not_observed: current.answer == Some(Answer::NotObserved),
                comment: current.comment,
                error: errors.get(&id).cloned(),
                id,
            }
        })
        .collect();
    let problem = (!errors.is_empty())
        .then(|| "Some answers need a fix before they can be saved; everything you entered is still here.".to_owned());
    RatePage {
        chrome,
        token,
        first_name: usable.person.split_whitespace().next().unwrap_or(&usable.person).to_owned(),
        person: usable.person.clone(),
        group: group.label(),
        named: is_named(group),
        skills,
        total,
        minutes: total.div_ceil(2).max(1),
        answered,
        page,
        pages: (1..=count).map(|number| PageLink { number, current: number == page }).collect(),
        last_page: page == count,
        overall,
        overall_error: errors.get("").cloned(),
        expires: date(usable.invite.expires_at),
        notice,
        problem,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    saved: Option<String>,
    page: Option<usize>,
}

#[tracing::instrument(skip_all)]
async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let usable = match find(&state, &session, &token).await? {
        Ok(usable) => usable,
        Err(response) => return Ok(response),
    };
    let draft = state.store.rater_draft(usable.invite.id).await?;
    let entered = Entered::from_draft(&draft);
    // Resume at the first page with a question still unanswered.
    let page = query.page.unwrap_or_else(|| {
        usable
            .cycle
            .cycle
            .questions(usable.invite.group)
            .position(|skill| !draft.answers.contains_key(&skill.id))
            .map_or(1, |index| index / PAGE_SIZE + 1)
    });
    let notice =
        query.saved.is_some().then_some("Saved. Come back to this link any time before you send your answers.");
    let chrome = Chrome::new(&session, None, Nav::None).await?;
    render(&rate_page(&state, chrome, token, &usable, entered, page, notice))
}

#[tracing::instrument(skip_all)]
async fn save(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let usable = match find(&state, &session, &token).await? {
        Ok(usable) => usable,
        Err(response) => return Ok(response),
    };
    let group: Observer = usable.invite.group;
    // The form holds one page: start from what was saved and apply it.
    let mut entered = Entered::from_draft(&state.store.rater_draft(usable.invite.id).await?);
    let mut submit = false;
    let mut unknown = false;
    let mut page = 1;
    let mut go = String::new();
    for (name, value) in &fields {
        let too_long = value.chars().count() > MAX_TEXT;
        match name.split_once('.') {
            Some((field @ ("answer" | "comment"), id)) => {
                let asked = SkillId::parse(id)
                    .ok()
                    .and_then(|id| usable.cycle.cycle.skill(&id).cloned())
                    .is_some_and(|skill| skill.is_observed_by(group));
                if !asked {
                    unknown = true;
                    continue;
                }
                let entry = entered.skills.entry(id.to_owned()).or_default();
                if field == "answer" {
                    match value.trim() {
                        "" => {}
                        "none" => entry.answer = Some(Answer::NotObserved),
                        raw => match raw.parse::<i64>().ok().and_then(|n| Level::new(n).ok()) {
                            Some(level) => entry.answer = Some(Answer::Rated(level)),
                            None => {
                                entered.errors.insert(
                                    id.to_owned(),
                                    "Choose one of the five levels, or \u{201c}Not observed\u{201d}.".to_owned(),
                                );
                            }
                        },
                    }
                } else {
                    if too_long {
                        entered.errors.insert(id.to_owned(), format!("Keep your comment under {MAX_TEXT} characters."));
                    }
                    entry.comment.clone_from(value);
                }
            }
            _ => match name.as_str() {
                "comment" => {
                    if too_long {
                        entered.errors.insert(String::new(), format!("Keep your comment under {MAX_TEXT} characters."));
                    }
                    entered.overall.clone_from(value);
                }
                "submit" => submit = value == "1",
                "page" => page = value.parse().unwrap_or(1),
                "go" => go.clone_from(value),
                _ => {}
            },
        }
    }
    if unknown || !entered.errors.is_empty() {
        let chrome = Chrome::new(&session, None, Nav::None).await?;
        let mut view = rate_page(&state, chrome, token, &usable, entered, page, None);
        if unknown {
            view.problem = Some(
                "This form named a skill you are not asked about, so nothing was saved. Reload the page and try again."
                    .to_owned(),
            );
        }
        let mut response = render(&view)?;
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let draft = entered.draft();
    let now = now_millis();
    let result = if submit {
        state.store.submit_rater_draft(usable.invite.id, &draft, now).await
    } else {
        state.store.save_rater_draft(usable.invite.id, &draft, now).await
    };
    match result {
        Ok(()) if submit => Ok(Redirect::to(&format!("/rate/{token}/thanks")).into_response()),
        Ok(()) => {
            let target = match go.as_str() {
                "next" => page + 1,
                "back" => page.saturating_sub(1).max(1),
                _ => page,
            };
            let saved = if go == "next" || go == "back" { "" } else { "&saved=1" };
            Ok(Redirect::to(&format!("/rate/{token}?page={target}{saved}")).into_response())
        }
        // Closed, expired or submitted between showing and saving: explain.
        Err(StoreError::Gone(_)) => match find(&state, &session, &token).await? {
            Err(response) => Ok(response),
            Ok(_) => Err(StoreError::Gone("This link no longer takes answers.".to_owned()).into()),
        },
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "rater_thanks.html")]
struct ThanksPage {
    chrome: Chrome,
    person: String,
    named: bool,
}

#[tracing::instrument(skip_all)]
async fn thanks(State(state): State<AppState>, session: Session, Path(token): Path<String>) -> AppResult<Response> {
    let found = state.store.rater_invite_by_token(&secret::digest(&token)).await?;
    let Some((invite, cycle)) = found.filter(|(invite, _)| invite.is_submitted()) else {
        return match find(&state, &session, &token).await? {
            Err(response) => Ok(response),
            // Not sent yet: back to the questions.
            Ok(_) => Ok(Redirect::to(&format!("/rate/{token}")).into_response()),
        };
    };
    let person = state.store.user(cycle.user_id).await?.name;
    let chrome = Chrome::new(&session, None, Nav::None).await?;
    render(&ThanksPage { chrome, person, named: is_named(invite.group) })
}
