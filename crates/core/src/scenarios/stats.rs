//! Item statistics over an organisation's responses, for admins, and the
//! anonymised CSV export.
//!
//! # Definitions
//!
//! Each person counts once per scenario, with their **blind** response (the
//! earliest; later attempts come after seeing the key). For a scenario `i`:
//!
//! * **answered** `n`: how many people answered it.
//! * **mean score** (difficulty): the mean of their scores, 0..=1; high means
//!   easy. `None` when nobody answered.
//! * **discrimination**: the item–rest correlation. Over the people who
//!   answered `i` and at least one other scenario of the list, the Pearson
//!   correlation between `x` = their score on `i` and `y` = the mean of their
//!   scores on the other scenarios they answered:
//!
//!   `r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²)`
//!
//!   A good item is answered better by people who do well elsewhere (r > 0).
//!   Undefined ([`Undefined`]) with fewer than 3 such people or when `x` or
//!   `y` does not vary.
//! * **flags** ([`Flag`]):
//!   * `negative-discrimination`: r < 0 — people who do well elsewhere do
//!     worse here; the key may be wrong or the setup ambiguous.
//!   * `ceiling`: mean ≥ 0.95 with n ≥ 5 — nearly everyone agrees with the
//!     key, so the item tells people apart hardly at all; it may be obvious.
//!   * `floor`: mean ≤ 0.50 with n ≥ 5 — worse than answering at random
//!     would do on a typical item (about 0.6), so the key likely disagrees
//!     with the people answering; review it.
//!   * `too-few-answers`: n < 5 — the figures are not yet worth reading.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::scoring::Answer;
use crate::vocab::vocabulary;

/// Fewer answers than this and an item's figures are flagged as too few.
pub const MIN_ANSWERS: usize = 5;
/// A mean at or above this (with enough answers) is a ceiling.
pub const CEILING: f64 = 0.95;
/// A mean at or below this (with enough answers) is a floor.
pub const FLOOR: f64 = 0.50;
/// The item–rest correlation needs at least this many people.
pub const MIN_FOR_CORRELATION: usize = 3;

/// One person's scored response to one scenario. `respondent` is whatever
/// identifies the person to the caller (a user id); exports replace it with
/// an opaque key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub respondent: String,
    pub scenario: String,
    /// When it was answered (UTC milliseconds); orders a person's attempts.
    pub at: i64,
    pub answer: Answer,
    pub score: f64,
}

vocabulary!(
    /// Something about an item's figures that deserves an admin's look.
    Flag, "flag" {
        NegativeDiscrimination => "negative-discrimination",
        Ceiling => "ceiling",
        Floor => "floor",
        TooFewAnswers => "too-few-answers",
    }
);

impl Flag {
    /// A sentence for the statistics page.
    pub fn explanation(self) -> &'static str {
        match self {
            Flag::NegativeDiscrimination => {
                "People who do well on other scenarios do worse on this one: check the key and the setup for ambiguity."
            }
            Flag::Ceiling => "Nearly everyone matches the key: the best answer may be too obvious to test judgement.",
            Flag::Floor => "Answers disagree with the key more than random answers would: review the key.",
            Flag::TooFewAnswers => "Fewer than five people have answered: the figures are not worth reading yet.",
        }
    }
}

/// Why an item's discrimination cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Undefined {
    /// Fewer than 3 people answered this item and at least one other.
    TooFewPeople { found: usize },
    /// Everyone scored the same on this item.
    NoVarianceInItem,
    /// Everyone's mean on the other items is the same.
    NoVarianceInRest,
}

impl std::fmt::Display for Undefined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Undefined::TooFewPeople { found } => write!(
                f,
                "needs at least {MIN_FOR_CORRELATION} people who answered this and another scenario, found {found}"
            ),
            Undefined::NoVarianceInItem => f.write_str("everyone scored the same on this scenario"),
            Undefined::NoVarianceInRest => f.write_str("everyone scored the same on the other scenarios"),
        }
    }
}

/// The item–rest correlation, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discrimination {
    Value(f64),
    Undefined(Undefined),
}

impl Discrimination {
    pub fn value(self) -> Option<f64> {
        match self {
            Discrimination::Value(r) => Some(r),
            Discrimination::Undefined(_) => None,
        }
    }

    pub fn reason(self) -> Option<Undefined> {
        match self {
            Discrimination::Value(_) => None,
            Discrimination::Undefined(reason) => Some(reason),
        }
    }
}

/// The figures of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub scenario: String,
    /// How many people answered (once each).
    pub answered: usize,
    /// Mean blind score, 0..=1 (difficulty; high = easy).
    pub mean: Option<f64>,
    pub discrimination: Discrimination,
    pub flags: Vec<Flag>,
}

/// Each person's blind score per scenario in `items`:
/// scenario → respondent → score. The first score given for a (scenario,
/// respondent) pair counts; scenarios outside `items` are dropped.
fn blind_table<'a, K: Ord>(
    items: &[&str],
    blind: impl IntoIterator<Item = (K, &'a str, f64)>,
) -> BTreeMap<&'a str, BTreeMap<K, f64>> {
    let wanted: BTreeSet<&str> = items.iter().copied().collect();
    let mut table: BTreeMap<&str, BTreeMap<K, f64>> = BTreeMap::new();
    for (respondent, scenario, score) in blind {
        if wanted.contains(scenario) {
            table.entry(scenario).or_default().entry(respondent).or_insert(score.clamp(0.0, 1.0));
        }
    }
    table
}

/// Pearson's correlation of paired values, or why it is undefined.
pub fn pearson(pairs: &[(f64, f64)]) -> Discrimination {
    if pairs.len() < MIN_FOR_CORRELATION {
        return Discrimination::Undefined(Undefined::TooFewPeople { found: pairs.len() });
    }
    let n = pairs.len() as f64;
    let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x).powi(2);
        syy += (y - mean_y).powi(2);
    }
    const TINY: f64 = 1e-12;
    if sxx < TINY {
        return Discrimination::Undefined(Undefined::NoVarianceInItem);
    }
    if syy < TINY {
        return Discrimination::Undefined(Undefined::NoVarianceInRest);
    }
    Discrimination::Value((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// The statistics of every scenario in `items`, in that order. Responses to
/// scenarios outside `items` are ignored altogether (they count neither as
/// answers nor in anyone's rest score).
pub fn item_stats(items: &[&str], responses: &[Response]) -> Vec<ItemStats> {
    let mut sorted: Vec<&Response> = responses.iter().collect();
    sorted.sort_by_key(|r| r.at);
    item_stats_of_blind(items, sorted.into_iter().map(|r| (r.respondent.as_str(), r.scenario.as_str(), r.score)))
}

/// [`item_stats`] from blind scores alone: (respondent, scenario, score) of
/// each person's blind response, as a store can read them without the
/// answers and later attempts (an organisation's page at 100,000 people).
/// Respondents are any ordered key (a user id); should a pair come twice,
/// the first counts. Gives what [`item_stats`] gives for the responses the
/// scores came from, up to the last bits of floating-point sums, which run in
/// respondent-key order.
pub fn item_stats_of_blind<'a, K: Ord + Copy>(
    items: &[&str],
    blind: impl IntoIterator<Item = (K, &'a str, f64)>,
) -> Vec<ItemStats> {
    let table = blind_table(items, blind);
    // Per respondent: (sum, count) of blind scores over all items.
    let mut totals: BTreeMap<K, (f64, usize)> = BTreeMap::new();
    for scores in table.values() {
        for (&respondent, &score) in scores {
            let total = totals.entry(respondent).or_insert((0.0, 0));
            total.0 += score;
            total.1 += 1;
        }
    }
    let empty = BTreeMap::new();
    items
        .iter()
        .map(|&item| {
            let scores = table.get(item).unwrap_or(&empty);
            let answered = scores.len();
            let mean = (answered > 0).then(|| scores.values().sum::<f64>() / answered as f64);
            let pairs: Vec<(f64, f64)> = scores
                .iter()
                .filter_map(|(respondent, &x)| {
                    let (sum, count) = totals[respondent];
                    (count > 1).then(|| (x, (sum - x) / (count - 1) as f64))
                })
                .collect();
            let discrimination = pearson(&pairs);
            let mut flags = Vec::new();
            if discrimination.value().is_some_and(|r| r < 0.0) {
                flags.push(Flag::NegativeDiscrimination);
            }
            if let Some(mean) = mean
                && answered >= MIN_ANSWERS
            {
                if mean >= CEILING {
                    flags.push(Flag::Ceiling);
                }
                if mean <= FLOOR {
                    flags.push(Flag::Floor);
                }
            }
            if answered < MIN_ANSWERS {
                flags.push(Flag::TooFewAnswers);
            }
            ItemStats { scenario: item.to_owned(), answered, mean, discrimination, flags }
        })
        .collect()
}

/// The columns of the anonymised export.
pub const CSV_HEADER: [&str; 12] = [
    "respondent",
    "scenario",
    "attempt",
    "format",
    "score",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "best",
    "worst",
];

/// Anonymised rows for a CSV export, one per response, without names,
/// e-mails or times. Each respondent becomes an opaque key (`R0001`, …)
/// assigned in an order shuffled by `seed`, so keys say nothing about who
/// joined first or whose id sorts first; pass a seed the reader cannot know
/// (derived from a server secret and the export). `attempt` numbers a
/// person's attempts at a scenario in time order (1 is the blind one).
/// Ratings and picks are 1-based option numbers; `score` has four decimals.
/// Every cell is safe to open in a spreadsheet: one starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is prefixed with `'`.
pub fn csv_rows(responses: &[Response], seed: u64) -> Vec<[String; 12]> {
    let mut people: Vec<&str> = responses.iter().map(|r| r.respondent.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    crate::assessment::shuffle(&mut people, crate::assessment::ShuffleSeed::new(seed), 0);
    let keys: BTreeMap<&str, String> =
        people.iter().enumerate().map(|(i, &person)| (person, format!("R{:04}", i + 1))).collect();

    let mut sorted: Vec<&Response> = responses.iter().collect();
    sorted.sort_by(|a, b| {
        (&keys[a.respondent.as_str()], &a.scenario, a.at).cmp(&(&keys[b.respondent.as_str()], &b.scenario, b.at))
    });
    let mut attempt = 0;
    let mut previous: Option<(&str, &str)> = None;
    sorted
        .into_iter()
        .map(|response| {
            let current = (response.respondent.as_str(), response.scenario.as_str());
            attempt = if previous == Some(current) { attempt + 1 } else { 1 };
            previous = Some(current);
            let mut ratings: [String; 5] = Default::default();
            let (mut best, mut worst) = (String::new(), String::new());
            match &response.answer {
                Answer::Rating { ratings: given } => {
                    for (cell, rating) in ratings.iter_mut().zip(given) {
                        *cell = rating.to_string();
                    }
                }
                Answer::BestWorst { best: b, worst: w } => {
                    best = (b + 1).to_string();
                    worst = (w + 1).to_string();
                }
            }
            let [r1, r2, r3, r4, r5] = ratings;
            [
                keys[response.respondent.as_str()].clone(),
                response.scenario.clone(),
                attempt.to_string(),
                response.answer.format().to_string(),
                format!("{:.4}", response.score.clamp(0.0, 1.0)),
                r1,
                r2,
                r3,
                r4,
                r5,
                best,
                worst,
            ]
            .map(|cell| formula_safe(&cell))
        })
        .collect()
}

/// A cell a spreadsheet will not run as a formula.
pub fn formula_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}

/// The rows as CSV text with a header line; fields holding a comma, a quote
/// or a line break are quoted (RFC 4180).
pub fn csv_text(rows: &[[String; 12]]) -> String {
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let fields: Vec<String> = cells
            .map(|cell| {
                if cell.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.to_owned()
                }
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(&mut CSV_HEADER.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}
