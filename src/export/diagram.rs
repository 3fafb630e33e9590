//! The architecture diagram as data, drawn from the plan's answers: tiers of blocks (node
//! roles with counts, load balancers, PostgreSQL/Redis/Gitaly modes, object storage) for the
//! primary site, and the Geo secondary sites it replicates to.

use serde::Serialize;

use crate::plan::{
    GitalyMode, InstallMethod, NodeRole, OpenAnswer, Plan, PostgresMode, RedisMode, Topology,
    TopologyKind,
};

/// What a block stands for; renderers style them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Users, Git clients, runners.
    Client,
    /// Nodes the customer runs GitLab components on.
    Node,
    /// Something outside GitLab: a managed database, object storage, LDAP.
    Service,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub title: String,
    /// Number of nodes, for node groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    pub lines: Vec<String>,
    pub kind: BlockKind,
}

impl Block {
    fn node(title: impl Into<String>, count: u32) -> Block {
        Block {
            title: title.into(),
            count: Some(count),
            lines: Vec::new(),
            kind: BlockKind::Node,
        }
    }
    fn service(title: impl Into<String>) -> Block {
        Block {
            title: title.into(),
            count: None,
            lines: Vec::new(),
            kind: BlockKind::Service,
        }
    }
    fn client(title: impl Into<String>) -> Block {
        Block {
            title: title.into(),
            count: None,
            lines: Vec::new(),
            kind: BlockKind::Client,
        }
    }
    fn line(mut self, l: impl Into<String>) -> Block {
        let l = l.into();
        if !l.is_empty() {
            self.lines.push(l);
        }
        self
    }
}

/// Blocks joined left to right by arrows (e.g. PgBouncer → PostgreSQL).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tier {
    pub label: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoSecondary {
    pub name: String,
    pub location: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    pub site_title: String,
    pub site_subtitle: String,
    pub tiers: Vec<Tier>,
    pub secondaries: Vec<GeoSecondary>,
    pub replication_label: String,
}

impl Diagram {
    /// Every block, for checks and text renderers.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.tiers
            .iter()
            .flat_map(|t| t.groups.iter())
            .flat_map(|g| g.blocks.iter())
    }
}

fn single(blocks: Vec<Block>) -> Vec<Group> {
    blocks
        .into_iter()
        .map(|b| Group { blocks: vec![b] })
        .collect()
}

fn provider_label(p: &str) -> String {
    match p {
        "aws_rds" => "AWS RDS".into(),
        "aws_aurora" => "AWS Aurora".into(),
        "gcp_cloud_sql" => "Google Cloud SQL".into(),
        "gcp_alloydb" => "Google AlloyDB".into(),
        "azure" => "Azure Database".into(),
        "self_managed" => "self-managed".into(),
        other => other.replace('_', " "),
    }
}

/// `OpenSearch 2.11` when the plan says which engine (and version), else both names.
fn search_title(t: &Topology) -> String {
    let engine = t
        .search_engine
        .as_deref()
        .map(|e| crate::plan::option_label(&crate::plan::SEARCH_ENGINES, e))
        .unwrap_or_else(|| "Elasticsearch/OpenSearch".into());
    match t
        .search_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => format!("{engine} {v}"),
        None => engine,
    }
}

fn pg_block(t: &Topology, count: u32) -> Option<Block> {
    let pg = t.postgresql.clone().unwrap_or_default();
    let version = pg
        .version
        .as_deref()
        .map(|v| format!("PostgreSQL {v}"))
        .unwrap_or_else(|| "PostgreSQL".into());
    match pg.mode.known() {
        Some(PostgresMode::External) => Some(
            Block::service(version)
                .line(format!(
                    "external{}",
                    pg.provider
                        .as_deref()
                        .map(|p| format!(": {}", provider_label(p)))
                        .unwrap_or_default()
                ))
                .line("upgraded by its provider"),
        ),
        Some(PostgresMode::BundledHa) => {
            Some(Block::node(version, count.max(1)).line("Patroni HA (Linux package)"))
        }
        Some(PostgresMode::Bundled) => {
            Some(Block::node(version, count.max(1)).line("bundled (Linux package)"))
        }
        None if count > 0 => Some(Block::node(version, count)),
        None => None,
    }
}

fn redis_block(t: &Topology, count: u32, sentinel_with_redis: bool) -> Option<Block> {
    let r = t.redis.clone().unwrap_or_default();
    let version = r
        .version
        .as_deref()
        .map(|v| format!("Redis {v}"))
        .unwrap_or_else(|| "Redis".into());
    match r.mode.known() {
        Some(RedisMode::External) => Some(Block::service(version).line("external")),
        Some(RedisMode::Sentinel) => Some(Block::node(version, count.max(1)).line(
            if sentinel_with_redis {
                "with Sentinel"
            } else {
                "Sentinel HA"
            },
        )),
        Some(RedisMode::Bundled) => Some(Block::node(version, count.max(1)).line("bundled")),
        None if count > 0 => Some(Block::node(version, count)),
        None => None,
    }
}

/// Roles the nodes carrying `role` as their main role also run.
fn also(t: &Topology, role: NodeRole) -> Option<String> {
    let mut extra: Vec<String> = Vec::new();
    for n in t.nodes.iter().filter(|n| n.role == role) {
        for r in &n.additional_roles {
            let l = r.shown(NodeRole::label);
            if !extra.contains(&l) {
                extra.push(l);
            }
        }
    }
    (!extra.is_empty()).then(|| format!("also {}", extra.join(", ")))
}

fn count(t: &Topology, role: NodeRole) -> u32 {
    crate::plan::sum_counts(t.nodes.iter().filter(|n| n.role == role))
}

/// The diagram for a plan.
pub fn build(plan: &Plan) -> Diagram {
    let t = plan.topology.clone().unwrap_or_default();
    let method = plan.method();
    let geo = plan.geo.clone().unwrap_or_default();
    let geo_on = geo.enabled == Some(true);
    let total = t.total_nodes();
    let mut subtitle = Vec::new();
    if let Some(m) = method {
        subtitle.push(m.label().to_string());
    }
    match t.kind.known() {
        Some(TopologyKind::SingleNode) => subtitle.push("single node".into()),
        Some(TopologyKind::MultiNode) => subtitle.push(format!("multi-node, {total} nodes")),
        None => {}
    }
    if let Some(ra) = t
        .reference_architecture
        .as_deref()
        .filter(|r| !r.is_empty())
    {
        subtitle.push(format!("reference architecture {ra}"));
    }

    let mut tiers = Vec::new();
    let mut clients = vec![Block::client("Users and Git clients").line("HTTPS, SSH")];
    if t.runners == Some(true) {
        clients.push(Block::client("GitLab Runner"));
    }
    tiers.push(Tier {
        label: "Clients".into(),
        groups: single(clients),
    });

    let kubernetes = matches!(
        method,
        Some(InstallMethod::HelmChart | InstallMethod::Operator)
    );
    let single_node = t.kind.known() == Some(TopologyKind::SingleNode)
        || (t.kind.known().is_none() && t.nodes.is_empty() && !kubernetes);
    let mut services: Vec<Block> = Vec::new();

    if single_node {
        let mut b = Block::node("GitLab server", 1).line("Rails (Puma), Sidekiq, Workhorse");
        match t.gitaly_mode() {
            Some(GitalyMode::Sharded | GitalyMode::Cluster) => {}
            _ => b = b.line("Gitaly (repositories)"),
        }
        match t.pg_mode() {
            Some(PostgresMode::External) => services.extend(pg_block(&t, 0)),
            _ => {
                let v = t
                    .postgresql
                    .as_ref()
                    .and_then(|p| p.version.clone())
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default();
                b = b.line(format!("PostgreSQL{v} (bundled)"));
            }
        }
        match t.redis_mode() {
            Some(RedisMode::External) => services.extend(redis_block(&t, 0, false)),
            _ => {
                let v = t
                    .redis
                    .as_ref()
                    .and_then(|r| r.version.clone())
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default();
                b = b.line(format!("Redis{v} (bundled)"));
            }
        }
        if t.container_registry == Some(true) {
            b = b.line("Container registry");
        }
        if let Some(m) = method {
            b.title = match m {
                InstallMethod::Docker => "GitLab container".into(),
                _ => "GitLab server".into(),
            };
        }
        tiers.push(Tier {
            label: "GitLab".into(),
            groups: single(vec![b]),
        });
    } else {
        // Entry.
        let lbs = count(&t, NodeRole::LoadBalancer);
        if lbs > 0 || t.load_balancer == Some(true) {
            let b = if lbs > 0 {
                Block::node("Load balancer", lbs)
            } else {
                Block::service("Load balancer")
            };
            tiers.push(Tier {
                label: "Entry".into(),
                groups: single(vec![b.line("health check /-/readiness")]),
            });
        }
        // Application.
        let mut app = Vec::new();
        if kubernetes && t.nodes.is_empty() {
            app.push(
                Block::node("Kubernetes cluster", 1)
                    .line("webservice, Sidekiq, Gitaly, toolbox pods")
                    .line(method.map(InstallMethod::label).unwrap_or_default()),
            );
            app[0].count = None;
        }
        for (role, title) in [
            (NodeRole::Rails, "Rails (Puma)"),
            (NodeRole::Sidekiq, "Sidekiq"),
            (NodeRole::Registry, "Container registry"),
            (NodeRole::Monitoring, "Monitoring"),
            (NodeRole::Other, "Other"),
        ] {
            let n = count(&t, role);
            if n > 0 {
                let mut b = Block::node(title, n);
                if let Some(a) = also(&t, role) {
                    b = b.line(a);
                }
                if role == NodeRole::Rails
                    && t.container_registry == Some(true)
                    && count(&t, NodeRole::Registry) == 0
                {
                    b = b.line("container registry");
                }
                app.push(b);
            }
        }
        if !app.is_empty() {
            tiers.push(Tier {
                label: "Application".into(),
                groups: single(app),
            });
        }
        // Git storage.
        let mut git = Vec::new();
        let praefect = count(&t, NodeRole::Praefect);
        let gitaly = count(&t, NodeRole::Gitaly);
        let ppg = count(&t, NodeRole::PraefectPostgresql);
        let storages: Vec<String> = t
            .gitaly
            .as_ref()
            .map(|g| g.storages.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_default();
        let gitaly_block = |label: &str| {
            let mut b = Block::node("Gitaly", gitaly.max(1)).line(label);
            if !storages.is_empty() {
                b = b.line(format!("storages: {}", storages.join(", ")));
            }
            b
        };
        if praefect > 0 || t.gitaly_mode() == Some(GitalyMode::Cluster) {
            let mut chain =
                vec![Block::node("Praefect", praefect.max(1)).line("Gitaly Cluster router")];
            chain.push(gitaly_block("Gitaly Cluster"));
            git.push(Group { blocks: chain });
            if ppg > 0 {
                git.push(Group {
                    blocks: vec![Block::node("Praefect PostgreSQL", ppg)],
                });
            }
        } else if gitaly > 0 {
            git.push(Group {
                blocks: vec![gitaly_block("sharded storages")],
            });
        } else if t.gitaly_mode() == Some(GitalyMode::Bundled) && !kubernetes {
            git.push(Group {
                blocks: vec![Block::service("Gitaly").line("on the Rails nodes")],
            });
        }
        if !git.is_empty() {
            tiers.push(Tier {
                label: "Git storage".into(),
                groups: git,
            });
        }
        // Databases and cache.
        let mut data = Vec::new();
        let pgb = count(&t, NodeRole::Pgbouncer);
        let pg = pg_block(&t, count(&t, NodeRole::Postgresql));
        match (pgb, pg) {
            (0, Some(pg)) => data.push(Group { blocks: vec![pg] }),
            (n, Some(pg)) => data.push(Group {
                blocks: vec![Block::node("PgBouncer", n), pg],
            }),
            (0, None) => {}
            (n, None) => data.push(Group {
                blocks: vec![Block::node("PgBouncer", n)],
            }),
        }
        let redis_nodes = count(&t, NodeRole::Redis);
        let sentinel_with_redis = t
            .nodes
            .iter()
            .any(|n| n.role == NodeRole::Redis && n.has_role(NodeRole::RedisSentinel));
        if let Some(b) = redis_block(&t, redis_nodes, sentinel_with_redis) {
            data.push(Group { blocks: vec![b] });
        }
        let sentinels = count(&t, NodeRole::RedisSentinel);
        if sentinels > 0 {
            data.push(Group {
                blocks: vec![Block::node("Redis Sentinel", sentinels)],
            });
        }
        let consul = count(&t, NodeRole::Consul);
        if consul > 0 {
            data.push(Group {
                blocks: vec![Block::node("Consul", consul).line("service discovery")],
            });
        }
        if !data.is_empty() {
            tiers.push(Tier {
                label: "Databases and cache".into(),
                groups: data,
            });
        }
        let es = count(&t, NodeRole::Elasticsearch);
        if es > 0 {
            services.push(Block::node(search_title(&t), es));
        }
    }
    if t.object_storage == Some(true) {
        let mut block = Block::service("Object storage");
        if let Some(p) = t.object_storage_provider.as_deref() {
            block = block.line(crate::plan::option_label(
                &crate::plan::OBJECT_STORAGE_PROVIDERS,
                p,
            ));
        }
        services.push(block.line("artifacts, LFS, uploads, packages"));
    }
    if t.elasticsearch == Some(true) && !services.iter().any(|b| b.title.starts_with("Elastic")) {
        services.push(Block::service(search_title(&t)).line("advanced search"));
    }
    if t.ldap == Some(true) {
        services.push(Block::service("LDAP").line("sign-in"));
    }
    if t.mattermost == Some(true) {
        services.push(Block::node("Mattermost", 1).line("bundled"));
    }
    if !services.is_empty() {
        tiers.push(Tier {
            label: "Services".into(),
            groups: single(services),
        });
    }

    let secondaries = if geo_on {
        geo.secondaries
            .iter()
            .map(|s| GeoSecondary {
                name: s.name.clone(),
                location: s.location.clone().filter(|l| !l.trim().is_empty()),
                detail: match (s.kind.known(), s.node_count) {
                    (Some(TopologyKind::SingleNode), _) => "single node".into(),
                    (Some(TopologyKind::MultiNode), Some(n)) => format!("multi-node, {n} nodes"),
                    (Some(TopologyKind::MultiNode), None) => "multi-node".into(),
                    (None, Some(1)) => "1 node".into(),
                    (None, Some(n)) => format!("{n} nodes"),
                    (None, None) => "topology not given".into(),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    Diagram {
        site_title: if geo_on {
            "Primary site".into()
        } else {
            "GitLab instance".into()
        },
        site_subtitle: subtitle.join(" · "),
        tiers,
        secondaries,
        replication_label: replication_label(&t),
    }
}

/// How the secondaries get the data: the database part depends on who runs PostgreSQL.
fn replication_label(t: &Topology) -> String {
    let database = match t.pg_mode() {
        Some(PostgresMode::Bundled | PostgresMode::BundledHa) => "PostgreSQL streaming".to_string(),
        Some(PostgresMode::External) => {
            match t
                .postgresql
                .as_ref()
                .and_then(|p| p.provider.as_deref())
                .filter(|p| *p != "self_managed")
            {
                Some(p) => format!("{} read replica", provider_label(p)),
                None => "database read replica".to_string(),
            }
        }
        None => "database".to_string(),
    };
    format!("Geo replication: {database}, Git and file sync")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Node, Postgresql, Redis};

    #[test]
    fn multi_node_diagram_shows_roles_counts_and_modes() {
        let plan: Plan = serde_json::from_str(include_str!(
            "../../assets/samples/multi-node-geo.upgrade-plan.json"
        ))
        .unwrap();
        let d = build(&plan);
        let titles: Vec<String> = d
            .blocks()
            .map(|b| format!("{} x{}", b.title, b.count.unwrap_or(0)))
            .collect();
        for want in [
            "Rails (Puma) x3",
            "Sidekiq x2",
            "Praefect x3",
            "Gitaly x3",
            "PgBouncer x3",
            "PostgreSQL 14.11 x0",
            "Redis 7.2 x3",
            "Consul x3",
            "Load balancer x1",
            "Object storage x0",
        ] {
            assert!(
                titles.iter().any(|t| t == want),
                "{want} missing from {titles:?}"
            );
        }
        let pg = d.blocks().find(|b| b.title == "PostgreSQL 14.11").unwrap();
        assert_eq!(pg.kind, BlockKind::Service);
        assert!(pg.lines.iter().any(|l| l.contains("AWS RDS")));
        assert_eq!(d.site_title, "Primary site");
        assert_eq!(d.secondaries.len(), 1);
        assert_eq!(d.secondaries[0].name, "eu-west");
    }

    #[test]
    fn geo_replication_is_labelled_by_who_runs_the_database() {
        let mut t = Topology {
            postgresql: Some(Postgresql {
                mode: Some(PostgresMode::External.into()),
                provider: Some("aws_rds".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let label = replication_label(&t);
        assert!(label.contains("AWS RDS read replica"), "{label}");
        assert!(!label.contains("streaming"), "{label}");
        t.postgresql = Some(Postgresql {
            mode: Some(PostgresMode::BundledHa.into()),
            ..Default::default()
        });
        assert!(replication_label(&t).contains("PostgreSQL streaming"));
    }

    #[test]
    fn single_node_diagram_is_one_server_with_bundled_parts() {
        let plan: Plan = serde_json::from_str(include_str!(
            "../../assets/samples/single-node.upgrade-plan.json"
        ))
        .unwrap();
        let d = build(&plan);
        let server = d.blocks().find(|b| b.title == "GitLab server").unwrap();
        assert!(
            server
                .lines
                .iter()
                .any(|l| l == "PostgreSQL 14.11 (bundled)")
        );
        assert!(server.lines.iter().any(|l| l == "Redis 7.0.15 (bundled)"));
        assert!(d.secondaries.is_empty());
        assert_eq!(d.site_title, "GitLab instance");
        assert!(d.blocks().any(|b| b.title == "GitLab Runner"));
    }

    #[test]
    fn external_databases_are_services_outside_the_node() {
        let mut plan = Plan::default();
        let t = plan.topology.get_or_insert_with(Default::default);
        t.kind = Some(TopologyKind::MultiNode.into());
        t.nodes = vec![Node::new(NodeRole::Rails, 2)];
        t.postgresql = Some(Postgresql {
            mode: Some(PostgresMode::External.into()),
            provider: Some("gcp_cloud_sql".into()),
            version: Some("16.2".into()),
            ..Default::default()
        });
        t.redis = Some(Redis {
            mode: Some(RedisMode::External.into()),
            version: Some("7.2".into()),
            ..Default::default()
        });
        let d = build(&plan);
        let pg = d.blocks().find(|b| b.title == "PostgreSQL 16.2").unwrap();
        assert_eq!(pg.kind, BlockKind::Service);
        assert!(pg.lines[0].contains("Google Cloud SQL"));
        assert_eq!(
            d.blocks().find(|b| b.title == "Redis 7.2").unwrap().kind,
            BlockKind::Service
        );
    }
}
