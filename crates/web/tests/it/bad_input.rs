//! Issue 8, bad input of every kind: a body over the limit, bytes that are
//! not UTF-8, a form that cannot be read, huge and out-of-range values, a
//! message of several megabytes. Each gets a clear answer in the page or API
//! shape, and changes nothing.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};

use crate::TestApp;
use crate::harness::{Client, Page};

/// Posts raw bytes as a form, with the session's CSRF token in front.
async fn post_bytes(client: &mut Client, path: &str, rest: &[u8]) -> Page {
    let token = client.csrf_token().await;
    let mut body = format!("_csrf={token}&").into_bytes();
    body.extend_from_slice(rest);
    client.send(Method::POST, path, |r| r.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body)).await
}

fn is_page(page: &Page) -> bool {
    page.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
        && page.body.contains("<h1>")
}

#[tokio::test]
async fn a_form_over_the_size_limit_gets_a_clear_413_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let big = format!("name={}", "a".repeat(3 * 1024 * 1024));
    let page = post_bytes(&mut admin, "/settings/tokens", big.as_bytes()).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", &page.body[..page.body.len().min(500)]);
    assert!(is_page(&page), "a finished page: {}", &page.body[..page.body.len().min(500)]);
    assert!(page.body.contains("2 MB"), "says the limit");
    assert!(app.store.api_tokens(1).await.expect("tokens").is_empty());
}

#[tokio::test]
async fn a_form_that_is_not_utf8_or_cannot_be_read_gets_a_clear_400() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    for (what, body) in [
        ("raw bytes that are not UTF-8", b"name=caf\xe9".to_vec()),
        ("percent-escapes that decode to bytes that are not UTF-8", b"name=%FF%FE".to_vec()),
        ("a field given twice where one is expected", b"name=a&name=b".to_vec()),
    ] {
        let page = post_bytes(&mut admin, "/settings/tokens", &body).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{what}: {}", page.body);
        assert!(is_page(&page), "{what}: a finished page, not a bare message: {}", page.body);
    }
    let page = post_bytes(&mut admin, "/admin/people/1/role", b"role=%FF").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(app.store.api_tokens(1).await.expect("tokens").is_empty(), "nothing was saved");
}

#[tokio::test]
async fn a_message_of_several_megabytes_to_the_coach_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let mut admin = app.setup().await;
    let text = "We shipped the export. ".repeat(5 * 1024 * 1024 / 23);
    let body = format!("audience=exec&kind=update&text={text}");
    let started = std::time::Instant::now();
    let page = post_bytes(&mut admin, "/coach", body.as_bytes()).await;
    assert!(page.status == StatusCode::PAYLOAD_TOO_LARGE, "{}", &page.body[..page.body.len().min(300)]);
    assert!(is_page(&page));
    // Not a hang: refused long before anything could have been checked.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
