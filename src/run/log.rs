//! The run log: what happened in a maintenance window (or a rehearsal of it), as it is stored
//! in the plan file under `runs`.
//!
//! It is kept in the plan file itself, not beside it: one file travels with the ticket, a save
//! is atomic and keeps the previous version as `<name>.bak` (see [`crate::plan_file`]), and the
//! secret scan, the size limits and the hostile-input tests cover it like every other answer.
//! Saving the log does not change the plan's revision: it records the upgrade day, not a new
//! version of the plan.
//!
//! Step events are appended, never rewritten: a step failed and then done later shows both in
//! the report. Times are RFC 3339 in UTC (`2026-12-12T19:05:00Z`).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::plan::{Extra, Open, OpenAnswer};

/// A run of one window's runbook: the upgrade itself or a rehearsal on a test instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Run {
    /// `production` (the upgrade) or `rehearsal` (a test instance: its hop times can become
    /// the plan's estimates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Open<RunKind>>,
    /// The window run (1-based).
    pub window: u32,
    /// When the run was started (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When it was closed (RFC 3339, UTC); open runs have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The plan revision the run followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_revision: Option<u32>,
    /// The GitLab version running when the window started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_version: Option<String>,
    /// Every tick, skip, failure and reopening, in the order they happened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<StepEvent>,
    /// The gates between hops, each time one was read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<GateRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback: Option<RollbackRecord>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    Production,
    Rehearsal,
}

impl RunKind {
    pub fn label(self) -> &'static str {
        match self {
            RunKind::Production => "Upgrade",
            RunKind::Rehearsal => "Rehearsal",
        }
    }
}

/// What happened to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Done,
    Skipped,
    Failed,
    /// A tick, skip or failure taken back: the step is open again.
    Reopened,
}

impl StepStatus {
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Skipped => "skipped",
            StepStatus::Failed => "failed",
            StepStatus::Reopened => "reopened",
        }
    }
}

/// One thing that happened to a step of the runbook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct StepEvent {
    /// The step's id in the window's checklist (`hop2.install.1`, `start.3`, ...).
    pub step: String,
    /// The step's text when it happened (the report shows it even if the plan changed since).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// `done`, `skipped`, `failed` or `reopened`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Open<StepStatus>>,
    /// When (RFC 3339, UTC), taken from the clock.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
    /// Why it was skipped, or what failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl StepEvent {
    pub fn status(&self) -> Option<StepStatus> {
        self.status.known()
    }
    pub fn time(&self) -> Option<DateTime<Utc>> {
        parse_time(&self.at)
    }
}

/// What a gate decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateVerdict {
    Go,
    NoGo,
    /// Not passed, and the team went on anyway (with the reason in `reasons`).
    Overridden,
}

impl GateVerdict {
    pub fn label(self) -> &'static str {
        match self {
            GateVerdict::Go => "go",
            GateVerdict::NoGo => "no-go",
            GateVerdict::Overridden => "overridden",
        }
    }
    /// Whether the next step may start after it.
    pub fn opens(self) -> bool {
        matches!(self, GateVerdict::Go | GateVerdict::Overridden)
    }
}

/// One reading of a gate: the check outputs pasted after a hop and what they said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GateRecord {
    /// The checklist section the gate closes (`hop2`).
    pub after: String,
    /// The GitLab version the hop installed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Open<GateVerdict>>,
    /// Why not go (or why it was overridden); what was read. The pasted output itself is not
    /// kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The checks read (`background_migrations`, `gitlab_check`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl GateRecord {
    pub fn verdict(&self) -> Option<GateVerdict> {
        self.verdict.known()
    }
    pub fn time(&self) -> Option<DateTime<Utc>> {
        parse_time(&self.at)
    }
}

/// A rollback started during the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct RollbackRecord {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The version it returns to (the last backup's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Run {
    /// A new run of `window`, started now.
    pub fn start(kind: RunKind, window: u32, now: DateTime<Utc>) -> Run {
        Run {
            kind: Some(Open::Known(kind)),
            window,
            started_at: Some(format_time(now)),
            ..Run::default()
        }
    }

    /// Production unless the file says rehearsal (an unknown kind counts as production: its
    /// times never become estimates by accident).
    pub fn kind(&self) -> RunKind {
        self.kind.known().unwrap_or(RunKind::Production)
    }

    pub fn started(&self) -> Option<DateTime<Utc>> {
        self.started_at.as_deref().and_then(parse_time)
    }

    pub fn finished(&self) -> Option<DateTime<Utc>> {
        self.finished_at.as_deref().and_then(parse_time)
    }

    /// The last event of each step, in step order of first appearance.
    pub fn latest(&self, step: &str) -> Option<&StepEvent> {
        self.events.iter().rev().find(|e| e.step == step)
    }

    /// The step's current status: its last event's, `None` when open (never touched or
    /// reopened).
    pub fn status_of(&self, step: &str) -> Option<StepStatus> {
        match self.latest(step).and_then(StepEvent::status) {
            Some(StepStatus::Reopened) | None => None,
            s => s,
        }
    }

    /// The last reading of the gate after `section`.
    pub fn gate(&self, section: &str) -> Option<&GateRecord> {
        self.gates.iter().rev().find(|g| g.after == section)
    }

    /// Whether the gate after `section` lets the next step start.
    pub fn gate_open(&self, section: &str) -> bool {
        self.gate(section)
            .and_then(GateRecord::verdict)
            .is_some_and(GateVerdict::opens)
    }

    /// Record what happened to a step.
    pub fn record(
        &mut self,
        step: &str,
        text: &str,
        status: StepStatus,
        now: DateTime<Utc>,
        note: Option<String>,
    ) {
        self.events.push(StepEvent {
            step: step.to_string(),
            text: text.to_string(),
            status: Some(Open::Known(status)),
            at: format_time(now),
            note: note.filter(|n| !n.trim().is_empty()),
            extra: Extra::new(),
        });
    }
}

/// `2026-12-12T19:05:00Z`.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An RFC 3339 time, in UTC.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_latest_event_decides_a_steps_status() {
        let t = Utc.with_ymd_and_hms(2026, 12, 12, 19, 0, 0).unwrap();
        let mut run = Run::start(RunKind::Production, 1, t);
        assert_eq!(run.status_of("a"), None);
        run.record("a", "A", StepStatus::Failed, t, Some("boom".into()));
        assert_eq!(run.status_of("a"), Some(StepStatus::Failed));
        run.record("a", "A", StepStatus::Done, t, Some("  ".into()));
        assert_eq!(run.status_of("a"), Some(StepStatus::Done));
        assert_eq!(run.events[1].note, None, "a blank note is no note");
        run.record("a", "A", StepStatus::Reopened, t, None);
        assert_eq!(run.status_of("a"), None);
        assert_eq!(run.events.len(), 3, "events are appended, never rewritten");
    }

    #[test]
    fn unknown_values_are_kept_and_count_as_production() {
        let json = r#"{"kind": "dress_rehearsal", "window": 2, "events": [{"step": "x", "status": "half_done", "at": "2026-12-12T19:05:00Z"}], "later": 1}"#;
        let run: Run = serde_json::from_str(json).unwrap();
        assert_eq!(run.kind(), RunKind::Production);
        assert_eq!(run.status_of("x"), None);
        let back = serde_json::to_value(&run).unwrap();
        assert_eq!(back["kind"], "dress_rehearsal");
        assert_eq!(back["events"][0]["status"], "half_done");
        assert_eq!(back["later"], 1);
    }

    #[test]
    fn times_are_utc_rfc3339() {
        let t = Utc.with_ymd_and_hms(2026, 12, 12, 19, 5, 0).unwrap();
        assert_eq!(format_time(t), "2026-12-12T19:05:00Z");
        assert_eq!(parse_time("2026-12-12T20:05:00+01:00"), Some(t));
        assert_eq!(parse_time("yesterday"), None);
    }
}
