//! A review as the plan file keeps it: what the reviewed revision is copied into it (its
//! answers, and the path and findings computed for it), whether the plan changed since, and
//! what changed (the same comparison as `upgrade-planner diff`, from the one file).

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::diff::{
    self, FindingLine, PlanDiff, answer_changes, compare_findings, compare_sorted, finding_lines,
    hops, issue_ids,
};
use crate::export::redact::redact_plan;
use crate::knowledge::Knowledge;
use crate::plan::{Computed, ComputedFinding, FORMAT, Open, Plan, Review, SCHEMA_VERSION};
use crate::validate::{self, Analysis};

/// Keys of a plan that a review's copy of the answers leaves out: the bookkeeping (the review
/// has its own revision), the reviews themselves and the run log of the upgrade day (a tick
/// is not an answer).
const NOT_ANSWERS: [&str; 8] = [
    "format",
    "plan_id",
    "revision",
    "created_at",
    "updated_at",
    "last_step",
    "reviews",
    "runs",
];

/// Rules whose message carries a date or a number of days: the same finding on another day
/// has another text. They are compared by severity, field and rule only.
const DATED_RULES: [&str; 4] = [
    "data_behind_calendar",
    "data_stale",
    "window_too_soon",
    "restore_stale",
];

/// The answers of `plan` as a review keeps them: without bookkeeping and reviews, secrets
/// removed (a review must never carry one into the file's future).
pub fn answers_of(plan: &Plan) -> Map<String, Value> {
    let mut p = redact_plan(plan);
    p.reviews.clear();
    p.runs.clear();
    match serde_json::to_value(&p) {
        Ok(Value::Object(mut map)) => {
            for key in NOT_ANSWERS {
                map.remove(key);
            }
            map
        }
        _ => Map::new(),
    }
}

/// What the app computed for a revision: its path, findings and known issues.
pub fn computed_of(analysis: &Analysis, k: &Knowledge) -> Computed {
    Computed {
        path: hops(analysis),
        findings: finding_lines(analysis, k)
            .into_iter()
            .map(|f| ComputedFinding {
                severity: f.severity,
                field: f.field,
                label: f.label,
                message: f.message,
                rule: f.rule,
                extra: Default::default(),
            })
            .collect(),
        known_issues: issue_ids(analysis),
        extra: Default::default(),
    }
}

/// A new review of the plan as it is: the revision, the data date, the reviewed answers and
/// what the app computed for them. The reviewer fills in the rest.
pub fn new_review(plan: &Plan, analysis: &Analysis, k: &Knowledge) -> Review {
    Review {
        reviewed_revision: plan.revision,
        data_date: Some(k.data_date().to_string()),
        answers: Some(answers_of(plan)),
        computed: Some(computed_of(analysis, k)),
        ..Review::default()
    }
}

/// The latest review of the plan, when it has one.
pub fn latest(plan: &Plan) -> Option<&Review> {
    plan.reviews.last()
}

/// The plan a review read, rebuilt from the answers it keeps; `None` when it keeps none, or
/// they no longer read as a plan (a hand-edited file).
pub fn reviewed_plan(plan: &Plan, review: &Review) -> Option<Plan> {
    let mut map = review.answers.clone()?;
    map.insert("format".into(), Value::from(FORMAT));
    map.entry("schema_version")
        .or_insert_with(|| Value::from(SCHEMA_VERSION));
    map.insert("plan_id".into(), Value::from(plan.plan_id.clone()));
    map.insert("revision".into(), Value::from(review.reviewed_revision));
    map.remove("reviews");
    map.remove("runs");
    let text = serde_json::to_vec(&Value::Object(map)).ok()?;
    crate::plan_file::parse(Path::new("reviewed revision"), &text).ok()
}

/// Whether the plan's answers differ from the revision the review read. A review that keeps
/// no answers (written by hand) counts any later revision as a change.
pub fn changed_since(plan: &Plan, review: &Review) -> bool {
    match reviewed_plan(plan, review) {
        Some(old) => diff::answers(&old) != diff::answers(&redact_plan(plan)),
        None => plan.revision > review.reviewed_revision,
    }
}

/// What changed from the revision `review` read (with the GitLab data of the review) to the
/// plan as it is (`current`: its analysis with the data in use). `None` when the review keeps
/// no answers to compare with.
pub fn since_review(
    plan: &Plan,
    review: &Review,
    k: &Knowledge,
    current: &Analysis,
    today: NaiveDate,
) -> Option<PlanDiff> {
    let old = reviewed_plan(plan, review)?;
    let (old_path, old_findings, old_issues, old_date) = match &review.computed {
        Some(c) => (
            c.path.clone(),
            c.findings.iter().map(line_of).collect(),
            c.known_issues.clone(),
            review
                .data_date
                .clone()
                .unwrap_or_else(|| k.data_date().to_string()),
        ),
        None => {
            let a = validate::analyse(&old, k, today);
            (
                hops(&a),
                finding_lines(&a, k),
                issue_ids(&a),
                k.data_date().to_string(),
            )
        }
    };
    let new_findings = finding_lines(current, k);
    let (mut findings_new, mut findings_resolved) = compare_findings(&old_findings, &new_findings);
    drop_redated(&mut findings_new, &mut findings_resolved);
    let (issues_new, issues_gone) = compare_sorted(&old_issues, &issue_ids(current));
    Some(PlanDiff {
        old_revision: review.reviewed_revision,
        new_revision: plan.revision,
        old_data_date: old_date,
        new_data_date: k.data_date().to_string(),
        answers: answer_changes(&old, &redact_plan(plan), k),
        old_path,
        new_path: hops(current),
        findings_new,
        findings_resolved,
        issues_new,
        issues_gone,
    })
}

fn line_of(f: &ComputedFinding) -> FindingLine {
    FindingLine {
        severity: f.severity.clone(),
        field: f.field.clone(),
        label: f.label.clone(),
        message: f.message.clone(),
        rule: f.rule.clone(),
    }
}

/// A finding of a dated rule that is both new and resolved (the same finding, a day later)
/// is neither.
fn drop_redated(new: &mut Vec<FindingLine>, resolved: &mut Vec<FindingLine>) {
    let same = |a: &FindingLine, b: &FindingLine| {
        DATED_RULES.contains(&a.rule.as_str())
            && a.rule == b.rule
            && a.field == b.field
            && a.severity == b.severity
    };
    let kept_new: Vec<FindingLine> = new
        .iter()
        .filter(|n| !resolved.iter().any(|r| same(n, r)))
        .cloned()
        .collect();
    resolved.retain(|r| !new.iter().any(|n| same(n, r)));
    *new = kept_new;
}

/// Where the plan stands with Support: the latest review, and whether the plan changed since.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewStatus {
    /// How many reviews the plan holds.
    pub reviews: usize,
    pub reviewed_revision: u32,
    /// The verdict's id (`viable`, `needs_info`, `reschedule`; another as written; `none`).
    pub verdict: String,
    /// The verdict as a person reads it.
    pub verdict_label: String,
    pub reviewer: Option<String>,
    pub reviewed_on: Option<String>,
    pub approvers: Vec<String>,
    /// The GitLab data date the review used.
    pub data_date: Option<String>,
    /// The plan's answers differ from the reviewed revision.
    pub changed_since_review: bool,
    /// What changed since the reviewed revision (when the review keeps its answers).
    pub since_review: Option<PlanDiff>,
}

/// The status of the plan's latest review, when it has one; every text passed through
/// `clean` (the caller redacts and escapes for its output).
pub fn status(
    plan: &Plan,
    k: &Knowledge,
    current: &Analysis,
    today: NaiveDate,
    clean: &dyn Fn(&str) -> String,
) -> Option<ReviewStatus> {
    let review = latest(plan)?;
    let since = since_review(plan, review, k, current, today);
    // The answers compared are the same: no need to compare them twice.
    let changed = match &since {
        Some(d) => !d.answers.is_empty(),
        None => changed_since(plan, review),
    };
    let since = since.map(|mut d| {
        clean_diff(&mut d, clean);
        d
    });
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(clean)
    };
    Some(ReviewStatus {
        reviews: plan.reviews.len(),
        reviewed_revision: review.reviewed_revision,
        verdict: match &review.verdict {
            Some(Open::Known(v)) => v.id().to_string(),
            Some(Open::Unknown(raw)) => clean(raw),
            None => "none".into(),
        },
        verdict_label: clean(&review.verdict_short()),
        reviewer: opt(&review.reviewer),
        reviewed_on: opt(&review.reviewed_on),
        approvers: review
            .approvers
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(clean)
            .collect(),
        data_date: opt(&review.data_date),
        changed_since_review: changed,
        since_review: since,
    })
}

/// Every text of a diff that comes from the plan or its findings passed through `clean`.
pub fn clean_diff(d: &mut PlanDiff, clean: &dyn Fn(&str) -> String) {
    for a in &mut d.answers {
        a.label = clean(&a.label);
        a.old = a.old.as_deref().map(clean);
        a.new = a.new.as_deref().map(clean);
    }
    for f in d
        .findings_new
        .iter_mut()
        .chain(d.findings_resolved.iter_mut())
    {
        f.label = clean(&f.label);
        f.message = clean(&f.message);
    }
}

impl ReviewStatus {
    /// `Revision 3 reviewed on 2026-11-22 by Sam Support: Needs information`.
    pub fn line(&self) -> String {
        let mut s = format!("Revision {} reviewed", self.reviewed_revision);
        if let Some(d) = &self.reviewed_on {
            s.push_str(&format!(" on {d}"));
        }
        if let Some(r) = &self.reviewer {
            s.push_str(&format!(" by {r}"));
        }
        if !self.approvers.is_empty() {
            s.push_str(&format!(" (approved by {})", self.approvers.join(", ")));
        }
        s.push_str(&format!(": {}", self.verdict_label));
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::ReviewVerdict;

    fn sample() -> Plan {
        crate::plan_file::parse(
            "single-node.upgrade-plan.json".as_ref(),
            include_bytes!("../../assets/samples/single-node.upgrade-plan.json"),
        )
        .unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn reviewed(plan: &Plan) -> Plan {
        let k = Knowledge::global();
        let a = validate::analyse(plan, k, today());
        let mut r = new_review(plan, &a, k);
        r.verdict = Some(Open::Known(ReviewVerdict::NeedsInfo));
        let mut p = plan.clone();
        p.reviews.push(r);
        p
    }

    #[test]
    fn an_unchanged_plan_is_not_changed_since_its_review() {
        let p = reviewed(&sample());
        let k = Knowledge::global();
        let a = validate::analyse(&p, k, today());
        let r = latest(&p).unwrap();
        assert!(!changed_since(&p, r));
        let d = since_review(&p, r, k, &a, today()).unwrap();
        assert!(d.is_empty(), "{d:#?}");
        // Saving again (a new revision) without a change is no change.
        let mut saved = p.clone();
        saved.revision += 1;
        assert!(!changed_since(&saved, latest(&saved).unwrap()));
    }

    #[test]
    fn the_run_log_of_the_upgrade_day_is_no_change_since_the_review() {
        let mut p = reviewed(&sample());
        p.runs.push(crate::run::Run {
            window: 1,
            started_at: Some("2026-12-12T19:00:00Z".into()),
            ..Default::default()
        });
        let k = Knowledge::global();
        let a = validate::analyse(&p, k, today());
        let r = latest(&p).unwrap();
        assert!(!changed_since(&p, r));
        let d = since_review(&p, r, k, &a, today()).unwrap();
        assert!(d.answers.is_empty(), "{d:#?}");
        // And a review taken after a run keeps no run log in its copy of the answers.
        assert!(!answers_of(&p).contains_key("runs"));
    }

    #[test]
    fn a_changed_answer_shows_with_its_label_and_the_findings_it_moves() {
        let mut p = reviewed(&sample());
        p.revision += 1;
        p.backup.as_mut().unwrap().secrets_backed_up = Some(false);
        let k = Knowledge::global();
        let a = validate::analyse(&p, k, today());
        let r = latest(&p).unwrap();
        assert!(changed_since(&p, r));
        let d = since_review(&p, r, k, &a, today()).unwrap();
        assert_eq!(d.answers.len(), 1, "{:#?}", d.answers);
        assert_eq!(d.answers[0].field, "backup.secrets_backed_up");
        assert_eq!(d.answers[0].label, "Are the secrets backed up?");
        assert_eq!(d.answers[0].old.as_deref(), Some("yes"));
        assert_eq!(d.answers[0].new.as_deref(), Some("no"));
        assert!(
            d.findings_new
                .iter()
                .any(|f| f.field == "backup.secrets_backed_up" && f.severity == "error"),
            "{:#?}",
            d.findings_new
        );
        assert_eq!(d.old_revision + 1, d.new_revision);
    }

    #[test]
    fn findings_of_the_review_data_are_compared_with_todays() {
        // The review saw a finding the data of today no longer gives: it is resolved, though
        // no answer changed.
        let mut p = reviewed(&sample());
        let c = p.reviews[0].computed.as_mut().unwrap();
        c.findings.push(ComputedFinding {
            severity: "warning".into(),
            field: "versions.target".into(),
            label: "Target GitLab version".into(),
            message: "A patch to avoid (old data)".into(),
            rule: "patch_to_avoid".into(),
            extra: Default::default(),
        });
        c.known_issues.push("gl-old-issue".into());
        p.reviews[0].data_date = Some("2026-01-01".into());
        let k = Knowledge::global();
        let a = validate::analyse(&p, k, today());
        let d = since_review(&p, latest(&p).unwrap(), k, &a, today()).unwrap();
        assert!(d.answers.is_empty());
        assert_eq!(d.findings_resolved.len(), 1);
        assert_eq!(d.issues_gone, vec!["gl-old-issue".to_string()]);
        assert_eq!(d.old_data_date, "2026-01-01");
    }

    #[test]
    fn a_secret_never_enters_the_reviewed_answers() {
        let mut plan = sample();
        plan.notes.as_mut().unwrap().unique_setup =
            Some("token glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF here".into());
        let p = reviewed(&plan);
        let text = serde_json::to_string(&p.reviews[0]).unwrap();
        assert!(!text.contains("glpat-9xK2"), "{text}");
        // The same plan is not "changed" because its copy lost the secret.
        assert!(!changed_since(&p, latest(&p).unwrap()));
    }

    #[test]
    fn a_review_without_answers_counts_later_revisions_as_changes() {
        let mut p = sample();
        p.reviews.push(Review {
            reviewed_revision: p.revision,
            ..Review::default()
        });
        assert!(!changed_since(&p, latest(&p).unwrap()));
        p.revision += 1;
        assert!(changed_since(&p, latest(&p).unwrap()));
        let k = Knowledge::global();
        let a = validate::analyse(&p, k, today());
        assert!(since_review(&p, latest(&p).unwrap(), k, &a, today()).is_none());
    }
}
