//! `pmcoach scenarios validate` and `pmcoach scenarios show` (issue 7).

use std::fs;
use std::path::Path;

use crate::{content_dir, pmcoach, stderr, stdout};

/// Copies the shipped scenario folder into a fresh temporary folder.
fn copy_of_shipped_bank() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(content_dir().join("scenarios")).expect("scenarios") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

/// Replaces the first `from` in a file by `to` and returns the 1-based line
/// where it was.
fn edit(dir: &Path, file: &str, from: &str, to: &str) -> usize {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    let at = text.find(from).unwrap_or_else(|| panic!("{from:?} not in {file}"));
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    text[..at].matches('\n').count() + 1
}

fn shipped_count() -> usize {
    fs::read_dir(content_dir().join("scenarios"))
        .expect("scenarios")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml")))
        .count()
}

#[test]
fn the_shipped_bank_is_valid() {
    let output = pmcoach(&["scenarios", "validate"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    let expected = format!("ok: {} scenarios exercising ", shipped_count());
    assert!(stdout(&output).starts_with(&expected), "{}", stdout(&output));
    assert!(stdout(&output).trim_end().ends_with(" skills"), "{}", stdout(&output));
    assert_eq!(stdout(&output).lines().count(), 1);

    let dir = content_dir().join("scenarios");
    let output = pmcoach(&["scenarios", "validate", dir.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).starts_with(&expected), "{}", stdout(&output));
}

#[test]
fn a_broken_bank_reports_every_problem_with_file_and_line() {
    let copy = copy_of_shipped_bank();
    let dir = copy.path();
    let skill_line = edit(dir, "quiet-engineer.toml", "\"active-listening\"", "\"listening\"");
    let role_line = edit(dir, "customer-says-too-slow.toml", "\"tpm\"", "\"engineer\"");
    let key_line = edit(dir, "launch-slips.toml", "key = 1\n", "key = 0\n");
    edit(dir, "wrong-numbers-to-leadership.toml", "question = \"What should you do?\"\n", "");
    fs::write(dir.join("not-utf8.toml"), b"id = \"x\"\ntitle = \"caf\xe9\"\n").expect("write");
    fs::write(dir.join("README.md"), "not a scenario").expect("write");

    let output = pmcoach(&["scenarios", "validate", dir.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1), "{}{}", stdout(&output), stderr(&output));
    let shown = |file: &str| dir.join(file).display().to_string();
    let expected = [
        format!(
            "{}:{role_line}: unknown role \"engineer\": expected one of pm, pmm, tpm, growth-pm, platform-pm",
            shown("customer-says-too-slow.toml")
        ),
        format!(
            "{}:{key_line}: key 0 in option 3 is out of range: keys run from 1 (makes things worse) to 5 (most effective)",
            shown("launch-slips.toml")
        ),
        format!(
            "{}:2: the file is not UTF-8 text (invalid byte at offset 21): save it as UTF-8",
            shown("not-utf8.toml")
        ),
        format!(
            "{}:{skill_line}: unknown skill \"listening\": it is not a skill of the framework",
            shown("quiet-engineer.toml")
        ),
        format!("{}:1: missing field `question`", shown("wrong-numbers-to-leadership.toml")),
    ];
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().filter(|line| line.starts_with(dir.to_str().expect("utf-8"))).collect();
    assert_eq!(lines, expected, "report:\n{report}");
    assert!(report.ends_with(&format!("5 problem(s) in 5 file(s) of {}\n", dir.display())), "{report}");
}

#[test]
fn a_missing_folder_is_a_usage_error_and_an_empty_one_has_no_scenarios() {
    let output = pmcoach(&["scenarios", "validate", "/no/such/scenarios"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("scenario folder /no/such/scenarios does not exist"), "{}", stderr(&output));

    let dir = tempfile::tempdir().expect("temp dir");
    let output = pmcoach(&["scenarios", "validate", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("the scenario bank is empty"), "{}", stdout(&output));
}

#[test]
fn show_json_has_the_documented_shape() {
    let output = pmcoach(&["scenarios", "show", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), shipped_count());
    for scenario in scenarios {
        for field in ["id", "title", "setup", "question"] {
            assert!(scenario[field].as_str().is_some_and(|s| !s.is_empty()), "{field} in {scenario}");
        }
        for list in ["skills", "roles", "levels"] {
            assert!(scenario[list].as_array().is_some_and(|l| !l.is_empty()), "{list} in {scenario}");
        }
        let options = scenario["options"].as_array().expect("options");
        assert!((4..=5).contains(&options.len()));
        for option in options {
            assert!(option["text"].is_string() && option["why"].is_string());
            assert!((1..=5).contains(&option["key"].as_u64().expect("key")));
        }
    }

    let output = pmcoach(&["scenarios", "show", "launch-slips", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["scenarios"][0]["id"], "launch-slips");
    assert_eq!(json["scenarios"].as_array().map(Vec::len), Some(1));
}

#[test]
fn show_prints_a_scenario_with_its_keys_or_an_index() {
    let output = pmcoach(&["scenarios", "show", "launch-slips"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("A launch will slip two weeks before the date (launch-slips)\n"), "{text}");
    assert!(text.contains("What should you do?"), "{text}");
    assert!(text.contains("  4. Tell your VP, marketing and sales today"), "{text}");
    assert!(text.contains("key 5 of 5"), "{text}");
    assert!(text.contains("Skills: transparency, communication, adaptability"), "{text}");

    let output = pmcoach(&["scenarios", "show"]);
    let text = stdout(&output);
    assert!(text.starts_with(&format!("pmcoach scenario bank: {} scenarios\n", shipped_count())), "{text}");
    assert!(text.contains("  launch-slips                       A launch will slip"), "{text}");

    let output = pmcoach(&["scenarios", "show", "no-such-scenario"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no scenario \"no-such-scenario\""), "{}", stderr(&output));
}
