//! `pmcoach check`: output formats, exit codes and every kind of bad input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn check(args: &[&str], dir: Option<&Path>, stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pmcoach"));
    command.arg("check").args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(d) = dir {
        command.current_dir(d);
    }
    let mut child = command.spawn().expect("pmcoach runs");
    let mut input = child.stdin.take().expect("stdin");
    // pmcoach may exit before reading its input (a usage error): a closed pipe is fine.
    let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    drop(input);
    child.wait_with_output().expect("pmcoach finishes")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const GOOD: &str = "TL;DR: Checkout v2 reached all traffic on Tuesday. No action needed.\n";
const BAD: &str = "As I said, the fix will ship soon. Someone should review it.\n";

#[test]
fn json_output_has_the_documented_shape() {
    let out = check(&["-", "--audience", "exec", "--format", "json"], None, Some(BAD));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let raw = stdout(&out);
    // Keys in the order of PRODUCT.md section 4, nothing else.
    assert!(raw.starts_with("{\"files\":[{\"path\":\"-\",\"audience\":\"exec\",\"score\":"), "{raw}");
    let order = [
        "\"path\":",
        "\"audience\":",
        "\"score\":",
        "\"words\":",
        "\"reading_grade\":",
        "\"findings\":[{\"rule\":",
        "\"severity\":",
        "\"message\":",
        "\"line\":",
        "\"column\":",
        "\"end_line\":",
        "\"end_column\":",
        "\"suggestion\":",
    ];
    let positions: Vec<usize> = order.iter().map(|k| raw.find(k).unwrap_or_else(|| panic!("{k}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{raw}");
    let v = json(&out);
    assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["files"]);
    let file = &v["files"][0];
    let mut keys: Vec<&String> = file.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["audience", "findings", "path", "reading_grade", "score", "words"]);
    assert!(file["score"].is_u64() && file["words"].is_u64() && file["reading_grade"].is_f64());
    for f in file["findings"].as_array().unwrap() {
        let mut keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["column", "end_column", "end_line", "line", "message", "rule", "severity", "suggestion"]);
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        for k in ["line", "column", "end_line", "end_column"] {
            assert!(f[k].as_u64().unwrap() >= 1);
        }
        assert!(f["suggestion"].is_string() || f["suggestion"].is_null());
    }
    let rules: Vec<&str> = file["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"blame") && rules.contains(&"vague-time") && rules.contains(&"ask"), "{rules:?}");
    let soon = file["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "vague-time").unwrap();
    assert_eq!(
        (soon["line"].as_u64(), soon["column"].as_u64(), soon["end_column"].as_u64()),
        (Some(1), Some(30), Some(34))
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("my update.md"), BAD).unwrap();
    std::fs::write(dir.path().join("fine.md"), GOOD).unwrap();
    let out = check(&[".", "--audience", "exec", "--format", "sarif"], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let instance = json(&out);
    let schema: Value = serde_json::from_str(include_str!("../sarif-schema-2.1.0.json")).unwrap();
    let url = schema["$id"].as_str().unwrap().to_owned();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&url, schema).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    if let Err(e) = schemas.validate(&instance, index) {
        panic!("SARIF output does not match the 2.1.0 schema: {e:#}");
    }
    assert_eq!(instance["version"], "2.1.0");
    let results = instance["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(
        results.iter().all(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "./my%20update.md")
    );
    assert_eq!(instance["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 15);
}

#[test]
fn text_output_underlines_the_words_without_colour_when_piped() {
    let out = check(&["-", "--audience", "exec"], None, Some(BAD));
    let text = stdout(&out);
    assert!(text.contains("error[blame]: \"As I said\" reads as blame"), "{text}");
    assert!(text.contains(" --> -:1:1"), "{text}");
    assert!(text.contains("^^^^^^^^^"), "{text}");
    assert!(text.contains("= suggestion: "), "{text}");
    assert!(text.contains("score ") && text.contains("clarity") && text.contains("empathy"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes when not a terminal");
    let coloured = check(&["-", "--audience", "exec", "--color", "always"], None, Some(BAD));
    assert!(stdout(&coloured).contains('\u{1b}'));
}

#[test]
fn exit_status_is_zero_without_errors() {
    let out = check(&["-", "--audience", "exec", "--kind", "update"], None, Some(GOOD));
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn stdin_is_checked_as_path_dash() {
    let out = check(&["--format", "json"], None, Some(GOOD));
    assert_eq!(json(&out)["files"][0]["path"], "-");
}

#[test]
fn a_missing_file_is_reported_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.md"), GOOD).unwrap();
    let out = check(&["nope.md", "ok.md", "--format", "json"], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error: nope.md: no such file or folder"), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 1);
    assert_eq!(v["files"][0]["path"], "ok.md");
}

#[test]
fn a_non_utf8_file_is_reported_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 menu\nline two\n").unwrap();
    std::fs::write(dir.path().join("ok.md"), GOOD).unwrap();
    let out = check(&["latin1.txt", "ok.md"], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("latin1.txt: not UTF-8 text (invalid byte at line 1, byte offset 3)"), "{err}");
    assert!(stdout(&out).contains("ok.md"), "the other file is still checked");
}

#[test]
fn an_empty_file_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    let out = check(&["empty.md", "--format", "json"], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["files"][0]["words"], 0);
    assert_eq!(v["files"][0]["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn a_50_megabyte_file_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The team ships the export on Friday 5 December. Ana owns the rollout.\n\n";
    let big = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
    assert!(big.len() >= 50 * 1024 * 1024);
    std::fs::write(dir.path().join("big.md"), &big).unwrap();
    let out = check(&["big.md", "--audience", "peer", "--format", "json"], Some(dir.path()), None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["files"][0]["words"].as_u64(), Some(13 * (big.len() / paragraph.len()) as u64));
    assert!(v["files"][0]["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "length"));
}

#[test]
fn a_folder_is_walked_for_markdown_and_text_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("notes/deeper")).unwrap();
    std::fs::write(root.join("a.md"), GOOD).unwrap();
    std::fs::write(root.join("notes/b.markdown"), GOOD).unwrap();
    std::fs::write(root.join("notes/deeper/c.txt"), GOOD).unwrap();
    std::fs::write(root.join("notes/image.png"), [0x89, b'P', b'N', b'G', 0xff]).unwrap();
    std::fs::write(root.join("notes/main.rs"), "fn main() {}").unwrap();
    std::fs::write(root.join("notes/.hidden.md"), BAD).unwrap();
    let out = check(&["--format", "json", "--jobs", "2", "."], Some(root), None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let paths: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["./a.md", "./notes/b.markdown", "./notes/deeper/c.txt"]);
}

#[test]
fn parallel_output_is_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        let text = if i % 3 == 0 { BAD } else { GOOD };
        std::fs::write(dir.path().join(format!("m{i:02}.md")), text).unwrap();
    }
    let one = check(&[".", "--jobs", "1", "--audience", "exec"], Some(dir.path()), None);
    let two = check(&[".", "--jobs", "2", "--audience", "exec"], Some(dir.path()), None);
    assert_eq!(stdout(&one), stdout(&two));
    assert_eq!(one.status.code(), Some(1));
    assert!(stdout(&one).contains("30 files checked: "), "{}", stdout(&one));
}

#[test]
fn the_nearest_pmcoach_toml_applies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("team/sub")).unwrap();
    std::fs::write(root.join("team/.pmcoach.toml"), "audience = \"customer\"\n[rules]\nvague-time = \"off\"\n")
        .unwrap();
    std::fs::write(root.join("team/sub/reply.md"), "Thanks for writing. The fix ships soon.\n").unwrap();
    std::fs::write(root.join("other.md"), "Thanks for writing. The fix ships soon.\n").unwrap();
    let out = check(&["team/sub/reply.md", "other.md", "--format", "json"], Some(root), None);
    let v = json(&out);
    assert_eq!(v["files"][0]["audience"], "customer");
    assert!(!v["files"][0]["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "vague-time"));
    assert_eq!(v["files"][1]["audience"], "peer");
    assert!(v["files"][1]["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "vague-time"));
}

#[test]
fn a_broken_config_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "audience = \"exec\"\n\n[rules]\nhedge = \"loud\"\n").unwrap();
    let out = check(&["-", "--config", "bad.toml"], Some(dir.path()), Some(GOOD));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.toml:4: "), "{err}");
    // Found by walking up: the file is reported, nothing is lost silently.
    std::fs::write(dir.path().join(".pmcoach.toml"), "[rules]\npasive = \"off\"\n").unwrap();
    std::fs::write(dir.path().join("a.md"), GOOD).unwrap();
    let out = check(&["a.md"], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".pmcoach.toml:2: unknown field `pasive`"), "{}", stderr(&out));
}

#[test]
fn usage_errors_list_the_valid_values() {
    let out = check(&["-", "--audience", "board"], None, Some(GOOD));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("exec, engineering, sales, customer-success, customer, design, peer"),
        "{}",
        stderr(&out)
    );
}
