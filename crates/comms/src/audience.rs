//! Audiences and kinds as data: `content/audiences.toml`, embedded, plus the
//! overrides of a `.pmcoach.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::config::{Config, Level, RuleTable};
use crate::model::{Audience, Kind, Rule, Severity};

pub(crate) const AUDIENCES_TOML: &str = include_str!("../../../content/audiences.toml");

/// Jargon lexicons an audience may find unfit.
pub(crate) mod lexicon_bits {
    pub const TECHNICAL: u16 = 1;
    pub const INTERNAL: u16 = 2;
    pub const BUZZWORDS: u16 = 4;
    pub const CUSTOM: u16 = 8;
}

/// Everything the rules need to know about one audience.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub label: String,
    pub word_budget: u32,
    pub reading_grade: f64,
    pub sentence_max_words: u32,
    pub paragraph_max_words: u32,
    pub bluf_min_words: u32,
    pub lexicons: u16,
    pub known_acronyms: Vec<String>,
    pub default_kind: Option<Kind>,
    pub rules: [Option<Severity>; 15],
    pub reasons: [String; 15],
}

#[derive(Debug, Clone)]
pub(crate) struct KindProfile {
    pub expects_ask: bool,
    pub budget_factor: f64,
    /// `None`: no change; `Some(None)`: off; `Some(Some(s))`: at least `s`.
    pub rules: [Option<Option<Severity>>; 15],
}

/// All audiences and kinds, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Audiences {
    pub profiles: Vec<Profile>,
    pub kinds: Vec<KindProfile>,
    pub everyone_acronyms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rules: RuleTable,
    reasons: BTreeMap<String, String>,
    acronyms: RawAcronyms,
    audiences: BTreeMap<String, RawAudience>,
    kinds: BTreeMap<String, RawKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAcronyms {
    everyone: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudience {
    label: String,
    word_budget: u32,
    reading_grade: f64,
    sentence_max_words: u32,
    paragraph_max_words: u32,
    bluf_min_words: u32,
    lexicons: Vec<String>,
    #[serde(default)]
    known_acronyms: Vec<String>,
    #[serde(default)]
    default_kind: Option<String>,
    #[serde(default)]
    rules: RuleTable,
    #[serde(default)]
    reasons: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    expects_ask: bool,
    budget_factor: f64,
    #[serde(default)]
    rules: RuleTable,
}

/// A problem in the embedded audiences file (caught by tests).
#[derive(Debug, thiserror::Error)]
pub enum AudiencesError {
    /// Not valid TOML or not the expected shape.
    #[error("content/audiences.toml: {0}")]
    Toml(#[from] toml::de::Error),
    /// Valid TOML with a wrong value.
    #[error("content/audiences.toml: {0}")]
    Invalid(String),
}

impl Audiences {
    pub(crate) fn embedded() -> Result<Audiences, AudiencesError> {
        let raw: RawFile = toml::from_str(AUDIENCES_TOML)?;
        let invalid = |m: String| AudiencesError::Invalid(m);
        let reason = |map: &BTreeMap<String, String>, rule: Rule| map.get(rule.as_str()).cloned();
        for key in raw.reasons.keys() {
            Rule::parse(key).map_err(|e| invalid(format!("[reasons]: {e}")))?;
        }
        let mut profiles = Vec::new();
        for audience in Audience::ALL {
            let a = raw
                .audiences
                .get(audience.as_str())
                .ok_or_else(|| invalid(format!("audience `{audience}` is missing")))?;
            let mut lexicons = 0;
            for name in &a.lexicons {
                lexicons |= match name.as_str() {
                    "technical" => lexicon_bits::TECHNICAL,
                    "internal" => lexicon_bits::INTERNAL,
                    "buzzwords" => lexicon_bits::BUZZWORDS,
                    other => {
                        return Err(invalid(format!(
                            "audience `{audience}`: unknown lexicon `{other}`; expected technical, internal or buzzwords"
                        )));
                    }
                };
            }
            let default_kind = match &a.default_kind {
                Some(k) => Some(Kind::parse(k).map_err(|e| invalid(format!("audience `{audience}`: {e}")))?),
                None => None,
            };
            let mut rules = [None; 15];
            let mut reasons: [String; 15] = Default::default();
            for rule in Rule::ALL {
                let i = rule.index();
                rules[i] = a.rules.get(*rule).or(raw.rules.get(*rule)).and_then(Level::severity);
                reasons[i] = reason(&a.reasons, *rule)
                    .or_else(|| reason(&raw.reasons, *rule))
                    .ok_or_else(|| invalid(format!("no reason for rule `{rule}`")))?;
            }
            for key in a.reasons.keys() {
                Rule::parse(key).map_err(|e| invalid(format!("audience `{audience}` reasons: {e}")))?;
            }
            profiles.push(Profile {
                label: a.label.clone(),
                word_budget: a.word_budget,
                reading_grade: a.reading_grade,
                sentence_max_words: a.sentence_max_words,
                paragraph_max_words: a.paragraph_max_words,
                bluf_min_words: a.bluf_min_words,
                lexicons,
                known_acronyms: a.known_acronyms.clone(),
                default_kind,
                rules,
                reasons,
            });
        }
        let mut kinds = Vec::new();
        for kind in Kind::ALL {
            let k = raw.kinds.get(kind.as_str()).ok_or_else(|| invalid(format!("kind `{kind}` is missing")))?;
            let mut rules = [None; 15];
            for rule in Rule::ALL {
                rules[rule.index()] = k.rules.get(*rule).map(Level::severity);
            }
            kinds.push(KindProfile { expects_ask: k.expects_ask, budget_factor: k.budget_factor, rules });
        }
        Ok(Audiences { profiles, kinds, everyone_acronyms: raw.acronyms.everyone })
    }

    /// Applies a `.pmcoach.toml`: global rule levels, then per-audience overrides.
    pub(crate) fn apply(&mut self, config: &Config) {
        for (i, profile) in self.profiles.iter_mut().enumerate() {
            for rule in Rule::ALL {
                if let Some(level) = config.rules.get(*rule) {
                    profile.rules[rule.index()] = level.severity();
                }
            }
            let Some(o) = config.audiences.get(&Audience::ALL[i]) else { continue };
            if let Some(budget) = o.word_budget {
                profile.word_budget = budget;
            }
            if let Some(grade) = o.reading_grade {
                profile.reading_grade = grade;
            }
            for rule in Rule::ALL {
                if let Some(level) = o.rules.get(*rule) {
                    profile.rules[rule.index()] = level.severity();
                }
            }
        }
    }

    pub(crate) fn profile(&self, audience: Audience) -> &Profile {
        &self.profiles[audience as usize]
    }

    pub(crate) fn kind(&self, kind: Kind) -> &KindProfile {
        &self.kinds[kind as usize]
    }
}

/// The severity of `rule` for a profile and an optional kind.
pub(crate) fn severity(profile: &Profile, kind: Option<&KindProfile>, rule: Rule) -> Option<Severity> {
    let base = profile.rules[rule.index()];
    match kind.and_then(|k| k.rules[rule.index()]) {
        None => base,
        Some(None) => None,
        Some(Some(at_least)) => Some(base.map_or(at_least, |b| b.max(at_least))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_audiences_load() {
        let a = Audiences::embedded().unwrap();
        assert_eq!(a.profiles.len(), 7);
        assert_eq!(a.profile(Audience::Exec).word_budget, 200);
        assert_eq!(a.profile(Audience::Exec).rules[Rule::Bluf.index()], Some(Severity::Error));
        assert_eq!(a.profile(Audience::Peer).rules[Rule::YouFocus.index()], None);
        let reply = a.kind(Kind::Reply);
        assert_eq!(severity(a.profile(Audience::Peer), Some(reply), Rule::Acknowledge), Some(Severity::Warning));
    }
}
