//! A closed cycle's results: per skill the target, the self rating, each
//! shown pool's view, the pooled view of every shown answer, gaps, spread,
//! blind spots and hidden strengths, comments, and three focus skills.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::anonymity::{Plan, Pool};
use super::model::{Answer, AssessmentError, Cycle, CycleSkill, CycleState, RaterResponse, SelfRating};
use super::shuffle::{ShuffleSeed, shuffle};
use crate::framework::model::{Category, Observer};
use crate::ids::{Level, SkillId};
use crate::vocab::vocabulary;

/// How many focus skills are suggested.
pub const FOCUS_SKILLS: usize = 3;

vocabulary!(
    /// A difference of at least one level between how you see yourself and
    /// how raters see you: a blind spot when you rate yourself at least one
    /// level above what raters see, a hidden strength when raters see you at
    /// least one level above your own rating.
    Signal, "signal" {
        BlindSpot => "blind-spot",
        HiddenStrength => "hidden-strength",
    }
);

vocabulary!(
    /// What a focus suggestion's gap is measured from: the mean of every
    /// shown rater answer, or your own rating where no rater answer is shown.
    Basis, "basis" {
        Raters => "raters",
        SelfRating => "self",
    }
);

/// Aggregates of one set of answers about one skill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Raters who gave a level.
    pub raters: usize,
    /// Raters who were asked and answered "not observed" (or left it blank).
    pub not_observed: usize,
    /// Mean level, within 1–5.
    pub mean: f64,
    /// Rater agreement: the population standard deviation of the levels,
    /// when at least two raters gave one (0 = full agreement).
    pub spread: Option<f64>,
}

/// One pool's view of one skill. `stats` is `None` when withheld: fewer
/// answers than the pool's threshold gave a level (including none at all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub pool: Pool,
    pub stats: Option<Stats>,
    /// Self against this pool's mean, when both are there.
    pub signal: Option<Signal>,
}

/// Everything shown about one skill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillResult {
    pub id: SkillId,
    pub name: String,
    pub category: Category,
    pub target: Level,
    pub weight: f64,
    pub self_rating: Option<Level>,
    pub evidence: Option<String>,
    /// Every shown answer together ("all raters shown"): the union of the
    /// shown cells below, and never an answer from a withheld cell or pool.
    pub observed: Option<Stats>,
    /// Target − observed mean; negative when raters see you above target.
    pub gap: Option<f64>,
    /// Self against the observed mean.
    pub signal: Option<Signal>,
    /// One cell per shown pool whose raters were asked about the skill.
    pub pools: Vec<Cell>,
}

/// A pool of raters and whether its answers are shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolSummary {
    pub pool: Pool,
    /// The groups in the pool: one, or every small group for "others".
    pub groups: Vec<Observer>,
    /// Raters who answered.
    pub raters: usize,
    /// Answers the pool, and each of its cells, needs to be shown.
    pub threshold: u32,
    /// `false` for the manager, who is shown by name.
    pub anonymous: bool,
    pub shown: bool,
}

/// Comments of one shown pool about one skill (or in general), in a shuffled
/// order that says nothing about who wrote them or when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommentGroup {
    pub pool: Pool,
    pub skill: Option<SkillId>,
    pub texts: Vec<String>,
}

/// "Engineering sees your API fluency at 2.0, you say 4."
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Perception {
    pub skill: SkillId,
    pub pool: Pool,
    pub seen: f64,
    pub self_rating: Level,
    pub signal: Signal,
    pub message: String,
}

/// A suggested focus skill, ranked by weight × gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Focus {
    pub skill: SkillId,
    pub name: String,
    pub gap: f64,
    pub weight: f64,
    pub priority: f64,
    pub basis: Basis,
    pub reason: String,
}

/// What the person (and whoever they share with) may see of a closed cycle.
/// Every field is a function of the shown answers, the self ratings, the
/// frozen cycle and the number of raters per group only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    pub threshold: u32,
    pub pools: Vec<PoolSummary>,
    /// Skills in the cycle's order (heaviest first).
    pub skills: Vec<SkillResult>,
    /// Per function, where self and a shown pool differ by a level or more.
    pub perceptions: Vec<Perception>,
    pub comments: Vec<CommentGroup>,
    /// Up to [`FOCUS_SKILLS`], highest priority first.
    pub focus: Vec<Focus>,
}

impl Results {
    pub fn skill(&self, id: &str) -> Option<&SkillResult> {
        self.skills.iter().find(|skill| skill.id.as_str() == id)
    }

    /// Raters whose answers are withheld altogether (a pool under its threshold).
    pub fn withheld_raters(&self) -> usize {
        self.pools.iter().filter(|pool| !pool.shown).map(|pool| pool.raters).sum()
    }
}

/// Integer running totals of levels, so every figure is exact and
/// independent of the order answers are added in.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    raters: u32,
    not_observed: u32,
    sum: u32,
    sum_sq: u32,
}

impl Tally {
    fn add(&mut self, answer: Option<Answer>) {
        match answer {
            Some(Answer::Rated(level)) => {
                let level = u32::from(level.get());
                self.raters += 1;
                self.sum += level;
                self.sum_sq += level * level;
            }
            Some(Answer::NotObserved) | None => self.not_observed += 1,
        }
    }

    fn merge(&mut self, other: Tally) {
        self.raters += other.raters;
        self.not_observed += other.not_observed;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    fn stats(self) -> Option<Stats> {
        if self.raters == 0 {
            return None;
        }
        let n = f64::from(self.raters);
        // n·Σx² − (Σx)² is n² times the population variance, exactly.
        let spread_numerator = u64::from(self.raters) * u64::from(self.sum_sq) - u64::from(self.sum).pow(2);
        Some(Stats {
            raters: self.raters as usize,
            not_observed: self.not_observed as usize,
            mean: f64::from(self.sum) / n,
            spread: (self.raters >= 2).then(|| (spread_numerator as f64).sqrt() / n),
        })
    }

    /// Blind spot when self ≥ mean + 1, hidden strength when mean ≥ self + 1,
    /// compared exactly as self·n − Σx ≥ n and Σx − self·n ≥ n.
    fn signal(self, self_rating: Option<Level>) -> Option<Signal> {
        let own = i64::from(self_rating?.get()) * i64::from(self.raters);
        let (sum, n) = (i64::from(self.sum), i64::from(self.raters));
        if n == 0 {
            None
        } else if own - sum >= n {
            Some(Signal::BlindSpot)
        } else if sum - own >= n {
            Some(Signal::HiddenStrength)
        } else {
            None
        }
    }
}

/// The results of a closed cycle. `seed` keys the comment shuffle; derive it
/// from the cycle and a server secret, so the order is stable across page
/// loads but not predictable.
///
/// Refuses an open cycle, and responses that answer skills outside the cycle
/// or outside their group's questions, or that share a rater key.
pub fn results(
    cycle: &Cycle,
    self_ratings: &BTreeMap<SkillId, SelfRating>,
    responses: &[RaterResponse],
    seed: ShuffleSeed,
) -> Result<Results, AssessmentError> {
    if cycle.state() != CycleState::Closed {
        return Err(AssessmentError::StillOpen);
    }
    cycle.check_self(self_ratings)?;
    let mut keys = BTreeSet::new();
    let mut answered: BTreeMap<Observer, usize> = BTreeMap::new();
    for response in responses {
        cycle.check_response(response)?;
        if !keys.insert(&response.rater) {
            return Err(AssessmentError::DuplicateRater);
        }
        *answered.entry(response.group).or_default() += 1;
    }
    let plan = Plan::new(cycle.threshold(), answered);

    let pools: Vec<PoolSummary> = plan
        .pools()
        .into_iter()
        .map(|(pool, groups, raters, shown)| PoolSummary {
            pool,
            groups,
            raters,
            threshold: plan.pool_threshold(pool),
            anonymous: !pool.is_named(),
            shown,
        })
        .collect();
    let shown_pools: Vec<Pool> = pools.iter().filter(|p| p.shown).map(|p| p.pool).collect();
    // Withheld raters' responses are dropped here, before anything is counted.
    let plan_ref = &plan;
    let members = |pool: Pool| responses.iter().filter(move |r| plan_ref.pool_of(r.group) == Some(pool));

    let mut skills = Vec::with_capacity(cycle.skills().len());
    let mut shown_cells: BTreeSet<(Pool, &SkillId)> = BTreeSet::new();
    let mut perceptions = Vec::new();
    for skill in cycle.skills() {
        let own = self_ratings.get(&skill.id);
        let self_level = own.map(|rating| rating.level);
        let mut observed = Tally::default();
        let mut cells = Vec::new();
        for &pool in &shown_pools {
            let mut tally = Tally::default();
            let mut asked = false;
            for response in members(pool).filter(|r| skill.is_observed_by(r.group)) {
                asked = true;
                tally.add(response.answers.get(&skill.id).copied());
            }
            if !asked {
                continue;
            }
            let shown = tally.raters >= plan.pool_threshold(pool);
            let (stats, signal) = if shown {
                observed.merge(tally);
                shown_cells.insert((pool, &skill.id));
                (tally.stats(), tally.signal(self_level))
            } else {
                (None, None)
            };
            if let (Some(stats), Some(signal), Some(level)) = (&stats, signal, self_level) {
                perceptions.push(perception(skill, pool, stats.mean, level, signal));
            }
            cells.push(Cell { pool, stats, signal });
        }
        let observed_stats = observed.stats();
        skills.push(SkillResult {
            id: skill.id.clone(),
            name: skill.name.clone(),
            category: skill.category,
            target: skill.target,
            weight: skill.weight,
            self_rating: self_level,
            evidence: own.and_then(|rating| rating.evidence.clone()),
            gap: observed_stats.as_ref().map(|stats| f64::from(skill.target.get()) - stats.mean),
            observed: observed_stats,
            signal: observed.signal(self_level),
            pools: cells,
        });
    }

    let comments = comments(cycle, &shown_pools, &shown_cells, responses, &plan, seed);
    let focus = focus(&skills);
    Ok(Results { threshold: cycle.threshold().get(), pools, skills, perceptions, comments, focus })
}

fn perception(skill: &CycleSkill, pool: Pool, seen: f64, self_rating: Level, signal: Signal) -> Perception {
    let who = match pool {
        Pool::Group(Observer::Manager) => "your manager sees".to_owned(),
        Pool::Group(group) => format!("{group} sees"),
        Pool::Others => "other raters see".to_owned(),
    };
    Perception {
        skill: skill.id.clone(),
        pool,
        seen,
        self_rating,
        signal,
        message: format!("{who} your {} at {seen:.1}, you say {self_rating}", skill.name),
    }
}

/// Comments of shown pools only; a comment about a skill only where that
/// pool's cell of the skill is shown. Each list is shuffled on its own.
fn comments(
    cycle: &Cycle,
    shown_pools: &[Pool],
    shown_cells: &BTreeSet<(Pool, &SkillId)>,
    responses: &[RaterResponse],
    plan: &Plan,
    seed: ShuffleSeed,
) -> Vec<CommentGroup> {
    let topics = std::iter::once(None).chain(cycle.skills().iter().map(|skill| Some(&skill.id)));
    let mut groups = Vec::new();
    for (stream, (pool, skill)) in
        shown_pools.iter().flat_map(|&pool| topics.clone().map(move |skill| (pool, skill))).enumerate()
    {
        if skill.is_some_and(|id| !shown_cells.contains(&(pool, id))) {
            continue;
        }
        let mut texts: Vec<String> = responses
            .iter()
            .filter(|r| plan.pool_of(r.group) == Some(pool))
            .flat_map(|r| &r.comments)
            .filter(|comment| comment.skill.as_ref() == skill)
            .map(|comment| comment.text.trim().to_owned())
            .filter(|text| !text.is_empty())
            .collect();
        if texts.is_empty() {
            continue;
        }
        shuffle(&mut texts, seed, stream as u64);
        groups.push(CommentGroup { pool, skill: skill.cloned(), texts });
    }
    groups
}

/// The skills with the largest weight × gap, where the gap is measured from
/// the shown rater mean or, failing that, the self rating.
fn focus(skills: &[SkillResult]) -> Vec<Focus> {
    let mut candidates: Vec<Focus> = skills
        .iter()
        .filter_map(|skill| {
            let target = f64::from(skill.target.get());
            let (current, basis) = match (&skill.observed, skill.self_rating) {
                (Some(stats), _) => (stats.mean, Basis::Raters),
                (None, Some(level)) => (f64::from(level.get()), Basis::SelfRating),
                (None, None) => return None,
            };
            let gap = target - current;
            (gap > 0.0).then(|| Focus {
                skill: skill.id.clone(),
                name: skill.name.clone(),
                gap,
                weight: skill.weight,
                priority: skill.weight * gap,
                basis,
                reason: reason(skill, current, gap, basis),
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.priority.total_cmp(&a.priority).then(b.weight.total_cmp(&a.weight)).then_with(|| a.skill.cmp(&b.skill))
    });
    candidates.truncate(FOCUS_SKILLS);
    candidates
}

fn reason(skill: &SkillResult, current: f64, gap: f64, basis: Basis) -> String {
    let seen = match basis {
        Basis::Raters => format!("Your raters see you at {current:.1}"),
        Basis::SelfRating => format!("You rate yourself {current:.0} (no rater scores are shown for it)"),
    };
    let blind = if basis == Basis::Raters && skill.signal == Some(Signal::BlindSpot) {
        "; you rate yourself higher than they do"
    } else {
        ""
    };
    format!(
        "{seen} against a target of {}: a gap of {gap:.1} on a skill that carries {:.1}% of your profile's weight{blind}.",
        skill.target,
        skill.weight * 100.0
    )
}
