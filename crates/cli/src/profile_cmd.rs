//! `pmcoach profile`: the target profile for a role context.

use std::io::Write;
use std::path::Path;

use clap::Args;
use pmcoach_core::context::engine::{self, Profile, SkillTarget};
use pmcoach_core::context::json::ProfileJson;
use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, INDUSTRY_PRESETS, Purpose, Role, RoleContext};
use pmcoach_core::framework::model::Category;

use crate::text::{self, bar, wrap};
use crate::{Format, Outcome, framework_source};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  pmcoach profile --role tpm --level senior --stage early --industry ai --technicality high\n  \
                        pmcoach profile --role pm --level senior --stage enterprise --industry financial-services --format json"
)]
pub struct ProfileArgs {
    /// Role: pm, pmm, tpm, growth-pm or platform-pm
    #[arg(long, value_parser = Role::parse)]
    role: Role,
    /// Seniority: apm, pm, senior, lead, director or vp
    #[arg(long, value_parser = CareerLevel::parse)]
    level: CareerLevel,
    /// Company stage: early, scaleup or enterprise
    #[arg(long, value_parser = CompanyStage::parse, default_value = "scaleup")]
    stage: CompanyStage,
    /// Industry, free text; presets with their own rules: ai, devtools, fintech,
    /// financial-services, healthcare, consumer, b2b-saas, internal-tools, public-sector
    #[arg(long, default_value = "")]
    industry: String,
    /// How technical the product is: low, medium or high
    #[arg(long, value_parser = Degree::parse, default_value = "medium")]
    technicality: Degree,
    /// How mature and established the team is: low, medium or high
    #[arg(long, value_parser = Degree::parse, default_value = "medium")]
    team_maturity: Degree,
    /// How ambiguous the scope is: low, medium or high
    #[arg(long, value_parser = Degree::parse, default_value = "medium")]
    ambiguity: Degree,
    /// How much decisions rest on data: low, medium or high
    #[arg(long, value_parser = Degree::parse, default_value = "medium")]
    data_driven: Degree,
    /// Whom the profile is for: growth (a person) or hiring (a scorecard)
    #[arg(long, value_parser = Purpose::parse, default_value = "growth")]
    purpose: Purpose,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

impl ProfileArgs {
    fn context(&self) -> RoleContext {
        let mut context = RoleContext::new(self.role, self.level).with_industry(&self.industry);
        context.stage = self.stage;
        context.technicality = self.technicality;
        context.team_maturity = self.team_maturity;
        context.ambiguity = self.ambiguity;
        context.data_driven = self.data_driven;
        context.purpose = self.purpose;
        context
    }
}

pub fn run(args: &ProfileArgs, framework_dir: Option<&Path>) -> anyhow::Result<Outcome> {
    let framework = framework_source::load(framework_dir)?;
    let profile = engine::profile(&framework, &args.context());
    let mut out = text::stdout();
    let result = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &ProfileJson::from(&profile))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Text => write_text(&mut out, &profile),
    };
    text::finish(result.and_then(|()| out.flush()))?;
    Ok(Outcome::Clean)
}

const WIDTH: usize = 96;

fn write_text(out: &mut impl Write, profile: &Profile) -> std::io::Result<()> {
    let c = &profile.context;
    let industry = c.industry.as_deref().unwrap_or("any");
    writeln!(out, "Target profile: {} · {} · {} company · industry {industry}", c.role, c.level, c.stage)?;
    writeln!(
        out,
        "Technicality {} · team maturity {} · ambiguity {} · data-driven {} · for {}",
        c.technicality, c.team_maturity, c.ambiguity, c.data_driven, c.purpose
    )?;
    if !c.industry_is_preset() {
        let note = format!(
            "Note: \"{industry}\" is not one of the industry presets ({}), so no industry rule applied.",
            INDUSTRY_PRESETS.join(", ")
        );
        writeln!(out, "{}", wrap(&note, "", WIDTH))?;
    }
    writeln!(
        out,
        "\nSoft and craft skills carry {:.0}% of the weight, technical skills {:.0}%.",
        profile.soft_share * 100.0,
        profile.category_share(Category::Technical) * 100.0
    )?;
    let heaviest = profile.skills.first().map_or(1.0, |s| s.weight);

    writeln!(out, "\nThe ten heaviest skills")?;
    for (rank, skill) in profile.skills.iter().take(10).enumerate() {
        writeln!(out, "  {:>2}. {}", rank + 1, summary_line(skill, heaviest))?;
    }

    for category in Category::ALL {
        let skills: Vec<&SkillTarget> = profile.skills.iter().filter(|s| s.category == *category).collect();
        let Some(first) = skills.first() else { continue };
        let share = profile.category_share(*category) * 100.0;
        writeln!(out, "\n{} ({share:.0}% of the weight)", category.label())?;
        if let Some(base) = first.reasons.first() {
            writeln!(out, "{}", wrap(&format!("Base: {base}"), "  ", WIDTH))?;
        }
        for skill in skills {
            writeln!(out, "\n  {}", summary_line(skill, heaviest))?;
            for reason in skill.reasons.iter().skip(1) {
                let wrapped = wrap(reason, "      ", WIDTH);
                writeln!(out, "    · {}", wrapped.trim_start())?;
            }
        }
    }
    writeln!(
        out,
        "\nWeights sum to 100%; the bar is relative to the heaviest skill. Targets run from 1 Learning to 5 Role model."
    )
}

fn summary_line(skill: &SkillTarget, heaviest: f64) -> String {
    format!(
        "{:<40} target {} {:<11} {:>5.1}%  {}",
        skill.name,
        skill.target,
        skill.target.name(),
        skill.weight * 100.0,
        bar(skill.weight / heaviest, 16)
    )
}
