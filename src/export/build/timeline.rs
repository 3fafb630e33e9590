//! The timeline in the export model: the windows at a glance, and the runbook window by window
//! with the hops and dependency steps in order. Backups are taken at the start of each window,
//! before each risky step (and before every hop when the plan asks), never twice at the same
//! version in a row.

use super::*;
use crate::plan::{InstallMethod, Window};
use crate::timeline::windows::{self, Item, WindowInput, WindowPlan};
use crate::timeline::{Component, DependencyStep, Origin, Timeline};
use crate::version::Minor;

/// The windows to write out: the schedule's, or, when the analysis has none (no timeline for
/// this path), one window with every hop.
fn window_plans(plan: &Plan, analysis: &Analysis) -> (Vec<WindowPlan>, Vec<DependencyStep>) {
    if let Some(s) = &analysis.schedule {
        return (s.windows.clone(), s.timeline.steps.clone());
    }
    let Some(p) = &analysis.path else {
        return (Vec::new(), Vec::new());
    };
    let hops: Vec<Minor> = p.hops.iter().map(crate::path::Hop::minor).collect();
    let Ok(start) = crate::version::parse_version(&p.from).map(|v| v.minor()) else {
        return (Vec::new(), Vec::new());
    };
    let mut positions = vec![start];
    positions.extend(hops.iter().copied());
    positions.dedup();
    let t = Timeline {
        start,
        positions,
        steps: Vec::new(),
        proposals: Vec::new(),
        problems: Vec::new(),
        fitting: Vec::new(),
    };
    let w = plan.first_window().cloned().unwrap_or_default();
    let input = WindowInput {
        start: text(&w.start).and_then(|s| parse_local_datetime(&s)),
        hours: w.duration_hours,
        last_hop: None,
    };
    let settings = crate::validate::schedule_settings(plan);
    (
        windows::schedule(&hops, &t, &[input], &settings),
        Vec::new(),
    )
}

/// The windows at a glance and the runbook's hops and windows.
pub(super) struct Parts {
    pub rows: Vec<WindowRow>,
    pub hops: Vec<RunbookHop>,
    pub windows: Vec<RunbookWindow>,
    /// How many backups the runbook takes.
    pub backups: usize,
}

/// Walks the windows in order, keeping the version GitLab runs and the version of the last
/// backup.
struct Walk<'a> {
    plan: &'a Plan,
    k: &'a Knowledge,
    analysis: &'a Analysis,
    path: &'a PathInfo,
    release: &'a Release<'a>,
    order: &'a [String],
    /// Steps the package does while it installs a hop (a backup goes before that hop).
    automatic: Vec<DependencyStep>,
    running: String,
    last_backup: Option<String>,
    parts: Parts,
}

pub(super) fn parts(
    plan: &Plan,
    k: &Knowledge,
    analysis: &Analysis,
    path: Option<&PathInfo>,
    release: &Release<'_>,
    order: &[String],
) -> Parts {
    let empty = Parts {
        rows: Vec::new(),
        hops: Vec::new(),
        windows: Vec::new(),
        backups: 0,
    };
    let Some(path) = path else {
        return empty;
    };
    let (plans, steps) = window_plans(plan, analysis);
    let mut walk = Walk {
        plan,
        k,
        analysis,
        path,
        release,
        order,
        automatic: steps
            .into_iter()
            .filter(|s| s.origin == Origin::Automatic)
            .collect(),
        running: path.from.clone(),
        last_backup: None,
        parts: empty,
    };
    let count = plans.len();
    for w in &plans {
        walk.window(w, count);
    }
    walk.parts.hops.sort_by_key(|h| h.number);
    walk.parts
}

impl Walk<'_> {
    fn window(&mut self, w: &WindowPlan, count: usize) {
        let from = self.running.clone();
        let when = self
            .plan
            .windows
            .get(w.number - 1)
            .map(window_info)
            .unwrap_or_else(|| window_info(&Window::default()));
        let go_no_go = w.deadline.map(fmt_local);
        let start = runbook::window_start(
            self.release.ctx,
            &runbook::WindowStart {
                number: w.number,
                version: &from,
                go_no_go: go_no_go.as_deref(),
                rollback_hours: w.rollback_hours,
            },
            self.release.edition_short,
        );
        self.took_backup(&from);
        let mut rows = Vec::new();
        let mut entries = Vec::new();
        let mut i = 0;
        while i < w.items.len() {
            let changes = self.configuration_run(&w.items[i..]);
            if !changes.is_empty() {
                i += changes.len();
                rows.extend(changes.iter().map(|(s, h)| step_row(s, *h)));
                entries.push(self.configuration(&changes));
                continue;
            }
            let (row, entry) = match &w.items[i] {
                Item::Hop {
                    index,
                    hours,
                    rehearsed,
                } => self.hop(*index, *hours, *rehearsed),
                Item::Step { step, hours } => self.step(step, *hours),
            };
            rows.extend(row);
            entries.extend(entry);
            i += 1;
        }
        let last = w.number == count;
        self.parts.rows.push(WindowRow {
            number: w.number,
            when,
            work_hours: w.work_hours,
            rollback_hours: w.rollback_hours,
            go_no_go,
            fits: w.fits,
            from_version: from.clone(),
            to_version: self.running.clone(),
            entries: rows,
            before_next: (!last).then(|| windows::between(&self.running)),
        });
        self.parts.windows.push(RunbookWindow {
            number: w.number,
            start_version: from,
            start,
            entries,
            end: if last {
                Vec::new()
            } else {
                runbook::window_end(&self.running, w.number + 1)
            },
        });
    }

    /// The minor that refuses the old configuration a configuration step changes.
    fn refused_from(&self, s: &DependencyStep) -> Option<Minor> {
        (s.component == Component::Config)
            .then(|| crate::timeline::config::boundary(self.k, &s.to))
            .flatten()
    }

    /// The configuration steps at the start of `items` that follow the same version and that
    /// the same major refuses (empty when `items` does not start with one).
    fn configuration_run<'i>(&self, items: &'i [Item]) -> Vec<(&'i DependencyStep, f64)> {
        let mut run: Vec<(&DependencyStep, f64)> = Vec::new();
        for item in items {
            let Item::Step { step, hours } = item else {
                break;
            };
            let same = run.first().is_none_or(|(f, _)| {
                f.after == step.after && self.refused_from(f) == self.refused_from(step)
            });
            if step.component != Component::Config || !same {
                break;
            }
            run.push((step, *hours));
        }
        run
    }

    fn configuration(&mut self, changes: &[(&DependencyStep, f64)]) -> RunbookEntry {
        let steps: Vec<&DependencyStep> = changes.iter().map(|(s, _)| *s).collect();
        let refused = steps.first().and_then(|s| self.refused_from(s));
        RunbookEntry::Dependency(Box::new(runbook::configuration(
            self.release.ctx,
            &steps,
            &self.running,
            refused,
        )))
    }

    fn took_backup(&mut self, version: &str) {
        self.last_backup = Some(version.to_string());
        self.parts.backups += 1;
    }

    /// A backup is due at `version` unless the last one was taken there.
    fn backup_due(&self, version: &str) -> bool {
        self.last_backup.as_deref() != Some(version)
    }

    fn hop(
        &mut self,
        index: usize,
        hours: f64,
        rehearsed: bool,
    ) -> (Option<TimelineRow>, Option<RunbookEntry>) {
        let (Some(row), Some(hop)) = (
            self.path.hops.get(index),
            self.analysis.path.as_ref().and_then(|p| p.hops.get(index)),
        ) else {
            return (None, None);
        };
        let package_changes_database = self
            .automatic
            .iter()
            .any(|s| s.after == hop.minor() && s.component == Component::Postgresql);
        let backup = (self.plan.backup_every_hop == Some(true) || package_changes_database)
            && self.backup_due(&row.from_version);
        let spec = runbook::HopSpec {
            number: row.number,
            total: self.path.hops.len(),
            from_version: &row.from_version,
            version: &hop.version,
            patch_known: hop.patch_known,
            minor: &hop.minor,
            attention: attention(row),
            backup,
        };
        let written = runbook::hop(
            self.release.ctx,
            &spec,
            self.order,
            self.release.edition_short,
        );
        if backup {
            self.took_backup(&row.from_version);
        }
        self.parts.hops.push(written);
        self.running = row.version.clone();
        (
            Some(TimelineRow::Hop {
                number: row.number,
                from_version: row.from_version.clone(),
                version: row.version.clone(),
                hours,
                rehearsed,
            }),
            Some(RunbookEntry::Hop { number: row.number }),
        )
    }

    fn step(
        &mut self,
        step: &DependencyStep,
        hours: f64,
    ) -> (Option<TimelineRow>, Option<RunbookEntry>) {
        let running = self.running.clone();
        let backup = runbook::is_risky(step) && self.backup_due(&running);
        let spec = runbook::DependencySpec {
            step,
            on_version: &running,
            backup,
            refused_from: self.refused_from(step),
        };
        let written = runbook::dependency(self.release.ctx, &spec, self.release.edition_short);
        if backup {
            self.took_backup(&running);
        }
        let row = step_row(step, hours);
        (Some(row), Some(RunbookEntry::Dependency(Box::new(written))))
    }
}

/// A dependency step at a glance.
fn step_row(step: &DependencyStep, hours: f64) -> TimelineRow {
    TimelineRow::Step {
        component: step.component.label().to_string(),
        title: step.title(),
        after: step.after.to_string(),
        range: step.range_text(),
        origin: match step.origin {
            Origin::Planned => "planned",
            Origin::Proposed => "proposed",
            Origin::Automatic => "automatic",
        }
        .to_string(),
        hours,
        // A planned step's reason only says that it is planned.
        reason: if step.origin == Origin::Planned {
            String::new()
        } else {
            step.reason.clone()
        },
    }
}

/// The attention lines of a hop: its blockers and warnings.
fn attention(h: &HopRow) -> Vec<runbook::Attention> {
    h.notes
        .iter()
        .filter(|n| n.severity != NoteSeverity::Info)
        .map(|n| {
            let mut text = n.text.clone();
            if let Some(c) = &n.check {
                text.push_str(&format!(" (applies if: {c})"));
            }
            runbook::Attention {
                severity: n.severity,
                id: n.id.clone(),
                text,
            }
        })
        .collect()
}

/// The runbook: preparation, node order, the windows and what follows the last one.
pub(super) fn runbook_of(
    plan: &Plan,
    k: &Knowledge,
    analysis: &Analysis,
    path: Option<&PathInfo>,
    release: &Release<'_>,
    ticket: Option<&str>,
) -> (Runbook, Vec<WindowRow>) {
    let ctx = release.ctx;
    // Kubernetes deployments roll their pods out themselves: no node order.
    let order = if plan.topology_kind() == Some(TopologyKind::MultiNode) && !ctx_is_kubernetes(plan)
    {
        runbook::node_order(plan)
    } else {
        Vec::new()
    };
    let parts = parts(plan, k, analysis, path, release, &order);
    let hop_versions: Vec<String> = path
        .map(|p| {
            p.hops
                .iter()
                .filter(|h| h.patch_known)
                .map(|h| h.version.clone())
                .collect()
        })
        .unwrap_or_default();
    // The fresh backup after the last hop counts too.
    let backups = parts.backups + 1;
    let runbook = Runbook {
        commands_for: plan
            .method()
            .map_or("the Linux package", InstallMethod::label)
            .to_string(),
        before: runbook::preparation(ctx, &hop_versions, backups),
        every_hop: runbook::every_hop(ctx, &order),
        order,
        zero_downtime: plan.zero_downtime == Some(true),
        hops: parts.hops,
        after: runbook::after(
            ctx,
            path.map_or("the target version", |p| p.to.as_str()),
            release.edition_short,
            ticket,
        ),
        windows: parts.windows,
        backup_every_hop: plan.backup_every_hop == Some(true),
    };
    (runbook, parts.rows)
}
