//! Stakeholders stories (issue 6), on SQLite and PostgreSQL.

use std::sync::Arc;

use pmcoach_core::ids::Email;
use pmcoach_store::stakeholders::{NewMeeting, StakeholderProfile};
use pmcoach_store::{NewUser, OrgRole, Store, StoreError, UserId};

use crate::story;

const DAY: i64 = 86_400_000;
/// A fixed clock: stories pass times explicitly, nothing waits.
const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

async fn two_people(store: &Arc<dyn Store>) -> (UserId, UserId) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let maya =
        store.create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    (ada.id, maya.id)
}

fn profile(name: &str, cadence_days: Option<i64>) -> StakeholderProfile {
    StakeholderProfile {
        name: name.to_owned(),
        function_id: "engineering".to_owned(),
        title: Some("Engineering lead".to_owned()),
        goals: "Focus time\nLess debt".to_owned(),
        pressures: "Changing scope".to_owned(),
        needs: "Context".to_owned(),
        channel: "Docs".to_owned(),
        style: "Precise".to_owned(),
        influence: 4,
        interest: 5,
        health: 3,
        cadence_days,
        last_met_at: None,
    }
}

fn meeting(met_at: i64, notes: &str) -> NewMeeting {
    NewMeeting {
        met_at,
        notes: notes.to_owned(),
        decisions: String::new(),
        follow_ups: "Send the scope doc".to_owned(),
    }
}

story!(a_stakeholder_is_kept_edited_and_archived_for_their_owner_only);
async fn a_stakeholder_is_kept_edited_and_archived_for_their_owner_only(store: Arc<dyn Store>) {
    let (ada, maya) = two_people(&store).await;
    let lena = store.create_stakeholder(maya, &profile("Lena Park", Some(14)), T0).await.expect("create");
    assert_eq!(lena.user_id, maya);
    assert_eq!(lena.created_at, T0);
    assert_eq!(lena.archived_at, None);
    assert_eq!(lena.profile, profile("Lena Park", Some(14)));
    let aaron = store.create_stakeholder(maya, &profile("aaron Diaz", None), T0).await.expect("create");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load"), lena);
    let names: Vec<String> =
        store.stakeholders(maya).await.expect("list").into_iter().map(|s| s.profile.name).collect();
    assert_eq!(names, ["aaron Diaz", "Lena Park"], "by name, whatever the case");

    // Another person sees nothing and changes nothing.
    assert!(store.stakeholders(ada).await.expect("list").is_empty());
    assert!(matches!(store.stakeholder(ada, lena.id).await, Err(StoreError::NotFound)));
    let hijack = profile("Hijacked", Some(1));
    assert!(matches!(store.update_stakeholder(ada, lena.id, &hijack, T0 + 1).await, Err(StoreError::NotFound)));
    assert!(matches!(store.set_stakeholder_archived(ada, lena.id, true, T0).await, Err(StoreError::NotFound)));
    assert!(matches!(store.log_meeting(ada, lena.id, &meeting(T0, "x"), T0).await, Err(StoreError::NotFound)));
    assert!(matches!(store.meetings(ada, lena.id).await, Err(StoreError::NotFound)));
    assert!(matches!(store.delete_stakeholder(ada, lena.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("still there"), lena);
    assert!(store.meetings(maya, lena.id).await.expect("meetings").is_empty());

    let edited = StakeholderProfile { health: 5, title: None, ..profile("Lena Park-Wu", Some(7)) };
    let saved = store.update_stakeholder(maya, lena.id, &edited, T0 + DAY).await.expect("update");
    assert_eq!(saved.profile, edited);
    assert_eq!(saved.updated_at, T0 + DAY);
    assert_eq!(saved.created_at, T0);

    store.set_stakeholder_archived(maya, lena.id, true, T0 + 2 * DAY).await.expect("archive");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load").archived_at, Some(T0 + 2 * DAY));
    store.set_stakeholder_archived(maya, lena.id, false, T0 + 3 * DAY).await.expect("restore");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load").archived_at, None);

    store.log_meeting(maya, aaron.id, &meeting(T0, "notes"), T0).await.expect("meeting");
    store.delete_stakeholder(maya, aaron.id).await.expect("delete");
    assert!(matches!(store.stakeholder(maya, aaron.id).await, Err(StoreError::NotFound)));
    assert!(matches!(store.meetings(maya, aaron.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.stakeholders(maya).await.expect("list").len(), 1);
}

story!(meetings_are_listed_newest_first_and_move_the_last_meeting_forward_only);
async fn meetings_are_listed_newest_first_and_move_the_last_meeting_forward_only(store: Arc<dyn Store>) {
    let (_, maya) = two_people(&store).await;
    let lena = store.create_stakeholder(maya, &profile("Lena Park", Some(14)), T0).await.expect("create");
    let first = store.log_meeting(maya, lena.id, &meeting(T0 + 10 * DAY, "scope"), T0 + 10 * DAY).await.expect("log");
    assert_eq!(first.notes, "scope");
    assert_eq!(first.follow_ups, "Send the scope doc");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load").profile.last_met_at, Some(T0 + 10 * DAY));

    // A meeting logged late, for an earlier day, leaves the last meeting where it is.
    store.log_meeting(maya, lena.id, &meeting(T0 + 3 * DAY, "earlier"), T0 + 11 * DAY).await.expect("log");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load").profile.last_met_at, Some(T0 + 10 * DAY));
    store.log_meeting(maya, lena.id, &meeting(T0 + 20 * DAY, "later"), T0 + 20 * DAY).await.expect("log");
    assert_eq!(store.stakeholder(maya, lena.id).await.expect("load").profile.last_met_at, Some(T0 + 20 * DAY));

    let notes: Vec<String> =
        store.meetings(maya, lena.id).await.expect("meetings").into_iter().map(|m| m.notes).collect();
    assert_eq!(notes, ["later", "scope", "earlier"]);
}

story!(a_1_1_is_overdue_exactly_when_its_cadence_has_passed);
async fn a_1_1_is_overdue_exactly_when_its_cadence_has_passed(store: Arc<dyn Store>) {
    let (ada, maya) = two_people(&store).await;
    // Never met: counts from when they were added.
    let never = store.create_stakeholder(maya, &profile("Never Met", Some(7)), T0).await.expect("create");
    // Met: counts from the last meeting.
    let met = store
        .create_stakeholder(
            ada,
            &StakeholderProfile { last_met_at: Some(T0 + DAY), ..profile("Met Once", Some(3)) },
            T0,
        )
        .await
        .expect("create");
    let no_cadence =
        store.create_stakeholder(maya, &profile("No Cadence", None), T0 - 400 * DAY).await.expect("create");
    let archived = store.create_stakeholder(maya, &profile("Archived", Some(1)), T0 - 400 * DAY).await.expect("create");
    store.set_stakeholder_archived(maya, archived.id, true, T0).await.expect("archive");

    let due_never = T0 + 7 * DAY;
    let due_met = T0 + DAY + 3 * DAY;
    assert_eq!(never.due_at(), Some(due_never));
    assert_eq!(met.due_at(), Some(due_met));
    assert_eq!(no_cadence.due_at(), None);

    let overdue = |now| {
        let store = store.clone();
        async move {
            store
                .overdue_one_on_ones(now)
                .await
                .expect("overdue")
                .into_iter()
                .map(|o| (o.user_id, o.stakeholder_id, o.stakeholder_name, o.due_at))
                .collect::<Vec<_>>()
        }
    };
    assert!(overdue(due_met - 1).await.is_empty(), "not overdue one millisecond before");
    assert_eq!(overdue(due_met).await, [(ada, met.id, "Met Once".to_owned(), due_met)], "overdue at the moment");
    assert_eq!(overdue(due_never - 1).await.len(), 1);
    assert_eq!(
        overdue(due_never).await,
        [(ada, met.id, "Met Once".to_owned(), due_met), (maya, never.id, "Never Met".to_owned(), due_never)],
        "most overdue first"
    );

    // A meeting moves the due date; its due_at stays the same until then.
    assert_eq!(overdue(due_never + 30 * DAY).await.len(), 2);
    store.log_meeting(ada, met.id, &meeting(due_met + DAY, "caught up"), due_met + DAY).await.expect("log");
    let next = due_met + DAY + 3 * DAY;
    assert_eq!(overdue(next - 1).await, [(maya, never.id, "Never Met".to_owned(), due_never)]);
    assert_eq!(overdue(next).await.len(), 2);

    // Restoring an archived stakeholder brings them back.
    store.set_stakeholder_archived(maya, archived.id, false, T0).await.expect("restore");
    let restored = overdue(T0).await;
    assert_eq!(restored, [(maya, archived.id, "Archived".to_owned(), T0 - 399 * DAY)]);
}
