//! Function templates (`content/stakeholders/*.toml`) → validated
//! [`FunctionTemplates`], or every problem with its file and line, in the
//! manner of the framework loader: raw structs whose fields carry spans,
//! then checks, then the typed model.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::MAX_CADENCE_DAYS;
use crate::framework::load::parse_toml;
use crate::ids::parse_slug;
use crate::source::{Problem, Problems, SourceFile};

/// What one function's people usually care about, to prefill a stakeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionTemplate {
    pub id: String,
    pub name: String,
    pub goals: Vec<String>,
    pub pressures: Vec<String>,
    pub needs: Vec<String>,
    pub channel: String,
    pub style: String,
    pub cadence_days: i64,
    /// The communication coach's audience for follow-ups.
    pub audience: String,
    /// Prompts beside the meeting notes, to find the reason behind things.
    pub ask_why: Vec<String>,
}

/// Every function template, in the order of the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionTemplates {
    functions: Vec<FunctionTemplate>,
}

type Field<T> = Option<Spanned<T>>;

#[derive(Deserialize)]
struct RawFile {
    functions: Field<Vec<Spanned<RawFunction>>>,
}

#[derive(Deserialize)]
struct RawFunction {
    id: Field<String>,
    name: Field<String>,
    goals: Field<Vec<Spanned<String>>>,
    pressures: Field<Vec<Spanned<String>>>,
    needs: Field<Vec<Spanned<String>>>,
    channel: Field<String>,
    style: Field<String>,
    cadence_days: Field<i64>,
    audience: Field<String>,
    ask_why: Field<Vec<Spanned<String>>>,
}

/// How many entries a list may hold: enough to be useful, few enough to
/// read at a glance in a form.
const LIST_LEN: Range<usize> = 1..7;
const ASK_WHY_LEN: Range<usize> = 3..6;

impl FunctionTemplates {
    /// The template files shipped in the binary.
    pub fn embedded_files() -> Vec<SourceFile> {
        crate::embedded::files_under("stakeholders/")
    }

    /// The audience ids of the shipped communication coach
    /// (`content/audiences.toml`), which every template must name one of.
    pub fn embedded_audiences() -> BTreeSet<String> {
        #[derive(Deserialize)]
        struct Audiences {
            #[serde(default)]
            audiences: BTreeMap<String, toml::Value>,
        }
        crate::embedded::file("audiences.toml")
            .and_then(|text| toml::from_str::<Audiences>(text).ok())
            .map(|file| file.audiences.into_keys().collect())
            .unwrap_or_default()
    }

    /// The shipped templates, which a test checks are valid.
    pub fn embedded() -> Result<FunctionTemplates, Vec<Problem>> {
        Self::load(&Self::embedded_files(), &Self::embedded_audiences())
    }

    /// Loads templates from `files` (paths as the user should see them);
    /// every template must name one of `audiences`.
    pub fn load(files: &[SourceFile], audiences: &BTreeSet<String>) -> Result<FunctionTemplates, Vec<Problem>> {
        let mut problems = Problems::default();
        let mut functions = Vec::new();
        let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for file in files.iter().filter(|f| f.path.ends_with(".toml")) {
            let Some(raw) = parse_toml::<RawFile>(file, &mut problems) else { continue };
            let Some(list) = raw.functions else {
                problems.push(file.problem(&(0..0), "no `[[functions]]` in this file: add one per function"));
                continue;
            };
            for entry in list.into_inner() {
                let span = entry.span();
                let mut check = Check { file, problems: &mut problems, ok: true, owner: span };
                if let Some(function) = check.function(entry.into_inner(), audiences, &mut seen)
                    && check.ok
                {
                    functions.push(function);
                }
            }
        }
        if functions.is_empty() && problems.is_empty() {
            problems.push(Problem {
                file: "stakeholders/".to_owned(),
                line: 1,
                message: "there are no function templates: add a `[[functions]]` table".to_owned(),
            });
        }
        if problems.is_empty() { Ok(FunctionTemplates { functions }) } else { Err(problems.into_sorted()) }
    }

    pub fn get(&self, id: &str) -> Option<&FunctionTemplate> {
        self.functions.iter().find(|function| function.id == id)
    }

    pub fn all(&self) -> &[FunctionTemplate] {
        &self.functions
    }

    /// The display name of a function id, or the id itself for one that is
    /// no longer shipped (stored data outlives content).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map_or(id, |function| function.name.as_str())
    }
}

struct Check<'a> {
    file: &'a SourceFile,
    problems: &'a mut Problems,
    ok: bool,
    owner: Range<usize>,
}

impl Check<'_> {
    fn report(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.ok = false;
        self.problems.push(self.file.problem(span, message));
    }

    fn text(&mut self, field: Field<String>, name: &str, within: &str) -> Option<String> {
        let Some(value) = field else {
            let owner = self.owner.clone();
            self.report(&owner, format!("missing field `{name}`{within}"));
            return None;
        };
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.report(&value.span(), format!("`{name}`{within} is empty"));
            return None;
        }
        Some(text.to_owned())
    }

    fn list(
        &mut self,
        field: Field<Vec<Spanned<String>>>,
        name: &str,
        within: &str,
        len: Range<usize>,
    ) -> Option<Vec<String>> {
        let Some(list) = field else {
            let owner = self.owner.clone();
            self.report(&owner, format!("missing field `{name}`{within}"));
            return None;
        };
        let span = list.span();
        let items = list.into_inner();
        if !len.contains(&items.len()) {
            self.report(
                &span,
                format!("`{name}`{within} has {} entries; give {} to {}", items.len(), len.start, len.end - 1),
            );
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let text = item.get_ref().trim();
            if text.is_empty() {
                self.report(&item.span(), format!("an entry of `{name}`{within} is empty"));
            } else if out.iter().any(|seen: &String| seen == text) {
                self.report(&item.span(), format!("`{name}`{within} lists \"{text}\" twice"));
            } else {
                out.push(text.to_owned());
            }
        }
        Some(out)
    }

    fn function(
        &mut self,
        raw: RawFunction,
        audiences: &BTreeSet<String>,
        seen: &mut BTreeMap<String, (String, usize)>,
    ) -> Option<FunctionTemplate> {
        let id = match raw.id {
            None => {
                let owner = self.owner.clone();
                self.report(&owner, "missing field `id` in a function");
                None
            }
            Some(id) => match parse_slug(id.get_ref()) {
                Err(error) => {
                    self.report(&id.span(), format!("id: {error}"));
                    None
                }
                Ok(slug) => {
                    let line = self.file.line_of(id.span().start);
                    if let Some((file, first)) = seen.get(&slug) {
                        let message = format!("function \"{slug}\" is defined twice (first in {file}:{first})");
                        self.report(&id.span(), message);
                    } else {
                        seen.insert(slug.clone(), (self.file.path.clone(), line));
                    }
                    Some(slug)
                }
            },
        };
        let within = id.as_deref().map(|id| format!(" of function \"{id}\"")).unwrap_or_default();
        let name = self.text(raw.name, "name", &within);
        let goals = self.list(raw.goals, "goals", &within, LIST_LEN);
        let pressures = self.list(raw.pressures, "pressures", &within, LIST_LEN);
        let needs = self.list(raw.needs, "needs", &within, LIST_LEN);
        let channel = self.text(raw.channel, "channel", &within);
        let style = self.text(raw.style, "style", &within);
        let ask_why = self.list(raw.ask_why, "ask_why", &within, ASK_WHY_LEN);
        let cadence_days = match raw.cadence_days {
            None => {
                let owner = self.owner.clone();
                self.report(&owner, format!("missing field `cadence_days`{within}"));
                None
            }
            Some(days) if !(1..=MAX_CADENCE_DAYS).contains(days.get_ref()) => {
                let message = format!(
                    "`cadence_days`{within} is {}; give a number of days from 1 to {MAX_CADENCE_DAYS}",
                    days.get_ref()
                );
                self.report(&days.span(), message);
                None
            }
            Some(days) => Some(*days.get_ref()),
        };
        let audience = match raw.audience {
            None => {
                let owner = self.owner.clone();
                self.report(&owner, format!("missing field `audience`{within}"));
                None
            }
            Some(audience) if !audiences.contains(audience.get_ref().trim()) => {
                let known: Vec<&str> = audiences.iter().map(String::as_str).collect();
                let message = format!(
                    "audience \"{}\"{within} is not an audience of the communication coach; use one of: {}",
                    audience.get_ref(),
                    known.join(", ")
                );
                self.report(&audience.span(), message);
                None
            }
            Some(audience) => Some(audience.get_ref().trim().to_owned()),
        };
        Some(FunctionTemplate {
            id: id?,
            name: name?,
            goals: goals?,
            pressures: pressures?,
            needs: needs?,
            channel: channel?,
            style: style?,
            cadence_days: cadence_days?,
            audience: audience?,
            ask_why: ask_why?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audiences() -> BTreeSet<String> {
        ["exec", "engineering", "sales"].into_iter().map(str::to_owned).collect()
    }

    const GOOD: &str = r#"
[[functions]]
id = "engineering"
name = "Engineering"
goals = ["Focus time", "Less debt"]
pressures = ["Changing scope"]
needs = ["Context"]
channel = "Docs"
style = "Precise"
cadence_days = 14
audience = "engineering"
ask_why = ["Why a?", "Why b?", "Why c?"]
"#;

    fn problems(text: &str) -> Vec<String> {
        let file = SourceFile::new("stakeholders/functions.toml", text);
        FunctionTemplates::load(&[file], &audiences()).unwrap_err().into_iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_shipped_templates_are_valid_and_cover_every_function() {
        let templates = FunctionTemplates::embedded().unwrap_or_else(|problems| panic!("{problems:#?}"));
        let ids: Vec<&str> = templates.all().iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "engineering",
                "design",
                "sales",
                "customer-success",
                "marketing",
                "leadership",
                "finance",
                "legal",
                "customer"
            ]
        );
        for function in templates.all() {
            assert!((3..=4).contains(&function.goals.len()), "{} goals", function.id);
            assert!((3..=4).contains(&function.pressures.len()), "{} pressures", function.id);
            assert!((3..=5).contains(&function.ask_why.len()), "{} ask why", function.id);
        }
        assert!(FunctionTemplates::embedded_audiences().contains("customer-success"));
    }

    #[test]
    fn a_good_file_loads() {
        let file = SourceFile::new("functions.toml", GOOD);
        let templates = FunctionTemplates::load(&[file], &audiences()).unwrap();
        let engineering = templates.get("engineering").unwrap();
        assert_eq!(engineering.cadence_days, 14);
        assert_eq!(engineering.goals, ["Focus time", "Less debt"]);
        assert_eq!(templates.name("engineering"), "Engineering");
        assert_eq!(templates.name("gone"), "gone");
    }

    #[test]
    fn an_unknown_audience_is_reported_at_its_line() {
        let text = GOOD.replace(r#"audience = "engineering""#, r#"audience = "board""#);
        assert_eq!(
            problems(&text),
            ["stakeholders/functions.toml:11: audience \"board\" of function \"engineering\" is not an audience \
                 of the communication coach; use one of: engineering, exec, sales"]
        );
    }

    #[test]
    fn a_missing_field_is_reported_at_its_function() {
        let text = GOOD.replace("style = \"Precise\"\n", "");
        assert_eq!(
            problems(&text),
            ["stakeholders/functions.toml:2: missing field `style` of function \"engineering\""]
        );
    }

    #[test]
    fn a_function_defined_twice_is_reported_at_the_second() {
        let text = format!("{GOOD}{GOOD}");
        assert_eq!(
            problems(&text),
            ["stakeholders/functions.toml:15: function \"engineering\" is defined twice (first in \
                 stakeholders/functions.toml:3)"]
        );
    }

    #[test]
    fn a_cadence_out_of_range_is_reported() {
        for bad in ["0", "366", "-7"] {
            let text = GOOD.replace("cadence_days = 14", &format!("cadence_days = {bad}"));
            assert_eq!(
                problems(&text),
                [format!(
                    "stakeholders/functions.toml:10: `cadence_days` of function \"engineering\" is {bad}; give a \
                     number of days from 1 to 365"
                )]
            );
        }
        let text = GOOD.replace("cadence_days = 14", "cadence_days = \"two weeks\"");
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("stakeholders/functions.toml:10: not valid here:"), "{found:?}");
    }

    #[test]
    fn every_problem_is_reported_in_one_go() {
        let text =
            GOOD.replace("name = \"Engineering\"", "name = \"  \"").replace("ask_why = [\"Why a?\", ", "ask_why = [");
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains(":4: `name` of function \"engineering\" is empty"), "{found:?}");
        assert!(
            found[1].contains(":12: `ask_why` of function \"engineering\" has 2 entries; give 3 to 5"),
            "{found:?}"
        );
    }

    #[test]
    fn a_file_without_functions_is_reported() {
        assert_eq!(
            problems("# nothing yet\n"),
            ["stakeholders/functions.toml:1: no `[[functions]]` in this file: add one per function"]
        );
    }
}
