//! The checklist of one window, made from its runbook: the start of the window, each hop
//! (before, install, after) followed by its gate, each dependency step, and the end, every
//! step with a stable id that the run log refers to. Also the window's times (start, end,
//! go/no-go deadline, rollback reserve) and the rollback steps to each version a rollback in
//! this window could return to.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::export::runbook::{self, Context, RunbookStep};
use crate::export::{ExportModel, RunbookEntry, RunbookHop, TimelineRow};
use crate::path::NoteSeverity;
use crate::plan::Plan;
use crate::validate::{Analysis, DEFAULT_ROLLBACK_HOURS, parse_local_datetime};

/// What a section of the checklist is.
#[derive(Debug, Clone, PartialEq)]
pub enum SectionKind {
    /// Go/no-go, checks and the backup at the start of the window.
    Start,
    /// A GitLab hop: its number on the path and its `major.minor`.
    Hop { number: usize, minor: String },
    /// A PostgreSQL, Redis, OS or configuration step.
    Dependency,
    /// What ends the window (or the upgrade, after the last window).
    End,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetStep {
    /// Stable within the plan's runbook: `hop2.install.1`.
    pub id: String,
    /// `Before`, `Install`, `After`, or a dependency step's group.
    pub group: String,
    pub text: String,
    pub command: Option<String>,
    pub unverified: bool,
    pub attention: Option<NoteSeverity>,
}

/// The check outputs that must be read before what follows a hop may start.
#[derive(Debug, Clone, PartialEq)]
pub struct GateSpec {
    /// The version the hop installed (`17.3.7`, or `19.5.x` when the patch is not known).
    pub version: String,
    /// Geo is used: `gitlab:geo:check` is one of the checks.
    pub geo: bool,
    /// The commands the runbook gives for these checks, in its order.
    pub commands: Vec<String>,
}

/// A part of the checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `start`, `hop2`, `dep3`, `end`.
    pub id: String,
    pub title: String,
    pub kind: SectionKind,
    /// The GitLab version running once the section is done.
    pub version_after: String,
    /// Hours the plan gives it (a rehearsal's, or the estimate).
    pub planned_hours: Option<f64>,
    /// The hours come from a rehearsal.
    pub rehearsed: bool,
    /// It takes a backup (a rollback after it returns to `backup_version`).
    pub backup_version: Option<String>,
    pub steps: Vec<SheetStep>,
    pub gate: Option<GateSpec>,
}

/// The window's times, in UTC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowTimes {
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// The end less the rollback reserve: the last moment to decide to go on.
    pub deadline: Option<DateTime<Utc>>,
    pub rollback_hours: f64,
    /// Hours of work the plan gives the window.
    pub work_hours: f64,
}

/// The checklist of one window.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// 1-based.
    pub window: usize,
    pub window_count: usize,
    /// `Window 1 of 2: Sat 12 Dec 2026 20:00 Europe/Berlin`.
    pub title: String,
    pub start_version: String,
    pub end_version: String,
    /// The window's time zone, for showing times (UTC when the plan has none that parses).
    pub time_zone: Option<chrono_tz::Tz>,
    pub times: WindowTimes,
    pub sections: Vec<Section>,
    /// The rollback steps to each version a backup in this window is taken at.
    pub rollbacks: Vec<(String, Vec<RunbookStep>)>,
    /// `EE` or `CE`.
    pub edition: String,
}

impl Sheet {
    /// The checklist of window `window` (1-based), or `None` when the plan has no such window
    /// in its runbook (no path yet).
    pub fn build(
        plan: &Plan,
        analysis: &Analysis,
        model: &ExportModel,
        window: usize,
    ) -> Option<Sheet> {
        let rb = model.runbook.windows.get(window.checked_sub(1)?)?;
        let row = model.windows.get(window - 1)?;
        let count = model.windows.len();
        let geo = plan.geo_enabled() == Some(true);
        let mut sections = vec![Section {
            id: "start".into(),
            title: format!("Start of the window (GitLab {})", rb.start_version),
            kind: SectionKind::Start,
            version_after: rb.start_version.clone(),
            planned_hours: None,
            rehearsed: false,
            backup_version: Some(rb.start_version.clone()),
            steps: steps("start", "Start", &rb.start),
            gate: None,
        }];
        let mut running = rb.start_version.clone();
        for (k, entry) in rb.entries.iter().enumerate() {
            let section = match entry {
                RunbookEntry::Hop { number } => {
                    let Some(hop) = model.runbook.hop(*number) else {
                        continue;
                    };
                    hop_section(model, row, hop, geo)
                }
                RunbookEntry::Dependency(dep) => dependency_section(row, dep, k, &running),
            };
            running = section.version_after.clone();
            sections.push(section);
        }
        sections.push(end_section(model, rb, window == count, &running));
        let time_zone = plan
            .windows
            .get(window - 1)
            .and_then(|w| w.time_zone.as_deref())
            .and_then(|z| z.trim().parse::<chrono_tz::Tz>().ok());
        let times = window_times(plan, analysis, window, time_zone, row.work_hours);
        let rollbacks = rollback_options(plan, &sections, &model.versions.edition_short);
        Some(Sheet {
            window,
            window_count: count,
            title: row.title(count),
            start_version: rb.start_version.clone(),
            end_version: running,
            time_zone,
            times,
            sections,
            rollbacks,
            edition: model.versions.edition_short.clone(),
        })
    }

    /// Every step in order, with its section.
    pub fn all_steps(&self) -> impl Iterator<Item = (&Section, &SheetStep)> {
        self.sections
            .iter()
            .flat_map(|s| s.steps.iter().map(move |st| (s, st)))
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&SheetStep> {
        self.all_steps().map(|(_, s)| s).find(|s| s.id == id)
    }

    /// The rollback steps back to `version` (the first listed when that version has none).
    pub fn rollback_to(&self, version: &str) -> Option<&(String, Vec<RunbookStep>)> {
        self.rollbacks
            .iter()
            .find(|(v, _)| v == version)
            .or_else(|| self.rollbacks.first())
    }

    /// A time as the window's clock shows it: `Sat 12 Dec 20:05` in its zone.
    pub fn local(&self, t: DateTime<Utc>) -> String {
        match self.time_zone {
            Some(tz) => t.with_timezone(&tz).format("%a %-d %b %H:%M").to_string(),
            None => t.format("%a %-d %b %H:%M UTC").to_string(),
        }
    }
}

/// A dependency step (the `k`-th entry of the window), done while `running` runs.
fn dependency_section(
    row: &crate::export::WindowRow,
    dep: &crate::export::RunbookDependency,
    k: usize,
    running: &str,
) -> Section {
    let planned: f64 = row
        .entries
        .iter()
        .filter_map(|e| match e {
            TimelineRow::Step {
                component,
                after,
                hours,
                ..
            } if *component == dep.component && *after == dep.after => Some(*hours),
            _ => None,
        })
        .sum();
    let id = format!("dep{}", k + 1);
    let mut list = Vec::new();
    for (g, group) in dep.groups.iter().enumerate() {
        list.extend(steps(
            &format!("{id}.{}", g + 1),
            &group.title,
            &group.steps,
        ));
    }
    let backs_up = list.iter().any(|s| {
        s.text.starts_with("Back up GitLab at") || s.text.starts_with("Snapshot every node at")
    });
    Section {
        id,
        title: dep.title.clone(),
        kind: SectionKind::Dependency,
        version_after: running.to_string(),
        planned_hours: (planned > 0.0).then_some(planned),
        rehearsed: false,
        backup_version: backs_up.then(|| running.to_string()),
        steps: list,
        gate: None,
    }
}

/// What ends the window: the runbook's end of window, or what follows the last hop.
fn end_section(
    model: &ExportModel,
    rb: &crate::export::RunbookWindow,
    last: bool,
    running: &str,
) -> Section {
    Section {
        id: "end".into(),
        title: if last {
            "After the last hop".into()
        } else {
            format!("End of the window (GitLab {running})")
        },
        kind: SectionKind::End,
        version_after: running.to_string(),
        planned_hours: None,
        rehearsed: false,
        backup_version: None,
        steps: steps(
            "end",
            "End",
            if last { &model.runbook.after } else { &rb.end },
        ),
        gate: None,
    }
}

/// The steps of a list with ids `{prefix}.{n}` (1-based).
fn steps(prefix: &str, group: &str, list: &[RunbookStep]) -> Vec<SheetStep> {
    list.iter()
        .enumerate()
        .map(|(i, s)| SheetStep {
            id: format!("{prefix}.{}", i + 1),
            group: group.to_string(),
            text: s.text.clone(),
            command: s.command.clone(),
            unverified: s.unverified,
            attention: s.attention,
        })
        .collect()
}

fn hop_section(
    model: &ExportModel,
    row: &crate::export::WindowRow,
    hop: &RunbookHop,
    geo: bool,
) -> Section {
    let id = format!("hop{}", hop.number);
    let minor = model
        .path
        .as_ref()
        .and_then(|p| p.hops.iter().find(|h| h.number == hop.number))
        .map(|h| h.minor.clone())
        .unwrap_or_default();
    let (planned, rehearsed) = row
        .entries
        .iter()
        .find_map(|e| match e {
            TimelineRow::Hop {
                number,
                hours,
                rehearsed,
                ..
            } if *number == hop.number => Some((*hours, *rehearsed)),
            _ => None,
        })
        .map_or((None, false), |(h, r)| (Some(h), r));
    let mut list = steps(&format!("{id}.pre"), "Before", &hop.pre_checks);
    list.extend(steps(&format!("{id}.install"), "Install", &hop.install));
    list.extend(steps(&format!("{id}.post"), "After", &hop.post_checks));
    let commands = hop
        .post_checks
        .iter()
        .filter_map(|s| s.command.as_deref())
        .flat_map(str::lines)
        .filter(|c| {
            [
                "background",
                "BatchedMigration",
                "gitlab:check",
                "db:migrate:status",
                "geo:check",
            ]
            .iter()
            .any(|k| c.contains(k))
        })
        .map(str::to_string)
        .collect();
    Section {
        title: format!("Hop {}: {} → {}", hop.number, hop.from_version, hop.version),
        kind: SectionKind::Hop {
            number: hop.number,
            minor,
        },
        version_after: hop.version.clone(),
        planned_hours: planned,
        rehearsed,
        backup_version: hop.backup.then(|| hop.from_version.clone()),
        steps: list,
        gate: Some(GateSpec {
            version: hop.version.clone(),
            geo,
            commands,
        }),
        id,
    }
}

/// The window's start, end and deadline in UTC, from the schedule (or the plan's window when
/// there is no schedule).
fn window_times(
    plan: &Plan,
    analysis: &Analysis,
    window: usize,
    tz: Option<chrono_tz::Tz>,
    work_hours: f64,
) -> WindowTimes {
    let scheduled = analysis
        .schedule
        .as_ref()
        .and_then(|s| s.windows.get(window - 1));
    let given = plan.windows.get(window - 1);
    let start = scheduled.and_then(|w| w.start).or_else(|| {
        given
            .and_then(|w| w.start.as_deref())
            .and_then(parse_local_datetime)
    });
    let length = scheduled
        .and_then(|w| w.length)
        .or_else(|| given.and_then(|w| w.duration_hours))
        .filter(|h| h.is_finite() && *h > 0.0 && *h <= 168.0);
    let rollback_hours = scheduled.map_or_else(
        || {
            plan.rollback
                .as_ref()
                .and_then(|r| r.duration_hours)
                .filter(|h| h.is_finite() && *h >= 0.0)
                .unwrap_or(DEFAULT_ROLLBACK_HOURS)
        },
        |w| w.rollback_hours,
    );
    let start = start.and_then(|s| to_utc(s, tz));
    let end = start.zip(length).and_then(|(s, h)| add_hours(s, h));
    let deadline = end.and_then(|e| add_hours(e, -rollback_hours));
    WindowTimes {
        start,
        end,
        deadline,
        rollback_hours,
        work_hours,
    }
}

/// A local time of the window's zone in UTC (the machine's zone when the plan gives none).
fn to_utc(t: NaiveDateTime, tz: Option<chrono_tz::Tz>) -> Option<DateTime<Utc>> {
    match tz {
        Some(tz) => tz
            .from_local_datetime(&t)
            .earliest()
            .map(|l| l.with_timezone(&Utc)),
        None => chrono::Local
            .from_local_datetime(&t)
            .earliest()
            .map(|l| l.with_timezone(&Utc)),
    }
}

/// `t` plus `hours` (rounded to the minute).
pub fn add_hours(t: DateTime<Utc>, hours: f64) -> Option<DateTime<Utc>> {
    if !hours.is_finite() {
        return None;
    }
    t.checked_add_signed(chrono::Duration::try_minutes((hours * 60.0).round() as i64)?)
}

/// The rollback steps to every version this window backs up at, the window's start first.
fn rollback_options(
    plan: &Plan,
    sections: &[Section],
    edition: &str,
) -> Vec<(String, Vec<RunbookStep>)> {
    let shown = crate::export::redact::display_plan(plan, false);
    let ctx = Context::from_plan(&shown);
    let mut out: Vec<(String, Vec<RunbookStep>)> = Vec::new();
    for v in sections.iter().filter_map(|s| s.backup_version.as_deref()) {
        if !out.iter().any(|(have, _)| have == v) {
            out.push((v.to_string(), runbook::rollback_steps(&ctx, v, edition)));
        }
    }
    out
}
