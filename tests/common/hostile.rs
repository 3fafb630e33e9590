//! The hostile plan files: the committed corpus in `tests/corpus/hostile/` and the cases
//! that are generated at test time (too big to commit, or not files at all).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The committed corpus directory.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/hostile")
}

/// Every committed case, by file name (the README is not a case).
pub fn committed() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".upgrade-plan.json"))
        })
        .collect();
    files.sort();
    files
}

const HEADER: &str = "{\n  \"format\": \"gitlab-upgrade-plan\",\n  \"schema_version\": 1,\n";

/// Generate the cases that are not committed into `dir`; returns (case name, path).
pub fn generated(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut cases = Vec::new();

    // 30 MB: one string of 30 million characters. Refused by size before it is read.
    let huge = dir.join("huge-30mb.upgrade-plan.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&huge).unwrap());
    f.write_all(HEADER.as_bytes()).unwrap();
    f.write_all(b"  \"notes\": { \"unique_setup\": \"").unwrap();
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..30 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\" }\n}\n").unwrap();
    f.flush().unwrap();
    drop(f);
    cases.push(("huge-30mb", huge));

    // A file under the size limit with one answer of a million characters.
    let long = dir.join("long-text.upgrade-plan.json");
    std::fs::write(
        &long,
        format!(
            "{HEADER}  \"notes\": {{ \"unique_setup\": \"{}\" }}\n}}\n",
            "é".repeat(1_000_000)
        ),
    )
    .unwrap();
    cases.push(("long-text", long));

    // 100,000 nested arrays under an unknown key (unknown keys are kept, so the parser would
    // have to descend into them).
    let deep = dir.join("deep-arrays.upgrade-plan.json");
    std::fs::write(
        &deep,
        format!(
            "{HEADER}  \"extra\": {}{}\n}}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    )
    .unwrap();
    cases.push(("deep-arrays", deep));

    let deep_objects = dir.join("deep-objects.upgrade-plan.json");
    std::fs::write(
        &deep_objects,
        format!(
            "{HEADER}  \"extra\": {}1{}\n}}\n",
            "{\"a\":".repeat(100_000),
            "}".repeat(100_000)
        ),
    )
    .unwrap();
    cases.push(("deep-objects", deep_objects));

    let directory = dir.join("directory.upgrade-plan.json");
    std::fs::create_dir(&directory).unwrap();
    cases.push(("directory", directory));

    cases.push(("missing", dir.join("missing.upgrade-plan.json")));

    // A path that goes through a regular file as if it were a directory.
    cases.push((
        "through-a-file",
        corpus_dir()
            .join("empty.upgrade-plan.json")
            .join("plan.upgrade-plan.json"),
    ));

    #[cfg(unix)]
    {
        // Opening a FIFO for reading blocks until a writer comes: the loader must not open it.
        let fifo = dir.join("fifo.upgrade-plan.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo failed");
        cases.push(("fifo", fifo));
    }

    #[cfg(target_os = "linux")]
    {
        // A regular file whose read fails (EIO at offset 0), even for root.
        cases.push(("unreadable-proc-mem", PathBuf::from("/proc/self/mem")));
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("no-permission.upgrade-plan.json");
        std::fs::write(&locked, HEADER).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_err() {
            cases.push(("no-permission", locked));
        } else {
            // Root reads a mode-000 file; the /proc/self/mem case above covers a failing read.
            assert!(
                cases.iter().any(|(c, _)| *c == "unreadable-proc-mem"),
                "running with permission to read mode-000 files and no other unreadable case"
            );
        }
    }
    cases
}
