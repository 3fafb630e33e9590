//! One GitLab hop: its pre-checks, install and post-checks; the preparation before the first
//! window and what follows the last hop.

use super::checks::{gitlab_check, secrets_check};
use super::*;

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
