//! Configuration changes a new major refuses to start without (a blocker known issue): each is
//! a step of the timeline, valid anywhere before the major that needs it.

use crate::knowledge::Knowledge;
use crate::version::Minor;

use super::{Component, DependencyStep, Inputs, Origin, Problem, Timeline};

/// The blockers that are configuration changes, with the step's title. The id is what a plan's
/// `dependency_upgrades` entry holds in `to`.
pub const CHANGES: [(&str, &str); 5] = [
    (
        "gl16-gitaly-praefect-config-structure",
        "Convert the Gitaly and Praefect settings in gitlab.rb to the 16.0 structure",
    ),
    (
        "gl17-grafana-key",
        "Remove the bundled-Grafana keys from gitlab.rb (if it still has them)",
    ),
    (
        "gl17-gitaly-duplicate-storage-paths",
        "Give every Gitaly storage its own path (if two share one)",
    ),
    (
        "gl18-git-data-dirs-removed",
        "Move git_data_dirs to gitaly['configuration'][:storage] in gitlab.rb (if it still uses git_data_dirs)",
    ),
    (
        "gl19-mattermost-removed",
        "Move bundled Mattermost out and delete every mattermost[...] line from gitlab.rb",
    ),
];

/// The setting each change removes, by the knowledge's feature name: no step is proposed when
/// the plan knows the setting is not there (from the topology answer or the diagnostics facts).
pub const SETTINGS: [(&str, &str); 3] = [
    ("gl17-grafana-key", "grafana"),
    ("gl18-git-data-dirs-removed", "git_data_dirs"),
    ("gl19-mattermost-removed", "mattermost"),
];

/// The feature a change removes, when it is one the plan can know.
pub fn setting_of(id: &str) -> Option<&'static str> {
    SETTINGS.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}

/// The title of a configuration step's id, or the id itself.
pub fn title(id: &str) -> String {
    CHANGES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| (*t).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The first GitLab minor that needs the change (`18.0` for git_data_dirs).
pub fn boundary(k: &Knowledge, id: &str) -> Option<Minor> {
    k.issue(id).and_then(|i| i.lower_bound()).map(Minor::of)
}

/// The last GitLab minor before `b`: where the change can go at the latest.
fn last_before(k: &Knowledge, b: Minor) -> Option<Minor> {
    if b.minor > 0 {
        return Some(Minor::new(b.major, b.minor - 1));
    }
    let major = b.major.checked_sub(1)?;
    k.last_minor_of(major).map(|m| Minor::new(major, m))
}

/// Add the configuration steps the path needs (proposed, or planned in the plan).
pub fn add(k: &Knowledge, input: &Inputs<'_>, t: &mut Timeline) {
    if !input.linux_package {
        return;
    }
    let last = t.positions.last().copied().unwrap_or(t.start);
    for (id, what) in CHANGES {
        let in_use = setting_of(id).and_then(|f| input.setting(f));
        if in_use == Some(false) {
            continue;
        }
        let Some(b) = boundary(k, id) else {
            continue;
        };
        // Only when the path crosses into the major that refuses the old configuration.
        if !(t.start < b && last >= b) {
            continue;
        }
        let latest = last_before(k, b);
        let planned: Vec<_> = input
            .planned
            .iter()
            .filter(|p| p.component == Component::Config && p.to == id)
            .collect();
        let step = |after: Minor, origin: Origin, plan_index: Option<usize>| DependencyStep {
            component: Component::Config,
            from: String::new(),
            to: id.to_string(),
            after,
            earliest: Some(t.start),
            latest,
            origin,
            reason: if in_use == Some(true) {
                format!("GitLab {b} refuses the old configuration, and this instance has it.")
            } else {
                format!("GitLab {b} refuses the old configuration.")
            },
            verified: true,
            plan_index,
            doc_url: k.issue(id).map(|i| i.doc_url.clone()),
        };
        if planned.is_empty() {
            let Some(after) = t.positions.iter().rev().copied().find(|p| *p < b) else {
                continue;
            };
            let s = step(after, Origin::Proposed, None);
            t.proposals.push(s);
            continue;
        }
        for p in planned {
            let Some(after) = p.after else {
                continue; // reported as not on the path
            };
            let s = step(after, Origin::Planned, Some(p.index));
            if !s.allows(after) {
                t.problems.push(Problem {
                    component: Component::Config,
                    at: after,
                    message: format!(
                        "The planned step \"{what}\" after GitLab {after} comes too late: GitLab {b} refuses the old configuration, so it must follow a version {}.",
                        s.range_text()
                    ),
                    plan_index: Some(p.index),
                    fix: None,
                });
            }
            t.steps.push(s);
        }
    }
}
