//! The release calendar on the command line: versions that cannot exist are refused, versions
//! newer than the data are accepted as unverified, and old data says what it misses
//! (`--today` fixes the day).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");

fn run(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn impossible_versions_exit_2_naming_the_last_known_minor() {
    for (args, needle) in [
        (&["path", "16.99.1", "17.0"][..], "GitLab 16 ended at 16.11"),
        (&["path", "16.3.4", "16.99"][..], "GitLab 16 ended at 16.11"),
        (
            &["path", "15.12.0", "16.11"][..],
            "GitLab 15 ended at 15.11",
        ),
        (
            &["path", "18.11.3", "20.0", "--today", "2026-12-01"][..],
            "due on 2027-05-20",
        ),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(
            err.contains("cannot exist") && err.contains(needle),
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_newest_version_in_the_data_says_what_the_calendar_expects() {
    let o = run(&["path", "19.3.0", "--today", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("19.3.0 is the newest release in the GitLab data"),
        "{err}"
    );
    assert!(err.contains("19.4, 19.5 (a required stop), 19.6"), "{err}");
    assert!(err.contains("upgrade-planner path 19.3.0 19.6"), "{err}");

    // The suggested command works: 19.5 is on the way (a scheduled stop, unverified).
    let o = run(&["path", "19.3.0", "19.6", "--today", "2026-12-01", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hops: Vec<&str> = v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["minor"].as_str().unwrap())
        .collect();
    assert_eq!(hops, ["19.5", "19.6"]);
    assert_eq!(v["hops"][0]["verified"], false);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("19.6 is newer than the GitLab data"),
        "{notes}"
    );
    assert!(v["data_stale"].as_str().unwrap().contains("103 days old"));
}

#[test]
fn no_target_names_the_newest_version_and_its_date() {
    let o = run(&["path", "16.8.3", "--today", "2026-09-01"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.contains("No target was given: the target is 19.3.0")
            && out.contains("(released 2026-08-20)"),
        "{out}"
    );
    // 12 days after the data's newest release nothing is stale yet.
    assert!(!out.contains("days old"), "{out}");
}

#[test]
fn version_reports_how_old_the_data_is() {
    let o = run(&["--version", "--today", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(out.starts_with(&format!("upgrade-planner {}", env!("CARGO_PKG_VERSION"))));
    assert!(out.contains("103 days old on 2026-12-01"), "{out}");
    assert!(out.contains("19.5 (a required stop)"), "{out}");
    let o = run(&["--version", "--today", "2026-09-01"]);
    assert!(!text(&o.stdout).contains("days old"));
    let o = run(&["--version", "--today", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("not a date"));
}

#[test]
fn validate_and_export_carry_the_staleness() {
    let plan = "assets/samples/single-node.upgrade-plan.json";
    let o = run(&["validate", plan, "--today", "2026-12-01"]);
    let out = text(&o.stdout);
    assert!(out.contains("103 days old"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("plan.md");
    let o = run(&[
        "export",
        plan,
        "--markdown",
        md.to_str().unwrap(),
        "--today",
        "2026-12-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("103 days old") && md.contains("UNVERIFIED"),
        "{md}"
    );
}
