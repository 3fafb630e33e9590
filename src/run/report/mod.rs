//! The completion report of the upgrade day: for each run of the plan, what was done when, the
//! deviations from the plan, the failed and skipped steps with their notes, the gates, the
//! versions reached, the time used against the plan, and whether a rollback happened. Written
//! as Markdown for the ticket ([`markdown`]) and as a PDF with the plan's layout engine
//! ([`pdf`]). Every text from the log is redacted of secrets.

pub mod markdown;
pub mod pdf;

use std::fmt;

use chrono::{DateTime, Utc};

use super::log::{GateVerdict, Run, RunKind, StepStatus};
use super::sheet::{SectionKind, Sheet};
use super::timing::{Progress, duration_text, hours_between, section_times};
use crate::export::redact::redact;
use crate::export::{ExportModel, Paper, hours};
use crate::plan::Plan;
use crate::validate::Analysis;

/// A section's planned and actual time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeRow {
    pub title: String,
    pub planned: Option<String>,
    pub actual: Option<String>,
    /// `+40 min` over the plan, `-10 min` under it.
    pub difference: Option<String>,
    /// `done`, `under way`, `not started`.
    pub state: String,
}

/// Something that happened, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// `Sat 12 Dec 20:05` in the window's zone.
    pub at: String,
    /// `done`, `skipped`, `failed`, `reopened`, `gate go`, `gate no-go`, `rollback`.
    pub what: String,
    pub text: String,
    pub note: Option<String>,
}

/// A failed or skipped step.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub at: String,
    pub section: String,
    pub step: String,
    pub note: String,
    /// What came after it: `done at Sat 12 Dec 21:30`, `still failed`.
    pub then: String,
}

/// The rollback, when one happened.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackRow {
    pub started: String,
    pub reason: String,
    pub to_version: String,
    pub finished: Option<String>,
}

/// One run in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// `Upgrade` or `Rehearsal`.
    pub kind: String,
    /// `Window 1 of 2: Sat 12 Dec 2026 20:00 Europe/Berlin`.
    pub window: String,
    pub started: Option<String>,
    pub finished: Option<String>,
    /// `finished`, `rolled back`, `still open`.
    pub outcome: String,
    pub start_version: String,
    /// The version GitLab runs at the end of the run (the rollback's when one happened).
    pub reached_version: String,
    /// The version the window was to end on.
    pub planned_version: String,
    /// `6 h 10 min`.
    pub time_used: Option<String>,
    /// `5.5 h of work, window 8 h, go/no-go Sun 13 Dec 02:00`.
    pub time_planned: String,
    pub times: Vec<TimeRow>,
    pub events: Vec<EventRow>,
    pub failed: Vec<NoteRow>,
    pub skipped: Vec<NoteRow>,
    pub deviations: Vec<String>,
    pub rollback: Option<RollbackRow>,
    /// Steps neither done nor skipped when the report was made.
    pub open_steps: usize,
}

/// The report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub organization: String,
    pub ticket: Option<String>,
    pub plan_id: String,
    pub revision: u32,
    /// `16.3.4 → 18.5.7`.
    pub upgrade_line: String,
    pub generated_at: DateTime<Utc>,
    pub tool: String,
    pub paper: Paper,
    pub runs: Vec<RunReport>,
    /// One line: what the upgrade reached.
    pub summary: String,
}

/// Why no report can be made.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportError {
    /// The plan holds no run.
    NoRuns,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NoRuns => write!(
                f,
                "the plan holds no run log: open it in run mode (upgrade-planner PLAN --run) and work through the window first"
            ),
        }
    }
}

impl std::error::Error for ReportError {}

/// Text from the log, as the report shows it: one line, no secret.
fn clean(s: &str) -> String {
    redact(&crate::text::one_line(s))
}

impl Report {
    /// The report of every run in the plan. `model` and `analysis` are the plan's; the model's
    /// meta gives the generation time, tool and paper.
    pub fn build(
        plan: &Plan,
        analysis: &Analysis,
        model: &ExportModel,
    ) -> Result<Report, ReportError> {
        if plan.runs.is_empty() {
            return Err(ReportError::NoRuns);
        }
        let runs: Vec<RunReport> = plan
            .runs
            .iter()
            .map(|run| run_report(plan, analysis, model, run))
            .collect();
        let summary = summary(&runs, model);
        Ok(Report {
            organization: model.organization().to_string(),
            ticket: model.ticket(),
            plan_id: model.plan_id.clone(),
            revision: model.revision,
            upgrade_line: model.upgrade_line(),
            generated_at: model.meta.generated_at,
            tool: model.tool.clone(),
            paper: model.paper,
            runs,
            summary,
        })
    }
}

fn summary(runs: &[RunReport], model: &ExportModel) -> String {
    let upgrades: Vec<&RunReport> = runs.iter().filter(|r| r.kind == "Upgrade").collect();
    let target = model
        .path
        .as_ref()
        .map_or_else(|| "the target".to_string(), |p| p.to.clone());
    let Some(last) = upgrades.last() else {
        return format!(
            "{} only: no upgrade window has been run yet.",
            crate::export::count(runs.len(), "rehearsal", "rehearsals")
        );
    };
    let rolled_back = upgrades.iter().any(|r| r.rollback.is_some());
    let mut s = format!(
        "GitLab runs {} after {}",
        last.reached_version,
        crate::export::count(upgrades.len(), "upgrade window", "upgrade windows")
    );
    if last.reached_version == target {
        s.push_str(&format!(": the target {target} is reached"));
    } else {
        s.push_str(&format!(" (the target is {target})"));
    }
    s.push_str(if rolled_back {
        "; a rollback happened."
    } else {
        "; no rollback."
    });
    s
}

fn run_report(plan: &Plan, analysis: &Analysis, model: &ExportModel, run: &Run) -> RunReport {
    let window = usize::try_from(run.window).unwrap_or(0);
    let sheet = Sheet::build(plan, analysis, model, window);
    let local = |t: DateTime<Utc>| match &sheet {
        Some(s) => s.local(t),
        None => t.format("%a %-d %b %H:%M UTC").to_string(),
    };
    let kind = run.kind().label().to_string();
    let mut report = RunReport {
        kind,
        window: sheet.as_ref().map_or_else(
            || format!("Window {window} (no longer in the plan)"),
            |s| s.title.clone(),
        ),
        started: run.started().map(local),
        finished: run.finished().map(local),
        outcome: String::new(),
        start_version: run
            .start_version
            .clone()
            .or_else(|| sheet.as_ref().map(|s| s.start_version.clone()))
            .unwrap_or_default(),
        reached_version: String::new(),
        planned_version: sheet
            .as_ref()
            .map(|s| s.end_version.clone())
            .unwrap_or_default(),
        time_used: run
            .started()
            .zip(run.finished())
            .map(|(a, b)| duration_text(b - a)),
        time_planned: String::new(),
        times: Vec::new(),
        events: events(run, sheet.as_ref(), &local),
        failed: Vec::new(),
        skipped: Vec::new(),
        deviations: Vec::new(),
        rollback: run.rollback.as_ref().map(|rb| RollbackRow {
            started: super::log::parse_time(&rb.started_at)
                .map_or_else(|| clean(&rb.started_at), local),
            reason: rb.reason.as_deref().map(clean).unwrap_or_default(),
            to_version: rb.to_version.clone().unwrap_or_default(),
            finished: rb
                .finished_at
                .as_deref()
                .and_then(super::log::parse_time)
                .map(local),
        }),
        open_steps: 0,
    };
    report.reached_version = report.start_version.clone();
    if let Some(sheet) = &sheet {
        let now = run.finished().unwrap_or(model.meta.generated_at);
        fill_from_sheet(&mut report, sheet, run, now, &local);
    }
    if let Some(rb) = &report.rollback {
        report.reached_version = rb.to_version.clone();
    }
    report.outcome = match (&report.rollback, run.finished()) {
        (Some(_), _) => "rolled back".to_string(),
        (None, Some(_)) => "finished".to_string(),
        (None, None) => "still open".to_string(),
    };
    report.failed = notes(run, sheet.as_ref(), StepStatus::Failed, &local);
    report.skipped = notes(run, sheet.as_ref(), StepStatus::Skipped, &local);
    report.deviations = deviations(&report, run, sheet.as_ref(), &local);
    report
}

/// Times per section, the version reached and what was planned.
fn fill_from_sheet(
    report: &mut RunReport,
    sheet: &Sheet,
    run: &Run,
    now: DateTime<Utc>,
    local: &dyn Fn(DateTime<Utc>) -> String,
) {
    let times = section_times(sheet, run);
    for (section, t) in sheet.sections.iter().zip(&times) {
        if matches!(section.kind, SectionKind::Hop { .. }) && t.progress == Progress::Done {
            report.reached_version = section.version_after.clone();
        }
        let actual = t.actual_hours(now);
        if section.planned_hours.is_none() && actual.is_none() {
            continue;
        }
        let difference = t
            .planned_hours
            .zip(actual.filter(|_| t.progress == Progress::Done))
            .map(|(p, a)| duration_text(chrono::Duration::minutes(((a - p) * 60.0).round() as i64)))
            .map(|d| {
                if d.starts_with('-') {
                    d
                } else {
                    format!("+{d}")
                }
            });
        report.times.push(TimeRow {
            title: section.title.clone(),
            planned: section.planned_hours.map(hours),
            actual: actual
                .map(|a| duration_text(chrono::Duration::minutes((a * 60.0).round() as i64))),
            difference,
            state: match t.progress {
                Progress::Done => "done",
                Progress::Running => "under way",
                Progress::NotStarted => "not started",
            }
            .to_string(),
        });
    }
    report.open_steps = sheet
        .all_steps()
        .filter(|(_, st)| {
            !matches!(
                run.status_of(&st.id),
                Some(StepStatus::Done | StepStatus::Skipped)
            )
        })
        .count();
    let ts = sheet.times;
    let mut planned = format!("about {} of work", hours(ts.work_hours));
    if let (Some(s), Some(e)) = (ts.start, ts.end) {
        planned.push_str(&format!(
            ", window {} from {}",
            hours(hours_between(s, e)),
            local(s)
        ));
    }
    if let Some(d) = ts.deadline {
        planned.push_str(&format!(", go/no-go {}", local(d)));
    }
    planned.push_str(&format!(", rollback reserve {}", hours(ts.rollback_hours)));
    report.time_planned = planned;
}

/// Every step event and gate reading, in time order.
fn events(
    run: &Run,
    sheet: Option<&Sheet>,
    local: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<EventRow> {
    let mut rows: Vec<(Option<DateTime<Utc>>, EventRow)> = Vec::new();
    for e in &run.events {
        rows.push((
            e.time(),
            EventRow {
                at: e.time().map_or_else(|| clean(&e.at), local),
                what: e.status().map_or("other", StepStatus::label).to_string(),
                text: clean(&e.text),
                note: e.note.as_deref().map(clean),
            },
        ));
    }
    for g in &run.gates {
        let verdict = g.verdict().map_or("read", GateVerdict::label);
        rows.push((
            g.time(),
            EventRow {
                at: g.time().map_or_else(|| clean(&g.at), local),
                what: format!("gate {verdict}"),
                text: format!(
                    "Gate after {}",
                    sheet.map_or_else(
                        || format!("{} ({})", clean(&g.after), clean(&g.version)),
                        |s| section_title(s, &g.after)
                    )
                ),
                note: (!g.reasons.is_empty()).then(|| {
                    g.reasons
                        .iter()
                        .map(|r| clean(r))
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
            },
        ));
    }
    if let Some(rb) = &run.rollback {
        let t = super::log::parse_time(&rb.started_at);
        rows.push((
            t,
            EventRow {
                at: t.map_or_else(|| clean(&rb.started_at), local),
                what: "rollback".into(),
                text: format!(
                    "Rollback started (to {})",
                    rb.to_version.as_deref().map(clean).unwrap_or_default()
                ),
                note: rb.reason.as_deref().map(clean),
            },
        ));
    }
    rows.sort_by_key(|(t, _)| *t);
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The steps that failed (or were skipped) at some point, with their notes and what followed.
fn notes(
    run: &Run,
    sheet: Option<&Sheet>,
    status: StepStatus,
    local: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<NoteRow> {
    let mut rows = Vec::new();
    for (i, e) in run.events.iter().enumerate() {
        if e.status() != Some(status) {
            continue;
        }
        let later = run.events[i + 1..].iter().find(|l| l.step == e.step);
        let then = match later {
            Some(l) => format!(
                "{} at {}",
                l.status().map_or("changed", StepStatus::label),
                l.time().map_or_else(|| clean(&l.at), local)
            ),
            None if status == StepStatus::Failed => "still failed".to_string(),
            None => "left skipped".to_string(),
        };
        let section = sheet
            .and_then(|s| s.all_steps().find(|(_, st)| st.id == e.step))
            .map(|(sec, _)| sec.title.clone())
            .unwrap_or_default();
        rows.push(NoteRow {
            at: e.time().map_or_else(|| clean(&e.at), local),
            section,
            step: clean(&e.text),
            note: e.note.as_deref().map(clean).unwrap_or_default(),
            then,
        });
    }
    rows
}

/// What went otherwise than planned, one line each.
fn deviations(
    report: &RunReport,
    run: &Run,
    sheet: Option<&Sheet>,
    local: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<String> {
    let Some(sheet) = sheet else {
        return vec![
            "The plan no longer has this window: the run cannot be compared with it.".into(),
        ];
    };
    let mut out = overruns(run, sheet, local);
    if !report.failed.is_empty() {
        out.push(format!(
            "{} failed (see below).",
            crate::export::count(report.failed.len(), "step", "steps")
        ));
    }
    if !report.skipped.is_empty() {
        out.push(format!(
            "{} skipped (see below).",
            crate::export::count(report.skipped.len(), "step", "steps")
        ));
    }
    out.extend(gate_deviations(run, sheet, local));
    if let (Some(f), Some(d)) = (run.finished(), sheet.times.deadline)
        && f > d
    {
        out.push(format!(
            "The run ended at {}, after the go/no-go time ({}).",
            local(f),
            local(d)
        ));
    }
    if run.finished().is_some() && report.open_steps > 0 {
        out.push(format!(
            "{} neither done nor skipped when the run was closed.",
            crate::export::count(report.open_steps, "step was", "steps were")
        ));
    }
    if report.rollback.is_some() {
        out.push(format!(
            "A rollback to {} happened.",
            report.reached_version
        ));
    } else if run.finished().is_some() && report.reached_version != report.planned_version {
        out.push(format!(
            "The window was to end on {}; it ended on {}.",
            report.planned_version, report.reached_version
        ));
    }
    out
}

fn minutes_text(hours: f64) -> String {
    duration_text(chrono::Duration::minutes((hours * 60.0).round() as i64))
}

/// Parts that took a quarter longer than planned (and at least a quarter of an hour more), and
/// the part under way past its plan when the run was closed.
fn overruns(run: &Run, sheet: &Sheet, local: &dyn Fn(DateTime<Utc>) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for (section, t) in sheet.sections.iter().zip(section_times(sheet, run)) {
        let Some(p) = section.planned_hours else {
            continue;
        };
        match (t.progress, run.finished()) {
            (Progress::Running, Some(f)) => {
                if let Some(a) = t.actual_hours(f).filter(|a| *a > p) {
                    out.push(format!(
                        "{} was under way for {} (planned {}) when the run was closed at {}.",
                        section.title,
                        minutes_text(a),
                        hours(p),
                        local(f)
                    ));
                }
            }
            (Progress::Done, _) => {
                let a = t.actual_hours(t.finished.unwrap_or_default());
                if let Some(a) = a.filter(|a| *a > p * 1.25 && a - p >= 0.25) {
                    out.push(format!(
                        "{} took {}, planned {}.",
                        section.title,
                        minutes_text(a),
                        hours(p)
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Gates that said no-go, and gates passed without a go.
fn gate_deviations(
    run: &Run,
    sheet: &Sheet,
    local: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    for g in &run.gates {
        match g.verdict() {
            Some(GateVerdict::NoGo) => out.push(format!(
                "The gate after {} said no-go at {}.",
                section_title(sheet, &g.after),
                g.time().map_or_else(|| clean(&g.at), local)
            )),
            Some(GateVerdict::Overridden) => out.push(format!(
                "The gate after {} was passed without a go ({}).",
                section_title(sheet, &g.after),
                g.reasons
                    .iter()
                    .map(|r| clean(r))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            _ => {}
        }
    }
    out
}

fn section_title(sheet: &Sheet, id: &str) -> String {
    sheet
        .section(id)
        .map_or_else(|| clean(id), |s| s.title.clone())
}

/// Whether a run is a rehearsal (for the report's wording).
pub fn is_rehearsal(run: &Run) -> bool {
    run.kind() == RunKind::Rehearsal
}

#[cfg(test)]
mod tests;
