//! The per-skill progress chart of scenario practice, a small hand-written
//! SVG like `crate::charts`: pure, deterministic, escaped, and meant to sit
//! beside a table with the same numbers. Each attempt is a dot at its score
//! (hollow for a repeat, which does not count); the line is the running mean
//! of blind attempts, the score the skill shows.

use std::fmt::Write as _;

use crate::charts::escape;

const MUTED: &str = "#5b5b6e";
const GRID: &str = "#e2e2ec";
const ACCENT: &str = "#4f46e5";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 38.0;

/// One attempt on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// UTC milliseconds.
    pub at: i64,
    /// This attempt's score, 0..=1.
    pub score: f64,
    /// The running mean of blind scores, 0..=1.
    pub mean: f64,
    pub repeat: bool,
}

fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

fn short_date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .map(|t| format!("{} {}", t.day(), &t.month().to_string()[..3]))
        .unwrap_or_default()
}

/// The chart of one skill's attempts, in time order. Attempts are spaced
/// evenly (practice comes in bursts, so a time axis would crowd them); the
/// axis labels the first and the last day.
pub fn progress_chart(id: &str, skill: &str, points: &[ChartPoint]) -> String {
    let inner_w = WIDTH - LEFT - RIGHT;
    let inner_h = HEIGHT - TOP - BOTTOM;
    let bottom = TOP + inner_h;
    let n = points.len();
    let x = |i: usize| if n <= 1 { LEFT + inner_w / 2.0 } else { LEFT + inner_w * i as f64 / (n - 1) as f64 };
    let y = |v: f64| bottom - inner_h * v.clamp(0.0, 1.0);
    let id = escape(id);
    let last = points.last().map_or(0, |p| (p.mean * 100.0).round() as i64);
    let first = points.first().map_or(0, |p| (p.mean * 100.0).round() as i64);
    let title = format!("{skill}: scenario score over {n} attempts");
    let desc = if n == 0 {
        "No attempts yet.".to_owned()
    } else {
        format!("The running score went from {first} % after the first attempt to {last} % now.")
    };
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart scenario-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#,
        w = num(WIDTH),
        h = num(HEIGHT),
    );
    let _ = writeln!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&title),
        escape(&desc)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let ty = y(tick);
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{LEFT}" y1="{ty}" x2="{x2}" y2="{ty}" stroke="{GRID}" stroke-width="1"/><text class="chart-axis" x="{tx}" y="{ly}" font-size="11" text-anchor="end" fill="{MUTED}">{label} %</text>"#,
            ty = num(ty),
            x2 = num(WIDTH - RIGHT),
            tx = num(LEFT - 6.0),
            ly = num(ty + 4.0),
            label = (tick * 100.0) as i64,
        );
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{LEFT}" y="{ly}" font-size="11" fill="{MUTED}">{}</text><text class="chart-axis" x="{rx}" y="{ly}" font-size="11" text-anchor="end" fill="{MUTED}">{}</text>"#,
            escape(&short_date(first.at)),
            escape(&short_date(last.at)),
            ly = num(bottom + 18.0),
            rx = num(WIDTH - RIGHT),
        );
        let path: Vec<String> =
            points.iter().enumerate().map(|(i, p)| format!("{},{}", num(x(i)), num(y(p.mean)))).collect();
        let _ = writeln!(
            svg,
            r#"<polyline class="scenario-mean" points="{}" fill="none" stroke="{ACCENT}" stroke-width="2.5" stroke-linejoin="round"/>"#,
            path.join(" ")
        );
        for (i, p) in points.iter().enumerate() {
            let what = if p.repeat { "repeat, not counted" } else { "first attempt" };
            let _ = writeln!(
                svg,
                r#"<circle class="scenario-dot{cls}" cx="{cx}" cy="{cy}" r="4.5" fill="{fill}" stroke="{ACCENT}" stroke-width="1.5"><title>{date}: {score} % ({what}); running score {mean} %</title></circle>"#,
                cls = if p.repeat { " repeat" } else { "" },
                cx = num(x(i)),
                cy = num(y(p.score)),
                fill = if p.repeat { "#ffffff" } else { ACCENT },
                date = escape(&short_date(p.at)),
                score = (p.score * 100.0).round() as i64,
                mean = (p.mean * 100.0).round() as i64,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_follows_the_running_mean_and_repeats_are_hollow() {
        let points = [
            ChartPoint { at: 0, score: 0.5, mean: 0.5, repeat: false },
            ChartPoint { at: 86_400_000, score: 1.0, mean: 0.75, repeat: false },
            ChartPoint { at: 2 * 86_400_000, score: 1.0, mean: 0.75, repeat: true },
        ];
        let svg = progress_chart("c", "Empathy <&>", &points);
        // 0.5 and 0.75 of the 188-high plot area above the bottom at 202.
        assert!(svg.contains(r#"points="44,108 334,61 624,61""#), "{svg}");
        assert_eq!(svg.matches("scenario-dot repeat").count(), 1);
        assert!(svg.contains("Empathy &lt;&amp;&gt;"));
        assert!(svg.contains("from 50 % after the first attempt to 75 % now"));
        assert_eq!(progress_chart("c", "Empathy <&>", &points), svg, "deterministic");
    }
}
