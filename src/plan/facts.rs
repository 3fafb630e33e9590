//! Facts about the instance as the diagnostics script (`upgrade-planner diagnostics`) reported
//! them: counts from the database and which settings gitlab.rb has. They are kept in the plan
//! so that the answers they decided can be traced back, and so that known issues whose
//! condition is a gitlab.rb setting are answered.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Extra;

/// What the diagnostics script reported. Answers it decided (versions, conditions, Geo) are
/// in their own sections; these are the measurements themselves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct InstanceFacts {
    /// The day the script ran, `YYYY-MM-DD` (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_on: Option<String>,
    /// Rows in the `users` table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<u64>,
    /// NPM packages in the package registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npm_packages: Option<u64>,
    /// Rows in `ci_pipeline_messages` (PostgreSQL's estimate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_pipeline_messages_rows: Option<u64>,
    /// Rows in `ci_pipeline_variables` (PostgreSQL's estimate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_pipeline_variables_rows: Option<u64>,
    /// Settings found in gitlab.rb (and `GITLAB_OMNIBUS_CONFIG`) of the node or nodes the
    /// script ran on: only whether they are there, never a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gitlab_rb: Option<GitlabRbSettings>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Whether gitlab.rb sets these (uncommented lines only). `true` on any node the script ran
/// on is true for the instance; `false` speaks only for the nodes it ran on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GitlabRbSettings {
    /// `git_data_dirs(...)`, refused from GitLab 18.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_data_dirs: Option<bool>,
    /// `grafana[...]` keys, refused from GitLab 17.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grafana: Option<bool>,
    /// `mattermost[...]`, `mattermost_external_url` or `mattermost_nginx[...]`, refused from
    /// GitLab 19.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mattermost: Option<bool>,
    /// `spamcheck[...]` keys (bundled Spamcheck, removed in GitLab 19.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spamcheck: Option<bool>,
    /// `patroni[...]` keys or the `patroni_role`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patroni: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The gitlab.rb settings the script looks for: plan file key and the words people use.
pub const GITLAB_RB_SETTINGS: [(&str, &str); 5] = [
    ("git_data_dirs", "git_data_dirs"),
    ("grafana", "bundled Grafana keys (grafana[...])"),
    ("mattermost", "bundled Mattermost keys (mattermost[...])"),
    ("spamcheck", "bundled Spamcheck (spamcheck[...])"),
    ("patroni", "Patroni (patroni[...] or patroni_role)"),
];

impl GitlabRbSettings {
    /// The reported value of a setting by its key in [`GITLAB_RB_SETTINGS`].
    pub fn get(&self, key: &str) -> Option<bool> {
        match key {
            "git_data_dirs" => self.git_data_dirs,
            "grafana" => self.grafana,
            "mattermost" => self.mattermost,
            "spamcheck" => self.spamcheck,
            "patroni" => self.patroni,
            _ => None,
        }
    }

    /// The slot of a setting by its key in [`GITLAB_RB_SETTINGS`].
    pub fn slot(&mut self, key: &str) -> Option<&mut Option<bool>> {
        match key {
            "git_data_dirs" => Some(&mut self.git_data_dirs),
            "grafana" => Some(&mut self.grafana),
            "mattermost" => Some(&mut self.mattermost),
            "spamcheck" => Some(&mut self.spamcheck),
            "patroni" => Some(&mut self.patroni),
            _ => None,
        }
    }
}

impl InstanceFacts {
    /// A gitlab.rb setting as reported, when the facts have one.
    pub fn gitlab_rb(&self, key: &str) -> Option<bool> {
        self.gitlab_rb.as_ref().and_then(|s| s.get(key))
    }
}
