//! The window's clock: planned against actual per section, time left, the go/no-go deadline,
//! and the warning when going on would leave less time than a rollback needs.

use chrono::{DateTime, Duration, Utc};

use super::log::{Run, StepStatus};
use super::sheet::{Section, Sheet, add_hours};

/// Where a section stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    Running,
    Done,
}

/// A section's planned and actual time.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionTime {
    pub id: String,
    pub title: String,
    pub planned_hours: Option<f64>,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
    pub progress: Progress,
}

impl SectionTime {
    /// Hours from start to finish (or to `now` while running).
    pub fn actual_hours(&self, now: DateTime<Utc>) -> Option<f64> {
        let start = self.started?;
        let end = match self.progress {
            Progress::Done => self.finished?,
            Progress::Running => now,
            Progress::NotStarted => return None,
        };
        Some(hours_between(start, end))
    }
}

/// What the clock says went wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum ClockWarning {
    /// The window is over.
    WindowOver { end: DateTime<Utc> },
    /// The go/no-go time has passed: less of the window is left than a rollback needs.
    PastDeadline {
        deadline: DateTime<Utc>,
        left: Duration,
        rollback_hours: f64,
    },
    /// At the planned pace, the work left reaches past the go/no-go time: `section` is the
    /// first part that would end after it.
    WillPassDeadline {
        section: String,
        expected_end: DateTime<Utc>,
        deadline: DateTime<Utc>,
    },
}

/// The clock of a run at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockState {
    pub now: DateTime<Utc>,
    pub sections: Vec<SectionTime>,
    /// From the start of the run.
    pub elapsed: Option<Duration>,
    /// To the end of the window.
    pub left: Option<Duration>,
    /// To the go/no-go time (negative once past).
    pub to_deadline: Option<Duration>,
    /// Planned hours of the sections not done yet.
    pub remaining_planned: f64,
    pub warning: Option<ClockWarning>,
}

impl ClockState {
    /// Whether the app must say plainly that continuing leaves less time than the rollback
    /// needs (and show the rollback).
    pub fn rollback_warning(&self) -> bool {
        self.warning.is_some()
    }
}

pub fn hours_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 3600.0
}

/// Whether every step of a section is done or skipped and its gate (if any) lets on.
pub fn section_complete(run: &Run, s: &Section) -> bool {
    let steps = s.steps.iter().all(|st| {
        matches!(
            run.status_of(&st.id),
            Some(StepStatus::Done | StepStatus::Skipped)
        )
    });
    steps && (s.gate.is_none() || run.gate_open(&s.id))
}

/// The latest time anything happened in a section (its steps and its gate).
fn last_activity(run: &Run, s: &Section) -> Option<DateTime<Utc>> {
    let steps = run
        .events
        .iter()
        .filter(|e| s.steps.iter().any(|st| st.id == e.step))
        .filter_map(|e| e.time());
    let gates = run
        .gates
        .iter()
        .filter(|g| g.after == s.id)
        .filter_map(|g| g.time());
    steps.chain(gates).max()
}

fn first_activity(run: &Run, s: &Section) -> Option<DateTime<Utc>> {
    run.events
        .iter()
        .filter(|e| s.steps.iter().any(|st| st.id == e.step))
        .filter_map(|e| e.time())
        .min()
}

/// Each section's times: a section starts when the one before it is complete (the first when
/// the run starts), or at its first tick if that is earlier; it ends with its last tick or
/// gate once complete.
pub fn section_times(sheet: &Sheet, run: &Run) -> Vec<SectionTime> {
    let mut out = Vec::with_capacity(sheet.sections.len());
    let mut previous_end = run.started();
    let mut previous_done = true;
    for s in &sheet.sections {
        let complete = section_complete(run, s);
        let first = first_activity(run, s);
        let started = match (previous_done.then_some(previous_end).flatten(), first) {
            (Some(p), Some(f)) => Some(p.min(f)),
            (p, f) => p.or(f),
        };
        let finished = if complete {
            last_activity(run, s).or(started)
        } else {
            None
        };
        let progress = if complete {
            Progress::Done
        } else if started.is_some() {
            Progress::Running
        } else {
            Progress::NotStarted
        };
        out.push(SectionTime {
            id: s.id.clone(),
            title: s.title.clone(),
            planned_hours: s.planned_hours,
            started,
            finished,
            progress,
        });
        previous_done = complete;
        previous_end = finished.or(previous_end);
    }
    out
}

/// The clock at `now`.
pub fn clock(sheet: &Sheet, run: &Run, now: DateTime<Utc>) -> ClockState {
    let sections = section_times(sheet, run);
    let t = sheet.times;
    let remaining_planned: f64 = sections
        .iter()
        .filter(|s| s.progress != Progress::Done)
        .filter_map(|s| s.planned_hours)
        .sum();
    let warning = warning(&sections, &t, run, now);
    ClockState {
        now,
        elapsed: run.started().map(|s| now - s),
        left: t.end.map(|e| e - now),
        to_deadline: t.deadline.map(|d| d - now),
        remaining_planned,
        warning,
        sections,
    }
}

fn warning(
    sections: &[SectionTime],
    t: &super::sheet::WindowTimes,
    run: &Run,
    now: DateTime<Utc>,
) -> Option<ClockWarning> {
    // A finished run, or one rolling back, has nothing left to decide.
    if run.finished().is_some() || run.rollback.is_some() {
        return None;
    }
    if let Some(end) = t.end
        && now >= end
    {
        return Some(ClockWarning::WindowOver { end });
    }
    let deadline = t.deadline?;
    if now >= deadline {
        return Some(ClockWarning::PastDeadline {
            deadline,
            left: t.end.map_or_else(Duration::zero, |e| e - now),
            rollback_hours: t.rollback_hours,
        });
    }
    // The work left at the planned pace: the section under way ends at its planned end (or
    // now, when it is late), each one after it takes its planned hours.
    let mut cursor = now;
    for s in sections.iter().filter(|s| s.progress != Progress::Done) {
        let Some(planned) = s.planned_hours else {
            continue;
        };
        let end = match (s.progress, s.started) {
            (Progress::Running, Some(start)) => add_hours(start, planned)?.max(cursor),
            _ => add_hours(cursor, planned)?,
        };
        if end > deadline {
            return Some(ClockWarning::WillPassDeadline {
                section: s.title.clone(),
                expected_end: end,
                deadline,
            });
        }
        cursor = end;
    }
    None
}

/// `1 h 20 min`, `45 min`, `-10 min`.
pub fn duration_text(d: Duration) -> String {
    let minutes = d.num_minutes();
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.abs();
    match (m / 60, m % 60) {
        (0, m) => format!("{sign}{m} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

impl ClockWarning {
    /// What the app says, plainly.
    pub fn message(&self, sheet: &Sheet) -> String {
        let reserve = crate::export::hours(sheet.times.rollback_hours);
        match self {
            ClockWarning::WindowOver { end } => format!(
                "The window ended at {}. Continuing leaves less time than the rollback needs ({reserve}): roll back now unless everyone involved agrees to extend the window.",
                sheet.local(*end)
            ),
            ClockWarning::PastDeadline {
                deadline,
                left,
                rollback_hours,
            } => format!(
                "It is past the go/no-go time ({}). Only {} of the window is left and a rollback needs {}: continuing leaves less time than the rollback needs. Roll back now, or agree a longer window with everyone involved.",
                sheet.local(*deadline),
                duration_text(*left),
                crate::export::hours(*rollback_hours)
            ),
            ClockWarning::WillPassDeadline {
                section,
                expected_end,
                deadline,
            } => format!(
                "At the planned pace, {section} ends at {}, after the go/no-go time ({}): continuing leaves less time than the rollback needs ({reserve}). Decide now whether to go on or roll back.",
                sheet.local(*expected_end),
                sheet.local(*deadline)
            ),
        }
    }
}
