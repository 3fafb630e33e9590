//! Run mode's core on a two-hop window (17.3.7 → 17.5.5 → 17.8.7, 20:00–24:00 Berlin, a
//! 1.5 h rollback reserve: go/no-go at 22:30).

use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::timing::{ClockWarning, Progress, clock, section_times};
use super::*;
use crate::export::{ExportMeta, ExportModel};
use crate::knowledge::Knowledge;
use crate::plan::Plan;
use crate::validate::{Analysis, analyse};

pub(crate) fn fixture() -> Plan {
    let path = format!(
        "{}/tests/fixtures/run/two-hop.upgrade-plan.json",
        env!("CARGO_MANIFEST_DIR")
    );
    crate::plan_file::load(std::path::Path::new(&path)).unwrap()
}

pub(crate) fn built(plan: &Plan) -> (Analysis, ExportModel) {
    let k = Knowledge::embedded();
    let a = analyse(plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    let mut meta = ExportMeta::new(Utc.with_ymd_and_hms(2026, 12, 13, 0, 0, 0).unwrap());
    meta.tool_version = "0.0.0-test".into();
    let m = ExportModel::build(plan, &k, &a, meta);
    (a, m)
}

pub(crate) fn sheet(plan: &Plan) -> Sheet {
    let (a, m) = built(plan);
    Sheet::build(plan, &a, &m, 1).unwrap()
}

/// 19:00 UTC is 20:00 in Berlin, the window's start.
pub(crate) fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 12, h, m, 0).unwrap()
}

/// Tick every step of `section` not done or skipped yet, all at `when`.
pub(crate) fn tick_all(s: &Sheet, run: &mut Run, section: &str, when: chrono::DateTime<Utc>) {
    let ids: Vec<String> = s
        .section(section)
        .unwrap()
        .steps
        .iter()
        .filter(|x| {
            !matches!(
                run.status_of(&x.id),
                Some(StepStatus::Done | StepStatus::Skipped)
            )
        })
        .map(|x| x.id.clone())
        .collect();
    for id in ids {
        mark(s, run, &id, StepStatus::Done, "", when).unwrap();
    }
}

#[test]
fn the_checklist_follows_the_runbook_with_a_gate_after_each_hop() {
    let s = sheet(&fixture());
    let ids: Vec<&str> = s.sections.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["start", "hop1", "hop2", "end"]);
    assert_eq!(s.start_version, "17.3.7");
    assert_eq!(s.end_version, "17.8.7");
    let hop1 = s.section("hop1").unwrap();
    assert_eq!(hop1.title, "Hop 1: 17.3.7 → 17.5.5");
    assert_eq!(
        hop1.kind,
        SectionKind::Hop {
            number: 1,
            minor: "17.5".into()
        }
    );
    assert_eq!(hop1.planned_hours, Some(1.0));
    let gate = hop1.gate.as_ref().unwrap();
    assert_eq!(gate.version, "17.5.5");
    assert!(!gate.geo);
    assert!(
        gate.commands
            .iter()
            .any(|c| c.contains("gitlab:check SANITIZE=true")),
        "{:?}",
        gate.commands
    );
    assert!(s.section("start").unwrap().gate.is_none());
    // Stable, unique ids.
    let mut all: Vec<&str> = s.all_steps().map(|(_, x)| x.id.as_str()).collect();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n);
    assert!(s.step("hop1.install.1").is_some());
    // The backup at the window's start is what a rollback returns to.
    assert_eq!(s.rollbacks[0].0, "17.3.7");
    assert!(
        s.rollbacks[0]
            .1
            .iter()
            .any(|st| st.command.as_deref() == Some("sudo dnf install gitlab-ee-17.3.7-ee.0.el9"))
    );
}

#[test]
fn the_windows_times_come_from_its_zone_and_the_rollback_reserve() {
    let s = sheet(&fixture());
    assert_eq!(s.times.start, Some(at(19, 0)));
    assert_eq!(s.times.end, Some(at(23, 0)));
    assert_eq!(s.times.deadline, Some(at(21, 30)));
    assert_eq!(s.times.rollback_hours, 1.5);
    assert_eq!(s.local(at(21, 30)), "Sat 12 Dec 22:30");
}

#[test]
fn steps_after_a_closed_gate_are_locked_until_it_says_go() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 10));
    tick_all(&s, &mut run, "hop1", at(20, 0));
    assert_eq!(
        position(&s, &run),
        Position::Gate {
            section: "hop1".into()
        }
    );
    let err = mark(&s, &mut run, "hop2.pre.1", StepStatus::Done, "", at(20, 1));
    assert!(matches!(err, Err(ActionError::Locked { .. })), "{err:?}");
    let r = read_gate(&s, &mut run, "hop1", "3", at(20, 5)).unwrap();
    assert!(!r.go());
    assert_eq!(run.gate("hop1").unwrap().verdict(), Some(GateVerdict::NoGo));
    assert!(mark(&s, &mut run, "hop2.pre.1", StepStatus::Done, "", at(20, 6)).is_err());
    let r = read_gate(&s, &mut run, "hop1", "0\n", at(20, 20)).unwrap();
    assert!(r.go());
    assert_eq!(run.gates.len(), 2, "both readings are kept");
    assert_eq!(run.gates[1].checks, ["background_migrations"]);
    mark(&s, &mut run, "hop2.pre.1", StepStatus::Done, "", at(20, 21)).unwrap();
    assert!(matches!(position(&s, &run), Position::Step { section, .. } if section == "hop2"));
}

#[test]
fn skips_and_failures_need_a_note_without_a_secret() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    assert_eq!(
        mark(
            &s,
            &mut run,
            "start.1",
            StepStatus::Skipped,
            "  ",
            at(19, 1)
        ),
        Err(ActionError::NoteRequired)
    );
    assert!(matches!(
        mark(
            &s,
            &mut run,
            "start.1",
            StepStatus::Failed,
            "token glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF",
            at(19, 1)
        ),
        Err(ActionError::Secret { .. })
    ));
    assert!(run.events.is_empty(), "nothing recorded on a refusal");
    mark(
        &s,
        &mut run,
        "start.2",
        StepStatus::Failed,
        "rake aborted: Redis timeout",
        at(19, 2),
    )
    .unwrap();
    let e = run.latest("start.2").unwrap();
    assert_eq!(e.note.as_deref(), Some("rake aborted: Redis timeout"));
    assert_eq!(e.at, "2026-12-12T19:02:00Z");
    assert_eq!(e.text, s.step("start.2").unwrap().text);
    assert_eq!(
        mark(&s, &mut run, "nope", StepStatus::Done, "", at(19, 3)),
        Err(ActionError::UnknownStep("nope".into()))
    );
    finish(&mut run, at(19, 4));
    assert_eq!(
        mark(&s, &mut run, "start.3", StepStatus::Done, "", at(19, 5)),
        Err(ActionError::Finished)
    );
}

#[test]
fn planned_against_actual_per_section() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 30));
    tick_all(&s, &mut run, "hop1", at(20, 15));
    read_gate(&s, &mut run, "hop1", "0", at(20, 45)).unwrap();
    let times = section_times(&s, &run);
    assert_eq!(times[0].progress, Progress::Done);
    assert_eq!(times[0].started, Some(at(19, 0)));
    assert_eq!(times[0].finished, Some(at(19, 30)));
    // The hop runs from the end of the start to its gate's go: 1 h 15 min against 1 h.
    assert_eq!(times[1].started, Some(at(19, 30)));
    assert_eq!(times[1].finished, Some(at(20, 45)));
    assert_eq!(times[1].actual_hours(at(23, 0)), Some(1.25));
    assert_eq!(times[2].progress, Progress::Running);
    assert_eq!(times[2].started, Some(at(20, 45)));
    assert_eq!(times[3].progress, Progress::NotStarted);
}

#[test]
fn the_clock_warns_before_and_after_the_deadline() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 20));
    let c = clock(&s, &run, at(19, 30));
    assert_eq!(c.warning, None);
    assert_eq!(c.left, Some(Duration::minutes(210)));
    assert_eq!(c.to_deadline, Some(Duration::minutes(120)));
    assert_eq!(c.remaining_planned, 2.0);
    // At 21:00 hop 1 (1 h from 19:20) is late; hop 2 after it (1 h) would end at 22:00,
    // after the 22:30 Berlin (21:30 UTC) go/no-go.
    let c = clock(&s, &run, at(21, 0));
    match &c.warning {
        Some(ClockWarning::WillPassDeadline {
            section,
            expected_end,
            ..
        }) => {
            assert_eq!(section, "Hop 2: 17.5.5 → 17.8.7");
            assert_eq!(*expected_end, at(22, 0));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        c.warning
            .as_ref()
            .unwrap()
            .message(&s)
            .contains("continuing leaves less time than the rollback needs")
    );
    let c = clock(&s, &run, at(21, 31));
    assert!(matches!(c.warning, Some(ClockWarning::PastDeadline { .. })));
    let text = c.warning.as_ref().unwrap().message(&s);
    assert!(
        text.contains("past the go/no-go time (Sat 12 Dec 22:30)"),
        "{text}"
    );
    assert!(
        text.contains("Only 1 h 29 min of the window is left and a rollback needs 1.5 h"),
        "{text}"
    );
    let c = clock(&s, &run, at(23, 5));
    assert!(matches!(c.warning, Some(ClockWarning::WindowOver { .. })));
    finish(&mut run, at(23, 6));
    assert_eq!(
        clock(&s, &run, at(23, 7)).warning,
        None,
        "a closed run has nothing to decide"
    );
}

#[test]
fn a_hop_planned_past_the_deadline_is_said_before_it_starts() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 10));
    tick_all(&s, &mut run, "hop1", at(20, 0));
    read_gate(&s, &mut run, "hop1", "0", at(20, 40)).unwrap();
    // Hop 2 (1 h) from 20:40 ends at 21:40, after the 21:30 deadline.
    let c = clock(&s, &run, at(20, 41));
    match c.warning {
        Some(ClockWarning::WillPassDeadline {
            section,
            expected_end,
            deadline,
        }) => {
            assert_eq!(section, "Hop 2: 17.5.5 → 17.8.7");
            assert_eq!(expected_end, at(21, 40));
            assert_eq!(deadline, at(21, 30));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_rollback_returns_to_the_last_backup_and_closes_with_the_run() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    assert_eq!(rollback_version(&s, &run), "17.3.7");
    assert_eq!(
        start_rollback(&s, &mut run, "", at(21, 40)),
        Err(ActionError::NoteRequired)
    );
    start_rollback(
        &s,
        &mut run,
        "past go/no-go, migrations still running",
        at(21, 40),
    )
    .unwrap();
    let rb = run.rollback.clone().unwrap();
    assert_eq!(rb.to_version.as_deref(), Some("17.3.7"));
    assert_eq!(rb.started_at, "2026-12-12T21:40:00Z");
    assert_eq!(
        clock(&s, &run, at(21, 45)).warning,
        None,
        "the decision is taken"
    );
    finish(&mut run, at(22, 50));
    assert_eq!(
        run.rollback.unwrap().finished_at.as_deref(),
        Some("2026-12-12T22:50:00Z")
    );
}

#[test]
fn an_overridden_gate_opens_and_records_why() {
    let s = sheet(&fixture());
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    assert_eq!(
        override_gate(&s, &mut run, "hop1", "", at(20, 0)),
        Err(ActionError::NoteRequired)
    );
    override_gate(
        &s,
        &mut run,
        "hop1",
        "Support (Ana) agreed: the one left is a no-op",
        at(20, 0),
    )
    .unwrap();
    assert!(run.gate_open("hop1"));
    assert_eq!(
        run.gate("hop1").unwrap().verdict(),
        Some(GateVerdict::Overridden)
    );
    assert!(
        override_gate(&s, &mut run, "start", "x", at(20, 0)).is_err(),
        "no gate there"
    );
}

#[test]
fn the_log_is_saved_in_the_plan_file_and_comes_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.upgrade-plan.json");
    let mut plan = fixture();
    let s = sheet(&plan);
    let i = store::open_or_start(&mut plan, 1, RunKind::Production, at(19, 0));
    assert_eq!(
        store::open_or_start(&mut plan, 1, RunKind::Rehearsal, at(19, 1)),
        i,
        "the open run is resumed"
    );
    mark(
        &s,
        &mut plan.runs[i],
        "start.1",
        StepStatus::Done,
        "",
        at(19, 5),
    )
    .unwrap();
    read_gate(&s, &mut plan.runs[i], "hop1", "5", at(19, 6)).unwrap();
    store::save(&path, &plan).unwrap();
    let back = crate::plan_file::load(&path).unwrap();
    assert_eq!(back, plan);
    assert_eq!(back.revision, 4, "the log does not make a new revision");
    assert_eq!(store::open_run(&back, 1), Some(0));
    finish(&mut plan.runs[i], at(20, 0));
    assert_eq!(store::open_run(&plan, 1), None);
    assert_eq!(store::window_to_run(&plan, 1), 1);
}

#[test]
fn a_rehearsals_hop_times_become_the_estimates() {
    let mut plan = fixture();
    let s = sheet(&plan);
    let mut run = Run::start(RunKind::Rehearsal, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 30));
    tick_all(&s, &mut run, "hop1", at(20, 30));
    read_gate(&s, &mut run, "hop1", "0", at(21, 13)).unwrap();
    tick_all(&s, &mut run, "hop2", at(21, 50));
    read_gate(&s, &mut run, "hop2", "0", at(22, 0)).unwrap();
    plan.runs.push(run.clone());
    // A production run's times are never taken.
    let mut prod = run;
    prod.kind = Some(crate::plan::Open::Known(RunKind::Production));
    prod.events
        .iter_mut()
        .for_each(|e| e.at = "2026-12-12T23:59:00Z".into());
    plan.runs.push(prod);
    let (a, m) = built(&plan);
    let t = rehearsal::timings(&plan, &a, &m);
    // Hop 1: 19:30 → 21:13 = 1 h 43 min → 1.8 h; hop 2: 21:13 → 22:00 = 47 min → 0.8 h.
    assert_eq!(
        t.iter()
            .map(|x| (x.minor.as_str(), x.hours))
            .collect::<Vec<_>>(),
        [("17.5", 1.8), ("17.8", 0.8)]
    );
    let changes = rehearsal::apply(&mut plan, &t);
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].before, None);
    assert_eq!(plan.hop_hours.get("17.5"), Some(&1.8));
    assert!(
        rehearsal::apply(&mut plan, &t).is_empty(),
        "applied twice changes nothing"
    );
    // The schedule now uses them: hop 1 is planned at 1.8 h, marked as rehearsed.
    let s = sheet(&plan);
    let hop1 = s.section("hop1").unwrap();
    assert_eq!(hop1.planned_hours, Some(1.8));
    assert!(hop1.rehearsed);
}
