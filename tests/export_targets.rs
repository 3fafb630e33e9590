//! Where `export` writes: never over the plan it exports, never one file twice, never onto
//! what is not a regular file (each refused with exit 2 and nothing written), through a
//! symbolic link to a regular file, and never over a plan without keeping it as `.bak`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn export(args: &[&Path]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("export")
        .args(args)
        .args(["--draft", "--today", "2026-11-21"]);
    cmd.env("SOURCE_DATE_EPOCH", "1795000000").env(
        "UPGRADE_PLANNER_DATA_DIR",
        "/nonexistent/upgrade-planner-data",
    );
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A copy of the single-node sample in `dir`.
fn plan_in(dir: &Path) -> PathBuf {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json");
    let plan = dir.join("plan.upgrade-plan.json");
    std::fs::copy(sample, &plan).unwrap();
    plan
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Exit 2, a one-line reason per problem on stderr that contains `says`, nothing on stdout.
fn assert_refused(run: &Run, says: &str) {
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(says), "{says:?} not in {}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn the_plan_is_never_its_own_export() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let before = std::fs::read(&plan).unwrap();
    let dotted = dir.path().join(".").join("plan.upgrade-plan.json");
    for (flag, out) in [("--json", &plan), ("--pdf", &plan), ("--markdown", &dotted)] {
        let run = export(&[&plan, Path::new(flag), out, Path::new("--redact-hosts")]);
        assert_refused(&run, "names the plan being exported");
        assert_eq!(
            std::fs::read(&plan).unwrap(),
            before,
            "{flag}: the plan changed"
        );
    }
    assert_eq!(names(dir.path()), ["plan.upgrade-plan.json"]);
}

#[cfg(unix)]
#[test]
fn a_link_to_the_plan_is_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let before = std::fs::read(&plan).unwrap();
    let soft = dir.path().join("soft.json");
    let hard = dir.path().join("hard.json");
    std::os::unix::fs::symlink(&plan, &soft).unwrap();
    std::fs::hard_link(&plan, &hard).unwrap();
    for out in [&soft, &hard] {
        let run = export(&[&plan, Path::new("--json"), out]);
        assert_refused(&run, "names the plan being exported");
    }
    assert_eq!(std::fs::read(&plan).unwrap(), before);
}

#[test]
fn one_file_named_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let out = dir.path().join("out.txt");
    let run = export(&[
        &plan,
        Path::new("--pdf"),
        &out,
        Path::new("--markdown"),
        &out,
    ]);
    assert_refused(&run, "named by both --pdf and --markdown");
    assert!(!out.exists(), "something was written");
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let sub = dir.path().join("exports");
    std::fs::create_dir(&sub).unwrap();
    let run = export(&[&plan, Path::new("--markdown"), &sub]);
    assert_refused(&run, "it is a directory");
    assert!(sub.is_dir());
    assert!(std::fs::read_dir(&sub).unwrap().next().is_none());
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_and_links_to_them_are_refused() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Nobody reads the FIFO: an export that opened it for writing would hang, not exit 2.
    let run = export(&[&plan, Path::new("--markdown"), &fifo]);
    assert_refused(&run, "a named pipe");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    let null = Path::new("/dev/null");
    let run = export(&[&plan, Path::new("--pdf"), null]);
    assert_refused(&run, "a device");
    assert!(
        std::fs::metadata(null)
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let to_null = dir.path().join("to-null");
    std::os::unix::fs::symlink(null, &to_null).unwrap();
    let run = export(&[&plan, Path::new("--json"), &to_null]);
    assert_refused(&run, "a symbolic link to a device");
    assert!(
        std::fs::symlink_metadata(&to_null)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    let run = export(&[&plan, Path::new("--markdown"), &dangling]);
    assert_refused(&run, "a symbolic link to a file that does not exist");
    assert!(!dir.path().join("nowhere").exists());
}

#[cfg(unix)]
#[test]
fn a_link_to_a_regular_file_is_followed_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let target = dir.path().join("summary.md");
    std::fs::write(&target, "old summary\n").unwrap();
    let link = dir.path().join("latest.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = export(&[&plan, Path::new("--markdown"), &link]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with('#'), "the target was not written: {text}");
}

#[test]
fn a_plan_file_replaced_by_an_export_is_kept_as_bak() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    // Another plan where the JSON export goes, and one where the PDF goes by mistake.
    let other = dir.path().join("other.upgrade-plan.json");
    let mistaken = dir.path().join("mistaken.upgrade-plan.json");
    std::fs::copy(&plan, &other).unwrap();
    std::fs::copy(&plan, &mistaken).unwrap();
    let original = std::fs::read(&plan).unwrap();
    let run = export(&[
        &plan,
        Path::new("--json"),
        &other,
        Path::new("--pdf"),
        &mistaken,
        Path::new("--redact-hosts"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in [&other, &mistaken] {
        let bak = upgrade_planner::plan_file::backup_path(f);
        assert_eq!(std::fs::read(&bak).unwrap(), original, "{}", bak.display());
    }
    assert!(std::fs::read(&mistaken).unwrap().starts_with(b"%PDF-"));
    // A Markdown export over an earlier Markdown export keeps no .bak: it is not a plan.
    let md = dir.path().join("summary.md");
    for _ in 0..2 {
        let run = export(&[&plan, Path::new("--markdown"), &md]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(!upgrade_planner::plan_file::backup_path(&md).exists());
}

#[test]
fn a_plan_that_would_not_reopen_is_not_exported() {
    // A compact plan under the size limit that grows over it when written pretty: 19,000
    // numbers 120 levels deep, each on its own line behind 240 spaces, and long answers.
    let dir = tempfile::tempdir().unwrap();
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    let mut deep = serde_json::json!(vec![0; 19_000]);
    for _ in 0..120 {
        deep = serde_json::json!({ "a": deep });
    }
    value["x_deep"] = deep;
    for i in 0..45 {
        value[format!("x_note_{i}")] = "the same long answer, ".repeat(4_500).into();
    }
    let compact = serde_json::to_string(&value).unwrap();
    let limit = upgrade_planner::plan_file::MAX_PLAN_BYTES as usize;
    assert!(compact.len() < limit, "{}", compact.len());
    assert!(serde_json::to_string_pretty(&value).unwrap().len() > limit);
    let plan = dir.path().join("compact.upgrade-plan.json");
    std::fs::write(&plan, &compact).unwrap();
    let out = dir.path().join("out.json");
    let md = dir.path().join("out.md");
    let run = export(&[
        &plan,
        Path::new("--markdown"),
        &md,
        Path::new("--json"),
        &out,
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("nothing was written") && run.stderr.contains("over the 8.0 MB"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("out.json"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!out.exists() && !md.exists(), "an output was written");
}
