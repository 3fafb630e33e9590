//! `upgrade-planner review PLAN --markdown FILE [--pdf FILE] [--json]`: the review reply for
//! the ticket. Without a saved review, a draft from the plan's findings that names what is
//! missing; with one, the reviewer's verdict and notes; and what changed since the reviewed
//! revision. Also what the plan's own exports say about its review.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::*;
use upgrade_planner::{plan_file, review, validate};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const TODAY: &str = "2026-11-21";

fn run(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn load(rel: &str) -> Plan {
    plan_file::load(&manifest(rel)).unwrap()
}

/// `plan` with a review as the app saves it: the reviewed answers and what was computed for
/// them, then `fill` for the reviewer's part.
fn reviewed(mut plan: Plan, fill: impl FnOnce(&mut Review)) -> Plan {
    let k = Knowledge::embedded();
    let a = validate::analyse(
        &plan,
        &k,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    );
    let mut r = review::new_review(&plan, &a, &k);
    fill(&mut r);
    plan.reviews.push(r);
    plan
}

fn sam(r: &mut Review) {
    r.verdict = Some(Open::Known(ReviewVerdict::Reschedule));
    r.reasons = vec!["The window falls on the quarter-end freeze".into()];
    r.reviewer = Some("Sam Support".into());
    r.reviewed_on = Some("2026-11-22".into());
    r.approvers = vec!["Ann Senior".into(), "Max Manager".into()];
    r.step_notes
        .insert("contact".into(), "Who is on call at night?".into());
    r.step_notes.insert(
        "backup".into(),
        "The restore test must cover object storage.".into(),
    );
    r.checklist.insert(
        "window".into(),
        CheckEntry {
            status: Some(Open::Known(CheckStatus::Concern)),
            note: Some("Quarter-end freeze".into()),
            ..Default::default()
        },
    );
}

fn save(dir: &Path, name: &str, plan: &Plan) -> String {
    let p = dir.join(name);
    plan_file::save(&p, plan).unwrap();
    p.to_str().unwrap().to_string()
}

/// The text of each page, white space collapsed (lines wrap where the layout decides).
fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(bytes)
        .unwrap()
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn without_a_review_the_reply_is_a_needs_info_draft_naming_the_missing_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("reply.md");
    let pdf = dir.path().join("reply.pdf");
    let plan = manifest("tests/fixtures/unconfirmed-rollback.upgrade-plan.json");
    let o = run(&[
        "review",
        plan.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("Needs information (draft from the findings"),
        "{out}"
    );
    let reply = std::fs::read_to_string(&md).unwrap();
    // The verdict first, then what is missing, the steps, the app's findings.
    let order: Vec<usize> = [
        "Draft verdict: Needs information",
        "**What is missing:**",
        "### Required information",
        "### Step by step",
        "#### 10. Rollback",
        "### The app's findings",
    ]
    .iter()
    .map(|s| {
        reply
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{reply}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{reply}");
    assert!(
        reply.contains("- Rollback plan — I have reviewed these rollback steps and they fit our setup: Review and confirm the rollback steps."),
        "{reply}"
    );
    assert!(reply.contains("| Rollback plan | ❌ Missing |"), "{reply}");
    assert!(reply.contains("| Upgrade plan | ✅ Complete |"), "{reply}");
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert_eq!(pages.len(), 1);
    assert!(
        pages[0].contains("DRAFT VERDICT: NEEDS INFORMATION"),
        "{}",
        pages[0]
    );
    assert!(pages[0].contains("Page 1 of 1"));
}

#[test]
fn a_saved_review_is_reproduced_with_its_verdict_notes_and_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let plan = save(
        dir.path(),
        "p.upgrade-plan.json",
        &reviewed(load("assets/samples/single-node.upgrade-plan.json"), sam),
    );
    let md = dir.path().join("reply.md");
    let o = run(&[
        "review",
        &plan,
        "--markdown",
        md.to_str().unwrap(),
        "--json",
        "--today",
        TODAY,
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // With --json, standard output is the JSON alone.
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(err.contains("wrote "), "{err}");
    assert_eq!(v["source"], "saved");
    assert_eq!(v["verdict"], "reschedule");
    assert_eq!(v["review"]["reviewer"], "Sam Support");
    assert_eq!(v["review"]["changed_since_review"], false);
    assert_eq!(v["review"]["since_review"]["answers"], Value::Array(vec![]));
    let window = v["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "window")
        .unwrap();
    assert_eq!(window["status"], "concern");
    assert_eq!(window["set_by"], "reviewer");
    assert_eq!(window["app_status"], "complete");
    let notes: Vec<(&str, &str)> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["step"].as_str()?, s["note"].as_str()?)))
        .collect();
    assert_eq!(
        notes,
        [
            ("contact", "Who is on call at night?"),
            ("backup", "The restore test must cover object storage.")
        ]
    );
    let reply = std::fs::read_to_string(&md).unwrap();
    for s in [
        "**Verdict: Reschedule**",
        "Revision 1 reviewed on 2026-11-22 by Sam Support (approved by Ann Senior, Max Manager): Reschedule",
        "**Why the upgrade should be rescheduled:**",
        "- The window falls on the quarter-end freeze",
        "| Time with date and time zone | ⚠️ Of concern | Quarter-end freeze |",
        "#### 2. Contact and window",
        "> Who is on call at night?",
        "#### 9. Backup and restore",
        "> The restore test must cover object storage.",
    ] {
        assert!(reply.contains(s), "{s} missing:\n{reply}");
    }
    assert!(!reply.contains("Changed since review"));
    assert!(!reply.contains("Draft verdict"));
}

#[test]
fn a_plan_changed_after_its_review_says_so_and_lists_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = reviewed(load("assets/samples/single-node.upgrade-plan.json"), sam);
    plan.revision += 1;
    plan.rollback.as_mut().unwrap().duration_hours = Some(3.0);
    plan.backup.as_mut().unwrap().secrets_backed_up = Some(false);
    let file = save(dir.path(), "p.upgrade-plan.json", &plan);
    let md = dir.path().join("reply.md");
    let pdf = dir.path().join("reply.pdf");
    let o = run(&[
        "review",
        &file,
        "--json",
        "--markdown",
        md.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["review"]["changed_since_review"], true);
    let since = &v["review"]["since_review"];
    assert_eq!(since["old_revision"], 1);
    assert_eq!(since["new_revision"], 2);
    let answers: Vec<(&str, &str, &str, &str)> = since["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["field"].as_str().unwrap(),
                a["label"].as_str().unwrap(),
                a["old"].as_str().unwrap(),
                a["new"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [
            (
                "backup.secrets_backed_up",
                "Are the secrets backed up?",
                "yes",
                "no"
            ),
            (
                "rollback.duration_hours",
                "Time a rollback takes (hours)",
                "2",
                "3"
            ),
        ]
    );
    assert!(
        since["findings_new"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "backup.secrets_backed_up" && f["severity"] == "error")
    );
    let reply = std::fs::read_to_string(&md).unwrap();
    assert!(reply.contains(
        "**Changed since review:** the plan is now revision 2; revision 1 was reviewed."
    ));
    assert!(reply.contains("### Changes since the reviewed revision"));
    assert!(
        reply.contains("| Are the secrets backed up? | yes | no |"),
        "{reply}"
    );
    // The reviewer's verdict stands (it is theirs to change); the new error shows on its step.
    assert!(reply.contains("**Verdict: Reschedule**"));
    assert!(
        reply.contains("- ❌ Missing: Are the secrets backed up?"),
        "{reply}"
    );
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert_eq!(pages.len(), 1);
    for s in [
        "VERDICT: RESCHEDULE",
        "changed: revision 1 was reviewed, the plan is now revision 2",
        "Who is on call at night?",
        "Are the secrets backed up?",
    ] {
        assert!(pages[0].contains(s), "{s} not in the PDF:\n{}", pages[0]);
    }
}

#[test]
fn the_summary_stays_on_one_page_however_long_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let long = "The restore procedure needs to be written out step by step. ".repeat(40);
    let plan = reviewed(Plan::default(), |r| {
        r.verdict = Some(Open::Known(ReviewVerdict::NeedsInfo));
        r.missing = (1..=30)
            .map(|i| format!("Missing item number {i}"))
            .collect();
        r.comment = Some(long.clone());
        for step in Step::ALL {
            r.step_notes.insert(step.id().to_string(), long.clone());
        }
    });
    let file = save(dir.path(), "empty.upgrade-plan.json", &plan);
    let pdf = dir.path().join("s.pdf");
    let o = run(&[
        "review",
        &file,
        "--pdf",
        pdf.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("VERDICT: NEEDS INFORMATION"));
    assert!(
        pages[0].contains("more"),
        "the rest is counted:\n{}",
        pages[0]
    );
    assert!(pages[0].contains("Page 1 of 1"));
}

#[test]
fn a_secret_in_a_review_keeps_every_output_from_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let token = "glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF";
    let plan = reviewed(load("assets/samples/single-node.upgrade-plan.json"), |r| {
        r.step_notes
            .insert("backup".into(), format!("log in with {token}"));
    });
    let file = save(dir.path(), "p.upgrade-plan.json", &plan);
    let md = dir.path().join("reply.md");
    let o = run(&[
        "review",
        &file,
        "--markdown",
        md.to_str().unwrap(),
        "--json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        err.contains("secret: reviews[0].step_notes.backup"),
        "{err}"
    );
    assert!(!out.contains(token) && !err.contains(token));
    assert!(out.is_empty());
    assert!(!md.exists());
    // `validate` names the review's field the same way.
    let o = run(&["validate", &file]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("reviews[0].step_notes.backup"), "{out}");
    assert!(!out.contains(token));
}

#[test]
fn outputs_that_would_destroy_something_and_unreadable_plans_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = save(
        dir.path(),
        "p.upgrade-plan.json",
        &load("assets/samples/single-node.upgrade-plan.json"),
    );
    let before = std::fs::read(&file).unwrap();
    let o = run(&["review", &file, "--markdown", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("names the plan being reviewed"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let same = dir.path().join("x");
    let o = run(&[
        "review",
        &file,
        "--markdown",
        same.to_str().unwrap(),
        "--pdf",
        same.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("named by both --markdown and --pdf"));
    let missing = dir.path().join("missing.upgrade-plan.json");
    let o = run(&["review", missing.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let (out, err) = text(&o);
    assert!(out.is_empty());
    assert!(
        err.contains("missing.upgrade-plan.json") && err.contains("cannot read"),
        "{err}"
    );
    let o = run(&["review", &file, "--json", "--today", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_plan_exports_say_which_revision_was_reviewed_and_what_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = reviewed(load("assets/samples/single-node.upgrade-plan.json"), |r| {
        r.verdict = Some(Open::Known(ReviewVerdict::NeedsInfo));
        r.reviewer = Some("Sam Support".into());
    });
    plan.revision += 1;
    plan.contact.as_mut().unwrap().name = Some("Night Owl".into());
    let file = save(dir.path(), "p.upgrade-plan.json", &plan);
    let pdf = dir.path().join("plan.pdf");
    let md = dir.path().join("plan.md");
    let o = run(&[
        "export",
        &file,
        "--pdf",
        pdf.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert!(pages[0].contains("Support review"), "{}", pages[0]);
    assert!(pages[0].contains("NEEDS INFO"));
    assert!(pages[0].contains("Revision 1 reviewed"));
    assert!(pages[0].contains("changed since review"));
    let all = pages.join("\n");
    assert!(all.contains("Changes since the reviewed revision"));
    assert!(all.contains("Night Owl"));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("| Support review | Revision 1 reviewed by Sam Support: Needs information · **changed since review** |"),
        "{text}"
    );
    assert!(
        text.contains("| Contact name | Zoë Müller-Łukasiewicz | Night Owl |"),
        "{text}"
    );

    // A plan never reviewed says so on its title page, and its Markdown has no review line.
    let never = save(
        dir.path(),
        "n.upgrade-plan.json",
        &load("assets/samples/single-node.upgrade-plan.json"),
    );
    let pdf2 = dir.path().join("n.pdf");
    let md2 = dir.path().join("n.md");
    let o = run(&[
        "export",
        &never,
        "--pdf",
        pdf2.to_str().unwrap(),
        "--markdown",
        md2.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let pages = pdf_pages(&std::fs::read(&pdf2).unwrap());
    assert!(pages[0].contains("not reviewed yet"));
    assert!(
        !pages
            .join("\n")
            .contains("Changes since the reviewed revision")
    );
    assert!(
        !std::fs::read_to_string(&md2)
            .unwrap()
            .contains("Support review")
    );
}

#[test]
fn diff_compares_answers_not_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let plan = load("assets/samples/single-node.upgrade-plan.json");
    let a = save(dir.path(), "a.upgrade-plan.json", &plan);
    let b = save(dir.path(), "b.upgrade-plan.json", &reviewed(plan, sam));
    let o = run(&["diff", &a, &b, "--today", TODAY]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("No changes."), "{out}");
}

#[test]
fn older_plans_open_unchanged_and_reviews_round_trip() {
    // A plan without `reviews` writes none back.
    let plan = load("assets/samples/multi-node-geo.upgrade-plan.json");
    assert!(plan.reviews.is_empty());
    assert!(!plan_file::to_json(&plan).contains("\"reviews\""));
    // A reviewed plan reads back equal, reviewed answers and all.
    let r = reviewed(plan, sam);
    let text = plan_file::to_json(&r);
    let back = plan_file::parse(Path::new("r.json"), text.as_bytes()).unwrap();
    assert_eq!(back, r);
    assert_eq!(plan_file::to_json(&back), text);
    assert!(!review::changed_since(&back, &back.reviews[0]));
}

#[test]
fn hostile_review_content_is_shown_as_text_and_never_acts() {
    let dir = tempfile::tempdir().unwrap();
    let file = manifest("tests/corpus/hostile/review-hostile.upgrade-plan.json");
    // Its first review is the hostile one; the second (the latest) is empty: read both.
    let mut first = plan_file::load(&file).unwrap();
    first.reviews.truncate(1);
    let one = save(dir.path(), "first.upgrade-plan.json", &first);
    for plan in [file.to_str().unwrap(), one.as_str()] {
        let md = dir.path().join("r.md");
        let pdf = dir.path().join("r.pdf");
        let o = run(&[
            "review",
            plan,
            "--markdown",
            md.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
            "--json",
            "--today",
            TODAY,
        ]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{plan}: {err}");
        let reply = std::fs::read_to_string(&md).unwrap();
        for (name, t) in [("markdown", &reply), ("json", &out), ("stderr", &err)] {
            assert!(
                !t.chars().any(
                    |c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)
                ),
                "{plan}: a raw control or bidirectional character in the {name}"
            );
        }
        let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
        assert_eq!(pages.len(), 1, "{plan}");
        let v: Value = serde_json::from_str(&out).unwrap();
        if plan == one {
            assert_eq!(v["verdict"], "escalate_to_the_moon");
            assert!(
                reply.contains("**Verdict: other: escalate_to_the_moon**"),
                "{reply}"
            );
            // Markdown in a note is shown, not rendered: no heading, table or HTML comes out.
            assert!(reply.contains("> \\# heading"), "{reply}");
            assert!(reply.contains("&lt;script&gt;"), "{reply}");
            assert!(reply.contains("\\| table \\| breaker \\|"), "{reply}");
            assert!(reply.contains("\\x1b"), "{reply}");
            assert!(reply.contains("\\u{202e}"), "{reply}");
            // The state a newer version wrote is shown as written, the step it has too.
            assert!(
                reply.contains("| Upgrade plan | • other: maybe_later |"),
                "{reply}"
            );
            assert!(reply.contains("#### launch pad"), "{reply}");
        }
    }
}
