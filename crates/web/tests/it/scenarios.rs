//! Scenario practice: issue 7 integration tests over HTTP. Answering in both
//! formats with keyed feedback, the blind first attempt, every kind of bad
//! input, the API never leaking keys before an answer, the scenario signal
//! on the results page, admin statistics and an export without names, and a
//! whole flow on PostgreSQL.

use pmcoach_core::framework::Framework;
use pmcoach_core::scenarios::{Scenario, ScenarioBank, percent, rating_score};
use pmcoach_store::{AttemptMode, OrgRole, User};
use reqwest::StatusCode;

use crate::TestApp;
use crate::harness::{Client, Page};

fn bank() -> ScenarioBank {
    let framework = Framework::embedded().expect("framework");
    ScenarioBank::embedded(&framework).expect("bank")
}

/// The first scenario of the bank that exercises `skill`.
fn scenario_for(bank: &ScenarioBank, skill: &str) -> Scenario {
    bank.for_skill(skill).next().expect("a scenario for the skill").clone()
}

fn ratings_of(keys: &[u8]) -> Vec<(String, String)> {
    keys.iter().enumerate().map(|(i, k)| (format!("rating-{}", i + 1), k.to_string())).collect()
}

async fn post(client: &mut Client, path: &str, fields: &[(String, String)]) -> Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(path, &borrowed).await
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

async fn token(client: &mut Client) -> String {
    let page = client.post_form("/settings/tokens", &[("name", "scenarios")]).await;
    let start = page.body.find("value=\"pmc_").expect("token") + 7;
    page.body[start..].chars().take_while(|c| *c != '"').collect()
}

/// Practises in both formats: the feedback shows every key and explanation,
/// the score by the documented method, and the skill score moving; the
/// first attempt is blind and the second is not.
async fn practise(app: &TestApp, maya: &mut Client, user: &User) {
    let bank = bank();
    let scenario = scenario_for(&bank, "empathy");
    let path = format!("/scenarios/{}", scenario.id);

    let list = maya.get("/scenarios").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!(r#"href="{path}""#)), "the list links the scenario");

    let question = maya.get(&path).await;
    assert_eq!(question.status, StatusCode::OK);
    assert!(question.body.contains(&scenario.options[0].text[..40]));
    for option in &scenario.options {
        assert!(!question.body.contains(&option.why[..40]), "no explanation before answering");
    }
    assert!(question.body.contains(r#"name="rating-1""#) && question.body.contains("?format=best-worst"));

    // Rating format: all 3s, scored by the documented formula.
    let threes = vec![3u8; scenario.options.len()];
    let mut fields = ratings_of(&threes);
    fields.push(field("format", "rating"));
    let answered = post(maya, &path, &fields).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let location = answered.location().expect("to the feedback").to_owned();
    assert!(location.starts_with(&format!("{path}?attempt=")), "{location}");
    let feedback = maya.get(&location).await;
    assert_eq!(feedback.status, StatusCode::OK);
    let expected = percent(rating_score(&scenario.keys(), &threes).expect("score"));
    assert!(feedback.body.contains(&format!("Your score: {expected} %")), "{}", feedback.body);
    assert!(feedback.body.contains("Rating score = 1 − "), "the method in one line");
    for option in &scenario.options {
        assert!(feedback.body.contains(&html_escape(&option.why)[..30]), "every explanation is shown");
        assert!(feedback.body.contains(&format!("Key {} of 5", option.key)));
    }
    assert!(feedback.body.contains("You rated it 3"));
    assert!(feedback.body.contains("First answer: counts towards your skills"));
    assert!(feedback.body.contains("no score yet") && feedback.body.contains(&format!("{expected} %</strong>")));
    assert!(feedback.body.contains(r#"rel="next""#), "a next scenario link");

    let stored = app.store.attempts(user.id).await.expect("attempts");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].blind);
    assert_eq!(stored[0].mode, AttemptMode::Practice);
    assert_eq!(percent(stored[0].score), expected);

    // Best/worst format, on the key: a repeat, practice only.
    let best = scenario.best_options()[0] + 1;
    let min = scenario.keys().into_iter().min().expect("keys");
    let worst = scenario.options.iter().position(|o| o.key == min).expect("worst") + 1;
    let page = maya.get(&format!("{path}?format=best-worst")).await;
    assert!(page.body.contains(r#"name="best""#) && page.body.contains("You have answered this scenario before"));
    let fields =
        vec![field("format", "best-worst"), field("best", &best.to_string()), field("worst", &worst.to_string())];
    let answered = post(maya, &path, &fields).await;
    let feedback = maya.get(answered.location().expect("feedback")).await;
    assert!(feedback.body.contains("Your score: 100 %"), "{}", feedback.body);
    assert!(feedback.body.contains("Best/worst score = "));
    assert!(feedback.body.contains("Your best: a top-keyed option."));
    assert!(feedback.body.contains("Repeat: practice only, not counted"));
    let stored = app.store.attempts(user.id).await.expect("attempts");
    assert_eq!(stored.iter().map(|a| a.blind).collect::<Vec<_>>(), vec![true, false]);

    // Progress: the skill has its score and a chart.
    let progress = maya.get("/scenarios/progress?skill=empathy").await;
    assert_eq!(progress.status, StatusCode::OK);
    assert!(progress.body.contains("<svg") && progress.body.contains(&format!("{expected} %")));
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

#[tokio::test]
async fn practice_in_both_formats_shows_keys_and_keeps_the_first_attempt_blind() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut maya, user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    practise(&app, &mut maya, &user).await;

    // Another member cannot open Maya's feedback.
    let attempt = app.store.attempts(user.id).await.expect("attempts")[0].id;
    let (mut theo, _) = app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let scenario = scenario_for(&bank(), "empathy");
    let page = theo.get(&format!("/scenarios/{}?attempt={attempt}", scenario.id)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_answers_are_explained_next_to_the_field_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut maya, user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    let scenario = scenario_for(&bank(), "negotiation");
    let path = format!("/scenarios/{}", scenario.id);

    // One rating missing: the others stay checked.
    let mut fields = ratings_of(&scenario.keys());
    fields.remove(1);
    fields.push(field("format", "rating"));
    let page = post(&mut maya, &path, &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Rate this option from 1 to 5."));
    assert!(page.body.contains(&format!(
        r#"id="rating-1-{}" name="rating-1" value="{}" checked"#,
        scenario.options[0].key, scenario.options[0].key
    )));

    for bad in ["0", "6", "-1", "three", "99999999999"] {
        let mut fields = ratings_of(&scenario.keys());
        fields[0].1 = bad.to_owned();
        fields.push(field("format", "rating"));
        let page = post(&mut maya, &path, &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.body.contains("is not a rating: rate from 1"), "{bad}: {}", page.body);
    }

    let same = vec![field("format", "best-worst"), field("best", "2"), field("worst", "2")];
    let page = post(&mut maya, &path, &same).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The best and the worst cannot be the same option"));
    assert!(page.body.contains(r#"name="best" value="2" aria-label="Option 2 is best" checked"#), "kept");
    let missing = vec![field("format", "best-worst"), field("best", "1")];
    let page = post(&mut maya, &path, &missing).await;
    assert!(page.body.contains("Pick the option you think is worst."));
    let outside = vec![field("format", "best-worst"), field("best", "1"), field("worst", "9")];
    let page = post(&mut maya, &path, &outside).await;
    let expected = format!("Pick one of the {} options as the worst.", scenario.options.len());
    assert!(page.body.contains(&expected), "{}", page.body);

    // Unknown scenarios are 404, not 500, whether asked or answered.
    assert_eq!(maya.get("/scenarios/no-such-scenario").await.status, StatusCode::NOT_FOUND);
    assert_eq!(maya.get("/scenarios/..%2F..%2Fetc").await.status, StatusCode::NOT_FOUND);
    let page = post(&mut maya, "/scenarios/no-such-scenario", &ratings_of(&[3, 3, 3, 3])).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(maya.get(&format!("{path}?attempt=abc")).await.status, StatusCode::NOT_FOUND);

    // A huge body is refused before anything is read into an answer.
    let huge = "5".repeat(3 * 1024 * 1024);
    let page = maya.post_form(&path, &[("format", "rating"), ("rating-1", &huge)]).await;
    assert!(page.status.is_client_error(), "{}", page.status);

    assert!(app.store.attempts(user.id).await.expect("attempts").is_empty(), "nothing was stored");
}

#[tokio::test]
async fn the_api_sends_keys_only_in_the_answer_to_an_answer() {
    let app = TestApp::spawn().await;
    let mut ada = app.setup().await;
    let token = token(&mut ada).await;
    let bank = bank();
    let scenario = scenario_for(&bank, "communication");
    let mut api = app.client();

    let list = api.send(reqwest::Method::GET, "/api/v1/scenarios?all=true", |r| r.bearer_auth(&token)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["scenarios"].as_array().expect("list").len(), bank.len());
    let path = format!("/api/v1/scenarios/{}", scenario.id);
    let one = api.send(reqwest::Method::GET, &path, |r| r.bearer_auth(&token)).await;
    assert_eq!(one.status, StatusCode::OK);
    let json = one.json();
    assert_eq!(json["options"].as_array().expect("options").len(), scenario.options.len());
    for option in &scenario.options {
        assert!(!one.body.contains(&option.why[..30]), "no explanation before an answer");
    }
    assert!(!one.body.contains("\"key\"") && !one.body.contains("\"why\""), "{}", one.body);
    for body in [&list.body, &one.body] {
        assert!(!body.contains("\"key\"") && !body.contains("\"why\""));
    }
    let doc = api.get("/api/v1/openapi.json").await.json();
    assert_matches_schema(&doc, "ScenarioJson", &json);
    assert_matches_schema(&doc, "ScenarioList", &list.json());

    let answers = format!("{path}/answers");
    let keys: Vec<u8> = scenario.keys();
    let body = serde_json::json!({ "format": "rating", "ratings": keys });
    let answered = api.send(reqwest::Method::POST, &answers, |r| r.bearer_auth(&token).json(&body)).await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let result = answered.json();
    assert_eq!(result["percent"], 100);
    assert_eq!(result["blind"], true);
    assert_eq!(result["options"][0]["key"], scenario.options[0].key);
    assert_eq!(result["options"][0]["why"], scenario.options[0].why);
    assert_matches_schema(&doc, "AnswerResult", &result);
    assert_matches_schema(&doc, "AnswerInput", &body);
    let skill = &result["skills"][0];
    assert_eq!((skill["before"].clone(), skill["after"].clone()), (serde_json::Value::Null, serde_json::json!(100)));

    let scores = api.send(reqwest::Method::GET, "/api/v1/scenarios/scores", |r| r.bearer_auth(&token)).await;
    assert_eq!(scores.status, StatusCode::OK);
    assert_matches_schema(&doc, "ScoresJson", &scores.json());
    assert!(scores.json()["skills"].as_array().expect("skills").iter().any(|s| s["skill"] == "communication"));

    for (bad, expect) in [
        (serde_json::json!({ "format": "rating", "ratings": [3] }), "send"),
        (serde_json::json!({ "format": "rating", "ratings": vec![6; keys.len()] }), "ratings run from 1 to 5"),
        (serde_json::json!({ "format": "best-worst", "best": 2, "worst": 2 }), "same option"),
        (serde_json::json!({ "format": "best-worst", "best": 1 }), "`worst` is missing"),
        (serde_json::json!({ "format": "guess" }), "format"),
    ] {
        let page = api.send(reqwest::Method::POST, &answers, |r| r.bearer_auth(&token).json(&bad)).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.json()["error"]["message"].as_str().is_some_and(|m| m.contains(expect)), "{}", page.body);
    }
    let missing = api.send(reqwest::Method::GET, "/api/v1/scenarios/no-such-thing", |r| r.bearer_auth(&token)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let unknown_skill =
        api.send(reqwest::Method::GET, "/api/v1/scenarios?skill=juggling", |r| r.bearer_auth(&token)).await;
    assert_eq!(unknown_skill.status, StatusCode::BAD_REQUEST);
    let anonymous = api.get("/api/v1/scenarios/scores").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_statistics_and_the_export_name_nobody() {
    let app = TestApp::spawn().await;
    let mut ada = app.setup().await;
    let bank = bank();
    let scenario = scenario_for(&bank, "empathy");
    let path = format!("/scenarios/{}", scenario.id);
    let mut people = Vec::new();
    for (email, name, rating) in [
        ("maya@northwind.test", "Maya Quinlan", 5u8),
        ("theo@northwind.test", "Theo Marlowe", 3),
        ("jonas@northwind.test", "Jonas Brightwater", 1),
    ] {
        let (mut client, _) = app.member(email, name, OrgRole::Member, None).await;
        let mut fields = ratings_of(&vec![rating; scenario.options.len()]);
        fields.push(field("format", "rating"));
        assert_eq!(post(&mut client, &path, &fields).await.status, StatusCode::SEE_OTHER);
        people.push((email, name, client));
    }

    let stats = ada.get("/admin/scenarios").await;
    assert_eq!(stats.status, StatusCode::OK);
    assert!(stats.body.contains("3 answers by 3 people"), "{}", stats.body);
    assert!(stats.body.contains("too-few-answers") && stats.body.contains("Item–rest r"));
    assert!(stats.body.contains("needs at least 3 people who answered this and another scenario, found 0"));
    let csv = ada.get("/admin/scenarios.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"].to_str().expect("type").starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    assert!(csv.body.starts_with("respondent,scenario,attempt,format,score,"));
    for (email, name, _) in &people {
        for body in [&stats.body, &csv.body] {
            assert!(!body.contains(email) && !body.contains(name), "{name} must not appear");
            assert!(!body.contains(name.split(' ').nth(1).expect("surname")));
        }
    }
    assert!(csv.body.contains("R0001") && csv.body.contains("R0003"));

    let (_, _, maya) = &mut people[0];
    assert_eq!(maya.get("/admin/scenarios").await.status, StatusCode::FORBIDDEN);
    assert_eq!(maya.get("/admin/scenarios.csv").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_results_page_shows_scenarios_as_their_own_column() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut maya, user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    crate::growth::closed_cycle(&app, &user, 5).await;
    let before = maya.get("/results").await;
    assert!(!before.body.contains("Scenarios: a separate signal"), "no signal before any scenario");
    let scenario = scenario_for(&bank(), "empathy");
    let mut fields = ratings_of(&scenario.keys());
    fields.push(field("format", "rating"));
    post(&mut maya, &format!("/scenarios/{}", scenario.id), &fields).await;
    let results = maya.get("/results").await;
    assert!(results.body.contains("Scenarios: a separate signal"), "{}", results.body);
    assert!(results.body.contains(r#"<td class="num signal">100 %</td>"#));
    assert!(results.body.contains("Scenarios (%)"));
}

#[tokio::test]
async fn a_whole_flow_on_postgresql() {
    let Some(app) = TestApp::spawn_on_postgres().await else {
        eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL flow skipped");
        return;
    };
    let mut ada = app.setup().await;
    let (mut maya, user) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    practise(&app, &mut maya, &user).await;
    let stats = ada.get("/admin/scenarios").await;
    assert!(stats.body.contains("2 answers by 1 person"), "{}", stats.body);
    let csv = ada.get("/admin/scenarios.csv").await;
    assert_eq!(csv.body.lines().count(), 3);
    assert!(!csv.body.contains("Maya") && !csv.body.contains("maya@"));
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
