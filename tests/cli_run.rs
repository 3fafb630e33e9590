//! The upgrade day's commands as a user runs them: `gate` on real check outputs and hostile
//! input, `report` from a finished run (Markdown and PDF), `timings` from a rehearsal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{NaiveDate, TimeZone, Utc};
use upgrade_planner::export::{ExportMeta, ExportModel};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::Plan;
use upgrade_planner::run::{self, Run, RunKind, Sheet, StepStatus};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const GATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gate");
const TWO_HOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/run/two-hop.upgrade-plan.json"
);

fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .env("SOURCE_DATE_EPOCH", "1797033600")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            input.write_all(bytes).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn run_cli(args: &[&str]) -> Output {
    run_with(args, None)
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn fixture(name: &str) -> String {
    format!("{GATE}/{name}")
}

/// The outputs of several fixtures pasted one after the other, in a temporary file.
fn pasted(dir: &Path, names: &[&str]) -> PathBuf {
    let text: Vec<String> = names
        .iter()
        .map(|n| std::fs::read_to_string(fixture(n)).unwrap())
        .collect();
    let path = dir.join(format!("{}.txt", names.join("+")));
    std::fs::write(&path, text.join("\n")).unwrap();
    path
}

#[test]
fn gate_says_go_on_finished_migrations() {
    for name in [
        "bbm-count-zero.txt",
        "bbm-status-finished.txt",
        "bbm-list-mr191722.txt",
        "bbm-psql-none.txt",
    ] {
        let o = run_cli(&["gate", "--hop", "17.5.5", &fixture(name)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}{}", out(&o), err(&o));
        assert!(
            out(&o).starts_with("GO: the checks after the hop to 17.5.5 pass"),
            "{name}: {}",
            out(&o)
        );
        assert!(
            out(&o).contains("read: Batched background migrations"),
            "{name}"
        );
    }
}

#[test]
fn gate_says_no_go_on_migrations_still_running_or_failed() {
    for (name, says) in [
        (
            "bbm-count-running.txt",
            "3 batched background migrations not finished",
        ),
        (
            "bbm-failed-count.txt",
            "1 failed batched background migrations",
        ),
        (
            "bbm-status-mr71605.txt",
            "1 migration is paused: CopyColumnUsingBackgroundMigrationJob on events",
        ),
        (
            "bbm-status-active-failed.txt",
            "1 migration is failed: BackfillUserDetailsFields on users",
        ),
        ("bbm-psql-rows.txt", "2 migrations are not finished"),
        (
            "upgrade-error-active.txt",
            "CopyColumnUsingBackgroundMigrationJob is active",
        ),
    ] {
        let o = run_cli(&["gate", "--hop", "17.5.5", &fixture(name)]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}{}", out(&o), err(&o));
        let text = out(&o);
        assert!(
            text.starts_with("NO-GO: the next step may not start after the hop to 17.5.5:"),
            "{name}: {text}"
        );
        assert!(text.contains(says), "{name}: {text}");
    }
}

#[test]
fn gate_reads_gitlab_check_with_and_without_failures() {
    let dir = tempfile::tempdir().unwrap();
    let ok = pasted(
        dir.path(),
        &["bbm-count-zero.txt", "gitlab-check-pass-16.6.txt"],
    );
    let o = run_cli(&["gate", "--hop", "16.6", ok.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("read: gitlab:check: 29 checks read, 0 failed"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("note: db:migrate:status: not pasted, so not read."));
    for (name, says) in [
        (
            "gitlab-check-sidekiq-down.txt",
            "gitlab:check: 1 check failed: Sidekiq: Running? no.",
        ),
        (
            "gitlab-check-migrations-not-up.txt",
            "gitlab:check: 1 check failed: All migrations up? no.",
        ),
        (
            "gitlab-check-authorized-keys.txt",
            "Is authorized keys file accessible? no",
        ),
        (
            "geo-check-secondary-fail.txt",
            "gitlab:geo:check: 3 checks failed",
        ),
        (
            "db-migrate-status-down.txt",
            "2 migrations are down (not run)",
        ),
        ("gitlab-ctl-status-sidekiq-down.txt", "sidekiq (down)"),
    ] {
        let file = pasted(dir.path(), &["bbm-count-zero.txt", name]);
        let o = run_cli(&["gate", "--hop", "16.6", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", out(&o));
        assert!(out(&o).contains(says), "{name}: {}", out(&o));
    }
    // A passing check alone does not say whether the migrations finished.
    let o = run_cli(&[
        "gate",
        "--hop",
        "16.6",
        &fixture("gitlab-check-pass-16.6.txt"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("Batched background migrations: not in the paste"));
}

#[test]
fn gate_checks_the_version_against_the_hop_and_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = pasted(dir.path(), &["bbm-count-zero.txt", "env-info-15.5.txt"]);
    let text = std::fs::read(&file).unwrap();
    let o = run_with(&["gate", "--hop", "15.5.5", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let o = run_with(&["gate", "--hop", "15.11.13", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("GitLab reports 15.5.5-ee, but this hop installs 15.11.13."));
    // `--geo` lists the Geo check when it is missing.
    let o = run_with(&["gate", "--hop", "15.5.5", "--geo", "-"], Some(b"0\n"));
    assert!(
        out(&o).contains("note: gitlab:geo:check: not pasted"),
        "{}",
        out(&o)
    );
}

#[test]
fn gate_reads_powershell_utf16() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "3\r\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let o = run_with(&["gate", "--hop", "17.5", "-"], Some(&bytes));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("3 batched background migrations"));
}

#[test]
fn gate_refuses_what_it_cannot_read_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("junk.bin");
    std::fs::write(&binary, [0x00, 0x9F, 0x92, 0x96, 0xFF]).unwrap();
    let prose = dir.path().join("prose.txt");
    std::fs::write(&prose, "Everything looks fine to me!\nSee you tomorrow.\n").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n \n").unwrap();
    let huge = dir.path().join("huge.txt");
    std::fs::write(&huge, "0\n".repeat(3 * 1024 * 1024)).unwrap();
    let missing = dir.path().join("missing.txt");
    for (path, says) in [
        (
            binary.as_path(),
            "not UTF-8 text (invalid byte at offset 1)",
        ),
        (
            prose.as_path(),
            "nothing in it is the output of a check the gate reads",
        ),
        (empty.as_path(), "it is empty"),
        (huge.as_path(), "more than 4194304 bytes"),
        (missing.as_path(), "cannot read"),
        (dir.path(), "is a directory"),
    ] {
        let o = run_cli(&["gate", "--hop", "17.5.5", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}: {}", path.display(), err(&o));
        let e = err(&o);
        assert!(e.starts_with("upgrade-planner gate: "), "{e}");
        assert!(e.contains(says), "{}: {e}", path.display());
        assert_eq!(e.lines().count(), 1, "one line: {e}");
        assert!(out(&o).is_empty());
    }
    for hop in ["", "seventeen", "17", "17.5.5.5"] {
        let o = run_cli(&["gate", "--hop", hop, &fixture("bbm-count-zero.txt")]);
        assert_eq!(o.status.code(), Some(2), "--hop {hop:?}");
        assert!(err(&o).contains("is not a GitLab version"), "{}", err(&o));
    }
    // Escape sequences in the paste are never printed raw.
    let o = run_with(
        &["gate", "--hop", "17.5", "-"],
        Some(b"Database: main\nactive     | Evil\x1b]0;pwned\x07,t,c,[]\n"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("Evil\\x1b]0;pwned\\x07"), "{}", out(&o));
    assert!(
        !o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07),
        "{:?}",
        out(&o)
    );
}

// ------------------------------------------------------------------ report and timings

fn knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

fn sheet_of(plan: &Plan) -> Sheet {
    let a = upgrade_planner::validate::analyse(
        plan,
        knowledge(),
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    );
    let m = ExportModel::build(plan, knowledge(), &a, ExportMeta::new(Utc::now()));
    Sheet::build(plan, &a, &m, 1).unwrap()
}

fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 12, h, m, 0).unwrap()
}

/// A run of the two-hop window: every step ticked in turn, a failure and a skip with notes,
/// both gates passed; closed at 21:50 UTC.
fn worked_run(plan: &Plan, kind: RunKind) -> Run {
    let s = sheet_of(plan);
    let mut r = Run::start(kind, 1, at(19, 0));
    let mut minute = 0;
    for section in &s.sections {
        for step in &section.steps {
            minute += 1;
            let t = at(19, 0) + chrono::Duration::minutes(minute);
            if step.id == "hop1.install.1" {
                run::mark(&s, &mut r, &step.id, StepStatus::Failed, "dnf lock held", t).unwrap();
            }
            if step.id == "hop2.post.2" {
                run::mark(
                    &s,
                    &mut r,
                    &step.id,
                    StepStatus::Skipped,
                    "users test on Monday",
                    t,
                )
                .unwrap();
                continue;
            }
            run::mark(&s, &mut r, &step.id, StepStatus::Done, "", t).unwrap();
        }
        if section.gate.is_some() {
            minute += 20;
            let t = at(19, 0) + chrono::Duration::minutes(minute);
            run::read_gate(&s, &mut r, &section.id, "0", t).unwrap();
        }
    }
    run::finish(&mut r, at(21, 50));
    r
}

fn plan_with_run(dir: &Path, kind: RunKind) -> PathBuf {
    let mut plan = upgrade_planner::plan_file::load(Path::new(TWO_HOP)).unwrap();
    let r = worked_run(&plan, kind);
    plan.runs.push(r);
    let path = dir.join("two-hop.upgrade-plan.json");
    upgrade_planner::plan_file::save(&path, &plan).unwrap();
    path
}

#[test]
fn report_writes_markdown_and_a_pdf_from_a_finished_run() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_with_run(dir.path(), RunKind::Production);
    let md = dir.path().join("report.md");
    let pdf = dir.path().join("report.pdf");
    let o = run_cli(&[
        "report",
        plan.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains(
            "GitLab runs 17.8.7 after 1 upgrade window: the target 17.8.7 is reached; no rollback."
        ),
        "{}",
        out(&o)
    );
    let text = std::fs::read_to_string(&md).unwrap();
    for says in [
        "# GitLab upgrade report: 17.3.7 → 17.8.7",
        "## Upgrade: Upgrade window: Sat 12 Dec 2026 20:00 Europe/Berlin",
        "| Outcome | finished |",
        "| Versions | 17.3.7 → 17.8.7 (planned: 17.8.7) |",
        "| Rollback | no |",
        "### Failed steps",
        "dnf lock held",
        "### Skipped steps",
        "users test on Monday",
        "### Time used against the plan",
        "### What was done when",
        "**gate go**",
    ] {
        assert!(text.contains(says), "{says} missing:\n{text}");
    }
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf_text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    for says in [
        "GitLab upgrade report",
        "Deviations from the plan",
        "dnf lock held",
        "Page 1 of",
    ] {
        assert!(
            pdf_text.contains(says),
            "{says} missing from the PDF text:\n{pdf_text}"
        );
    }
    // SOURCE_DATE_EPOCH fixed: the same files again.
    let again = dir.path().join("again.pdf");
    let o = run_cli(&[
        "report",
        plan.to_str().unwrap(),
        "--pdf",
        again.to_str().unwrap(),
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
}

#[test]
fn report_refuses_a_plan_without_runs_and_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("r.md");
    let o = run_cli(&["report", TWO_HOP, "--markdown", md.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("holds no run log"), "{}", err(&o));
    assert!(!md.exists());
    let plan = plan_with_run(dir.path(), RunKind::Production);
    let before = std::fs::read(&plan).unwrap();
    let o = run_cli(&[
        "report",
        plan.to_str().unwrap(),
        "--markdown",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("names the plan itself"), "{}", err(&o));
    assert_eq!(std::fs::read(&plan).unwrap(), before);
    let o = run_cli(&["report", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "an output is required");
}

#[test]
fn timings_take_a_rehearsals_hop_times_as_the_estimates() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_with_run(dir.path(), RunKind::Rehearsal);
    let before = upgrade_planner::plan_file::load(&plan).unwrap();
    assert!(before.hop_hours.is_empty());
    let o = run_cli(&[
        "timings",
        plan.to_str().unwrap(),
        "--dry-run",
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("2 estimates would change"), "{}", out(&o));
    assert_eq!(
        upgrade_planner::plan_file::load(&plan).unwrap(),
        before,
        "a dry run writes nothing"
    );
    let o = run_cli(&["timings", plan.to_str().unwrap(), "--today", "2026-11-21"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let after = upgrade_planner::plan_file::load(&plan).unwrap();
    assert_eq!(after.revision, before.revision + 1);
    let hours: Vec<(&str, f64)> = after
        .hop_hours
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[0].0, "17.5");
    assert_eq!(hours[1].0, "17.8");
    assert!(hours.iter().all(|(_, h)| *h > 0.0 && *h < 2.0), "{hours:?}");
    assert!(upgrade_planner::plan_file::backup_path(&plan).exists());
    // The estimates feed the window: the export says the hops are rehearsed.
    let md = dir.path().join("plan.md");
    let o = run_cli(&[
        "export",
        plan.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("rehearsed"), "{text}");
    // A production plan takes them from the rehearsal's file.
    let prod = dir.path().join("prod.upgrade-plan.json");
    std::fs::copy(TWO_HOP, &prod).unwrap();
    let o = run_cli(&[
        "timings",
        prod.to_str().unwrap(),
        "--from",
        plan.to_str().unwrap(),
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        upgrade_planner::plan_file::load(&prod).unwrap().hop_hours,
        after.hop_hours
    );
}

#[test]
fn timings_without_a_rehearsal_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_with_run(dir.path(), RunKind::Production);
    let before = std::fs::read(&plan).unwrap();
    let o = run_cli(&["timings", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("has no rehearsal run with a finished hop"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read(&plan).unwrap(), before);
}
