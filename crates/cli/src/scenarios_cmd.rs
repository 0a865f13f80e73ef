//! `pmcoach scenarios validate|show`: the situational-judgement scenario bank.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use pmcoach_core::scenarios::{Scenario, ScenarioBank};
use pmcoach_core::source::Problem;
use serde::Serialize;

use crate::framework_source;
use crate::text::{self, wrap};
use crate::{Format, Outcome};

#[derive(Debug, Subcommand)]
pub enum ScenariosCommand {
    /// Check a scenario folder and report every problem with file and line
    ///
    /// Skill tags are checked against the framework (--framework, else the built-in one).
    /// Exits 0 when the bank is clean, 1 when it has problems.
    Validate {
        /// Scenario folder with one <id>.toml per scenario (default: the built-in bank)
        dir: Option<PathBuf>,
    },
    /// Print one scenario with its keys and explanations, or an index of all scenarios
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Scenario id, such as `launch-slips` (default: all scenarios)
    id: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(command: ScenariosCommand, framework_dir: Option<&Path>) -> anyhow::Result<Outcome> {
    match command {
        ScenariosCommand::Validate { dir } => validate(dir.as_deref(), framework_dir),
        ScenariosCommand::Show(args) => show(&args, framework_dir),
    }
}

/// The `.toml` files of a scenario folder as (name, bytes), sorted by name.
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        bail!("scenario folder {} does not exist or is not a folder", dir.display());
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry.with_context(|| format!("cannot read {}", dir.display()))?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((name, bytes))
        })
        .collect()
}

fn show_path(dir: Option<&Path>, problem: &Problem) -> String {
    match dir {
        Some(dir) if problem.file.is_empty() => dir.display().to_string(),
        Some(dir) => dir.join(&problem.file).display().to_string(),
        None => format!("(built-in)/scenarios/{}", problem.file),
    }
}

fn load(dir: Option<&Path>, framework_dir: Option<&Path>) -> anyhow::Result<Result<ScenarioBank, Vec<Problem>>> {
    let framework = framework_source::load(framework_dir)?;
    Ok(match dir {
        Some(dir) => ScenarioBank::load_bytes(&read_dir(dir)?, &framework),
        None => ScenarioBank::embedded(&framework),
    })
}

fn validate(dir: Option<&Path>, framework_dir: Option<&Path>) -> anyhow::Result<Outcome> {
    let loaded = load(dir, framework_dir)?;
    let where_ = dir.map_or_else(|| "the built-in scenario bank".to_owned(), |d| d.display().to_string());
    let mut out = text::stdout();
    let result = (|| -> std::io::Result<()> {
        match &loaded {
            Ok(bank) => {
                writeln!(out, "ok: {} scenarios exercising {} skills", bank.len(), bank.skill_counts().len())?;
            }
            Err(problems) => {
                for problem in problems {
                    writeln!(out, "{}:{}: {}", show_path(dir, problem), problem.line, problem.message)?;
                }
                let files = problems.iter().map(|p| &p.file).collect::<BTreeSet<_>>().len();
                writeln!(out, "\n{} problem(s) in {files} file(s) of {where_}", problems.len())?;
            }
        }
        out.flush()
    })();
    text::finish(result)?;
    Ok(if loaded.is_ok() { Outcome::Clean } else { Outcome::ProblemsFound })
}

/// The JSON shape of `scenarios show --format json`.
#[derive(Serialize)]
struct ScenariosJson<'a> {
    scenarios: Vec<&'a Scenario>,
}

fn show(args: &ShowArgs, framework_dir: Option<&Path>) -> anyhow::Result<Outcome> {
    let bank = match load(None, framework_dir)? {
        Ok(bank) => bank,
        Err(problems) => bail!(
            "the scenario bank has {} problem(s); run `pmcoach scenarios validate` for the full list",
            problems.len()
        ),
    };
    let scenarios: Vec<&Scenario> = match &args.id {
        Some(id) => match bank.get(id) {
            Some(scenario) => vec![scenario],
            None => bail!("no scenario \"{id}\"; run `pmcoach scenarios show` for the list"),
        },
        None => bank.iter().collect(),
    };
    let mut out = text::stdout();
    let result = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &ScenariosJson { scenarios })
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Text if args.id.is_some() => write_scenario(&mut out, scenarios[0]),
        Format::Text => write_index(&mut out, &bank),
    };
    text::finish(result.and_then(|()| out.flush()))?;
    Ok(Outcome::Clean)
}

fn write_index(out: &mut impl Write, bank: &ScenarioBank) -> std::io::Result<()> {
    writeln!(out, "pmcoach scenario bank: {} scenarios\n", bank.len())?;
    for scenario in bank.iter() {
        writeln!(out, "  {:<34} {}", scenario.id.as_str(), scenario.title)?;
    }
    writeln!(out, "\nScenarios per skill")?;
    for (skill, count) in bank.skill_counts() {
        writeln!(out, "  {:<26} {count}", skill.as_str())?;
    }
    writeln!(out, "\nShow one scenario with `pmcoach scenarios show <id>`.")
}

fn write_scenario(out: &mut impl Write, scenario: &Scenario) -> std::io::Result<()> {
    const WIDTH: usize = 88;
    let join = |items: Vec<&str>| items.join(", ");
    writeln!(out, "{} ({})\n", scenario.title, scenario.id)?;
    writeln!(out, "{}\n", wrap(&scenario.setup, "", WIDTH))?;
    writeln!(out, "{}\n", scenario.question)?;
    for (i, option) in scenario.options.iter().enumerate() {
        let wrapped = wrap(&option.text, "     ", WIDTH);
        writeln!(out, "  {}. {}", i + 1, wrapped.trim_start())?;
        writeln!(out, "     key {} of 5", option.key)?;
        writeln!(out, "{}\n", wrap(&option.why, "     ", WIDTH))?;
    }
    writeln!(out, "Skills: {}", join(scenario.skills.iter().map(|s| s.as_str()).collect()))?;
    writeln!(out, "Roles: {}", join(scenario.roles.iter().map(|r| r.as_str()).collect()))?;
    writeln!(out, "Levels: {}", join(scenario.levels.iter().map(|l| l.as_str()).collect()))
}
