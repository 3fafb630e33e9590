//! The installation's layout: single or multi-node, node groups and the components around GitLab.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Extra, Open, OpenAnswer, Os};

/// Single or multi-node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopologyKind {
    SingleNode,
    MultiNode,
}

/// What a group of nodes does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeRole {
    Rails,
    Sidekiq,
    Gitaly,
    Praefect,
    PraefectPostgresql,
    Postgresql,
    Pgbouncer,
    Redis,
    RedisSentinel,
    Consul,
    LoadBalancer,
    Monitoring,
    Registry,
    Elasticsearch,
    Other,
}

impl NodeRole {
    pub const ALL: [NodeRole; 15] = [
        NodeRole::Rails,
        NodeRole::Sidekiq,
        NodeRole::Gitaly,
        NodeRole::Praefect,
        NodeRole::PraefectPostgresql,
        NodeRole::Postgresql,
        NodeRole::Pgbouncer,
        NodeRole::Redis,
        NodeRole::RedisSentinel,
        NodeRole::Consul,
        NodeRole::LoadBalancer,
        NodeRole::Monitoring,
        NodeRole::Registry,
        NodeRole::Elasticsearch,
        NodeRole::Other,
    ];
    pub fn label(self) -> &'static str {
        match self {
            NodeRole::Rails => "Rails (web/API)",
            NodeRole::Sidekiq => "Sidekiq",
            NodeRole::Gitaly => "Gitaly",
            NodeRole::Praefect => "Praefect",
            NodeRole::PraefectPostgresql => "Praefect PostgreSQL",
            NodeRole::Postgresql => "PostgreSQL",
            NodeRole::Pgbouncer => "PgBouncer",
            NodeRole::Redis => "Redis",
            NodeRole::RedisSentinel => "Redis Sentinel",
            NodeRole::Consul => "Consul",
            NodeRole::LoadBalancer => "Load balancer",
            NodeRole::Monitoring => "Monitoring (Prometheus)",
            NodeRole::Registry => "Container registry",
            NodeRole::Elasticsearch => "Elasticsearch/OpenSearch",
            NodeRole::Other => "Other",
        }
    }
}

/// A group of identical nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Node {
    pub role: Open<NodeRole>,
    #[serde(default = "one")]
    pub count: u32,
    /// Further roles the same nodes carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_roles: Vec<Open<NodeRole>>,
    /// Host names, when the customer wants them in the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// The nodes' OS when it differs from the plan's OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Os>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

fn one() -> u32 {
    1
}

impl Node {
    pub fn new(role: NodeRole, count: u32) -> Node {
        Node {
            role: Open::Known(role),
            count,
            additional_roles: Vec::new(),
            hosts: Vec::new(),
            os: None,
            notes: None,
            extra: Extra::new(),
        }
    }
    /// Whether this node group carries `role`.
    pub fn has_role(&self, role: NodeRole) -> bool {
        self.role == role || self.additional_roles.iter().any(|r| *r == role)
    }
}

/// How PostgreSQL runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostgresMode {
    /// PostgreSQL bundled with the Linux package on the GitLab node(s).
    Bundled,
    /// Bundled PostgreSQL in HA with Patroni.
    BundledHa,
    /// External or managed PostgreSQL (RDS, Cloud SQL, ...).
    External,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Postgresql {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Open<PostgresMode>>,
    /// Provider of an external database, e.g. `aws_rds`, `gcp_cloud_sql`, `azure`, `self_managed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Server version, e.g. `16.4`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// How Redis runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RedisMode {
    Bundled,
    Sentinel,
    External,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Redis {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Open<RedisMode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// How Gitaly runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GitalyMode {
    /// Gitaly on the GitLab node.
    Bundled,
    /// One or more external Gitaly nodes (sharded storages).
    Sharded,
    /// Gitaly Cluster with Praefect.
    Cluster,
}

/// A repository storage as `gitlab:env:info` lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GitalyStorage {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl GitalyStorage {
    /// `default (unix:/var/opt/gitlab/gitaly/gitaly.socket)`: the name and, when known, where.
    pub fn describe(&self) -> String {
        match &self.address {
            Some(a) => format!("{} ({a})", self.name),
            None => self.name.clone(),
        }
    }

    /// A storage reached over TCP/TLS is on another host.
    pub fn is_remote(&self) -> bool {
        self.address
            .as_deref()
            .is_some_and(|a| a.starts_with("tcp://") || a.starts_with("tls://"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Gitaly {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Open<GitalyMode>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub storages: Vec<GitalyStorage>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Single or multi-node layout and the components around GitLab.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Topology {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Open<TopologyKind>>,
    /// Reference architecture size, e.g. `1k`, `2k`, `3k`, `5k`, `10k`, `25k`, `50k`, or `custom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_architecture: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<Node>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgresql: Option<Postgresql>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis: Option<Redis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gitaly: Option<Gitaly>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgbouncer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consul: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_storage: Option<bool>,
    /// Who provides the object storage: an id from `OBJECT_STORAGE_PROVIDERS` (`aws_s3`,
    /// `gcs`, `azure_blob`, `s3_compatible`, `other`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_storage_provider: Option<String>,
    /// Advanced search with Elasticsearch or OpenSearch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elasticsearch: Option<bool>,
    /// The search back end: an id from `SEARCH_ENGINES` (`elasticsearch`, `opensearch`,
    /// `aws_opensearch`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_engine: Option<String>,
    /// The search back end's version, e.g. `8.15`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_registry: Option<bool>,
    /// Bundled Mattermost (removed from the Linux package in 19.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mattermost: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runners: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldap: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gitlab_duo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clickhouse: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Topology {
    pub fn pg_mode(&self) -> Option<PostgresMode> {
        self.postgresql.as_ref().and_then(|p| p.mode.known())
    }
    pub fn redis_mode(&self) -> Option<RedisMode> {
        self.redis.as_ref().and_then(|r| r.mode.known())
    }
    pub fn gitaly_mode(&self) -> Option<GitalyMode> {
        self.gitaly.as_ref().and_then(|g| g.mode.known())
    }
    /// Total nodes carrying `role`.
    pub fn count_role(&self, role: NodeRole) -> u32 {
        sum_counts(self.nodes.iter().filter(|n| n.has_role(role)))
    }
    /// Total nodes of every group.
    pub fn total_nodes(&self) -> u32 {
        sum_counts(&self.nodes)
    }

    /// Nodes in the groups whose main role is `role`, and how many such groups there are.
    pub fn main_role_count(&self, role: NodeRole) -> (u32, usize) {
        let groups: Vec<&Node> = self.nodes.iter().filter(|n| n.role == role).collect();
        (sum_counts(groups.iter().copied()), groups.len())
    }

    /// Set the number of nodes whose main role is `role`, as a component question does: the
    /// one group with that role gets the count (a new group is added when there is none, with
    /// `also` as further roles; `None` removes it). With several such groups nothing changes:
    /// the node list is where they are edited, and `false` says so.
    pub fn set_main_role_count(
        &mut self,
        role: NodeRole,
        count: Option<u32>,
        also: &[NodeRole],
    ) -> bool {
        let at: Vec<usize> = (0..self.nodes.len())
            .filter(|i| self.nodes[*i].role == role)
            .collect();
        match (at.as_slice(), count) {
            ([], None) => true,
            ([], Some(c)) => {
                let mut n = Node::new(role, c);
                n.additional_roles = also.iter().copied().map(Open::Known).collect();
                self.nodes.push(n);
                true
            }
            ([i], Some(c)) => {
                self.nodes[*i].count = c;
                true
            }
            ([i], None) => {
                self.nodes.remove(*i);
                true
            }
            _ => false,
        }
    }
}

/// The sum of the groups' node counts. A hand-edited file can hold counts whose sum does not
/// fit a `u32`; the sum then stops at `u32::MAX` instead of overflowing.
pub fn sum_counts<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> u32 {
    nodes
        .into_iter()
        .fold(0u32, |sum, n| sum.saturating_add(n.count))
}
