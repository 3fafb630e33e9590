//! A rehearsal on a test instance is a run too: the time each hop took there can replace the
//! plan's estimate for that hop (`hop_hours`, by GitLab `major.minor`), so the windows are cut
//! from measured times.

use super::log::RunKind;
use super::sheet::{SectionKind, Sheet};
use super::timing::{Progress, section_times};
use crate::export::ExportModel;
use crate::plan::Plan;
use crate::validate::Analysis;

/// What one hop took in a rehearsal.
#[derive(Debug, Clone, PartialEq)]
pub struct HopTiming {
    /// `17.3`: the key in `hop_hours`.
    pub minor: String,
    /// The version the hop installed.
    pub version: String,
    /// Measured, rounded up to a tenth of an hour (at least 0.1).
    pub hours: f64,
}

/// One estimate changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub minor: String,
    pub before: Option<f64>,
    pub after: f64,
}

/// The hop times of the plan's rehearsal runs: every hop a rehearsal finished, the newest
/// rehearsal's time where several timed the same hop. `model` and `analysis` are the plan's.
pub fn timings(plan: &Plan, analysis: &Analysis, model: &ExportModel) -> Vec<HopTiming> {
    let mut out: Vec<HopTiming> = Vec::new();
    for run in plan.runs.iter().filter(|r| r.kind() == RunKind::Rehearsal) {
        let Ok(window) = usize::try_from(run.window) else {
            continue;
        };
        let Some(sheet) = Sheet::build(plan, analysis, model, window) else {
            continue;
        };
        for (section, time) in sheet.sections.iter().zip(section_times(&sheet, run)) {
            let SectionKind::Hop { minor, .. } = &section.kind else {
                continue;
            };
            if time.progress != Progress::Done || minor.is_empty() {
                continue;
            }
            let (Some(start), Some(end)) = (time.started, time.finished) else {
                continue;
            };
            let measured = super::timing::hours_between(start, end);
            if !measured.is_finite() || measured < 0.0 {
                continue;
            }
            let hours = ((measured * 10.0).ceil() / 10.0).max(0.1);
            out.retain(|t| t.minor != *minor);
            out.push(HopTiming {
                minor: minor.clone(),
                version: section.version_after.clone(),
                hours,
            });
        }
    }
    out.sort_by_key(|t| crate::version::Minor::parse(&t.minor));
    out
}

/// Take the timings as the plan's estimates; what changed.
pub fn apply(plan: &mut Plan, timings: &[HopTiming]) -> Vec<Change> {
    let mut changes = Vec::new();
    for t in timings {
        let before = plan.hop_hours.get(&t.minor).copied();
        if before != Some(t.hours) {
            plan.hop_hours.insert(t.minor.clone(), t.hours);
            changes.push(Change {
                minor: t.minor.clone(),
                before,
                after: t.hours,
            });
        }
    }
    changes
}
