//! The commands of a dependency step: PostgreSQL (bundled, with `gitlab-ctl pg-upgrade`; or
//! external, by its provider and then checked and reconfigured from GitLab's side), Redis, the
//! operating system (with the same GitLab version installed again for the new release) and the
//! configuration changes a new major refuses to start without.

use super::checks::gitlab_check;
use super::*;
use crate::timeline::support::major_of;
use crate::timeline::{Component, DependencyStep, Origin};

mod database;
mod os;

/// A labelled group of steps (`On the provider`, `On GitLab's side`, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookGroup {
    pub title: String,
    pub steps: Vec<RunbookStep>,
}

impl RunbookGroup {
    fn new(title: impl Into<String>, steps: Vec<RunbookStep>) -> RunbookGroup {
        RunbookGroup {
            title: title.into(),
            steps,
        }
    }
}

/// A dependency step of the runbook as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookDependency {
    /// `PostgreSQL 14.10 → 16 (newest 16.x)`.
    pub title: String,
    /// `PostgreSQL`, `Redis`, `Operating system`, `Configuration`.
    pub component: String,
    /// The GitLab version running while it is done.
    pub on_version: String,
    /// The GitLab minor it follows.
    pub after: String,
    /// Where it may go instead: `16.10 to 17.11`.
    pub range: String,
    /// `planned`, `proposed, not in the plan yet`, `done by the package`.
    pub origin: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// What happens, in a line: `backup first, GitLab stopped, upgrade by the provider, …`.
    pub summary: String,
    pub groups: Vec<RunbookGroup>,
}

/// What a dependency step needs to be written out.
pub struct DependencySpec<'a> {
    pub step: &'a DependencyStep,
    /// The GitLab version running while the step is done.
    pub on_version: &'a str,
    /// Back up at `on_version` first (a risky step that no backup at this version precedes).
    pub backup: bool,
    /// For a configuration change: the GitLab minor that refuses the old configuration.
    pub refused_from: Option<Minor>,
}

/// Whether a step changes data or the system under GitLab, so that a backup must come just
/// before it: an OS upgrade, a new PostgreSQL or Redis major. (A PostgreSQL upgrade that the
/// package does while it installs a hop is covered by a backup before that hop.)
pub fn is_risky(s: &DependencyStep) -> bool {
    match s.component {
        Component::Os => true,
        Component::Postgresql | Component::Redis => {
            s.origin != Origin::Automatic && major_of(&s.from) != major_of(&s.to)
        }
        Component::Config => false,
    }
}

/// `16` reads as "16 (the newest 16.x)"; `16.5` as itself.
fn target_text(to: &str) -> String {
    if to.contains('.') {
        to.to_string()
    } else {
        format!("{to} (the newest {to}.x)")
    }
}

/// The runbook of one dependency step.
pub fn dependency(
    ctx: &Context,
    spec: &DependencySpec<'_>,
    edition_label: &str,
) -> RunbookDependency {
    let s = spec.step;
    let mut groups = Vec::new();
    if spec.backup {
        groups.push(RunbookGroup::new(
            format!("Backup at {} first", spec.on_version),
            backup_steps(ctx, spec.on_version, edition_label),
        ));
    }
    groups.extend(match s.component {
        Component::Postgresql => database::postgresql(ctx, spec),
        Component::Redis => database::redis(ctx, spec),
        Component::Os => os::os(ctx, spec, edition_label),
        Component::Config => {
            return configuration(ctx, &[s], spec.on_version, spec.refused_from);
        }
    });
    RunbookDependency {
        title: s.title(),
        component: s.component.label().to_string(),
        on_version: spec.on_version.to_string(),
        after: s.after.to_string(),
        range: s.range_text(),
        origin: match s.origin {
            Origin::Planned => "planned",
            Origin::Proposed => "proposed, not in the plan yet",
            Origin::Automatic => "done by the package",
        }
        .to_string(),
        // A planned step's reason only says that it is planned.
        reason: if s.origin == Origin::Planned {
            String::new()
        } else {
            s.reason.clone()
        },
        doc_url: s.doc_url.clone(),
        summary: summary(ctx, spec),
        groups,
    }
}

/// What a step does, in a line.
fn summary(ctx: &Context, spec: &DependencySpec<'_>) -> String {
    let s = spec.step;
    let major = major_of(&s.to).map_or_else(|| s.to.clone(), |m| m.to_string());
    let what = match (s.component, s.origin, ctx.pg_mode) {
        (Component::Postgresql, Origin::Automatic, _) => {
            "done by the package during the hop; the version checked after it".to_string()
        }
        (Component::Postgresql, _, Some(PostgresMode::External)) => {
            if major_of(&s.from) == major_of(&s.to) {
                "GitLab stopped, minor upgrade by the provider, GitLab started and checked"
                    .to_string()
            } else {
                "GitLab stopped, upgrade by the provider, statistics rebuilt (ANALYZE), GitLab started and checked".to_string()
            }
        }
        (Component::Postgresql, _, Some(PostgresMode::BundledHa)) => format!(
            "the Patroni leader, then each replica, with gitlab-ctl pg-upgrade -V {major}; checks"
        ),
        (Component::Postgresql, _, _) => {
            format!("disk space checked, gitlab-ctl pg-upgrade -V {major}, checks")
        }
        (Component::Redis, _, _) => {
            "upgrade by the provider, Puma and Sidekiq restarted, checks".to_string()
        }
        (Component::Os, _, _) => format!(
            "node by node: {} upgraded, GitLab {} installed again for it, checks",
            crate::timeline::os_text(&s.to),
            spec.on_version
        ),
        (Component::Config, _, _) => {
            "copy of gitlab.rb, the change, reconfigure, configuration check".to_string()
        }
    };
    if spec.backup {
        format!("backup and secrets at {} first, {what}", spec.on_version)
    } else {
        what
    }
}

/// Stop what uses the database and Redis (Puma and Sidekiq), for the method.
fn stop_application(ctx: &Context) -> RunbookStep {
    let on = if ctx.multi_node {
        " on every Rails and Sidekiq node"
    } else {
        ""
    };
    match ctx.method() {
        InstallMethod::HelmChart | InstallMethod::Operator => RunbookStep::cmd(
            "Stop the webservice and Sidekiq pods (GitLab is down until they are scaled up again).",
            "kubectl scale deployment -l 'app in (webservice,sidekiq),release=gitlab' --replicas=0",
        )
        .unverified(),
        InstallMethod::SelfCompiled => RunbookStep::cmd(
            "Stop GitLab (it is down until started again).",
            "sudo service gitlab stop",
        ),
        _ => RunbookStep::cmd(
            format!("Stop Puma and Sidekiq{on} (GitLab is down until they start again)."),
            ctx.ctl("stop puma")
                .zip(ctx.ctl("stop sidekiq"))
                .map_or_else(String::new, |(a, b)| format!("{a} && {b}")),
        ),
    }
}

/// Start Puma and Sidekiq again.
fn start_application(ctx: &Context) -> RunbookStep {
    let on = if ctx.multi_node {
        " on every Rails and Sidekiq node"
    } else {
        ""
    };
    match ctx.method() {
        InstallMethod::HelmChart | InstallMethod::Operator => RunbookStep::text(
            "Scale the webservice and Sidekiq deployments back to their replica counts (or run helm upgrade with the same chart version and values).",
        ),
        InstallMethod::SelfCompiled => {
            RunbookStep::cmd("Start GitLab.", "sudo service gitlab start")
        }
        _ => RunbookStep::cmd(
            format!("Start Puma and Sidekiq{on}."),
            ctx.ctl("start puma")
                .zip(ctx.ctl("start sidekiq"))
                .map_or_else(String::new, |(a, b)| format!("{a} && {b}")),
        ),
    }
}

/// The configuration changes that follow the same GitLab version and that the same major
/// refuses: one copy of gitlab.rb, the changes, one reconfigure and one check.
pub fn configuration(
    ctx: &Context,
    changes: &[&DependencyStep],
    on_version: &str,
    refused_from: Option<Minor>,
) -> RunbookDependency {
    let every = if ctx.multi_node { " on every node" } else { "" };
    let mut steps = Vec::new();
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            steps.push(RunbookStep::cmd(
                format!("Keep a copy of gitlab.rb{every}."),
                format!("sudo cp /etc/gitlab/gitlab.rb /etc/gitlab/gitlab.rb.before-{on_version}"),
            ));
        }
        _ => steps.push(RunbookStep::text(format!(
            "Keep a copy of gitlab.rb (in the configuration volume){every}."
        ))),
    }
    for s in changes {
        let what = crate::timeline::config::title(&s.to);
        let mut step = RunbookStep::text(if s.origin == Origin::Proposed {
            format!("Where gitlab.rb still needs it{every}: {what}.")
        } else {
            format!("{what}{every}.")
        });
        if let Some(u) = &s.doc_url {
            step.text.push_str(&format!(" See {}", primary(u)));
        }
        steps.push(step);
    }
    if let Some(cmd) = ctx.ctl("reconfigure") {
        steps.push(RunbookStep::cmd(
            format!("Apply the changes{every}: reconfigure succeeds."),
            cmd,
        ));
    }
    if let Some(b) = refused_from
        && let Some(cmd) = ctx.ctl(&format!("check-config --version={b}"))
    {
        steps.push(RunbookStep::cmd(
            format!("Nothing that GitLab {b} refuses is left in the configuration."),
            cmd,
        ));
    }
    let first = changes.first();
    let refused =
        refused_from.map_or_else(|| "a later major".to_string(), |b| format!("GitLab {b}"));
    RunbookDependency {
        title: if changes.len() == 1 {
            first.map(|s| s.title()).unwrap_or_default()
        } else {
            format!(
                "Configuration that {refused} refuses ({} changes)",
                changes.len()
            )
        },
        component: Component::Config.label().to_string(),
        on_version: on_version.to_string(),
        after: first.map(|s| s.after.to_string()).unwrap_or_default(),
        range: first.map(|s| s.range_text()).unwrap_or_default(),
        origin: if changes.iter().all(|s| s.origin == Origin::Proposed) {
            "proposed, not in the plan yet"
        } else {
            "planned"
        }
        .to_string(),
        reason: format!("{refused} refuses the old configuration."),
        doc_url: None,
        summary: format!(
            "copy of gitlab.rb, the {}, reconfigure, configuration check",
            if changes.len() == 1 {
                "change"
            } else {
                "changes"
            }
        ),
        groups: vec![RunbookGroup::new("Change the configuration", steps)],
    }
}

/// The first URL of a documentation reference.
fn primary(u: &str) -> &str {
    crate::export::primary_url(u)
}

/// Checks from GitLab's side after a database or OS change: the version GitLab sees, its own
/// checks and the secrets.
fn gitlab_side_checks(ctx: &Context, what: &str) -> Vec<RunbookStep> {
    vec![RunbookStep::cmd(
        format!(
            "{what} Its own checks pass (every line ends in yes or OK) and encrypted data can be decrypted (no failures reported)."
        ),
        [
            ctx.rake("gitlab:env:info"),
            ctx.rake("gitlab:check SANITIZE=true"),
            ctx.rake("gitlab:doctor:secrets"),
        ]
        .join("\n"),
    )]
}
