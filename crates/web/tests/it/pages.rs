//! The profile, people and glossary pages.

use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Role, RoleContext};
use pmcoach_store::OrgRole;
use reqwest::StatusCode;

use crate::TestApp;

/// A complete, valid role-context form: a senior TPM in an AI start-up.
const TPM_IN_AI: &[(&str, &str)] = &[
    ("role", "tpm"),
    ("level", "senior"),
    ("stage", "early"),
    ("industry", "AI"),
    ("technicality", "high"),
    ("team_maturity", "medium"),
    ("ambiguity", "high"),
    ("data_driven", "low"),
];

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    TPM_IN_AI.iter().map(|&(name, old)| (name, if name == field { value } else { old })).collect()
}

/// The `<tr>` of one skill in a profile table.
fn skill_row<'a>(body: &'a str, id: &str) -> &'a str {
    let link = format!("<a href=\"/glossary/{id}\">");
    let table = body.find("<tbody>").expect("a profile table");
    let at = table + body[table..].find(&link).unwrap_or_else(|| panic!("{id} is in a profile table"));
    let end = at + body[at..].find("</tr>").expect("row ends");
    &body[at..end]
}

#[tokio::test]
async fn the_profile_starts_with_an_empty_state_and_a_prefilled_form() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut maya, _) = app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, None).await;
    let page = maya.get("/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Which skills matter depends on your context"), "{}", page.body);
    assert!(!page.body.contains("How the weight splits"), "no profile before a context is saved");
    // Sensible defaults, every field labelled with its help.
    assert!(page.body.contains(r#"<option value="pm" selected>"#), "{}", page.body);
    assert!(page.body.contains(r#"<option value="scaleup" selected>"#));
    assert!(page.body.contains(r#"id="f-ambiguity-medium" name="ambiguity" value="medium" checked"#));
    for field in ["role", "level", "stage", "industry", "technicality", "team_maturity", "ambiguity", "data_driven"] {
        assert!(page.body.contains(&format!("id=\"f-{field}-help\"")), "{field} has a help text");
    }
    assert!(page.body.contains(r#"<datalist id="industry-presets">"#));
    assert!(page.body.contains(r#"<option value="financial-services">"#));
    // The dashboard's invitation leads here.
    let dashboard = maya.get("/").await;
    assert!(dashboard.body.contains(r#"href="/profile""#));
}

#[tokio::test]
async fn saving_a_context_shows_the_target_profile_with_its_reasons() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut priya, user) = app.member("priya@northwind.test", "Priya Nair", OrgRole::Member, None).await;
    let page = priya.post_form("/profile", TPM_IN_AI).await;
    assert_eq!((page.status, page.location()), (StatusCode::SEE_OTHER, Some("/profile?saved=1")), "{}", page.body);

    let saved = app.store.role_context(user.id).await.expect("query").expect("saved");
    assert_eq!((saved.role, saved.level, saved.stage), (Role::Tpm, CareerLevel::Senior, CompanyStage::Early));
    assert_eq!(saved.industry.as_deref(), Some("ai"), "free text is normalised");
    assert_eq!((saved.technicality, saved.ambiguity, saved.data_driven), (Degree::High, Degree::High, Degree::Low));

    let page = priya.get("/profile?saved=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Saved. Your target profile"), "{}", page.body);
    assert!(page.body.contains("Senior TPM at an early-stage start-up · AI"));
    assert!(!page.body.contains("Which skills matter depends on your context"), "no empty state once saved");
    // The chart is an accessible image beside a table.
    assert!(page.body.contains(r#"role="img" aria-labelledby="me-chart-technical-title me-chart-technical-desc""#));
    assert_eq!(page.body.matches("<table class=\"table skill-table\">").count(), 3, "one table per category");
    // AI literacy, with the rule that raised it and its level name.
    let row = skill_row(&page.body, "ai-literacy");
    assert!(row.contains("AI and LLM literacy"), "{row}");
    assert!(row.contains("<strong>industry ai</strong>: target +2"), "{row}");
    assert!(row.contains("Role model"), "{row}");
    // Low data-drivenness lowers SQL, and says so.
    assert!(skill_row(&page.body, "sql").contains("low data-drivenness"));
    // The form shows what was saved.
    assert!(page.body.contains(r#"<option value="tpm" selected>"#));
    assert!(page.body.contains(r#"id="f-industry" name="industry" list="industry-presets" value="ai""#));
    assert!(page.body.contains(r#"id="f-data_driven-low" name="data_driven" value="low" checked"#));
    // A plain visit shows no success notice.
    assert!(!priya.get("/profile").await.body.contains("Saved. Your target profile"));
}

#[tokio::test]
async fn an_invalid_value_is_refused_with_the_valid_ones_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut theo, user) = app.member("theo@northwind.test", "Theo Martins", OrgRole::Member, None).await;
    let mut fields = with("role", "designer");
    fields.retain(|(name, _)| *name != "industry");
    fields.push(("industry", "Space mining"));
    fields.retain(|(name, _)| *name != "ambiguity");
    fields.push(("ambiguity", "extreme"));
    let page = theo.post_form("/profile", &fields).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(page.body.contains("Nothing was saved."), "{}", page.body);
    assert!(
        page.body.contains(r#"id="f-role-error">&#34;designer&#34; is not one of the choices. Choose a role: pm, pmm, tpm, growth-pm, platform-pm."#),
        "{}",
        page.body
    );
    assert!(page.body.contains("Choose a value: low, medium, high."), "{}", page.body);
    assert!(page.body.contains(r#"<option value="designer" selected>designer (not a valid choice)</option>"#));
    // Everything else as typed.
    assert!(page.body.contains(r#"<option value="senior" selected>"#));
    assert!(page.body.contains(r#"<option value="early" selected>"#));
    assert!(page.body.contains(r#"value="Space mining""#));
    assert!(page.body.contains(r#"id="f-technicality-high" name="technicality" value="high" checked"#));
    assert!(page.body.contains(r#"id="f-data_driven-low" name="data_driven" value="low" checked"#));
    assert!(page.body.contains(r#"aria-invalid="true""#));
    assert!(app.store.role_context(user.id).await.expect("query").is_none(), "nothing was saved");

    // A missing field is named too, and a saved context stays as it was.
    assert_eq!(theo.post_form("/profile", TPM_IN_AI).await.status, StatusCode::SEE_OTHER);
    let missing: Vec<_> = TPM_IN_AI.iter().copied().filter(|(name, _)| *name != "level").collect();
    let page = theo.post_form("/profile", &missing).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Choose a level: apm, pm, senior, lead, director, vp."), "{}", page.body);
    assert!(page.body.contains("Your saved context is unchanged"));
    let saved = app.store.role_context(user.id).await.expect("query").expect("still saved");
    assert_eq!(saved.level, CareerLevel::Senior);
}

#[tokio::test]
async fn a_manager_sees_a_reports_profile_and_the_report_sees_their_own() {
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut sam, sam_user) = app.member("sam@northwind.test", "Sam Rivera", OrgRole::Manager, None).await;
    let (mut maya, maya_user) =
        app.member("maya@northwind.test", "Maya Chen", OrgRole::Member, Some(sam_user.id)).await;
    let (_, jonas) = app.member("jonas@northwind.test", "Jonas Berg", OrgRole::Member, Some(sam_user.id)).await;
    let (mut eve, _) = app.member("eve@northwind.test", "Eve Stranger", OrgRole::Member, None).await;
    let context = RoleContext {
        stage: CompanyStage::Enterprise,
        technicality: Degree::Low,
        ..RoleContext::new(Role::Pm, CareerLevel::Senior).with_industry("financial-services")
    };
    app.store.save_role_context(maya_user.id, &context).await.expect("save");
    let path = format!("/people/{}", maya_user.id);

    let page = sam.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<h1>Maya Chen</h1>"));
    assert!(page.body.contains("Senior PM at an enterprise · Financial services"), "{}", page.body);
    assert!(page.body.contains("<dt>Product technicality</dt><dd>Low</dd>"), "{}", page.body);
    assert!(page.body.contains("How the weight splits"));
    assert!(skill_row(&page.body, "stakeholder-alignment").contains("industry financial-services or internal-tools"));
    assert!(!page.body.contains("action=\"/profile\""), "read-only: no form");
    assert!(!page.body.contains("Change it</a>"), "the manager cannot edit it");

    let own = maya.get(&path).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("How the weight splits"));
    assert!(own.body.contains(r#"href="/profile#context">Change it</a>"#));

    assert_eq!(eve.get(&path).await.status, StatusCode::FORBIDDEN);

    let empty = sam.get(&format!("/people/{}", jonas.id)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Jonas has not set a role context yet"), "{}", empty.body);
    assert!(!empty.body.contains("How the weight splits"));
    assert_eq!(sam.get("/people/999999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_glossary_lists_every_skill_by_category_and_searches_them() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let page = admin.get("/glossary").await;
    assert_eq!(page.status, StatusCode::OK);
    let soft = page.body.find("id=\"cat-soft-heading\"").expect("soft skills");
    let craft = page.body.find("id=\"cat-craft-heading\"").expect("product craft");
    let technical = page.body.find("id=\"cat-technical-heading\"").expect("technical skills");
    assert!(soft < craft && craft < technical);
    assert_eq!(page.body.matches("<li class=\"card skill-card\">").count(), 36);
    assert!(page.body.contains("Knowing who has a stake in a product decision"), "definitions are shown");

    let page = admin.get("/glossary?q=Pandas").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 skill matches “Pandas”"), "{}", page.body);
    assert_eq!(page.body.matches("<li class=\"card skill-card\">").count(), 1);
    let technical = page.body.find("id=\"cat-technical-heading\"").expect("under technical skills");
    let data = page.body.find(r#"<a href="/glossary/data-analysis">Data analysis</a>"#).expect("data analysis");
    assert!(technical < data);

    // Behaviours and activity titles are searched too, and say where the hit is.
    let page = admin.get("/glossary?q=pre-wires").await;
    assert!(page.body.contains(r#"href="/glossary/stakeholder-alignment""#), "{}", page.body);
    assert!(page.body.contains("Found in a level 3 behaviour:"), "{}", page.body);
    assert!(page.body.contains("<mark>Pre-wires</mark>"), "{}", page.body);

    let page = admin.get("/glossary?q=%3Cxyzzy%3E").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No skills match “&#60;xyzzy&#62;”"), "{}", page.body);
    assert_eq!(page.body.matches("<li class=\"card skill-card\">").count(), 0);
    assert!(page.body.contains(r#"href="/glossary?q=data""#), "the empty state suggests a way on");
}

#[tokio::test]
async fn a_skill_page_shows_its_levels_practice_and_related_skills() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let page = admin.get("/glossary/stakeholder-alignment").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Stakeholder alignment</h1>"));
    for name in ["Learning", "Developing", "Proficient", "Advanced", "Role model"] {
        assert!(page.body.contains(&format!("</span> {name}")), "level {name} is shown");
    }
    for heading in ["Why it matters", "Through the product stages", "Practice", "Interview questions", "Who can see it"]
    {
        assert!(page.body.contains(heading), "{heading}");
    }
    assert!(page.body.contains("Pre-wire your next big decision"));
    assert!(page.body.contains("Monthly") && page.body.contains("45 min"), "cadence and effort");
    assert!(page.body.contains("Customer success"), "observers");
    assert!(page.body.contains(r#"<a href="/glossary/negotiation">Negotiation</a>"#), "related skills link");
    assert!(page.body.contains("Set your role context</a> to see your target level"));

    // With a context, the page shows the viewer's own target.
    let mut fields = TPM_IN_AI.to_vec();
    fields.retain(|(name, _)| *name != "industry");
    fields.push(("industry", "internal-tools"));
    assert_eq!(admin.post_form("/profile", &fields).await.status, StatusCode::SEE_OTHER);
    let page = admin.get("/glossary/stakeholder-alignment").await;
    assert!(page.body.contains("<h2 id=\"target-heading\">Your target: "), "{}", page.body);
    assert!(page.body.contains("Your target</span>"), "the target level is marked: {}", page.body);

    assert_eq!(admin.get("/glossary/no-such-skill").await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get("/glossary/%3Cscript%3E").await.status, StatusCode::NOT_FOUND);
}
