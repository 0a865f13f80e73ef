//! Computes a target profile: per skill a target level, a weight and the
//! reasons, for one role context.

use serde::Serialize;

use super::RoleContext;
use super::rules::{Rule, category_index};
use crate::framework::Framework;
use crate::framework::model::Category;
use crate::ids::{Level, SkillId};

/// What one skill should look like in this context, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillTarget {
    pub id: SkillId,
    pub name: String,
    pub category: Category,
    pub target: Level,
    /// The skill's share of the whole profile's importance; all sum to 1.
    pub weight: f64,
    /// The base first, then every rule that applied, in the rules' order.
    pub reasons: Vec<String>,
}

/// The target profile of a role context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub context: RoleContext,
    /// The share of weight on soft and craft skills.
    pub soft_share: f64,
    /// Heaviest first; ties by id, so the order is stable.
    pub skills: Vec<SkillTarget>,
}

impl Profile {
    pub fn skill(&self, id: &str) -> Option<&SkillTarget> {
        self.skills.iter().find(|skill| skill.id.as_str() == id)
    }

    /// Total weight on skills of one category.
    pub fn category_share(&self, category: Category) -> f64 {
        self.skills.iter().filter(|s| s.category == category).map(|s| s.weight).sum()
    }
}

/// The target profile for `context` under the framework's rules.
pub fn profile(framework: &Framework, context: &RoleContext) -> Profile {
    let matching: Vec<&Rule> = framework.rules.rules.iter().filter(|rule| rule.applies_to(context)).collect();
    profile_with(framework, context, &matching)
}

/// The profile with exactly `rules` applied, whether or not they match the
/// context: a what-if tool, and how tests watch one rule's effect.
pub fn profile_with(framework: &Framework, context: &RoleContext, rules: &[&Rule]) -> Profile {
    let base = framework.rules.base(context.level);
    let mut raw_weights = Vec::with_capacity(framework.skills.len());
    let mut skills = Vec::with_capacity(framework.skills.len());
    for skill in &framework.skills {
        let index = category_index(skill.category);
        let mut target = base.target[index];
        let mut weight = base.weight[index] * framework.rules.importance(&skill.id);
        let mut reasons = vec![format!(
            "{} level: base target {target} for {} — {}",
            context.level,
            skill.category.label().to_lowercase(),
            base.reason
        )];
        for rule in rules.iter().filter(|rule| rule.selector.selects(&skill.id, skill.category)) {
            target += rule.target;
            weight *= rule.weight;
            reasons.push(rule.explain());
        }
        raw_weights.push(weight);
        skills.push(SkillTarget {
            id: skill.id.clone(),
            name: skill.name.clone(),
            category: skill.category,
            target: Level::saturating(target),
            weight: 0.0,
            reasons,
        });
    }
    let total: f64 = raw_weights.iter().sum();
    for (skill, raw) in skills.iter_mut().zip(raw_weights) {
        skill.weight = raw / total;
    }
    skills.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
    let soft_share = skills.iter().filter(|s| s.category.is_soft_or_craft()).map(|s| s.weight).sum();
    Profile { context: context.clone(), soft_share, skills }
}
