//! The command line as a user runs it: exit codes, messages and `--json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/env_info");

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

fn run_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    run_full(args, stdin, &[])
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    run_full(args, None, env)
}

fn run_full(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    // An empty data directory: the user's own config must not influence the tests.
    let data = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn path_lists_every_hop_with_its_reason() {
    let o = run(&["path", "15.4.2", "18.5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let hops = [
        "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7", "17.5.5", "17.8.7",
        "17.11.7", "18.2.8", "18.5.7",
    ];
    let mut last = 0;
    for (i, v) in hops.iter().enumerate() {
        let line = format!("{:>2}. {v}", i + 1);
        let at = out
            .find(&line)
            .unwrap_or_else(|| panic!("missing `{line}` in\n{out}"));
        assert!(at >= last, "hops out of order");
        last = at;
    }
    assert!(out.contains("Last 15.x minor: GitLab 16.0 can only be installed from 15.11."));
    assert!(out.contains("Your target version."));
    assert!(out.contains("GitLab data of "));
}

#[test]
fn path_json_has_the_documented_shape() {
    let o = run(&["path", "15.4.2", "18.5", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["from"], "15.4.2");
    assert_eq!(v["to"], "18.5.7");
    let hops = v["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 11);
    for h in hops {
        assert!(
            h["version"].is_string() && h["reason"].is_string() && h["notes"].is_array(),
            "{h}"
        );
        assert!(!h["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(hops[2]["version"], "16.3.9");
    assert_eq!(hops[10]["kind"], "target");
}

#[test]
fn path_with_condition_includes_the_conditional_stop() {
    let o = run(&[
        "path",
        "15.11.13",
        "16.3",
        "--condition",
        "npm_packages",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let versions: Vec<&str> = v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["16.1.8", "16.3.9"]);
    let o = run(&["path", "15.11.13", "16.3"]);
    assert!(!stdout(&o).contains("16.1.8"));
}

#[test]
fn path_zero_downtime_goes_minor_by_minor() {
    let o = run(&["path", "17.9.8", "18.1", "--zero-downtime", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let versions: Vec<&str> = v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["17.10.8", "17.11.7", "18.0.6", "18.1.6"]);
}

#[test]
fn path_refuses_downgrades_and_nonsense() {
    let o = run(&["path", "17.0", "16.11"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("older than the current version 17.0"), "{err}");
    assert!(stdout(&o).is_empty());
    let o = run(&["path", "seventeen", "18.0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`seventeen` is not a GitLab version"));
    let o = run(&["path", "16.0", "17.0", "--condition", "npm"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown condition `npm`"));
}

#[test]
fn validate_reports_the_os_error_naming_the_last_packaged_version() {
    let o = run(&[
        "validate",
        "tests/fixtures/ubuntu-1804-to-17.3.upgrade-plan.json",
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    // The OS upgrade is a step of the timeline: where it can go, and where it is proposed.
    let line = out
        .lines()
        .find(|l| l.starts_with("error: dependency_upgrades") && l.contains("Ubuntu 18.04"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("up to GitLab 16.11") && line.contains("proposed: after 16.11"),
        "{line}"
    );
}

#[test]
fn validate_finds_a_token_in_the_notes() {
    let o = run(&[
        "validate",
        "tests/fixtures/token-in-notes.upgrade-plan.json",
        "--today",
        "2026-11-21",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "notes.unique_setup")
        .expect("finding at notes.unique_setup");
    assert_eq!(f["severity"], "error");
    assert!(
        !f["message"].as_str().unwrap().contains("glpat-9xK2"),
        "the secret is not echoed"
    );
    assert!(!stdout(&o).contains("glpat-9xK2"));
}

#[test]
fn validate_truncated_file_exits_2_with_line_and_column() {
    let o = run(&["validate", "tests/fixtures/truncated.upgrade-plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("truncated.upgrade-plan.json"), "{err}");
    assert!(err.contains("line 54, column"), "{err}");
}

#[test]
fn validate_clean_sample_exits_0_with_json_counts() {
    for sample in [
        "assets/samples/multi-node-geo.upgrade-plan.json",
        "assets/samples/single-node.upgrade-plan.json",
    ] {
        let o = run(&["validate", sample, "--today", "2026-11-21", "--json"]);
        assert_eq!(o.status.code(), Some(0), "{sample}: {}", stdout(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["counts"]["error"], 0);
        assert!(v["findings"].is_array());
        assert!(v["data_date"].as_str().unwrap().len() == 10);
    }
    let o = run(&[
        "validate",
        "assets/samples/single-node.upgrade-plan.json",
        "--today",
        "tomorrow",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validate_missing_file_exits_2() {
    let o = run(&["validate", "no-such-plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-plan.json"));
}

#[test]
fn env_info_prints_a_plan_matching_each_sample() {
    for (file, version, edition, pg) in [
        (
            "docs_15.5.5-ee_two-gitaly-storages.txt",
            "15.5.5",
            "ee",
            "13.8",
        ),
        (
            "grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt",
            "18.1.2",
            "ce",
            "16.8",
        ),
        (
            "blog_17.1.1-ce_empty-system_tabs.txt",
            "17.1.1",
            "ce",
            "14.11",
        ),
    ] {
        let path = format!("{SAMPLES}/{file}");
        let o = run(&["env-info", &path]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["format"], "gitlab-upgrade-plan");
        assert_eq!(v["versions"]["current"], version, "{file}");
        assert_eq!(v["versions"]["edition"], edition, "{file}");
        assert_eq!(v["topology"]["postgresql"]["version"], pg, "{file}");
        assert!(
            stderr(&o).contains("versions.current"),
            "the filled fields are listed"
        );
    }
}

#[test]
fn env_info_reads_standard_input_and_refuses_other_text() {
    let text = std::fs::read_to_string(format!(
        "{SAMPLES}/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
    ))
    .unwrap();
    let o = run_with_stdin(&["env-info", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["os"]["distribution"], "ubuntu");
    let o = run_with_stdin(
        &["env-info", "-"],
        Some("hello, this is not env:info output\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).is_empty());
}

#[test]
fn env_info_reads_diagnostics_output_alone_or_after_env_info() {
    let facts = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/diagnostics/single-node_16.0.8-ee.txt"
    ))
    .unwrap();
    let o = run_with_stdin(&["env-info", "-"], Some(&facts));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["versions"]["current"], "16.0.8");
    assert_eq!(v["conditions"]["large_users_table"], true);
    assert_eq!(v["conditions"]["npm_packages"], true);
    assert_eq!(v["facts"]["users"], 41250);
    assert_eq!(v["facts"]["gitlab_rb"]["git_data_dirs"], true);
    let err = stderr(&o);
    assert!(err.contains("(diagnostics facts)"), "{err}");
    assert!(
        err.contains("conditions.large_users_table") && err.contains("41,250 users"),
        "{err}"
    );

    let env_info = std::fs::read_to_string(format!(
        "{SAMPLES}/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
    ))
    .unwrap();
    let o = run_with_stdin(&["env-info", "-"], Some(&format!("{env_info}\n{facts}")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The OS from env:info, the counts from the facts; the facts' version is the later word.
    assert_eq!(v["os"]["distribution"], "ubuntu");
    assert_eq!(v["conditions"]["large_pipeline_variables"], true);
    assert!(
        stderr(&o).contains("(gitlab:env:info and diagnostics facts)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn schema_and_help_and_version() {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "Plan");
    for sub in [
        "path",
        "validate",
        "export",
        "env-info",
        "diagnostics",
        "schema",
    ] {
        let o = run(&[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{sub}");
        assert!(stdout(&o).contains("Usage: upgrade-planner"), "{sub}");
    }
    let o = run(&["--version"]);
    let out = stdout(&o);
    assert!(
        out.contains(env!("CARGO_PKG_VERSION")) && out.contains("GitLab data of 20"),
        "{out}"
    );
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_broken_data_override_is_ignored_with_a_warning() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("stops.json"), "{ broken").unwrap();
    let o = Command::new(BIN)
        .args(["path", "16.3.9", "16.7"])
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("warning:") && err.contains("stops.json"),
        "{err}"
    );
    assert!(stdout(&o).contains("16.7.10"));
}

// ------------------------------------------------------------------ export

const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1795000000");

fn path_str(p: &std::path::Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn export_writes_the_pdf_the_markdown_and_the_plan_file() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = path_str(&dir.path().join("plan.pdf"));
    let md = path_str(&dir.path().join("plan.md"));
    let json = path_str(&dir.path().join("plan.json"));
    let o = run_env(
        &[
            "export",
            "assets/samples/multi-node-geo.upgrade-plan.json",
            "--pdf",
            &pdf,
            "--markdown",
            &md,
            "--json",
            &json,
            "--paper",
            "letter",
            "--today",
            "2026-11-21",
        ],
        &[EPOCH],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("wrote") && out.contains("plan.pdf"), "{out}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    assert!(pages[0].contains("Example Corp"));
    // SOURCE_DATE_EPOCH 1795000000 is 2026-11-18 11:06:40 UTC.
    assert!(pages[0].contains("2026-11-18 11:06 UTC"), "{}", pages[0]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("## GitLab upgrade plan: Example Corp"));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(plan["plan_id"], "0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10");
    // No temporary files are left beside the outputs.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn export_with_source_date_epoch_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = path_str(&dir.path().join("a.pdf"));
    let b = path_str(&dir.path().join("b.pdf"));
    for f in [&a, &b] {
        let o = run_env(
            &[
                "export",
                "assets/samples/single-node.upgrade-plan.json",
                "--pdf",
                f,
                "--today",
                "2026-11-21",
            ],
            &[EPOCH],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
}

#[test]
fn export_of_a_plan_with_errors_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = path_str(&dir.path().join("plan.pdf"));
    let md = path_str(&dir.path().join("plan.md"));
    let o = run(&[
        "export",
        "tests/fixtures/unconfirmed-rollback.upgrade-plan.json",
        "--pdf",
        &pdf,
        "--markdown",
        &md,
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("nothing was written") && err.contains("--draft"),
        "{err}"
    );
    assert!(err.contains("error: rollback.confirmed"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn export_of_a_plan_with_a_secret_is_refused_even_as_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = path_str(&dir.path().join("plan.pdf"));
    let json = path_str(&dir.path().join("plan.json"));
    for draft in [false, true] {
        let mut args = vec![
            "export",
            "tests/fixtures/token-in-notes.upgrade-plan.json",
            "--pdf",
            &pdf,
            "--json",
            &json,
            "--today",
            "2026-11-21",
        ];
        if draft {
            args.push("--draft");
        }
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "draft={draft}");
        let err = stderr(&o);
        assert!(
            err.contains("nothing was written") && err.contains("secret: notes.unique_setup"),
            "{err}"
        );
        assert!(!err.contains("glpat-") && !stdout(&o).contains("glpat-"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[test]
fn export_draft_writes_and_marks_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = path_str(&dir.path().join("draft.pdf"));
    let json = path_str(&dir.path().join("draft.json"));
    let o = run_env(
        &[
            "export",
            "tests/fixtures/unconfirmed-rollback.upgrade-plan.json",
            "--pdf",
            &pdf,
            "--json",
            &json,
            "--draft",
            "--today",
            "2026-11-21",
        ],
        &[EPOCH],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("DRAFT"));
    let pages = pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(&pdf).unwrap()).unwrap();
    assert!(pages.len() > 1);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("DRAFT"), "page {} not marked", i + 1);
    }
    let json = std::fs::read_to_string(&json).unwrap();
    assert!(json.contains("\"confirmed\": false"), "{json}");
}

#[test]
fn export_input_and_output_problems_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = path_str(&dir.path().join("plan.pdf"));
    let o = run(&["export", "no-such-plan.json", "--pdf", &pdf]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-plan.json"));
    let o = run(&[
        "export",
        "tests/fixtures/truncated.upgrade-plan.json",
        "--pdf",
        &pdf,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 54"));
    let missing_dir = path_str(&dir.path().join("missing").join("plan.pdf"));
    let o = run(&[
        "export",
        "assets/samples/single-node.upgrade-plan.json",
        "--pdf",
        &missing_dir,
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&missing_dir), "{}", stderr(&o));
    let o = run_env(
        &[
            "export",
            "assets/samples/single-node.upgrade-plan.json",
            "--pdf",
            &pdf,
        ],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"));
    // At least one output is required, and the paper size is checked.
    let o = run(&["export", "assets/samples/single-node.upgrade-plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "export",
        "assets/samples/single-node.upgrade-plan.json",
        "--pdf",
        &pdf,
        "--paper",
        "a3",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!std::path::Path::new(&pdf).exists());
    let o = run(&["export", "--help"]);
    assert!(stdout(&o).contains("SOURCE_DATE_EPOCH"));
}
