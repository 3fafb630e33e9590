//! Step 6: single or multi-node, node groups, and the components around GitLab.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::{GitalyMode, Node, NodeRole, PostgresMode, RedisMode, TopologyKind};
use crate::ui::widgets::{self, Form};

const REFERENCE_ARCHITECTURES: [(&str, &str); 8] = [
    ("1k", "Up to 20 RPS / 1,000 users (1k)"),
    ("2k", "Up to 40 RPS / 2,000 users (2k)"),
    ("3k", "Up to 60 RPS / 3,000 users (3k)"),
    ("5k", "Up to 100 RPS / 5,000 users (5k)"),
    ("10k", "Up to 200 RPS / 10,000 users (10k)"),
    ("25k", "Up to 500 RPS / 25,000 users (25k)"),
    ("50k", "Up to 1000 RPS / 50,000 users (50k)"),
    ("custom", "Custom / not a reference architecture"),
];

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let t = ctx.plan.topology.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "Single or multi-node",
        &mut t.kind,
        &[
            (
                TopologyKind::SingleNode,
                "Single node (everything on one server)",
            ),
            (TopologyKind::MultiNode, "Multi-node"),
        ],
        "topology.kind",
        "Choose",
    );
    if t.kind == Some(TopologyKind::MultiNode) {
        let mut ra: Option<usize> = t
            .reference_architecture
            .as_deref()
            .and_then(|r| REFERENCE_ARCHITECTURES.iter().position(|(id, _)| *id == r));
        let options: Vec<(usize, &str)> = REFERENCE_ARCHITECTURES
            .iter()
            .enumerate()
            .map(|(i, (_, l))| (i, *l))
            .collect();
        if form.choice(
            ui,
            "Reference architecture",
            &mut ra,
            &options,
            "topology.reference_architecture",
            "Choose the size",
        ) {
            t.reference_architecture = ra.map(|i| REFERENCE_ARCHITECTURES[i].0.to_string());
        }
        section(ui, "Node groups");
        form.show_findings(ui, "topology.nodes");
        let roles: Vec<(NodeRole, &str)> = NodeRole::ALL.iter().map(|r| (*r, r.label())).collect();
        let mut remove = None;
        for (i, node) in t.nodes.iter_mut().enumerate() {
            let n = i + 1;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    let mut role = Some(node.role);
                    ui.vertical(|ui| {
                        if form.choice(
                            ui,
                            &format!("Role of group {n}"),
                            &mut role,
                            &roles,
                            &format!("topology.nodes[{i}].role"),
                            "Role",
                        ) && let Some(r) = role
                        {
                            node.role = r;
                        }
                    });
                    ui.vertical(|ui| {
                        let l = ui.label(RichText::new(format!("Nodes in group {n}")).strong());
                        let r = ui
                            .add(egui::DragValue::new(&mut node.count).range(0..=999))
                            .labelled_by(l.id);
                        form.track(ui, &format!("topology.nodes[{i}].count"), &r);
                        form.show_findings(ui, &format!("topology.nodes[{i}].count"));
                    });
                });
                let mut hosts = if node.hosts.is_empty() {
                    None
                } else {
                    Some(node.hosts.join(", "))
                };
                if form.text_optional(
                    ui,
                    &format!("Host names of group {n}"),
                    &mut hosts,
                    &format!("topology.nodes[{i}].hosts"),
                    "optional, comma-separated",
                ) {
                    node.hosts = hosts
                        .unwrap_or_default()
                        .split([',', ' ', '\n'])
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_string)
                        .collect();
                }
                if ui.button(format!("Remove group {n}")).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            t.nodes.remove(i);
        }
        if ui.button("Add a node group").clicked() {
            let role = next_role(&t.nodes);
            t.nodes.push(Node::new(role, 1));
        }
        let total = t.total_nodes();
        widgets::help(
            ui,
            &format!("{total} node(s) in {} group(s).", t.nodes.len()),
        );
    }

    section(ui, "PostgreSQL");
    let pg = t.postgresql.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "How PostgreSQL runs",
        &mut pg.mode,
        &[
            (PostgresMode::Bundled, "Bundled with GitLab"),
            (PostgresMode::BundledHa, "Bundled, HA with Patroni"),
            (
                PostgresMode::External,
                "External or managed (RDS, Cloud SQL, …)",
            ),
        ],
        "topology.postgresql.mode",
        "Choose",
    );
    if pg.mode == Some(PostgresMode::External) {
        form.text_optional(
            ui,
            "PostgreSQL provider",
            &mut pg.provider,
            "topology.postgresql.provider",
            "e.g. aws_rds, gcp_cloud_sql, azure, self_managed",
        );
    }
    form.text_optional(
        ui,
        "PostgreSQL version",
        &mut pg.version,
        "topology.postgresql.version",
        "e.g. 16.4 (DB Version in gitlab:env:info)",
    );

    section(ui, "Redis");
    let redis = t.redis.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "How Redis runs",
        &mut redis.mode,
        &[
            (RedisMode::Bundled, "Bundled with GitLab"),
            (RedisMode::Sentinel, "Bundled, HA with Sentinel"),
            (
                RedisMode::External,
                "External or managed (ElastiCache, Memorystore, …)",
            ),
        ],
        "topology.redis.mode",
        "Choose",
    );
    form.text_optional(
        ui,
        "Redis version",
        &mut redis.version,
        "topology.redis.version",
        "e.g. 7.2",
    );

    section(ui, "Gitaly");
    let gitaly = t.gitaly.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "How Gitaly runs",
        &mut gitaly.mode,
        &[
            (GitalyMode::Bundled, "On the GitLab node"),
            (GitalyMode::Sharded, "External Gitaly node(s), sharded"),
            (GitalyMode::Cluster, "Gitaly Cluster with Praefect"),
        ],
        "topology.gitaly.mode",
        "Choose",
    );
    if !gitaly.storages.is_empty() {
        let list: Vec<String> = gitaly
            .storages
            .iter()
            .map(|s| format!("{} ({})", s.name, s.address.as_deref().unwrap_or("?")))
            .collect();
        widgets::help(ui, &format!("Storages: {}", list.join(", ")));
    }

    section(ui, "Other components");
    form.yes_no(ui, "PgBouncer", &mut t.pgbouncer, "topology.pgbouncer");
    form.yes_no(ui, "Consul", &mut t.consul, "topology.consul");
    form.yes_no(
        ui,
        "Load balancer in front of GitLab",
        &mut t.load_balancer,
        "topology.load_balancer",
    );
    form.yes_no(
        ui,
        "Object storage",
        &mut t.object_storage,
        "topology.object_storage",
    );
    form.yes_no(
        ui,
        "Elasticsearch or OpenSearch (advanced search)",
        &mut t.elasticsearch,
        "topology.elasticsearch",
    );
    form.yes_no(
        ui,
        "Container registry",
        &mut t.container_registry,
        "topology.container_registry",
    );
    form.yes_no(
        ui,
        "Bundled Mattermost",
        &mut t.mattermost,
        "topology.mattermost",
    );
    form.yes_no(ui, "GitLab Runners", &mut t.runners, "topology.runners");
    form.yes_no(ui, "LDAP sign-in", &mut t.ldap, "topology.ldap");
    form.yes_no(ui, "GitLab Duo", &mut t.gitlab_duo, "topology.gitlab_duo");
}

/// A sensible role for a new group: the first common role not listed yet.
fn next_role(nodes: &[Node]) -> NodeRole {
    NodeRole::ALL
        .iter()
        .copied()
        .find(|r| !nodes.iter().any(|n| n.role == *r))
        .unwrap_or(NodeRole::Other)
}
