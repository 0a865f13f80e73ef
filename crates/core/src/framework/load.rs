//! TOML files → a validated [`Framework`], or every problem at once.
//!
//! Files are first read into "raw" structs where every field is optional and
//! carries its byte span, so that a missing or malformed field becomes a
//! problem with a line number instead of stopping the whole load.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::Framework;
use super::model::{Activity, Cadence, Category, Effort, LevelDescription, Observer, Skill, Stages};
use crate::context::rules::load_rules;
use crate::ids::{Level, SkillId, parse_slug};
use crate::source::{FILE_START, Field, FileCheck, Problem, Problems, SourceFile};

/// Where the context rules live inside a framework folder.
pub const RULES_FILE: &str = "context-rules.toml";
/// The folder of skill files inside a framework folder.
pub const SKILLS_DIR: &str = "skills/";

#[derive(Deserialize)]
struct RawSkill {
    id: Field<String>,
    name: Field<String>,
    category: Field<String>,
    definition: Field<String>,
    why: Field<String>,
    stages: Field<RawStages>,
    levels: Field<Vec<Spanned<RawLevel>>>,
    observers: Field<Vec<Spanned<String>>>,
    activities: Field<Vec<Spanned<RawActivity>>>,
    questions: Field<Vec<Spanned<String>>>,
    related: Field<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
struct RawStages {
    discovery: Field<String>,
    strategy: Field<String>,
    delivery: Field<String>,
    launch: Field<String>,
    growth: Field<String>,
}

#[derive(Deserialize)]
struct RawLevel {
    level: Field<i64>,
    name: Field<String>,
    behaviours: Field<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
struct RawActivity {
    id: Field<String>,
    title: Field<String>,
    description: Field<String>,
    cadence: Field<String>,
    effort: Field<String>,
}

/// Loads and validates a framework from the files of a framework folder
/// (paths relative to it, such as `skills/sql.toml`). Files outside
/// `skills/` other than the rules file are ignored.
pub fn load(files: &[SourceFile]) -> Result<Framework, Vec<Problem>> {
    let mut problems = Problems::default();
    let mut skills = Vec::new();
    let mut declared: BTreeMap<SkillId, (String, usize)> = BTreeMap::new();
    let mut pending_related = Vec::new();

    let skill_files = files.iter().filter(|f| f.path.starts_with(SKILLS_DIR) && f.path.ends_with(".toml"));
    for file in skill_files {
        let Some(raw) = parse_toml::<RawSkill>(file, &mut problems) else {
            // The file claims the id of its name; knowing it keeps one broken
            // file from also turning every reference to it into a problem.
            let stem = file.path.trim_start_matches(SKILLS_DIR).trim_end_matches(".toml");
            if let Ok(id) = SkillId::parse(stem) {
                declared.entry(id).or_insert_with(|| (file.path.clone(), 1));
            }
            continue;
        };
        let mut check = SkillCheck::new(file, &mut problems, ());
        let id = check.skill_id(&raw, &mut declared);
        let skill = check.skill(raw);
        if let (Some(id), Some((skill, related))) = (id, skill)
            && check.ok
        {
            pending_related.push((file, skills.len(), related));
            debug_assert_eq!(skill.id, id);
            skills.push(skill);
        }
    }
    if declared.is_empty() && problems.is_empty() {
        problems.push(Problem {
            file: SKILLS_DIR.to_owned(),
            line: 1,
            message: "the framework has no skills: add one TOML file per skill under skills/".to_owned(),
        });
    }

    let known: BTreeSet<SkillId> = declared.keys().cloned().collect();
    for (file, index, related) in pending_related {
        let skill: &mut Skill = &mut skills[index];
        for entry in related {
            match SkillId::parse(entry.get_ref()) {
                Ok(id) if id == skill.id => {
                    problems.push(file.problem(&entry.span(), format!("skill \"{id}\" lists itself as related")));
                }
                Ok(id) if !known.contains(&id) => {
                    problems.push(
                        file.problem(&entry.span(), format!("related skill \"{id}\" is not defined in this framework")),
                    );
                }
                Ok(id) if skill.related.contains(&id) => {
                    problems.push(file.problem(&entry.span(), format!("related skill \"{id}\" is listed twice")));
                }
                Ok(id) => skill.related.push(id),
                Err(error) => problems.push(file.problem(&entry.span(), format!("related: {error}"))),
            }
        }
    }

    let rules = match files.iter().find(|f| f.path == RULES_FILE) {
        Some(file) => load_rules(file, &known, &mut problems),
        None => {
            problems.push(Problem {
                file: RULES_FILE.to_owned(),
                line: 1,
                message: format!("the framework has no {RULES_FILE}: the role-context engine needs its rules"),
            });
            None
        }
    };

    match rules {
        Some(rules) if problems.is_empty() => {
            skills.sort_by(|a, b| (a.category, &a.name).cmp(&(b.category, &b.name)));
            Ok(Framework { skills, rules })
        }
        _ => Err(problems.into_sorted()),
    }
}

/// Parses a file into `T`, turning a syntax or type error into a problem.
pub(crate) fn parse_toml<T: for<'de> Deserialize<'de>>(file: &SourceFile, problems: &mut Problems) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(value) => Some(value),
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().replace('\n', " ");
            problems.push(file.problem(&span, format!("not valid here: {message}")));
            None
        }
    }
}

/// The checks for one skill file.
type SkillCheck<'a> = FileCheck<'a>;

impl SkillCheck<'_> {
    fn skill_id(&mut self, raw: &RawSkill, declared: &mut BTreeMap<SkillId, (String, usize)>) -> Option<SkillId> {
        let field = self.required(&raw.id, "id", &FILE_START, "")?;
        let id = match SkillId::parse(field.get_ref()) {
            Ok(id) => id,
            Err(error) => {
                self.report(&field.span(), format!("id: {error}"));
                return None;
            }
        };
        let line = self.file.line_of(field.span().start);
        if let Some((first_file, first_line)) = declared.get(&id) {
            let message = format!("duplicate skill id \"{id}\": already defined in {first_file} line {first_line}");
            self.report(&field.span(), message);
            return None;
        }
        let expected_path = format!("{SKILLS_DIR}{id}.toml");
        if !self.file.path.ends_with(&expected_path) {
            self.report(
                &field.span(),
                format!("skill \"{id}\" should live in {expected_path}, so that it can be found by its id"),
            );
        }
        declared.insert(id.clone(), (self.file.path.clone(), line));
        Some(id)
    }

    fn skill(&mut self, raw: RawSkill) -> Option<(Skill, Vec<Spanned<String>>)> {
        let id = raw.id.as_ref().and_then(|id| SkillId::parse(id.get_ref()).ok());
        let name = self.text(&raw.name, "name", &FILE_START, "");
        let category = self.required(&raw.category, "category", &FILE_START, "").and_then(|category| {
            Category::parse(category.get_ref()).map_err(|error| self.report(&category.span(), error.to_string())).ok()
        });
        let definition = self.text(&raw.definition, "definition", &FILE_START, "");
        let why = self.text(&raw.why, "why", &FILE_START, "");
        let stages = self.stages(&raw.stages);
        let levels = self.levels(&raw.levels);
        let observers = self.observers(&raw.observers);
        let activities = self.activities(&raw.activities);
        let questions = self.strings(&raw.questions, "questions", 2, "interview question");
        let related = self.required(&raw.related, "related", &FILE_START, "").map(|r| r.get_ref().clone());
        Some((
            Skill {
                id: id?,
                name: name?,
                category: category?,
                definition: definition?,
                why: why?,
                stages: stages?,
                levels: levels?,
                observers: observers?,
                activities: activities?,
                questions: questions?,
                related: Vec::new(),
            },
            related?,
        ))
    }

    fn stages(&mut self, field: &Field<RawStages>) -> Option<Stages> {
        let stages = self.required(field, "stages", &FILE_START, "")?;
        let (span, raw) = (stages.span(), stages.get_ref());
        let within = " in [stages]";
        let discovery = self.text(&raw.discovery, "discovery", &span, within);
        let strategy = self.text(&raw.strategy, "strategy", &span, within);
        let delivery = self.text(&raw.delivery, "delivery", &span, within);
        let launch = self.text(&raw.launch, "launch", &span, within);
        let growth = self.text(&raw.growth, "growth", &span, within);
        Some(Stages {
            discovery: discovery?,
            strategy: strategy?,
            delivery: delivery?,
            launch: launch?,
            growth: growth?,
        })
    }

    fn levels(&mut self, field: &Field<Vec<Spanned<RawLevel>>>) -> Option<Vec<LevelDescription>> {
        let levels = self.required(field, "levels", &FILE_START, "")?;
        if levels.get_ref().len() != 5 {
            let message = format!(
                "a skill needs exactly 5 levels (1 {} … 5 {}), found {}",
                Level::NAMES[0],
                Level::NAMES[4],
                levels.get_ref().len()
            );
            self.report(&levels.span(), message);
        }
        let mut out = Vec::new();
        for (position, raw) in levels.get_ref().iter().enumerate() {
            let span = raw.span();
            let raw = raw.get_ref();
            let expected = position as i64 + 1;
            let Some(number) = self.required(&raw.level, "level", &span, " in [[levels]]") else { continue };
            let level = match Level::new(*number.get_ref()) {
                Ok(level) if i64::from(level.get()) == expected => level,
                Ok(level) => {
                    self.report(
                        &number.span(),
                        format!(
                            "level {level} is out of order: levels must be listed 1 to 5, and this is entry {expected}"
                        ),
                    );
                    continue;
                }
                Err(error) => {
                    self.report(&number.span(), error.to_string());
                    continue;
                }
            };
            let within = format!(" in level {level}");
            let name = self.text(&raw.name, "name", &span, &within);
            if let (Some(name_text), Some(name_field)) = (&name, &raw.name)
                && name_text != level.name()
            {
                self.report(
                    &name_field.span(),
                    format!("level {level} must be named \"{}\", not \"{name_text}\"", level.name()),
                );
            }
            let behaviours = self.behaviours(&raw.behaviours, &span, level);
            if let (Some(name), Some(behaviours)) = (name, behaviours) {
                out.push(LevelDescription { level, name, behaviours });
            }
        }
        Some(out)
    }

    fn behaviours(
        &mut self,
        field: &Field<Vec<Spanned<String>>>,
        owner: &Range<usize>,
        level: Level,
    ) -> Option<Vec<String>> {
        let behaviours = self.required(field, "behaviours", owner, &format!(" in level {level}"))?;
        let count = behaviours.get_ref().len();
        if !(2..=4).contains(&count) {
            self.report(&behaviours.span(), format!("level {level} needs 2 to 4 observable behaviours, found {count}"));
        }
        let mut out = Vec::new();
        for behaviour in behaviours.get_ref() {
            if behaviour.get_ref().trim().is_empty() {
                self.report(
                    &behaviour.span(),
                    format!("level {level} has an empty behaviour: describe something a colleague could see you do"),
                );
            } else {
                out.push(behaviour.get_ref().trim().to_owned());
            }
        }
        Some(out)
    }

    fn observers(&mut self, field: &Field<Vec<Spanned<String>>>) -> Option<Vec<Observer>> {
        let observers = self.required(field, "observers", &FILE_START, "")?;
        if observers.get_ref().is_empty() {
            self.report(&observers.span(), "`observers` is empty: name the groups who can see this skill in action");
        }
        let mut out = Vec::new();
        for observer in observers.get_ref() {
            match Observer::parse(observer.get_ref()) {
                Ok(group) if out.contains(&group) => {
                    self.report(&observer.span(), format!("observer group \"{group}\" is listed twice"));
                }
                Ok(group) => out.push(group),
                Err(error) => self.report(&observer.span(), error.to_string()),
            }
        }
        Some(out)
    }

    fn activities(&mut self, field: &Field<Vec<Spanned<RawActivity>>>) -> Option<Vec<Activity>> {
        let activities = self.required(field, "activities", &FILE_START, "")?;
        if activities.get_ref().len() < 3 {
            let message = format!("a skill needs at least 3 practice activities, found {}", activities.get_ref().len());
            self.report(&activities.span(), message);
        }
        let mut out: Vec<Activity> = Vec::new();
        for raw in activities.get_ref() {
            let span = raw.span();
            let raw = raw.get_ref();
            let within = " in [[activities]]";
            let id = self.required(&raw.id, "id", &span, within).and_then(|id| match parse_slug(id.get_ref()) {
                Ok(slug) if out.iter().any(|a| a.id == slug) => {
                    self.report(&id.span(), format!("activity id \"{slug}\" is used twice in this skill"));
                    None
                }
                Ok(slug) => Some(slug),
                Err(error) => {
                    self.report(&id.span(), format!("activity id: {error}"));
                    None
                }
            });
            let title = self.text(&raw.title, "title", &span, within);
            let description = self.text(&raw.description, "description", &span, within);
            let cadence = self.required(&raw.cadence, "cadence", &span, within).and_then(|c| {
                Cadence::parse(c.get_ref()).map_err(|error| self.report(&c.span(), error.to_string())).ok()
            });
            let effort = self.required(&raw.effort, "effort", &span, within).and_then(|e| {
                Effort::parse(e.get_ref()).map_err(|error| self.report(&e.span(), error.to_string())).ok()
            });
            if let (Some(id), Some(title), Some(description), Some(cadence), Some(effort)) =
                (id, title, description, cadence, effort)
            {
                out.push(Activity { id, title, description, cadence, effort });
            }
        }
        Some(out)
    }

    fn strings(
        &mut self,
        field: &Field<Vec<Spanned<String>>>,
        name: &str,
        at_least: usize,
        what: &str,
    ) -> Option<Vec<String>> {
        let list = self.required(field, name, &FILE_START, "")?;
        if list.get_ref().len() < at_least {
            self.report(
                &list.span(),
                format!("a skill needs at least {at_least} {what}s in `{name}`, found {}", list.get_ref().len()),
            );
        }
        let mut out = Vec::new();
        for item in list.get_ref() {
            if item.get_ref().trim().is_empty() {
                self.report(&item.span(), format!("`{name}` has an empty {what}"));
            } else {
                out.push(item.get_ref().trim().to_owned());
            }
        }
        Some(out)
    }
}
