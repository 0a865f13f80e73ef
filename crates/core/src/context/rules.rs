//! The rules of the role-context engine, loaded from `context-rules.toml`.
//!
//! A profile starts from a base per career level (a target and a weight per
//! category), scaled by each skill's base importance; then every rule whose
//! `when` matches the context nudges the target of the skills it selects and
//! multiplies their weight, and says why.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Deserialize;
use toml::Spanned;

use super::{CareerLevel, CompanyStage, Degree, INDUSTRY_PRESETS, Purpose, Role, RoleContext};
use crate::framework::load::parse_toml;
use crate::framework::model::Category;
use crate::ids::SkillId;
use crate::source::{Problems, SourceFile};

/// The base of every profile at one career level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelBase {
    /// Base target per category, indexed by [`category_index`].
    pub target: [i64; 3],
    /// Base weight per category, indexed by [`category_index`].
    pub weight: [f64; 3],
    pub reason: String,
}

/// One condition of a rule: the factor matches any of the listed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Role(Vec<Role>),
    Level(Vec<CareerLevel>),
    Stage(Vec<CompanyStage>),
    Industry(Vec<String>),
    Technicality(Vec<Degree>),
    TeamMaturity(Vec<Degree>),
    Ambiguity(Vec<Degree>),
    DataDriven(Vec<Degree>),
    Purpose(Vec<Purpose>),
}

/// The factors a rule can name in `when`, as spelled in the rules file.
pub const FACTORS: &[&str] =
    &["role", "level", "stage", "industry", "technicality", "team_maturity", "ambiguity", "data_driven", "purpose"];

impl Condition {
    pub fn matches(&self, context: &RoleContext) -> bool {
        match self {
            Condition::Role(values) => values.contains(&context.role),
            Condition::Level(values) => values.contains(&context.level),
            Condition::Stage(values) => values.contains(&context.stage),
            Condition::Industry(values) => context.industry.as_ref().is_some_and(|industry| values.contains(industry)),
            Condition::Technicality(values) => values.contains(&context.technicality),
            Condition::TeamMaturity(values) => values.contains(&context.team_maturity),
            Condition::Ambiguity(values) => values.contains(&context.ambiguity),
            Condition::DataDriven(values) => values.contains(&context.data_driven),
            Condition::Purpose(values) => values.contains(&context.purpose),
        }
    }

    fn label(&self) -> String {
        fn join<T: ToString>(values: &[T]) -> String {
            values.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
        }
        match self {
            Condition::Role(v) => format!("role {}", join(v)),
            Condition::Level(v) => format!("level {}", join(v)),
            Condition::Stage(v) => format!("{} company", join(v)),
            Condition::Industry(v) => format!("industry {}", join(v)),
            Condition::Technicality(v) => format!("{} technicality", join(v)),
            Condition::TeamMaturity(v) => format!("{} team maturity", join(v)),
            Condition::Ambiguity(v) => format!("{} ambiguity", join(v)),
            Condition::DataDriven(v) => format!("{} data-drivenness", join(v)),
            Condition::Purpose(v) => format!("{} lens", join(v)),
        }
    }
}

/// Which skills a rule touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Skills(Vec<SkillId>),
    Category(Category),
}

impl Selector {
    pub fn selects(&self, id: &SkillId, category: Category) -> bool {
        match self {
            Selector::Skills(ids) => ids.contains(id),
            Selector::Category(wanted) => *wanted == category,
        }
    }
}

/// One "it depends" rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub when: Vec<Condition>,
    pub selector: Selector,
    /// Added to the target of each selected skill (before clamping to 1–5).
    pub target: i64,
    /// Multiplies the weight of each selected skill (before normalising).
    pub weight: f64,
    pub reason: String,
}

impl Rule {
    pub fn applies_to(&self, context: &RoleContext) -> bool {
        self.when.iter().all(|condition| condition.matches(context))
    }

    /// "technicality high: target +1, weight ×1.5 — reason".
    pub fn explain(&self) -> String {
        let when = self.when.iter().map(Condition::label).collect::<Vec<_>>().join(", ");
        let mut effects = Vec::new();
        if self.target != 0 {
            effects.push(format!("target {:+}", self.target));
        }
        if self.weight != 1.0 {
            let mut weight = String::new();
            let _ = write!(weight, "weight ×{}", trim_float(self.weight));
            effects.push(weight);
        }
        format!("{when}: {} — {}", effects.join(", "), self.reason)
    }
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// All the engine's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextRules {
    pub importance: BTreeMap<SkillId, f64>,
    pub levels: BTreeMap<CareerLevel, LevelBase>,
    pub rules: Vec<Rule>,
}

impl ContextRules {
    pub fn importance(&self, id: &SkillId) -> f64 {
        self.importance.get(id).copied().unwrap_or(1.0)
    }

    pub fn base(&self, level: CareerLevel) -> &LevelBase {
        // Loading guarantees an entry for every level.
        &self.levels[&level]
    }
}

/// Position of a category in [`LevelBase`] arrays.
pub fn category_index(category: Category) -> usize {
    match category {
        Category::Soft => 0,
        Category::Craft => 1,
        Category::Technical => 2,
    }
}

#[derive(Deserialize)]
struct RawRules {
    #[serde(default)]
    importance: BTreeMap<String, Spanned<f64>>,
    levels: Option<Spanned<BTreeMap<String, Spanned<RawLevelBase>>>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
struct RawLevelBase {
    target: Option<Spanned<BTreeMap<String, Spanned<i64>>>>,
    weight: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    reason: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawRule {
    when: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    skills: Option<Vec<Spanned<String>>>,
    category: Option<Spanned<String>>,
    target: Option<Spanned<i64>>,
    weight: Option<Spanned<f64>>,
    reason: Option<Spanned<String>>,
}

/// Loads and checks the rules file against the skills the framework defines.
/// Problems go to `problems`; the rules come back only if there were none.
pub(crate) fn load_rules(
    file: &SourceFile,
    known: &BTreeSet<SkillId>,
    problems: &mut Problems,
) -> Option<ContextRules> {
    let raw: RawRules = parse_toml(file, problems)?;
    let mut check = RulesCheck { file, known, problems, ok: true };
    let importance = check.importance(raw.importance);
    let levels = check.levels(raw.levels);
    let rules = raw.rules.into_iter().filter_map(|rule| check.rule(rule)).collect();
    check.ok.then_some(ContextRules { importance, levels, rules })
}

struct RulesCheck<'a> {
    file: &'a SourceFile,
    known: &'a BTreeSet<SkillId>,
    problems: &'a mut Problems,
    ok: bool,
}

impl RulesCheck<'_> {
    fn report(&mut self, span: &std::ops::Range<usize>, message: impl Into<String>) {
        self.ok = false;
        self.problems.push(self.file.problem(span, message));
    }

    fn skill(&mut self, raw: &Spanned<String>) -> Option<SkillId> {
        match SkillId::parse(raw.get_ref()) {
            Ok(id) if self.known.contains(&id) => Some(id),
            Ok(id) => {
                self.report(&raw.span(), format!("skill \"{id}\" is not defined in this framework"));
                None
            }
            Err(error) => {
                self.report(&raw.span(), error.to_string());
                None
            }
        }
    }

    fn importance(&mut self, raw: BTreeMap<String, Spanned<f64>>) -> BTreeMap<SkillId, f64> {
        let mut out = BTreeMap::new();
        for (name, value) in raw {
            let span = value.span();
            let Some(id) = self.skill(&Spanned::new(span.clone(), name)) else { continue };
            let value = *value.get_ref();
            if value > 0.0 && value.is_finite() {
                out.insert(id, value);
            } else {
                self.report(&span, format!("importance of \"{id}\" must be a positive number, found {value}"));
            }
        }
        out
    }

    fn levels(
        &mut self,
        raw: Option<Spanned<BTreeMap<String, Spanned<RawLevelBase>>>>,
    ) -> BTreeMap<CareerLevel, LevelBase> {
        let mut out = BTreeMap::new();
        let Some(raw) = raw else {
            self.report(&(0..0), "missing [levels]: every career level needs a base target and weight per category");
            return out;
        };
        let whole = raw.span();
        for (name, base) in raw.into_inner() {
            let span = base.span();
            let level = match CareerLevel::parse(&name) {
                Ok(level) => level,
                Err(error) => {
                    self.report(&span, format!("[levels.{name}]: {error}"));
                    continue;
                }
            };
            let base = base.into_inner();
            let within = format!("[levels.{level}]");
            let target = self.per_category(base.target, &span, &within, "target", |t: &i64| (1..=5).contains(t));
            let weight = self.per_category(base.weight, &span, &within, "weight", |w: &f64| *w > 0.0 && w.is_finite());
            let reason = match base.reason {
                Some(reason) if !reason.get_ref().trim().is_empty() => Some(reason.into_inner()),
                _ => {
                    self.report(&span, format!("{within} needs a `reason` that explains the base"));
                    None
                }
            };
            if let (Some(target), Some(weight), Some(reason)) = (target, weight, reason) {
                out.insert(level, LevelBase { target, weight, reason });
            }
        }
        for level in CareerLevel::ALL {
            if !out.contains_key(level) && self.ok {
                self.report(&whole, format!("missing [levels.{level}]: every career level needs a base"));
            }
        }
        out
    }

    fn per_category<T: Copy + std::fmt::Display + Default>(
        &mut self,
        raw: Option<Spanned<BTreeMap<String, Spanned<T>>>>,
        owner: &std::ops::Range<usize>,
        within: &str,
        what: &str,
        valid: impl Fn(&T) -> bool,
    ) -> Option<[T; 3]> {
        let Some(raw) = raw else {
            self.report(owner, format!("{within} needs `{what}` with soft, craft and technical"));
            return None;
        };
        let span = raw.span();
        let mut values = [None; 3];
        for (name, value) in raw.into_inner() {
            match Category::parse(&name) {
                Ok(category) if valid(value.get_ref()) => values[category_index(category)] = Some(*value.get_ref()),
                Ok(_) => self.report(&value.span(), format!("{within} {what} {} is out of range", value.get_ref())),
                Err(error) => self.report(&value.span(), format!("{within} {what}: {error}")),
            }
        }
        let mut out = [T::default(); 3];
        for category in Category::ALL {
            match values[category_index(*category)] {
                Some(value) => out[category_index(*category)] = value,
                None => {
                    self.report(&span, format!("{within} {what} is missing a value for {category}"));
                    return None;
                }
            }
        }
        Some(out)
    }

    fn rule(&mut self, raw: Spanned<RawRule>) -> Option<Rule> {
        let span = raw.span();
        let raw = raw.into_inner();
        let ok_before = self.ok;
        self.ok = true;
        let when = match raw.when {
            Some(when) if !when.get_ref().is_empty() => {
                when.into_inner().into_iter().filter_map(|(factor, values)| self.condition(&factor, values)).collect()
            }
            _ => {
                self.report(&span, "a rule needs a non-empty `when`, such as when = { role = \"tpm\" }");
                Vec::new()
            }
        };
        let selector = match (raw.skills, raw.category) {
            (Some(skills), None) if !skills.is_empty() => {
                Some(Selector::Skills(skills.iter().filter_map(|skill| self.skill(skill)).collect()))
            }
            (None, Some(category)) => match Category::parse(category.get_ref()) {
                Ok(category) => Some(Selector::Category(category)),
                Err(error) => {
                    self.report(&category.span(), error.to_string());
                    None
                }
            },
            _ => {
                self.report(&span, "a rule needs either a non-empty `skills` list or a `category`, not both");
                None
            }
        };
        let target = raw.target.map_or(0, |t| {
            if !(-4..=4).contains(t.get_ref()) {
                self.report(&t.span(), format!("target adjustment {} is out of range: use -4 to +4", t.get_ref()));
            }
            *t.get_ref()
        });
        let weight = raw.weight.map_or(1.0, |w| {
            if !(*w.get_ref() > 0.0 && w.get_ref().is_finite()) {
                self.report(&w.span(), format!("weight multiplier {} must be a positive number", w.get_ref()));
            }
            *w.get_ref()
        });
        if target == 0 && weight == 1.0 {
            self.report(
                &span,
                "this rule changes nothing: give it a `target` adjustment, a `weight` multiplier or both",
            );
        }
        let reason = match raw.reason {
            Some(reason) if !reason.get_ref().trim().is_empty() => reason.into_inner().trim().to_owned(),
            _ => {
                self.report(&span, "a rule needs a `reason`: the engine shows it to the user");
                String::new()
            }
        };
        let rule_ok = self.ok;
        self.ok = ok_before && rule_ok;
        Some(Rule { when, selector: selector?, target, weight, reason }).filter(|_| rule_ok)
    }

    fn condition(&mut self, factor: &str, values: Spanned<toml::Value>) -> Option<Condition> {
        let span = values.span();
        let texts: Vec<String> = match values.into_inner() {
            toml::Value::String(one) => vec![one],
            toml::Value::Array(many) if !many.is_empty() => {
                let strings: Option<Vec<String>> = many.into_iter().map(|v| v.as_str().map(str::to_owned)).collect();
                let Some(strings) = strings else {
                    self.report(&span, format!("`{factor}` must be a string or a list of strings"));
                    return None;
                };
                strings
            }
            _ => {
                self.report(&span, format!("`{factor}` must be a string or a list of strings"));
                return None;
            }
        };
        fn all<T>(
            texts: &[String],
            parse: impl Fn(&str) -> Result<T, crate::vocab::UnknownValue>,
        ) -> Result<Vec<T>, String> {
            texts.iter().map(|t| parse(t).map_err(|e| e.to_string())).collect()
        }
        let condition = match factor {
            "role" => all(&texts, Role::parse).map(Condition::Role),
            "level" => all(&texts, CareerLevel::parse).map(Condition::Level),
            "stage" => all(&texts, CompanyStage::parse).map(Condition::Stage),
            "technicality" => all(&texts, Degree::parse).map(Condition::Technicality),
            "team_maturity" => all(&texts, Degree::parse).map(Condition::TeamMaturity),
            "ambiguity" => all(&texts, Degree::parse).map(Condition::Ambiguity),
            "data_driven" => all(&texts, Degree::parse).map(Condition::DataDriven),
            "purpose" => all(&texts, Purpose::parse).map(Condition::Purpose),
            "industry" => match texts.iter().find(|t| !INDUSTRY_PRESETS.contains(&t.as_str())) {
                Some(unknown) => Err(format!(
                    "unknown industry \"{unknown}\": rules can name the presets {}",
                    INDUSTRY_PRESETS.join(", ")
                )),
                None => Ok(Condition::Industry(texts)),
            },
            _ => Err(format!("unknown factor `{factor}`: a rule can depend on {}", FACTORS.join(", "))),
        };
        condition.map_err(|message| self.report(&span, message)).ok()
    }
}
