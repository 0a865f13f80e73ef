//! Browser tests of the stakeholder map (issue 6): add a stakeholder from a
//! template and find them on the grid, log a meeting, and follow "draft a
//! follow-up" into the coach with the audience preselected.

use std::time::Duration;

use fantoccini::Locator;
use pmcoach_store::OrgRole;

use crate::TestApp;
use crate::browser::Browser;
use crate::harness::PASSWORD;

async fn value(browser: &Browser, css: &str) -> String {
    let element = browser.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    element.prop("value").await.expect("value").unwrap_or_default()
}

/// Waits for the submit to land on a stakeholder's page; returns its id.
async fn arrive_at_stakeholder(browser: &Browser) -> i64 {
    for _ in 0..100 {
        let path = browser.path().await;
        if let Some(id) = path.strip_prefix("/stakeholders/").and_then(|rest| rest.parse::<i64>().ok()) {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected a stakeholder's page, still at {}", browser.path().await);
}

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn add_from_a_template_see_them_on_the_grid_log_a_meeting_and_draft_a_follow_up() {
    let app = TestApp::spawn().await;
    app.setup().await;
    app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/signin")).await;
    browser.fill("#email", "maya@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.click_and_load("form[action='/signin'] button[type=submit]").await;
    browser.arrive("/").await;

    // The empty map offers the function templates.
    browser.goto(&app.url("/stakeholders")).await;
    assert!(browser.page_text().await.contains("Map the people you work through"));
    browser.click_and_load("a[href='/stakeholders/new?function=engineering']").await;
    browser.arrive("/stakeholders/new").await;
    let goals = value(&browser, "#goals").await;
    assert!(goals.contains("Pay down the technical debt"), "prefilled goals: {goals}");
    assert!(value(&browser, "#needs").await.contains("Being consulted early"));
    assert_eq!(value(&browser, "#function").await, "engineering");
    assert_eq!(value(&browser, "#cadence_days").await, "14");

    browser.fill("#name", "Lena Okafor").await;
    browser.fill("#title", "Engineering lead, Route Planning").await;
    browser.select("#influence", "5").await;
    browser.select("#interest", "4").await;
    browser.click_and_load("form.stakeholder-form button[type=submit]").await;
    let id = arrive_at_stakeholder(&browser).await;
    assert!(browser.page_text().await.contains("Stakeholder added."));

    // On the grid: a labelled dot in "manage closely", linking to the page.
    browser.goto(&app.url("/stakeholders")).await;
    let dot = format!("svg.stakeholder-grid a[href='/stakeholders/{id}'] text");
    assert_eq!(browser.text(&dot).await, "Lena O.");
    assert!(browser.text("table.stakeholder-table").await.contains("Manage closely"));

    // Log a meeting beside the ask-why prompts.
    browser.goto(&app.url(&format!("/stakeholders/{id}"))).await;
    assert!(browser.text(".ask-why").await.contains("Why does this estimate feel risky to you?"));
    browser.fill("#notes", "Multi-stop is two sprints: the carrier API has no batch endpoint.").await;
    browser.fill("#follow_ups", "Send the scope doc").await;
    browser.click_and_load("form.meeting-form button[type=submit]").await;
    assert_eq!(arrive_at_stakeholder(&browser).await, id);
    let history = browser.text("#meetings").await;
    assert!(history.contains("the carrier API has no batch endpoint"), "{history}");

    // The follow-up opens the coach for engineers with the draft filled in.
    browser.click_and_load(".meeting-head a").await;
    browser.arrive("/coach").await;
    assert_eq!(value(&browser, "#audience").await, "engineering");
    assert_eq!(value(&browser, "#kind").await, "update");
    let draft = value(&browser, "#text").await;
    assert!(draft.starts_with("Hi Lena,"), "{draft}");
    assert!(draft.contains("- Send the scope doc"), "{draft}");
    browser.close().await;
}
