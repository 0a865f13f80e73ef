//! The role-context engine: "which skills does my role need, and how much of
//! each?" It depends on the context, and the rules that say how live as data
//! in `context-rules.toml` beside the skills.

pub mod engine;
pub mod json;
pub mod rules;

use serde::Serialize;

use crate::vocab::vocabulary;

vocabulary!(
    /// The product role.
    Role, "role" {
        Pm => "pm",
        Pmm => "pmm",
        Tpm => "tpm",
        GrowthPm => "growth-pm",
        PlatformPm => "platform-pm",
    }
);

vocabulary!(
    /// Seniority, from associate PM to VP.
    CareerLevel, "level" {
        Apm => "apm",
        Pm => "pm",
        Senior => "senior",
        Lead => "lead",
        Director => "director",
        Vp => "vp",
    }
);

vocabulary!(
    /// How far along the company is.
    CompanyStage, "company stage" {
        Early => "early",
        Scaleup => "scaleup",
        Enterprise => "enterprise",
    }
);

vocabulary!(
    /// A three-step scale for technicality, team maturity, ambiguity and
    /// data-drivenness.
    Degree, "value" {
        Low => "low",
        Medium => "medium",
        High => "high",
    }
);

vocabulary!(
    /// Whom the profile is for: a person growing in the role, or a hiring
    /// manager building a scorecard (who leans on hard skills).
    Purpose, "purpose" {
        Growth => "growth",
        Hiring => "hiring",
    }
);

/// Industries the rules know about; any other industry is accepted as free
/// text and simply triggers no industry rule.
pub const INDUSTRY_PRESETS: &[&str] = &[
    "ai",
    "devtools",
    "fintech",
    "financial-services",
    "healthcare",
    "consumer",
    "b2b-saas",
    "internal-tools",
    "public-sector",
];

/// Everything the engine needs to know about a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RoleContext {
    pub role: Role,
    pub level: CareerLevel,
    pub stage: CompanyStage,
    /// Lowercase, trimmed; `None` when not given.
    pub industry: Option<String>,
    pub technicality: Degree,
    pub team_maturity: Degree,
    pub ambiguity: Degree,
    pub data_driven: Degree,
    pub purpose: Purpose,
}

impl RoleContext {
    /// A context with the defaults for everything but role and level: a
    /// scale-up, no particular industry, medium on every scale, for growth.
    pub fn new(role: Role, level: CareerLevel) -> Self {
        RoleContext {
            role,
            level,
            stage: CompanyStage::Scaleup,
            industry: None,
            technicality: Degree::Medium,
            team_maturity: Degree::Medium,
            ambiguity: Degree::Medium,
            data_driven: Degree::Medium,
            purpose: Purpose::Growth,
        }
    }

    /// Normalises free-text industry input: trimmed, lowercase, spaces as
    /// dashes, empty as none.
    pub fn with_industry(mut self, industry: &str) -> Self {
        let normalised = industry.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
        self.industry = (!normalised.is_empty()).then_some(normalised);
        self
    }

    /// Whether the industry, if any, is one the rules know.
    pub fn industry_is_preset(&self) -> bool {
        self.industry.as_deref().is_none_or(|industry| INDUSTRY_PRESETS.contains(&industry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_is_normalised_free_text() {
        let context = RoleContext::new(Role::Pm, CareerLevel::Pm).with_industry("  Financial Services ");
        assert_eq!(context.industry.as_deref(), Some("financial-services"));
        assert!(context.industry_is_preset());
        let context = context.with_industry("Space Mining");
        assert_eq!(context.industry.as_deref(), Some("space-mining"));
        assert!(!context.industry_is_preset());
        assert_eq!(context.with_industry("   ").industry, None);
    }

    #[test]
    fn unknown_values_list_the_valid_ones() {
        let error = Role::parse("designer").unwrap_err().to_string();
        assert_eq!(error, "unknown role \"designer\": expected one of pm, pmm, tpm, growth-pm, platform-pm");
    }
}
