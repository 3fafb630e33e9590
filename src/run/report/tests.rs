//! The report of a finished two-hop window.

use super::*;
use crate::run::tests::{at, built, fixture, sheet, tick_all};
use crate::run::{RunKind, StepStatus, finish, mark, read_gate, start_rollback};

/// The upgrade day: a failed step done later, a skipped one, a no-go then a go at the first
/// gate, hop 2 over its plan, closed after the go/no-go time.
pub(crate) fn finished_plan() -> Plan {
    let mut plan = fixture();
    let s = sheet(&plan);
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    run.start_version = Some("17.3.7".into());
    tick_all(&s, &mut run, "start", at(19, 20));
    mark(
        &s,
        &mut run,
        "hop1.install.1",
        StepStatus::Failed,
        "apt lock held by unattended-upgrades",
        at(19, 25),
    )
    .unwrap();
    mark(
        &s,
        &mut run,
        "hop1.install.1",
        StepStatus::Done,
        "",
        at(19, 40),
    )
    .unwrap();
    tick_all(&s, &mut run, "hop1", at(20, 0));
    read_gate(&s, &mut run, "hop1", "3", at(20, 5)).unwrap();
    read_gate(&s, &mut run, "hop1", "0", at(20, 20)).unwrap();
    let smoke = s
        .section("hop2")
        .unwrap()
        .steps
        .iter()
        .find(|x| x.text.starts_with("Smoke test"))
        .unwrap()
        .id
        .clone();
    mark(
        &s,
        &mut run,
        &smoke,
        StepStatus::Skipped,
        "done by the users on Monday",
        at(21, 10),
    )
    .unwrap();
    tick_all(&s, &mut run, "hop2", at(21, 40));
    read_gate(&s, &mut run, "hop2", "0", at(21, 45)).unwrap();
    tick_all(&s, &mut run, "end", at(21, 55));
    finish(&mut run, at(22, 0));
    plan.runs.push(run);
    plan
}

#[test]
fn the_report_of_a_finished_window() {
    let plan = finished_plan();
    let (a, m) = built(&plan);
    let r = Report::build(&plan, &a, &m).unwrap();
    assert_eq!(r.organization, "Example Corp");
    assert_eq!(r.upgrade_line, "17.3.7 → 17.8.7");
    assert_eq!(
        r.summary,
        "GitLab runs 17.8.7 after 1 upgrade window: the target 17.8.7 is reached; no rollback."
    );
    let run = &r.runs[0];
    assert_eq!(run.kind, "Upgrade");
    assert_eq!(run.outcome, "finished");
    assert_eq!(run.start_version, "17.3.7");
    assert_eq!(run.reached_version, "17.8.7");
    assert_eq!(run.started.as_deref(), Some("Sat 12 Dec 20:00"));
    assert_eq!(run.finished.as_deref(), Some("Sat 12 Dec 23:00"));
    assert_eq!(run.time_used.as_deref(), Some("3 h"));
    assert!(
        run.time_planned.contains("go/no-go Sat 12 Dec 22:30"),
        "{}",
        run.time_planned
    );
    assert_eq!(run.failed.len(), 1);
    assert_eq!(run.failed[0].note, "apt lock held by unattended-upgrades");
    assert_eq!(run.failed[0].then, "done at Sat 12 Dec 20:40");
    assert_eq!(run.failed[0].section, "Hop 1: 17.3.7 → 17.5.5");
    assert_eq!(run.skipped.len(), 1);
    assert_eq!(run.skipped[0].note, "done by the users on Monday");
    assert_eq!(run.skipped[0].then, "left skipped");
    let hop2 = run
        .times
        .iter()
        .find(|t| t.title.starts_with("Hop 2"))
        .unwrap();
    assert_eq!(hop2.planned.as_deref(), Some("1 h"));
    assert_eq!(hop2.actual.as_deref(), Some("1 h 25 min"));
    assert_eq!(hop2.difference.as_deref(), Some("+25 min"));
    let d = run.deviations.join("\n");
    assert!(
        d.contains("Hop 2: 17.5.5 → 17.8.7 took 1 h 25 min, planned 1 h."),
        "{d}"
    );
    assert!(d.contains("1 step failed"), "{d}");
    assert!(d.contains("1 step skipped"), "{d}");
    assert!(
        d.contains("The gate after Hop 1: 17.3.7 → 17.5.5 said no-go at Sat 12 Dec 21:05."),
        "{d}"
    );
    assert!(
        d.contains(
            "The run ended at Sat 12 Dec 23:00, after the go/no-go time (Sat 12 Dec 22:30)."
        ),
        "{d}"
    );
    assert!(!d.contains("rollback"), "{d}");
    assert_eq!(run.open_steps, 0);
    // In time order, with the gate readings among the ticks.
    let whats: Vec<&str> = run.events.iter().map(|e| e.what.as_str()).collect();
    let no_go = whats.iter().position(|w| *w == "gate no-go").unwrap();
    let go = whats.iter().position(|w| *w == "gate go").unwrap();
    assert!(no_go < go);
    assert_eq!(whats.first(), Some(&"done"));
}

#[test]
fn a_rollback_is_the_outcome_and_the_version_reached() {
    let mut plan = fixture();
    let s = sheet(&plan);
    let mut run = Run::start(RunKind::Production, 1, at(19, 0));
    tick_all(&s, &mut run, "start", at(19, 20));
    tick_all(&s, &mut run, "hop1", at(20, 10));
    start_rollback(
        &s,
        &mut run,
        "background migrations still running at go/no-go",
        at(21, 35),
    )
    .unwrap();
    finish(&mut run, at(22, 40));
    plan.runs.push(run);
    let (a, m) = built(&plan);
    let r = Report::build(&plan, &a, &m).unwrap();
    let run = &r.runs[0];
    assert_eq!(run.outcome, "rolled back");
    assert_eq!(run.reached_version, "17.3.7");
    let rb = run.rollback.as_ref().unwrap();
    assert_eq!(rb.reason, "background migrations still running at go/no-go");
    assert_eq!(rb.finished.as_deref(), Some("Sat 12 Dec 23:40"));
    assert!(
        run.deviations
            .iter()
            .any(|d| d == "A rollback to 17.3.7 happened.")
    );
    assert!(r.summary.ends_with("a rollback happened."), "{}", r.summary);
    assert!(run.open_steps > 0);
}

#[test]
fn markdown_and_pdf() {
    let plan = finished_plan();
    let (a, m) = built(&plan);
    let r = Report::build(&plan, &a, &m).unwrap();
    let md = markdown::render(&r);
    assert!(
        md.starts_with("# GitLab upgrade report: 17.3.7 → 17.8.7\n"),
        "{md}"
    );
    assert!(md.contains("| Outcome | finished |"));
    assert!(md.contains("### Failed steps"));
    assert!(md.contains("apt lock held by unattended-upgrades"));
    assert!(md.contains("### Skipped steps"));
    assert!(md.contains("| Rollback | no |"));
    assert!(
        md.contains("- Ticket: \\#512345") || md.contains("- Ticket: #512345"),
        "{md}"
    );
    let pdf = pdf::render(&r).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The same report gives the same bytes.
    assert_eq!(pdf, pdf::render(&r).unwrap());
}

#[test]
fn no_run_no_report() {
    let plan = fixture();
    let (a, m) = built(&plan);
    assert_eq!(Report::build(&plan, &a, &m), Err(ReportError::NoRuns));
}

#[test]
fn secrets_in_the_log_never_reach_the_report() {
    let mut plan = finished_plan();
    // Written by hand into the file (the app refuses such a note).
    plan.runs[0].events[0].note = Some("used glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF".into());
    let (a, m) = built(&plan);
    let r = Report::build(&plan, &a, &m).unwrap();
    let md = markdown::render(&r);
    assert!(!md.contains("glpat-9xK2"));
    assert!(md.contains("REDACTED"));
}
