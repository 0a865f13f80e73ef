//! Growth stories (issue 6), on SQLite and PostgreSQL: plans and their
//! rules, the practice log, check-ins, and exactly when check-ins and
//! reassessments fall due.

use std::sync::Arc;

use pmcoach_core::framework::model::Cadence;
use pmcoach_core::growth::{CheckInFeeling, Date};
use pmcoach_core::ids::{Email, SkillId};
use pmcoach_store::growth::{CheckInAnswer, FocusOutcome, NewPractice};
use pmcoach_store::{DueCheckIn, DueReassessment, NewUser, OrgRole, Store, StoreError, User};

use crate::assessments::{context, small_cycle};
use crate::story;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

fn skill(id: &str) -> SkillId {
    SkillId::parse(id).expect("skill id")
}

async fn two_people(store: &Arc<dyn Store>) -> (User, User) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let maya =
        store.create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    (ada, maya)
}

fn entry(skill_id: &str, day: &str, did: &str) -> NewPractice {
    NewPractice {
        skill: skill(skill_id),
        activity_id: None,
        day: Date::parse(day).expect("day"),
        did: did.to_owned(),
        happened: String::new(),
        learned: "Ask for the trade-off first.".to_owned(),
        next_step: String::new(),
    }
}

story!(a_plan_holds_three_focus_skills_and_keeps_its_history);
async fn a_plan_holds_three_focus_skills_and_keeps_its_history(store: Arc<dyn Store>) {
    let (ada, maya) = two_people(&store).await;
    assert_eq!(store.plan(maya.id).await.expect("plan"), None);
    let first = store.add_focus_skill(maya.id, &skill("empathy"), "Hear the trade-off first", T0).await.expect("1");
    store.add_focus_skill(maya.id, &skill("sql"), "Pull my own funnel numbers", T0 + 1).await.expect("2");
    let dup = store.add_focus_skill(maya.id, &skill("empathy"), "again", T0 + 2).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    store.add_focus_skill(maya.id, &skill("storytelling"), "One story per review", T0 + 3).await.expect("3");
    let fourth = store.add_focus_skill(maya.id, &skill("negotiation"), "Trade scope", T0 + 4).await;
    assert!(matches!(&fourth, Err(StoreError::Conflict(m)) if m.contains("3 focus skills")), "{fourth:?}");

    // Someone else cannot finish, re-goal or extend Maya's focus skill.
    assert!(matches!(
        store.end_focus_skill(ada.id, first, FocusOutcome::Finished, T0).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(store.set_focus_goal(ada.id, first, "mine now").await, Err(StoreError::NotFound)));
    let foreign = store.add_activity(ada.id, first, None, "Sneak in", Cadence::Weekly, T0).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)));

    let activity = store
        .add_activity(maya.id, first, Some("engineering-why"), "Ask an engineer why", Cadence::Weekly, T0 + 5)
        .await
        .expect("activity");
    let again = store.add_activity(maya.id, first, Some("engineering-why"), "twice", Cadence::Weekly, T0 + 6).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    store.add_activity(maya.id, first, None, "Shadow a support call", Cadence::Monthly, T0 + 7).await.expect("custom");
    store.set_focus_goal(maya.id, first, "Restate the engineer's trade-off before I propose").await.expect("goal");

    store.end_focus_skill(maya.id, first, FocusOutcome::Finished, T0 + DAY).await.expect("finish");
    assert!(matches!(
        store.end_focus_skill(maya.id, first, FocusOutcome::Removed, T0).await,
        Err(StoreError::NotFound)
    ));
    // Room again, for a skill finished before too.
    store.add_focus_skill(maya.id, &skill("empathy"), "Round two", T0 + 2 * DAY).await.expect("re-add");

    let plan = store.plan(maya.id).await.expect("plan").expect("exists");
    assert_eq!(plan.skills.len(), 4);
    assert_eq!(plan.active().count(), 3);
    let finished = &plan.skills[0];
    assert_eq!(finished.outcome, Some(FocusOutcome::Finished));
    assert_eq!(finished.ended_at, Some(T0 + DAY));
    assert_eq!(finished.goal, "Restate the engineer's trade-off before I propose");
    assert_eq!(finished.activities.len(), 2);
    assert_eq!(finished.activities[0].id, activity);
    assert_eq!(finished.activities[0].activity.as_deref(), Some("engineering-why"));
    assert_eq!(finished.activities[1].cadence, Cadence::Monthly);
    assert_eq!(plan.started_at(), Some(T0 + 1));
    assert!(!plan.shared);

    assert!(matches!(store.remove_activity(ada.id, activity).await, Err(StoreError::NotFound)));
    store.remove_activity(maya.id, activity).await.expect("remove");
    assert!(matches!(store.remove_activity(maya.id, activity).await, Err(StoreError::NotFound)));

    store.set_plan_shared(maya.id, true, T0).await.expect("share");
    store.set_check_in_days(maya.id, Some(7), T0).await.expect("days");
    let plan = store.plan(maya.id).await.expect("plan").expect("exists");
    assert!(plan.shared);
    assert_eq!(plan.check_in_days, Some(7));
    assert_eq!(store.plan(ada.id).await.expect("ada"), None);
}

story!(practice_entries_belong_to_their_owner);
async fn practice_entries_belong_to_their_owner(store: Arc<dyn Store>) {
    let (ada, maya) = two_people(&store).await;
    let focus = store.add_focus_skill(maya.id, &skill("empathy"), "Listen", T0).await.expect("focus");
    let activity =
        store.add_activity(maya.id, focus, None, "Listen to a churn call", Cadence::Weekly, T0).await.expect("act");
    let mut with_activity = entry("empathy", "2026-03-10", "Listened to the Harbor churn call");
    with_activity.activity_id = Some(activity);
    let a = store.create_practice(maya.id, &with_activity, T0).await.expect("a");
    assert_eq!(a.activity_title.as_deref(), Some("Listen to a churn call"));
    let b =
        store.create_practice(maya.id, &entry("sql", "2026-03-12", "Wrote the WAU query"), T0 + 1).await.expect("b");
    let c =
        store.create_practice(maya.id, &entry("empathy", "2026-03-12", "Asked why twice"), T0 + 2).await.expect("c");

    // Ada cannot link Maya's activity, read, change or delete Maya's entries.
    let mut stolen = entry("empathy", "2026-03-12", "x");
    stolen.activity_id = Some(activity);
    assert!(matches!(store.create_practice(ada.id, &stolen, T0).await, Err(StoreError::NotFound)));
    assert!(matches!(store.practice_entry(ada.id, a.id).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.update_practice(ada.id, a.id, &entry("sql", "2026-03-01", "x"), T0).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(store.delete_practice(ada.id, a.id).await, Err(StoreError::NotFound)));
    assert!(store.practice_entries(ada.id, None).await.expect("ada's").is_empty());

    // Newest day first; on one day, the later entry first.
    let all = store.practice_entries(maya.id, None).await.expect("all");
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![c.id, b.id, a.id]);
    let since = store.practice_entries(maya.id, Some(Date::parse("2026-03-11").expect("d"))).await.expect("since");
    assert_eq!(since.iter().map(|e| e.id).collect::<Vec<_>>(), vec![c.id, b.id]);

    let mut edited = entry("empathy", "2026-03-09", "Listened to the Harbor churn call, twice");
    edited.happened = "They never mentioned price.".to_owned();
    let updated = store.update_practice(maya.id, a.id, &edited, T0 + 10).await.expect("update");
    assert_eq!((updated.day.to_string().as_str(), updated.updated_at, updated.created_at), ("2026-03-09", T0 + 10, T0));
    assert_eq!(updated.happened, "They never mentioned price.");
    assert_eq!(updated.activity_id, None);

    // Removing an activity keeps the entries that named it.
    let mut linked = entry("empathy", "2026-03-13", "Second churn call");
    linked.activity_id = Some(activity);
    let d = store.create_practice(maya.id, &linked, T0 + 11).await.expect("d");
    store.remove_activity(maya.id, activity).await.expect("remove");
    let kept = store.practice_entry(maya.id, d.id).await.expect("kept");
    assert_eq!((kept.activity_id, kept.activity_title), (None, None));

    store.delete_practice(maya.id, b.id).await.expect("delete");
    assert!(matches!(store.practice_entry(maya.id, b.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.practice_entries(maya.id, None).await.expect("left").len(), 3);
}

story!(check_ins_answer_for_active_focus_skills_and_set_the_next_due_date);
async fn check_ins_answer_for_active_focus_skills_and_set_the_next_due_date(store: Arc<dyn Store>) {
    let (ada, maya) = two_people(&store).await;
    let org_days = store.organisation(maya.org_id).await.expect("org").check_in_days;
    assert_eq!(org_days, 14);
    let start = T0;
    let focus = store.add_focus_skill(maya.id, &skill("empathy"), "Listen", start).await.expect("focus");
    let ended = store.add_focus_skill(maya.id, &skill("sql"), "Query", start + 5).await.expect("sql");
    store.end_focus_skill(maya.id, ended, FocusOutcome::Removed, start + 6).await.expect("end");
    let due = start + 14 * DAY;

    // Exact: not due one millisecond before, due at the moment, same key after.
    assert_eq!(store.due_check_ins(due - 1).await.expect("before"), vec![]);
    assert_eq!(store.due_check_ins(due).await.expect("at"), vec![DueCheckIn { user_id: maya.id, due_at: due }]);
    assert_eq!(
        store.due_check_ins(due + 3 * DAY).await.expect("later"),
        vec![DueCheckIn { user_id: maya.id, due_at: due }]
    );

    let answer = |focus_id, confidence| CheckInAnswer {
        focus_id,
        feeling: CheckInFeeling::Steady,
        confidence,
        note: "Two calls this fortnight".to_owned(),
    };
    let wrong = store.record_check_in(maya.id, &[answer(ended, 3)], due).await;
    assert!(matches!(wrong, Err(StoreError::Conflict(_))), "an ended skill takes no answer");
    let foreign = store.record_check_in(ada.id, &[answer(focus, 3)], due).await;
    assert!(matches!(foreign, Err(StoreError::Conflict(_))), "someone else's skill takes no answer");
    let checked = due + 2 * DAY;
    store.record_check_in(maya.id, &[answer(focus, 4)], checked).await.expect("check in");
    assert_eq!(store.due_check_ins(checked + 14 * DAY - 1).await.expect("after check-in"), vec![]);
    assert_eq!(
        store.due_check_ins(checked + 14 * DAY).await.expect("next"),
        vec![DueCheckIn { user_id: maya.id, due_at: checked + 14 * DAY }]
    );
    // Her own interval wins over the organisation's.
    store.set_check_in_days(maya.id, Some(7), checked).await.expect("days");
    assert_eq!(
        store.due_check_ins(checked + 7 * DAY).await.expect("weekly"),
        vec![DueCheckIn { user_id: maya.id, due_at: checked + 7 * DAY }]
    );
    let plan = store.plan(maya.id).await.expect("plan").expect("exists");
    assert_eq!(plan.check_ins.len(), 1);
    assert_eq!(plan.check_ins[0].answers, vec![answer(focus, 4)]);
    assert_eq!(plan.next_check_in(org_days), Some(checked + 7 * DAY));

    // A plan without an active focus skill has nothing to check in on.
    store.end_focus_skill(maya.id, focus, FocusOutcome::Finished, checked + DAY).await.expect("finish");
    assert_eq!(store.due_check_ins(checked + 100 * DAY).await.expect("none"), vec![]);
}

story!(reassessment_falls_due_a_quarter_after_the_last_closed_cycle);
async fn reassessment_falls_due_a_quarter_after_the_last_closed_cycle(store: Arc<dyn Store>) {
    let (_ada, maya) = two_people(&store).await;
    let every = 90 * DAY;
    assert_eq!(store.due_reassessments(T0 + 1000 * DAY, every).await.expect("never assessed"), vec![]);
    let first = store.open_cycle(maya.id, &small_cycle(), &context(), T0).await.expect("open");
    let closed = T0 + 10 * DAY;
    store.close_cycle(first, closed).await.expect("close");
    let due = closed + every;
    assert_eq!(store.due_reassessments(due - 1, every).await.expect("before"), vec![]);
    assert_eq!(
        store.due_reassessments(due, every).await.expect("at"),
        vec![DueReassessment { user_id: maya.id, due_at: due }]
    );
    assert_eq!(
        store.due_reassessments(due + 20 * DAY, every).await.expect("later, same key"),
        vec![DueReassessment { user_id: maya.id, due_at: due }]
    );
    // Reassessing (an open cycle) silences it; closing it moves the date.
    let second = store.open_cycle(maya.id, &small_cycle(), &context(), due + DAY).await.expect("reopen");
    assert_eq!(store.due_reassessments(due + 20 * DAY, every).await.expect("open"), vec![]);
    store.close_cycle(second, due + 5 * DAY).await.expect("close again");
    assert_eq!(store.due_reassessments(due + 5 * DAY + every - 1, every).await.expect("not yet"), vec![]);
    assert_eq!(
        store.due_reassessments(due + 5 * DAY + every, every).await.expect("again"),
        vec![DueReassessment { user_id: maya.id, due_at: due + 5 * DAY + every }]
    );
}
