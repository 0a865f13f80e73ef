//! The stakeholder and meeting forms: what was typed, kept as typed so a
//! form with problems comes back whole, and the checks that turn it into
//! what the store keeps.

use pmcoach_core::stakeholders::{FunctionTemplate, MAX_CADENCE_DAYS};
use pmcoach_store::stakeholders::{NewMeeting, Stakeholder, StakeholderProfile};
use serde::Deserialize;

use super::{date_millis, iso, millis_date, parse_date, templates, today};
use crate::routes::forms::FieldErrors;

/// The longest name or title.
pub const MAX_NAME: usize = 200;
/// The longest free text (a list, notes, decisions, follow-ups).
pub const MAX_TEXT: usize = 4_000;
/// The longest channel or style: one or two sentences.
const MAX_SHORT: usize = 400;

/// The stakeholder form as typed.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct StakeholderForm {
    pub name: String,
    pub function: String,
    pub title: String,
    pub goals: String,
    pub pressures: String,
    pub needs: String,
    pub channel: String,
    pub style: String,
    pub influence: String,
    pub interest: String,
    pub health: String,
    pub cadence_days: String,
    pub last_met: String,
}

impl StakeholderForm {
    /// A form prefilled from a function template; scores start in the middle.
    pub fn from_template(template: &FunctionTemplate) -> Self {
        StakeholderForm {
            function: template.id.clone(),
            goals: template.goals.join("\n"),
            pressures: template.pressures.join("\n"),
            needs: template.needs.join("\n"),
            channel: template.channel.clone(),
            style: template.style.clone(),
            influence: "3".to_owned(),
            interest: "3".to_owned(),
            health: "3".to_owned(),
            cadence_days: template.cadence_days.to_string(),
            ..StakeholderForm::default()
        }
    }

    /// An empty form (scores in the middle, no cadence chosen yet).
    pub fn blank() -> Self {
        StakeholderForm {
            influence: "3".to_owned(),
            interest: "3".to_owned(),
            health: "3".to_owned(),
            ..StakeholderForm::default()
        }
    }

    /// The form for editing a stakeholder as stored.
    pub fn from_stakeholder(stakeholder: &Stakeholder) -> Self {
        let profile = &stakeholder.profile;
        StakeholderForm {
            name: profile.name.clone(),
            function: profile.function_id.clone(),
            title: profile.title.clone().unwrap_or_default(),
            goals: profile.goals.clone(),
            pressures: profile.pressures.clone(),
            needs: profile.needs.clone(),
            channel: profile.channel.clone(),
            style: profile.style.clone(),
            influence: profile.influence.to_string(),
            interest: profile.interest.to_string(),
            health: profile.health.to_string(),
            cadence_days: profile.cadence_days.map(|d| d.to_string()).unwrap_or_default(),
            last_met: profile.last_met_at.and_then(millis_date).map(iso).unwrap_or_default(),
        }
    }

    /// Checks every field, reporting all problems at once.
    pub fn validate(&self) -> Result<StakeholderProfile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = short(&mut errors, "name", "their name", &self.name, true).unwrap_or_default();
        let function_id = self.function.trim();
        if function_id.is_empty() {
            errors.add("function", "Choose the function they work in.");
        } else if templates().get(function_id).is_none() {
            errors.add("function", "Choose one of the functions in the list.");
        }
        let title = short(&mut errors, "title", "their role or title", &self.title, false);
        let goals = long(&mut errors, "goals", "Their goals", &self.goals, MAX_TEXT);
        let pressures = long(&mut errors, "pressures", "Their pressures", &self.pressures, MAX_TEXT);
        let needs = long(&mut errors, "needs", "What they need from you", &self.needs, MAX_TEXT);
        let channel = long(&mut errors, "channel", "The preferred channel", &self.channel, MAX_SHORT);
        let style = long(&mut errors, "style", "The preferred style", &self.style, MAX_SHORT);
        let influence = score(&mut errors, "influence", "how much influence they have", &self.influence);
        let interest = score(&mut errors, "interest", "how much interest they have in your work", &self.interest);
        let health = score(&mut errors, "health", "how healthy the relationship is", &self.health);
        let cadence_days = cadence(&mut errors, &self.cadence_days);
        let last_met_at = match self.last_met.trim() {
            "" => None,
            raw => past_date(&mut errors, "last_met", raw).map(date_millis),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(StakeholderProfile {
            name,
            function_id: function_id.to_owned(),
            title,
            goals,
            pressures,
            needs,
            channel,
            style,
            influence,
            interest,
            health,
            cadence_days,
            last_met_at,
        })
    }
}

/// The meeting form as typed.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct MeetingForm {
    pub date: String,
    pub notes: String,
    pub decisions: String,
    pub follow_ups: String,
}

impl MeetingForm {
    /// An empty meeting on today's date.
    pub fn today() -> Self {
        MeetingForm { date: iso(today()), ..MeetingForm::default() }
    }

    pub fn validate(&self) -> Result<NewMeeting, FieldErrors> {
        let mut errors = FieldErrors::default();
        let met_at = match self.date.trim() {
            "" => {
                errors.add("date", "Enter the day you met.");
                None
            }
            raw => past_date(&mut errors, "date", raw).map(date_millis),
        };
        let notes = long(&mut errors, "notes", "The notes", &self.notes, MAX_TEXT);
        let decisions = long(&mut errors, "decisions", "The decisions", &self.decisions, MAX_TEXT);
        let follow_ups = long(&mut errors, "follow_ups", "The follow-ups", &self.follow_ups, MAX_TEXT);
        if errors.is_empty() && notes.is_empty() && decisions.is_empty() && follow_ups.is_empty() {
            errors
                .add("notes", "Write down at least one thing: what you heard, what you decided or what you owe them.");
        }
        match met_at {
            Some(met_at) if errors.is_empty() => Ok(NewMeeting { met_at, notes, decisions, follow_ups }),
            _ => Err(errors),
        }
    }
}

fn short(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str, required: bool) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.add(field, format!("Enter {label}."));
        }
        return None;
    }
    if value.chars().count() > MAX_NAME {
        errors.add(field, format!("Keep {label} to {MAX_NAME} characters or fewer."));
    } else if value.chars().any(char::is_control) {
        errors.add(field, format!("Write {label} on one line, without control characters."));
    }
    Some(value.to_owned())
}

/// Optional free text; line breaks are kept, each line trimmed.
fn long(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str, max: usize) -> String {
    let value: Vec<&str> = value.trim().lines().map(str::trim_end).collect();
    let value = value.join("\n");
    let count = value.chars().count();
    if count > max {
        errors.add(field, format!("{label} run to {count} characters; keep them to {max}."));
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors.add(field, format!("{label} contain control characters; remove them."));
    }
    value
}

fn score(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            errors.add(field, format!("Choose {label} on the scale from 1 to 5."));
            0
        }
    }
}

fn cadence(errors: &mut FieldErrors, value: &str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(days) if (1..=MAX_CADENCE_DAYS).contains(&days) => Some(days),
        _ => {
            errors.add(
                "cadence_days",
                format!("Give a cadence from 1 to {MAX_CADENCE_DAYS} days, or leave it empty for no regular 1:1."),
            );
            None
        }
    }
}

/// A day that has happened. Tomorrow (UTC) is allowed, because it is
/// already today for people east of UTC.
fn past_date(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<time::Date> {
    match parse_date(raw) {
        None => {
            errors.add(field, "Enter a date as YYYY-MM-DD, such as 2026-03-14.");
            None
        }
        Some(date) if date > today().next_day().unwrap_or(date) => {
            errors.add(field, "That day has not happened yet; log meetings once they took place.");
            None
        }
        Some(date) => Some(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> StakeholderForm {
        StakeholderForm {
            name: "Lena Park".to_owned(),
            ..StakeholderForm::from_template(templates().get("sales").unwrap())
        }
    }

    #[test]
    fn a_template_prefills_a_form_that_validates() {
        let profile = good().validate().unwrap();
        assert_eq!(profile.function_id, "sales");
        assert_eq!(profile.cadence_days, Some(14));
        assert!(profile.goals.contains("quota"), "{}", profile.goals);
        assert_eq!((profile.influence, profile.interest, profile.health), (3, 3, 3));
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let form = StakeholderForm {
            name: " ".to_owned(),
            function: "astrology".to_owned(),
            influence: "0".to_owned(),
            interest: "6".to_owned(),
            health: "x".to_owned(),
            cadence_days: "366".to_owned(),
            last_met: "2999-01-01".to_owned(),
            goals: "g".repeat(MAX_TEXT + 1),
            title: "t".repeat(MAX_NAME + 1),
            ..good()
        };
        let errors = form.validate().unwrap_err();
        for field in
            ["name", "function", "influence", "interest", "health", "cadence_days", "last_met", "goals", "title"]
        {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(errors.len(), 9);
    }

    #[test]
    fn no_cadence_is_allowed_and_a_meeting_needs_something_written() {
        let profile = StakeholderForm { cadence_days: String::new(), ..good() }.validate().unwrap();
        assert_eq!(profile.cadence_days, None);
        let empty = MeetingForm::today().validate().unwrap_err();
        assert!(empty.get("notes").is_some());
        let meeting = MeetingForm { follow_ups: "Send the deck".to_owned(), ..MeetingForm::today() }.validate();
        assert_eq!(meeting.unwrap().follow_ups, "Send the deck");
    }
}
