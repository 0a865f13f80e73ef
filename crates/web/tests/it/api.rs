//! The JSON API under `/api/v1`: each endpoint's answer and shape (the same
//! shapes as the CLI's JSON), every error in the one error shape, token
//! revocation, and the OpenAPI document against the real routes and the
//! real responses.

use std::collections::BTreeSet;

use pmcoach_comms::output::JsonFile;
use pmcoach_comms::{Audience, CheckOptions, Checker, Kind, TextFormat};
use pmcoach_core::context::engine;
use pmcoach_core::context::json::ProfileJson;
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Role, RoleContext};
use pmcoach_core::framework::Framework;
use pmcoach_store::OrgRole;
use pmcoach_web::Access;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::TestApp;
use crate::harness::{Client, Page};

/// A signed-in member with an API token of their own.
struct Api {
    app: TestApp,
    browser: Client,
    user: pmcoach_store::User,
    token: String,
}

async fn api() -> Api {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut browser, user) = app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await;
    let token = new_token(&mut browser, "script").await;
    Api { app, browser, user, token }
}

async fn new_token(browser: &mut Client, name: &str) -> String {
    let page = browser.post_form("/settings/tokens", &[("name", name)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("value=\"pmc_").expect("the new token is shown") + 7;
    page.body[start..].chars().take_while(|c| *c != '"').collect()
}

impl Api {
    async fn get(&self, path: &str) -> Page {
        let token = self.token.clone();
        self.app.client().send(Method::GET, path, |r| r.bearer_auth(token)).await
    }

    async fn post(&self, path: &str, body: &Value) -> Page {
        let token = self.token.clone();
        self.app.client().send(Method::POST, path, |r| r.bearer_auth(token).json(body)).await
    }

    /// Posts raw bytes with the given content type.
    async fn post_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let token = self.token.clone();
        let content_type = content_type.to_owned();
        self.app
            .client()
            .send(Method::POST, path, |r| r.bearer_auth(token).header(CONTENT_TYPE, content_type).body(body))
            .await
    }
}

fn framework() -> Framework {
    Framework::embedded().expect("framework")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn ok_json(page: &Page) -> Value {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_content_type_json(page);
    page.json()
}

fn assert_content_type_json(page: &Page) {
    let content_type = page.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(content_type, "application/json", "{}", page.body);
}

/// Asserts the one error shape and returns the message.
fn error(page: &Page, status: StatusCode, code: &str) -> String {
    assert_eq!(page.status, status, "{}", page.body);
    assert_content_type_json(page);
    let json = page.json();
    assert_eq!(keys(&json), ["error"], "{json}");
    assert_eq!(keys(&json["error"]), ["code", "message", "status"], "{json}");
    assert_eq!(json["error"]["status"], status.as_u16(), "{json}");
    assert_eq!(json["error"]["code"], code, "{json}");
    let message = json["error"]["message"].as_str().expect("message").to_owned();
    assert!(!message.is_empty());
    message
}

#[tokio::test]
async fn me_is_the_token_owner() {
    let api = api().await;
    let me = ok_json(&api.get("/api/v1/me").await);
    assert_eq!(me, json!({"id": api.user.id, "name": "Maya Patel", "email": "maya@northwind.test", "role": "member"}));
}

#[tokio::test]
async fn framework_and_skills_are_the_cli_shapes() {
    let api = api().await;
    let framework = framework();
    let all = ok_json(&api.get("/api/v1/framework").await);
    // `pmcoach framework show --format json` serialises `{"skills": [&Skill]}`.
    assert_eq!(all, json!({ "skills": framework.skills }));
    let skills = all["skills"].as_array().expect("skills");
    assert_eq!(skills.len(), 36);
    for skill in skills {
        assert_eq!(
            keys(skill),
            [
                "activities",
                "category",
                "definition",
                "id",
                "levels",
                "name",
                "observers",
                "questions",
                "related",
                "stages",
                "why"
            ]
        );
    }

    let one = ok_json(&api.get("/api/v1/skills/stakeholder-alignment").await);
    assert_eq!(Some(&one), skills.iter().find(|s| s["id"] == "stakeholder-alignment"));
    assert_eq!(one["levels"].as_array().map(Vec::len), Some(5));

    let missing = api.get("/api/v1/skills/juggling").await;
    let message = error(&missing, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains("no skill \"juggling\"") && message.contains("stakeholder-alignment"), "{message}");
    let odd = api.get("/api/v1/skills/%FF").await;
    error(&odd, StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn profile_for_a_context_is_the_cli_shape_and_reads_back() {
    let api = api().await;
    let request = json!({"role": "tpm", "level": "senior", "stage": "early", "industry": "AI", "technicality": "high"});
    let profile = ok_json(&api.post("/api/v1/profile", &request).await);

    let mut context = RoleContext::new(Role::Tpm, CareerLevel::Senior).with_industry("ai");
    context.stage = CompanyStage::Early;
    context.technicality = Degree::High;
    let expected = engine::profile(&framework(), &context);
    // The same type `pmcoach profile --format json` prints.
    assert_eq!(profile, serde_json::to_value(ProfileJson::from(&expected)).expect("json"));

    assert_eq!(keys(&profile), ["context", "skills", "soft_share"]);
    assert_eq!(
        profile["context"],
        json!({"role": "tpm", "level": "senior", "stage": "early", "industry": "ai", "technicality": "high",
               "team_maturity": "medium", "ambiguity": "medium", "data_driven": "medium", "purpose": "growth"})
    );
    let skills = profile["skills"].as_array().expect("skills");
    assert_eq!(skills.len(), 36);
    for skill in skills {
        assert_eq!(keys(skill), ["category", "id", "name", "reasons", "target", "weight"]);
    }
    let total: f64 = skills.iter().map(|s| s["weight"].as_f64().expect("weight")).sum();
    assert!((total - 1.0).abs() < 0.002, "weights sum to {total}");

    // A profile's context, sent back, gives the same profile.
    let again = ok_json(&api.post("/api/v1/profile", &profile["context"]).await);
    assert_eq!(again, profile);
    // Only role and level are needed.
    let minimal = ok_json(&api.post("/api/v1/profile", &json!({"role": "pmm", "level": "lead"})).await);
    assert_eq!(minimal["context"]["stage"], "scaleup");
    assert_eq!(minimal["context"]["industry"], Value::Null);
}

#[tokio::test]
async fn saved_profile_needs_a_role_context_first() {
    let api = api().await;
    let missing = api.get("/api/v1/profile").await;
    let message = error(&missing, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains("role context") && message.contains("/profile"), "{message}");

    let context = RoleContext::new(Role::Pm, CareerLevel::Lead).with_industry("fintech");
    api.app.store.save_role_context(api.user.id, &context).await.expect("save");
    let profile = ok_json(&api.get("/api/v1/profile").await);
    let expected = engine::profile(&framework(), &context);
    assert_eq!(profile, serde_json::to_value(ProfileJson::from(&expected)).expect("json"));

    // Someone else's token sees their own context, not Maya's.
    let (mut other, _) = api.app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let token = new_token(&mut other, "theo").await;
    let theirs = api.app.client().send(Method::GET, "/api/v1/profile", |r| r.bearer_auth(token)).await;
    error(&theirs, StatusCode::NOT_FOUND, "not_found");
}

const DRAFT: &str = "Hi Dana,\n\nAs you know, the team has been working hard on exports. Can you review the plan?\n";

#[tokio::test]
async fn check_is_one_entry_of_the_cli_json_with_kind_and_dimensions() {
    let api = api().await;
    let request = json!({"text": DRAFT, "audience": "exec", "kind": "request"});
    let checked = ok_json(&api.post("/api/v1/check", &request).await);

    let report = Checker::new().check(DRAFT, &CheckOptions::for_audience(Audience::Exec).kind(Kind::Request));
    let mut expected = serde_json::to_value(JsonFile::new("-", &report)).expect("json");
    let entry = expected.as_object_mut().expect("object");
    entry.insert("kind".to_owned(), json!("request"));
    entry.insert("dimensions".to_owned(), serde_json::to_value(&report.dimensions).expect("json"));
    assert_eq!(checked, expected);

    assert_eq!(
        keys(&checked),
        ["audience", "dimensions", "findings", "kind", "path", "reading_grade", "score", "words"]
    );
    assert_eq!(checked["path"], "-");
    let findings = checked["findings"].as_array().expect("findings");
    assert!(findings.iter().any(|f| f["rule"] == "ask"), "{checked}");
    for finding in findings {
        assert_eq!(
            keys(finding),
            ["column", "end_column", "end_line", "line", "message", "rule", "severity", "suggestion"]
        );
    }
    let dimensions: Vec<&str> =
        checked["dimensions"].as_array().expect("dimensions").iter().map(|d| d["id"].as_str().expect("id")).collect();
    assert_eq!(dimensions, ["clarity", "brevity", "actionability", "audience_fit", "empathy"]);

    // Without a kind, customers get the reply they usually expect.
    let reply = ok_json(&api.post("/api/v1/check", &json!({"text": DRAFT, "audience": "customer"})).await);
    assert_eq!(reply["kind"], "reply");
}

#[tokio::test]
async fn check_reads_plain_text_when_asked() {
    let api = api().await;
    let text = "Please review the `export_pipeline_backfill` plan by Friday.\n";
    let checker = Checker::new();
    let words = |format| checker.check(text, &CheckOptions::for_audience(Audience::Peer).format(format)).words;
    assert_ne!(words(TextFormat::Plain), words(TextFormat::Markdown), "the text must read differently");
    for (format, expected) in [("plain", TextFormat::Plain), ("markdown", TextFormat::Markdown)] {
        let checked =
            ok_json(&api.post("/api/v1/check", &json!({"text": text, "audience": "peer", "format": format})).await);
        assert_eq!(checked["words"], words(expected), "{format}");
    }
    let default = ok_json(&api.post("/api/v1/check", &json!({"text": text, "audience": "peer"})).await);
    assert_eq!(default["words"], words(TextFormat::Markdown));
}

#[tokio::test]
async fn every_bad_request_gets_the_error_shape_with_what_to_change() {
    let api = api().await;
    let check = "/api/v1/check";

    let message = error(
        &api.post_bytes(check, "application/json", b"{\"text\": ".to_vec()).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    assert!(message.contains("not valid JSON"), "{message}");

    let message = error(&api.post(check, &json!({"text": "Ship it."})).await, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("missing field `audience`"), "{message}");

    let message =
        error(&api.post(check, &json!({"text": "Ship it.", "audience": 3})).await, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("invalid type"), "{message}");

    let message = error(
        &api.post(check, &json!({"text": "Ship it.", "audience": "board", "kind": "memo", "format": "html"})).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    for expected in [
        "unknown audience `board`; expected one of: exec, engineering, sales, customer-success, customer, design, peer",
        "unknown kind `memo`; expected one of: update, request, announcement, reply, collateral",
        "unknown format `html`; expected one of: markdown, plain",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }

    let message =
        error(&api.post(check, &json!({"text": "  \n", "audience": "exec"})).await, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("`text` is empty"), "{message}");

    let message = error(
        &api.post(check, &json!({"text": "Ship it.", "audience": "exec", "tone": "warm"})).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    assert!(message.contains("unknown field `tone`"), "{message}");

    let message =
        error(&api.post_bytes(check, "text/plain", b"Ship it.".to_vec()).await, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("Content-Type: application/json"), "{message}");

    let long = "word ".repeat(250_000);
    let message = error(
        &api.post(check, &json!({"text": long, "audience": "exec"})).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    );
    assert!(message.contains("`text` is 1250000 bytes") && message.contains("1 MB"), "{message}");

    let huge = serde_json::to_vec(&json!({"text": "word ".repeat(500_000), "audience": "exec"})).expect("json");
    let message =
        error(&api.post_bytes(check, "application/json", huge).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert!(message.contains("2 MB"), "{message}");

    let message = error(
        &api.post("/api/v1/profile", &json!({"role": "designer", "level": "senior", "ambiguity": "extreme"})).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    for expected in [
        "unknown role \"designer\": expected one of pm, pmm, tpm, growth-pm, platform-pm",
        "unknown value \"extreme\": expected one of low, medium, high",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    let message = error(&api.post("/api/v1/profile", &json!({"role": "pm"})).await, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("missing field `level`"), "{message}");
    let message = error(
        &api.post("/api/v1/profile", &json!({"role": "pm", "level": "pm", "teamMaturity": "low"})).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    assert!(message.contains("unknown field `teamMaturity`"), "{message}");
}

#[tokio::test]
async fn an_unknown_api_address_answers_in_the_error_shape() {
    let api = api().await;
    for path in ["/api/v1/skill", "/api/v2/me", "/api/"] {
        let message = error(&api.get(path).await, StatusCode::NOT_FOUND, "not_found");
        assert!(message.contains(path) && message.contains("/api/v1/openapi.json"), "{message}");
    }
    // Pages keep their HTML 404.
    let page = api.app.client().get("/apix").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"), "{}", page.body);
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let mut api = api().await;
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
    let tokens = api.app.store.api_tokens(api.user.id).await.expect("tokens");
    let revoked = api.browser.post_form(&format!("/settings/tokens/{}/revoke", tokens[0].id), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    for path in ["/api/v1/me", "/api/v1/framework"] {
        let message = error(&api.get(path).await, StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(message.contains("Bearer"), "{message}");
    }
    let message = error(
        &api.post("/api/v1/check", &json!({"text": "Ship it.", "audience": "exec"})).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert!(message.contains("Settings"), "{message}");
    // A session cookie is no API token.
    let page = api.browser.get("/api/v1/me").await;
    error(&page, StatusCode::UNAUTHORIZED, "unauthorized");
    // A new token works again.
    api.token = new_token(&mut api.browser, "again").await;
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
}

async fn openapi(app: &TestApp) -> Value {
    let page = app.client().get("/api/v1/openapi.json").await;
    ok_json(&page)
}

/// Every API route the app registers is in the document with its method,
/// and the document names no route the app does not have.
#[tokio::test]
async fn the_openapi_document_lists_exactly_the_api_routes() {
    let app = TestApp::spawn().await;
    let doc = openapi(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "pmcoach API");
    assert!(doc["info"]["description"].as_str().is_some_and(|d| d.contains("Authorization: Bearer")));

    let registered: BTreeSet<(String, String)> = app
        .rules
        .iter()
        .filter(|rule| rule.path.starts_with("/api/"))
        .map(|rule| (rule.method.as_str().to_lowercase(), rule.path.to_owned()))
        .collect();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, operations)| {
            operations.as_object().expect("operations").keys().map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    assert_eq!(registered, documented, "registered API routes and the OpenAPI document differ");
    for rule in app.rules.iter().filter(|rule| rule.access == Access::ApiToken) {
        assert!(rule.path.starts_with("/api/v1/"), "API-token route outside /api/v1: {}", rule.path);
    }

    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!((&scheme["type"], &scheme["scheme"]), (&json!("http"), &json!("bearer")));
    for rule in app.rules.iter().filter(|rule| rule.path.starts_with("/api/")) {
        let operation = &doc["paths"][rule.path][rule.method.as_str().to_lowercase()];
        let what = format!("{} {}", rule.method, rule.path);
        assert!(operation["summary"].as_str().is_some_and(|s| !s.is_empty()), "{what} has no summary");
        if rule.access == Access::ApiToken {
            assert_eq!(operation["security"], json!([{"bearer": []}]), "{what}");
            let unauthorised = &operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(unauthorised, "#/components/schemas/Error", "{what} documents its 401");
        } else {
            assert_eq!(operation.get("security"), None, "{what} needs no token");
        }
        if rule.method == Method::POST {
            assert!(operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].is_string(), "{what}");
            assert!(operation["responses"]["400"].is_object(), "{what} documents its 400");
        }
    }
}

/// Validates JSON against a schema of the served document.
struct Schemas {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
}

const DOC_URL: &str = "http://pmcoach.test/api/v1/openapi.json";

impl Schemas {
    fn new(doc: Value) -> Schemas {
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.add_resource(DOC_URL, doc).expect("resource");
        Schemas { compiler, schemas: boon::Schemas::new() }
    }

    fn check(&mut self, schema: &str, value: &Value) -> Result<(), String> {
        let index = self
            .compiler
            .compile(&format!("{DOC_URL}#/components/schemas/{schema}"), &mut self.schemas)
            .unwrap_or_else(|e| panic!("schema {schema}: {e}"));
        self.schemas.validate(value, index).map_err(|e| format!("{e:#}"))
    }

    fn assert_valid(&mut self, schema: &str, value: &Value) {
        if let Err(problem) = self.check(schema, value) {
            panic!("a real response does not match the documented {schema} schema: {problem}");
        }
    }
}

/// The real responses and requests match the schemas the document gives
/// them, which forbid unknown properties: a field added to a body but not
/// to the document (or the other way round) fails here.
#[tokio::test]
async fn real_requests_and_responses_match_the_documented_schemas() {
    let api = api().await;
    let mut schemas = Schemas::new(openapi(&api.app).await);

    schemas.assert_valid("Me", &ok_json(&api.get("/api/v1/me").await));
    schemas.assert_valid("Framework", &ok_json(&api.get("/api/v1/framework").await));
    schemas.assert_valid("Skill", &ok_json(&api.get("/api/v1/skills/sql").await));

    let context = json!({"role": "pm", "level": "senior", "stage": "enterprise", "industry": "financial-services",
                         "technicality": "low", "team_maturity": "high", "ambiguity": "low", "data_driven": "high",
                         "purpose": "hiring"});
    schemas.assert_valid("ContextInput", &context);
    let profile = ok_json(&api.post("/api/v1/profile", &context).await);
    schemas.assert_valid("Profile", &profile);
    let no_industry = ok_json(&api.post("/api/v1/profile", &json!({"role": "tpm", "level": "pm"})).await);
    schemas.assert_valid("Profile", &no_industry);

    let request = json!({"text": DRAFT, "audience": "customer", "kind": "reply", "format": "markdown"});
    schemas.assert_valid("CheckRequest", &request);
    let checked = ok_json(&api.post("/api/v1/check", &request).await);
    assert!(!checked["findings"].as_array().expect("findings").is_empty());
    schemas.assert_valid("CheckResult", &checked);

    schemas.assert_valid("Error", &api.get("/api/v1/skills/juggling").await.json());
    let unauthorised = api.app.client().get("/api/v1/me").await;
    schemas.assert_valid("Error", &unauthorised.json());

    // The schemas are strict, so the checks above can fail.
    let mut extra = profile.clone();
    extra["skills"][0]["note"] = json!("undocumented");
    assert!(schemas.check("Profile", &extra).is_err(), "an undocumented property must be refused");
    let mut missing = checked.clone();
    missing.as_object_mut().expect("object").remove("dimensions");
    assert!(schemas.check("CheckResult", &missing).is_err(), "a missing property must be refused");
    assert!(schemas.check("ContextInput", &json!({"role": "designer", "level": "pm"})).is_err());
}
