//! Integration tests of pmcoach-core against the shipped content, in one
//! test binary (each file under tests/ would link a binary of its own).

mod anonymity;
mod assessment;
mod content;
mod facts;
mod fuzz_regressions;
mod growth;
mod properties;
mod scenarios;

use std::sync::OnceLock;

use pmcoach_core::context::RoleContext;
use pmcoach_core::context::engine::{self, Profile};
use pmcoach_core::framework::Framework;

/// The shipped framework, loaded once per test binary.
pub fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| match Framework::embedded() {
        Ok(framework) => framework,
        Err(problems) => panic!("the shipped framework is invalid: {problems:#?}"),
    })
}

pub fn profile(context: &RoleContext) -> Profile {
    engine::profile(framework(), context)
}
