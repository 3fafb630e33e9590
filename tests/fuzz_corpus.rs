//! Runs the fuzzers' committed seed corpora (`fuzz/corpus/<target>/`) and every crash
//! reproducer the fuzzers found (`tests/fuzz_regressions/<target>/`) through the same checks the
//! fuzz targets run (`upgrade_planner::fuzz_harness`). Fuzzing itself runs outside CI; see the
//! README, "Fuzzing".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use upgrade_planner::fuzz_harness;

fn files_in(rel: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// Run `check` over every seed and reproducer of `target`; fail with the list of files that
/// panicked. `min_seeds` keeps the test from passing on an empty or missing corpus.
fn run(target: &str, min_seeds: usize, check: fn(&[u8])) {
    let seeds = files_in(&format!("fuzz/corpus/{target}"));
    assert!(
        seeds.len() >= min_seeds,
        "fuzz/corpus/{target} has {} files, expected at least {min_seeds}",
        seeds.len()
    );
    let regressions = files_in(&format!("tests/fuzz_regressions/{target}"));
    let mut failed = Vec::new();
    for file in seeds.iter().chain(&regressions) {
        let data = std::fs::read(file).unwrap();
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs failed the fuzz checks (see the panic messages above): {failed:#?}",
        failed.len(),
        seeds.len() + regressions.len()
    );
}

#[test]
fn plan_loader_corpus_and_regressions() {
    run("plan_loader", 20, fuzz_harness::plan_loader);
}

#[test]
fn env_info_corpus_and_regressions() {
    run("env_info", 10, fuzz_harness::env_info);
}

#[test]
fn export_pdf_corpus_and_regressions() {
    run("export_pdf", 5, fuzz_harness::export_pdf);
}

#[test]
fn gate_output_corpus_and_regressions() {
    run("gate_output", 20, fuzz_harness::gate_output);
}

/// The harness itself must catch what it is meant to catch: a plan whose error does not name
/// the file would be a finding, and a plan that loads is checked through a round trip.
#[test]
fn harness_accepts_a_sample_and_rejects_nothing_silently() {
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap();
    fuzz_harness::plan_loader(&sample);
    fuzz_harness::export_pdf(&sample);
    // Not a plan: handled as an error, no panic.
    fuzz_harness::plan_loader(b"\xFF\xFE{");
    fuzz_harness::plan_loader(b"");
    fuzz_harness::env_info(b"\xEF\xBB\xBFGitLab information\nVersion: 17.1.1-ee\n");
    fuzz_harness::gate_output(b"0");
    fuzz_harness::gate_output(b"\xFF\xFE");
    fuzz_harness::gate_output(b"");
}

/// The gate's checks fail on a broken gate: a paste that must be go is go, one that must not
/// is not (the harness would not notice a gate that says no-go to everything).
#[test]
fn the_gate_checks_see_what_they_check() {
    use upgrade_planner::run::gate::{Requirements, judge};
    assert!(judge("0", &Requirements::default()).unwrap().go());
    assert!(!judge("0\n3", &Requirements::default()).unwrap().go());
}
