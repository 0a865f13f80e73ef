//! The influence/interest grid as a server-rendered SVG: four labelled
//! quadrants, one dot per stakeholder coloured by relationship health.
//! Stakeholders with the same two scores share a cell and are stacked in a
//! column inside it, so that coinciding dots and their names stay readable;
//! a cell too full to show everyone says how many more it holds. The page
//! puts a table with the same facts beside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pmcoach_core::stakeholders::{Quadrant, health_label};

use crate::charts::escape;

/// One stakeholder on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dot<'a> {
    pub id: i64,
    pub name: &'a str,
    pub function: &'a str,
    /// 1 to 5 (values outside are clamped).
    pub influence: u8,
    pub interest: u8,
    pub health: u8,
}

/// Width of the chart (its viewBox).
pub const WIDTH: f64 = 580.0;
/// Left of the plot: room for the influence axis.
const LEFT: f64 = 58.0;
/// Width of one interest column.
const COLUMN: f64 = 102.0;
/// Height of one influence row.
const ROW: f64 = 72.0;
/// The band at the top of each quadrant that holds its name.
const BAND: f64 = 24.0;
/// Height of one stacked dot with its name.
const LINE: f64 = 16.0;
/// How many dots a cell shows before it sums up the rest.
const PER_CELL: usize = 4;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const TEXT: &str = "#1c1c28";
const MUTED: &str = "#5b5b6e";
/// The ring around a dot, so that neighbours stay apart.
const WHITE: &str = "#ffffff";

/// The colour of a relationship health score: red for strained through
/// green for strong (the stylesheet's `.health-1` … `.health-5`).
pub fn health_colour(health: u8) -> &'static str {
    match health.clamp(1, 5) {
        1 => "#c62828",
        2 => "#e8710a",
        3 => "#b8930c",
        4 => "#4d9a2a",
        _ => "#137333",
    }
}

/// The top of the row for an influence score (5 at the top). Each half
/// starts below its quadrant band.
fn row_top(influence: u8) -> f64 {
    let high = f64::from(5 - influence.clamp(3, 5));
    if influence >= Quadrant::HIGH { BAND + ROW * high } else { 2.0 * BAND + ROW * (3.0 + f64::from(2 - influence)) }
}

fn column_left(interest: u8) -> f64 {
    LEFT + COLUMN * f64::from(interest.clamp(1, 5) - 1)
}

/// Bottom of the plot.
const PLOT_BOTTOM: f64 = 2.0 * BAND + 5.0 * ROW;
/// Where the plot splits into low and high influence.
const SPLIT_Y: f64 = BAND + 3.0 * ROW;
/// Where it splits into low and high interest.
const SPLIT_X: f64 = LEFT + 2.0 * COLUMN;
const RIGHT: f64 = LEFT + 5.0 * COLUMN;

/// A short label that fits a cell: the first name and the initial of the
/// last, cut to 12 characters.
pub fn short_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let label = match words.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, .., last] => format!("{first} {}.", last.chars().next().unwrap_or(' ')),
    };
    if label.chars().count() > 12 { format!("{}…", label.chars().take(11).collect::<String>()) } else { label }
}

fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

/// The grid of `dots`. `id` must be unique on the page.
pub fn grid(id: &str, dots: &[Dot<'_>]) -> String {
    let id = escape(id);
    let height = PLOT_BOTTOM + 46.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart stakeholder-grid" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">Stakeholders by influence and interest</title>"#);
    let _ = writeln!(
        svg,
        r#"<desc id="{id}-desc">{} stakeholders placed by influence (up) and interest (right), 3 or more counting as high; the table below lists the same.</desc>"#,
        dots.len()
    );

    // Quadrants: (quadrant, x, y, width, height).
    let quadrants = [
        (Quadrant::KeepSatisfied, LEFT, 0.0, SPLIT_X - LEFT, SPLIT_Y),
        (Quadrant::ManageClosely, SPLIT_X, 0.0, RIGHT - SPLIT_X, SPLIT_Y),
        (Quadrant::Monitor, LEFT, SPLIT_Y, SPLIT_X - LEFT, PLOT_BOTTOM - SPLIT_Y),
        (Quadrant::KeepInformed, SPLIT_X, SPLIT_Y, RIGHT - SPLIT_X, PLOT_BOTTOM - SPLIT_Y),
    ];
    for (quadrant, x, y, w, h) in quadrants {
        let class = quadrant_class(quadrant);
        let _ = writeln!(
            svg,
            r#"<rect class="quadrant {class}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            num(x),
            num(y),
            num(w),
            num(h),
            quadrant_fill(quadrant)
        );
        let _ = writeln!(
            svg,
            r#"<text class="quadrant-label" x="{}" y="{}" font-size="12" font-weight="600" fill="{MUTED}">{}</text>"#,
            num(x + 8.0),
            num(y + 16.0),
            quadrant.label()
        );
    }
    // Cell lines and the two splits.
    for column in 1..5 {
        let x = num(LEFT + COLUMN * f64::from(column));
        let (class, width) = if column == 2 { ("split", 2) } else { ("cell-line", 1) };
        let _ = writeln!(
            svg,
            r#"<line class="{class}" x1="{x}" y1="0" x2="{x}" y2="{}" stroke="{MUTED}" stroke-opacity="0.3" stroke-width="{width}"/>"#,
            num(PLOT_BOTTOM)
        );
    }
    let _ = writeln!(
        svg,
        r#"<line class="split" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{MUTED}" stroke-opacity="0.3" stroke-width="2"/>"#,
        num(LEFT),
        num(SPLIT_Y),
        num(RIGHT),
        num(SPLIT_Y)
    );
    let _ = writeln!(
        svg,
        r#"<rect class="frame" x="{}" y="0" width="{}" height="{}" fill="none" stroke="{MUTED}" stroke-opacity="0.4"/>"#,
        num(LEFT),
        num(RIGHT - LEFT),
        num(PLOT_BOTTOM)
    );

    // Axes: scores 1–5 and their names.
    for score in 1..=5u8 {
        let y = row_top(score) + ROW / 2.0 + 4.0;
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="end" fill="{MUTED}">{score}</text>"#,
            num(LEFT - 8.0),
            num(y)
        );
        let x = column_left(score) + COLUMN / 2.0;
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="middle" fill="{MUTED}">{score}</text>"#,
            num(x),
            num(PLOT_BOTTOM + 16.0)
        );
    }
    let _ = writeln!(
        svg,
        r#"<text class="chart-axis-title" x="{}" y="{}" font-size="12" font-weight="600" text-anchor="middle" fill="{TEXT}">Interest in your work →</text>"#,
        num(LEFT + (RIGHT - LEFT) / 2.0),
        num(PLOT_BOTTOM + 38.0)
    );
    let middle = num(PLOT_BOTTOM / 2.0);
    let _ = writeln!(
        svg,
        r#"<text class="chart-axis-title" x="16" y="{middle}" font-size="12" font-weight="600" text-anchor="middle" fill="{TEXT}" transform="rotate(-90 16 {middle})">Influence →</text>"#
    );

    // Dots, grouped by cell.
    let mut cells: BTreeMap<(u8, u8), Vec<&Dot<'_>>> = BTreeMap::new();
    for dot in dots {
        cells.entry((dot.influence.clamp(1, 5), dot.interest.clamp(1, 5))).or_default().push(dot);
    }
    for ((influence, interest), members) in cells {
        let shown = if members.len() > PER_CELL { PER_CELL - 1 } else { members.len() };
        let lines = if members.len() > PER_CELL { PER_CELL } else { members.len() };
        let top = row_top(influence) + (ROW - LINE * lines as f64) / 2.0 + LINE / 2.0;
        let left = column_left(interest) + 10.0;
        for (index, dot) in members.iter().take(shown).enumerate() {
            let y = top + LINE * index as f64;
            let health = dot.health.clamp(1, 5);
            let _ = writeln!(
                svg,
                r#"<a class="dot" href="/stakeholders/{}"><title>{}, {}: influence {}, interest {}, relationship {} ({})</title><circle class="health-{health}" cx="{}" cy="{}" r="5.5" fill="{}" stroke="{WHITE}" stroke-width="1.5"/><text class="dot-label" x="{}" y="{}" font-size="11.5" fill="{TEXT}">{}</text></a>"#,
                dot.id,
                escape(dot.name),
                escape(dot.function),
                influence,
                interest,
                health,
                health_label(health),
                num(left),
                num(y),
                health_colour(health),
                num(left + 9.0),
                num(y + 4.0),
                escape(&short_name(dot.name)),
            );
        }
        if members.len() > shown {
            let y = top + LINE * shown as f64;
            let _ = writeln!(
                svg,
                r#"<text class="dot-more" x="{}" y="{}" font-size="11" fill="{MUTED}">+{} more (see table)</text>"#,
                num(left - 4.0),
                num(y + 4.0),
                members.len() - shown
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

pub fn quadrant_class(quadrant: Quadrant) -> &'static str {
    match quadrant {
        Quadrant::ManageClosely => "manage-closely",
        Quadrant::KeepSatisfied => "keep-satisfied",
        Quadrant::KeepInformed => "keep-informed",
        Quadrant::Monitor => "monitor",
    }
}

fn quadrant_fill(quadrant: Quadrant) -> &'static str {
    match quadrant {
        Quadrant::ManageClosely => "#eef0ff",
        Quadrant::KeepSatisfied => "#f4f1fb",
        Quadrant::KeepInformed => "#eef6f9",
        Quadrant::Monitor => "#f7f7fb",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(id: i64, name: &'static str, influence: u8, interest: u8) -> Dot<'static> {
        Dot { id, name, function: "Engineering", influence, interest, health: 4 }
    }

    fn circles(svg: &str) -> Vec<(f64, f64)> {
        svg.match_indices("<circle")
            .map(|(at, _)| {
                let tag = &svg[at..at + svg[at..].find("/>").unwrap()];
                let attr = |name: &str| {
                    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    tag[start..start + tag[start..].find('"').unwrap()].parse::<f64>().unwrap()
                };
                (attr("cx"), attr("cy"))
            })
            .collect()
    }

    #[test]
    fn each_score_lands_in_its_quadrant() {
        let svg = grid("g", &[dot(1, "High Both", 5, 5), dot(2, "Low Both", 1, 1), dot(3, "Middle", 3, 3)]);
        let points = circles(&svg);
        assert_eq!(points.len(), 3);
        // Cells are drawn in score order: (1,1), (3,3), (5,5).
        let ((x1, y1), (x3, y3), (x5, y5)) = (points[0], points[1], points[2]);
        assert!(x1 < SPLIT_X && y1 > SPLIT_Y, "low/low is bottom left: {x1},{y1}");
        assert!(x3 > SPLIT_X && y3 < SPLIT_Y, "3/3 counts as high: {x3},{y3}");
        assert!(x5 > x3 && y5 < y3, "5/5 is further up and right");
        for quadrant in Quadrant::ALL {
            assert!(svg.contains(quadrant.label()), "{quadrant:?}");
        }
    }

    #[test]
    fn coinciding_dots_are_stacked_and_a_full_cell_sums_up_the_rest() {
        let same: Vec<Dot<'_>> = (1..=3).map(|i| dot(i, "Same Cell", 4, 4)).collect();
        let points = circles(&grid("g", &same));
        assert_eq!(points.len(), 3);
        assert!(points.iter().all(|p| p.0 == points[0].0));
        assert!(points.windows(2).all(|w| (w[1].1 - w[0].1 - LINE).abs() < 1e-9), "{points:?}");
        let crowd: Vec<Dot<'_>> = (1..=6).map(|i| dot(i, "Crowd", 2, 2)).collect();
        let svg = grid("g", &crowd);
        assert_eq!(circles(&svg).len(), PER_CELL - 1);
        assert!(svg.contains("+3 more"));
        // Everything stays inside its cell.
        let top = row_top(2);
        assert!(circles(&svg).iter().all(|p| p.1 > top && p.1 < top + ROW));
    }

    #[test]
    fn names_are_shortened_and_escaped() {
        assert_eq!(short_name("Lena Park"), "Lena P.");
        assert_eq!(short_name("Maximiliane von Hohenberg"), "Maximiliane…");
        assert_eq!(short_name("Cher"), "Cher");
        let svg = grid("g", &[Dot { name: "<script>alert(1)</script> X", ..dot(1, "", 3, 3) }]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; X"));
    }
}
