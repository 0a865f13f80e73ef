//! Browser tests: the main journey in a real headless Chromium driven over
//! WebDriver. They need Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs and then runs these with `--ignored`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::TestApp;
use crate::harness::PASSWORD;

/// A chromedriver process and a browser session on it, closed on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900"]
            }),
        );
        let mut last_error = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => return Browser { client, driver },
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("cannot start a Chromium session: {last_error:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    pub async fn select(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        field.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks something that loads a page (a submit button, a link) and
    /// waits until the page it was on is gone: comparing paths cannot tell
    /// when a form posts back to the page it is on.
    pub async fn click_and_load(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.expect("the current page");
        self.click(css).await;
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("clicking {css} did not load a page within five seconds");
    }

    /// The text of the first element matching `css`. When a click has
    /// started a navigation the element found may belong to the page being
    /// left; it then goes stale, and the new page's element is looked up again.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            let element =
                self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            match element.text().await {
                Ok(text) => return text,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("text of {css}: {e}"),
            }
        }
        panic!("{css} kept going stale for five seconds")
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.expect("url").path().to_owned()
    }

    /// Waits for a navigation started by a click to arrive at `path`.
    pub async fn arrive(&self, path: &str) {
        for _ in 0..100 {
            if self.path().await == path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected to arrive at {path}, still at {}", self.path().await);
    }

    pub async fn page_text(&self) -> String {
        self.text("main").await
    }

    /// Ends the browser session; chromedriver itself stops on drop.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn first_run_to_profile_glossary_and_coach() {
    let app = TestApp::spawn().await;
    let browser = Browser::start().await;

    // A fresh install opens on setup.
    browser.goto(&app.url("/")).await;
    assert_eq!(browser.path().await, "/setup");
    browser.fill("#organisation", "Northwind").await;
    browser.fill("#name", "Ada Okafor").await;
    browser.fill("#email", "ada@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#confirm", PASSWORD).await;
    browser.click("form[action='/setup'] button[type=submit]").await;

    // Setup signs the new admin in and asks for their role context.
    browser.arrive("/profile").await;

    // Sign out and back in, as a returning user would.
    browser.click("form[action='/signout'] button").await;
    browser.arrive("/signin").await;
    browser.fill("#email", "ada@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("form[action='/signin'] button[type=submit]").await;
    browser.arrive("/").await;
    assert!(browser.text("h1").await.contains("Hello, Ada"));

    // Set a role context and see the target profile with its reasons.
    browser.goto(&app.url("/profile")).await;
    browser.select("select[name=role]", "tpm").await;
    browser.select("select[name=level]", "senior").await;
    browser.select("select[name=stage]", "early").await;
    browser.fill("input[name=industry]", "ai").await;
    browser.click("label[for='f-technicality-high']").await;
    browser.click("form[action='/profile'] button[type=submit]").await;
    browser.arrive("/profile").await;
    let profile = browser.page_text().await;
    assert!(profile.contains("AI and LLM literacy"), "{profile}");
    // The reasons sit in collapsed <details>: present in the page, opened on demand.
    let source = browser.client.source().await.expect("page source");
    assert!(source.contains("industry ai"), "the reasons are on the page");
    let chart = browser.client.find(Locator::Css("main svg")).await.expect("a chart");
    assert!(chart.attr("role").await.expect("attr").as_deref() == Some("img"));

    // Search the glossary and open a skill.
    browser.goto(&app.url("/glossary")).await;
    browser.fill("input[name=q]", "pandas").await;
    browser.click("form[action='/glossary'] button").await;
    browser.arrive("/glossary").await;
    assert!(browser.page_text().await.contains("Data analysis"));
    browser.click("main a[href='/glossary/data-analysis']").await;
    browser.arrive("/glossary/data-analysis").await;
    let skill = browser.page_text().await;
    for level in ["Learning", "Developing", "Proficient", "Advanced", "Role model"] {
        assert!(skill.contains(level), "{level} missing from the skill page");
    }

    // Check a message for an executive: the missing ask is flagged.
    browser.goto(&app.url("/coach")).await;
    browser
        .fill("#text", "Hi Dana,\n\nThe team has been working really hard on the export feature and things are going well. We might possibly ship soon.\n")
        .await;
    browser.select("#audience", "exec").await;
    browser.click("#coach-form button[type=submit]").await;
    browser.arrive("/coach").await;
    let result = browser.text(".coach-result").await;
    let score = browser
        .client
        .find(Locator::Css(".coach-result"))
        .await
        .expect("result")
        .attr("data-score")
        .await
        .expect("attr");
    assert!(score.and_then(|s| s.parse::<u8>().ok()).is_some_and(|s| s < 100), "a score below 100");
    assert!(result.contains("vague-time"), "the vague date is flagged: {result}");

    browser.close().await;
}

/// The owner's view of one group on the assessment home: "2 of 3 … not enough answers yet".
fn group_row(page: &str, label: &str) -> String {
    let start =
        page.find(&format!("<th scope=\"row\">{label}</th>")).unwrap_or_else(|| panic!("no {label} row: {page}"));
    let end = page[start..].find("</tr>").map_or(page.len(), |e| start + e);
    page[start..end].to_owned()
}

/// Answers every question of a rater link with level 3, page by page, and sends.
async fn answer_as_rater(link: &str) {
    let browser = Browser::start().await;
    browser.goto(link).await;
    for _ in 0..20 {
        let labels = browser.client.find_all(Locator::Css("label.level-option[for$='-3']")).await.expect("levels");
        for label in labels {
            label.click().await.expect("choose level 3");
        }
        if let Ok(send) = browser.client.find(Locator::Css("button[name=submit]")).await {
            send.click().await.expect("send");
            let thanks = format!("{}/thanks", url_path(link));
            browser.arrive(&thanks).await;
            browser.close().await;
            return;
        }
        browser.click("button[name=go][value=next]").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("never reached the last page of {link}");
}

fn url_path(link: &str) -> String {
    link.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| link.to_owned())
}

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn engineering_appears_only_after_the_third_answer() {
    use pmcoach_core::context::{CareerLevel, Degree, Role, RoleContext};

    let app = TestApp::spawn().await;
    let mut owner = app.setup().await;
    let context = RoleContext { technicality: Degree::High, ..RoleContext::new(Role::Tpm, CareerLevel::Senior) };
    app.store.save_role_context(1, &context).await.expect("role context");
    let started = owner.post_form("/assessment/start", &[("mode", "focus")]).await;
    assert_eq!(started.status, reqwest::StatusCode::SEE_OTHER, "{}", started.body);

    let mut links = Vec::new();
    for _ in 0..3 {
        let page = owner.post_form("/assessment/raters", &[("group", "engineering"), ("email", "")]).await;
        let start = page.body.find("/rate/").expect("a rater link is shown");
        let token: String = page.body[start + 6..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        links.push(app.url(&format!("/rate/{token}")));
    }

    for (answered, link) in links.iter().enumerate() {
        let before = group_row(&owner.get("/assessment").await.body, "Engineering");
        assert!(before.contains(&format!("{answered} of 3")), "{before}");
        assert!(
            !before.contains("enough answers to be shown"),
            "engineering is not shown with {answered} answers: {before}"
        );
        // Each rater in a browser of their own: no cookies, no account.
        answer_as_rater(link).await;
    }
    let after = group_row(&owner.get("/assessment").await.body, "Engineering");
    assert!(after.contains("3 of 3") && after.contains("enough answers to be shown"), "{after}");

    // Close and look at the results as the owner, in a browser.
    let closed = owner.post_form("/assessment/close", &[("confirm", "yes")]).await;
    assert_eq!(closed.location(), Some("/results"), "{}", closed.body);
    let browser = Browser::start().await;
    browser.goto(&app.url("/signin")).await;
    browser.fill("#email", "ada@northwind.test").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("form[action='/signin'] button[type=submit]").await;
    browser.arrive("/").await;
    browser.goto(&app.url("/results")).await;
    let pools = browser.client.find_all(Locator::Css("li.pool:not(.withheld) .pool-name")).await.expect("pools");
    let mut shown = Vec::new();
    for pool in pools {
        shown.push(pool.text().await.expect("text"));
    }
    assert!(shown.iter().any(|name| name.to_lowercase().contains("engineering")), "engineering is shown: {shown:?}");
    assert!(browser.client.find_all(Locator::Css("li.pool.withheld")).await.expect("pools").is_empty());
    browser.close().await;
}
