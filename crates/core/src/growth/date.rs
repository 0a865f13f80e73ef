//! A calendar day in UTC, written `YYYY-MM-DD`. Practice is logged by day,
//! not by instant: "I ran the pricing review on Tuesday".

use std::fmt;

/// Milliseconds in a day.
pub const DAY_MILLIS: i64 = 86_400_000;

/// A day of the proleptic Gregorian calendar, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date: write it as YYYY-MM-DD, such as 2026-03-09")]
    Format(String),
    #[error("{0} is not a day of the calendar")]
    NoSuchDay(String),
}

impl Date {
    /// The day `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        Date { days }
    }

    pub fn days(self) -> i64 {
        self.days
    }

    /// The UTC day an instant falls on.
    pub fn from_millis(millis: i64) -> Date {
        Date { days: millis.div_euclid(DAY_MILLIS) }
    }

    /// Midnight UTC at the start of the day.
    pub fn start_millis(self) -> i64 {
        self.days * DAY_MILLIS
    }

    /// The day from its year, month (1–12) and day of month, if it exists.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { days: days_from_civil(year, month, day) })
    }

    /// Year, month (1–12), day of month (1–31).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }

    /// Parses `YYYY-MM-DD` (exactly that shape, so it sorts as text too).
    pub fn parse(raw: &str) -> Result<Date, DateError> {
        let text = raw.trim();
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(DateError::Format(text.chars().take(40).collect()));
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        Date::from_ymd(i64::from(number(0..4)), number(5..7), number(8..10))
            .ok_or_else(|| DateError::NoSuchDay(text.to_owned()))
    }

    pub fn add_days(self, days: i64) -> Date {
        Date { days: self.days + days }
    }

    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.days + 3).rem_euclid(7) as u32
    }

    /// The Monday of the week this day is in.
    pub fn week_start(self) -> Date {
        self.add_days(-i64::from(self.weekday()))
    }

    /// "Mon", "Tue", …
    pub fn weekday_short(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.weekday() as usize]
    }

    /// "9 Mar 2026".
    pub fn human(self) -> String {
        let (year, month, day) = self.ymd();
        format!("{day} {} {year}", month_short(month))
    }

    /// "9 Mar".
    pub fn day_month(self) -> String {
        let (_, month, day) = self.ymd();
        format!("{day} {}", month_short(month))
    }
}

/// "Jan" … "Dec".
pub fn month_short(month: u32) -> &'static str {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithms (public domain), over eras of
// 400 years so that negative years work too.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_days() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::parse("2000-02-29").map(Date::days), Ok(11_016));
        assert_eq!(Date::parse("2026-11-24").map(|d| d.weekday_short()), Ok("Tue"));
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
    }
}
