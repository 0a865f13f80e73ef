//! The shipped framework covers everything PRODUCT.md section 1 names:
//! the skills, the practices and the audiences.

use pmcoach_core::framework::model::{Category, Observer};

use crate::framework;

const REQUIRED_IDS: &str = "communication empathy active-listening problem-solving negotiation influence \
    conflict-resolution decision-making collaboration curiosity adaptability transparency growth-mindset \
    storytelling stakeholder-alignment executive-communication customer-obsession value-orientation \
    systems-thinking product-sense positioning-messaging sales-enablement sql data-analysis apis \
    system-architecture ai-literacy experimentation prototyping debugging-logs cloud-basics domain-knowledge";

fn text_of(id: &str) -> String {
    let skill = framework().skill(id).unwrap_or_else(|| panic!("skill {id} is missing"));
    let mut text = format!("{} {} {}", skill.name, skill.definition, skill.why);
    for stage in pmcoach_core::framework::model::Stage::ALL {
        text.push(' ');
        text.push_str(skill.stages.get(*stage));
    }
    for activity in &skill.activities {
        text.push_str(&format!(" {} {}", activity.title, activity.description));
    }
    text.to_lowercase()
}

#[test]
fn every_required_skill_id_is_present() {
    let missing: Vec<&str> = REQUIRED_IDS.split_whitespace().filter(|id| framework().skill(id).is_none()).collect();
    assert!(missing.is_empty(), "missing skills: {missing:?}");
}

#[test]
fn at_least_twenty_soft_or_craft_and_ten_technical_skills() {
    let skills = &framework().skills;
    let soft_or_craft = skills.iter().filter(|s| s.category.is_soft_or_craft()).count();
    let technical = skills.iter().filter(|s| s.category == Category::Technical).count();
    assert!(soft_or_craft >= 20, "{soft_or_craft} soft/craft skills");
    assert!(technical >= 10, "{technical} technical skills");
}

/// Section 1 names soft skills by phrases; each maps to a skill whose name
/// carries the phrase.
#[test]
fn every_soft_skill_named_in_section_one_has_a_skill() {
    let named = [
        ("communication", "communication"),
        ("empathy", "empathy"),
        ("active-listening", "active listening"),
        ("problem-solving", "problem solving"),
        ("negotiation", "negotiation"),
        ("influence", "influence"),
        ("conflict-resolution", "conflict resolution"),
        ("decision-making", "decision making"),
        ("collaboration", "relationship building"),
        ("curiosity", "curiosity"),
        ("adaptability", "flexibility"),
        ("transparency", "honesty"),
        ("drive", "drive"),
        ("humility", "humility"),
        ("growth-mindset", "coachability"),
        ("storytelling", "messaging"),
        ("stakeholder-alignment", "stakeholder alignment"),
        ("executive-communication", "executive communication"),
        ("customer-obsession", "customer obsession"),
        ("value-orientation", "value orientation"),
        ("systems-thinking", "systems thinking"),
    ];
    for (id, phrase) in named {
        let skill = framework().skill(id).unwrap_or_else(|| panic!("skill {id} is missing"));
        assert!(
            skill.name.to_lowercase().contains(phrase),
            "{id} is named {:?}, expected it to say {phrase:?}",
            skill.name
        );
        assert_eq!(skill.category, Category::Soft, "{id} should be a soft skill");
    }
}

#[test]
fn every_technical_skill_named_in_section_one_is_covered() {
    let covered = [
        ("sql", "own"),
        ("data-analysis", "pandas"),
        ("apis", "debug"),
        ("system-architecture", "microservices"),
        ("ai-literacy", "llm"),
        ("debugging-logs", "log"),
        ("cloud-basics", "cloud"),
        ("prototyping", "low-code"),
        ("experimentation", "metric"),
    ];
    for (id, phrase) in covered {
        assert!(text_of(id).contains(phrase), "{id} never mentions {phrase:?}");
        assert_eq!(framework().skill(id).map(|s| s.category), Some(Category::Technical), "{id} should be technical");
    }
}

#[test]
fn the_pmm_craft_covers_positioning_messaging_value_propositions_launches_and_enablement() {
    assert!(text_of("positioning-messaging").contains("positioning"));
    assert!(text_of("positioning-messaging").contains("messag"));
    assert!(text_of("positioning-messaging").contains("value proposition"));
    assert!(text_of("launch-management").contains("launch"));
    assert!(text_of("sales-enablement").contains("enablement"));
    for id in ["positioning-messaging", "sales-enablement", "launch-management", "product-sense"] {
        assert_eq!(framework().skill(id).map(|s| s.category), Some(Category::Craft), "{id} should be craft");
    }
}

/// Every practice section 1 names exists as a concrete activity.
#[test]
fn every_practice_named_in_section_one_is_an_activity() {
    let practices = [
        ("empathy", "engineer-why-one-on-ones"),
        ("sales-enablement", "join-sales-calls-log-objections"),
        ("sales-enablement", "sales-qa-session"),
        ("sales-enablement", "one-page-battlecard"),
        ("customer-obsession", "listen-to-customer-calls"),
        ("customer-obsession", "feedback-why-ladder"),
        ("stakeholder-alignment", "first-weeks-stakeholder-tour"),
        ("storytelling", "narrative-framework-workshop"),
        ("positioning-messaging", "value-proposition-framework"),
        ("growth-mindset", "stretch-project"),
        ("growth-mindset", "development-roadmap-with-manager"),
        ("growth-mindset", "join-product-community"),
        ("communication", "study-strong-communicator"),
        ("communication", "writing-feedback-swap"),
        ("executive-communication", "rehearse-exec-readout"),
        ("transparency", "roadmap-briefing-for-cs"),
        ("domain-knowledge", "new-role-learning-plan"),
        ("coaching", "development-roadmap-for-report"),
        ("coaching", "guardrails-then-autonomy"),
        ("coaching", "skills-swap-pairing"),
        ("sql", "answer-own-question-weekly"),
        ("data-analysis", "pandas-notebook"),
        ("prototyping", "low-code-prototype"),
    ];
    for (skill, activity) in practices {
        let found = framework().skill(skill).and_then(|s| s.activity(activity));
        assert!(found.is_some(), "{skill} has no activity {activity}");
    }
}

#[test]
fn empathy_is_applied_per_audience() {
    let empathy = text_of("empathy");
    for (audience, need) in [
        ("engineer", "context"),
        ("sales", "quota"),
        ("customer success", "roadmap"),
        ("leadership", "concise"),
        ("customer", "understood"),
    ] {
        assert!(empathy.contains(audience), "empathy never mentions {audience}");
        assert!(empathy.contains(need), "empathy never mentions what {audience} needs ({need})");
    }
}

#[test]
fn good_messages_lead_with_a_tldr_use_bullets_and_end_with_one_ask() {
    let exec = text_of("executive-communication");
    for phrase in ["tl;dr", "bullet", "ask"] {
        assert!(exec.contains(phrase), "executive communication never mentions {phrase:?}");
    }
}

#[test]
fn writing_workshops_help_people_writing_in_another_language() {
    assert!(text_of("storytelling").contains("not your first"));
}

#[test]
fn starting_in_a_new_role_leads_with_growth_mindset_and_relationships() {
    assert!(text_of("growth-mindset").contains("new role"));
    assert!(text_of("stakeholder-alignment").contains("first weeks"));
    let learning = text_of("domain-knowledge");
    for topic in ["business", "customer", "product"] {
        assert!(learning.contains(topic), "the new-role learning plan never mentions the {topic}");
    }
}

#[test]
fn managers_help_with_openness_roadmaps_stretch_projects_and_guardrails_then_autonomy() {
    let coaching = text_of("coaching");
    for phrase in ["mix of strengths", "openness", "development roadmap", "stretch", "guardrails", "autonomy"] {
        assert!(coaching.contains(phrase), "coaching never mentions {phrase:?}");
    }
}

#[test]
fn every_skill_shows_up_in_every_stage_and_has_observers() {
    for skill in &framework().skills {
        assert!(!skill.observers.is_empty(), "{} has no observers", skill.id);
        assert!(skill.activities.len() >= 3, "{} has too few activities", skill.id);
        assert!(skill.questions.len() >= 2, "{} has too few interview questions", skill.id);
    }
    // Customers cannot watch you write SQL; the framework should know that.
    let sql = framework().skill("sql").map(|s| s.observers.clone()).unwrap_or_default();
    assert!(!sql.contains(&Observer::Customer));
}
