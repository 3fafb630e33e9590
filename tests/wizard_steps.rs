//! How the wizard treats the person in front of it: no false alarms, no false ticks, no
//! questions that cannot matter, answers it can infer, and a page that starts where the user
//! looks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use upgrade_planner::plan::*;
use upgrade_planner::validate::Severity;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, answer, click, keys, knowledge, next, status, type_into};

fn new_wizard(dir: &Path, height: f32) -> H {
    wizard::harness(wizard::app(wizard::platform(dir)), 1280.0, height)
}

/// A wizard with `plan` opened from a file (saved in `dir`).
fn open_plan(dir: &Path, plan: &Plan, height: f32) -> H {
    open_plan_sized(dir, plan, 1280.0, height)
}

fn open_plan_sized(dir: &Path, plan: &Plan, width: f32, height: f32) -> H {
    let path = dir.join("p.upgrade-plan.json");
    upgrade_planner::plan_file::save(&path, plan).unwrap();
    let mut h = wizard::harness(
        wizard::app(wizard::platform_answering(dir, Some(path), None)),
        width,
        height,
    );
    click(&mut h, "Open plan…");
    h
}

fn sample() -> Plan {
    upgrade_planner::plan_file::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap()
}

#[test]
fn a_new_plan_is_not_unsaved_until_something_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = new_wizard(dir.path(), 3000.0);
    assert!(!h.state().window_title().starts_with('*'));
    // Visiting every step creates its (empty) section: not a change.
    for step in Step::ALL {
        h.state_mut().go_to(step);
        h.run();
        assert!(
            !h.state().window_title().starts_with('*'),
            "visiting {step:?} marked the plan unsaved"
        );
    }
    h.state_mut().go_to(Step::Contact);
    h.run();
    type_into(&mut h, "Organisation", "A");
    assert!(h.state().window_title().starts_with("* "));
}

#[test]
fn errors_wait_for_the_user_and_the_blocked_status_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = new_wizard(dir.path(), 3000.0);
    next(&mut h, Step::Contact);
    // On arrival: no error box, no error line, although the step has errors.
    assert!(h.state().step_findings(Step::Contact).len() >= 5);
    assert!(h.query_by_label_contains("error(s) to fix").is_none());
    assert!(
        h.query_by_label_contains("Enter the organisation")
            .is_none()
    );
    // The first field has the keyboard on arrival; going elsewhere without using it is not
    // a reason to complain about it.
    assert!(h.get_by_label("Organisation").is_focused());
    click(&mut h, "Contact name");
    assert!(h.query_by_label_contains("error(s) to fix").is_none());
    // Leaving a field the user went into shows its error, and only the errors of such fields:
    // the name (left for the organisation) and the organisation (left for the name).
    type_into(&mut h, "Organisation", "");
    click(&mut h, "Contact name");
    assert!(h.query_by_label_contains("2 error(s) to fix").is_some());
    assert!(h.query_by_label_contains("Enter a contact email").is_none());
    // Next refuses, shows them all and says why; the status follows the count and goes.
    click(&mut h, "Next ▶");
    assert_eq!(h.state().step, Step::Contact);
    let first = status(&h).unwrap();
    assert!(first.starts_with("Next is blocked: fix the"), "{first}");
    type_into(&mut h, "Organisation", "Example Corp");
    let later = status(&h).unwrap();
    assert!(later.starts_with("Next is blocked: fix the"), "{later}");
    assert_ne!(first, later, "the count follows the errors");
    for (label, text) in [
        ("Contact name", "Ada"),
        ("Contact email", "ada@example.com"),
        ("Window start", "2026-12-12"),
        ("at", "20:00"),
        ("Window length (hours)", "8"),
    ] {
        type_into(&mut h, label, text);
    }
    click(&mut h, "Time zone");
    keys(&mut h, "UTC");
    h.get_all_by_label("UTC").last().unwrap().click();
    h.run();
    answer(
        &mut h,
        "Do you want a review call with GitLab Support?",
        "No",
    );
    assert_eq!(
        status(&h),
        None,
        "the reason is gone, and so is the message"
    );
    // Text that is not a value blocks Next with what is wrong, named by its label.
    type_into(&mut h, "Window length (hours)", "eight");
    click(&mut h, "Next ▶");
    let why = status(&h).unwrap();
    assert!(
        why.contains("Window length (hours)") && why.contains("`eight` is not a number of hours"),
        "{why}"
    );
    assert_eq!(h.state().step, Step::Contact);
}

#[test]
fn the_review_step_is_marked_by_the_whole_plan_after_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = sample();
    plan.contact.as_mut().unwrap().email = None;
    plan.last_step = Some(Step::Review.into());
    let written = chrono::DateTime::parse_from_rfc3339("2026-11-21T09:30:00Z")
        .unwrap()
        .into();
    upgrade_planner::draft::write(dir.path(), &plan, None, written).unwrap();
    let mut h = new_wizard(dir.path(), 3000.0);
    click(&mut h, "Recover draft");
    assert_eq!(h.state().step, Step::Review);
    h.state_mut().go_to(Step::Contact);
    h.run();
    let review = h.get_by_label_contains("11. Review and export");
    let text = review.accesskit_node().label().unwrap_or_default();
    assert!(
        text.starts_with('✖'),
        "Review must not show a tick while the plan has errors: {text}"
    );
}

#[test]
fn entering_a_step_shows_its_top_and_focuses_its_first_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = upgrade_planner::plan_file::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/samples/multi-node-geo.upgrade-plan.json"),
    )
    .unwrap();
    plan.last_step = Some(Step::KnownIssues.into());
    let mut h = open_plan(dir.path(), &plan, 700.0);
    // "Step N of 11" stands at the top of the page and in the bar at the bottom: the page's is
    // the higher one.
    let heading = |h: &H, n: usize| {
        h.get_all_by_label(&format!("Step {n} of 11"))
            .map(|node| node.rect().min.y)
            .fold(f32::INFINITY, f32::min)
    };
    // Scroll the long known-issues page down, then move on: the next (long) page starts at its
    // title, and coming back starts at the top too.
    for _ in 0..40 {
        h.get_by_label("Filter known issues").scroll_down();
        h.run();
    }
    assert!(
        heading(&h, 8) < 0.0,
        "the page did not scroll: {}",
        heading(&h, 8)
    );
    next(&mut h, Step::Backup);
    assert!(
        heading(&h, 9) > 0.0,
        "Backup opened scrolled past its title"
    );
    click(&mut h, "◀ Back");
    assert!(
        heading(&h, 8) > 0.0,
        "the notes page reopened scrolled down"
    );
    // The first input has the keyboard: typing starts at once (no Tab presses).
    assert!(
        h.get_by_label("What is unusual or important about this setup?")
            .is_focused()
    );
    next(&mut h, Step::Backup);
    assert!(
        h.get_by_label("Backup method")
            .get_by_label("GitLab backup tool")
            .is_focused()
    );
}

#[test]
fn questions_are_asked_only_when_they_can_change_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let question = |id: &str| knowledge().condition(id).unwrap().question.clone();
    let mut plan = sample();
    plan.conditions = None;
    plan.last_step = Some(Step::Versions.into());
    for (from, to, asked) in [
        // From 16.8 the 15.1, 16.0, 16.1 and 16.2 stops are behind: only 17.1's question.
        ("16.8.3", "18.5", vec!["large_pipeline_messages"]),
        (
            "15.0.5",
            "16.3",
            vec![
                "multiple_web_nodes",
                "large_users_table",
                "npm_packages",
                "large_pipeline_variables",
            ],
        ),
        ("17.2.1", "17.8", vec![]),
    ] {
        let v = plan.versions.as_mut().unwrap();
        v.current = Some(from.into());
        v.target = Some(to.into());
        let h = open_plan(dir.path(), &plan, 3000.0);
        for id in knowledge().condition_ids() {
            assert_eq!(
                h.query_by_label(&question(id)).is_some(),
                asked.contains(&id),
                "{from} → {to}: {id}"
            );
        }
        if asked.is_empty() {
            assert!(
                h.query_by_label("Questions that decide extra stops")
                    .is_none()
            );
        }
        drop(h);
    }
}

#[test]
fn not_sure_keeps_the_stop_and_is_listed_to_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = sample();
    plan.conditions = None;
    plan.last_step = Some(Step::Versions.into());
    let v = plan.versions.as_mut().unwrap();
    v.current = Some("16.0.1".into());
    v.target = Some("16.5".into());
    let mut h = open_plan(dir.path(), &plan, 3000.0);
    let npm = knowledge()
        .condition("npm_packages")
        .unwrap()
        .question
        .clone();
    let stops = |h: &H| -> Vec<String> {
        h.state()
            .analysis
            .path
            .as_ref()
            .unwrap()
            .hops
            .iter()
            .map(|hop| hop.minor.clone())
            .collect()
    };
    answer(&mut h, &npm, "No");
    assert!(!stops(&h).contains(&"16.1".to_string()));
    answer(&mut h, &npm, "Not sure");
    assert!(
        stops(&h).contains(&"16.1".to_string()),
        "the stop stays while unsure"
    );
    assert!(h.state().plan.is_unsure("conditions.npm_packages"));
    let finding = h
        .state()
        .analysis
        .findings
        .iter()
        .find(|f| f.field == "conditions.npm_packages")
        .cloned()
        .unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.message.starts_with("To verify"),
        "{}",
        finding.message
    );
    // The exports carry it, named by the question (the Markdown the app copies for the ticket).
    h.state_mut()
        .commands
        .push(upgrade_planner::ui::app::Command::CopyMarkdown);
    h.state_mut().run_commands();
    let md = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<upgrade_planner::ui::platform::ScriptedPlatform>()
        .and_then(|p| p.copied.last().cloned())
        .unwrap();
    assert!(md.contains("To verify") && md.contains(&npm), "{md}");
    // Answering clears it.
    answer(&mut h, &npm, "Yes");
    assert!(!h.state().plan.is_unsure("conditions.npm_packages"));
    assert_eq!(
        h.state().plan.conditions.as_ref().unwrap().npm_packages,
        Some(true)
    );
}

#[test]
fn the_edition_is_taken_from_the_version_unless_already_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = new_wizard(dir.path(), 3000.0);
    h.state_mut().go_to(Step::Versions);
    h.run();
    type_into(&mut h, "Current GitLab version", "16.8.3-ee");
    assert_eq!(
        h.state().plan.versions.as_ref().unwrap().edition,
        Some(Edition::Ee.into())
    );
    // An answer the user gave stays; the mismatch is reported instead.
    answer(&mut h, "Edition", "Community Edition (CE)");
    type_into(&mut h, "Current GitLab version", "16.8.4-ee");
    assert_eq!(
        h.state().plan.versions.as_ref().unwrap().edition,
        Some(Edition::Ce.into())
    );
    assert!(
        h.state()
            .analysis
            .findings
            .iter()
            .any(|f| f.rule == "edition_mismatch")
    );
}

#[test]
fn counts_are_never_clamped_or_changed_by_opening_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = sample();
    let t = plan.topology.as_mut().unwrap();
    t.kind = Some(TopologyKind::MultiNode.into());
    t.nodes = vec![Node::new(NodeRole::Rails, 5000)];
    plan.last_step = Some(Step::Topology.into());
    let mut h = open_plan(dir.path(), &plan, 3000.0);
    assert_eq!(
        h.get_by_label("Nodes in group 1").value().as_deref(),
        Some("5000")
    );
    assert!(!h.state().is_dirty(), "opening changed the plan");
    type_into(&mut h, "Nodes in group 1", "1200");
    assert_eq!(
        h.state().plan.topology.as_ref().unwrap().nodes[0].count,
        1200
    );
}

#[test]
fn text_wraps_inside_a_zoomed_window_on_every_step() {
    let dir = tempfile::tempdir().unwrap();
    let large = upgrade_planner::plan_file::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/large.upgrade-plan.json"),
    )
    .unwrap();
    let (width, zoom) = (1180.0_f32, 2.0_f32);
    for step in Step::ALL {
        let mut plan = large.clone();
        plan.last_step = Some(step.into());
        let mut h = open_plan_sized(dir.path(), &plan, width, 780.0);
        h.ctx.set_zoom_factor(zoom);
        h.run();
        // Labels and buttons (text inside a text box may scroll; that is the box's business).
        let overflowing: Vec<String> = h
            .query_all(egui_kittest::kittest::By::new())
            .filter(|n| {
                use egui::accesskit::Role;
                matches!(
                    n.accesskit_node().role(),
                    Role::Label | Role::Button | Role::Link | Role::RadioButton | Role::CheckBox
                )
            })
            .filter_map(|n| {
                let b = n.accesskit_node().bounding_box()?;
                (f64::from(width) + 1.0 < b.x1).then(|| {
                    n.accesskit_node()
                        .label()
                        .or(n.accesskit_node().value())
                        .unwrap_or_default()
                })
            })
            .collect();
        assert!(
            overflowing.is_empty(),
            "{step:?} at zoom {zoom}: cut at the right edge: {overflowing:?}"
        );
    }
}
