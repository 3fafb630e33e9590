//! Run mode driven as a person does, by labels, keys and pastes (egui_kittest): a two-hop
//! window (17.3.7 → 17.5.5 → 17.8.7, 20:00–24:00 Berlin, go/no-go 22:30) with an injected
//! clock. Steps are ticked, one fails with a typed note, a gate says no-go on a pasted count of
//! 3 and go on a pasted 0, the app is restarted in the middle and keeps every tick, and the
//! rollback warning appears once the clock passes the go/no-go time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use egui_kittest::kittest::Queryable;
use upgrade_planner::plan::Step;
use upgrade_planner::run::{GateVerdict, ManualClock, Position, RunKind, StepStatus, position};
use upgrade_planner::ui::app::{Command, WizardApp};
use upgrade_planner::ui::run::RunCommand;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, click, keys};

const TWO_HOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/run/two-hop.upgrade-plan.json"
);

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 12, h, m, 0).unwrap()
}

/// The app with the plan at `path` opened (on its Review step) and run mode's clock.
fn open(dir: &Path, path: &Path, clock: &ManualClock) -> H {
    let mut app: WizardApp = wizard::app(wizard::platform(dir));
    app.run.clock = Box::new(clock.clone());
    app.commands.push(Command::OpenPath(path.to_path_buf()));
    wizard::harness(app, 1280.0, 9000.0)
}

fn copy_fixture(dir: &Path) -> PathBuf {
    let path = dir.join("two-hop.upgrade-plan.json");
    std::fs::copy(TWO_HOP, &path).unwrap();
    path
}

fn saved(path: &Path) -> upgrade_planner::plan::Plan {
    upgrade_planner::plan_file::load(path).unwrap()
}

/// The ids of the steps of a section, in order.
fn steps_of(h: &H, section: &str) -> Vec<String> {
    let view = h.state().run.view.as_ref().unwrap();
    view.sheet
        .section(section)
        .unwrap()
        .steps
        .iter()
        .map(|s| s.id.clone())
        .collect()
}

/// Tick every open step of a section (`Done: Hop 1 step 3`), one minute apart.
fn tick_section(h: &mut H, clock: &ManualClock, section: &str, short: &str) {
    for (i, id) in steps_of(h, section).iter().enumerate() {
        let run = &h.state().plan.runs[0];
        if matches!(
            run.status_of(id),
            Some(StepStatus::Done | StepStatus::Skipped)
        ) {
            continue;
        }
        clock.advance(chrono::Duration::minutes(1));
        click(h, &format!("Done: {short} step {}", i + 1));
        assert_eq!(
            h.state().plan.runs[0].status_of(id),
            Some(StepStatus::Done),
            "{id}: {:?}",
            h.state().run.view.as_ref().unwrap().message
        );
    }
}

/// Put the keyboard in the gate's box, replace what it holds by `text` as a paste, and read it.
fn paste_at_gate(h: &mut H, short: &str, text: &str) {
    let label = format!("Check outputs after {short}");
    click(h, &label);
    assert!(h.get_by_label(&label).is_focused(), "{label} has no focus");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.event(egui::Event::Paste(text.to_string()));
    h.run();
    click(h, &format!("Read the outputs after {short}"));
}

#[test]
fn a_two_hop_window_from_ticks_to_the_rollback_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let clock = ManualClock::at(at(18, 55));
    let mut h = open(dir.path(), &path, &clock);
    assert_eq!(h.state().step, Step::Review);
    start_from_review(&mut h, &clock, &path);
    tick_section(&mut h, &clock, "start", "Start");
    fail_with_a_typed_note(&mut h, &clock, &path);
    tick_section(&mut h, &clock, "hop1", "Hop 1");
    gate_no_go_then_go(&mut h, &clock, &path);

    // Two steps of hop 2, then the app goes away (a crash, a closed laptop).
    tick_section_partly(&mut h, &clock, "Hop 2", 2);
    let before = h.state().plan.runs.clone();
    assert!(before[0].events.len() > 10);
    drop(h);

    let mut h = restart(dir.path(), &path, &clock);
    assert_eq!(h.state().plan.runs, before, "every tick is kept");
    rollback_warning_past_go_no_go(&mut h, &clock);
}

/// From the Review step: run mode opens, and nothing starts before the user says which run.
fn start_from_review(h: &mut H, clock: &ManualClock, path: &Path) {
    click(h, "Open run mode…");
    assert!(h.state().run.view.is_some());
    assert!(h.state().plan.runs.is_empty());
    clock.set(at(19, 0));
    click(h, "Start the upgrade window");
    assert_eq!(h.state().plan.runs.len(), 1);
    assert_eq!(
        saved(path).runs[0].kind(),
        RunKind::Production,
        "saved at once"
    );
    assert!(
        h.query_by_label_contains("▶ Now: Start of the window")
            .is_some()
    );
}

/// Hop 1's first step fails, with a note typed key by key; it stays the step to do.
fn fail_with_a_typed_note(h: &mut H, clock: &ManualClock, path: &Path) {
    clock.set(at(19, 20));
    let first = steps_of(h, "hop1")[0].clone();
    click(h, "Failed: Hop 1 step 1");
    keys(h, "dnf lock held");
    click(h, "Record the failure");
    let run = &saved(path).runs[0];
    let failed = run.latest(&first).unwrap();
    assert_eq!(failed.status(), Some(StepStatus::Failed));
    assert_eq!(failed.note.as_deref(), Some("dnf lock held"));
    assert_eq!(
        failed.at, "2026-12-12T19:20:00Z",
        "the time comes from the clock"
    );
    let view = h.state().run.view.as_ref().unwrap();
    assert!(
        matches!(position(&view.sheet, &h.state().plan.runs[0]), Position::Step { step, .. } if step == first)
    );
}

/// The next hop is locked until the gate says go: no-go on a pasted 3, go on a pasted 0.
fn gate_no_go_then_go(h: &mut H, clock: &ManualClock, path: &Path) {
    assert!(h.query_by_label("Done: Hop 2 step 1").is_none());
    assert!(h.query_by_label("Locked: Hop 2: 17.5.5 → 17.8.7 waits for the gate after Hop 1: 17.3.7 → 17.5.5 to say go.").is_some());
    clock.set(at(19, 45));
    paste_at_gate(h, "Hop 1", "3\n");
    let gate = saved(path).runs[0].gate("hop1").cloned().unwrap();
    assert_eq!(gate.verdict(), Some(GateVerdict::NoGo));
    assert!(
        gate.reasons[0].contains("3 batched background migrations"),
        "{:?}",
        gate.reasons
    );
    assert!(
        h.query_by_label_contains("NO-GO at Sat 12 Dec 20:45")
            .is_some()
    );
    assert!(
        h.query_by_label("Done: Hop 2 step 1").is_none(),
        "still locked"
    );

    clock.set(at(20, 0));
    paste_at_gate(h, "Hop 1", "0");
    let gate = saved(path).runs[0].gate("hop1").cloned().unwrap();
    assert_eq!(gate.verdict(), Some(GateVerdict::Go));
    assert_eq!(saved(path).runs[0].gates.len(), 2, "both readings are kept");
    assert!(
        h.query_by_label_contains("GO at Sat 12 Dec 21:00")
            .is_some()
    );
}

/// A new app on the same file, opened in run mode as `--run` does: the same run, resumed.
fn restart(dir: &Path, path: &Path, clock: &ManualClock) -> H {
    let mut h = open(dir, path, clock);
    h.state_mut().commands.push(Command::Run(RunCommand::Enter));
    h.run();
    h.run();
    let view = h.state().run.view.as_ref().unwrap();
    assert_eq!(view.run, Some(0), "the open run is resumed");
    let pos = position(&view.sheet, &h.state().plan.runs[0]);
    assert!(
        matches!(&pos, Position::Step { section, .. } if section == "hop2"),
        "{pos:?}"
    );
    assert!(
        h.query_by_label("Done: Hop 2 step 1").is_none(),
        "step 1 is already done"
    );
    assert!(h.query_by_label("Done: Hop 2 step 3").is_some());
    h
}

/// No warning before the go/no-go time; past it, said plainly, with the rollback section and
/// its commands one click from the clipboard.
fn rollback_warning_past_go_no_go(h: &mut H, clock: &ManualClock) {
    clock.set(at(20, 30));
    h.run();
    assert!(
        h.query_by_label_contains("continuing leaves less time than the rollback needs")
            .is_none()
    );
    assert!(h.query_by_label("Start the rollback").is_none());
    // 22:31 in Berlin.
    clock.set(at(21, 31));
    h.run();
    assert!(
        h.query_by_label_contains("⚠ Rollback time: It is past the go/no-go time (Sat 12 Dec 22:30). Only 1 h 29 min of the window is left and a rollback needs 1.5 h: continuing leaves less time than the rollback needs.")
            .is_some(),
        "the rollback warning"
    );
    assert!(
        h.query_by_label_contains("Rollback to GitLab 17.3.7")
            .is_some()
    );
    assert!(h.query_by_label("Start the rollback").is_some());
    click(h, "Copy the command: rollback step 1");
    let copied = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<upgrade_planner::ui::platform::ScriptedPlatform>()
        .unwrap()
        .copied
        .clone();
    assert_eq!(copied.len(), 1);
    assert!(
        copied[0].starts_with("sudo gitlab-ctl stop puma"),
        "{copied:?}"
    );
}

/// Tick the first `n` steps of a hop.
fn tick_section_partly(h: &mut H, clock: &ManualClock, short: &str, n: usize) {
    for i in 1..=n {
        clock.advance(chrono::Duration::minutes(2));
        click(h, &format!("Done: {short} step {i}"));
    }
}

#[test]
fn run_mode_needs_a_saved_plan_and_comes_back_to_the_wizard() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let clock = ManualClock::at(at(19, 0));
    let mut h = open(dir.path(), &path, &clock);
    // An unsaved change: run mode would write it with the log, so it refuses and says why.
    h.state_mut().plan.contact.as_mut().unwrap().name = Some("Bea".into());
    h.run();
    click(&mut h, "Open run mode…");
    assert!(h.state().run.view.is_none());
    assert!(
        matches!(&h.state().dialog, Some(upgrade_planner::ui::app::Dialog::Error { message, .. }) if message.contains("unsaved changes"))
    );
    h.state_mut().dialog = None;
    h.state_mut().plan.contact.as_mut().unwrap().name = Some("Ada Admin".into());
    h.run();
    click(&mut h, "Open run mode…");
    assert!(h.state().run.view.is_some());
    click(&mut h, "Start a rehearsal");
    assert_eq!(saved(&path).runs[0].kind(), RunKind::Rehearsal);
    click(&mut h, "◀ Back to the plan");
    assert!(h.state().run.view.is_none());
    assert!(
        !h.state().is_dirty(),
        "the log is saved; nothing is left unsaved"
    );
    assert_eq!(h.state().step, Step::Review);
}

#[test]
fn a_skip_needs_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let clock = ManualClock::at(at(19, 0));
    let mut h = open(dir.path(), &path, &clock);
    click(&mut h, "Open run mode…");
    click(&mut h, "Start the upgrade window");
    click(&mut h, "Skip: Start step 1");
    click(&mut h, "Record the skip");
    assert!(
        h.state().plan.runs[0].events.is_empty(),
        "no reason, no skip"
    );
    let msg = h
        .state()
        .run
        .view
        .as_ref()
        .unwrap()
        .message
        .clone()
        .unwrap();
    assert!(msg.0.contains("write what happened first"), "{msg:?}");
    click(&mut h, "Why is it skipped? (Start step 1)");
    keys(&mut h, "go/no-go agreed on the call at 19:55");
    click(&mut h, "Record the skip");
    let e = saved(&path).runs[0].events[0].clone();
    assert_eq!(e.status(), Some(StepStatus::Skipped));
    assert_eq!(
        e.note.as_deref(),
        Some("go/no-go agreed on the call at 19:55")
    );
}

#[test]
fn a_rehearsal_gives_the_plan_its_hop_times() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let clock = ManualClock::at(at(9, 0));
    let mut h = open(dir.path(), &path, &clock);
    click(&mut h, "Open run mode…");
    click(&mut h, "Start a rehearsal");
    tick_section(&mut h, &clock, "start", "Start");
    tick_section(&mut h, &clock, "hop1", "Hop 1");
    // The background migrations of the rehearsal took 1 h 30 min.
    clock.advance(chrono::Duration::minutes(90));
    paste_at_gate(&mut h, "Hop 1", "0");
    tick_section(&mut h, &clock, "hop2", "Hop 2");
    clock.advance(chrono::Duration::minutes(10));
    paste_at_gate(&mut h, "Hop 2", "0");
    tick_section(&mut h, &clock, "end", "End");
    click(&mut h, "Close the run");
    assert!(saved(&path).runs[0].finished_at.is_some());
    let revision = saved(&path).revision;
    click(&mut h, "Use these hop times as the plan's estimates");
    let plan = saved(&path);
    assert_eq!(
        plan.revision,
        revision + 1,
        "new estimates are a new revision"
    );
    // Hop 1: 4 ticks a minute apart, then 90 min to the gate's go: 94 min, 1.6 h.
    // Hop 2: 5 ticks, then 10 min: 15 min, 0.3 h.
    assert_eq!(
        plan.hop_hours.get("17.5"),
        Some(&1.6),
        "{:?}",
        plan.hop_hours
    );
    assert_eq!(
        plan.hop_hours.get("17.8"),
        Some(&0.3),
        "{:?}",
        plan.hop_hours
    );
    assert!(!h.state().is_dirty());
    assert!(
        h.query_by_label_contains("now come from this rehearsal (17.5 1.6 h, 17.8 0.3 h)")
            .is_some()
    );
}
