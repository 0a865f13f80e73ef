//! First run, sign-in, sessions, CSRF, invitations, settings and admin.

use pmcoach_store::OrgRole;
use reqwest::StatusCode;

use crate::TestApp;
use crate::harness::PASSWORD;

#[tokio::test]
async fn a_fresh_install_sends_everyone_to_setup_and_setup_works_once() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let home = visitor.get("/").await;
    assert_eq!((home.status, home.location()), (StatusCode::SEE_OTHER, Some("/setup")));
    let signin = visitor.get("/signin").await;
    assert_eq!(signin.location(), Some("/setup"));

    let mut admin = app.setup().await;
    let dashboard = admin.get("/").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("Hello, Ada"), "{}", dashboard.body);
    assert!(dashboard.body.contains("Northwind"));

    // Setup is closed once someone exists.
    let again = app.client().get("/setup").await;
    assert_eq!(again.location(), Some("/signin"));
}

#[tokio::test]
async fn setup_reports_every_invalid_field_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let page = visitor
        .post_form(
            "/setup",
            &[
                ("organisation", "  "),
                ("name", "Ada"),
                ("email", "not-an-email"),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("Enter your organisation&#39;s name.")
            || page.body.contains("Enter your organisation's name."),
        "{}",
        page.body
    );
    assert!(page.body.contains("is not an e-mail address"), "{}", page.body);
    assert!(page.body.contains("Use at least 10 characters"), "{}", page.body);
    assert!(page.body.contains("value=\"Ada\""), "the name typed is kept");
    assert!(page.body.contains("value=\"not-an-email\""), "the e-mail typed is kept");
    assert!(!app.store.has_users().await.expect("query"), "nothing was created");

    let page = visitor
        .post_form(
            "/setup",
            &[
                ("organisation", "N"),
                ("name", "Ada"),
                ("email", "a@b.test"),
                ("password", PASSWORD),
                ("confirm", "different password"),
            ],
        )
        .await;
    assert!(page.body.contains("The two passwords are not the same."), "{}", page.body);
}

#[tokio::test]
async fn sign_in_rotates_the_session_id_and_sign_out_ends_it() {
    let app = TestApp::spawn().await;
    drop(app.setup().await);
    let mut client = app.client();
    client.get("/signin").await;
    let before = client.session().cloned().expect("a session before sign-in (for the CSRF token)");
    client.sign_in("ada@northwind.test", PASSWORD).await;
    let after = client.session().cloned().expect("a session after sign-in");
    assert_ne!(before, after, "the session id must change at sign-in");

    // The old id, fixed before sign-in, is worthless now.
    let mut attacker = app.client();
    attacker.cookies.insert("pmcoach_session".to_owned(), before);
    assert_eq!(attacker.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/").await.status, StatusCode::OK);

    let out = client.post_form("/signout", &[]).await;
    assert_eq!(out.location(), Some("/signin"));
    let mut stolen = app.client();
    stolen.cookies.insert("pmcoach_session".to_owned(), after);
    assert_eq!(stolen.get("/").await.status, StatusCode::SEE_OTHER, "a signed-out session cannot be reused");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let app = TestApp::spawn().await;
    drop(app.setup().await);
    let mut client = app.client();
    let wrong = client.post_form("/signin", &[("email", "ada@northwind.test"), ("password", "wrong password!")]).await;
    let unknown =
        client.post_form("/signin", &[("email", "nobody@northwind.test"), ("password", "wrong password!")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = "That e-mail address and password do not match an account.";
    assert!(wrong.body.contains(message) && unknown.body.contains(message));
    assert!(wrong.body.contains("value=\"ada@northwind.test\""), "the e-mail typed is kept");
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|config| {
        config.sign_in_burst = 3;
        config.sign_in_refill_seconds = 600;
    })
    .await;
    drop(app.setup().await);
    let mut client = app.client();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            client.post_form("/signin", &[("email", "ada@northwind.test"), ("password", "wrong password!")]).await,
        );
    }
    let codes: Vec<StatusCode> = statuses.iter().map(|p| p.status).collect();
    assert_eq!(&codes[..3], &[StatusCode::UNAUTHORIZED; 3], "{codes:?}");
    assert_eq!(&codes[3..], &[StatusCode::TOO_MANY_REQUESTS; 2], "{codes:?}");
    assert!(statuses[4].body.contains("Too many attempts"), "{}", statuses[4].body);
    assert!(statuses[4].headers.get("retry-after").is_some());
    // Even the right password waits: that is the point.
    let page = client.post_form("/signin", &[("email", "ada@northwind.test"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_change_nothing() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let before = app.store.members(1).await.expect("members").len();
    for fields in [
        vec![("email", "new@northwind.test"), ("role", "member"), ("manager", "")],
        vec![("_csrf", "forged"), ("email", "new@northwind.test"), ("role", "member"), ("manager", "")],
    ] {
        let page = admin.post_raw("/admin/invitations", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
        assert!(page.body.contains("nothing was saved"), "{}", page.body);
    }
    assert!(app.store.invitations(1).await.expect("list").is_empty());
    assert_eq!(app.store.members(1).await.expect("members").len(), before);

    // A token from another session does not work either.
    let mut other = app.client();
    let foreign = other.csrf_token().await;
    let page = admin
        .post_raw("/admin/invitations", &[("_csrf", &foreign), ("email", "x@northwind.test"), ("role", "member")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cookies_and_headers_are_secure_by_default() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/setup").await;
    let cookie = page.headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "cookie lacks {flag}: {cookie}");
    }
    let csp = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).expect("CSP");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.headers.get("referrer-policy").and_then(|v| v.to_str().ok()), Some("same-origin"));
    assert_eq!(page.headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert_eq!(page.headers.get("x-frame-options").and_then(|v| v.to_str().ok()), Some("DENY"));
}

#[tokio::test]
async fn an_invitation_link_works_once_and_brings_the_person_in_with_role_and_manager() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let ada = app.store.first_organisation().await.expect("q").expect("org");
    let page = admin
        .post_form("/admin/invitations", &[("email", "theo@northwind.test"), ("role", "manager"), ("manager", "1")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&format!("value=\"http://{}/join/", app.addr)), "a full link to send: {}", page.body);
    let start = page.body.find("/join/").expect("the link is shown once");
    let link: String = page.body[start..].chars().take_while(|c| *c != '"').collect();

    let mut theo = app.client();
    let form = theo.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("theo@northwind.test") && form.body.contains("Northwind"));
    let short = theo.post_form(&link, &[("name", "Theo"), ("password", "short"), ("confirm", "short")]).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let joined =
        theo.post_form(&link, &[("name", "Theo Martins"), ("password", PASSWORD), ("confirm", PASSWORD)]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    let members = app.store.members(ada.id).await.expect("members");
    let created = members.iter().find(|m| m.email.as_str() == "theo@northwind.test").expect("joined");
    assert_eq!((created.role, created.manager_id), (OrgRole::Manager, Some(1)));
    assert_eq!(theo.get("/").await.status, StatusCode::OK, "signed in after joining");

    let reused = app.client().get(&link).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(reused.body.contains("already been used"), "{}", reused.body);
    let bogus = app.client().get("/join/not-a-real-token").await;
    assert_eq!(bogus.status, StatusCode::GONE);
    assert!(bogus.body.contains("not valid"), "{}", bogus.body);
}

#[tokio::test]
async fn an_expired_invitation_says_so() {
    let app = TestApp::spawn().await;
    drop(app.setup().await);
    let email = pmcoach_core::ids::Email::parse("late@northwind.test").expect("email");
    let secret = "an-expired-secret";
    let digest = pmcoach_web::secret_digest(secret);
    app.store
        .create_invitation(1, &email, OrgRole::Member, None, &digest, 1, pmcoach_store::now_millis() - 1)
        .await
        .expect("invite");
    let page = app.client().get(&format!("/join/{secret}")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("expired"), "{}", page.body);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let wrong = admin
        .post_form(
            "/settings/password",
            &[("current", "not my password"), ("password", "a new long password"), ("confirm", "a new long password")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("That is not your current password."));
    let done = admin
        .post_form(
            "/settings/password",
            &[("current", PASSWORD), ("password", "a new long password"), ("confirm", "a new long password")],
        )
        .await;
    assert_eq!(done.location(), Some("/settings?saved=password"));
    let mut fresh = app.client();
    let old = fresh.post_form("/signin", &[("email", "ada@northwind.test"), ("password", PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    fresh.sign_in("ada@northwind.test", "a new long password").await;
}

/// A session someone else holds (a stolen cookie, a forgotten laptop) dies
/// with the old password; the session that changed it goes on, under a new id.
#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let mut laptop = app.client();
    laptop.sign_in("ada@northwind.test", PASSWORD).await;
    assert_eq!(laptop.get("/settings").await.status, StatusCode::OK, "the second session works");
    let before = admin.session().cloned();

    let done = admin
        .post_form(
            "/settings/password",
            &[("current", PASSWORD), ("password", "a new long password"), ("confirm", "a new long password")],
        )
        .await;
    assert_eq!(done.location(), Some("/settings?saved=password"));
    assert_ne!(admin.session().cloned(), before, "the session id rotates");
    assert_eq!(admin.get("/settings").await.status, StatusCode::OK, "the session that changed it stays in");

    let page = laptop.get("/settings").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the other session is signed out");
    assert!(page.location().is_some_and(|to| to.starts_with("/signin")), "{:?}", page.location());
    let page = laptop.post_form("/settings/tokens", &[("name", "sneaky")]).await;
    assert_ne!(page.status, StatusCode::OK, "and can change nothing");
    assert!(app.store.api_tokens(1).await.expect("tokens").is_empty());
}

#[tokio::test]
async fn admins_set_roles_and_reporting_lines_and_get_clear_errors() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let (_, sam) = app.member("sam@northwind.test", "Sam", OrgRole::Member, None).await;
    let (_, maya) = app.member("maya@northwind.test", "Maya", OrgRole::Member, None).await;
    let page = admin.post_form(&format!("/admin/people/{}/role", sam.id), &[("role", "manager")]).await;
    assert_eq!(page.location(), Some("/admin/people?saved=role"));
    let page =
        admin.post_form(&format!("/admin/people/{}/manager", maya.id), &[("manager", &sam.id.to_string())]).await;
    assert_eq!(page.location(), Some("/admin/people?saved=manager"));
    assert_eq!(app.store.user(maya.id).await.expect("maya").manager_id, Some(sam.id));

    let bad_role = admin.post_form(&format!("/admin/people/{}/role", sam.id), &[("role", "overlord")]).await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    assert!(bad_role.body.contains("is not a role"), "{}", bad_role.body);
    let cycle =
        admin.post_form(&format!("/admin/people/{}/manager", sam.id), &[("manager", &maya.id.to_string())]).await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cycle.body.contains("loop"), "{}", cycle.body);
    let last_admin = admin.post_form("/admin/people/1/role", &[("role", "member")]).await;
    assert_eq!(last_admin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last_admin.body.contains("last admin"), "{}", last_admin.body);
    let bad_email =
        admin.post_form("/admin/invitations", &[("email", "nope"), ("role", "member"), ("manager", "")]).await;
    assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
    assert!(bad_email.body.contains("is not an e-mail address"), "{}", bad_email.body);
    let taken = admin
        .post_form("/admin/invitations", &[("email", "maya@northwind.test"), ("role", "member"), ("manager", "")])
        .await;
    assert!(taken.body.contains("already has an account"), "{}", taken.body);
}

#[tokio::test]
async fn api_tokens_are_shown_once_and_revocable() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let page = admin.post_form("/settings/tokens", &[("name", "CI")]).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page.body.find("value=\"pmc_").expect("token shown") + 7;
    let token: String = page.body[start..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(token.len(), 47);
    let listed = admin.get("/settings").await;
    assert!(!listed.body.contains(&token), "the token is never shown again");
    assert!(listed.body.contains("CI"));
    let tokens = app.store.api_tokens(1).await.expect("tokens");
    let revoke = admin.post_form(&format!("/settings/tokens/{}/revoke", tokens[0].id), &[]).await;
    assert_eq!(revoke.location(), Some("/settings?saved=revoked"));
    let again = admin.post_form(&format!("/settings/tokens/{}/revoke", tokens[0].id), &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let empty = admin.post_form("/settings/tokens", &[("name", "   ")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("Enter a name for the token."), "{}", empty.body);
}

#[tokio::test]
async fn unknown_pages_get_a_finished_404() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found") && page.body.contains("/static/app.css"));
}

#[tokio::test]
async fn healthz_reports_the_database() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["database"], "sqlite");
}

#[tokio::test]
async fn a_wrong_method_gets_a_clear_405_in_the_right_shape() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let page = client.send(reqwest::Method::DELETE, "/api/v1/me", |r| r).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(page.json()["error"]["code"], "method_not_allowed");
    let page = client.send(reqwest::Method::PUT, "/signin", |r| r).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.body.contains("does not accept PUT requests"), "{}", page.body);
}

#[tokio::test]
async fn admins_set_the_anonymity_threshold_never_below_two() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    assert!(admin.get("/admin/people").await.body.contains("value=\"3\""), "the default is 3");
    let page = admin.post_form("/admin/settings/anonymity", &[("threshold", "4")]).await;
    assert_eq!(page.location(), Some("/admin/people?saved=anonymity"));
    assert_eq!(app.store.first_organisation().await.expect("q").expect("org").anonymity_threshold, 4);
    for bad in ["1", "0", "many", "21"] {
        let page = admin.post_form("/admin/settings/anonymity", &[("threshold", bad)]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.body.contains("is not a valid threshold"), "{}", page.body);
    }
    assert_eq!(app.store.first_organisation().await.expect("q").expect("org").anonymity_threshold, 4, "unchanged");
}

/// Sets when every stored session of the app's SQLite database expires;
/// returns the latest expiry stored.
async fn stored_session_expiry(app: &TestApp, set_to: Option<i64>) -> i64 {
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", app.config.store_url())).await.expect("db");
    if let Some(at) = set_to {
        sqlx::query("UPDATE sessions SET expires_at = $1").bind(at).execute(&mut db).await.expect("update");
    }
    let (latest,): (i64,) =
        sqlx::query_as("SELECT MAX(expires_at) FROM sessions").fetch_one(&mut db).await.expect("read");
    latest
}

#[tokio::test]
async fn a_session_in_use_is_renewed_once_half_its_time_is_gone() {
    const HOUR: i64 = 3_600_000;
    let app = TestApp::spawn().await;
    app.setup().await;
    let (mut maya, _) = app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await;
    let lifetime = app.config.session_days * 24 * HOUR;
    let page = maya.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers.get("set-cookie").is_none(), "a fresh session is not written again");

    // Used every day, the session would still have run out this many days
    // after sign-in: with an hour left, the next page pushes it back.
    let now = pmcoach_store::now_millis();
    stored_session_expiry(&app, Some(now + HOUR)).await;
    let page = maya.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "still signed in");
    let cookie = page.headers.get("set-cookie").expect("the cookie is sent again").to_str().expect("text");
    assert!(cookie.contains(&format!("Max-Age={}", lifetime / 1000)), "{cookie}");
    let renewed = stored_session_expiry(&app, None).await;
    assert!(renewed >= now + lifetime - HOUR, "the stored expiry moved a whole lifetime on: {renewed}");

    let page = maya.get("/").await;
    assert!(page.headers.get("set-cookie").is_none(), "renewed once, not on every page");
}
