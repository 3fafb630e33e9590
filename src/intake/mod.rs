//! What the administrator pastes: `gitlab-rake gitlab:env:info` output, the output of the
//! diagnostics script (`upgrade-planner diagnostics`), or both in one paste. Each is read on
//! its own; what they tell is filled into the plan, and what was filled is listed.

use std::fmt;

use serde::Serialize;

use crate::plan::Plan;

pub mod diagnostics;
pub mod env_info;
pub mod facts;
mod fill;

pub use env_info::EnvInfo;
pub use facts::Facts;
pub use fill::{LARGE_PIPELINE_MESSAGES, LARGE_PIPELINE_VARIABLES, LARGE_USERS_TABLE};

/// A plan field filled from a paste, with its dotted path and a readable value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledField {
    /// Dotted path in the plan, e.g. `versions.current`.
    pub field: String,
    pub value: String,
}

/// What a paste did to a plan: the answers it filled (or replaced, which the value says), and
/// the answers it kept although a fact points the other way (the value says why).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub filled: Vec<FilledField>,
    pub kept: Vec<FilledField>,
}

impl Applied {
    /// Record a filled field; a later source of the same field (the facts after env:info)
    /// replaces the earlier entry, so each field is listed once.
    pub fn fill(&mut self, field: &str, value: impl Into<String>) {
        let value = value.into();
        match self.filled.iter_mut().find(|f| f.field == field) {
            Some(f) => f.value = value,
            None => self.filled.push(FilledField {
                field: field.to_string(),
                value,
            }),
        }
    }

    /// Record an answer left as it was, and why.
    pub fn keep(&mut self, field: &str, why: impl Into<String>) {
        self.kept.push(FilledField {
            field: field.to_string(),
            value: why.into(),
        });
    }
}

/// A new plan filled from a paste, and the list of what was filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefill {
    pub plan: Plan,
    pub filled: Vec<FilledField>,
}

/// Why a paste was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeError {
    /// Neither `gitlab:env:info` output nor the diagnostics script's output was found.
    NotRecognised,
}

impl fmt::Display for IntakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntakeError::NotRecognised => write!(
                f,
                "this does not look like `gitlab-rake gitlab:env:info` output (section headers \
                 such as `GitLab information`, lines such as `Version: 17.1.1-ee`) nor like the \
                 output of `upgrade-planner diagnostics` (lines such as `{}: 1`)",
                facts::MARKER
            ),
        }
    }
}

impl std::error::Error for IntakeError {}

/// One paste, read both ways.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intake {
    pub env_info: Option<EnvInfo>,
    pub facts: Option<Facts>,
}

/// Read a paste: env:info output, the diagnostics output, or both mixed.
pub fn read(text: &str) -> Result<Intake, IntakeError> {
    let intake = Intake {
        env_info: env_info::parse(text).ok(),
        facts: facts::parse(text),
    };
    if intake.env_info.is_none() && intake.facts.is_none() {
        return Err(IntakeError::NotRecognised);
    }
    Ok(intake)
}

impl Intake {
    /// Fill what the paste tells into `plan`. env:info first, then the facts, which measure
    /// the same things more directly (the Redis server's version, not `redis-cli`'s).
    pub fn apply_to(&self, plan: &mut Plan) -> Applied {
        let mut applied = Applied::default();
        let original = plan.clone();
        if let Some(info) = &self.env_info {
            for f in info.apply_to(plan) {
                applied.fill(&f.field, f.value);
            }
        }
        if let Some(facts) = &self.facts {
            facts.apply_to(plan, &original, &mut applied);
        }
        applied
    }

    /// A fresh plan filled with what the paste tells (nothing is kept: there is no answer).
    pub fn to_plan(&self) -> Prefill {
        let mut plan = Plan::default();
        let applied = self.apply_to(&mut plan);
        Prefill {
            plan,
            filled: applied.filled,
        }
    }
}

#[cfg(test)]
mod tests;
