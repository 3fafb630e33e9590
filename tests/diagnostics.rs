//! `upgrade-planner diagnostics`: the script it prints parses, runs without writing
//! anything, prints only facts (never a value from gitlab.rb), and its output is what
//! `env-info` reads.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use upgrade_planner::intake::diagnostics::{KEYS, SCRIPT};

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");

/// Settings as a Docker user passes them, with values that must never be printed.
const OMNIBUS_CONFIG: &str = "external_url 'https://gitlab.example.com'; \
    gitlab_rails['db_password'] = 'Hunter2-Very-Secret'; \
    git_data_dirs({ 'default' => { 'path' => '/data/git-secret-path' } }); \
    # grafana['enable'] = false\n  patroni['password'] = 'Patroni-Secret-42'";

fn planner(args: &[&str], stdin: Option<&str>) -> Output {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(args)
        .env("UPGRADE_PLANNER_DATA_DIR", data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn printed_script(dir: &Path) -> std::path::PathBuf {
    let o = planner(&["diagnostics"], None);
    assert_eq!(o.status.code(), Some(0));
    let path = dir.join("upgrade-planner-facts.sh");
    std::fs::write(&path, &o.stdout).unwrap();
    path
}

/// Run the script with `bash` in an empty working directory, with only `PATH` (and the
/// Docker settings) in its environment.
fn run_script(script: &Path, path: &str, work: &Path) -> String {
    let o = Command::new("bash")
        .arg(script)
        .current_dir(work)
        .env_clear()
        .env("PATH", path)
        .env("GITLAB_OMNIBUS_CONFIG", OMNIBUS_CONFIG)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Every line is `key: value` with a key of the script and a value of a fact's shape.
fn assert_only_facts(out: &str) {
    for line in out.lines() {
        let (key, value) = line.split_once(": ").unwrap_or_else(|| panic!("{line}"));
        assert!(KEYS.contains(&key), "not a key of the script: {line}");
        let shaped = [
            "yes",
            "no",
            "unknown",
            "none",
            "primary",
            "secondary",
            "ce",
            "ee",
        ]
        .contains(&value)
            || value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        assert!(shaped, "not a fact's value: {line}");
    }
    for secret in [
        "Hunter2",
        "Patroni-Secret",
        "gitlab.example.com",
        "git-secret-path",
        "password",
    ] {
        assert!(!out.contains(secret), "{secret} printed:\n{out}");
    }
}

#[test]
fn diagnostics_prints_the_script_and_bash_parses_it() {
    let o = planner(&["diagnostics"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), SCRIPT);
    let dir = tempfile::tempdir().unwrap();
    let script = printed_script(dir.path());
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // A script that does not parse is caught by the same check.
    let broken = dir.path().join("broken.sh");
    std::fs::write(&broken, SCRIPT.replace("\nfi\n", "\n")).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!check.status.success());
}

#[test]
fn without_gitlab_rails_it_reports_gitlab_rb_settings_by_yes_or_no_only() {
    let dir = tempfile::tempdir().unwrap();
    let script = printed_script(dir.path());
    let work = tempfile::tempdir().unwrap();
    let out = run_script(&script, "/usr/bin:/bin", work.path());
    assert_only_facts(&out);
    assert!(out.starts_with("upgrade_planner_facts: 1\ncollected_on: 20"));
    // Nothing but the rails facts' absence: no gitlab-rails here.
    assert!(!out.contains("users_count"));
    if !Path::new("/etc/gitlab/gitlab.rb").exists() {
        // Only GITLAB_OMNIBUS_CONFIG counts, statement by statement; comments do not.
        for line in [
            "gitlab_rb_git_data_dirs: yes",
            "gitlab_rb_grafana: no",
            "gitlab_rb_mattermost: no",
            "gitlab_rb_spamcheck: no",
            "gitlab_rb_patroni: yes",
        ] {
            assert!(out.lines().any(|l| l == line), "{line} missing:\n{out}");
        }
    }
    assert_eq!(
        std::fs::read_dir(work.path()).unwrap().count(),
        0,
        "the script wrote into its working directory"
    );

    // Its output is what env-info reads.
    let o = planner(&["env-info", "-"], Some(&out));
    assert_eq!(o.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    if !Path::new("/etc/gitlab/gitlab.rb").exists() {
        assert_eq!(plan["facts"]["gitlab_rb"]["git_data_dirs"], true);
        assert_eq!(plan["facts"]["gitlab_rb"]["patroni"], true);
    }
}

/// A stand-in `gitlab-rails` checks that it is asked to run the facts' Ruby, and answers as
/// the real one would.
#[test]
fn with_gitlab_rails_it_runs_the_ruby_facts() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = printed_script(dir.path());
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let rails = bin.join("gitlab-rails");
    std::fs::write(
        &rails,
        "#!/bin/sh\n[ \"$1\" = runner ] || exit 3\n\
         case \"$2\" in *'fact(\"users_count\")'*'fact(\"geo_role\")'*) ;; *) exit 4 ;; esac\n\
         printf 'gitlab_version: 16.0.8-ee\\ngitlab_edition: ee\\nusers_count: 45000\\ngeo_role: none\\n'\n",
    )
    .unwrap();
    std::fs::set_permissions(&rails, std::fs::Permissions::from_mode(0o755)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let out = run_script(&script, &path, work.path());
    assert_only_facts(&out);
    assert!(out.contains("\nusers_count: 45000\n"), "{out}");

    let o = planner(&["env-info", "-"], Some(&out));
    assert_eq!(o.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan["conditions"]["large_users_table"], true);
    assert_eq!(plan["versions"]["current"], "16.0.8");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("conditions.large_users_table"), "{err}");
    assert!(err.contains("45,000 users"), "{err}");
}
