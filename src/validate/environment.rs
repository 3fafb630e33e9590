//! Installation, operating system and topology: packages per hop, PostgreSQL and Redis
//! minimums, zero-downtime eligibility.

use super::*;
use crate::plan::{GitalyMode, NodeRole, OpenAnswer};

pub(super) fn check_install(plan: &Plan, out: &mut Out) {
    let install = plan.install.clone().unwrap_or_default();
    if install.method.is_none() {
        out.error(
            "required",
            "install.method",
            "Choose how GitLab is installed.",
        );
    }
    // A method this version does not know is an answer (see `check_kept_values`), but nothing
    // can be said about it.
    let Some(method) = install.method.known() else {
        return;
    };
    if let Some(target) = install.target_method.known().filter(|t| *t != method) {
        out.push_doc(
            Severity::Warning,
            "method_change",
            "install.target_method",
            format!(
                "Moving from {} to {} is outside the scope of Upgrade Assistance; do it as a separate migration.",
                method.label(),
                target.label()
            ),
            Some(UA_DOC),
        );
    }
    if matches!(method, InstallMethod::HelmChart | InstallMethod::Operator) {
        out.info(
            "helm_rollback",
            "install.method",
            "GitLab's rollback page covers the Linux package and Docker only; for Kubernetes, restore with backup-utility and the saved Kubernetes secrets and values.",
        );
    }
}

pub(super) fn check_os(plan: &Plan, k: &Knowledge, p: Option<&UpgradePath>, out: &mut Out) {
    let method = plan.method();
    let needs_os = method.is_none_or(InstallMethod::uses_os_packages);
    let os = plan.os.clone().unwrap_or_default();
    check_one_os(&os, "os", needs_os, plan, k, p, out);
    if let Some(t) = &plan.topology {
        for (i, node) in t.nodes.iter().enumerate() {
            if let Some(nos) = &node.os {
                check_one_os(
                    nos,
                    &format!("topology.nodes[{i}].os"),
                    needs_os,
                    plan,
                    k,
                    p,
                    out,
                );
            }
        }
    }
}

pub(super) fn check_one_os(
    os: &Os,
    field: &str,
    needs_os: bool,
    plan: &Plan,
    k: &Knowledge,
    p: Option<&UpgradePath>,
    out: &mut Out,
) {
    let (Some(dist), Some(ver)) = (text(&os.distribution), text(&os.version)) else {
        if needs_os && field == "os" {
            out.error(
                "required",
                "os.version",
                "Choose the nodes' operating system and version: Linux packages exist only for supported systems.",
            );
        }
        return;
    };
    let Some(entry) = k.os_entry(dist, ver) else {
        if needs_os {
            out.warn(
                "os_unknown",
                &format!("{field}.version"),
                format!("{dist} {ver} is not in the OS data; check that GitLab publishes packages for it."),
            );
        }
        return;
    };
    if !needs_os {
        return;
    }
    if let Some(arch) = os.arch.known()
        && !entry.architectures.is_empty()
        && !entry.architectures.iter().any(|a| a == arch.id())
    {
        out.error(
            "os_arch",
            &format!("{field}.arch"),
            format!(
                "GitLab publishes {} packages only for {}.",
                entry.display_name(),
                entry.architectures.join(", ")
            ),
        );
    }
    if let Some(edition) = plan.versions.as_ref().and_then(|v| v.edition.known())
        && !entry.editions.iter().any(|e| e == edition.id())
    {
        out.error(
            "os_edition",
            &format!("{field}.distribution"),
            format!(
                "{} packages exist only for {}.",
                entry.display_name(),
                entry.editions.join(", ").to_uppercase()
            ),
        );
    }
    let Some(p) = p else {
        return;
    };
    // The nodes' OS: packages at every hop, and an OS upgrade the plan schedules, are the
    // timeline's check; an OS whose end of packages is UNVERIFIED is only a warning here.
    let main_os = field == "os";
    for hop in &p.hops {
        let minor = hop.minor();
        match os_support(entry, minor) {
            OsSupport::Ended {
                last,
                verified: true,
            } if !main_os => {
                out.push_doc(
                    Severity::Error,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} has no GitLab packages after {last}: the hop to {} cannot be installed on it. Move the nodes to a supported OS while on {last}, then continue.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            OsSupport::Ended {
                last,
                verified: false,
            } => {
                out.push_doc(
                    Severity::Warning,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} may have no GitLab packages after {last} (UNVERIFIED: sources disagree), and the path goes to {}. Check packages.gitlab.com before the window.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            OsSupport::TooEarly { first } if !main_os => {
                out.push_doc(
                    Severity::Error,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} packages start with GitLab {first}: the hop to {} cannot be installed on it.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            _ => {}
        }
    }
    if entry.status == "ending" {
        out.warn(
            "os_ending",
            &format!("{field}.version"),
            format!(
                "GitLab packages for {} are ending{}. Plan the move to a supported OS.",
                entry.display_name(),
                entry
                    .last_gitlab
                    .as_deref()
                    .map(|l| format!(" (last announced: {l}, UNVERIFIED)"))
                    .unwrap_or_default()
            ),
        );
    }
}

// ------------------------------------------------------------------ topology

pub(super) fn check_topology(plan: &Plan, p: Option<&UpgradePath>, out: &mut Out) {
    let t = plan.topology.clone().unwrap_or_default();
    let method = plan.method();
    match t.kind.known() {
        None if t.kind.is_none() => out.error(
            "required",
            "topology.kind",
            "Choose single-node or multi-node.",
        ),
        Some(TopologyKind::MultiNode) if t.nodes.is_empty() => out.error(
            "nodes_missing",
            "topology.nodes",
            "List the node groups of the multi-node installation (role and count).",
        ),
        _ => {}
    }
    for (i, n) in t.nodes.iter().enumerate() {
        if n.count == 0 {
            out.error(
                "node_count",
                &format!("topology.nodes[{i}].count"),
                "A node group needs at least one node.",
            );
        }
        if n.hosts.len() > n.count as usize {
            out.warn(
                "node_hosts",
                &format!("topology.nodes[{i}].hosts"),
                format!(
                    "{} host names are listed for {} node(s).",
                    n.hosts.len(),
                    n.count
                ),
            );
        }
    }
    let pg = t.postgresql.clone().unwrap_or_default();
    if pg.mode.is_none() {
        out.warn(
            "pg_mode",
            "topology.postgresql.mode",
            "Say how PostgreSQL runs (bundled, Patroni HA or external).",
        );
    }
    if pg.mode.known() == Some(PostgresMode::External) && text(&pg.version).is_none() {
        out.error(
            "pg_version_missing",
            "topology.postgresql.version",
            "Enter the version of the external PostgreSQL: GitLab needs a minimum version for each major.",
        );
    }
    // Whether PostgreSQL and Redis fit every hop (minimum and maximum) is the timeline's
    // check, with the upgrades the plan schedules between hops.
    if t.mattermost == Some(true)
        && let Some(p) = p
        && p.hops.iter().any(|h| h.semver.major >= 19)
        && method.is_none_or(|m| m.uses_os_packages() || m == InstallMethod::Docker)
    {
        out.push_doc(
                    Severity::Error,
                    "mattermost_19",
                    "topology.mattermost",
                    "Bundled Mattermost is removed in GitLab 19.0: migrate it to a standalone Mattermost and remove every mattermost[...] setting from gitlab.rb before the 19.x hop.",
                    Some("https://docs.gitlab.com/update/versions/gitlab_19_changes/#mattermost-removed-from-the-linux-package"),
                );
    }
    check_components(&t, out);
    if plan.zero_downtime == Some(true) {
        check_zero_downtime(plan, &t, out);
    }
}

/// What a plan needs to say about the components it uses: how many nodes run them (multi-node),
/// who provides the external services, which search engine and version.
fn check_components(t: &crate::plan::Topology, out: &mut Out) {
    if t.kind.known() == Some(TopologyKind::MultiNode) {
        let counts = [
            (
                t.pgbouncer == Some(true),
                t.count_role(NodeRole::Pgbouncer),
                "topology.pgbouncer.nodes",
                "PgBouncer",
            ),
            (
                t.consul == Some(true),
                t.count_role(NodeRole::Consul),
                "topology.consul.nodes",
                "Consul",
            ),
            (
                t.redis_mode() == Some(RedisMode::Sentinel),
                t.count_role(NodeRole::Redis),
                "topology.redis.nodes",
                "Redis",
            ),
            (
                t.pg_mode() == Some(PostgresMode::BundledHa),
                t.count_role(NodeRole::Postgresql),
                "topology.postgresql.nodes",
                "PostgreSQL",
            ),
            (
                matches!(
                    t.gitaly_mode(),
                    Some(GitalyMode::Sharded | GitalyMode::Cluster)
                ),
                t.count_role(NodeRole::Gitaly),
                "topology.gitaly.nodes",
                "Gitaly",
            ),
            (
                t.gitaly_mode() == Some(GitalyMode::Cluster),
                t.count_role(NodeRole::Praefect),
                "topology.gitaly.praefect_nodes",
                "Praefect",
            ),
        ];
        for (used, count, field, name) in counts {
            if used && count == 0 {
                out.warn(
                    "component_nodes",
                    field,
                    format!(
                        "Say how many {name} nodes there are: the node order of every hop and the diagram depend on it."
                    ),
                );
            }
        }
    }
    let pg = t.postgresql.clone().unwrap_or_default();
    if pg.mode.known() == Some(PostgresMode::External) && text(&pg.provider).is_none() {
        out.warn(
            "pg_provider",
            "topology.postgresql.provider",
            "Say who runs the external PostgreSQL (a managed service upgrades on its own schedule and tools).",
        );
    }
    if t.object_storage == Some(true) && text(&t.object_storage_provider).is_none() {
        out.warn(
            "object_storage_provider",
            "topology.object_storage_provider",
            "Say which object storage is used: how it is backed up and restored depends on it.",
        );
    }
    if t.elasticsearch == Some(true) {
        if text(&t.search_engine).is_none() {
            out.warn(
                "search_engine",
                "topology.search_engine",
                "Say whether advanced search runs on Elasticsearch or OpenSearch.",
            );
        }
        if text(&t.search_version).is_none() {
            out.warn(
                "search_version",
                "topology.search_version",
                "Enter the search engine's version: each GitLab version supports a range of Elasticsearch and OpenSearch versions, and some known issues depend on it.",
            );
        }
    }
}

pub(super) fn check_zero_downtime(plan: &Plan, t: &crate::plan::Topology, out: &mut Out) {
    let method = plan.method();
    if t.kind.known() == Some(TopologyKind::SingleNode) {
        out.push_doc(
            Severity::Error,
            "zdu_ineligible",
            "zero_downtime",
            "Zero-downtime upgrades need a multi-node installation; a single node always has downtime.",
            Some(ZDU_DOC),
        );
        return;
    }
    if let Some(m) = method
        && !matches!(
            m,
            InstallMethod::LinuxPackage
                | InstallMethod::EnvironmentToolkit
                | InstallMethod::Operator
        )
    {
        out.push_doc(
                Severity::Error,
                "zdu_ineligible",
                "zero_downtime",
                format!(
                    "Zero-downtime upgrades are documented for multi-node Linux package installations (and the GitLab Operator), not for {}.",
                    m.label()
                ),
                Some(ZDU_DOC),
            );
        return;
    }
    let mut non_ha = Vec::new();
    if !matches!(
        t.pg_mode(),
        Some(PostgresMode::BundledHa | PostgresMode::External)
    ) {
        non_ha.push("PostgreSQL (Patroni)");
    }
    if !matches!(
        t.redis_mode(),
        Some(RedisMode::Sentinel | RedisMode::External)
    ) {
        non_ha.push("Redis (Sentinel)");
    }
    if t.consul != Some(true) && t.pg_mode() == Some(PostgresMode::BundledHa) {
        non_ha.push("Consul");
    }
    if t.load_balancer != Some(true) {
        non_ha.push("a load balancer in front of the Rails nodes");
    }
    if !non_ha.is_empty() {
        out.push_doc(
            Severity::Warning,
            "zdu_components",
            "zero_downtime",
            format!(
                "Zero-downtime upgrades need HA for every component; without {} those parts are upgraded with downtime.",
                non_ha.join(", ")
            ),
            Some(ZDU_DOC),
        );
    }
}
