//! The public vocabulary of the checker: rules, severities, audiences, kinds,
//! findings and reports.

use std::fmt;

use serde::Serialize;

/// A value that is not one of the accepted names; its message lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`; expected one of: {expected}")]
pub struct UnknownValue {
    /// What was being parsed ("audience", "rule", ...).
    pub what: &'static str,
    /// The value given.
    pub value: String,
    /// The accepted values, comma-separated.
    pub expected: String,
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used on the command line, in files and in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses a name; the error lists the valid names.
            pub fn parse(value: &str) -> Result<Self, UnknownValue> {
                match value.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        what: $what,
                        value: value.to_owned(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

named_enum!(
    /// Whom a message is written for.
    Audience, "audience", {
        /// Executives and senior leaders.
        Exec = "exec",
        /// Engineers and engineering managers.
        Engineering = "engineering",
        /// Sales representatives and account executives.
        Sales = "sales",
        /// Customer-success and support teams.
        CustomerSuccess = "customer-success",
        /// Customers and users outside the company.
        Customer = "customer",
        /// Designers and researchers.
        Design = "design",
        /// Fellow product people.
        Peer = "peer",
    }
);

named_enum!(
    /// What a message is for; it changes what the reader expects.
    Kind, "kind", {
        /// A status update: no ask expected.
        Update = "update",
        /// A request: one clear ask with an owner and a date.
        Request = "request",
        /// An announcement to many readers: a little longer is fine.
        Announcement = "announcement",
        /// A reply, above all to a customer: acknowledge their situation first.
        Reply = "reply",
        /// Sales or marketing collateral: about the reader, not about us.
        Collateral = "collateral",
    }
);

named_enum!(
    /// How serious a finding is. Errors make `pmcoach check` exit with 1.
    Severity, "severity", {
        /// Worth a look.
        Info = "info",
        /// Likely to weaken the message.
        Warning = "warning",
        /// Likely to make the message fail with this audience.
        Error = "error",
    }
);

named_enum!(
    /// The checker's rules; the names are stable and used in configuration,
    /// inline comments and every output format.
    Rule, "rule", {
        /// The main point is not up front.
        Bluf = "bluf",
        /// No explicit ask, or an ask without an owner or a date.
        Ask = "ask",
        /// Longer than the audience's word budget.
        Length = "length",
        /// A wall of text that wants bullets.
        Paragraph = "paragraph",
        /// Reading grade above the audience's target.
        Readability = "readability",
        /// Terms the audience may not know; acronyms never spelled out.
        Jargon = "jargon",
        /// Buzzwords and superlatives.
        Fluff = "fluff",
        /// Hedging that weakens the message.
        Hedge = "hedge",
        /// Passive voice that hides who acts.
        Passive = "passive",
        /// Vague times: "soon", "ASAP".
        VagueTime = "vague-time",
        /// Unquantified claims: "significantly", "a lot of".
        VagueClaim = "vague-claim",
        /// About us rather than the reader.
        YouFocus = "you-focus",
        /// Blaming or condescending phrases.
        Blame = "blame",
        /// A reply that never acknowledges the reader's situation.
        Acknowledge = "acknowledge",
        /// Filler words.
        Filler = "filler",
    }
);

impl Rule {
    /// The rule's position in [`Rule::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// One line saying what the rule looks for.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::Bluf => "The main point (a TL;DR, decision or ask) should come first.",
            Rule::Ask => "A message that wants something says what, from whom, and by when.",
            Rule::Length => "Stay within the word budget this audience will actually read.",
            Rule::Paragraph => "Long paragraphs hide points that bullets would show.",
            Rule::Readability => "Sentences and words should be as plain as this audience needs.",
            Rule::Jargon => "Use words the audience knows; spell out every acronym once.",
            Rule::Fluff => "Buzzwords and superlatives cost trust and say nothing.",
            Rule::Hedge => "Hedging makes a clear point sound unsure.",
            Rule::Passive => "Passive voice hides who does what.",
            Rule::VagueTime => "Name a date or a time instead of \"soon\" or \"ASAP\".",
            Rule::VagueClaim => "Quantify claims: a number persuades where an adverb does not.",
            Rule::YouFocus => "Write about the reader's problem and gain, not about us.",
            Rule::Blame => "Blaming or condescending phrases put readers on the defensive.",
            Rule::Acknowledge => "A reply first shows the reader they were heard.",
            Rule::Filler => "Filler words add length and no meaning.",
        }
    }

    /// The score dimension the rule counts against.
    pub fn dimension(self) -> DimensionId {
        match self {
            Rule::Bluf | Rule::Ask | Rule::VagueTime => DimensionId::Actionability,
            Rule::Length | Rule::Paragraph | Rule::Filler => DimensionId::Brevity,
            Rule::Readability | Rule::Passive | Rule::Hedge | Rule::VagueClaim => DimensionId::Clarity,
            Rule::Jargon | Rule::Fluff => DimensionId::AudienceFit,
            Rule::YouFocus | Rule::Blame | Rule::Acknowledge => DimensionId::Empathy,
        }
    }
}

/// The five score dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionId {
    /// Plain sentences, active voice, confident and concrete.
    Clarity,
    /// Short enough for the reader, no filler, no walls of text.
    Brevity,
    /// The point and the ask are clear, with an owner and a date.
    Actionability,
    /// Words and tone that fit this audience.
    AudienceFit,
    /// About the reader; acknowledges them; no blame.
    Empathy,
}

impl DimensionId {
    /// Every dimension, in display order.
    pub const ALL: [DimensionId; 5] = [
        DimensionId::Clarity,
        DimensionId::Brevity,
        DimensionId::Actionability,
        DimensionId::AudienceFit,
        DimensionId::Empathy,
    ];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            DimensionId::Clarity => "clarity",
            DimensionId::Brevity => "brevity",
            DimensionId::Actionability => "actionability",
            DimensionId::AudienceFit => "audience fit",
            DimensionId::Empathy => "empathy",
        }
    }
}

/// Where a finding is: a byte range of the original text and the same range
/// as 1-based lines and columns (columns count characters; the end is
/// exclusive, so a one-character span has `end_column == column + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Line of the first character, from 1.
    pub line: usize,
    /// Column of the first character, from 1, in characters.
    pub column: usize,
    /// Line of the end position.
    pub end_line: usize,
    /// Column of the end position (exclusive), in characters.
    pub end_column: usize,
}

/// One problem found in a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which rule found it.
    pub rule: Rule,
    /// How serious it is for this audience.
    pub severity: Severity,
    /// What is wrong and why it matters for this audience.
    pub message: String,
    /// Where it is.
    pub span: Span,
    /// What to write instead, where there is a concrete suggestion.
    pub suggestion: Option<String>,
}

/// A dimension's score with a one-line explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// Which dimension.
    pub id: DimensionId,
    /// 0–100.
    pub score: u8,
    /// One line that says why.
    pub explanation: String,
}

/// The result of checking one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The audience it was checked for.
    pub audience: Audience,
    /// The kind it was checked as, if one was given or configured.
    pub kind: Option<Kind>,
    /// Overall score, 0–100.
    pub score: u8,
    /// The five dimensions (clarity, brevity, actionability, audience fit, empathy).
    pub dimensions: Vec<Dimension>,
    /// Words checked (code, quotes, URLs and front matter excluded).
    pub words: usize,
    /// Sentences checked.
    pub sentences: usize,
    /// Flesch–Kincaid grade of the checked text, rounded to one decimal.
    pub reading_grade: f64,
    /// Findings in text order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The most serious severity among the findings, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.max_severity() == Some(Severity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lists_valid_values() {
        assert_eq!(Audience::parse("customer-success"), Ok(Audience::CustomerSuccess));
        let error = Audience::parse("board").unwrap_err().to_string();
        assert!(error.contains("exec, engineering, sales, customer-success, customer, design, peer"), "{error}");
        assert_eq!(Rule::ALL.len(), 15);
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(rule.index(), i);
            assert_eq!(Rule::parse(rule.as_str()), Ok(*rule));
        }
    }
}
