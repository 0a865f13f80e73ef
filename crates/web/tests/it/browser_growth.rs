//! Browser tests of the growth plan and practice log (issue 6): a person
//! with closed results picks focus skills from the suggestions, adds an
//! activity, logs practice and sees the streak, the calendar and the chart.

use fantoccini::Locator;
use pmcoach_store::OrgRole;

use crate::TestApp;
use crate::browser::Browser;
use crate::growth::closed_cycle;
use crate::harness::PASSWORD;

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn focus_skills_from_results_an_activity_and_practice_with_streak_and_chart() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (_, sam) = app.member("sam@northwind.test", "Sam Rivera", OrgRole::Manager, None).await;
    let (_, maya) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, Some(sam.id)).await;
    closed_cycle(&app, &maya, 20).await;

    let browser = Browser::start().await;
    browser.goto(&app.url("/signin")).await;
    browser.fill("#email", "maya@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.click_and_load("form[action='/signin'] button[type=submit]").await;
    browser.arrive("/").await;

    // The plan suggests focus skills from the results; focus on two of them.
    browser.goto(&app.url("/plan")).await;
    let suggestions = browser.text(".suggestions").await;
    assert!(suggestions.contains("Empathy") && suggestions.contains("Storytelling"), "{suggestions}");
    browser.fill("#goal-suggested-empathy", "Engineers hear the customer problem before the ticket").await;
    browser.click_and_load("#goal-suggested-empathy + button").await;
    browser.arrive("/plan").await;
    browser.fill("#goal-suggested-storytelling", "One customer story in every review").await;
    browser.click_and_load("#goal-suggested-storytelling + button").await;
    browser.arrive("/plan").await;
    let page = browser.page_text().await;
    assert!(page.contains("Focus skills\n2 of 3"), "{page}");
    let goal = browser.client.find(Locator::Css(".goal-form input[name=goal]")).await.expect("goal field");
    assert_eq!(
        goal.attr("value").await.expect("attr").as_deref(),
        Some("Engineers hear the customer problem before the ticket")
    );

    // Add one of the framework's activities to the first focus skill.
    browser.select(".focus-card select[name=activity]", "listen-to-customer-calls").await;
    browser.click_and_load(".focus-card .activity-form button[type=submit]").await;
    browser.arrive("/plan").await;
    let table = browser.text(".focus-card .activity-table").await;
    assert!(table.contains("Listen to two customer calls a week"), "{table}");

    // Log practice against that activity; the day defaults to today.
    browser.goto(&app.url("/practice")).await;
    browser.select("#entry-skill", "empathy").await;
    let activity = browser
        .client
        .find(Locator::Css("#entry-activity optgroup option"))
        .await
        .expect("the plan's activity is offered")
        .attr("value")
        .await
        .expect("attr")
        .expect("value");
    browser.select("#entry-activity", &activity).await;
    browser.fill("#entry-did", "Listened to the Harbor Bank month-end call").await;
    browser.fill("#entry-learned", "Their deadline is day three of the month").await;
    browser.click_and_load(".entry-form button[type=submit]").await;
    browser.arrive("/practice").await;

    // The streak, the entry, the calendar and a chart per focus skill.
    let tiles = browser.text(".streak-tiles").await;
    assert!(tiles.contains("1\nweek in a row") || tiles.contains("1 week in a row"), "{tiles}");
    let log = browser.text("#log").await;
    assert!(log.contains("Listened to the Harbor Bank month-end call") && log.contains("Their deadline"), "{log}");
    let calendar = browser.client.find(Locator::Css("svg.practice-calendar")).await.expect("calendar");
    assert_eq!(calendar.attr("role").await.expect("attr").as_deref(), Some("img"));
    assert!(calendar.attr("aria-label").await.expect("attr").is_some_and(|l| l.contains("1 entry")));
    let charts = browser.client.find_all(Locator::Css("svg.progress-chart")).await.expect("charts");
    assert_eq!(charts.len(), 2, "one chart per focus skill");
    let bars = browser.client.find_all(Locator::Css("svg.progress-chart rect.practice-bar")).await.expect("bars");
    assert_eq!(bars.len(), 1, "this week's practice is one bar");
    browser.close().await;
}
