//! The review in the window: review mode (a Support engineer reads the plan read-only and
//! fills in the review panel: verdict, required-information checklist, a note per step,
//! reviewer, date, approvers) and the customer's view of a reviewed plan (the notes on their
//! steps, the verdict, "changed since review" and the changes since the reviewed revision).
//!
//! The state lives here; the panel and the customer's view are drawn by `panel` and
//! `customer`; opening as reviewer and saving the review are commands run by the app shell
//! (`ui::app::review`).

pub mod customer;
pub mod panel;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::knowledge::Knowledge;
use crate::plan::{CheckStatus, Open, Plan, RequiredInfo, Review, ReviewVerdict, Step};
use crate::review::{self, ReviewStatus};
use crate::validate::Analysis;

/// What the reviewer has typed and picked, not saved yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewDraft {
    pub verdict: Option<ReviewVerdict>,
    /// What is missing, one item a line (with `needs_info`).
    pub missing: String,
    /// Why to reschedule, one reason a line (with `reschedule`).
    pub reasons: String,
    pub comment: String,
    pub checklist: BTreeMap<RequiredInfo, (Option<CheckStatus>, String)>,
    pub notes: BTreeMap<Step, String>,
    pub reviewer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Comma-separated names.
    pub approvers: String,
}

impl ReviewDraft {
    /// A new review of the plan: the checklist and what is missing filled in from the
    /// findings, today's date.
    pub fn from_findings(rows: &[review::CheckRow], today: NaiveDate) -> ReviewDraft {
        ReviewDraft {
            missing: review::checklist::automatic_missing(rows).join("\n"),
            checklist: rows
                .iter()
                .map(|r| (r.item, (Some(r.status), r.note())))
                .collect(),
            date: today.format("%Y-%m-%d").to_string(),
            ..ReviewDraft::default()
        }
    }

    /// The draft of a review saved before (to go on editing it); items it does not set are
    /// filled in from the findings.
    pub fn from_review(r: &Review, rows: &[review::CheckRow], today: NaiveDate) -> ReviewDraft {
        let mut d = ReviewDraft::from_findings(rows, today);
        d.verdict = r.known_verdict();
        d.missing = r.missing.join("\n");
        d.reasons = r.reasons.join("\n");
        d.comment = r.comment.clone().unwrap_or_default();
        for item in RequiredInfo::ALL {
            if let Some(e) = r.checklist.get(item.id()) {
                let status = e.status.as_ref().and_then(Open::known);
                let note = e.note.clone().unwrap_or_default();
                d.checklist.insert(item, (status, note));
            }
        }
        for step in Step::ALL {
            if let Some(n) = r.step_notes.get(step.id()) {
                d.notes.insert(step, n.clone());
            }
        }
        d.reviewer = r.reviewer.clone().unwrap_or_default();
        if let Some(date) = &r.reviewed_on {
            d.date = date.clone();
        }
        d.approvers = r.approvers.join(", ");
        d
    }

    /// The note on `step`, when it has text.
    pub fn note_on(&self, step: Step) -> Option<&str> {
        self.notes
            .get(&step)
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
    }

    /// The review the draft makes, on top of `base` (a new review, or the one being edited:
    /// what this version does not show, such as notes on steps it does not have, is kept).
    pub fn to_review(&self, mut base: Review) -> Review {
        let text = |s: &str| Some(s.trim().to_string()).filter(|t| !t.is_empty());
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        if let Some(v) = self.verdict {
            base.verdict = Some(Open::Known(v));
        }
        base.missing = lines(&self.missing);
        base.reasons = lines(&self.reasons);
        base.comment = text(&self.comment);
        for (item, (status, note)) in &self.checklist {
            let entry = base.checklist.entry(item.id().to_string()).or_default();
            if let Some(s) = status {
                entry.status = Some(Open::Known(*s));
            }
            entry.note = text(note);
        }
        for step in Step::ALL {
            match self.note_on(step) {
                Some(n) => {
                    base.step_notes.insert(step.id().to_string(), n.to_string());
                }
                None => {
                    base.step_notes.remove(step.id());
                }
            }
        }
        base.reviewer = text(&self.reviewer);
        base.reviewed_on = text(&self.date);
        base.approvers = self
            .approvers
            .split([',', '\n'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        base
    }

    /// Every text of the draft with the label it is typed under.
    pub fn texts(&self) -> Vec<(String, &str)> {
        let mut v: Vec<(String, &str)> = vec![
            ("Reviewer".into(), self.reviewer.as_str()),
            ("Date of the review".into(), self.date.as_str()),
            ("Approvers".into(), self.approvers.as_str()),
            ("What is missing".into(), self.missing.as_str()),
            ("Reasons to reschedule".into(), self.reasons.as_str()),
            ("Comment".into(), self.comment.as_str()),
        ];
        for (item, (_, note)) in &self.checklist {
            v.push((format!("Note on {}", item.label()), note.as_str()));
        }
        for (step, note) in &self.notes {
            v.push((note_label(*step), note.as_str()));
        }
        v
    }

    /// Why the draft cannot be saved yet, if it cannot: no reviewer, a date that is not one,
    /// or a text that holds what looks like a secret (a review is attached to tickets too).
    pub fn problem(&self) -> Option<String> {
        if self.reviewer.trim().is_empty() {
            return Some("Enter the reviewer's name first.".into());
        }
        if NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").is_err() {
            return Some("The date of the review is not a date (YYYY-MM-DD).".into());
        }
        for (label, text) in self.texts() {
            if let Some(kind) = crate::secrets::first_secret_kind(text) {
                return Some(format!(
                    "{label} holds what looks like a secret ({kind}); remove it: the review goes into the plan file that is attached to the ticket."
                ));
            }
        }
        None
    }
}

/// The accessible label of the note box of `step` in review mode.
pub fn note_label(step: Step) -> String {
    format!("Reviewer's note on {}", step.title())
}

/// A review in progress: the plan as opened (the reviewer cannot change it) and the draft.
#[derive(Debug, Clone)]
pub struct ReviewSession {
    /// The plan as it was opened; restored if anything tries to change it.
    pub locked: Plan,
    pub draft: ReviewDraft,
    /// The draft as last saved (or started): what "unsaved" compares with.
    pub saved_draft: ReviewDraft,
    /// The review being edited (this revision was reviewed and saved before), by index;
    /// `None`: saving adds a new review.
    pub editing: Option<usize>,
    /// The verdict the findings point to.
    pub suggested: ReviewVerdict,
    /// Why the last save was refused, shown in the panel.
    pub problem: Option<String>,
}

/// The review state of the window.
#[derive(Debug, Default)]
pub struct ReviewUi {
    /// Review mode, when on.
    pub session: Option<ReviewSession>,
    /// The latest review's status for the plan as it was last drawn.
    cache: Option<(Plan, Option<ReviewStatus>)>,
}

impl ReviewUi {
    /// Whether the window is in review mode.
    pub fn active(&self) -> bool {
        self.session.is_some()
    }

    /// Start reviewing `plan` (as opened from its file).
    pub fn start(&mut self, plan: &Plan, analysis: &Analysis, k: &Knowledge, today: NaiveDate) {
        let rows = review::checklist::automatic(analysis, k);
        let same = plan
            .reviews
            .iter()
            .enumerate()
            .next_back()
            .filter(|(_, r)| {
                r.reviewed_revision == plan.revision && !review::changed_since(plan, r)
            });
        let (editing, draft) = match same {
            Some((i, r)) => (Some(i), ReviewDraft::from_review(r, &rows, today)),
            None => (None, ReviewDraft::from_findings(&rows, today)),
        };
        self.session = Some(ReviewSession {
            locked: plan.clone(),
            saved_draft: draft.clone(),
            draft,
            editing,
            suggested: review::checklist::automatic_verdict(&rows),
            problem: None,
        });
        self.cache = None;
    }

    /// Leave review mode (another plan was opened, or a new one started).
    pub fn end(&mut self) {
        self.session = None;
        self.cache = None;
    }

    /// Whether the reviewer typed something not saved yet.
    pub fn unsaved(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.draft != s.saved_draft)
    }

    /// Forget what the reviewer typed since the last save (they chose not to save it).
    pub fn discard(&mut self) {
        if let Some(s) = &mut self.session {
            s.draft = s.saved_draft.clone();
        }
    }

    /// The note shown on `step`: the reviewer's draft in review mode, else the latest
    /// review's.
    pub fn note_on<'a>(&'a self, plan: &'a Plan, step: Step) -> Option<&'a str> {
        match &self.session {
            Some(s) => s.draft.note_on(step),
            None => review::latest(plan).and_then(|r| r.note_on(step)),
        }
    }

    /// The latest review's status against the plan as it is (worked out again only when the
    /// plan changed).
    pub fn status(
        &mut self,
        plan: &Plan,
        k: &Knowledge,
        analysis: &Analysis,
        today: NaiveDate,
    ) -> Option<&ReviewStatus> {
        if plan.reviews.is_empty() {
            return None;
        }
        let fresh = self.cache.as_ref().is_some_and(|(p, _)| p == plan);
        if !fresh {
            let status = review::status(plan, k, analysis, today, &|s: &str| s.to_string());
            self.cache = Some((plan.clone(), status));
        }
        self.cache.as_ref().and_then(|(_, s)| s.as_ref())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_becomes_a_review_and_back() {
        let mut d = ReviewDraft {
            verdict: Some(ReviewVerdict::NeedsInfo),
            missing: "Rollback steps\n\n  Who decides go/no-go  ".into(),
            reviewer: " Sam Support ".into(),
            date: "2026-11-22".into(),
            approvers: "Ann Senior, Max Manager".into(),
            ..ReviewDraft::default()
        };
        d.notes.insert(Step::Backup, "Where is it kept?".into());
        d.notes.insert(Step::Contact, "   ".into());
        d.checklist.insert(
            RequiredInfo::RollbackPlan,
            (Some(CheckStatus::Missing), "not confirmed".into()),
        );
        let mut base = Review::default();
        base.step_notes.insert("launch_pad".into(), "kept".into());
        base.step_notes.insert("contact".into(), "old note".into());
        let r = d.to_review(base);
        assert_eq!(r.verdict, Some(Open::Known(ReviewVerdict::NeedsInfo)));
        assert_eq!(r.missing, vec!["Rollback steps", "Who decides go/no-go"]);
        assert_eq!(r.reviewer.as_deref(), Some("Sam Support"));
        assert_eq!(r.approvers, vec!["Ann Senior", "Max Manager"]);
        assert_eq!(r.note_on(Step::Backup), Some("Where is it kept?"));
        // An emptied note is removed; a note on a step of a newer version is kept.
        assert_eq!(r.note_on(Step::Contact), None);
        assert_eq!(
            r.step_notes.get("launch_pad").map(String::as_str),
            Some("kept")
        );
        let back = ReviewDraft::from_review(&r, &[], NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(back.note_on(Step::Backup), Some("Where is it kept?"));
        assert_eq!(back.date, "2026-11-22");
        assert_eq!(back.approvers, "Ann Senior, Max Manager");
    }

    #[test]
    fn a_draft_without_a_reviewer_or_with_a_secret_is_not_saved() {
        let mut d = ReviewDraft {
            date: "2026-11-22".into(),
            ..ReviewDraft::default()
        };
        assert!(d.problem().unwrap().contains("reviewer's name"));
        d.reviewer = "Sam".into();
        assert_eq!(d.problem(), None);
        d.date = "22/11/2026".into();
        assert!(d.problem().unwrap().contains("not a date"));
        d.date = "2026-11-22".into();
        d.notes.insert(
            Step::Backup,
            "log in with glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF".into(),
        );
        let p = d.problem().unwrap();
        assert!(p.contains("Reviewer's note on Backup and restore"), "{p}");
        assert!(!p.contains("glpat-9xK2"), "{p}");
    }
}
