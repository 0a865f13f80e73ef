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
    // Lines are short: a plain byte loop beats a searcher's set-up here.
    let bytes = text.as_bytes();
    let start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = bytes[offset..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| offset + i);
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

/// A style's escape sequences, rendered once: what `{style}` and `{style:#}` print.
struct Codes {
    on: String,
    off: String,
}

impl Codes {
    fn new(style: Style) -> Codes {
        Codes { on: format!("{style}"), off: format!("{style:#}") }
    }
}

/// Everything a finding is drawn with, rendered once per file.
struct Pen {
    sev: [Codes; 3],
    bold: Codes,
    dim: Codes,
    help: Codes,
}

impl Pen {
    fn new(st: &Styles) -> Pen {
        Pen {
            sev: [Severity::Info, Severity::Warning, Severity::Error].map(|s| Codes::new(st.severity(s))),
            bold: Codes::new(st.bold),
            dim: Codes::new(st.dim),
            help: Codes::new(st.help),
        }
    }
}

fn push_usize(out: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

fn push_repeat(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// One finding, written straight into `out` (no formatting machinery: a
/// report on a large corpus has tens of thousands of them).
fn finding(out: &mut String, name: &str, text: &str, f: &Finding, pen: &Pen) {
    let sev = &pen.sev[f.severity as usize];
    let (bold, dim) = (&pen.bold, &pen.dim);
    // {sev}label[rule]{sev:#}{bold}: message{bold:#}
    out.push_str(&sev.on);
    out.push_str(label(f.severity));
    out.push('[');
    out.push_str(f.rule.as_str());
    out.push(']');
    out.push_str(&sev.off);
    out.push_str(&bold.on);
    out.push_str(": ");
    out.push_str(&f.message);
    out.push_str(&bold.off);
    out.push('\n');
    // {pad}{dim}-->{dim:#} name:line:column
    let gutter = digits(f.span.line);
    push_repeat(out, ' ', gutter);
    out.push_str(&dim.on);
    out.push_str("-->");
    out.push_str(&dim.off);
    out.push(' ');
    out.push_str(name);
    out.push(':');
    push_usize(out, f.span.line);
    out.push(':');
    push_usize(out, f.span.column);
    out.push('\n');
    let line = line_at(text, f.span.start.min(text.len()));
    let width = if f.span.end_line == f.span.line {
        f.span.end_column.saturating_sub(f.span.column).max(1)
    } else {
        (line.chars().count() + 1).saturating_sub(f.span.column).max(1)
    };
    let (shown, column, width) = excerpt(line, f.span.column, width);
    // {pad} {dim}|{dim:#}
    push_repeat(out, ' ', gutter + 1);
    out.push_str(&dim.on);
    out.push('|');
    out.push_str(&dim.off);
    out.push('\n');
    // {dim}line{dim:#} {dim}|{dim:#} shown
    out.push_str(&dim.on);
    push_usize(out, f.span.line);
    out.push_str(&dim.off);
    out.push(' ');
    out.push_str(&dim.on);
    out.push('|');
    out.push_str(&dim.off);
    out.push(' ');
    out.push_str(&shown);
    out.push('\n');
    // {pad} {dim}|{dim:#} {indent}{sev}^^^{sev:#}
    push_repeat(out, ' ', gutter + 1);
    out.push_str(&dim.on);
    out.push('|');
    out.push_str(&dim.off);
    push_repeat(out, ' ', 1 + column.saturating_sub(1));
    out.push_str(&sev.on);
    push_repeat(out, '^', width.max(1));
    out.push_str(&sev.off);
    out.push('\n');
    if let Some(s) = &f.suggestion {
        // {pad} {dim}={dim:#} {help}suggestion{help:#}: s
        let help = &pen.help;
        push_repeat(out, ' ', gutter + 1);
        out.push_str(&dim.on);
        out.push('=');
        out.push_str(&dim.off);
        out.push(' ');
        out.push_str(&help.on);
        out.push_str("suggestion");
        out.push_str(&help.off);
        out.push_str(": ");
        out.push_str(s);
        out.push('\n');
    }
    out.push('\n');
}

/// Everything printed for one checked file.
pub fn text(name: &str, text: &str, report: &Report, checker: &Checker, color: bool) -> String {
    let st = Styles::new(color);
    let pen = Pen::new(&st);
    // About 300 bytes a finding, plus the score block.
    let mut out = String::with_capacity(512 + report.findings.len() * (320 + name.len()));
    for f in &report.findings {
        finding(&mut out, name, text, f, &pen);
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
