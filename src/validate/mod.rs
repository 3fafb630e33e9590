//! Validation: a pure function of the plan, the knowledge and today's date that returns every
//! finding, each with a severity, the field it concerns, the wizard step and a message.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::environment::Environment;
use crate::knowledge::{Knowledge, VersionStatus};
use crate::path::{self, NoteSeverity, OsSupport, PathRequest, UpgradePath, os_support};
use crate::plan::{
    BackupMethod, InstallMethod, OpenAnswer, Os, Plan, PostgresMode, RedisMode, Step, TopologyKind,
};
use crate::secrets::first_secret_kind;
use crate::version::{Minor, parse_version};

mod contact;
mod environment;
mod recovery;
mod timeline;
mod versions;

pub use contact::parse_local_datetime;
use contact::{WindowInfo, check_contact, check_windows};

use environment::{check_install, check_os, check_topology};
use recovery::{check_backup, check_geo, check_known_issues, check_rollback};
use versions::check_versions;
pub use versions::condition_matters;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem or hint about the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Dotted path of the field, e.g. `topology.postgresql.version`.
    pub field: String,
    pub message: String,
    pub step: Step,
    /// Stable id of the rule that produced it.
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
}

/// The plan with what was computed from it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub path: Option<UpgradePath>,
    /// The timeline (dependency steps) and the windows, when there is a path.
    pub schedule: Option<Schedule>,
    pub findings: Vec<Finding>,
}

impl Analysis {
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Days of notice Support is commonly given before a window. The exact minimum lead time is
/// UNVERIFIED, so a shorter notice is only a warning.
pub const LEAD_TIME_DAYS: i64 = 7;
/// A restore test older than this is flagged.
pub const RESTORE_TEST_MAX_AGE_DAYS: i64 = 180;
pub use crate::timeline::windows::{
    DEFAULT_ROLLBACK_HOURS, HOURS_PER_HOP_MULTI, HOURS_PER_HOP_SINGLE,
};
pub use timeline::{Schedule, build_timeline, settings as schedule_settings};

const UA_DOC: &str = "https://about.gitlab.com/support/scheduling-upgrade-assistance/";
const BACKUP_DOC: &str = "https://docs.gitlab.com/administration/backup_restore/backup_gitlab/";
const ZDU_DOC: &str = "https://docs.gitlab.com/update/zero_downtime/";
const OS_DOC: &str = "https://docs.gitlab.com/install/package/#supported-platforms";
const ROLLBACK_DOC: &str = "https://docs.gitlab.com/update/package/downgrade/";

/// All findings for a plan.
pub fn validate(plan: &Plan, k: &Knowledge, today: NaiveDate) -> Vec<Finding> {
    analyse(plan, k, today).findings
}

/// The wizard label of a field, as the user sees it: condition questions come from the GitLab
/// data, every other label from the plan's own list (`plan::field_label`).
pub fn field_label(k: &Knowledge, field: &str) -> String {
    if let Some(id) = field.strip_prefix("conditions.")
        && let Some(c) = k.condition(id)
    {
        return c.question.clone();
    }
    crate::plan::field_label(field).into_owned()
}

/// A message about a field, led by the field's label: `Contact email: … `, or `Is Geo used? …`
/// when the label is a question.
pub fn labelled(label: &str, message: &str) -> String {
    if label.ends_with('?') || label.ends_with(':') {
        format!("{label} {message}")
    } else {
        format!("{label}: {message}")
    }
}

/// The wizard step a field belongs to.
pub fn step_of(field: &str) -> Step {
    let head = field.split(['.', '[']).next().unwrap_or_default();
    match head {
        "contact" | "window" | "windows" => Step::Contact,
        "versions" | "conditions" | "zero_downtime" | "dependency_upgrades" | "hop_hours" => {
            Step::Versions
        }
        "install" => Step::Installation,
        "os" => Step::Os,
        "topology" => Step::Topology,
        "geo" => Step::Geo,
        "notes" | "known_issues_reviewed" => Step::KnownIssues,
        "backup" | "backup_every_hop" => Step::Backup,
        "rollback" => Step::Rollback,
        _ => Step::Review,
    }
}

struct Out(Vec<Finding>);

impl Out {
    fn push(&mut self, severity: Severity, rule: &'static str, field: &str, message: String) {
        self.push_doc(severity, rule, field, message, None);
    }
    fn push_doc(
        &mut self,
        severity: Severity,
        rule: &'static str,
        field: &str,
        message: impl Into<String>,
        doc_url: Option<&str>,
    ) {
        self.0.push(Finding {
            severity,
            field: field.to_string(),
            message: message.into(),
            step: step_of(field),
            rule,
            doc_url: doc_url.map(str::to_string),
        });
    }
    fn error(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, rule, field, message.into());
    }
    fn warn(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, rule, field, message.into());
    }
    fn info(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Info, rule, field, message.into());
    }
}

fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Validate and compute the path in one go.
pub fn analyse(plan: &Plan, k: &Knowledge, today: NaiveDate) -> Analysis {
    let mut out = Out(Vec::new());
    check_secrets(plan, &mut out);
    check_kept_values(plan, &mut out);
    check_contact(plan, &mut out);
    let windows = check_windows(plan, today, &mut out);
    let mut path = check_versions(plan, k, today, &mut out);
    if let Some(st) = k.staleness(today) {
        out.info("data_behind_calendar", "versions.target", st.message());
    }
    let schedule = path
        .as_mut()
        .and_then(|p| timeline::check_timeline(plan, k, p, &windows, &mut out));
    check_install(plan, &mut out);
    check_os(plan, k, path.as_ref(), &mut out);
    check_topology(plan, path.as_ref(), &mut out);
    check_geo(plan, &mut out);
    check_known_issues(plan, path.as_ref(), &mut out);
    check_backup(plan, today, &mut out);
    check_rollback(plan, windows.first().copied(), &mut out);
    check_to_verify(plan, k, path.as_ref(), &mut out);
    let mut findings = out.0;
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.step.cmp(&b.step)));
    Analysis {
        path,
        schedule,
        findings,
    }
}

// ------------------------------------------------------------------ answers to verify

/// Questions answered "not sure": each is a warning that names what to check, as long as the
/// question still has no answer and still matters.
fn check_to_verify(plan: &Plan, k: &Knowledge, p: Option<&UpgradePath>, out: &mut Out) {
    let Ok(value) = serde_json::to_value(plan) else {
        return;
    };
    for field in &plan.to_verify {
        let answered = field
            .split('.')
            .try_fold(&value, |v, key| v.get(key))
            .is_some_and(|v| !v.is_null());
        if answered {
            continue;
        }
        if let Some(id) = field.strip_prefix("conditions.") {
            if p.is_none_or(|p| !condition_matters(k, id, p)) {
                continue;
            }
            let check = k
                .condition(id)
                .and_then(|c| c.check.clone())
                .map(|c| format!(" To find out, run: {c}"))
                .unwrap_or_default();
            out.warn(
                "to_verify",
                field,
                format!(
                    "To verify: answered \"not sure\", so the path keeps the extra stop this question decides until you check.{check}"
                ),
            );
        } else {
            out.warn(
                "to_verify",
                field,
                "To verify: answered \"not sure\"; find out before the upgrade window.",
            );
        }
    }
}

// ------------------------------------------------------------------ values kept as written

/// The rule id of a value from a closed list that this version does not know.
pub const UNKNOWN_VALUE_RULE: &str = "unknown_value";

/// An answer from a closed list that this version does not know (a role a newer version adds,
/// say) is kept and written back unchanged: a warning at its field, never an error. What is
/// computed from the plan treats it as not answered. The value is quoted only when it may be
/// (never a secret: the secret scan reports that one on its own).
fn check_kept_values(plan: &Plan, out: &mut Out) {
    for (field, raw) in plan.kept_values() {
        out.warn(
            UNKNOWN_VALUE_RULE,
            &field,
            format!(
                "{} is not a value this version of Upgrade Planner knows (a newer version may); it is kept as it is.",
                crate::text::quote(raw)
            ),
        );
    }
}

// ------------------------------------------------------------------ secrets

fn check_secrets(plan: &Plan, out: &mut Out) {
    let Ok(value) = serde_json::to_value(plan) else {
        return;
    };
    check_texts(&value, &mut String::new(), out);
}

/// Every string of the plan (and every key name, which unknown keys make free text too):
/// no secret, and no answer longer than a plan file may hold. A key that holds a secret is
/// named `[REDACTED]` in the field path, so the finding does not repeat it.
fn check_texts(v: &Value, path: &mut String, out: &mut Out) {
    match v {
        Value::String(s) => {
            if let Some(kind) = first_secret_kind(s) {
                out.error(
                    "secret_in_text",
                    path,
                    format!(
                        "This field contains what looks like a secret ({kind}). Remove it: plans are attached to Support tickets and must never carry credentials."
                    ),
                );
            }
            let limit = crate::plan_file::MAX_TEXT_CHARS;
            if s.len() > limit && s.chars().count() > limit {
                out.error(
                    "text_too_long",
                    path,
                    format!(
                        "This answer is {} characters long; a plan answer is at most {limit} characters, or the plan file could not be opened again. Shorten it (logs belong in the ticket).",
                        s.chars().count()
                    ),
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_texts(item, path, out);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if let Some(kind) = first_secret_kind(key) {
                    path.push_str(crate::export::redact::REDACTED);
                    out.error(
                        "secret_in_text",
                        path,
                        format!(
                            "The name of this key looks like a secret ({kind}). Remove the key: plans are attached to Support tickets and must never carry credentials."
                        ),
                    );
                } else {
                    path.push_str(&crate::text::one_line(key));
                }
                check_texts(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}
