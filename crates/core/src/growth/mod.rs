//! Growth plans and deliberate practice (issue 6, module M4): focus skills,
//! goals, activities and their cadence, check-ins, streaks and the practice
//! calendar. Pure: the store keeps the records, this decides what they mean.
//!
//! Days are calendar days in UTC ([`Date`]); weeks start on Monday.

pub mod calendar;
pub mod date;
pub mod plan;
pub mod progress;
pub mod streak;

pub use calendar::{Calendar, CalendarDay, CalendarWeek, calendar};
pub use date::{Date, DateError};
pub use plan::{
    CheckInFeeling, MAX_FOCUS_SKILLS, PlanError, REASSESS_AFTER_DAYS, activity_overdue, cadence_days, check_in_days,
    focus_room, next_check_in, reassessment_due,
};
pub use progress::{WeekCount, weekly_counts};
pub use streak::{Streak, streak};
