//! The anonymity guarantee as properties over random cycles: nothing withheld
//! can be recovered from any combination of the views served, because
//! changing it changes no served byte.
//!
//! "Served" is everything the API produces for a closed cycle: the results
//! (pools, per-skill cells with means, spreads, counts and "not observed",
//! the pooled "all raters", gaps, signals, per-function sentences, comments
//! and their order, focus suggestions), the CSV rows, the history built from
//! them, and the progress counts.

use std::collections::BTreeMap;

use pmcoach_core::assessment::{
    self, Answer, Comment, Cycle, CycleSkill, CycleState, Invitation, RaterKey, RaterResponse, Results, SelfRating,
    ShuffleSeed, Stats, Threshold,
};
use pmcoach_core::framework::model::{Category, Observer};
use pmcoach_core::ids::{Level, SkillId};
use proptest::prelude::*;

use Observer::{Customer, Design, Engineering, Manager, Peer, Sales};

const GROUPS: [Observer; 6] = [Manager, Engineering, Design, Sales, Peer, Customer];
const TEXTS: [&str; 5] = ["Clear in reviews", "Listens first", "Dates slip", "Kind", "Asks why"];
const MAX_SKILLS: usize = 4;

/// An answer code: 0 left blank, 1 "not observed", 2..=6 levels 1..=5.
type Code = u8;

#[derive(Debug, Clone)]
struct RaterSpec {
    group: usize,
    answers: [Code; MAX_SKILLS],
    alt_answers: [Code; MAX_SKILLS],
    /// (topic, text): topic < MAX_SKILLS is a skill (if asked), else general.
    comments: Vec<(usize, usize)>,
    alt_comments: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct Case {
    threshold: i64,
    /// (observer mask over GROUPS, target, weight in tenths)
    skills: Vec<(u8, i64, u8)>,
    selves: Vec<Option<i64>>,
    raters: Vec<RaterSpec>,
    seed: u64,
    /// Random sort keys: a permutation of the raters.
    order: Vec<u64>,
}

fn any_rater() -> impl Strategy<Value = RaterSpec> {
    let comments = || prop::collection::vec((0..=MAX_SKILLS, 0..TEXTS.len()), 0..=2);
    (
        0..GROUPS.len(),
        [0..=6u8, 0..=6u8, 0..=6u8, 0..=6u8],
        [0..=6u8, 0..=6u8, 0..=6u8, 0..=6u8],
        comments(),
        comments(),
    )
        .prop_map(|(group, answers, alt_answers, comments, alt_comments)| RaterSpec {
            group,
            answers,
            alt_answers,
            comments,
            alt_comments,
        })
}

fn any_case() -> impl Strategy<Value = Case> {
    (
        2..=5i64,
        prop::collection::vec((1..64u8, 1..=5i64, 0..=10u8), 1..=MAX_SKILLS),
        prop::collection::vec(prop::option::of(1..=5i64), MAX_SKILLS),
        prop::collection::vec(any_rater(), 0..=14),
        any::<u64>(),
    )
        .prop_flat_map(|(threshold, skills, selves, raters, seed)| {
            let n = raters.len();
            (
                Just(threshold),
                Just(skills),
                Just(selves),
                Just(raters),
                Just(seed),
                prop::collection::vec(any::<u64>(), n),
            )
        })
        .prop_map(|(threshold, skills, selves, raters, seed, order)| Case {
            threshold,
            skills,
            selves,
            raters,
            seed,
            order,
        })
}

fn skill_id(index: usize) -> SkillId {
    SkillId::parse(&format!("skill-{index}")).expect("valid id")
}

fn observers(mask: u8) -> Vec<Observer> {
    GROUPS.iter().enumerate().filter(|(bit, _)| mask & (1 << bit) != 0).map(|(_, &g)| g).collect()
}

fn cycle(case: &Case) -> Cycle {
    let skills = case
        .skills
        .iter()
        .enumerate()
        .map(|(i, &(mask, target, weight))| CycleSkill {
            id: skill_id(i),
            name: format!("Skill {i}"),
            category: Category::Soft,
            observers: observers(mask),
            target: Level::new(target).expect("valid level"),
            weight: f64::from(weight) / 10.0,
        })
        .collect();
    let threshold = Threshold::new(case.threshold).expect("valid threshold");
    Cycle::new(skills, threshold, CycleState::Closed).expect("valid cycle")
}

fn selves(case: &Case) -> BTreeMap<SkillId, SelfRating> {
    (0..case.skills.len())
        .filter_map(|i| {
            let level = Level::new(case.selves[i]?).ok()?;
            Some((skill_id(i), SelfRating { level, evidence: None }))
        })
        .collect()
}

fn asked(case: &Case, group: usize, skill: usize) -> bool {
    skill < case.skills.len() && case.skills[skill].0 & (1 << group) != 0
}

fn decode(code: Code) -> Option<Answer> {
    match code {
        0 => None,
        1 => Some(Answer::NotObserved),
        level => Some(Answer::Rated(Level::new(i64::from(level) - 1).ok()?)),
    }
}

fn is_level(code: Code) -> bool {
    code >= 2
}

/// The responses a rater spec describes, with `answers` and `comments` as given.
fn response(
    case: &Case,
    key: String,
    spec: &RaterSpec,
    answers: &[Code; MAX_SKILLS],
    comments: &[(usize, String)],
) -> RaterResponse {
    RaterResponse {
        rater: RaterKey::parse(&key).expect("valid key"),
        group: GROUPS[spec.group],
        answers: (0..case.skills.len())
            .filter(|&s| asked(case, spec.group, s))
            .filter_map(|s| decode(answers[s]).map(|answer| (skill_id(s), answer)))
            .collect(),
        comments: comments
            .iter()
            .map(|(topic, text)| Comment {
                skill: asked(case, spec.group, *topic).then(|| skill_id(*topic)),
                text: text.clone(),
            })
            .collect(),
    }
}

fn texts(comments: &[(usize, usize)]) -> Vec<(usize, String)> {
    comments.iter().map(|&(topic, text)| (topic, TEXTS[text].to_owned())).collect()
}

fn original(case: &Case) -> Vec<RaterResponse> {
    case.raters
        .iter()
        .enumerate()
        .map(|(i, spec)| response(case, format!("rater-{i}"), spec, &spec.answers, &texts(&spec.comments)))
        .collect()
}

/// The reference rule, written independently of the library: which pool each
/// rater's answers go to (`None` = withheld), and each pool's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RefPool {
    Own(usize),
    Others,
}

fn reference_pools(case: &Case) -> (Vec<Option<RefPool>>, impl Fn(RefPool) -> usize) {
    let k = case.threshold as usize;
    let need = move |group: usize| if GROUPS[group] == Manager { 1 } else { k };
    let mut count = [0usize; GROUPS.len()];
    for spec in &case.raters {
        count[spec.group] += 1;
    }
    let small: usize = (0..GROUPS.len()).filter(|&g| count[g] < need(g)).map(|g| count[g]).sum();
    let pools = case
        .raters
        .iter()
        .map(|spec| {
            if count[spec.group] >= need(spec.group) {
                Some(RefPool::Own(spec.group))
            } else if small >= k {
                Some(RefPool::Others)
            } else {
                None
            }
        })
        .collect();
    let threshold = move |pool: RefPool| match pool {
        RefPool::Own(group) => need(group),
        RefPool::Others => k,
    };
    (pools, threshold)
}

/// The same raters with every withheld thing changed: a withheld rater's
/// answers and comments entirely, and in a withheld cell (a shown pool's
/// skill with fewer levels than its threshold) any answer that keeps the cell
/// withheld, and the comments about that skill.
fn with_withheld_changed(case: &Case) -> (Vec<RaterResponse>, usize) {
    let (pools, threshold) = reference_pools(case);
    let mut levels: BTreeMap<(RefPool, usize), usize> = BTreeMap::new();
    for (spec, pool) in case.raters.iter().zip(&pools) {
        for s in (0..case.skills.len()).filter(|&s| asked(case, spec.group, s)) {
            if let Some(pool) = pool {
                *levels.entry((*pool, s)).or_default() += usize::from(is_level(spec.answers[s]));
            }
        }
    }
    let withheld_cell = |pool: RefPool, s: usize| levels.get(&(pool, s)).is_some_and(|&n| n < threshold(pool));
    let mut current = levels.clone();
    let mut changed = 0;
    let responses = case
        .raters
        .iter()
        .zip(&pools)
        .enumerate()
        .map(|(i, (spec, pool))| {
            let key = format!("rater-{i}");
            let Some(pool) = *pool else {
                changed += 1;
                return response(case, key, spec, &spec.alt_answers, &texts(&spec.alt_comments));
            };
            let mut answers = spec.answers;
            for s in (0..case.skills.len()).filter(|&s| asked(case, spec.group, s) && withheld_cell(pool, s)) {
                let cell = current.entry((pool, s)).or_default();
                let after = *cell - usize::from(is_level(answers[s])) + usize::from(is_level(spec.alt_answers[s]));
                if after < threshold(pool) && answers[s] != spec.alt_answers[s] {
                    answers[s] = spec.alt_answers[s];
                    *cell = after;
                    changed += 1;
                }
            }
            let comments: Vec<(usize, String)> = spec
                .comments
                .iter()
                .map(|&(topic, text)| {
                    if asked(case, spec.group, topic) && withheld_cell(pool, topic) {
                        changed += 1;
                        (topic, format!("{} (changed)", TEXTS[text]))
                    } else {
                        (topic, TEXTS[text].to_owned())
                    }
                })
                .collect();
            response(case, key, spec, &answers, &comments)
        })
        .collect();
    (responses, changed)
}

fn results(case: &Case, responses: &[RaterResponse]) -> Results {
    match assessment::results(&cycle(case), &selves(case), responses, ShuffleSeed::new(case.seed)) {
        Ok(results) => results,
        Err(error) => panic!("results refused: {error}"),
    }
}

/// Every view served for a closed cycle, as bytes.
fn served(case: &Case, responses: &[RaterResponse]) -> String {
    let results = results(case, responses);
    let invitations: Vec<Invitation> =
        responses.iter().map(|r| Invitation { group: r.group, answered: true }).collect();
    let threshold = Threshold::new(case.threshold).expect("valid threshold");
    let views = (
        &results,
        assessment::csv_rows(&results),
        assessment::history([("cycle", &results)]),
        assessment::progress(threshold, &invitations),
    );
    serde_json::to_string(&views).expect("views serialise")
}

fn all_stats(results: &Results) -> impl Iterator<Item = &Stats> {
    results
        .skills
        .iter()
        .flat_map(|skill| skill.observed.iter().chain(skill.pools.iter().filter_map(|cell| cell.stats.as_ref())))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The "cannot subtract" property: withheld answers and comments can be
    /// anything at all, and every served view stays byte-for-byte the same.
    #[test]
    fn nothing_withheld_reaches_any_served_view(case in any_case()) {
        let (changed, _) = with_withheld_changed(&case);
        prop_assert_eq!(served(&case, &original(&case)), served(&case, &changed));
    }

    /// The views are not constant: changing one shown level changes them.
    #[test]
    fn a_shown_answer_does_reach_the_views(case in any_case()) {
        let (pools, threshold) = reference_pools(&case);
        let responses = original(&case);
        let before = served(&case, &responses);
        // The first rater whose level sits in a shown cell.
        let shown = |i: usize, s: usize| {
            let Some(pool) = pools[i] else { return false };
            let spec = &case.raters[i];
            if !(asked(&case, spec.group, s) && is_level(spec.answers[s])) {
                return false;
            }
            let levels = case.raters.iter().zip(&pools).filter(|(other, p)| {
                **p == Some(pool) && asked(&case, other.group, s) && is_level(other.answers[s])
            });
            levels.count() >= threshold(pool)
        };
        let target = (0..case.raters.len()).flat_map(|i| (0..case.skills.len()).map(move |s| (i, s))).find(|&(i, s)| shown(i, s));
        if let Some((i, s)) = target {
            let mut altered = responses.clone();
            let Some(Answer::Rated(level)) = altered[i].answers.get(&skill_id(s)).copied() else {
                return Err(TestCaseError::fail("a shown cell holds a level"));
            };
            let other = Level::new(i64::from(level.get() % 5 + 1)).expect("valid level");
            altered[i].answers.insert(skill_id(s), Answer::Rated(other));
            prop_assert_ne!(before, served(&case, &altered));
        }
    }

    /// Same inputs in any submission order, under any rater keys, with each
    /// rater's comments in any order: the same bytes, comment order included.
    #[test]
    fn views_do_not_depend_on_submission_order_or_keys(case in any_case()) {
        let responses = original(&case);
        let mut order: Vec<usize> = (0..responses.len()).collect();
        order.sort_by_key(|&i| (case.order[i], i));
        let shuffled: Vec<RaterResponse> = order
            .iter()
            .enumerate()
            .map(|(position, &i)| {
                let mut response = responses[i].clone();
                response.rater = RaterKey::parse(&format!("other-key-{position}")).expect("valid key");
                response.comments.reverse();
                response
            })
            .collect();
        let first = served(&case, &responses);
        prop_assert_eq!(&first, &served(&case, &responses), "deterministic");
        prop_assert_eq!(first, served(&case, &shuffled));
    }

    /// Means stay within 1–5, spreads within 0–2, every shown anonymous cell
    /// has at least `threshold` levels, and "all raters" is exactly the union
    /// of the shown cells.
    #[test]
    fn figures_stay_in_range_and_all_raters_is_the_shown_cells(case in any_case()) {
        let results = results(&case, &original(&case));
        for stats in all_stats(&results) {
            prop_assert!((1.0..=5.0).contains(&stats.mean), "mean {}", stats.mean);
            prop_assert!(stats.spread.is_none_or(|s| (0.0..=2.0).contains(&s)), "spread {:?}", stats.spread);
            prop_assert!(stats.raters >= 1);
        }
        for skill in &results.skills {
            let shown: Vec<&Stats> = skill.pools.iter().filter_map(|cell| cell.stats.as_ref()).collect();
            for cell in &skill.pools {
                let needed = if cell.pool.is_named() { 1 } else { case.threshold as usize };
                prop_assert!(cell.stats.as_ref().is_none_or(|s| s.raters >= needed));
                prop_assert!(cell.stats.is_some() || cell.signal.is_none());
            }
            let raters: usize = shown.iter().map(|s| s.raters).sum();
            let not_observed: usize = shown.iter().map(|s| s.not_observed).sum();
            prop_assert_eq!(skill.observed.as_ref().map_or(0, |s| s.raters), raters);
            prop_assert_eq!(skill.observed.as_ref().map_or(0, |s| s.not_observed), if raters == 0 { 0 } else { not_observed });
        }
        prop_assert!(results.focus.len() <= assessment::FOCUS_SKILLS);
        prop_assert!(results.focus.windows(2).all(|pair| pair[0].priority >= pair[1].priority));
    }
}

/// The property on one known case, so it is never checked only vacuously:
/// k = 3; engineering 3 raters with a withheld cell (skill-1: two levels);
/// design 1 + sales 1 → "others" of 2, withheld.
#[test]
fn the_property_holds_on_a_case_with_a_withheld_pool_and_a_withheld_cell() {
    let rater = |group: Observer, answers: [Code; MAX_SKILLS], alt_answers: [Code; MAX_SKILLS]| RaterSpec {
        group: GROUPS.iter().position(|&g| g == group).expect("known group"),
        answers,
        alt_answers,
        comments: vec![(1, 0), (MAX_SKILLS, 1)],
        alt_comments: vec![(0, 2)],
    };
    let all = 0b11_1111;
    let case = Case {
        threshold: 3,
        skills: vec![(all, 4, 5), (all, 3, 5)],
        selves: vec![Some(3), Some(3), None, None],
        raters: vec![
            rater(Engineering, [3, 3, 0, 0], [3, 1, 0, 0]),
            rater(Engineering, [4, 4, 0, 0], [4, 6, 0, 0]),
            rater(Engineering, [5, 1, 0, 0], [5, 2, 0, 0]),
            rater(Design, [6, 6, 0, 0], [2, 1, 0, 0]),
            rater(Sales, [6, 2, 0, 0], [1, 0, 0, 0]),
        ],
        seed: 9,
        order: vec![0; 5],
    };
    let (changed, count) = with_withheld_changed(&case);
    // Design and sales entirely; engineering's skill-1 answer 4 → 6 (levels stay 2) and its comments about skill-1.
    assert!(count >= 5, "{count} changes");
    assert_ne!(changed, original(&case));
    assert_eq!(served(&case, &original(&case)), served(&case, &changed));
    let results = results(&case, &original(&case));
    assert_eq!(results.withheld_raters(), 2);
    assert_eq!(results.skills[1].pools[0].stats, None);
    assert!(results.skills[0].pools[0].stats.is_some());
}
