//! Plan file v2: the dependency upgrades a plan schedules between GitLab hops, and per-hop
//! rehearsal timings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Extra;

/// What a dependency step changes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Postgresql,
    Redis,
    Os,
    Config,
}

impl Component {
    pub const ALL: [Component; 4] = [
        Component::Postgresql,
        Component::Redis,
        Component::Os,
        Component::Config,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Component::Postgresql => "postgresql",
            Component::Redis => "redis",
            Component::Os => "os",
            Component::Config => "config",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Component::Postgresql => "PostgreSQL",
            Component::Redis => "Redis",
            Component::Os => "Operating system",
            Component::Config => "Configuration",
        }
    }
    pub fn from_id(id: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// A dependency upgrade the plan schedules: done once GitLab runs `after`, before the next hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DependencyUpgrade {
    /// What the step changes; a value this version does not know is kept as written.
    pub component: super::Open<Component>,
    /// The version to go to (`16`: its newest minor; `16.8`), `ID:VERSION` for an OS
    /// (`ubuntu:22.04`), or the id of a configuration change.
    pub to: String,
    /// The GitLab `major.minor` the step follows.
    pub after: String,
    #[serde(flatten)]
    pub extra: Extra,
}
