//! Content files as text, and the problems found in them with their place.

use std::fmt;
use std::ops::Range;

/// One content file: its path as the user should see it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { path: path.into(), text: text.into() }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
    }

    /// A problem at the start of `span` in this file.
    pub fn problem(&self, span: &Range<usize>, message: impl Into<String>) -> Problem {
        Problem { file: self.path.clone(), line: self.line_of(span.start), message: message.into() }
    }
}

/// Something wrong in a content file, pinned to a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Problems found in one pass over some files; validators keep going after
/// the first so that the user can fix everything in one go.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems sorted by file and line, as a user reads them.
    pub fn into_sorted(mut self) -> Vec<Problem> {
        self.0.sort();
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let file = SourceFile::new("a.toml", "x = 1\ny = 2\n\nz = 3");
        assert_eq!(file.line_of(0), 1);
        assert_eq!(file.line_of(6), 2);
        assert_eq!(file.line_of(13), 4);
        assert_eq!(file.line_of(10_000), 4);
        assert_eq!(file.problem(&(6..7), "bad").to_string(), "a.toml:2: bad");
    }
}
