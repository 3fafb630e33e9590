//! The commands of the plan: per-hop runbook, backup, restore and rollback, written for the
//! install method, the OS family and the edition.
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
}

impl RunbookStep {
    pub fn text(text: impl Into<String>) -> RunbookStep {
        RunbookStep {
            text: text.into(),
            command: None,
            unverified: false,
            attention: None,
        }
    }
    pub fn cmd(text: impl Into<String>, command: impl Into<String>) -> RunbookStep {
        RunbookStep {
            text: text.into(),
            command: Some(command.into()),
            unverified: false,
            attention: None,
        }
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

// ------------------------------------------------------------------ checks

/// Batched background migrations have finished.
pub fn background_migrations_check(ctx: &Context, what: &str) -> RunbookStep {
    let single_bundled = !ctx.multi_node
        && ctx.pg_mode != Some(PostgresMode::External)
        && matches!(
            ctx.method(),
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit
        );
    if single_bundled {
        RunbookStep::cmd(
            format!(
                "{what}: the query returns no rows (or Admin > Monitoring > Background migrations shows nothing queued, finalizing or failed)."
            ),
            "sudo gitlab-psql -c \"SELECT job_class_name, table_name, column_name, job_arguments FROM batched_background_migrations WHERE status NOT IN(3, 6);\"",
        )
    } else {
        RunbookStep::cmd(
            format!(
                "{what}: the command prints 0 (or Admin > Monitoring > Background migrations shows nothing queued, finalizing or failed)."
            ),
            ctx.rails_runner(
                "puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count",
            ),
        )
    }
}

fn gitlab_check(ctx: &Context) -> RunbookStep {
    RunbookStep::cmd(
        "GitLab's own checks pass (every line ends in yes or OK).",
        ctx.rake("gitlab:check SANITIZE=true"),
    )
}

fn secrets_check(ctx: &Context) -> RunbookStep {
    RunbookStep::cmd(
        "Encrypted data can be decrypted with the current secrets (no failures reported).",
        ctx.rake("gitlab:doctor:secrets"),
    )
}

/// The command that backs up the data at the running version.
pub fn backup_command(ctx: &Context) -> String {
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            "sudo gitlab-backup create".to_string()
        }
        InstallMethod::Docker => format!("docker exec -t {} gitlab-backup create", ctx.container),
        InstallMethod::HelmChart | InstallMethod::Operator => {
            "kubectl exec -it deploy/gitlab-toolbox -- backup-utility".to_string()
        }
        InstallMethod::SelfCompiled => {
            "cd /home/git/gitlab && sudo -u git -H bundle exec rake gitlab:backup:create RAILS_ENV=production"
                .to_string()
        }
    }
}

/// The secrets and configuration that the GitLab backup does not contain, for the method.
pub fn files_to_keep(method: Option<InstallMethod>) -> Vec<String> {
    match method.unwrap_or(InstallMethod::LinuxPackage) {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => vec![
            "/etc/gitlab/gitlab-secrets.json (database encryption key, CI/CD variables, 2FA secrets)".into(),
            "/etc/gitlab/gitlab.rb".into(),
            "/etc/gitlab/ssl/ and /etc/gitlab/trusted-certs/ (TLS keys and certificates)".into(),
            "/etc/ssh/ssh_host_* (SSH host keys, so clients do not see a changed host key)".into(),
        ],
        InstallMethod::Docker => vec![
            "The configuration volume, usually /srv/gitlab/config (it holds gitlab-secrets.json, gitlab.rb, TLS certificates and the SSH host keys)".into(),
        ],
        InstallMethod::HelmChart | InstallMethod::Operator => vec![
            "The rails secret (gitlab-rails-secret for a release named gitlab) and the other Kubernetes Secrets of the release".into(),
            "The Helm values: helm get values gitlab > gitlab.yaml".into(),
        ],
        InstallMethod::SelfCompiled => vec![
            "/home/git/gitlab/config/secrets.yml".into(),
            "/home/git/gitlab/config/gitlab.yml".into(),
            "TLS keys and certificates of the web server, and /etc/ssh/ssh_host_* (SSH host keys)".into(),
        ],
    }
}

/// Save the secrets and configuration of the running version, named after it.
fn secrets_backup_steps(ctx: &Context, version: &str) -> Vec<RunbookStep> {
    let keep = ctx.where_to_keep();
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            let mut s = RunbookStep::cmd(
                format!(
                    "Save the secrets and configuration taken at {version} (the backup does not contain them){}. {keep}",
                    if ctx.multi_node {
                        ", on every node"
                    } else {
                        ""
                    }
                ),
                format!(
                    "sudo tar -czf gitlab-config-{version}.tar.gz /etc/gitlab /etc/ssh/ssh_host_*"
                ),
            );
            if ctx.multi_node {
                s.text
                    .push_str(" gitlab-secrets.json must be identical on all nodes.");
            }
            vec![s]
        }
        InstallMethod::Docker => vec![RunbookStep::cmd(
            format!(
                "Save the configuration volume taken at {version} (it holds gitlab-secrets.json; the backup does not). Adjust the path if your volume lives elsewhere. {keep}"
            ),
            format!("sudo tar -czf gitlab-config-{version}.tar.gz /srv/gitlab/config"),
        )],
        InstallMethod::HelmChart | InstallMethod::Operator => vec![
            RunbookStep::cmd(
                format!("Save the rails secret taken at {version}. {keep}"),
                format!(
                    "kubectl get secret gitlab-rails-secret -o jsonpath=\"{{.data['secrets\\.yml']}}\" | base64 --decode > gitlab-rails-secret-{version}.yaml"
                ),
            ),
            RunbookStep::cmd(
                format!("Save the Helm values in use at {version}."),
                format!("helm get values gitlab > gitlab-values-{version}.yaml"),
            ),
        ],
        InstallMethod::SelfCompiled => vec![RunbookStep::cmd(
            format!("Save the secrets and configuration taken at {version}. {keep}"),
            format!(
                "sudo tar -czf gitlab-config-{version}.tar.gz /home/git/gitlab/config/secrets.yml /home/git/gitlab/config/gitlab.yml /etc/ssh/ssh_host_*"
            ),
        )],
    }
}

/// Backup steps at the running `version` (data, then secrets and configuration).
pub fn backup_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    let method = ctx.backup_method.unwrap_or(BackupMethod::GitlabBackup);
    if matches!(method, BackupMethod::GitlabBackup | BackupMethod::Both) {
        let mut text = format!(
            "Back up GitLab at {version}. This backup restores only onto exactly GitLab {version} {edition_label}; note its ID (the file name before _gitlab_backup.tar)."
        );
        if ctx.multi_node && !ctx.kubernetes() {
            text.push_str(" Run it on one Rails node with enough free disk.");
        }
        if ctx.pgbouncer && !ctx.kubernetes() {
            text.push_str(
                " With PgBouncer, point the backup straight at the database leader (GITLAB_BACKUP_PGHOST and GITLAB_BACKUP_PGPORT).",
            );
        }
        steps.push(RunbookStep::cmd(text, backup_command(ctx)));
    }
    if matches!(method, BackupMethod::Snapshot | BackupMethod::Both) {
        let mut text = format!(
            "Snapshot every node at {version} at the same moment{}, with GitLab stopped or quiesced.",
            if ctx.multi_node { " (all of them)" } else { "" }
        );
        if ctx.gitaly_cluster {
            text.push_str(
                " Snapshot all Gitaly nodes together with the Praefect database; never restore a single Gitaly Cluster node.",
            );
        }
        text.push_str(" Snapshots are outside GitLab Support's scope.");
        steps.push(RunbookStep::text(text));
    }
    steps.extend(secrets_backup_steps(ctx, version));
    if ctx.object_storage && !ctx.kubernetes() {
        steps.push(RunbookStep::text(
            "Object storage is not in the GitLab backup: back up or version the buckets with the storage provider's tools.",
        ));
    }
    steps
}

// ------------------------------------------------------------------ per hop

/// One hop of the runbook as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookHop {
    pub number: usize,
    /// The version running before this hop.
    pub from_version: String,
    /// The version this hop installs (`19.5.x` when the patch is not known).
    pub version: String,
    pub pre_checks: Vec<RunbookStep>,
    pub install: Vec<RunbookStep>,
    pub post_checks: Vec<RunbookStep>,
}

/// What a hop needs to be written out.
pub struct HopSpec<'a> {
    pub number: usize,
    pub total: usize,
    pub from_version: &'a str,
    pub version: &'a str,
    pub patch_known: bool,
    pub minor: &'a str,
    /// Blockers and warnings at this hop, one line each.
    pub attention: Vec<(NoteSeverity, String)>,
}

/// Node roles present in the plan, in the order GitLab upgrades them (back to front).
pub fn node_order(plan: &Plan) -> Vec<String> {
    let topo = plan.topology.clone().unwrap_or_default();
    let order = [
        (NodeRole::Consul, "Consul"),
        (NodeRole::Postgresql, "PostgreSQL with Patroni"),
        (NodeRole::Pgbouncer, "PgBouncer"),
        (NodeRole::Redis, "Redis"),
        (NodeRole::RedisSentinel, "Redis Sentinel"),
        (NodeRole::Gitaly, "Gitaly"),
        (NodeRole::PraefectPostgresql, "Praefect PostgreSQL"),
        (NodeRole::Praefect, "Praefect"),
        (NodeRole::Rails, "Rails, the deploy node first"),
        (NodeRole::Sidekiq, "Sidekiq"),
        (NodeRole::Registry, "Container registry"),
        (NodeRole::Monitoring, "Monitoring"),
        (
            NodeRole::Elasticsearch,
            "Elasticsearch/OpenSearch (outside Support scope)",
        ),
        (NodeRole::Other, "Other nodes"),
    ];
    let mut out = Vec::new();
    for (role, label) in order {
        // Sentinel that shares the Redis nodes is upgraded with them.
        let groups: Vec<_> = topo.nodes.iter().filter(|n| n.role == role).collect();
        let count = crate::plan::sum_counts(groups.iter().copied());
        if count > 0 {
            out.push(format!("{label} ({count})"));
        } else if role == NodeRole::Postgresql && topo.pg_mode() == Some(PostgresMode::External) {
            out.push("PostgreSQL: external, upgraded separately by its provider".into());
        } else if role == NodeRole::Redis && topo.redis_mode() == Some(RedisMode::External) {
            out.push("Redis: external, upgraded separately".into());
        }
    }
    out
}

fn install_steps(ctx: &Context, spec: &HopSpec<'_>, order: &[String]) -> Vec<RunbookStep> {
    let v = pkg_version(spec.version, spec.patch_known);
    let mut steps = Vec::new();
    if !spec.patch_known {
        steps.push(RunbookStep::text(format!(
            "Look up the newest {} patch on packages.gitlab.com and use it for <patch> below.",
            spec.minor
        )));
    }
    match ctx.method() {
        InstallMethod::LinuxPackage => {
            steps.push(RunbookStep::cmd(
                "Refresh the package lists.",
                package_refresh_command(ctx),
            ));
            if ctx.multi_node {
                if !order.is_empty() {
                    steps.push(RunbookStep::text(format!(
                        "Upgrade the nodes in this order: {}.",
                        order.join(" → ")
                    )));
                }
                if ctx.zero_downtime {
                    steps.push(RunbookStep::text(
                        "Before a Rails node is upgraded, drain it from the load balancer (for example NGINX QUIT) and wait until /-/readiness fails.",
                    ));
                }
                steps.push(RunbookStep::cmd(
                    format!("On each node, install {v}."),
                    package_install_command(ctx, &v),
                ));
                if ctx.zero_downtime {
                    steps.push(RunbookStep::cmd(
                        "On the Rails deploy node: reconfigure without post-deployment migrations (it talks to the database leader directly, not through PgBouncer).",
                        "sudo SKIP_POST_DEPLOYMENT_MIGRATIONS=true gitlab-ctl reconfigure",
                    ));
                    steps.push(RunbookStep::cmd(
                        "On every other node: reconfigure, then restart (Gitaly and Praefect reload gracefully; PostgreSQL nodes restart Consul first).",
                        "sudo gitlab-ctl reconfigure",
                    ));
                    steps.push(RunbookStep::cmd(
                        "After ALL Rails nodes run the new version: run the post-deployment migrations on the deploy node.",
                        "sudo gitlab-rake db:migrate",
                    ));
                } else {
                    steps.push(RunbookStep::text(
                        "The Rails deploy node (gitlab_rails['auto_migrate'] = true) runs the database migrations during the install: upgrade it before the other Rails nodes and wait for it to finish.",
                    ));
                }
            } else {
                steps.push(RunbookStep::cmd(
                    format!(
                        "Install {v}. The package checks the version and configuration, backs up the database and runs gitlab-ctl reconfigure with the migrations: watch the output for errors."
                    ),
                    package_install_command(ctx, &v),
                ));
            }
            steps.push(RunbookStep::cmd(
                "Every service is running (each line starts with run:).",
                "sudo gitlab-ctl status",
            ));
        }
        InstallMethod::EnvironmentToolkit => {
            steps.push(
                RunbookStep::cmd(
                    format!(
                        "Set gitlab_version: \"{v}\" in the environment's Ansible variables, then run the playbook (GET upgrades the nodes in the documented order)."
                    ),
                    "ansible-playbook -i environments/<env>/inventory playbooks/all.yml",
                )
                .unverified(),
            );
            steps.push(RunbookStep::cmd(
                "Every service is running on each node.",
                "sudo gitlab-ctl status",
            ));
        }
        InstallMethod::Docker => {
            let image = docker_image(ctx, &v);
            steps.push(RunbookStep::cmd(
                format!("Pull the {v} image."),
                format!("docker pull {image}"),
            ));
            steps.push(RunbookStep::text(format!(
                "Change the image tag to {image} where the container is defined (docker-compose.yml or your docker run command); keep every volume and option."
            )));
            steps.push(RunbookStep::cmd(
                "Recreate the container with the new image (Docker Compose shown; with docker run, stop and remove the container and run it again with the new tag). It reconfigures and migrates on start.",
                "docker compose up -d",
            ));
            steps.push(RunbookStep::cmd(
                "Follow the start until reconfigure has finished without errors.",
                format!("docker logs -f {}", ctx.container),
            ));
        }
        InstallMethod::HelmChart => {
            let chart = chart_version(&v).unwrap_or_else(|| "<chart version>".into());
            steps.push(RunbookStep::cmd(
                "Refresh the chart repository.",
                "helm repo update",
            ));
            steps.push(RunbookStep::cmd(
                format!(
                    "Check the values against chart {chart} (GitLab {v}): the chart refuses removed settings."
                ),
                format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab.yaml --dry-run"),
            ));
            steps.push(RunbookStep::cmd(
                format!("Upgrade to chart {chart} (GitLab {v}) with the saved values."),
                format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab.yaml"),
            ));
            steps.push(RunbookStep::cmd(
                "Wait until the migrations job has completed and every pod is ready.",
                "kubectl get pods -l release=gitlab",
            ));
        }
        InstallMethod::Operator => {
            let chart = chart_version(&v).unwrap_or_else(|| "<chart version>".into());
            steps.push(RunbookStep::text(format!(
                "Make sure the installed GitLab Operator supports chart {chart}; upgrade the Operator first if it does not."
            )));
            steps.push(
                RunbookStep::cmd(
                    format!("Set the GitLab custom resource to chart {chart} (GitLab {v})."),
                    format!(
                        "kubectl -n gitlab-system patch gitlab gitlab --type merge -p '{{\"spec\":{{\"chart\":{{\"version\":\"{chart}\"}}}}}}'"
                    ),
                )
                .unverified(),
            );
            steps.push(RunbookStep::cmd(
                "Wait until the Operator reports the upgrade as complete and every pod is ready.",
                "kubectl -n gitlab-system get gitlab",
            ));
        }
        InstallMethod::SelfCompiled => {
            let tag = match ctx.edition {
                Edition::Ee => format!("v{v}-ee"),
                Edition::Ce => format!("v{v}"),
            };
            steps.push(RunbookStep::cmd(
                format!("Check out {tag}."),
                format!(
                    "cd /home/git/gitlab && sudo -u git -H git fetch --all --prune && sudo -u git -H git checkout -- Gemfile.lock db/structure.sql locale && sudo -u git -H git checkout {tag}"
                ),
            ));
            steps.push(RunbookStep::text(format!(
                "Follow the self-compiled upgrade guide for {}: update Gitaly, GitLab Shell, Workhorse and the gems, run the migrations, compile the assets, then restart.",
                spec.minor
            )));
            steps.push(RunbookStep::cmd(
                "Run the database migrations.",
                "cd /home/git/gitlab && sudo -u git -H bundle exec rake db:migrate RAILS_ENV=production",
            ));
        }
    }
    if ctx.geo && !ctx.kubernetes() {
        steps.push(RunbookStep::text(
            "Geo: upgrade every node of the primary site first, then each secondary site (see the Geo section).",
        ));
    }
    steps
}

/// The per-hop runbook.
pub fn hop(ctx: &Context, spec: &HopSpec<'_>, order: &[String], edition_label: &str) -> RunbookHop {
    let mut pre = Vec::new();
    for (severity, a) in &spec.attention {
        let mut step = RunbookStep::text(format!("Handled before this hop: {a}"));
        step.attention = Some(*severity);
        pre.push(step);
    }
    let previous = if spec.number == 1 {
        "Background migrations of earlier upgrades have finished"
    } else {
        "Background migrations of the previous hop have finished"
    };
    pre.push(background_migrations_check(ctx, previous));
    if ctx.elasticsearch {
        pre.push(RunbookStep::cmd(
            "No advanced search migrations are pending.",
            ctx.rake("gitlab:elastic:list_pending_migrations"),
        ));
    }
    pre.push(gitlab_check(ctx));
    pre.push(secrets_check(ctx));
    if matches!(
        ctx.method(),
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit | InstallMethod::Docker
    ) && let Some(cmd) = ctx.ctl(&format!("check-config --version={}", spec.minor))
    {
        pre.push(RunbookStep::cmd(
            format!(
                "The configuration has no setting that {} removed (the package runs the same check and refuses to install).",
                spec.minor
            ),
            cmd,
        ));
    }
    if ctx.geo {
        pre.push(RunbookStep::cmd(
            "Geo is healthy on every site.",
            ctx.rake("gitlab:geo:check"),
        ));
    }
    pre.extend(backup_steps(ctx, spec.from_version, edition_label));
    if ctx.zero_downtime && ctx.method() == InstallMethod::LinuxPackage {
        pre.push(RunbookStep::cmd(
            "On every node: stop the package from reconfiguring on install.",
            "sudo touch /etc/gitlab/skip-auto-reconfigure",
        ));
    }

    let install = install_steps(ctx, spec, order);

    let shown = if spec.patch_known {
        spec.version.to_string()
    } else {
        format!("the newest {} patch", spec.minor)
    };
    let mut post = vec![
        RunbookStep::cmd(
            format!("GitLab reports {shown} (also under Admin > Help)."),
            ctx.rake("gitlab:env:info"),
        ),
        gitlab_check(ctx),
        RunbookStep::cmd(
            "Every database migration is up (none down).",
            ctx.rake("db:migrate:status"),
        ),
    ];
    let mut smoke = "Smoke test: sign in, open a project, an issue and a merge request, clone and push over HTTPS and SSH".to_string();
    if ctx.runners {
        smoke.push_str(", a pipeline runs on a runner");
    }
    if ctx.registry {
        smoke.push_str(", push and pull a container image");
    }
    smoke.push('.');
    post.push(RunbookStep::text(smoke));
    if ctx.geo {
        post.push(RunbookStep::cmd(
            "Geo: checks pass on every site and secondaries catch up.",
            ctx.rake("gitlab:geo:check"),
        ));
    }
    let last = spec.number == spec.total;
    post.push(background_migrations_check(
        ctx,
        if last {
            "Wait until the background migrations of this version have finished before calling the upgrade done (hours are normal; do not stop GitLab meanwhile)"
        } else {
            "Wait until the background migrations of this version have finished before the next hop (hours are normal; do not stop GitLab meanwhile)"
        },
    ));
    RunbookHop {
        number: spec.number,
        from_version: spec.from_version.to_string(),
        version: if spec.patch_known {
            spec.version.to_string()
        } else {
            format!("{}.x", spec.minor)
        },
        pre_checks: pre,
        install,
        post_checks: post,
    }
}

/// Before the window: preparation.
pub fn preparation(ctx: &Context, hop_versions: &[String]) -> Vec<RunbookStep> {
    let mut steps = vec![RunbookStep::text(
        "Rehearse the whole path in the test environment (a restored production backup), timing each hop.",
    )];
    let versions = hop_versions.join(", ");
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            steps.push(RunbookStep::cmd(
                format!("Packages exist for every hop on this OS: {versions}."),
                package_list_command(ctx),
            ));
        }
        InstallMethod::Docker => {
            steps.push(RunbookStep::text(format!(
                "Pull the images of every hop ahead of the window: {}.",
                hop_versions
                    .iter()
                    .map(|v| docker_image(ctx, v))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        InstallMethod::HelmChart | InstallMethod::Operator => {
            steps.push(RunbookStep::cmd(
                format!(
                    "Chart versions exist for every hop: {}.",
                    hop_versions
                        .iter()
                        .filter_map(|v| chart_version(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "helm search repo gitlab/gitlab --versions",
            ));
        }
        InstallMethod::SelfCompiled => {}
    }
    steps.push(RunbookStep::text(
        "Every known issue on the path is read and handled; blockers are marked as reviewed.",
    ));
    steps.push(RunbookStep::text(
        "Enough free disk for one backup per hop where the backups are written.",
    ));
    steps.push(RunbookStep::text(if ctx.zero_downtime {
        "Users are told about the window (zero-downtime: short slowdowns, no outage planned)."
    } else {
        "Users are told about the downtime; CI/CD schedules and mirrors that would fail are paused."
    }));
    steps
}

/// After the last hop.
pub fn after(
    ctx: &Context,
    target: &str,
    edition_label: &str,
    ticket: Option<&str>,
) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    if ctx.zero_downtime && ctx.method() == InstallMethod::LinuxPackage {
        steps.push(RunbookStep::cmd(
            "On every node: let the package reconfigure on install again.",
            "sudo rm /etc/gitlab/skip-auto-reconfigure",
        ));
    }
    if ctx.runners {
        steps.push(RunbookStep::text(
            "Upgrade GitLab Runner (and agents for Kubernetes) to the matching version.",
        ));
    }
    steps.extend(backup_steps(ctx, target, edition_label));
    steps.push(RunbookStep::text(match ticket {
        Some(t) => format!(
            "Tell GitLab Support on ticket {t} that the upgrade succeeded (the ticket stays on hold until then)."
        ),
        None => "Tell GitLab Support on the ticket that the upgrade succeeded (the ticket stays on hold until then).".into(),
    }));
    steps
}

// ------------------------------------------------------------------ restore and rollback

/// Restore a backup taken at `version` (with its secrets and configuration).
pub fn restore_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = vec![RunbookStep::text(format!(
        "GitLab {version} {edition_label} is installed and has been reconfigured once: a backup restores only onto the exact version and edition that made it."
    ))];
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            steps.push(RunbookStep::cmd(
                "Put back the secrets and configuration saved at that version, then reconfigure.",
                format!("sudo tar -xzf gitlab-config-{version}.tar.gz -C / && sudo gitlab-ctl reconfigure"),
            ));
            steps.push(RunbookStep::cmd(
                "Stop the processes that use the database.",
                "sudo gitlab-ctl stop puma && sudo gitlab-ctl stop sidekiq",
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup (the ID is the file name before _gitlab_backup.tar).",
                "sudo gitlab-backup restore BACKUP=<backup ID>",
            ));
            steps.push(RunbookStep::cmd(
                "Reconfigure and restart.",
                "sudo gitlab-ctl reconfigure && sudo gitlab-ctl restart",
            ));
        }
        InstallMethod::Docker => {
            let c = &ctx.container;
            steps.push(RunbookStep::text(
                "Put back the configuration volume saved at that version (gitlab-config-<version>.tar.gz) and restart the container.",
            ));
            steps.push(RunbookStep::cmd(
                "Stop the processes that use the database.",
                format!("docker exec -t {c} gitlab-ctl stop puma && docker exec -t {c} gitlab-ctl stop sidekiq"),
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup.",
                format!("docker exec -it {c} gitlab-backup restore BACKUP=<backup ID>"),
            ));
            steps.push(RunbookStep::cmd(
                "Restart the container.",
                format!("docker restart {c}"),
            ));
        }
        InstallMethod::HelmChart | InstallMethod::Operator => {
            steps.push(RunbookStep::cmd(
                "Put back the rails secret saved at that version.",
                format!(
                    "kubectl delete secret gitlab-rails-secret && kubectl create secret generic gitlab-rails-secret --from-file=secrets.yml=gitlab-rails-secret-{version}.yaml"
                ),
            ));
            steps.push(
                RunbookStep::cmd(
                    "Restore the backup from the backup bucket with the toolbox.",
                    "kubectl exec -it deploy/gitlab-toolbox -- backup-utility --restore -t <backup ID>",
                )
                .unverified(),
            );
            steps.push(RunbookStep::cmd(
                "Restart the webservice and Sidekiq pods so they read the restored secret.",
                "kubectl delete pods -l 'app in (webservice,sidekiq),release=gitlab'",
            ));
        }
        InstallMethod::SelfCompiled => {
            steps.push(RunbookStep::text(
                "Put back config/secrets.yml and config/gitlab.yml saved at that version and stop GitLab.",
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup.",
                "cd /home/git/gitlab && sudo -u git -H bundle exec rake gitlab:backup:restore BACKUP=<backup ID> RAILS_ENV=production",
            ));
        }
    }
    steps.push(gitlab_check(ctx));
    steps.push(secrets_check(ctx));
    steps
}

/// Roll back to `version` (the version running before the failed hop).
pub fn rollback_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    if ctx.backup_method == Some(BackupMethod::Snapshot) {
        steps.push(RunbookStep::text(format!(
            "Shut down every node and revert all of them to the snapshots taken at {version}, together (never a single Gitaly Cluster node)."
        )));
        steps.push(gitlab_check(ctx));
        return steps;
    }
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            let on = if ctx.multi_node { " on every node" } else { "" };
            steps.push(RunbookStep::cmd(
                format!("Stop the processes that use the database{on}."),
                "sudo gitlab-ctl stop puma && sudo gitlab-ctl stop sidekiq",
            ));
            steps.push(RunbookStep::cmd(
                format!("Remove the new package{on}."),
                package_remove_command(ctx),
            ));
            steps.push(RunbookStep::cmd(
                format!("Install {version} again{on}."),
                package_install_command(ctx, version),
            ));
        }
        InstallMethod::Docker => {
            steps.push(RunbookStep::text(format!(
                "Stop the container and start {} with the same volumes and options.",
                docker_image(ctx, version)
            )));
        }
        InstallMethod::HelmChart | InstallMethod::Operator => {
            let chart = chart_version(version).unwrap_or_else(|| "<chart version>".into());
            steps.push(
                RunbookStep::cmd(
                    format!(
                        "GitLab's rollback page does not cover Kubernetes: redeploy chart {chart} (GitLab {version}) with the values saved at that version, then restore."
                    ),
                    format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab-values-{version}.yaml"),
                )
                .unverified(),
            );
        }
        InstallMethod::SelfCompiled => {
            let tag = match ctx.edition {
                Edition::Ee => format!("v{version}-ee"),
                Edition::Ce => format!("v{version}"),
            };
            steps.push(
                RunbookStep::text(format!(
                    "GitLab's rollback page does not cover self-compiled installations: check out {tag} again, reinstall its dependencies, then restore."
                ))
                .unverified(),
            );
        }
    }
    steps.extend(restore_steps(ctx, version, edition_label));
    if ctx.object_storage {
        steps.push(RunbookStep::text(
            "Return the object storage buckets to the state of the backup with the provider's tools.",
        ));
    }
    steps.push(RunbookStep::text(
        "Data written since the backup is lost: tell users what to push again.",
    ));
    steps
}

/// The Geo procedure for every hop.
pub fn geo_procedure(ctx: &Context) -> Vec<RunbookStep> {
    if ctx.zero_downtime {
        return vec![
            RunbookStep::text(
                "Upgrade the primary site without the post-deployment migrations (zero-downtime order).",
            ),
            RunbookStep::text(
                "Copy /etc/gitlab/gitlab-secrets.json from the primary to every secondary node.",
            ),
            RunbookStep::cmd(
                "On each secondary: set geo_secondary['auto_migrate'] = false, upgrade, then migrate the tracking database.",
                "sudo SKIP_POST_DEPLOYMENT_MIGRATIONS=true gitlab-rake db:migrate:geo",
            ),
            RunbookStep::cmd(
                "Run the post-deployment migrations on the primary.",
                "sudo gitlab-rake db:migrate",
            ),
            RunbookStep::cmd("Then on each secondary.", "sudo gitlab-rake db:migrate:geo"),
            RunbookStep::cmd(
                "Every site reports healthy.",
                "sudo gitlab-rake gitlab:geo:check",
            ),
        ];
    }
    vec![
        RunbookStep::cmd(
            "Optional: pause replication on each secondary site.",
            "sudo gitlab-ctl geo-replication-pause",
        ),
        RunbookStep::text("Upgrade every node of the primary site and test it."),
        RunbookStep::text(
            "Copy /etc/gitlab/gitlab-secrets.json from the primary to every secondary node (it must be identical).",
        ),
        RunbookStep::text("Upgrade every node of each secondary site."),
        RunbookStep::cmd(
            "Resume replication on each secondary site.",
            "sudo gitlab-ctl geo-replication-resume",
        ),
        RunbookStep::cmd(
            "Restart Puma and Sidekiq on the secondary sites.",
            "sudo gitlab-ctl restart puma && sudo gitlab-ctl restart sidekiq",
        ),
        RunbookStep::cmd(
            "Every site reports healthy.",
            "sudo gitlab-rake gitlab:geo:check",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Install, Os, Versions};

    fn plan(method: InstallMethod, dist: &str, ver: &str, edition: Edition) -> Plan {
        Plan {
            install: Some(Install {
                method: Some(method.into()),
                ..Default::default()
            }),
            os: Some(Os {
                distribution: Some(dist.into()),
                version: Some(ver.into()),
                arch: None,
                extra: Default::default(),
            }),
            versions: Some(Versions {
                edition: Some(edition.into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn package_commands_follow_os_family_and_edition() {
        let cases = [
            (
                "ubuntu",
                "22.04",
                Edition::Ee,
                "sudo apt-get install gitlab-ee=18.5.7-ee.0",
            ),
            (
                "debian",
                "12",
                Edition::Ce,
                "sudo apt-get install gitlab-ce=18.5.7-ce.0",
            ),
            (
                "rhel",
                "8",
                Edition::Ee,
                "sudo yum install gitlab-ee-18.5.7-ee.0.el8",
            ),
            (
                "almalinux",
                "9",
                Edition::Ee,
                "sudo dnf install gitlab-ee-18.5.7-ee.0.el9",
            ),
            (
                "oracle_linux",
                "10",
                Edition::Ce,
                "sudo dnf install gitlab-ce-18.5.7-ce.0.el10",
            ),
            (
                "amazon_linux",
                "2023",
                Edition::Ee,
                "sudo dnf install gitlab-ee-18.5.7-ee.0.amazon2023",
            ),
            (
                "amazon_linux",
                "2",
                Edition::Ee,
                "sudo yum install gitlab-ee-18.5.7-ee.0.amazon2",
            ),
            (
                "sles",
                "15",
                Edition::Ee,
                "sudo zypper install gitlab-ee=18.5.7-ee.0",
            ),
        ];
        for (dist, ver, ed, want) in cases {
            let ctx = Context::from_plan(&plan(InstallMethod::LinuxPackage, dist, ver, ed));
            assert_eq!(
                package_install_command(&ctx, "18.5.7"),
                want,
                "{dist} {ver}"
            );
        }
    }

    #[test]
    fn helm_chart_is_major_minus_nine() {
        assert_eq!(chart_version("18.5.7").as_deref(), Some("9.5.7"));
        assert_eq!(chart_version("17.11.7").as_deref(), Some("8.11.7"));
        assert_eq!(
            chart_version("19.5.<patch>").as_deref(),
            Some("10.5.<patch>")
        );
        let ctx = Context::from_plan(&plan(InstallMethod::HelmChart, "", "", Edition::Ee));
        let spec = HopSpec {
            number: 1,
            total: 1,
            from_version: "18.2.8",
            version: "18.5.7",
            patch_known: true,
            minor: "18.5",
            attention: Vec::new(),
        };
        let h = hop(&ctx, &spec, &[], "EE");
        let cmds: Vec<&str> = h
            .install
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect();
        assert!(
            cmds.contains(&"helm upgrade gitlab gitlab/gitlab --version 9.5.7 -f gitlab.yaml"),
            "{cmds:?}"
        );
        assert!(h.pre_checks.iter().any(|s| s.command.as_deref()
            == Some("kubectl exec -it deploy/gitlab-toolbox -- backup-utility")));
    }

    #[test]
    fn docker_changes_the_image_tag_and_runs_checks_in_the_container() {
        let mut p = plan(InstallMethod::Docker, "", "", Edition::Ce);
        p.install.as_mut().unwrap().container_name = Some("gl".into());
        let ctx = Context::from_plan(&p);
        let spec = HopSpec {
            number: 2,
            total: 3,
            from_version: "17.11.7",
            version: "18.2.8",
            patch_known: true,
            minor: "18.2",
            attention: vec![(NoteSeverity::Blocker, "x".into())],
        };
        let h = hop(&ctx, &spec, &[], "CE");
        let all: Vec<String> = h
            .pre_checks
            .iter()
            .chain(&h.install)
            .chain(&h.post_checks)
            .filter_map(|s| s.command.clone())
            .collect();
        assert!(
            all.contains(&"docker pull gitlab/gitlab-ce:18.2.8-ce.0".to_string()),
            "{all:?}"
        );
        assert!(all.contains(&"docker exec -t gl gitlab-backup create".to_string()));
        assert!(
            all.contains(&"docker exec -t gl gitlab-ctl check-config --version=18.2".to_string())
        );
        assert!(h.pre_checks[0].text.ends_with(": x"));
        assert_eq!(h.pre_checks[0].attention, Some(NoteSeverity::Blocker));
        // The backup is taken at the version before the hop, with its own secrets.
        assert!(
            h.pre_checks
                .iter()
                .any(|s| s.text.contains("exactly GitLab 17.11.7 CE"))
        );
        assert!(all.contains(
            &"sudo tar -czf gitlab-config-17.11.7.tar.gz /srv/gitlab/config".to_string()
        ));
    }

    #[test]
    fn files_to_keep_name_the_secrets_for_each_method() {
        assert!(
            files_to_keep(Some(InstallMethod::LinuxPackage))[0]
                .starts_with("/etc/gitlab/gitlab-secrets.json")
        );
        assert!(files_to_keep(Some(InstallMethod::Docker))[0].contains("/srv/gitlab/config"));
        assert!(files_to_keep(Some(InstallMethod::HelmChart))[0].contains("gitlab-rails-secret"));
        assert!(files_to_keep(Some(InstallMethod::SelfCompiled))[0].contains("secrets.yml"));
    }

    #[test]
    fn unknown_patch_uses_a_placeholder() {
        let ctx = Context::from_plan(&plan(
            InstallMethod::LinuxPackage,
            "ubuntu",
            "24.04",
            Edition::Ee,
        ));
        let spec = HopSpec {
            number: 1,
            total: 1,
            from_version: "19.3.0",
            version: "19.5.0",
            patch_known: false,
            minor: "19.5",
            attention: Vec::new(),
        };
        let h = hop(&ctx, &spec, &[], "EE");
        assert_eq!(h.version, "19.5.x");
        assert!(
            h.install.iter().any(|s| s.command.as_deref()
                == Some("sudo apt-get install gitlab-ee=19.5.<patch>-ee.0"))
        );
    }
}
