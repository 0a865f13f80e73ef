//! Walks every route the app registered and proves its access rule: who is
//! let in, who is sent to sign in, who is refused, and that every
//! state-changing form needs a CSRF token. A route added without a rule
//! cannot exist (routes are only added with one), and a route with a path
//! parameter this test does not know fails here until the test learns it.

use pmcoach_store::OrgRole;
use pmcoach_web::Access;
use reqwest::{Method, StatusCode};

use crate::TestApp;
use crate::harness::{Client, Page};

struct World {
    app: TestApp,
    admin: Client,
    member: Client,
    member_id: i64,
    manager: Client,
    manager_id: i64,
    report_id: i64,
    stranger: Client,
    token: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let (manager, manager_user) = app.member("sam@northwind.test", "Sam", OrgRole::Manager, None).await;
    let (_, report) = app.member("maya@northwind.test", "Maya", OrgRole::Member, Some(manager_user.id)).await;
    let (member, member_user) = app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let (stranger, _) = app.member("eve@northwind.test", "Eve", OrgRole::Member, None).await;
    let page = admin.post_form("/settings/tokens", &[("name", "walker")]).await;
    let start = page.body.find("value=\"pmc_").expect("token") + 7;
    let token: String = page.body[start..].chars().take_while(|c| *c != '"').collect();
    // Theo's first stakeholder is the `{stakeholder}` 1 the walker visits.
    let lena = pmcoach_store::stakeholders::StakeholderProfile {
        name: "Lena".to_owned(),
        function_id: "engineering".to_owned(),
        influence: 3,
        interest: 3,
        health: 3,
        ..Default::default()
    };
    app.store.create_stakeholder(member_user.id, &lena, pmcoach_store::now_millis()).await.expect("stakeholder");
    owned_by_theo(&app, member_user.id).await;
    World {
        app,
        admin,
        member,
        member_id: member_user.id,
        manager,
        manager_id: manager_user.id,
        report_id: report.id,
        stranger,
        token,
    }
}

/// Theo's things with id 1 (each is the first of its kind): a focus skill,
/// an activity, a practice entry, a notification, an API token.
async fn owned_by_theo(app: &TestApp, theo: i64) {
    use pmcoach_core::growth::Date;
    use pmcoach_store::growth::NewPractice;
    let store = &app.store;
    let now = pmcoach_store::now_millis();
    let skill = pmcoach_core::ids::SkillId::parse("empathy").expect("skill");
    let focus = store.add_focus_skill(theo, &skill, "Hear out support first", now).await.expect("focus");
    let weekly = pmcoach_core::framework::model::Cadence::Weekly;
    let activity = store.add_activity(theo, focus, None, "Shadow a support call", weekly, now).await.expect("activity");
    let entry = NewPractice {
        skill,
        activity_id: Some(activity),
        day: Date::from_millis(now),
        did: "Shadowed a call".to_owned(),
        happened: String::new(),
        learned: String::new(),
        next_step: String::new(),
    };
    let entry = store.create_practice(theo, &entry, now).await.expect("entry");
    let note = pmcoach_store::NewNotification {
        user_id: theo,
        kind: pmcoach_store::NotificationKind::CheckIn,
        dedupe_key: "walker".to_owned(),
        title: "Check in".to_owned(),
        body: "Due".to_owned(),
        link: "/plan".to_owned(),
        email: false,
    };
    let note = store.create_notification(&note, now).await.expect("notification").expect("new");
    let token = store.create_api_token(theo, "theo's script", "walker-digest").await.expect("token");
    assert_eq!((focus, activity, entry.id, note.id, token.id), (1, 1, 1, 1, 2), "the walker's ids");
}

/// Fills the path parameters with values that exist in the world.
fn concrete(path: &str, world: &World) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e).expect("closing brace");
        out.push_str(&rest[..start]);
        let value = match &rest[start + 1..end] {
            "id" => world.report_id.to_string(),
            "cycle" => "1".to_owned(),
            "user_id" => world.member_id.to_string(),
            // Theo's own token (the admin's is 1).
            "token_id" => "2".to_owned(),
            "invite" => "1".to_owned(),
            "notification" => "1".to_owned(),
            "token" => "not-a-real-invitation".to_owned(),
            "skill" => "stakeholder-alignment".to_owned(),
            "focus" | "activity" | "entry" => "1".to_owned(),
            "stakeholder" => "1".to_owned(),
            "scenario" => "launch-slips".to_owned(),
            other => {
                panic!("the route walker does not know the path parameter {{{other}}} in {path}: teach it a value")
            }
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn call(client: &mut Client, method: &Method, path: &str, csrf: bool) -> Page {
    if *method == Method::GET {
        client.get(path).await
    } else if csrf {
        client.post_form(path, &[]).await
    } else {
        client.post_raw(path, &[]).await
    }
}

/// The access middleware's "sign in first" answer, which always carries the
/// way back (`/signin?next=…`); a page may still send someone to plain
/// `/signin` for its own reasons (setup is done, signed out).
fn is_sign_in_redirect(page: &Page) -> bool {
    page.status == StatusCode::SEE_OTHER && page.location().is_some_and(|l| l.starts_with("/signin?next="))
}

#[tokio::test]
async fn every_route_enforces_its_access_rule() {
    let mut world = world().await;
    let rules = world.app.rules.clone();
    assert!(rules.len() >= 15, "suspiciously few routes: {}", rules.len());
    let mut seen = std::collections::BTreeSet::new();
    for rule in &rules {
        assert!(seen.insert((rule.method.clone(), rule.path)), "{} {} is registered twice", rule.method, rule.path);
        let path = concrete(rule.path, &world);
        let what = format!("{} {} ({})", rule.method, rule.path, rule.access);
        let mut anonymous = world.app.client();
        match rule.access {
            Access::Anonymous => {
                let page = call(&mut anonymous, &rule.method, &path, true).await;
                assert!(
                    !is_sign_in_redirect(&page),
                    "{what}: anonymous visitors are let in, got {:?}",
                    page.location()
                );
                assert!(page.status != StatusCode::FORBIDDEN, "{what}: anonymous got 403: {}", page.body);
            }
            Access::Member | Access::Admin | Access::ManagerOfSubject => {
                let page = call(&mut anonymous, &rule.method, &path, false).await;
                assert!(is_sign_in_redirect(&page), "{what}: anonymous must be sent to sign in, got {}", page.status);
            }
            Access::ApiToken => {
                let page = anonymous.send(rule.method.clone(), &path, |r| r).await;
                assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{what}: no token");
                assert_eq!(page.json()["error"]["code"], "unauthorized", "{what}");
                let page = anonymous.send(rule.method.clone(), &path, |r| r.bearer_auth("pmc_forged")).await;
                assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{what}: forged token");
                let token = world.token.clone();
                let page = anonymous.send(rule.method.clone(), &path, |r| r.bearer_auth(token)).await;
                assert_ne!(page.status, StatusCode::UNAUTHORIZED, "{what}: a valid token is accepted");
                continue;
            }
        }
        match rule.access {
            Access::Member if rule.method == Method::GET => {
                let page = world.member.get(&path).await;
                assert!(page.status.is_success(), "{what}: a member gets {}: {}", page.status, page.body);
            }
            Access::Admin => {
                let page = call(&mut world.member, &rule.method, &path, true).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: members are refused");
                let page = call(&mut world.manager, &rule.method, &path, true).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: managers are refused");
                if rule.method == Method::GET {
                    let page = world.admin.get(&path).await;
                    assert!(page.status.is_success(), "{what}: admin gets {}", page.status);
                }
            }
            Access::ManagerOfSubject => {
                let page = call(&mut world.stranger, &rule.method, &path, true).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: someone else is refused");
                let page = call(&mut world.admin, &rule.method, &path, true).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: admins are refused too");
                if rule.method == Method::GET {
                    let page = world.manager.get(&path).await;
                    assert!(
                        page.status.is_success(),
                        "{what}: the manager (id {}) gets {}",
                        world.manager_id,
                        page.status
                    );
                }
            }
            _ => {}
        }
        // Every state-changing route refuses a form without a CSRF token.
        if rule.method != Method::GET && rule.access != Access::ApiToken {
            let client = match rule.access {
                Access::Admin => &mut world.admin,
                Access::ManagerOfSubject => &mut world.manager,
                _ => &mut world.member,
            };
            let page = call(client, &rule.method, &path, false).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: a form without a CSRF token must be refused");
        }
    }
}

#[tokio::test]
async fn api_errors_have_one_stable_shape() {
    let world = world().await;
    let mut client = world.app.client();
    for rule in world.app.rules.iter().filter(|r| r.access == Access::ApiToken) {
        let page = client.send(rule.method.clone(), &concrete(rule.path, &world), |r| r).await;
        let json = page.json();
        assert_eq!(json["error"]["status"], 401);
        assert!(json["error"]["message"].as_str().is_some_and(|m| m.contains("Bearer")));
    }
}

/// The fields of every form posted to a route that names someone's own
/// thing, each with a valid value (forms ignore fields they do not have).
fn would_be_accepted() -> Vec<(&'static str, String)> {
    let today = pmcoach_core::growth::Date::from_millis(pmcoach_store::now_millis()).to_string();
    let fields: [(&'static str, &str); 20] = [
        ("goal", "Hear out support first"),
        ("outcome", "finished"),
        ("title", "Shadow a support call"),
        ("cadence", "weekly"),
        ("skill", "empathy"),
        ("did", "Shadowed a call"),
        ("name", "Lena"),
        ("function", "engineering"),
        ("influence", "3"),
        ("interest", "3"),
        ("health", "3"),
        ("cadence_days", "14"),
        ("notes", "Talked about on-call load"),
        ("decisions", ""),
        ("follow_ups", ""),
        ("archived", "yes"),
        ("confirm", "yes"),
        ("day", &today),
        ("date", &today),
        ("last_met", &today),
    ];
    fields.into_iter().map(|(name, value)| (name, value.to_owned())).collect()
}

/// Path parameters that name one person's own things (Theo's, in the world).
const OWNED: [&str; 6] = ["{focus}", "{activity}", "{entry}", "{stakeholder}", "{notification}", "{token_id}"];

/// Another member who guesses the id of Theo's stakeholder, practice entry,
/// focus skill, activity, notification or API token finds nothing there —
/// a 404, the same as for an id that does not exist — and changes nothing.
#[tokio::test]
async fn nobody_reaches_another_members_things() {
    let mut world = world().await;
    let rules = world.app.rules.clone();
    let mut checked = 0;
    for rule in rules.iter().filter(|r| r.access == Access::Member && OWNED.iter().any(|p| r.path.contains(p))) {
        let path = concrete(rule.path, &world);
        let page = if rule.method == Method::GET {
            world.stranger.get(&path).await
        } else {
            // A form each of these routes would accept from their owner, so
            // that a 404 means "not yours", not "form incomplete".
            let form = would_be_accepted();
            let fields: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
            world.stranger.post_form(&path, &fields).await
        };
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{} {path} as another member: {}", rule.method, page.body);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} routes name someone's own things");
    let theo = world.member_id;
    let store = &world.app.store;
    assert_eq!(store.stakeholder(theo, 1).await.expect("kept").archived_at, None, "the stakeholder is untouched");
    assert!(store.practice_entry(theo, 1).await.is_ok(), "the entry is still there");
    let plan = store.plan(theo).await.expect("plan").expect("Theo has a plan");
    assert!(plan.skills[0].is_active() && plan.skills[0].activities.len() == 1, "focus and activity are untouched");
    assert_eq!(store.unread_notifications(theo).await.expect("count"), 1, "the notification is still unread");
    let tokens = store.api_tokens(theo).await.expect("tokens");
    assert!(tokens.iter().all(|t| t.revoked_at.is_none()), "the token still works");
}
