//! Scoring an answer, and adding scores up per skill over time. The formulas
//! are in the [module docs](super).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{KEY_MAX, KEY_MIN, Scenario, ScenarioBank};
use crate::ids::SkillId;
use crate::vocab::vocabulary;

/// The width of the key scale (5 − 1): the largest distance between a
/// rating or a pick and the key.
const SCALE: f64 = (KEY_MAX - KEY_MIN) as f64;

vocabulary!(
    /// How a person answers a scenario.
    AnswerFormat, "answer format" {
        Rating => "rating",
        BestWorst => "best-worst",
    }
);

/// A person's answer to one scenario. Options are 0-based positions in the
/// order the scenario lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "format")]
pub enum Answer {
    /// A rating 1–5 for every option, in order.
    Rating { ratings: Vec<u8> },
    /// The option judged best and the one judged worst.
    BestWorst { best: usize, worst: usize },
}

impl Answer {
    pub fn format(&self) -> AnswerFormat {
        match self {
            Answer::Rating { .. } => AnswerFormat::Rating,
            Answer::BestWorst { .. } => AnswerFormat::BestWorst,
        }
    }
}

/// Why an answer cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("rate every option: the scenario has {expected} options and {found} ratings were given")]
    WrongCount { expected: usize, found: usize },
    #[error(
        "rating {rating} for option {option} is out of range: rate from 1 (makes things worse) to 5 (most effective)"
    )]
    RatingOutOfRange { option: usize, rating: u8 },
    #[error("option {option} does not exist: the scenario has {count} options")]
    NoSuchOption { option: usize, count: usize },
    #[error("pick two different options: the best and the worst cannot be the same option")]
    SameBestAndWorst,
    #[error("the scenario has no options")]
    NoOptions,
}

/// Rating format: `1 − Σ|rating − key| / (4 · n)`, in 0..=1.
///
/// `keys` and `ratings` are in option order; both must be 1..=5.
pub fn rating_score(keys: &[u8], ratings: &[u8]) -> Result<f64, AnswerError> {
    if keys.is_empty() {
        return Err(AnswerError::NoOptions);
    }
    if ratings.len() != keys.len() {
        return Err(AnswerError::WrongCount { expected: keys.len(), found: ratings.len() });
    }
    if let Some((i, &rating)) = ratings.iter().enumerate().find(|(_, r)| !(KEY_MIN..=KEY_MAX).contains(r)) {
        return Err(AnswerError::RatingOutOfRange { option: i + 1, rating });
    }
    let distance: u32 = keys.iter().zip(ratings).map(|(&k, &r)| u32::from(k.abs_diff(r))).sum();
    Ok(clamp01(1.0 - f64::from(distance) / (SCALE * keys.len() as f64)))
}

/// Best/worst format: the mean of `1 − (max − key(best)) / 4` and
/// `1 − (key(worst) − min) / 4`, in 0..=1. `best` and `worst` are 0-based
/// option positions and must differ.
pub fn best_worst_score(keys: &[u8], best: usize, worst: usize) -> Result<f64, AnswerError> {
    let (Some(&max), Some(&min)) = (keys.iter().max(), keys.iter().min()) else {
        return Err(AnswerError::NoOptions);
    };
    for pick in [best, worst] {
        if pick >= keys.len() {
            return Err(AnswerError::NoSuchOption { option: pick + 1, count: keys.len() });
        }
    }
    if best == worst {
        return Err(AnswerError::SameBestAndWorst);
    }
    let best_part = 1.0 - f64::from(max.saturating_sub(keys[best])) / SCALE;
    let worst_part = 1.0 - f64::from(keys[worst].saturating_sub(min)) / SCALE;
    Ok(clamp01((best_part + worst_part) / 2.0))
}

fn clamp01(value: f64) -> f64 {
    value.clamp(0.0, 1.0)
}

/// Scores an answer to a scenario, in 0..=1.
pub fn score(scenario: &Scenario, answer: &Answer) -> Result<f64, AnswerError> {
    let keys = scenario.keys();
    match answer {
        Answer::Rating { ratings } => rating_score(&keys, ratings),
        Answer::BestWorst { best, worst } => best_worst_score(&keys, *best, *worst),
    }
}

/// What the person sees right after answering: the score and, per option,
/// their answer beside the key and its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub score: f64,
    /// The score as a whole percentage, for display.
    pub percent: u8,
    pub options: Vec<OptionFeedback>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionFeedback {
    pub key: u8,
    pub why: String,
    /// Rating format: the person's rating of this option.
    pub rating: Option<u8>,
    /// Rating format: how far the rating is from the key (0–4).
    pub distance: Option<u8>,
    /// Best/worst format: whether the person picked this option as best.
    pub picked_best: bool,
    /// Best/worst format: whether the person picked this option as worst.
    pub picked_worst: bool,
    /// Whether this option has the scenario's highest key.
    pub is_best: bool,
    /// Whether this option has the scenario's lowest key.
    pub is_worst: bool,
}

impl Feedback {
    pub fn new(scenario: &Scenario, answer: &Answer) -> Result<Feedback, AnswerError> {
        let score = score(scenario, answer)?;
        let max = scenario.options.iter().map(|o| o.key).max().unwrap_or(KEY_MAX);
        let min = scenario.options.iter().map(|o| o.key).min().unwrap_or(KEY_MIN);
        let options = scenario
            .options
            .iter()
            .enumerate()
            .map(|(i, option)| {
                let rating = match answer {
                    Answer::Rating { ratings } => ratings.get(i).copied(),
                    Answer::BestWorst { .. } => None,
                };
                let (picked_best, picked_worst) = match answer {
                    Answer::BestWorst { best, worst } => (*best == i, *worst == i),
                    Answer::Rating { .. } => (false, false),
                };
                OptionFeedback {
                    key: option.key,
                    why: option.why.clone(),
                    rating,
                    distance: rating.map(|r| r.abs_diff(option.key)),
                    picked_best,
                    picked_worst,
                    is_best: option.key == max,
                    is_worst: option.key == min,
                }
            })
            .collect();
        Ok(Feedback { score, percent: percent(score), options })
    }
}

/// A 0..=1 score as a whole percentage.
pub fn percent(score: f64) -> u8 {
    (clamp01(score) * 100.0).round() as u8
}

/// One scored attempt by one person. `at` orders attempts (UTC milliseconds
/// in the store); the earliest attempt at a scenario is the blind one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub scenario: String,
    pub at: i64,
    pub score: f64,
}

/// A half-open time range `[from, until)`; `None` leaves a side open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl Window {
    /// Every time.
    pub const ALL: Window = Window { from: None, until: None };

    pub fn contains(&self, at: i64) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }
}

/// A person's scenario signal for one skill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillScore {
    pub skill: SkillId,
    /// How many distinct scenarios tagged with the skill count (blind
    /// attempts within the window).
    pub scenarios: usize,
    /// Mean of their blind scores, 0..=1.
    pub mean: f64,
    /// `mean` as a whole percentage: the scale the signal is shown on.
    pub percent: u8,
}

/// Attempts sorted by time (ties keep input order), with a flag saying
/// whether each is the blind (first) attempt at its scenario. Attempts at
/// scenarios not in the bank are dropped: their skills are unknown.
fn ordered<'a>(bank: &'a ScenarioBank, attempts: &'a [Attempt]) -> Vec<(&'a Attempt, &'a Scenario, bool)> {
    let mut sorted: Vec<&Attempt> = attempts.iter().collect();
    sorted.sort_by_key(|a| a.at);
    let mut seen = BTreeSet::new();
    sorted
        .into_iter()
        .filter_map(|attempt| {
            let scenario = bank.get(&attempt.scenario)?;
            let blind = seen.insert(attempt.scenario.as_str());
            Some((attempt, scenario, blind))
        })
        .collect()
}

/// One person's scenario signal per skill: for every skill tagged on a
/// scenario they attempted, the mean score of their blind attempts that fall
/// in `window`. Skills with no such attempt are left out. Ordered by skill id.
pub fn skill_scores(bank: &ScenarioBank, attempts: &[Attempt], window: Window) -> Vec<SkillScore> {
    let mut sums: BTreeMap<&SkillId, (f64, usize)> = BTreeMap::new();
    for (attempt, scenario, blind) in ordered(bank, attempts) {
        if !blind || !window.contains(attempt.at) {
            continue;
        }
        for skill in &scenario.skills {
            let entry = sums.entry(skill).or_insert((0.0, 0));
            entry.0 += clamp01(attempt.score);
            entry.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(skill, (sum, n))| {
            let mean = sum / n as f64;
            SkillScore { skill: skill.clone(), scenarios: n, mean, percent: percent(mean) }
        })
        .collect()
}

/// One point of a skill's progress chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub at: i64,
    pub scenario: String,
    /// This attempt's score, 0..=1.
    pub score: f64,
    /// A repeat of a scenario already attempted: shown, but not counted.
    pub repeat: bool,
    /// The mean of the blind scores up to and including this point, 0..=1:
    /// the line of the chart.
    pub mean: f64,
}

/// Every attempt at a scenario tagged with `skill`, in time order, with the
/// running mean of the blind attempts so far. Empty until the first blind
/// attempt.
pub fn skill_series(bank: &ScenarioBank, attempts: &[Attempt], skill: &str) -> Vec<SeriesPoint> {
    let mut sum = 0.0;
    let mut n = 0usize;
    let mut out = Vec::new();
    for (attempt, scenario, blind) in ordered(bank, attempts) {
        if !scenario.exercises(skill) {
            continue;
        }
        if blind {
            sum += clamp01(attempt.score);
            n += 1;
        }
        if n > 0 {
            out.push(SeriesPoint {
                at: attempt.at,
                scenario: attempt.scenario.clone(),
                score: clamp01(attempt.score),
                repeat: !blind,
                mean: sum / n as f64,
            });
        }
    }
    out
}
