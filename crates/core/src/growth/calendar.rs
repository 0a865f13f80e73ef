//! The practice calendar: the last weeks as a grid of days (a column per
//! week, Monday at the top), each day shaded by how many entries it has.

use std::collections::BTreeMap;

use super::date::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: Date,
    pub count: u32,
    /// 0 (none) to 4 (the most): 1, 2, 3 and 4 or more entries.
    pub level: u8,
    /// After today: drawn empty, never counted.
    pub future: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarWeek {
    /// The Monday.
    pub start: Date,
    /// Monday to Sunday.
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Oldest first; the last one holds `today`.
    pub weeks: Vec<CalendarWeek>,
    /// Entries inside the grid (future days excluded).
    pub total: u32,
    /// Days inside the grid with at least one entry.
    pub active_days: u32,
}

/// The shade of a day with `count` entries.
pub fn level(count: u32) -> u8 {
    count.min(4) as u8
}

/// The last `weeks` weeks up to and including the week of `today`.
pub fn calendar(days: impl IntoIterator<Item = Date>, today: Date, weeks: u32) -> Calendar {
    let weeks = weeks.max(1);
    let mut counts: BTreeMap<Date, u32> = BTreeMap::new();
    for day in days {
        *counts.entry(day).or_default() += 1;
    }
    let first = today.week_start().add_days(-7 * i64::from(weeks - 1));
    let mut total = 0;
    let mut active_days = 0;
    let grid = (0..weeks)
        .map(|w| {
            let start = first.add_days(7 * i64::from(w));
            let days = (0..7)
                .map(|d| {
                    let date = start.add_days(d);
                    let future = date > today;
                    let count = if future { 0 } else { counts.get(&date).copied().unwrap_or(0) };
                    total += count;
                    active_days += u32::from(count > 0);
                    CalendarDay { date, count, level: level(count), future }
                })
                .collect();
            CalendarWeek { start, days }
        })
        .collect();
    Calendar { weeks: grid, total, active_days }
}
