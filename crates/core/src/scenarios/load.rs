//! Scenario files → a validated [`ScenarioBank`], or every problem at once.
//!
//! Like the framework loader, files are first read into "raw" structs whose
//! fields are all optional and carry their byte spans, so a missing or
//! malformed field becomes a problem with its line instead of stopping the
//! load. Only a TOML syntax or type error stops a file.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{KEY_MAX, KEY_MIN, OPTIONS_MAX, OPTIONS_MIN, Scenario, ScenarioBank, ScenarioId, ScenarioOption};
use crate::context::{CareerLevel, Role};
use crate::framework::Framework;
use crate::framework::load::parse_toml;
use crate::ids::SkillId;
use crate::source::{FILE_START, Field, FileCheck, Problem, Problems, SourceFile};

#[derive(Deserialize)]
struct RawScenario {
    id: Field<String>,
    title: Field<String>,
    setup: Field<String>,
    question: Field<String>,
    skills: Field<Vec<Spanned<String>>>,
    roles: Field<Vec<Spanned<String>>>,
    levels: Field<Vec<Spanned<String>>>,
    options: Field<Vec<Spanned<RawOption>>>,
}

#[derive(Deserialize)]
struct RawOption {
    text: Field<String>,
    key: Field<i64>,
    why: Field<String>,
}

/// Turns the bytes of a file into a [`SourceFile`], or a problem pointing at
/// the line of the first byte that is not UTF-8.
pub fn decode(path: &str, bytes: &[u8]) -> Result<SourceFile, Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(error) => {
            let offset = error.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Problem {
                file: path.to_owned(),
                line,
                message: format!("the file is not UTF-8 text (invalid byte at offset {offset}): save it as UTF-8"),
            })
        }
    }
}

/// Loads and validates scenario files (paths relative to the scenarios
/// folder; files not ending in `.toml` are ignored). Skill tags are checked
/// against `framework`. Returns the bank ordered by id, or every problem
/// sorted by file and line.
pub fn load(files: &[SourceFile], framework: &Framework) -> Result<ScenarioBank, Vec<Problem>> {
    let mut problems = Problems::default();
    let mut scenarios = Vec::new();
    let mut declared: BTreeMap<ScenarioId, (String, usize)> = BTreeMap::new();
    let mut seen_files = 0;
    for file in files.iter().filter(|f| f.path.ends_with(".toml")) {
        seen_files += 1;
        let Some(raw) = parse_toml::<RawScenario>(file, &mut problems) else { continue };
        let mut check = Check::new(file, &mut problems, framework);
        let id = check.id(&raw, &mut declared);
        let scenario = check.scenario(raw);
        if let (Some(id), Some(scenario)) = (id, scenario)
            && check.ok
        {
            debug_assert_eq!(scenario.id, id);
            scenarios.push(scenario);
        }
    }
    if seen_files == 0 {
        problems.push(Problem {
            file: String::new(),
            line: 1,
            message: "the scenario bank is empty: add one TOML file per scenario".to_owned(),
        });
    }
    if problems.is_empty() {
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(ScenarioBank { scenarios })
    } else {
        Err(problems.into_sorted())
    }
}

/// The checks for one scenario file, against the framework its skills come from.
type Check<'a> = FileCheck<'a, &'a Framework>;

impl Check<'_> {
    fn id(&mut self, raw: &RawScenario, declared: &mut BTreeMap<ScenarioId, (String, usize)>) -> Option<ScenarioId> {
        let field = self.required(&raw.id, "id", &FILE_START, "")?;
        let id = match ScenarioId::parse(field.get_ref()) {
            Ok(id) => id,
            Err(error) => {
                self.report(&field.span(), format!("id: {error}"));
                return None;
            }
        };
        let line = self.file.line_of(field.span().start);
        if let Some((first_file, first_line)) = declared.get(&id) {
            let message = format!("duplicate scenario id \"{id}\": already defined in {first_file} line {first_line}");
            self.report(&field.span(), message);
            return None;
        }
        let expected = format!("{id}.toml");
        let name = self.file.path.rsplit('/').next().unwrap_or(&self.file.path);
        if name != expected {
            self.report(
                &field.span(),
                format!("scenario \"{id}\" should live in {expected}, so it can be found by its id"),
            );
        }
        declared.insert(id.clone(), (self.file.path.clone(), line));
        Some(id)
    }

    fn scenario(&mut self, raw: RawScenario) -> Option<Scenario> {
        let id = raw.id.as_ref().and_then(|id| ScenarioId::parse(id.get_ref()).ok());
        let title = self.text(&raw.title, "title", &FILE_START, "");
        let setup = self.text(&raw.setup, "setup", &FILE_START, "");
        let question = self.question(&raw.question);
        let skills = self.list(&raw.skills, "skills", "skill", |check, raw| match SkillId::parse(raw) {
            Ok(id) if check.context.skill(id.as_str()).is_some() => Ok(id),
            Ok(id) => Err(format!("unknown skill \"{id}\": it is not a skill of the framework")),
            Err(error) => Err(format!("skills: {error}")),
        });
        let roles = self.list(&raw.roles, "roles", "role", |_, raw| Role::parse(raw).map_err(|e| e.to_string()));
        let levels =
            self.list(&raw.levels, "levels", "level", |_, raw| CareerLevel::parse(raw).map_err(|e| e.to_string()));
        let options = self.options(&raw.options);
        Some(Scenario {
            id: id?,
            title: title?,
            setup: setup?,
            question: question?,
            options: options?,
            skills: skills?,
            roles: roles?,
            levels: levels?,
        })
    }

    fn question(&mut self, field: &Field<String>) -> Option<String> {
        let question = self.text(field, "question", &FILE_START, "")?;
        if !question.ends_with('?') {
            let span = field.as_ref().map(Spanned::span).unwrap_or(FILE_START);
            self.report(&span, "`question` should be a question, such as \"What should you do?\"");
            return None;
        }
        Some(question)
    }

    /// A required, non-empty list of values from a vocabulary, each once.
    fn list<T: PartialEq>(
        &mut self,
        field: &Field<Vec<Spanned<String>>>,
        name: &str,
        what: &str,
        parse: impl Fn(&Self, &str) -> Result<T, String>,
    ) -> Option<Vec<T>> {
        let list = self.required(field, name, &FILE_START, "")?;
        if list.get_ref().is_empty() {
            self.report(&list.span(), format!("`{name}` is empty: name at least one {what}"));
        }
        let mut out = Vec::new();
        for item in list.get_ref() {
            match parse(self, item.get_ref()) {
                Ok(value) if out.contains(&value) => {
                    self.report(&item.span(), format!("{what} \"{}\" is listed twice", item.get_ref()));
                }
                Ok(value) => out.push(value),
                Err(message) => self.report(&item.span(), message),
            }
        }
        Some(out)
    }

    fn options(&mut self, field: &Field<Vec<Spanned<RawOption>>>) -> Option<Vec<ScenarioOption>> {
        let options = self.required(field, "options", &FILE_START, "")?;
        let count = options.get_ref().len();
        if !(OPTIONS_MIN..=OPTIONS_MAX).contains(&count) {
            self.report(
                &options.span(),
                format!("a scenario needs {OPTIONS_MIN} or {OPTIONS_MAX} options ([[options]]), found {count}"),
            );
        }
        let mut out: Vec<ScenarioOption> = Vec::new();
        let mut complete = true;
        for (position, raw) in options.get_ref().iter().enumerate() {
            let span = raw.span();
            let raw = raw.get_ref();
            let within = format!(" in option {}", position + 1);
            let text = self.text(&raw.text, "text", &span, &within);
            let why = self.text(&raw.why, "why", &span, &within);
            let key = self.required(&raw.key, "key", &span, &within).and_then(|key| {
                let value = *key.get_ref();
                match u8::try_from(value) {
                    Ok(k) if (KEY_MIN..=KEY_MAX).contains(&k) => Some(k),
                    _ => {
                        self.report(
                            &key.span(),
                            format!(
                                "key {value} in option {} is out of range: keys run from {KEY_MIN} (makes things worse) to {KEY_MAX} (most effective)",
                                position + 1
                            ),
                        );
                        None
                    }
                }
            });
            match (text, key, why) {
                (Some(text), Some(key), Some(why)) => out.push(ScenarioOption { text, key, why }),
                _ => complete = false,
            }
        }
        if complete
            && out.len() >= 2
            && let Some(first) = out.first().map(|o| o.key)
            && out.iter().all(|o| o.key == first)
        {
            self.report(
                &options.span(),
                format!(
                    "every option is keyed {first}: a scenario needs options of different effectiveness to test judgement"
                ),
            );
        }
        Some(out)
    }
}
