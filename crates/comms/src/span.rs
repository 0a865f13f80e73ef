//! Byte offsets to 1-based lines and character columns.

use crate::model::Span;

/// Line starts of a text, built only when there is something to locate.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex { text, starts: Vec::new() }
    }

    fn ensure(&mut self) {
        if self.starts.is_empty() {
            self.starts.push(0);
            self.starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
        }
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub(crate) fn position(&mut self, offset: usize) -> (usize, usize) {
        self.ensure();
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }

    pub(crate) fn span(&mut self, start: usize, end: usize) -> Span {
        let (line, column) = self.position(start);
        let (end_line, end_column) = self.position(end);
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
