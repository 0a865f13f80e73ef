//! Issue 5: assessment cycles, self ratings and 360 feedback, told as
//! stories on both backends.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use pmcoach_core::assessment::{self, Answer, Comment, Cycle, CycleSkill, CycleState, Pool, SelfRating, ShuffleSeed};
use pmcoach_core::assessment::{RaterResponse, Threshold};
use pmcoach_core::context::{CareerLevel, Degree, Role, RoleContext, engine};
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::ids::{Email, Level, SkillId};
use pmcoach_store::{CycleId, NewUser, OrgRole, RaterDraft, Store, StoreError, User};

use crate::story;

const DAY: i64 = 86_400_000;
/// A fixed clock: stories pass times explicitly, nothing waits.
const T0: i64 = 1_750_000_000_000;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

fn skill(id: &str) -> SkillId {
    SkillId::parse(id).expect("skill id")
}

fn level(n: i64) -> Level {
    Level::new(n).expect("level")
}

fn email(raw: &str) -> Email {
    Email::parse(raw).expect("email")
}

pub fn context() -> RoleContext {
    RoleContext { technicality: Degree::High, ..RoleContext::new(Role::Tpm, CareerLevel::Senior).with_industry("ai") }
}

/// Two hand-made skills: engineering and sales are asked about APIs,
/// engineering and the manager about empathy.
pub fn small_cycle() -> Cycle {
    let make = |id: &str, name: &str, category, observers: Vec<Observer>, target, weight| CycleSkill {
        id: skill(id),
        name: name.to_owned(),
        category,
        observers,
        target: level(target),
        weight,
    };
    Cycle::new(
        vec![
            make("apis", "API fluency", Category::Technical, vec![Observer::Engineering, Observer::Sales], 4, 0.6),
            make("empathy", "Empathy", Category::Soft, vec![Observer::Engineering, Observer::Manager], 3, 0.4),
        ],
        Threshold::default(),
        CycleState::Open,
    )
    .expect("cycle")
}

async fn setup(store: &Arc<dyn Store>) -> (User, User) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let maya =
        store.create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, None).await.expect("maya");
    (ada, maya)
}

async fn open_small(store: &Arc<dyn Store>, user: &User) -> CycleId {
    store.open_cycle(user.id, &small_cycle(), &context(), T0).await.expect("open")
}

fn draft(answers: &[(&str, Option<i64>)], comments: &[(Option<&str>, &str)]) -> RaterDraft {
    RaterDraft {
        answers: answers
            .iter()
            .map(|&(id, answer)| (skill(id), answer.map_or(Answer::NotObserved, |n| Answer::Rated(level(n)))))
            .collect(),
        comments: comments.iter().map(|&(id, text)| Comment { skill: id.map(skill), text: text.to_owned() }).collect(),
    }
}

fn is_gone<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) -> String {
    match result {
        Err(StoreError::Gone(message)) => message,
        other => panic!("{what}: expected Gone, got {other:?}"),
    }
}

story!(a_frozen_cycle_reloads_equal_to_the_one_opened);
async fn a_frozen_cycle_reloads_equal_to_the_one_opened(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let framework = Framework::embedded().expect("shipped framework");
    let profile = engine::profile(&framework, &context());
    let frozen = Cycle::freeze(&framework, &profile, Threshold::new(4).expect("threshold")).expect("freeze");
    assert!(frozen.skills().len() >= 30, "the whole framework is frozen");

    let id = store.open_cycle(maya.id, &frozen, &context(), T0).await.expect("open");
    let stored = store.cycle(id).await.expect("reload");
    assert_eq!(stored.cycle, frozen, "skills, order, observers, targets, exact weights and threshold survive");
    assert_eq!(stored.context, context());
    assert_eq!((stored.user_id, stored.opened_at, stored.closed_at), (maya.id, T0, None));
    assert!(stored.is_open());
    assert_eq!(store.open_cycle_of(maya.id).await.expect("open one").map(|c| c.id), Some(id));
    assert_eq!(store.cycles(maya.id).await.expect("history"), std::slice::from_ref(&stored));

    let closed = store.close_cycle(id, T0 + DAY).await.expect("close");
    assert_eq!(closed.cycle, frozen.clone().close());
    assert_eq!(closed.closed_at, Some(T0 + DAY));
    assert_eq!(store.cycle(id).await.expect("reload closed"), closed);
    assert_eq!(store.open_cycle_of(maya.id).await.expect("none open"), None);
    is_gone(store.close_cycle(id, T0 + 2 * DAY).await, "closing twice");
    assert_eq!(store.cycle(id).await.expect("unchanged").closed_at, Some(T0 + DAY), "a second close changes nothing");

    assert!(matches!(store.cycle(id + 1000).await, Err(StoreError::NotFound)));
    assert!(matches!(store.close_cycle(id + 1000, T0).await, Err(StoreError::NotFound)));
    let already_closed = store.open_cycle(maya.id, &frozen.close(), &context(), T0).await;
    assert!(matches!(already_closed, Err(StoreError::Conflict(_))), "{already_closed:?}");
}

story!(a_person_has_at_most_one_open_cycle);
async fn a_person_has_at_most_one_open_cycle(store: Arc<dyn Store>) {
    let (ada, maya) = setup(&store).await;
    let first = open_small(&store, &maya).await;
    match store.open_cycle(maya.id, &small_cycle(), &context(), T0 + 1).await {
        Err(StoreError::Conflict(message)) => assert!(message.contains("already have an assessment open"), "{message}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    open_small(&store, &ada).await; // someone else may
    store.close_cycle(first, T0 + DAY).await.expect("close");
    let second = store.open_cycle(maya.id, &small_cycle(), &context(), T0 + 2 * DAY).await.expect("reopen");
    let history: Vec<_> = store.cycles(maya.id).await.expect("history").into_iter().map(|c| c.id).collect();
    assert_eq!(history, [first, second], "oldest first");
}

story!(self_ratings_are_saved_as_you_go_and_resumed);
async fn self_ratings_are_saved_as_you_go_and_resumed(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    assert!(store.self_ratings(cycle).await.expect("none yet").is_empty());
    let rating = |n, evidence: Option<&str>| SelfRating { level: level(n), evidence: evidence.map(str::to_owned) };

    store
        .save_self_ratings(cycle, &BTreeMap::from([(skill("apis"), rating(2, Some("  read the spec  ")))]), T0)
        .await
        .expect("first skill");
    store.save_self_ratings(cycle, &BTreeMap::from([(skill("empathy"), rating(3, None))]), T0).await.expect("second");
    store
        .save_self_ratings(cycle, &BTreeMap::from([(skill("apis"), rating(4, Some("   ")))]), T0)
        .await
        .expect("change of mind");
    let saved = store.self_ratings(cycle).await.expect("resume");
    assert_eq!(saved, BTreeMap::from([(skill("apis"), rating(4, None)), (skill("empathy"), rating(3, None))]));

    // A skill outside the cycle is refused, and nothing of that save lands.
    let mixed = BTreeMap::from([(skill("apis"), rating(1, None)), (skill("sql"), rating(5, None))]);
    let refused = store.save_self_ratings(cycle, &mixed, T0).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    assert_eq!(store.self_ratings(cycle).await.expect("unchanged"), saved);

    store.close_cycle(cycle, T0 + DAY).await.expect("close");
    let late = store.save_self_ratings(cycle, &BTreeMap::from([(skill("apis"), rating(5, None))]), T0 + DAY).await;
    is_gone(late, "self rating after close");
    assert_eq!(store.self_ratings(cycle).await.expect("unchanged"), saved);
}

story!(raters_are_invited_by_group_with_an_expiry);
async fn raters_are_invited_by_group_with_an_expiry(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    let eng = store
        .create_rater_invite(cycle, Observer::Engineering, Some(&email("eng@x.test")), "h-eng", T0 + 14 * DAY, T0)
        .await
        .expect("by e-mail");
    let sales = store.create_rater_invite(cycle, Observer::Sales, None, "h-sales", T0 + 14 * DAY, T0 + 1).await;
    let sales = sales.expect("by copied link");
    assert_eq!(
        (eng.group, eng.email.clone(), eng.expires_at, eng.answered_at),
        (Observer::Engineering, Some(email("eng@x.test")), T0 + 14 * DAY, None)
    );
    assert_eq!(sales.email, None);

    match store.create_rater_invite(cycle, Observer::Peer, Some(&email("ENG@x.test")), "h-2", T0 + DAY, T0).await {
        Err(StoreError::Conflict(message)) => assert!(message.contains("already invited"), "{message}"),
        other => panic!("one invitation per address and cycle: {other:?}"),
    }
    let same_secret = store.create_rater_invite(cycle, Observer::Peer, None, "h-eng", T0 + DAY, T0).await;
    assert!(matches!(same_secret, Err(StoreError::Conflict(_))), "{same_secret:?}");
    // Links without an address are not limited.
    store.create_rater_invite(cycle, Observer::Sales, None, "h-sales-2", T0 + DAY, T0 + 2).await.expect("2nd link");

    let (found, its_cycle) = store.rater_invite_by_token("h-eng").await.expect("lookup").expect("found");
    assert_eq!(found, eng);
    assert_eq!((its_cycle.id, its_cycle.user_id), (cycle, maya.id));
    assert_eq!(its_cycle.cycle.questions(found.group).count(), 2, "engineering is asked about both skills");
    assert_eq!(store.rater_invite_by_token("nope").await.expect("lookup"), None);

    let listed = store.rater_invites(cycle).await.expect("list");
    let view: Vec<_> = listed.iter().map(|i| (i.group, i.email.clone(), i.answered)).collect();
    assert_eq!(
        view,
        [
            (Observer::Engineering, Some(email("eng@x.test")), false),
            (Observer::Sales, None, false),
            (Observer::Sales, None, false)
        ]
    );
    assert_eq!(
        assessment::progress(Threshold::default(), &listed.iter().map(|i| i.invitation()).collect::<Vec<_>>()).invited,
        3
    );

    store.close_cycle(cycle, T0 + DAY).await.expect("close");
    let late = store.create_rater_invite(cycle, Observer::Design, None, "h-late", T0 + 9 * DAY, T0 + DAY).await;
    is_gone(late, "inviting into a closed cycle");
}

story!(a_rater_saves_comes_back_and_submits_once);
async fn a_rater_saves_comes_back_and_submits_once(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    let invite = store
        .create_rater_invite(cycle, Observer::Sales, Some(&email("sam@x.test")), "h", T0 + 14 * DAY, T0)
        .await
        .expect("invite");
    assert_eq!(store.rater_draft(invite.id).await.expect("empty"), RaterDraft::default());

    let first = draft(&[("apis", Some(2))], &[(None, "Great partner on calls"), (Some("apis"), "  ")]);
    store.save_rater_draft(invite.id, &first, T0 + 1).await.expect("save");
    assert_eq!(
        store.rater_draft(invite.id).await.expect("come back"),
        draft(&[("apis", Some(2))], &[(None, "Great partner on calls")]),
        "blank comments are dropped"
    );

    // Sales is not asked about empathy: refused, and nothing of it is kept.
    let wrong = draft(&[("apis", Some(5)), ("empathy", Some(4))], &[]);
    let refused = store.save_rater_draft(invite.id, &wrong, T0 + 2).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    let unknown = store.save_rater_draft(invite.id, &draft(&[("sql", Some(1))], &[]), T0 + 2).await;
    assert!(matches!(unknown, Err(StoreError::Conflict(_))), "{unknown:?}");
    assert_eq!(store.rater_draft(invite.id).await.expect("unchanged").answers[&skill("apis")], Answer::Rated(level(2)));

    let last = draft(&[("apis", None)], &[(Some("apis"), "Explains the API to customers")]);
    store.submit_rater_draft(invite.id, &last, T0 + 3).await.expect("submit");
    let sent = draft(&[("apis", None)], &[(Some("apis"), "Explains the API to customers")]);
    assert_eq!(store.rater_draft(invite.id).await.expect("submitted"), sent, "comments replaced, answer updated");
    let (after, _) = store.rater_invite_by_token("h").await.expect("lookup").expect("found");
    assert_eq!(after.answered_at, Some(T0 + 3));
    assert!(store.rater_invites(cycle).await.expect("list")[0].answered);

    let message = is_gone(store.save_rater_draft(invite.id, &first, T0 + 4).await, "save after submit");
    assert!(message.contains("already sent"), "{message}");
    is_gone(store.submit_rater_draft(invite.id, &first, T0 + 4).await, "second submit");
    assert_eq!(store.rater_draft(invite.id).await.expect("unchanged"), sent);
    assert!(matches!(store.save_rater_draft(invite.id + 99, &first, T0).await, Err(StoreError::NotFound)));
}

story!(answers_are_refused_after_expiry_and_after_close);
async fn answers_are_refused_after_expiry_and_after_close(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    let expiring = store.create_rater_invite(cycle, Observer::Engineering, None, "h1", T0 + DAY, T0).await;
    let expiring = expiring.expect("invite");
    let open = store.create_rater_invite(cycle, Observer::Engineering, None, "h2", T0 + 9 * DAY, T0).await;
    let open = open.expect("invite");
    let answer = draft(&[("apis", Some(3))], &[]);

    store.save_rater_draft(expiring.id, &answer, T0 + DAY - 1).await.expect("just in time");
    let message = is_gone(store.save_rater_draft(expiring.id, &answer, T0 + DAY).await, "save when expired");
    assert!(message.contains("expired"), "{message}");
    is_gone(store.submit_rater_draft(expiring.id, &answer, T0 + DAY).await, "submit when expired");

    store.save_rater_draft(open.id, &answer, T0 + 2).await.expect("saved, not yet submitted");
    store.close_cycle(cycle, T0 + 3).await.expect("close");
    let message = is_gone(store.submit_rater_draft(open.id, &answer, T0 + 4).await, "submit after close");
    assert!(message.contains("closed"), "{message}");
    is_gone(store.save_rater_draft(open.id, &answer, T0 + 4).await, "save after close");
    let listed = store.rater_invites(cycle).await.expect("list");
    assert!(listed.iter().all(|i| !i.answered), "nothing was submitted");
    assert!(store.cycle_answers(cycle).await.expect("answers").responses.is_empty());
}

story!(the_results_loader_gives_exactly_the_submitted_responses_without_emails);
async fn the_results_loader_gives_exactly_the_submitted_responses_without_emails(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    store
        .save_self_ratings(
            cycle,
            &BTreeMap::from([(skill("apis"), SelfRating { level: level(4), evidence: Some("shipped v2".into()) })]),
            T0,
        )
        .await
        .expect("self");
    let mut invites = Vec::new();
    for (n, group) in
        [Observer::Engineering, Observer::Engineering, Observer::Engineering, Observer::Sales].into_iter().enumerate()
    {
        let address = email(&format!("rater{n}@secret.test"));
        let hash = format!("h{n}");
        let invite = store.create_rater_invite(cycle, group, Some(&address), &hash, T0 + 9 * DAY, T0).await;
        invites.push(invite.expect("invite"));
    }
    let submitted = [
        draft(&[("apis", Some(2)), ("empathy", Some(3))], &[(Some("apis"), "Reads our API docs closely")]),
        draft(&[("apis", Some(3)), ("empathy", None)], &[]),
        draft(&[("apis", Some(2))], &[(None, "Always asks why")]),
    ];
    for (invite, answers) in invites.iter().zip(&submitted) {
        store.submit_rater_draft(invite.id, answers, T0 + 1).await.expect("submit");
    }
    // The sales rater saved but never submitted: their answer must not count.
    store.save_rater_draft(invites[3].id, &draft(&[("apis", Some(5))], &[]), T0 + 1).await.expect("draft only");
    store.close_cycle(cycle, T0 + 2).await.expect("close");

    let loaded = store.cycle_answers(cycle).await.expect("load");
    assert_eq!(loaded.cycle.cycle.state(), CycleState::Closed);
    assert_eq!(loaded.self_ratings.len(), 1);
    let mut got: Vec<(Observer, RaterDraft)> = loaded
        .responses
        .iter()
        .map(|r| (r.group, RaterDraft { answers: r.answers.clone(), comments: r.comments.clone() }))
        .collect();
    let mut want: Vec<(Observer, RaterDraft)> = submitted.iter().map(|d| (Observer::Engineering, d.clone())).collect();
    got.sort_by_key(|(g, d)| (*g, format!("{d:?}")));
    want.sort_by_key(|(g, d)| (*g, format!("{d:?}")));
    assert_eq!(got, want, "exactly the submitted responses");
    let keys: BTreeSet<&str> = loaded.responses.iter().map(|r| r.rater.as_str()).collect();
    assert_eq!(keys.len(), 3, "one distinct key per rater");
    for response in &loaded.responses {
        let RaterResponse { rater, group: _, answers: _, comments } = response;
        assert!(!rater.as_str().contains('@'), "keys are opaque");
        assert!(comments.iter().all(|c| !c.text.contains("secret.test")));
    }
    let everything = format!("{loaded:?} {:?}", loaded.responses.iter().map(|r| r.rater.as_str()).collect::<Vec<_>>());
    assert!(!everything.contains("secret.test"), "no e-mail address travels with answers: {everything}");

    let results =
        assessment::results(&loaded.cycle.cycle, &loaded.self_ratings, &loaded.responses, ShuffleSeed::new(7))
            .expect("results");
    let apis = results.skill("apis").expect("apis");
    assert_eq!(apis.pools.iter().map(|p| p.pool).collect::<Vec<_>>(), [Pool::Group(Observer::Engineering)]);
    assert_eq!(apis.observed.as_ref().map(|s| (s.raters, s.mean)), Some((3, 7.0 / 3.0)));
}

story!(admins_see_invited_and_answered_counts_per_cycle);
async fn admins_see_invited_and_answered_counts_per_cycle(store: Arc<dyn Store>) {
    let (ada, maya) = setup(&store).await;
    assert!(store.completion(maya.org_id).await.expect("empty").is_empty());
    let first = open_small(&store, &maya).await;
    let second = store.open_cycle(ada.id, &small_cycle(), &context(), T0 + 1).await.expect("ada's cycle");
    for n in 0..3 {
        let invite = store
            .create_rater_invite(first, Observer::Engineering, None, &format!("m{n}"), T0 + DAY, T0)
            .await
            .expect("invite");
        if n < 2 {
            store.submit_rater_draft(invite.id, &draft(&[("apis", Some(3))], &[]), T0 + 1).await.expect("submit");
        }
    }
    store.create_rater_invite(second, Observer::Manager, None, "a0", T0 + DAY, T0).await.expect("invite");
    store.close_cycle(first, T0 + 2).await.expect("close");

    let rows = store.completion(maya.org_id).await.expect("completion");
    let view: Vec<_> =
        rows.iter().map(|r| (r.cycle_id, r.user_name.as_str(), r.state, r.invited, r.answered)).collect();
    assert_eq!(view, [(first, "Maya", CycleState::Closed, 3, 2), (second, "Ada", CycleState::Open, 1, 0)]);
}

story!(due_reminders_are_claimed_once);
async fn due_reminders_are_claimed_once(store: Arc<dyn Store>) {
    let (ada, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    let invite = |group, address: Option<&'static str>, hash: &'static str, expires: i64| {
        let store = store.clone();
        async move {
            let address = address.map(email);
            store.create_rater_invite(cycle, group, address.as_ref(), hash, expires, T0).await.expect("invite")
        }
    };
    let due = invite(Observer::Engineering, Some("due@x.test"), "d1", T0 + 30 * DAY).await;
    let also_due = invite(Observer::Sales, Some("due2@x.test"), "d2", T0 + 30 * DAY).await;
    let answered = invite(Observer::Engineering, Some("done@x.test"), "d3", T0 + 30 * DAY).await;
    let _expired = invite(Observer::Engineering, Some("late@x.test"), "d4", T0 + 2 * DAY).await;
    let _link_only = invite(Observer::Engineering, None, "d5", T0 + 30 * DAY).await;
    store.submit_rater_draft(answered.id, &draft(&[], &[]), T0 + 1).await.expect("submit");
    // An invite in someone else's closed cycle is never reminded either.
    let other = store.open_cycle(ada.id, &small_cycle(), &context(), T0).await.expect("ada");
    store
        .create_rater_invite(other, Observer::Peer, Some(&email("p@x.test")), "d6", T0 + 30 * DAY, T0)
        .await
        .expect("i");
    store.close_cycle(other, T0 + 1).await.expect("close");

    let every = 3 * DAY;
    assert!(store.claim_due_reminders(T0 + every, every).await.expect("claim").is_empty(), "not older than 3 days yet");
    let now = T0 + every + 1;
    let claimed = store.claim_due_reminders(now, every).await.expect("claim");
    let view: Vec<_> =
        claimed.iter().map(|r| (r.invite_id, r.email.as_str(), r.group, r.subject_name.as_str())).collect();
    assert_eq!(
        view,
        [(due.id, "due@x.test", Observer::Engineering, "Maya"), (also_due.id, "due2@x.test", Observer::Sales, "Maya")]
    );
    assert!(store.claim_due_reminders(now, every).await.expect("again").is_empty(), "a second claim gets nothing");
    let listed = store.rater_invites(cycle).await.expect("list");
    assert_eq!(listed.iter().find(|i| i.id == due.id).and_then(|i| i.last_reminded_at), Some(now));

    // A reminder sent by hand pushes the next one back.
    store.mark_reminded(also_due.id, now + DAY).await.expect("remind by hand");
    let later = store.claim_due_reminders(now + every + 1, every).await.expect("claim later");
    assert_eq!(later.iter().map(|r| r.invite_id).collect::<Vec<_>>(), [due.id]);
    assert!(matches!(store.mark_reminded(due.id + 1000, now).await, Err(StoreError::NotFound)));
}

story!(cycles_belong_to_their_person);
async fn cycles_belong_to_their_person(store: Arc<dyn Store>) {
    // Deleting a person is checked in `cascade` below; here, one person's
    // cycle never shows in another's history.
    let (ada, maya) = setup(&store).await;
    open_small(&store, &maya).await;
    assert!(store.cycles(ada.id).await.expect("history").is_empty());
    assert_eq!(store.open_cycle_of(ada.id).await.expect("none"), None);
}

/// Fills a cycle with one of everything: self rating, invite, answer, comment.
async fn fill(store: &Arc<dyn Store>) -> i64 {
    let (_, maya) = setup(store).await;
    let cycle = open_small(store, &maya).await;
    store
        .save_self_ratings(
            cycle,
            &BTreeMap::from([(skill("apis"), SelfRating { level: level(3), evidence: None })]),
            T0,
        )
        .await
        .expect("self");
    let invite = store.create_rater_invite(cycle, Observer::Engineering, None, "c", T0 + DAY, T0).await.expect("inv");
    store.save_rater_draft(invite.id, &draft(&[("apis", Some(2))], &[(None, "hi")]), T0).await.expect("draft");
    maya.id
}

const TABLES: [&str; 5] = ["cycles", "self_ratings", "rater_invites", "rater_answers", "rater_comments"];

/// Deleting a user (plain SQL: the trait has no such method yet) cascades
/// to their cycles and everything under them, on both backends.
mod cascade {
    use sqlx::Row;

    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pmcoach.db");
        let store: Arc<dyn Store> = Arc::new(pmcoach_store::SqliteStore::open(&path).await.expect("open"));
        let user = fill(&store).await;
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).foreign_keys(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("raw connection");
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.expect("count").get(0);
            assert_eq!(count, 1, "{table} is filled before");
        }
        sqlx::query("DELETE FROM users WHERE id = $1").bind(user).execute(&pool).await.expect("delete");
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.expect("count").get(0);
            assert_eq!(count, 0, "{table} is emptied by the cascade");
        }
    }

    #[tokio::test]
    async fn postgres() {
        let Ok(url) = std::env::var("PMCOACH_TEST_PG_URL") else {
            eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL story skipped");
            return;
        };
        let url = crate::fresh_pg_database(&url).await;
        let store: Arc<dyn Store> = Arc::new(pmcoach_store::PgStore::connect(&url).await.expect("connect"));
        let user = fill(&store).await;
        let pool = sqlx::PgPool::connect(&url).await.expect("raw connection");
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.expect("count").get(0);
            assert_eq!(count, 1, "{table} is filled before");
        }
        sqlx::query("DELETE FROM users WHERE id = $1").bind(user).execute(&pool).await.expect("delete");
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.expect("count").get(0);
            assert_eq!(count, 0, "{table} is emptied by the cascade");
        }
    }
}

/// Two servers claim the same due reminders at the same moment: every
/// invitation is claimed by exactly one of them. Runs on PostgreSQL (where
/// the claims truly overlap) and on SQLite.
mod reminder_race {
    use super::*;

    const INVITES: usize = 60;
    const ROUNDS: i64 = 5;

    async fn race(store: Arc<dyn Store>) {
        let (_, maya) = setup(&store).await;
        let cycle = open_small(&store, &maya).await;
        let mut all = BTreeSet::new();
        for n in 0..INVITES {
            let address = email(&format!("r{n}@x.test"));
            let invite = store
                .create_rater_invite(
                    cycle,
                    Observer::Engineering,
                    Some(&address),
                    &format!("race{n}"),
                    T0 + 99 * DAY,
                    T0,
                )
                .await
                .expect("invite");
            all.insert(invite.id);
        }
        let every = DAY;
        for round in 1..=ROUNDS {
            let now = T0 + round * (every + 1);
            let barrier = Arc::new(tokio::sync::Barrier::new(2));
            let claim = |store: Arc<dyn Store>, barrier: Arc<tokio::sync::Barrier>| {
                tokio::spawn(async move {
                    barrier.wait().await;
                    store.claim_due_reminders(now, every).await.expect("claim")
                })
            };
            let a = claim(store.clone(), barrier.clone());
            let b = claim(store.clone(), barrier);
            let (a, b) = (a.await.expect("task a"), b.await.expect("task b"));
            let mut seen = BTreeSet::new();
            for reminder in a.iter().chain(&b) {
                assert!(seen.insert(reminder.invite_id), "round {round}: invite {} claimed twice", reminder.invite_id);
            }
            assert_eq!(seen, all, "round {round}: every due invitation is claimed by one of the two");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let (store, _dir) = crate::sqlite().await;
        race(store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        match crate::postgres().await {
            Some(store) => race(store).await,
            None => eprintln!("PMCOACH_TEST_PG_URL is not set: PostgreSQL story skipped"),
        }
    }
}

story!(results_are_shared_with_the_manager_only_when_the_owner_says_so);
async fn results_are_shared_with_the_manager_only_when_the_owner_says_so(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let first = open_small(&store, &maya).await;
    // An open cycle has no results to share.
    assert!(matches!(store.set_cycle_shared(first, true).await, Err(StoreError::Conflict(_))));
    store.close_cycle(first, T0 + DAY).await.expect("close first");
    assert_eq!(store.shared_cycles(maya.id).await.expect("none yet"), Vec::<CycleId>::new(), "private by default");

    let second = store.open_cycle(maya.id, &small_cycle(), &context(), T0 + 2 * DAY).await.expect("open second");
    store.close_cycle(second, T0 + 3 * DAY).await.expect("close second");
    store.set_cycle_shared(second, true).await.expect("share second");
    store.set_cycle_shared(first, true).await.expect("share first");
    assert_eq!(store.shared_cycles(maya.id).await.expect("both"), vec![first, second], "oldest first");

    store.set_cycle_shared(second, false).await.expect("unshare");
    assert_eq!(store.shared_cycles(maya.id).await.expect("one"), vec![first]);
    store.set_cycle_shared(first, false).await.expect("unshare twice is fine");
    store.set_cycle_shared(first, false).await.expect("idempotent");
    assert!(store.shared_cycles(maya.id).await.expect("none").is_empty());
    assert!(matches!(store.set_cycle_shared(second + 1000, true).await, Err(StoreError::NotFound)));
}

story!(a_reminder_renews_the_link_of_a_rater_who_has_not_answered);
async fn a_reminder_renews_the_link_of_a_rater_who_has_not_answered(store: Arc<dyn Store>) {
    let (_, maya) = setup(&store).await;
    let cycle = open_small(&store, &maya).await;
    let waiting = store.create_rater_invite(cycle, Observer::Engineering, None, "old", T0 + 9 * DAY, T0).await;
    let waiting = waiting.expect("invite");
    store.renew_rater_link(waiting.id, "new", T0 + DAY).await.expect("renew");
    assert!(store.rater_invite_by_token("old").await.expect("lookup").is_none(), "the old link stops working");
    let (renewed, _) = store.rater_invite_by_token("new").await.expect("lookup").expect("the new link works");
    assert_eq!((renewed.id, renewed.last_reminded_at), (waiting.id, Some(T0 + DAY)));

    store.submit_rater_draft(waiting.id, &draft(&[("apis", Some(3))], &[]), T0 + DAY + 1).await.expect("submit");
    is_gone(store.renew_rater_link(waiting.id, "newer", T0 + DAY + 2).await, "renew after answering");
    let expired = store.create_rater_invite(cycle, Observer::Engineering, None, "late", T0 + DAY, T0).await;
    is_gone(store.renew_rater_link(expired.expect("invite").id, "later", T0 + 2 * DAY).await, "renew when expired");
    let other = store.create_rater_invite(cycle, Observer::Engineering, None, "other", T0 + 9 * DAY, T0).await;
    store.close_cycle(cycle, T0 + 3 * DAY).await.expect("close");
    is_gone(store.renew_rater_link(other.expect("invite").id, "closed", T0 + 3 * DAY).await, "renew after close");
}

story!(the_anonymity_threshold_is_an_organisation_setting_never_below_two);
async fn the_anonymity_threshold_is_an_organisation_setting_never_below_two(store: Arc<dyn Store>) {
    let (ada, _) = setup(&store).await;
    store.set_anonymity_threshold(ada.org_id, 5).await.expect("set");
    assert_eq!(store.organisation(ada.org_id).await.expect("org").anonymity_threshold, 5);
    assert!(matches!(store.set_anonymity_threshold(ada.org_id, 1).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.organisation(ada.org_id).await.expect("org").anonymity_threshold, 5, "unchanged");
}
