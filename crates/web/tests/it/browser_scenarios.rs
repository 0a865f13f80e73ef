//! Browser test of scenario practice (issue 7): a person rates every option
//! of one scenario, reads the keyed feedback, answers a second scenario of
//! the same skill in the best/worst format, and sees the skill score move.

use fantoccini::Locator;
use pmcoach_core::framework::Framework;
use pmcoach_core::scenarios::{ScenarioBank, percent, rating_score};
use pmcoach_store::OrgRole;

use crate::TestApp;
use crate::browser::Browser;
use crate::harness::PASSWORD;

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn browser_practise_a_scenario_see_the_feedback_and_the_skill_score_move() {
    let framework = Framework::embedded().expect("framework");
    let bank = ScenarioBank::embedded(&framework).expect("bank");
    let mut empathy = bank.for_skill("empathy");
    let (first, second) = (empathy.next().expect("first"), empathy.next().expect("second"));

    let app = TestApp::spawn().await;
    app.setup().await;
    app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/signin")).await;
    browser.fill("#email", "maya@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.click_and_load("form[action='/signin'] button[type=submit]").await;
    browser.arrive("/").await;

    // From the list to the first scenario; rate every option 1.
    browser.goto(&app.url("/scenarios?all=1&skill=empathy")).await;
    browser.click_and_load(&format!(".scenario-list a[href='/scenarios/{}']", first.id)).await;
    browser.arrive(&format!("/scenarios/{}", first.id)).await;
    for number in 1..=first.options.len() {
        browser.click(&format!("label[for='rating-{number}-1']")).await;
    }
    browser.click_and_load(".answer-form button[type=submit]").await;
    browser.arrive(&format!("/scenarios/{}", first.id)).await;
    let ones = vec![1u8; first.options.len()];
    let low = percent(rating_score(&first.keys(), &ones).expect("score"));
    let feedback = browser.text("#feedback").await;
    assert!(feedback.contains(&format!("Your score: {low} %")), "{feedback}");
    assert!(feedback.contains(first.options[0].why.split_whitespace().take(6).collect::<Vec<_>>().join(" ").as_str()));
    assert!(feedback.contains("You rated it 1"), "{feedback}");
    let moves = browser.text(".skill-moves").await;
    assert!(moves.contains(&format!("Empathy no score yet → {low} %")), "{moves}");

    // The second scenario of the skill, in the faster format, on the key.
    browser.goto(&app.url(&format!("/scenarios/{}", second.id))).await;
    browser.click_and_load(".format-switch a[href$='format=best-worst']").await;
    let best = second.best_options()[0] + 1;
    let min = second.keys().into_iter().min().expect("keys");
    let worst = second.options.iter().position(|o| o.key == min).expect("worst") + 1;
    browser.click(&format!("input[name=best][value='{best}']")).await;
    browser.click(&format!("input[name=worst][value='{worst}']")).await;
    browser.click_and_load(".answer-form button[type=submit]").await;
    browser.arrive(&format!("/scenarios/{}", second.id)).await;
    let feedback = browser.text("#feedback").await;
    assert!(feedback.contains("Your score: 100 %"), "{feedback}");
    // Mean of the two first answers, as the per-skill score defines it.
    let mean = percent((rating_score(&first.keys(), &ones).expect("score") + 1.0) / 2.0);
    let moved = browser
        .client
        .find(Locator::Css(".skill-move.moved"))
        .await
        .expect("the empathy score moved")
        .text()
        .await
        .expect("text");
    assert!(moved.contains(&format!("Empathy {low} % → {mean} %")), "{moved}");

    // The progress page charts it.
    browser.click_and_load(".skill-move.moved a").await;
    browser.arrive("/scenarios/progress").await;
    let page = browser.page_text().await;
    assert!(page.contains(&format!("{mean} %")), "{page}");
    browser.client.find(Locator::Css("svg.scenario-chart polyline")).await.expect("a line chart");
    browser.close().await;
}
