//! Scenario stories (issue 7), on SQLite and PostgreSQL: attempts are kept
//! as answered, only the first attempt at a scenario is blind, bad answers
//! are refused, each person sees only their own, and the organisation's list
//! stays within the organisation.

use std::sync::Arc;

use pmcoach_core::ids::Email;
use pmcoach_core::scenarios::Answer;
use pmcoach_store::{AttemptMode, NewAttempt, NewUser, OrgRole, Store, StoreError};

use crate::assessments::{context, small_cycle};
use crate::story;

const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

fn rating(scenario: &str, ratings: &[u8], score: f64) -> NewAttempt {
    NewAttempt {
        scenario: scenario.to_owned(),
        answer: Answer::Rating { ratings: ratings.to_vec() },
        score,
        mode: AttemptMode::Practice,
        cycle_id: None,
    }
}

fn best_worst(scenario: &str, best: usize, worst: usize, score: f64) -> NewAttempt {
    NewAttempt {
        scenario: scenario.to_owned(),
        answer: Answer::BestWorst { best, worst },
        score,
        mode: AttemptMode::Practice,
        cycle_id: None,
    }
}

story!(attempts_are_kept_as_answered_and_only_the_first_is_blind);
async fn attempts_are_kept_as_answered_and_only_the_first_is_blind(store: Arc<dyn Store>) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    let maya =
        store.create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    assert!(store.attempts(maya.id).await.expect("none").is_empty());

    let first = store.record_attempt(maya.id, &rating("launch-slips", &[2, 2, 1, 5, 3], 0.85), T0).await.expect("1");
    assert!(first.blind, "the first attempt at a scenario is blind");
    assert_eq!(first.answer, Answer::Rating { ratings: vec![2, 2, 1, 5, 3] });
    assert_eq!(first.score, 0.85);
    assert_eq!(first.mode, AttemptMode::Practice);
    assert_eq!((first.user_id, first.created_at, first.cycle_id), (maya.id, T0, None));

    let again = store.record_attempt(maya.id, &best_worst("launch-slips", 3, 2, 1.0), T0 + 10).await.expect("2");
    assert!(!again.blind, "a second attempt comes after seeing the key");
    assert_eq!(again.answer, Answer::BestWorst { best: 3, worst: 2 });

    let other = store.record_attempt(maya.id, &best_worst("stakeholder-goes-around", 0, 4, 0.5), T0 + 20).await;
    assert!(other.expect("another scenario").blind, "blind is per scenario");
    // Ada's first attempt at the same scenario is blind for her.
    let ada_first = store.record_attempt(ada.id, &rating("launch-slips", &[1, 1, 1, 1, 1], 0.4), T0 + 30).await;
    assert!(ada_first.expect("ada").blind);

    let mine = store.attempts(maya.id).await.expect("maya's");
    assert_eq!(mine.len(), 3);
    assert_eq!(mine.iter().map(|a| a.created_at).collect::<Vec<_>>(), vec![T0, T0 + 10, T0 + 20]);
    assert_eq!(mine.iter().filter(|a| a.blind).count(), 2);
    assert!(mine.iter().all(|a| a.user_id == maya.id), "nobody else's attempt is in Maya's list");
    assert_eq!(mine[0].core().score, 0.85);
    assert_eq!(mine[1].response().respondent, maya.id.to_string());
}

story!(bad_answers_are_refused_and_nothing_is_kept);
async fn bad_answers_are_refused_and_nothing_is_kept(store: Arc<dyn Store>) {
    let (_, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    for (attempt, why) in [
        (rating("launch-slips", &[3, 3, 3, 3], 1.5), "score above 1"),
        (rating("launch-slips", &[3, 3, 3, 3], -0.1), "score below 0"),
        (rating("launch-slips", &[3, 3, 3, 3], f64::NAN), "score not a number"),
        (rating("launch-slips", &[], 0.5), "no ratings"),
        (best_worst("launch-slips", 2, 2, 0.5), "same best and worst"),
    ] {
        let result = store.record_attempt(ada.id, &attempt, T0).await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{why}: {result:?}");
    }
    assert!(store.attempts(ada.id).await.expect("none").is_empty());
    // The refused answers did not use up the blind attempt.
    assert!(store.record_attempt(ada.id, &rating("launch-slips", &[3, 3, 3, 3], 0.5), T0).await.expect("ok").blind);
}

story!(assessment_attempts_keep_their_cycle);
async fn assessment_attempts_keep_their_cycle(store: Arc<dyn Store>) {
    let (_, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    let cycle = store.open_cycle(ada.id, &small_cycle(), &context(), T0).await.expect("cycle");
    let attempt = NewAttempt {
        mode: AttemptMode::Assessment,
        cycle_id: Some(cycle),
        ..best_worst("exec-wants-a-date", 1, 3, 0.75)
    };
    let stored = store.record_attempt(ada.id, &attempt, T0 + 1).await.expect("assessment attempt");
    assert_eq!((stored.mode, stored.cycle_id, stored.blind), (AttemptMode::Assessment, Some(cycle), true));
    assert_eq!(store.attempts(ada.id).await.expect("list"), vec![stored]);
}

story!(the_organisation_list_holds_every_members_attempts_in_time_order);
async fn the_organisation_list_holds_every_members_attempts_in_time_order(store: Arc<dyn Store>) {
    let (north, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    let maya =
        store.create_user(north.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    store.record_attempt(ada.id, &rating("launch-slips", &[1, 2, 3, 4, 5], 0.5), T0).await.expect("ada");
    store.record_attempt(maya.id, &best_worst("launch-slips", 0, 1, 0.25), T0 + 1).await.expect("maya");
    store.record_attempt(maya.id, &best_worst("launch-slips", 1, 0, 0.75), T0 + 2).await.expect("maya again");

    let northwind = store.org_attempts(north.id).await.expect("northwind");
    assert_eq!(
        northwind.iter().map(|a| (a.user_id, a.blind)).collect::<Vec<_>>(),
        vec![(ada.id, true), (maya.id, true), (maya.id, false)]
    );
    assert!(store.org_attempts(north.id + 1).await.expect("no such organisation").is_empty());
}

story!(many_people_answering_at_once_all_get_their_answers_kept);
async fn many_people_answering_at_once_all_get_their_answers_kept(store: Arc<dyn Store>) {
    // Recording an attempt reads (is it the first?) then writes. On SQLite a
    // transaction that began deferred failed at once with "database is
    // locked" whenever another connection wrote in between (the soak found
    // 45% of answers refused under load); write transactions now take the
    // lock when they begin, and wait for it.
    let (org, _) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    let mut people = Vec::new();
    for n in 0..16 {
        let email = format!("p{n}@northwind.test");
        people.push(store.create_user(org.id, &person(&email, "P"), OrgRole::Member, None).await.expect("person").id);
    }
    let tasks: Vec<_> = people
        .iter()
        .map(|&id| {
            let store = store.clone();
            tokio::spawn(async move {
                for round in 0..10 {
                    let attempt = rating(&format!("scenario-{}", round % 3), &[3, 3, 3, 3], 0.5);
                    store.record_attempt(id, &attempt, T0 + round).await.expect("every answer is kept");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    for id in people {
        let kept = store.attempts(id).await.expect("attempts");
        assert_eq!(kept.len(), 10);
        assert_eq!(kept.iter().filter(|a| a.blind).count(), 3, "one blind attempt per scenario");
        let blind: Vec<_> = kept.into_iter().filter(|a| a.blind).collect();
        assert_eq!(store.blind_attempts(id).await.expect("blind"), blind, "the blind ones, oldest first");
    }
}
