//! Reads a framework folder from disk into the files `pmcoach-core` loads.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};
use pmcoach_core::framework::Framework;
use pmcoach_core::source::{Problem, SourceFile};

/// The files of a framework folder (`skills/*.toml` and `context-rules.toml`),
/// with paths as the user wrote them. A file that is not UTF-8 becomes a
/// problem rather than an abort, so validation still reports everything.
pub fn read_dir(dir: &Path) -> anyhow::Result<(Vec<SourceFile>, Vec<Problem>)> {
    if !dir.is_dir() {
        bail!("framework folder {} does not exist or is not a folder", dir.display());
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let skills = dir.join("skills");
    let mut paths = Vec::new();
    if skills.is_dir() {
        for entry in fs::read_dir(&skills).with_context(|| format!("cannot read {}", skills.display()))? {
            let path = entry.with_context(|| format!("cannot read {}", skills.display()))?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let rules = dir.join(pmcoach_core::framework::load::RULES_FILE);
    if rules.exists() {
        paths.push(rules);
    }
    for path in paths {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let shown = path.display().to_string();
        let bytes = fs::read(&path).with_context(|| format!("cannot read {shown}"))?;
        match String::from_utf8(bytes) {
            Ok(text) => files.push(SourceFile { path: relative, text }),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let line = error.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
                let message = format!("the file is not UTF-8 text (invalid byte at offset {offset}): save it as UTF-8");
                problems.push(Problem { file: relative, line, message });
            }
        }
    }
    Ok((files, problems))
}

/// Problem paths are relative to the framework folder; show them as the user
/// would type them.
pub fn show_path(dir: Option<&Path>, problem: &Problem) -> String {
    match dir {
        Some(dir) => dir.join(&problem.file).display().to_string(),
        None => format!("(built-in)/{}", problem.file),
    }
}

/// The framework to use: `--framework DIR` when given, the built-in one otherwise.
pub fn load(dir: Option<&Path>) -> anyhow::Result<Framework> {
    let (files, mut problems) = match dir {
        Some(dir) => read_dir(dir)?,
        None => (Framework::embedded_files(), Vec::new()),
    };
    match Framework::load(&files) {
        Ok(framework) if problems.is_empty() => Ok(framework),
        result => {
            if let Err(found) = result {
                problems.extend(found);
            }
            let shown = problems.iter().take(5).map(|p| format!("\n  {}:{}: {}", show_path(dir, p), p.line, p.message));
            let more = problems.len().saturating_sub(5);
            let tail = if more > 0 { format!("\n  … and {more} more") } else { String::new() };
            bail!(
                "the framework has {} problem(s); run `pmcoach framework validate` for the full list:{}{tail}",
                problems.len(),
                shown.collect::<String>()
            )
        }
    }
}
