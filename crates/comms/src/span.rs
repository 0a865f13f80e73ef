//! Byte offsets to 1-based lines and character columns.

use crate::model::Span;

/// Turns byte offsets into lines and columns, walking forward through the
/// text: findings arrive in text order, so each newline is counted once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Everything before `pos` has been counted.
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex { text, pos: 0, line: 1, line_start: 0 }
    }

    fn advance_to(&mut self, offset: usize) {
        if offset < self.pos {
            *self = LineIndex::new(self.text);
        }
        let bytes = &self.text.as_bytes()[self.pos..offset];
        if bytes.len() < 64 {
            // Findings are close together: a plain loop beats a searcher's set-up.
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' {
                    self.line += 1;
                    self.line_start = self.pos + i + 1;
                }
            }
        } else {
            for nl in memchr::memchr_iter(b'\n', bytes) {
                self.line += 1;
                self.line_start = self.pos + nl + 1;
            }
        }
        self.pos = offset;
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub(crate) fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        self.advance_to(offset);
        let prefix = &self.text.as_bytes()[self.line_start..offset];
        let column = if prefix.is_ascii() {
            prefix.len()
        } else {
            self.text.get(self.line_start..offset).map_or(prefix.len(), |s| s.chars().count())
        };
        (self.line, column + 1)
    }

    pub(crate) fn span(&mut self, start: usize, end: usize) -> Span {
        let (line, column) = self.position(start);
        // The end may lie past the next finding's start: count it on a copy.
        let mut ahead = *self;
        let (end_line, end_column) = ahead.position(end);
        Span { start, end, line, column, end_line, end_column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ab\nçé soon\n";
        let mut index = LineIndex::new(text);
        let s = text.find("soon").unwrap();
        let span = index.span(s, s + 4);
        assert_eq!((span.line, span.column, span.end_line, span.end_column), (2, 4, 2, 8));
        assert_eq!(index.position(0), (1, 1));
    }
}
