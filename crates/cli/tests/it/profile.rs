//! `pmcoach profile`.

use serde_json::Value;

use crate::{pmcoach, stderr, stdout};

fn profile_json(args: &[&str]) -> Value {
    let mut all = vec!["profile", "--format", "json"];
    all.extend_from_slice(args);
    let output = pmcoach(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn skill<'a>(profile: &'a Value, id: &str) -> &'a Value {
    profile["skills"].as_array().and_then(|s| s.iter().find(|s| s["id"] == id)).expect("skill present")
}

#[test]
fn json_has_the_shape_of_the_cli_contract() {
    let json = profile_json(&[
        "--role",
        "tpm",
        "--level",
        "senior",
        "--stage",
        "early",
        "--industry",
        "ai",
        "--technicality",
        "high",
    ]);
    let context = &json["context"];
    assert_eq!(context["role"], "tpm");
    assert_eq!(context["level"], "senior");
    assert_eq!(context["stage"], "early");
    assert_eq!(context["industry"], "ai");
    assert_eq!(context["technicality"], "high");
    assert_eq!(context["team_maturity"], "medium");
    let share = json["soft_share"].as_f64().expect("soft_share");
    assert!((0.0..=1.0).contains(&share));
    let skills = json["skills"].as_array().expect("skills");
    assert_eq!(skills.len(), 36);
    let total: f64 = skills.iter().map(|s| s["weight"].as_f64().expect("weight")).sum();
    assert!((total - 1.0).abs() < 0.002, "weights sum to {total}");
    for skill in skills {
        let mut keys: Vec<&String> = skill.as_object().expect("object").keys().collect();
        keys.sort();
        assert_eq!(keys, ["category", "id", "name", "reasons", "target", "weight"]);
        assert!((1..=5).contains(&skill["target"].as_u64().expect("target")));
        assert!(!skill["reasons"].as_array().expect("reasons").is_empty());
    }
}

/// The comparison, through the CLI: the differences of PRODUCT.md
/// section 1 show, with their reasons.
#[test]
fn tpm_in_ai_startup_against_pm_in_financial_institution_through_the_cli() {
    let tpm = profile_json(&[
        "--role",
        "tpm",
        "--level",
        "senior",
        "--stage",
        "early",
        "--industry",
        "ai",
        "--technicality",
        "high",
    ]);
    let pm = profile_json(&[
        "--role",
        "pm",
        "--level",
        "senior",
        "--stage",
        "enterprise",
        "--industry",
        "financial-services",
        "--technicality",
        "low",
    ]);
    let number = |profile: &Value, id: &str, key: &str| skill(profile, id)[key].as_f64().expect("number");
    for id in ["ai-literacy", "system-architecture"] {
        assert!(number(&tpm, id, "target") > number(&pm, id, "target"), "{id}");
        assert!(number(&tpm, id, "weight") > number(&pm, id, "weight"), "{id}");
    }
    for id in ["stakeholder-alignment", "systems-thinking"] {
        assert!(number(&pm, id, "target") > number(&tpm, id, "target"), "{id}");
        assert!(number(&pm, id, "weight") > number(&tpm, id, "weight"), "{id}");
    }
    let reasons = |profile: &Value, id: &str| skill(profile, id)["reasons"].to_string();
    assert!(reasons(&tpm, "ai-literacy").contains("industry ai: target +2"), "{}", reasons(&tpm, "ai-literacy"));
    assert!(reasons(&pm, "stakeholder-alignment").contains("industry financial-services or internal-tools"));
    assert!(pm["soft_share"].as_f64() > tpm["soft_share"].as_f64());
}

#[test]
fn text_report_lists_the_ten_heaviest_then_every_category_with_reasons() {
    let output = pmcoach(&["profile", "--role", "pmm", "--level", "pm", "--technicality", "low"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let top = text.find("The ten heaviest skills").expect("top ten heading");
    let soft = text.find("\nSoft skills (").expect("soft heading");
    let craft = text.find("\nProduct craft (").expect("craft heading");
    let technical = text.find("\nTechnical skills (").expect("technical heading");
    assert!(top < soft && soft < craft && craft < technical, "{text}");
    let ranked = text[top..soft].lines().filter(|l| l.contains("% ")).count();
    assert_eq!(ranked, 10, "{text}");
    assert!(text.contains("role pmm: target +2, weight ×3 — positioning, messaging"), "{text}");
    assert!(text.contains('█'), "weight bars are drawn");
}

#[test]
fn unknown_values_list_the_valid_ones() {
    let output = pmcoach(&["profile", "--role", "designer", "--level", "senior"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown role \"designer\": expected one of pm, pmm, tpm, growth-pm, platform-pm"),
        "{}",
        stderr(&output)
    );
    let output = pmcoach(&["profile", "--role", "pm", "--level", "senior", "--ambiguity", "extreme"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("expected one of low, medium, high"), "{}", stderr(&output));
    let output = pmcoach(&["profile", "--role", "pm"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--level"), "{}", stderr(&output));
}

#[test]
fn a_free_text_industry_is_accepted_and_explained() {
    let output = pmcoach(&["profile", "--role", "pm", "--level", "pm", "--industry", "Space Mining"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("\"space-mining\" is not one of the industry presets"), "{}", stdout(&output));
}
