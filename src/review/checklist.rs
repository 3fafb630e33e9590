//! The required-information checklist Support works through (upgrade plan, rollback plan,
//! architecture, point of contact, time with date and zone, anything else), filled in from the
//! plan's own findings: an item with an error is missing, one with a warning is of concern.
//! A reviewer confirms or changes each item; without a review this is the automatic draft.

use serde::Serialize;

use crate::knowledge::Knowledge;
use crate::plan::{CheckStatus, RequiredInfo, Review, ReviewVerdict};
use crate::validate::{self, Analysis, Finding, Severity};

/// One checklist item: its state and what is missing or of concern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckRow {
    pub item: RequiredInfo,
    pub status: CheckStatus,
    /// What is missing or of concern, one line each (`label: message`); empty when complete.
    pub problems: Vec<String>,
    /// The fields those lines are about (where the wizard goes).
    pub fields: Vec<String>,
}

impl CheckRow {
    /// The problems as one note.
    pub fn note(&self) -> String {
        self.problems.join("\n")
    }
}

/// The checklist item a field belongs to.
pub fn item_of(field: &str) -> RequiredInfo {
    let head = field.split(['.', '[']).next().unwrap_or_default();
    match head {
        "contact" => RequiredInfo::PointOfContact,
        "window" | "windows" => RequiredInfo::Window,
        "versions"
        | "conditions"
        | "zero_downtime"
        | "dependency_upgrades"
        | "hop_hours"
        | "known_issues_reviewed" => RequiredInfo::UpgradePlan,
        "install" | "os" | "topology" | "geo" | "facts" => RequiredInfo::Architecture,
        "backup" | "backup_every_hop" | "rollback" => RequiredInfo::RollbackPlan,
        _ => RequiredInfo::Other,
    }
}

/// The checklist as the plan's findings fill it in.
pub fn automatic(analysis: &Analysis, k: &Knowledge) -> Vec<CheckRow> {
    RequiredInfo::ALL
        .into_iter()
        .map(|item| {
            let findings: Vec<&Finding> = analysis
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info && item_of(&f.field) == item)
                .collect();
            let mut problems: Vec<String> = Vec::new();
            let mut fields: Vec<String> = Vec::new();
            // Errors first (the findings are sorted by severity).
            for f in &findings {
                let line = validate::labelled(&validate::field_label(k, &f.field), &f.message);
                if !problems.contains(&line) {
                    problems.push(line);
                }
                if !fields.contains(&f.field) {
                    fields.push(f.field.clone());
                }
            }
            let mut status = if findings.iter().any(|f| f.severity == Severity::Error) {
                CheckStatus::Missing
            } else if findings.is_empty() {
                CheckStatus::Complete
            } else {
                CheckStatus::Concern
            };
            if item == RequiredInfo::UpgradePlan && analysis.path.is_none() {
                status = CheckStatus::Missing;
                if problems.is_empty() {
                    problems.push("No upgrade path: the versions are missing or invalid.".into());
                    fields.push("versions.current".into());
                }
            }
            CheckRow {
                item,
                status,
                problems,
                fields,
            }
        })
        .collect()
}

/// The verdict the checklist points to: information is missing, or (a draft for the reviewer
/// to confirm) the plan is viable. Rescheduling is the reviewer's call, never automatic.
pub fn automatic_verdict(rows: &[CheckRow]) -> ReviewVerdict {
    if rows.iter().any(|r| r.status == CheckStatus::Missing) {
        ReviewVerdict::NeedsInfo
    } else {
        ReviewVerdict::Viable
    }
}

/// What is missing, one line per problem of a missing item: `Rollback plan — label: message`.
pub fn automatic_missing(rows: &[CheckRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.status == CheckStatus::Missing)
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| format!("{} — {p}", r.item.label()))
        })
        .collect()
}

/// The reviewer's state of an item, when the review sets one this version knows.
pub fn reviewed_status(review: &Review, item: RequiredInfo) -> Option<CheckStatus> {
    review
        .checklist
        .get(item.id())
        .and_then(|e| e.status.as_ref())
        .and_then(crate::plan::Open::known)
}

/// The reviewer's note on an item, when there is one with text.
pub fn reviewed_note(review: &Review, item: RequiredInfo) -> Option<&str> {
    review
        .checklist
        .get(item.id())
        .and_then(|e| e.note.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use chrono::NaiveDate;

    fn fixture(name: &str) -> Plan {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::plan_file::load(std::path::Path::new(&path)).unwrap()
    }

    fn rows(plan: &Plan) -> Vec<CheckRow> {
        let k = Knowledge::global();
        let a = validate::analyse(plan, k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        automatic(&a, k)
    }

    #[test]
    fn fields_belong_to_the_items_support_asks_for() {
        assert_eq!(item_of("contact.email"), RequiredInfo::PointOfContact);
        assert_eq!(item_of("windows[0].time_zone"), RequiredInfo::Window);
        assert_eq!(item_of("rollback.confirmed"), RequiredInfo::RollbackPlan);
        assert_eq!(
            item_of("backup.secrets_backed_up"),
            RequiredInfo::RollbackPlan
        );
        assert_eq!(
            item_of("topology.nodes[2].role"),
            RequiredInfo::Architecture
        );
        assert_eq!(
            item_of("conditions.npm_packages"),
            RequiredInfo::UpgradePlan
        );
        assert_eq!(item_of("notes.unique_setup"), RequiredInfo::Other);
        assert_eq!(item_of("reviews[0].comment"), RequiredInfo::Other);
    }

    #[test]
    fn an_unconfirmed_rollback_makes_the_rollback_plan_missing() {
        let r = rows(&fixture(
            "tests/fixtures/unconfirmed-rollback.upgrade-plan.json",
        ));
        let rollback = r
            .iter()
            .find(|r| r.item == RequiredInfo::RollbackPlan)
            .unwrap();
        assert_eq!(rollback.status, CheckStatus::Missing);
        assert_eq!(rollback.fields, vec!["rollback.confirmed".to_string()]);
        assert!(rollback.note().contains("confirm the rollback steps"));
        for other in r.iter().filter(|r| r.item != RequiredInfo::RollbackPlan) {
            assert_eq!(other.status, CheckStatus::Complete, "{other:?}");
        }
        assert_eq!(automatic_verdict(&r), ReviewVerdict::NeedsInfo);
        let missing = automatic_missing(&r);
        assert_eq!(missing.len(), 1);
        assert!(missing[0].starts_with("Rollback plan — "), "{missing:?}");
    }

    #[test]
    fn a_complete_plan_is_a_viable_draft_and_an_empty_one_misses_everything() {
        let r = rows(&fixture("assets/samples/single-node.upgrade-plan.json"));
        assert!(
            r.iter().all(|r| r.status == CheckStatus::Complete),
            "{r:#?}"
        );
        assert_eq!(automatic_verdict(&r), ReviewVerdict::Viable);
        let empty = rows(&Plan::default());
        for item in [
            RequiredInfo::UpgradePlan,
            RequiredInfo::RollbackPlan,
            RequiredInfo::Architecture,
            RequiredInfo::PointOfContact,
            RequiredInfo::Window,
        ] {
            let row = empty.iter().find(|r| r.item == item).unwrap();
            assert_eq!(row.status, CheckStatus::Missing, "{item:?}");
            assert!(!row.problems.is_empty(), "{item:?}");
        }
    }
}
