//! pmcoach's communication coach: checks a workplace message for the
//! audience it is written to — an executive, an engineer, a sales rep, a
//! customer — before it is sent.
//!
//! The checker reads Markdown or plain text, leaves code, quotes, URLs and
//! front matter alone, and runs fifteen rules with stable ids (see [`Rule`]):
//! a main point up front, a clear ask with an owner and a date, a length and
//! reading grade the audience will take, words the audience knows, no hype,
//! hedges, blame or filler, and empathy where the reader needs it. Audiences
//! and word lists are data (`content/audiences.toml`, `content/comms/`),
//! embedded in the crate and adjustable with a `.pmcoach.toml` ([`Config`]).
//!
//! ```
//! use pmcoach_comms::{Audience, CheckOptions, Checker, Kind, Rule};
//!
//! let checker = Checker::new();
//! let draft = "Hi Dana,\n\nAs you know, the team has been working hard on exports. \
//!              Can you review the plan?\n";
//! let report = checker.check(draft, &CheckOptions::for_audience(Audience::Exec).kind(Kind::Request));
//!
//! // The ask has an owner ("you") but no date.
//! let ask = report.findings.iter().find(|f| f.rule == Rule::Ask).unwrap();
//! assert!(ask.message.starts_with("This ask has no date"));
//! assert_eq!((ask.span.line, ask.span.column), (3, 57));
//! assert!(report.score < 100);
//! for d in &report.dimensions {
//!     println!("{:<14} {:>3}  {}", d.id.label(), d.score, d.explanation);
//! }
//! ```
//!
//! A [`Checker`] is built once (it compiles the word lists) and shared: it is
//! `Send + Sync` and checking takes `&self`.

mod audience;
mod check;
mod config;
mod fxhash;
mod lexicon;
mod model;
pub mod output;
mod score;
mod span;
mod syllables;
mod text;

pub use audience::AudiencesError;
pub use check::{CheckOptions, Checker, CheckerError};
pub use config::{AudienceOverride, Config, ConfigError, Level, RuleTable};
pub use lexicon::LexiconError;
pub use model::{Audience, Dimension, DimensionId, Finding, Kind, Report, Rule, Severity, Span, UnknownValue};
pub use text::TextFormat;

/// The syllables of an English word, by the rule-based method the reading
/// grade uses (exposed for tests and tools).
pub fn syllables(word: &str) -> u32 {
    syllables::count_ascii(word.as_bytes())
}

/// The counts behind the reading grade of a plain-text document: words,
/// sentences and syllables as the Flesch–Kincaid formula uses them. For
/// calibration tools; the grade itself is in [`Report::reading_grade`].
#[doc(hidden)]
pub fn readability_counts(text: &str, format: TextFormat) -> (usize, usize, usize) {
    let doc = text::Doc::new(text, format);
    (doc.fk_words, doc.fk_sentences, doc.syllables)
}
