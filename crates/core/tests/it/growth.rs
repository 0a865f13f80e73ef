//! Growth plans: the plan rules, streaks, the calendar and the progress
//! series, each checked against examples worked out by hand.

use pmcoach_core::framework::model::Cadence;
use pmcoach_core::growth::{
    Date, MAX_FOCUS_SKILLS, PlanError, activity_overdue, cadence_days, calendar, check_in_days, focus_room,
    next_check_in, reassessment_due, streak, weekly_counts,
};

const DAY: i64 = 86_400_000;

fn d(text: &str) -> Date {
    Date::parse(text).expect("date")
}

#[test]
fn dates_parse_only_real_days_in_one_shape() {
    assert_eq!(d("2026-03-09").to_string(), "2026-03-09");
    assert_eq!(d("2024-02-29").ymd(), (2024, 2, 29));
    for bad in ["2026-3-9", "09/03/2026", "2026-02-30", "2025-02-29", "2026-13-01", "", "tomorrow", "2026-03-09x"] {
        assert!(Date::parse(bad).is_err(), "{bad:?} should be refused");
    }
    // 2026-03-09 is a Monday; 2026-03-15 the Sunday of the same week.
    assert_eq!(d("2026-03-09").weekday_short(), "Mon");
    assert_eq!(d("2026-03-15").week_start(), d("2026-03-09"));
    assert_eq!(d("2026-03-09").week_start(), d("2026-03-09"));
    // Across a year end: Thursday 2026-01-01 belongs to the week of Monday 2025-12-29.
    assert_eq!(d("2026-01-01").week_start(), d("2025-12-29"));
    assert_eq!(d("2026-03-09").human(), "9 Mar 2026");
    // An instant one millisecond before midnight is still the day before.
    let midnight = d("2026-03-10").start_millis();
    assert_eq!(Date::from_millis(midnight - 1), d("2026-03-09"));
    assert_eq!(Date::from_millis(midnight), d("2026-03-10"));
}

#[test]
fn three_focus_skills_at_most() {
    assert_eq!(MAX_FOCUS_SKILLS, 3);
    assert_eq!(focus_room(0), Ok(()));
    assert_eq!(focus_room(2), Ok(()));
    assert_eq!(focus_room(3), Err(PlanError::Full));
    assert!(PlanError::Full.to_string().contains("Finish or remove one"));
}

#[test]
fn check_in_interval_is_seven_to_ninety_days() {
    assert_eq!(check_in_days("7"), Ok(7));
    assert_eq!(check_in_days(" 90 "), Ok(90));
    for bad in ["6", "91", "0", "-14", "two weeks", "", "14.5"] {
        assert!(check_in_days(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn cadences_have_periods_and_parse_from_the_framework_vocabulary() {
    assert_eq!(Cadence::parse("fortnightly").map(cadence_days), Ok(Some(14)));
    assert_eq!(cadence_days(Cadence::Once), None);
    assert_eq!(cadence_days(Cadence::Weekly), Some(7));
    assert!(Cadence::parse("hourly").is_err());
}

#[test]
fn an_activity_is_overdue_after_one_full_period_without_practice() {
    let added = d("2026-03-02");
    // Weekly, never done: due within 7 days, overdue on day 8.
    assert!(!activity_overdue(Cadence::Weekly, added, None, d("2026-03-09")));
    assert!(activity_overdue(Cadence::Weekly, added, None, d("2026-03-10")));
    // Done on the 12th: fine until the 19th, overdue on the 20th.
    assert!(!activity_overdue(Cadence::Weekly, added, Some(d("2026-03-12")), d("2026-03-19")));
    assert!(activity_overdue(Cadence::Weekly, added, Some(d("2026-03-12")), d("2026-03-20")));
    // Practice logged before the activity was added does not count.
    assert!(activity_overdue(Cadence::Weekly, added, Some(d("2026-02-20")), d("2026-03-10")));
    // Daily: missed yesterday is overdue today.
    assert!(activity_overdue(Cadence::Daily, added, Some(d("2026-03-04")), d("2026-03-06")));
    assert!(!activity_overdue(Cadence::Daily, added, Some(d("2026-03-05")), d("2026-03-06")));
    // A one-off: 30 days of grace, never overdue once done.
    assert!(!activity_overdue(Cadence::Once, added, None, d("2026-04-01")));
    assert!(activity_overdue(Cadence::Once, added, None, d("2026-04-02")));
    assert!(!activity_overdue(Cadence::Once, added, Some(d("2026-03-03")), d("2026-09-01")));
}

#[test]
fn the_next_check_in_follows_the_last_one_or_the_start() {
    let start = d("2026-03-02").start_millis();
    assert_eq!(next_check_in(start, None, 14), d("2026-03-16").start_millis());
    let last = d("2026-03-17").start_millis() + 5;
    assert_eq!(next_check_in(start, Some(last), 14), d("2026-03-31").start_millis() + 5);
    assert_eq!(next_check_in(start, Some(last), 7), last + 7 * DAY);
}

#[test]
fn reassessment_is_due_a_quarter_after_the_last_closed_cycle() {
    let closed = d("2026-01-05").start_millis();
    let every = 90 * DAY;
    assert_eq!(reassessment_due(Some(closed), false, closed + every - 1, every), None);
    assert_eq!(reassessment_due(Some(closed), false, closed + every, every), Some(closed + every));
    assert_eq!(reassessment_due(Some(closed), false, closed + 200 * DAY, every), Some(closed + every));
    // An open cycle means the person is reassessing already.
    assert_eq!(reassessment_due(Some(closed), true, closed + 200 * DAY, every), None);
    // Never assessed: no reassessment prompt.
    assert_eq!(reassessment_due(None, false, closed, every), None);
}

#[test]
fn streaks_count_consecutive_weeks_with_practice() {
    // Weeks of Mondays 2026-02-02, 02-09, 02-16 (two entries), a gap on
    // 02-23, then 03-02 and 03-09. Today is Wednesday 2026-03-11.
    let days = ["2026-02-03", "2026-02-12", "2026-02-16", "2026-02-22", "2026-03-06", "2026-03-10"].map(d);
    let today = d("2026-03-11");
    let s = streak(days, today);
    assert_eq!((s.current, s.longest, s.this_week), (2, 3, true));
}

#[test]
fn a_week_in_progress_does_not_break_the_streak() {
    // Practice in the weeks of 02-23 and 03-02; today, Monday 03-09, nothing yet.
    let days = [d("2026-02-25"), d("2026-03-08")];
    let s = streak(days, d("2026-03-09"));
    assert_eq!((s.current, s.longest, s.this_week), (2, 2, false));
    // A whole week without practice (03-09 to 03-15) ends it on 03-16.
    let s = streak(days, d("2026-03-16"));
    assert_eq!((s.current, s.longest), (0, 2));
    // No practice at all, and future days do not count.
    assert_eq!(streak([], d("2026-03-16")).longest, 0);
    assert_eq!(streak([d("2026-04-01")], d("2026-03-16")).current, 0);
}

#[test]
fn the_calendar_is_a_grid_of_weeks_ending_with_today() {
    let today = d("2026-03-11"); // a Wednesday
    let days = ["2026-03-10", "2026-03-10", "2026-03-02", "2026-02-20", "2026-03-12"].map(d);
    let cal = calendar(days, today, 2);
    assert_eq!(cal.weeks.len(), 2);
    assert_eq!(cal.weeks[0].start, d("2026-03-02"));
    assert_eq!(cal.weeks[1].start, d("2026-03-09"));
    assert!(cal.weeks.iter().all(|w| w.days.len() == 7));
    // Tuesday 03-10 has two entries; 03-12 is in the future and not counted;
    // 02-20 is before the grid.
    let tuesday = &cal.weeks[1].days[1];
    assert_eq!((tuesday.date, tuesday.count, tuesday.level, tuesday.future), (d("2026-03-10"), 2, 2, false));
    let thursday = &cal.weeks[1].days[3];
    assert_eq!((thursday.count, thursday.future), (0, true));
    assert_eq!((cal.total, cal.active_days), (3, 2));
    // Four or more entries share the darkest shade.
    let busy = calendar([d("2026-03-11"); 7], today, 1);
    assert_eq!(busy.weeks[0].days[2].level, 4);
}

#[test]
fn weekly_counts_cover_every_week_with_zeros() {
    let days = ["2026-03-03", "2026-03-05", "2026-03-17", "2026-01-01", "2026-04-30"].map(d);
    let series = weekly_counts(days, d("2026-03-04"), d("2026-03-18"));
    let got: Vec<(String, u32)> = series.iter().map(|w| (w.week.to_string(), w.count)).collect();
    assert_eq!(got, vec![("2026-03-02".to_owned(), 2), ("2026-03-09".to_owned(), 0), ("2026-03-16".to_owned(), 1)]);
}
