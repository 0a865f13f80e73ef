//! The stakeholder map (issue 6, module M6): function templates, the
//! influence/interest grid, 1:1 cadence and what is overdue. Pure.

mod templates;

pub use templates::{FunctionTemplate, FunctionTemplates};

/// One day in milliseconds: cadences are whole days.
pub const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// The longest 1:1 cadence, in days: beyond a year a 1:1 is not a cadence.
pub const MAX_CADENCE_DAYS: i64 = 365;

/// When the next 1:1 with a stakeholder is due: the last meeting (or, with
/// none, the moment they were added) plus the cadence. `None` without a
/// cadence: such a stakeholder is never overdue. The store's SQL computes
/// the same sum; keep the two in step.
pub fn next_due(last_met_at: Option<i64>, created_at: i64, cadence_days: Option<i64>) -> Option<i64> {
    let days = cadence_days?;
    Some(last_met_at.unwrap_or(created_at).saturating_add(days.saturating_mul(DAY_MILLIS)))
}

/// Where a stakeholder sits on the influence/interest grid. A score of 3 or
/// more (on 1–5) counts as high, so that a middling stakeholder is kept in
/// view rather than left to "monitor".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quadrant {
    ManageClosely,
    KeepSatisfied,
    KeepInformed,
    Monitor,
}

impl Quadrant {
    /// The lowest score that counts as high.
    pub const HIGH: u8 = 3;

    pub fn of(influence: u8, interest: u8) -> Quadrant {
        match (influence >= Self::HIGH, interest >= Self::HIGH) {
            (true, true) => Quadrant::ManageClosely,
            (true, false) => Quadrant::KeepSatisfied,
            (false, true) => Quadrant::KeepInformed,
            (false, false) => Quadrant::Monitor,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Quadrant::ManageClosely => "Manage closely",
            Quadrant::KeepSatisfied => "Keep satisfied",
            Quadrant::KeepInformed => "Keep informed",
            Quadrant::Monitor => "Monitor",
        }
    }

    /// What the quadrant asks of a product person, in one line.
    pub fn advice(self) -> &'static str {
        match self {
            Quadrant::ManageClosely => "Involve them in decisions and meet them regularly.",
            Quadrant::KeepSatisfied => "Short, well-timed updates; no surprises, no detail they did not ask for.",
            Quadrant::KeepInformed => "Share progress often and listen: they feel the changes first.",
            Quadrant::Monitor => "Check in now and then; watch whether their stake grows.",
        }
    }

    pub const ALL: [Quadrant; 4] =
        [Quadrant::ManageClosely, Quadrant::KeepSatisfied, Quadrant::KeepInformed, Quadrant::Monitor];
}

/// The word for a relationship health score (1–5).
pub fn health_label(health: u8) -> &'static str {
    match health {
        1 => "strained",
        2 => "uneasy",
        3 => "neutral",
        4 => "good",
        _ => "strong",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_1_1_counts_from_the_last_meeting_or_from_when_they_were_added() {
        assert_eq!(next_due(Some(1_000), 5, Some(2)), Some(1_000 + 2 * DAY_MILLIS));
        assert_eq!(next_due(None, 5, Some(1)), Some(5 + DAY_MILLIS));
        assert_eq!(next_due(Some(1_000), 5, None), None);
    }

    #[test]
    fn three_or_more_counts_as_high() {
        assert_eq!(Quadrant::of(3, 3), Quadrant::ManageClosely);
        assert_eq!(Quadrant::of(5, 2), Quadrant::KeepSatisfied);
        assert_eq!(Quadrant::of(2, 5), Quadrant::KeepInformed);
        assert_eq!(Quadrant::of(1, 2), Quadrant::Monitor);
    }
}
