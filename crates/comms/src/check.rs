//! The checker: runs every rule over a scanned document for one audience.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::audience::{self, Audiences, KindProfile, Profile, lexicon_bits};
use crate::config::Config;
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::lexicon::{Category, Lexicon};
use crate::model::{Audience, Kind, Report, Rule, Severity};
use crate::score;
use crate::span::LineIndex;
use crate::text::{BlockKind, Doc, Sentence, TextFormat, sentence_flags};

/// What to check a message for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// The audience; `None` uses the configured default, else `peer`.
    pub audience: Option<Audience>,
    /// The kind; `None` uses the configured default, else the audience's
    /// usual kind (a reply for customers), else no assumption.
    pub kind: Option<Kind>,
    /// How to read the text.
    pub format: TextFormat,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { audience: None, kind: None, format: TextFormat::Markdown }
    }
}

impl CheckOptions {
    /// Options for an audience, Markdown input, no kind.
    pub fn for_audience(audience: Audience) -> CheckOptions {
        CheckOptions { audience: Some(audience), ..CheckOptions::default() }
    }

    /// The same options with a kind.
    pub fn kind(mut self, kind: Kind) -> CheckOptions {
        self.kind = Some(kind);
        self
    }

    /// The same options with a text format.
    pub fn format(mut self, format: TextFormat) -> CheckOptions {
        self.format = format;
        self
    }
}

/// The checker could not be built from its data or a configuration.
#[derive(Debug, thiserror::Error)]
pub enum CheckerError {
    /// The audiences file is broken.
    #[error(transparent)]
    Audiences(#[from] crate::audience::AudiencesError),
    /// A word list is broken.
    #[error(transparent)]
    Lexicon(#[from] crate::lexicon::LexiconError),
}

const ACKNOWLEDGE: &[&str] = &[
    "thank you",
    "thanks",
    "sorry",
    "apologise",
    "apologize",
    "apologies",
    "i understand",
    "we understand",
    "i can see",
    "i hear you",
    "i know how",
    "that sounds",
    "must have been",
    "frustrating",
    "i appreciate",
    "we appreciate",
    "you're right",
    "you are right",
    "good question",
    "great question",
    "fair point",
    "understandable",
    "understandably",
    "i can imagine",
    "i realise",
    "i realize",
    "we realise",
    "we realize",
    "not the experience",
    "you've been waiting",
    "you have been waiting",
    "i get it",
    "i'm glad you",
    "glad you asked",
];

const FYI: &[&str] = &[
    "fyi",
    "for your information",
    "no action needed",
    "no action required",
    "nothing needed from you",
    "no ask",
    "heads-up",
    "heads up",
    "for awareness",
    "no reply needed",
    "no need to reply",
    "no action is needed",
    "nothing to do",
    "no decision needed",
];

/// The audience-aware message checker. Build it once and share it: checking
/// takes `&self`, and a `Checker` is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Checker {
    audiences: Audiences,
    lexicon: Lexicon,
    /// Per audience: every acronym it knows (everyone's, its own and the accepted ones).
    known_acronyms: Vec<FxHashSet<String>>,
    config: Config,
}

impl Checker {
    /// A checker with the built-in audiences and word lists.
    pub fn new() -> Checker {
        // The embedded data is checked by this crate's tests.
        Checker::with_config(&Config::default()).expect("the embedded audiences and word lists are valid")
    }

    /// A checker with a `.pmcoach.toml` applied: rule levels, accepted
    /// vocabulary, extra jargon, audience overrides and defaults.
    pub fn with_config(config: &Config) -> Result<Checker, CheckerError> {
        let mut audiences = Audiences::embedded()?;
        audiences.apply(config);
        let signals: [(&[&str], Category); 2] = [(ACKNOWLEDGE, Category::Acknowledge), (FYI, Category::Fyi)];
        let lexicon = Lexicon::build(&config.accept, &config.jargon, &signals)?;
        let accepted: HashSet<String> = config.accept.iter().map(|a| a.trim().to_ascii_uppercase()).collect();
        let known_acronyms = audiences
            .profiles
            .iter()
            .map(|p| {
                let mut set: FxHashSet<String> = accepted.iter().cloned().collect();
                set.extend(audiences.everyone_acronyms.iter().map(|a| a.to_ascii_uppercase()));
                set.extend(p.known_acronyms.iter().map(|a| a.to_ascii_uppercase()));
                set
            })
            .collect();
        Ok(Checker { audiences, lexicon, known_acronyms, config: config.clone() })
    }

    /// The configuration this checker was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The audience used when the options name none.
    pub fn default_audience(&self) -> Audience {
        self.config.audience.unwrap_or(Audience::Peer)
    }

    /// The word budget and reading-grade target of an audience (after configuration).
    pub fn targets(&self, audience: Audience) -> (u32, f64) {
        let p = self.audiences.profile(audience);
        (p.word_budget, p.reading_grade)
    }

    /// Checks one message.
    pub fn check(&self, text: &str, options: &CheckOptions) -> Report {
        let audience = options.audience.unwrap_or_else(|| self.default_audience());
        let profile = self.audiences.profile(audience);
        let kind = options.kind.or(self.config.kind).or(profile.default_kind);
        let doc = Doc::scan(text, options.format, self.lexicon.first_words.as_ref());
        let mut run = Run {
            checker: self,
            doc: &doc,
            profile,
            kind,
            kind_profile: kind.map(|k| self.audiences.kind(k)),
            audience,
            raw: Vec::new(),
            acknowledged: false,
            fyi: false,
        };
        run.all();
        let mut raw = run.raw;
        raw.sort_by_key(|f| (f.start, f.end, f.rule));
        let mut index = LineIndex::new(text);
        let findings = raw
            .into_iter()
            .map(|f| crate::model::Finding {
                rule: f.rule,
                severity: f.severity,
                message: f.message,
                span: index.span(f.start, f.end),
                suggestion: f.suggestion,
            })
            .collect();
        let grade = doc.reading_grade();
        score::report(audience, kind, profile, &doc, grade, findings)
    }
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new()
    }
}

struct RawFinding {
    rule: Rule,
    severity: Severity,
    start: usize,
    end: usize,
    message: String,
    suggestion: Option<String>,
}

struct Run<'c, 'd> {
    checker: &'c Checker,
    doc: &'d Doc<'d>,
    profile: &'c Profile,
    kind: Option<Kind>,
    kind_profile: Option<&'c KindProfile>,
    audience: Audience,
    raw: Vec<RawFinding>,
    /// The reader's situation is acknowledged somewhere.
    acknowledged: bool,
    /// The message says no action is needed.
    fyi: bool,
}

/// The pieces joined, allocated once at the exact size (messages are built
/// for every finding, tens of thousands on a large corpus).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `format!` into a buffer with room for `extra` bytes beyond the literal text.
fn format_with(extra: usize, args: std::fmt::Arguments<'_>) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(extra + 64);
    let _ = out.write_fmt(args);
    out
}

fn lower_prefix(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_lowercase()
}

/// The nearest char boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first bytes of `text`, ASCII-lowercased, in `buf` (cut at a char boundary).
fn ascii_lower_prefix<'b>(text: &str, buf: &'b mut [u8; 64]) -> &'b str {
    let end = floor_boundary(text, text.len().min(buf.len()));
    let out = &mut buf[..end];
    out.copy_from_slice(&text.as_bytes()[..end]);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}

/// [`Run::acronyms`]' lookup for a candidate too long for its stack buffer.
#[cold]
fn known_long(set: &FxHashSet<String>, a: &str) -> bool {
    let up = a.to_ascii_uppercase();
    up.strip_suffix('S').filter(|c| c.len() >= 2).is_some_and(|c| set.contains(c))
}

fn is_word_char_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

fn is_word_char_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether the whitespace-delimited token around `start..end` is a URL or an address.
fn in_url(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let s = bytes[..start].iter().rposition(u8::is_ascii_whitespace).map_or(0, |p| p + 1);
    let e = bytes[end..].iter().position(u8::is_ascii_whitespace).map_or(bytes.len(), |p| end + p);
    let token = &bytes[s..e];
    token.contains(&b'@') || memchr::memmem::find(token, b"://").is_some() || token.starts_with(b"www.")
}

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const DATE_PHRASES: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "this week",
    "next week",
    "this month",
    "next month",
    "end of day",
    "eod",
    "eow",
    "end of week",
    "end of the week",
    "end of the day",
    "end of month",
    "end of the month",
    "this afternoon",
    "this morning",
    "this evening",
    "noon",
    "midday",
    "by the end of",
    "before the meeting",
    "before the launch",
    "before the call",
    "before standup",
    "before the standup",
    "before the review",
    "before the demo",
    "before the release",
    "before the board",
    "before the offsite",
    "before we ",
    "before our ",
    "next sprint",
    "this sprint",
    "this quarter",
    "next quarter",
    "the end of q",
    "within the hour",
    "within a day",
    "within a week",
];

/// Whether a sentence names a date or time.
fn has_date(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    if DATE_PHRASES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '/' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c| c == ':' || c == '/' || c == '-');
        if WEEKDAYS.contains(&w) || (MONTHS.contains(&w) && w != "may") {
            return true;
        }
        if w == "may" && words.get(i + 1).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) {
            return true;
        }
        let digits = w.chars().filter(char::is_ascii_digit).count();
        if digits > 0 {
            // 5/12, 2026-12-05, 3pm, 15:00, q3, h2
            if w.contains('/') || w.contains(':') || (w.contains('-') && digits >= 6) {
                return true;
            }
            if w.ends_with("am") || w.ends_with("pm") {
                return true;
            }
            if (w.starts_with('q') || w.starts_with('h')) && w.len() == 2 {
                return true;
            }
            // "in 3 days", "within 2 weeks"
            if let Some(unit) = words.get(i + 1)
                && i > 0
                && matches!(words[i - 1], "in" | "within" | "next")
                && matches!(
                    unit.trim_end_matches('s'),
                    "day" | "week" | "hour" | "business day" | "working day" | "month" | "minute"
                )
            {
                return true;
            }
        }
        if matches!(w, "one" | "two" | "three" | "four" | "five" | "a")
            && i > 0
            && matches!(words[i - 1], "in" | "within")
            && words.get(i + 1).is_some_and(|u| matches!(u.trim_end_matches('s'), "day" | "week" | "hour"))
        {
            return true;
        }
    }
    false
}

const ASK_STARTS: &[&str] = &[
    "can you",
    "could you",
    "would you",
    "will you",
    "can we get",
    "could we get",
    "can i get",
    "could i get",
    "can someone",
    "could someone",
    "can anyone",
    "could anyone",
    "would anyone",
    "would someone",
    "please",
    "kindly",
    "i need you",
    "i need your",
    "we need you",
    "we need your",
    "i'd like you",
    "i would like you",
    "let me know",
    "let us know",
    "tell me",
    "send me",
    "ask:",
    "the ask",
    "my ask",
    "our ask",
    "action:",
    "action needed",
    "action required",
    "decision needed",
    "request:",
    "i'm asking",
    "i am asking",
    "we're asking",
    "we are asking",
    "i'd appreciate",
    "i would appreciate",
    "it would be great if",
    "it would help if",
    "would it be possible",
    "is it possible",
    "someone needs to",
    "someone should",
    "we need someone",
    "i need a decision",
    "i need an answer",
    "i need a",
    "we need a decision",
    "we need an answer",
    "we need a yes",
    "i need a yes",
    "need your",
    "are you able",
    "do you have time",
    "do you have a few",
    "would you be able",
    "could you please",
    "i was wondering if you",
    "i wonder if you",
    "would you mind",
];

const IMPERATIVES: &[&str] = &[
    "approve",
    "review",
    "confirm",
    "decide",
    "sign",
    "reply",
    "send",
    "share",
    "pick",
    "choose",
    "book",
    "schedule",
    "join",
    "add",
    "fill",
    "vote",
    "merge",
    "comment",
    "respond",
    "forward",
    "flag",
    "give",
    "tell",
    "read",
    "test",
    "try",
    "check",
    "update",
    "raise",
    "email",
    "call",
    "ping",
    "assign",
    "prioritise",
    "prioritize",
    "estimate",
    "grab",
    "bring",
    "put",
    "submit",
    "register",
    "complete",
];

const NO_OWNER: &[&str] = &[
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "it would be great if",
    "it would help if",
    "would it be possible",
    "is it possible",
    "needs to be",
    "need to be",
    "should be done",
    "we need someone",
];

/// What a sentence's first word can begin: [`ASK_STARTS`] that start with
/// it, and whether it is one of the [`IMPERATIVES`]. One lookup per sentence.
#[derive(Debug, Default)]
struct FirstWord {
    asks: Vec<&'static str>,
    imperative: bool,
}

static FIRST_WORDS: LazyLock<FxHashMap<&'static str, FirstWord>> = LazyLock::new(|| {
    let mut map: FxHashMap<&str, FirstWord> = FxHashMap::default();
    for p in ASK_STARTS {
        let first = p.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        map.entry(first).or_default().asks.push(p);
    }
    for w in IMPERATIVES {
        map.entry(w).or_default().imperative = true;
    }
    map
});

/// What a sentence asks for, if it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// Addressed to the reader (imperative, "can you", "please").
    Owned,
    /// Nobody in particular ("someone needs to", "it would be great if").
    Unowned,
    /// A bare imperative ("Review the doc."): an ask in a request, an
    /// instruction in a how-to reply.
    Imperative,
}

/// "Priya", "Hey Omar", "@sam": a name or a greeting and a name before a comma.
fn is_name_prefix(prefix: &str) -> bool {
    let words: Vec<&str> = prefix.split(' ').collect();
    words.len() <= 2 && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase() || c == '@'))
}

fn classify_ask(sentence: &str, flags: u8) -> Option<Ask> {
    let trimmed = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut buf = [0u8; 64];
    let lower = ascii_lower_prefix(trimmed, &mut buf);
    // "Priya, can you …" / "@sam please …": skip a leading name and comma.
    let comma = lower.as_bytes().iter().take(24).position(|&b| b == b',');
    let body = match comma {
        Some(i) if lower.as_bytes().get(i + 1) == Some(&b' ') && is_name_prefix(&trimmed[..i]) => &lower[i + 2..],
        _ => lower,
    };
    let first_word: &str = body.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let known = FIRST_WORDS.get(first_word);
    let starts = known.is_some_and(|k| k.asks.iter().any(|p| body.starts_with(p)));
    let imperative = known.is_some_and(|k| k.imperative)
        && !body[first_word.len()..].starts_with(':')
        && !body[first_word.len()..].starts_with("s ")
        && !body[first_word.len()..].starts_with("ed");
    let question_to_you = sentence.trim_end().ends_with('?')
        && flags & sentence_flags::YOU != 0
        && (lower.starts_with("can")
            || lower.starts_with("could")
            || lower.starts_with("would")
            || lower.starts_with("will")
            || lower.starts_with("do you")
            || lower.starts_with("are you")
            || body.starts_with("can you")
            || body.starts_with("could you"));
    let please = flags & sentence_flags::PLEASE != 0 && !sentence.to_ascii_lowercase().contains("please note");
    if !(starts || imperative || question_to_you || please) {
        return None;
    }
    if imperative && !(starts || question_to_you || please) {
        return Some(Ask::Imperative);
    }
    let full = sentence.to_lowercase();
    if NO_OWNER.iter().any(|p| full.contains(p)) && flags & sentence_flags::YOU == 0 {
        return Some(Ask::Unowned);
    }
    if imperative && !(starts || question_to_you || please) {
        return Some(Ask::Imperative);
    }
    Some(Ask::Owned)
}

const GREETINGS: &[&str] = &["hi", "hello", "hey", "dear", "good morning", "good afternoon", "morning", "team", "all"];

const BLUF_MARKERS: &[&str] = &[
    "tl;dr",
    "tldr",
    "tl:dr",
    "summary",
    "in short",
    "bottom line",
    "short version",
    "the short answer",
    "decision:",
    "ask:",
    "the ask",
    "recommendation",
    "headline",
    "bluf",
    "key point",
    "status:",
    "update:",
    "short answer",
    "in one line",
    "the gist",
    "quick summary",
    "executive summary",
    "what we need",
    "decision needed",
];

const POINT_SIGNALS: &[&str] = &[
    "decided",
    "decision",
    "recommend",
    "propose",
    "approve",
    "approval",
    "on track",
    "at risk",
    "off track",
    "delayed",
    "slip",
    "late",
    "blocked",
    "shipped",
    "launched",
    "is live",
    "went live",
    "ready",
    "is done",
    "are done",
    "complete",
    "need",
    "will ",
    "won't",
    "going to",
    "good news",
    "bad news",
    "we're moving",
    "moving to",
    "cancel",
    "pause",
    "hit ",
    "missed",
    "exceeded",
    "grew",
    "dropped",
    "fell",
    "rose",
    "up ",
    "down ",
    "%",
    "fixed",
    "resolved",
    "answer",
    "yes",
    "no,",
    "can't",
    "cannot",
    "ask",
    "want",
    "plan is",
    "we are ",
    "we're ",
    "is back",
    "are back",
    "restored",
    "you can",
    "you will",
    "you'll",
    "you get",
    "introducing",
];

const BACKGROUND_OPENERS: &[&str] = &[
    "as you know",
    "as you may know",
    "as you might know",
    "some background",
    "background",
    "context",
    "a bit of context",
    "to give some context",
    "for context",
    "a few weeks ago",
    "a few months ago",
    "last quarter",
    "last year",
    "last month",
    "over the past",
    "over the last",
    "back in",
    "historically",
    "when we started",
    "i wanted to give",
    "i wanted to share",
    "i wanted to provide",
    "i wanted to walk",
    "i hope",
    "hope you",
    "i've been thinking",
    "as part of",
    "first, some",
    "let me start",
    "to start with",
    "before i get to",
    "it has been",
    "it's been",
    "over the years",
    "since the start",
    "a while ago",
    "recently,",
];

impl<'c, 'd> Run<'c, 'd> {
    fn severity(&self, rule: Rule) -> Option<Severity> {
        audience::severity(self.profile, self.kind_profile, rule)
    }

    fn reason(&self, rule: Rule) -> &str {
        &self.profile.reasons[rule.index()]
    }

    fn emit(&mut self, rule: Rule, start: usize, end: usize, message: String, suggestion: Option<String>) {
        let Some(severity) = self.severity(rule) else { return };
        if self.doc.is_disabled(rule, start) {
            return;
        }
        self.raw.push(RawFinding { rule, severity, start, end, message, suggestion });
    }

    fn all(&mut self) {
        self.lexicon();
        self.acronyms();
        self.passive();
        self.length();
        self.paragraphs();
        self.readability();
        let sentences = self.content_sentences();
        self.bluf(&sentences);
        self.ask(&sentences);
        self.you_focus(&sentences);
        self.acknowledge(&sentences);
    }

    fn text(&self, s: &Sentence) -> &'d str {
        &self.doc.text[s.start..s.end]
    }

    /// Sentences outside headings and greetings, in order.
    fn content_sentences(&self) -> Vec<Sentence> {
        let doc = self.doc;
        let mut out = Vec::new();
        for (bi, block) in doc.blocks.iter().enumerate() {
            if block.kind == BlockKind::Heading && !self.is_bluf_marker_block(bi) {
                continue;
            }
            for s in &doc.sentences[block.sentences.clone()] {
                if out.is_empty() && s.words <= 6 {
                    let lower = lower_prefix(self.text(s), 40);
                    let first = lower.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                    if GREETINGS.iter().any(|g| lower.starts_with(g) && (first.len() == g.len() || g.contains(' '))) {
                        continue;
                    }
                }
                out.push(*s);
            }
        }
        out
    }

    fn is_bluf_marker_block(&self, bi: usize) -> bool {
        let block = &self.doc.blocks[bi];
        let text = &self.doc.text[block.start(self.doc)..block.end(self.doc)];
        let lower = lower_prefix(text.trim_start_matches(|c: char| !c.is_alphanumeric()), 40);
        BLUF_MARKERS.iter().any(|m| lower.starts_with(m))
    }

    fn lexicon(&mut self) {
        let doc = self.doc;
        let text = doc.text;
        let lexicon = &self.checker.lexicon;
        let mut seg = 0;
        let mut seen_jargon: FxHashSet<String> = FxHashSet::default();
        // Matches in text order, as a leftmost-longest search finds them. With
        // the scan's word starts, only those places are searched (anchored);
        // a match elsewhere starts inside a word and never counts.
        let mut starts = doc.lexicon_starts.as_deref().unwrap_or(&[]).iter();
        let mut searched_to = 0;
        let mut all = doc.lexicon_starts.is_none().then(|| lexicon.find_all(text));
        loop {
            let m = match &mut all {
                Some(iter) => iter.next(),
                None => {
                    let Some(&at) = starts.by_ref().find(|&&at| at >= searched_to) else { break };
                    lexicon.longest_at(text, at)
                }
            };
            let Some((s, e, entry)) = m else {
                if all.is_some() {
                    break;
                }
                continue;
            };
            searched_to = e;
            while seg < doc.segs.len() && doc.segs[seg].end < e {
                seg += 1;
            }
            let Some(range) = doc.segs.get(seg) else { break };
            if range.start > s || is_word_char_before(text, s) || is_word_char_after(text, e) || in_url(text, s, e) {
                continue;
            }
            let entry = &lexicon.entries[entry];
            for (c, _) in &entry.categories {
                match c {
                    Category::Acknowledge => self.acknowledged = true,
                    Category::Fyi => self.fyi = true,
                    _ => {}
                }
            }
            let applicable = entry.categories.iter().filter(|(c, _)| match c {
                Category::Acknowledge | Category::Fyi => false,
                Category::Jargon(bits) => {
                    bits & (self.profile.lexicons | lexicon_bits::CUSTOM) != 0 && self.severity(Rule::Jargon).is_some()
                }
                other => self.severity(other.rule()).is_some(),
            });
            let priority = |c: &Category| match c {
                Category::Blame => 0,
                Category::Jargon(_) => 1,
                Category::VagueTime => 2,
                Category::VagueClaim => 3,
                Category::Fluff => 4,
                Category::Hedge => 5,
                Category::Filler => 6,
                Category::Acknowledge | Category::Fyi => 7,
            };
            let Some((category, suggestion)) = applicable.min_by_key(|(c, _)| priority(c)) else { continue };
            let found = &text[s..e];
            let rule = category.rule();
            if self.excluded(*category, found, s, e) {
                continue;
            }
            if rule == Rule::Jargon
                && (!seen_jargon.insert(found.to_ascii_lowercase())
                    || self.checker.known_acronyms[self.audience as usize].contains(&found.to_ascii_uppercase()))
            {
                continue;
            }
            let label = &self.profile.label;
            let reason = self.reason(rule);
            let message = match category {
                Category::Jargon(_) => concat(&["\"", found, "\" is jargon for ", label, ": ", reason]),
                Category::Fluff => concat(&["\"", found, "\" is hype: ", reason]),
                Category::Hedge => concat(&["\"", found, "\" hedges: ", reason]),
                Category::VagueTime => concat(&["\"", found, "\" is not a time: ", reason]),
                Category::VagueClaim => concat(&["\"", found, "\" is an unquantified claim: ", reason]),
                Category::Blame => concat(&["\"", found, "\" reads as blame or talking down: ", reason]),
                Category::Filler => concat(&["\"", found, "\" is filler: ", reason]),
                Category::Acknowledge | Category::Fyi => continue,
            };
            let suggestion = suggestion.clone().or_else(|| match category {
                Category::Filler => Some(format!("drop \"{found}\"")),
                Category::Jargon(_) => Some("say it in words this audience uses every day".to_owned()),
                _ => None,
            });
            self.emit(rule, s, e, message, suggestion);
        }
    }

    /// Context that turns a list match into a false alarm.
    fn excluded(&self, category: Category, found: &str, s: usize, e: usize) -> bool {
        if !matches!(
            category,
            Category::Hedge | Category::Filler | Category::VagueTime | Category::VagueClaim | Category::Blame
        ) {
            return false;
        }
        let lower = found.to_ascii_lowercase();
        let lower = lower.as_str();
        if !matches!(lower, "kind of" | "sort of" | "just" | "very" | "soon" | "simply")
            && category != Category::VagueClaim
        {
            return false;
        }
        let text = self.doc.text;
        let before = lower_prefix(&text[floor_boundary(text, s.saturating_sub(24))..s], 24);
        let before = before.trim_end();
        let prev = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        let after = lower_prefix(&text[e..], 24);
        let after = after.trim_start();
        let next = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        match category {
            Category::Hedge if lower == "kind of" || lower == "sort of" => matches!(
                prev,
                "what"
                    | "this"
                    | "that"
                    | "a"
                    | "the"
                    | "any"
                    | "which"
                    | "same"
                    | "one"
                    | "some"
                    | "every"
                    | "new"
                    | "right"
                    | "first"
                    | "that's"
                    | "no"
                    | "each"
                    | "other"
            ),
            Category::Filler if lower == "just" => matches!(next, "as" | "in" | "like"),
            Category::Filler if lower == "very" => matches!(next, "same" | "first" | "last" | "end" | "beginning"),
            Category::VagueTime if lower == "soon" => prev == "as" && next == "as",
            Category::VagueClaim => {
                let Some(sentence) = self.doc.sentence_at(s) else { return false };
                let t = &text[sentence.start..sentence.end];
                t.bytes().any(|b| b.is_ascii_digit())
                    || ["percent", "twice", "half", "double", "triple", "x faster"].iter().any(|w| t.contains(w))
            }
            Category::Blame if lower == "simply" => {
                !matches!(
                    next,
                    "click" | "go" | "open" | "run" | "do" | "use" | "follow" | "select" | "type" | "restart" | "read"
                ) && prev != "you"
            }
            _ => false,
        }
    }

    fn acronyms(&mut self) {
        if self.severity(Rule::Jargon).is_none() {
            return;
        }
        let doc = self.doc;
        let text = doc.text;
        let defined: FxHashSet<&str> =
            doc.defined_acronyms.iter().map(|r| text[r.clone()].trim_end_matches('s')).collect();
        let mut reported: FxHashSet<&str> = FxHashSet::default();
        let existing: Vec<(usize, usize)> =
            self.raw.iter().filter(|f| f.rule == Rule::Jargon).map(|f| (f.start, f.end)).collect();
        let checker = self.checker;
        let set = &checker.known_acronyms[self.audience as usize];
        let known = |a: &str| {
            // Acronym candidates are ASCII and at most 7 bytes long.
            let mut buf = [0u8; 16];
            let up = match buf.get_mut(..a.len()) {
                Some(b) => {
                    b.copy_from_slice(a.as_bytes());
                    b.make_ascii_uppercase();
                    std::str::from_utf8(b).unwrap_or("")
                }
                None => return set.contains(&a.to_ascii_uppercase()) || known_long(set, a),
            };
            let core = up.strip_suffix('S').filter(|c| c.len() >= 2);
            let is = |x: &str| set.contains(x);
            is(up) || core.is_some_and(is)
        };
        for r in &doc.acronyms {
            let a = &text[r.clone()];
            let core = if a.len() > 2 && a.ends_with('s') { &a[..a.len() - 1] } else { a };
            if known(a) || defined.contains(core) || reported.contains(core) {
                continue;
            }
            reported.insert(core);
            if existing.iter().any(|&(s, e)| s < r.end && r.start < e) {
                continue;
            }
            let message = concat(&[
                "\"",
                a,
                "\" is never spelled out: ",
                "an acronym the reader has to guess stops them; spell it out on first use",
            ]);
            let suggestion = concat(&["write it out the first time: \"<full name> (", core, ")\""]);
            self.emit(Rule::Jargon, r.start, r.end, message, Some(suggestion));
        }
    }

    fn passive(&mut self) {
        if self.severity(Rule::Passive).is_none() {
            return;
        }
        let doc = self.doc;
        for r in &doc.passives {
            let found = &doc.text[r.clone()];
            let message = concat(&["\"", found, "\" is passive voice: ", self.reason(Rule::Passive)]);
            let suggestion = Some("say who acts: \"we fixed the bug\" rather than \"the bug was fixed\"".to_owned());
            self.emit(Rule::Passive, r.start, r.end, message, suggestion);
        }
    }

    fn budget(&self) -> usize {
        let factor = self.kind_profile.map_or(1.0, |k| k.budget_factor);
        (self.profile.word_budget as f64 * factor).round() as usize
    }

    fn length(&mut self) {
        let budget = self.budget();
        let words = self.doc.words;
        if words <= budget || self.severity(Rule::Length).is_none() {
            return;
        }
        let mut seen = 0usize;
        let Some(s) = self.doc.sentences.iter().find(|s| {
            seen += s.words as usize;
            seen > budget
        }) else {
            return;
        };
        let message = format!(
            "{words} words, over the {budget}-word budget for {}: {}",
            self.profile.label,
            self.reason(Rule::Length)
        );
        let suggestion = Some(format!(
            "cut to {budget} words: keep the point, the ask and the facts that support them; link to the detail"
        ));
        self.emit(Rule::Length, s.start, s.end, message, suggestion);
    }

    fn paragraphs(&mut self) {
        if self.severity(Rule::Paragraph).is_none() {
            return;
        }
        let max = self.profile.paragraph_max_words;
        let doc = self.doc;
        for block in &doc.blocks {
            if !matches!(block.kind, BlockKind::Paragraph | BlockKind::Other) || block.words <= max {
                continue;
            }
            let Some(first) = doc.sentences.get(block.sentences.start) else { continue };
            let (label, reason) = (&self.profile.label, self.reason(Rule::Paragraph));
            let message = format_with(
                label.len() + reason.len(),
                format_args!("A {}-word paragraph; {label} take in about {max} at a time: {reason}", block.words),
            );
            let suggestion = Some("break it up: one point per bullet, the most important first".to_owned());
            self.emit(Rule::Paragraph, first.start, first.end, message, suggestion);
        }
    }

    fn readability(&mut self) {
        if self.severity(Rule::Readability).is_none() {
            return;
        }
        let doc = self.doc;
        let target = self.profile.reading_grade;
        let grade = doc.reading_grade();
        let counted = doc.sentences.iter().filter(|s| s.words > 2).count();
        let sentence_grade = |s: &Sentence| {
            0.39 * f64::from(s.words) + 11.8 * f64::from(s.syllables) / f64::from(s.words.max(1)) - 15.59
        };
        let mut hardest: Option<&Sentence> = None;
        if doc.words >= 40 && counted >= 2 && grade > target + 0.5 {
            hardest = doc
                .sentences
                .iter()
                .filter(|s| s.words >= 5)
                .max_by(|a, b| sentence_grade(a).total_cmp(&sentence_grade(b)));
            if let Some(s) = hardest {
                let message = format!(
                    "Reading grade {grade:.1}, above the target of {target:.0} for {}: {}",
                    self.profile.label,
                    self.reason(Rule::Readability)
                );
                let suggestion =
                    Some("shorten the marked sentence first: split it, and trade long words for short ones".to_owned());
                self.emit(Rule::Readability, s.start, s.end, message, suggestion);
            }
        }
        let max = self.profile.sentence_max_words;
        for s in &doc.sentences {
            if s.words <= max || hardest.is_some_and(|h| h.start == s.start) {
                continue;
            }
            let (label, reason) = (&self.profile.label, self.reason(Rule::Readability));
            let message = format_with(
                label.len() + reason.len(),
                format_args!("A {}-word sentence; {label} read best under {max}: {reason}", s.words),
            );
            self.emit(Rule::Readability, s.start, s.end, message, Some("split it in two".to_owned()));
        }
    }

    fn bluf(&mut self, sentences: &[Sentence]) {
        if self.doc.words < self.profile.bluf_min_words as usize || self.severity(Rule::Bluf).is_none() {
            return;
        }
        let Some(first) = sentences.first() else { return };
        // A TL;DR or summary in the first two blocks that have content.
        let first_blocks: Vec<u32> = {
            let mut v: Vec<u32> = sentences.iter().map(|s| s.block).collect();
            v.dedup();
            v.truncate(2);
            v
        };
        if first_blocks.iter().any(|&b| self.is_bluf_marker_block(b as usize)) {
            return;
        }
        let lower = lower_prefix(self.text(first), 300);
        let opener = BACKGROUND_OPENERS.iter().any(|o| lower.starts_with(o));
        let point =
            classify_ask(self.text(first), first.flags).is_some() || POINT_SIGNALS.iter().any(|p| lower.contains(p));
        if !opener && point {
            return;
        }
        let message = if opener {
            format!("The message opens with background, not the point: {}", self.reason(Rule::Bluf))
        } else {
            format!("The first sentence does not state the point or the ask: {}", self.reason(Rule::Bluf))
        };
        let suggestion = Some(
            "open with one line that carries the point, e.g. \"TL;DR: the launch moves to 9 March; I need your \
             go/no-go by Friday.\""
                .to_owned(),
        );
        self.emit(Rule::Bluf, first.start, first.end, message, suggestion);
    }

    fn ask(&mut self, sentences: &[Sentence]) {
        if self.severity(Rule::Ask).is_none() {
            return;
        }
        let mut any_ask = false;
        for (i, s) in sentences.iter().enumerate() {
            let text = self.text(s);
            let Some(ask) = classify_ask(text, s.flags) else { continue };
            any_ask = true;
            if ask == Ask::Imperative && self.kind != Some(Kind::Request) {
                // Steps in a how-to are instructions, not requests that need a date.
                continue;
            }
            // "Can you approve it? Ideally by Friday." carries the date in a short follow-up.
            let next_has_date = sentences.get(i + 1).is_some_and(|n| {
                let t = self.text(n);
                n.words <= 8 && has_date(t)
            });
            let dated = has_date(text) || next_has_date;
            let reason = self.reason(Rule::Ask).to_owned();
            let (what, suggestion) = match (ask, dated) {
                (Ask::Owned | Ask::Imperative, true) => continue,
                // Steps in a how-to are instructions, not requests that need a date.
                (Ask::Imperative, false) if self.kind != Some(Kind::Request) => continue,
                (Ask::Imperative, false) => {
                    ("This ask has no date", "add when you need it: \"… by Thursday 4 December\"")
                }
                (Ask::Owned, false) => ("This ask has no date", "add when you need it: \"… by Thursday 4 December?\""),
                (Ask::Unowned, true) => ("This ask has no owner", "name who: \"Priya, can you …\""),
                (Ask::Unowned, false) => {
                    ("This ask has no owner and no date", "name who and when: \"Priya, can you … by Thursday?\"")
                }
            };
            self.emit(Rule::Ask, s.start, s.end, format!("{what}: {reason}"), Some(suggestion.to_owned()));
        }
        if any_ask {
            return;
        }
        let expects = match self.kind_profile {
            Some(k) => k.expects_ask,
            None => false,
        };
        let nudge = self.kind.is_none() && self.doc.words >= 60 && self.profile.default_kind.is_none();
        if !(expects || nudge) || self.fyi {
            return;
        }
        let Some(first) = sentences.first() else { return };
        let (message, severity_note) = if expects {
            (format!("No explicit ask in this request: {}", self.reason(Rule::Ask)), "")
        } else {
            (
                format!("No ask and no \"FYI\": the reader cannot tell whether to act ({})", self.reason(Rule::Ask)),
                "; or mark it \"FYI, no action needed\"",
            )
        };
        let suggestion = Some(format!("end with one line: what you need, from whom, by when{severity_note}"));
        if !expects {
            // Without a kind this is a nudge, not a failure.
            if self.doc.is_disabled(Rule::Ask, first.start) {
                return;
            }
            self.raw.push(RawFinding {
                rule: Rule::Ask,
                severity: Severity::Info,
                start: first.start,
                end: first.end,
                message,
                suggestion,
            });
            return;
        }
        self.emit(Rule::Ask, first.start, first.end, message, suggestion);
    }

    fn you_focus(&mut self, sentences: &[Sentence]) {
        if self.severity(Rule::YouFocus).is_none() {
            return;
        }
        let (we, you) = (self.doc.we, self.doc.you);
        if we < 4 || f64::from(we) <= 1.5 * f64::from(you) {
            return;
        }
        let about_us = sentences.iter().find(|s| {
            let lower = lower_prefix(self.text(s), 12);
            ["we ", "we'", "we’", "our ", "us "].iter().any(|p| lower.starts_with(p))
        });
        let Some(s) = about_us.or(sentences.first()) else { return };
        let message = format!("Written about us ({we}× we/our/us, {you}× you/your): {}", self.reason(Rule::YouFocus));
        let suggestion = Some(
            "lead with the reader: \"You can now export in one click\" rather than \"We have launched exports\""
                .to_owned(),
        );
        self.emit(Rule::YouFocus, s.start, s.end, message, suggestion);
    }

    fn acknowledge(&mut self, sentences: &[Sentence]) {
        if self.kind != Some(Kind::Reply) || self.severity(Rule::Acknowledge).is_none() {
            return;
        }
        if self.doc.words < 15 || self.acknowledged {
            return;
        }
        let Some(first) = sentences.first() else { return };
        let message =
            format!("This reply never acknowledges the reader's situation: {}", self.reason(Rule::Acknowledge));
        let suggestion = Some(
            "open by showing you understood: \"Thanks for flagging this; losing a day of exports is frustrating.\""
                .to_owned(),
        );
        self.emit(Rule::Acknowledge, first.start, first.end, message, suggestion);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(has_date("Can you review it by Friday 5 December?"));
        assert!(has_date("by 5/12"));
        assert!(has_date("before 3pm"));
        assert!(has_date("within two weeks"));
        assert!(has_date("in 3 days"));
        assert!(has_date("by EOD"));
        assert!(!has_date("Can you review it?"));
        assert!(!has_date("We may ship the fix."));
    }

    /// The lexicon pass searches only where the scan saw a word that may
    /// start a phrase; a full search over every byte must find the same.
    #[test]
    fn word_start_search_matches_a_full_search() {
        let fast = Checker::new();
        assert!(fast.lexicon.first_words.is_some());
        let mut full = fast.clone();
        full.lexicon.first_words = None;
        let mut texts: Vec<String> = [
            "We will ship it as soon as possible, or as soon as we can. It's kind of a game-changer, a lot of \
             users say; I think it's a best-in-class, back-end-heavy, cutting-edge AI deep dive.",
            "see https://example.com/a lot of and mail a@b.co a lot of\n\nCafé a lot of naïve I think so: \
             «I think» “a lot of” — just checking in… the API (API) k8s CI/CD p95s",
            "# TL;DR: heads-up\n\n- Just wanted to say: sorry to bother you, fyi.\n- `a lot of` code <!-- a lot of -->\n\n\
             > a lot of quoted\n\n```\na lot of\n```\nx_a lot of_ thanks, dropped the ball.",
        ]
        .map(str::to_owned)
        .to_vec();
        // The labelled corpus too.
        let corpus: toml::Table =
            toml::from_str(include_str!("../tests/corpus/messages.toml")).expect("the labelled corpus parses");
        for message in corpus.get("message").and_then(|m| m.as_array()).into_iter().flatten() {
            if let Some(text) = message.get("text").and_then(|t| t.as_str()) {
                texts.push(text.to_owned());
            }
        }
        assert!(texts.len() > 60);
        for text in &texts {
            for audience in [Audience::Exec, Audience::Engineering, Audience::Customer, Audience::Peer] {
                for format in [TextFormat::Markdown, TextFormat::Plain] {
                    let options = CheckOptions::for_audience(audience).format(format);
                    assert_eq!(fast.check(text, &options), full.check(text, &options), "{audience} {format:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn asks() {
        assert_eq!(classify_ask("Can you review it?", sentence_flags::YOU), Some(Ask::Owned));
        assert_eq!(classify_ask("Priya, could you sign off on the copy?", sentence_flags::YOU), Some(Ask::Owned));
        assert_eq!(classify_ask("Someone needs to fix the importer.", 0), Some(Ask::Unowned));
        assert_eq!(classify_ask("Please approve the budget.", sentence_flags::PLEASE), Some(Ask::Owned));
        assert_eq!(classify_ask("Review the doc by Friday.", 0), Some(Ask::Imperative));
        assert_eq!(classify_ask("Reviews are done.", 0), None);
        assert_eq!(classify_ask("Update: we shipped.", 0), None);
        assert_eq!(classify_ask("The page is broken.", 0), None);
    }
}
