//! Properties of the role-context engine over random contexts.

use pmcoach_core::context::engine::{Profile, profile_with};
use pmcoach_core::context::rules::Rule;
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, INDUSTRY_PRESETS, Purpose, Role, RoleContext};
use pmcoach_core::framework::model::Category;
use proptest::prelude::*;
use proptest::sample::select;

use crate::{framework, profile};

fn any_context() -> impl Strategy<Value = RoleContext> {
    let industries: Vec<&'static str> = INDUSTRY_PRESETS.iter().copied().chain(["", "space-mining"]).collect();
    (
        (select(Role::ALL), select(CareerLevel::ALL), select(CompanyStage::ALL), select(industries)),
        (select(Degree::ALL), select(Degree::ALL), select(Degree::ALL), select(Degree::ALL), select(Purpose::ALL)),
    )
        .prop_map(
            |((role, level, stage, industry), (technicality, team_maturity, ambiguity, data_driven, purpose))| {
                RoleContext {
                    stage,
                    technicality,
                    team_maturity,
                    ambiguity,
                    data_driven,
                    purpose,
                    ..RoleContext::new(role, level).with_industry(industry)
                }
            },
        )
}

fn matching_rules(context: &RoleContext) -> Vec<&'static Rule> {
    framework().rules.rules.iter().filter(|rule| rule.applies_to(context)).collect()
}

fn technical_share(profile: &Profile) -> f64 {
    profile.category_share(Category::Technical)
}

fn next(degree: Degree) -> Option<Degree> {
    match degree {
        Degree::Low => Some(Degree::Medium),
        Degree::Medium => Some(Degree::High),
        Degree::High => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn targets_stay_in_range_and_weights_sum_to_one(context in any_context()) {
        let profile = profile(&context);
        prop_assert_eq!(profile.skills.len(), framework().skills.len());
        let total: f64 = profile.skills.iter().map(|s| s.weight).sum();
        prop_assert!((total - 1.0).abs() < 1e-9, "weights sum to {}", total);
        for skill in &profile.skills {
            prop_assert!((1..=5).contains(&skill.target.get()));
            prop_assert!(skill.weight > 0.0);
            prop_assert!(!skill.reasons.is_empty());
        }
        let soft: f64 = profile.skills.iter().filter(|s| s.category.is_soft_or_craft()).map(|s| s.weight).sum();
        prop_assert!((profile.soft_share - soft).abs() < 1e-12);
        prop_assert!(profile.skills.windows(2).all(|pair| pair[0].weight >= pair[1].weight));
    }

    #[test]
    fn the_same_context_gives_the_same_profile(context in any_context()) {
        prop_assert_eq!(profile(&context), profile(&context.clone()));
    }

    /// Every rule that applies moves the skills it selects in the direction
    /// it says, compared with the same context without that one rule.
    #[test]
    fn each_rule_moves_targets_and_weights_in_its_direction(context in any_context()) {
        let rules = matching_rules(&context);
        let with_all = profile_with(framework(), &context, &rules);
        for (index, rule) in rules.iter().enumerate() {
            let mut without: Vec<&Rule> = rules.clone();
            without.remove(index);
            let without = profile_with(framework(), &context, &without);
            // No rule selects every skill, so a multiplier above 1 always
            // raises the share of the skills it selects.
            let selected = with_all.skills.iter().filter(|s| rule.selector.selects(&s.id, s.category));
            for skill in selected {
                let before = without.skill(skill.id.as_str()).expect("same skills");
                match rule.target.signum() {
                    1 => prop_assert!(skill.target >= before.target, "{} lowered {}", rule.explain(), skill.id),
                    -1 => prop_assert!(skill.target <= before.target, "{} raised {}", rule.explain(), skill.id),
                    _ => prop_assert_eq!(skill.target, before.target),
                }
                if rule.weight > 1.0 {
                    prop_assert!(skill.weight >= before.weight - 1e-12, "{} lowered the weight of {}", rule.explain(), skill.id);
                } else if rule.weight < 1.0 {
                    prop_assert!(skill.weight <= before.weight + 1e-12, "{} raised the weight of {}", rule.explain(), skill.id);
                }
            }
        }
    }

    /// Seniority never lowers a target.
    #[test]
    fn a_higher_level_never_lowers_a_target(context in any_context()) {
        let index = CareerLevel::ALL.iter().position(|l| *l == context.level).expect("listed");
        if let Some(higher) = CareerLevel::ALL.get(index + 1) {
            let (low, high) = (profile(&context), profile(&RoleContext { level: *higher, ..context.clone() }));
            for skill in &low.skills {
                prop_assert!(high.skill(skill.id.as_str()).map(|s| s.target) >= Some(skill.target));
            }
        }
    }

    /// Technicality, data-drivenness and ambiguity each move the profile one way.
    #[test]
    fn ordinal_factors_move_the_profile_one_way(context in any_context()) {
        let base = profile(&context);
        if let Some(up) = next(context.technicality) {
            let raised = profile(&RoleContext { technicality: up, ..context.clone() });
            prop_assert!(technical_share(&raised) > technical_share(&base));
        }
        if let Some(up) = next(context.data_driven) {
            let raised = profile(&RoleContext { data_driven: up, ..context.clone() });
            for id in ["sql", "data-analysis"] {
                prop_assert!(raised.skill(id).map(|s| s.weight) > base.skill(id).map(|s| s.weight));
                prop_assert!(raised.skill(id).map(|s| s.target) >= base.skill(id).map(|s| s.target));
            }
        }
        if let Some(up) = next(context.ambiguity) {
            let raised = profile(&RoleContext { ambiguity: up, ..context.clone() });
            prop_assert!(raised.soft_share > base.soft_share);
        }
    }
}
