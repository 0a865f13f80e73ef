//! The charts of the results pages: a radar of target, self and raters per
//! skill, and a line chart of the same over cycles. Like [`crate::charts`],
//! each function is pure (same input, same bytes), escapes every text, and
//! draws an accessible image (`role="img"`, a `<title>` and a `<desc>`) meant
//! to sit beside a table with the same numbers. Shared palette: the target
//! is grey and dashed, your own rating blue (`--self`), raters orange
//! (`--others`); every chart carries a legend.

use std::f64::consts::PI;
use std::fmt::Write as _;

use crate::charts::escape;

/// Grey of the target (`--target`).
const TARGET: &str = "#6b7280";
/// Blue of your own rating (`--self`).
const SELF: &str = "#2563eb";
/// Orange of the raters (`--others`).
const OTHERS: &str = "#d97706";
const GRID: &str = "#e2e2ec";
const TEXT: &str = "#1c1c28";
const MUTED: &str = "#5b5b6e";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// Short, stable numbers for coordinates: two decimals, no trailing zeros.
fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A label cut to `max` characters with an ellipsis.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// One spoke of the radar: a skill and its three values on the 1–5 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarAxis<'a> {
    pub name: &'a str,
    pub target: f64,
    pub self_rating: Option<f64>,
    /// The mean of every shown rater answer, when any is shown.
    pub others: Option<f64>,
}

/// Geometry of [`radar`], public so tests can check the scale.
pub mod radar_geometry {
    pub const WIDTH: f64 = 500.0;
    pub const CENTRE_X: f64 = 250.0;
    pub const CENTRE_Y: f64 = 190.0;
    /// Radius of level 5; level `n` sits at `n / 5` of it.
    pub const RADIUS: f64 = 130.0;
    /// Height of the chart above the legend.
    pub const PLOT: f64 = 380.0;
    pub const HEIGHT: f64 = PLOT + 28.0;
}

fn spoke(index: usize, count: usize, level: f64) -> (f64, f64) {
    use radar_geometry::*;
    let angle = -PI / 2.0 + 2.0 * PI * index as f64 / count as f64;
    let r = RADIUS * level.clamp(0.0, 5.0) / 5.0;
    (CENTRE_X + r * angle.cos(), CENTRE_Y + r * angle.sin())
}

fn points(values: &[(usize, f64)], count: usize) -> String {
    values
        .iter()
        .map(|&(index, level)| {
            let (x, y) = spoke(index, count, level);
            format!("{},{}", num(x), num(y))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A legend row of the three series, centred at `y`.
fn legend(svg: &mut String, x0: f64, y: f64) {
    let items = [("target", "Target", TARGET, true), ("self", "You", SELF, false), ("others", "Raters", OTHERS, false)];
    let mut x = x0;
    let _ = writeln!(svg, r#"<g class="chart-legend">"#);
    for (class, label, colour, dashed) in items {
        let dash = if dashed { r#" stroke-dasharray="5 4""# } else { "" };
        let _ = writeln!(
            svg,
            r#"<line class="series-{class}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="3"{dash}/>"#,
            num(x),
            num(y),
            num(x + 22.0),
            num(y)
        );
        let _ = writeln!(
            svg,
            r#"<text class="chart-label" x="{}" y="{}" font-size="13" fill="{TEXT}">{label}</text>"#,
            num(x + 28.0),
            num(y + 4.5)
        );
        x += 28.0 + 8.0 * label.len() as f64 + 24.0;
    }
    svg.push_str("</g>\n");
}

/// A radar chart with one spoke per skill (at least three make a shape):
/// the target as a grey dashed outline, your own ratings in blue and the
/// raters' mean in orange, on rings for levels 1 to 5. A series is drawn
/// through the spokes that have a value. `id` must be unique on the page.
pub fn radar(id: &str, title: &str, description: &str, axes: &[RadarAxis<'_>]) -> String {
    use radar_geometry::*;
    let id = escape(id);
    let count = axes.len().max(1);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(svg, r#"<desc id="{id}-desc">{}</desc>"#, escape(description));

    // Rings for levels 1–5 and one spoke per skill.
    for level in 1..=5 {
        let ring: Vec<(usize, f64)> = (0..count).map(|i| (i, f64::from(level))).collect();
        let _ = writeln!(
            svg,
            r#"<polygon class="chart-grid" points="{}" fill="none" stroke="{GRID}" stroke-width="1"/>"#,
            points(&ring, count)
        );
    }
    for level in 1..=5 {
        let (_, y) = spoke(0, count, f64::from(level));
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="10" fill="{MUTED}">{level}</text>"#,
            num(CENTRE_X + 3.0),
            num(y + 11.0)
        );
    }
    for (index, axis) in axes.iter().enumerate() {
        let (x, y) = spoke(index, count, 5.0);
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{CENTRE_X}" y1="{CENTRE_Y}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
            num(x),
            num(y)
        );
        let (lx, ly) = spoke(index, count, 5.55);
        let anchor = if (lx - CENTRE_X).abs() < 8.0 {
            "middle"
        } else if lx > CENTRE_X {
            "start"
        } else {
            "end"
        };
        let dy = if ly < CENTRE_Y - RADIUS * 0.9 {
            -2.0
        } else if ly > CENTRE_Y + RADIUS * 0.9 {
            10.0
        } else {
            4.0
        };
        let _ = writeln!(
            svg,
            r#"<text class="chart-label" x="{}" y="{}" font-size="11" text-anchor="{anchor}" fill="{TEXT}">{}</text>"#,
            num(lx),
            num(ly + dy),
            escape(&short(axis.name, 19))
        );
    }

    let series = |pick: &dyn Fn(&RadarAxis<'_>) -> Option<f64>| -> Vec<(usize, f64)> {
        axes.iter().enumerate().filter_map(|(i, axis)| pick(axis).map(|v| (i, v))).collect()
    };
    let target = series(&|a| Some(a.target));
    let own = series(&|a| a.self_rating);
    let others = series(&|a| a.others);
    let _ = writeln!(
        svg,
        r#"<polygon class="series-target" points="{}" fill="{TARGET}" fill-opacity="0.08" stroke="{TARGET}" stroke-width="2" stroke-dasharray="5 4"/>"#,
        points(&target, count)
    );
    for (class, colour, values) in [("self", SELF, &own), ("others", OTHERS, &others)] {
        if values.is_empty() {
            continue;
        }
        let _ = writeln!(
            svg,
            r#"<polygon class="series-{class}" points="{}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="2.5"/>"#,
            points(values, count)
        );
        for &(index, level) in values.iter() {
            let (x, y) = spoke(index, count, level);
            let _ = writeln!(
                svg,
                r#"<circle class="series-{class}" cx="{}" cy="{}" r="3.5" fill="{colour}"/>"#,
                num(x),
                num(y)
            );
        }
    }
    legend(&mut svg, 132.0, PLOT + 12.0);
    svg.push_str("</svg>");
    svg
}

/// One cycle in a [`history_lines`] chart; values on the 1–5 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryColumn<'a> {
    pub label: &'a str,
    pub target: Option<f64>,
    pub self_rating: Option<f64>,
    pub others: Option<f64>,
}

/// One line of [`history_lines`]: class, colour, dashed, and (column, level) points.
type Series<'a> = (&'a str, &'a str, bool, Vec<(usize, f64)>);

/// Geometry of [`history_lines`].
pub mod history_geometry {
    pub const WIDTH: f64 = 560.0;
    pub const LEFT: f64 = 52.0;
    pub const RIGHT: f64 = 44.0;
    pub const TOP: f64 = 12.0;
    /// Height of the plot (level 1 at the bottom, 5 at the top).
    pub const PLOT: f64 = 180.0;
    pub const HEIGHT: f64 = TOP + PLOT + 58.0;
}

/// A line chart over cycles (oldest first): target grey and dashed, your own
/// ratings blue, raters orange, each point marked; a series skips cycles
/// without a value. `id` must be unique on the page.
pub fn history_lines(id: &str, title: &str, description: &str, columns: &[HistoryColumn<'_>]) -> String {
    use history_geometry::*;
    let id = escape(id);
    let span = WIDTH - LEFT - RIGHT;
    let x_of = |index: usize| {
        if columns.len() <= 1 { LEFT + span / 2.0 } else { LEFT + span * index as f64 / (columns.len() - 1) as f64 }
    };
    let y_of = |level: f64| TOP + PLOT - PLOT * (level.clamp(1.0, 5.0) - 1.0) / 4.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart history" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(svg, r#"<desc id="{id}-desc">{}</desc>"#, escape(description));
    for level in 1..=5 {
        let y = num(y_of(f64::from(level)));
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            num(WIDTH - RIGHT)
        );
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="end" fill="{MUTED}">{level}</text>"#,
            num(LEFT - 8.0),
            num(y_of(f64::from(level)) + 4.0)
        );
    }
    for (index, column) in columns.iter().enumerate() {
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            num(x_of(index)),
            num(TOP + PLOT + 20.0),
            escape(&short(column.label, 16))
        );
    }
    let series: [Series<'_>; 3] = [
        ("target", TARGET, true, columns.iter().enumerate().filter_map(|(i, c)| c.target.map(|v| (i, v))).collect()),
        ("self", SELF, false, columns.iter().enumerate().filter_map(|(i, c)| c.self_rating.map(|v| (i, v))).collect()),
        ("others", OTHERS, false, columns.iter().enumerate().filter_map(|(i, c)| c.others.map(|v| (i, v))).collect()),
    ];
    for (class, colour, dashed, values) in &series {
        if values.is_empty() {
            continue;
        }
        let dash = if *dashed { r#" stroke-dasharray="5 4""# } else { "" };
        let line: Vec<String> =
            values.iter().map(|&(index, level)| format!("{},{}", num(x_of(index)), num(y_of(level)))).collect();
        let _ = writeln!(
            svg,
            r#"<polyline class="series-{class}" points="{}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>"#,
            line.join(" ")
        );
        for &(index, level) in values {
            let _ = writeln!(
                svg,
                r#"<circle class="series-{class}" cx="{}" cy="{}" r="4" fill="{colour}"/>"#,
                num(x_of(index)),
                num(y_of(level))
            );
        }
    }
    legend(&mut svg, LEFT + 100.0, TOP + PLOT + 44.0);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(name: &str, target: f64, own: Option<f64>, others: Option<f64>) -> RadarAxis<'_> {
        RadarAxis { name, target, self_rating: own, others }
    }

    #[test]
    fn radar_is_accessible_escaped_and_has_a_legend() {
        let svg = radar(
            "r",
            "Target <vs> you",
            "desc & more",
            &[
                axis("A & B", 4.0, Some(3.0), Some(2.0)),
                axis("C", 3.0, None, Some(4.0)),
                axis("D", 5.0, Some(5.0), None),
            ],
        );
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"aria-labelledby="r-title r-desc""#));
        assert!(svg.contains("Target &lt;vs&gt; you") && svg.contains("desc &amp; more") && svg.contains("A &amp; B"));
        assert!(svg.contains(">Target</text>") && svg.contains(">You</text>") && svg.contains(">Raters</text>"));
        assert!(svg.contains(r#"class="series-target""#) && svg.contains(r#"stroke-dasharray="5 4""#));
        // Self has two values, raters two: one dot per value.
        assert_eq!(svg.matches(r#"<circle class="series-self""#).count(), 2);
        assert_eq!(svg.matches(r#"<circle class="series-others""#).count(), 2);
        assert_eq!(
            svg,
            radar(
                "r",
                "Target <vs> you",
                "desc & more",
                &[
                    axis("A & B", 4.0, Some(3.0), Some(2.0)),
                    axis("C", 3.0, None, Some(4.0)),
                    axis("D", 5.0, Some(5.0), None)
                ]
            )
        );
    }

    #[test]
    fn radar_places_levels_on_the_scale() {
        use radar_geometry::*;
        // The first spoke points straight up: level 5 at the full radius.
        let svg = radar(
            "r",
            "t",
            "d",
            &[axis("A", 5.0, Some(5.0), None), axis("B", 1.0, None, None), axis("C", 1.0, None, None)],
        );
        let top = format!(r#"cx="{}" cy="{}""#, num(CENTRE_X), num(CENTRE_Y - RADIUS));
        assert!(svg.contains(&top), "{svg}");
    }

    #[test]
    fn history_skips_missing_points_and_labels_cycles() {
        let columns = [
            HistoryColumn { label: "Mar 2026", target: Some(3.0), self_rating: Some(2.0), others: None },
            HistoryColumn { label: "Sep 2026", target: Some(3.0), self_rating: Some(3.0), others: Some(2.5) },
        ];
        let svg = history_lines("h", "History", "over time", &columns);
        assert!(svg.contains(">Mar 2026</text>") && svg.contains(">Sep 2026</text>"));
        assert_eq!(svg.matches(r#"<circle class="series-others""#).count(), 1);
        assert_eq!(svg.matches(r#"<circle class="series-self""#).count(), 2);
        assert!(svg.contains(">Raters</text>"));
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(short("Stakeholder alignment and influence", 20), "Stakeholder alignme…");
        assert_eq!(short("Short", 20), "Short");
    }
}
