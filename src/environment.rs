//! What the plan says about the instance, reduced to the questions the knowledge asks
//! (install method, OS, topology, components), each one answered, or unknown.

use std::borrow::Cow;

pub use crate::knowledge::component_label;
use crate::knowledge::{Knowledge, KnownIssue, OsEntry, Requires};
use crate::plan::{
    GitalyMode, InstallMethod, NodeRole, Plan, PostgresMode, RedisMode, TopologyKind,
};
use crate::version::Minor;

/// The instance as far as the plan describes it. `None` means "not answered yet".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Environment {
    pub method: Option<InstallMethod>,
    pub topology: Option<TopologyKind>,
    pub geo: Option<bool>,
    /// (distribution id, version)
    pub os: Option<(String, String)>,
    pub zero_downtime: Option<bool>,
    pub pg_mode: Option<PostgresMode>,
    pub pg_version: Option<String>,
    pub redis_mode: Option<RedisMode>,
    pub redis_version: Option<String>,
    pub gitaly_mode: Option<GitalyMode>,
    pub pgbouncer: Option<bool>,
    pub container_registry: Option<bool>,
    pub elasticsearch: Option<bool>,
    pub object_storage: Option<bool>,
    pub runners: Option<bool>,
    pub ldap: Option<bool>,
    pub gitlab_duo: Option<bool>,
    pub clickhouse: Option<bool>,
    pub mattermost: Option<bool>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Environment {
    /// Nothing known: every environment-dependent note becomes "check whether this applies".
    pub fn unknown() -> Environment {
        Environment::default()
    }

    pub fn from_plan(plan: &Plan) -> Environment {
        let topo = plan.topology.as_ref();
        let os = plan
            .os
            .as_ref()
            .and_then(|o| Some((non_empty(&o.distribution)?, non_empty(&o.version)?)));
        let pgbouncer = topo.and_then(|t| {
            if t.count_role(NodeRole::Pgbouncer) > 0 {
                Some(true)
            } else {
                t.pgbouncer
            }
        });
        Environment {
            method: plan.method(),
            topology: plan.topology_kind(),
            geo: plan.geo_enabled(),
            os,
            zero_downtime: plan.zero_downtime,
            pg_mode: topo.and_then(|t| t.pg_mode()),
            pg_version: topo
                .and_then(|t| t.postgresql.as_ref())
                .and_then(|p| non_empty(&p.version)),
            redis_mode: topo.and_then(|t| t.redis_mode()),
            redis_version: topo
                .and_then(|t| t.redis.as_ref())
                .and_then(|r| non_empty(&r.version)),
            gitaly_mode: topo.and_then(|t| t.gitaly_mode()),
            pgbouncer,
            container_registry: topo.and_then(|t| t.container_registry),
            elasticsearch: topo.and_then(|t| t.elasticsearch),
            object_storage: topo.and_then(|t| t.object_storage),
            runners: topo.and_then(|t| t.runners),
            ldap: topo.and_then(|t| t.ldap),
            gitlab_duo: topo.and_then(|t| t.gitlab_duo),
            clickhouse: topo.and_then(|t| t.clickhouse),
            mattermost: topo.and_then(|t| t.mattermost),
        }
    }

    /// The OS entry of the knowledge for the plan's OS, when both are known.
    pub fn os_entry<'k>(&self, k: &'k Knowledge) -> Option<&'k OsEntry> {
        let (d, v) = self.os.as_ref()?;
        k.os_entry(d, v)
    }

    /// Whether a component or feature named by the knowledge is in use.
    pub fn component(&self, name: &str) -> Option<bool> {
        let single_bundled = match (self.topology, self.pg_mode) {
            (Some(t), Some(m)) => Some(t == TopologyKind::SingleNode && m == PostgresMode::Bundled),
            (Some(TopologyKind::MultiNode), None) => Some(false),
            (_, Some(m)) if m != PostgresMode::Bundled => Some(false),
            _ => None,
        };
        match name {
            "postgresql" | "gitaly" => Some(true),
            "external_postgresql" => self.pg_mode.map(|m| m == PostgresMode::External),
            "patroni" => self.pg_mode.map(|m| m == PostgresMode::BundledHa),
            "external_redis" => self.redis_mode.map(|m| m == RedisMode::External),
            "redis" => self.redis_mode.map(|m| m != RedisMode::External),
            "gitaly_cluster" => self.gitaly_mode.map(|m| m == GitalyMode::Cluster),
            "pgbouncer" => self.pgbouncer,
            "container_registry" => self.container_registry,
            "elasticsearch" => self.elasticsearch,
            "object_storage" => self.object_storage,
            "local_file_storage" => self.object_storage.map(|o| !o),
            "gitlab_runner" => self.runners,
            "ldap" => self.ldap,
            "gitlab_duo" => self.gitlab_duo,
            "clickhouse" => self.clickhouse,
            "mattermost" => self.mattermost,
            "single_node_bundled_postgresql" => single_bundled,
            _ => None,
        }
    }
}

/// Whether a known issue applies to this environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability<'a> {
    Applies,
    /// The plan cannot tell; the reader must check these points.
    Check(Vec<Cow<'a, str>>),
    NotApplicable,
}

/// Decide whether `issue` concerns this environment (versions are checked elsewhere).
/// `path_minors` are the minors the path installs (for "path skips a minor" conditions),
/// with `from` the current minor; `before` is the version installed just before the hop the
/// issue is told at (`None` for issues of the current version).
pub fn applicability<'a>(
    issue: &'a KnownIssue,
    env: &Environment,
    from: Minor,
    before: Option<&semver::Version>,
    path_minors: &[Minor],
) -> Applicability<'a> {
    let mut checks: Vec<Cow<'a, str>> = Vec::new();
    macro_rules! answer {
        ($known:expr, $check:expr) => {
            match $known {
                Some(true) => {}
                Some(false) => return Applicability::NotApplicable,
                None => checks.push(Cow::Borrowed($check)),
            }
        };
    }
    if !issue.install_methods.is_empty() {
        answer!(
            env.method
                .map(|m| issue.install_methods.iter().any(|x| x == m.knowledge_id())),
            &issue.check_texts.install
        );
    }
    if let Some(t) = &issue.topology {
        let want = match t.as_str() {
            "single_node" => Some(TopologyKind::SingleNode),
            "multi_node" => Some(TopologyKind::MultiNode),
            _ => None,
        };
        if let Some(want) = want {
            answer!(env.topology.map(|k| k == want), &issue.check_texts.topology);
        }
    }
    if issue.geo == Some(true) {
        answer!(env.geo, "Geo is used");
    }
    for (c, text) in issue.components.iter().zip(&issue.check_texts.components) {
        answer!(env.component(c), text);
    }
    let mut condition_answered = false;
    if let Some(req) = &issue.requires {
        condition_answered = true;
        match requires(req, env, from, before, path_minors) {
            Applicability::NotApplicable => return Applicability::NotApplicable,
            Applicability::Check(more) => checks.extend(more),
            Applicability::Applies => {}
        }
    }
    if !condition_answered && let Some(cond) = &issue.condition {
        checks.push(Cow::Borrowed(cond));
    }
    // The same point can come from the issue and from its machine-checkable form.
    let mut seen = std::collections::HashSet::new();
    checks.retain(|c| seen.insert(c.clone()));
    if checks.is_empty() {
        Applicability::Applies
    } else {
        Applicability::Check(checks)
    }
}

fn requires<'a>(
    req: &'a Requires,
    env: &Environment,
    from: Minor,
    before: Option<&semver::Version>,
    path_minors: &[Minor],
) -> Applicability<'a> {
    let mut checks: Vec<Cow<'a, str>> = Vec::new();
    if !req.os.is_empty() {
        match &env.os {
            Some((d, v)) => {
                let key = format!("{d}:{}", v.split_whitespace().next().unwrap_or_default());
                let hit = req.os.iter().any(|o| {
                    o == &key || key.starts_with(&format!("{o}.")) // "sles:15" matches "sles:15.6"
                });
                if !hit {
                    return Applicability::NotApplicable;
                }
            }
            None => checks.push(Cow::Borrowed(&req.check_texts.os)),
        }
    }
    if let Some(fam) = &req.os_family {
        match &env.os {
            Some((d, _)) => {
                if os_family(d) != fam {
                    return Applicability::NotApplicable;
                }
            }
            None => checks.push(Cow::Borrowed(&req.check_texts.os_family)),
        }
    }
    for (f, text) in req.features.iter().zip(&req.check_texts.features) {
        match env.component(f) {
            Some(true) => {}
            Some(false) => return Applicability::NotApplicable,
            None => checks.push(Cow::Borrowed(text)),
        }
    }
    if req.zero_downtime == Some(true) {
        match env.zero_downtime {
            Some(true) => {}
            Some(false) => return Applicability::NotApplicable,
            None => checks.push(Cow::Borrowed("zero-downtime upgrade")),
        }
    }
    if let Some(t) = &req.topology {
        let want = if t == "multi_node" {
            TopologyKind::MultiNode
        } else {
            TopologyKind::SingleNode
        };
        match env.topology {
            Some(k) if k == want => {}
            Some(_) => return Applicability::NotApplicable,
            None => checks.push(Cow::Borrowed(&req.check_texts.topology)),
        }
    }
    for (min, have) in [
        (&req.postgresql_below, &env.pg_version),
        (&req.redis_below, &env.redis_version),
    ] {
        if let (Some(min), Some(have)) = (min, have)
            && !crate::path::version_below(have, min)
        {
            return Applicability::NotApplicable;
        }
    }
    if let Some(r) = &req.upgrading_from_parsed {
        match before {
            Some(b) if !r.matches(b) => return Applicability::NotApplicable,
            Some(_) => {}
            None => checks.push(Cow::Borrowed(&req.check_texts.upgrading_from)),
        }
    }
    if let Some(m) = req.path_skips_minor_parsed {
        let skipped = from < m && !path_minors.contains(&m);
        if !skipped {
            return Applicability::NotApplicable;
        }
    }
    if checks.is_empty() {
        Applicability::Applies
    } else {
        Applicability::Check(checks)
    }
}

/// Package family of a distribution id: `deb` or `rpm`.
pub fn os_family(distribution: &str) -> &'static str {
    match distribution {
        "ubuntu" | "debian" | "raspberry_pi_os" | "raspbian" => "deb",
        _ => "rpm",
    }
}
