//! Reviews (plan file version 2): what a GitLab Support engineer said about one revision of the
//! plan, kept in the plan file itself under `reviews`, oldest first.
//!
//! A review records the revision it read and the date of the GitLab data it was read with, the
//! verdict, the required-information checklist, a note per wizard step, who reviewed and who
//! approved, and enough of the reviewed revision (its answers, and the path and findings the
//! app computed for it) to say later what changed since, from this one file. The customer's
//! edits never touch `reviews`; every review is kept.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Extra, Open, Step};

/// A Support engineer's review of one revision of the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Review {
    /// The plan revision that was reviewed.
    pub reviewed_revision: u32,
    /// The date of the GitLab data the review was made with (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_date: Option<String>,
    /// Who reviewed the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The day of the review (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<String>,
    /// Who approved the review (for large accounts: a senior engineer and a manager).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<String>,
    /// `viable` (the path is confirmed, the upgrade can be scheduled), `needs_info` (see
    /// `missing`) or `reschedule` (see `reasons`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Open<ReviewVerdict>>,
    /// With `needs_info`: what is missing, one item each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// With `reschedule`: why, one reason each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The reviewer's overall comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The required-information checklist, by item id (`upgrade_plan`, `rollback_plan`,
    /// `architecture`, `point_of_contact`, `window`, `other`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checklist: BTreeMap<String, CheckEntry>,
    /// The reviewer's note on each wizard step, by step id (`contact`, `backup`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub step_notes: BTreeMap<String, String>,
    /// The answers of the reviewed revision: the plan as it was, without its bookkeeping
    /// (id, times, revision) and without reviews; secrets removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Map<String, Value>>,
    /// What the app computed for the reviewed revision with the review's GitLab data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<Computed>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The reviewer's overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewVerdict {
    /// The path is confirmed: the upgrade can be scheduled.
    Viable,
    /// Required information is missing.
    NeedsInfo,
    /// The upgrade is poorly planned or likely to cause downtime: move the window.
    Reschedule,
}

impl ReviewVerdict {
    pub const ALL: [ReviewVerdict; 3] = [
        ReviewVerdict::Viable,
        ReviewVerdict::NeedsInfo,
        ReviewVerdict::Reschedule,
    ];
    pub fn id(self) -> &'static str {
        match self {
            ReviewVerdict::Viable => "viable",
            ReviewVerdict::NeedsInfo => "needs_info",
            ReviewVerdict::Reschedule => "reschedule",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReviewVerdict::Viable => {
                "Viable: the path is confirmed and the upgrade can be scheduled"
            }
            ReviewVerdict::NeedsInfo => "Needs information",
            ReviewVerdict::Reschedule => "Reschedule the upgrade",
        }
    }
    /// A word or two, for marks and headers.
    pub fn short(self) -> &'static str {
        match self {
            ReviewVerdict::Viable => "Viable",
            ReviewVerdict::NeedsInfo => "Needs information",
            ReviewVerdict::Reschedule => "Reschedule",
        }
    }
}

/// One item of the required-information checklist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct CheckEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Open<CheckStatus>>,
    /// What is missing or of concern.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The state of a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Given, and good enough.
    Complete,
    /// Given, but weak: a concern.
    Concern,
    /// Not given.
    Missing,
}

impl CheckStatus {
    pub const ALL: [CheckStatus; 3] = [
        CheckStatus::Complete,
        CheckStatus::Concern,
        CheckStatus::Missing,
    ];
    pub fn id(self) -> &'static str {
        match self {
            CheckStatus::Complete => "complete",
            CheckStatus::Concern => "concern",
            CheckStatus::Missing => "missing",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Complete => "Complete",
            CheckStatus::Concern => "Of concern",
            CheckStatus::Missing => "Missing",
        }
    }
}

/// The items of the required-information checklist, in the order Support asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredInfo {
    UpgradePlan,
    RollbackPlan,
    Architecture,
    PointOfContact,
    Window,
    Other,
}

impl RequiredInfo {
    pub const ALL: [RequiredInfo; 6] = [
        RequiredInfo::UpgradePlan,
        RequiredInfo::RollbackPlan,
        RequiredInfo::Architecture,
        RequiredInfo::PointOfContact,
        RequiredInfo::Window,
        RequiredInfo::Other,
    ];
    pub fn id(self) -> &'static str {
        match self {
            RequiredInfo::UpgradePlan => "upgrade_plan",
            RequiredInfo::RollbackPlan => "rollback_plan",
            RequiredInfo::Architecture => "architecture",
            RequiredInfo::PointOfContact => "point_of_contact",
            RequiredInfo::Window => "window",
            RequiredInfo::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequiredInfo::UpgradePlan => "Upgrade plan",
            RequiredInfo::RollbackPlan => "Rollback plan",
            RequiredInfo::Architecture => "Architecture",
            RequiredInfo::PointOfContact => "Point of contact",
            RequiredInfo::Window => "Time with date and time zone",
            RequiredInfo::Other => "Anything else relevant",
        }
    }
    pub fn from_id(id: &str) -> Option<RequiredInfo> {
        RequiredInfo::ALL.into_iter().find(|i| i.id() == id)
    }
    /// The wizard steps the item is answered on (the first is where the wizard goes).
    pub fn steps(self) -> &'static [Step] {
        match self {
            RequiredInfo::UpgradePlan => &[Step::Versions],
            RequiredInfo::RollbackPlan => &[Step::Backup, Step::Rollback],
            RequiredInfo::Architecture => {
                &[Step::Installation, Step::Os, Step::Topology, Step::Geo]
            }
            RequiredInfo::PointOfContact | RequiredInfo::Window => &[Step::Contact],
            RequiredInfo::Other => &[Step::KnownIssues],
        }
    }
}

/// The path, findings and known issues the app computed for a reviewed revision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Computed {
    /// The hops, as versions (`16.3.9`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<ComputedFinding>,
    /// Ids of the known issues on the path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub known_issues: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A finding of a reviewed revision, as the diff lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ComputedFinding {
    pub severity: String,
    pub field: String,
    pub label: String,
    pub message: String,
    pub rule: String,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Review {
    /// The verdict, when it is one this version knows.
    pub fn known_verdict(&self) -> Option<ReviewVerdict> {
        self.verdict.as_ref().and_then(Open::known)
    }

    /// The verdict as a person reads it: its short label, `other: …` for a value a newer
    /// version wrote, `no verdict` without one.
    pub fn verdict_short(&self) -> String {
        match &self.verdict {
            Some(v) => v.shown(ReviewVerdict::short),
            None => "no verdict".to_string(),
        }
    }

    /// The reviewer's note on `step`, when there is one with text.
    pub fn note_on(&self, step: Step) -> Option<&str> {
        self.step_notes
            .get(step.id())
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
    }
}

/// The label of a field under `reviews[n]` (`rest` is what follows the index).
pub(super) fn review_field_label(n: usize, rest: &str) -> String {
    let what = if let Some(step) = rest.strip_prefix("step_notes.") {
        let title = Step::ALL
            .iter()
            .find(|s| s.id() == step)
            .map_or_else(|| step.replace('_', " "), |s| s.title().to_string());
        format!("note on {title}")
    } else if let Some(item) = rest.strip_prefix("checklist.") {
        let (id, part) = item.split_once('.').unwrap_or((item, ""));
        let name = RequiredInfo::from_id(id)
            .map_or_else(|| id.replace('_', " "), |i| i.label().to_string());
        match part {
            "note" => format!("note on {name}"),
            "" => name,
            other => format!("{name}: {}", other.replace('_', " ")),
        }
    } else if rest.starts_with("answers") {
        "answers of the reviewed revision".to_string()
    } else if rest.starts_with("computed") {
        "what the app computed for the reviewed revision".to_string()
    } else {
        match rest.split('[').next().unwrap_or(rest) {
            "reviewer" => "reviewer".to_string(),
            "reviewed_on" => "date".to_string(),
            "approvers" => "approvers".to_string(),
            "verdict" => "verdict".to_string(),
            "missing" => "what is missing".to_string(),
            "reasons" => "reasons to reschedule".to_string(),
            "comment" => "comment".to_string(),
            "" => return format!("Review {n}"),
            other => other.replace('_', " ").replace('.', " › "),
        }
    };
    format!("Review {n}: {what}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_review_round_trips_and_keeps_what_it_does_not_know() {
        let text = r#"{
            "reviewed_revision": 3,
            "data_date": "2026-11-15",
            "reviewer": "Sam Support",
            "verdict": "escalate",
            "checklist": {"upgrade_plan": {"status": "complete"}, "budget": {"status": "tbd", "x": 1}},
            "step_notes": {"backup": "Where is the backup kept?", "launch_pad": "kept"},
            "answers": {"versions": {"current": "16.3.4"}},
            "signature": "kept too"
        }"#;
        let r: Review = serde_json::from_str(text).unwrap();
        assert_eq!(r.verdict, Some(Open::Unknown("escalate".into())));
        assert_eq!(r.verdict_short(), "other: escalate");
        assert_eq!(r.note_on(Step::Backup), Some("Where is the backup kept?"));
        let back: Value = serde_json::to_value(&r).unwrap();
        let orig: Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, orig);
    }

    #[test]
    fn review_fields_have_readable_labels() {
        assert_eq!(
            review_field_label(1, "step_notes.backup"),
            "Review 1: note on Backup and restore"
        );
        assert_eq!(
            review_field_label(2, "checklist.rollback_plan.note"),
            "Review 2: note on Rollback plan"
        );
        assert_eq!(review_field_label(1, "reviewer"), "Review 1: reviewer");
        assert_eq!(
            review_field_label(1, "missing[0]"),
            "Review 1: what is missing"
        );
    }
}
