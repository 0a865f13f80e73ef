//! Growth: issue 6 integration tests over HTTP. A growth plan from the
//! suggestions of a closed assessment, activities, check-ins, the practice
//! log with its streak, calendar, chart and CSV, the API, privacy (someone
//! else's things are 404) and the manager's 1:1 agenda only when shared.

use std::collections::BTreeMap;

use pmcoach_core::assessment::{Answer, Cycle, CycleSkill, CycleState, SelfRating, Threshold};
use pmcoach_core::context::{CareerLevel, Role, RoleContext};
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::growth::Date;
use pmcoach_core::ids::{Level, SkillId};
use pmcoach_store::{OrgRole, RaterDraft, User, now_millis};
use reqwest::StatusCode;

use crate::TestApp;
use crate::harness::{Client, Page};

const DAY: i64 = 86_400_000;

fn skill(id: &str) -> SkillId {
    SkillId::parse(id).expect("skill id")
}

fn level(n: i64) -> Level {
    Level::new(n).expect("level")
}

/// Closes a cycle for `user` `days_ago`: three engineers see empathy at 2,
/// storytelling at 3 and SQL at 2 (targets 4, 4, 3), so all three are
/// suggested as focus skills, empathy first.
pub async fn closed_cycle(app: &TestApp, user: &User, days_ago: i64) {
    let make = |id: &str, name: &str, category, target, weight| CycleSkill {
        id: skill(id),
        name: name.to_owned(),
        category,
        observers: vec![Observer::Engineering, Observer::Manager],
        target: level(target),
        weight,
    };
    let cycle = Cycle::new(
        vec![
            make("empathy", "Empathy", Category::Soft, 4, 0.5),
            make("storytelling", "Storytelling", Category::Soft, 4, 0.3),
            make("sql", "SQL", Category::Technical, 3, 0.2),
        ],
        Threshold::default(),
        CycleState::Open,
    )
    .expect("cycle");
    let at = now_millis() - days_ago * DAY;
    let store = &app.store;
    let context = RoleContext::new(Role::Pm, CareerLevel::Senior);
    let id = store.open_cycle(user.id, &cycle, &context, at - 10 * DAY).await.expect("open");
    let ids = ["empathy", "storytelling", "sql"];
    let own: BTreeMap<SkillId, SelfRating> =
        ids.iter().map(|id| (skill(id), SelfRating { level: level(3), evidence: None })).collect();
    store.save_self_ratings(id, &own, at - 9 * DAY).await.expect("self");
    for n in 0..3 {
        let invite = store
            .create_rater_invite(id, Observer::Engineering, None, &format!("hash-{}-{n}", user.id), at, at - 9 * DAY)
            .await
            .expect("invite");
        let draft = RaterDraft {
            answers: ids.iter().zip([2, 3, 2]).map(|(id, l)| (skill(id), Answer::Rated(level(l)))).collect(),
            comments: Vec::new(),
        };
        store.submit_rater_draft(invite.id, &draft, at - 8 * DAY + n).await.expect("submit");
    }
    store.close_cycle(id, at).await.expect("close");
}

struct World {
    app: TestApp,
    maya: Client,
    maya_user: User,
    sam: Client,
    theo: Client,
}

/// Sam manages Maya; Theo is a manager of nobody here.
async fn world(app: TestApp) -> World {
    app.setup().await;
    let (sam, sam_user) = app.member("sam@northwind.test", "Sam Rivera", OrgRole::Manager, None).await;
    let (maya, maya_user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, Some(sam_user.id)).await;
    let (theo, _) = app.member("theo@northwind.test", "Theo Martins", OrgRole::Manager, None).await;
    World { app, maya, maya_user, sam, theo }
}

fn assert_redirect(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(page.location().is_some_and(|l| l.starts_with(to)), "{:?} should go to {to}", page.location());
}

fn assert_invalid(page: &Page, message: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains(message), "expected {message:?} in the page");
}

async fn focus_ids(app: &TestApp, user: &User) -> Vec<(String, i64)> {
    let plan = app.store.plan(user.id).await.expect("plan").expect("a plan");
    plan.active().map(|s| (s.skill.to_string(), s.id)).collect()
}

/// The whole journey on one backend: returns the world for more checks.
async fn journey(app: TestApp) -> World {
    let mut w = world(app).await;
    closed_cycle(&w.app, &w.maya_user, 100).await;

    // The plan suggests the three focus skills of the latest results, with
    // their reasons, and prompts a reassessment (closed 100 days ago).
    let page = w.maya.get("/plan").await;
    assert_eq!(page.status, StatusCode::OK);
    for name in ["Empathy", "Storytelling", "SQL"] {
        assert!(page.body.contains(name), "{name} is suggested");
    }
    assert!(page.body.contains("gap"), "the suggestions carry their reasons");
    assert!(page.body.contains("Time to reassess"), "a reassessment banner");

    let goal = "Engineers hear the customer problem from me before they see a ticket";
    let page = w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", goal)]).await;
    assert_redirect(&page, "/plan#focus-");
    let page =
        w.maya.post_form("/plan/focus", &[("skill", "storytelling"), ("goal", "One customer story per review")]).await;
    assert_redirect(&page, "/plan");
    let page = w.maya.post_form("/plan/focus", &[("skill", "negotiation"), ("goal", "Trade scope, not quality")]).await;
    assert_redirect(&page, "/plan");
    // A fourth is refused with a clear message, and the goal typed is kept.
    let page = w.maya.post_form("/plan/focus", &[("skill", "sql"), ("goal", "Pull my own funnel numbers")]).await;
    assert_invalid(&page, "Finish or remove one before adding another");
    assert!(page.body.contains("Pull my own funnel numbers"), "what was typed is kept");
    assert_eq!(focus_ids(&w.app, &w.maya_user).await.len(), 3);

    let ids = focus_ids(&w.app, &w.maya_user).await;
    let empathy = ids.iter().find(|(s, _)| s == "empathy").expect("empathy").1;

    // Activities: one of the framework's, and one of her own.
    let path = format!("/plan/focus/{empathy}/activities");
    let page = w.maya.post_form(&path, &[("activity", "listen-to-customer-calls"), ("cadence", "")]).await;
    assert_redirect(&page, "/plan");
    let page = w.maya.post_form(&path, &[("activity", "custom"), ("title", ""), ("cadence", "weekly")]).await;
    assert_invalid(&page, "Name your activity");
    let page = w
        .maya
        .post_form(&path, &[("activity", "custom"), ("title", "Sit in on a renewal call"), ("cadence", "hourly")])
        .await;
    assert_invalid(&page, "Choose how often from the list");
    assert!(page.body.contains("Sit in on a renewal call"), "the title typed is kept");
    let page = w
        .maya
        .post_form(&path, &[("activity", "custom"), ("title", "Sit in on a renewal call"), ("cadence", "monthly")])
        .await;
    assert_redirect(&page, "/plan");
    let page = w.maya.post_form(&path, &[("activity", "not-an-activity")]).await;
    assert_invalid(&page, "not one of this skill");
    let plan = w.app.store.plan(w.maya_user.id).await.expect("plan").expect("plan");
    let activities = &plan.skills.iter().find(|s| s.id == empathy).expect("empathy").activities;
    assert_eq!(activities.len(), 2);
    assert_eq!(activities[0].activity.as_deref(), Some("listen-to-customer-calls"));
    let calls = activities[0].id;
    let page = w.maya.get("/plan").await;
    assert!(
        page.body.contains("Listen to two customer calls a week") && page.body.contains("Sit in on a renewal call")
    );

    // Practice: a future day is refused and what was typed is kept.
    let tomorrow = Date::from_millis(now_millis()).add_days(1).to_string();
    let today = Date::from_millis(now_millis()).to_string();
    let page = w
        .maya
        .post_form(
            "/practice",
            &[
                ("skill", "empathy"),
                ("day", &tomorrow),
                ("did", "Listened to the Harbor Bank call"),
                ("learned", "Close deadline"),
            ],
        )
        .await;
    assert_invalid(&page, "in the future");
    assert!(page.body.contains("Listened to the Harbor Bank call") && page.body.contains("Close deadline"));
    let page = w.maya.post_form("/practice", &[("skill", "empathy"), ("day", &today), ("did", "  ")]).await;
    assert_invalid(&page, "Write what you did");
    let page = w.maya.post_form("/practice", &[("skill", "juggling"), ("day", &today), ("did", "x")]).await;
    assert_invalid(&page, "does not know that skill");
    let huge = "a".repeat(4001);
    let page = w.maya.post_form("/practice", &[("skill", "empathy"), ("day", &today), ("did", &huge)]).await;
    assert_invalid(&page, "under 4000 characters");
    let page = w.maya.post_form("/practice", &[("skill", "empathy"), ("day", "2026-02-30"), ("did", "x")]).await;
    assert_invalid(&page, "not a day of the calendar");
    // An activity of another skill does not fit the skill chosen.
    let page = w
        .maya
        .post_form(
            "/practice",
            &[("skill", "storytelling"), ("activity", &calls.to_string()), ("day", &today), ("did", "x")],
        )
        .await;
    assert_invalid(&page, "That activity belongs to Empathy");

    let page = w
        .maya
        .post_form(
            "/practice",
            &[
                ("skill", ""),
                ("activity", &calls.to_string()),
                ("day", &today),
                ("did", "Listened to the Harbor Bank call about duplicate payouts"),
                ("happened", "Twenty minutes on month-end close"),
                ("learned", "=SUM(A1) is what the controller types all day"),
                ("next_step", "Ask CS for two more month-end calls"),
            ],
        )
        .await;
    assert_redirect(&page, "/practice#entry-");
    let entries = w.app.store.practice_entries(w.maya_user.id, None).await.expect("entries");
    assert_eq!(entries.len(), 1, "only the valid entry was saved");
    assert_eq!(entries[0].skill.as_str(), "empathy", "the activity's skill is taken when none is chosen");
    let entry = entries[0].id;

    // The log shows the streak, the calendar and a chart per focus skill.
    let page = w.maya.get("/practice").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>1</strong> <span>week in a row</span>"), "a one-week streak");
    assert!(page.body.contains("practised this week"));
    assert!(page.body.contains(&format!("{}: 1 entry", Date::parse(&today).expect("d").human())), "today's square");
    assert_eq!(page.body.matches("class=\"chart progress-chart\"").count(), 3, "one chart per focus skill");
    assert!(page.body.contains("Listened to the Harbor Bank call about duplicate payouts"));

    // The CSV export: own entries only, formulas defused.
    let csv = w.maya.get("/practice.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"].to_str().expect("type").starts_with("text/csv"));
    assert!(csv.body.starts_with("date,skill,skill_name,activity,what_i_did"));
    assert!(csv.body.contains(&format!("{today},empathy,Empathy,Listen to two customer calls a week,")));
    assert!(csv.body.contains(",'=SUM(A1) is what the controller types all day,"), "{}", csv.body);

    // Edit and delete one's own entry.
    let page = w.maya.get(&format!("/practice?edit={entry}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Twenty minutes on month-end close"));
    let page = w
        .maya
        .post_form(&format!("/practice/{entry}"), &[("skill", "empathy"), ("day", &tomorrow), ("did", "Edited")])
        .await;
    assert_invalid(&page, "in the future");
    let page = w
        .maya
        .post_form(
            &format!("/practice/{entry}"),
            &[
                ("skill", "empathy"),
                ("activity", &calls.to_string()),
                ("day", &today),
                ("did", "Listened to two calls"),
            ],
        )
        .await;
    assert_redirect(&page, "/practice#entry-");
    assert_eq!(w.app.store.practice_entry(w.maya_user.id, entry).await.expect("entry").did, "Listened to two calls");

    // A check-in: every answer is needed; what was typed is kept.
    let page = w.maya.get("/plan/check-in").await;
    assert_eq!(page.status, StatusCode::OK);
    let mut fields: Vec<(String, String)> = Vec::new();
    for (_, id) in &ids {
        fields.push((format!("feeling-{id}"), "steady".to_owned()));
        fields.push((format!("note-{id}"), format!("note for {id}")));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = w.maya.post_form("/plan/check-in", &borrowed).await;
    assert_invalid(&page, "Choose your confidence");
    assert!(page.body.contains(&format!("note for {empathy}")));
    for (n, (_, id)) in ids.iter().enumerate() {
        fields.push((format!("confidence-{id}"), (n + 2).to_string()));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = w.maya.post_form("/plan/check-in", &borrowed).await;
    assert_redirect(&page, "/plan#check-ins");
    let plan = w.app.store.plan(w.maya_user.id).await.expect("plan").expect("plan");
    assert_eq!(plan.check_ins.len(), 1);
    assert_eq!(plan.check_ins[0].answers.len(), 3);
    let page = w.maya.get("/plan").await;
    let next = Date::from_millis(plan.check_ins[0].at + 14 * DAY).human();
    assert!(page.body.contains(&format!("Next check-in: <strong>{next}</strong>")), "next check-in {next}");

    // Her own check-in interval: 7 to 90 days.
    let page = w.maya.post_form("/plan/settings", &[("check_in_days", "5")]).await;
    assert_invalid(&page, "Check in every 7 to 90 days");
    let page = w.maya.post_form("/plan/settings", &[("check_in_days", "30")]).await;
    assert_redirect(&page, "/plan");
    assert_eq!(w.app.store.plan(w.maya_user.id).await.expect("p").expect("p").check_in_days, Some(30));

    // Private by default: Sam's 1:1 page says so and shows nothing of it.
    let page = w.sam.get(&format!("/people/{}/one-on-one", w.maya_user.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("growth plan is private"));
    assert!(!page.body.contains(goal));
    // Shared: the agenda with goals, practice and questions.
    let page = w.maya.post_form("/plan/settings", &[("shared", "1")]).await;
    assert_redirect(&page, "/plan");
    let page = w.sam.get(&format!("/people/{}/one-on-one", w.maya_user.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(goal), "the goal is on the agenda");
    assert!(page.body.contains("Listened to two calls"), "recent practice is on the agenda");
    assert!(page.body.contains("Questions to ask"));
    assert!(page.body.contains("confidence 2/5"), "the last check-in's confidence");
    // Another manager never sees it.
    let page = w.theo.get(&format!("/people/{}/one-on-one", w.maya_user.id)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains(goal));
    // Maya sees what Sam sees.
    let page = w.maya.get(&format!("/people/{}/one-on-one", w.maya_user.id)).await;
    assert!(page.status.is_success() && page.body.contains(goal));
    // Stopping sharing hides it again.
    w.maya.post_form("/plan/settings", &[("shared", "0")]).await;
    let page = w.sam.get(&format!("/people/{}/one-on-one", w.maya_user.id)).await;
    assert!(page.body.contains("growth plan is private") && !page.body.contains(goal));

    // Finishing a skill keeps its history and makes room again.
    let page = w.maya.post_form(&format!("/plan/focus/{empathy}/end"), &[("outcome", "finished")]).await;
    assert_redirect(&page, "/plan");
    let page = w.maya.get("/plan").await;
    assert!(page.body.contains("Earlier focus skills") && page.body.contains(goal));
    assert!(page.body.contains("Add a focus skill"));

    // The dashboard card.
    let page = w.maya.get("/").await;
    assert!(page.body.contains("Growth plan") && page.body.contains("practice streak"));
    w
}

#[tokio::test]
async fn a_plan_from_results_with_practice_check_ins_and_a_shared_agenda() {
    journey(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_whole_journey_on_postgres() {
    match TestApp::spawn_on_postgres().await {
        Some(app) => {
            journey(app).await;
        }
        None => eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL journey skipped"),
    }
}

#[tokio::test]
async fn someone_elses_plan_and_entries_are_not_found_and_stay_unchanged() {
    let mut w = world(TestApp::spawn().await).await;
    w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", "Listen first")]).await;
    let focus = focus_ids(&w.app, &w.maya_user).await[0].1;
    w.maya
        .post_form(
            &format!("/plan/focus/{focus}/activities"),
            &[("activity", "custom"), ("title", "Calls"), ("cadence", "weekly")],
        )
        .await;
    let plan = w.app.store.plan(w.maya_user.id).await.expect("plan").expect("plan");
    let activity = plan.skills[0].activities[0].id;
    let today = Date::from_millis(now_millis()).to_string();
    w.maya.post_form("/practice", &[("skill", "empathy"), ("day", &today), ("did", "Maya wrote this herself")]).await;
    let entry = w.app.store.practice_entries(w.maya_user.id, None).await.expect("e")[0].id;

    let (mut eve, eve_user) = w.app.member("eve@northwind.test", "Eve", OrgRole::Member, None).await;
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/practice/{entry}"), vec![("skill", "empathy"), ("day", &today), ("did", "Eve was here")]),
        (format!("/practice/{entry}/delete"), vec![]),
        (format!("/plan/focus/{focus}/end"), vec![("outcome", "removed")]),
        (format!("/plan/focus/{focus}/goal"), vec![("goal", "Eve's goal")]),
        (
            format!("/plan/focus/{focus}/activities"),
            vec![("activity", "custom"), ("title", "Eve"), ("cadence", "weekly")],
        ),
        (format!("/plan/activities/{activity}/remove"), vec![]),
    ];
    for (path, fields) in &attempts {
        let page = eve.post_form(path, fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}: {}", page.body);
    }
    let page = eve.get(&format!("/practice?edit={entry}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Maya wrote this herself"));
    // Linking Maya's activity to Eve's own entry is refused too.
    let page = eve
        .post_form(
            "/practice",
            &[("skill", "empathy"), ("activity", &activity.to_string()), ("day", &today), ("did", "x")],
        )
        .await;
    assert_invalid(&page, "not one of your plan");
    // Nothing of Maya's changed; Eve's CSV and API hold nothing of Maya's.
    assert_eq!(w.app.store.plan(w.maya_user.id).await.expect("p"), Some(plan));
    let kept = w.app.store.practice_entry(w.maya_user.id, entry).await.expect("kept");
    assert_eq!(kept.did, "Maya wrote this herself");
    assert!(!eve.get("/practice.csv").await.body.contains("Maya wrote this herself"));
    assert!(w.app.store.practice_entries(eve_user.id, None).await.expect("eve").is_empty());
    // Unknown and malformed ids are 404 pages, never 500.
    for path in ["/practice?edit=999999", "/practice?edit=not-a-number"] {
        assert_eq!(eve.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(eve.post_form("/plan/focus/abc/end", &[("outcome", "finished")]).await.status, StatusCode::NOT_FOUND);
    let _ = (&mut w.sam, &mut w.theo);
}

#[tokio::test]
async fn free_choice_validation_and_a_huge_goal() {
    let mut w = world(TestApp::spawn().await).await;
    // Without results there are no suggestions, only the free choice.
    let page = w.maya.get("/plan").await;
    assert!(
        page.body.contains("Pick what to practise first") && page.body.contains("<optgroup label=\"Soft skills\">")
    );
    assert!(!page.body.contains("Time to reassess"));
    let page = w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", "")]).await;
    assert_invalid(&page, "Write your goal");
    let page = w.maya.post_form("/plan/focus", &[("skill", ""), ("goal", "A goal")]).await;
    assert_invalid(&page, "Choose the skill");
    let page = w.maya.post_form("/plan/focus", &[("skill", "underwater-basketry"), ("goal", "A goal")]).await;
    assert_invalid(&page, "does not know that skill");
    let long = "g".repeat(201);
    let page = w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", &long)]).await;
    assert_invalid(&page, "under 200 characters");
    assert!(w.app.store.plan(w.maya_user.id).await.expect("plan").is_none(), "nothing was saved");
    let page = w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", "Listen first")]).await;
    assert_redirect(&page, "/plan");
    let page = w.maya.post_form("/plan/focus", &[("skill", "empathy"), ("goal", "Again")]).await;
    assert_invalid(&page, "already one of your focus skills");
    let page = w.maya.post_form("/plan/focus/1/end", &[("outcome", "vanished")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    // Sharing needs a manager: Theo has none.
    let page = w.theo.post_form("/plan/settings", &[("shared", "1")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("no manager"));
}

#[tokio::test]
async fn the_api_lists_the_plan_and_logs_practice() {
    let mut w = world(TestApp::spawn().await).await;
    w.maya.post_form("/plan/focus", &[("skill", "sql"), ("goal", "Pull my own funnel numbers")]).await;
    let page = w.maya.post_form("/settings/tokens", &[("name", "growth")]).await;
    let start = page.body.find("value=\"pmc_").expect("token") + 7;
    let token: String = page.body[start..].chars().take_while(|c| *c != '"').collect();
    let mut api = w.app.client();
    let doc = w.app.client().get("/api/v1/openapi.json").await.json();
    let plan = api.send(reqwest::Method::GET, "/api/v1/plan", |r| r.bearer_auth(&token)).await;
    assert_eq!(plan.status, StatusCode::OK);
    let json = plan.json();
    assert_matches_schema(&doc, "PlanJson", &json);
    assert_eq!(json["focus"][0]["skill"], "sql");
    assert_eq!(json["focus"][0]["goal"], "Pull my own funnel numbers");
    assert_eq!(json["check_in_days"], 14);
    assert_eq!(json["shared"], false);

    let today = Date::from_millis(now_millis()).to_string();
    let body = serde_json::json!({"skill": "sql", "did": "Wrote the weekly active users query myself"});
    let created = api.send(reqwest::Method::POST, "/api/v1/practice", |r| r.bearer_auth(&token).json(&body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["day"], today.as_str(), "the day defaults to today");
    assert_matches_schema(&doc, "PracticeJson", &created.json());
    assert_matches_schema(&doc, "PracticeInput", &body);
    let future = Date::from_millis(now_millis()).add_days(3).to_string();
    let bad = serde_json::json!({"skill": "juggling", "day": future, "did": ""});
    let refused = api.send(reqwest::Method::POST, "/api/v1/practice", |r| r.bearer_auth(&token).json(&bad)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let message = refused.json()["error"]["message"].as_str().expect("message").to_owned();
    for field in ["`skill`", "`day`", "`did`"] {
        assert!(message.contains(field), "{field} in {message}");
    }
    assert_eq!(refused.json()["error"]["code"], "invalid");
    let unknown = serde_json::json!({"did": "x", "colour": "blue"});
    let refused = api.send(reqwest::Method::POST, "/api/v1/practice", |r| r.bearer_auth(&token).json(&unknown)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    let list =
        api.send(reqwest::Method::GET, &format!("/api/v1/practice?since={today}"), |r| r.bearer_auth(&token)).await;
    assert_eq!(list.json()["entries"].as_array().map(Vec::len), Some(1));
    assert_matches_schema(&doc, "PracticeList", &list.json());
    let tomorrow = Date::from_millis(now_millis()).add_days(1).to_string();
    let list =
        api.send(reqwest::Method::GET, &format!("/api/v1/practice?since={tomorrow}"), |r| r.bearer_auth(&token)).await;
    assert_eq!(list.json()["entries"].as_array().map(Vec::len), Some(0));
    let bad = api.send(reqwest::Method::GET, "/api/v1/practice?since=last-week", |r| r.bearer_auth(&token)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "invalid");
}

/// Validates a real body against the schema the served OpenAPI document
/// gives it (unknown properties are refused there).
fn assert_matches_schema(doc: &serde_json::Value, schema: &str, value: &serde_json::Value) {
    const URL: &str = "http://pmcoach.test/api/v1/openapi.json";
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.add_resource(URL, doc.clone()).expect("resource");
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(&format!("{URL}#/components/schemas/{schema}"), &mut schemas)
        .unwrap_or_else(|e| panic!("schema {schema}: {e}"));
    if let Err(problem) = schemas.validate(value, index) {
        panic!("the body does not match the documented {schema} schema: {problem:#}\n{value}");
    }
}
