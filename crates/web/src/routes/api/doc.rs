//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`.
//!
//! The profile, framework and check bodies are built by pmcoach-core and
//! pmcoach-comms, which know nothing of OpenAPI, so their schemas are
//! described here by documentation-only types (`…Doc`). They cannot drift
//! unnoticed: every object schema forbids properties it does not name and
//! requires every one it does, and the integration tests validate real
//! responses against this document. Closed vocabularies (roles, audiences,
//! rules…) are listed from the enums themselves, so a new value shows up
//! here by itself.

use std::sync::OnceLock;

use pmcoach_comms::{Audience, DimensionId, Kind, Rule, Severity};
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, INDUSTRY_PRESETS, Purpose, Role};
use pmcoach_core::framework::model::{Cadence, Category, Observer};
use pmcoach_core::people::OrgRole;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

const DESCRIPTION: &str = "The JSON API of pmcoach, a skills coach for product managers, product marketers and \
technical PMs.\n\nEvery endpoint but this document needs an API token: create one under Settings in pmcoach and send \
it as `Authorization: Bearer <token>`. Request bodies are JSON (`Content-Type: application/json`, at most 2 MB).\n\n\
Every failure answers with the same shape, `{\"error\":{\"status\":400,\"code\":\"invalid\",\"message\":\"…\"}}`: \
`status` repeats the HTTP status, `code` is stable and meant for programs (`invalid`, `unauthorized`, `not_found`, \
`too_large`, …), `message` is written for people and says what to change.";

#[derive(OpenApi)]
#[openapi(
    info(title = "pmcoach API", description = DESCRIPTION),
    paths(
        super::openapi,
        super::me,
        super::framework,
        super::skill,
        super::saved_profile,
        super::profile_for,
        super::check,
        super::results,
        super::growth::plan,
        super::growth::practice_list,
        super::growth::practice_create,
        super::stakeholders::list,
        super::stakeholders::create,
        super::stakeholders::show,
        super::scenarios::list,
        super::scenarios::show,
        super::scenarios::answer,
        super::scenarios::scores
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken),
    tags(
        (name = "account", description = "Who the token belongs to"),
        (name = "framework", description = "The skill framework: skills, levels, behaviours, activities"),
        (name = "profile", description = "Target profiles: which skills a role context needs, how much, and why"),
        (name = "coach", description = "The communication coach: checks a message for its audience"),
        (name = "assessment", description = "Results of closed 360 assessment cycles, within the anonymity rules"),
        (name = "stakeholders", description = "The token owner's stakeholder map and meeting notes"),
        (name = "growth", description = "The token owner's growth plan and practice log"),
        (name = "scenarios", description = "Scenario practice: situational-judgement scenarios, answers with keyed \
            feedback, and per-skill scenario scores"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

/// Adds the bearer-token security scheme the paths refer to as `bearer`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("pmc_…")
            .description(Some("An API token created under Settings in pmcoach; it is shown once, when created."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

// ---- closed vocabularies, listed from their enums ----

fn one_of(values: impl IntoIterator<Item = String>, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().collect::<Vec<String>>()))
        .description(Some(description))
        .build()
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> impl Iterator<Item = String> {
    all.iter().map(move |value| name(*value).to_owned())
}

pub fn org_role() -> Object {
    one_of(names(OrgRole::ALL, OrgRole::as_str), "Role in the organisation")
}

pub fn audience() -> Object {
    one_of(names(Audience::ALL, Audience::as_str), "Whom the message is written for")
}

pub fn kind() -> Object {
    one_of(names(Kind::ALL, Kind::as_str), "What the message is for")
}

pub fn text_format() -> Object {
    one_of(["markdown".to_owned(), "plain".to_owned()], "How to read the text (default markdown)")
}

fn role() -> Object {
    one_of(names(Role::ALL, Role::as_str), "The product role")
}

fn level() -> Object {
    one_of(names(CareerLevel::ALL, CareerLevel::as_str), "Seniority")
}

fn stage() -> Object {
    one_of(names(CompanyStage::ALL, CompanyStage::as_str), "Company stage (default scaleup)")
}

fn degree() -> Object {
    one_of(names(Degree::ALL, Degree::as_str), "A three-step scale (default medium)")
}

fn purpose() -> Object {
    one_of(names(Purpose::ALL, Purpose::as_str), "Whom the profile is for (default growth)")
}

fn industry() -> Object {
    let presets = INDUSTRY_PRESETS.join(", ");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!(
            "Free text, lower-cased with dashes for spaces; presets with their own rules: {presets}"
        )))
        .examples(INDUSTRY_PRESETS.iter().take(2).map(|preset| serde_json::Value::from(*preset)))
        .build()
}

fn nullable_industry() -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some("The industry as normalised, or null when none was given"))
        .build()
}

fn category() -> Object {
    one_of(names(Category::ALL, Category::as_str), "Skill category")
}

fn observers() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(one_of(names(Observer::ALL, Observer::as_str), "A group that can observe the skill"))
        .description(Some("Who can observe this skill and rate it in 360 feedback"))
        .build()
}

fn cadence() -> Object {
    one_of(names(Cadence::ALL, Cadence::as_str), "How often to do it")
}

fn rule() -> Object {
    one_of(names(Rule::ALL, Rule::as_str), "The rule's stable id")
}

fn severity() -> Object {
    one_of(names(Severity::ALL, Severity::as_str), "How serious it is for this audience")
}

fn dimension_id() -> Object {
    let ids = DimensionId::ALL.iter().filter_map(|id| serde_json::to_value(id).ok()?.as_str().map(str::to_owned));
    one_of(ids, "The score dimension")
}

// ---- documentation-only schemas of bodies built elsewhere ----
// These types are never built (hence `allow(dead_code)`): they only describe
// the JSON that core, comms and `ApiError` produce.

/// The shape of every error.
#[derive(ToSchema)]
#[schema(as = Error)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// The HTTP status again.
    #[schema(minimum = 400, maximum = 599)]
    status: u16,
    /// Stable, for programs: `invalid`, `unauthorized`, `not_found`, `too_large`, `internal`, …
    code: String,
    /// For people: what went wrong and what to change.
    message: String,
}

/// `{"skills":[…]}`, the shape of `pmcoach framework show --format json`.
#[derive(ToSchema)]
#[schema(as = Framework)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FrameworkDoc {
    skills: Vec<SkillDoc>,
}

/// One skill of the framework.
#[derive(ToSchema)]
#[schema(as = Skill)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SkillDoc {
    /// Stable id: lowercase words joined by dashes.
    id: String,
    name: String,
    #[schema(schema_with = category)]
    category: String,
    /// What the skill is.
    definition: String,
    /// Why it matters for product people.
    why: String,
    stages: StagesDoc,
    /// Exactly five, for levels 1 (Learning) to 5 (Role model).
    levels: Vec<LevelDoc>,
    #[schema(schema_with = observers)]
    observers: Vec<String>,
    activities: Vec<ActivityDoc>,
    /// Questions to reflect on or to ask in a review.
    questions: Vec<String>,
    /// Ids of related skills.
    related: Vec<String>,
}

/// How the skill shows up in each stage of product work.
#[derive(ToSchema)]
#[schema(as = Stages)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct StagesDoc {
    discovery: String,
    strategy: String,
    delivery: String,
    launch: String,
    growth: String,
}

/// One level of a skill with the behaviours that show it.
#[derive(ToSchema)]
#[schema(as = Level)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LevelDoc {
    #[schema(minimum = 1, maximum = 5)]
    level: u8,
    name: String,
    behaviours: Vec<String>,
}

/// A practice activity that builds the skill.
#[derive(ToSchema)]
#[schema(as = Activity)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ActivityDoc {
    id: String,
    title: String,
    description: String,
    #[schema(schema_with = cadence)]
    cadence: String,
    /// Time one occurrence takes, such as "30 min" or "2 h".
    effort: String,
}

/// A role context. Only `role` and `level` are required; the rest default as
/// on the command line. Unknown keys are refused. The `context` of a profile
/// sent back gives the same profile.
#[derive(ToSchema)]
#[schema(as = ContextInput)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ContextInputDoc {
    #[schema(schema_with = role)]
    role: String,
    #[schema(schema_with = level)]
    level: String,
    #[schema(schema_with = stage)]
    stage: Option<String>,
    #[schema(schema_with = industry)]
    industry: Option<String>,
    /// How technical the product is.
    #[schema(schema_with = degree)]
    technicality: Option<String>,
    /// How mature and established the team is.
    #[schema(schema_with = degree)]
    team_maturity: Option<String>,
    /// How ambiguous the scope is.
    #[schema(schema_with = degree)]
    ambiguity: Option<String>,
    /// How much decisions rest on data.
    #[schema(schema_with = degree)]
    data_driven: Option<String>,
    #[schema(schema_with = purpose)]
    purpose: Option<String>,
}

/// A target profile, the shape of `pmcoach profile --format json`.
#[derive(ToSchema)]
#[schema(as = Profile)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ProfileDoc {
    context: ContextDoc,
    /// Share of the weight on soft and craft skills, 0–1.
    #[schema(minimum = 0, maximum = 1)]
    soft_share: f64,
    /// Heaviest first; weights sum to 1.
    skills: Vec<SkillTargetDoc>,
}

/// The role context the profile is for, every value filled in.
#[derive(ToSchema)]
#[schema(as = Context)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ContextDoc {
    #[schema(schema_with = role)]
    role: String,
    #[schema(schema_with = level)]
    level: String,
    #[schema(schema_with = stage)]
    stage: String,
    #[schema(schema_with = nullable_industry, required = true)]
    industry: Option<String>,
    #[schema(schema_with = degree)]
    technicality: String,
    #[schema(schema_with = degree)]
    team_maturity: String,
    #[schema(schema_with = degree)]
    ambiguity: String,
    #[schema(schema_with = degree)]
    data_driven: String,
    #[schema(schema_with = purpose)]
    purpose: String,
}

/// What one skill should look like in this context, and why.
#[derive(ToSchema)]
#[schema(as = SkillTarget)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SkillTargetDoc {
    id: String,
    name: String,
    #[schema(schema_with = category)]
    category: String,
    /// Target level, 1 (Learning) to 5 (Role model).
    #[schema(minimum = 1, maximum = 5)]
    target: u8,
    /// Share of the profile's weight, 0–1, four decimals.
    #[schema(minimum = 0, maximum = 1)]
    weight: f64,
    /// The base first, then every rule that applied.
    reasons: Vec<String>,
}

/// The result of a check: one entry of `pmcoach check --format json` (with
/// `path` `-`), plus `kind` and `dimensions`.
#[derive(ToSchema)]
#[schema(as = CheckResult)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CheckedDoc {
    /// Always `-`: the text came in the request.
    path: String,
    #[schema(schema_with = audience)]
    audience: String,
    /// The kind it was checked as (given, or the audience's usual one), or null.
    #[schema(required = true)]
    kind: Option<String>,
    /// Overall score, 0–100.
    #[schema(minimum = 0, maximum = 100)]
    score: u8,
    /// Words checked (code, quotes, URLs and front matter are left out).
    words: u64,
    /// Flesch–Kincaid grade, one decimal.
    reading_grade: f64,
    /// In text order.
    findings: Vec<FindingDoc>,
    /// Clarity, brevity, actionability, audience fit and empathy, each 0–100 with why.
    dimensions: Vec<DimensionDoc>,
}

/// One problem found in the message. Lines and columns are 1-based, columns
/// in characters; the end is exclusive.
#[derive(ToSchema)]
#[schema(as = Finding)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FindingDoc {
    #[schema(schema_with = rule)]
    rule: String,
    #[schema(schema_with = severity)]
    severity: String,
    /// What is wrong and why it matters for this audience.
    message: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    /// What to write instead, or null.
    #[schema(required = true)]
    suggestion: Option<String>,
}

/// A score dimension.
#[derive(ToSchema)]
#[schema(as = Dimension)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DimensionDoc {
    #[schema(schema_with = dimension_id)]
    id: String,
    #[schema(minimum = 0, maximum = 100)]
    score: u8,
    /// One line that says why.
    explanation: String,
}
