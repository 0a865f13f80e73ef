//! Text diagnostics in the style of rustc: the finding, where it is, the
//! line with the offending words underlined, the suggestion; then the score.

use std::borrow::Cow;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use pmcoach_comms::{Checker, Finding, Report, Severity};

struct Styles {
    error: Style,
    warning: Style,
    info: Style,
    bold: Style,
    dim: Style,
    help: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        if !color {
            let s = Style::new();
            return Styles { error: s, warning: s, info: s, bold: s, dim: s, help: s };
        }
        Styles {
            error: Style::new().fg_color(Some(AnsiColor::BrightRed.into())).bold(),
            warning: Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            info: Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold(),
            bold: Style::new().bold(),
            dim: Style::new().fg_color(Some(AnsiColor::BrightBlue.into())).bold(),
            help: Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
        }
    }

    fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The line of `text` that contains byte `offset`, without its newline.
fn line_at(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].trim_end_matches('\r')
}

const MAX_SHOWN: usize = 110;

/// The line as shown (shortened around the span when long), the column of the
/// span inside it and the span's width, all in characters.
fn excerpt(line: &str, column: usize, width: usize) -> (Cow<'_, str>, usize, usize) {
    let chars = if line.is_ascii() { line.len() } else { line.chars().count() };
    let tabs_to_spaces = |s: &str| if s.contains('\t') { s.replace('\t', " ") } else { s.to_owned() };
    if chars <= MAX_SHOWN {
        let shown = if line.contains('\t') { Cow::Owned(line.replace('\t', " ")) } else { Cow::Borrowed(line) };
        return (shown, column, width);
    }
    let from = column.saturating_sub(40).max(1);
    let shown: String = line.chars().skip(from - 1).take(MAX_SHOWN - 2).collect();
    let prefix = if from > 1 { "…" } else { "" };
    let suffix = if from - 1 + MAX_SHOWN - 2 < chars { "…" } else { "" };
    let width = width.min(MAX_SHOWN - 2 - (column - from));
    (Cow::Owned(format!("{prefix}{}{suffix}", tabs_to_spaces(&shown))), column - from + 1 + prefix.len().min(1), width)
}

fn finding(out: &mut String, name: &str, text: &str, f: &Finding, st: &Styles) {
    let sev = st.severity(f.severity);
    let (bold, dim) = (st.bold, st.dim);
    let _ = writeln!(out, "{sev}{}[{}]{sev:#}{bold}: {}{bold:#}", label(f.severity), f.rule, f.message);
    let gutter = f.span.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{dim}-->{dim:#} {name}:{}:{}", f.span.line, f.span.column);
    let line = line_at(text, f.span.start.min(text.len()));
    let width = if f.span.end_line == f.span.line {
        f.span.end_column.saturating_sub(f.span.column).max(1)
    } else {
        (line.chars().count() + 1).saturating_sub(f.span.column).max(1)
    };
    let (shown, column, width) = excerpt(line, f.span.column, width);
    let _ = writeln!(out, "{pad} {dim}|{dim:#}");
    let _ = writeln!(out, "{dim}{}{dim:#} {dim}|{dim:#} {shown}", f.span.line);
    let _ = write!(out, "{pad} {dim}|{dim:#} {:indent$}{sev}", "", indent = column.saturating_sub(1));
    for _ in 0..width.max(1) {
        out.push('^');
    }
    let _ = writeln!(out, "{sev:#}");
    if let Some(s) = &f.suggestion {
        let help = st.help;
        let _ = writeln!(out, "{pad} {dim}={dim:#} {help}suggestion{help:#}: {s}");
    }
    out.push('\n');
}

/// Everything printed for one checked file.
pub fn text(name: &str, text: &str, report: &Report, checker: &Checker, color: bool) -> String {
    let st = Styles::new(color);
    let mut out = String::new();
    for f in &report.findings {
        finding(&mut out, name, text, f, &st);
    }
    let bold = st.bold;
    let kind = report.kind.map_or(String::new(), |k| format!(" · {k}"));
    let (budget, target) = checker.targets(report.audience);
    let _ = writeln!(
        out,
        "{bold}{name}{bold:#}: {}{kind} · score {bold}{}/100{bold:#} · {} words (budget {budget}) · reading grade {:.1} (target {target:.0})",
        report.audience, report.score, report.words, report.reading_grade
    );
    for d in &report.dimensions {
        let style = match d.score {
            90.. => Style::new(),
            60..=89 => st.warning,
            _ => st.error,
        };
        let style = if color { style } else { Style::new() };
        let _ = writeln!(out, "  {:<14} {style}{:>3}{style:#}  {}", d.id.label(), d.score, d.explanation);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_shortened_around_the_span() {
        let line = "x".repeat(300);
        let (shown, column, width) = excerpt(&line, 200, 5);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(column, 42);
        assert_eq!(width, 5);
        assert_eq!(excerpt("short", 2, 3), (Cow::Borrowed("short"), 2, 3));
    }
}
