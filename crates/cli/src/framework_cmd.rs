//! `pmcoach framework validate|show`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::{Args, Subcommand};
use pmcoach_core::framework::Framework;
use pmcoach_core::framework::model::{Category, Skill, Stage};
use serde::Serialize;

use crate::framework_source::{self, show_path};
use crate::text::{self, wrap};
use crate::{Format, Outcome};

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework folder and report every problem with file and line
    ///
    /// Exits 0 when the framework is clean, 1 when it has problems.
    Validate {
        /// Framework folder (default: --framework, else the built-in framework)
        dir: Option<PathBuf>,
    },
    /// Print one skill, or an index of all skills
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Skill id, such as `stakeholder-alignment` (default: all skills)
    skill: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(command: FrameworkCommand, framework_dir: Option<&Path>) -> anyhow::Result<Outcome> {
    match command {
        FrameworkCommand::Validate { dir } => validate(dir.as_deref().or(framework_dir)),
        FrameworkCommand::Show(args) => show(&args, framework_dir),
    }
}

fn validate(dir: Option<&Path>) -> anyhow::Result<Outcome> {
    let (files, mut problems) = match dir {
        Some(dir) => framework_source::read_dir(dir)?,
        None => (Framework::embedded_files(), Vec::new()),
    };
    let where_ = dir.map_or_else(|| "the built-in framework".to_owned(), |d| d.display().to_string());
    let loaded = Framework::load(&files);
    if let Err(found) = &loaded {
        problems.extend(found.iter().cloned());
    }
    problems.sort();
    let mut out = text::stdout();
    let result = (|| -> std::io::Result<()> {
        match (&loaded, problems.is_empty()) {
            (Ok(framework), true) => {
                let count = |category| framework.skills.iter().filter(|s| s.category == category).count();
                writeln!(
                    out,
                    "ok: {where_} is valid: {} skills ({} soft, {} craft, {} technical) and {} context rules",
                    framework.skills.len(),
                    count(Category::Soft),
                    count(Category::Craft),
                    count(Category::Technical),
                    framework.rules.rules.len()
                )?;
            }
            _ => {
                for problem in &problems {
                    writeln!(out, "{}:{}: {}", show_path(dir, problem), problem.line, problem.message)?;
                }
                let files = problems.iter().map(|p| &p.file).collect::<std::collections::BTreeSet<_>>().len();
                writeln!(out, "\n{} problem(s) in {files} file(s) of {where_}", problems.len())?;
            }
        }
        out.flush()
    })();
    text::finish(result)?;
    Ok(if problems.is_empty() { Outcome::Clean } else { Outcome::ProblemsFound })
}

/// The JSON shape of `framework show --format json`.
#[derive(Serialize)]
struct SkillsJson<'a> {
    skills: Vec<&'a Skill>,
}

fn show(args: &ShowArgs, dir: Option<&Path>) -> anyhow::Result<Outcome> {
    let framework = framework_source::load(dir)?;
    let skills: Vec<&Skill> = match &args.skill {
        Some(id) => match framework.skill(id) {
            Some(skill) => vec![skill],
            None => bail!("no skill \"{id}\" in the framework; skills are: {}", join_ids(&framework)),
        },
        None => framework.skills.iter().collect(),
    };
    let mut out = text::stdout();
    let result = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &SkillsJson { skills })
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Text if args.skill.is_some() => write_skill(&mut out, skills[0]),
        Format::Text => write_index(&mut out, &framework),
    };
    text::finish(result.and_then(|()| out.flush()))?;
    Ok(Outcome::Clean)
}

fn join_ids(framework: &Framework) -> String {
    framework.ids().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
}

fn write_index(out: &mut impl Write, framework: &Framework) -> std::io::Result<()> {
    writeln!(out, "pmcoach skill framework: {} skills\n", framework.skills.len())?;
    for category in Category::ALL {
        writeln!(out, "{}", category.label())?;
        for skill in framework.skills.iter().filter(|s| s.category == *category) {
            writeln!(out, "  {:<26} {}", skill.id, skill.name)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "Show one skill with `pmcoach framework show <id>`.")
}

fn write_skill(out: &mut impl Write, skill: &Skill) -> std::io::Result<()> {
    const WIDTH: usize = 88;
    writeln!(out, "{} ({}, {})\n", skill.name, skill.id, skill.category)?;
    writeln!(out, "{}\n", wrap(&skill.definition, "", WIDTH))?;
    writeln!(out, "Why it matters\n{}\n", wrap(&skill.why, "  ", WIDTH))?;
    writeln!(out, "Across the product stages")?;
    for stage in Stage::ALL {
        writeln!(out, "  {stage}")?;
        writeln!(out, "{}", wrap(skill.stages.get(*stage), "    ", WIDTH))?;
    }
    writeln!(out, "\nLevels")?;
    for level in &skill.levels {
        writeln!(out, "  {} {}", level.level, level.name)?;
        for behaviour in &level.behaviours {
            let wrapped = wrap(behaviour, "      ", WIDTH);
            writeln!(out, "    - {}", wrapped.trim_start())?;
        }
    }
    writeln!(out, "\nPractice")?;
    for activity in &skill.activities {
        writeln!(out, "  {} ({}, {})", activity.title, activity.cadence, activity.effort)?;
        writeln!(out, "{}", wrap(&activity.description, "    ", WIDTH))?;
    }
    writeln!(out, "\nInterview questions")?;
    for question in &skill.questions {
        let wrapped = wrap(question, "    ", WIDTH);
        writeln!(out, "  - {}", wrapped.trim_start())?;
    }
    let observers = skill.observers.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ");
    let related = skill.related.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
    writeln!(out, "\nObserved by: {observers}")?;
    writeln!(out, "Related: {related}")
}
