//! The framework loader on fuzzed TOML: either one shipped file replaced by
//! the input (so the rest of the framework is valid and the loader's
//! cross-file checks run), or the input split into several files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmcoach_core::framework::Framework;
use pmcoach_core::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut files = Framework::embedded_files();
    if mode % 2 == 0 {
        // Replace one shipped file (the rules file or a skill) with the input.
        let index = usize::from(mode / 2) % files.len();
        files[index].text = String::from_utf8_lossy(rest).into_owned();
    } else {
        // The input alone: chunks split on 0xFF (never in UTF-8 text), the
        // first the rules file, the others skills.
        files = rest
            .split(|&b| b == 0xFF)
            .take(8)
            .enumerate()
            .map(|(i, chunk)| {
                let path = if i == 0 { "context-rules.toml".to_owned() } else { format!("skills/s{i}.toml") };
                SourceFile::new(path, String::from_utf8_lossy(chunk))
            })
            .collect();
    }
    if let Err(problems) = Framework::load(&files) {
        assert!(!problems.is_empty(), "a failed load names at least one problem");
        for problem in &problems {
            assert!(problem.line >= 1, "lines are 1-based: {problem}");
        }
    }
});
