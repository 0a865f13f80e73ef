//! Notifications (issue 6, reminders) on both backends: each reminder is
//! created once per due period, and each e-mail is claimed by one server.

use std::collections::BTreeSet;
use std::sync::Arc;

use pmcoach_core::framework::model::Observer;
use pmcoach_core::ids::Email;
use pmcoach_store::{EmailState, NewNotification, NewUser, NotificationKind, OrgRole, Store, StoreError, User};

use crate::assessments::{context, small_cycle};
use crate::story;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

async fn people(store: &Arc<dyn Store>) -> (User, User) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let maya =
        store.create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    (ada, maya)
}

fn reminder(user: &User, key: &str, email: bool) -> NewNotification {
    NewNotification {
        user_id: user.id,
        kind: NotificationKind::CheckIn,
        dedupe_key: key.to_owned(),
        title: "Your check-in is due".to_owned(),
        body: "Two weeks since your last check-in.".to_owned(),
        link: "/plan".to_owned(),
        email,
    }
}

story!(a_reminder_is_created_once_per_key_and_read_only_by_its_owner);
async fn a_reminder_is_created_once_per_key_and_read_only_by_its_owner(store: Arc<dyn Store>) {
    let (ada, maya) = people(&store).await;
    let first = store.create_notification(&reminder(&maya, "check-in:1:100", false), T0).await.expect("create");
    let first = first.expect("created the first time");
    assert_eq!((first.kind, first.read_at, first.email_state), (NotificationKind::CheckIn, None, EmailState::None));
    let again = store.create_notification(&reminder(&maya, "check-in:1:100", true), T0 + 1).await.expect("again");
    assert_eq!(again, None, "the same key is not created twice");
    store.create_notification(&reminder(&maya, "check-in:1:200", false), T0 + 2).await.expect("next").expect("new");
    assert_eq!(store.unread_notifications(maya.id).await.expect("count"), 2);
    assert_eq!(store.unread_notifications(ada.id).await.expect("count"), 0);

    let listed = store.notifications(maya.id, 10).await.expect("list");
    assert_eq!(listed.len(), 2);
    assert!(listed[0].created_at > listed[1].created_at, "newest first");

    let stranger = store.read_notification(ada.id, first.id, T0 + 3).await;
    assert!(matches!(stranger, Err(StoreError::NotFound)), "{stranger:?}");
    assert_eq!(store.unread_notifications(maya.id).await.expect("count"), 2, "nothing changed");
    let read = store.read_notification(maya.id, first.id, T0 + 3).await.expect("read");
    assert_eq!(read.read_at, Some(T0 + 3));
    let reread = store.read_notification(maya.id, first.id, T0 + 9).await.expect("read again");
    assert_eq!(reread.read_at, Some(T0 + 3), "the first reading time is kept");
    assert_eq!(store.read_all_notifications(maya.id, T0 + 4).await.expect("all"), 1);
    assert_eq!(store.unread_notifications(maya.id).await.expect("count"), 0);
}

story!(e_mail_goes_only_to_people_who_want_it);
async fn e_mail_goes_only_to_people_who_want_it(store: Arc<dyn Store>) {
    let (ada, maya) = people(&store).await;
    assert!(store.email_reminders(maya.id).await.expect("default"), "e-mail reminders are on by default");
    store.set_email_reminders(ada.id, false).await.expect("ada opts out");
    assert!(!store.email_reminders(ada.id).await.expect("off"));
    assert!(matches!(store.set_email_reminders(ada.id + 1000, false).await, Err(StoreError::NotFound)));

    let for_maya = store.create_notification(&reminder(&maya, "a", true), T0).await.expect("maya").expect("new");
    let for_ada = store.create_notification(&reminder(&ada, "b", true), T0).await.expect("ada").expect("new");
    let in_app = store.create_notification(&reminder(&maya, "c", false), T0).await.expect("in-app").expect("new");
    assert_eq!(for_maya.email_state, EmailState::Pending);
    assert_eq!(for_ada.email_state, EmailState::None, "Ada turned e-mail off");
    assert_eq!(in_app.email_state, EmailState::None);

    let claimed = store.claim_emails(T0 + 1, T0 - DAY, 3, 10).await.expect("claim");
    let view: Vec<_> = claimed.iter().map(|c| (c.notification.id, c.to.as_str(), c.attempts)).collect();
    assert_eq!(view, [(for_maya.id, "maya@northwind.test", 1)]);
    assert!(store.claim_emails(T0 + 2, T0 - DAY, 3, 10).await.expect("again").is_empty(), "claimed once");
    store.finish_email(for_maya.id, true, false).await.expect("sent");
    let sent = store.notifications(maya.id, 10).await.expect("list");
    assert_eq!(sent.iter().find(|n| n.id == for_maya.id).map(|n| n.email_state), Some(EmailState::Sent));
}

story!(a_claim_abandoned_by_a_dead_server_is_taken_again_a_few_times);
async fn a_claim_abandoned_by_a_dead_server_is_taken_again_a_few_times(store: Arc<dyn Store>) {
    let (_, maya) = people(&store).await;
    let note = store.create_notification(&reminder(&maya, "k", true), T0).await.expect("create").expect("new");
    let stale = 10 * 60_000;
    assert_eq!(store.claim_emails(T0, T0 - stale, 3, 10).await.expect("1").len(), 1);
    // The claimer died. Not stale yet one millisecond before the limit…
    assert!(store.claim_emails(T0 + stale, T0, 3, 10).await.expect("fresh").is_empty());
    // …and taken again once it is.
    let second = store.claim_emails(T0 + stale + 1, T0 + 1, 3, 10).await.expect("2");
    assert_eq!(second.iter().map(|c| c.attempts).collect::<Vec<_>>(), [2]);
    // A failure worth retrying puts it back; the third claim is the last.
    store.finish_email(note.id, false, true).await.expect("retry");
    assert_eq!(store.claim_emails(T0 + stale + 2, T0, 3, 10).await.expect("3")[0].attempts, 3);
    store.finish_email(note.id, false, true).await.expect("retry");
    assert!(store.claim_emails(T0 + stale + 3, T0 + stale + 3, 3, 10).await.expect("4").is_empty(), "gave up");
}

story!(two_servers_claiming_at_once_send_each_e_mail_once);
async fn two_servers_claiming_at_once_send_each_e_mail_once(store: Arc<dyn Store>) {
    let (_, maya) = people(&store).await;
    let mut all = BTreeSet::new();
    for n in 0..60 {
        let created = store.create_notification(&reminder(&maya, &format!("k{n}"), true), T0).await.expect("create");
        all.insert(created.expect("new").id);
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let drain = |store: Arc<dyn Store>, barrier: Arc<tokio::sync::Barrier>| {
        tokio::spawn(async move {
            barrier.wait().await;
            let mut mine = Vec::new();
            loop {
                let batch = store.claim_emails(T0 + 1, T0 - DAY, 3, 7).await.expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|c| c.notification.id));
            }
        })
    };
    let a = drain(store.clone(), barrier.clone());
    let b = drain(store.clone(), barrier);
    let (a, b) = (a.await.expect("task a"), b.await.expect("task b"));
    let mut seen = BTreeSet::new();
    for id in a.iter().chain(&b) {
        assert!(seen.insert(*id), "notification {id} claimed twice");
    }
    assert_eq!(seen, all, "every pending e-mail is claimed by one of the two");
}

story!(people_waiting_for_raters_are_found_after_the_waiting_time);
async fn people_waiting_for_raters_are_found_after_the_waiting_time(store: Arc<dyn Store>) {
    let (_, maya) = people(&store).await;
    let cycle = store.open_cycle(maya.id, &small_cycle(), &context(), T0).await.expect("open");
    let email = |raw: &str| Email::parse(raw).expect("email");
    store.create_rater_invite(cycle, Observer::Engineering, None, "h1", T0 + 30 * DAY, T0).await.expect("a");
    store
        .create_rater_invite(cycle, Observer::Sales, Some(&email("s@x.test")), "h2", T0 + 30 * DAY, T0 + DAY)
        .await
        .expect("b");
    let week = 7 * DAY;
    assert!(store.waiting_raters(T0 + week - 1, week).await.expect("early").is_empty());
    let due = store.waiting_raters(T0 + week, week).await.expect("one");
    assert_eq!(
        due.iter().map(|w| (w.user_id, w.cycle_id, w.waiting, w.oldest_invited_at)).collect::<Vec<_>>(),
        [(maya.id, cycle, 1, T0)]
    );
    assert_eq!(store.waiting_raters(T0 + DAY + week, week).await.expect("two")[0].waiting, 2);
    assert!(store.waiting_raters(T0 + 30 * DAY, week).await.expect("expired").is_empty(), "expired links wait no more");
    store.close_cycle(cycle, T0 + 2 * DAY).await.expect("close");
    assert!(store.waiting_raters(T0 + DAY + week, week).await.expect("closed").is_empty());
}
