//! Where runs live: in the plan, under `runs`, saved with the plan file's own atomic save (a
//! temporary file beside it, flushed, the previous version kept as `<name>.bak`, then renamed),
//! so a crash in the middle of the upgrade day leaves the log as it was at the last tick or the
//! one before, never half written.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::log::{Run, RunKind};
use crate::plan::Plan;
use crate::plan_file::{self, PlanFileError};

/// The run of `window` still open (not finished), the newest first.
pub fn open_run(plan: &Plan, window: u32) -> Option<usize> {
    plan.runs
        .iter()
        .rposition(|r| r.window == window && r.finished().is_none())
}

/// The open run of `window`, or a new one started now.
pub fn open_or_start(plan: &mut Plan, window: u32, kind: RunKind, now: DateTime<Utc>) -> usize {
    if let Some(i) = open_run(plan, window) {
        return i;
    }
    let mut run = Run::start(kind, window, now);
    run.plan_revision = Some(plan.revision);
    plan.runs.push(run);
    plan.runs.len() - 1
}

/// The window to run: the first whose runs are not all finished (the last when every window
/// has a finished run).
pub fn window_to_run(plan: &Plan, windows: usize) -> usize {
    (1..=windows.max(1))
        .find(|w| {
            let w32 = u32::try_from(*w).unwrap_or(u32::MAX);
            open_run(plan, w32).is_some() || !plan.runs.iter().any(|r| r.window == w32)
        })
        .unwrap_or(windows.max(1))
}

/// Write the plan with its runs to `path`. The revision is not changed: the log records the
/// day, it is not a new version of the plan.
pub fn save(path: &Path, plan: &Plan) -> Result<(), PlanFileError> {
    plan_file::save(path, plan)
}
