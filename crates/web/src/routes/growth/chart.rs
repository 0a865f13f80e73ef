//! The practice calendar and the progress chart of a focus skill, as small
//! hand-written SVGs like `crate::charts`: pure, deterministic, escaped, and
//! labelled for screen readers (each day of the calendar has its own title;
//! the progress chart sits beside a table with the same numbers).

use std::fmt::Write as _;

use pmcoach_core::growth::{Calendar, Date, WeekCount};

use crate::charts::escape;

const MUTED: &str = "#5b5b6e";
const GRID: &str = "#e2e2ec";
const ACCENT: &str = "#4f46e5";
const SELF: &str = "#2563eb";
const OTHERS: &str = "#d97706";
const TARGET: &str = "#6b7280";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/// Fallback fills of the five calendar shades (the stylesheet themes them).
const SHADES: [&str; 5] = ["#ebebf3", "#c7c4f7", "#9d97f0", "#6f66e8", "#4338ca"];

fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

fn entries(n: u32) -> String {
    match n {
        0 => "no practice".to_owned(),
        1 => "1 entry".to_owned(),
        n => format!("{n} entries"),
    }
}

/// Geometry of the calendar.
const CELL: f64 = 13.0;
const STEP: f64 = 16.0;
const LEFT: f64 = 30.0;
const TOP: f64 = 18.0;

/// The calendar as an SVG grid: a column per week, Monday at the top.
pub fn calendar_svg(calendar: &Calendar) -> String {
    let width = LEFT + STEP * calendar.weeks.len() as f64;
    let height = TOP + STEP * 7.0;
    let mut svg = String::new();
    let first = calendar.weeks.first().map(|w| w.start.human()).unwrap_or_default();
    let label =
        format!("Practice calendar since {first}: {} on {} days", entries(calendar.total), calendar.active_days);
    let _ = writeln!(
        svg,
        r#"<svg class="chart practice-calendar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}" font-family="{FONT}">"#,
        w = num(width),
        h = num(height),
        label = escape(&label)
    );
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        let y = TOP + STEP * f64::from(row) + 10.0;
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="0" y="{}" font-size="10" fill="{MUTED}">{name}</text>"#,
            num(y)
        );
    }
    let mut last_month = 0;
    for (index, week) in calendar.weeks.iter().enumerate() {
        let x = LEFT + STEP * index as f64;
        let (_, month, _) = week.days.last().map_or(week.start, |d| d.date).ymd();
        if month != last_month {
            // A month is labelled at the first week that ends in it.
            if index + 2 < calendar.weeks.len() || last_month == 0 {
                let _ = writeln!(
                    svg,
                    r#"<text class="chart-axis" x="{}" y="11" font-size="10" fill="{MUTED}">{}</text>"#,
                    num(x),
                    pmcoach_core::growth::date::month_short(month)
                );
            }
            last_month = month;
        }
        for (row, day) in week.days.iter().enumerate() {
            if day.future {
                continue;
            }
            let y = TOP + STEP * row as f64;
            let _ = writeln!(
                svg,
                r#"<rect class="cal-{level}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2.5" fill="{fill}"><title>{date}: {what}</title></rect>"#,
                level = day.level,
                x = num(x),
                y = num(y),
                fill = SHADES[usize::from(day.level.min(4))],
                date = escape(&format!("{} {}", day.date.weekday_short(), day.date.human())),
                what = entries(day.count),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One assessment's levels of a skill, at the day its cycle closed.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelPoint {
    pub day: Date,
    pub own: Option<f64>,
    pub raters: Option<f64>,
    pub target: Option<f64>,
}

/// Geometry of the progress chart.
const P_WIDTH: f64 = 640.0;
const P_HEIGHT: f64 = 230.0;
const P_LEFT: f64 = 34.0;
const P_RIGHT: f64 = 40.0;
const P_TOP: f64 = 16.0;
const P_BOTTOM: f64 = 42.0;

/// Practice entries per week as bars (left axis) and the skill's levels
/// from closed assessments as points and lines (right axis, 1–5).
pub fn progress_svg(id: &str, name: &str, weeks: &[WeekCount], points: &[LevelPoint]) -> String {
    let id = escape(id);
    let inner_w = P_WIDTH - P_LEFT - P_RIGHT;
    let inner_h = P_HEIGHT - P_TOP - P_BOTTOM;
    let bottom = P_TOP + inner_h;
    let most = weeks.iter().map(|w| w.count).max().unwrap_or(0).max(3);
    let slots = weeks.len().max(1) as f64;
    let slot = inner_w / slots;
    let first = weeks.first().map(|w| w.week).unwrap_or(Date::from_days(0));
    let x_of_day = |day: Date| P_LEFT + slot * (day.days_since(first) as f64 / 7.0);
    let y_of_count = |count: f64| bottom - inner_h * count / f64::from(most);
    let y_of_level = |level: f64| bottom - inner_h * (level - 1.0) / 4.0;
    let total: u32 = weeks.iter().map(|w| w.count).sum();

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart progress-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {P_WIDTH} {P_HEIGHT}" width="{P_WIDTH}" height="{P_HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}: practice and assessed level over time</title>"#, escape(name));
    let _ = writeln!(
        svg,
        r#"<desc id="{id}-desc">{} over {} weeks as bars; levels from {} closed assessments as points (the table beside the chart has the numbers).</desc>"#,
        entries(total),
        weeks.len(),
        points.len()
    );
    // Horizontal grid at levels 1–5, labelled on the right (only with levels
    // to show); counts on the left.
    let has_levels = !points.is_empty();
    for level in 1..=5 {
        if !has_levels && level > 1 {
            break;
        }
        let y = num(y_of_level(f64::from(level)));
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{P_LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            num(P_LEFT + inner_w)
        );
        if has_levels {
            let _ = writeln!(
                svg,
                r#"<text class="chart-axis" x="{}" y="{}" font-size="11" fill="{MUTED}">{level}</text>"#,
                num(P_LEFT + inner_w + 8.0),
                num(y_of_level(f64::from(level)) + 4.0)
            );
        }
    }
    if !has_levels {
        let y = num(y_of_count(f64::from(most)));
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{P_LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            num(P_LEFT + inner_w)
        );
    }
    for count in [0, most] {
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="end" fill="{MUTED}">{count}</text>"#,
            num(P_LEFT - 6.0),
            num(y_of_count(f64::from(count)) + 4.0)
        );
    }
    let _ = writeln!(
        svg,
        r#"<text class="chart-axis" x="{P_LEFT}" y="{}" font-size="11" fill="{MUTED}">entries per week</text>{}"#,
        num(P_HEIGHT - 4.0),
        if has_levels {
            format!(
                r#"<text class="chart-axis" x="{}" y="{}" font-size="11" text-anchor="end" fill="{MUTED}">level</text>"#,
                num(P_WIDTH),
                num(P_HEIGHT - 4.0)
            )
        } else {
            String::new()
        }
    );
    // Bars.
    let bar = (slot * 0.7).clamp(2.0, 22.0);
    for (index, week) in weeks.iter().enumerate() {
        let x = P_LEFT + slot * index as f64 + (slot - bar) / 2.0;
        if week.count > 0 {
            let y = y_of_count(f64::from(week.count));
            let _ = writeln!(
                svg,
                r#"<rect class="practice-bar" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{ACCENT}" fill-opacity="0.55"><title>Week of {}: {}</title></rect>"#,
                num(x),
                num(y),
                num(bar),
                num(bottom - y),
                escape(&week.week.human()),
                entries(week.count)
            );
        }
        // A date under every fourth week, and the last.
        if index % 4 == 0 {
            let _ = writeln!(
                svg,
                r#"<text class="chart-axis" x="{}" y="{}" font-size="10" fill="{MUTED}">{}</text>"#,
                num(P_LEFT + slot * index as f64),
                num(bottom + 14.0),
                escape(&week.week.day_month())
            );
        }
    }
    // Level series: target (dashed), self (blue), all raters (orange).
    let visible: Vec<&LevelPoint> = points.iter().filter(|p| p.day >= first).collect();
    for (class, colour, pick, dash) in [
        ("target", TARGET, (|p: &LevelPoint| p.target) as fn(&LevelPoint) -> Option<f64>, true),
        ("self", SELF, |p: &LevelPoint| p.own, false),
        ("others", OTHERS, |p: &LevelPoint| p.raters, false),
    ] {
        let coords: Vec<(f64, f64)> = visible
            .iter()
            .filter_map(|p| {
                pick(p).map(|level| (x_of_day(p.day).min(P_LEFT + inner_w), y_of_level(level.clamp(1.0, 5.0))))
            })
            .collect();
        if coords.len() > 1 {
            let path: Vec<String> = coords.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
            let _ = writeln!(
                svg,
                r#"<polyline class="{class}" points="{}" fill="none" stroke="{colour}" stroke-width="2"{}/>"#,
                path.join(" "),
                if dash { r#" stroke-dasharray="5 4""# } else { "" }
            );
        }
        if !dash {
            for ((x, y), point) in coords.iter().zip(visible.iter().filter(|p| pick(p).is_some())) {
                let _ = writeln!(
                    svg,
                    r##"<circle class="{class}" cx="{}" cy="{}" r="5" fill="{colour}" stroke="#fff" stroke-width="1.5"><title>{} on {}: {}</title></circle>"##,
                    num(*x),
                    num(*y),
                    if class == "self" { "Your own rating" } else { "All raters" },
                    escape(&point.day.human()),
                    num(pick(point).unwrap_or(0.0))
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use pmcoach_core::growth::{calendar, weekly_counts};

    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).expect("date")
    }

    #[test]
    fn the_calendar_draws_one_titled_square_per_past_day() {
        let today = d("2026-03-11");
        let cal = calendar([d("2026-03-10"), d("2026-03-10")], today, 2);
        let svg = calendar_svg(&cal);
        // Two full weeks minus Thu–Sun of this week.
        assert_eq!(svg.matches("<rect").count(), 10);
        assert!(svg.contains("<title>Tue 10 Mar 2026: 2 entries</title>"));
        assert!(svg.contains(r#"class="cal-2""#));
        assert!(svg.contains("aria-label=\"Practice calendar since 2 Mar 2026: 2 entries on 1 days\""));
    }

    #[test]
    fn the_progress_chart_draws_bars_and_levels_and_escapes_names() {
        let weeks =
            weekly_counts([d("2026-03-03"), d("2026-03-04"), d("2026-03-17")], d("2026-03-02"), d("2026-03-23"));
        let points = vec![
            LevelPoint { day: d("2026-03-05"), own: Some(3.0), raters: Some(2.5), target: Some(4.0) },
            LevelPoint { day: d("2026-03-20"), own: Some(4.0), raters: None, target: Some(4.0) },
        ];
        let svg = progress_svg("p1", "Tom & <Jerry>", &weeks, &points);
        assert_eq!(svg.matches(r#"class="practice-bar""#).count(), 2);
        assert!(svg.contains("Week of 2 Mar 2026: 2 entries"));
        assert_eq!(svg.matches(r#"<circle class="self""#).count(), 2);
        assert_eq!(svg.matches(r#"<circle class="others""#).count(), 1);
        assert!(svg.contains(r#"<polyline class="self""#));
        assert!(!svg.contains(r#"<polyline class="others""#), "one point draws no line");
        assert!(svg.contains("Tom &amp; &lt;Jerry&gt;"));
        assert_eq!(svg, progress_svg("p1", "Tom & <Jerry>", &weeks, &points));
    }
}
