//! Integration tests of the pmcoach binary: each runs the real executable.

mod backup;
mod check;
mod crash;
mod framework;
mod profile;
mod scenarios;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pmcoach` with `args` and returns its output.
pub fn pmcoach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmcoach")).args(args).output().expect("the pmcoach binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The repository's content folder.
pub fn content_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../content"))
}
