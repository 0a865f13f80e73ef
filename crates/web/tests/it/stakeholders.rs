//! Stakeholders: issue 6 integration tests over HTTP. The map, the add form
//! prefilled from a function template, meetings and the overdue list, the
//! follow-up link into the coach, the API, and another member's 404.

use pmcoach_store::stakeholders::StakeholderProfile;
use pmcoach_store::{OrgRole, User, now_millis};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::TestApp;
use crate::harness::{Client, Page};

const DAY: i64 = 86_400_000;

fn iso(days_from_today: i64) -> String {
    let date = OffsetDateTime::now_utc().date() + Duration::days(days_from_today);
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// A valid add form for `name`, as the engineering template fills it.
fn fields(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_owned()),
        ("function", "engineering".to_owned()),
        ("title", "Engineering lead, Route Planning".to_owned()),
        ("goals", "Ship the queue migration\nProtect focus time".to_owned()),
        ("pressures", "On-call load".to_owned()),
        ("needs", "Context behind requests".to_owned()),
        ("channel", "A short doc, then a call".to_owned()),
        ("style", "Precise, with the trade-offs".to_owned()),
        ("influence", "5".to_owned()),
        ("interest", "4".to_owned()),
        ("health", "4".to_owned()),
        ("cadence_days", "14".to_owned()),
        ("last_met", String::new()),
    ]
}

async fn post(client: &mut Client, path: &str, fields: &[(&'static str, String)]) -> Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &borrowed).await
}

fn with(mut fields: Vec<(&'static str, String)>, name: &'static str, value: &str) -> Vec<(&'static str, String)> {
    fields.iter_mut().find(|(k, _)| *k == name).expect("field").1 = value.to_owned();
    fields
}

/// The id in a `/stakeholders/{id}?…` redirect.
fn created_id(page: &Page) -> i64 {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location().expect("redirect");
    let rest = location.strip_prefix("/stakeholders/").expect("to the stakeholder");
    rest.split(['?', '#']).next().expect("id").parse().expect("numeric id")
}

async fn maya(app: &TestApp) -> (Client, User) {
    app.setup().await;
    app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await
}

/// The SVG grid of a page.
fn svg(page: &Page) -> &str {
    let start = page.body.find("<svg class=\"chart stakeholder-grid\"").expect("the grid is drawn");
    let end = page.body[start..].find("</svg>").expect("end of svg") + start;
    &page.body[start..end]
}

#[tokio::test]
async fn a_stakeholder_added_from_a_template_shows_on_the_grid_and_in_the_table() {
    let app = TestApp::spawn().await;
    let (mut browser, user) = maya(&app).await;

    let empty = browser.get("/stakeholders").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Map the people you work through"), "empty state teaches");
    assert!(empty.body.contains("href=\"/stakeholders/new?function=customer-success\""));

    let form = browser.get("/stakeholders/new?function=sales").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Hit the quarter&#39;s quota") || form.body.contains("Hit the quarter's quota"));
    assert!(form.body.contains("<option value=\"sales\" selected>Sales</option>"), "function preselected");
    assert!(form.body.contains("id=\"cadence_days\" name=\"cadence_days\" value=\"14\""));
    assert!(form.body.contains("A PM or PMM who joins a key call when it matters"));
    assert_eq!(browser.get("/stakeholders/new?function=astrology").await.status, StatusCode::NOT_FOUND);
    let blank = browser.get("/stakeholders/new").await;
    assert!(blank.body.contains("<option value=\"\" selected>Choose a function…</option>"));

    let id = created_id(&post(&mut browser, "/stakeholders", &fields("Lena Okafor")).await);
    let stored = app.store.stakeholder(user.id, id).await.expect("stored");
    assert_eq!(stored.profile.goals, "Ship the queue migration\nProtect focus time");
    assert_eq!((stored.profile.influence, stored.profile.interest, stored.profile.health), (5, 4, 4));
    assert_eq!(stored.profile.cadence_days, Some(14));
    assert_eq!(stored.profile.title.as_deref(), Some("Engineering lead, Route Planning"));

    let list = browser.get("/stakeholders").await;
    assert_eq!(list.status, StatusCode::OK);
    let grid = svg(&list);
    assert!(grid.contains(&format!("href=\"/stakeholders/{id}\"")), "a dot links to the stakeholder");
    assert!(grid.contains(">Lena O.</text>"), "labelled dot");
    assert!(grid.contains("Lena Okafor, Engineering: influence 5, interest 4, relationship 4 (good)"));
    for quadrant in ["Manage closely", "Keep satisfied", "Keep informed", "Monitor"] {
        assert!(grid.contains(quadrant), "{quadrant}");
    }
    assert!(list.body.contains("<td data-label=\"Quadrant\">Manage closely</td>"), "the table says the same");
    assert!(list.body.contains("Nobody is waiting"), "no overdue 1:1 yet");

    let page = browser.get(&format!("/stakeholders/{id}?saved=created")).await;
    assert!(page.body.contains("Stakeholder added."));
    assert!(page.body.contains("Why does this estimate feel risky to you?"), "ask-why prompts of engineering");
}

#[tokio::test]
async fn bad_input_is_named_next_to_each_field_and_nothing_typed_is_lost() {
    let app = TestApp::spawn().await;
    let (mut browser, user) = maya(&app).await;
    let huge = "x".repeat(4_001);
    let mut bad = fields("   ");
    for (name, value) in [
        ("function", "astrology"),
        ("influence", "0"),
        ("interest", "6"),
        ("cadence_days", "366"),
        ("last_met", iso(3).as_str()),
        ("goals", huge.as_str()),
        ("channel", "Only on Tuesdays"),
    ] {
        bad = with(bad, name, value);
    }
    let page = post(&mut browser, "/stakeholders", &bad).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    for message in [
        "id=\"name-error\">Enter their name.",
        "id=\"function-error\">Choose one of the functions in the list.",
        "id=\"influence-error\">Choose how much influence they have on the scale from 1 to 5.",
        "id=\"interest-error\">Choose how much interest they have in your work on the scale from 1 to 5.",
        "id=\"cadence_days-error\">Give a cadence from 1 to 365 days",
        "id=\"last_met-error\">That day has not happened yet",
        "id=\"goals-error\">Their goals run to 4001 characters; keep them to 4000.",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(page.body.contains(">Only on Tuesdays</textarea>"), "what was typed comes back");
    assert!(page.body.contains(&huge), "even the text that was too long");
    assert!(page.body.contains("Please check the 7 fields marked below"));

    let long_name = "N".repeat(201);
    let page = post(&mut browser, "/stakeholders", &with(fields("x"), "name", &long_name)).await;
    assert!(page.body.contains("Keep their name to 200 characters or fewer."));
    let page = post(&mut browser, "/stakeholders", &with(fields("Lena"), "health", "five")).await;
    assert!(page.body.contains("Choose how healthy the relationship is on the scale from 1 to 5."));
    let page = post(&mut browser, "/stakeholders", &with(fields("Lena"), "last_met", "2026-02-30")).await;
    assert!(page.body.contains("Enter a date as YYYY-MM-DD"));
    let page = post(&mut browser, "/stakeholders", &with(fields("Lena"), "cadence_days", "0")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    assert!(app.store.stakeholders(user.id).await.expect("list").is_empty(), "nothing stored");
    // Without the CSRF token nothing happens either.
    let lena = fields("Lena");
    let raw: Vec<(&str, &str)> = lena.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(browser.post_raw("/stakeholders", &raw).await.status, StatusCode::FORBIDDEN);
    assert!(app.store.stakeholders(user.id).await.expect("list").is_empty());
}

#[tokio::test]
async fn a_logged_meeting_moves_the_last_meeting_and_clears_the_overdue_1_1() {
    let app = TestApp::spawn().await;
    let (mut browser, user) = maya(&app).await;
    let late = with(with(fields("Rachel Kim"), "cadence_days", "7"), "last_met", &iso(-10));
    let rachel = created_id(&post(&mut browser, "/stakeholders", &with(late, "function", "sales")).await);
    let on_time = with(fields("Tomás Herrera"), "last_met", &iso(-2));
    let tomas = created_id(&post(&mut browser, "/stakeholders", &on_time).await);
    // Never met, added long ago: counts from when they were added.
    let profile = StakeholderProfile {
        name: "Marcus Webb".to_owned(),
        function_id: "finance".to_owned(),
        influence: 4,
        interest: 2,
        health: 3,
        cadence_days: Some(30),
        ..StakeholderProfile::default()
    };
    let marcus = app.store.create_stakeholder(user.id, &profile, now_millis() - 40 * DAY).await.expect("create");

    let list = browser.get("/stakeholders").await;
    let overdue = &list.body[list.body.find("id=\"overdue-heading\"").expect("overdue card")..];
    let overdue = &overdue[..overdue.find("</section>").expect("end")];
    let (at_marcus, at_rachel) =
        (overdue.find("Marcus Webb").expect("Marcus overdue"), overdue.find("Rachel Kim").expect("Rachel overdue"));
    assert!(at_marcus < at_rachel, "most overdue first");
    assert!(overdue.contains("10 days overdue") && overdue.contains("3 days overdue"), "{overdue}");
    assert!(!overdue.contains("Tomás"), "met two days ago: on track");
    assert!(overdue.contains(&format!("href=\"/stakeholders/{rachel}#log-meeting\"")), "log a meeting action");
    let dashboard = browser.get("/").await;
    assert!(dashboard.body.contains("3 on your map."), "dashboard card counts");
    assert!(dashboard.body.contains(&format!("<a href=\"/stakeholders/{}\">Marcus Webb</a>", marcus.id)));

    // A meeting in the future, or with nothing written, is refused and kept.
    let path = format!("/stakeholders/{rachel}/meetings");
    let future = [("date", iso(5)), ("notes", "Planned call".to_owned())];
    let page = browser.post_form(&path, &future.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("id=\"date-error\">That day has not happened yet"));
    assert!(page.body.contains(">Planned call</textarea>"), "notes kept");
    let page = browser.post_form(&path, &[("date", iso(0).as_str())]).await;
    assert!(page.body.contains("Write down at least one thing"));
    let huge = "n".repeat(4_001);
    let page = browser.post_form(&path, &[("date", iso(0).as_str()), ("notes", huge.as_str())]).await;
    assert!(page.body.contains("The notes run to 4001 characters; keep them to 4000."));
    assert!(app.store.meetings(user.id, rachel).await.expect("meetings").is_empty());

    let today = iso(0);
    let logged = browser
        .post_form(
            &path,
            &[
                ("date", today.as_str()),
                ("notes", "Two deals slipped on multi-depot.\nWhy now? Quota went up 30%."),
                ("decisions", "Give date ranges, not dates."),
                ("follow_ups", "Send the revised plan\nJoin the Kestrel demo"),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER);
    assert_eq!(logged.location(), Some(format!("/stakeholders/{rachel}?saved=meeting#meetings").as_str()));
    let stored = app.store.stakeholder(user.id, rachel).await.expect("load");
    let midnight = OffsetDateTime::now_utc().date().midnight().assume_utc().unix_timestamp() * 1000;
    assert_eq!(stored.profile.last_met_at, Some(midnight));

    let page = browser.get(&format!("/stakeholders/{rachel}")).await;
    assert!(page.body.contains("Why did this deal stall: the feature, the price or the timing?"), "sales prompts");
    assert!(page.body.contains("Two deals slipped on multi-depot."));
    assert!(page.body.contains("opens the message coach set for sales reps"), "the coach's name for its readers");
    assert!(page.body.contains("<li>Join the Kestrel demo</li>"));
    // The follow-up opens the coach for sales, as an update, with the follow-ups as the draft.
    let profile_link = page.body.find("/coach?audience=sales").map(|at| &page.body[at..at + 60]);
    assert!(
        page.body.contains("href=\"/coach?audience=sales&#38;kind=update\""),
        "profile follow-up: {profile_link:?}"
    );
    let start = page.body.find("href=\"/coach?audience=sales&#38;kind=update&#38;text=").expect("meeting follow-up");
    let href = &page.body[start + 6..];
    let href = href[..href.find('"').expect("end")].replace("&#38;", "&");
    let coach = browser.get(&href).await;
    assert_eq!(coach.status, StatusCode::OK);
    assert!(coach.body.contains("<option value=\"sales\""), "{}", &coach.body[..200]);
    assert!(coach.body.contains("selected>sales") || coach.body.contains(" selected>"));
    let selected = &coach.body[coach.body.find("<option value=\"sales\"").expect("sales")..];
    assert!(selected[..selected.find('>').expect("tag end")].contains("selected") || selected.contains("selected>"));
    assert!(coach.body.contains("Hi Rachel,"), "draft greets them");
    assert!(coach.body.contains("- Send the revised plan\n- Join the Kestrel demo"), "follow-ups as bullets");

    let list = browser.get("/stakeholders").await;
    let overdue = &list.body[list.body.find("id=\"overdue-heading\"").expect("overdue card")..];
    let overdue = &overdue[..overdue.find("</section>").expect("end")];
    assert!(!overdue.contains("Rachel Kim"), "met today: no longer overdue");
    assert!(overdue.contains("Marcus Webb"));
    let _ = tomas;
}

#[tokio::test]
async fn the_coach_takes_the_audience_kind_and_draft_from_the_link() {
    let app = TestApp::spawn().await;
    let (mut browser, _) = maya(&app).await;
    let page =
        browser.get("/coach?audience=customer-success&kind=update&text=Hi%20Daniel%2C%0A%0A-%20Send%20notes").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<option value=\"customer-success\""));
    let option = &page.body[page.body.find("<option value=\"customer-success\"").expect("option")..];
    assert!(option[..option.find('>').expect("end")].ends_with("selected"), "preselected");
    assert!(page.body.contains(">Hi Daniel,\n\n- Send notes</textarea>"));
    let kind = &page.body[page.body.find("<option value=\"update\"").expect("kind")..];
    assert!(kind[..kind.find('>').expect("end")].ends_with("selected"));
    // An unknown audience still opens the coach, and script in the text stays text.
    let page = browser.get("/coach?audience=board&text=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.body.find("id=\"text\"").map(|at| &page.body[at..at + 400]);
    assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{text:?}");
    assert!(!page.body.contains("<script>alert(1)"));
}

#[tokio::test]
async fn another_members_stakeholder_is_a_404_and_stays_unchanged() {
    let app = TestApp::spawn().await;
    let (mut maya, maya_user) = maya(&app).await;
    let (mut theo, theo_user) = app.member("theo@northwind.test", "Theo Brandt", OrgRole::Manager, None).await;
    let id = created_id(&post(&mut maya, "/stakeholders", &fields("Lena Okafor")).await);
    let before = app.store.stakeholder(maya_user.id, id).await.expect("load");

    for path in [format!("/stakeholders/{id}"), format!("/stakeholders/{id}/edit")] {
        let page = theo.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Lena"), "{path} leaks nothing");
    }
    let edits = [
        (format!("/stakeholders/{id}/edit"), fields("Hijacked")),
        (format!("/stakeholders/{id}/meetings"), vec![("date", iso(0)), ("notes", "spy".to_owned())]),
        (format!("/stakeholders/{id}/archive"), vec![("archived", "yes".to_owned())]),
        (format!("/stakeholders/{id}/delete"), vec![("confirm", "yes".to_owned())]),
    ];
    for (path, form) in &edits {
        assert_eq!(post(&mut theo, path, form).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.store.stakeholder(maya_user.id, id).await.expect("still there"), before);
    assert!(app.store.meetings(maya_user.id, id).await.expect("meetings").is_empty());
    assert!(!theo.get("/stakeholders").await.body.contains("Lena"), "not on Theo's map");
    assert!(app.store.stakeholders(theo_user.id).await.expect("list").is_empty());
    for path in ["/stakeholders/0", "/stakeholders/abc", "/stakeholders/99999999999999999999", "/stakeholders/-1/edit"]
    {
        assert_eq!(maya.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.client().get(&format!("/stakeholders/{id}")).await.status, StatusCode::SEE_OTHER, "sign in first");
}

#[tokio::test]
async fn a_name_with_markup_is_escaped_in_the_page_the_table_and_the_svg() {
    let app = TestApp::spawn().await;
    let (mut browser, _) = maya(&app).await;
    let evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let id = created_id(&post(&mut browser, "/stakeholders", &with(fields(evil), "name", evil)).await);
    for path in ["/stakeholders".to_owned(), format!("/stakeholders/{id}"), format!("/stakeholders/{id}/edit")] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<script>alert"), "{path}");
        assert!(!page.body.contains("<img src=x"), "{path}");
        // askama escapes with numeric entities.
        assert!(page.body.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"), "{path}");
    }
    let list = browser.get("/stakeholders").await;
    let grid = svg(&list);
    assert!(grid.contains(
        "<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;, Engineering"
    ));
    assert!(!grid.contains("<img"));
}

#[tokio::test]
async fn archiving_restoring_editing_and_deleting() {
    let app = TestApp::spawn().await;
    let (mut browser, user) = maya(&app).await;
    let late = with(with(fields("Inês Duarte"), "cadence_days", "7"), "last_met", &iso(-30));
    let id = created_id(&post(&mut browser, "/stakeholders", &with(late, "function", "legal")).await);

    let edit = browser.get(&format!("/stakeholders/{id}/edit")).await;
    assert!(edit.body.contains("<option value=\"legal\" selected>Legal</option>"));
    assert!(edit.body.contains(&format!("value=\"{}\"", iso(-30))), "last meeting in the form");
    let bad =
        post(&mut browser, &format!("/stakeholders/{id}/edit"), &with(fields("Inês Duarte"), "interest", "9")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let saved = post(
        &mut browser,
        &format!("/stakeholders/{id}/edit"),
        &with(with(with(fields("Inês Duarte"), "function", "legal"), "cadence_days", ""), "interest", "1"),
    )
    .await;
    assert_eq!(saved.location(), Some(format!("/stakeholders/{id}?saved=updated").as_str()));
    let stored = app.store.stakeholder(user.id, id).await.expect("load");
    assert_eq!((stored.profile.cadence_days, stored.profile.interest, stored.profile.last_met_at), (None, 1, None));
    assert!(browser.get("/stakeholders").await.body.contains("<td data-label=\"1:1\">no regular 1:1</td>"));

    let archived = browser.post_form(&format!("/stakeholders/{id}/archive"), &[("archived", "yes")]).await;
    assert_eq!(archived.location(), Some("/stakeholders?saved=archived"));
    let list = browser.get("/stakeholders?saved=archived").await;
    assert!(list.body.contains("Archived (1)"));
    assert!(!list.body.contains("stakeholder-grid\""), "an empty map shows the empty state, not the grid");
    assert!(app.store.stakeholder(user.id, id).await.expect("load").archived_at.is_some());
    browser.post_form(&format!("/stakeholders/{id}/archive"), &[("archived", "no")]).await;
    assert!(svg(&browser.get("/stakeholders").await).contains(&format!("/stakeholders/{id}")));
    let odd = browser.post_form(&format!("/stakeholders/{id}/archive"), &[("archived", "maybe")]).await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);

    let unconfirmed = browser.post_form(&format!("/stakeholders/{id}/delete"), &[]).await;
    assert_eq!(unconfirmed.location(), Some(format!("/stakeholders/{id}/edit?confirm=missing#delete").as_str()));
    let page = browser.get(&format!("/stakeholders/{id}/edit?confirm=missing")).await;
    assert!(page.body.contains("Tick the box to confirm"));
    assert!(app.store.stakeholder(user.id, id).await.is_ok(), "still there");
    let deleted = browser.post_form(&format!("/stakeholders/{id}/delete"), &[("confirm", "yes")]).await;
    assert_eq!(deleted.location(), Some("/stakeholders?saved=deleted"));
    assert_eq!(browser.get(&format!("/stakeholders/{id}")).await.status, StatusCode::NOT_FOUND);
}

async fn token(browser: &mut Client) -> String {
    let page = browser.post_form("/settings/tokens", &[("name", "crm sync")]).await;
    let start = page.body.find("value=\"pmc_").expect("the new token is shown") + 7;
    page.body[start..].chars().take_while(|c| *c != '"').collect()
}

async fn api(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Page {
    let token = token.to_owned();
    app.client()
        .send(method, path, |r| {
            let r = r.bearer_auth(token);
            match body {
                Some(body) => r.json(&body),
                None => r,
            }
        })
        .await
}

#[tokio::test]
async fn the_api_lists_adds_and_shows_only_the_token_owners_stakeholders() {
    let app = TestApp::spawn().await;
    let (mut maya, maya_user) = maya(&app).await;
    let (mut theo, _) = app.member("theo@northwind.test", "Theo Brandt", OrgRole::Member, None).await;
    let maya_token = token(&mut maya).await;
    let theo_token = token(&mut theo).await;

    let created = api(
        &app,
        &maya_token,
        Method::POST,
        "/api/v1/stakeholders",
        Some(json!({"name": "Daniel Mensah", "function": "customer-success", "influence": 2, "interest": 5, "health": 3})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_i64().expect("id");
    assert_eq!(body["function_name"], "Customer success");
    assert_eq!(body["quadrant"], "Keep informed");
    assert_eq!(body["cadence_days"], 14, "the template's cadence");
    assert_eq!(body["goals"][0], "Keep churn down and renewals on track", "the template's goals");
    assert_eq!(body["overdue"], false);
    let without_cadence = api(
        &app,
        &maya_token,
        Method::POST,
        "/api/v1/stakeholders",
        Some(json!({"name": "Ben", "function": "design", "influence": 1, "interest": 1, "health": 5,
            "cadence_days": 0, "goals": ["Fewer one-off screens"]})),
    )
    .await
    .json();
    assert_eq!(without_cadence["cadence_days"], Value::Null);
    assert_eq!(without_cadence["goals"], json!(["Fewer one-off screens"]));

    app.store
        .log_meeting(
            maya_user.id,
            id,
            &pmcoach_store::stakeholders::NewMeeting {
                met_at: 1_760_000_000_000 - 1_760_000_000_000 % DAY,
                notes: "Churn risk at Fjordline".to_owned(),
                decisions: String::new(),
                follow_ups: "Share the roadmap\nCall Sofia".to_owned(),
            },
            now_millis(),
        )
        .await
        .expect("meeting");
    let one = api(&app, &maya_token, Method::GET, &format!("/api/v1/stakeholders/{id}"), None).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let one = one.json();
    assert_eq!(one["stakeholder"]["name"], "Daniel Mensah");
    assert_eq!(one["stakeholder"]["last_met"], "2025-10-09");
    assert_eq!(one["meetings"][0]["follow_ups"], json!(["Share the roadmap", "Call Sofia"]));
    assert_eq!(one["meetings"][0]["date"], "2025-10-09");

    let list = api(&app, &maya_token, Method::GET, "/api/v1/stakeholders", None).await.json();
    let names: Vec<&str> =
        list["stakeholders"].as_array().expect("list").iter().map(|s| s["name"].as_str().expect("name")).collect();
    assert_eq!(names, ["Ben", "Daniel Mensah"]);

    // Theo's token sees none of it.
    let theirs = api(&app, &theo_token, Method::GET, &format!("/api/v1/stakeholders/{id}"), None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.json()["error"]["code"], "not_found");
    assert!(!theirs.body.contains("Daniel"));
    assert_eq!(
        api(&app, &theo_token, Method::GET, "/api/v1/stakeholders", None).await.json()["stakeholders"],
        json!([])
    );
    assert_eq!(api(&app, &maya_token, Method::GET, "/api/v1/stakeholders/x", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().get("/api/v1/stakeholders").await.status, StatusCode::UNAUTHORIZED);

    let bad = api(
        &app,
        &maya_token,
        Method::POST,
        "/api/v1/stakeholders",
        Some(json!({"name": "", "function": "board", "influence": 0, "interest": 6, "health": 3, "cadence_days": 400})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let message = bad.json()["error"]["message"].as_str().expect("message").to_owned();
    for part in
        ["`name`", "`function` must be one of: engineering, design", "`influence`", "`interest`", "`cadence_days`"]
    {
        assert!(message.contains(part), "{part} in {message}");
    }
    let unknown =
        api(&app, &maya_token, Method::POST, "/api/v1/stakeholders", Some(json!({"name": "A", "colour": "red"}))).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.store.stakeholders(maya_user.id).await.expect("list").len(), 2);

    let doc = app.client().get("/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/stakeholders"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/stakeholders/{stakeholder}"]["get"].is_object());
}

#[tokio::test]
async fn the_whole_flow_on_postgres() {
    let Some(app) = TestApp::spawn_on_postgres().await else {
        eprintln!("PMCOACH_TEST_PG_URL is not set: skipping the PostgreSQL flow");
        return;
    };
    let (mut browser, user) = maya(&app).await;
    let (mut theo, _) = app.member("theo@northwind.test", "Theo Brandt", OrgRole::Member, None).await;
    let form = browser.get("/stakeholders/new?function=leadership").await;
    assert!(form.body.contains("Have a date and a story they can repeat to the board"));
    let late = with(with(fields("Helen Zhao"), "function", "leadership"), "last_met", &iso(-40));
    let late = with(late, "cadence_days", "30");
    let id = created_id(&post(&mut browser, "/stakeholders", &late).await);
    let list = browser.get("/stakeholders").await;
    assert!(svg(&list).contains(">Helen Z.</text>"));
    assert!(list.body.contains("10 days overdue"));
    let bad = post(&mut browser, "/stakeholders", &with(fields(""), "influence", "6")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let logged = browser
        .post_form(
            &format!("/stakeholders/{id}/meetings"),
            &[("date", iso(0).as_str()), ("notes", "Board wants one date."), ("follow_ups", "Send the date")],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER);
    let page = browser.get(&format!("/stakeholders/{id}")).await;
    assert!(page.body.contains("Board wants one date."));
    assert!(page.body.contains("href=\"/coach?audience=exec&#38;kind=update&#38;text="));
    assert!(!browser.get("/stakeholders").await.body.contains("10 days overdue"));
    assert_eq!(theo.get(&format!("/stakeholders/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        post(&mut theo, &format!("/stakeholders/{id}/delete"), &[("confirm", "yes".to_owned())]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(app.store.overdue_one_on_ones(now_millis()).await.expect("overdue").is_empty());
    assert_eq!(app.store.meetings(user.id, id).await.expect("meetings").len(), 1);
}
