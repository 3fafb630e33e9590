//! Validation: a pure function of the plan, the knowledge and today's date that returns every
//! finding, each with a severity, the field it concerns, the wizard step and a message.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::environment::Environment;
use crate::knowledge::Knowledge;
use crate::path::{
    self, NoteSeverity, OsSupport, PathRequest, UpgradePath, os_support, version_below,
};
use crate::plan::{
    BackupMethod, InstallMethod, OpenAnswer, Os, Plan, PostgresMode, RedisMode, Step, TopologyKind,
};
use crate::secrets::find_secrets;
use crate::version::{Minor, parse_version};

mod environment;
mod recovery;
mod versions;

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
/// Rough time per hop (install, reconfigure, migrations, checks) used for the window estimate.
pub const HOURS_PER_HOP_SINGLE: f64 = 1.0;
pub const HOURS_PER_HOP_MULTI: f64 = 1.5;
/// Rollback time assumed when the plan does not say.
pub const DEFAULT_ROLLBACK_HOURS: f64 = 2.0;

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
        "contact" | "window" => Step::Contact,
        "versions" | "conditions" | "zero_downtime" => Step::Versions,
        "install" => Step::Installation,
        "os" => Step::Os,
        "topology" => Step::Topology,
        "geo" => Step::Geo,
        "notes" | "known_issues_reviewed" => Step::KnownIssues,
        "backup" => Step::Backup,
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
    let window = check_window(plan, today, &mut out);
    let path = check_versions(plan, k, &mut out);
    check_install(plan, &mut out);
    check_os(plan, k, path.as_ref(), &mut out);
    check_topology(plan, k, path.as_ref(), &mut out);
    check_geo(plan, &mut out);
    check_known_issues(plan, path.as_ref(), &mut out);
    check_backup(plan, today, &mut out);
    check_rollback(plan, window, path.as_ref(), &mut out);
    check_to_verify(plan, k, path.as_ref(), &mut out);
    let mut findings = out.0;
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.step.cmp(&b.step)));
    Analysis { path, findings }
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
            if let Some(first) = find_secrets(s).first() {
                out.error(
                    "secret_in_text",
                    path,
                    format!(
                        "This field contains what looks like a secret ({}). Remove it: plans are attached to Support tickets and must never carry credentials.",
                        first.kind
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
                if let Some(first) = find_secrets(key).first() {
                    path.push_str(crate::export::redact::REDACTED);
                    out.error(
                        "secret_in_text",
                        path,
                        format!(
                            "The name of this key looks like a secret ({}). Remove the key: plans are attached to Support tickets and must never carry credentials.",
                            first.kind
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

// ------------------------------------------------------------------ contact and window

fn check_contact(plan: &Plan, out: &mut Out) {
    let c = plan.contact.clone().unwrap_or_default();
    if text(&c.organization).is_none() {
        out.error(
            "required",
            "contact.organization",
            "Enter the organisation's name.",
        );
    }
    if text(&c.name).is_none() {
        out.error(
            "required",
            "contact.name",
            "Enter the name of the person Support should contact.",
        );
    }
    match text(&c.email) {
        None => out.error(
            "required",
            "contact.email",
            "Enter a contact email address.",
        ),
        Some(e) if !looks_like_email(e) => out.error(
            "email_format",
            "contact.email",
            format!("`{e}` does not look like an email address (name@example.com)."),
        ),
        _ => {}
    }
}

fn looks_like_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

/// Parse `YYYY-MM-DDTHH:MM[:SS]` (a space works in place of `T`).
pub fn parse_local_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim().replace(' ', "T");
    chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M"))
        .ok()
}

/// The window's start and length, when both are valid.
#[derive(Debug, Clone, Copy)]
struct WindowInfo {
    start: chrono::NaiveDateTime,
    hours: Option<f64>,
}

fn check_window(plan: &Plan, today: NaiveDate, out: &mut Out) -> Option<WindowInfo> {
    let w = plan.window.clone().unwrap_or_default();
    let start = match text(&w.start) {
        None => {
            out.error(
                "required",
                "window.start",
                "Enter the date and time the upgrade window starts.",
            );
            None
        }
        Some(s) => match parse_local_datetime(s) {
            None => {
                out.error(
                    "datetime_format",
                    "window.start",
                    format!("`{s}` is not a date and time (expected YYYY-MM-DDTHH:MM)."),
                );
                None
            }
            Some(dt) => {
                let days = (dt.date() - today).num_days();
                if days < 0 {
                    out.error(
                        "window_in_past",
                        "window.start",
                        format!("The window starts on {}, which is in the past.", dt.date()),
                    );
                } else if days < LEAD_TIME_DAYS {
                    out.push_doc(
                        Severity::Warning,
                        "window_too_soon",
                        "window.start",
                        format!(
                            "The window starts in {days} day(s). Support usually needs about {LEAD_TIME_DAYS} days to review a plan (the exact lead time is not published; check the Upgrade Assistance page)."
                        ),
                        Some(UA_DOC),
                    );
                }
                if w.review_call == Some(true) && (0..3).contains(&days) {
                    out.warn(
                        "review_call_too_late",
                        "window.review_call",
                        "A review call is scheduled through a link Support sends at least 2-3 days before the upgrade; there is not enough time left.",
                    );
                }
                Some(dt)
            }
        },
    };
    match text(&w.time_zone) {
        None => out.error(
            "required",
            "window.time_zone",
            "Choose the time zone of the window.",
        ),
        Some(tz) if tz.parse::<chrono_tz::Tz>().is_err() => out.error(
            "time_zone",
            "window.time_zone",
            format!(
                "`{tz}` is not an IANA time zone (for example Europe/Berlin or America/New_York)."
            ),
        ),
        _ => {}
    }
    let hours = match w.duration_hours {
        None => {
            out.error(
                "required",
                "window.duration_hours",
                "Enter the length of the window in hours.",
            );
            None
        }
        Some(h) if !(h > 0.0 && h <= 168.0) => {
            out.error(
                "window_length",
                "window.duration_hours",
                format!(
                    "A window of {h} hours is not possible; enter a length between 0 and 168 hours."
                ),
            );
            None
        }
        Some(h) => Some(h),
    };
    start.map(|start| WindowInfo { start, hours })
}
