//! The typed skill framework: what a loaded, validated framework holds.

use std::fmt;

use serde::Serialize;

use crate::ids::{Level, SkillId};
use crate::vocab::vocabulary;

vocabulary!(
    /// Soft skills are how you work with people; craft skills are the
    /// product and product-marketing trade; technical skills are tools.
    Category, "category" {
        Soft => "soft",
        Craft => "craft",
        Technical => "technical",
    }
);

impl Category {
    /// Soft and craft skills together make up the "soft share" of a profile.
    pub fn is_soft_or_craft(self) -> bool {
        matches!(self, Category::Soft | Category::Craft)
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Soft => "Soft skills",
            Category::Craft => "Product craft",
            Category::Technical => "Technical skills",
        }
    }
}

vocabulary!(
    /// The stakeholder groups who can observe a skill and may rate it in 360
    /// feedback.
    Observer, "observer group" {
        Manager => "manager",
        Engineering => "engineering",
        Design => "design",
        Sales => "sales",
        CustomerSuccess => "customer-success",
        Marketing => "marketing",
        Leadership => "leadership",
        Peer => "peer",
        DirectReport => "direct-report",
        Customer => "customer",
    }
);

impl Observer {
    /// How the group is named on pages: "Customer success", "Peers".
    pub fn label(self) -> &'static str {
        match self {
            Observer::Manager => "Manager",
            Observer::Engineering => "Engineering",
            Observer::Design => "Design",
            Observer::Sales => "Sales",
            Observer::CustomerSuccess => "Customer success",
            Observer::Marketing => "Marketing",
            Observer::Leadership => "Leadership",
            Observer::Peer => "Peers",
            Observer::DirectReport => "Direct reports",
            Observer::Customer => "Customers",
        }
    }
}

vocabulary!(
    /// How often a practice activity is meant to be done.
    Cadence, "cadence" {
        Once => "once",
        Daily => "daily",
        Weekly => "weekly",
        Fortnightly => "fortnightly",
        Monthly => "monthly",
        Quarterly => "quarterly",
    }
);

vocabulary!(
    /// The stages of product work; every skill says how it shows up in each.
    Stage, "stage" {
        Discovery => "discovery",
        Strategy => "strategy",
        Delivery => "delivery",
        Launch => "launch",
        Growth => "growth",
    }
);

/// Time one occurrence of an activity takes, written "30 min" or "2 h".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("effort \"{0}\" is not a duration: write it as \"30 min\" or \"2 h\"")]
pub struct EffortError(String);

impl Effort {
    pub fn parse(raw: &str) -> Result<Self, EffortError> {
        let fail = || EffortError(raw.to_owned());
        let (number, unit) = raw.trim().split_once(' ').ok_or_else(fail)?;
        let number: u32 = number.parse().map_err(|_| fail())?;
        let minutes = match unit {
            "min" => number,
            "h" => number.checked_mul(60).ok_or_else(fail)?,
            _ => return Err(fail()),
        };
        if minutes == 0 {
            return Err(fail());
        }
        Ok(Effort { minutes })
    }

    pub fn minutes(self) -> u32 {
        self.minutes
    }
}

impl fmt::Display for Effort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minutes.is_multiple_of(60) {
            write!(f, "{} h", self.minutes / 60)
        } else {
            write!(f, "{} min", self.minutes)
        }
    }
}

impl Serialize for Effort {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How a skill shows up in each product stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stages {
    pub discovery: String,
    pub strategy: String,
    pub delivery: String,
    pub launch: String,
    pub growth: String,
}

impl Stages {
    pub fn get(&self, stage: Stage) -> &str {
        match stage {
            Stage::Discovery => &self.discovery,
            Stage::Strategy => &self.strategy,
            Stage::Delivery => &self.delivery,
            Stage::Launch => &self.launch,
            Stage::Growth => &self.growth,
        }
    }
}

/// One of the five levels of a skill with the behaviours that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelDescription {
    pub level: Level,
    pub name: String,
    pub behaviours: Vec<String>,
}

/// A concrete practice activity that builds a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: String,
    pub title: String,
    pub description: String,
    pub cadence: Cadence,
    pub effort: Effort,
}

/// One skill of the framework, fully validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skill {
    pub id: SkillId,
    pub name: String,
    pub category: Category,
    pub definition: String,
    pub why: String,
    pub stages: Stages,
    /// Exactly five, for levels 1..=5 in order.
    pub levels: Vec<LevelDescription>,
    pub observers: Vec<Observer>,
    pub activities: Vec<Activity>,
    pub questions: Vec<String>,
    pub related: Vec<SkillId>,
}

impl Skill {
    pub fn level(&self, level: Level) -> &LevelDescription {
        &self.levels[usize::from(level.get()) - 1]
    }

    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities.iter().find(|activity| activity.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effort_reads_minutes_and_hours() {
        assert_eq!(Effort::parse("30 min").map(Effort::minutes), Ok(30));
        assert_eq!(Effort::parse("2 h").map(Effort::minutes), Ok(120));
        assert_eq!(Effort::parse("2 h").map(|e| e.to_string()), Ok("2 h".to_owned()));
        assert_eq!(Effort::parse("90 min").map(|e| e.to_string()), Ok("90 min".to_owned()));
    }

    #[test]
    fn effort_rejects_anything_else() {
        for bad in ["", "30", "30min", "half an hour", "0 min", "-5 min", "3 days"] {
            assert!(Effort::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
