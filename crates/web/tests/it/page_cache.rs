//! Pages keep their data until the data version moves (issue 8): these
//! prove a kept page never hides a change, whoever made it — this server,
//! a write straight into the database (the CLI, a script), or another
//! server on the same PostgreSQL database.

use pmcoach_store::OrgRole;

use crate::assessment::TPM_IN_AI;
use crate::harness::{Client, TestApp, fresh_pg_database};

async fn dashboard(client: &mut Client) -> String {
    let page = client.get("/").await;
    assert!(page.status.is_success(), "{}", page.status);
    page.body
}

async fn kept_pages_show_every_change(app: &TestApp) {
    app.setup().await;
    let (mut sam, sam_user) = app.member("sam@northwind.test", "Sam Okafor", OrgRole::Manager, None).await;
    let first = dashboard(&mut sam).await;
    assert!(!first.contains("Your team"), "no reports yet");
    assert_eq!(dashboard(&mut sam).await, first, "nothing changed, the same page");

    // A write that does not come through this server's pages.
    app.member("maya@northwind.test", "Maya Patel", OrgRole::Member, Some(sam_user.id)).await;
    let after = dashboard(&mut sam).await;
    assert!(after.contains("Your team") && after.contains("Maya Patel"), "the new report shows at once");

    // A write through the pages: the role context replaces the "start here" card.
    assert!(after.contains("Start here"));
    let saved = sam.post_form("/profile", TPM_IN_AI).await;
    assert!(saved.status.is_redirection(), "{}", saved.status);
    let with_context = dashboard(&mut sam).await;
    assert!(!with_context.contains("Start here") && with_context.contains("Your target profile"));
}

#[tokio::test]
async fn a_kept_page_shows_a_change_made_outside_the_server_at_once() {
    let app = TestApp::spawn().await;
    kept_pages_show_every_change(&app).await;
}

#[tokio::test]
async fn a_kept_page_shows_a_change_made_outside_the_server_at_once_on_postgres() {
    let Some(app) = TestApp::spawn_on_postgres().await else {
        eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL test skipped");
        return;
    };
    kept_pages_show_every_change(&app).await;
}

#[tokio::test]
async fn a_page_kept_by_one_server_shows_what_another_server_wrote() {
    let Ok(server) = std::env::var("PMCOACH_TEST_PG_URL") else {
        eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL test skipped");
        return;
    };
    let url = fresh_pg_database(&server).await;
    let first = TestApp::spawn_with(|config| config.database_url = Some(url.clone())).await;
    let second = TestApp::spawn_with(|config| config.database_url = Some(url)).await;
    first.setup().await;
    let (mut on_first, _) = first.member("maya@northwind.test", "Maya Patel", OrgRole::Member, None).await;
    let mut on_second = second.client();
    on_second.sign_in("maya@northwind.test", crate::harness::PASSWORD).await;

    let before = dashboard(&mut on_first).await;
    assert!(before.contains("Start here"));
    assert_eq!(dashboard(&mut on_first).await, before, "kept by the first server");

    let saved = on_second.post_form("/profile", TPM_IN_AI).await;
    assert!(saved.status.is_redirection(), "{}", saved.status);
    let after = dashboard(&mut on_first).await;
    assert!(
        !after.contains("Start here") && after.contains("Your target profile"),
        "the first server shows what the second wrote"
    );
}
