//! The public JSON shape of a profile (PRODUCT.md section 4), shared by
//! `pmcoach profile --format json` and the web API so the two cannot drift,
//! and [`ContextInput`], the same context read back from JSON.
//!
//! Weights and shares are rounded to four decimals for reading; the engine
//! keeps full precision.

use serde::{Deserialize, Serialize};

use super::engine::Profile;
use super::{CareerLevel, CompanyStage, Degree, Purpose, Role, RoleContext};
use crate::vocab::UnknownValue;

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// `{"context":{…},"soft_share":0.62,"skills":[…]}`, heaviest skill first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileJson<'a> {
    pub context: ContextJson<'a>,
    /// Share of the weight on soft and craft skills, 0–1.
    pub soft_share: f64,
    pub skills: Vec<SkillTargetJson<'a>>,
}

/// The role context a profile was computed for; every value spelled as on
/// the command line, `industry` `null` when none was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextJson<'a> {
    pub role: &'a str,
    pub level: &'a str,
    pub stage: &'a str,
    pub industry: Option<&'a str>,
    pub technicality: &'a str,
    pub team_maturity: &'a str,
    pub ambiguity: &'a str,
    pub data_driven: &'a str,
    pub purpose: &'a str,
}

/// `{"id","name","category","target","weight","reasons"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillTargetJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    /// 1 (Learning) to 5 (Role model).
    pub target: u8,
    /// Share of the profile's weight, 0–1; all skills sum to 1.
    pub weight: f64,
    /// The base first, then every rule that applied.
    pub reasons: &'a [String],
}

impl<'a> From<&'a RoleContext> for ContextJson<'a> {
    fn from(c: &'a RoleContext) -> Self {
        ContextJson {
            role: c.role.as_str(),
            level: c.level.as_str(),
            stage: c.stage.as_str(),
            industry: c.industry.as_deref(),
            technicality: c.technicality.as_str(),
            team_maturity: c.team_maturity.as_str(),
            ambiguity: c.ambiguity.as_str(),
            data_driven: c.data_driven.as_str(),
            purpose: c.purpose.as_str(),
        }
    }
}

impl<'a> From<&'a Profile> for ProfileJson<'a> {
    fn from(profile: &'a Profile) -> Self {
        ProfileJson {
            context: ContextJson::from(&profile.context),
            soft_share: round(profile.soft_share),
            skills: profile
                .skills
                .iter()
                .map(|s| SkillTargetJson {
                    id: s.id.as_str(),
                    name: &s.name,
                    category: s.category.as_str(),
                    target: s.target.get(),
                    weight: round(s.weight),
                    reasons: &s.reasons,
                })
                .collect(),
        }
    }
}

/// A role context as JSON input: the keys of [`ContextJson`], of which only
/// `role` and `level` are required; the rest default as on the command line
/// (a scale-up, no industry, medium on every scale, for growth). The
/// `context` of a profile read back gives the same profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextInput {
    pub role: String,
    pub level: String,
    pub stage: Option<String>,
    /// Free text; presets in [`super::INDUSTRY_PRESETS`] have their own rules.
    pub industry: Option<String>,
    pub technicality: Option<String>,
    pub team_maturity: Option<String>,
    pub ambiguity: Option<String>,
    pub data_driven: Option<String>,
    pub purpose: Option<String>,
}

impl ContextInput {
    /// The context, or every value that is not one of its vocabulary, each
    /// error naming the valid values.
    pub fn to_context(&self) -> Result<RoleContext, Vec<UnknownValue>> {
        fn take<T>(problems: &mut Vec<UnknownValue>, parsed: Result<T, UnknownValue>) -> Option<T> {
            parsed.map_err(|problem| problems.push(problem)).ok()
        }
        fn optional<T>(
            problems: &mut Vec<UnknownValue>,
            raw: Option<&str>,
            parse: fn(&str) -> Result<T, UnknownValue>,
        ) -> Option<T> {
            raw.and_then(|raw| take(problems, parse(raw)))
        }
        let mut problems = Vec::new();
        let p = &mut problems;
        let role = take(p, Role::parse(&self.role));
        let level = take(p, CareerLevel::parse(&self.level));
        let stage = optional(p, self.stage.as_deref(), CompanyStage::parse);
        let technicality = optional(p, self.technicality.as_deref(), Degree::parse);
        let team_maturity = optional(p, self.team_maturity.as_deref(), Degree::parse);
        let ambiguity = optional(p, self.ambiguity.as_deref(), Degree::parse);
        let data_driven = optional(p, self.data_driven.as_deref(), Degree::parse);
        let purpose = optional(p, self.purpose.as_deref(), Purpose::parse);
        let (Some(role), Some(level)) = (role, level) else { return Err(problems) };
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut context = RoleContext::new(role, level).with_industry(self.industry.as_deref().unwrap_or(""));
        context.stage = stage.unwrap_or(context.stage);
        context.technicality = technicality.unwrap_or(context.technicality);
        context.team_maturity = team_maturity.unwrap_or(context.team_maturity);
        context.ambiguity = ambiguity.unwrap_or(context.ambiguity);
        context.data_driven = data_driven.unwrap_or(context.data_driven);
        context.purpose = purpose.unwrap_or(context.purpose);
        Ok(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: &str, level: &str) -> ContextInput {
        ContextInput { role: role.to_owned(), level: level.to_owned(), ..ContextInput::default() }
    }

    #[test]
    fn only_role_and_level_are_needed_and_the_rest_defaults_as_on_the_command_line() {
        let context = input("tpm", "senior").to_context().expect("valid");
        assert_eq!(context, RoleContext::new(Role::Tpm, CareerLevel::Senior));
    }

    #[test]
    fn every_unknown_value_is_reported_with_the_valid_ones() {
        let mut bad = input("designer", "senior");
        bad.ambiguity = Some("extreme".to_owned());
        let problems: Vec<String> = bad.to_context().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "unknown role \"designer\": expected one of pm, pmm, tpm, growth-pm, platform-pm",
                "unknown value \"extreme\": expected one of low, medium, high",
            ]
        );
    }

    #[test]
    fn a_serialised_context_reads_back_to_the_same_context() {
        let mut context = RoleContext::new(Role::Pmm, CareerLevel::Lead).with_industry("Health Care");
        context.stage = CompanyStage::Early;
        context.technicality = Degree::Low;
        context.team_maturity = Degree::High;
        context.ambiguity = Degree::High;
        context.data_driven = Degree::Low;
        context.purpose = Purpose::Hiring;
        let json = serde_json::to_string(&ContextJson::from(&context)).expect("serialise");
        let read: ContextInput = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(read.to_context(), Ok(context));
    }

    #[test]
    fn unknown_keys_are_refused_rather_than_ignored() {
        let error = serde_json::from_str::<ContextInput>(r#"{"role":"pm","level":"pm","teamMaturity":"low"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("unknown field `teamMaturity`, expected one of `role`, `level`"), "{error}");
    }
}
