//! Hostile plan files through the command line: every case gets a clear message (the file,
//! what is wrong, where) and exit 2 — or exit 1 with findings when the file parses but an
//! answer is wrong — and never a panic, a hang or a stack overflow.
//!
//! The committed cases are in `tests/corpus/hostile/` (its README lists them); the big ones
//! and the ones that are not regular files are generated here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What `validate` must answer for a case.
struct Expect {
    code: i32,
    /// Fragments the message (stderr for exit 2, stdout for findings) must contain.
    says: &'static [&'static str],
}

const fn refused(says: &'static [&'static str]) -> Expect {
    Expect { code: 2, says }
}

/// The committed corpus, by file name (without `.upgrade-plan.json`).
fn committed_expectation(case: &str) -> Expect {
    match case {
        "truncated" => refused(&["line 7, column", "EOF", "looks truncated"]),
        "wrong-type" => refused(&["`revision`", "line 4, column", "expected u32"]),
        "wrong-type-nested" => refused(&["`topology.nodes[1].count`", "line 8", "\"three\""]),
        // A value a closed list does not know is kept, with a warning; the file's other
        // answers are missing (exit 1 from those).
        "unknown-enum" => Expect {
            code: 1,
            says: &[
                "warning: install.method [Installation] `carrier_pigeon` is not a value this version of Upgrade Planner knows (a newer version may); it is kept as it is.",
            ],
        },
        "unknown-values" => Expect {
            code: 0,
            says: &[
                "warning: topology.nodes[1].role [Topology] `pages` is not a value",
                "warning: topology.nodes[1].additional_roles[0]",
                "warning: geo.secondaries[0].kind",
                "0 error(s), 10 warning(s)",
            ],
        },
        "enum-not-a-string" => refused(&["`install.method`", "integer `42`", "line 4"]),
        "negative-count" => refused(&["`topology.nodes[0].count`", "`-3`", "line 6"]),
        "negative-hours" => Expect {
            code: 1,
            says: &["windows[0].duration_hours", "error"],
        },
        "binary-junk" => refused(&["not UTF-8", "offset 0"]),
        "nul-bytes" => refused(&["NUL byte at offset", "UTF-16"]),
        "utf8-bom" | "utf16le-bom" | "utf16be-bom" => Expect {
            code: 0,
            says: &["path 17.8.7", "0 error(s)"],
        },
        "utf16le-no-bom" => refused(&["NUL byte at offset 1", "without a byte-order mark"]),
        "empty" | "whitespace-only" => refused(&["the file is empty"]),
        "newer-schema" => refused(&["version 99", "reads up to version 2", "newer"]),
        "nan" => refused(&["line 4, column 33", "not valid JSON: expected value"]),
        "infinity" => refused(&["line 4, column 35", "not valid JSON: expected value"]),
        "number-out-of-range" => refused(&["line 4, column", "number out of range"]),
        "revision-too-big" => refused(&["`revision`", "line 4"]),
        "top-level-array" => refused(&["not a plan file", "an array, not an object"]),
        "not-a-plan" => refused(&["not a plan file", "format"]),
        "wrong-format" => refused(&["not a plan file", "gitlab-upgrade-plan-v9"]),
        "schema-version-string" => refused(&["`schema_version`", "whole number"]),
        "duplicate-key" => refused(&["(top level)", "duplicate field `contact`", "line 5"]),
        "lone-surrogate" => refused(&["hex escape", "line 4, column 44"]),
        "trailing-garbage" => refused(&["trailing characters", "line 6"]),
        "control-character" => refused(&["control character", "line 4"]),
        "run-wrong-type" => refused(&["`runs[0].events`", "line 5", "expected a sequence"]),
        // Reviews: their content is kept whatever it says (a verdict, a checklist state or a
        // step a newer version has; escapes and bidirectional controls; reviewed answers
        // that no longer read as a plan); wrong types are refused like any other.
        "review-hostile" => Expect {
            code: 0,
            says: &["0 error(s), 0 warning(s)"],
        },
        "review-secret" => Expect {
            code: 1,
            says: &[
                "error: reviews[0].step_notes.backup [Review and export] This field contains what looks like a secret (GitLab personal access token).",
            ],
        },
        "review-wrong-type" => refused(&[
            "`reviews[0].reviewed_revision`",
            "\"three\"",
            "line 5, column 34",
        ]),
        "review-verdict-not-a-string" => {
            refused(&["`reviews[0].verdict`", "integer `1`", "line 5, column 42"])
        }
        "reviews-not-a-list" => refused(&["`reviews`", "expected a sequence", "line 4"]),
        other => panic!(
            "tests/corpus/hostile/{other}.upgrade-plan.json has no expectation here; add it (and to the README)"
        ),
    }
}

fn generated_expectation(case: &str) -> Expect {
    match case {
        "huge-30mb" => refused(&["30.0 MB", "at most 8.0 MB", "not a plan"]),
        "long-text" => refused(&[
            "`notes.unique_setup`",
            "1000000 characters",
            "at most 100000",
        ]),
        "deep-arrays" | "deep-objects" => refused(&["recursion limit exceeded", "line 4"]),
        "directory" => refused(&["it is a directory"]),
        "missing" => refused(&["cannot read the file", "No such file"]),
        "through-a-file" => refused(&["cannot read the file", "Not a directory"]),
        "fifo" => refused(&["a named pipe, not a regular file"]),
        "unreadable-proc-mem" => refused(&["cannot read the file", "Input/output error"]),
        "no-permission" => refused(&["cannot read the file", "Permission denied"]),
        other => panic!("generated case {other} has no expectation"),
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `upgrade-planner validate FILE`, killed (and failed) if it takes more than a minute.
fn validate(file: &Path) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_upgrade-planner"))
        .args(["validate", "--today", "2026-11-21"])
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{}: validate hung (killed after 60 s)", file.display());
        }
    };
    Run {
        code: out.status.code().unwrap_or_else(|| {
            panic!(
                "{}: validate died from a signal: {:?} (stack overflow?)\n{}",
                file.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        }),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(case: &str, file: &Path, expect: &Expect, failures: &mut Vec<String>) {
    let run = validate(file);
    let mut wrong = Vec::new();
    if run.stderr.contains("panicked") || run.stderr.contains("overflow") {
        wrong.push("it panicked".to_string());
    }
    if run.code != expect.code {
        wrong.push(format!("exit {} instead of {}", run.code, expect.code));
    }
    let message = if expect.code == 2 {
        &run.stderr
    } else {
        &run.stdout
    };
    let name = file.file_name().unwrap().to_string_lossy();
    // The fragments are looked for in the message without the file's path (a case's name
    // must not satisfy its own check).
    let without_path = message.replace(&file.display().to_string(), "FILE");
    if expect.code == 2 {
        if !message.contains(&*name) {
            wrong.push(format!("the message does not name the file {name}"));
        }
        if message.lines().count() != 1 {
            wrong.push("the message is not one line".into());
        }
        if !run.stdout.is_empty() {
            wrong.push("something was printed on stdout".into());
        }
    }
    for says in expect.says {
        if !without_path.contains(says) {
            wrong.push(format!("the message lacks {says:?}"));
        }
    }
    if !wrong.is_empty() {
        failures.push(format!(
            "{case}: {}\n    stdout: {}\n    stderr: {}",
            wrong.join("; "),
            run.stdout.trim_end(),
            run.stderr.trim_end()
        ));
    }
}

#[test]
fn every_committed_case_gets_a_clear_answer() {
    let files = hostile::committed();
    assert!(files.len() >= 25, "corpus: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        let case = name.trim_end_matches(".upgrade-plan.json");
        check(case, file, &committed_expectation(case), &mut failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_generated_case_gets_a_clear_answer() {
    let dir = tempfile::tempdir().unwrap();
    let cases = hostile::generated(dir.path());
    let mut failures = Vec::new();
    for (case, file) in &cases {
        check(case, file, &generated_expectation(case), &mut failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // Unreadable files are covered whoever runs the tests.
    assert!(
        cases
            .iter()
            .any(|(c, _)| *c == "no-permission" || *c == "unreadable-proc-mem"),
        "no unreadable case ran"
    );
}

#[test]
fn utf16_and_bom_files_read_exactly_like_the_plain_sample() {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json");
    let plain = validate(&sample);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let expected = plain.stdout.replace(&sample.display().to_string(), "FILE");
    for name in ["utf8-bom", "utf16le-bom", "utf16be-bom"] {
        let file: PathBuf = hostile::corpus_dir().join(format!("{name}.upgrade-plan.json"));
        let run = validate(&file);
        assert_eq!(
            run.stdout.replace(&file.display().to_string(), "FILE"),
            expected,
            "{name}"
        );
    }
}

#[test]
fn the_corpus_readme_lists_every_committed_case() {
    let readme = std::fs::read_to_string(hostile::corpus_dir().join("README.md")).unwrap();
    for file in hostile::committed() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not list {name}"
        );
    }
}
