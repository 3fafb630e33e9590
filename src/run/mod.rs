//! The upgrade day: a window's runbook as a checklist that is ticked as the work is done, the
//! gates between hops, the window's clock, the completion report, and a rehearsal's times as
//! the plan's estimates.
//!
//! `log` is the run log as stored in the plan file (`runs`); `sheet` makes the checklist from
//! the export model's runbook; `gate` reads check outputs; `timing` is the clock; `report` the
//! completion report; `rehearsal` the times a rehearsal gives the plan; `store` saves the log.
//! The actions below change a run and check what may be done first (a step after a gate that
//! has not let on is locked; a skip or a failure needs a note; a note may not hold a secret).

pub mod clock;
pub mod gate;
pub mod log;
pub mod rehearsal;
pub mod report;
pub mod sheet;
pub mod store;
pub mod timing;

use std::fmt;

use chrono::{DateTime, Utc};

pub use clock::{Clock, ManualClock, SystemClock};
pub use log::{GateRecord, GateVerdict, RollbackRecord, Run, RunKind, StepEvent, StepStatus};
pub use sheet::{Section, SectionKind, Sheet, SheetStep};

use crate::plan::{Extra, Open};

/// The longest note a step takes (a note says what happened; logs go to the ticket).
pub const MAX_NOTE_CHARS: usize = 2_000;

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionError {
    UnknownStep(String),
    /// The gate after `section` has not let on yet.
    Locked {
        gate: String,
    },
    /// A skip needs its reason, a failure what failed.
    NoteRequired,
    NoteTooLong {
        chars: usize,
    },
    /// The note looks like it holds a secret (of this kind).
    Secret {
        kind: &'static str,
    },
    /// The run is closed.
    Finished,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::UnknownStep(id) => write!(f, "there is no step {id} in this window"),
            ActionError::Locked { gate } => write!(
                f,
                "the gate after {gate} has not said go yet: paste the check outputs there first"
            ),
            ActionError::NoteRequired => write!(f, "write what happened first (a few words)"),
            ActionError::NoteTooLong { chars } => write!(
                f,
                "the note is {chars} characters long; at most {MAX_NOTE_CHARS} (logs belong in the ticket)"
            ),
            ActionError::Secret { kind } => write!(
                f,
                "the note looks like it holds a secret ({kind}); it goes into the plan file and the report for the ticket, so remove it"
            ),
            ActionError::Finished => write!(f, "the run is closed"),
        }
    }
}

impl std::error::Error for ActionError {}

/// Where the run stands: the step to do next, a gate to pass, or the end.
#[derive(Debug, Clone, PartialEq)]
pub enum Position {
    Step { section: String, step: String },
    Gate { section: String },
    Done,
}

/// The gate (a section id and its title) that keeps `section` locked, if any: the first gate
/// before it that has not let on.
pub fn locked_by<'a>(sheet: &'a Sheet, run: &Run, section: &str) -> Option<&'a Section> {
    for s in &sheet.sections {
        if s.id == section {
            return None;
        }
        if s.gate.is_some() && !run.gate_open(&s.id) {
            return Some(s);
        }
    }
    None
}

/// The step to do next: the first one not done or skipped, unless a gate before it is closed.
pub fn position(sheet: &Sheet, run: &Run) -> Position {
    for s in &sheet.sections {
        for st in &s.steps {
            if !matches!(
                run.status_of(&st.id),
                Some(StepStatus::Done | StepStatus::Skipped)
            ) {
                return Position::Step {
                    section: s.id.clone(),
                    step: st.id.clone(),
                };
            }
        }
        if s.gate.is_some() && !run.gate_open(&s.id) {
            return Position::Gate {
                section: s.id.clone(),
            };
        }
    }
    Position::Done
}

/// A note checked: trimmed, not too long, no secret. `required` refuses an empty one.
pub fn check_note(note: &str, required: bool) -> Result<Option<String>, ActionError> {
    let note = note.trim();
    if note.is_empty() {
        return if required {
            Err(ActionError::NoteRequired)
        } else {
            Ok(None)
        };
    }
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(ActionError::NoteTooLong { chars });
    }
    if let Some(kind) = crate::secrets::first_secret_kind(note) {
        return Err(ActionError::Secret { kind });
    }
    Ok(Some(note.to_string()))
}

/// Record what happened to a step: done (with an optional note), skipped (with the reason),
/// failed (with what failed), or reopened.
pub fn mark(
    sheet: &Sheet,
    run: &mut Run,
    step: &str,
    status: StepStatus,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), ActionError> {
    if run.finished().is_some() {
        return Err(ActionError::Finished);
    }
    let (section, st) = sheet
        .all_steps()
        .find(|(_, s)| s.id == step)
        .ok_or_else(|| ActionError::UnknownStep(step.to_string()))?;
    if let Some(gate) = locked_by(sheet, run, &section.id) {
        return Err(ActionError::Locked {
            gate: gate.title.clone(),
        });
    }
    let required = matches!(status, StepStatus::Skipped | StepStatus::Failed);
    let note = check_note(note, required)?;
    run.record(&st.id, &st.text, status, now, note);
    Ok(())
}

/// Read the outputs pasted at the gate after `section` and record the verdict.
pub fn read_gate(
    sheet: &Sheet,
    run: &mut Run,
    section: &str,
    paste: &str,
    now: DateTime<Utc>,
) -> Result<gate::GateResult, gate::GateError> {
    let spec = sheet.section(section).and_then(|s| s.gate.as_ref());
    let req = gate::Requirements {
        hop: spec.map(|g| g.version.clone()),
        geo: spec.is_some_and(|g| g.geo),
    };
    let result = gate::judge(paste, &req)?;
    let mut reasons = result.reasons.clone();
    if result.go() {
        reasons.extend(result.notes.iter().cloned());
    }
    run.gates.push(GateRecord {
        after: section.to_string(),
        version: spec.map(|g| g.version.clone()).unwrap_or_default(),
        at: log::format_time(now),
        verdict: Some(Open::Known(if result.go() {
            GateVerdict::Go
        } else {
            GateVerdict::NoGo
        })),
        reasons,
        checks: result.check_ids(),
        extra: Extra::new(),
    });
    Ok(result)
}

/// Go on past a gate that did not say go, with the reason (recorded as a deviation).
pub fn override_gate(
    sheet: &Sheet,
    run: &mut Run,
    section: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ActionError> {
    let reason = check_note(reason, true)?.unwrap_or_default();
    let version = sheet
        .section(section)
        .and_then(|s| s.gate.as_ref())
        .map(|g| g.version.clone())
        .ok_or_else(|| ActionError::UnknownStep(section.to_string()))?;
    run.gates.push(GateRecord {
        after: section.to_string(),
        version,
        at: log::format_time(now),
        verdict: Some(Open::Known(GateVerdict::Overridden)),
        reasons: vec![reason],
        checks: Vec::new(),
        extra: Extra::new(),
    });
    Ok(())
}

/// The version a rollback now returns to: the last backup taken in a section that has begun
/// (the window's start otherwise).
pub fn rollback_version(sheet: &Sheet, run: &Run) -> String {
    let times = timing::section_times(sheet, run);
    sheet
        .sections
        .iter()
        .zip(&times)
        .filter(|(_, t)| t.progress != timing::Progress::NotStarted)
        .filter_map(|(s, _)| s.backup_version.clone())
        .next_back()
        .unwrap_or_else(|| sheet.start_version.clone())
}

/// Start a rollback now, with the reason.
pub fn start_rollback(
    sheet: &Sheet,
    run: &mut Run,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ActionError> {
    if run.finished().is_some() {
        return Err(ActionError::Finished);
    }
    let reason = check_note(reason, true)?;
    run.rollback = Some(RollbackRecord {
        started_at: log::format_time(now),
        reason,
        to_version: Some(rollback_version(sheet, run)),
        finished_at: None,
        extra: Extra::new(),
    });
    Ok(())
}

/// Close the run (and a rollback under way).
pub fn finish(run: &mut Run, now: DateTime<Utc>) {
    let t = log::format_time(now);
    if let Some(rb) = &mut run.rollback
        && rb.finished_at.is_none()
    {
        rb.finished_at = Some(t.clone());
    }
    run.finished_at = Some(t);
}

#[cfg(test)]
mod tests;
