//! The text model: which bytes of a document are prose to check, split into
//! blocks (paragraphs, headings, list items), sentences and words, with one
//! pass that gathers everything the word-level rules need.
//!
//! Code blocks, inline code, block quotes, HTML, front matter, URLs and
//! e-mail addresses are never prose. Every position is a byte offset into
//! the original text, so findings map back exactly.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use crate::fxhash::FxHashSet;
use crate::lexicon::{FirstWords, is_word_byte};
use crate::model::Rule;
use crate::syllables;

/// How to read the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextFormat {
    /// CommonMark with tables, strikethrough and front matter.
    #[default]
    Markdown,
    /// Plain text: paragraphs separated by blank lines; `-`, `*` and `1.` start list items.
    Plain,
}

impl TextFormat {
    /// Guesses the format from a file name: `.txt` is plain, everything else Markdown.
    pub fn from_path(path: &str) -> TextFormat {
        let lower = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if lower == "txt" && path.contains('.') { TextFormat::Plain } else { TextFormat::Markdown }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// Indices into [`Doc::segs`].
    pub segs: Range<usize>,
    pub words: u32,
    pub sentences: Range<usize>,
}

impl Block {
    pub(crate) fn start(&self, doc: &Doc<'_>) -> usize {
        doc.segs.get(self.segs.start).map_or(0, |s| s.start)
    }
    pub(crate) fn end(&self, doc: &Doc<'_>) -> usize {
        doc.segs.get(self.segs.end.wrapping_sub(1)).map_or(0, |s| s.end)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub words: u32,
    pub syllables: u32,
    pub block: u32,
    /// [`sentence_flags`] seen in the sentence.
    pub flags: u8,
}

/// What the scan notes about a sentence for the ask rule.
pub(crate) mod sentence_flags {
    /// The word "please".
    pub const PLEASE: u8 = 1;
    /// "you" or "your".
    pub const YOU: u8 = 2;
}

/// A region where some rules are switched off by an inline comment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Disabled {
    pub start: usize,
    pub end: usize,
    pub rules: u16,
}

/// A parsed and scanned document.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub segs: Vec<Range<usize>>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub words: usize,
    pub syllables: usize,
    pub acronyms: Vec<Range<usize>>,
    pub defined_acronyms: Vec<Range<usize>>,
    pub passives: Vec<Range<usize>>,
    pub we: u32,
    pub you: u32,
    pub disabled: Vec<Disabled>,
    /// Where a word that may start a lexicon phrase begins, in order (when
    /// scanned with [`FirstWords`]): the only places a phrase match can count.
    pub lexicon_starts: Option<Vec<usize>>,
    /// Words and sentences for the Flesch–Kincaid grade.
    pub fk_words: usize,
    pub fk_sentences: usize,
}

const ALL_RULES: u16 = (1 << 15) - 1;

fn rule_mask(list: &str) -> u16 {
    let mut mask = 0;
    for name in list.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()) {
        if let Ok(rule) = Rule::parse(name) {
            mask |= 1 << rule.index();
        }
    }
    if mask == 0 { ALL_RULES } else { mask }
}

/// Finds `<!-- ... -->` comments: returns their ranges and the disabled regions.
fn scan_comments(text: &str) -> (Vec<Range<usize>>, Vec<Disabled>) {
    let mut comments = Vec::new();
    let mut disabled = Vec::new();
    let bytes = text.as_bytes();
    let mut open: [Option<usize>; 15] = [None; 15];
    let mut pos = 0;
    let finder = memmem::Finder::new("<!--");
    while let Some(found) = finder.find(&bytes[pos..]) {
        let start = pos + found;
        let body_start = start + 4;
        let Some(close) = memmem::find(&bytes[body_start..], b"-->") else { break };
        let end = body_start + close + 3;
        comments.push(start..end);
        let body = text[body_start..end.saturating_sub(3).max(body_start)].trim();
        if let Some(rest) = body.strip_prefix("pmcoach-disable-next-line") {
            let line_start = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |n| end + n + 1);
            let line_end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |n| line_start + n);
            disabled.push(Disabled { start: line_start, end: line_end, rules: rule_mask(rest) });
        } else if let Some(rest) = body.strip_prefix("pmcoach-disable") {
            let mask = rule_mask(rest);
            for (i, slot) in open.iter_mut().enumerate() {
                if mask & (1 << i) != 0 && slot.is_none() {
                    *slot = Some(end);
                }
            }
        } else if let Some(rest) = body.strip_prefix("pmcoach-enable") {
            let mask = rule_mask(rest);
            for (i, slot) in open.iter_mut().enumerate() {
                if mask & (1 << i) != 0
                    && let Some(s) = slot.take()
                {
                    disabled.push(Disabled { start: s, end: start, rules: 1 << i });
                }
            }
        }
        pos = end;
    }
    for (i, slot) in open.iter().enumerate() {
        if let Some(s) = slot {
            disabled.push(Disabled { start: *s, end: bytes.len(), rules: 1 << i });
        }
    }
    (comments, disabled)
}

/// Collects blocks and their prose segments.
struct Builder {
    segs: Vec<Range<usize>>,
    blocks: Vec<Block>,
    open: Option<(BlockKind, usize)>,
}

impl Builder {
    fn new() -> Builder {
        Builder { segs: Vec::new(), blocks: Vec::new(), open: None }
    }
    fn open(&mut self, kind: BlockKind) {
        self.close();
        self.open = Some((kind, self.segs.len()));
    }
    fn close(&mut self) {
        if let Some((kind, first)) = self.open.take()
            && self.segs.len() > first
        {
            self.blocks.push(Block { kind, segs: first..self.segs.len(), words: 0, sentences: 0..0 });
        }
    }
    fn push(&mut self, range: Range<usize>, comments: &[Range<usize>]) {
        if range.is_empty() {
            return;
        }
        if self.open.is_none() {
            self.open(BlockKind::Other);
        }
        if comments.is_empty() {
            self.segs.push(range);
            return;
        }
        // Cut comments out of the segment.
        let mut from = range.start;
        for c in comments {
            if c.end <= from || c.start >= range.end {
                continue;
            }
            if c.start > from {
                self.segs.push(from..c.start);
            }
            from = c.end;
        }
        if from < range.end {
            self.segs.push(from..range.end);
        }
    }
}

fn parse_markdown(text: &str, b: &mut Builder) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES;
    let mut skip = 0usize;
    let mut links: Vec<bool> = Vec::new();
    let mut in_item = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::MetadataBlock(_) | Tag::HtmlBlock => {
                    b.close();
                    skip += 1;
                }
                Tag::Link { link_type, .. } => {
                    let hide = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    links.push(hide);
                    skip += usize::from(hide);
                }
                Tag::Paragraph if skip == 0 => {
                    b.open(if in_item > 0 { BlockKind::ListItem } else { BlockKind::Paragraph })
                }
                Tag::Heading { .. } if skip == 0 => b.open(BlockKind::Heading),
                Tag::Item => {
                    in_item += 1;
                    if skip == 0 {
                        b.open(BlockKind::ListItem);
                    }
                }
                Tag::TableCell | Tag::FootnoteDefinition(_) if skip == 0 => b.open(BlockKind::Other),
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock => {
                    skip = skip.saturating_sub(1);
                }
                TagEnd::Link if links.pop() == Some(true) => skip = skip.saturating_sub(1),
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::FootnoteDefinition => b.close(),
                TagEnd::Item => {
                    in_item = in_item.saturating_sub(1);
                    b.close();
                }
                _ => {}
            },
            Event::Text(_) if skip == 0 => b.push(range, &[]),
            _ => {}
        }
    }
    b.close();
}

fn list_marker_len(line: &[u8]) -> Option<usize> {
    match line {
        [b'-' | b'*' | b'+', b' ', ..] => Some(2),
        [0xE2, 0x80, 0xA2, b' ', ..] => Some(4), // "• "
        _ => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            if (1..=3).contains(&digits)
                && matches!(line.get(digits), Some(b'.' | b')'))
                && line.get(digits + 1) == Some(&b' ')
            {
                Some(digits + 2)
            } else {
                None
            }
        }
    }
}

fn parse_plain(text: &str, b: &mut Builder, comments: &[Range<usize>]) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // Front matter: a first line of --- or +++ up to the same line again.
    for fence in ["---", "+++"] {
        if bytes.starts_with(fence.as_bytes()) && matches!(bytes.get(3), Some(b'\n' | b'\r')) {
            let close = memmem::find_iter(&bytes[3..], fence.as_bytes())
                .map(|i| i + 3)
                .find(|&i| bytes[i - 1] == b'\n' && matches!(bytes.get(i + 3), None | Some(b'\n' | b'\r')));
            if let Some(c) = close {
                pos = memchr::memchr(b'\n', &bytes[c..]).map_or(bytes.len(), |n| c + n + 1);
            }
        }
    }
    let mut in_fence = false;
    while pos < bytes.len() {
        let nl = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |n| pos + n);
        let mut end = nl;
        if end > pos && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &bytes[pos..end];
        let indent = line.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        let body = &line[indent..];
        let start = pos;
        pos = nl + 1;
        if in_fence {
            if body.starts_with(b"```") || body.starts_with(b"~~~") {
                in_fence = false;
            }
            continue;
        }
        if body.starts_with(b"```") || body.starts_with(b"~~~") {
            b.close();
            in_fence = true;
            continue;
        }
        if body.is_empty() || body[0] == b'>' {
            b.close();
            continue;
        }
        let mut seg_start = start + indent;
        if let Some(n) = list_marker_len(body) {
            b.open(BlockKind::ListItem);
            seg_start += n;
        } else if body[0] == b'#' {
            let hashes = body.iter().take_while(|&&c| c == b'#').count();
            if body.get(hashes) == Some(&b' ') {
                b.open(BlockKind::Heading);
                b.push(seg_start + hashes + 1..end, comments);
                b.close();
                continue;
            }
        } else if b.open.is_none() {
            b.open(BlockKind::Paragraph);
        }
        b.push(seg_start..end, comments);
    }
    b.close();
}

const ABBREVIATIONS: &[&[u8]] = &[
    b"e.g", b"i.e", b"eg", b"ie", b"vs", b"mr", b"mrs", b"ms", b"dr", b"st", b"inc", b"ltd", b"co", b"jr", b"sr",
    b"approx", b"fig", b"cf", b"al", b"etc", b"no", b"vol", b"p", b"pp",
];

fn is_be(w: &[u8]) -> bool {
    if !matches!(w.len(), 2..=5) {
        return false;
    }
    let mut buf = [0u8; 5];
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s | 0x20;
    }
    matches!(&buf[..w.len()], b"am" | b"is" | b"are" | b"was" | b"were" | b"be" | b"been" | b"being")
}

const IRREGULAR_PARTICIPLES: &[&str] = &[
    "beaten",
    "begun",
    "bitten",
    "blown",
    "bought",
    "brought",
    "built",
    "caught",
    "chosen",
    "dealt",
    "drawn",
    "driven",
    "eaten",
    "fallen",
    "felt",
    "forbidden",
    "forgiven",
    "forgotten",
    "found",
    "frozen",
    "given",
    "grown",
    "heard",
    "held",
    "hidden",
    "hit",
    "hung",
    "kept",
    "known",
    "laid",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "meant",
    "met",
    "overlooked",
    "paid",
    "put",
    "read",
    "ridden",
    "run",
    "said",
    "seen",
    "sent",
    "set",
    "shaken",
    "shown",
    "shut",
    "sold",
    "spent",
    "spoken",
    "spread",
    "stolen",
    "struck",
    "sung",
    "sworn",
    "taken",
    "taught",
    "thrown",
    "told",
    "torn",
    "understood",
    "undone",
    "withdrawn",
    "woken",
    "won",
    "worn",
    "written",
];

/// Participles that after "is/are/was" usually describe a state, not an action.
const ADJECTIVAL: &[&str] = &[
    "aligned",
    "allowed",
    "based",
    "blocked",
    "bored",
    "broken",
    "closed",
    "committed",
    "complicated",
    "concerned",
    "confused",
    "convinced",
    "crowded",
    "dedicated",
    "delighted",
    "detailed",
    "determined",
    "done",
    "engaged",
    "excited",
    "experienced",
    "finished",
    "gone",
    "interested",
    "involved",
    "limited",
    "located",
    "married",
    "needed",
    "planned",
    "pleased",
    "prepared",
    "qualified",
    "related",
    "required",
    "scheduled",
    "sophisticated",
    "supposed",
    "surprised",
    "thrilled",
    "tired",
    "used",
    "worried",
    "red",
    "bed",
    "need",
    "shed",
    "hundred",
    "sacred",
    "naked",
    "wicked",
    "rugged",
    "ragged",
    "advanced",
    "excited",
    "satisfied",
    "disappointed",
    "frustrated",
    "annoyed",
    "upset",
    "amazed",
    "impressed",
    "stuck",
    "unexpected",
    "unrelated",
    "automated",
    "dated",
    "talented",
    "armed",
    "aged",
    "skilled",
    "biased",
    "balanced",
    "distributed",
    "expected",
    "compared",
    "covered",
    "included",
    "attached",
    "entitled",
    "designed",
    "considered",
    "called",
    "named",
    "titled",
    "fixed",
    "resolved",
    "solved",
    "booked",
    "listed",
];

static IRREGULAR_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| IRREGULAR_PARTICIPLES.iter().copied().collect());
static ADJECTIVAL_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| ADJECTIVAL.iter().copied().collect());

fn is_adjectival_participle(lower: &str) -> bool {
    // "unchanged", "unexpected": un- participles are adjectives.
    ADJECTIVAL_SET.contains(lower) || (lower.starts_with("un") && lower.ends_with("ed"))
}

fn is_participle(lower: &str) -> bool {
    let regular = lower.len() >= 4 && lower.ends_with("ed") && !lower.ends_with("eed");
    (regular || IRREGULAR_SET.contains(lower)) && !is_adjectival_participle(lower)
}

fn pronoun(w: &[u8]) -> u8 {
    if w.len() > 13 {
        return 0;
    }
    // Up to the apostrophe ("we're", "you’ll").
    let cut = w.iter().position(|&b| b == b'\'' || b == 0xE2).unwrap_or(w.len());
    let w = &w[..cut];
    if w.len() > 9 || w.is_empty() {
        return 0;
    }
    if w == b"US" {
        return 0;
    }
    let mut buf = [0u8; 9];
    for (i, b) in w.iter().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    match &buf[..w.len()] {
        b"we" | b"us" | b"our" | b"ours" | b"ourselves" => 1,
        b"you" | b"your" | b"yours" | b"yourself" | b"yourselves" => 2,
        _ => 0,
    }
}

fn acronym_candidate(w: &[u8]) -> bool {
    let core = if w.len() > 2 && w[w.len() - 1] == b's' { &w[..w.len() - 1] } else { w };
    (2..=6).contains(&core.len())
        && core[0].is_ascii_uppercase()
        && core.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && core.iter().filter(|b| b.is_ascii_uppercase()).count() >= 2
}

/// A direct-mapped cache of what the scan learns about a word of 1 to 7
/// ASCII letters, digits or `_`, keyed by its exact bytes: its syllables and
/// the [`facts`] the rules look for. Both are pure functions of the bytes, so
/// the cache only saves time: prose repeats its short words, and working
/// them out costs a dozen data-dependent branches a word.
/// One per thread, kept across documents.
struct WordMemo {
    slots: MemoSlots,
}

/// `(key, facts)`: the key is the word's bytes with its length in the top byte.
type MemoSlots = Box<[(u64, u32)]>;

/// What [`WordMemo`] keeps about a word, besides its syllables (bits 0 to 4).
mod facts {
    pub const BE: u32 = 1 << 5;
    pub const WE: u32 = 1 << 6;
    pub const YOU: u32 = 1 << 7;
    pub const PLEASE: u32 = 1 << 8;
    pub const ACRONYM: u32 = 1 << 9;
    pub const LOWER: u32 = 1 << 10;
    pub const BY: u32 = 1 << 11;
}

const MEMO_BITS: u32 = 11;

thread_local! {
    static MEMO: std::cell::Cell<Option<MemoSlots>> = const { std::cell::Cell::new(None) };
}

impl WordMemo {
    fn take() -> WordMemo {
        let slots = MEMO.take().unwrap_or_else(|| vec![(0, 0); 1 << MEMO_BITS].into_boxed_slice());
        WordMemo { slots }
    }

    fn give_back(self) {
        MEMO.set(Some(self.slots));
    }

    /// The facts about `w` (1 to 7 word bytes, read as `raw`, stepped through as `g`).
    #[inline(always)]
    fn facts(&mut self, w: &[u8], raw: u64, g: syllables::Groups) -> u32 {
        // The length in the top byte (the word fills at most 7): never 0.
        let key = raw | ((w.len() as u64) << 56);
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize;
        let entry = &mut self.slots[slot];
        if entry.0 == key {
            return entry.1;
        }
        let value = word_facts(w, g);
        *entry = (key, value);
        value
    }
}

/// Syllables and [`facts`] of a word, as [`Scan::word_counted`] works them out.
#[cold]
#[inline(never)]
fn word_facts(w: &[u8], g: syllables::Groups) -> u32 {
    // At most one syllable a byte: the count fits the 5 bits.
    let mut value = g.syllables(w).min(31);
    let first = w[0];
    if matches!(first | 0x20, b'a' | b'b' | b'i' | b'w') && is_be(w) {
        value |= facts::BE;
    }
    let maybe_pronoun = matches!(first | 0x20, b'w' | b'u' | b'o' | b'y' | b'p');
    match if maybe_pronoun { pronoun(w) } else { 0 } {
        1 => value |= facts::WE,
        2 => value |= facts::YOU,
        _ => {
            if w.len() == 6 && w.eq_ignore_ascii_case(b"please") {
                value |= facts::PLEASE;
            }
        }
    }
    if first.is_ascii_uppercase() && acronym_candidate(w) {
        value |= facts::ACRONYM;
    }
    if first.is_ascii_lowercase() {
        value |= facts::LOWER;
    }
    if w.len() == 2 && w.eq_ignore_ascii_case(b"by") {
        value |= facts::BY;
    }
    value
}

/// The per-word state machine of the scan.
struct Scan<'a> {
    text: &'a str,
    first_words: Option<&'a FirstWords>,
    lexicon_starts: Vec<usize>,
    /// Short words seen before (see [`WordMemo`]).
    memo: WordMemo,
    sentences: Vec<Sentence>,
    sent_start: Option<usize>,
    sent_words: u32,
    sent_syll: u32,
    sent_flags: u8,
    last_word_end: usize,
    words: usize,
    syllables: usize,
    acronyms: Vec<Range<usize>>,
    defined: Vec<Range<usize>>,
    passives: Vec<Range<usize>>,
    be: Option<(usize, bool)>,
    adjectival: Option<Range<usize>>,
    /// Readability counts, as textstat makes them: whitespace tokens with a
    /// word in them, and sentences between terminators.
    fk_words: usize,
    fk_token: usize,
    fk_piece_token: usize,
    fk_piece: usize,
    fk_sentences: usize,
    we: u32,
    you: u32,
    block: u32,
    block_words: u32,
    block_lower: bool,
    block_acronyms_from: usize,
    prev_acronym: Option<Range<usize>>,
}

impl<'a> Scan<'a> {
    fn word(&mut self, start: usize, end: usize) {
        self.word_counted(start, end, None, None);
    }

    /// A word of 1 to 7 plain ASCII word bytes, with its facts from [`WordMemo`]:
    /// the same as [`word_counted`](Scan::word_counted) with fewer branches.
    #[inline(always)]
    fn word_known(&mut self, start: usize, end: usize, w: &[u8], known: u32) {
        let syl = known & 31;
        self.words += 1;
        self.syllables += syl as usize;
        self.sent_words += 1;
        self.sent_syll += syl;
        self.block_words += 1;
        if self.sent_start.is_none() {
            self.sent_start = Some(start);
        }
        self.last_word_end = end;
        self.block_lower |= known & facts::LOWER != 0;
        let adjectival = self.adjectival.take();
        if known & facts::BY != 0
            && let Some(r) = adjectival
        {
            self.passives.push(r.start..r.end);
        }
        if let Some((be_start, adverb_used)) = self.be.take() {
            self.after_be(be_start, adverb_used, w, end);
        }
        if known & facts::BE != 0 {
            self.be = Some((start, false));
        }
        if known & (facts::WE | facts::YOU | facts::PLEASE) != 0 {
            if known & facts::WE != 0 {
                self.we += 1;
            } else if known & facts::YOU != 0 {
                self.you += 1;
                self.sent_flags |= sentence_flags::YOU;
            } else {
                self.sent_flags |= sentence_flags::PLEASE;
            }
        }
        if known & facts::ACRONYM != 0 {
            self.acronym(start, end);
        } else {
            self.prev_acronym = None;
        }
    }

    #[inline(always)]
    fn word_counted(&mut self, start: usize, end: usize, groups: Option<syllables::Groups>, raw: Option<u64>) {
        let w = &self.text.as_bytes()[start..end];
        if let (Some(g), Some(raw)) = (groups, raw)
            && w.len() <= 7
        {
            let known = self.memo.facts(w, raw, g);
            self.word_known(start, end, w, known);
            return;
        }
        let syl = match groups {
            Some(g) => g.syllables(w),
            None => syllables::count_ascii(w),
        };
        self.words += 1;
        self.syllables += syl as usize;
        self.sent_words += 1;
        self.sent_syll += syl;
        self.block_words += 1;
        if self.sent_start.is_none() {
            self.sent_start = Some(start);
        }
        self.last_word_end = end;
        let first = w[0];
        if first.is_ascii_lowercase() {
            self.block_lower = true;
        }
        if let Some(r) = self.adjectival.take()
            && w.len() == 2
            && w.eq_ignore_ascii_case(b"by")
        {
            self.passives.push(r.start..r.end);
        }
        if let Some((be_start, adverb_used)) = self.be.take() {
            self.after_be(be_start, adverb_used, w, end);
        }
        if matches!(first | 0x20, b'a' | b'b' | b'i' | b'w') && is_be(w) {
            self.be = Some((start, false));
        }
        let maybe_pronoun = matches!(first | 0x20, b'w' | b'u' | b'o' | b'y' | b'p');
        match if maybe_pronoun { pronoun(w) } else { 0 } {
            1 => self.we += 1,
            2 => {
                self.you += 1;
                self.sent_flags |= sentence_flags::YOU;
            }
            _ => {
                if w.len() == 6 && w.eq_ignore_ascii_case(b"please") {
                    self.sent_flags |= sentence_flags::PLEASE;
                }
            }
        }
        if first.is_ascii_uppercase() && acronym_candidate(w) {
            self.acronym(start, end);
        } else {
            self.prev_acronym = None;
        }
    }

    /// Passive voice: a form of "be", at most one adverb, a past participle.
    #[cold]
    #[inline(never)]
    fn after_be(&mut self, be_start: usize, adverb_used: bool, w: &[u8], end: usize) {
        if w.len() < 3 || w.len() > 20 || !w.iter().all(u8::is_ascii_alphabetic) {
            return;
        }
        let mut buf = [0u8; 20];
        buf[..w.len()].copy_from_slice(w);
        buf[..w.len()].make_ascii_lowercase();
        let lower = std::str::from_utf8(&buf[..w.len()]).unwrap_or("");
        if is_participle(lower) {
            self.passives.push(be_start..end);
        } else if is_adjectival_participle(lower) {
            // "is broken" describes a state; "was broken by the release" is passive.
            self.adjectival = Some(be_start..end);
        } else if (lower.ends_with("ly") && !adverb_used)
            || matches!(lower, "not" | "also" | "already" | "being" | "still" | "now" | "never")
        {
            self.be = Some((be_start, true));
        }
    }

    /// An acronym candidate: defined when written "(ABC)".
    #[cold]
    #[inline(never)]
    fn acronym(&mut self, start: usize, end: usize) {
        let bytes = self.text.as_bytes();
        let in_parens = start > 0 && bytes[start - 1] == b'(' && bytes.get(end) == Some(&b')');
        if in_parens {
            self.defined.push(start..end);
        } else {
            self.acronyms.push(start..end);
        }
        self.prev_acronym = Some(start..end);
    }

    /// A sentence boundary as textstat counts them: any run of . ! ?, and
    /// the end of a list item or heading. Pieces of one or two words do not count.
    fn fk_boundary(&mut self) {
        if self.fk_piece > 2 {
            self.fk_sentences += 1;
        }
        self.fk_piece = 0;
        self.fk_piece_token = usize::MAX;
    }

    fn punctuation(&mut self) {
        self.be = None;
        self.adjectival = None;
    }

    fn end_sentence(&mut self, end: usize) {
        if let Some(start) = self.sent_start.take() {
            self.sentences.push(Sentence {
                start,
                end,
                words: self.sent_words,
                syllables: self.sent_syll,
                block: self.block,
                flags: self.sent_flags,
            });
        }
        self.sent_flags = 0;
        self.sent_words = 0;
        self.sent_syll = 0;
        self.be = None;
    }

    fn unicode_chunk(&mut self, base: usize, chunk: &str) {
        for (offset, piece) in chunk.split_word_bound_indices() {
            if piece.chars().next().is_some_and(char::is_alphanumeric) {
                self.word(base + offset, base + offset + piece.len());
            } else if !piece.chars().all(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | '“' | '‘')) {
                self.punctuation();
            }
        }
    }

    /// Whether a chunk ends a sentence: it ends in . ! ? (before closing
    /// quotes or brackets) and the dot is not an abbreviation or initial.
    fn ends_sentence(chunk: &[u8]) -> bool {
        let mut end = chunk.len();
        while end > 0 {
            match chunk[end - 1] {
                b')' | b']' | b'"' | b'\'' | b'*' | b'_' => end -= 1,
                0x9D | 0x99 if end >= 3 && chunk[end - 3] == 0xE2 && chunk[end - 2] == 0x80 => end -= 3, // ” ’
                _ => break,
            }
        }
        if end == 0 {
            return false;
        }
        match chunk[end - 1] {
            b'!' | b'?' => true,
            b'.' => {
                let body = &chunk[..end - 1];
                if body.ends_with(b".") {
                    return true; // "..."
                }
                let word_start = body.iter().rposition(|b| !b.is_ascii_alphabetic() && *b != b'.').map_or(0, |p| p + 1);
                let word = &body[word_start..];
                if word.is_empty() {
                    return !body.is_empty() && body[body.len() - 1].is_ascii_digit();
                }
                if word.len() == 1 && word[0].is_ascii_uppercase() {
                    return false; // an initial: "J. Smith"
                }
                !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
            }
            0x82 if end >= 3 && chunk[end - 3] == 0xE3 && chunk[end - 2] == 0x80 => true, // 。
            0xA6 if end >= 3 && chunk[end - 3] == 0xE2 && chunk[end - 2] == 0x80 => true, // …
            _ => false,
        }
    }

    fn segment(&mut self, range: Range<usize>, urls: &[Range<usize>], next_url: &mut usize) {
        let bytes = self.text.as_bytes();
        let end = range.end;
        let mut i = range.start;
        let mut token_start = i;
        while *next_url < urls.len() && urls[*next_url].end <= i {
            *next_url += 1;
        }
        while i < end {
            let c = bytes[i];
            let class = CLASS[c as usize];
            if class == WS {
                i += 1;
                token_start = i;
                continue;
            }
            if i == token_start && *next_url < urls.len() && urls[*next_url].start == i {
                // A URL or an e-mail address: skip the whole token.
                let url_end = urls[*next_url].end.min(end).max(i + 1);
                if self.first_words.is_some() {
                    // Phrases never count inside it, but one may start there
                    // and run past it: keep the starts, as a full search would see them.
                    self.lexicon_starts_in(i, url_end);
                }
                i = url_end;
                *next_url += 1;
                self.punctuation();
                continue;
            }
            if class == WORD {
                if self.fk_token != token_start {
                    self.fk_token = token_start;
                    self.fk_words += 1;
                }
                if self.fk_piece_token != token_start {
                    // A token split by a dot ("systemd.mount") starts the next piece too.
                    self.fk_piece_token = token_start;
                    self.fk_piece += 1;
                }
                let s = i;
                // Syllables are counted in the same pass over the word's bytes.
                let mut groups = syllables::Groups::default();
                let mut joined = false;
                // Fast path: the first 8 bytes classified at once, without a
                // branch per byte (most words are shorter than 8 letters).
                let run = word_run8(bytes, s, end);
                let mut raw = None;
                if let Some((len, vowels, word)) = run {
                    groups = syllables::Groups::from_vowel_mask(vowels, len);
                    i = s + len as usize;
                    raw = Some(word);
                    if let Some(fw) = self.first_words
                        && fw.may_start_raw(word, len as usize)
                        && self.word_start(s, range.start)
                    {
                        self.lexicon_start(s);
                    }
                } else {
                    if let Some(fw) = self.first_words {
                        let len = bytes[s..end].iter().take_while(|&&b| CLASS[b as usize] == WORD).count();
                        if fw.may_start(&bytes[s..s + len], len) && self.word_start(s, range.start) {
                            self.lexicon_start(s);
                        }
                    }
                    groups.step(c);
                    i += 1;
                }
                while i < end {
                    let b = bytes[i];
                    let k = CLASS[b as usize];
                    if k == WORD {
                        groups.step(b);
                        i += 1;
                    } else if k == JOIN && i + 1 < end && CLASS[bytes[i + 1] as usize] == WORD {
                        joined = true;
                        // "back-end", "don't": the part after the join is a word start too.
                        if self.first_words.is_some() {
                            self.lexicon_start(i + 1);
                        }
                        i += 2;
                    } else {
                        break;
                    }
                }
                if i < end && CLASS[bytes[i] as usize] == HIGH && self.letter_at(i, end) {
                    i = self.unicode_token(s, token_start, end);
                } else {
                    self.word_counted(s, i, (!joined).then_some(groups), raw);
                }
                continue;
            }
            match class {
                HIGH => {
                    // Letters go through Unicode word segmentation; punctuation
                    // and symbols (’ “ ” — • box drawing) are skipped here.
                    if self.letter_at(i, end) || !self.text.is_char_boundary(i) {
                        i = self.unicode_token(i, token_start, end);
                    } else {
                        let c = self.text[i..].chars().next().unwrap_or(' ');
                        if !matches!(c, '’' | '‘' | '“' | '”' | '«' | '»') {
                            self.punctuation();
                        }
                        i += c.len_utf8();
                    }
                }
                TERM => {
                    if i == 0 || CLASS[bytes[i - 1] as usize] != TERM {
                        self.fk_boundary();
                    }
                    let mut j = i + 1;
                    while j < end && matches!(CLASS[bytes[j] as usize], CLOSE | TERM) {
                        j += 1;
                    }
                    if (j == end || CLASS[bytes[j] as usize] == WS) && Self::ends_sentence(&bytes[token_start..j]) {
                        self.end_sentence(j);
                        i = j;
                    } else {
                        self.punctuation();
                        i += 1;
                    }
                }
                OPEN => {
                    if i == token_start
                        && let Some(r) = self.prev_acronym.take()
                    {
                        self.defined.push(r);
                    }
                    i += 1;
                }
                QUOTE | CLOSE | JOIN => i += 1,
                _ => {
                    self.punctuation();
                    i += 1;
                }
            }
        }
    }

    /// Whether the non-ASCII character at `i` is a letter or digit, or an
    /// apostrophe inside a word ("don’t"): then its token needs Unicode rules.
    fn letter_at(&self, i: usize, end: usize) -> bool {
        let Some(c) = self.text.get(i..end).and_then(|s| s.chars().next()) else { return true };
        if c.is_alphanumeric() {
            return true;
        }
        let next = i + c.len_utf8();
        c == '’'
            && i > 0
            && self.text.as_bytes()[i - 1].is_ascii_alphanumeric()
            && next < end
            && self.text.as_bytes()[next].is_ascii_alphanumeric()
    }

    /// Whether the word the scan starts at `s` (in a segment from
    /// `seg_start`) begins after a character that is not a letter, digit or `_`.
    #[inline]
    fn word_start(&self, s: usize, seg_start: usize) -> bool {
        // Inside a segment the scan only starts a word after a byte that is
        // not part of one; an ASCII byte there is then a boundary for sure.
        (s > seg_start && self.text.as_bytes()[s - 1] < 0x80) || !self.word_before(s)
    }

    /// Notes a possible phrase start (kept in order, without repeats).
    fn lexicon_start(&mut self, at: usize) {
        if self.lexicon_starts.last().is_none_or(|&l| l < at) {
            self.lexicon_starts.push(at);
        }
    }

    /// Notes every word start in `from..to` (a URL or a token with non-ASCII text).
    #[cold]
    fn lexicon_starts_in(&mut self, from: usize, to: usize) {
        let bytes = self.text.as_bytes();
        for (at, &b) in bytes.iter().enumerate().take(to).skip(from) {
            if is_word_byte(b) && !self.word_before(at) {
                self.lexicon_start(at);
            }
        }
    }

    /// Whether the character before byte `at` is a letter, digit or `_`.
    #[inline]
    fn word_before(&self, at: usize) -> bool {
        let bytes = self.text.as_bytes();
        match at.checked_sub(1).map(|p| bytes[p]) {
            None => false,
            Some(b) if b < 0x80 => is_word_byte(b),
            Some(_) => self.text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'),
        }
    }

    /// A token with non-ASCII text, from `from` (a char boundary) to the next
    /// ASCII whitespace: words by Unicode rules. Returns where it ends.
    fn unicode_token(&mut self, from: usize, token_start: usize, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut e = from;
        while e < end && CLASS[bytes[e] as usize] != WS {
            e += 1;
        }
        if self.first_words.is_some() {
            self.lexicon_starts_in(from, e);
        }
        if let Some(text) = self.text.get(from..e) {
            if self.fk_token != token_start && text.chars().any(char::is_alphanumeric) {
                self.fk_token = token_start;
                self.fk_piece_token = token_start;
                self.fk_words += 1;
                self.fk_piece += 1;
            }
            self.unicode_chunk(from, text);
        }
        if Self::ends_sentence(&bytes[token_start..e]) {
            self.end_sentence(e);
        }
        e
    }
}

const WS: u8 = 0;
const WORD: u8 = 1;
const JOIN: u8 = 2;
const TERM: u8 = 3;
const CLOSE: u8 = 4;
const OPEN: u8 = 5;
const QUOTE: u8 = 6;
const HIGH: u8 = 7;
const OTHER: u8 = 8;

/// The class of every byte, for the scan's inner loop.
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() {
            WS
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            WORD
        } else if c == b'\'' || c == b'-' {
            JOIN
        } else if c == b'.' || c == b'!' || c == b'?' {
            TERM
        } else if c == b')' || c == b']' || c == b'*' {
            CLOSE
        } else if c == b'(' {
            OPEN
        } else if c == b'"' {
            QUOTE
        } else if c >= 0x80 {
            HIGH
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// The byte class of every byte with a vowel flag: bit 0 a word byte
/// ([`WORD`]), bit 1 a vowel.
static WORD_VOWEL: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let word = CLASS[b] == WORD;
        let c = (b as u8) | 0x20;
        let vowel = matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') && (b as u8).is_ascii_alphabetic();
        t[b] = (word as u8) | ((vowel as u8) << 1);
        b += 1;
    }
    t
};

/// The run of [`WORD`] bytes starting at `s` (itself a word byte), looked at
/// 8 bytes at once: its length (at most up to `end`) and a mask of its vowels,
/// when it ends within those 8 bytes; `None` to take the byte loop.
#[inline(always)]
fn word_run8(bytes: &[u8], s: usize, end: usize) -> Option<(u32, u8, u64)> {
    let chunk: &[u8; 8] = bytes.get(s..s + 8)?.try_into().ok()?;
    let mut word = 0u8;
    let mut vowels = 0u8;
    for (j, &b) in chunk.iter().enumerate() {
        let t = WORD_VOWEL[b as usize];
        word |= (t & 1) << j;
        vowels |= (t >> 1) << j;
    }
    let len = (!word).trailing_zeros().min((end - s) as u32);
    // The word's bytes, little-endian, zero past its end.
    let raw = u64::from_le_bytes(*chunk) & (u64::MAX >> (64 - 8 * len.max(1)));
    (len < 8).then_some((len, vowels, raw))
}

/// Tokens that are URLs or e-mail addresses: from the whitespace before a
/// `@`, `://` or `www.` to the whitespace after it.
fn url_tokens(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let token = |at: usize| {
        let s = bytes[..at].iter().rposition(u8::is_ascii_whitespace).map_or(0, |p| p + 1);
        let e = bytes[at..].iter().position(u8::is_ascii_whitespace).map_or(bytes.len(), |p| at + p);
        s..e
    };
    let mut out: Vec<Range<usize>> = memchr::memchr_iter(b'@', bytes).map(token).collect();
    out.extend(memmem::find_iter(bytes, b"://").map(token));
    out.extend(memmem::find_iter(bytes, b"www.").filter(|&i| i == 0 || bytes[i - 1].is_ascii_whitespace()).map(token));
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out.dedup_by(|b, a| b.start < a.end);
    out
}

impl<'a> Doc<'a> {
    /// Parses and scans `text`.
    pub(crate) fn new(text: &'a str, format: TextFormat) -> Doc<'a> {
        Doc::scan(text, format, None)
    }

    /// Parses and scans `text`, noting possible lexicon phrase starts with `first_words`.
    pub(crate) fn scan(text: &'a str, format: TextFormat, first_words: Option<&'a FirstWords>) -> Doc<'a> {
        let (comments, disabled) =
            if memmem::find(text.as_bytes(), b"<!--").is_some() { scan_comments(text) } else { (vec![], vec![]) };
        let mut builder = Builder::new();
        match format {
            TextFormat::Markdown => parse_markdown(text, &mut builder),
            TextFormat::Plain => parse_plain(text, &mut builder, &comments),
        }
        let Builder { segs, mut blocks, .. } = builder;
        let mut scan = Scan {
            text,
            first_words,
            lexicon_starts: Vec::new(),
            memo: WordMemo::take(),
            sentences: Vec::with_capacity(text.len() / 80),
            sent_start: None,
            sent_words: 0,
            sent_syll: 0,
            sent_flags: 0,
            last_word_end: 0,
            words: 0,
            syllables: 0,
            acronyms: Vec::new(),
            defined: Vec::new(),
            passives: Vec::new(),
            be: None,
            adjectival: None,
            fk_words: 0,
            fk_token: usize::MAX,
            fk_piece_token: usize::MAX,
            fk_piece: 0,
            fk_sentences: 0,
            we: 0,
            you: 0,
            block: 0,
            block_words: 0,
            block_lower: false,
            block_acronyms_from: 0,
            prev_acronym: None,
        };
        let urls = url_tokens(text);
        let mut next_url = 0;
        for (bi, block) in blocks.iter_mut().enumerate() {
            scan.block = bi as u32;
            scan.block_words = 0;
            scan.block_lower = false;
            scan.block_acronyms_from = scan.acronyms.len();
            let first_sentence = scan.sentences.len();
            for seg in &segs[block.segs.clone()] {
                scan.segment(seg.clone(), &urls, &mut next_url);
            }
            let end = scan.last_word_end;
            scan.end_sentence(end);
            scan.prev_acronym = None;
            if matches!(block.kind, BlockKind::ListItem | BlockKind::Heading) {
                scan.fk_boundary();
            }
            block.words = scan.block_words;
            block.sentences = first_sentence..scan.sentences.len();
            if !scan.block_lower {
                // An all-capitals heading line ("SEE ALSO") is not a use of acronyms.
                scan.acronyms.truncate(scan.block_acronyms_from);
            }
        }
        scan.fk_boundary();
        scan.memo.give_back();
        Doc {
            fk_words: scan.fk_words,
            fk_sentences: scan.fk_sentences,
            text,
            segs,
            blocks,
            sentences: scan.sentences,
            words: scan.words,
            syllables: scan.syllables,
            acronyms: scan.acronyms,
            defined_acronyms: scan.defined,
            passives: scan.passives,
            we: scan.we,
            you: scan.you,
            disabled,
            lexicon_starts: first_words.map(|_| scan.lexicon_starts),
        }
    }

    /// The sentence that contains byte `offset`, if any.
    pub(crate) fn sentence_at(&self, offset: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        self.sentences.get(i).filter(|s| s.start <= offset)
    }

    /// The Flesch–Kincaid grade, counted as textstat counts: words are
    /// whitespace tokens, sentences end at . ! ? (and at the end of a list
    /// item or heading), and pieces of one or two words are not sentences.
    pub(crate) fn reading_grade(&self) -> f64 {
        if self.fk_words == 0 {
            return 0.0;
        }
        let sentences = self.fk_sentences.max(1) as f64;
        let words = self.fk_words as f64;
        0.39 * (words / sentences) + 11.8 * (self.syllables as f64 / words) - 15.59
    }

    /// Whether `rule` is switched off at `offset` by an inline comment.
    pub(crate) fn is_disabled(&self, rule: Rule, offset: usize) -> bool {
        let bit = 1u16 << rule.index();
        self.disabled.iter().any(|d| d.rules & bit != 0 && d.start <= offset && offset < d.end.max(d.start + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(doc: &Doc<'_>) -> usize {
        doc.words
    }

    #[test]
    fn markdown_skips_code_quotes_urls_and_front_matter() {
        let text = "---\ntitle: x\n---\n# Plan\n\nShip it `now` today, see https://example.com/soon or \
                    mail a@b.co.\n\n```\ncode code code\n```\n\n> quoted words here\n";
        let doc = Doc::new(text, TextFormat::Markdown);
        // "Plan" + "Ship it today see or mail" = 1 + 6
        assert_eq!(words_of(&doc), 7, "{:?}", doc.segs.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>());
    }

    #[test]
    fn sentences_respect_abbreviations_and_blocks() {
        let doc = Doc::new("We ship on Fri. 5 Dec., e.g. after QA. Then we rest!\n\nNext block", TextFormat::Plain);
        let texts: Vec<&str> = doc.sentences.iter().map(|s| &doc.text[s.start..s.end]).collect();
        assert_eq!(texts, ["We ship on Fri.", "5 Dec., e.g. after QA.", "Then we rest!", "Next block"]);
    }

    #[test]
    fn passive_voice_and_pronouns() {
        let doc =
            Doc::new("The bug was quickly fixed by Sam. The page is broken. We shipped it for you.", TextFormat::Plain);
        let p: Vec<&str> = doc.passives.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(p, ["was quickly fixed"]);
        assert_eq!((doc.we, doc.you), (1, 1));
    }

    #[test]
    fn acronyms_defined_or_not() {
        let doc =
            Doc::new("The SLA (service level agreement) covers the CRM and the API (interface).", TextFormat::Plain);
        let a: Vec<&str> = doc.acronyms.iter().map(|r| &doc.text[r.clone()]).collect();
        let d: Vec<&str> = doc.defined_acronyms.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(a, ["SLA", "CRM", "API"]);
        assert_eq!(d, ["SLA", "API"]);
    }

    #[test]
    fn inline_comments_disable_rules() {
        let text = "\na\n<!-- pmcoach-disable hedge -->\nb\n<!-- pmcoach-enable -->\nc\n<!-- pmcoach-disable-next-line -->\nd\ne\n";
        let doc = Doc::new(text, TextFormat::Plain);
        let at = |s: &str| text.find(&format!("\n{s}\n")).unwrap() + 1;
        assert!(!doc.is_disabled(Rule::Hedge, at("a")));
        assert!(doc.is_disabled(Rule::Hedge, at("b")));
        assert!(!doc.is_disabled(Rule::Jargon, at("b")));
        assert!(!doc.is_disabled(Rule::Hedge, at("c")));
        assert!(doc.is_disabled(Rule::Jargon, at("d")));
        assert!(!doc.is_disabled(Rule::Jargon, at("e")));
        assert_eq!(doc.words, 5);
    }

    #[test]
    fn unicode_words() {
        let doc = Doc::new("Café déjà vu — naïve résumé, we’re ready.", TextFormat::Plain);
        assert_eq!(doc.words, 7);
        assert_eq!(doc.we, 1);
    }
}
