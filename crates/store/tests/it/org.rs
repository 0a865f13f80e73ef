//! Organisation-wide reads (issue 8), on SQLite and PostgreSQL: the blind
//! scores of an organisation give the same item statistics as all of its
//! attempts, without the repeats.

use std::sync::Arc;

use pmcoach_core::ids::Email;
use pmcoach_core::scenarios::{Answer, item_stats, item_stats_of_blind};
use pmcoach_store::{AttemptMode, NewAttempt, NewUser, OrgRole, Store, StoredAttempt};

use crate::story;

const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

fn attempt(scenario: &str, score: f64) -> NewAttempt {
    NewAttempt {
        scenario: scenario.to_owned(),
        answer: Answer::BestWorst { best: 0, worst: 1 },
        score,
        mode: AttemptMode::Practice,
        cycle_id: None,
    }
}

story!(blind_scores_are_the_first_attempts_and_give_the_same_statistics);
async fn blind_scores_are_the_first_attempts_and_give_the_same_statistics(store: Arc<dyn Store>) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("org");
    assert!(store.org_blind_scores(org.id).await.expect("none yet").is_empty());
    let mut people = vec![ada.id];
    for n in 0..5 {
        let email = format!("p{n}@northwind.test");
        let user = store.create_user(org.id, &person(&email, "P"), OrgRole::Member, None).await.expect("user");
        people.push(user.id);
    }
    let mut at = T0;
    for (i, &user) in people.iter().enumerate() {
        for (j, scenario) in ["launch-slips", "quiet-engineer", "peer-takes-credit"].iter().enumerate() {
            if (i + j) % 3 == 0 {
                continue;
            }
            // Sevenths and the like need all 17 digits to come back bit for bit.
            let score = ((i * 5 + j * 3) % 8) as f64 / 7.5;
            store.record_attempt(user, &attempt(scenario, score), at).await.expect("blind");
            // A second try after seeing the key: never a blind score.
            store.record_attempt(user, &attempt(scenario, 1.0), at + 1).await.expect("repeat");
            at += 10;
        }
    }

    let mut blind = store.org_blind_scores(org.id).await.expect("blind scores");
    let attempts = store.org_attempts(org.id).await.expect("attempts");
    assert_eq!(attempts.len(), 2 * blind.len());
    assert_eq!(store.org_attempt_count(org.id).await.expect("count"), attempts.len() as i64);
    assert_eq!(store.org_attempt_count(org.id + 1).await.expect("count"), 0);
    blind.sort_by(|a, b| (a.user_id, &a.scenario).cmp(&(b.user_id, &b.scenario)));
    let mut firsts: Vec<(i64, String, f64)> =
        attempts.iter().filter(|a| a.blind).map(|a| (a.user_id, a.scenario.clone(), a.score)).collect();
    firsts.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    assert_eq!(blind.iter().map(|b| (b.user_id, b.scenario.clone(), b.score)).collect::<Vec<_>>(), firsts);
    assert!(blind.iter().all(|b| b.score < 1.0), "no repeat (scored 1.0) is a blind score");

    let items = ["launch-slips", "quiet-engineer", "peer-takes-credit", "never-answered"];
    let responses: Vec<_> = attempts.iter().map(StoredAttempt::response).collect();
    let full = item_stats(&items, &responses);
    let lean = item_stats_of_blind(&items, blind.iter().map(|b| (b.user_id, b.scenario.as_str(), b.score)));
    for (f, l) in full.iter().zip(&lean) {
        assert_eq!((&f.scenario, f.answered, &f.flags), (&l.scenario, l.answered, &l.flags));
        assert!(f.mean.zip(l.mean).is_none_or(|(a, b)| (a - b).abs() < 1e-9), "{f:?} {l:?}");
        match (f.discrimination.value(), l.discrimination.value()) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{f:?} {l:?}"),
            _ => assert_eq!(f.discrimination, l.discrimination),
        }
    }
    assert_eq!(lean[0].answered, 4);
    assert!(store.org_blind_scores(org.id + 1).await.expect("no such organisation").is_empty());
}
