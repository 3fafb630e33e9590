//! Exports: one model of the finished plan (the plan, the computed path, the matched known
//! issues and the findings) that the PDF, the Markdown summary and the wizard's review page
//! all render from, so they never disagree.
//!
//! Build it with [`ExportModel::build`]; render it with [`pdf::render_pdf`] and
//! [`markdown::render`]; write the plan itself with [`plan_json`]. A plan with errors is
//! exported only as a draft ([`check_exportable`]); secrets are always redacted.

mod build;
pub mod compose;
pub mod diagram;
mod environment;
pub mod layout;
pub mod markdown;
mod model;
pub mod pdf;
pub mod redact;
pub mod runbook;

use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use crate::knowledge::Knowledge;
use crate::path::{HopKind, NoteKind, NoteSeverity, UpgradePath};
use crate::plan::{BackupMethod, Edition, Plan, TopologyKind};
use crate::validate::{
    Analysis, DEFAULT_ROLLBACK_HOURS, Finding, HOURS_PER_HOP_MULTI, HOURS_PER_HOP_SINGLE, Severity,
    parse_local_datetime,
};

pub use build::{count, hours, primary_url};
pub use diagram::Diagram;
pub use model::*;
pub use runbook::{RunbookHop, RunbookStep};

/// Paper size of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

/// What the export adds to the plan: when, by what, how.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportMeta {
    /// Generation time; injected so that outputs are reproducible.
    pub generated_at: DateTime<Utc>,
    pub tool_version: String,
    /// Mark every page DRAFT (required to export a plan with errors).
    pub draft: bool,
    pub paper: Paper,
    /// Replace host names, IP addresses and email addresses (see [`redact::redact_hosts`]).
    pub redact_hosts: bool,
}

impl ExportMeta {
    /// A4, not a draft, this build's version.
    pub fn new(generated_at: DateTime<Utc>) -> ExportMeta {
        ExportMeta {
            generated_at,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            draft: false,
            paper: Paper::A4,
            redact_hosts: false,
        }
    }
}

/// Whether Support can work with the plan as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    ReadyWithWarnings,
    NotReady,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready",
            Verdict::ReadyWithWarnings => "Ready with warnings",
            Verdict::NotReady => "Not ready",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Why an export was refused or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// The plan has errors and the export was not asked for as a draft.
    PlanHasErrors { errors: Vec<Finding> },
    /// A text field holds what looks like a secret: nothing is exported, drafts included.
    SecretsPresent { findings: Vec<Finding> },
    /// An embedded font could not be read (a build problem).
    Font(String),
    /// The PDF writer failed.
    Pdf(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::PlanHasErrors { errors } => write!(
                f,
                "the plan has {}; fix them, or export it as a draft",
                count(errors.len(), "error", "errors")
            ),
            ExportError::SecretsPresent { findings } => write!(
                f,
                "the plan holds what looks like a secret in {} ({}); remove it first: nothing is exported while a secret is in the plan, not even a draft",
                count(findings.len(), "field", "fields"),
                findings
                    .iter()
                    .map(|f| f.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExportError::Font(e) => write!(f, "embedded font: {e}"),
            ExportError::Pdf(e) => write!(f, "PDF: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The rule id of a secret found in a text field.
pub const SECRET_RULE: &str = "secret_in_text";

/// A plan with a secret in it does not leave at all, not even as a draft; a plan with other
/// errors leaves only as a draft.
pub fn check_exportable(analysis: &Analysis, draft: bool) -> Result<(), ExportError> {
    let secrets: Vec<Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.rule == SECRET_RULE)
        .cloned()
        .collect();
    if !secrets.is_empty() {
        return Err(ExportError::SecretsPresent { findings: secrets });
    }
    if analysis.has_errors() && !draft {
        return Err(ExportError::PlanHasErrors {
            errors: analysis
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned()
                .collect(),
        });
    }
    Ok(())
}

/// The plan file as exported: normalised and with secrets redacted.
pub fn plan_json(plan: &Plan) -> String {
    plan_json_with(plan, false)
}

/// The plan file as exported, with host names, IP and email addresses removed if asked.
pub fn plan_json_with(plan: &Plan, redact_hosts: bool) -> String {
    let plan = redact::redact_plan(plan);
    if redact_hosts {
        crate::plan_file::to_json(&redact::redact_hosts_plan(&plan))
    } else {
        crate::plan_file::to_json(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::analyse;
    use chrono::NaiveDate;

    pub(crate) fn sample(name: &str) -> Plan {
        let path = format!("{}/assets/samples/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::plan_file::load(std::path::Path::new(&path)).unwrap()
    }

    pub(crate) fn model(plan: &Plan, draft: bool) -> ExportModel {
        let k = Knowledge::embedded();
        let a = analyse(plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        let mut meta = ExportMeta::new(Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap());
        meta.tool_version = "0.0.0-test".into();
        meta.draft = draft;
        ExportModel::build(plan, &k, &a, meta)
    }

    #[test]
    fn model_carries_identity_versions_and_window_with_zone() {
        let m = model(&sample("multi-node-geo.upgrade-plan.json"), false);
        assert_eq!(m.plan_id, "0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10");
        assert_eq!(m.revision, 3);
        assert_eq!(m.generated_at, "2026-11-21 10:00 UTC");
        assert_eq!(m.tool, "Upgrade Planner 0.0.0-test");
        assert_eq!(m.data_date, "2026-11-21");
        assert_eq!(m.upgrade_line(), "16.3.4 → 18.5.7");
        assert_eq!(m.ticket().as_deref(), Some("#512345"));
        assert_eq!(m.window.start.as_deref(), Some("Sat 12 Dec 2026 20:00"));
        assert_eq!(m.window.end.as_deref(), Some("Sun 13 Dec 2026 20:00"));
        assert_eq!(m.window.utc_offset.as_deref(), Some("UTC+01:00"));
        assert_eq!(m.window.start_utc.as_deref(), Some("2026-12-12 19:00 UTC"));
        assert_eq!(m.verdict, Verdict::Ready);
        let p = m.path.as_ref().unwrap();
        assert_eq!(p.hops.first().unwrap().from_version, "16.3.4");
        assert_eq!(p.hops.last().unwrap().version, "18.5.7");
        assert_eq!(m.runbook.hops.len(), p.hops.len());
        assert!(!m.runbook.order.is_empty());
        assert_eq!(m.diagram.secondaries.len(), 1);
        assert!(m.known_issues.iter().any(|i| i.reviewed));
    }

    #[test]
    fn verdict_follows_the_findings() {
        let mut plan = sample("single-node.upgrade-plan.json");
        assert_eq!(model(&plan, false).verdict, Verdict::Ready);
        plan.backup.as_mut().unwrap().location = None;
        let m = model(&plan, false);
        assert_eq!(m.verdict, Verdict::ReadyWithWarnings);
        assert!(m.verdict_text.contains("1 warning"));
        plan.backup.as_mut().unwrap().secrets_backed_up = Some(false);
        let m = model(&plan, true);
        assert_eq!(m.verdict, Verdict::NotReady);
        assert!(m.draft);
        assert_eq!(m.findings[0].severity, Severity::Error);
    }

    #[test]
    fn drafts_are_required_for_plans_with_errors() {
        let k = Knowledge::embedded();
        let plan = Plan::default();
        let a = analyse(&plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        match check_exportable(&a, false) {
            Err(ExportError::PlanHasErrors { errors }) => assert!(!errors.is_empty()),
            other => panic!("{other:?}"),
        }
        assert!(check_exportable(&a, true).is_ok());
        // An empty plan still builds a model (everything "not given").
        let m = model(&plan, true);
        assert_eq!(m.verdict, Verdict::NotReady);
        assert!(m.path.is_none());
    }

    #[test]
    fn secrets_are_redacted_from_the_model_and_the_json() {
        let mut plan = sample("single-node.upgrade-plan.json");
        plan.notes.as_mut().unwrap().unique_setup =
            Some("Runner uses glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF daily".into());
        let m = model(&plan, true);
        let all = serde_json::to_string(&m).unwrap();
        assert!(!all.contains("glpat-9xK2"), "secret in model");
        assert_eq!(
            m.notes.unique_setup.as_deref(),
            Some("Runner uses [REDACTED] daily")
        );
        assert!(!plan_json(&plan).contains("glpat-9xK2"));
    }
}
