//! Review mode and the customer's view of a reviewed plan, driven as people use them: the
//! Support engineer opens the plan as reviewer, writes notes on two steps key by key, sets the
//! verdict and saves; the customer reopens the plan, reads both notes, changes an answer and
//! sees "changed since review" and what changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use upgrade_planner::plan::*;
use upgrade_planner::plan_file;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, click, keys};

const CONTACT_NOTE: &str = "Who is on call at night?";
const BACKUP_NOTE: &str = "Please test the restore again this month.";

fn sample_file(dir: &Path) -> PathBuf {
    let path = dir.join("acme.upgrade-plan.json");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json"),
        &path,
    )
    .unwrap();
    path
}

/// A window whose open dialog answers `path` (once per open).
fn window(dir: &Path, path: &Path, opens: usize) -> H {
    let mut p = wizard::platform(&dir.join("state"));
    for _ in 0..opens {
        p.open_answers.push(Some(path.to_path_buf()));
    }
    wizard::harness(wizard::app(p), 1400.0, 1000.0)
}

/// Click the stepper's entry of `step` (its label also carries the state mark and a pen for
/// a step with a reviewer's note).
fn go_to(h: &mut H, step: Step) {
    // The stepper's labels are `<mark>  <number>. <title>`.
    h.get_by_label_contains(&format!("  {}. {}", step.number(), step.title()))
        .click();
    h.run();
    assert_eq!(h.state().step, step);
}

/// Scroll the input labelled `label` into view (the review panel scrolls), click into it
/// and type `text` key by key after what it holds.
fn write(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
    assert!(h.get_by_label(label).is_focused(), "{label} has no focus");
    keys(h, text);
}

/// The same, replacing what the input holds (Ctrl+A first).
fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    wizard::type_into(h, label, text);
}

/// The reviewer's part: open as reviewer, try to change an answer, write notes on two steps,
/// set needs_info, name the reviewer, save. Returns the plan as the reviewer opened it.
fn review(dir: &Path, path: &Path) -> Plan {
    let mut h = window(dir, path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    assert!(h.state().review.active(), "status: {:?}", h.state().status);
    let opened = h.state().plan.clone();
    assert_eq!(opened, plan_file::load(path).unwrap());
    // Read-only: the answers of the plan do not take keys.
    go_to(&mut h, Step::Contact);
    h.get_by_label("Contact name").click();
    h.run();
    keys(&mut h, "Mallory");
    assert_eq!(h.state().plan, opened, "review mode changed an answer");

    write(
        &mut h,
        "Reviewer's note on Contact and window",
        CONTACT_NOTE,
    );
    go_to(&mut h, Step::Backup);
    write(&mut h, "Reviewer's note on Backup and restore", BACKUP_NOTE);
    // The stepper marks both steps.
    assert!(
        h.query_by_label_contains("2. Contact and window  ✎")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("9. Backup and restore  ✎")
            .is_some()
    );
    h.get_by_label("Verdict")
        .get_by_label("Needs information")
        .click();
    h.run();
    write(
        &mut h,
        "What is missing (one item a line)",
        "\nA named person on call",
    );
    // Unsaved review notes are unsaved work.
    assert!(h.state().window_title().starts_with("* "));
    click(&mut h, "Save review");
    // Without the reviewer's name the review is not saved, and the panel says why.
    assert!(
        h.query_by_label("Enter the reviewer's name first.")
            .is_some()
    );
    assert!(plan_file::load(path).unwrap().reviews.is_empty());
    type_into(&mut h, "Reviewer's name", "Sam Support");
    type_into(
        &mut h,
        "Approvers (comma-separated)",
        "Ann Senior, Max Manager",
    );
    click(&mut h, "Save review");
    assert!(
        h.state()
            .status
            .as_ref()
            .is_some_and(|(s, _)| s.starts_with("Review saved into")),
        "status: {:?}",
        h.state().status
    );
    assert!(!h.state().window_title().starts_with('*'));
    opened
}

#[test]
fn a_review_is_written_into_the_plan_and_the_customer_sees_it_and_what_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let opened = review(dir.path(), &path);

    // The file holds the review; the customer's answers and revision are as they were.
    let saved = plan_file::load(&path).unwrap();
    assert_eq!(saved.reviews.len(), 1);
    let r = &saved.reviews[0];
    assert_eq!(r.reviewed_revision, opened.revision);
    assert_eq!(saved.revision, opened.revision);
    assert_eq!(r.known_verdict(), Some(ReviewVerdict::NeedsInfo));
    assert_eq!(r.note_on(Step::Contact), Some(CONTACT_NOTE));
    assert_eq!(r.note_on(Step::Backup), Some(BACKUP_NOTE));
    assert_eq!(r.reviewer.as_deref(), Some("Sam Support"));
    assert_eq!(r.reviewed_on.as_deref(), Some("2026-11-21"));
    assert_eq!(r.approvers, vec!["Ann Senior", "Max Manager"]);
    assert!(r.missing.iter().any(|m| m == "A named person on call"));
    assert!(r.answers.is_some() && r.computed.is_some());
    assert_eq!(
        r.data_date.as_deref(),
        Some(wizard::knowledge().data_date().to_string().as_str())
    );
    let mut without = saved.clone();
    without.reviews.clear();
    assert_eq!(without, opened, "the review changed the customer's answers");
    // The earlier file is kept beside it.
    assert!(plan_file::backup_path(&path).exists());

    // The customer reopens the plan.
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "Open plan…");
    assert!(!h.state().review.active());
    assert!(
        h.query_by_label_contains("2. Contact and window  ✎")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("9. Backup and restore  ✎")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("3. Versions and path  ✎")
            .is_none()
    );
    go_to(&mut h, Step::Review);
    assert!(
        h.query_by_label_contains("GitLab Support review: Needs information")
            .is_some()
    );
    assert!(
        h.query_by_label("No answer changed since the review")
            .is_some()
    );
    go_to(&mut h, Step::Backup);
    assert!(h.query_by_label(BACKUP_NOTE).is_some());
    assert!(
        h.query_by_label_contains("Note from GitLab Support (Sam Support, revision")
            .is_some()
    );
    go_to(&mut h, Step::Contact);
    assert!(h.query_by_label(CONTACT_NOTE).is_some());
    // No review panel and no note box to write in for the customer.
    assert!(h.query_by_label("Save review").is_none());
    assert!(
        h.query_by_label("Reviewer's note on Contact and window")
            .is_none()
    );

    // Answering the note: a changed answer.
    type_into(&mut h, "Contact name", "Night Owl");
    go_to(&mut h, Step::Review);
    assert!(h.query_by_label("Changed since review").is_some());
    assert!(h.query_by_label("changed since review").is_some());
    // The changes since the reviewed revision, by label, with the old and the new value.
    let old_name = opened.contact.as_ref().unwrap().name.clone().unwrap();
    assert!(h.query_by_label("Answers changed: 1").is_some());
    for text in ["Contact name", old_name.as_str(), "Night Owl"] {
        assert!(
            h.query_all_by_label(text).count() >= 1,
            "{text} is not shown"
        );
    }

    // Saving the new revision keeps the review.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    let revised = plan_file::load(&path).unwrap();
    assert_eq!(revised.revision, opened.revision + 1);
    assert_eq!(revised.reviews, saved.reviews);
    assert!(upgrade_planner::review::changed_since(
        &revised,
        &revised.reviews[0]
    ));
}

#[test]
fn reviewing_again_adds_a_review_and_keeps_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    review(dir.path(), &path);
    // The customer revises the plan.
    let mut plan = plan_file::load(&path).unwrap();
    plan.revision += 1;
    plan.backup.as_mut().unwrap().location = Some("Tape vault, building B".into());
    plan_file::save(&path, &plan).unwrap();

    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    // The previous review and what changed since show in the panel and on the Review step.
    assert!(
        h.query_by_label_contains("Previous review: Revision")
            .is_some()
    );
    assert!(
        h.query_all_by_label("Tape vault, building B").count() >= 1,
        "the changed answer is not shown"
    );
    h.get_by_label("Verdict").get_by_label("Viable").click();
    h.run();
    type_into(&mut h, "Reviewer's name", "Sam Support");
    click(&mut h, "Save review");
    let saved = plan_file::load(&path).unwrap();
    assert_eq!(saved.reviews.len(), 2, "every review is kept");
    assert_eq!(saved.reviews[0], plan.reviews[0]);
    assert_eq!(saved.reviews[1].reviewed_revision, plan.revision);
    assert_eq!(
        saved.reviews[1].known_verdict(),
        Some(ReviewVerdict::Viable)
    );
    // Saved again without a change: the same review is updated, not added twice.
    write(&mut h, "Comment", "Good to go.");
    click(&mut h, "Save review");
    let again = plan_file::load(&path).unwrap();
    assert_eq!(again.reviews.len(), 2);
    assert_eq!(again.reviews[1].comment.as_deref(), Some("Good to go."));
}

#[test]
fn a_review_is_not_written_over_a_plan_that_changed_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    h.get_by_label("Verdict").get_by_label("Viable").click();
    h.run();
    type_into(&mut h, "Reviewer's name", "Sam Support");
    // The customer saves a new revision while the review is open.
    let mut newer = plan_file::load(&path).unwrap();
    newer.revision += 1;
    plan_file::save(&path, &newer).unwrap();
    click(&mut h, "Save review");
    match &h.state().dialog {
        Some(upgrade_planner::ui::app::Dialog::Error { title, message }) => {
            assert_eq!(title, "The review was not saved");
            assert!(message.contains("changed since it was opened"), "{message}");
        }
        other => panic!("expected an error dialog, got {other:?}"),
    }
    assert_eq!(plan_file::load(&path).unwrap(), newer);
    // Nothing the reviewer typed is lost.
    assert_eq!(
        h.state().review.session.as_ref().unwrap().draft.reviewer,
        "Sam Support"
    );
}

#[test]
fn a_secret_in_a_note_keeps_the_review_from_being_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    go_to(&mut h, Step::Rollback);
    write(
        &mut h,
        "Reviewer's note on Rollback",
        "try glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF",
    );
    type_into(&mut h, "Reviewer's name", "Sam Support");
    click(&mut h, "Save review");
    // In the panel and on the status line; the secret itself in neither.
    assert_eq!(
        h.query_all_by_label_contains("Reviewer's note on Rollback holds what looks like a secret")
            .count(),
        2
    );
    assert!(h.query_by_label_contains("glpat-9xK2").is_none());
    assert!(plan_file::load(&path).unwrap().reviews.is_empty());
}

#[test]
fn review_plan_opens_the_window_in_review_mode() {
    let outcome = upgrade_planner::cli::run(["upgrade-planner", "review", "plan.json"]);
    match outcome {
        upgrade_planner::cli::Outcome::OpenReviewer(p) => assert_eq!(p, Path::new("plan.json")),
        other => panic!("expected the reviewer's window, got {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut h = window(dir.path(), &path, 0);
    h.state_mut()
        .commands
        .push(upgrade_planner::ui::app::Command::OpenPathAsReviewer(
            path.clone(),
        ));
    h.run();
    assert!(h.state().review.active());
    assert_eq!(h.state().file.as_deref(), Some(path.as_path()));
    assert!(h.query_by_label("Save review").is_some());
}

#[test]
fn hostile_reviews_open_draw_and_survive_a_new_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.upgrade-plan.json");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus/hostile/review-hostile.upgrade-plan.json"),
        &path,
    )
    .unwrap();
    let original = plan_file::load(&path).unwrap();
    // The customer's window: every step draws.
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "Open plan…");
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    for step in Step::ALL {
        go_to(&mut h, step);
    }
    // The reviewer's window: a new review is added; the two there are kept as written.
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    assert!(h.state().review.active());
    assert_eq!(h.state().review.session.as_ref().unwrap().editing, None);
    for step in Step::ALL {
        go_to(&mut h, step);
    }
    h.get_by_label("Verdict").get_by_label("Reschedule").click();
    h.run();
    write(
        &mut h,
        "Reasons to reschedule (one a line)",
        "Holiday freeze",
    );
    type_into(&mut h, "Reviewer's name", "Sam Support");
    click(&mut h, "Save review");
    let saved = plan_file::load(&path).unwrap();
    assert_eq!(saved.reviews.len(), 3);
    assert_eq!(saved.reviews[..2], original.reviews[..]);
    assert_eq!(saved.reviews[2].reasons, vec!["Holiday freeze"]);
}

#[test]
fn next_walks_a_reviewer_past_steps_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollback.upgrade-plan.json");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/unconfirmed-rollback.upgrade-plan.json"),
        &path,
    )
    .unwrap();
    let mut h = window(dir.path(), &path, 1);
    click(&mut h, "File");
    click(&mut h, "Open as reviewer…");
    go_to(&mut h, Step::Rollback);
    assert!(h.state().step_findings(Step::Rollback).iter().any(|f| {
        f.field == "rollback.confirmed" && f.severity == upgrade_planner::validate::Severity::Error
    }));
    // The panel starts from the findings: the rollback plan is missing, and says why.
    let draft = &h.state().review.session.as_ref().unwrap().draft;
    let (status, note) = &draft.checklist[&RequiredInfo::RollbackPlan];
    assert_eq!(*status, Some(CheckStatus::Missing));
    assert!(
        note.contains("Review and confirm the rollback steps"),
        "{note}"
    );
    assert!(
        draft.missing.starts_with("Rollback plan — "),
        "{}",
        draft.missing
    );
    click(&mut h, "Next ▶");
    assert_eq!(
        h.state().step,
        Step::Review,
        "status: {:?}",
        h.state().status
    );
}
