//! An OS upgrade under GitLab: at a GitLab version packaged for both releases, node by node,
//! then exactly the same GitLab version installed again from the new release's packages.

use super::*;
use crate::timeline::os_text;

/// The release upgrade itself, for the distribution.
fn upgrade_step(distribution: &str, version: &str, new: &str) -> RunbookStep {
    match distribution {
        "ubuntu" => RunbookStep::cmd(
            format!("Upgrade the release to {new} and reboot."),
            "sudo do-release-upgrade",
        ),
        "debian" | "raspberry_pi_os" => RunbookStep::cmd(
            format!(
                "Point the APT sources at {new}, upgrade every package and reboot."
            ),
            "sudo apt-get update && sudo apt-get full-upgrade",
        )
        .unverified(),
        "rhel" | "almalinux" | "rocky" | "oracle_linux" | "centos" => RunbookStep::cmd(
            format!(
                "Upgrade in place to {new} with Leapp (ELevate on rebuilds of RHEL), after its pre-upgrade report shows no blocker, and reboot."
            ),
            "sudo leapp preupgrade && sudo leapp upgrade && sudo reboot",
        )
        .unverified(),
        "sles" => RunbookStep::cmd(
            format!("Migrate to {new} and reboot."),
            "sudo zypper migration",
        )
        .unverified(),
        "opensuse_leap" => RunbookStep::cmd(
            format!("Upgrade the distribution to {new} and reboot."),
            format!("sudo zypper --releasever {version} dup"),
        )
        .unverified(),
        "amazon_linux" => RunbookStep::text(format!(
            "Amazon Linux has no in-place upgrade: build a new node on {new}, install the same GitLab version there and move the data with a backup and restore."
        )),
        _ => RunbookStep::text(format!(
            "Upgrade the node to {new} with the distribution's documented procedure and reboot."
        )),
    }
}

/// The script that adds GitLab's package repository for the release the node runs.
fn repository_command(ctx: &Context, tool: &PackageTool) -> String {
    let kind = match tool {
        PackageTool::Apt => "deb",
        PackageTool::Rpm { .. } | PackageTool::Zypper => "rpm",
    };
    format!(
        "curl -s https://packages.gitlab.com/install/repositories/gitlab/{}/script.{kind}.sh | sudo bash",
        ctx.package_name()
    )
}

/// The same GitLab version from the new release's repository.
fn reinstall_command(ctx: &Context, tool: &PackageTool, version: &str) -> String {
    let pkg = ctx.package_name();
    let ed = ctx.edition.id();
    match tool {
        PackageTool::Apt => format!("sudo apt-get install --reinstall {pkg}={version}-{ed}.0"),
        PackageTool::Rpm { tool, suffix } => {
            format!("sudo {tool} install {pkg}-{version}-{ed}.0.{suffix}")
        }
        PackageTool::Zypper => format!("sudo zypper install --force {pkg}={version}-{ed}.0"),
    }
}

pub(super) fn os(
    ctx: &Context,
    spec: &DependencySpec<'_>,
    edition_label: &str,
) -> Vec<RunbookGroup> {
    let s = spec.step;
    let v = spec.on_version;
    let (old, new) = (os_text(&s.from), os_text(&s.to));
    let (distribution, version) = s.to.split_once(':').unwrap_or((s.to.as_str(), ""));
    let tool = package_tool(distribution, version).unwrap_or(PackageTool::Apt);
    let mut before = vec![RunbookStep::text(format!(
        "GitLab {v} {edition_label} has packages for {new} as well as {old} (packages.gitlab.com): the same version goes back on after the upgrade."
    ))];
    if ctx.multi_node {
        before.push(RunbookStep::text(
            "One node at a time, in the node order: a node is down while its OS is upgraded, so services without high availability are unavailable meanwhile.",
        ));
    }
    before.push(RunbookStep::cmd(
        "Stop GitLab on the node.",
        "sudo gitlab-ctl stop",
    ));
    let upgrade = vec![upgrade_step(distribution, version, &new)];
    let mut reinstall = vec![
        RunbookStep::cmd(
            format!("Point GitLab's package repository at {new}."),
            repository_command(ctx, &tool),
        ),
        RunbookStep::cmd(
            format!("Install exactly GitLab {v} again, the package built for {new}."),
            reinstall_command(ctx, &tool, v),
        )
        .unverified(),
        RunbookStep::cmd(
            "Reconfigure; every service is running (each line starts with run:).",
            "sudo gitlab-ctl reconfigure && sudo gitlab-ctl status",
        ),
    ];
    if ctx.pg_mode != Some(PostgresMode::External) {
        reinstall.push(RunbookStep::text(
            "Where PostgreSQL runs on the node: a new release can sort text differently (glibc locale data); check the indexes and rebuild the affected ones as GitLab's page on upgrading the OS under PostgreSQL says.",
        ));
    }
    reinstall.extend(gitlab_side_checks(
        ctx,
        &format!("GitLab reports {v} on {new}."),
    ));
    vec![
        RunbookGroup::new("Before, on each node", before),
        RunbookGroup::new(format!("Upgrade to {new}"), upgrade),
        RunbookGroup::new(format!("Install GitLab {v} for {new}"), reinstall),
    ]
}
