//! One GitLab hop: its pre-checks, install and post-checks.

use super::install::install_steps;
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
    /// The pre-checks back up data, secrets and configuration at `from_version`.
    pub backup: bool,
}

/// A known issue or requirement to handle before a hop.
#[derive(Debug, Clone, PartialEq)]
pub struct Attention {
    pub severity: NoteSeverity,
    /// The known issue's id; `None` for a requirement (PostgreSQL, OS, patch to avoid).
    pub id: Option<String>,
    pub text: String,
}

/// What a hop needs to be written out.
pub struct HopSpec<'a> {
    pub number: usize,
    pub total: usize,
    pub from_version: &'a str,
    pub version: &'a str,
    pub patch_known: bool,
    pub minor: &'a str,
    /// Blockers and warnings at this hop.
    pub attention: Vec<Attention>,
    /// Back up data, secrets and configuration at `from_version` before the hop (the plan
    /// asks for a backup before every hop, or the package changes the database during it).
    pub backup: bool,
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

/// The attention lines of a hop: known issues by id (one line per severity, details in the
/// known issues section), requirements in full.
fn attention_steps(attention: &[Attention]) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    for severity in [NoteSeverity::Blocker, NoteSeverity::Warning] {
        let ids: Vec<&str> = attention
            .iter()
            .filter(|a| a.severity == severity)
            .filter_map(|a| a.id.as_deref())
            .collect();
        if !ids.is_empty() {
            let mut step = RunbookStep::text(format!(
                "Handled before this hop (see Known issues): {}.",
                ids.join(", ")
            ));
            step.attention = Some(severity);
            steps.push(step);
        }
        for a in attention
            .iter()
            .filter(|a| a.severity == severity && a.id.is_none())
        {
            let mut step = RunbookStep::text(format!("Handled before this hop: {}", a.text));
            step.attention = Some(severity);
            steps.push(step);
        }
    }
    steps
}

/// Before the hop. The checks of the running version are the previous hop's post-checks (or
/// the start of the window), so only what is particular to this hop is here.
fn pre_checks(ctx: &Context, spec: &HopSpec<'_>, edition_label: &str) -> Vec<RunbookStep> {
    let mut pre = attention_steps(&spec.attention);
    if ctx.elasticsearch {
        pre.push(RunbookStep::cmd(
            "No advanced search migrations are pending.",
            ctx.rake("gitlab:elastic:list_pending_migrations"),
        ));
    }
    // The Linux package checks it in the install step.
    if matches!(
        ctx.method(),
        InstallMethod::EnvironmentToolkit | InstallMethod::Docker
    ) && let Some(cmd) = ctx.ctl(&format!("check-config --version={}", spec.minor))
    {
        pre.push(RunbookStep::cmd(
            format!(
                "No setting that {} removed is left (the package refuses to install otherwise).",
                spec.minor
            ),
            cmd,
        ));
    }
    if spec.backup {
        pre.extend(backup_steps(ctx, spec.from_version, edition_label));
    }
    pre
}

fn post_checks(ctx: &Context, spec: &HopSpec<'_>) -> Vec<RunbookStep> {
    let shown = if spec.patch_known {
        spec.version.to_string()
    } else {
        format!("the newest {} patch", spec.minor)
    };
    let mut text = format!(
        "GitLab reports {shown} (Admin > Help too); its checks pass (yes or OK); every migration is up"
    );
    let mut commands = Vec::new();
    if ctx.method() == InstallMethod::LinuxPackage {
        text = format!("Every service runs on each node (run:); {text}");
        commands.push("sudo gitlab-ctl status".to_string());
    }
    commands.extend([
        ctx.rake("gitlab:env:info"),
        ctx.rake("gitlab:check SANITIZE=true"),
        ctx.rake("db:migrate:status"),
    ]);
    if ctx.geo {
        text.push_str("; Geo checks pass on every site");
        commands.push(ctx.rake("gitlab:geo:check"));
    }
    text.push('.');
    let mut post = vec![RunbookStep::cmd(text, commands.join("\n")).routine(
        format!("Post-checks and the smoke test pass on {shown}."),
        false,
    )];
    let mut smoke = "Smoke test: sign in, open a project, an issue and a merge request, clone and push over HTTPS and SSH".to_string();
    if ctx.runners {
        smoke.push_str(", a pipeline runs on a runner");
    }
    if ctx.registry {
        smoke.push_str(", push and pull a container image");
    }
    smoke.push('.');
    // Printed with the post-checks' short line.
    post.push(RunbookStep::text(smoke).routine("", false));
    let last = spec.number == spec.total;
    post.push(migrations_wait(ctx, spec.version, last));
    post
}

/// The runbook of one hop.
pub fn hop(ctx: &Context, spec: &HopSpec<'_>, order: &[String], edition_label: &str) -> RunbookHop {
    RunbookHop {
        number: spec.number,
        from_version: spec.from_version.to_string(),
        version: if spec.patch_known {
            spec.version.to_string()
        } else {
            format!("{}.x", spec.minor)
        },
        pre_checks: pre_checks(ctx, spec, edition_label),
        install: install_steps(ctx, spec, order),
        post_checks: post_checks(ctx, spec),
        backup: spec.backup,
    }
}

/// Wait for the background migrations of the version just installed.
fn migrations_wait(ctx: &Context, version: &str, last: bool) -> RunbookStep {
    let mut step = background_migrations_check(ctx, "");
    step.text = format!(
        "Background migrations of {version} have finished before {} (hours are normal; do not stop GitLab): it prints 0.",
        if last {
            "the upgrade is called done"
        } else {
            "the next step"
        }
    );
    step.routine(
        format!(
            "Background migrations of {version} have finished (it prints 0) before {}.",
            if last {
                "calling it done"
            } else {
                "the next step"
            }
        ),
        false,
    )
}

/// The routine done the same way at every hop, written out once: what the short lines of
/// each hop stand for. The install's commands are not in it (each hop has its own package).
pub fn every_hop(ctx: &Context, order: &[String]) -> Vec<RunbookStep> {
    let spec = HopSpec {
        number: 1,
        total: 2,
        from_version: "the running version",
        version: "the new version",
        patch_known: true,
        minor: "its major.minor",
        attention: Vec::new(),
        backup: false,
    };
    install_steps(ctx, &spec, order)
        .into_iter()
        .chain(post_checks(ctx, &spec))
        .filter_map(|mut s| {
            let routine = s.routine.take()?;
            if routine.keep_command {
                s.command = None;
            }
            Some(s)
        })
        .collect()
}
