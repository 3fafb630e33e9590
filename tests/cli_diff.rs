//! `upgrade-planner diff OLD NEW`: every changed answer by its wizard label, the path change,
//! findings new and resolved, known issues; also the same plan under two data versions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const SAMPLE: &str = include_str!("../assets/samples/multi-node-geo.upgrade-plan.json");
const KNOWN_ISSUES: &str = include_str!("../assets/data/known_issues.json");

fn run(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

fn diff_json(a: &str, b: &str, extra: &[&str]) -> Value {
    let mut args = vec!["diff", a, b, "--json", "--today", "2026-11-21"];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn one_changed_answer_is_listed_by_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_str(SAMPLE).unwrap();
    let a = write(dir.path(), "a.json", &base);
    let cases: [(&str, Value, &str, &str); 4] = [
        (
            "/topology/postgresql/version",
            json!("16.4"),
            "topology.postgresql.version",
            "14.11",
        ),
        ("/versions/target", json!("18.8"), "versions.target", "18.5"),
        (
            "/rollback/duration_hours",
            json!(6),
            "rollback.duration_hours",
            "4",
        ),
        (
            "/contact/email",
            json!("ops@example.org"),
            "contact.email",
            "",
        ),
    ];
    for (pointer, value, field, old) in cases {
        let mut changed = base.clone();
        *changed.pointer_mut(pointer).unwrap() = value.clone();
        changed["revision"] = json!(7); // bookkeeping is not an answer
        let b = write(dir.path(), "b.json", &changed);
        let d = diff_json(&a, &b, &[]);
        let answers = d["answers"].as_array().unwrap();
        assert_eq!(answers.len(), 1, "{pointer}: {answers:?}");
        assert_eq!(answers[0]["field"], field);
        let label = answers[0]["label"].as_str().unwrap();
        assert!(
            !label.contains('.') && !label.is_empty(),
            "{field}: label {label}"
        );
        if !old.is_empty() {
            assert_eq!(answers[0]["old"], old);
        }
        let new = match &value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(answers[0]["new"], new.as_str());
        assert_eq!(d["new_revision"], 7);
    }
}

#[test]
fn path_and_findings_changes_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_str(SAMPLE).unwrap();
    let a = write(dir.path(), "a.json", &base);
    let mut changed = base.clone();
    changed["versions"]["target"] = json!("18.11");
    changed["rollback"]["trigger"] = Value::Null;
    let b = write(dir.path(), "b.json", &changed);
    let d = diff_json(&a, &b, &[]);
    assert_ne!(d["old_path"], d["new_path"]);
    assert!(d["new_path"].to_string().contains("18.11."));
    let new: Vec<&str> = d["findings_new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(new.contains(&"rollback.trigger"), "{new:?}");
    // The other way round, the same finding is resolved.
    let d = diff_json(&b, &a, &[]);
    let resolved: Vec<&str> = d["findings_resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(resolved.contains(&"rollback.trigger"), "{resolved:?}");
    // Text output names the label, not only the field.
    let o = run(&["diff", &a, &b, "--today", "2026-11-21"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Path changed:"), "{out}");
    assert!(
        out.contains("New findings:") && out.contains("Resolved findings:"),
        "{out}"
    );
    assert!(
        out.contains("~ Target GitLab version: 18.5 -> 18.11"),
        "{out}"
    );
}

#[test]
fn the_same_plan_under_newer_data_shows_the_new_known_issue() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", &serde_json::from_str(SAMPLE).unwrap());
    // A newer known_issues.json with one more issue on this plan's path.
    let newer = tempfile::tempdir().unwrap();
    let mut ki: Value = serde_json::from_str(KNOWN_ISSUES).unwrap();
    ki["retrieved_at"] = json!("2026-12-20");
    let mut issue = ki["items"][0].clone();
    for (k, v) in [
        ("id", json!("gl18-new-test-issue")),
        ("affects", json!([">=18.0.0"])),
        ("match", json!("cross")),
        ("geo", Value::Null),
        ("install_methods", json!([])),
        ("topology", Value::Null),
        ("components", json!([])),
        ("condition", Value::Null),
    ] {
        issue[k] = v;
    }
    issue.as_object_mut().unwrap().remove("requires");
    ki["items"].as_array_mut().unwrap().push(issue);
    write(newer.path(), "known_issues.json", &ki);
    let d = diff_json(&a, &a, &["--new-data", newer.path().to_str().unwrap()]);
    assert_eq!(d["answers"].as_array().unwrap().len(), 0);
    assert_eq!(d["issues_new"], json!(["gl18-new-test-issue"]));
    assert_eq!(d["new_data_date"], "2026-12-20");
    // Unchanged plan and data: nothing to say.
    let o = run(&["diff", &a, &a, "--today", "2026-11-21"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("No changes."));
    // A missing plan is an input error.
    let o = run(&["diff", &a, "/nonexistent/plan.json"]);
    assert_eq!(o.status.code(), Some(2));
}
