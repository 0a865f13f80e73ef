//! The score: 100 minus what the findings cost, per dimension (error 25,
//! warning 10, info 3, at most 45 per rule), then a weighted mean of the five
//! dimensions (actionability 25%, clarity, brevity and audience fit 20% each,
//! empathy 15%). Any error caps the score at 70, minus 5 per further error.

use crate::audience::Profile;
use crate::model::{Audience, Dimension, DimensionId, Finding, Kind, Report, Rule, Severity};
use crate::text::Doc;

/// What one finding costs its dimension.
fn cost(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 25,
        Severity::Warning => 10,
        Severity::Info => 3,
    }
}

/// No single rule can take more than this from a dimension, so a long
/// document with one habit ("just" forty times) is not scored as hopeless.
const RULE_CAP: u32 = 45;

fn weight(d: DimensionId) -> f64 {
    match d {
        DimensionId::Actionability => 0.25,
        DimensionId::Clarity | DimensionId::Brevity | DimensionId::AudienceFit => 0.2,
        DimensionId::Empathy => 0.15,
    }
}

fn noun(rule: Rule, n: usize) -> String {
    let (one, many) = match rule {
        Rule::Bluf => ("buried main point", "buried main points"),
        Rule::Ask => ("ask problem", "ask problems"),
        Rule::Length => ("over-budget length", "over-budget lengths"),
        Rule::Paragraph => ("wall of text", "walls of text"),
        Rule::Readability => ("hard-to-read passage", "hard-to-read passages"),
        Rule::Jargon => ("jargon term", "jargon terms"),
        Rule::Fluff => ("hype word", "hype words"),
        Rule::Hedge => ("hedge", "hedges"),
        Rule::Passive => ("passive construction", "passive constructions"),
        Rule::VagueTime => ("vague time", "vague times"),
        Rule::VagueClaim => ("unquantified claim", "unquantified claims"),
        Rule::YouFocus => ("we-focused passage", "we-focused passages"),
        Rule::Blame => ("blaming phrase", "blaming phrases"),
        Rule::Acknowledge => ("missing acknowledgement", "missing acknowledgements"),
        Rule::Filler => ("filler word", "filler words"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn report(
    audience: Audience,
    kind: Option<Kind>,
    profile: &Profile,
    doc: &Doc<'_>,
    grade: f64,
    findings: Vec<Finding>,
) -> Report {
    let mut per_rule = [0u32; 15];
    let mut counts = [0usize; 15];
    for f in &findings {
        per_rule[f.rule.index()] += cost(f.severity);
        counts[f.rule.index()] += 1;
    }
    let grade = if grade.is_finite() { (grade * 10.0).round() / 10.0 } else { 0.0 };
    let label = &profile.label;
    let mut dimensions = Vec::new();
    let mut total = 0.0;
    for d in DimensionId::ALL {
        let rules: Vec<Rule> = Rule::ALL.iter().copied().filter(|r| r.dimension() == d).collect();
        let lost: u32 = rules.iter().map(|r| per_rule[r.index()].min(RULE_CAP)).sum();
        let score = 100u32.saturating_sub(lost) as u8;
        total += weight(d) * f64::from(score);
        let problems: Vec<String> =
            rules.iter().filter(|r| counts[r.index()] > 0).map(|r| noun(*r, counts[r.index()])).collect();
        let base = match d {
            DimensionId::Clarity => {
                format!("reading grade {grade:.1} against a target of {:.0} for {label}", profile.reading_grade)
            }
            DimensionId::Brevity => {
                format!("{} words against a budget of {} for {label}", doc.words, profile.word_budget)
            }
            DimensionId::Actionability if problems.is_empty() => {
                "the point comes first and any ask has an owner and a date".to_owned()
            }
            DimensionId::Actionability => "the point or the ask needs work".to_owned(),
            DimensionId::AudienceFit if problems.is_empty() => format!("no jargon or hype for {label}"),
            DimensionId::AudienceFit => format!("words that do not fit {label}"),
            DimensionId::Empathy if problems.is_empty() => "no blame, and the reader's side is in view".to_owned(),
            DimensionId::Empathy => "the reader's side needs more room".to_owned(),
        };
        let explanation = if problems.is_empty() { base } else { format!("{base}; {}", problems.join(", ")) };
        dimensions.push(Dimension { id: d, score, explanation });
    }
    // A message with an error-severity finding is likely to fail with its
    // reader, whatever else is right about it: it scores at most 70.
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let mut score = total.round().clamp(0.0, 100.0);
    if errors > 0 {
        score = score.min(70.0 - 5.0 * (errors.min(10) - 1) as f64);
    }
    Report {
        audience,
        kind,
        score: score as u8,
        dimensions,
        words: doc.words,
        sentences: doc.sentences.len(),
        reading_grade: grade,
        findings,
    }
}
