//! Small helpers for readable terminal output.

use std::io::{self, Write};

/// Where command output goes. Writing to a closed pipe (`pmcoach … | head`)
/// is not an error worth reporting, so callers may ignore `BrokenPipe`.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Prints an error line to standard error.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr().lock(), "error: {message}");
}

/// Wraps `text` to `width` columns with `indent` before every line.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    let options = textwrap::Options::new(width).initial_indent(indent).subsequent_indent(indent);
    textwrap::fill(text, &options)
}

/// Treats a closed output pipe as success; other write errors stay errors.
pub fn finish(result: io::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A bar of `cells` block characters out of `width`, for weights.
pub fn bar(fraction: f64, width: usize) -> String {
    let eighths = (fraction.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    const PARTIAL: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    out.push_str(PARTIAL[eighths % 8]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_with_the_fraction() {
        assert_eq!(bar(0.0, 10), "");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(bar(0.0625, 2), "▏");
    }
}
