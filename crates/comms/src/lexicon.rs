//! The word lists (`content/comms/lexicons.toml`) compiled into one
//! Aho–Corasick automaton, so a document is scanned for every list at once.

use std::collections::BTreeMap;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::audience::lexicon_bits;
use crate::model::Rule;

pub(crate) const LEXICONS_TOML: &str = include_str!("../../../content/comms/lexicons.toml");

/// What a matched phrase is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    /// Jargon, with the lexicon bit it belongs to.
    Jargon(u16),
    Fluff,
    Hedge,
    VagueTime,
    VagueClaim,
    Blame,
    Filler,
    /// Not a rule: evidence that a reply acknowledges the reader.
    Acknowledge,
    /// Not a rule: the message says it needs no action.
    Fyi,
}

impl Category {
    pub(crate) fn rule(self) -> Rule {
        match self {
            Category::Jargon(_) => Rule::Jargon,
            Category::Fluff => Rule::Fluff,
            Category::Hedge => Rule::Hedge,
            Category::VagueTime => Rule::VagueTime,
            Category::VagueClaim => Rule::VagueClaim,
            Category::Blame => Rule::Blame,
            Category::Filler => Rule::Filler,
            Category::Acknowledge => Rule::Acknowledge,
            Category::Fyi => Rule::Ask,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The phrase as written in the list.
    pub phrase: String,
    pub categories: Vec<(Category, Option<String>)>,
}

/// All word lists, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    /// Every phrase, lowercased: search it in [`ascii_lowercase`]d text.
    pub ac: AhoCorasick,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicons {
    jargon: RawJargon,
    fluff: BTreeMap<String, String>,
    hedge: BTreeMap<String, String>,
    #[serde(rename = "vague-time")]
    vague_time: BTreeMap<String, String>,
    #[serde(rename = "vague-claim")]
    vague_claim: BTreeMap<String, String>,
    blame: BTreeMap<String, String>,
    filler: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJargon {
    technical: BTreeMap<String, String>,
    internal: BTreeMap<String, String>,
    buzzwords: BTreeMap<String, String>,
}

/// `text` with ASCII letters lowercased, byte for byte (offsets are unchanged),
/// for [`Lexicon::ac`].
pub(crate) fn ascii_lowercase(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// A problem in the embedded word lists or in configured extra jargon.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// Not valid TOML or not the expected shape.
    #[error("content/comms/lexicons.toml: {0}")]
    Toml(#[from] toml::de::Error),
    /// The automaton could not be built.
    #[error("word lists: {0}")]
    Build(#[from] aho_corasick::BuildError),
}

impl Lexicon {
    /// Builds the automaton from the embedded lists, minus `accept`, plus `extra_jargon`.
    pub(crate) fn build(
        accept: &[String],
        extra_jargon: &[String],
        signals: &[(&[&str], Category)],
    ) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicons = toml::from_str(LEXICONS_TOML)?;
        let accepted: Vec<String> = accept.iter().map(|a| a.trim().to_ascii_lowercase()).collect();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut add = |phrase: &str, category: Category, suggestion: &str| {
            let key = phrase.trim().to_ascii_lowercase();
            if key.is_empty() || accepted.contains(&key) {
                return;
            }
            let suggestion = (!suggestion.is_empty()).then(|| suggestion.to_owned());
            let i = *by_key.entry(key).or_insert_with(|| {
                entries.push(Entry { phrase: phrase.trim().to_owned(), categories: Vec::new() });
                entries.len() - 1
            });
            entries[i].categories.push((category, suggestion));
        };
        let lists: [(&BTreeMap<String, String>, Category); 9] = [
            (&raw.jargon.technical, Category::Jargon(lexicon_bits::TECHNICAL)),
            (&raw.jargon.internal, Category::Jargon(lexicon_bits::INTERNAL)),
            (&raw.jargon.buzzwords, Category::Jargon(lexicon_bits::BUZZWORDS)),
            (&raw.fluff, Category::Fluff),
            (&raw.hedge, Category::Hedge),
            (&raw.vague_time, Category::VagueTime),
            (&raw.vague_claim, Category::VagueClaim),
            (&raw.blame, Category::Blame),
            (&raw.filler, Category::Filler),
        ];
        for (list, category) in lists {
            for (phrase, suggestion) in list {
                add(phrase, category, suggestion);
            }
        }
        for (list, category) in signals {
            for phrase in *list {
                add(phrase, *category, "");
            }
        }
        for term in extra_jargon {
            add(term, Category::Jargon(lexicon_bits::CUSTOM), "");
        }
        // Lowercase patterns, searched in an ASCII-lowercased copy of the text:
        // the same matches as an ASCII case-insensitive automaton, with half
        // the byte classes, so the transition table stays in cache.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(entries.iter().map(|e| e.phrase.to_ascii_lowercase()))?;
        Ok(Lexicon { ac, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_compile_and_accept_removes_terms() {
        let all = Lexicon::build(&[], &[], &[]).unwrap();
        assert!(all.entries.iter().any(|e| e.phrase == "latency"));
        let fewer = Lexicon::build(&["Latency".to_owned()], &["blockchain".to_owned()], &[]).unwrap();
        assert!(!fewer.entries.iter().any(|e| e.phrase == "latency"));
        assert!(fewer.entries.iter().any(|e| e.phrase == "blockchain"));
    }
}
