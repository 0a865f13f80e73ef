//! The public API as the web app and the CLI use it.

use pmcoach_comms::output::{JsonFile, sarif};
use pmcoach_comms::{Audience, CheckOptions, Checker, Config, DimensionId, Kind, Rule, Severity};

#[test]
fn a_report_has_a_score_five_dimensions_and_exact_spans() {
    let checker = Checker::new();
    let text = "Hi Sam,\n\nCan you review the plan soon?\n";
    let report = checker.check(text, &CheckOptions::for_audience(Audience::Engineering).kind(Kind::Request));
    assert!(report.score <= 100);
    assert_eq!(report.dimensions.iter().map(|d| d.id).collect::<Vec<_>>(), DimensionId::ALL);
    assert!(report.dimensions.iter().all(|d| !d.explanation.is_empty()));
    let soon = report.findings.iter().find(|f| f.rule == Rule::VagueTime).expect("soon is vague");
    assert_eq!(&text[soon.span.start..soon.span.end], "soon");
    assert_eq!((soon.span.line, soon.span.column, soon.span.end_line, soon.span.end_column), (3, 25, 3, 29));
    assert!(soon.suggestion.is_some());
    assert!(report.findings.iter().any(|f| f.rule == Rule::Ask && f.severity == Severity::Error));
}

#[test]
fn config_changes_levels_vocabulary_and_defaults() {
    let config = Config::parse(
        "audience = \"exec\"\naccept = [\"latency\"]\njargon = [\"flux capacitor\"]\n[rules]\nvague-time = \"off\"\n",
        ".pmcoach.toml",
    )
    .unwrap();
    let checker = Checker::with_config(&config).unwrap();
    assert_eq!(checker.default_audience(), Audience::Exec);
    let report = checker.check("Latency is down and the flux capacitor ships soon.", &CheckOptions::default());
    let rules: Vec<(Rule, &str)> = report.findings.iter().map(|f| (f.rule, f.message.as_str())).collect();
    assert!(!rules.iter().any(|(r, _)| *r == Rule::VagueTime), "{rules:?}");
    assert!(!rules.iter().any(|(_, m)| m.contains("Latency")), "{rules:?}");
    assert!(rules.iter().any(|(r, m)| *r == Rule::Jargon && m.contains("flux capacitor")), "{rules:?}");
}

#[test]
fn json_entry_has_the_documented_shape() {
    let checker = Checker::new();
    let report = checker.check("We will ship soon.", &CheckOptions::for_audience(Audience::Exec));
    let json = serde_json::to_string(&JsonFile::new("a.md", &report)).unwrap();
    // Keys in the documented order (PRODUCT.md section 4).
    let order = [
        "\"path\":",
        "\"audience\":",
        "\"score\":",
        "\"words\":",
        "\"reading_grade\":",
        "\"findings\":[{",
        "\"rule\":",
        "\"severity\":",
        "\"message\":",
        "\"line\":",
        "\"column\":",
        "\"end_line\":",
        "\"end_column\":",
        "\"suggestion\":",
    ];
    let positions: Vec<usize> = order.iter().map(|k| json.find(k).unwrap_or_else(|| panic!("{k} in {json}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
}

#[test]
fn sarif_uris_are_encoded() {
    assert_eq!(sarif::uri("docs/my notes.md"), "docs/my%20notes.md");
    assert_eq!(sarif::uri("-"), "stdin");
}

#[test]
fn checker_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Checker>();
}
