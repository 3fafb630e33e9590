//! Peak memory of the command line on big files: at most ten times the file's size plus
//! 50 MB, measured as GNU time's maximum resident set size (`/usr/bin/time -v`; on Debian the
//! `time` package). The figures are printed (`cargo test --test memory_bounds -- --nocapture`).
//!
//! The files: the hostile one that used to take 690 MB (a compact 7.8 MB plan that is one long
//! list of zeros: refused now before it is parsed), a 7.8 MB plan of long answers (accepted:
//! validated and exported), and small plans just under the limits on the number of values and
//! of lists and objects (where the cost per value shows most).
//!
//! Memory, not time, is asserted: the figures do not depend on the machine's load.

#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const TIME: &str = "/usr/bin/time";
const MB: u64 = 1024 * 1024;
/// What a debug build's unoptimised code adds to every run: the PDF export of the multi-node
/// sample peaks at 30 MB with a release binary and 52 MB with the debug binary `cargo test`
/// builds (measured with GNU time). The budget is the (ten times the size plus 50 MB) for a release build; a
/// debug build gets this much more, so that the test measures what the file costs, not the
/// build profile.
const DEBUG_FLOOR: u64 = if cfg!(debug_assertions) { 10 * MB } else { 0 };
/// The size of the hostile plan of the issue: 7.8 MB.
const SIZE: usize = 78 * 1024 * 1024 / 10;

struct Measured {
    code: i32,
    peak_bytes: u64,
    stderr: String,
}

/// Run the tool under GNU time and read its maximum resident set size.
fn measure(args: &[&str]) -> Measured {
    assert!(
        Path::new(TIME).exists(),
        "{TIME} is needed to measure peak memory (Debian/Ubuntu: apt-get install time)"
    );
    let out = Command::new(TIME)
        .arg("-v")
        .arg(BIN)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .env(
            "UPGRADE_PLANNER_DATA_DIR",
            "/nonexistent/upgrade-planner-data",
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let kb: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maximum resident set size in: {stderr}"));
    Measured {
        code: out.status.code().unwrap(),
        peak_bytes: kb * 1024,
        stderr,
    }
}

fn sample() -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `value` as compact JSON, padded with spaces to `size` bytes, in `dir/name`.
fn write_compact(dir: &Path, name: &str, value: &serde_json::Value, size: usize) -> PathBuf {
    let mut text = serde_json::to_string(value).unwrap();
    assert!(text.len() <= size, "{name}: {} bytes", text.len());
    text.push_str(&" ".repeat(size - text.len()));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Run every command on `plan` and check its peak against the budget.
fn check(plan: &Path, expect_code: &[i32], runs: &[&[&str]], failures: &mut Vec<String>) {
    let size = std::fs::metadata(plan).unwrap().len();
    let budget = 10 * size + 50 * MB + DEBUG_FLOOR;
    for extra in runs {
        let mut args: Vec<&str> = vec![extra[0], plan.to_str().unwrap()];
        args.extend(&extra[1..]);
        let m = measure(&args);
        let name = plan.file_name().unwrap().to_string_lossy();
        println!(
            "{name} ({:.1} MB) {}: exit {}, peak {:.1} MB (budget {:.1} MB)",
            size as f64 / MB as f64,
            extra.join(" "),
            m.code,
            m.peak_bytes as f64 / MB as f64,
            budget as f64 / MB as f64
        );
        if !expect_code.contains(&m.code) {
            failures.push(format!("{name} {extra:?}: exit {}: {}", m.code, m.stderr));
        }
        if m.peak_bytes > budget {
            failures.push(format!(
                "{name} {extra:?}: peak {} bytes over the budget of {budget}",
                m.peak_bytes
            ));
        }
    }
}

#[test]
fn peak_memory_stays_within_ten_times_the_file_plus_50_mb() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let json = format!("{}.json", out.display());
    let md = format!("{}.md", out.display());
    let validate: &[&str] = &["validate", "--today", "2026-11-21"];
    let export: &[&str] = &[
        "export",
        "--json",
        &json,
        "--markdown",
        &md,
        "--draft",
        "--today",
        "2026-11-21",
    ];
    let mut failures = Vec::new();

    // The hostile plan: 3.9 million zeros in an unknown key.
    let mut zeros = sample();
    zeros["x_zeros"] = serde_json::json!(vec![0; (SIZE - 4000) / 2]);
    let zeros = write_compact(dir.path(), "zeros.json", &zeros, SIZE);
    check(&zeros, &[2], &[validate, export], &mut failures);

    // The biggest accepted plan: 77 answers of 100,000 characters in unknown keys.
    let mut answers = sample();
    let sentence = "Rails nodes 1 to 6 run Puma behind HAProxy; Sidekiq runs apart. ";
    for i in 0..77 {
        let text: String = sentence.chars().cycle().take(100_000).collect();
        answers[format!("x_answer_{i}")] = text.into();
    }
    let answers = write_compact(dir.path(), "answers.json", &answers, SIZE);
    check(&answers, &[0, 1], &[validate, export], &mut failures);

    // Just under the limits on values and on lists and objects: the overhead of each, on
    // small files.
    let mut values = sample();
    values["x_values"] = serde_json::json!(vec![1; 19_900]);
    let values = write_compact(dir.path(), "values.json", &values, 45_000);
    check(&values, &[0, 1], &[validate, export], &mut failures);
    let mut objects = sample();
    objects["x_objects"] = serde_json::json!(vec![serde_json::json!({"a": [0]}); 2_450]);
    let objects = write_compact(dir.path(), "objects.json", &objects, 30_000);
    check(&objects, &[0, 1], &[validate, export], &mut failures);

    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The PDF of a plan whose answers fill the size limit would run to thousands of pages: it is
/// refused once the layout passes the page limit (exit 2, nothing written), within the same
/// memory budget, while the Markdown of the same plan is written whole.
#[test]
fn a_pdf_too_long_to_print_is_refused_within_the_memory_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/samples/multi-node-geo.upgrade-plan.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let sentence = "Rails nodes 1 to 6 run Puma behind HAProxy; Sidekiq runs apart. ";
    let long: String = sentence.chars().cycle().take(100_000).collect();
    for (section, key) in [
        ("notes", "unique_setup"),
        ("notes", "current_known_issues"),
        ("rollback", "trigger"),
        ("backup", "test_environment"),
    ] {
        plan[section][key] = long.clone().into();
    }
    let site = plan["geo"]["secondaries"][0].clone();
    let sites: Vec<serde_json::Value> = (0..30)
        .map(|_| {
            let mut s = site.clone();
            s["name"] = long.clone().into();
            s["location"] = long.clone().into();
            s
        })
        .collect();
    plan["geo"]["secondaries"] = sites.into();
    let path = write_compact(dir.path(), "long.json", &plan, 6_500_000);
    let pdf = dir.path().join("long.pdf");
    let md = dir.path().join("long.md");
    let mut failures = Vec::new();
    let pdf_args: &[&str] = &["export", "--pdf", pdf.to_str().unwrap(), "--draft"];
    check(&path, &[2], &[pdf_args], &mut failures);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(!pdf.exists(), "nothing is written");
    let m = measure(&[
        "export",
        path.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--draft",
    ]);
    assert!(m.stderr.contains("more than 600 pages"), "{}", m.stderr);
    let md_args: &[&str] = &["export", "--markdown", md.to_str().unwrap(), "--draft"];
    check(&path, &[0], &[md_args], &mut failures);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(std::fs::metadata(&md).unwrap().len() > 5_000_000);
}
