//! Results of closed assessment cycles: the person's page, a past cycle, the
//! CSV export, the API, sharing with the manager and admins' completion.
//! Cycles are filled directly through the store; a group below the
//! anonymity threshold (two designers) must never show anywhere.

use std::collections::BTreeMap;

use pmcoach_core::assessment::{Answer, Comment, Cycle, CycleSkill, CycleState, SelfRating, Threshold};
use pmcoach_core::context::{CareerLevel, Role, RoleContext};
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::ids::{Level, SkillId};
use pmcoach_store::{CycleId, OrgRole, RaterDraft, User};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::TestApp;
use crate::harness::Client;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_760_000_000_000;

/// What only the two designers wrote: it must never be served.
const DESIGN_COMMENT: &str = "Zebra-crossing remark only design would make";
const ENGINEERING_COMMENT: &str = "Specs arrive with the edge cases already worked out.";
const MANAGER_COMMENT: &str = "Ready for a larger area next half.";

fn skill(id: &str) -> SkillId {
    SkillId::parse(id).expect("skill id")
}

fn level(n: i64) -> Level {
    Level::new(n).expect("level")
}

fn cycle() -> Cycle {
    let make = |id: &str, name: &str, category, target, weight| CycleSkill {
        id: skill(id),
        name: name.to_owned(),
        category,
        observers: vec![Observer::Engineering, Observer::Sales, Observer::Design, Observer::Manager],
        target: level(target),
        weight,
    };
    Cycle::new(
        vec![
            // A comma in the name: the CSV must quote it.
            make("apis", "APIs, webhooks", Category::Technical, 4, 0.5),
            make("empathy", "Empathy", Category::Soft, 3, 0.3),
            make("pricing", "Pricing", Category::Craft, 4, 0.2),
        ],
        Threshold::default(),
        CycleState::Open,
    )
    .expect("cycle")
}

fn context() -> RoleContext {
    RoleContext::new(Role::Pm, CareerLevel::Senior)
}

/// (group, [apis, empathy, pricing], general comment)
type Rater = (Observer, [i64; 3], Option<&'static str>);

/// Opens a cycle for `user`, saves self ratings and submits `raters`, plus
/// `unanswered` invitations nobody answers, then closes it.
async fn closed_cycle(
    app: &TestApp,
    user: &User,
    at: i64,
    own: [i64; 3],
    raters: &[Rater],
    unanswered: usize,
) -> CycleId {
    let store = &app.store;
    let id = store.open_cycle(user.id, &cycle(), &context(), at).await.expect("open");
    let ids = ["apis", "empathy", "pricing"];
    let ratings: BTreeMap<SkillId, SelfRating> =
        ids.iter().zip(own).map(|(id, n)| (skill(id), SelfRating { level: level(n), evidence: None })).collect();
    store.save_self_ratings(id, &ratings, at + 1).await.expect("self");
    for (n, (group, levels, comment)) in raters.iter().enumerate() {
        let invite = store
            .create_rater_invite(id, *group, None, &format!("hash-{id}-{n}"), at + 30 * DAY, at + 2)
            .await
            .expect("invite");
        let draft = RaterDraft {
            answers: ids.iter().zip(levels).map(|(id, &n)| (skill(id), Answer::Rated(level(n)))).collect(),
            comments: comment.map(|text| Comment { skill: None, text: text.to_owned() }).into_iter().collect(),
        };
        store.save_rater_draft(invite.id, &draft, at + 3).await.expect("draft");
        store.submit_rater_draft(invite.id, &draft, at + 4 + n as i64).await.expect("submit");
    }
    for n in 0..unanswered {
        store
            .create_rater_invite(id, Observer::Engineering, None, &format!("open-{id}-{n}"), at + 30 * DAY, at + 2)
            .await
            .expect("unanswered invite");
    }
    store.close_cycle(id, at + DAY).await.expect("close");
    id
}

/// Three engineers, three sales colleagues, the manager and two designers
/// (below the threshold of 3, so withheld). Maya rates APIs 4; engineering
/// sees 2 (a blind spot), sales sees pricing at 5 where she says 3.
fn latest_raters() -> Vec<Rater> {
    vec![
        (Observer::Engineering, [2, 4, 4], Some(ENGINEERING_COMMENT)),
        (Observer::Engineering, [2, 4, 4], None),
        (Observer::Engineering, [2, 4, 4], None),
        (Observer::Sales, [3, 3, 5], None),
        (Observer::Sales, [3, 3, 5], None),
        (Observer::Sales, [3, 3, 5], None),
        (Observer::Manager, [3, 3, 4], Some(MANAGER_COMMENT)),
        (Observer::Design, [1, 1, 1], Some(DESIGN_COMMENT)),
        (Observer::Design, [1, 1, 1], None),
    ]
}

struct World {
    app: TestApp,
    admin: Client,
    maya: Client,
    maya_user: User,
    sam: Client,
    earlier: CycleId,
    latest: CycleId,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let admin = app.setup().await;
    let (sam, sam_user) = app.member("sam@northwind.test", "Sam Rivera", OrgRole::Manager, None).await;
    let (maya, maya_user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, Some(sam_user.id)).await;
    let earlier = closed_cycle(
        &app,
        &maya_user,
        T0,
        [3, 3, 2],
        &[
            (Observer::Engineering, [1, 3, 3], None),
            (Observer::Engineering, [1, 3, 3], None),
            (Observer::Engineering, [1, 3, 3], None),
        ],
        0,
    )
    .await;
    let latest = closed_cycle(&app, &maya_user, T0 + 100 * DAY, [4, 3, 3], &latest_raters(), 1).await;
    World { app, admin, maya, maya_user, sam, earlier, latest }
}

/// Nothing the designers gave or wrote can be on `text`.
fn assert_design_hidden(text: &str, what: &str) {
    assert!(!text.contains(DESIGN_COMMENT), "{what}: the withheld group's comment leaked");
    assert!(!text.to_lowercase().contains(">design<"), "{what}: a design column or cell");
}

#[tokio::test]
async fn the_results_page_shows_visible_groups_and_hides_the_small_one() {
    let mut w = world().await;
    let page = w.maya.get("/results").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    // Visible groups as columns, the manager labelled as not anonymous.
    for column in [">Manager<", ">Engineering<", ">Sales<"] {
        assert!(body.contains(column), "{column} missing");
    }
    assert!(body.contains("not anonymous"));
    // The two designers are explained and withheld: their 1s would pull the
    // APIs mean from 2.6 (7 raters) to 2.2 (9 raters).
    assert!(body.contains("2 raters from design answered — fewer than 3"), "{body}");
    assert!(body.contains("<strong>2.6</strong>"), "the APIs mean of the shown raters");
    assert!(!body.contains("<strong>2.2</strong>"));
    assert_design_hidden(body, "page");
    assert!(!body.contains(">Others<"), "others is withheld, so it has no column");
    // Comments of shown groups only, without dates.
    assert!(body.contains(ENGINEERING_COMMENT) && body.contains(MANAGER_COMMENT));
    assert!(body.contains("Manager (not anonymous), in general"));
    // The radar and its text table.
    assert!(body.contains(r#"class="chart radar""#) && body.contains(r#"role="img""#));
}

#[tokio::test]
async fn blind_spots_per_function_lines_and_focus_are_shown() {
    let mut w = world().await;
    let body = w.maya.get("/results").await.body;
    // Overall: raters see APIs at 2.6, Maya says 4.
    assert!(body.contains("<strong>APIs, webhooks</strong> — raters see 2.6, self rating 4."), "{body}");
    // Per function.
    assert!(body.contains("Engineering sees your APIs, webhooks at 2.0, you say 4 (blind spot)."), "{body}");
    assert!(body.contains("Sales sees your Pricing at 5.0, you say 3 (hidden strength)."));
    assert!(body.contains("Engineering sees your Empathy at 4.0, you say 3 (hidden strength)."));
    // Focus: only APIs is below target (4 − 2.6 = 1.4, weight 50%).
    let focus = &body[body.find("Suggested focus").expect("focus section")..body.find("Every skill").expect("table")];
    assert!(focus.contains("APIs, webhooks") && focus.contains("a gap of 1.4"), "{focus}");
    assert!(!focus.contains("Pricing"), "pricing is above target");
}

#[tokio::test]
async fn a_past_cycle_and_history_over_cycles() {
    let mut w = world().await;
    let latest = w.maya.get("/results").await.body;
    assert!(latest.contains(r#"class="chart history""#));
    assert!(latest.contains(&format!(r#"href="/results/{}""#, w.earlier)), "a link to the earlier cycle");
    // Per skill: engineering saw APIs at 1.0 in the earlier cycle, all shown raters 2.6 now.
    assert!(latest.contains("<td>self 3 · raters 1.0</td><td>self 4 · raters 2.6</td>"), "{latest}");
    let earlier = w.maya.get(&format!("/results/{}", w.earlier)).await;
    assert_eq!(earlier.status, StatusCode::OK);
    assert!(!earlier.body.contains(ENGINEERING_COMMENT), "the earlier cycle has its own comments");
    assert!(earlier.body.contains("<strong>1.0</strong>"), "engineering saw APIs at 1 then");
    assert!(earlier.body.contains(&format!(r#"href="/results/{}""#, w.latest)));
    // A number that is not one of Maya's closed cycles finds nothing.
    let missing = w.maya.get("/results/999999").await;
    assert!(missing.body.contains("No closed cycle of yours is numbered"));
}

#[tokio::test]
async fn the_csv_export_is_the_own_results_with_quoted_fields() {
    let mut w = world().await;
    let page = w.maya.get("/results.csv").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = page.headers[CONTENT_DISPOSITION].to_str().expect("ascii");
    assert_eq!(disposition, format!("attachment; filename=\"pmcoach-results-{}.csv\"", w.latest));
    let lines: Vec<&str> = page.body.lines().collect();
    assert_eq!(lines[0], "skill,skill_name,target,weight,source,status,level,raters,not_observed,spread,gap,signal");
    assert!(lines.contains(&"apis,\"APIs, webhooks\",4,0.5000,self,shown,4,,,,,"), "{}", page.body);
    assert!(lines.contains(&"apis,\"APIs, webhooks\",4,0.5000,engineering,shown,2.00,3,0,0.00,,blind-spot"));
    assert!(lines.contains(&"apis,\"APIs, webhooks\",4,0.5000,all-raters,shown,2.57,7,0,0.49,1.43,blind-spot"));
    assert!(!page.body.contains("design") && !page.body.contains(",others,"), "{}", page.body);
    // An earlier cycle by number; someone else's number finds nothing.
    let earlier = w.maya.get(&format!("/results.csv?cycle={}", w.earlier)).await;
    assert!(earlier.body.contains("apis,\"APIs, webhooks\",4,0.5000,engineering,shown,1.00,3,0,0.00,,blind-spot"));
    let (mut theo, _) = w.app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    assert_eq!(theo.get(&format!("/results.csv?cycle={}", w.latest)).await.status, StatusCode::NOT_FOUND);
    let empty = theo.get("/results.csv").await;
    assert_eq!(empty.status, StatusCode::OK, "without a closed cycle: the header alone");
    assert_eq!(empty.body.lines().collect::<Vec<_>>(), [lines[0]]);
}

#[tokio::test]
async fn sharing_on_and_off_controls_what_the_manager_sees() {
    let mut w = world().await;
    let path = format!("/people/{}/results", w.maya_user.id);
    let before = w.sam.get(&path).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Maya has not shared any results with you"));
    assert!(!before.body.contains("APIs, webhooks") && !before.body.contains(ENGINEERING_COMMENT));

    let own = w.maya.get("/results").await.body;
    assert!(own.contains("Share with Sam"));
    let shared = w.maya.post_form(&format!("/results/{}/share", w.latest), &[("shared", "1")]).await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER);
    assert_eq!(shared.location(), Some(format!("/results/{}", w.latest).as_str()));
    assert!(w.maya.get("/results").await.body.contains("Stop sharing with Sam"));

    let after = w.sam.get(&path).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.body.contains("Where Maya stands") && after.body.contains(ENGINEERING_COMMENT));
    assert!(!after.body.contains("Download CSV") && !after.body.contains("/share"), "no owner controls");
    assert_design_hidden(&after.body, "manager's view");
    // Only the shared cycle: the earlier one is not in the manager's history.
    assert!(!after.body.contains(&format!("/results/{}", w.earlier)));

    let stopped = w.maya.post_form(&format!("/results/{}/share", w.latest), &[("shared", "0")]).await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER);
    let again = w.sam.get(&path).await;
    assert!(again.body.contains("has not shared any results") && !again.body.contains(ENGINEERING_COMMENT));

    // The person's own link goes to their own page.
    let mine = w.maya.get(&path).await;
    assert_eq!((mine.status, mine.location()), (StatusCode::SEE_OTHER, Some("/results")));
}

#[tokio::test]
async fn strangers_and_admins_cannot_see_or_share_someone_elses_results() {
    let mut w = world().await;
    w.maya.post_form(&format!("/results/{}/share", w.latest), &[("shared", "1")]).await;
    let (mut eve, _) = w.app.member("eve@northwind.test", "Eve", OrgRole::Member, None).await;
    let path = format!("/people/{}/results", w.maya_user.id);
    assert_eq!(eve.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.admin.get(&path).await.status, StatusCode::FORBIDDEN, "admins never see ratings");
    // Maya's cycle number finds nothing on anyone else's own pages.
    let other = eve.get(&format!("/results/{}", w.latest)).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.contains("APIs, webhooks") && !other.body.contains(ENGINEERING_COMMENT));
    let admin_view = w.admin.get(&format!("/results/{}", w.latest)).await;
    assert!(!admin_view.body.contains("APIs, webhooks"));
    // Nor can they change her sharing.
    let refused = eve.post_form(&format!("/results/{}/share", w.latest), &[("shared", "0")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.store.shared_cycles(w.maya_user.id).await.expect("shared"), vec![w.latest]);
    // A bad value is refused, not read as "off".
    let bad = w.maya.post_form(&format!("/results/{}/share", w.latest), &[("shared", "yes")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn admins_see_completion_counts_only() {
    let mut w = world().await;
    let page = w.admin.get("/admin/assessments").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Maya Chen"));
    // Latest: 10 invited (one engineer never answered), 9 answered; earlier 3 of 3.
    assert!(body.contains(r#"data-label="Invited" class="num">10<"#), "{body}");
    assert!(body.contains(r#"data-label="Answered" class="num">9<"#));
    assert!(body.contains("<strong>90%</strong>") && body.contains("<strong>100%</strong>"));
    assert!(body.contains("12 / 13") && body.contains("92%"), "totals");
    for rating in ["APIs, webhooks", "Empathy", ENGINEERING_COMMENT, MANAGER_COMMENT, DESIGN_COMMENT, "2.6"] {
        assert!(!body.contains(rating), "admins saw {rating}");
    }
    assert_eq!(w.maya.get("/admin/assessments").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_a_closed_cycle_the_page_teaches_the_first_step() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut theo, _) = app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let page = theo.get("/results").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No results yet") && page.body.contains(r#"href="/assessment""#));
}

async fn token(client: &mut Client) -> String {
    let page = client.post_form("/settings/tokens", &[("name", "results")]).await;
    let start = page.body.find("value=\"pmc_").expect("token") + 7;
    page.body[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn the_api_serves_the_latest_closed_cycle_within_the_rules() {
    let mut w = world().await;
    let maya_token = token(&mut w.maya).await;
    let mut api = w.app.client();
    let page = api.send(reqwest::Method::GET, "/api/v1/results", |r| r.bearer_auth(&maya_token)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.body.contains(DESIGN_COMMENT));
    let json = page.json();
    assert_eq!(json["cycle"]["id"], w.latest);
    assert_eq!(json["cycle"]["closed_at"], T0 + 101 * DAY);
    assert_eq!(json["cycle"]["threshold"], 3);
    let results = &json["results"];
    let others = results["pools"].as_array().expect("pools").iter().find(|p| p["pool"] == "others").expect("others");
    assert_eq!(
        (&others["raters"], &others["shown"], &others["groups"]),
        (&2.into(), &false.into(), &serde_json::json!(["design"]))
    );
    let apis = &results["skills"][0];
    assert_eq!(apis["id"], "apis");
    assert_eq!(apis["observed"]["raters"], 7, "designers are not counted");
    let cells: Vec<&str> =
        apis["pools"].as_array().expect("cells").iter().map(|c| c["pool"].as_str().unwrap()).collect();
    assert_eq!(cells, ["manager", "engineering", "sales"]);
    assert_eq!(results["focus"][0]["skill"], "apis");

    let (mut theo, _) = w.app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let other = token(&mut theo).await;
    let none = api.send(reqwest::Method::GET, "/api/v1/results", |r| r.bearer_auth(&other)).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert_eq!(none.json()["error"]["code"], "not_found");
}
