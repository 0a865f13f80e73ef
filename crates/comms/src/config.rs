//! `.pmcoach.toml`: a team's settings for the checker.
//!
//! ```toml
//! audience = "exec"            # default audience for files under this folder
//! kind = "update"              # default kind
//! accept = ["Kubernetes", "SLA"]   # our vocabulary: never flagged as jargon
//! jargon = ["blockchain"]          # extra terms flagged as jargon for every audience
//!
//! [rules]                      # every audience: "error", "warning", "info" or "off"
//! passive = "off"
//!
//! [audiences.exec]             # one audience
//! word_budget = 250
//! reading_grade = 11
//! rules = { hedge = "error" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{Audience, Kind, Rule, Severity};

/// A rule's level in configuration: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// Findings are informational.
    Info,
    /// Findings are warnings.
    Warning,
    /// Findings are errors (exit status 1).
    Error,
}

impl Level {
    /// The severity, or `None` for off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// A level per rule; unknown rule names are an error that lists the valid ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct RuleTable {
    pub bluf: Option<Level>,
    pub ask: Option<Level>,
    pub length: Option<Level>,
    pub paragraph: Option<Level>,
    pub readability: Option<Level>,
    pub jargon: Option<Level>,
    pub fluff: Option<Level>,
    pub hedge: Option<Level>,
    pub passive: Option<Level>,
    pub vague_time: Option<Level>,
    pub vague_claim: Option<Level>,
    pub you_focus: Option<Level>,
    pub blame: Option<Level>,
    pub acknowledge: Option<Level>,
    pub filler: Option<Level>,
}

impl RuleTable {
    /// The level set for `rule`, if any.
    pub fn get(&self, rule: Rule) -> Option<Level> {
        match rule {
            Rule::Bluf => self.bluf,
            Rule::Ask => self.ask,
            Rule::Length => self.length,
            Rule::Paragraph => self.paragraph,
            Rule::Readability => self.readability,
            Rule::Jargon => self.jargon,
            Rule::Fluff => self.fluff,
            Rule::Hedge => self.hedge,
            Rule::Passive => self.passive,
            Rule::VagueTime => self.vague_time,
            Rule::VagueClaim => self.vague_claim,
            Rule::YouFocus => self.you_focus,
            Rule::Blame => self.blame,
            Rule::Acknowledge => self.acknowledge,
            Rule::Filler => self.filler,
        }
    }

    /// Sets the level of `rule`.
    pub fn set(&mut self, rule: Rule, level: Option<Level>) {
        let slot = match rule {
            Rule::Bluf => &mut self.bluf,
            Rule::Ask => &mut self.ask,
            Rule::Length => &mut self.length,
            Rule::Paragraph => &mut self.paragraph,
            Rule::Readability => &mut self.readability,
            Rule::Jargon => &mut self.jargon,
            Rule::Fluff => &mut self.fluff,
            Rule::Hedge => &mut self.hedge,
            Rule::Passive => &mut self.passive,
            Rule::VagueTime => &mut self.vague_time,
            Rule::VagueClaim => &mut self.vague_claim,
            Rule::YouFocus => &mut self.you_focus,
            Rule::Blame => &mut self.blame,
            Rule::Acknowledge => &mut self.acknowledge,
            Rule::Filler => &mut self.filler,
        };
        *slot = level;
    }
}

/// Overrides for one audience.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceOverride {
    /// Word budget instead of the built-in one.
    pub word_budget: Option<u32>,
    /// Reading-grade target instead of the built-in one.
    pub reading_grade: Option<f64>,
    /// Rule levels for this audience only.
    #[serde(default)]
    pub rules: RuleTable,
}

/// The settings of a `.pmcoach.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Where it was read from, if from a file.
    pub path: Option<PathBuf>,
    /// Default audience.
    pub audience: Option<Audience>,
    /// Default kind.
    pub kind: Option<Kind>,
    /// Rule levels for every audience.
    pub rules: RuleTable,
    /// Accepted vocabulary: never flagged (jargon, acronyms, any word list).
    pub accept: Vec<String>,
    /// Extra jargon, flagged for every audience.
    pub jargon: Vec<String>,
    /// Per-audience overrides.
    pub audiences: BTreeMap<Audience, AudienceOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    audience: Option<toml::Spanned<String>>,
    kind: Option<toml::Spanned<String>>,
    #[serde(default)]
    rules: RuleTable,
    #[serde(default)]
    accept: Vec<String>,
    #[serde(default)]
    jargon: Vec<String>,
    #[serde(default)]
    audiences: BTreeMap<toml::Spanned<String>, AudienceOverride>,
}

/// A `.pmcoach.toml` that cannot be used; the message names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value is wrong.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

impl Config {
    /// Parses the text of a `.pmcoach.toml`; `path` is used in error messages.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let invalid = |offset: usize, message: String| ConfigError::Invalid {
            path: path.to_owned(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            invalid(offset, e.message().trim().to_owned())
        })?;
        let audience = match raw.audience {
            Some(a) => Some(Audience::parse(a.get_ref()).map_err(|e| invalid(a.span().start, e.to_string()))?),
            None => None,
        };
        let kind = match raw.kind {
            Some(k) => Some(Kind::parse(k.get_ref()).map_err(|e| invalid(k.span().start, e.to_string()))?),
            None => None,
        };
        let mut audiences = BTreeMap::new();
        for (name, o) in raw.audiences {
            let a = Audience::parse(name.get_ref()).map_err(|e| invalid(name.span().start, e.to_string()))?;
            audiences.insert(a, o);
        }
        Ok(Config {
            path: Some(PathBuf::from(path)),
            audience,
            kind,
            rules: raw.rules,
            accept: raw.accept,
            jargon: raw.jargon,
            audiences,
        })
    }

    /// Reads and parses a `.pmcoach.toml` file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        Config::parse(&text, &shown)
    }

    /// The nearest `.pmcoach.toml` in `dir` or one of its parents.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors().map(|d| d.join(".pmcoach.toml")).find(|p| p.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = Config::parse(
            "audience = \"exec\"\nkind = \"update\"\naccept = [\"SLA\"]\njargon = [\"blockchain\"]\n\
             [rules]\npassive = \"off\"\nvague-time = \"error\"\n[audiences.sales]\nword_budget = 90\n\
             rules = { hedge = \"off\" }\n",
            ".pmcoach.toml",
        )
        .unwrap();
        assert_eq!(c.audience, Some(Audience::Exec));
        assert_eq!(c.kind, Some(Kind::Update));
        assert_eq!(c.rules.get(Rule::Passive), Some(Level::Off));
        assert_eq!(c.rules.get(Rule::VagueTime), Some(Level::Error));
        assert_eq!(c.audiences[&Audience::Sales].word_budget, Some(90));
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("audience = \"exec\"\n\n[rules]\npasive = \"off\"\n", "x/.pmcoach.toml").unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("x/.pmcoach.toml:4: "), "{text}");
        assert!(text.contains("passive"), "{text}");
        let e = Config::parse("audience = \"board\"\n", "c.toml").unwrap_err().to_string();
        assert!(e.starts_with("c.toml:1: unknown audience `board`"), "{e}");
        let e = Config::parse("[rules]\nhedge = \"loud\"\n", "c.toml").unwrap_err().to_string();
        assert!(e.starts_with("c.toml:2: "), "{e}");
        let e = Config::parse("audience = \n", "c.toml").unwrap_err().to_string();
        assert!(e.starts_with("c.toml:1: "), "{e}");
    }
}
