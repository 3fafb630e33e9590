//! The timeline: dependency steps on the path (every dependency within each hop's range) and
//! the maintenance windows that share the hops and steps.

use super::*;
use crate::path::NoteKind;
use crate::plan::{Component, TopologyKind};
use crate::timeline::windows::{self, Settings, WindowInput, WindowPlan};
use crate::timeline::{self, Current, Inputs, Planned, Timeline};

/// The plan's timeline and its windows, as validation computed them.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub timeline: Timeline,
    /// The hops' minors, in path order (the timeline's entries refer to them by index).
    pub hops: Vec<Minor>,
    pub windows: Vec<WindowPlan>,
}

/// What the plan says about the dependencies, for the timeline.
fn inputs<'a>(
    plan: &Plan,
    p: &UpgradePath,
    hops: &'a [Minor],
    planned: &'a [Planned],
) -> Option<Inputs<'a>> {
    let start = parse_version(&p.from).ok()?.minor();
    let t = plan.topology.clone().unwrap_or_default();
    let method = plan.method();
    let pg = t.postgresql.clone().unwrap_or_default();
    let single_bundled = t.kind.known() == Some(TopologyKind::SingleNode)
        && pg.mode.known() == Some(PostgresMode::Bundled)
        && method.is_some_and(|m| matches!(m, InstallMethod::LinuxPackage | InstallMethod::Docker));
    let postgresql = match (pg.mode.known(), text(&pg.version)) {
        // The package brings its newest minor of the major with every install.
        (Some(PostgresMode::Bundled | PostgresMode::BundledHa), Some(v)) => Some(Current {
            version: crate::timeline::support::major_of(v).map_or(v.to_string(), |m| m.to_string()),
            by_package: single_bundled,
        }),
        (Some(_), Some(v)) => Some(Current {
            version: v.to_string(),
            by_package: false,
        }),
        _ => None,
    };
    let redis = t.redis.clone().unwrap_or_default();
    let redis = match (redis.mode.known(), text(&redis.version)) {
        (Some(RedisMode::External), Some(v)) => Some(Current {
            version: v.to_string(),
            by_package: false,
        }),
        _ => None,
    };
    let os = plan.os.as_ref().and_then(|o| {
        let (d, v) = (text(&o.distribution)?, text(&o.version)?);
        method
            .is_some_and(InstallMethod::uses_os_packages)
            .then(|| format!("{d}:{v}"))
    });
    Some(Inputs {
        start,
        hops,
        postgresql,
        redis,
        os,
        linux_package: method.is_some_and(InstallMethod::uses_os_packages),
        settings: config_settings(plan),
        planned,
    })
}

/// What the plan knows of the settings the configuration steps remove: the topology's
/// Mattermost answer and the diagnostics facts, as the known issues read them.
fn config_settings(plan: &Plan) -> Vec<(&'static str, bool)> {
    let env = crate::environment::Environment::from_plan(plan);
    timeline::config::SETTINGS
        .iter()
        .filter_map(|(_, feature)| Some((*feature, env.component(feature)?)))
        .collect()
}

/// The timeline of a plan on its path (without findings): for the command line and exports.
pub fn build_timeline(plan: &Plan, k: &Knowledge, p: &UpgradePath) -> Option<Timeline> {
    let hops: Vec<Minor> = p.hops.iter().map(|h| h.minor()).collect();
    let planned = planned_steps(plan);
    let input = inputs(plan, p, &hops, &planned)?;
    Some(timeline::build(k, &input))
}

fn planned_steps(plan: &Plan) -> Vec<Planned> {
    // A step whose component this version does not know is kept and warned about, not
    // placed on the timeline.
    plan.dependency_upgrades
        .iter()
        .enumerate()
        .filter_map(|(index, d)| {
            Some(Planned {
                component: d.component.known()?,
                to: d.to.trim().to_string(),
                after: Minor::parse(&d.after),
                index,
            })
        })
        .collect()
}

/// Build the timeline and the windows, and report every hop a dependency does not fit, every
/// step out of its range and every window that does not hold its work.
pub(super) fn check_timeline(
    plan: &Plan,
    k: &Knowledge,
    p: &mut UpgradePath,
    infos: &[WindowInfo],
    out: &mut Out,
) -> Option<Schedule> {
    let hops: Vec<Minor> = p.hops.iter().map(|h| h.minor()).collect();
    let planned = planned_steps(plan);
    let input = inputs(plan, p, &hops, &planned)?;
    let t = timeline::build(k, &input);
    for problem in &t.problems {
        let field = match problem.plan_index {
            Some(i) => format!("dependency_upgrades[{i}]"),
            None if problem.at == t.start => match problem.component {
                Component::Postgresql => "topology.postgresql.version".to_string(),
                Component::Redis => "topology.redis.version".to_string(),
                Component::Os => "os.version".to_string(),
                Component::Config => "dependency_upgrades".to_string(),
            },
            None => "dependency_upgrades".to_string(),
        };
        out.push_doc(
            Severity::Error,
            "dependency_range",
            &field,
            problem.message.clone(),
            problem
                .fix
                .and_then(|i| t.proposals.get(i))
                .and_then(|s| s.doc_url.as_deref()),
        );
    }
    let windows = check_window_split(plan, &t, &hops, infos, out);
    relax_hop_notes(&t, p);
    Some(Schedule {
        timeline: t,
        hops,
        windows,
    })
}

/// A hop's note that PostgreSQL or Redis is below its minimum stops being a blocker once the
/// plan's steps bring a version that fits by then.
fn relax_hop_notes(t: &Timeline, p: &mut UpgradePath) {
    for hop in &mut p.hops {
        let m = hop.minor();
        for note in &mut hop.notes {
            let c = match note.kind {
                NoteKind::Postgresql => Component::Postgresql,
                NoteKind::Redis => Component::Redis,
                _ => continue,
            };
            if note.severity != NoteSeverity::Blocker {
                continue;
            }
            let Some(v) = t.fitting_version(c, m) else {
                continue;
            };
            let rule = note
                .message
                .split(" This instance reports")
                .next()
                .unwrap_or_default()
                .to_string();
            note.message = format!(
                "{rule} With the upgrades in this plan, {} is at {v} by this hop.",
                c.label()
            );
            note.severity = NoteSeverity::Info;
        }
    }
}

/// The settings of the schedule from the plan.
pub fn settings(plan: &Plan) -> Settings<'_> {
    Settings {
        multi_node: plan.topology_kind() == Some(TopologyKind::MultiNode),
        hop_hours: &plan.hop_hours,
        rollback_hours: plan
            .rollback
            .as_ref()
            .and_then(|r| r.duration_hours)
            .filter(|h| *h > 0.0)
            .unwrap_or(DEFAULT_ROLLBACK_HOURS),
        with_proposals: true,
    }
}

fn check_window_split(
    plan: &Plan,
    t: &Timeline,
    hops: &[Minor],
    infos: &[WindowInfo],
    out: &mut Out,
) -> Vec<WindowPlan> {
    let count = plan.windows.len().max(1);
    let mut inputs = Vec::new();
    let mut previous: Option<Minor> = None;
    for i in 0..count {
        let w = plan.windows.get(i);
        let last = i + 1 == count;
        let mut last_hop = w.and_then(|w| text(&w.last_hop)).and_then(Minor::parse);
        if !last {
            match last_hop {
                Some(m) if hops.contains(&m) && previous.is_none_or(|p| m > p) => {}
                _ => {
                    out.error(
                        "window_split",
                        &format!("windows[{i}].last_hop"),
                        format!(
                            "Window {} must end after a hop of the path that comes after the previous window's last hop (one of {}).",
                            i + 1,
                            hops.iter().map(Minor::to_string).collect::<Vec<_>>().join(", ")
                        ),
                    );
                    last_hop = None;
                }
            }
            previous = last_hop.or(previous);
        }
        let info = infos.get(i).copied().unwrap_or_default();
        inputs.push(WindowInput {
            start: info.start,
            hours: info.hours,
            last_hop: if last { None } else { last_hop },
        });
    }
    let settings = settings(plan);
    let plans = windows::schedule(hops, t, &inputs, &settings);
    for w in &plans {
        if w.fits == Some(false) {
            let length = w.length.unwrap_or_default();
            let needed = w.work_hours + w.rollback_hours;
            let proposal = windows::propose_split(hops, t, length, &settings);
            let advice = if plans.len() == 1 && !proposal.is_empty() {
                format!(
                    " Split the upgrade over {} windows of {length} h (after {}), or lengthen it.",
                    proposal.len() + 1,
                    proposal
                        .iter()
                        .map(Minor::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                " Move a hop to another window, or lengthen it.".to_string()
            };
            out.warn(
                "window_too_short",
                &format!("windows[{}].duration_hours", w.number - 1),
                format!(
                    "Window {} holds about {} of work (estimates, or rehearsal timings where given, plus waiting for background migrations) and a {} rollback reserve: about {} are needed, and it is {}.{advice}",
                    w.number,
                    hours_text(w.work_hours),
                    hours_text(w.rollback_hours),
                    hours_text(needed),
                    hours_text(length),
                ),
            );
        }
        if w.items.is_empty() {
            out.warn(
                "window_empty",
                &format!("windows[{}].last_hop", w.number - 1),
                format!("Window {} has no hop or step in it.", w.number),
            );
        }
    }
    plans
}

/// `8 h`, `1.5 h`.
fn hours_text(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0} h")
    } else {
        format!("{h:.1} h")
    }
}
