//! Issue 8, security by default, proven over every route: the security
//! headers on every response, and stored script in every free-text field
//! coming back escaped on every page that shows it.

use pmcoach_core::context::{CareerLevel, Role, RoleContext};
use pmcoach_core::framework::model::Cadence;
use pmcoach_core::growth::{CheckInFeeling, Date};
use pmcoach_core::ids::SkillId;
use pmcoach_store::growth::{CheckInAnswer, NewPractice};
use pmcoach_store::stakeholders::{NewMeeting, StakeholderProfile};
use pmcoach_store::{OrgRole, now_millis};
use pmcoach_web::Access;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};

use crate::TestApp;
use crate::harness::{PASSWORD, Page};

/// A payload for text content and one that tries to break out of an attribute.
const SCRIPT: &str = "<script>alert('pmcoach')</script>";
const ATTRIBUTE: &str = "\"><img src=x onerror=alert(1)>";

fn evil(label: &str) -> String {
    format!("{label} {SCRIPT} {ATTRIBUTE}")
}

/// Every GET route a signed-in person can open, with `{…}` filled in.
fn pages(app: &TestApp, fill: impl Fn(&str) -> Option<String>) -> Vec<(Access, String)> {
    app.rules
        .iter()
        .filter(|rule| rule.method == Method::GET && rule.access != Access::ApiToken)
        .filter_map(|rule| {
            let mut out = String::new();
            let mut rest = rule.path;
            while let Some(start) = rest.find('{') {
                let end = rest[start..].find('}')? + start;
                out.push_str(&rest[..start]);
                out.push_str(&fill(&rest[start + 1..end])?);
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            Some((rule.access, out))
        })
        .collect()
}

fn assert_headers(page: &Page, what: &str) {
    let header = |name: &str| page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let csp = header("content-security-policy");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{what}: CSP {csp:?}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: CSP allows inline code: {csp}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("referrer-policy"), "same-origin", "{what}");
    assert_eq!(header("cross-origin-opener-policy"), "same-origin", "{what}");
    for cookie in page.headers.get_all("set-cookie") {
        let cookie = cookie.to_str().unwrap_or("");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{what}: cookie {cookie}");
        assert!(cookie.contains("Secure"), "{what}: cookies are Secure by default: {cookie}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn_with(|config| config.secure_cookies = true).await;
    let mut admin = app.setup().await;
    let mut anonymous = app.client();
    let paths = pages(&app, |name| Some(if name == "token" { "not-a-link".to_owned() } else { "1".to_owned() }));
    assert!(paths.len() >= 20, "suspiciously few pages: {}", paths.len());
    for (_, path) in &paths {
        assert_headers(&admin.get(path).await, &format!("GET {path} as admin"));
        assert_headers(&anonymous.get(path).await, &format!("GET {path} signed out"));
    }
    // Errors, the API, static files and forms answer with them too.
    assert_headers(&anonymous.get("/no/such/page").await, "404 page");
    assert_headers(&anonymous.get("/api/v1/nothing").await, "API 404");
    assert_headers(&anonymous.get("/api/v1/me").await, "API 401");
    assert_headers(&anonymous.get("/static/app.css").await, "stylesheet");
    assert_headers(&anonymous.send(Method::DELETE, "/settings", |r| r).await, "405");
    assert_headers(&anonymous.post_form("/signin", &[("email", "x@y.test"), ("password", "nope")]).await, "sign-in");
    assert_headers(&admin.post_raw("/settings/tokens", &[("name", "no csrf")]).await, "CSRF refusal");
}

/// Someone types markup into every free-text field pmcoach keeps; every page
/// that shows those fields, to their owner, their manager and an admin,
/// shows them as text.
#[tokio::test]
async fn stored_markup_in_every_free_text_field_is_shown_as_text() {
    let app = TestApp::spawn().await;
    let mut admin = app.client();
    let page = admin.get("/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    let organisation = evil("Org");
    let page = admin
        .post_form(
            "/setup",
            &[
                ("organisation", &organisation),
                ("name", &evil("Ada")),
                ("email", "ada@northwind.test"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (mut sam, sam_user) = app.member("sam@northwind.test", &evil("Sam"), OrgRole::Manager, None).await;
    let (mut maya, maya_user) =
        app.member("maya@northwind.test", &evil("Maya"), OrgRole::Member, Some(sam_user.id)).await;
    let store = &app.store;
    let now = now_millis();
    let user = maya_user.id;

    // Role context with a free-text industry; an API token with a name.
    let context = RoleContext::new(Role::Pm, CareerLevel::Senior).with_industry(&evil("Industry"));
    store.save_role_context(user, &context).await.expect("context");
    store.create_api_token(user, &evil("Token"), "digest").await.expect("token");

    // A growth plan with every text: goal, own activity, practice, check-in.
    let skill = SkillId::parse("stakeholder-alignment").expect("skill");
    let focus = store.add_focus_skill(user, &skill, &evil("Goal"), now).await.expect("focus");
    let activity =
        store.add_activity(user, focus, None, &evil("Activity"), Cadence::Weekly, now).await.expect("activity");
    let practice = NewPractice {
        skill: skill.clone(),
        activity_id: Some(activity),
        day: Date::from_millis(now),
        did: evil("Did"),
        happened: evil("Happened"),
        learned: evil("Learned"),
        next_step: evil("Next"),
    };
    store.create_practice(user, &practice, now).await.expect("practice");
    let answer =
        CheckInAnswer { focus_id: focus, feeling: CheckInFeeling::Steady, confidence: 3, note: evil("Check-in") };
    store.record_check_in(user, &[answer], now).await.expect("check-in");
    store.set_plan_shared(user, true, now).await.expect("share with Sam");

    // A stakeholder with every text, and a meeting.
    let profile = StakeholderProfile {
        name: evil("Dana"),
        function_id: "engineering".to_owned(),
        title: Some(evil("Title")),
        goals: evil("Goals"),
        pressures: evil("Pressures"),
        needs: evil("Needs"),
        channel: evil("Channel"),
        style: evil("Style"),
        influence: 4,
        interest: 4,
        health: 3,
        cadence_days: Some(14),
        last_met_at: None,
    };
    let dana = store.create_stakeholder(user, &profile, now).await.expect("stakeholder");
    let meeting = NewMeeting {
        met_at: Date::from_millis(now).start_millis(),
        notes: evil("Notes"),
        decisions: evil("Decisions"),
        follow_ups: evil("Follow-ups"),
    };
    store.log_meeting(user, dana.id, &meeting, now).await.expect("meeting");

    let fill = |name: &str| -> Option<String> {
        Some(match name {
            "id" | "user_id" => user.to_string(),
            "stakeholder" => dana.id.to_string(),
            "skill" => "stakeholder-alignment".to_owned(),
            // Other objects are covered by the pages that list them.
            _ => return None,
        })
    };
    let mut checked = 0;
    for (access, path) in pages(&app, fill) {
        let viewers: Vec<(&str, &mut crate::Client)> = match access {
            Access::Admin => vec![("admin", &mut admin)],
            Access::ManagerOfSubject => vec![("Maya", &mut maya), ("Sam", &mut sam)],
            _ => vec![("Maya", &mut maya)],
        };
        for (who, client) in viewers {
            let page = client.get(&path).await;
            let is_html = page
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html"));
            if !is_html {
                continue;
            }
            assert!(!page.body.contains(SCRIPT), "GET {path} as {who} shows a stored <script> unescaped");
            assert!(!page.body.contains(ATTRIBUTE), "GET {path} as {who} lets stored text out of an attribute");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} pages checked");

    // Non-vacuity: the payloads are on the pages, as text.
    let shown = |page: &Page| page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;");
    for path in ["/plan", "/practice", &format!("/stakeholders/{}", dana.id), "/stakeholders", "/profile", "/settings"]
    {
        assert!(shown(&maya.get(path).await), "{path} shows the stored text, escaped");
    }
    assert!(shown(&sam.get(&format!("/people/{user}/one-on-one")).await), "Sam's agenda shows Maya's goal as text");
    assert!(shown(&admin.get("/admin/people").await), "the admin's list shows the names as text");
}
