//! `upgrade-planner path FROM [TO]`: the upgrade path with the reason for every hop, and with
//! `--postgresql`, `--redis` or `--os`, the dependency steps between the hops.

use serde::Serialize;

use crate::environment::Environment;
use crate::knowledge::Knowledge;
use crate::path::{self, NoteSeverity, PathRequest, UpgradePath};
use crate::plan::{
    InstallMethod, Os, Plan, PostgresMode, Postgresql, Redis, RedisMode, Topology, TopologyKind,
};
use crate::timeline::{Entry, Origin, StepJson, Timeline, os_text};

use super::{EXIT_INPUT, EXIT_OK, Output, knowledge, shown, to_json};

/// The dependencies named on the command line.
#[derive(Debug, Clone, Default)]
pub(super) struct Dependencies {
    pub postgresql: Option<String>,
    pub postgresql_mode: Option<String>,
    pub redis: Option<String>,
    pub os: Option<String>,
    pub method: Option<String>,
}

impl Dependencies {
    fn any(&self) -> bool {
        self.postgresql.is_some() || self.redis.is_some() || self.os.is_some()
    }

    /// A plan that says only what the command line says, to build the timeline the same way
    /// validation does.
    fn plan(&self) -> Plan {
        let method = match self.method.as_deref() {
            None | Some("linux_package") => InstallMethod::LinuxPackage,
            Some("docker") => InstallMethod::Docker,
            Some("helm_chart") => InstallMethod::HelmChart,
            Some("operator") => InstallMethod::Operator,
            Some("self_compiled") => InstallMethod::SelfCompiled,
            Some(_) => InstallMethod::EnvironmentToolkit,
        };
        let (pg_mode, kind) = match self.postgresql_mode.as_deref() {
            Some("bundled") => (PostgresMode::Bundled, TopologyKind::SingleNode),
            Some("bundled_ha") => (PostgresMode::BundledHa, TopologyKind::MultiNode),
            _ => (PostgresMode::External, TopologyKind::MultiNode),
        };
        let mut plan = Plan::default();
        plan.install = Some(crate::plan::Install {
            method: Some(method.into()),
            ..Default::default()
        });
        plan.topology = Some(Topology {
            kind: Some(kind.into()),
            postgresql: self.postgresql.as_ref().map(|v| Postgresql {
                mode: Some(pg_mode.into()),
                version: Some(v.clone()),
                ..Default::default()
            }),
            redis: self.redis.as_ref().map(|v| Redis {
                mode: Some(RedisMode::External.into()),
                version: Some(v.clone()),
                ..Default::default()
            }),
            mattermost: Some(false),
            ..Default::default()
        });
        if let Some((d, v)) = self.os.as_deref().and_then(|o| o.split_once(':')) {
            plan.os = Some(Os {
                distribution: Some(d.to_string()),
                version: Some(v.to_string()),
                ..Default::default()
            });
        }
        plan
    }
}

/// `path --json`: the path's keys, plus `steps` and `problems` with the timeline and
/// `data_stale` once the data is behind the release calendar.
#[derive(Serialize)]
struct PathJson<'a> {
    #[serde(flatten)]
    path: &'a UpgradePath,
    #[serde(skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<StepJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problems: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_stale: Option<String>,
}

pub(super) fn run(req: &PathRequest, deps: &Dependencies, json: bool, o: &mut Output) -> u8 {
    let k = knowledge(o);
    let plan = deps.plan();
    let env = if deps.any() {
        Environment::from_plan(&plan)
    } else {
        Environment::unknown()
    };
    let p = match path::compute(k, req, &env) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("upgrade-planner path: {}", shown(e)));
            return EXIT_INPUT;
        }
    };
    let timeline = deps
        .any()
        .then(|| crate::validate::build_timeline(&plan, k, &p))
        .flatten();
    let stale = req.today.and_then(|t| k.staleness(t)).map(|s| s.message());
    if json {
        o.json(&to_json(&PathJson {
            path: &p,
            steps: timeline.as_ref().map(|t| t.steps_json(&p)),
            problems: timeline
                .as_ref()
                .map(|t| t.problems.iter().map(|x| x.message.as_str()).collect()),
            data_stale: stale,
        }));
    } else {
        print_path(&p, timeline.as_ref(), k, o);
        if let Some(s) = stale {
            o.say("");
            o.say(format_args!("Data: {s}"));
        }
    }
    EXIT_OK
}

fn marker(s: NoteSeverity) -> &'static str {
    match s {
        NoteSeverity::Blocker => "BLOCKER",
        NoteSeverity::Warning => "warning",
        NoteSeverity::Info => "info",
    }
}

fn print_path(p: &UpgradePath, t: Option<&Timeline>, k: &Knowledge, o: &mut Output) {
    o.say(format_args!(
        "Upgrade path {} -> {}{}{}",
        p.from,
        p.to,
        if p.zero_downtime {
            " (zero-downtime: one minor at a time)"
        } else {
            ""
        },
        if p.conditions.is_empty() {
            String::new()
        } else {
            format!(" [conditions: {}]", p.conditions.join(", "))
        }
    ));
    o.say(k.data_summary());
    o.say("");
    let hops: Vec<_> = p.hops.iter().map(path::Hop::minor).collect();
    let entries = match t {
        Some(t) => t.entries(&hops, true),
        None => (0..p.hops.len()).map(Entry::Hop).collect(),
    };
    let width = p
        .hops
        .iter()
        .map(|h| h.display_version().len())
        .max()
        .unwrap_or(0);
    for e in entries {
        match e {
            Entry::Hop(i) => print_hop(p, i, width, o),
            Entry::Step(s) => {
                let origin = match s.origin {
                    Origin::Planned => "",
                    Origin::Proposed => " (proposed)",
                    Origin::Automatic => " (by the package)",
                };
                o.say(format_args!(
                    "    -> {}{origin}: after {} (it can follow GitLab {})",
                    step_title(s),
                    s.after,
                    s.range_text()
                ));
                o.say(format_args!("       {}", s.reason));
            }
        }
    }
    if let Some(t) = t
        && !t.problems.is_empty()
    {
        o.say("");
        o.say("Dependencies:");
        for problem in &t.problems {
            o.say(format_args!("  - {}", problem.message));
        }
    }
    if !p.notes.is_empty() {
        o.say("");
        o.say("Notes:");
        for n in &p.notes {
            o.say(format_args!("  - {n}"));
        }
    }
}

fn step_title(s: &crate::timeline::DependencyStep) -> String {
    match s.component {
        crate::plan::Component::Os => format!("OS {} -> {}", os_text(&s.from), os_text(&s.to)),
        _ => s.title().replace('→', "->"),
    }
}

fn print_hop(p: &UpgradePath, i: usize, width: usize, o: &mut Output) {
    let Some(h) = p.hops.get(i) else {
        return;
    };
    o.say(format_args!(
        "{:>2}. {:<width$}  {}{}",
        i + 1,
        h.display_version(),
        if h.optional { "(optional) " } else { "" },
        h.reason,
    ));
    for n in &h.notes {
        let id =
            n.id.as_deref()
                .map(|i| format!("{i}: "))
                .unwrap_or_default();
        o.say(format_args!(
            "      [{}] {id}{}",
            marker(n.severity),
            n.message
        ));
        if let Some(c) = &n.check {
            o.say(format_args!("          applies if: {c}"));
        }
    }
}
