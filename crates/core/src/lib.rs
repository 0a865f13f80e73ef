//! pmcoach's pure domain: the skill framework (what each skill is and how it
//! shows at five levels) and the role-context engine (which skills a role
//! needs, how much, and why). No I/O: callers hand in file contents.
//!
//! ```
//! use pmcoach_core::context::{engine, CareerLevel, Role, RoleContext};
//! use pmcoach_core::framework::Framework;
//!
//! let framework = Framework::embedded().expect("the shipped framework is valid");
//! let profile = engine::profile(&framework, &RoleContext::new(Role::Tpm, CareerLevel::Senior));
//! let total: f64 = profile.skills.iter().map(|s| s.weight).sum();
//! assert!((total - 1.0).abs() < 1e-9);
//! ```

pub mod assessment;
pub mod context;
pub mod embedded;
pub mod framework;
pub mod growth;
pub mod ids;
pub mod people;
pub mod rng;
pub mod scenarios;
pub mod source;
pub mod stakeholders;
mod vocab;

pub use vocab::UnknownValue;
