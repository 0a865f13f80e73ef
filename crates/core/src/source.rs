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

/// A field of a "raw" content struct: absent, or present with its place.
pub(crate) type Field<T> = Option<toml::Spanned<T>>;

/// The place of a problem that belongs to the whole file (a missing field).
pub(crate) const FILE_START: Range<usize> = 0..0;

/// The checks of one content file, shared by the loaders: each reports into
/// `problems` and clears `ok`, so that a file with a problem is reported in
/// full but never half-loaded. `context` is what a loader checks against
/// (the framework, for scenarios).
pub(crate) struct FileCheck<'a, C = ()> {
    pub file: &'a SourceFile,
    pub problems: &'a mut Problems,
    pub ok: bool,
    pub context: C,
}

impl<'a, C> FileCheck<'a, C> {
    pub fn new(file: &'a SourceFile, problems: &'a mut Problems, context: C) -> Self {
        FileCheck { file, problems, ok: true, context }
    }

    pub fn report(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.ok = false;
        self.problems.push(self.file.problem(span, message));
    }

    /// The field, or a "missing field" problem at `owner`.
    pub fn required<'f, T>(
        &mut self,
        field: &'f Field<T>,
        name: &str,
        owner: &Range<usize>,
        within: &str,
    ) -> Option<&'f toml::Spanned<T>> {
        if field.is_none() {
            self.report(owner, format!("missing field `{name}`{within}"));
        }
        field.as_ref()
    }

    /// A required, non-blank string, trimmed.
    pub fn text(&mut self, field: &Field<String>, name: &str, owner: &Range<usize>, within: &str) -> Option<String> {
        let value = self.required(field, name, owner, within)?;
        if value.get_ref().trim().is_empty() {
            self.report(&value.span(), format!("`{name}`{within} is empty"));
            return None;
        }
        Some(value.get_ref().trim().to_owned())
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
