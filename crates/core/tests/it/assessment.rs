//! Assessments against hand-worked examples: thresholds, "others", the
//! manager, withheld cells, blind spots and hidden strengths, spread, focus,
//! comments, progress, history and the CSV view.

use std::collections::BTreeMap;

use pmcoach_core::assessment::{
    self, Answer, AssessmentError, Basis, Comment, Cycle, CycleSkill, CycleState, Invitation, Placement, Pool,
    RaterKey, RaterResponse, Results, SelfRating, ShuffleSeed, Signal, Threshold,
};
use pmcoach_core::context::{CareerLevel, Role, RoleContext};
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::ids::{Level, SkillId};

use crate::{framework, profile};

use Observer::{Design, Engineering, Manager, Peer, Sales};

pub fn id(raw: &str) -> SkillId {
    SkillId::parse(raw).expect("test ids are valid")
}

pub fn level(value: i64) -> Level {
    Level::new(value).expect("test levels are in range")
}

fn skill(raw: &str, observers: &[Observer], target: i64, weight: f64) -> CycleSkill {
    CycleSkill {
        id: id(raw),
        name: raw.replace('-', " "),
        category: Category::Soft,
        observers: observers.to_vec(),
        target: level(target),
        weight,
    }
}

fn cycle(threshold: i64, skills: Vec<CycleSkill>) -> Cycle {
    let threshold = Threshold::new(threshold).expect("test thresholds are valid");
    Cycle::new(skills, threshold, CycleState::Closed).expect("test cycles are valid")
}

/// A response; `answers` as (skill, level), 0 meaning "not observed".
fn rater(key: &str, group: Observer, answers: &[(&str, i64)]) -> RaterResponse {
    RaterResponse {
        rater: RaterKey::parse(key).expect("test keys are valid"),
        group,
        answers: answers
            .iter()
            .map(|&(skill, value)| {
                (id(skill), if value == 0 { Answer::NotObserved } else { Answer::Rated(level(value)) })
            })
            .collect(),
        comments: vec![],
    }
}

fn with_comment(mut response: RaterResponse, skill: Option<&str>, text: &str) -> RaterResponse {
    response.comments.push(Comment { skill: skill.map(id), text: text.to_owned() });
    response
}

fn selves(ratings: &[(&str, i64)]) -> BTreeMap<SkillId, SelfRating> {
    ratings.iter().map(|&(skill, value)| (id(skill), SelfRating { level: level(value), evidence: None })).collect()
}

fn run(cycle: &Cycle, self_ratings: &[(&str, i64)], responses: &[RaterResponse]) -> Results {
    match assessment::results(cycle, &selves(self_ratings), responses, ShuffleSeed::new(42)) {
        Ok(results) => results,
        Err(error) => panic!("results refused: {error}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A cell as (pool, shown figures as (raters, not observed, mean)).
type CellSummary = (Pool, Option<(usize, usize, f64)>);

fn shown_pools(results: &Results, skill: &str) -> Vec<CellSummary> {
    let skill = results.skill(skill).expect("skill is in the results");
    skill
        .pools
        .iter()
        .map(|cell| (cell.pool, cell.stats.as_ref().map(|s| (s.raters, s.not_observed, s.mean))))
        .collect()
}

#[test]
fn a_group_at_the_threshold_is_shown_with_its_mean_and_spread() {
    // k = 3, engineering rates 2, 3, 4: mean 9/3 = 3.0; population variance
    // ((2−3)² + 0 + (4−3)²)/3 = 2/3, spread √(2/3) ≈ 0.816.
    let cycle = cycle(3, vec![skill("apis", &[Engineering, Sales], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 2)]),
        rater("e2", Engineering, &[("apis", 3)]),
        rater("e3", Engineering, &[("apis", 4)]),
    ];
    let results = run(&cycle, &[], &responses);
    assert_eq!(shown_pools(&results, "apis"), vec![(Pool::Group(Engineering), Some((3, 0, 3.0)))]);
    let apis = results.skill("apis").unwrap();
    let spread = apis.pools[0].stats.as_ref().and_then(|s| s.spread).unwrap();
    assert!(close(spread, (2.0f64 / 3.0).sqrt()), "spread {spread}");
    // Target 4 − observed 3.0 = gap 1.0.
    assert_eq!(apis.gap, Some(1.0));
    assert_eq!(results.pools[0].threshold, 3);
    assert!(results.pools[0].anonymous && results.pools[0].shown);
}

#[test]
fn a_group_one_short_of_the_threshold_is_not_shown_on_its_own() {
    // k = 3, engineering 2 raters: a group of its own needs 3; alone in
    // "others" it is still 2 < 3, so it is withheld and nothing is shown.
    let cycle = cycle(3, vec![skill("apis", &[Engineering], 4, 1.0)]);
    let responses = [rater("e1", Engineering, &[("apis", 2)]), rater("e2", Engineering, &[("apis", 5)])];
    let results = run(&cycle, &[("apis", 3)], &responses);
    let apis = results.skill("apis").unwrap();
    assert!(apis.pools.is_empty());
    assert_eq!(apis.observed, None);
    assert_eq!(apis.gap, None);
    assert_eq!(apis.signal, None);
    assert_eq!(results.withheld_raters(), 2);
    assert_eq!(results.pools.len(), 1);
    assert_eq!((results.pools[0].pool, results.pools[0].shown), (Pool::Others, false));
}

#[test]
fn small_groups_merge_into_others() {
    // k = 3: engineering 3 (2, 2, 3) stands alone, mean 7/3.
    // Design 2 (4, 5) and sales 1 (3) are each under 3; together 3 raters,
    // so "others" is shown: mean (4 + 5 + 3)/3 = 4.0.
    // All raters: (7 + 12)/6 = 19/6 ≈ 3.167.
    let cycle = cycle(3, vec![skill("influence", &[Engineering, Design, Sales], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("influence", 2)]),
        rater("e2", Engineering, &[("influence", 2)]),
        rater("e3", Engineering, &[("influence", 3)]),
        rater("d1", Design, &[("influence", 4)]),
        rater("d2", Design, &[("influence", 5)]),
        rater("s1", Sales, &[("influence", 3)]),
    ];
    let results = run(&cycle, &[], &responses);
    assert_eq!(
        shown_pools(&results, "influence"),
        vec![(Pool::Group(Engineering), Some((3, 0, 7.0 / 3.0))), (Pool::Others, Some((3, 0, 4.0)))]
    );
    let observed = results.skill("influence").unwrap().observed.clone().unwrap();
    assert_eq!((observed.raters, observed.mean), (6, 19.0 / 6.0));
    let others = results.pools.iter().find(|p| p.pool == Pool::Others).unwrap();
    assert_eq!((others.groups.clone(), others.raters, others.shown), (vec![Design, Sales], 3, true));
    assert_eq!(results.withheld_raters(), 0);
}

#[test]
fn others_under_the_threshold_is_withheld_and_left_out_of_all_raters_and_comments() {
    // k = 3: engineering 3 (2, 2, 3); design 1 (5) and sales 1 (5) make an
    // "others" of 2 < 3: withheld. All raters = engineering only = 7/3, not
    // (7 + 10)/5 = 3.4, which would give away design + sales = 10.
    let cycle = cycle(3, vec![skill("influence", &[Engineering, Design, Sales], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("influence", 2)]),
        rater("e2", Engineering, &[("influence", 2)]),
        with_comment(rater("e3", Engineering, &[("influence", 3)]), None, "Explains the why behind each request."),
        with_comment(rater("d1", Design, &[("influence", 5)]), None, "Best partner I have had."),
        rater("s1", Sales, &[("influence", 5)]),
    ];
    let results = run(&cycle, &[], &responses);
    assert_eq!(shown_pools(&results, "influence"), vec![(Pool::Group(Engineering), Some((3, 0, 7.0 / 3.0)))]);
    let observed = results.skill("influence").unwrap().observed.clone().unwrap();
    assert_eq!((observed.raters, observed.not_observed, observed.mean), (3, 0, 7.0 / 3.0));
    assert_eq!(results.withheld_raters(), 2);
    let texts: Vec<&str> = results.comments.iter().flat_map(|g| g.texts.iter().map(String::as_str)).collect();
    assert_eq!(texts, ["Explains the why behind each request."]);
}

#[test]
fn the_manager_is_shown_by_name_with_one_answer() {
    // k = 5: the manager's single 4 is shown (threshold 1, not anonymous);
    // four peers are under 5 and alone in "others", so they are withheld.
    let cycle = cycle(5, vec![skill("coaching", &[Manager, Peer], 4, 1.0)]);
    let mut responses = vec![rater("boss", Manager, &[("coaching", 4)])];
    responses.extend((1..=4).map(|i| rater(&format!("p{i}"), Peer, &[("coaching", 1)])));
    let results = run(&cycle, &[("coaching", 2)], &responses);
    assert_eq!(shown_pools(&results, "coaching"), vec![(Pool::Group(Manager), Some((1, 0, 4.0)))]);
    let manager = &results.pools[0];
    assert_eq!(
        (manager.pool, manager.threshold, manager.anonymous, manager.shown),
        (Pool::Group(Manager), 1, false, true)
    );
    let coaching = results.skill("coaching").unwrap();
    // One answer: no spread. Self 2, manager 4: a hidden strength.
    assert_eq!(coaching.observed.as_ref().and_then(|s| s.spread), None);
    assert_eq!(coaching.signal, Some(Signal::HiddenStrength));
    assert_eq!(results.perceptions[0].message, "your manager sees your coaching at 4.0, you say 2");
    assert_eq!(results.withheld_raters(), 4);
}

#[test]
fn a_cell_with_too_few_levels_is_withheld_without_saying_how_many() {
    // k = 3, engineering 3 raters. sql: 3, 4, not observed → 2 levels < 3,
    // withheld (no count, no mean, no comments about sql). apis: 3, 3, 3 → shown.
    let cycle = cycle(3, vec![skill("apis", &[Engineering], 3, 0.5), skill("sql", &[Engineering], 3, 0.5)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 3), ("sql", 3)]),
        with_comment(rater("e2", Engineering, &[("apis", 3), ("sql", 4)]), Some("sql"), "Writes their own queries."),
        with_comment(rater("e3", Engineering, &[("apis", 3), ("sql", 0)]), None, "Great to work with."),
    ];
    let results = run(&cycle, &[], &responses);
    assert_eq!(shown_pools(&results, "sql"), vec![(Pool::Group(Engineering), None)]);
    assert_eq!(results.skill("sql").unwrap().observed, None);
    assert_eq!(shown_pools(&results, "apis"), vec![(Pool::Group(Engineering), Some((3, 0, 3.0)))]);
    assert_eq!(results.skill("apis").unwrap().pools[0].stats.as_ref().and_then(|s| s.spread), Some(0.0));
    assert_eq!(results.comments.len(), 1);
    assert_eq!(
        (results.comments[0].skill.as_ref(), results.comments[0].texts.as_slice()),
        (None, &["Great to work with.".to_owned()][..])
    );

    // The same cell with no level at all looks exactly the same: "withheld".
    let none = [
        rater("e1", Engineering, &[("apis", 3), ("sql", 0)]),
        rater("e2", Engineering, &[("apis", 3)]),
        with_comment(rater("e3", Engineering, &[("apis", 3), ("sql", 0)]), None, "Great to work with."),
    ];
    assert_eq!(serde_json::to_string(&run(&cycle, &[], &none)).unwrap(), serde_json::to_string(&results).unwrap());
}

#[test]
fn not_observed_is_counted_in_a_shown_cell() {
    // k = 3, engineering 4 raters on apis: 2, 4, 3, not observed → 3 levels,
    // shown: mean 3.0, 1 not observed.
    let cycle = cycle(3, vec![skill("apis", &[Engineering], 3, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 2)]),
        rater("e2", Engineering, &[("apis", 4)]),
        rater("e3", Engineering, &[("apis", 3)]),
        rater("e4", Engineering, &[("apis", 0)]),
    ];
    assert_eq!(shown_pools(&run(&cycle, &[], &responses), "apis"), vec![(Pool::Group(Engineering), Some((3, 1, 3.0)))]);
}

#[test]
fn blind_spots_and_hidden_strengths_need_a_full_level() {
    // k = 2, engineering 3 raters.
    // apis:        self 4, raters 2, 3, 3 → 8/3 ≈ 2.67; 4 − 2.67 = 1.33 ≥ 1: blind spot.
    // storytelling: self 2, raters 3, 3, 4 → 10/3 ≈ 3.33; 3.33 − 2 = 1.33 ≥ 1: hidden strength.
    // sql:         self 3, raters 2, 2, 2 → 2.0; exactly 1: blind spot (the bound is inclusive).
    // empathy:     self 3, raters 2, 2, 3 → 7/3 ≈ 2.33; 0.67 < 1: nothing.
    let cycle = cycle(
        2,
        vec![
            skill("apis", &[Engineering], 4, 0.25),
            skill("storytelling", &[Engineering], 4, 0.25),
            skill("sql", &[Engineering], 4, 0.25),
            skill("empathy", &[Engineering], 4, 0.25),
        ],
    );
    let responses = [
        rater("e1", Engineering, &[("apis", 2), ("storytelling", 3), ("sql", 2), ("empathy", 2)]),
        rater("e2", Engineering, &[("apis", 3), ("storytelling", 3), ("sql", 2), ("empathy", 2)]),
        rater("e3", Engineering, &[("apis", 3), ("storytelling", 4), ("sql", 2), ("empathy", 3)]),
    ];
    let results = run(&cycle, &[("apis", 4), ("storytelling", 2), ("sql", 3), ("empathy", 3)], &responses);
    let signal = |skill: &str| results.skill(skill).unwrap().signal;
    assert_eq!(signal("apis"), Some(Signal::BlindSpot));
    assert_eq!(signal("storytelling"), Some(Signal::HiddenStrength));
    assert_eq!(signal("sql"), Some(Signal::BlindSpot));
    assert_eq!(signal("empathy"), None);
    // Per function: the same signals, said as sentences.
    let messages: Vec<&str> = results.perceptions.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "engineering sees your apis at 2.7, you say 4",
            "engineering sees your storytelling at 3.3, you say 2",
            "engineering sees your sql at 2.0, you say 3",
        ]
    );
}

#[test]
fn per_function_signals_differ_between_groups() {
    // k = 2. Self 4 on apis. Engineering 2, 2 → 2.0: blind spot for engineering.
    // Sales 4, 5 → 4.5: nothing for sales. All raters 13/4 = 3.25: nothing overall.
    let cycle = cycle(2, vec![skill("apis", &[Engineering, Sales], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 2)]),
        rater("e2", Engineering, &[("apis", 2)]),
        rater("s1", Sales, &[("apis", 4)]),
        rater("s2", Sales, &[("apis", 5)]),
    ];
    let results = run(&cycle, &[("apis", 4)], &responses);
    let apis = results.skill("apis").unwrap();
    let signals: Vec<(Pool, Option<Signal>)> = apis.pools.iter().map(|c| (c.pool, c.signal)).collect();
    assert_eq!(signals, [(Pool::Group(Engineering), Some(Signal::BlindSpot)), (Pool::Group(Sales), None)]);
    assert_eq!(apis.signal, None);
    assert_eq!(apis.observed.as_ref().map(|s| s.mean), Some(3.25));
}

#[test]
fn spread_of_all_raters_pools_the_shown_cells() {
    // k = 2. Engineering 1, 5; sales 3, 3. All raters 1, 5, 3, 3: mean 3,
    // variance (4 + 4 + 0 + 0)/4 = 2, spread √2. Engineering alone: spread 2.
    let cycle = cycle(2, vec![skill("apis", &[Engineering, Sales], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 1)]),
        rater("e2", Engineering, &[("apis", 5)]),
        rater("s1", Sales, &[("apis", 3)]),
        rater("s2", Sales, &[("apis", 3)]),
    ];
    let apis = run(&cycle, &[], &responses).skill("apis").unwrap().clone();
    assert!(close(apis.observed.as_ref().and_then(|s| s.spread).unwrap(), 2f64.sqrt()));
    assert_eq!(apis.pools[0].stats.as_ref().and_then(|s| s.spread), Some(2.0));
    assert_eq!(apis.pools[1].stats.as_ref().and_then(|s| s.spread), Some(0.0));
}

#[test]
fn focus_ranks_by_weight_times_gap() {
    // k = 2, two engineers each.
    // a: weight 0.4, target 4, raters 3, 3 → gap 1.0, priority 0.40
    // b: weight 0.2, target 5, raters 2, 2 → gap 3.0, priority 0.60
    // c: weight 0.2, target 3, raters 4, 3 → gap −0.5: above target, never a focus
    // d: weight 0.1, target 5, no raters asked, self 1 → gap 4.0, priority 0.40 (ties a; a weighs more)
    // e: weight 0.1, target 2, raters 1, 1 → gap 1.0, priority 0.10: fourth, cut
    let cycle = cycle(
        2,
        vec![
            skill("a", &[Engineering], 4, 0.4),
            skill("b", &[Engineering], 5, 0.2),
            skill("c", &[Engineering], 3, 0.2),
            skill("d", &[Sales], 5, 0.1),
            skill("e", &[Engineering], 2, 0.1),
        ],
    );
    let answers = |second_c: i64| [("a", 3), ("b", 2), ("c", second_c), ("e", 1)];
    let responses = [rater("e1", Engineering, &answers(4)), rater("e2", Engineering, &answers(3))];
    let results = run(&cycle, &[("b", 4), ("d", 1)], &responses);
    let ranked: Vec<(&str, Basis)> = results.focus.iter().map(|f| (f.skill.as_str(), f.basis)).collect();
    assert_eq!(ranked, [("b", Basis::Raters), ("a", Basis::Raters), ("d", Basis::SelfRating)]);
    assert!(close(results.focus[0].priority, 0.6) && close(results.focus[2].priority, 0.4));
    assert_eq!(
        results.focus[0].reason,
        "Your raters see you at 2.0 against a target of 5: a gap of 3.0 on a skill that carries 20.0% of your \
         profile's weight; you rate yourself higher than they do."
    );
    assert_eq!(
        results.focus[2].reason,
        "You rate yourself 1 (no rater scores are shown for it) against a target of 5: a gap of 4.0 on a skill \
         that carries 10.0% of your profile's weight."
    );
}

#[test]
fn comments_are_shuffled_by_the_seed_whatever_the_submission_order() {
    let cycle = cycle(3, vec![skill("apis", &[Engineering], 3, 1.0)]);
    let texts = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"];
    let responses: Vec<RaterResponse> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| with_comment(rater(&format!("e{i}"), Engineering, &[("apis", 3)]), None, text))
        .collect();
    let reversed: Vec<RaterResponse> = responses.iter().rev().cloned().collect();
    let order = |responses: &[RaterResponse], seed| {
        let results = assessment::results(&cycle, &BTreeMap::new(), responses, ShuffleSeed::new(seed)).unwrap();
        results.comments[0].texts.clone()
    };
    assert_eq!(order(&responses, 7), order(&reversed, 7));
    let mut sorted = order(&responses, 7);
    sorted.sort();
    assert_eq!(sorted, texts);
    assert!((1..10).any(|seed| order(&responses, seed) != order(&responses, 7)), "the seed changes the order");
}

#[test]
fn results_wait_for_the_cycle_to_close_and_refuse_bad_responses() {
    let open = Cycle::new(vec![skill("apis", &[Engineering], 3, 1.0)], Threshold::default(), CycleState::Open).unwrap();
    let refuse = |cycle: &Cycle, responses: &[RaterResponse]| {
        assessment::results(cycle, &BTreeMap::new(), responses, ShuffleSeed::new(1)).unwrap_err()
    };
    assert_eq!(refuse(&open, &[]), AssessmentError::StillOpen);
    let closed = open.close();
    assert_eq!(closed.state(), CycleState::Closed);
    assert_eq!(
        refuse(&closed, &[rater("s1", Sales, &[("apis", 3)])]),
        AssessmentError::NotAsked { group: Sales, skill: id("apis") }
    );
    assert_eq!(refuse(&closed, &[rater("e1", Engineering, &[("sql", 3)])]), AssessmentError::UnknownSkill(id("sql")));
    let twice = [rater("e1", Engineering, &[("apis", 3)]), rater("e1", Engineering, &[("apis", 4)])];
    assert_eq!(refuse(&closed, &twice), AssessmentError::DuplicateRater);
    let comment_elsewhere = with_comment(rater("e1", Engineering, &[]), Some("sql"), "?");
    assert_eq!(refuse(&closed, &[comment_elsewhere]), AssessmentError::UnknownSkill(id("sql")));
    assert!(matches!(
        Cycle::new(vec![skill("a", &[], 3, 0.5), skill("a", &[], 3, 0.5)], Threshold::default(), CycleState::Open),
        Err(AssessmentError::DuplicateSkill(_))
    ));
    assert!(matches!(
        Cycle::new(vec![skill("a", &[], 3, f64::NAN)], Threshold::default(), CycleState::Open),
        Err(AssessmentError::BadWeight(_))
    ));
}

#[test]
fn a_frozen_cycle_keeps_the_profile_and_asks_each_group_what_it_can_observe() {
    let context = RoleContext::new(Role::Tpm, CareerLevel::Senior);
    let profile = profile(&context);
    let cycle = Cycle::freeze(framework(), &profile, Threshold::default()).unwrap();
    assert_eq!(cycle.state(), CycleState::Open);
    assert_eq!(cycle.skills().len(), profile.skills.len());
    for (frozen, target) in cycle.skills().iter().zip(&profile.skills) {
        assert_eq!((&frozen.id, frozen.target, frozen.weight), (&target.id, target.target, target.weight));
        assert_eq!(frozen.observers, framework().skill(frozen.id.as_str()).unwrap().observers);
    }
    for &group in Observer::ALL {
        let asked: Vec<&SkillId> = cycle.questions(group).map(|s| &s.id).collect();
        let expected: Vec<&SkillId> = profile
            .skills
            .iter()
            .map(|s| &s.id)
            .filter(|id| framework().skill(id.as_str()).unwrap().observers.contains(&group))
            .collect();
        assert_eq!(asked, expected, "{group}");
    }
    // apis lists engineering, customer-success, sales, customer and manager as observers, not design.
    assert!(cycle.questions(Engineering).any(|s| s.id.as_str() == "apis"));
    assert!(!cycle.questions(Design).any(|s| s.id.as_str() == "apis"));
}

#[test]
fn progress_shows_counts_and_placements_only() {
    // k = 3: engineering 3 of 4 answered → own; design 1 of 2 and sales 1 of 1
    // → "others" of 2 < 3 → withheld; manager 0 of 1 → withheld for now.
    let invitations: Vec<Invitation> = [
        (Engineering, true),
        (Engineering, true),
        (Engineering, true),
        (Engineering, false),
        (Design, true),
        (Design, false),
        (Sales, true),
        (Manager, false),
    ]
    .into_iter()
    .map(|(group, answered)| Invitation { group, answered })
    .collect();
    let progress = assessment::progress(Threshold::default(), &invitations);
    assert_eq!((progress.invited, progress.answered), (8, 5));
    let placements: Vec<(Observer, usize, usize, Placement)> =
        progress.groups.iter().map(|g| (g.group, g.invited, g.answered, g.placement)).collect();
    assert_eq!(
        placements,
        [
            (Manager, 1, 0, Placement::Withheld),
            (Engineering, 4, 3, Placement::Own),
            (Design, 2, 1, Placement::Withheld),
            (Sales, 1, 1, Placement::Withheld),
        ]
    );
    let completion = assessment::completion([("2025-q1", &progress), ("2025-q2", &progress)]);
    assert_eq!((completion.invited, completion.answered), (16, 10));
    assert_eq!(completion.rate, Some(10.0 / 16.0));
    assert_eq!(completion.cycles[1].cycle, "2025-q2");
}

#[test]
fn history_follows_each_cycle_as_it_was_shown() {
    // Cycle 1 (k = 3): engineering 2 answers → withheld; self 2.
    // Cycle 2 (k = 2): the same two engineers (3, 4) → 3.5 shown; self 3; a new skill "sql".
    let first = cycle(3, vec![skill("apis", &[Engineering], 4, 1.0)]);
    let second = cycle(2, vec![skill("sql", &[Engineering], 3, 0.5), skill("apis", &[Engineering], 4, 0.5)]);
    let raters = [rater("e1", Engineering, &[("apis", 3)]), rater("e2", Engineering, &[("apis", 4)])];
    let one = run(&first, &[("apis", 2)], &raters);
    let two = run(&second, &[("apis", 3)], &raters);
    let history = assessment::history([("q1", &one), ("q2", &two)]);
    assert_eq!(history.cycles, ["q1", "q2"]);
    let ids: Vec<&str> = history.skills.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["sql", "apis"]);
    let apis: Vec<(Option<u8>, Option<f64>)> =
        history.skills[1].points.iter().map(|p| (p.self_rating.map(Level::get), p.observed)).collect();
    assert_eq!(apis, [(Some(2), None), (Some(3), Some(3.5))]);
    assert_eq!(history.skills[0].points[0].target, None);
}

#[test]
fn csv_rows_hold_what_the_results_show_and_nothing_else() {
    // k = 3: engineering 3 (2, 3, 4) shown; design 1 (5) withheld.
    let cycle = cycle(3, vec![skill("apis", &[Engineering, Design], 4, 1.0)]);
    let responses = [
        rater("e1", Engineering, &[("apis", 2)]),
        rater("e2", Engineering, &[("apis", 3)]),
        rater("e3", Engineering, &[("apis", 4)]),
        rater("d1", Design, &[("apis", 5)]),
    ];
    let results = run(&cycle, &[("apis", 4)], &responses);
    let rows = assessment::csv_rows(&results);
    let rows: Vec<Vec<&str>> = rows.iter().map(|row| row.iter().map(String::as_str).collect()).collect();
    assert_eq!(
        rows,
        [
            ["apis", "apis", "4", "1.0000", "self", "shown", "4", "", "", "", "", ""],
            ["apis", "apis", "4", "1.0000", "all-raters", "shown", "3.00", "3", "0", "0.82", "1.00", "blind-spot"],
            ["apis", "apis", "4", "1.0000", "engineering", "shown", "3.00", "3", "0", "0.82", "", "blind-spot"],
        ]
    );
    assert_eq!(assessment::CSV_HEADER.len(), rows[0].len());
}
