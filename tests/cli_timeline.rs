//! The timeline on the command line: dependency steps on the path (`path --postgresql …`),
//! validation of the steps a plan schedules, and plan files of version 1 brought to version 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const WALKTHROUGH: &str = "tests/fixtures/walkthrough-rds.upgrade-plan.json";

fn run(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The dependency steps of `path --json` as (kind, to, after, earliest, latest).
fn steps(v: &Value, kind: &str) -> Vec<(String, String, String, String)> {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .map(|s| {
            let f = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            (f("to"), f("after"), f("earliest"), f("latest"))
        })
        .collect()
}

#[test]
fn path_places_the_postgresql_upgrades_of_an_rds_database_within_their_ranges() {
    let o = run(&[
        "path",
        "16.8.3",
        "19.3",
        "--postgresql",
        "14.10",
        "--postgresql-mode",
        "external",
        "--redis",
        "7.0",
        "--os",
        "rhel:8",
        "--json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Today's keys stay.
    assert!(v["hops"].as_array().unwrap().len() >= 10);
    // 14.14 or newer from 17.0, 16.5 or newer from 18.0, 17 from 19.0; the step to 16 valid
    // from 16.10 to 17.11, the step to 17 from 17.10 to 18.11.
    let pg = steps(&v, "postgresql");
    assert_eq!(
        pg,
        vec![
            ("16".into(), "16.11".into(), "16.10".into(), "17.11".into()),
            ("17".into(), "18.11".into(), "17.10".into(), "18.11".into()),
        ]
    );
    // Redis 7.0 and RHEL 8 fit every hop: no steps for them.
    assert!(steps(&v, "redis").is_empty());
    assert!(steps(&v, "os").is_empty());
    // The steps sit between the hops, in order: gitlab 16.11, then the database step.
    let kinds: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    let first_pg = kinds.iter().position(|k| *k == "postgresql").unwrap();
    assert_eq!(v["steps"][first_pg - 1]["version"], "16.11.10");
}

#[test]
fn path_without_dependencies_prints_what_it_did_before() {
    let o = run(&["path", "16.8.3", "19.3", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v.get("steps").is_none());
    assert!(v["hops"].is_array());
}

#[test]
fn validate_accepts_the_planned_steps_and_names_each_missing_one() {
    let o = run(&["validate", WALKTHROUGH, "--today", "2026-11-21"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("PostgreSQL 14.10"), "{out}");

    // The same plan without its two PostgreSQL upgrades: one error per missing step.
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(WALKTHROUGH))
            .unwrap();
    let mut plan: Value = serde_json::from_str(&text).unwrap();
    plan["dependency_upgrades"] = Value::Array(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-steps.upgrade-plan.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let o = run(&[
        "validate",
        file.to_str().unwrap(),
        "--today",
        "2026-11-21",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let missing: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "dependency_range")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(missing[0].contains("16.10 to 17.11"), "{}", missing[0]);
    assert!(missing[1].contains("17.10 to 18.11"), "{}", missing[1]);
}

#[test]
fn a_version_1_plan_opens_migrated_and_is_written_as_version_2() {
    let v1 = r#"{
  "format": "gitlab-upgrade-plan",
  "schema_version": 1,
  "plan_id": "v1",
  "window": { "start": "2026-12-12T20:00", "time_zone": "Europe/Berlin", "duration_hours": 8 },
  "versions": { "current": "17.8.7", "target": "18.2", "edition": "ee" },
  "custom_key": "kept"
}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.upgrade-plan.json");
    std::fs::write(&file, v1).unwrap();
    let out = dir.path().join("new.upgrade-plan.json");
    let o = run(&[
        "export",
        file.to_str().unwrap(),
        "--json",
        out.to_str().unwrap(),
        "--draft",
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert!(v.get("window").is_none());
    assert_eq!(v["windows"][0]["duration_hours"], 8);
    assert_eq!(v["windows"].as_array().unwrap().len(), 1);
    assert_eq!(v["custom_key"], "kept");
}
