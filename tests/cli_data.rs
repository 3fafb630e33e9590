//! `upgrade-planner data` and `data install`: what data is in use, and newer files checked
//! and installed atomically (or nothing installed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const RELEASES: &str = include_str!("../assets/data/releases.json");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("UPGRADE_PLANNER_DATA_DIR", dir)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// releases.json as a newer research would have it: retrieved later, 19.4.0 released.
fn newer_releases() -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(RELEASES).unwrap();
    v["retrieved_at"] = "2026-12-20".into();
    v["newest_known"] = serde_json::json!({"version": "19.4.0", "date": "2026-09-17"});
    v["latest_patch_per_minor"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"minor": "19.4", "version": "19.4.0", "date": "2026-09-17"}));
    v
}

fn write(dir: &Path, name: &str, v: &serde_json::Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn data_shows_what_is_in_use_and_where_newer_files_go() {
    let data = tempfile::tempdir().unwrap();
    let o = run(data.path(), &["data"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    for f in [
        "stops.json",
        "releases.json",
        "os.json",
        "requirements.json",
        "known_issues.json",
    ] {
        assert!(out.contains(&format!("{f}: ")), "sources of {f}: {out}");
    }
    assert!(out.contains("embedded"), "{out}");
    assert!(out.contains("releases up to 19.3.0"), "{out}");
    assert!(out.contains(&data.path().display().to_string()), "{out}");
    let o = run(data.path(), &["data", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["newest_known"], "19.3.0");
    assert_eq!(v["files"].as_array().unwrap().len(), 5);
    assert_eq!(v["files"][0]["origin"], "embedded");
}

#[test]
fn a_newer_file_is_installed_and_used() {
    let data = tempfile::tempdir().unwrap();
    let inbox = tempfile::tempdir().unwrap();
    let file = write(inbox.path(), "my-releases.json", &newer_releases());
    let o = run(data.path(), &["data", "install", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("installed releases.json (2026-12-20)"));
    assert!(data.path().join("releases.json").is_file());
    // The new release is known now: no "newer than the data" note on a path to it.
    let o = run(
        data.path(),
        &["path", "19.2.0", "19.4", "--json", "--today", "2026-10-01"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["to"], "19.4.0");
    assert!(
        !v["notes"]
            .to_string()
            .contains("newer than the GitLab data")
    );
    let o = run(data.path(), &["data"]);
    assert!(text(&o.stdout).contains(&data.path().join("releases.json").display().to_string()));
    // The same file again is not newer than the one in use now.
    let o = run(data.path(), &["data", "install", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not newer than the releases.json in use"));
}

#[test]
fn bad_files_are_refused_and_nothing_is_installed() {
    let data = tempfile::tempdir().unwrap();
    let inbox = tempfile::tempdir().unwrap();
    let good = write(inbox.path(), "good.json", &newer_releases());
    let broken = inbox.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"kind\": \"stops\",\n  oops\n}").unwrap();
    let mut old = newer_releases();
    old["retrieved_at"] = "2026-01-01".into();
    let old = write(inbox.path(), "old.json", &old);
    let mut wrong = newer_releases();
    wrong["latest_patch_per_minor"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"minor": "19.4", "version": "18.4.1", "date": "2026-09-17"}));
    let wrong = write(inbox.path(), "wrong.json", &wrong);
    let mut backwards = newer_releases();
    backwards["newest_known"] = serde_json::json!({"version": "18.0.0", "date": "2025-05-15"});
    backwards["latest_patch_per_minor"] = serde_json::json!([]);
    let backwards = write(inbox.path(), "backwards.json", &backwards);
    let unknown = write(
        inbox.path(),
        "unknown.json",
        &serde_json::json!({"kind": "plan"}),
    );
    for (files, needle) in [
        (vec![broken.to_str().unwrap(), good.as_str()], "line 3"),
        (vec![good.as_str(), old.as_str()], "a second releases.json"),
        (
            vec![old.as_str()],
            "is not newer than the releases.json in use",
        ),
        (vec![wrong.as_str()], "not a version of minor `19.4`"),
        (vec![backwards.as_str()], "older than the 19.3.0"),
        (vec![unknown.as_str()], "unknown kind of data `plan`"),
    ] {
        let mut args = vec!["data", "install"];
        args.extend(files.iter().copied());
        let o = run(data.path(), &args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{files:?}: {err}");
        assert!(err.contains(needle), "{files:?}: {err}");
        assert!(err.contains("nothing was installed"), "{err}");
        assert_eq!(
            std::fs::read_dir(data.path()).unwrap().count(),
            0,
            "{files:?}"
        );
    }
}
