//! "My role context" and the target profile it gives (PRODUCT.md M2): the
//! form, its validation, and the profile view that the people page reuses.

use crate::routes::forms::Form;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_core::context::engine::{self, Profile, SkillTarget};
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, INDUSTRY_PRESETS, Purpose, Role, RoleContext};
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::Category;
use pmcoach_store::User;
use serde::Deserialize;
use tower_sessions::Session;

use super::forms::FieldErrors;
use crate::access::{Access, CurrentUser, Routes};
use crate::charts::{self, Share, SkillBar};
use crate::error::AppResult;
use crate::page::{Chrome, Nav, render};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/profile", Access::Member, page).post("/profile", Access::Member, save)
}

// ---- labels -------------------------------------------------------------

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Pm => "Product manager (PM)",
        Role::Pmm => "Product marketing manager (PMM)",
        Role::Tpm => "Technical product manager (TPM)",
        Role::GrowthPm => "Growth PM",
        Role::PlatformPm => "Platform PM",
    }
}

pub fn level_label(level: CareerLevel) -> &'static str {
    match level {
        CareerLevel::Apm => "Associate PM",
        CareerLevel::Pm => "PM",
        CareerLevel::Senior => "Senior",
        CareerLevel::Lead => "Lead or group PM",
        CareerLevel::Director => "Director",
        CareerLevel::Vp => "VP or head of product",
    }
}

pub fn stage_label(stage: CompanyStage) -> &'static str {
    match stage {
        CompanyStage::Early => "Early-stage start-up",
        CompanyStage::Scaleup => "Scale-up",
        CompanyStage::Enterprise => "Enterprise",
    }
}

pub fn degree_label(degree: Degree) -> &'static str {
    match degree {
        Degree::Low => "Low",
        Degree::Medium => "Medium",
        Degree::High => "High",
    }
}

/// A readable name for an industry preset, or the free text as typed.
pub fn industry_label(industry: &str) -> String {
    match industry {
        "ai" => "AI".to_owned(),
        "devtools" => "Developer tools".to_owned(),
        "fintech" => "Fintech".to_owned(),
        "financial-services" => "Financial services".to_owned(),
        "healthcare" => "Healthcare".to_owned(),
        "consumer" => "Consumer".to_owned(),
        "b2b-saas" => "B2B SaaS".to_owned(),
        "internal-tools" => "Internal tools".to_owned(),
        "public-sector" => "Public sector".to_owned(),
        other => other.replace('-', " "),
    }
}

/// "Senior TPM in an early-stage start-up, AI" for headings and lists.
pub fn context_headline(context: &RoleContext) -> String {
    let role = match context.role {
        Role::Pm => "PM",
        Role::Pmm => "PMM",
        Role::Tpm => "TPM",
        Role::GrowthPm => "growth PM",
        Role::PlatformPm => "platform PM",
    };
    let who = match context.level {
        CareerLevel::Apm => format!("Associate {role}"),
        CareerLevel::Pm => role.to_owned(),
        CareerLevel::Senior => format!("Senior {role}"),
        CareerLevel::Lead => format!("Lead {role}"),
        CareerLevel::Director => format!("Director, {role}"),
        CareerLevel::Vp => format!("VP, {role}"),
    };
    let mut who = capitalise(&who);
    who.push_str(match context.stage {
        CompanyStage::Early => " at an early-stage start-up",
        CompanyStage::Scaleup => " at a scale-up",
        CompanyStage::Enterprise => " at an enterprise",
    });
    if let Some(industry) = &context.industry {
        who.push_str(" · ");
        who.push_str(&industry_label(industry));
    }
    who
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// One line of a read-only context summary.
pub struct ContextFact {
    pub label: &'static str,
    pub value: String,
}

/// The context as label/value pairs, for the people page.
pub fn context_facts(context: &RoleContext) -> Vec<ContextFact> {
    let fact = |label, value: &str| ContextFact { label, value: value.to_owned() };
    vec![
        fact("Role", role_label(context.role)),
        fact("Level", level_label(context.level)),
        fact("Company stage", stage_label(context.stage)),
        ContextFact {
            label: "Industry",
            value: context.industry.as_deref().map_or_else(|| "Not given".to_owned(), industry_label),
        },
        fact("Product technicality", degree_label(context.technicality)),
        fact("Team maturity", degree_label(context.team_maturity)),
        fact("Ambiguity", degree_label(context.ambiguity)),
        fact("Data-drivenness", degree_label(context.data_driven)),
    ]
}

// ---- the profile view ----------------------------------------------------

/// One skill of a target profile as the page shows it.
pub struct SkillRow {
    pub id: String,
    pub name: String,
    pub category: &'static str,
    pub target: u8,
    pub level_name: &'static str,
    pub percent: String,
    /// The rules that moved this skill away from its category's base.
    pub reasons: Vec<Reason>,
}

/// One reason of the engine, split into the factor that caused it and the rest:
/// "industry ai" and "target +2, weight ×2.2 — in an AI product…".
pub struct Reason {
    pub factor: String,
    pub detail: String,
}

impl Reason {
    fn new(text: &str) -> Self {
        match text.split_once(": ") {
            Some((factor, detail)) => Reason { factor: factor.to_owned(), detail: detail.to_owned() },
            None => Reason { factor: String::new(), detail: text.to_owned() },
        }
    }
}

impl SkillRow {
    fn new(skill: &SkillTarget) -> Self {
        SkillRow {
            id: skill.id.to_string(),
            name: skill.name.clone(),
            category: skill.category.as_str(),
            target: skill.target.get(),
            level_name: skill.target.name(),
            percent: charts::percent(skill.weight),
            reasons: skill.reasons.iter().skip(1).map(|reason| Reason::new(reason)).collect(),
        }
    }
}

/// The skills of one category, heaviest first, with their chart.
pub struct SkillGroup {
    pub key: &'static str,
    pub label: &'static str,
    pub percent: String,
    /// Why every skill of the category starts where it does.
    pub base: String,
    pub chart: String,
    pub skills: Vec<SkillRow>,
}

/// A part of the soft/technical split, for the legend.
pub struct ShareLegend {
    pub key: &'static str,
    pub label: &'static str,
    pub percent: String,
}

/// A computed target profile, ready for `_profile.html`.
pub struct ProfileView {
    /// Prefix for element ids, so two profiles could share a page.
    pub prefix: &'static str,
    pub headline: String,
    pub soft_percent: String,
    pub technical_percent: String,
    pub share_chart: String,
    pub shares: Vec<ShareLegend>,
    pub top: Vec<SkillRow>,
    pub groups: Vec<SkillGroup>,
    /// The industry was typed as free text that no rule knows.
    pub unknown_industry: Option<String>,
}

const CATEGORIES: [Category; 3] = [Category::Soft, Category::Craft, Category::Technical];

impl ProfileView {
    pub fn new(framework: &Framework, context: &RoleContext, prefix: &'static str) -> Self {
        Self::from_profile(&engine::profile(framework, context), prefix)
    }

    pub fn from_profile(profile: &Profile, prefix: &'static str) -> Self {
        let heaviest = profile.skills.first().map_or(1.0, |skill| skill.weight);
        let groups = CATEGORIES
            .iter()
            .filter_map(|&category| {
                let skills: Vec<&SkillTarget> = profile.skills.iter().filter(|s| s.category == category).collect();
                let first = skills.first()?;
                let bars: Vec<SkillBar<'_>> = skills
                    .iter()
                    .map(|s| SkillBar { name: &s.name, category, target: s.target.get(), weight: s.weight })
                    .collect();
                let label = category.label();
                let chart = charts::profile_bars(
                    &format!("{prefix}-chart-{}", category.as_str()),
                    &format!("{label}: target level and weight"),
                    &format!(
                        "For each of the {} {} a grey dashed bar up to its target level on the scale from 1 \
                         (Learning) to 5 (Role model), and a coloured bar for its share of the profile's weight. \
                         The table beside the chart has the same numbers.",
                        skills.len(),
                        label.to_lowercase()
                    ),
                    &bars,
                    heaviest,
                );
                let base = first.reasons.first().cloned().unwrap_or_default();
                let mut rows: Vec<SkillRow> = skills.iter().map(|s| SkillRow::new(s)).collect();
                // Keep the base on a skill whose base differs from the group's (should not happen).
                for (row, skill) in rows.iter_mut().zip(&skills) {
                    if skill.reasons.first().is_some_and(|reason| *reason != base) {
                        row.reasons = skill.reasons.iter().map(|reason| Reason::new(reason)).collect();
                    }
                }
                Some(SkillGroup {
                    key: category.as_str(),
                    label,
                    percent: charts::percent_whole(profile.category_share(category)),
                    base: base_sentence(&base),
                    chart,
                    skills: rows,
                })
            })
            .collect();
        let shares: Vec<Share<'_>> = CATEGORIES
            .iter()
            .map(|&category| Share { label: category.label(), category, share: profile.category_share(category) })
            .collect();
        let share_chart =
            charts::share_bar(&format!("{prefix}-share"), "How the weight splits between categories", &shares);
        let context = &profile.context;
        ProfileView {
            prefix,
            headline: context_headline(context),
            soft_percent: charts::percent_whole(profile.soft_share),
            technical_percent: charts::percent_whole(1.0 - profile.soft_share),
            share_chart,
            shares: shares
                .iter()
                .map(|s| ShareLegend {
                    key: s.category.as_str(),
                    label: s.label,
                    percent: charts::percent_whole(s.share),
                })
                .collect(),
            top: profile.skills.iter().take(5).map(SkillRow::new).collect(),
            groups,
            unknown_industry: context
                .industry
                .clone()
                .filter(|_| !context.industry_is_preset())
                .map(|industry| industry_label(&industry)),
        }
    }
}

/// "senior level: base target 3 for soft skills — a senior PM…" reads as a
/// sentence: "Senior level: every soft skill starts at 3, because a senior PM…".
fn base_sentence(reason: &str) -> String {
    match reason.split_once(" — ") {
        Some((head, why)) => format!("{}. {}.", capitalise(head), capitalise(why)),
        None => capitalise(reason),
    }
}

// ---- the form --------------------------------------------------------------

/// One option of a choice field.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A closed-vocabulary field: a select, or radio buttons for the three-step scales.
pub struct ChoiceField {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub choices: Vec<Choice>,
    /// A value that was sent but is not one of the choices, kept to show it.
    pub unknown: Option<String>,
}

impl ChoiceField {
    fn new<T: Copy + PartialEq>(
        name: &'static str,
        label: &'static str,
        help: &'static str,
        all: &[T],
        value: fn(T) -> &'static str,
        text: fn(T) -> &'static str,
        typed: &str,
    ) -> Self {
        let choices: Vec<Choice> =
            all.iter().map(|&v| Choice { value: value(v), label: text(v), selected: value(v) == typed }).collect();
        let known = choices.iter().any(|c| c.selected);
        ChoiceField { name, label, help, choices, unknown: (!known && !typed.is_empty()).then(|| typed.to_owned()) }
    }
}

/// An industry preset offered in the datalist.
pub struct Preset {
    pub value: &'static str,
    pub label: String,
}

/// What the form shows: the values typed or saved, and the problems.
pub struct ContextForm {
    pub selects: Vec<ChoiceField>,
    pub industry: String,
    pub presets: Vec<Preset>,
    pub scales: Vec<ChoiceField>,
    pub errors: FieldErrors,
}

/// The form as submitted: every field as text, so nothing typed is lost.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ContextInput {
    pub role: String,
    pub level: String,
    pub stage: String,
    pub industry: String,
    pub technicality: String,
    pub team_maturity: String,
    pub ambiguity: String,
    pub data_driven: String,
}

impl ContextInput {
    fn from_context(context: &RoleContext) -> Self {
        ContextInput {
            role: context.role.to_string(),
            level: context.level.to_string(),
            stage: context.stage.to_string(),
            industry: context.industry.clone().unwrap_or_default(),
            technicality: context.technicality.to_string(),
            team_maturity: context.team_maturity.to_string(),
            ambiguity: context.ambiguity.to_string(),
            data_driven: context.data_driven.to_string(),
        }
    }

    /// The context, or every problem by field.
    fn parse(&self, keep_purpose: Purpose) -> Result<RoleContext, FieldErrors> {
        let mut errors = FieldErrors::default();
        let role = choice(&mut errors, "role", "a role", &self.role, Role::parse);
        let level = choice(&mut errors, "level", "a level", &self.level, CareerLevel::parse);
        let stage = choice(&mut errors, "stage", "a company stage", &self.stage, CompanyStage::parse);
        let technicality = choice(&mut errors, "technicality", "a value", &self.technicality, Degree::parse);
        let team_maturity = choice(&mut errors, "team_maturity", "a value", &self.team_maturity, Degree::parse);
        let ambiguity = choice(&mut errors, "ambiguity", "a value", &self.ambiguity, Degree::parse);
        let data_driven = choice(&mut errors, "data_driven", "a value", &self.data_driven, Degree::parse);
        let industry = self.industry.trim();
        if industry.chars().count() > INDUSTRY_MAX {
            errors.add(
                "industry",
                format!("Keep the industry under {INDUSTRY_MAX} characters, for example \"b2b-saas\"."),
            );
        } else if industry.chars().any(char::is_control) {
            errors.add("industry", "The industry cannot contain control characters.");
        }
        match (role, level, stage, technicality, team_maturity, ambiguity, data_driven) {
            (
                Some(role),
                Some(level),
                Some(stage),
                Some(technicality),
                Some(team_maturity),
                Some(ambiguity),
                Some(data_driven),
            ) if errors.is_empty() => Ok(RoleContext {
                stage,
                technicality,
                team_maturity,
                ambiguity,
                data_driven,
                purpose: keep_purpose,
                ..RoleContext::new(role, level).with_industry(industry)
            }),
            _ => Err(errors),
        }
    }

    fn form(&self, errors: FieldErrors) -> ContextForm {
        ContextForm {
            selects: vec![
                ChoiceField::new(
                    "role",
                    "Role",
                    "The job you do. TPMs weigh APIs and architecture more; PMMs weigh positioning, launches and \
                     sales enablement more.",
                    Role::ALL,
                    Role::as_str,
                    role_label,
                    &self.role,
                ),
                ChoiceField::new(
                    "level",
                    "Level",
                    "Your seniority. Junior roles lean on soft skills; the more senior you are, the higher the \
                     targets for both kinds.",
                    CareerLevel::ALL,
                    CareerLevel::as_str,
                    level_label,
                    &self.level,
                ),
                ChoiceField::new(
                    "stage",
                    "Company stage",
                    "Start-ups raise problem solving, adaptability and prototyping; enterprises raise stakeholder \
                     alignment and systems thinking.",
                    CompanyStage::ALL,
                    CompanyStage::as_str,
                    stage_label,
                    &self.stage,
                ),
            ],
            industry: self.industry.clone(),
            presets: INDUSTRY_PRESETS.iter().map(|&value| Preset { value, label: industry_label(value) }).collect(),
            scales: vec![
                scale(
                    "technicality",
                    "Product technicality",
                    "How technical the product is. Higher raises every technical skill, most of all APIs and \
                     architecture.",
                    &self.technicality,
                ),
                scale(
                    "team_maturity",
                    "Team maturity",
                    "How established the team and its category are. Low raises influence and buy-in; high raises \
                     product and domain depth.",
                    &self.team_maturity,
                ),
                scale(
                    "ambiguity",
                    "Ambiguity",
                    "How unclear your scope is. High raises soft skills: framing the problem and winning buy-in; \
                     low leaves room for depth.",
                    &self.ambiguity,
                ),
                scale(
                    "data_driven",
                    "Data-drivenness",
                    "How much decisions rest on data. High raises SQL, data analysis and experimentation; low \
                     lowers them.",
                    &self.data_driven,
                ),
            ],
            errors,
        }
    }
}

const INDUSTRY_MAX: usize = 60;

fn scale(name: &'static str, label: &'static str, help: &'static str, typed: &str) -> ChoiceField {
    ChoiceField::new(name, label, help, Degree::ALL, Degree::as_str, degree_label, typed)
}

/// Parses one closed-vocabulary field; on failure says which values are valid.
fn choice<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    raw: &str,
    parse: fn(&str) -> Result<T, pmcoach_core::UnknownValue>,
) -> Option<T> {
    match parse(raw.trim()) {
        Ok(value) => Some(value),
        Err(unknown) => {
            let valid = unknown.valid.join(", ");
            if raw.trim().is_empty() {
                errors.add(field, format!("Choose {what}: {valid}."));
            } else {
                errors.add(field, format!("\"{}\" is not one of the choices. Choose {what}: {valid}.", raw.trim()));
            }
            None
        }
    }
}

// ---- the page --------------------------------------------------------------

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    form: ContextForm,
    profile: Option<ProfileView>,
    has_context: bool,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct Notice {
    saved: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn page(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Query(notice): Query<Notice>,
) -> AppResult<Response> {
    let saved = state.store.role_context(user.id).await?;
    let input =
        saved.as_ref().map_or_else(|| ContextInput::from_context(&default_context()), ContextInput::from_context);
    let profile = saved.as_ref().map(|context| ProfileView::new(&state.framework, context, "me"));
    let notice = match (notice.saved.as_deref(), &saved) {
        (Some("1"), Some(_)) => Some("Saved. Your target profile below now reflects your role context."),
        _ => None,
    };
    show(&session, &user, input.form(FieldErrors::default()), profile, saved.is_some(), notice).await
}

/// What the form offers before anything is saved: a mid-level PM at a
/// scale-up, medium on every scale.
fn default_context() -> RoleContext {
    RoleContext::new(Role::Pm, CareerLevel::Pm)
}

async fn show(
    session: &Session,
    user: &User,
    form: ContextForm,
    profile: Option<ProfileView>,
    has_context: bool,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let chrome = Chrome::new(session, Some(user), Nav::Profile).await?;
    let failed = !form.errors.is_empty();
    let mut response = render(&ProfilePage { chrome, form, profile, has_context, notice })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[tracing::instrument(skip_all)]
async fn save(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    Form(input): Form<ContextInput>,
) -> AppResult<Response> {
    let saved = state.store.role_context(user.id).await?;
    let purpose = saved.as_ref().map_or(Purpose::Growth, |context| context.purpose);
    match input.parse(purpose) {
        Ok(context) => {
            state.store.save_role_context(user.id, &context).await?;
            Ok(Redirect::to("/profile?saved=1").into_response())
        }
        // The old profile is not shown beside a form that failed: it would read as the new one.
        Err(errors) => show(&session, &user, input.form(errors), None, saved.is_some(), None).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContextInput {
        ContextInput {
            role: "tpm".into(),
            level: "senior".into(),
            stage: "early".into(),
            industry: "  AI ".into(),
            technicality: "high".into(),
            team_maturity: "medium".into(),
            ambiguity: "high".into(),
            data_driven: "low".into(),
        }
    }

    #[test]
    fn a_complete_form_parses_into_a_context() {
        let context = input().parse(Purpose::Growth).expect("valid");
        assert_eq!((context.role, context.level, context.stage), (Role::Tpm, CareerLevel::Senior, CompanyStage::Early));
        assert_eq!(context.industry.as_deref(), Some("ai"));
        assert_eq!(
            (context.technicality, context.ambiguity, context.data_driven),
            (Degree::High, Degree::High, Degree::Low)
        );
        assert_eq!(ContextInput::from_context(&context).industry, "ai");
    }

    #[test]
    fn every_bad_field_is_reported_with_the_valid_values() {
        let bad = ContextInput { role: "designer".into(), ambiguity: String::new(), ..input() };
        let errors = bad.parse(Purpose::Growth).expect_err("invalid");
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.get("role"),
            Some("\"designer\" is not one of the choices. Choose a role: pm, pmm, tpm, growth-pm, platform-pm.")
        );
        assert_eq!(errors.get("ambiguity"), Some("Choose a value: low, medium, high."));
        let long = ContextInput { industry: "x".repeat(61), ..input() };
        assert!(long.parse(Purpose::Growth).expect_err("too long").get("industry").is_some());
    }

    #[test]
    fn the_form_keeps_an_unknown_value_and_selects_the_known_ones() {
        let bad = ContextInput { role: "designer".into(), ..input() };
        let form = bad.form(FieldErrors::default());
        assert_eq!(form.selects[0].unknown.as_deref(), Some("designer"));
        assert!(form.selects[0].choices.iter().all(|c| !c.selected));
        assert!(form.selects[1].choices.iter().any(|c| c.selected && c.value == "senior"));
        assert!(form.scales[0].choices.iter().any(|c| c.selected && c.value == "high"));
        assert_eq!(form.industry, "  AI ");
    }

    #[test]
    fn the_view_groups_by_category_heaviest_first() {
        let framework = Framework::embedded().expect("framework");
        let context = input().parse(Purpose::Growth).expect("valid");
        let view = ProfileView::new(&framework, &context, "me");
        assert_eq!(view.groups.iter().map(|g| g.key).collect::<Vec<_>>(), ["soft", "craft", "technical"]);
        assert_eq!(view.groups.iter().map(|g| g.skills.len()).sum::<usize>(), framework.skills.len());
        for group in &view.groups {
            let weights: Vec<f64> = group.skills.iter().map(|s| s.percent.parse().expect("number")).collect();
            assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{}: {weights:?}", group.key);
            assert_eq!(group.chart.matches("class=\"target\"").count(), group.skills.len());
        }
        let ai = view.groups[2].skills.iter().find(|s| s.id == "ai-literacy").expect("ai-literacy");
        let factors: Vec<&str> = ai.reasons.iter().map(|r| r.factor.as_str()).collect();
        assert!(factors.contains(&"industry ai"), "{factors:?}");
        assert!(ai.reasons.iter().all(|r| !r.detail.is_empty()));
        assert!(view.groups[2].base.starts_with("Senior level: base target 3"), "{}", view.groups[2].base);
        assert_eq!(view.headline, "Senior TPM at an early-stage start-up · AI");
        assert!(view.unknown_industry.is_none());
        let custom = ProfileView::new(&framework, &context.with_industry("Space mining"), "me");
        assert_eq!(custom.unknown_industry.as_deref(), Some("space mining"));
    }
}
