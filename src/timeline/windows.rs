//! Maintenance windows: which hops and steps each takes, how long they are estimated to take
//! (or took in a rehearsal), the rollback reserve and the go/no-go time of each, and a
//! proposed split when one window is too short.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Component, DependencyStep, Entry, Timeline};
use crate::version::Minor;

/// Rough hours per hop (install, reconfigure, migrations, checks), single node.
pub const HOURS_PER_HOP_SINGLE: f64 = 1.0;
/// The same on a multi-node installation (node by node).
pub const HOURS_PER_HOP_MULTI: f64 = 1.5;
/// Rollback time assumed when the plan does not say.
pub const DEFAULT_ROLLBACK_HOURS: f64 = 2.0;

/// Rough hours for a dependency step (an estimate: databases and nodes differ a lot).
pub fn step_hours(s: &DependencyStep, multi_node: bool) -> f64 {
    if s.origin == super::Origin::Automatic {
        // Done by the package while it installs the hop: the hop takes that much longer.
        return 1.0;
    }
    let major_change = s.component != Component::Config
        && super::support::major_of(&s.from) != super::support::major_of(&s.to);
    match (s.component, major_change, multi_node) {
        (Component::Postgresql, true, _) => 2.0,
        (Component::Postgresql | Component::Redis, false, _) | (Component::Config, _, _) => 0.5,
        (Component::Redis, true, _) => 1.0,
        (Component::Os, _, false) => 3.0,
        (Component::Os, _, true) => 6.0,
    }
}

/// A window as the plan gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowInput {
    pub start: Option<NaiveDateTime>,
    pub hours: Option<f64>,
    /// `None`: to the end of the path (the last window).
    pub last_hop: Option<Minor>,
}

/// What fills a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A GitLab hop (its index in the path).
    Hop {
        index: usize,
        hours: f64,
        rehearsed: bool,
    },
    /// A dependency step (a copy: planned, automatic or proposed).
    Step { step: DependencyStep, hours: f64 },
}

impl Item {
    pub fn hours(&self) -> f64 {
        match self {
            Item::Hop { hours, .. } | Item::Step { hours, .. } => *hours,
        }
    }
}

/// One window of the schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowPlan {
    /// 1-based.
    pub number: usize,
    pub items: Vec<Item>,
    /// Estimated (or rehearsed) hours of work.
    pub work_hours: f64,
    pub rollback_hours: f64,
    /// The window's length, when given.
    pub length: Option<f64>,
    pub start: Option<NaiveDateTime>,
    /// The last moment to decide to go on: the end of the window less the rollback reserve.
    pub deadline: Option<NaiveDateTime>,
    /// Whether work and rollback reserve fit the length.
    pub fits: Option<bool>,
    /// The minor of the last hop in the window.
    pub last_hop: Option<Minor>,
}

/// How a schedule is computed.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    pub multi_node: bool,
    /// Rehearsed hours by GitLab `major.minor`.
    pub hop_hours: &'a BTreeMap<String, f64>,
    pub rollback_hours: f64,
    /// Count the proposed steps as if they were planned (what the plan will need).
    pub with_proposals: bool,
}

fn hop_estimate(settings: &Settings<'_>, m: Minor) -> (f64, bool) {
    match settings.hop_hours.get(&m.to_string()) {
        Some(h) if h.is_finite() && *h > 0.0 => (*h, true),
        _ if settings.multi_node => (HOURS_PER_HOP_MULTI, false),
        _ => (HOURS_PER_HOP_SINGLE, false),
    }
}

/// Every hop and step in order, with its hours.
pub fn items(hops: &[Minor], t: &Timeline, settings: &Settings<'_>) -> Vec<(Item, Minor)> {
    t.entries(hops, settings.with_proposals)
        .into_iter()
        .map(|e| match e {
            Entry::Hop(index) => {
                let (hours, rehearsed) = hop_estimate(settings, hops[index]);
                (
                    Item::Hop {
                        index,
                        hours,
                        rehearsed,
                    },
                    hops[index],
                )
            }
            Entry::Step(s) => (
                Item::Step {
                    step: s.clone(),
                    hours: step_hours(s, settings.multi_node),
                },
                s.after,
            ),
        })
        .collect()
}

/// Split the items among the windows: a window ends with the hops of its `last_hop` minor;
/// steps that follow that hop open the next window. The last window takes what is left.
pub fn schedule(
    hops: &[Minor],
    t: &Timeline,
    windows: &[WindowInput],
    settings: &Settings<'_>,
) -> Vec<WindowPlan> {
    let all = items(hops, t, settings);
    let mut plans = Vec::new();
    let mut rest = all.as_slice();
    for (i, w) in windows.iter().enumerate() {
        let last = i + 1 == windows.len();
        let cut = match (last, w.last_hop) {
            (false, Some(m)) => cut_after(rest, m),
            _ => rest.len(),
        };
        let (mine, others) = rest.split_at(cut);
        rest = others;
        plans.push(window_plan(i + 1, mine, w, settings));
    }
    plans
}

/// The index just past the last hop of minor `m` in `items`.
fn cut_after(items: &[(Item, Minor)], m: Minor) -> usize {
    items
        .iter()
        .rposition(|(it, at)| matches!(it, Item::Hop { .. }) && *at == m)
        .map_or(0, |i| i + 1)
}

fn window_plan(
    number: usize,
    items: &[(Item, Minor)],
    w: &WindowInput,
    settings: &Settings<'_>,
) -> WindowPlan {
    let work: f64 = items.iter().map(|(it, _)| it.hours()).sum();
    let deadline = match (w.start, w.hours) {
        (Some(s), Some(h)) => add_hours(s, h - settings.rollback_hours),
        _ => None,
    };
    WindowPlan {
        number,
        items: items.iter().map(|(it, _)| it.clone()).collect(),
        work_hours: work,
        rollback_hours: settings.rollback_hours,
        length: w.hours,
        start: w.start,
        deadline,
        fits: w.hours.map(|h| work + settings.rollback_hours <= h + 1e-9),
        last_hop: items
            .iter()
            .rev()
            .find(|(it, _)| matches!(it, Item::Hop { .. }))
            .map(|(_, m)| *m),
    }
}

fn add_hours(start: NaiveDateTime, hours: f64) -> Option<NaiveDateTime> {
    if !hours.is_finite() {
        return None;
    }
    start.checked_add_signed(chrono::Duration::try_minutes((hours * 60.0).round() as i64)?)
}

/// A split into windows of `length` hours each (work plus the rollback reserve): the last hop
/// of every window but the last. A hop or step longer than a window gets a window of its own.
pub fn propose_split(
    hops: &[Minor],
    t: &Timeline,
    length: f64,
    settings: &Settings<'_>,
) -> Vec<Minor> {
    let capacity = length - settings.rollback_hours;
    let all = items(hops, t, settings);
    let mut cuts = Vec::new();
    let mut used = 0.0;
    let mut last_hop_in_window: Option<Minor> = None;
    for (item, at) in &all {
        let h = item.hours();
        if used > 0.0
            && used + h > capacity + 1e-9
            && let Some(m) = last_hop_in_window.take()
        {
            cuts.push(m);
            used = 0.0;
        }
        used += h;
        if matches!(item, Item::Hop { .. }) {
            last_hop_in_window = Some(*at);
        }
    }
    // The last window ends with the target: no cut after it.
    if cuts.last() == hops.last() {
        cuts.pop();
    }
    cuts.dedup();
    cuts
}

/// What must have happened between two windows.
pub fn between(last_hop_version: &str) -> String {
    format!(
        "Before the next window: the batched background migrations of {last_hop_version} must have finished (Admin > Monitoring > Background migrations shows none queued or running; the runbook's check prints 0). On a large instance they take hours to days: leave at least a day between the windows and check before starting."
    )
}
