//! Issue 5, collecting the answers: opening an assessment (full or focus),
//! rating yourself, inviting raters by group, and the rater's own page.

use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::Observer;
use pmcoach_core::ids::{Email, SkillId};
use pmcoach_store::{OrgRole, StoredCycle, User};
use reqwest::StatusCode;

use crate::harness::{Client, TestApp};

pub const TPM_IN_AI: &[(&str, &str)] = &[
    ("role", "tpm"),
    ("level", "senior"),
    ("stage", "early"),
    ("industry", "AI"),
    ("technicality", "high"),
    ("team_maturity", "medium"),
    ("ambiguity", "high"),
    ("data_driven", "low"),
];

/// An organisation with Maya, who has saved her role context.
pub async fn maya(app: &TestApp) -> (Client, User) {
    app.setup().await;
    let (mut maya, user) = app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await;
    let page = maya.post_form("/profile", TPM_IN_AI).await;
    assert!(page.status.is_redirection() || page.status.is_success(), "{}", page.status);
    (maya, user)
}

async fn open_cycle(app: &TestApp, user: &User) -> StoredCycle {
    app.store.open_cycle_of(user.id).await.expect("query").expect("an open cycle")
}

pub async fn start(client: &mut Client, mode: &str) {
    let page = client.post_form("/assessment/start", &[("mode", mode)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), Some("/assessment?saved=started"));
}

/// Invites a rater and returns the link's token, read from the page that shows it once.
pub async fn invite(client: &mut Client, group: &str, email: &str) -> String {
    let page = client.post_form("/assessment/raters", &[("group", group), ("email", email)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let at = page.body.find("/rate/").expect("the new link is shown");
    let token: String = page.body[at + "/rate/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c))
        .collect();
    assert!(token.len() >= 43, "a 256-bit token: {token}");
    token
}

#[tokio::test]
async fn without_a_role_context_the_assessment_points_to_the_profile() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut jonas, user) = app.member("jonas@northwind.test", "Jonas", OrgRole::Member, None).await;
    let page = jonas.get("/assessment").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"href="/profile""#), "{}", page.body);
    assert!(!page.body.contains("/assessment/start"), "no start button without a context");
    let page = jonas.post_form("/assessment/start", &[("mode", "full")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store.open_cycle_of(user.id).await.expect("query").is_none());
}

#[tokio::test]
async fn a_full_assessment_freezes_every_skill_and_focus_mode_the_eight_heaviest() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    let page = maya.get("/assessment").await;
    assert!(page.body.contains("Start a full self-assessment") && page.body.contains("Focus mode"), "{}", page.body);
    let page = maya.post_form("/assessment/start", &[("mode", "everything")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    start(&mut maya, "full").await;
    let cycle = open_cycle(&app, &user).await;
    let framework = Framework::embedded().expect("framework");
    assert_eq!(cycle.cycle.skills().len(), framework.skills.len());
    assert_eq!(cycle.cycle.threshold().get(), 3, "the organisation's threshold is frozen in");
    let page = maya.get("/assessment").await;
    assert!(page.body.contains(&format!("0 of {}", framework.skills.len())), "{}", page.body);
    assert!(page.body.contains("/assessment/raters") && page.body.contains("/assessment/close"));

    let (mut priya, priya_user) = app.member("priya@northwind.test", "Priya", OrgRole::Member, None).await;
    priya.post_form("/profile", TPM_IN_AI).await;
    start(&mut priya, "focus").await;
    let focus = open_cycle(&app, &priya_user).await;
    assert_eq!(focus.cycle.skills().len(), 8);
    let heaviest: Vec<_> = cycle.cycle.skills().iter().take(8).map(|s| s.id.clone()).collect();
    assert_eq!(focus.cycle.skills().iter().map(|s| s.id.clone()).collect::<Vec<_>>(), heaviest);
    assert!(focus.cycle.skills().windows(2).all(|w| w[0].weight >= w[1].weight));

    // Starting again while one is open keeps the open one.
    start(&mut maya, "focus").await;
    assert_eq!(open_cycle(&app, &user).await.id, cycle.id);
}

#[tokio::test]
async fn self_ratings_are_saved_as_you_go_and_resume_where_you_stopped() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "full").await;
    let cycle = open_cycle(&app, &user).await;
    let skills: Vec<String> = cycle.cycle.skills().iter().map(|s| s.id.as_str().to_owned()).collect();

    let page = maya.get("/assessment/self").await;
    assert_eq!(page.status, StatusCode::OK);
    let first = &skills[0];
    assert!(page.body.contains(&format!(r#"name="level.{first}""#)), "the first skill is asked");
    assert!(!page.body.contains(&format!(r#"name="level.{}""#, skills[6])), "six skills a page");
    let framework = Framework::embedded().expect("framework");
    let behaviour = &framework.skill(first).expect("skill").levels[3].behaviours[0];
    assert!(page.body.contains(&askama_escape(behaviour)), "levels are described by behaviours");

    let level_first = format!("level.{first}");
    let evidence_first = format!("evidence.{first}");
    let level_second = format!("level.{}", skills[1]);
    let page = maya
        .post_form(
            "/assessment/self",
            &[
                ("page", "1"),
                (&level_first, "4"),
                (&evidence_first, "Led the API deprecation plan"),
                (&level_second, "2"),
                ("go", "stay"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), Some("/assessment/self?page=1&saved=1"));
    let saved = app.store.self_ratings(cycle.id).await.expect("ratings");
    assert_eq!(saved.len(), 2);
    let rating = &saved[&SkillId::parse(first).expect("id")];
    assert_eq!(rating.level.get(), 4);
    assert_eq!(rating.evidence.as_deref(), Some("Led the API deprecation plan"));

    let page = maya.get("/assessment/self?page=1&saved=1").await;
    assert!(page.body.contains("Saved."), "a saved notice");
    assert!(page.body.contains(&format!(r#"id="level-{first}-4" name="level.{first}" value="4" checked"#)));
    assert!(page.body.contains("Led the API deprecation plan"));
    assert!(page.body.contains(&format!("2 of {}", skills.len())));

    // Rate the rest of the first page and move on: coming back resumes at page 2.
    let mut fields: Vec<(String, String)> = vec![("page".into(), "1".into()), ("go".into(), "next".into())];
    fields.extend(skills[2..6].iter().map(|id| (format!("level.{id}"), "3".to_owned())));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = maya.post_form("/assessment/self", &borrowed).await;
    assert_eq!(page.location(), Some("/assessment/self?page=2&saved=1"));
    let page = maya.get("/assessment/self").await;
    assert!(page.body.contains(&format!(r#"name="level.{}""#, skills[6])), "resumes at the first unrated skill");
    assert!(page.body.contains("page 2 of"));
    assert_eq!(app.store.self_ratings(cycle.id).await.expect("ratings").len(), 6);
    let home = maya.get("/assessment").await;
    assert!(home.body.contains(&format!("6 of {}", skills.len())), "progress on the home page");

    // "Save and finish" on the last page goes back to the assessment home.
    let last = skills.len().div_ceil(6).to_string();
    let level_last = format!("level.{}", skills[skills.len() - 1]);
    let page = maya.post_form("/assessment/self", &[("page", &last), (&level_last, "5"), ("go", "next")]).await;
    assert_eq!(page.location(), Some("/assessment?saved=self"));
    let home = maya.get("/assessment?saved=self").await;
    assert!(home.body.contains("Your ratings are saved") && home.body.contains(&format!("7 of {}", skills.len())));
}

/// What askama makes of a text in HTML.
fn askama_escape(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

#[tokio::test]
async fn invalid_self_ratings_are_refused_next_to_the_field_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "full").await;
    let cycle = open_cycle(&app, &user).await;
    let first = cycle.cycle.skills()[0].id.as_str().to_owned();
    let second = cycle.cycle.skills()[1].id.as_str().to_owned();
    let (level_first, evidence_first) = (format!("level.{first}"), format!("evidence.{first}"));
    let (level_second, evidence_second) = (format!("level.{second}"), format!("evidence.{second}"));

    let page = maya
        .post_form(
            "/assessment/self",
            &[("page", "1"), (&level_first, "9"), (&evidence_first, "kept text"), (&level_second, "3")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains(&format!(r#"id="level-{first}-error""#)), "{}", page.body);
    assert!(page.body.contains("kept text"), "what was typed is kept");
    assert!(page.body.contains(&format!(r#"id="level-{second}-3" name="level.{second}" value="3" checked"#)));

    let long = "x".repeat(2001);
    let page =
        maya.post_form("/assessment/self", &[("page", "1"), (&level_second, "3"), (&evidence_second, &long)]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains(&format!(r#"id="evidence-{second}-error""#)));
    assert!(page.body.contains("under 2000 characters"));

    let page = maya.post_form("/assessment/self", &[("page", "1"), ("level.not-a-skill", "3")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("not one of the skills in your assessment"));

    let page = maya.post_form("/assessment/self", &[("page", "1"), (&evidence_first, "no level chosen")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Choose a level as well"));

    assert!(app.store.self_ratings(cycle.id).await.expect("ratings").is_empty(), "nothing was saved");
}

#[tokio::test]
async fn raters_are_invited_by_group_and_their_link_is_shown_once() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    let page = maya.get("/assessment/raters").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No open assessment"));
    start(&mut maya, "full").await;

    let page = maya.get("/assessment/raters").await;
    assert!(page.body.contains("at least <strong>3</strong>"), "the anonymity rule is explained");
    assert!(page.body.contains("No invitations yet"));

    let token = invite(&mut maya, "engineering", "dev@northwind.test").await;
    let cycle = open_cycle(&app, &user).await;
    let (found, _) = app
        .store
        .rater_invite_by_token(&pmcoach_web::secret_digest(&token))
        .await
        .expect("query")
        .expect("stored under its digest");
    assert_eq!(found.group, Observer::Engineering);
    assert_eq!(found.cycle_id, cycle.id);
    let days = (found.expires_at - found.created_at) / 86_400_000;
    assert_eq!(days, 21);
    let copied = invite(&mut maya, "design", "").await;
    assert_ne!(copied, token);

    let page = maya.get("/assessment/raters").await;
    assert!(!page.body.contains(&token) && !page.body.contains(&copied), "the link is shown only once");
    assert!(page.body.contains("dev@northwind.test") && page.body.contains("link copied"));
    assert!(page.body.contains("Engineering") && page.body.contains("Design"));
    assert_eq!(page.body.matches(">waiting<").count(), 2);

    let page =
        maya.post_form("/assessment/raters", &[("group", "engineering"), ("email", "maya@northwind.test")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("your own address"));
    let page = maya.post_form("/assessment/raters", &[("group", "friends"), ("email", "x@northwind.test")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains(r#"id="group-error""#));
    assert!(page.body.contains("x@northwind.test"), "what was typed is kept");
    let page = maya.post_form("/assessment/raters", &[("group", "sales"), ("email", "dev@northwind.test")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "one invitation per address");
    assert_eq!(app.store.rater_invites(cycle.id).await.expect("invites").len(), 2);
}

#[tokio::test]
async fn a_rater_drafts_comes_back_submits_and_the_link_then_refuses() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "full").await;
    let token = invite(&mut maya, "engineering", "dev@northwind.test").await;
    let cycle = open_cycle(&app, &user).await;
    let asked: Vec<SkillId> = cycle.cycle.questions(Observer::Engineering).map(|s| s.id.clone()).collect();
    assert!(asked.len() >= 2 && asked.len() < cycle.cycle.skills().len(), "engineering sees some skills, not all");

    let mut rater = app.client();
    let path = format!("/rate/{token}");
    let page = rater.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Maya Patel") && page.body.contains("engineering"));
    assert!(page.body.contains("Not observed"));
    assert_eq!(asked_across_pages(&mut rater, &path).await, asked, "only the skills engineering can observe");
    let csrf = page.csrf().expect("the form carries a CSRF token");

    let (first, second) = (asked[0].as_str(), asked[1].as_str());
    let (answer_first, answer_second, comment_first) =
        (format!("answer.{first}"), format!("answer.{second}"), format!("comment.{first}"));
    let page = rater
        .post_raw(
            &path,
            &[
                ("_csrf", &csrf),
                (&answer_first, "2"),
                (&answer_second, "none"),
                (&comment_first, "Specs arrive late"),
                ("comment", "Great to work with"),
                ("submit", "0"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), Some(format!("/rate/{token}?page=1&saved=1").as_str()));
    let page = maya.get("/assessment/raters").await;
    assert!(page.body.contains(">waiting<"), "a draft is not an answer");
    assert!(!page.body.contains("Specs arrive late"), "the owner never sees answers");

    // Coming back later, in a fresh browser: the draft is there.
    let mut later = app.client();
    let page = later.get(&path).await;
    assert!(page.body.contains(&format!(r#"id="answer-{first}-2" name="answer.{first}" value="2" checked"#)));
    assert!(page.body.contains(&format!(r#"id="answer-{second}-none" name="answer.{second}" value="none" checked"#)));
    assert!(page.body.contains("Specs arrive late"));
    let last = asked.len().div_ceil(6);
    let last_page = later.get(&format!("{path}?page={last}")).await;
    assert!(last_page.body.contains("Great to work with") && last_page.body.contains("Send my answers"));
    assert!(!page.body.contains("Send my answers"), "sending is offered once every page was seen");

    // Saving page 2 keeps what page 1 saved, comments included.
    let answer_seventh = format!("answer.{}", asked[6].as_str());
    let csrf = page.csrf().expect("csrf");
    let page = later.post_raw(&path, &[("_csrf", &csrf), ("page", "2"), (&answer_seventh, "4"), ("go", "next")]).await;
    assert_eq!(page.location(), Some(format!("/rate/{token}?page=3").as_str()));
    let (invite, _) =
        app.store.rater_invite_by_token(&pmcoach_web::secret_digest(&token)).await.expect("query").expect("invite");
    let draft = app.store.rater_draft(invite.id).await.expect("draft");
    assert_eq!(draft.answers.len(), 3);
    assert_eq!(draft.comments.len(), 2, "both comments kept: {:?}", draft.comments);
    let page = later.get(&path).await;
    assert!(page.body.contains("3 of"), "progress counts answers on every page");

    let not_asked = cycle.cycle.skills().iter().find(|s| !s.is_observed_by(Observer::Engineering)).expect("one");
    let answer_other = format!("answer.{}", not_asked.id.as_str());
    let csrf = page.csrf().expect("csrf");
    let page = later.post_raw(&path, &[("_csrf", &csrf), (&answer_other, "3"), ("submit", "1")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "a skill the group is not asked about is refused");
    let page = later.post_raw(&path, &[("_csrf", &csrf), (&answer_first, "7")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains(&format!(r#"id="answer-{first}-error""#)));

    let page = later
        .post_raw(&path, &[("_csrf", &csrf), (&answer_first, "3"), ("comment", "Great to work with"), ("submit", "1")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), Some(format!("/rate/{token}/thanks").as_str()));
    let page = later.get(&format!("/rate/{token}/thanks")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Thank you") && page.body.contains("Maya Patel"));

    let page = later.get(&path).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("already sent your answers"));
    let page = later.post_raw(&path, &[("_csrf", &csrf), (&answer_first, "5"), ("submit", "1")]).await;
    assert_eq!(page.status, StatusCode::GONE);

    let answers = app.store.cycle_answers(cycle.id).await.expect("answers");
    assert_eq!(answers.responses.len(), 1);
    let response = &answers.responses[0];
    assert_eq!(response.answers.get(&asked[0]), Some(&pmcoach_core::assessment::Answer::Rated(level(3))));
    assert!(response.comments.iter().any(|c| c.skill.is_none() && c.text == "Great to work with"));
    let page = maya.get("/assessment/raters").await;
    assert!(page.body.contains(">answered<"));
    let page = maya.get("/assessment").await;
    assert!(page.body.contains("1 of 1"), "{}", page.body);
}

fn level(n: i64) -> pmcoach_core::ids::Level {
    pmcoach_core::ids::Level::new(n).expect("level")
}

#[tokio::test]
async fn a_manager_rater_is_told_their_answers_carry_their_name() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "full").await;
    let token = invite(&mut maya, "manager", "sam@northwind.test").await;
    let cycle = open_cycle(&app, &user).await;
    let mut rater = app.client();
    let page = rater.get(&format!("/rate/{token}")).await;
    assert!(page.body.contains("shown with your name"));
    let asked: Vec<SkillId> = cycle.cycle.questions(Observer::Manager).map(|s| s.id.clone()).collect();
    assert_eq!(asked_across_pages(&mut rater, &format!("/rate/{token}")).await, asked);
}

/// The skills a rater's form asks about, page by page, in order.
async fn asked_across_pages(rater: &mut Client, path: &str) -> Vec<SkillId> {
    let mut asked: Vec<SkillId> = Vec::new();
    let mut number = 1;
    loop {
        let page = rater.get(&format!("{path}?page={number}")).await;
        assert_eq!(page.status, StatusCode::OK);
        for (at, needle) in page.body.match_indices(r#"name="answer."#) {
            let rest = &page.body[at + needle.len()..];
            let id = SkillId::parse(&rest[..rest.find('"').expect("closing quote")]).expect("skill id");
            if asked.last() != Some(&id) {
                asked.push(id);
            }
        }
        number += 1;
        if !page.body.contains(&format!("?page={number}\"")) {
            return asked;
        }
    }
}

#[tokio::test]
async fn unknown_expired_and_closed_links_answer_410_with_what_to_do() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    let mut rater = app.client();
    let page = rater.get("/rate/not-a-real-invitation").await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("ask the person who sent it for a new one"));
    let page = rater.get("/rate/not-a-real-invitation/thanks").await;
    assert_eq!(page.status, StatusCode::GONE);

    start(&mut maya, "full").await;
    let cycle = open_cycle(&app, &user).await;
    let now = pmcoach_store::now_millis();
    let email = Email::parse("old@northwind.test").expect("email");
    app.store
        .create_rater_invite(
            cycle.id,
            Observer::Peer,
            Some(&email),
            &pmcoach_web::secret_digest("expired-secret"),
            now - 1000,
            now - 30 * 86_400_000,
        )
        .await
        .expect("invite");
    let page = rater.get("/rate/expired-secret").await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("This link has expired") && page.body.contains("Maya Patel"));

    let token = invite(&mut maya, "peer", "").await;
    let page = rater.get(&format!("/rate/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf().expect("csrf");
    let page = maya.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(page.location(), Some("/results"));
    let page = rater.get(&format!("/rate/{token}")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("closed this feedback round"));
    let page = rater.post_raw(&format!("/rate/{token}"), &[("_csrf", &csrf), ("submit", "1")]).await;
    assert_eq!(page.status, StatusCode::GONE);
}

#[tokio::test]
async fn closing_asks_first_then_closes_and_goes_to_the_results() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    let page = maya.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(page.location(), Some("/assessment"), "nothing to close");
    start(&mut maya, "focus").await;
    let page = maya.post_form("/assessment/close", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Close your assessment?") && page.body.contains(r#"name="confirm" value="yes""#));
    assert!(app.store.open_cycle_of(user.id).await.expect("query").is_some(), "not closed before confirming");
    let page = maya.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/results"));
    assert!(app.store.open_cycle_of(user.id).await.expect("query").is_none());
    let cycles = app.store.cycles(user.id).await.expect("cycles");
    assert_eq!(cycles.len(), 1);
    assert!(!cycles[0].is_open());
    let page = maya.get("/assessment").await;
    assert!(page.body.contains("Start a full self-assessment"), "a new one can start");
    let page = maya.get("/assessment/self").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No open assessment"));
}

#[tokio::test]
async fn a_member_sees_only_their_own_assessment() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "full").await;
    let first = open_cycle(&app, &user).await.cycle.skills()[0].id.as_str().to_owned();
    let level_first = format!("level.{first}");
    maya.post_form("/assessment/self", &[("page", "1"), (&level_first, "4")]).await;
    invite(&mut maya, "engineering", "dev@northwind.test").await;

    let (mut priya, priya_user) = app.member("priya@northwind.test", "Priya", OrgRole::Member, Some(user.id)).await;
    let page = priya.get("/assessment").await;
    assert!(page.body.contains("First, tell pmcoach about your role"), "Priya sees her own empty state");
    assert!(!page.body.contains("1 of"));
    let page = priya.get("/assessment/raters").await;
    assert!(!page.body.contains("dev@northwind.test"), "not Maya's invitations");
    let page = priya.get("/assessment/self").await;
    assert!(page.body.contains("No open assessment"));
    // Priya's forms change only Priya's (absent) cycle, never Maya's.
    let page = priya.post_form("/assessment/self", &[("page", "1"), (&level_first, "1")]).await;
    assert_eq!(page.status, StatusCode::GONE);
    let page = priya.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(page.location(), Some("/assessment"));
    let cycle = open_cycle(&app, &user).await;
    assert_eq!(
        app.store.self_ratings(cycle.id).await.expect("ratings")[&SkillId::parse(&first).expect("id")].level.get(),
        4
    );
    assert!(app.store.open_cycle_of(priya_user.id).await.expect("query").is_none());
}

#[tokio::test]
async fn a_reminder_gives_a_waiting_rater_a_fresh_link_and_the_old_one_stops() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "focus").await;
    let old = invite(&mut maya, "engineering", "eng@northwind.test").await;
    let stored = open_cycle(&app, &user).await;
    let invite_id = app.store.rater_invites(stored.id).await.expect("invites")[0].id;

    let page = maya.post_form(&format!("/assessment/raters/{invite_id}/remind"), &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("the one you sent before no longer works"), "{}", page.body);
    let at = page.body.find("/rate/").expect("a fresh link is shown");
    let fresh: String =
        page.body[at + 6..].chars().take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).collect();
    assert_ne!(fresh, old);
    assert_eq!(app.client().get(&format!("/rate/{old}")).await.status, StatusCode::GONE, "the old link stops");
    assert_eq!(app.client().get(&format!("/rate/{fresh}")).await.status, StatusCode::OK, "the fresh one works");
    let listed = maya.get("/assessment/raters").await;
    assert!(listed.body.contains("reminded"), "the reminder is recorded");

    // Someone else's invitation cannot be reminded through your page.
    let (mut other, _) = app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let page = other.post_form(&format!("/assessment/raters/{invite_id}/remind"), &[]).await;
    assert!(page.status == StatusCode::NOT_FOUND || page.location() == Some("/assessment"), "{}", page.status);
}

/// The whole cycle through HTTP: role context, focus cycle, self ratings,
/// three engineering raters and one design rater answer through their links,
/// close, results: engineering shown, design (one rater) withheld.
async fn whole_cycle(app: &TestApp) {
    let (mut maya, user) = maya(app).await;
    start(&mut maya, "focus").await;
    let stored = open_cycle(app, &user).await;
    let first = stored.cycle.skills()[0].id.to_string();
    let page = maya.post_form("/assessment/self", &[(&format!("level.{first}"), "3"), ("go", "stay")]).await;
    assert!(page.status.is_redirection(), "{}", page.body);

    let mut tokens: Vec<(String, &str)> = Vec::new();
    for _ in 0..3 {
        tokens.push((invite(&mut maya, "engineering", "").await, "4"));
    }
    tokens.push((invite(&mut maya, "design", "").await, "1"));
    for (token, level) in &tokens {
        let mut rater = app.client();
        let form = rater.get(&format!("/rate/{token}")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let group = if *level == "1" { Observer::Design } else { Observer::Engineering };
        let fields: Vec<(String, String)> =
            stored.cycle.questions(group).map(|skill| (format!("answer.{}", skill.id), (*level).to_owned())).collect();
        let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        all.push(("submit", "1"));
        let sent = rater.post_form(&format!("/rate/{token}"), &all).await;
        assert_eq!(sent.location(), Some(format!("/rate/{token}/thanks").as_str()), "{}", sent.body);
    }
    let closed = maya.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(closed.location(), Some("/results"));
    let results = maya.get("/results").await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(results.body.contains("Engineering"), "engineering is shown");
    let csv = maya.get("/results.csv").await;
    assert!(csv.body.to_lowercase().contains("engineering"), "{}", csv.body);
    assert!(!csv.body.to_lowercase().contains("design"), "one design rater stays withheld: {}", csv.body);
}

#[tokio::test]
async fn the_whole_cycle_on_sqlite() {
    whole_cycle(&TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_whole_cycle_on_postgres() {
    match TestApp::spawn_on_postgres().await {
        Some(app) => whole_cycle(&app).await,
        None => eprintln!("PMCOACH_TEST_PG_URL is not set: the PostgreSQL cycle is skipped"),
    }
}
