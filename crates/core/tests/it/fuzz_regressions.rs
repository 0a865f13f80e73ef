//! Inputs from fuzzing the content loaders (see fuzz/README.md), kept as
//! tests. The fuzz runs found no crash; these are the adversarial inputs
//! tried by hand beside them (nesting deep enough to overflow a recursive
//! parser, bytes that are not UTF-8, an empty file), each of which must be a
//! problem naming its file, never a panic or a stack overflow.

use pmcoach_core::framework::Framework;
use pmcoach_core::scenarios::ScenarioBank;
use pmcoach_core::source::SourceFile;
use pmcoach_core::stakeholders::FunctionTemplates;

use crate::framework;

/// TOML nested far deeper than any parser should recurse.
fn deep_arrays() -> String {
    format!("a = {}\n", "[".repeat(200_000))
}

fn deep_tables() -> String {
    format!("x = {}\n", "{a = ".repeat(50_000))
}

#[test]
fn the_framework_loader_reports_deeply_nested_toml_as_a_problem_of_its_file() {
    for (name, text) in [("deep-arrays", deep_arrays()), ("deep-tables", deep_tables())] {
        let mut files = Framework::embedded_files();
        let path = format!("skills/{name}.toml");
        files.push(SourceFile::new(path.clone(), text));
        let problems = Framework::load(&files).expect_err("nested input is not a skill");
        assert!(problems.iter().any(|p| p.file == path && p.line == 1), "{problems:#?}");
    }
}

#[test]
fn the_framework_loader_reports_a_broken_rules_file_and_empty_skills() {
    let files = vec![SourceFile::new("context-rules.toml", deep_arrays()), SourceFile::new("skills/a.toml", "")];
    let problems = Framework::load(&files).expect_err("nothing valid");
    assert!(problems.iter().any(|p| p.file == "context-rules.toml"), "{problems:#?}");
}

#[test]
fn the_scenario_loader_reports_nesting_and_bytes_that_are_not_utf8() {
    let mut files: Vec<(String, Vec<u8>)> =
        ScenarioBank::embedded_files().into_iter().map(|f| (f.path, f.text.into_bytes())).collect();
    files.push(("deep.toml".to_owned(), deep_arrays().into_bytes()));
    files.push(("latin1.toml".to_owned(), b"title = \"Caf\xe9\"\n\xff\xfe".to_vec()));
    files.push(("empty.toml".to_owned(), Vec::new()));
    let problems = ScenarioBank::load_bytes(&files, framework()).expect_err("three broken files");
    for file in ["deep.toml", "latin1.toml", "empty.toml"] {
        assert!(problems.iter().any(|p| p.file.ends_with(file)), "{file}: {problems:#?}");
    }
}

#[test]
fn the_stakeholder_templates_loader_reports_deeply_nested_toml() {
    let files = vec![SourceFile::new("functions.toml", deep_tables())];
    let problems = FunctionTemplates::load(&files, &FunctionTemplates::embedded_audiences()).expect_err("nested");
    assert!(problems.iter().any(|p| p.file == "functions.toml"), "{problems:#?}");
}
