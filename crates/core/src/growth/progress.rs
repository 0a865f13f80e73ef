//! The progress series of a focus skill: practice entries per week across
//! time (reassessment levels come from the assessment results as they are).

use std::collections::BTreeMap;

use super::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WeekCount {
    /// The Monday.
    pub week: Date,
    pub count: u32,
}

/// One count per week from the week of `from` to the week of `to`, both
/// included, zeros where nothing was logged. Days outside are ignored.
pub fn weekly_counts(days: impl IntoIterator<Item = Date>, from: Date, to: Date) -> Vec<WeekCount> {
    let (first, last) = (from.week_start(), to.week_start());
    let mut counts: BTreeMap<Date, u32> = BTreeMap::new();
    for day in days {
        let week = day.week_start();
        if week >= first && week <= last {
            *counts.entry(week).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    let mut week = first;
    while week <= last {
        out.push(WeekCount { week, count: counts.get(&week).copied().unwrap_or(0) });
        week = week.add_days(7);
    }
    out
}
