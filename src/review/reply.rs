//! The review reply: what goes back on the ticket, built once and rendered as Markdown (for the
//! ticket), as a one-page PDF summary and as JSON (`review --json`). From the plan's latest
//! review when it has one; otherwise an automatic draft from the plan's own findings, which
//! names what is missing without anyone having typed anything.

use chrono::NaiveDate;
use serde::Serialize;

use super::checklist::{self, CheckRow};
use super::diff::{FindingLine, finding_lines};
use super::record::{self, ReviewStatus};
use crate::export::Counts;
use crate::knowledge::Knowledge;
use crate::plan::{CheckStatus, Open, Plan, RequiredInfo, Review, ReviewVerdict, Step};
use crate::validate::{self, Analysis, Severity};

/// Everything the reply says, already worded and cleaned (secrets redacted, control
/// characters escaped; host names too when asked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReply {
    pub plan_id: String,
    pub revision: u32,
    pub organization: Option<String>,
    pub ticket: Option<String>,
    pub from_version: Option<String>,
    pub to_version: Option<String>,
    /// The date of the GitLab data the reply was made with.
    pub data_date: String,
    /// `saved` (the plan's latest review) or `draft` (from the findings: nobody reviewed yet).
    pub source: &'static str,
    /// `viable`, `needs_info`, `reschedule` (or a value a newer version wrote).
    pub verdict: String,
    pub verdict_label: String,
    /// The latest review and what changed since (none for a draft).
    pub review: Option<ReviewStatus>,
    pub missing: Vec<String>,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub checklist: Vec<ChecklistLine>,
    /// The steps with a reviewer's note, or with something missing or of concern.
    pub steps: Vec<StepLine>,
    pub counts: Counts,
    pub findings: Vec<FindingLine>,
}

/// One item of the required-information checklist as the reply states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistLine {
    pub id: String,
    pub label: String,
    /// `complete`, `concern` or `missing`.
    pub status: String,
    pub status_label: String,
    pub note: Option<String>,
    /// `reviewer` when the review sets the item, `app` when it comes from the findings.
    pub set_by: &'static str,
    /// What the findings say, whoever set the item.
    pub app_status: String,
    pub app_note: Option<String>,
}

/// One wizard step in the reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepLine {
    /// The step id (`backup`), or a step a newer version has, as written.
    pub step: String,
    /// 1-based position in the wizard (0 for a step this version does not have).
    pub number: usize,
    pub title: String,
    /// The reviewer's note.
    pub note: Option<String>,
    /// The errors on the step (`label: message`).
    pub missing: Vec<String>,
    /// The warnings on the step.
    pub concerns: Vec<String>,
}

impl ReviewReply {
    /// Whether this is the automatic draft (no review saved).
    pub fn is_draft(&self) -> bool {
        self.source == "draft"
    }

    /// `Needs information`, or `Draft verdict: Needs information`.
    pub fn verdict_heading(&self) -> String {
        if self.is_draft() {
            format!("Draft verdict: {}", self.verdict_label)
        } else {
            format!("Verdict: {}", self.verdict_label)
        }
    }

    /// `16.3.4 → 18.5.7`, with what is known.
    pub fn upgrade_line(&self) -> String {
        format!(
            "{} → {}",
            self.from_version.as_deref().unwrap_or("?"),
            self.to_version.as_deref().unwrap_or("?")
        )
    }
}

/// A text from the plan or the findings as an output shows it: secrets redacted, host names
/// too when asked, control characters other than line breaks and tabs escaped, and
/// bidirectional controls too (Windows line ends become line breaks).
pub fn clean_text(s: &str, hosts: bool) -> String {
    let s = s.replace("\r\n", "\n");
    let mut out = crate::export::redact::redact(&s);
    if hosts {
        out = crate::export::redact::redact_hosts(&out);
    }
    crate::text::escape_controls_and_bidi(&out).into_owned()
}

/// Build the reply for `plan` (analysed with the data in use as of `today`).
pub fn build(
    plan: &Plan,
    k: &Knowledge,
    analysis: &Analysis,
    today: NaiveDate,
    redact_hosts: bool,
) -> ReviewReply {
    let clean = |s: &str| clean_text(s, redact_hosts);
    let opt = |s: Option<&str>| s.map(str::trim).filter(|t| !t.is_empty()).map(clean);
    let auto = checklist::automatic(analysis, k);
    let review = record::latest(plan);
    let contact = plan.contact.clone().unwrap_or_default();
    let (verdict, verdict_label, missing, reasons, comment) = match review {
        Some(r) => (
            match &r.verdict {
                Some(Open::Known(v)) => v.id().to_string(),
                Some(Open::Unknown(raw)) => clean(raw),
                None => "none".to_string(),
            },
            clean(&r.verdict_short()),
            texts(&r.missing, &clean),
            texts(&r.reasons, &clean),
            opt(r.comment.as_deref()),
        ),
        None => {
            let v = checklist::automatic_verdict(&auto);
            (
                v.id().to_string(),
                v.short().to_string(),
                if v == ReviewVerdict::NeedsInfo {
                    texts(&checklist::automatic_missing(&auto), &clean)
                } else {
                    Vec::new()
                },
                Vec::new(),
                None,
            )
        }
    };
    let mut findings = finding_lines(analysis, k);
    for f in &mut findings {
        f.label = clean(&f.label);
        f.message = clean(&f.message);
    }
    ReviewReply {
        plan_id: clean(plan.plan_id.trim()),
        revision: plan.revision,
        organization: opt(contact.organization.as_deref()),
        ticket: opt(contact.ticket.as_deref()),
        from_version: opt(plan.versions.as_ref().and_then(|v| v.current.as_deref()))
            .map(|c| crate::version::parse_version(&c).map_or(c, |v| v.version.to_string())),
        to_version: analysis
            .path
            .as_ref()
            .and_then(|p| p.hops.last())
            .map(|h| h.display_version())
            .or_else(|| opt(plan.versions.as_ref().and_then(|v| v.target.as_deref()))),
        data_date: k.data_date().to_string(),
        source: if review.is_some() { "saved" } else { "draft" },
        verdict,
        verdict_label,
        review: record::status(plan, k, analysis, today, &clean),
        missing,
        reasons,
        comment,
        checklist: checklist_lines(&auto, review, &clean),
        steps: step_lines(analysis, k, review, &clean),
        counts: Counts::of(analysis),
        findings,
    }
}

fn texts(list: &[String], clean: &dyn Fn(&str) -> String) -> Vec<String> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(clean)
        .collect()
}

fn checklist_lines(
    auto: &[CheckRow],
    review: Option<&Review>,
    clean: &dyn Fn(&str) -> String,
) -> Vec<ChecklistLine> {
    auto.iter()
        .map(|row| {
            let app_note = (!row.problems.is_empty()).then(|| clean(&row.note()));
            let set = review.and_then(|r| checklist::reviewed_status(r, row.item));
            let note = review.and_then(|r| checklist::reviewed_note(r, row.item));
            let status = set.unwrap_or(row.status);
            // A state a newer version wrote is shown as written.
            let kept = review
                .and_then(|r| r.checklist.get(row.item.id()))
                .and_then(|e| e.status.as_ref())
                .and_then(|s| s.unknown())
                .map(clean);
            let (status_id, status_label) = match &kept {
                Some(raw) => (raw.clone(), crate::plan::other_label(raw)),
                None => (status.id().to_string(), status.label().to_string()),
            };
            ChecklistLine {
                id: row.item.id().to_string(),
                label: row.item.label().to_string(),
                status: status_id,
                status_label,
                note: match (set, note) {
                    (_, Some(n)) => Some(clean(n)),
                    (Some(CheckStatus::Complete), None) => None,
                    _ => app_note.clone(),
                },
                set_by: if set.is_some() || kept.is_some() {
                    "reviewer"
                } else {
                    "app"
                },
                app_status: row.status.id().to_string(),
                app_note,
            }
        })
        .collect()
}

fn step_lines(
    analysis: &Analysis,
    k: &Knowledge,
    review: Option<&Review>,
    clean: &dyn Fn(&str) -> String,
) -> Vec<StepLine> {
    let mut out = Vec::new();
    for step in Step::ALL {
        let on_step = |s: Severity| -> Vec<String> {
            let mut v: Vec<String> = analysis
                .findings
                .iter()
                .filter(|f| f.step == step && f.severity == s)
                .map(|f| {
                    clean(&validate::labelled(
                        &validate::field_label(k, &f.field),
                        &f.message,
                    ))
                })
                .collect();
            v.dedup();
            v
        };
        let note = review.and_then(|r| r.note_on(step)).map(clean);
        let (missing, concerns) = (on_step(Severity::Error), on_step(Severity::Warning));
        if note.is_some() || !missing.is_empty() || !concerns.is_empty() {
            out.push(StepLine {
                step: step.id().to_string(),
                number: step.number(),
                title: step.title().to_string(),
                note,
                missing,
                concerns,
            });
        }
    }
    // Notes on steps a newer version has: kept and shown as written.
    if let Some(r) = review {
        for (id, note) in &r.step_notes {
            if Step::ALL.iter().any(|s| s.id() == id) || note.trim().is_empty() {
                continue;
            }
            out.push(StepLine {
                step: clean(id),
                number: 0,
                title: clean(&id.replace('_', " ")),
                note: Some(clean(note.trim())),
                missing: Vec::new(),
                concerns: Vec::new(),
            });
        }
    }
    out
}

/// The item a checklist line is about, when this version knows it.
pub fn item(line: &ChecklistLine) -> Option<RequiredInfo> {
    RequiredInfo::from_id(&line.id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::CheckEntry;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn fixture(name: &str) -> Plan {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::plan_file::load(std::path::Path::new(&path)).unwrap()
    }

    fn reply_of(plan: &Plan) -> ReviewReply {
        let k = Knowledge::global();
        let a = validate::analyse(plan, k, today());
        build(plan, k, &a, today(), false)
    }

    #[test]
    fn without_a_review_the_draft_names_what_is_missing() {
        let r = reply_of(&fixture(
            "tests/fixtures/unconfirmed-rollback.upgrade-plan.json",
        ));
        assert!(r.is_draft());
        assert_eq!(r.verdict, "needs_info");
        assert_eq!(r.missing.len(), 1);
        assert!(r.missing[0].contains("Rollback plan"), "{:?}", r.missing);
        let rollback = r
            .checklist
            .iter()
            .find(|c| c.id == "rollback_plan")
            .unwrap();
        assert_eq!(
            (rollback.status.as_str(), rollback.set_by),
            ("missing", "app")
        );
        let step = r.steps.iter().find(|s| s.step == "rollback").unwrap();
        assert_eq!(step.missing.len(), 1);
        assert!(r.review.is_none());
    }

    #[test]
    fn a_saved_review_gives_its_verdict_notes_and_checklist() {
        let mut plan = fixture("assets/samples/single-node.upgrade-plan.json");
        let k = Knowledge::global();
        let a = validate::analyse(&plan, k, today());
        let mut review = record::new_review(&plan, &a, k);
        review.verdict = Some(Open::Known(ReviewVerdict::Reschedule));
        review.reasons = vec!["The window is on a public holiday".into()];
        review.reviewer = Some("Sam Support".into());
        review
            .step_notes
            .insert("backup".into(), "Restore test\nis too old".into());
        review
            .step_notes
            .insert("launch_pad".into(), "a step of a newer version".into());
        review.checklist.insert(
            "window".into(),
            CheckEntry {
                status: Some(Open::Known(CheckStatus::Concern)),
                note: Some("Holiday".into()),
                ..Default::default()
            },
        );
        plan.reviews.push(review);
        let r = reply_of(&plan);
        assert!(!r.is_draft());
        assert_eq!(r.verdict, "reschedule");
        assert_eq!(
            r.reasons,
            vec!["The window is on a public holiday".to_string()]
        );
        let w = r.checklist.iter().find(|c| c.id == "window").unwrap();
        assert_eq!(
            (w.status.as_str(), w.set_by, w.note.as_deref()),
            ("concern", "reviewer", Some("Holiday"))
        );
        assert_eq!(w.app_status, "complete");
        let b = r.steps.iter().find(|s| s.step == "backup").unwrap();
        assert_eq!(b.note.as_deref(), Some("Restore test\nis too old"));
        assert!(
            r.steps
                .iter()
                .any(|s| s.step == "launch_pad" && s.number == 0)
        );
        let status = r.review.unwrap();
        assert!(!status.changed_since_review);
        assert!(status.since_review.unwrap().is_empty());
    }

    #[test]
    fn secrets_and_control_characters_never_reach_the_reply() {
        let mut plan = fixture("assets/samples/single-node.upgrade-plan.json");
        plan.reviews.push(Review {
            reviewed_revision: plan.revision,
            reviewer: Some("Sam\u{1b}[31m".into()),
            comment: Some("use glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF to log in".into()),
            ..Review::default()
        });
        let r = reply_of(&plan);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("glpat-9xK2"), "{json}");
        assert!(!json.contains('\u{1b}'), "{json}");
        assert_eq!(r.verdict, "none");
    }
}
