//! The message checker on fuzzed text for a fuzzed audience, kind and
//! format (Markdown or plain). Every finding's span must lie inside the text
//! and every score in 0–100.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pmcoach_comms::{Audience, CheckOptions, Checker, Kind, TextFormat};

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

fuzz_target!(|data: &[u8]| {
    let [audience, kind, format, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut options = CheckOptions::default();
    options.audience = Audience::ALL.get(usize::from(*audience) % (Audience::ALL.len() + 1)).copied();
    options.kind = Kind::ALL.get(usize::from(*kind) % (Kind::ALL.len() + 1)).copied();
    options.format = if format % 2 == 0 { TextFormat::Markdown } else { TextFormat::Plain };
    let report = checker().check(text, &options);
    assert!(report.score <= 100, "score {}", report.score);
    for finding in &report.findings {
        let span = &finding.span;
        assert!(span.start <= span.end && span.end <= text.len(), "{finding:?} outside {} bytes", text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{finding:?} splits a char");
    }
    for dimension in &report.dimensions {
        assert!(dimension.score <= 100, "{dimension:?}");
    }
});
