//! The labelled corpus (`tests/corpus/messages.toml`): precision and recall
//! per rule, and well-written messages that must stay clean.

use std::collections::BTreeSet;

use pmcoach_comms::{Audience, CheckOptions, Checker, Kind, Rule, Severity, TextFormat};
use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    message: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Message {
    id: String,
    audience: String,
    kind: Option<String>,
    format: Option<String>,
    rules: Vec<String>,
    #[serde(default)]
    clean: bool,
    why: String,
    text: String,
}

const CORPUS: &str = include_str!("../corpus/messages.toml");

fn messages() -> Vec<Message> {
    toml::from_str::<Corpus>(CORPUS).expect("messages.toml parses").message
}

fn options(m: &Message) -> CheckOptions {
    let format = match m.format.as_deref() {
        Some("plain") => TextFormat::Plain,
        _ => TextFormat::Markdown,
    };
    CheckOptions {
        audience: Some(Audience::parse(&m.audience).expect("valid audience")),
        kind: m.kind.as_deref().map(|k| Kind::parse(k).expect("valid kind")),
        format,
    }
}

#[test]
fn labelled_corpus_precision_and_recall() {
    let checker = Checker::new();
    let messages = messages();
    assert!(messages.len() >= 60, "the corpus has {} messages; it needs at least 60", messages.len());
    let ids: BTreeSet<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), messages.len(), "message ids are unique");

    let mut tp = [0usize; 15];
    let mut fp = [0usize; 15];
    let mut fn_ = [0usize; 15];
    let mut positives = [0usize; 15];
    let mut negatives = [0usize; 15];
    let mut problems = Vec::new();
    for m in &messages {
        assert!(!m.why.is_empty(), "{}: say why", m.id);
        let expected: BTreeSet<Rule> =
            m.rules.iter().map(|r| Rule::parse(r).unwrap_or_else(|e| panic!("{}: {e}", m.id))).collect();
        let report = checker.check(&m.text, &options(m));
        let found: BTreeSet<Rule> = report.findings.iter().map(|f| f.rule).collect();
        for rule in Rule::ALL {
            let i = rule.index();
            let (want, got) = (expected.contains(rule), found.contains(rule));
            if want {
                positives[i] += 1
            } else {
                negatives[i] += 1
            }
            match (want, got) {
                (true, true) => tp[i] += 1,
                (false, true) => {
                    fp[i] += 1;
                    let f = report.findings.iter().find(|f| f.rule == *rule).unwrap();
                    problems.push(format!(
                        "{}: unexpected {rule}: {} [{}]",
                        m.id,
                        f.message,
                        &m.text[f.span.start..f.span.end]
                    ));
                }
                (true, false) => {
                    fn_[i] += 1;
                    problems.push(format!("{}: missed {rule}", m.id));
                }
                (false, false) => {}
            }
        }
        if m.clean {
            for f in report.findings.iter().filter(|f| f.severity >= Severity::Warning) {
                problems.push(format!("{}: a clean message got a {} {}: {}", m.id, f.severity, f.rule, f.message));
            }
        }
    }

    println!(
        "\n{:<12} {:>4} {:>4} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "rule", "pos", "neg", "tp", "fp", "fn", "precision", "recall"
    );
    let mut failing = Vec::new();
    for rule in Rule::ALL {
        let i = rule.index();
        let precision = if tp[i] + fp[i] == 0 { 1.0 } else { tp[i] as f64 / (tp[i] + fp[i]) as f64 };
        let recall = if tp[i] + fn_[i] == 0 { 1.0 } else { tp[i] as f64 / (tp[i] + fn_[i]) as f64 };
        println!(
            "{:<12} {:>4} {:>4} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}",
            rule.as_str(),
            positives[i],
            negatives[i],
            tp[i],
            fp[i],
            fn_[i],
            precision,
            recall
        );
        if positives[i] == 0 || negatives[i] == 0 {
            failing.push(format!(
                "{rule}: needs messages both ways ({} must flag, {} must stay quiet)",
                positives[i], negatives[i]
            ));
        }
        if precision < 0.9 || recall < 0.9 {
            failing.push(format!("{rule}: precision {precision:.2}, recall {recall:.2}"));
        }
    }
    let clean = messages.iter().filter(|m| m.clean).count();
    println!("{} messages, {clean} of them well written (nothing at warning or error allowed)\n", messages.len());
    for p in &problems {
        println!("  {p}");
    }
    let clean_failures: Vec<&String> = problems.iter().filter(|p| p.contains("a clean message")).collect();
    assert!(clean_failures.is_empty(), "well-written messages raised warnings or errors: {clean_failures:#?}");
    assert!(failing.is_empty(), "rules below 0.9 precision or recall: {failing:#?}");
}
