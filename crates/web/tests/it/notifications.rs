//! Reminders (issue 6) through the running app: a pass of the reminders
//! task turns what is due into notifications under the bell, e-mails them
//! through a real SMTP conversation when e-mail is on, and two servers on one
//! PostgreSQL database send each reminder once.

use std::collections::BTreeMap;
use std::sync::Arc;

use pmcoach_store::{NotificationKind, OrgRole, now_millis};
use pmcoach_web::config::SmtpSecurity;
use pmcoach_web::reminders::{Reminders, RunReport};
use reqwest::StatusCode;

use crate::assessment::{TPM_IN_AI, invite, maya, start};
use crate::harness::{TestApp, fresh_pg_database};
use crate::smtp::SmtpSink;

const DAY: i64 = 86_400_000;

fn reminders(app: &TestApp) -> Reminders {
    Reminders::new(app.store.clone(), Arc::new(app.config.clone())).expect("reminders")
}

/// The app with e-mail going to `sink` over plain SMTP.
async fn with_email(sink: &SmtpSink, database_url: Option<String>) -> TestApp {
    let port = sink.port;
    TestApp::spawn_with(move |config| {
        config.public_url = Some("https://pmcoach.example.test".to_owned());
        config.email.enabled = true;
        config.email.smtp_host = "127.0.0.1".to_owned();
        config.email.smtp_port = port;
        config.email.security = SmtpSecurity::None;
        config.database_url = database_url;
    })
    .await
}

#[tokio::test]
async fn waiting_raters_ring_the_bell_once_and_the_notification_opens_where_it_points() {
    let app = TestApp::spawn().await;
    let (mut maya, user) = maya(&app).await;
    start(&mut maya, "focus").await;
    invite(&mut maya, "engineering", "").await;
    let invited = now_millis();

    let early = reminders(&app).run_once(invited + 6 * DAY).await.expect("pass");
    assert_eq!(early.created, 0, "a rater has a week before anyone is reminded");
    let page = maya.get("/").await;
    assert!(!page.body.contains("bell-count"), "no unread count yet");

    let due = invited + 7 * DAY + 1000;
    let report = reminders(&app).run_once(due).await.expect("pass");
    assert_eq!(report, RunReport { created: 1, ..RunReport::default() });
    assert_eq!(reminders(&app).run_once(due + 1000).await.expect("again").created, 0, "once per week");

    let page = maya.get("/").await;
    assert!(page.body.contains("Notifications: 1 unread"), "the bell counts it on every page");
    let page = maya.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 rater has not answered yet"), "{}", page.body);
    let stored = app.store.notifications(user.id, 10).await.expect("list");
    assert_eq!(stored.iter().map(|n| n.kind).collect::<Vec<_>>(), [NotificationKind::Raters]);
    let id = stored[0].id;

    // Somebody else cannot open (or even learn about) Maya's notification.
    let (mut theo, _) = app.member("theo@northwind.test", "Theo", OrgRole::Member, None).await;
    let page = theo.post_form(&format!("/notifications/{id}/open"), &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(app.store.notifications(user.id, 10).await.expect("list")[0].read_at.is_none(), "still unread");
    let page = theo.get("/notifications").await;
    assert!(page.body.contains("Nothing to remind you of"), "{}", page.body);

    let page = maya.post_form(&format!("/notifications/{id}/open"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/assessment/raters"));
    assert!(!maya.get("/").await.body.contains("bell-count"), "read: the count is gone");

    // The next week's reminder is a new one.
    let next_week = reminders(&app).run_once(invited + 14 * DAY + 1000).await.expect("pass");
    assert_eq!(next_week.created, 1);
    let page = maya.post_form("/notifications/read", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.unread_notifications(user.id).await.expect("count"), 0);
}

#[tokio::test]
async fn with_email_on_the_owner_is_told_and_the_rater_gets_a_fresh_working_link() {
    let sink = SmtpSink::start().await;
    let app = with_email(&sink, None).await;
    let (mut maya, _) = maya(&app).await;
    start(&mut maya, "focus").await;
    let old_token = invite(&mut maya, "engineering", "erin@northwind.test").await;

    let report = reminders(&app).run_once(now_millis() + 7 * DAY + 1000).await.expect("pass");
    assert_eq!(report, RunReport { created: 1, emailed: 2, ..RunReport::default() });
    let messages = sink.messages();
    let to_maya = messages.iter().find(|m| m.to == ["maya@northwind.test"]).expect("Maya is e-mailed");
    assert!(to_maya.text().contains("1 rater has not answered yet"), "{}", to_maya.data);
    assert!(to_maya.text().contains("https://pmcoach.example.test/assessment/raters"), "{}", to_maya.data);
    let to_erin = messages.iter().find(|m| m.to == ["erin@northwind.test"]).expect("the rater is reminded");
    let text = to_erin.text();
    assert!(text.contains("Maya Patel would value your feedback"), "{text}");
    assert!(!text.contains(&old_token), "the old link cannot be resent: only its hash is kept");
    let at =
        text.find("https://pmcoach.example.test/rate/").expect("a fresh link") + "https://pmcoach.example.test".len();
    let path: String = text[at..].chars().take_while(|c| !c.is_whitespace()).collect();

    let mut erin = app.client();
    assert_eq!(erin.get(&path).await.status, StatusCode::OK, "the fresh link works");
    assert_eq!(erin.get(&format!("/rate/{old_token}")).await.status, StatusCode::GONE, "the old one stopped");

    // Nothing is sent twice.
    let again = reminders(&app).run_once(now_millis() + 7 * DAY + 2000).await.expect("again");
    assert_eq!(again, RunReport::default());
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn people_who_turn_email_off_are_only_reminded_in_the_app() {
    let sink = SmtpSink::start().await;
    let app = with_email(&sink, None).await;
    let (mut maya, user) = maya(&app).await;
    let page = maya.get("/settings").await;
    assert!(page.body.contains("Also e-mail me my reminders"), "{}", page.body);
    let page = maya.post_form("/settings/reminders", &[]).await;
    assert_eq!(page.location(), Some("/settings?saved=reminders-off"));
    assert!(!app.store.email_reminders(user.id).await.expect("setting"));
    let page = maya.post_form("/settings/reminders", &[("email", "sometimes")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "a tampered checkbox is refused");
    assert!(!app.store.email_reminders(user.id).await.expect("unchanged"));

    start(&mut maya, "focus").await;
    invite(&mut maya, "sales", "").await;
    let report = reminders(&app).run_once(now_millis() + 8 * DAY).await.expect("pass");
    assert_eq!(report, RunReport { created: 1, ..RunReport::default() });
    assert!(sink.messages().is_empty(), "Maya turned e-mail off");

    let page = maya.post_form("/settings/reminders", &[("email", "on")]).await;
    assert_eq!(page.location(), Some("/settings?saved=reminders-on"));
    assert!(app.store.email_reminders(user.id).await.expect("setting"));
}

/// Issue 6: two app servers on one PostgreSQL database run their reminder
/// passes at the same moment; every reminder is created and sent once.
#[tokio::test]
async fn two_servers_on_one_postgres_send_each_reminder_once() {
    let Ok(server) = std::env::var("PMCOACH_TEST_PG_URL") else {
        eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL test skipped");
        return;
    };
    let url = fresh_pg_database(&server).await;
    let sink = SmtpSink::start().await;
    let first = with_email(&sink, Some(url.clone())).await;
    let second = with_email(&sink, Some(url)).await;
    first.setup().await;

    // Twelve people, each waiting for two raters with e-mail addresses.
    let people = 12;
    for n in 0..people {
        let (mut client, _) =
            first.member(&format!("pm{n}@northwind.test"), &format!("PM {n}"), OrgRole::Member, None).await;
        let page = client.post_form("/profile", TPM_IN_AI).await;
        assert!(page.status.is_redirection(), "{}", page.status);
        start(&mut client, "focus").await;
        invite(&mut client, "engineering", &format!("eng{n}@northwind.test")).await;
        invite(&mut client, "sales", &format!("sales{n}@northwind.test")).await;
    }

    let now = now_millis() + 7 * DAY + 1000;
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let pass = |app: &TestApp| {
        let reminders = reminders(app);
        let barrier = barrier.clone();
        tokio::spawn(async move {
            barrier.wait().await;
            reminders.run_once(now).await.expect("pass")
        })
    };
    let (a, b) = (pass(&first), pass(&second));
    let (a, b) = (a.await.expect("first server"), b.await.expect("second server"));
    assert_eq!(a.created + b.created, people, "one notification per person: {a:?} {b:?}");
    assert_eq!(a.emailed + b.emailed, people * 3, "each owner once, each rater once: {a:?} {b:?}");
    assert_eq!(a.failed + b.failed, 0);

    let mut per_address: BTreeMap<String, usize> = BTreeMap::new();
    for message in sink.messages() {
        for to in message.to {
            *per_address.entry(to).or_default() += 1;
        }
    }
    assert_eq!(per_address.len(), people * 3, "{per_address:?}");
    assert!(per_address.values().all(|&count| count == 1), "an address got two e-mails: {per_address:?}");

    // Both servers agree afterwards: nothing is left to send.
    let late = reminders(&second).run_once(now + 1000).await.expect("late pass");
    assert_eq!(late, RunReport::default());
}

/// Each kind of reminder, from the areas that know it is due: a check-in
/// two weeks after the plan started, a 1:1 past its cadence, raters a week
/// after they were invited, a reassessment a quarter after the last close.
#[tokio::test]
async fn every_kind_of_due_reminder_becomes_one_notification_when_it_falls_due() {
    let app = TestApp::spawn().await;
    let (mut maya, maya_user) = maya(&app).await;
    let t0 = now_millis();

    // Maya: a growth plan, a stakeholder to meet fortnightly, a closed assessment.
    let skill = pmcoach_core::ids::SkillId::parse("stakeholder-alignment").expect("skill");
    app.store
        .add_focus_skill(maya_user.id, &skill, "Get sign-off on the Q3 roadmap in one round", t0)
        .await
        .expect("plan");
    let profile = pmcoach_store::stakeholders::StakeholderProfile {
        name: "Dana Reyes".to_owned(),
        function_id: "engineering".to_owned(),
        influence: 4,
        interest: 4,
        health: 3,
        cadence_days: Some(14),
        ..Default::default()
    };
    let dana = app.store.create_stakeholder(maya_user.id, &profile, t0).await.expect("stakeholder");
    start(&mut maya, "focus").await;
    let cycle = app.store.open_cycle_of(maya_user.id).await.expect("query").expect("open");
    app.store.close_cycle(cycle.id, t0).await.expect("close");

    // Priya: waiting for a rater.
    let (mut priya, priya_user) = app.member("priya@northwind.test", "Priya", OrgRole::Member, None).await;
    let page = priya.post_form("/profile", TPM_IN_AI).await;
    assert!(page.status.is_redirection(), "{}", page.status);
    start(&mut priya, "focus").await;
    invite(&mut priya, "sales", "").await;

    let kinds = |notes: Vec<pmcoach_store::Notification>| notes.into_iter().map(|n| n.kind).collect::<Vec<_>>();
    assert_eq!(reminders(&app).run_once(t0 + 6 * DAY).await.expect("pass").created, 0, "nothing due in week one");

    let report = reminders(&app).run_once(t0 + 15 * DAY).await.expect("pass");
    assert_eq!(report.created, 3, "{report:?}");
    let mut mine = kinds(app.store.notifications(maya_user.id, 10).await.expect("list"));
    mine.sort();
    assert_eq!(mine, [NotificationKind::CheckIn, NotificationKind::OneOnOne]);
    assert_eq!(kinds(app.store.notifications(priya_user.id, 10).await.expect("list")), [NotificationKind::Raters]);
    let one_on_one = app.store.notifications(maya_user.id, 10).await.expect("list");
    let one_on_one = one_on_one.iter().find(|n| n.kind == NotificationKind::OneOnOne).expect("1:1");
    assert_eq!(one_on_one.title, "Your 1:1 with Dana Reyes is overdue");
    assert_eq!(one_on_one.link, format!("/stakeholders/{}", dana.id));

    // Still overdue later: no second notification for the same due date.
    assert_eq!(reminders(&app).run_once(t0 + 20 * DAY).await.expect("pass").created, 0);

    // A quarter after the close, the reassessment (Priya's link has expired by now).
    let report = reminders(&app).run_once(t0 + 92 * DAY).await.expect("pass");
    assert_eq!(report.created, 1, "{report:?}");
    assert_eq!(kinds(app.store.notifications(maya_user.id, 1).await.expect("list")), [NotificationKind::Reassessment]);
}
