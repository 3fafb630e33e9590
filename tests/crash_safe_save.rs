//! Crash-safe saving, tested by killing: a child process saves two different plans to the
//! same path, alternately and without pause; the parent kills it with SIGKILL at a varying
//! moment, and checks that the path holds one of the two plans, whole, and so does the
//! `.bak` beside it. At least 200 rounds.
//!
//! This test has its own `main` (`harness = false` in Cargo.toml): the same binary is the
//! child when `UPGRADE_PLANNER_KILL_LOOP_CHILD` names the file to save to.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use upgrade_planner::plan::Plan;
use upgrade_planner::plan_file;

const CHILD_ENV: &str = "UPGRADE_PLANNER_KILL_LOOP_CHILD";
const ROUNDS: usize = 250;
/// The kill comes between 0 and this many microseconds after the child says it is saving.
const MAX_DELAY_US: u64 = 25_000;

/// The two plans: the 60-node fixture, and a variant of it with long notes (so the two
/// files differ in size as well as content).
fn plans() -> (Plan, Plan) {
    let a = plan_file::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/large.upgrade-plan.json"),
    )
    .unwrap();
    let mut b = a.clone();
    b.revision += 1;
    let notes = b.notes.get_or_insert_with(Default::default);
    notes.unique_setup = Some("Variant B: a long note. ".repeat(3_000));
    (a, b)
}

/// The child: save A and B in turn until killed.
fn child(path: &Path) {
    let (a, b) = plans();
    let mut out = std::io::stdout();
    writeln!(out, "saving").unwrap();
    out.flush().unwrap();
    loop {
        plan_file::save(path, &b).unwrap();
        plan_file::save(path, &a).unwrap();
    }
}

/// A small deterministic generator for the kill moments (xorshift64*).
struct Chaos(u64);

impl Chaos {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Which of the two plans `file` holds, byte for byte; panics if neither.
fn which(file: &Path, a: &str, b: &str, round: usize) -> char {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("round {round}: {} cannot be read: {e}", file.display()));
    let loaded = plan_file::load(file)
        .unwrap_or_else(|e| panic!("round {round}: {} does not load: {e}", file.display()));
    let same = plan_file::to_json(&loaded);
    if text == a && same == a {
        'A'
    } else if text == b && same == b {
        'B'
    } else {
        panic!(
            "round {round}: {} holds neither plan ({} bytes)",
            file.display(),
            text.len()
        )
    }
}

fn kill_loop() {
    let started = Instant::now();
    let (a, b) = plans();
    let (ja, jb) = (plan_file::to_json(&a), plan_file::to_json(&b));
    assert_ne!(ja, jb);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.upgrade-plan.json");
    let bak = plan_file::backup_path(&path);
    plan_file::save(&path, &a).unwrap();

    let exe = std::env::current_exe().unwrap();
    let mut chaos = Chaos(0x9E37_79B9_7F4A_7C15);
    let mut seen = std::collections::BTreeMap::new();
    let mut flips = 0;
    let mut last = 'A';
    for round in 1..=ROUNDS {
        let mut child = Command::new(&exe)
            .env(CHILD_ENV, &path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "saving",
            "round {round}: the child did not start"
        );
        // The chaos: spin for a random time, then SIGKILL.
        let delay = Duration::from_micros(chaos.below(MAX_DELAY_US));
        let spin = Instant::now();
        while spin.elapsed() < delay {
            std::hint::spin_loop();
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "round {round}: the child was not killed");

        let now = which(&path, &ja, &jb, round);
        let backup = if bak.exists() {
            which(&bak, &ja, &jb, round)
        } else {
            '-'
        };
        *seen.entry((now, backup)).or_insert(0) += 1;
        if now != last {
            flips += 1;
        }
        last = now;
    }
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        })
        .count();
    println!(
        "kill loop: {ROUNDS} rounds in {:.1} s; (plan, .bak) seen: {seen:?}; the plan changed between rounds {flips} times; {leftovers} temporary files left by killed saves",
        started.elapsed().as_secs_f64()
    );
    // The kills landed while saves were happening: both plans were found at the path.
    assert!(
        seen.keys().any(|(p, _)| *p == 'A') && seen.keys().any(|(p, _)| *p == 'B'),
        "the kills never caught the child between saves of different plans: {seen:?}"
    );
}

fn main() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    // `cargo test -- --list` and name filters: this file holds one test.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("kill_loop: test");
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| "kill_loop".contains(f.as_str())) {
        println!("running 0 tests");
        return;
    }
    println!("running 1 test");
    kill_loop();
    println!("test kill_loop ... ok");
    println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}
