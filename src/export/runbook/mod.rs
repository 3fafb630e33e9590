//! The commands of the plan: per-hop runbook, backup, restore and rollback, written for the
//! install method, the OS family and the edition.
//!
//! `checks` (checks and backups), `hop` and `install` (one GitLab hop), `dependency` (a
//! PostgreSQL, Redis, OS or configuration step), `window` (the start and end of a window,
//! before the first and after the last), `recovery` (restore, rollback, Geo).
//!
//! Commands come from `shared/docs/gitlab-upgrade-facts.md` (sections 3, 4, 5 and 7). Where
//! the research could not confirm a command or a flag, the step says so (`unverified`).

use serde::Serialize;

use crate::environment::os_family;
use crate::path::NoteSeverity;
use crate::plan::{
    BackupMethod, Edition, InstallMethod, NodeRole, OpenAnswer, Plan, PostgresMode, RedisMode,
    TopologyKind,
};
use crate::version::Minor;

mod checks;
mod dependency;
mod hop;
mod install;
mod recovery;
#[cfg(test)]
mod tests;
mod window;

pub use checks::{background_migrations_check, backup_command, backup_steps, files_to_keep};
pub use dependency::{
    DependencySpec, RunbookDependency, RunbookGroup, configuration, dependency, is_risky,
};
pub use hop::{Attention, HopSpec, RunbookHop, every_hop, hop, node_order};
pub use recovery::{geo_procedure, restore_steps, rollback_steps};
pub use window::{WindowStart, after, preparation, window_end, window_start};

/// One thing to do, with the command to run when there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookStep {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The command or fact could not be confirmed from a primary source.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// A known issue or requirement to handle first, with its severity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<NoteSeverity>,
    /// The step is one of the runbook's "at every hop" routine, written out in full once
    /// ([`every_hop`]); print may show its short form instead.
    #[serde(skip)]
    pub routine: Option<Routine>,
}

/// How a routine step is printed at each hop once the routine is written out in full.
#[derive(Debug, Clone, PartialEq)]
pub struct Routine {
    /// What this hop's instance says in one line; empty when the line before says it too.
    pub short: String,
    /// The step's own command differs per hop (the package version): print it.
    pub keep_command: bool,
}

impl RunbookStep {
    pub fn text(text: impl Into<String>) -> RunbookStep {
        RunbookStep {
            text: text.into(),
            command: None,
            unverified: false,
            attention: None,
            routine: None,
        }
    }
    pub fn cmd(text: impl Into<String>, command: impl Into<String>) -> RunbookStep {
        RunbookStep {
            text: text.into(),
            command: Some(command.into()),
            unverified: false,
            attention: None,
            routine: None,
        }
    }
    /// Marks the step as part of the routine at every hop, printed as `short` at each hop.
    fn routine(mut self, short: impl Into<String>, keep_command: bool) -> RunbookStep {
        self.routine = Some(Routine {
            short: short.into(),
            keep_command,
        });
        self
    }
    fn unverified(mut self) -> RunbookStep {
        self.unverified = true;
        self
    }
}

/// How packages are installed on the nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageTool {
    /// Debian, Ubuntu, Raspberry Pi OS.
    Apt,
    /// `yum`/`dnf` with the release suffix of the package (`el8`, `amazon2023`, ...).
    Rpm { tool: &'static str, suffix: String },
    /// openSUSE and SLES.
    Zypper,
}

/// What the commands depend on, taken from the plan once.
#[derive(Debug, Clone)]
pub struct Context {
    pub method: Option<InstallMethod>,
    pub edition: Edition,
    pub package: Option<PackageTool>,
    pub multi_node: bool,
    pub zero_downtime: bool,
    pub geo: bool,
    pub pg_mode: Option<PostgresMode>,
    /// Who runs an external PostgreSQL (`aws_rds`, `gcp_cloud_sql`, ...).
    pub pg_provider: Option<String>,
    pub pgbouncer: bool,
    pub gitaly_cluster: bool,
    pub elasticsearch: bool,
    pub object_storage: bool,
    pub registry: bool,
    pub runners: bool,
    pub container: String,
    pub backup_method: Option<BackupMethod>,
    pub backup_location: Option<String>,
}

impl Context {
    pub fn from_plan(plan: &Plan) -> Context {
        let topo = plan.topology.clone().unwrap_or_default();
        let os = plan.os.clone().unwrap_or_default();
        let package = match (os.distribution.as_deref(), os.version.as_deref()) {
            (Some(d), Some(v)) => package_tool(d, v),
            (Some(d), None) => package_tool(d, ""),
            _ => None,
        };
        let pgbouncer = topo.pgbouncer == Some(true) || topo.count_role(NodeRole::Pgbouncer) > 0;
        Context {
            method: plan.method(),
            edition: plan
                .versions
                .as_ref()
                .and_then(|v| v.edition.known())
                .unwrap_or(Edition::Ee),
            package,
            multi_node: plan.topology_kind() == Some(TopologyKind::MultiNode),
            zero_downtime: plan.zero_downtime == Some(true),
            geo: plan.geo_enabled() == Some(true),
            pg_mode: topo.pg_mode(),
            pg_provider: topo
                .postgresql
                .as_ref()
                .and_then(|p| p.provider.clone())
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            pgbouncer,
            gitaly_cluster: topo.gitaly_mode() == Some(crate::plan::GitalyMode::Cluster)
                || topo.count_role(NodeRole::Praefect) > 0,
            elasticsearch: topo.elasticsearch == Some(true)
                || topo.count_role(NodeRole::Elasticsearch) > 0,
            object_storage: topo.object_storage == Some(true),
            registry: topo.container_registry == Some(true)
                || topo.count_role(NodeRole::Registry) > 0,
            runners: topo.runners == Some(true),
            container: plan
                .install
                .as_ref()
                .and_then(|i| i.container_name.clone())
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty() && !c.contains(char::is_whitespace))
                .unwrap_or_else(|| "gitlab".to_string()),
            backup_method: plan.backup.as_ref().and_then(|b| b.method.known()),
            backup_location: plan
                .backup
                .as_ref()
                .and_then(|b| b.location.clone())
                .filter(|l| !l.trim().is_empty()),
        }
    }

    fn method(&self) -> InstallMethod {
        self.method.unwrap_or(InstallMethod::LinuxPackage)
    }

    fn kubernetes(&self) -> bool {
        matches!(
            self.method(),
            InstallMethod::HelmChart | InstallMethod::Operator
        )
    }

    /// `gitlab-ee` or `gitlab-ce`.
    pub fn package_name(&self) -> String {
        format!("gitlab-{}", self.edition.id())
    }

    /// Run a `gitlab-rake` task the way this install method does.
    fn rake(&self, task: &str) -> String {
        match self.method() {
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
                format!("sudo gitlab-rake {task}")
            }
            InstallMethod::Docker => {
                format!("docker exec -t {} gitlab-rake {task}", self.container)
            }
            InstallMethod::HelmChart | InstallMethod::Operator => {
                format!("kubectl exec -it deploy/gitlab-toolbox -- gitlab-rake {task}")
            }
            InstallMethod::SelfCompiled => format!(
                "cd /home/git/gitlab && sudo -u git -H bundle exec rake {task} RAILS_ENV=production"
            ),
        }
    }

    /// Run Ruby in the Rails environment.
    fn rails_runner(&self, code: &str) -> String {
        match self.method() {
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
                format!("sudo gitlab-rails runner -e production '{code}'")
            }
            InstallMethod::Docker => format!(
                "docker exec -t {} gitlab-rails runner -e production '{code}'",
                self.container
            ),
            InstallMethod::HelmChart | InstallMethod::Operator => format!(
                "kubectl exec -it deploy/gitlab-toolbox -- gitlab-rails runner -e production '{code}'"
            ),
            InstallMethod::SelfCompiled => format!(
                "cd /home/git/gitlab && sudo -u git -H bundle exec rails runner -e production '{code}'"
            ),
        }
    }

    fn ctl(&self, args: &str) -> Option<String> {
        match self.method() {
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
                Some(format!("sudo gitlab-ctl {args}"))
            }
            InstallMethod::Docker => Some(format!(
                "docker exec -t {} gitlab-ctl {args}",
                self.container
            )),
            _ => None,
        }
    }

    fn where_to_keep(&self) -> String {
        match &self.backup_location {
            Some(l) => format!("Copy it off the GitLab hosts (backups are kept at: {l})."),
            None => "Copy it off the GitLab hosts.".to_string(),
        }
    }
}

/// The package tool for a distribution id and version.
pub fn package_tool(distribution: &str, version: &str) -> Option<PackageTool> {
    let major = version
        .split(['.', ' ', '-'])
        .next()
        .unwrap_or_default()
        .to_string();
    match distribution {
        "opensuse_leap" | "sles" => Some(PackageTool::Zypper),
        "amazon_linux" => {
            let (tool, suffix) = if major == "2" {
                ("yum", "amazon2".to_string())
            } else {
                ("dnf", format!("amazon{major}"))
            };
            Some(PackageTool::Rpm { tool, suffix })
        }
        d if os_family(d) == "deb" => Some(PackageTool::Apt),
        "" => None,
        _ => {
            let n: u32 = major.parse().unwrap_or(8);
            let tool = if n <= 8 { "yum" } else { "dnf" };
            Some(PackageTool::Rpm {
                tool,
                suffix: format!("el{n}"),
            })
        }
    }
}

/// Version text for a package: `18.5.7`, or `19.5.<patch>` when the patch is not known yet.
fn pkg_version(version: &str, patch_known: bool) -> String {
    if patch_known {
        version.to_string()
    } else {
        let minor = Minor::parse(version).map_or(version.to_string(), |m| m.to_string());
        format!("{minor}.<patch>")
    }
}

/// The Helm chart version for a GitLab version: major − 9, same minor and patch.
pub fn chart_version(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let rest: Vec<&str> = parts.collect();
    if major < 9 || rest.is_empty() {
        return None;
    }
    Some(format!("{}.{}", major - 9, rest.join(".")))
}

/// The command that installs `version` of the package on one node.
pub fn package_install_command(ctx: &Context, version: &str) -> String {
    let pkg = ctx.package_name();
    let ed = ctx.edition.id();
    match ctx.package.clone().unwrap_or(PackageTool::Apt) {
        PackageTool::Apt => format!("sudo apt-get install {pkg}={version}-{ed}.0"),
        PackageTool::Rpm { tool, suffix } => {
            format!("sudo {tool} install {pkg}-{version}-{ed}.0.{suffix}")
        }
        PackageTool::Zypper => format!("sudo zypper install {pkg}={version}-{ed}.0"),
    }
}

fn package_refresh_command(ctx: &Context) -> String {
    match ctx.package.clone().unwrap_or(PackageTool::Apt) {
        PackageTool::Apt => "sudo apt-get update".to_string(),
        PackageTool::Rpm { tool, .. } => format!("sudo {tool} makecache"),
        PackageTool::Zypper => "sudo zypper refresh".to_string(),
    }
}

fn package_list_command(ctx: &Context) -> String {
    let pkg = ctx.package_name();
    match ctx.package.clone().unwrap_or(PackageTool::Apt) {
        PackageTool::Apt => format!("apt-cache madison {pkg}"),
        PackageTool::Rpm { tool, .. } => format!("{tool} --showduplicates list {pkg}"),
        PackageTool::Zypper => format!("zypper search -s {pkg}"),
    }
}

fn package_remove_command(ctx: &Context) -> String {
    let pkg = ctx.package_name();
    match ctx.package.clone().unwrap_or(PackageTool::Apt) {
        PackageTool::Apt => format!("sudo dpkg -r {pkg}"),
        PackageTool::Rpm { tool, .. } => format!("sudo {tool} remove {pkg}"),
        PackageTool::Zypper => format!("sudo zypper remove {pkg}"),
    }
}

fn docker_image(ctx: &Context, version: &str) -> String {
    let ed = ctx.edition.id();
    format!("gitlab/gitlab-{ed}:{version}-{ed}.0")
}
