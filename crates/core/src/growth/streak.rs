//! Practice streaks, counted in weeks.
//!
//! A week (Monday to Sunday, UTC) counts when it has at least one practice
//! entry. Weeks suit deliberate practice better than days: most activities
//! happen weekly or fortnightly (a sales call, a 1:1 with an engineer), and
//! a daily streak would punish a person for a weekend.
//!
//! The **current** streak is the run of counted weeks that ends with this
//! week, or with last week while this week is still without an entry: a
//! week in progress does not break a streak until it is over. The
//! **longest** streak is the longest run ever, the current one included.

use std::collections::BTreeSet;

use super::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Streak {
    /// Consecutive weeks with practice up to now (see the module docs).
    pub current: u32,
    pub longest: u32,
    /// Whether this week already has an entry.
    pub this_week: bool,
}

/// The streak of the given practice days, as of `today`. Days after
/// `today` are ignored.
pub fn streak(days: impl IntoIterator<Item = Date>, today: Date) -> Streak {
    let weeks: BTreeSet<Date> = days.into_iter().filter(|day| *day <= today).map(Date::week_start).collect();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for week in &weeks {
        run = if previous.is_some_and(|p| week.days_since(p) == 7) { run + 1 } else { 1 };
        longest = longest.max(run);
        previous = Some(*week);
    }
    let this_week = today.week_start();
    let has_this_week = weeks.contains(&this_week);
    let mut current = 0;
    let mut week = if has_this_week { this_week } else { this_week.add_days(-7) };
    while weeks.contains(&week) {
        current += 1;
        week = week.add_days(-7);
    }
    Streak { current, longest, this_week: has_this_week }
}
