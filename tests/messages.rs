//! What the command line prints about a file never repeats a secret from it and is never
//! more than one line per message, whatever the file holds; exports show control
//! characters escaped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const TOKEN: &str = "glpat-Vw3Xs5Zq7Tr9Up1Mn2Kb";
const PASSWORD: &str = "Tr0ub4dor&3!";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        // No data override from the machine: its warnings would be extra lines.
        .env(
            "UPGRADE_PLANNER_DATA_DIR",
            "/nonexistent/upgrade-planner-data",
        )
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The single-node sample with `edit` applied, written to `dir/name`.
fn plan_with(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    edit(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

/// Put `value` at `field` of a plan.
fn put(v: &mut serde_json::Value, field: &str, value: &str) {
    match field {
        "install.method" => v["install"]["method"] = value.into(),
        "topology.nodes[0].role" => v["topology"]["nodes"] = serde_json::json!([{ "role": value }]),
        other => v[other] = value.into(),
    }
}

#[test]
fn a_secret_where_a_parse_error_happens_is_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("revision", TOKEN),
        ("revision", PASSWORD),
        ("format", TOKEN),
        ("schema_version", TOKEN),
    ];
    for (i, (field, secret)) in cases.iter().enumerate() {
        let plan = plan_with(dir.path(), &format!("p{i}.json"), |v| put(v, field, secret));
        for cmd in ["validate", "export"] {
            let mut args = vec![cmd, plan.to_str().unwrap()];
            if cmd == "export" {
                args.extend(["--markdown", "/nonexistent-dir/never.md"]);
            }
            let r = run(&args);
            assert_eq!(r.code, 2, "{field}: {}", r.stderr);
            assert!(!r.stderr.contains(&secret[6..]), "{field}: {}", r.stderr);
            assert!(!r.stdout.contains(&secret[6..]), "{field}: {}", r.stdout);
            assert!(r.stderr.contains(field), "{field} not named: {}", r.stderr);
            assert!(r.stderr.contains("not shown"), "{field}: {}", r.stderr);
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        }
    }
}

/// A closed list's value this version does not know is kept, so a secret there is no parse
/// error: the secret scan reports it at its field (and the export refuses the plan), and the
/// warning about the unknown value describes it without quoting it.
#[test]
fn a_secret_used_as_a_closed_list_value_is_caught_and_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    // (field, value, whether the scanner knows it for a secret on its own: a bare password
    // is not, but it looks random, so no message quotes it).
    let cases = [
        ("install.method", TOKEN, true),
        ("install.method", PASSWORD, false),
        ("topology.nodes[0].role", TOKEN, true),
    ];
    for (i, (field, secret, detected)) in cases.iter().enumerate() {
        let plan = plan_with(dir.path(), &format!("p{i}.json"), |v| put(v, field, secret));
        let r = run(&["validate", plan.to_str().unwrap()]);
        assert_ne!(r.code, 2, "{field}: {}", r.stderr);
        let secret_line = format!("error: {field} ");
        let line = r.stdout.lines().find(|l| l.starts_with(&secret_line));
        assert_eq!(
            line.is_some_and(|l| l.contains("looks like a secret")),
            *detected,
            "{field}: {}",
            r.stdout
        );
        let warning = format!("warning: {field} ");
        let line = r.stdout.lines().find(|l| l.starts_with(&warning));
        assert!(
            line.is_some_and(|l| l.contains("not shown") && l.contains("kept as it is")),
            "{field}: {}",
            r.stdout
        );
        let md = dir.path().join(format!("p{i}.md"));
        let r2 = run(&[
            "export",
            plan.to_str().unwrap(),
            "--markdown",
            md.to_str().unwrap(),
            "--draft",
        ]);
        if *detected {
            assert_ne!(r2.code, 0, "{field}: {}", r2.stderr);
            assert!(!md.exists(), "{field}");
        }
        for out in [&r.stdout, &r.stderr, &r2.stdout, &r2.stderr] {
            assert!(!out.contains(&secret[6..]), "{field}: {out}");
        }
    }
}

#[test]
fn a_short_plain_unknown_value_is_quoted_in_its_warning() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_with(dir.path(), "p.json", |v| {
        v["install"]["method"] = "carrier_pigeon".into();
    });
    let r = run(&["validate", plan.to_str().unwrap()]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "warning: install.method [Installation] `carrier_pigeon` is not a value this version"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn escape_sequences_and_line_breaks_from_a_file_stay_escaped_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // In a value that fails to parse.
    let plan = plan_with(dir.path(), "revision.json", |v| {
        v["revision"] = "\u{1b}[2J\nX".into();
    });
    let r = run(&["validate", plan.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);

    // In a closed list's value this version does not know: kept, and quoted escaped.
    let plan = plan_with(dir.path(), "enum.json", |v| {
        v["install"]["method"] = "carrier\u{1b}\npigeon".into();
    });
    let r = run(&["validate", plan.to_str().unwrap()]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    let method = r
        .stdout
        .lines()
        .find(|l| l.starts_with("warning: install.method"))
        .unwrap();
    assert!(method.contains("`carrier\\x1b\\npigeon`"), "{method:?}");

    // In the file's own name.
    let odd = dir.path().join("odd\nname\u{1b}[31m.json");
    std::fs::write(&odd, "{").unwrap();
    let r = run(&["validate", odd.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);
    assert!(
        r.stderr.contains("odd\\nname\\x1b[31m.json"),
        "{:?}",
        r.stderr
    );

    // In an answer a finding quotes, and in free text that goes to the exports.
    let plan = plan_with(dir.path(), "answers.json", |v| {
        v["contact"]["email"] = "ada\n\u{1b}]0;owned\u{7}@".into();
        v["notes"]["unique_setup"] = "line one\n\u{1b}[31mred\u{1b}[0m \u{9b}2J".into();
    });
    let r = run(&["validate", plan.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let email = r
        .stdout
        .lines()
        .find(|l| l.contains("contact.email"))
        .unwrap();
    assert!(email.contains("ada\\n\\x1b]0;owned\\x07@"), "{email:?}");
    for stream in [&r.stdout, &r.stderr] {
        assert!(
            !stream.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{stream:?}"
        );
    }
    let md = dir.path().join("out.md");
    let json = dir.path().join("out.json");
    let r = run(&[
        "export",
        plan.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--draft",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(!md.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{md:?}");
    assert!(
        md.contains("\\x1b\\[31mred") || md.contains("\\x1b[31mred"),
        "{md}"
    );
    // The plan file export keeps the text exactly, with the dangerous characters escaped.
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{text:?}");
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        back["notes"]["unique_setup"],
        "line one\n\u{1b}[31mred\u{1b}[0m \u{9b}2J"
    );
}
