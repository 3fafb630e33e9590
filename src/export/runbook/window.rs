//! The frame around the hops: preparation before the first window, the start and the end of
//! each window, and what follows the last one.

use super::*;

/// What the start of a window needs to know.
pub struct WindowStart<'a> {
    pub number: usize,
    /// The version GitLab runs when the window starts.
    pub version: &'a str,
    /// `Sun 13 Dec 2026 04:00`: the window's end less the rollback reserve.
    pub go_no_go: Option<&'a str>,
    pub rollback_hours: f64,
}

/// The start of a window: the go/no-go time, checks of the running version, and the backup
/// with its secrets that a rollback in this window returns to.
pub fn window_start(ctx: &Context, w: &WindowStart<'_>, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    let reserve = crate::export::hours(w.rollback_hours);
    steps.push(RunbookStep::text(match w.go_no_go {
        Some(t) => format!(
            "Go/no-go at {t}: whatever has not passed its checks by then is rolled back to the last backup (section 8 Rollback; this window's first is at {}), which leaves the {reserve} a rollback needs.",
            w.version
        ),
        None => format!(
            "Go/no-go: the window's end less the {reserve} a rollback needs (the window's start or length is not given). Whatever has not passed its checks by then is rolled back to the last backup (this window's first is at {}).",
            w.version
        ),
    }));
    steps.push(background_migrations_check(
        ctx,
        if w.number == 1 {
            "Background migrations of earlier upgrades have finished"
        } else {
            "Background migrations of the previous window have finished"
        },
    ));
    let mut checks = vec![
        ctx.rake("gitlab:check SANITIZE=true"),
        ctx.rake("gitlab:doctor:secrets"),
    ];
    let mut text = "GitLab's own checks pass (every line ends in yes or OK) and encrypted data can be decrypted with the current secrets (no failures reported)".to_string();
    if ctx.geo {
        text.push_str("; Geo is healthy on every site");
        checks.push(ctx.rake("gitlab:geo:check"));
    }
    text.push('.');
    steps.push(RunbookStep::cmd(text, checks.join("\n")));
    steps.extend(backup_steps(ctx, w.version, edition_label));
    if ctx.zero_downtime && ctx.method() == InstallMethod::LinuxPackage {
        steps.push(RunbookStep::cmd(
            "On every node: stop the package from reconfiguring on install (until the last window ends).",
            "sudo touch /etc/gitlab/skip-auto-reconfigure",
        ));
    }
    steps
}

/// The end of a window that another follows: what must happen in between.
pub fn window_end(version: &str, next: usize) -> Vec<RunbookStep> {
    vec![
        RunbookStep::text(format!(
            "Window {} ends on {version}. {}",
            next - 1,
            crate::timeline::windows::between(version)
        )),
        RunbookStep::text(format!(
            "Tell the users and GitLab Support (on the ticket) that window {} ended on {version} and when window {next} starts.",
            next - 1
        )),
    ]
}

/// Before the first window.
pub fn preparation(ctx: &Context, hop_versions: &[String], backups: usize) -> Vec<RunbookStep> {
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
    steps.push(RunbookStep::text(format!(
        "Enough free disk where the backups are written for the {} this runbook takes (or older ones removed once they are copied off).",
        if backups == 1 {
            "backup".to_string()
        } else {
            format!("{backups} backups")
        }
    )));
    steps.push(RunbookStep::text(if ctx.zero_downtime {
        "Users are told about the windows (zero-downtime: short slowdowns, no outage planned)."
    } else {
        "Users are told about the downtime of each window; CI/CD schedules and mirrors that would fail are paused."
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
