//! Newtypes that cannot hold an invalid value once parsed.

use std::fmt;

use serde::Serialize;

/// A skill's stable id: lowercase ASCII letters and digits in words joined by
/// single dashes, such as `stakeholder-alignment`. Ids appear in URLs, files
/// and JSON, so they are kept to a form that needs no escaping anywhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SkillId(String);

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error(
        "\"{0}\" is not a valid id: use lowercase letters, digits and single dashes, like \"stakeholder-alignment\""
    )]
    Malformed(String),
}

impl SkillId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        parse_slug(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SkillId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SkillId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Checks the slug form shared by skill and activity ids.
pub(crate) fn parse_slug(raw: &str) -> Result<String, IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    let well_formed = raw
        .split('-')
        .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if well_formed { Ok(raw.to_owned()) } else { Err(IdError::Malformed(raw.to_owned())) }
}

/// A proficiency level from 1 (Learning) to 5 (Role model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Level(u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("level {0} is out of range: levels run from 1 (Learning) to 5 (Role model)")]
pub struct LevelError(pub i64);

impl Level {
    pub const MIN: Level = Level(1);
    pub const MAX: Level = Level(5);
    /// The conventional names of the five levels, in order.
    pub const NAMES: [&'static str; 5] = ["Learning", "Developing", "Proficient", "Advanced", "Role model"];

    pub fn new(value: i64) -> Result<Self, LevelError> {
        if (1..=5).contains(&value) { Ok(Level(value as u8)) } else { Err(LevelError(value)) }
    }

    /// Clamps any integer into 1..=5; used where adjustments add up past the ends.
    pub fn saturating(value: i64) -> Self {
        Level(value.clamp(1, 5) as u8)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[usize::from(self.0) - 1]
    }

    pub fn all() -> impl Iterator<Item = Level> {
        (1..=5).map(Level)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An e-mail address, trimmed and lowercased so that one person has one
/// account however they type it. Only the shape is checked; delivery is the
/// mail server's business.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an e-mail address: it should look like name@company.com")]
pub struct EmailError(pub String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid { Ok(Email(email)) } else { Err(EmailError(raw.trim().to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_ids_accept_dashed_lowercase_words() {
        assert_eq!(SkillId::parse("sql").map(|id| id.to_string()), Ok("sql".to_owned()));
        assert!(SkillId::parse("stakeholder-alignment").is_ok());
        assert!(SkillId::parse("web3-basics").is_ok());
    }

    #[test]
    fn skill_ids_reject_everything_else() {
        for bad in ["", "SQL", "two words", "-lead", "trail-", "double--dash", "ünicode", "snake_case"] {
            assert!(SkillId::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(SkillId::parse(""), Err(IdError::Empty));
    }

    #[test]
    fn emails_are_normalised_and_checked_for_shape() {
        assert_eq!(Email::parse("  Maya@Example.COM ").map(|e| e.to_string()), Ok("maya@example.com".to_owned()));
        for bad in [
            "",
            "maya",
            "maya@",
            "@example.com",
            "maya@example",
            "maya@@example.com",
            "maya @example.com",
            "a@b.",
            "<a@b.com>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn levels_run_from_one_to_five() {
        assert!(Level::new(0).is_err());
        assert!(Level::new(6).is_err());
        assert_eq!(Level::new(3).map(Level::name), Ok("Proficient"));
        assert_eq!(Level::saturating(9), Level::MAX);
        assert_eq!(Level::saturating(-2), Level::MIN);
        assert_eq!(Level::all().count(), 5);
    }
}
