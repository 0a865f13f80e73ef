//! The message coach: the page, the plain form submit, the live fragment
//! and the script that drives it.

use pmcoach_store::OrgRole;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::TestApp;
use crate::harness::{Client, Page};

const AUDIENCES: [&str; 7] = ["exec", "engineering", "sales", "customer-success", "customer", "design", "peer"];
const KINDS: [&str; 5] = ["update", "request", "announcement", "reply", "collateral"];

/// A status update with no ask in it.
const NO_ASK: &str = "The billing migration finished on Tuesday. Invoices now go out from the new system \
                      and the old one is read-only.";

async fn member(app: &TestApp) -> Client {
    app.setup().await;
    app.member("maya@northwind.test", "Maya", OrgRole::Member, None).await.0
}

/// The `<option>` tag for `value` in the select named `name`.
fn option<'a>(page: &'a Page, name: &str, value: &str) -> &'a str {
    let select = page.body.find(&format!("<select id=\"{name}\"")).expect("select");
    let rest = &page.body[select..];
    let start = rest.find(&format!("<option value=\"{value}\"")).unwrap_or_else(|| panic!("no option {value}"));
    let end = rest[start..].find('>').expect("end of option") + start;
    &rest[start..end]
}

fn score(page: &Page) -> u8 {
    let marker = "data-score=\"";
    let start = page.body.find(marker).unwrap_or_else(|| panic!("no score: {}", page.body)) + marker.len();
    let digits: String = page.body[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("score is a number")
}

async fn live(client: &mut Client, body: serde_json::Value, csrf: Option<&str>) -> Page {
    let token = csrf.map(str::to_owned);
    client
        .send(Method::POST, "/coach/live", |request| {
            let request = request.json(&body);
            match token {
                Some(token) => request.header("x-csrf-token", token),
                None => request,
            }
        })
        .await
}

#[tokio::test]
async fn the_coach_page_offers_every_audience_and_kind_and_teaches_first() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;
    let page = maya.get("/coach").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for audience in AUDIENCES {
        assert!(option(&page, "audience", audience).contains("data-needs=\""), "{audience} has its needs");
    }
    for kind in KINDS {
        option(&page, "kind", kind);
    }
    assert!(option(&page, "kind", "").contains("selected"), "\"not sure\" is the default kind");
    assert!(option(&page, "audience", "exec").contains("selected"));
    assert!(page.body.contains("<label for=\"text\">") && page.body.contains("<textarea id=\"text\" name=\"text\""));
    // The empty state says what the coach looks for and offers examples.
    assert!(page.body.contains("What the coach looks for"));
    assert!(page.body.contains("href=\"/coach?example=exec-update\""));
    assert!(page.body.contains("<script src=\"/static/coach.js\" defer></script>"));
    assert!(!page.body.contains("data-score"), "nothing is checked yet");

    // A link can preselect the audience and the kind.
    let page = maya.get("/coach?audience=sales&kind=request").await;
    assert!(option(&page, "audience", "sales").contains("selected"));
    assert!(!option(&page, "audience", "exec").contains("selected"));
    assert!(option(&page, "kind", "request").contains("selected"));
    // An unknown one still opens the coach.
    let page = maya.get("/coach?audience=board&kind=memo").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(option(&page, "audience", "exec").contains("selected"));
}

#[tokio::test]
async fn an_example_fills_the_form_and_an_unknown_one_is_not_found() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;
    let page = maya.get("/coach?example=customer-reply").await;
    assert_eq!(page.status, StatusCode::OK);
    let textarea = page.body.find("<textarea id=\"text\"").expect("textarea");
    let filled = &page.body[textarea..page.body[textarea..].find("</textarea>").expect("end") + textarea];
    assert!(filled.contains("Hi Marco,"), "{filled}");
    assert!(option(&page, "audience", "customer").contains("selected"));
    assert!(option(&page, "kind", "reply").contains("selected"));
    assert_eq!(maya.get("/coach?example=no-such-draft").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_request_to_an_exec_without_an_ask_gets_an_ask_finding_and_a_score() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;
    let page = maya.post_form("/coach", &[("text", NO_ASK), ("audience", "exec"), ("kind", "request")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(">ask</code>"), "{}", page.body);
    assert!(page.body.contains("No explicit ask in this request"));
    assert!(score(&page) < 100);
    for dimension in ["Clarity", "Brevity", "Actionability", "Audience fit", "Empathy"] {
        assert!(page.body.contains(&format!("<span class=\"dim-name\">{dimension}</span>")), "{dimension}");
    }
    assert!(page.body.contains("Reading grade") && page.body.contains("within the budget of 200"));
    // The finding and its mark link to each other.
    assert!(page.body.contains("<li id=\"finding-1\" class=\"finding sev-error\""));
    assert!(page.body.contains(
        "<span class=\"mark-anchor\" id=\"mark-1\"></span><mark class=\"sev-error\"><a href=\"#finding-1\">"
    ));
    assert!(page.body.contains("href=\"#mark-1\""));
    // Everything typed is kept.
    assert!(page.body.contains(NO_ASK));
    assert!(option(&page, "kind", "request").contains("selected"));

    // The same message as an update needs no ask.
    let update = maya.post_form("/coach", &[("text", NO_ASK), ("audience", "exec"), ("kind", "update")]).await;
    assert!(!update.body.contains(">ask</code>"));
    assert!(score(&update) > score(&page));
}

#[tokio::test]
async fn the_marked_message_is_html_escaped() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;
    let text = "We need the <script>alert(\"x\")</script> fix ASAP & the team is working on it.";
    let page = maya.post_form("/coach", &[("text", text), ("audience", "exec"), ("kind", "request")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    // askama writes `<`, `>`, `&` and `"` as numeric references.
    assert!(page.body.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;"), "{}", page.body);
    assert!(!page.body.contains("ASAP & the"));
    // "ASAP" is marked, and the text around the marks is intact.
    let marked = &page.body[page.body.find("class=\"marked-text\"").expect("marked text")..];
    assert!(marked.contains(">ASAP<span class=\"visually-hidden\">"), "{marked}");
    assert!(marked.contains("&#60;/script&#62; fix "));
    assert!(marked.contains(" &#38; the team"));
}

#[tokio::test]
async fn invalid_values_get_400_next_to_their_field_and_keep_the_text() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;

    let page = maya.post_form("/coach", &[("text", NO_ASK), ("audience", "board"), ("kind", "memo")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("<p class=\"field-error\" id=\"audience-error\">Choose one of the audiences"));
    assert!(page.body.contains("<p class=\"field-error\" id=\"kind-error\">Choose one of the kinds"));
    assert!(page.body.contains(NO_ASK), "the text is kept");
    assert!(!page.body.contains("data-score"));

    let page = maya.post_form("/coach", &[("text", "  \n "), ("audience", "exec"), ("kind", "")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("<p class=\"field-error\" id=\"text-error\">Paste or type the message"));
    assert!(page.body.contains("aria-invalid=\"true\" aria-describedby=\"text-error\""));

    let long = "Ship it. ".repeat(11_112);
    let page = maya.post_form("/coach", &[("text", &long), ("audience", "sales"), ("kind", "update")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("the coach checks up to 100,000"), "{}", &page.body[..2000]);
    assert!(page.body.contains(&long), "the long text is kept too");
    assert!(option(&page, "audience", "sales").contains("selected"));
}

#[tokio::test]
async fn the_live_check_returns_the_result_fragment_and_needs_the_csrf_header() {
    let app = TestApp::spawn().await;
    let mut maya = member(&app).await;
    let token = maya.csrf_token().await;
    let body = json!({ "text": NO_ASK, "audience": "exec", "kind": "request" });

    let page = live(&mut maya, body.clone(), Some(&token)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.headers["content-type"].to_str().is_ok_and(|t| t.starts_with("text/html")));
    assert!(page.body.trim_start().starts_with("<div class=\"coach-result\""), "{}", page.body);
    assert!(!page.body.contains("<html") && !page.body.contains("<textarea"), "a fragment, not a page");
    assert!(page.body.contains(">ask</code>") && page.body.contains("data-summary=\"Score "));
    // The same renderer as the full page.
    let full = maya.post_form("/coach", &[("text", NO_ASK), ("audience", "exec"), ("kind", "request")]).await;
    assert!(full.body.contains(page.body.trim()), "the page embeds the same fragment");

    let refused = live(&mut maya, body.clone(), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let forged = live(&mut maya, body, Some("not-the-token")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let invalid = live(&mut maya, json!({ "text": NO_ASK, "audience": "board" }), Some(&token)).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.json()["error"]["code"], "invalid");
    assert!(invalid.json()["error"]["message"].as_str().is_some_and(|m| m.contains("audiences")));

    // Clearing the box brings back the teaching empty state.
    let empty = live(&mut maya, json!({ "text": "", "audience": "exec", "kind": "" }), Some(&token)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("data-empty=\"true\"") && empty.body.contains("Try an example"));

    let anonymous = live(&mut app.client(), json!({ "text": NO_ASK, "audience": "exec" }), Some(&token)).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_coach_script_is_served_as_javascript() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/static/coach.js").await;
    assert_eq!(page.status, StatusCode::OK);
    let content_type = page.headers["content-type"].to_str().expect("content type");
    assert_eq!(content_type, "text/javascript; charset=utf-8");
    assert_eq!(page.headers["cache-control"], "public, max-age=3600");
    assert!(page.body.contains("/coach/live") && page.body.contains("x-csrf-token"));
}
