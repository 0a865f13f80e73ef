//! The word lists (`content/comms/lexicons.toml`) compiled into one
//! Aho–Corasick automaton, so a document is scanned for every list at once.

use std::collections::BTreeMap;
use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Input, MatchKind, StartKind};
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
    /// Every phrase, ASCII case-insensitive, leftmost-longest; anchored
    /// searches are supported too (see [`FirstWords`]).
    dfa: DFA,
    /// The first words of all phrases, when every phrase is ASCII and starts
    /// with a letter, digit or `_` (true of the built-in lists): then a match
    /// that counts can only start where the scan saw such a word begin.
    pub first_words: Option<FirstWords>,
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

/// Whether a byte is part of a word for the lexicon's boundaries: an ASCII
/// letter or digit or `_` (non-ASCII bytes are decided per character).
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A set of lowercased first words (runs of ASCII letters, digits and `_`),
/// kept as a 16,384-bit filter: no false negatives, few false positives.
/// The scan asks it at every word start, so that only the starts of a
/// possible phrase get an anchored search, instead of a pass over every byte.
#[derive(Debug, Clone)]
pub(crate) struct FirstWords {
    bits: Box<[u64; 256]>,
}

impl FirstWords {
    /// `raw`: the run's first (up to 8) bytes, little-endian, zero past them.
    #[inline(always)]
    fn index(raw: u64, run_len: usize) -> usize {
        let n = run_len.clamp(1, 8);
        // ASCII letters lowercased (digits keep their value, `_` becomes 0x7f);
        // only the first 8 bytes and the length (capped at 9) make the key.
        let lower = 0x2020_2020_2020_2020u64 >> (8 * (8 - n));
        let key = (raw | lower) ^ ((run_len.min(9) as u64) << 59);
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 50) as usize
    }

    fn raw(first: &[u8]) -> u64 {
        let n = first.len().min(8);
        let mut buf = [0u8; 8];
        buf[..n].copy_from_slice(&first[..n]);
        u64::from_le_bytes(buf)
    }

    /// Whether a word whose first bytes are `first` and whose run is
    /// `run_len` bytes long may start a phrase.
    #[inline]
    pub(crate) fn may_start(&self, first: &[u8], run_len: usize) -> bool {
        self.may_start_raw(Self::raw(&first[..run_len.min(8).min(first.len())]), run_len)
    }

    /// [`may_start`](FirstWords::may_start) with the run's first bytes as
    /// read by the scan (little-endian, zero past the run's end or 8 bytes).
    #[inline(always)]
    pub(crate) fn may_start_raw(&self, raw: u64, run_len: usize) -> bool {
        let i = Self::index(raw, run_len);
        self.bits[i >> 6] & (1 << (i & 63)) != 0
    }

    fn build(phrases: &[Entry]) -> Option<FirstWords> {
        let mut bits = Box::new([0u64; 256]);
        for e in phrases {
            let p = e.phrase.as_bytes();
            if !p.is_ascii() || !p.first().is_some_and(|&b| is_word_byte(b)) {
                return None;
            }
            let run = p.iter().take_while(|&&b| is_word_byte(b)).count();
            let i = Self::index(Self::raw(&p[..run]), run);
            bits[i >> 6] |= 1 << (i & 63);
        }
        Some(FirstWords { bits })
    }
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
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(entries.iter().map(|e| e.phrase.as_bytes()))?;
        let first_words = FirstWords::build(&entries);
        Ok(Lexicon { dfa, first_words, entries })
    }

    /// Every match in `text`, leftmost-longest and not overlapping:
    /// `(start, end, entry index)`.
    pub(crate) fn find_all<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        // An unanchored search is always supported by this automaton.
        self.dfa
            .try_find_iter(Input::new(text))
            .into_iter()
            .flatten()
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
    }

    /// What an anchored leftmost-longest search from `at` reports, as
    /// `(start, end, entry index)`, without the set-up of a general search
    /// (this runs at every possible phrase start). As in the library's own
    /// search loop, the match's start is its end minus the phrase's length:
    /// a state reached from `at` can carry a phrase that ends there but
    /// starts later ("soon" after "as soon").
    #[inline]
    pub(crate) fn longest_at(&self, text: &str, at: usize) -> Option<(usize, usize, usize)> {
        let dfa = &self.dfa;
        let mut sid = dfa.start_state(Anchored::Yes).ok()?;
        let mut best = None;
        for (i, &b) in text.as_bytes()[at..].iter().enumerate() {
            sid = dfa.next_state(Anchored::Yes, sid, b);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    let pattern = dfa.match_pattern(sid, 0);
                    let end = at + i + 1;
                    best = Some((end - dfa.pattern_len(pattern), end, pattern.as_usize()));
                }
            }
        }
        best
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
