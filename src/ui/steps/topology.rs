//! Step 6: single or multi-node, node groups, and the components around GitLab.

use egui::Ui;

use super::{StepCtx, section};
use crate::plan::{
    GitalyMode, Node, NodeRole, OBJECT_STORAGE_PROVIDERS, OpenAnswer, POSTGRES_PROVIDERS,
    PostgresMode, RedisMode, SEARCH_ENGINES, Topology, TopologyKind,
};
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
    let mattermost_matters = mattermost_matters(ctx);
    let t = ctx.plan.topology.get_or_insert_with(Default::default);
    form.field("topology.kind").required().open_radio(
        ui,
        &mut t.kind,
        &[
            (
                TopologyKind::SingleNode,
                "Single node (everything on one server)",
            ),
            (TopologyKind::MultiNode, "Multi-node"),
        ],
    );
    let multi = t.kind.known() == Some(TopologyKind::MultiNode);
    if multi {
        reference_architecture(ui, form, t);
        node_groups(ui, form, t);
    }
    postgresql(ui, form, t, multi);
    redis(ui, form, t, multi);
    gitaly(ui, form, t, multi);
    other_components(ui, form, t, multi);
    if mattermost_matters || t.mattermost.is_some() {
        form.field("topology.mattermost")
            .yes_no(ui, &mut t.mattermost);
        if mattermost_matters {
            widgets::help(
                ui,
                "Bundled Mattermost is removed from the Linux package in GitLab 19.0, which your path reaches.",
            );
        }
    }
}

/// Bundled Mattermost only matters to a Linux package (or Docker) installation whose path
/// reaches 19.0, where it is removed.
fn mattermost_matters(ctx: &StepCtx<'_>) -> bool {
    let packaged = ctx
        .plan
        .method()
        .is_none_or(|m| m.uses_os_packages() || m == crate::plan::InstallMethod::Docker);
    let reaches_19 = ctx
        .analysis
        .path
        .as_ref()
        .is_some_and(|p| p.hops.iter().any(|h| h.semver.major >= 19));
    packaged && reaches_19
}

fn reference_architecture(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology) {
    let mut ra: Option<usize> = t
        .reference_architecture
        .as_deref()
        .and_then(|r| REFERENCE_ARCHITECTURES.iter().position(|(id, _)| *id == r));
    let options: Vec<(usize, &str)> = REFERENCE_ARCHITECTURES
        .iter()
        .enumerate()
        .map(|(i, (_, l))| (i, *l))
        .collect();
    if form
        .field("topology.reference_architecture")
        .hint("Choose the size")
        .choice(ui, &mut ra, &options)
    {
        t.reference_architecture = ra.map(|i| REFERENCE_ARCHITECTURES[i].0.to_string());
    }
}

fn node_groups(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology) {
    section(ui, "Node groups");
    form.show_findings(ui, "topology.nodes");
    let roles: Vec<(NodeRole, &str)> = NodeRole::ALL.iter().map(|r| (*r, r.label())).collect();
    let mut remove = None;
    for (i, node) in t.nodes.iter_mut().enumerate() {
        let n = i + 1;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            // One under the other: side by side they ran off a narrow or zoomed window.
            let mut role = Some(node.role.clone());
            if form
                .field(&format!("topology.nodes[{i}].role"))
                .required()
                .open_choice(ui, &mut role, &roles)
                && let Some(r) = role
            {
                node.role = r;
            }
            let mut count = Some(node.count);
            if form
                .field(&format!("topology.nodes[{i}].count"))
                .required()
                .count(ui, &mut count)
            {
                node.count = count.unwrap_or(0);
            }
            form.field(&format!("topology.nodes[{i}].hosts"))
                .hint("optional, comma-separated")
                .list(ui, &mut node.hosts);
            if ui.button(format!("Remove group {n}")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        t.nodes.remove(i);
        // The inputs below now show other groups: nothing typed may move with them.
        form.drafts.clear();
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

/// The number of nodes of a component, kept in the node group with that main role (added
/// when the user types a count, removed when they clear it).
fn role_count(
    ui: &mut Ui,
    form: &mut Form<'_>,
    t: &mut Topology,
    field: &str,
    role: NodeRole,
    also: &[NodeRole],
) {
    let (count, groups) = t.main_role_count(role);
    if groups > 1 {
        let label = form.label_of(field);
        widgets::help(
            ui,
            &format!("{label}: {count} in {groups} node groups (change them under Node groups)."),
        );
        form.show_findings(ui, field);
        return;
    }
    let mut value = (groups == 1).then_some(count);
    if form.field(field).hint("e.g. 3").count(ui, &mut value) {
        t.set_main_role_count(role, value, also);
    }
}

fn postgresql(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology, multi: bool) {
    section(ui, "PostgreSQL");
    let pg = t.postgresql.get_or_insert_with(Default::default);
    form.field("topology.postgresql.mode").open_radio(
        ui,
        &mut pg.mode,
        &[
            (PostgresMode::Bundled, "Bundled with GitLab"),
            (PostgresMode::BundledHa, "Bundled, HA with Patroni"),
            (
                PostgresMode::External,
                "External or managed (RDS, Cloud SQL, …)",
            ),
        ],
    );
    if pg.mode.known() == Some(PostgresMode::External) {
        provider(ui, form, &mut pg.provider);
    }
    let mode = pg.mode.known();
    form.field("topology.postgresql.version")
        .hint("e.g. 16.4 (DB Version in gitlab:env:info)")
        .text(ui, &mut pg.version);
    if multi && mode == Some(PostgresMode::BundledHa) {
        role_count(
            ui,
            form,
            t,
            "topology.postgresql.nodes",
            NodeRole::Postgresql,
            &[],
        );
    }
}

/// The provider of an external PostgreSQL: a list, keeping a value the list does not know.
fn provider(ui: &mut Ui, form: &mut Form<'_>, value: &mut Option<String>) {
    let mut options: Vec<(usize, String)> = POSTGRES_PROVIDERS
        .iter()
        .enumerate()
        .map(|(i, (_, l))| (i, (*l).to_string()))
        .collect();
    let unknown = value
        .as_deref()
        .filter(|v| !POSTGRES_PROVIDERS.iter().any(|(id, _)| id == v))
        .map(str::to_string);
    if let Some(u) = &unknown {
        options.push((options.len(), format!("As written: {u}")));
    }
    let mut choice = match (&unknown, value.as_deref()) {
        (Some(_), _) => Some(options.len() - 1),
        (None, Some(v)) => POSTGRES_PROVIDERS.iter().position(|(id, _)| *id == v),
        (None, None) => None,
    };
    let refs: Vec<(usize, &str)> = options.iter().map(|(i, l)| (*i, l.as_str())).collect();
    if form
        .field("topology.postgresql.provider")
        .hint("Choose who runs it")
        .choice(ui, &mut choice, &refs)
    {
        *value = match choice {
            Some(i) if i < POSTGRES_PROVIDERS.len() => Some(POSTGRES_PROVIDERS[i].0.to_string()),
            Some(_) => unknown,
            None => None,
        };
    }
}

fn redis(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology, multi: bool) {
    section(ui, "Redis");
    let redis = t.redis.get_or_insert_with(Default::default);
    form.field("topology.redis.mode").open_radio(
        ui,
        &mut redis.mode,
        &[
            (RedisMode::Bundled, "Bundled with GitLab"),
            (RedisMode::Sentinel, "Bundled, HA with Sentinel"),
            (
                RedisMode::External,
                "External or managed (ElastiCache, Memorystore, …)",
            ),
        ],
    );
    form.field("topology.redis.version")
        .hint("e.g. 7.2")
        .text(ui, &mut redis.version);
    if multi && redis.mode.known() == Some(RedisMode::Sentinel) {
        // Reference architectures run Sentinel on the Redis nodes.
        role_count(
            ui,
            form,
            t,
            "topology.redis.nodes",
            NodeRole::Redis,
            &[NodeRole::RedisSentinel],
        );
    }
}

fn gitaly(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology, multi: bool) {
    section(ui, "Gitaly");
    let gitaly = t.gitaly.get_or_insert_with(Default::default);
    form.field("topology.gitaly.mode").open_radio(
        ui,
        &mut gitaly.mode,
        &[
            (GitalyMode::Bundled, "On the GitLab node"),
            (GitalyMode::Sharded, "External Gitaly node(s), sharded"),
            (GitalyMode::Cluster, "Gitaly Cluster with Praefect"),
        ],
    );
    if !gitaly.storages.is_empty() {
        let list: Vec<String> = gitaly.storages.iter().map(|s| s.describe()).collect();
        widgets::help(ui, &format!("Storages: {}", list.join(", ")));
    }
    let mode = gitaly.mode.known();
    if multi && matches!(mode, Some(GitalyMode::Sharded | GitalyMode::Cluster)) {
        role_count(ui, form, t, "topology.gitaly.nodes", NodeRole::Gitaly, &[]);
    }
    if multi && mode == Some(GitalyMode::Cluster) {
        role_count(
            ui,
            form,
            t,
            "topology.gitaly.praefect_nodes",
            NodeRole::Praefect,
            &[],
        );
    }
}

fn other_components(ui: &mut Ui, form: &mut Form<'_>, t: &mut Topology, multi: bool) {
    section(ui, "Other components");
    form.field("topology.pgbouncer")
        .yes_no(ui, &mut t.pgbouncer);
    if multi && t.pgbouncer == Some(true) {
        role_count(
            ui,
            form,
            t,
            "topology.pgbouncer.nodes",
            NodeRole::Pgbouncer,
            &[],
        );
    }
    form.field("topology.consul").yes_no(ui, &mut t.consul);
    if multi && t.consul == Some(true) {
        role_count(ui, form, t, "topology.consul.nodes", NodeRole::Consul, &[]);
    }
    form.field("topology.load_balancer")
        .yes_no(ui, &mut t.load_balancer);
    form.field("topology.object_storage")
        .yes_no(ui, &mut t.object_storage);
    if t.object_storage == Some(true) {
        option_id(
            ui,
            form,
            "topology.object_storage_provider",
            &OBJECT_STORAGE_PROVIDERS,
            &mut t.object_storage_provider,
        );
    }
    form.field("topology.elasticsearch")
        .yes_no(ui, &mut t.elasticsearch);
    if t.elasticsearch == Some(true) {
        option_id(
            ui,
            form,
            "topology.search_engine",
            &SEARCH_ENGINES,
            &mut t.search_engine,
        );
        form.field("topology.search_version")
            .hint("e.g. 8.15")
            .text(ui, &mut t.search_version);
    }
    form.field("topology.container_registry")
        .yes_no(ui, &mut t.container_registry);
    form.field("topology.runners").yes_no(ui, &mut t.runners);
    form.field("topology.ldap").yes_no(ui, &mut t.ldap);
    form.field("topology.gitlab_duo")
        .yes_no(ui, &mut t.gitlab_duo);
}

/// Radio buttons over an id list; an id the list does not know stays as it is until changed.
fn option_id(
    ui: &mut Ui,
    form: &mut Form<'_>,
    field: &str,
    list: &[(&str, &'static str)],
    value: &mut Option<String>,
) {
    let mut choice = value
        .as_deref()
        .and_then(|v| list.iter().position(|(id, _)| *id == v));
    let options: Vec<(usize, &str)> = list.iter().enumerate().map(|(i, (_, l))| (i, *l)).collect();
    if form.field(field).radio(ui, &mut choice, &options) {
        *value = choice.map(|i| list[i].0.to_string());
    }
    if let Some(v) = value
        .as_deref()
        .filter(|v| !list.iter().any(|(id, _)| id == v))
    {
        widgets::help(
            ui,
            &format!("The plan file says `{v}`; choose one of the above to replace it."),
        );
    }
}

/// A sensible role for a new group: the first common role not listed yet.
fn next_role(nodes: &[Node]) -> NodeRole {
    NodeRole::ALL
        .iter()
        .copied()
        .find(|r| !nodes.iter().any(|n| n.role == *r))
        .unwrap_or(NodeRole::Other)
}
