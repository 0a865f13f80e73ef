//! What a cycle holds: its frozen skills, the anonymity threshold, self
//! ratings and rater responses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::context::engine::Profile;
use crate::framework::Framework;
use crate::framework::model::{Category, Observer};
use crate::ids::{Level, SkillId};
use crate::vocab::vocabulary;

vocabulary!(
    /// Whether a cycle still takes answers. Results are released only once it
    /// is closed, so a viewer never sees two versions to subtract.
    CycleState, "cycle state" {
        Open => "open",
        Closed => "closed",
    }
);

/// The organisation's anonymity threshold: how many raters of one group must
/// answer before that group's scores and comments are shown. Default 3,
/// never below 2. The manager group always uses 1 and is labelled as not
/// anonymous ([`Threshold::for_group`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Threshold(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an anonymity threshold of {0} is too low: at least 2 raters of a group must answer before it is shown")]
pub struct ThresholdError(pub i64);

impl Threshold {
    /// The lowest threshold an organisation may choose.
    pub const MIN: Threshold = Threshold(2);
    /// The threshold of a new organisation.
    pub const DEFAULT: Threshold = Threshold(3);

    pub fn new(value: i64) -> Result<Self, ThresholdError> {
        match u32::try_from(value) {
            Ok(n) if n >= Self::MIN.0 => Ok(Threshold(n)),
            _ => Err(ThresholdError(value)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The number of answers a group needs to be shown on its own: 1 for the
    /// manager (shown by name, not anonymous), the threshold for every other
    /// group.
    pub fn for_group(self, group: Observer) -> u32 {
        if is_named(group) { 1 } else { self.0 }
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whether a group's answers are shown by name rather than anonymously.
pub fn is_named(group: Observer) -> bool {
    group == Observer::Manager
}

/// An opaque key that tells one rater's response from another's (an
/// invitation id, say). It never appears in any result.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RaterKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a rater key cannot be empty")]
pub struct RaterKeyError;

impl RaterKey {
    pub fn parse(raw: &str) -> Result<Self, RaterKeyError> {
        if raw.trim().is_empty() { Err(RaterKeyError) } else { Ok(RaterKey(raw.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Keys are opaque and kept out of logs: `Debug` does not print them.
impl fmt::Debug for RaterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RaterKey(…)")
    }
}

/// A rater's answer about one skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Rated(Level),
    /// "I have not seen this": a valid answer that counts towards nothing
    /// but the number of raters who did not observe the skill.
    NotObserved,
}

/// The person's own rating of one skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfRating {
    pub level: Level,
    pub evidence: Option<String>,
}

/// A rater's comment, about one skill or (without a skill) in general.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comment {
    pub skill: Option<SkillId>,
    pub text: String,
}

/// One submitted rater response. A skill the rater was asked about but left
/// without an answer counts as "not observed".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaterResponse {
    pub rater: RaterKey,
    pub group: Observer,
    pub answers: BTreeMap<SkillId, Answer>,
    pub comments: Vec<Comment>,
}

/// One skill as frozen into a cycle when it was opened: later edits to the
/// framework or the role context never change it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleSkill {
    pub id: SkillId,
    pub name: String,
    pub category: Category,
    /// The groups who are asked about this skill.
    pub observers: Vec<Observer>,
    pub target: Level,
    /// The skill's share of the profile's importance.
    pub weight: f64,
}

impl CycleSkill {
    pub fn is_observed_by(&self, group: Observer) -> bool {
        self.observers.contains(&group)
    }
}

/// An assessment cycle's frozen inputs: skills (heaviest first), the
/// threshold in force when it opened, and whether it is still open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cycle {
    skills: Vec<CycleSkill>,
    threshold: Threshold,
    state: CycleState,
}

/// Why inputs to an assessment are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    #[error("results are released only when the cycle is closed, so that no two versions can be compared")]
    StillOpen,
    #[error("skill \"{0}\" appears twice in the cycle")]
    DuplicateSkill(SkillId),
    #[error("skill \"{0}\" has a weight that is negative or not a number")]
    BadWeight(SkillId),
    #[error("the profile names skill \"{0}\", which the framework does not have")]
    NotInFramework(SkillId),
    #[error("skill \"{0}\" is not part of this cycle")]
    UnknownSkill(SkillId),
    #[error("{group} raters are not asked about \"{skill}\": the cycle does not list {group} as an observer of it")]
    NotAsked { group: Observer, skill: SkillId },
    #[error("two responses share one rater key")]
    DuplicateRater,
}

impl Cycle {
    /// A cycle from already frozen skills, as a store reads it back.
    pub fn new(skills: Vec<CycleSkill>, threshold: Threshold, state: CycleState) -> Result<Self, AssessmentError> {
        let mut seen = BTreeSet::new();
        for skill in &skills {
            if !seen.insert(&skill.id) {
                return Err(AssessmentError::DuplicateSkill(skill.id.clone()));
            }
            if !(skill.weight.is_finite() && skill.weight >= 0.0) {
                return Err(AssessmentError::BadWeight(skill.id.clone()));
            }
        }
        Ok(Cycle { skills, threshold, state })
    }

    /// Opens a cycle: freezes every skill of the profile with its target and
    /// weight, and the framework's name, category and observers of it.
    pub fn freeze(framework: &Framework, profile: &Profile, threshold: Threshold) -> Result<Self, AssessmentError> {
        let skills = profile
            .skills
            .iter()
            .map(|target| {
                let skill = framework
                    .skill(target.id.as_str())
                    .ok_or_else(|| AssessmentError::NotInFramework(target.id.clone()))?;
                Ok(CycleSkill {
                    id: target.id.clone(),
                    name: skill.name.clone(),
                    category: skill.category,
                    observers: skill.observers.clone(),
                    target: target.target,
                    weight: target.weight,
                })
            })
            .collect::<Result<Vec<_>, AssessmentError>>()?;
        Cycle::new(skills, threshold, CycleState::Open)
    }

    /// The same cycle, closed: no more answers, results may be released.
    pub fn close(mut self) -> Self {
        self.state = CycleState::Closed;
        self
    }

    pub fn skills(&self) -> &[CycleSkill] {
        &self.skills
    }

    pub fn skill(&self, id: &SkillId) -> Option<&CycleSkill> {
        self.skills.iter().find(|skill| &skill.id == id)
    }

    pub fn threshold(&self) -> Threshold {
        self.threshold
    }

    pub fn state(&self) -> CycleState {
        self.state
    }

    /// The skills a rater of `group` is asked about: those whose observers
    /// include the group, heaviest first.
    pub fn questions(&self, group: Observer) -> impl Iterator<Item = &CycleSkill> {
        self.skills.iter().filter(move |skill| skill.is_observed_by(group))
    }

    /// Checks that a response only answers and comments on skills of this
    /// cycle that its group is asked about.
    pub fn check_response(&self, response: &RaterResponse) -> Result<(), AssessmentError> {
        let skills = response.answers.keys().chain(response.comments.iter().filter_map(|c| c.skill.as_ref()));
        for id in skills {
            let skill = self.skill(id).ok_or_else(|| AssessmentError::UnknownSkill(id.clone()))?;
            if !skill.is_observed_by(response.group) {
                return Err(AssessmentError::NotAsked { group: response.group, skill: id.clone() });
            }
        }
        Ok(())
    }

    /// Checks that self ratings only name skills of this cycle.
    pub fn check_self(&self, ratings: &BTreeMap<SkillId, SelfRating>) -> Result<(), AssessmentError> {
        match ratings.keys().find(|id| self.skill(id).is_none()) {
            Some(id) => Err(AssessmentError::UnknownSkill(id.clone())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_at_least_two_and_the_manager_is_one() {
        assert_eq!(Threshold::default().get(), 3);
        assert_eq!(Threshold::new(1), Err(ThresholdError(1)));
        assert_eq!(Threshold::new(-3), Err(ThresholdError(-3)));
        assert_eq!(Threshold::new(2).map(Threshold::get), Ok(2));
        let five = Threshold::new(5).unwrap();
        assert_eq!(five.for_group(Observer::Manager), 1);
        assert_eq!(five.for_group(Observer::Engineering), 5);
    }

    #[test]
    fn rater_keys_are_opaque_and_not_printed() {
        assert_eq!(RaterKey::parse("  "), Err(RaterKeyError));
        let key = RaterKey::parse("invite-42").unwrap();
        assert_eq!(key.as_str(), "invite-42");
        assert_eq!(format!("{key:?}"), "RaterKey(…)");
    }
}
