//! `pmcoach framework validate` and `pmcoach framework show`.

use std::fs;
use std::path::Path;

use crate::{content_dir, pmcoach, stderr, stdout};

/// Copies the shipped framework folder into a fresh temporary folder.
fn copy_of_shipped_framework() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = content_dir().join("framework");
    fs::create_dir_all(dir.path().join("skills")).expect("skills dir");
    for entry in fs::read_dir(source.join("skills")).expect("skills") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.path().join("skills").join(path.file_name().expect("name"))).expect("copy");
    }
    fs::copy(source.join("context-rules.toml"), dir.path().join("context-rules.toml")).expect("copy rules");
    dir
}

/// Replaces the first `from` in a file by `to`, and returns the 1-based line
/// where `to` now starts, which is where the validator must point.
fn edit(dir: &Path, file: &str, from: &str, to: &str) -> usize {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    let at = text.find(from).unwrap_or_else(|| panic!("{from:?} not in {file}"));
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    text[..at].matches('\n').count() + 1
}

fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(dir.join(file)).expect("read");
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {file}"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_shipped_framework_is_valid() {
    let output = pmcoach(&["framework", "validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).starts_with("ok: the built-in framework is valid: 36 skills"), "{}", stdout(&output));

    let dir = content_dir().join("framework");
    let output = pmcoach(&["framework", "validate", dir.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// One broken copy with one problem of each kind: all are reported at once,
/// each with its file, line and message, and the exit code is 1.
#[test]
fn a_broken_framework_reports_every_problem_with_file_and_line() {
    let copy = copy_of_shipped_framework();
    let dir = copy.path();

    fs::copy(dir.join("skills/sql.toml"), dir.join("skills/zz-duplicate.toml")).expect("duplicate");
    let duplicate_line = line_of(dir, "skills/zz-duplicate.toml", "id = \"sql\"");
    let sql_line = line_of(dir, "skills/sql.toml", "id = \"sql\"");
    let related_line =
        edit(dir, "skills/communication.toml", "\"storytelling\", \"executive", "\"story-telling\", \"executive");
    let levels_start = line_of(dir, "skills/empathy.toml", "[[levels]]");
    let level_five = fs::read_to_string(dir.join("skills/empathy.toml")).expect("read");
    let cut_from = level_five.find("[[levels]]\nlevel = 5").expect("level 5");
    let cut_to = cut_from + level_five[cut_from..].find("[[activities]]").expect("activities");
    fs::write(dir.join("skills/empathy.toml"), format!("{}{}", &level_five[..cut_from], &level_five[cut_to..]))
        .expect("write");
    let behaviour_line =
        edit(dir, "skills/negotiation.toml", "behaviours = [\n  \"", "behaviours = [\n  \"\",\n  \"") + 1;
    let observer_line = edit(dir, "skills/apis.toml", "\"engineering\"", "\"engineers\"");
    let category_line = edit(dir, "skills/drive.toml", "category = \"soft\"", "category = \"softish\"");
    let humility = fs::read_to_string(dir.join("skills/humility.toml")).expect("read");
    let why_from = humility.find("\nwhy = \"\"\"").expect("a multi-line why") + 1;
    let why_to = why_from + 9 + humility[why_from + 9..].find("\"\"\"\n").expect("end of why") + 4;
    fs::write(dir.join("skills/humility.toml"), format!("{}{}", &humility[..why_from], &humility[why_to..]))
        .expect("write");
    let rule_line = edit(
        dir,
        "context-rules.toml",
        "skills = [\"sql\", \"data-analysis\"]",
        "skills = [\"sqlite\", \"data-analysis\"]",
    );
    fs::write(dir.join("skills/not-utf8.toml"), b"id = \"x\"\nname = \"caf\xe9\"\n").expect("write");
    fs::write(dir.join("skills/syntax.toml"), "id = \"syntax\"\n\nname = \"unterminated\n").expect("write");

    let output = pmcoach(&["framework", "validate", dir.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1), "{}{}", stdout(&output), stderr(&output));
    let shown = |file: &str| dir.join(file).display().to_string();
    let expected = [
        format!("{}:{rule_line}: skill \"sqlite\" is not defined in this framework", shown("context-rules.toml")),
        format!(
            "{}:{observer_line}: unknown observer group \"engineers\": expected one of manager, engineering, design, sales, customer-success, marketing, leadership, peer, direct-report, customer",
            shown("skills/apis.toml")
        ),
        format!(
            "{}:{related_line}: related skill \"story-telling\" is not defined in this framework",
            shown("skills/communication.toml")
        ),
        format!(
            "{}:{category_line}: unknown category \"softish\": expected one of soft, craft, technical",
            shown("skills/drive.toml")
        ),
        format!(
            "{}:{levels_start}: a skill needs exactly 5 levels (1 Learning … 5 Role model), found 4",
            shown("skills/empathy.toml")
        ),
        format!("{}:1: missing field `why`", shown("skills/humility.toml")),
        format!(
            "{}:{behaviour_line}: level 1 has an empty behaviour: describe something a colleague could see you do",
            shown("skills/negotiation.toml")
        ),
        format!(
            "{}:2: the file is not UTF-8 text (invalid byte at offset 20): save it as UTF-8",
            shown("skills/not-utf8.toml")
        ),
        format!("{}:3: not valid here: invalid basic string, expected `\"`", shown("skills/syntax.toml")),
        format!(
            "{}:{duplicate_line}: duplicate skill id \"sql\": already defined in skills/sql.toml line {sql_line}",
            shown("skills/zz-duplicate.toml")
        ),
    ];
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().filter(|line| line.starts_with(dir.to_str().expect("utf-8"))).collect();
    for line in &expected {
        assert!(lines.contains(&line.as_str()), "missing problem:\n  {line}\nin report:\n{report}");
    }
    assert_eq!(lines.len(), expected.len(), "unexpected extra problems:\n{report}");
    assert!(report.ends_with(&format!("10 problem(s) in 10 file(s) of {}\n", dir.display())), "{report}");
}

#[test]
fn validating_a_missing_folder_is_a_usage_error() {
    let output = pmcoach(&["framework", "validate", "/no/such/framework"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("framework folder /no/such/framework does not exist"), "{}", stderr(&output));
}

#[test]
fn an_empty_folder_has_no_skills_and_no_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = pmcoach(&["framework", "validate", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(report.contains("the framework has no skills"), "{report}");
    assert!(report.contains("the framework has no context-rules.toml"), "{report}");
}

#[test]
fn show_json_has_the_documented_shape() {
    let output = pmcoach(&["framework", "show", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let skills = json["skills"].as_array().expect("skills array");
    assert_eq!(skills.len(), 36);
    let keys = |value: &serde_json::Value| {
        let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        keys
    };
    for skill in skills {
        assert_eq!(
            keys(skill),
            [
                "activities",
                "category",
                "definition",
                "id",
                "levels",
                "name",
                "observers",
                "questions",
                "related",
                "stages",
                "why"
            ]
        );
        assert_eq!(keys(&skill["stages"]), ["delivery", "discovery", "growth", "launch", "strategy"]);
        let levels = skill["levels"].as_array().expect("levels");
        assert_eq!(
            levels.iter().map(|l| l["level"].as_u64()).collect::<Vec<_>>(),
            (1..=5).map(Some).collect::<Vec<_>>()
        );
        assert_eq!(keys(&levels[0]), ["behaviours", "level", "name"]);
        assert_eq!(keys(&skill["activities"][0]), ["cadence", "description", "effort", "id", "title"]);
    }
    let sql = skills.iter().find(|s| s["id"] == "sql").expect("sql");
    assert_eq!(sql["category"], "technical");
    assert_eq!(sql["levels"][4]["name"], "Role model");
}

#[test]
fn show_one_skill_as_text_and_json() {
    let output = pmcoach(&["framework", "show", "stakeholder-alignment"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for heading in [
        "Stakeholder alignment (stakeholder-alignment, soft)",
        "Why it matters",
        "Levels",
        "Practice",
        "Interview questions",
        "Observed by:",
    ] {
        assert!(text.contains(heading), "missing {heading:?} in\n{text}");
    }
    let output = pmcoach(&["framework", "show", "sql", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["skills"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["skills"][0]["id"], "sql");
}

#[test]
fn show_an_unknown_skill_lists_the_known_ones() {
    let output = pmcoach(&["framework", "show", "juggling"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("no skill \"juggling\" in the framework; skills are:"), "{error}");
    assert!(error.contains("stakeholder-alignment"), "{error}");
}

#[test]
fn the_framework_flag_overrides_the_built_in_framework() {
    let copy = copy_of_shipped_framework();
    edit(copy.path(), "skills/sql.toml", "name = \"SQL\"", "name = \"Structured queries\"");
    let dir = copy.path().to_str().expect("utf-8");
    let output = pmcoach(&["--framework", dir, "framework", "show", "sql"]);
    assert!(stdout(&output).starts_with("Structured queries (sql, technical)"), "{}", stdout(&output));

    // A broken override is refused with a pointer to `validate`, never half-used.
    edit(copy.path(), "skills/sql.toml", "category = \"technical\"", "category = \"tech\"");
    let output = pmcoach(&["profile", "--role", "pm", "--level", "pm", "--framework", dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("run `pmcoach framework validate`"), "{}", stderr(&output));
    assert!(stderr(&output).contains("unknown category \"tech\""), "{}", stderr(&output));
}

/// Issue 8: `serve` with a broken framework folder stops at once, naming the
/// file and line, before it opens a database or takes a port.
#[test]
fn serve_refuses_a_broken_framework_before_starting_anything() {
    let copy = copy_of_shipped_framework();
    let dir = copy.path();
    let line = edit(dir, "skills/apis.toml", "\"engineering\"", "\"engineers\"");
    let data = tempfile::tempdir().expect("data dir");
    let data_dir = data.path().join("pmcoach-data");
    let output = pmcoach(&[
        "--framework",
        dir.to_str().expect("utf-8 path"),
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--data-dir",
        data_dir.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let expected = format!("{}:{line}: unknown observer group \"engineers\"", dir.join("skills/apis.toml").display());
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    assert!(!data_dir.exists(), "no database was created");
}
