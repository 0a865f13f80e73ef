//! One test per "it depends on context" fact of PRODUCT.md section 1. Each
//! test names the fact it proves; the engine must reproduce them from the
//! rules in `content/framework/context-rules.toml`.

use pmcoach_core::context::engine::Profile;
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Purpose, Role, RoleContext};
use pmcoach_core::framework::model::Category;

use crate::profile;

fn context(role: Role, level: CareerLevel) -> RoleContext {
    RoleContext::new(role, level)
}

fn weight(profile: &Profile, id: &str) -> f64 {
    profile.skill(id).unwrap_or_else(|| panic!("no skill {id}")).weight
}

fn target(profile: &Profile, id: &str) -> u8 {
    profile.skill(id).unwrap_or_else(|| panic!("no skill {id}")).target.get()
}

fn mean_target(profile: &Profile, category: Category) -> f64 {
    let targets: Vec<f64> =
        profile.skills.iter().filter(|s| s.category == category).map(|s| f64::from(s.target.get())).collect();
    targets.iter().sum::<f64>() / targets.len() as f64
}

fn has_reason(profile: &Profile, id: &str, needle: &str) -> bool {
    profile.skill(id).is_some_and(|s| s.reasons.iter().any(|r| r.contains(needle)))
}

/// "Junior people are hired mostly on soft skills (hard skills are easier to teach)."
#[test]
fn fact_juniors_are_hired_mostly_on_soft_skills() {
    let shares: Vec<f64> =
        CareerLevel::ALL.iter().map(|level| profile(&context(Role::Pm, *level)).soft_share).collect();
    let apm = profile(&context(Role::Pm, CareerLevel::Apm));
    assert!(apm.soft_share >= 0.8, "an APM's profile should be mostly soft skills, got {:.2}", apm.soft_share);
    assert!(shares[0] > shares[2], "APM soft share {:.2} should exceed senior {:.2}", shares[0], shares[2]);
    for skill in apm.skills.iter().filter(|s| s.category == Category::Technical) {
        assert!(skill.target.get() <= 2, "an APM's target for {} should be low, got {}", skill.id, skill.target);
    }
    assert!(has_reason(&apm, "sql", "easier to teach"), "the reason should say why");
}

/// "The more senior, the more both are needed."
#[test]
fn fact_seniority_raises_both_soft_and_technical_targets() {
    let profiles: Vec<Profile> = CareerLevel::ALL.iter().map(|level| profile(&context(Role::Pm, *level))).collect();
    for pair in profiles.windows(2) {
        for skill in &pair[0].skills {
            let next = pair[1].skill(skill.id.as_str()).map(|s| s.target);
            assert!(
                next >= Some(skill.target),
                "{} drops from {} at {} to {next:?} at {}",
                skill.id,
                skill.target,
                pair[0].context.level,
                pair[1].context.level
            );
        }
    }
    let (apm, vp) = (&profiles[0], &profiles[5]);
    for category in [Category::Soft, Category::Technical] {
        assert!(mean_target(vp, category) >= mean_target(apm, category) + 1.5, "{category} targets barely rise");
    }
}

/// "Executives need both at a high level."
#[test]
fn fact_executives_need_both_soft_and_technical_skills_at_a_high_level() {
    let vp = profile(&context(Role::Pm, CareerLevel::Vp));
    for skill in vp.skills.iter().filter(|s| s.category == Category::Soft) {
        assert!(skill.target.get() >= 4, "a VP's {} target should be high, got {}", skill.id, skill.target);
    }
    assert!(mean_target(&vp, Category::Technical) >= 3.0);
    for id in ["system-architecture", "data-analysis", "ai-literacy"] {
        assert!(target(&vp, id) >= 4, "a VP judges {id} bets: target {}", target(&vp, id));
    }
}

/// "High ambiguity (unclear scope, a new function, a small team) raises the
/// weight of soft skills: finding the biggest opportunities and winning buy-in."
#[test]
fn fact_high_ambiguity_raises_the_weight_of_soft_skills() {
    let at = |ambiguity| profile(&RoleContext { ambiguity, ..context(Role::Pm, CareerLevel::Senior) });
    let (low, medium, high) = (at(Degree::Low), at(Degree::Medium), at(Degree::High));
    assert!(low.soft_share < medium.soft_share && medium.soft_share < high.soft_share);
    for id in ["problem-solving", "influence", "stakeholder-alignment"] {
        assert!(weight(&high, id) > weight(&medium, id), "{id} should weigh more under high ambiguity");
        assert!(target(&high, id) > target(&medium, id), "{id} target should rise under high ambiguity");
        assert!(has_reason(&high, id, "high ambiguity"));
    }
}

/// "A mature team in an established category, a highly technical product and
/// a clearly scoped role raise the weight of product, domain and technical
/// knowledge."
#[test]
fn fact_mature_team_technical_product_and_clear_scope_raise_product_domain_and_technical_knowledge() {
    let base = profile(&context(Role::Pm, CareerLevel::Senior));
    let variants = [
        ("mature team", RoleContext { team_maturity: Degree::High, ..context(Role::Pm, CareerLevel::Senior) }),
        ("technical product", RoleContext { technicality: Degree::High, ..context(Role::Pm, CareerLevel::Senior) }),
        ("clear scope", RoleContext { ambiguity: Degree::Low, ..context(Role::Pm, CareerLevel::Senior) }),
    ];
    for (what, variant) in variants {
        let variant = profile(&variant);
        for id in ["product-sense", "domain-knowledge"] {
            assert!(weight(&variant, id) > weight(&base, id), "{what} should raise the weight of {id}");
        }
        let technical = |p: &Profile| p.category_share(Category::Technical);
        assert!(technical(&variant) > technical(&base), "{what} should raise the technical share");
    }
}

/// "A TPM in an AI start-up needs microservices and LLM understanding."
#[test]
fn fact_tpm_in_an_ai_startup_needs_microservices_and_llm_understanding() {
    let tpm = profile(&RoleContext {
        stage: CompanyStage::Early,
        ..context(Role::Tpm, CareerLevel::Senior).with_industry("ai")
    });
    let generic = profile(&context(Role::Pm, CareerLevel::Senior));
    for id in ["system-architecture", "ai-literacy"] {
        assert!(target(&tpm, id) >= 4, "{id} target {}", target(&tpm, id));
        assert!(target(&tpm, id) > target(&generic, id));
        let rank = tpm.skills.iter().position(|s| s.id.as_str() == id).unwrap_or(usize::MAX);
        assert!(rank < 5, "{id} should be among the five heaviest skills, is #{}", rank + 1);
    }
    assert!(has_reason(&tpm, "system-architecture", "microservices"));
    assert!(has_reason(&tpm, "ai-literacy", "industry ai"));
}

/// "A PM of internal tools in a large financial institution leans on
/// stakeholder alignment and systems thinking more than on implementation depth."
#[test]
fn fact_internal_tools_pm_in_a_financial_institution_leans_on_alignment_and_systems_thinking() {
    for industry in ["financial-services", "internal-tools"] {
        let pm = profile(&RoleContext {
            stage: CompanyStage::Enterprise,
            technicality: Degree::Low,
            ..context(Role::Pm, CareerLevel::Senior).with_industry(industry)
        });
        let heaviest_technical =
            pm.skills.iter().filter(|s| s.category == Category::Technical && s.id.as_str() != "domain-knowledge");
        for leaning in ["stakeholder-alignment", "systems-thinking"] {
            assert!(target(&pm, leaning) >= 4, "{industry}: {leaning} target {}", target(&pm, leaning));
            for implementation in heaviest_technical.clone() {
                assert!(
                    weight(&pm, leaning) > 2.0 * implementation.weight,
                    "{industry}: {leaning} should far outweigh {}",
                    implementation.id
                );
                assert!(target(&pm, leaning) > implementation.target.get());
            }
        }
    }
}

/// "Data-driven environments raise SQL and data analysis."
#[test]
fn fact_data_driven_environments_raise_sql_and_data_analysis() {
    let at = |data_driven| profile(&RoleContext { data_driven, ..context(Role::Pm, CareerLevel::Pm) });
    let (low, medium, high) = (at(Degree::Low), at(Degree::Medium), at(Degree::High));
    for id in ["sql", "data-analysis"] {
        assert!(weight(&low, id) < weight(&medium, id) && weight(&medium, id) < weight(&high, id), "{id} weight");
        assert!(target(&low, id) < target(&medium, id) && target(&medium, id) < target(&high, id), "{id} target");
    }
}

/// "For PMMs in a highly technical area, industry and product knowledge weigh
/// more (with coachability to learn the rest of the craft)."
#[test]
fn fact_pmms_in_technical_areas_weigh_industry_and_product_knowledge() {
    let pmm = |technicality| profile(&RoleContext { technicality, ..context(Role::Pmm, CareerLevel::Senior) });
    let (technical, plain) = (pmm(Degree::High), pmm(Degree::Low));
    for id in ["domain-knowledge", "product-sense", "growth-mindset"] {
        assert!(weight(&technical, id) > weight(&plain, id), "{id} should weigh more for a technical PMM");
    }
    assert!(target(&technical, "domain-knowledge") > target(&plain, "domain-knowledge"));
}

/// "In a less technical area the PMM craft itself (positioning, messaging,
/// enablement) weighs more."
#[test]
fn fact_pmms_in_less_technical_areas_weigh_the_pmm_craft() {
    let pmm = |technicality| profile(&RoleContext { technicality, ..context(Role::Pmm, CareerLevel::Senior) });
    let (technical, plain) = (pmm(Degree::High), pmm(Degree::Low));
    for id in ["positioning-messaging", "sales-enablement", "launch-management"] {
        assert!(weight(&plain, id) > weight(&technical, id), "{id} should weigh more for a less technical PMM");
    }
    assert!(plain.category_share(Category::Craft) > technical.category_share(Category::Craft));
}

/// "Soft skills matter in both" (technical and less technical PMM areas).
#[test]
fn fact_soft_skills_matter_for_pmms_in_both_areas() {
    for technicality in Degree::ALL {
        let pmm = profile(&RoleContext { technicality: *technicality, ..context(Role::Pmm, CareerLevel::Senior) });
        let soft = pmm.category_share(Category::Soft);
        assert!(soft >= 0.35, "soft skills carry only {soft:.2} for a PMM at {technicality} technicality");
    }
}

/// "For PMMs the craft skills are positioning, messaging, value propositions,
/// launches, sales enablement."
#[test]
fn fact_the_pmm_craft_leads_a_pmm_profile() {
    let pmm = profile(&context(Role::Pmm, CareerLevel::Pm));
    let pm = profile(&context(Role::Pm, CareerLevel::Pm));
    let top: Vec<&str> = pmm.skills.iter().take(4).map(|s| s.id.as_str()).collect();
    for id in ["positioning-messaging", "sales-enablement", "launch-management"] {
        assert!(top.contains(&id), "{id} should be among a PMM's heaviest skills, top is {top:?}");
        assert!(target(&pmm, id) > target(&pm, id));
    }
}

/// "Hiring managers tend to lean on hard skills to be sure the technical part
/// of the role gets done, while soft skills can be coached by a good manager."
#[test]
fn fact_hiring_managers_lean_on_hard_skills() {
    let growth = profile(&context(Role::Pm, CareerLevel::Senior));
    let hiring = profile(&RoleContext { purpose: Purpose::Hiring, ..context(Role::Pm, CareerLevel::Senior) });
    assert!(hiring.category_share(Category::Technical) > growth.category_share(Category::Technical));
    assert!(hiring.soft_share < growth.soft_share);
    assert!(has_reason(&hiring, "sql", "coached"));
}

/// The issue's own comparison: a senior TPM in an early AI company against a
/// senior PM in a large financial institution.
#[test]
fn tpm_in_ai_startup_against_pm_in_financial_institution() {
    let tpm = profile(&RoleContext {
        stage: CompanyStage::Early,
        technicality: Degree::High,
        ..context(Role::Tpm, CareerLevel::Senior).with_industry("ai")
    });
    let pm = profile(&RoleContext {
        stage: CompanyStage::Enterprise,
        technicality: Degree::Low,
        ..context(Role::Pm, CareerLevel::Senior).with_industry("financial-services")
    });
    for id in ["ai-literacy", "system-architecture", "apis"] {
        assert!(target(&tpm, id) > target(&pm, id) && weight(&tpm, id) > weight(&pm, id), "{id}");
    }
    for id in ["stakeholder-alignment", "systems-thinking"] {
        assert!(target(&pm, id) > target(&tpm, id) && weight(&pm, id) > weight(&tpm, id), "{id}");
    }
    assert!(pm.soft_share > tpm.soft_share + 0.1);
}

/// Not a section 1 fact, but the role exists: growth PMs live on experiments.
#[test]
fn growth_pms_lean_on_experiments_and_data() {
    let growth = profile(&context(Role::GrowthPm, CareerLevel::Pm));
    let pm = profile(&context(Role::Pm, CareerLevel::Pm));
    for id in ["experimentation", "data-analysis", "sql"] {
        assert!(weight(&growth, id) > weight(&pm, id) && target(&growth, id) > target(&pm, id), "{id}");
    }
}
