//! Views built on top of results and invitations: progress while a cycle is
//! open, completion for admins, history over cycles, and a flat CSV view.

use std::collections::BTreeMap;

use serde::Serialize;

use super::anonymity::{Placement, Plan};
use super::model::Threshold;
use super::results::{Results, Stats};
use crate::framework::model::Observer;
use crate::ids::{Level, SkillId};

/// One rater invitation, as far as progress is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitation {
    pub group: Observer,
    pub answered: bool,
}

/// A group's invitations and where its answers would go if the cycle closed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupProgress {
    pub group: Observer,
    pub invited: usize,
    pub answered: usize,
    /// Answers the group needs to be shown on its own.
    pub threshold: u32,
    pub placement: Placement,
}

/// Who has answered so far: counts only, never a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub invited: usize,
    pub answered: usize,
    /// Groups with at least one invitation, in vocabulary order.
    pub groups: Vec<GroupProgress>,
}

/// Progress of a cycle's invitations, placed by the same rule as results.
pub fn progress(threshold: Threshold, invitations: &[Invitation]) -> Progress {
    let mut counts: BTreeMap<Observer, (usize, usize)> = BTreeMap::new();
    for invitation in invitations {
        let entry = counts.entry(invitation.group).or_default();
        entry.0 += 1;
        entry.1 += usize::from(invitation.answered);
    }
    let plan = Plan::new(threshold, counts.iter().map(|(&g, &(_, answered))| (g, answered)).collect());
    let groups: Vec<GroupProgress> = counts
        .into_iter()
        .map(|(group, (invited, answered))| GroupProgress {
            group,
            invited,
            answered,
            threshold: threshold.for_group(group),
            placement: plan.placement(group),
        })
        .collect();
    Progress {
        invited: groups.iter().map(|g| g.invited).sum(),
        answered: groups.iter().map(|g| g.answered).sum(),
        groups,
    }
}

/// One cycle's line in the admins' completion summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionRow {
    pub cycle: String,
    pub invited: usize,
    pub answered: usize,
}

/// Completion rates for admins: invitations and answers per cycle, and in
/// total. Deliberately built from [`Progress`], which holds no rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub cycles: Vec<CompletionRow>,
    pub invited: usize,
    pub answered: usize,
    /// answered / invited, when anyone was invited.
    pub rate: Option<f64>,
}

pub fn completion<'a>(cycles: impl IntoIterator<Item = (&'a str, &'a Progress)>) -> Completion {
    let cycles: Vec<CompletionRow> = cycles
        .into_iter()
        .map(|(cycle, progress)| CompletionRow {
            cycle: cycle.to_owned(),
            invited: progress.invited,
            answered: progress.answered,
        })
        .collect();
    let invited = cycles.iter().map(|row| row.invited).sum();
    let answered = cycles.iter().map(|row| row.answered).sum();
    let rate = (invited > 0).then(|| answered as f64 / invited as f64);
    Completion { cycles, invited, answered, rate }
}

/// One cycle's point in a skill's history; `None` where the skill was not in
/// that cycle or nothing was shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub cycle: String,
    pub target: Option<Level>,
    pub self_rating: Option<Level>,
    /// The mean of every shown rater answer, as in that cycle's results.
    pub observed: Option<f64>,
}

/// A skill's series, one point per cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillHistory {
    pub id: SkillId,
    pub name: String,
    pub points: Vec<HistoryPoint>,
}

/// Self and raters per skill over cycles, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub cycles: Vec<String>,
    pub skills: Vec<SkillHistory>,
}

/// History from each cycle's [`Results`] (oldest first), so every point obeys
/// the anonymity rules of its own cycle. Skills follow the latest cycle's
/// order, then skills of older cycles only, by id.
pub fn history<'a>(cycles: impl IntoIterator<Item = (&'a str, &'a Results)>) -> History {
    let cycles: Vec<(&str, &Results)> = cycles.into_iter().collect();
    let mut order: Vec<(&SkillId, &str)> = Vec::new();
    for (_, results) in cycles.iter().rev() {
        let mut older: Vec<(&SkillId, &str)> = results
            .skills
            .iter()
            .filter(|skill| !order.iter().any(|(id, _)| *id == &skill.id))
            .map(|skill| (&skill.id, skill.name.as_str()))
            .collect();
        if !order.is_empty() {
            older.sort();
        }
        order.extend(older);
    }
    let skills = order
        .into_iter()
        .map(|(id, name)| SkillHistory {
            id: id.clone(),
            name: name.to_owned(),
            points: cycles
                .iter()
                .map(|(cycle, results)| {
                    let skill = results.skills.iter().find(|skill| &skill.id == id);
                    HistoryPoint {
                        cycle: (*cycle).to_owned(),
                        target: skill.map(|s| s.target),
                        self_rating: skill.and_then(|s| s.self_rating),
                        observed: skill.and_then(|s| s.observed.as_ref()).map(|stats| stats.mean),
                    }
                })
                .collect(),
        })
        .collect();
    History { cycles: cycles.iter().map(|(cycle, _)| (*cycle).to_owned()).collect(), skills }
}

/// The columns of [`csv_rows`].
pub const CSV_HEADER: [&str; 12] = [
    "skill",
    "skill_name",
    "target",
    "weight",
    "source",
    "status",
    "level",
    "raters",
    "not_observed",
    "spread",
    "gap",
    "signal",
];

/// A person's own results as flat rows for a CSV export, built from
/// [`Results`] alone so it can hold nothing the results view does not show.
/// Per skill: a `self` row, an `all-raters` row (the shown answers together),
/// then one row per shown pool asked about the skill; a withheld view has
/// status `withheld` and empty figures. Values are plain text; the writer
/// quotes them.
pub fn csv_rows(results: &Results) -> Vec<[String; 12]> {
    let mut rows = Vec::new();
    for skill in &results.skills {
        let row = |source: &str, status: &str, level: String, stats: Option<&Stats>, gap: String, signal: String| {
            [
                skill.id.to_string(),
                skill.name.clone(),
                skill.target.to_string(),
                format!("{:.4}", skill.weight),
                source.to_owned(),
                status.to_owned(),
                level,
                stats.map(|s| s.raters.to_string()).unwrap_or_default(),
                stats.map(|s| s.not_observed.to_string()).unwrap_or_default(),
                stats.and_then(|s| s.spread).map(|spread| format!("{spread:.2}")).unwrap_or_default(),
                gap,
                signal,
            ]
        };
        let (status, level) = match skill.self_rating {
            Some(level) => ("shown", level.to_string()),
            None => ("not-rated", String::new()),
        };
        rows.push(row("self", status, level, None, String::new(), String::new()));
        let observed = skill.observed.as_ref();
        rows.push(row(
            "all-raters",
            if observed.is_some() { "shown" } else { "withheld" },
            observed.map(|s| format!("{:.2}", s.mean)).unwrap_or_default(),
            observed,
            skill.gap.map(|gap| format!("{gap:.2}")).unwrap_or_default(),
            skill.signal.map(|s| s.to_string()).unwrap_or_default(),
        ));
        for cell in &skill.pools {
            let stats = cell.stats.as_ref();
            rows.push(row(
                cell.pool.as_str(),
                if stats.is_some() { "shown" } else { "withheld" },
                stats.map(|s| format!("{:.2}", s.mean)).unwrap_or_default(),
                stats,
                String::new(),
                cell.signal.map(|s| s.to_string()).unwrap_or_default(),
            ));
        }
    }
    rows
}
