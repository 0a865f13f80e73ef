//! The rules of a growth plan: how many focus skills at once, how often to
//! check in, when an activity is overdue and when to reassess.

use super::date::{DAY_MILLIS, Date};
use crate::framework::model::Cadence;
use crate::vocab::vocabulary;

/// At most three focus skills at a time: deliberate practice needs focus,
/// and a fourth skill mostly dilutes the other three.
pub const MAX_FOCUS_SKILLS: usize = 3;

/// A quarter: the last closed assessment this old (with none open) asks for
/// a reassessment.
pub const REASSESS_AFTER_DAYS: i64 = 90;

/// The range a person may set their own check-in interval in, in days.
pub const CHECK_IN_DAYS: std::ops::RangeInclusive<i64> = 7..=90;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "You already have {MAX_FOCUS_SKILLS} focus skills. Finish or remove one before adding another: three at a time is what a working week leaves room to practise."
    )]
    Full,
    #[error("Check in every 7 to 90 days; \"{0}\" is not a number of days in that range.")]
    CheckInDays(String),
}

/// Whether one more focus skill fits next to `active` ones.
pub fn focus_room(active: usize) -> Result<(), PlanError> {
    if active >= MAX_FOCUS_SKILLS { Err(PlanError::Full) } else { Ok(()) }
}

/// Reads a person's own check-in interval (7–90 days).
pub fn check_in_days(raw: &str) -> Result<i64, PlanError> {
    match raw.trim().parse::<i64>() {
        Ok(days) if CHECK_IN_DAYS.contains(&days) => Ok(days),
        _ => Err(PlanError::CheckInDays(raw.trim().chars().take(20).collect())),
    }
}

/// The days one occurrence of an activity is meant to last before the next;
/// `None` for a one-off.
pub fn cadence_days(cadence: Cadence) -> Option<i64> {
    match cadence {
        Cadence::Once => None,
        Cadence::Daily => Some(1),
        Cadence::Weekly => Some(7),
        Cadence::Fortnightly => Some(14),
        Cadence::Monthly => Some(30),
        Cadence::Quarterly => Some(91),
    }
}

/// How long a one-off activity may wait before it counts as overdue.
const ONCE_WITHIN_DAYS: i64 = 30;

/// An activity is overdue when more than one full period has passed since it
/// was last practised (or, never practised, since it was added). A one-off
/// is overdue when it is still not done 30 days after it was added, and never
/// once done. A daily habit missed yesterday is overdue today.
pub fn activity_overdue(cadence: Cadence, added: Date, last_done: Option<Date>, today: Date) -> bool {
    match (cadence_days(cadence), last_done) {
        (None, Some(_)) => false,
        (None, None) => today.days_since(added) > ONCE_WITHIN_DAYS,
        (Some(period), last) => today.days_since(last.unwrap_or(added).max(added)) > period,
    }
}

/// When the next check-in is due: `every_days` after the last check-in, or
/// after the plan started when there was none. Stable until the next
/// check-in is recorded, so a reminder keyed by it fires once.
pub fn next_check_in(plan_started: i64, last_check_in: Option<i64>, every_days: i64) -> i64 {
    last_check_in.map_or(plan_started, |last| last.max(plan_started)) + every_days * DAY_MILLIS
}

/// When a reassessment is (or becomes) due: `every` after the latest closed
/// cycle, unless a cycle is open (the person is reassessing) or none ever
/// closed (the first assessment is a different prompt). Returns the due
/// moment only when it is at or before `now`.
pub fn reassessment_due(last_closed: Option<i64>, cycle_open: bool, now: i64, every: i64) -> Option<i64> {
    let due = last_closed? + every;
    (!cycle_open && due <= now).then_some(due)
}

vocabulary!(
    /// How practising a focus skill went since the last check-in.
    CheckInFeeling, "check-in answer" {
        Progress => "progress",
        Steady => "steady",
        Stuck => "stuck",
        NoTime => "no-time",
    }
);

impl CheckInFeeling {
    pub fn label(self) -> &'static str {
        match self {
            CheckInFeeling::Progress => "Clear progress",
            CheckInFeeling::Steady => "Steady, some progress",
            CheckInFeeling::Stuck => "Stuck: tried, did not work yet",
            CheckInFeeling::NoTime => "No time to practise",
        }
    }
}
