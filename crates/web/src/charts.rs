//! Small hand-written SVG charts. Each function is pure: the same input
//! gives the same bytes, every piece of text is escaped, and every chart is
//! an accessible image (`role="img"`, a `<title>` and a `<desc>` it is
//! labelled by) meant to sit beside a table with the same numbers.
//!
//! Colours come twice: as presentation attributes, so a chart saved on its
//! own still reads, and as classes that the stylesheet maps to the theme's
//! colours (light and dark). Shared palette: the target is grey and dashed;
//! each skill category keeps one colour everywhere.

use std::fmt::Write as _;

use pmcoach_core::framework::model::Category;

/// Grey of the target (`--target`).
const TARGET: &str = "#6b7280";
/// Faint grey of an empty track.
const TRACK: &str = "#e2e2ec";
const TEXT: &str = "#1c1c28";
const MUTED: &str = "#5b5b6e";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// The colour of a skill category (the stylesheet's `.cat-…` classes).
pub fn category_colour(category: Category) -> &'static str {
    match category {
        Category::Soft => "#4f46e5",
        Category::Craft => "#b45309",
        Category::Technical => "#146c43",
    }
}

/// Escapes text for SVG (and HTML) element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One skill in a profile bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillBar<'a> {
    pub name: &'a str,
    pub category: Category,
    /// Target level, 1 to 5 (values outside are clamped).
    pub target: u8,
    /// Share of the whole profile's weight, 0 to 1.
    pub weight: f64,
}

/// Geometry of [`profile_bars`], public so tests can check the scales.
pub mod bars {
    /// Width of the whole chart (its viewBox).
    pub const WIDTH: f64 = 320.0;
    /// Height of the header with the axis labels.
    pub const HEADER: f64 = 34.0;
    /// Height of one skill's row: its name, then its two bars.
    pub const ROW: f64 = 44.0;
    /// The target panel spans `0..LEVEL_WIDTH`, one fifth per level.
    pub const LEVEL_WIDTH: f64 = 150.0;
    /// The weight panel starts here…
    pub const WEIGHT_X: f64 = 172.0;
    /// …and the heaviest skill's bar is this long.
    pub const WEIGHT_WIDTH: f64 = 104.0;
    /// Height of a bar.
    pub const BAR: f64 = 12.0;
}

/// A horizontal bar chart of a profile: per skill a grey dashed bar to its
/// target level on the 1–5 scale and a bar in its category's colour for its
/// weight. `heaviest` is the weight that gets the full bar (pass the largest
/// weight of the whole profile so that several charts share one scale).
/// `id` must be unique on the page; it prefixes the ids the chart is
/// labelled by.
pub fn profile_bars(id: &str, title: &str, description: &str, skills: &[SkillBar<'_>], heaviest: f64) -> String {
    use bars::*;
    let id = escape(id);
    let height = HEADER + ROW * skills.len() as f64 + 6.0;
    let cell = LEVEL_WIDTH / 5.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart profile-bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}">"#,
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(svg, r#"<desc id="{id}-desc">{}</desc>"#, escape(description));

    // Header: the two scales.
    let _ = writeln!(svg, r#"<text class="chart-axis" x="0" y="12" font-size="12" fill="{MUTED}">Target level</text>"#);
    let _ =
        writeln!(svg, r#"<text class="chart-axis" x="{WEIGHT_X}" y="12" font-size="12" fill="{MUTED}">Weight</text>"#);
    for level in 1..=5 {
        let x = cell * f64::from(level);
        let _ = writeln!(
            svg,
            r#"<text class="chart-axis" x="{}" y="28" font-size="11" text-anchor="end" fill="{MUTED}">{level}</text>"#,
            num(x - 3.0)
        );
    }
    // Level grid lines through every row.
    let bottom = height - 6.0;
    for level in 1..=4 {
        let x = num(cell * f64::from(level));
        let _ = writeln!(
            svg,
            r#"<line class="chart-grid" x1="{x}" y1="{HEADER}" x2="{x}" y2="{bottom}" stroke="{TRACK}" stroke-width="1"/>"#
        );
    }

    let heaviest = if heaviest.is_finite() && heaviest > 0.0 { heaviest } else { 1.0 };
    for (index, skill) in skills.iter().enumerate() {
        let top = HEADER + ROW * index as f64;
        let target = skill.target.clamp(1, 5);
        let weight = if skill.weight.is_finite() { skill.weight.clamp(0.0, heaviest) } else { 0.0 };
        let bar_y = num(top + 22.0);
        let colour = category_colour(skill.category);
        let class = skill.category.as_str();
        let _ = writeln!(svg, r#"<g class="chart-row">"#);
        let _ = writeln!(
            svg,
            r#"<text class="chart-label" x="0" y="{}" font-size="14" fill="{TEXT}">{}</text>"#,
            num(top + 15.0),
            escape(skill.name)
        );
        let _ = writeln!(
            svg,
            r#"<text class="chart-value" x="{WIDTH}" y="{}" font-size="12" text-anchor="end" fill="{MUTED}">{}%</text>"#,
            num(top + 32.0),
            percent(weight)
        );
        let _ = writeln!(
            svg,
            r#"<rect class="chart-track" x="0" y="{bar_y}" width="{LEVEL_WIDTH}" height="{BAR}" rx="3" fill="{TRACK}" fill-opacity="0.45"/>"#
        );
        let _ = writeln!(
            svg,
            r#"<rect class="target" data-level="{target}" x="0.75" y="{bar_y}" width="{}" height="{BAR}" rx="3" fill="{TARGET}" fill-opacity="0.18" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4 3"/>"#,
            num(cell * f64::from(target) - 1.5)
        );
        let _ = writeln!(
            svg,
            r#"<rect class="weight cat-{class}" x="{WEIGHT_X}" y="{bar_y}" width="{}" height="{BAR}" rx="3" fill="{colour}"/>"#,
            num(WEIGHT_WIDTH * weight / heaviest)
        );
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>");
    svg
}

/// One part of a [`share_bar`].
#[derive(Debug, Clone, PartialEq)]
pub struct Share<'a> {
    pub label: &'a str,
    pub category: Category,
    /// 0 to 1; the parts should add up to 1.
    pub share: f64,
}

/// Width of a [`share_bar`]'s viewBox.
pub const SHARE_WIDTH: f64 = 360.0;

/// One stacked bar splitting the profile's weight between categories, in the
/// order given; parts of no weight are left out.
pub fn share_bar(id: &str, title: &str, parts: &[Share<'_>]) -> String {
    const HEIGHT: f64 = 16.0;
    const GAP: f64 = 2.0;
    let id = escape(id);
    let parts: Vec<&Share<'_>> = parts.iter().filter(|p| p.share.is_finite() && p.share > 0.0).collect();
    let total: f64 = parts.iter().map(|p| p.share).sum();
    let description =
        parts.iter().map(|p| format!("{} {}%", p.label, percent_whole(p.share / total))).collect::<Vec<_>>().join(", ");
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="chart share-bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SHARE_WIDTH} {HEIGHT}" width="{SHARE_WIDTH}" height="{HEIGHT}" preserveAspectRatio="none" role="img" aria-labelledby="{id}-title {id}-desc">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(svg, r#"<desc id="{id}-desc">{}</desc>"#, escape(&description));
    let usable = SHARE_WIDTH - GAP * parts.len().saturating_sub(1) as f64;
    let mut x = 0.0;
    for part in &parts {
        let width = usable * part.share / total;
        let _ = writeln!(
            svg,
            r#"<rect class="share cat-{}" x="{}" y="0" width="{}" height="{HEIGHT}" rx="3" fill="{}"><title>{}</title></rect>"#,
            part.category.as_str(),
            num(x),
            num(width),
            category_colour(part.category),
            escape(&format!("{} {}%", part.label, percent_whole(part.share / total)))
        );
        x += width + GAP;
    }
    svg.push_str("</svg>");
    svg
}

/// A coordinate with at most two decimals and no trailing zeros, so the
/// output is short and the same on every machine.
fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A share as a percentage with one decimal: 0.0573 → "5.7".
pub fn percent(share: f64) -> String {
    format!("{:.1}", share * 100.0)
}

/// A share as a whole percentage: 0.714 → "71".
pub fn percent_whole(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<SkillBar<'static>> {
        vec![
            SkillBar { name: "Problem solving", category: Category::Soft, target: 5, weight: 0.06 },
            SkillBar { name: "AI & LLM <literacy>", category: Category::Technical, target: 4, weight: 0.03 },
            SkillBar { name: "Sales enablement", category: Category::Craft, target: 2, weight: 0.015 },
        ]
    }

    /// The values of `attribute` on every element whose class list starts with `class`.
    fn attributes(svg: &str, class: &str, attribute: &str) -> Vec<f64> {
        let marker = format!("class=\"{class}");
        svg.match_indices(&marker)
            .map(|(at, _)| {
                let element = &svg[at..at + svg[at..].find('>').expect("element ends")];
                let key = format!(" {attribute}=\"");
                let start = element.find(&key).expect("attribute present") + key.len();
                let end = start + element[start..].find('"').expect("value ends");
                element[start..end].parse().expect("a number")
            })
            .collect()
    }

    #[test]
    fn profile_bars_draw_one_target_and_one_weight_bar_per_skill() {
        let svg = profile_bars("soft", "Soft skills", "Target and weight", &sample(), 0.06);
        assert_eq!(svg.matches("<g class=\"chart-row\">").count(), 3);
        assert_eq!(attributes(&svg, "target", "width").len(), 3);
        assert_eq!(attributes(&svg, "weight", "width").len(), 3);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        let empty = profile_bars("none", "Nothing", "No skills", &[], 0.06);
        assert_eq!(attributes(&empty, "target", "width").len(), 0);
    }

    #[test]
    fn target_bars_scale_with_the_level_and_weight_bars_with_the_heaviest_skill() {
        let svg = profile_bars("soft", "Soft skills", "Target and weight", &sample(), 0.06);
        let targets = attributes(&svg, "target", "width");
        let fifth = bars::LEVEL_WIDTH / 5.0;
        assert_eq!(targets, vec![5.0 * fifth - 1.5, 4.0 * fifth - 1.5, 2.0 * fifth - 1.5]);
        let weights = attributes(&svg, "weight", "width");
        assert_eq!(weights, vec![bars::WEIGHT_WIDTH, bars::WEIGHT_WIDTH / 2.0, bars::WEIGHT_WIDTH / 4.0]);
        // A shared scale: the same skill is half as long when the heaviest is twice as heavy.
        let svg = profile_bars("soft", "Soft skills", "Target and weight", &sample()[..1], 0.12);
        assert_eq!(attributes(&svg, "weight", "width"), vec![bars::WEIGHT_WIDTH / 2.0]);
    }

    #[test]
    fn rows_stack_and_the_chart_grows_with_them() {
        let svg = profile_bars("soft", "Soft skills", "Target and weight", &sample(), 0.06);
        let ys = attributes(&svg, "target", "y");
        assert_eq!(
            ys,
            vec![bars::HEADER + 22.0, bars::HEADER + bars::ROW + 22.0, bars::HEADER + 2.0 * bars::ROW + 22.0]
        );
        let height = bars::HEADER + 3.0 * bars::ROW + 6.0;
        assert!(svg.contains(&format!("viewBox=\"0 0 {} {}\"", bars::WIDTH, height)), "{svg}");
    }

    #[test]
    fn out_of_range_values_are_clamped() {
        let wild = [
            SkillBar { name: "Too high", category: Category::Soft, target: 9, weight: 0.5 },
            SkillBar { name: "Too low", category: Category::Soft, target: 0, weight: f64::NAN },
        ];
        let svg = profile_bars("wild", "Wild", "Clamped", &wild, 0.1);
        let fifth = bars::LEVEL_WIDTH / 5.0;
        assert_eq!(attributes(&svg, "target", "width"), vec![5.0 * fifth - 1.5, fifth - 1.5]);
        assert_eq!(attributes(&svg, "weight", "width"), vec![bars::WEIGHT_WIDTH, 0.0]);
    }

    #[test]
    fn text_is_escaped_and_the_chart_is_labelled() {
        let svg = profile_bars("a\"b", "R&D <skills>", "Targets & weights", &sample(), 0.06);
        assert!(svg.contains("AI &amp; LLM &lt;literacy&gt;"), "{svg}");
        assert!(!svg.contains("<literacy>"));
        assert!(svg.contains(r#"<title id="a&quot;b-title">R&amp;D &lt;skills&gt;</title>"#), "{svg}");
        assert!(svg.contains(r#"role="img" aria-labelledby="a&quot;b-title a&quot;b-desc""#), "{svg}");
        assert!(svg.contains(r#"<desc id="a&quot;b-desc">Targets &amp; weights</desc>"#), "{svg}");
    }

    #[test]
    fn charts_are_deterministic() {
        let one = profile_bars("soft", "Soft skills", "Target and weight", &sample(), 0.06);
        let two = profile_bars("soft", "Soft skills", "Target and weight", &sample(), 0.06);
        assert_eq!(one, two);
    }

    #[test]
    fn share_bar_splits_its_width_by_share_and_skips_empty_parts() {
        let parts = [
            Share { label: "Soft skills", category: Category::Soft, share: 0.5 },
            Share { label: "Product craft", category: Category::Craft, share: 0.0 },
            Share { label: "Technical skills", category: Category::Technical, share: 0.5 },
        ];
        let svg = share_bar("share", "The mix", &parts);
        let widths = attributes(&svg, "share", "width");
        assert_eq!(widths, vec![(SHARE_WIDTH - 2.0) / 2.0, (SHARE_WIDTH - 2.0) / 2.0]);
        assert_eq!(attributes(&svg, "share", "x"), vec![0.0, (SHARE_WIDTH - 2.0) / 2.0 + 2.0]);
        assert!(svg.contains("<desc id=\"share-desc\">Soft skills 50%, Technical skills 50%</desc>"), "{svg}");
        assert!(!svg.contains("Product craft"));
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.001), "0");
        assert_eq!(percent(0.0573), "5.7");
        assert_eq!(percent_whole(0.714), "71");
    }

    #[test]
    fn profile_bars_snapshot() {
        insta::assert_snapshot!(profile_bars("soft", "Soft skills", "Target level and weight", &sample(), 0.06));
    }

    #[test]
    fn share_bar_snapshot() {
        let parts = [
            Share { label: "Soft skills", category: Category::Soft, share: 0.66 },
            Share { label: "Product craft", category: Category::Craft, share: 0.06 },
            Share { label: "Technical skills", category: Category::Technical, share: 0.28 },
        ];
        insta::assert_snapshot!(share_bar("share", "How the weight splits", &parts));
    }
}
