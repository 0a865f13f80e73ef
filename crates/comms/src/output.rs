//! Machine-readable output: the JSON shape of PRODUCT.md section 4 and SARIF 2.1.0.
//!
//! Both are written one file at a time, so a caller can stream results for
//! any number of files without holding them all.

use serde::Serialize;

use crate::model::{Finding, Report, Rule, Severity};

/// One entry of `{"files":[…]}`:
/// `{"path","audience","score","words","reading_grade","findings":[…]}`.
#[derive(Debug, Serialize)]
pub struct JsonFile<'a> {
    /// The checked path, `-` for standard input.
    pub path: &'a str,
    /// The audience name.
    pub audience: &'static str,
    /// 0–100.
    pub score: u8,
    /// Words checked.
    pub words: usize,
    /// Flesch–Kincaid grade, one decimal.
    pub reading_grade: f64,
    /// Findings in text order.
    pub findings: Vec<JsonFinding<'a>>,
}

/// One finding: `{"rule","severity","message","line","column","end_line","end_column","suggestion"}`.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// Rule id.
    pub rule: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// What is wrong and why it matters for this audience.
    pub message: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column just past the end, in characters.
    pub end_column: usize,
    /// A suggestion, or `null`.
    pub suggestion: Option<&'a str>,
}

impl<'a> JsonFile<'a> {
    /// The JSON entry for one checked file.
    pub fn new(path: &'a str, report: &'a Report) -> JsonFile<'a> {
        JsonFile {
            path,
            audience: report.audience.as_str(),
            score: report.score,
            words: report.words,
            reading_grade: report.reading_grade,
            findings: report
                .findings
                .iter()
                .map(|f| JsonFinding {
                    rule: f.rule.as_str(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    line: f.span.line,
                    column: f.span.column,
                    end_line: f.span.end_line,
                    end_column: f.span.end_column,
                    suggestion: f.suggestion.as_deref(),
                })
                .collect(),
        }
    }
}

/// SARIF 2.1.0 pieces, written as a stream: [`sarif::header`], then
/// [`sarif::result`] per finding (comma-separated), then [`sarif::FOOTER`].
pub mod sarif {
    use super::*;
    use serde_json::{Value, json};

    /// The schema this output follows.
    pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

    fn level(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
    }

    /// Everything up to and including `"results":[`.
    pub fn header(tool_version: &str) -> String {
        let rules: Vec<Value> = Rule::ALL
            .iter()
            .map(|r| {
                json!({
                    "id": r.as_str(),
                    "name": r.as_str(),
                    "shortDescription": { "text": r.summary() },
                    "fullDescription": { "text": r.summary() },
                    "defaultConfiguration": { "level": "warning" },
                    "properties": { "dimension": r.dimension().label() }
                })
            })
            .collect();
        let driver = json!({
            "name": "pmcoach",
            "version": tool_version,
            "informationUri": "https://github.com/pmcoach/pmcoach",
            "rules": rules
        });
        format!(
            "{{\"$schema\":\"{SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{driver}}},\
             \"columnKind\":\"unicodeCodePoints\",\"results\":["
        )
    }

    /// Closes what [`header`] opened.
    pub const FOOTER: &str = "]}]}";

    /// A path as a SARIF URI reference (relative paths stay relative).
    pub fn uri(path: &str) -> String {
        if path == "-" {
            return "stdin".to_owned();
        }
        let mut out = String::with_capacity(path.len());
        for b in path.bytes() {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                out.push(b as char);
            } else if b == b'\\' {
                out.push('/');
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// One result.
    pub fn result(path: &str, finding: &Finding) -> Value {
        let mut message = finding.message.clone();
        if let Some(s) = &finding.suggestion {
            message.push_str(". Suggestion: ");
            message.push_str(s);
        }
        json!({
            "ruleId": finding.rule.as_str(),
            "ruleIndex": finding.rule.index(),
            "level": level(finding.severity),
            "message": { "text": message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(path) },
                    "region": {
                        "startLine": finding.span.line,
                        "startColumn": finding.span.column,
                        "endLine": finding.span.end_line,
                        "endColumn": finding.span.end_column,
                        "byteOffset": finding.span.start,
                        "byteLength": finding.span.end - finding.span.start
                    }
                }
            }]
        })
    }
}
