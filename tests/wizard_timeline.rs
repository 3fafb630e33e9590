//! The timeline on the Versions step, driven by labels: a dependency step moved within its
//! range (and the step that move needs, proposed and added), windows split and merged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use egui_kittest::kittest::Queryable;
use upgrade_planner::plan::*;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, click};

const WALKTHROUGH: &str = "tests/fixtures/walkthrough-rds.upgrade-plan.json";

fn open_at_versions(dir: &Path) -> H {
    let mut plan =
        upgrade_planner::plan_file::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(WALKTHROUGH))
            .unwrap();
    plan.last_step = Some(Step::Versions.into());
    let path = dir.join("w.upgrade-plan.json");
    upgrade_planner::plan_file::save(&path, &plan).unwrap();
    let mut h = wizard::harness(
        wizard::app(wizard::platform_answering(dir, Some(path), None)),
        1280.0,
        9000.0,
    );
    click(&mut h, "Open plan…");
    assert_eq!(h.state().step, Step::Versions);
    h
}

fn dependency_errors(h: &H) -> Vec<String> {
    h.state()
        .analysis
        .findings
        .iter()
        .filter(|f| f.rule == "dependency_range")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn a_step_moves_within_its_range_and_the_step_the_move_needs_is_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_at_versions(dir.path());
    // Three windows, each with its work and reserve.
    for n in 1..=3 {
        assert!(
            h.query_by_label_contains(&format!("Window {n}: about"))
                .is_some(),
            "window {n} is shown"
        );
    }
    assert!(dependency_errors(&h).is_empty());
    // Move the upgrade to PostgreSQL 16 from after 16.11 to after 17.11 (its range ends there).
    let after = h.get_all_by_label("after").next().unwrap();
    after.click();
    h.run();
    // Only versions inside the step's range (16.10 to 17.11) are offered.
    assert!(h.query_by_label("16.8").is_none());
    assert!(h.query_by_label("18.2").is_none());
    click(&mut h, "17.11");
    assert_eq!(h.state().plan.dependency_upgrades[0].after, "17.11");
    // 17.x needs PostgreSQL 14.14 or newer: the app says so and proposes the small step.
    let errors = dependency_errors(&h);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("14.14"), "{}", errors[0]);
    // The proposals come first, the database one ahead of the configuration changes.
    assert!(
        h.query_by_label_contains("step(s) the plan does not have yet")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("PostgreSQL 14.10 → 14 (newest 14.x) after 16.11")
            .is_some()
    );
    h.get_all_by_label("Add to the plan")
        .next()
        .unwrap()
        .click();
    h.run();
    assert!(
        dependency_errors(&h).is_empty(),
        "{:#?}",
        dependency_errors(&h)
    );
    let steps: Vec<(String, String)> = h
        .state()
        .plan
        .dependency_upgrades
        .iter()
        .map(|d| (d.to.clone(), d.after.clone()))
        .collect();
    assert!(steps.contains(&("14".into(), "16.11".into())), "{steps:?}");
    assert!(steps.contains(&("16".into(), "17.11".into())), "{steps:?}");
}

#[test]
fn windows_split_after_a_hop_and_merge_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_at_versions(dir.path());
    assert_eq!(h.state().plan.windows.len(), 3);
    // Window 1 runs to 17.5 (three hops): end it after its first hop instead.
    h.get_all_by_label("End window 1 here")
        .next()
        .unwrap()
        .click();
    h.run();
    let w = &h.state().plan.windows;
    assert_eq!(w.len(), 4);
    assert_eq!(w[0].last_hop.as_deref(), Some("16.11"));
    assert_eq!(w[1].last_hop.as_deref(), Some("17.5"));
    // The new window takes the zone and length of the one it came from; its date is asked.
    assert_eq!(w[1].time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(w[1].start, None);
    assert!(h.query_by_label_contains("Window 4: about").is_some());
    click(&mut h, "Merge with window 2");
    let w = &h.state().plan.windows;
    assert_eq!(w.len(), 3);
    assert_eq!(w[0].last_hop.as_deref(), Some("17.5"));
}

#[test]
fn a_window_too_short_gets_a_proposed_split() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_at_versions(dir.path());
    // One 10-hour window for the whole 11-hop path.
    h.state_mut().plan.windows.truncate(1);
    h.state_mut().plan.windows[0].last_hop = None;
    h.run();
    assert!(
        h.state()
            .analysis
            .findings
            .iter()
            .any(|f| f.rule == "window_too_short")
    );
    click(
        &mut h,
        "Propose a split into windows of the first window's length",
    );
    let w = h.state().plan.windows.clone();
    assert!(w.len() >= 3, "{w:#?}");
    assert_eq!(
        w[0].start.as_deref(),
        Some("2026-12-12T20:00"),
        "the first keeps its date"
    );
    assert!(w.last().unwrap().last_hop.is_none());
    // Every window now holds its work and reserve.
    assert!(
        !h.state()
            .analysis
            .findings
            .iter()
            .any(|f| f.rule == "window_too_short"),
        "{:#?}",
        h.state().analysis.findings
    );
}
