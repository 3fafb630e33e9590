//! What changed between two plans, or between the same plan under two versions of the GitLab
//! data: answers by wizard label, the path, findings new and resolved, known issues newly
//! applicable or gone.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::knowledge::Knowledge;
use crate::plan::Plan;
use crate::validate::{self, Analysis, Finding};

/// Keys that say when and how a plan was saved, not what it answers (and Support's reviews
/// and the run log of the upgrade day, which are not the customer's answers).
const BOOKKEEPING: [&str; 9] = [
    "format",
    "schema_version",
    "plan_id",
    "revision",
    "created_at",
    "updated_at",
    "last_step",
    "reviews",
    "runs",
];

/// One answer that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerChange {
    /// The field path, e.g. `topology.postgresql.version`.
    pub field: String,
    /// The wizard label, e.g. `PostgreSQL version`.
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A finding, as the diff lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingLine {
    pub severity: String,
    pub field: String,
    pub label: String,
    pub message: String,
    pub rule: String,
}

/// Everything that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    pub old_revision: u32,
    pub new_revision: u32,
    pub old_data_date: String,
    pub new_data_date: String,
    pub answers: Vec<AnswerChange>,
    /// The hops (display versions) before and after; equal when the path did not change.
    pub old_path: Vec<String>,
    pub new_path: Vec<String>,
    pub findings_new: Vec<FindingLine>,
    pub findings_resolved: Vec<FindingLine>,
    pub issues_new: Vec<String>,
    pub issues_gone: Vec<String>,
}

impl PlanDiff {
    pub fn path_changed(&self) -> bool {
        self.old_path != self.new_path
    }

    /// True when nothing at all differs.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
            && !self.path_changed()
            && self.findings_new.is_empty()
            && self.findings_resolved.is_empty()
            && self.issues_new.is_empty()
            && self.issues_gone.is_empty()
    }
}

/// One side of a comparison: a plan with the data it is read with.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub plan: &'a Plan,
    pub knowledge: &'a Knowledge,
}

/// Compare `old` with `new`, both validated as of `today`.
pub fn diff(old: Side<'_>, new: Side<'_>, today: NaiveDate) -> PlanDiff {
    let a = validate::analyse(old.plan, old.knowledge, today);
    let b = validate::analyse(new.plan, new.knowledge, today);
    let (findings_new, findings_resolved) = compare_findings(
        &finding_lines(&a, old.knowledge),
        &finding_lines(&b, new.knowledge),
    );
    let (issues_new, issues_gone) = compare_sorted(&issue_ids(&a), &issue_ids(&b));
    PlanDiff {
        old_revision: old.plan.revision,
        new_revision: new.plan.revision,
        old_data_date: old.knowledge.data_date().to_string(),
        new_data_date: new.knowledge.data_date().to_string(),
        answers: answer_changes(old.plan, new.plan, new.knowledge),
        old_path: hops(&a),
        new_path: hops(&b),
        findings_new,
        findings_resolved,
        issues_new,
        issues_gone,
    }
}

/// The answers of a plan, one text per field path (lists of plain values as one answer).
pub fn answers(plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(plan) {
        for (key, value) in map {
            if !BOOKKEEPING.contains(&key.as_str()) {
                flatten(&key, &value, &mut out);
            }
        }
    }
    out
}

fn flatten(path: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            if !items.is_empty() {
                let texts: Vec<String> = items.iter().filter_map(scalar).collect();
                out.insert(path.to_string(), texts.join(", "));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), v, out);
            }
        }
        other => {
            if let Some(t) = scalar(other) {
                out.insert(path.to_string(), t);
            }
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("yes".into()),
        Value::Bool(false) => Some("no".into()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn answer_changes(old: &Plan, new: &Plan, k: &Knowledge) -> Vec<AnswerChange> {
    let a = answers(old);
    let b = answers(new);
    let mut fields: Vec<&String> = a.keys().chain(b.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| a.get(*f) != b.get(*f))
        .map(|f| AnswerChange {
            field: f.clone(),
            label: validate::field_label(k, f),
            old: a.get(f).cloned(),
            new: b.get(f).cloned(),
        })
        .collect()
}

pub(super) fn finding_lines(a: &Analysis, k: &Knowledge) -> Vec<FindingLine> {
    let mut v: Vec<FindingLine> = a.findings.iter().map(|f| line(f, k)).collect();
    v.sort();
    v.dedup();
    v
}

fn line(f: &Finding, k: &Knowledge) -> FindingLine {
    FindingLine {
        severity: f.severity.label().to_string(),
        field: f.field.clone(),
        label: validate::field_label(k, &f.field),
        message: f.message.clone(),
        rule: f.rule.to_string(),
    }
}

/// Findings only in `new`, and only in `old`.
pub(super) fn compare_findings(
    old: &[FindingLine],
    new: &[FindingLine],
) -> (Vec<FindingLine>, Vec<FindingLine>) {
    (
        new.iter().filter(|f| !old.contains(f)).cloned().collect(),
        old.iter().filter(|f| !new.contains(f)).cloned().collect(),
    )
}

pub(super) fn compare_sorted(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    (
        new.iter().filter(|x| !old.contains(x)).cloned().collect(),
        old.iter().filter(|x| !new.contains(x)).cloned().collect(),
    )
}

pub(super) fn hops(a: &Analysis) -> Vec<String> {
    a.path
        .as_ref()
        .map(|p| p.hops.iter().map(|h| h.display_version()).collect())
        .unwrap_or_default()
}

pub(super) fn issue_ids(a: &Analysis) -> Vec<String> {
    let mut v: Vec<String> = a
        .path
        .as_ref()
        .map(|p| p.known_issues.iter().map(|m| m.id.clone()).collect())
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Plan {
        crate::plan_file::parse(
            "multi-node-geo.upgrade-plan.json".as_ref(),
            include_bytes!("../../assets/samples/multi-node-geo.upgrade-plan.json"),
        )
        .unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn the_same_plan_has_no_changes() {
        let k = Knowledge::embedded();
        let p = sample();
        let d = diff(
            Side {
                plan: &p,
                knowledge: &k,
            },
            Side {
                plan: &p,
                knowledge: &k,
            },
            today(),
        );
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn bookkeeping_is_not_an_answer_and_lists_are_one_answer() {
        let mut p = sample();
        p.revision = 9;
        p.known_issues_reviewed = vec!["a".into(), "b".into()];
        let a = answers(&p);
        assert!(!a.contains_key("revision"));
        assert_eq!(
            a.get("known_issues_reviewed").map(String::as_str),
            Some("a, b")
        );
        assert!(a.keys().any(|k| k.starts_with("topology.nodes[0].")));
    }
}
