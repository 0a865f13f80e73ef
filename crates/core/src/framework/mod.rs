//! The skill framework (PRODUCT.md M1): its model, loading and validation.

pub mod load;
pub mod model;

use crate::context::rules::ContextRules;
use crate::ids::SkillId;
use crate::source::{Problem, SourceFile};
use model::Skill;

/// A validated framework: the skills and the context rules that weigh them.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    /// Ordered by category (soft, craft, technical), then name.
    pub skills: Vec<Skill>,
    pub rules: ContextRules,
}

impl Framework {
    /// Loads and validates a framework from files of a framework folder; see
    /// [`load::load`].
    pub fn load(files: &[SourceFile]) -> Result<Framework, Vec<Problem>> {
        load::load(files)
    }

    /// The framework shipped inside the binary.
    pub fn embedded_files() -> Vec<SourceFile> {
        crate::embedded::files_under("framework/")
    }

    /// The shipped framework, which the build checks is valid.
    pub fn embedded() -> Result<Framework, Vec<Problem>> {
        Self::load(&Self::embedded_files())
    }

    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skills.iter().find(|skill| skill.id.as_str() == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &SkillId> {
        self.skills.iter().map(|skill| &skill.id)
    }
}
