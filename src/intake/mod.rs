//! What the administrator pastes: `gitlab-rake gitlab:env:info` output.

use serde::Serialize;

use crate::plan::Plan;

pub mod env_info;

/// A plan field filled from a paste, with its dotted path and a readable value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledField {
    /// Dotted path in the plan, e.g. `versions.current`.
    pub field: String,
    pub value: String,
}

/// A new plan filled from a paste, and the list of what was filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefill {
    pub plan: Plan,
    pub filled: Vec<FilledField>,
}
