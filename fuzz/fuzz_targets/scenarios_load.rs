//! The scenario loader (`ScenarioBank::load_bytes`) on fuzzed bytes, which
//! may not be UTF-8: the input replaces one shipped scenario file, or stands
//! alone, against the shipped framework.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pmcoach_core::framework::Framework;
use pmcoach_core::scenarios::ScenarioBank;

fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| Framework::embedded().expect("the shipped framework is valid"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut files: Vec<(String, Vec<u8>)> = if mode % 2 == 0 {
        ScenarioBank::embedded_files().into_iter().map(|f| (f.path, f.text.into_bytes())).collect()
    } else {
        Vec::new()
    };
    if files.is_empty() {
        files.push(("fuzzed.toml".to_owned(), rest.to_vec()));
    } else {
        let index = usize::from(mode / 2) % files.len();
        files[index].1 = rest.to_vec();
    }
    if let Err(problems) = ScenarioBank::load_bytes(&files, framework()) {
        assert!(!problems.is_empty(), "a failed load names at least one problem");
    }
});
