//! The environment part of the export model: installation, operating system, node groups and
//! the components around GitLab, in the words every export shows. A value a closed list of
//! this version does not know reads `other: <value>`.

use super::build::{text, yes_no};
use super::{EnvironmentInfo, NodeRow};
use crate::knowledge::Knowledge;
use crate::plan::{
    Arch, Edition, GitalyMode, InstallMethod, NodeRole, OBJECT_STORAGE_PROVIDERS, Os,
    POSTGRES_PROVIDERS, Plan, PostgresMode, RedisMode, SEARCH_ENGINES, Topology, TopologyKind,
    option_label,
};

/// `Ubuntu 22.04 (jammy), x86_64`: the OS as the data names it, with the architecture.
fn os_label(k: &Knowledge, os: &Os) -> Option<String> {
    let dist = text(&os.distribution)?;
    let ver = text(&os.version).unwrap_or_default();
    let name = match k.os_entry(&dist, &ver) {
        Some(e) => e.display_name(),
        None => {
            let n = k
                .distributions()
                .into_iter()
                .find(|(id, _)| *id == dist)
                .map_or(dist.clone(), |(_, n)| n.to_string());
            format!("{n} {ver}").trim().to_string()
        }
    };
    Some(match &os.arch {
        Some(a) => format!("{name}, {}", a.shown(Arch::id)),
        None => name,
    })
}

pub(super) fn environment_info(plan: &Plan, k: &Knowledge) -> EnvironmentInfo {
    let t = plan.topology.clone().unwrap_or_default();
    let install = plan.install.clone().unwrap_or_default();
    EnvironmentInfo {
        install_method: install
            .method
            .as_ref()
            .map(|m| m.shown(InstallMethod::label)),
        install_details: install_details(&install),
        edition: plan
            .versions
            .as_ref()
            .and_then(|v| v.edition.as_ref())
            .map(|e| e.shown(Edition::label)),
        os: plan.os.as_ref().and_then(|o| os_label(k, o)),
        topology: t.kind.as_ref().map(|k| {
            k.shown(|k| match k {
                TopologyKind::SingleNode => "Single node",
                TopologyKind::MultiNode => "Multi-node",
            })
        }),
        reference_architecture: text(&t.reference_architecture),
        total_nodes: t.total_nodes(),
        nodes: node_rows(&t, k),
        components: components(&t),
    }
}

/// The method-specific details, and the method it changes to (when it does).
fn install_details(install: &crate::plan::Install) -> Vec<(String, String)> {
    let mut details = Vec::new();
    if let Some(target) = install
        .target_method
        .as_ref()
        .filter(|m| Some(*m) != install.method.as_ref())
    {
        details.push((
            "Changing to".to_string(),
            target.shown(InstallMethod::label),
        ));
    }
    if let Some(c) = text(&install.chart_version) {
        details.push(("Helm chart now".to_string(), c));
    }
    if let Some(i) = text(&install.docker_image) {
        details.push(("Docker image now".to_string(), i));
    }
    if let Some(c) = text(&install.container_name) {
        details.push(("Container".to_string(), c));
    }
    details
}

fn node_rows(t: &Topology, k: &Knowledge) -> Vec<NodeRow> {
    t.nodes
        .iter()
        .map(|n| NodeRow {
            role: n.role.shown(NodeRole::label),
            count: n.count,
            also: n
                .additional_roles
                .iter()
                .map(|r| r.shown(NodeRole::label))
                .collect(),
            hosts: n.hosts.clone(),
            os: n.os.as_ref().and_then(|o| os_label(k, o)),
            notes: text(&n.notes),
        })
        .collect()
}

/// The components table: PostgreSQL, Redis and Gitaly always, the others when answered.
fn components(t: &Topology) -> Vec<(String, String)> {
    let mut components = data_components(t);
    for (label, value, detail) in [
        ("PgBouncer", t.pgbouncer, None),
        ("Consul", t.consul, None),
        ("Load balancer", t.load_balancer, None),
        (
            "Object storage",
            t.object_storage,
            text(&t.object_storage_provider).map(|p| option_label(&OBJECT_STORAGE_PROVIDERS, &p)),
        ),
        (
            "Elasticsearch/OpenSearch",
            t.elasticsearch,
            search_detail(t),
        ),
        ("Container registry", t.container_registry, None),
        ("Bundled Mattermost", t.mattermost, None),
        ("GitLab Runner", t.runners, None),
        ("LDAP", t.ldap, None),
        ("GitLab Duo", t.gitlab_duo, None),
        ("ClickHouse", t.clickhouse, None),
    ] {
        if value.is_some() {
            let mut v = yes_no(value);
            if let Some(d) = detail.filter(|_| value == Some(true)) {
                v.push_str(", ");
                v.push_str(&d);
            }
            components.push((label.to_string(), v));
        }
    }
    for c in &mut components {
        if c.1.is_empty() {
            c.1 = "not answered".into();
        }
    }
    components
}

/// PostgreSQL, Redis and Gitaly: how each runs, its provider or storages, its version.
fn data_components(t: &Topology) -> Vec<(String, String)> {
    let joined =
        |parts: Vec<Option<String>>| parts.into_iter().flatten().collect::<Vec<_>>().join(", ");
    let pg = t.postgresql.clone().unwrap_or_default();
    let pg_mode = pg.mode.as_ref().map(|m| {
        m.shown(|m| match m {
            PostgresMode::Bundled => "bundled",
            PostgresMode::BundledHa => "bundled, Patroni HA",
            PostgresMode::External => "external",
        })
    });
    let redis = t.redis.clone().unwrap_or_default();
    let redis_mode = redis.mode.as_ref().map(|m| {
        m.shown(|m| match m {
            RedisMode::Bundled => "bundled",
            RedisMode::Sentinel => "Sentinel HA",
            RedisMode::External => "external",
        })
    });
    let gitaly = t.gitaly.clone().unwrap_or_default();
    let gitaly_mode = gitaly.mode.as_ref().map(|m| {
        m.shown(|m| match m {
            GitalyMode::Bundled => "bundled",
            GitalyMode::Sharded => "external, sharded",
            GitalyMode::Cluster => "Gitaly Cluster (Praefect)",
        })
    });
    let storages = (!gitaly.storages.is_empty()).then(|| {
        let names: Vec<String> = gitaly.storages.iter().map(|s| s.describe()).collect();
        format!("storages: {}", names.join(", "))
    });
    vec![
        (
            "PostgreSQL".to_string(),
            joined(vec![
                pg_mode,
                text(&pg.provider).map(|p| option_label(&POSTGRES_PROVIDERS, &p)),
                text(&pg.version).map(|v| format!("version {v}")),
            ]),
        ),
        (
            "Redis".to_string(),
            joined(vec![
                redis_mode,
                text(&redis.version).map(|v| format!("version {v}")),
            ]),
        ),
        (
            "Gitaly".to_string(),
            [gitaly_mode, storages]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]
}

fn search_detail(t: &Topology) -> Option<String> {
    let engine = text(&t.search_engine).map(|e| option_label(&SEARCH_ENGINES, &e));
    match (engine, text(&t.search_version)) {
        (Some(e), Some(v)) => Some(format!("{e} {v}")),
        (Some(e), None) => Some(e),
        (None, Some(v)) => Some(format!("version {v}")),
        (None, None) => None,
    }
}
