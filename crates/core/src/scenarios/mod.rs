//! Scenario practice (PRODUCT.md M7): situational-judgement scenarios, how
//! an answer is scored, how scores add up per skill, and the item statistics
//! that tell an admin which scenarios work.
//!
//! # The bank
//!
//! One TOML file per scenario under `content/scenarios/` (the format is in
//! that folder's README). [`ScenarioBank::load`] validates every file against
//! a [`Framework`] and reports every problem at once, with file and line, the
//! way the framework loader does.
//!
//! # Scoring one answer (0..1)
//!
//! Every option carries a key from 1 (makes things worse) to 5 (the most
//! effective response). Two answer formats:
//!
//! * **Rating**: the person rates every option 1–5. With keys `k_i`, ratings
//!   `r_i` and `n` options:
//!
//!   `score = 1 − (Σ |r_i − k_i|) / (4 · n)`
//!
//!   4 is the largest possible distance on the scale, so the score runs from
//!   0 (every rating as far from the key as it can be) to 1 (every rating on
//!   the key).
//!
//! * **Best/worst** (faster): the person picks the option they think best and
//!   the one they think worst (two different options; the same option for
//!   both is an error, [`AnswerError::SameBestAndWorst`]). With `max` and
//!   `min` the highest and lowest keys of the scenario:
//!
//!   `best_part  = 1 − (max − key(best)) / 4`
//!   `worst_part = 1 − (key(worst) − min) / 4`
//!   `score      = (best_part + worst_part) / 2`
//!
//!   Distances are divided by the width of the scale (4), not by the
//!   scenario's own key range, so one point of effectiveness costs the same
//!   in both formats and in every scenario, and scores from both formats can
//!   sit in one series. Any option tied for the top (or bottom) key earns
//!   full credit. A perfect answer scores 1.
//!
//! # Per skill, over time
//!
//! A person's scenario signal for a skill is reported as a **percentage
//! (0–100 %)**, not on the 1–5 level scale: a score measures how closely
//! someone's judgement agrees with the keyed judgement on situations that
//! exercise the skill. It is a different kind of evidence from "I show the
//! behaviours of level 4", and mapping 80 % to "Advanced" would claim an
//! equivalence nobody has validated. So results show it beside self and 360,
//! on its own scale, never folded into them.
//!
//! Only **blind attempts** count towards the signal: a person's first attempt
//! at a scenario, made before they saw its key. Later attempts are good
//! practice but measure memory of the feedback. [`skill_scores`] gives, per
//! skill, the mean of the blind scores of the scenarios tagged with it whose
//! blind attempt falls in a time [`Window`]; [`skill_series`] gives every
//! attempt in time order with the running mean of the blind ones, for a
//! progress chart.
//!
//! # Item statistics (for admins)
//!
//! From an organisation's responses, [`item_stats`] gives per scenario the
//! number who answered, the mean score (difficulty: high means easy), and
//! the item–rest correlation (discrimination); flags mark items that look
//! broken. The definitions are in [`stats`]'s docs. [`csv_rows`] gives the
//! anonymised responses for export.

pub mod load;
pub mod scoring;
pub mod stats;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::context::{CareerLevel, Role};
use crate::framework::Framework;
use crate::ids::{IdError, SkillId, parse_slug};
use crate::source::{Problem, SourceFile};

pub use scoring::{
    Answer, AnswerError, AnswerFormat, Attempt, Feedback, OptionFeedback, SeriesPoint, SkillScore, Window,
    best_worst_score, percent, rating_score, score, skill_scores, skill_series,
};
pub use stats::{
    CSV_HEADER, Discrimination, Flag, ItemStats, Response, Undefined, csv_rows, csv_text, item_stats,
    item_stats_of_blind,
};

/// A scenario's stable id: the same slug form as skill ids, and the name of
/// its file (`<id>.toml`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ScenarioId(String);

impl ScenarioId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        parse_slug(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ScenarioId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The lowest and highest effectiveness keys.
pub const KEY_MIN: u8 = 1;
pub const KEY_MAX: u8 = 5;
/// A scenario has 4 or 5 options.
pub const OPTIONS_MIN: usize = 4;
pub const OPTIONS_MAX: usize = 5;

/// One response option with its effectiveness key and the explanation shown
/// after answering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioOption {
    /// What the person would do.
    pub text: String,
    /// Effectiveness, 1 (makes things worse) to 5 (the most effective).
    pub key: u8,
    /// Why it is keyed so: what it gets right or wrong and what it costs.
    pub why: String,
}

/// One validated situational-judgement scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub id: ScenarioId,
    pub title: String,
    /// The situation: who, what, the numbers and the stakes.
    pub setup: String,
    /// The question, such as "What should you do?".
    pub question: String,
    /// 4 or 5 options, in the order they are shown.
    pub options: Vec<ScenarioOption>,
    /// The skills the scenario exercises, as framework ids.
    pub skills: Vec<SkillId>,
    pub roles: Vec<Role>,
    pub levels: Vec<CareerLevel>,
}

impl Scenario {
    pub fn keys(&self) -> Vec<u8> {
        self.options.iter().map(|option| option.key).collect()
    }

    pub fn exercises(&self, skill: &str) -> bool {
        self.skills.iter().any(|id| id.as_str() == skill)
    }

    pub fn suits(&self, role: Role, level: CareerLevel) -> bool {
        self.roles.contains(&role) && self.levels.contains(&level)
    }

    /// The 0-based positions of the options with the highest key.
    pub fn best_options(&self) -> Vec<usize> {
        let max = self.options.iter().map(|o| o.key).max().unwrap_or(KEY_MAX);
        self.options.iter().enumerate().filter(|(_, o)| o.key == max).map(|(i, _)| i).collect()
    }
}

/// The validated scenario bank, ordered by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioBank {
    pub scenarios: Vec<Scenario>,
}

impl ScenarioBank {
    /// Loads and validates scenario files (paths relative to the scenarios
    /// folder, such as `launch-slips.toml`); see [`load::load`].
    pub fn load(files: &[SourceFile], framework: &Framework) -> Result<ScenarioBank, Vec<Problem>> {
        load::load(files, framework)
    }

    /// Like [`ScenarioBank::load`], from raw bytes as read from a folder: a
    /// file that is not UTF-8 becomes a problem like any other.
    pub fn load_bytes(files: &[(String, Vec<u8>)], framework: &Framework) -> Result<ScenarioBank, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut decoded = Vec::new();
        for (path, bytes) in files {
            match load::decode(path, bytes) {
                Ok(file) => decoded.push(file),
                Err(problem) => problems.push(problem),
            }
        }
        // Files that are all unreadable do not also make an "empty bank".
        if decoded.is_empty() && !problems.is_empty() {
            problems.sort();
            return Err(problems);
        }
        match (Self::load(&decoded, framework), problems.is_empty()) {
            (Ok(bank), true) => Ok(bank),
            (result, _) => {
                problems.extend(result.err().unwrap_or_default());
                problems.sort();
                Err(problems)
            }
        }
    }

    /// The scenario files shipped inside the binary.
    pub fn embedded_files() -> Vec<SourceFile> {
        crate::embedded::files_under("scenarios/")
    }

    /// The shipped bank, validated against `framework`.
    pub fn embedded(framework: &Framework) -> Result<ScenarioBank, Vec<Problem>> {
        Self::load(&Self::embedded_files(), framework)
    }

    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Scenario> {
        self.scenarios.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.binary_search_by(|s| s.id.as_str().cmp(id)).ok().map(|i| &self.scenarios[i])
    }

    /// The scenarios tagged with `skill`, in id order.
    pub fn for_skill<'a>(&'a self, skill: &'a str) -> impl Iterator<Item = &'a Scenario> + 'a {
        self.scenarios.iter().filter(move |s| s.exercises(skill))
    }

    /// The scenarios that suit a role at a career level, in id order.
    pub fn suited_to(&self, role: Role, level: CareerLevel) -> impl Iterator<Item = &Scenario> {
        self.scenarios.iter().filter(move |s| s.suits(role, level))
    }

    /// How many scenarios exercise each skill that at least one scenario tags.
    pub fn skill_counts(&self) -> BTreeMap<&SkillId, usize> {
        let mut counts = BTreeMap::new();
        for skill in self.scenarios.iter().flat_map(|s| &s.skills) {
            *counts.entry(skill).or_insert(0) += 1;
        }
        counts
    }
}
