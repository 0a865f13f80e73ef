//! The stakeholder function templates loader on fuzzed TOML, against the
//! shipped audiences: the input replaces the shipped file or is a second one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmcoach_core::source::SourceFile;
use pmcoach_core::stakeholders::FunctionTemplates;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut files = FunctionTemplates::embedded_files();
    if mode % 2 == 0 || files.is_empty() {
        files = vec![SourceFile::new("functions.toml", text)];
    } else {
        files.push(SourceFile::new("more.toml", text));
    }
    if let Err(problems) = FunctionTemplates::load(&files, &FunctionTemplates::embedded_audiences()) {
        assert!(!problems.is_empty(), "a failed load names at least one problem");
    }
});
