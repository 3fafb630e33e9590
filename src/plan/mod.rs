//! The plan: the customer's answers, exactly as they are stored in a plan file (format v1).
//!
//! Every section is optional while a draft is incomplete. Keys this version does not know are
//! kept in the `extra` maps and written back unchanged, so a file made by a newer minor release
//! of the tool survives a round trip through an older one.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod facts;
mod labels;
mod open;
mod review;
mod steps;
mod topology;

pub use facts::*;
pub use labels::*;
pub use open::*;
pub use review::*;
pub use steps::*;
pub use topology::*;

/// The value of the `format` key of every plan file.
pub const FORMAT: &str = "gitlab-upgrade-plan";
/// The newest plan file schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 2;

/// Keys of a JSON object that this version of the tool does not know; kept verbatim.
pub type Extra = BTreeMap<String, Value>;

/// An upgrade plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Plan {
    /// Always `gitlab-upgrade-plan`.
    pub format: String,
    /// Version of this file format.
    pub schema_version: u32,
    /// Stable identifier of the plan across revisions.
    pub plan_id: String,
    /// Incremented each time the plan is saved.
    pub revision: u32,
    /// RFC 3339 time the plan was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339 time of the last save.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The maintenance windows, in order (version 2; a version 1 `window` becomes the first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Versions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// Whether a zero-downtime upgrade (one minor at a time) is wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero_downtime: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install: Option<Install>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<Os>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topology: Option<Topology>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// Ids of the known issues the customer has read and acknowledged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub known_issues_reviewed: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<Backup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Rollback>,
    /// The wizard step the plan was saved at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_step: Option<Open<Step>>,
    /// Field paths of yes/no questions answered "not sure": their value stays unset, they are
    /// listed as "to verify" in every export, and a conditional stop they decide stays on the
    /// path until the answer is known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to_verify: Vec<String>,
    /// Dependency upgrades scheduled between the GitLab hops (version 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependency_upgrades: Vec<DependencyUpgrade>,
    /// Hours a hop took in a rehearsal, by GitLab `major.minor`: they replace the estimates.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub hop_hours: BTreeMap<String, f64>,
    /// Take a backup before every hop, not only at the start of each window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_every_hop: Option<bool>,
    /// What the diagnostics script reported about the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<InstanceFacts>,
    /// The run log of the upgrade day and of rehearsals, window by window (`crate::run`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<crate::run::Run>,
    /// GitLab Support's reviews of the plan, oldest first (`plan::review`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<Review>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            format: FORMAT.to_string(),
            schema_version: SCHEMA_VERSION,
            plan_id: String::new(),
            revision: 0,
            created_at: None,
            updated_at: None,
            contact: None,
            windows: Vec::new(),
            versions: None,
            conditions: None,
            zero_downtime: None,
            install: None,
            os: None,
            topology: None,
            geo: None,
            notes: None,
            known_issues_reviewed: Vec::new(),
            backup: None,
            rollback: None,
            last_step: None,
            to_verify: Vec::new(),
            dependency_upgrades: Vec::new(),
            hop_hours: BTreeMap::new(),
            backup_every_hop: None,
            facts: None,
            runs: Vec::new(),
            reviews: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl Plan {
    /// A new, empty plan with a fresh id.
    pub fn new(now_rfc3339: &str) -> Plan {
        Plan {
            plan_id: uuid::Uuid::new_v4().to_string(),
            created_at: Some(now_rfc3339.to_string()),
            ..Plan::default()
        }
    }

    /// The revision the next save gets: one more, or the largest a plan file holds when it
    /// is already there (a revision never wraps back to 0).
    pub fn next_revision(&self) -> u32 {
        self.revision.saturating_add(1)
    }

    /// The install method, when answered.
    pub fn method(&self) -> Option<InstallMethod> {
        self.install.as_ref().and_then(|i| i.method.known())
    }

    /// The topology kind, when answered.
    pub fn topology_kind(&self) -> Option<TopologyKind> {
        self.topology.as_ref().and_then(|t| t.kind.known())
    }

    /// The wizard step the plan was saved at, when it is one this version has.
    pub fn saved_step(&self) -> Option<Step> {
        self.last_step.known()
    }

    /// Whether Geo is used, when answered.
    pub fn geo_enabled(&self) -> Option<bool> {
        self.geo.as_ref().and_then(|g| g.enabled)
    }

    /// The conditions that decide conditional stops, as a list of condition ids that are true
    /// or answered "not sure" (an extra stop is harmless; a missing one is not).
    pub fn true_conditions(&self) -> Vec<String> {
        let c = self.conditions.clone().unwrap_or_default();
        let pairs = [
            ("multiple_web_nodes", c.multiple_web_nodes),
            ("npm_packages", c.npm_packages),
            ("large_users_table", c.large_users_table),
            ("large_pipeline_variables", c.large_pipeline_variables),
            ("large_pipeline_messages", c.large_pipeline_messages),
        ];
        pairs
            .iter()
            .filter(|(k, v)| {
                *v == Some(true) || (v.is_none() && self.is_unsure(&format!("conditions.{k}")))
            })
            .map(|(k, _)| (*k).to_string())
            .collect()
    }

    /// The first maintenance window, when there is one.
    pub fn first_window(&self) -> Option<&Window> {
        self.windows.first()
    }

    /// The first maintenance window, added when the plan has none yet.
    pub fn first_window_mut(&mut self) -> &mut Window {
        if self.windows.is_empty() {
            self.windows.push(Window::default());
        }
        &mut self.windows[0]
    }

    /// Whether the question at `field` was answered "not sure".
    pub fn is_unsure(&self, field: &str) -> bool {
        self.to_verify.iter().any(|f| f == field)
    }

    /// Record or clear a "not sure" answer for `field`.
    pub fn set_unsure(&mut self, field: &str, unsure: bool) {
        self.to_verify.retain(|f| f != field);
        if unsure {
            self.to_verify.push(field.to_string());
        }
    }

    /// The plan with sections that hold no answer left out, as a file written from it would
    /// read back. Opening a step creates its (empty) section; that is not a change.
    pub fn normalized(&self) -> Plan {
        fn keep<T: Default + PartialEq>(section: &Option<T>) -> bool {
            section.as_ref().is_some_and(|s| *s != T::default())
        }
        let mut p = self.clone();
        if let Some(t) = &mut p.topology {
            if !keep(&t.postgresql) {
                t.postgresql = None;
            }
            if !keep(&t.redis) {
                t.redis = None;
            }
            if !keep(&t.gitaly) {
                t.gitaly = None;
            }
        }
        if let Some(f) = &mut p.facts
            && !keep(&f.gitlab_rb)
        {
            f.gitlab_rb = None;
        }
        macro_rules! drop_empty {
            ($($f:ident),*) => {$(if !keep(&p.$f) { p.$f = None; })*};
        }
        drop_empty!(
            contact, versions, conditions, install, os, topology, geo, notes, backup, rollback,
            facts
        );
        if p.windows.len() == 1 && p.windows[0] == Window::default() {
            p.windows.clear();
        }
        p
    }
}

/// Who to talk to about the upgrade.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Contact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// GitLab Support ticket number, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The maintenance window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Window {
    /// Local start time in the window's time zone, `YYYY-MM-DDTHH:MM[:SS]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// IANA time zone name, e.g. `Europe/Berlin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_numbers_plain"
    )]
    pub duration_hours: Option<f64>,
    /// Whether a review call with GitLab Support is wanted (asked once, on the first window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_call: Option<bool>,
    /// The GitLab `major.minor` of the last hop done in this window; `None` on the last window
    /// (it takes the rest of the path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_hop: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// GitLab edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    Ce,
    Ee,
}

impl Edition {
    pub fn id(self) -> &'static str {
        match self {
            Edition::Ce => "ce",
            Edition::Ee => "ee",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Edition::Ce => "Community Edition (CE)",
            Edition::Ee => "Enterprise Edition (EE)",
        }
    }
}

/// Current and target GitLab versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Versions {
    /// The running version, e.g. `16.3.4`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// The version to reach: `major.minor` (latest patch) or `major.minor.patch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<Open<Edition>>,
    /// Set only when the edition changes during the upgrade (outside Upgrade Assistance scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_edition: Option<Open<Edition>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answers that decide conditional stops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Conditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_web_nodes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npm_packages: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large_users_table: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large_pipeline_variables: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large_pipeline_messages: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// How GitLab is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstallMethod {
    LinuxPackage,
    Docker,
    HelmChart,
    Operator,
    SelfCompiled,
    EnvironmentToolkit,
}

impl InstallMethod {
    pub const ALL: [InstallMethod; 6] = [
        InstallMethod::LinuxPackage,
        InstallMethod::Docker,
        InstallMethod::HelmChart,
        InstallMethod::Operator,
        InstallMethod::SelfCompiled,
        InstallMethod::EnvironmentToolkit,
    ];
    pub fn id(self) -> &'static str {
        match self {
            InstallMethod::LinuxPackage => "linux_package",
            InstallMethod::Docker => "docker",
            InstallMethod::HelmChart => "helm_chart",
            InstallMethod::Operator => "operator",
            InstallMethod::SelfCompiled => "self_compiled",
            InstallMethod::EnvironmentToolkit => "environment_toolkit",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            InstallMethod::LinuxPackage => "Linux package (Omnibus)",
            InstallMethod::Docker => "Docker",
            InstallMethod::HelmChart => "Helm chart (Kubernetes)",
            InstallMethod::Operator => "GitLab Operator",
            InstallMethod::SelfCompiled => "Self-compiled (source)",
            InstallMethod::EnvironmentToolkit => "GitLab Environment Toolkit",
        }
    }
    /// Whether nodes install GitLab from the OS packages (the OS matrix applies).
    pub fn uses_os_packages(self) -> bool {
        matches!(
            self,
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit
        )
    }
    /// The id used by the known-issue data, which does not know the Environment Toolkit
    /// (it deploys the Linux package).
    pub fn knowledge_id(self) -> &'static str {
        match self {
            InstallMethod::EnvironmentToolkit => "linux_package",
            other => other.id(),
        }
    }
}

/// Installation details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Install {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Open<InstallMethod>>,
    /// Set only when the installation method changes (outside Upgrade Assistance scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_method: Option<Open<InstallMethod>>,
    /// Helm: the chart version currently deployed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart_version: Option<String>,
    /// Docker: the image in use, e.g. `gitlab/gitlab-ee:16.3.4-ee.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_image: Option<String>,
    /// Docker: the container name used in commands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// CPU architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl Arch {
    pub fn id(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
        }
    }
}

/// The nodes' operating system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Os {
    /// Distribution id, e.g. `ubuntu`, `rhel`, `debian` (see the OS data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
    /// Distribution version, e.g. `22.04`, `9`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<Open<Arch>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Write `8.0` as `8` so hand-written files round-trip unchanged.
fn whole_numbers_plain<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// The Geo role of the site a plan was prefilled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GeoRole {
    Primary,
    Secondary,
}

/// A Geo secondary site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GeoSite {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Open<TopologyKind>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_count: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Geo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The role of the site this plan was prefilled from (from `gitlab:env:info`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_role: Option<Open<GeoRole>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secondaries: Vec<GeoSite>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Free text: anything unusual, and issues already seen on the current version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Notes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_setup: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_known_issues: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// How the instance is backed up before the upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BackupMethod {
    /// The GitLab backup tool for the install method.
    GitlabBackup,
    /// VM or disk snapshots of every node (outside Support scope).
    Snapshot,
    Both,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Backup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Open<BackupMethod>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets_backed_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_backed_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_storage_backed_up: Option<bool>,
    /// Where the backup is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Date (`YYYY-MM-DD`) a restore was last tested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_tested_on: Option<String>,
    /// Where the restore was tested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_environment: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Rollback {
    /// The customer confirmed the generated rollback steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<bool>,
    /// What makes the team roll back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Local time (window's zone) by which the go/no-go decision is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_deadline: Option<String>,
    /// Hours a rollback takes.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_numbers_plain"
    )]
    pub duration_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The wizard steps, in order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Start,
    Contact,
    Versions,
    Installation,
    Os,
    Topology,
    Geo,
    KnownIssues,
    Backup,
    Rollback,
    Review,
}

impl Step {
    pub const ALL: [Step; 11] = [
        Step::Start,
        Step::Contact,
        Step::Versions,
        Step::Installation,
        Step::Os,
        Step::Topology,
        Step::Geo,
        Step::KnownIssues,
        Step::Backup,
        Step::Rollback,
        Step::Review,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Step::Start => "start",
            Step::Contact => "contact",
            Step::Versions => "versions",
            Step::Installation => "installation",
            Step::Os => "os",
            Step::Topology => "topology",
            Step::Geo => "geo",
            Step::KnownIssues => "known_issues",
            Step::Backup => "backup",
            Step::Rollback => "rollback",
            Step::Review => "review",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Step::Start => "Start",
            Step::Contact => "Contact and window",
            Step::Versions => "Versions and path",
            Step::Installation => "Installation",
            Step::Os => "Operating system",
            Step::Topology => "Topology",
            Step::Geo => "Geo",
            Step::KnownIssues => "Setup notes and known issues",
            Step::Backup => "Backup and restore",
            Step::Rollback => "Rollback",
            Step::Review => "Review and export",
        }
    }
    /// 1-based position in the wizard.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}
