//! The plan as a timeline: the GitLab hops of the path with the dependency steps between them
//! (PostgreSQL, Redis, the OS, configuration that a new major refuses), each step with the
//! range of GitLab versions where it is valid.
//!
//! A dependency step sits *after* a GitLab version: once GitLab runs that version, before the
//! next hop. At every hop each dependency's version at that moment must be one the hop
//! supports (minimum and maximum). [`build`] walks the path with the steps the plan asks for,
//! adds the ones the package does by itself (bundled single-node PostgreSQL), reports every
//! hop a dependency does not fit, and proposes the step that fixes it at the last place it can
//! go.

pub mod config;
pub mod support;
pub mod windows;

use serde::Serialize;

use crate::knowledge::Knowledge;
use crate::version::Minor;
use support::Unsupported;

pub use crate::plan::Component;

/// Where a step comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// In the plan.
    Planned,
    /// Needed, not in the plan yet: the app proposes it.
    Proposed,
    /// Done by the package itself (bundled single-node PostgreSQL).
    Automatic,
}

/// A dependency step on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependencyStep {
    pub component: Component,
    /// The version before the step (`14.10`, `ubuntu:20.04`; empty for configuration).
    pub from: String,
    /// The version after it (`16`: the newest 16.x; `ubuntu:22.04`; a configuration change's id).
    pub to: String,
    /// The GitLab minor the step follows.
    pub after: Minor,
    /// The valid range of `after`: the first and last GitLab minor the step may follow
    /// (`None`: no bound within the data).
    pub earliest: Option<Minor>,
    pub latest: Option<Minor>,
    pub origin: Origin,
    /// Why the step is there, in a sentence.
    pub reason: String,
    pub verified: bool,
    /// The index of the step in the plan's list, for a planned step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
}

impl DependencyStep {
    /// `16.10 to 17.11`, `from 16.0`, `up to 18.11`: the valid range in words.
    pub fn range_text(&self) -> String {
        match (self.earliest, self.latest) {
            (Some(e), Some(l)) => format!("{e} to {l}"),
            (Some(e), None) => format!("from {e} on"),
            (None, Some(l)) => format!("up to {l}"),
            (None, None) => "anywhere on the path".to_string(),
        }
    }

    /// Whether the step may follow GitLab `m`.
    pub fn allows(&self, m: Minor) -> bool {
        self.earliest.is_none_or(|e| m >= e) && self.latest.is_none_or(|l| m <= l)
    }

    /// `PostgreSQL 14.10 → 16`.
    pub fn title(&self) -> String {
        match self.component {
            Component::Config => config::title(&self.to),
            Component::Os => format!("{} → {}", os_text(&self.from), os_text(&self.to)),
            c => format!("{} {} → {}", c.label(), self.from, to_text(&self.to)),
        }
    }
}

/// `16` reads as "the newest 16.x".
fn to_text(to: &str) -> String {
    if to.contains('.') {
        to.to_string()
    } else {
        format!("{to} (newest {to}.x)")
    }
}

/// `ubuntu:22.04` as people write it: `Ubuntu 22.04`.
pub fn os_text(id: &str) -> String {
    match id.split_once(':') {
        Some((d, v)) => format!("{} {v}", crate::knowledge::os_display(d)),
        None => id.to_string(),
    }
}

/// A hop that a dependency does not fit, or a planned step that is out of place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub component: Component,
    /// The GitLab minor where it happens.
    pub at: Minor,
    pub message: String,
    /// The planned step at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_index: Option<usize>,
    /// The proposed step that fixes it (an index into [`Timeline::proposals`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<usize>,
}

/// A dependency step the plan asks for, as read from the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub component: Component,
    pub to: String,
    /// `None` when the plan's `after` is not a GitLab `major.minor`.
    pub after: Option<Minor>,
    /// The position in the plan's list.
    pub index: usize,
}

/// A dependency as it runs now.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub version: String,
    /// The Linux package upgrades it by itself at some hops (bundled single-node PostgreSQL).
    pub by_package: bool,
}

/// What the timeline is built from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The running GitLab minor.
    pub start: Minor,
    /// The minors of the path's hops, in order.
    pub hops: &'a [Minor],
    /// PostgreSQL managed by the administrator or by the package; `None`: unknown or not theirs.
    pub postgresql: Option<Current>,
    /// External Redis (bundled Redis comes with the package and needs no step).
    pub redis: Option<Current>,
    /// `distribution:version` of the nodes, when GitLab is installed from OS packages.
    pub os: Option<String>,
    /// Whether the configuration steps of the Linux package apply (see [`config`]).
    pub linux_package: bool,
    /// What the plan knows of the settings the configuration steps remove, by the knowledge's
    /// feature names (`mattermost`, `git_data_dirs`, `grafana`): in use or not. A step whose
    /// setting is known to be absent is not needed.
    pub settings: Vec<(&'static str, bool)>,
    pub planned: &'a [Planned],
}

impl Inputs<'_> {
    /// Whether a setting a configuration step removes is in use; `None`: not known.
    pub fn setting(&self, feature: &str) -> Option<bool> {
        self.settings
            .iter()
            .find(|(f, _)| *f == feature)
            .map(|(_, in_use)| *in_use)
    }
}

/// The timeline of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub start: Minor,
    /// Where steps can go: the running minor, then each hop's minor (without repeats).
    pub positions: Vec<Minor>,
    /// Planned and automatic steps, in order.
    pub steps: Vec<DependencyStep>,
    /// Steps the path needs that the plan does not have yet.
    pub proposals: Vec<DependencyStep>,
    pub problems: Vec<Problem>,
    /// The version each dependency has when a hop is installed, where it fits that hop with
    /// the steps the plan has (automatic ones included).
    pub fitting: Vec<(Component, Minor, String)>,
}

impl Timeline {
    /// The version of `c` that meets the hop to `m`, when it fits with the plan's steps.
    pub fn fitting_version(&self, c: Component, m: Minor) -> Option<&str> {
        self.fitting
            .iter()
            .find(|(fc, fm, _)| *fc == c && *fm == m)
            .map(|(_, _, v)| v.as_str())
    }
}

/// One entry of the timeline in order: a GitLab hop (its index in the path) or a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'t> {
    Hop(usize),
    Step(&'t DependencyStep),
}

impl Timeline {
    /// The hops and the steps in the order they happen; proposals included when asked.
    pub fn entries(&self, hops: &[Minor], with_proposals: bool) -> Vec<Entry<'_>> {
        let mut out = Vec::new();
        let all: Vec<&DependencyStep> = self
            .steps
            .iter()
            .chain(self.proposals.iter().filter(|_| with_proposals))
            .collect();
        for (i, m) in self.positions.iter().enumerate() {
            if i > 0 || hops.first() == Some(m) {
                for (h, hm) in hops.iter().enumerate() {
                    if hm == m {
                        out.push(Entry::Hop(h));
                    }
                }
            }
            let mut here: Vec<&DependencyStep> =
                all.iter().copied().filter(|s| s.after == *m).collect();
            here.sort_by_key(|s| (s.origin == Origin::Proposed, s.component));
            out.extend(here.into_iter().map(Entry::Step));
        }
        out
    }
}

/// One entry of the timeline for `path --json` (`steps`): a GitLab hop or a dependency step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StepJson {
    Gitlab {
        kind: &'static str,
        version: String,
        minor: Minor,
        reason: String,
    },
    Dependency {
        kind: Component,
        from: String,
        to: String,
        after: Minor,
        earliest: Option<Minor>,
        latest: Option<Minor>,
        origin: Origin,
        reason: String,
    },
}

impl Timeline {
    /// Every hop and step in order (proposals included), for `path --json`.
    pub fn steps_json(&self, path: &crate::path::UpgradePath) -> Vec<StepJson> {
        let hops: Vec<Minor> = path.hops.iter().map(crate::path::Hop::minor).collect();
        self.entries(&hops, true)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Hop(i) => path.hops.get(i).map(|h| StepJson::Gitlab {
                    kind: "gitlab",
                    version: h.display_version(),
                    minor: h.minor(),
                    reason: h.reason.clone(),
                }),
                Entry::Step(s) => Some(StepJson::Dependency {
                    kind: s.component,
                    from: s.from.clone(),
                    to: s.to.clone(),
                    after: s.after,
                    earliest: s.earliest,
                    latest: s.latest,
                    origin: s.origin,
                    reason: s.reason.clone(),
                }),
            })
            .collect()
    }
}

/// Build the timeline.
pub fn build(k: &Knowledge, input: &Inputs<'_>) -> Timeline {
    let mut positions = vec![input.start];
    for m in input.hops {
        if positions.last() != Some(m) {
            positions.push(*m);
        }
    }
    let mut t = Timeline {
        start: input.start,
        positions,
        steps: Vec::new(),
        proposals: Vec::new(),
        problems: Vec::new(),
        fitting: Vec::new(),
    };
    if let Some(pg) = &input.postgresql {
        walk(k, Component::Postgresql, pg, input.planned, &mut t);
    }
    if let Some(r) = &input.redis {
        walk(k, Component::Redis, r, input.planned, &mut t);
    }
    if let Some(os) = &input.os {
        let current = Current {
            version: os.clone(),
            by_package: false,
        };
        walk(k, Component::Os, &current, input.planned, &mut t);
    }
    config::add(k, input, &mut t);
    misplaced(input, &mut t);
    t.steps
        .sort_by_key(|s| (position_index(&t.positions, s.after), s.component));
    t
}

fn position_index(positions: &[Minor], m: Minor) -> usize {
    positions.iter().position(|p| *p == m).unwrap_or(usize::MAX)
}

/// Planned steps whose `after` is not a version on the path.
fn misplaced(input: &Inputs<'_>, t: &mut Timeline) {
    for p in input.planned {
        let on_path = p.after.is_some_and(|a| t.positions.contains(&a));
        if on_path {
            continue;
        }
        let listed: Vec<String> = t.positions.iter().map(Minor::to_string).collect();
        t.problems.push(Problem {
            component: p.component,
            at: p.after.unwrap_or(t.start),
            message: format!(
                "The planned {} step to {} does not follow a version of the path: it must follow one of {}.",
                p.component.label(),
                p.to,
                listed.join(", ")
            ),
            plan_index: Some(p.index),
            fix: None,
        });
    }
}

/// Whether GitLab `at` supports `version` of `c`.
fn fits(k: &Knowledge, c: Component, version: &str, at: Minor) -> Result<(), Unsupported> {
    match c {
        Component::Os => support::os_supports(k, version, at),
        Component::Config => Ok(()),
        _ => support::supports(k, c, version, at),
    }
}

fn name(c: Component, version: &str) -> String {
    match c {
        Component::Os => os_text(version),
        _ => format!("{} {version}", c.label()),
    }
}

/// Walk the positions with one dependency: the running version must fit the running GitLab,
/// every hop must fit the version it meets, planned steps must go where their version fits.
fn walk(k: &Knowledge, c: Component, current: &Current, planned: &[Planned], t: &mut Timeline) {
    let mut v = current.version.clone();
    if let Err(e) = fits(k, c, &v, t.start) {
        if e != Unsupported::Unknown {
            t.problems.push(Problem {
                component: c,
                at: t.start,
                message: format!(
                    "{} {}, yet it runs with GitLab {} now: check the version entered (an unsupported combination cannot be planned from).",
                    name(c, &v),
                    e.describe(),
                    t.start
                ),
                plan_index: None,
                fix: None,
            });
        }
        return;
    }
    let positions = t.positions.clone();
    for (i, m) in positions.iter().copied().enumerate() {
        if i > 0 {
            if current.by_package {
                v = automatic(k, c, &v, m, t);
            }
            if fits(k, c, &v, m).is_ok() {
                t.fitting.push((c, m, v.clone()));
            }
            if let Err(e) = fits(k, c, &v, m) {
                // A step the plan has later: bridge to it with as small a step as will do.
                let later = planned
                    .iter()
                    .any(|p| p.component == c && p.after.is_some_and(|a| a >= m));
                v = missing_step(k, c, &v, (positions[i - 1], m), &e, later, t);
            }
        }
        for p in planned
            .iter()
            .filter(|p| p.component == c && p.after == Some(m))
        {
            v = planned_step(k, c, &v, m, p, t);
        }
    }
}

/// The bundled single-node PostgreSQL the package upgrades while installing `m`.
fn automatic(k: &Knowledge, c: Component, v: &str, m: Minor, t: &mut Timeline) -> String {
    if c != Component::Postgresql {
        return v.to_string();
    }
    let Some(a) = k
        .requirements
        .bundled_postgresql_auto_upgrade
        .iter()
        .find(|a| a.minor_parsed == Some(m))
        .filter(|a| crate::path::version_below(v, &a.postgresql))
    else {
        return v.to_string();
    };
    t.steps.push(DependencyStep {
        component: c,
        from: v.to_string(),
        to: a.postgresql.clone(),
        after: m,
        earliest: Some(m),
        latest: Some(m),
        origin: Origin::Automatic,
        reason: format!(
            "The {m} package upgrades the bundled PostgreSQL to {} by itself ({}). To keep the old version, run `sudo touch /etc/gitlab/disable-postgresql-upgrade` on the node before this hop, then upgrade it later with `sudo gitlab-ctl pg-upgrade`.",
            a.postgresql, a.note
        ),
        verified: true,
        plan_index: None,
        doc_url: Some("https://docs.gitlab.com/omnibus/settings/database/#upgrade-packaged-postgresql-server".into()),
    });
    a.postgresql.clone()
}

/// `v` does not fit the hop to `next`: propose the step that makes it fit, after `here`.
/// Returns the version the walk goes on with.
fn missing_step(
    k: &Knowledge,
    c: Component,
    v: &str,
    (here, next): (Minor, Minor),
    why: &Unsupported,
    later_planned: bool,
    t: &mut Timeline,
) -> String {
    let proposal = match (c, why) {
        (Component::Os, _) => propose_os(k, v, here, next, t.start),
        (_, Unsupported::Patch { minimum }) if later_planned => {
            propose_patch(k, c, v, minimum, (here, next), t.start)
        }
        _ => propose_version(k, c, v, here, next, t.start),
    };
    let message = match c {
        Component::Os => format!(
            "The hop to GitLab {next} cannot be installed on {}: it {}.",
            name(c, v),
            why.describe()
        ),
        _ => format!(
            "The hop to GitLab {next} does not run with {}: it {}.",
            name(c, v),
            why.describe()
        ),
    };
    match proposal {
        Some(step) => {
            let fix = t.proposals.len();
            let to = step.to.clone();
            t.problems.push(Problem {
                component: c,
                at: next,
                message: format!(
                    "{message} Plan {}: it can follow any GitLab version from {} (proposed: after {here}).",
                    step.title(),
                    step.range_text()
                ),
                plan_index: None,
                fix: Some(fix),
            });
            t.proposals.push(step);
            to
        }
        None => {
            t.problems.push(Problem {
                component: c,
                at: next,
                message: format!(
                    "{message} No version in the GitLab data runs with both {here} and {next}: check the path and the version entered."
                ),
                plan_index: None,
                fix: None,
            });
            v.to_string()
        }
    }
}

fn propose_version(
    k: &Knowledge,
    c: Component,
    v: &str,
    here: Minor,
    next: Minor,
    start: Minor,
) -> Option<DependencyStep> {
    let (major, range) = support::best_target(k, c, here, next)?;
    let old = support::major_of(v).and_then(|m| support::range_of(k, c, m));
    let earliest = range.from_parsed.map(|f| f.max(start)).or(Some(start));
    let latest = old.and_then(|o| o.until_parsed);
    let same_major = support::major_of(v) == Some(major);
    let reason = if same_major {
        format!(
            "GitLab {next} needs a newer {} {major}.x than {v}; upgrade to the newest {major}.x.",
            c.label()
        )
    } else {
        format!(
            "GitLab {next} does not run with {} {v}; {} {major} runs with every GitLab version from {} on.",
            c.label(),
            c.label(),
            range.from.as_deref().unwrap_or("the oldest in the data")
        )
    };
    Some(DependencyStep {
        component: c,
        from: v.to_string(),
        to: major.to_string(),
        after: here,
        earliest,
        latest,
        origin: Origin::Proposed,
        reason,
        verified: range.verified,
        plan_index: None,
        doc_url: Some(support_doc(c).to_string()),
    })
}

/// The same major, at the newest patch: the small step before a major upgrade planned later.
fn propose_patch(
    k: &Knowledge,
    c: Component,
    v: &str,
    minimum: &str,
    (here, next): (Minor, Minor),
    start: Minor,
) -> Option<DependencyStep> {
    let major = support::major_of(v)?;
    // The last minor of the GitLab major before the one that needs the patch.
    let latest = next
        .major
        .checked_sub(1)
        .and_then(|m| k.last_minor_of(m).map(|last| Minor::new(m, last)));
    Some(DependencyStep {
        component: c,
        from: v.to_string(),
        to: major.to_string(),
        after: here,
        earliest: Some(start),
        latest,
        origin: Origin::Proposed,
        reason: format!(
            "GitLab {} needs {} {minimum} or newer; the upgrade to a newer major the plan has comes later, so take {v} to the newest {major}.x first.",
            next.major,
            c.label()
        ),
        verified: true,
        plan_index: None,
        doc_url: Some(support_doc(c).to_string()),
    })
}

fn propose_os(
    k: &Knowledge,
    v: &str,
    here: Minor,
    next: Minor,
    start: Minor,
) -> Option<DependencyStep> {
    let current = support::os_entry(k, v)?;
    let target = support::best_os(k, current, here, next)?;
    Some(DependencyStep {
        component: Component::Os,
        from: v.to_string(),
        to: support::os_id(target),
        after: here,
        earliest: target.first_minor().map(|f| f.max(start)).or(Some(start)),
        latest: current.last_minor(),
        origin: Origin::Proposed,
        reason: format!(
            "GitLab {next} has no packages for {}; upgrade the OS at a GitLab version packaged for both releases, then install the same GitLab version for {}.",
            current.display_name(),
            target.display_name()
        ),
        verified: current.last_verified,
        plan_index: None,
        doc_url: Some("https://docs.gitlab.com/administration/postgresql/upgrading_os/".into()),
    })
}

/// A step of the plan: it must go where GitLab supports the new version.
fn planned_step(
    k: &Knowledge,
    c: Component,
    v: &str,
    m: Minor,
    p: &Planned,
    t: &mut Timeline,
) -> String {
    let (earliest, latest) = planned_range(k, c, v, &p.to, t.start);
    let step = DependencyStep {
        component: c,
        from: v.to_string(),
        to: p.to.clone(),
        after: m,
        earliest,
        latest,
        origin: Origin::Planned,
        reason: format!("Planned: {} after GitLab {m}.", c.label()),
        verified: true,
        plan_index: Some(p.index),
        doc_url: Some(support_doc(c).to_string()),
    };
    if let Err(e) = fits(k, c, &p.to, m) {
        t.problems.push(Problem {
            component: c,
            at: m,
            message: format!(
                "The planned step {} after GitLab {m} is out of its range: {} {}. It can follow any GitLab version from {}.",
                step.title(),
                name(c, &p.to),
                e.describe(),
                step.range_text()
            ),
            plan_index: Some(p.index),
            fix: None,
        });
    }
    t.steps.push(step);
    p.to.clone()
}

/// Where a step from `from` to `to` may go: from the first GitLab minor that supports `to` to
/// the last that supports `from`.
fn planned_range(
    k: &Knowledge,
    c: Component,
    from: &str,
    to: &str,
    start: Minor,
) -> (Option<Minor>, Option<Minor>) {
    match c {
        Component::Os => (
            support::os_entry(k, to)
                .and_then(|e| e.first_minor())
                .map(|f| f.max(start))
                .or(Some(start)),
            support::os_entry(k, from).and_then(|e| e.last_minor()),
        ),
        Component::Config => (Some(start), None),
        _ => (
            support::major_of(to)
                .and_then(|m| support::range_of(k, c, m))
                .and_then(|r| r.from_parsed)
                .map(|f| f.max(start))
                .or(Some(start)),
            support::major_of(from)
                .and_then(|m| support::range_of(k, c, m))
                .and_then(|r| r.until_parsed),
        ),
    }
}

fn support_doc(c: Component) -> &'static str {
    match c {
        Component::Postgresql => "https://docs.gitlab.com/install/requirements/#postgresql",
        Component::Redis => "https://docs.gitlab.com/install/requirements/#redis",
        Component::Os => "https://docs.gitlab.com/install/package/#supported-platforms",
        Component::Config => "https://docs.gitlab.com/update/upgrade_paths/",
    }
}

#[cfg(test)]
mod tests;
