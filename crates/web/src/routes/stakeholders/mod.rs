//! The stakeholder map, meetings and notes (issue 6, M6): who a product
//! person works through, what each of them needs, when they last talked,
//! and what was said. Everything here belongs to the signed-in person
//! alone: every handler loads by (owner, id) and answers 404 otherwise.

mod form;
pub mod grid;
mod pages;

use std::sync::OnceLock;

use pmcoach_core::stakeholders::FunctionTemplates;
use time::{Date, Month, OffsetDateTime};

use crate::access::{Access, Routes};
use crate::error::AppError;

pub use form::StakeholderForm;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/stakeholders", Access::Member, pages::list)
        .get("/stakeholders/new", Access::Member, pages::new)
        .post("/stakeholders", Access::Member, pages::create)
        .get("/stakeholders/{stakeholder}", Access::Member, pages::detail)
        .get("/stakeholders/{stakeholder}/edit", Access::Member, pages::edit)
        .post("/stakeholders/{stakeholder}/edit", Access::Member, pages::update)
        .post("/stakeholders/{stakeholder}/meetings", Access::Member, pages::log_meeting)
        .post("/stakeholders/{stakeholder}/archive", Access::Member, pages::archive)
        .post("/stakeholders/{stakeholder}/delete", Access::Member, pages::delete)
}

/// The shipped function templates; a unit test in core keeps them valid,
/// so failing here means the binary was built from broken content.
pub fn templates() -> &'static FunctionTemplates {
    static TEMPLATES: OnceLock<FunctionTemplates> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        FunctionTemplates::embedded().unwrap_or_else(|problems| {
            let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("the embedded stakeholder templates are invalid:\n{}", listed.join("\n"))
        })
    })
}

/// A stakeholder id from the path; anything that is not one is a 404.
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)
}

const DAY_MILLIS: i64 = pmcoach_core::stakeholders::DAY_MILLIS;

/// Midnight UTC of `date`, in Millis: how meeting days are stored.
pub fn date_millis(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

/// The UTC day of a time in Millis.
pub fn millis_date(millis: i64) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000)).ok().map(|t| t.date())
}

/// Today (UTC).
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// `YYYY-MM-DD`, as a date input sends it.
pub fn parse_date(raw: &str) -> Option<Date> {
    let mut parts = raw.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `YYYY-MM-DD`, for a date input's value.
pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// "24 Nov 2026", for people.
pub fn human(date: Date) -> String {
    let month = date.month().to_string();
    format!("{} {} {}", date.day(), &month[..3], date.year())
}

pub fn human_millis(millis: i64) -> String {
    millis_date(millis).map(human).unwrap_or_default()
}

/// Whole days from `due` until `now`: how overdue something is (0 on the day).
pub fn days_overdue(due: i64, now: i64) -> i64 {
    (now - due).div_euclid(DAY_MILLIS)
}

/// The lines of a list kept as text, without blanks.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_millis() {
        let date = parse_date("2026-02-28").unwrap();
        assert_eq!(iso(date), "2026-02-28");
        assert_eq!(human(date), "28 Feb 2026");
        assert_eq!(millis_date(date_millis(date)), Some(date));
        assert_eq!(millis_date(date_millis(date) + DAY_MILLIS - 1), Some(date));
        for bad in ["2026-02-30", "2026-13-01", "yesterday", "", "26-01-01", "2026-1"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn overdue_days_count_whole_days() {
        assert_eq!(days_overdue(0, 0), 0);
        assert_eq!(days_overdue(0, DAY_MILLIS - 1), 0);
        assert_eq!(days_overdue(0, 3 * DAY_MILLIS), 3);
    }
}

/// The dashboard's stakeholder card: how many, and whose 1:1 is overdue.
#[derive(Debug, Default)]
pub struct StakeholderSummary {
    pub count: usize,
    /// (id, name, "3 days overdue"), most overdue first; at most five.
    pub overdue: Vec<(i64, String, String)>,
}

impl StakeholderSummary {
    /// The card of the owner's `stakeholders` at `now` (archived ones are left out).
    pub fn at(stakeholders: &[pmcoach_store::stakeholders::Stakeholder], now: pmcoach_store::Millis) -> Self {
        let active: Vec<_> = stakeholders.iter().filter(|s| s.archived_at.is_none()).collect();
        let mut overdue: Vec<(i64, i64, String)> = active
            .iter()
            .filter_map(|s| s.due_at().filter(|due| *due <= now).map(|due| (due, s.id, s.profile.name.clone())))
            .collect();
        overdue.sort();
        let overdue = overdue
            .into_iter()
            .take(5)
            .map(|(due, id, name)| (id, name, pages::overdue_text(days_overdue(due, now))))
            .collect();
        StakeholderSummary { count: active.len(), overdue }
    }
}
