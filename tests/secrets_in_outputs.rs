//! A plan with secrets never puts them in any output: the CLI refuses to export it (drafts
//! included) and says which field, without echoing the secret; the renderers redact even
//! when called directly; and host redaction removes every host name, IP and email address.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use upgrade_planner::export::{self, Paper, markdown, pdf};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::Plan;
use upgrade_planner::plan_file;
use upgrade_planner::validate::analyse;

/// One secret of every kind the scanner knows, each with a distinctive part that must never
/// appear in an output, and the field it is put in.
const SECRETS: &[(&str, &str, &str)] = &[
    // (field, text, distinctive part)
    (
        "notes.unique_setup",
        "CI uses glpat-Qm7vR4tY8wZ1aB3cD5eF for checks",
        "Qm7vR4tY8wZ1aB3c",
    ),
    (
        "notes.current_known_issues",
        "deploy token gldt-Hq2Lp9Xw4Rt6Yz8Nm1Bv",
        "Hq2Lp9Xw4Rt6Yz8N",
    ),
    (
        "backup.test_environment",
        "runner glrt-Kd8Fs3Lq7Wm2Xn5Pz9Rv registered",
        "Kd8Fs3Lq7Wm2Xn5P",
    ),
    (
        "contact.name",
        "Ada (token GR1348941Vb6Nc2Mx8Lk4Jh7GfQw3E)",
        "Vb6Nc2Mx8Lk4Jh7G",
    ),
    (
        "topology.nodes[0].notes",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQZkTq\n-----END OPENSSH PRIVATE KEY-----",
        "AAAABG5vbmUAAAAEbm9uZQZkTq",
    ),
    (
        "rollback.notes",
        "gitlab_rails['db_password'] = 'Tr0ub4dor&3xyz'",
        "Tr0ub4dor&3xyz",
    ),
    (
        "backup.location",
        "s3 with AKIA2OGYBAH6TDQEXV7N and aws_secret_access_key=wJalrXUtnFEMIxK7MDENGzbPxRfiCYq8h3Lm",
        "wJalrXUtnFEMIxK7MDENG",
    ),
    (
        "geo.secondaries[0].location",
        "Dublin, DATABASE_URL=postgres://gitlab:Pg5ecretZq9@db.internal/gitlabhq",
        "Pg5ecretZq9",
    ),
    (
        "contact.organization",
        "Example Corp; DefaultEndpointsProtocol=https;AccountName=gl;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi==",
        "Zm9vYmFyYmF6cXV4MTIzNDU2",
    ),
    (
        "notes.gcp",
        "{\"type\": \"service_account\", \"private_key_id\": \"4f1c2a9b8e7d6c5b4a39281706f5e4d3\"}",
        "4f1c2a9b8e7d6c5b4a39",
    ),
    (
        "versions.target",
        "18.2 glptt-Tz4Wq8Er2Ty6Ui1Op3As",
        "Tz4Wq8Er2Ty6Ui1O",
    ),
    // The kinds an adversarial pass exported (issue 14), in fields the PDF and the Markdown
    // show as well as in unknown keys.
    (
        "topology.nodes[1].notes",
        "SSO session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEiLCJpYXQiOjE3OTUwMDAwMDB9.Xc3vB8nM1qW7eR5tY2uI9oP4aS6dF0gH",
        "Xc3vB8nM1qW7eR5tY2uI9oP4",
    ),
    (
        "topology.nodes[2].notes",
        "curl -H 'Authorization: Bearer Mq8Zr2Lw6Np4Xt9Vb3Kc' https://gitlab.example.com/api/v4/version",
        "Mq8Zr2Lw6Np4Xt9Vb3Kc",
    ),
    (
        "topology.nodes[3].notes",
        "PRIVATE-TOKEN: Jd7Hs2Kf9Lq4Wm8Xn3Pv (a legacy token without glpat-)",
        "Jd7Hs2Kf9Lq4Wm8Xn3Pv",
    ),
    (
        "topology.nodes[4].notes",
        "alerts to https://hooks.slack.com/services/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",
        "Zq8Wm3Np6Rt9Vx2Yb5Kc7Lf1",
    ),
    (
        "topology.nodes[5].notes",
        "vault read with hvs.CAESIKq9Lw3Nz7Pr2Tx5Vb8Ym4Hd6Gf1Js0",
        "Kq9Lw3Nz7Pr2Tx5Vb8Ym4Hd6",
    ),
    (
        "topology.nodes[6].notes",
        "//registry.npmjs.org/:_authToken=npm_Wq4Ez8Rt2Yu6Io1Pa5Sd9Fg3Hj7Kl0Zx2Cv4",
        "Wq4Ez8Rt2Yu6Io1Pa5Sd9Fg3",
    ),
    (
        "topology.nodes[7].notes",
        "{\"auths\": {\"registry.example.com\": {\"auth\": \"cm9ib3Q6Uzd2ZXJ5U2VjcmV0UGFzcw==\"}}}",
        "cm9ib3Q6Uzd2ZXJ5U2VjcmV0",
    ),
    (
        "topology.nodes[8].notes",
        "pgpass line: db.internal:5432:gitlabhq_production:gitlab:Vq7Pg3Sec9Zt",
        "Vq7Pg3Sec9Zt",
    ),
    (
        "topology.nodes[9].notes",
        "encoded Z2xwYXQtUnQ1WW04Tmo0S2w3QnYyWHozUXc= for the job",
        "Z2xwYXQtUnQ1WW04Tmo0S2w3",
    ),
    (
        "rollback.trigger",
        "token glpat-Hy6Tg4Rf2Ed\nWs8Qa1Zx3Cv for the mirror",
        "Hy6Tg4Rf2Ed",
    ),
    (
        "geo.secondaries[0].name",
        "eu-west glpat-Pl9Ok8Ij\u{200b}7Uh6Yg5Tf4Rd",
        "Pl9Ok8Ij",
    ),
    (
        "backup.x_ci_token",
        "Authorization: token 8c1f4e7a2b9d6035fa41",
        "8c1f4e7a2b9d6035fa41",
    ),
    // Where a closed list's value goes: a value this version does not know is kept, so a
    // secret pasted there is a kept value the scan must still see.
    (
        "install.method",
        "glpat-Nb4Vc8Xz2Lk6Jh1Gf9Ds",
        "Nb4Vc8Xz2Lk6Jh1G",
    ),
    (
        "topology.nodes[1].role",
        "glpat-Qw7Er3Ty9Ui5Op1As4Df",
        "Qw7Er3Ty9Ui5Op1A",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The Geo sample with `text` put at `field` (a dotted path into the plan's JSON).
fn with_secret(plan: &mut serde_json::Value, field: &str, text: &str) {
    let mut v = plan;
    let parts: Vec<&str> = field.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (
                k,
                Some(rest.trim_end_matches(']').parse::<usize>().unwrap()),
            ),
            None => (*part, None),
        };
        let last = i + 1 == parts.len();
        let obj = v.as_object_mut().unwrap();
        if last && index.is_none() {
            obj.insert(key.to_string(), serde_json::Value::String(text.into()));
            return;
        }
        let next = obj
            .entry(key.to_string())
            .or_insert_with(|| serde_json::json!({}));
        v = match index {
            Some(n) => &mut next.as_array_mut().unwrap()[n],
            None => next,
        };
        if last {
            *v = serde_json::Value::String(text.into());
            // Arrays of strings are not used here; an element is an object.
            return;
        }
    }
}

fn secret_plan() -> (Plan, String) {
    let text = std::fs::read_to_string(root().join(common::GEO)).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (field, secret, _) in SECRETS {
        with_secret(&mut value, field, secret);
    }
    let json = serde_json::to_string_pretty(&value).unwrap();
    let plan = plan_file::parse(Path::new("secret-plan.json"), json.as_bytes()).unwrap();
    (plan, json)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_no_secret(what: &str, text: &str) {
    let text = squash(text);
    for (field, _, part) in SECRETS {
        assert!(
            !text.contains(&squash(part)),
            "{what} holds the secret from {field} ({part})"
        );
    }
}

#[test]
fn every_kind_of_secret_is_found_in_its_field() {
    let (plan, _) = secret_plan();
    let k = Knowledge::embedded();
    let a = analyse(&plan, &k, today());
    for (field, _, _) in SECRETS {
        assert!(
            a.findings
                .iter()
                .any(|f| f.rule == export::SECRET_RULE && f.field == *field),
            "no secret finding at {field}"
        );
    }
    match export::check_exportable(&a, true) {
        Err(export::ExportError::SecretsPresent { findings }) => {
            assert_eq!(findings.len(), SECRETS.len());
        }
        other => panic!("a draft with secrets must be refused: {other:?}"),
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_upgrade-planner"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_refuses_to_export_a_plan_with_secrets_even_as_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let (_, json) = secret_plan();
    let plan = dir.path().join("secret.upgrade-plan.json");
    std::fs::write(&plan, &json).unwrap();
    let outs: Vec<PathBuf> = ["out.pdf", "out.md", "out.json"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    for draft in [false, true] {
        let mut args = vec![
            "export".to_string(),
            plan.display().to_string(),
            "--pdf".into(),
            outs[0].display().to_string(),
            "--markdown".into(),
            outs[1].display().to_string(),
            "--json".into(),
            outs[2].display().to_string(),
            "--today".into(),
            "2026-11-21".into(),
        ];
        if draft {
            args.push("--draft".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = cli(&args);
        assert_eq!(code, 1, "draft={draft}: {stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        for (field, _, _) in SECRETS {
            assert!(
                stderr.contains(&format!("secret: {field} ")),
                "draft={draft}: {field} not named in {stderr}"
            );
        }
        assert_no_secret("export stdout", &stdout);
        assert_no_secret("export stderr", &stderr);
        for out in &outs {
            assert!(!out.exists(), "{} was written", out.display());
        }
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "only the plan is in the directory");
    }
    let (code, stdout, stderr) = cli(&[
        "validate",
        &plan.display().to_string(),
        "--today",
        "2026-11-21",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("secret"), "{stdout}");
    assert_no_secret("validate stdout", &stdout);
    assert_no_secret("validate stderr", &stderr);
    let (_, stdout, stderr) = cli(&["validate", &plan.display().to_string(), "--json"]);
    assert_no_secret("validate --json", &stdout);
    assert_no_secret("validate --json stderr", &stderr);
}

#[test]
fn renderers_called_directly_never_output_a_secret() {
    // The CLI and the app refuse first; the renderers redact anyway.
    let (plan, _) = secret_plan();
    let m = common::model(&plan, Paper::A4, true);
    let pdf_bytes = pdf::render_pdf(&m).unwrap();
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf_bytes).unwrap();
    assert!(
        pdf_text.contains("REDACTED"),
        "the PDF shows where secrets were"
    );
    assert_no_secret("PDF text", &pdf_text);
    assert_no_secret("PDF bytes", &String::from_utf8_lossy(&pdf_bytes));
    let md = markdown::render(&m);
    assert!(md.contains("[REDACTED]"));
    assert_no_secret("Markdown", &md);
    assert_no_secret("plan JSON", &export::plan_json(&plan));
    assert_no_secret(
        "plan JSON, hosts redacted",
        &export::plan_json_with(&plan, true),
    );
}

/// Host names, IP addresses and email addresses in a plan, and where they go.
const HOSTS: &[(&str, &str)] = &[
    ("contact.email", "ada.admin@corp-example.com"),
    (
        "notes.unique_setup",
        "Primary is gitlab.corp-example.com at 10.20.30.40, replica 2001:db8:85a3::8a2e:370:7334",
    ),
    (
        "notes.current_known_issues",
        "Slow queries on pg-primary.db.corp-example.net; mail ops-team@corp-example.com",
    ),
    (
        "backup.location",
        "nfs://backup01.corp-example.com/gitlab (192.168.77.5)",
    ),
    (
        "geo.secondaries[0].location",
        "Dublin DC, geo.eu.corp-example.com",
    ),
];
const HOST_PARTS: &[&str] = &[
    "ada.admin@",
    "corp-example",
    "10.20.30.40",
    "2001:db8:85a3",
    "192.168.77.5",
    "ops-team@",
];

fn host_plan_file(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join(common::GEO)).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (field, text) in HOSTS {
        with_secret(&mut value, field, text);
    }
    // A node with its host names listed (single-label names included).
    value["topology"]["nodes"][0]["hosts"] =
        serde_json::json!(["gitlab-rails-01", "gitlab-rails-02.corp-example.com"]);
    let path = dir.join("hosts.upgrade-plan.json");
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    path
}

fn export_all(plan: &Path, dir: &Path, redact: bool) -> (String, String, String) {
    let pdf = dir.join(format!("p{redact}.pdf"));
    let md = dir.join(format!("p{redact}.md"));
    let json = dir.join(format!("p{redact}.json"));
    let p = plan.display().to_string();
    let (pdf_s, md_s, json_s) = (
        pdf.display().to_string(),
        md.display().to_string(),
        json.display().to_string(),
    );
    let mut args = vec![
        "export",
        &p,
        "--pdf",
        &pdf_s,
        "--markdown",
        &md_s,
        "--json",
        &json_s,
        "--draft",
        "--today",
        "2026-11-21",
    ];
    if redact {
        args.push("--redact-hosts");
    }
    let (code, stdout, stderr) = cli(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let pdf_text = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap();
    (
        squash(&pdf_text),
        std::fs::read_to_string(&md).unwrap(),
        std::fs::read_to_string(&json).unwrap(),
    )
}

#[test]
fn host_redaction_removes_every_host_ip_and_email_from_all_three_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let plan = host_plan_file(dir.path());
    // Without the option the outputs carry them: the check below can see them.
    let (pdf_text, md, json) = export_all(&plan, dir.path(), false);
    for part in ["corp-example", "10.20.30.40"] {
        assert!(
            pdf_text.contains(part),
            "PDF without redaction lacks {part}"
        );
        assert!(json.contains(part), "JSON without redaction lacks {part}");
    }
    assert!(md.contains("ada.admin@corp-example.com") || md.contains("corp-example"));
    assert!(json.contains("gitlab-rails-01"));

    let (pdf_text, md, json) = export_all(&plan, dir.path(), true);
    for part in HOST_PARTS.iter().chain(["gitlab-rails-01"].iter()) {
        assert!(!pdf_text.contains(&squash(part)), "PDF holds {part}");
        assert!(!md.contains(part), "Markdown holds {part}");
        assert!(!json.contains(part), "JSON holds {part}");
    }
    assert!(json.contains("[HOST]") && json.contains("[IP]") && json.contains("[EMAIL]"));
    // The plan file itself is not changed.
    let original = std::fs::read_to_string(&plan).unwrap();
    assert!(original.contains("ada.admin@corp-example.com"));
    // The redacted JSON is still a plan that loads.
    plan_file::parse(Path::new("redacted.json"), json.as_bytes()).unwrap();
}

/// Unknown keys are free text: a secret used as the name of one is found (named without
/// repeating it), the export is refused, and the plan file export renames the key.
#[test]
fn a_secret_used_as_a_key_name_is_found_and_never_output() {
    const KEYS: [(&str, &str); 3] = [
        ("notes", "glpat-Kk2Jj4Hh6Gg8Ff0Dd1Ss"),
        ("backup", "AKIA2OGYBAH6TDQEXV9Q"),
        ("", "db_password=Zz9Yy8Xx7Ww"),
    ];
    let text = std::fs::read_to_string(root().join(common::GEO)).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (section, key) in KEYS {
        let obj = if section.is_empty() {
            &mut value
        } else {
            &mut value[section]
        };
        obj.as_object_mut().unwrap().insert(
            key.to_string(),
            serde_json::json!("kept from a newer version"),
        );
    }
    let json = serde_json::to_string_pretty(&value).unwrap();
    let plan = plan_file::parse(Path::new("keys.json"), json.as_bytes()).unwrap();
    let a = analyse(&plan, &Knowledge::embedded(), today());
    let mut found: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.rule == export::SECRET_RULE)
        .map(|f| f.field.as_str())
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        ["[REDACTED]", "backup.[REDACTED]", "notes.[REDACTED]"],
        "{:?}",
        a.findings
    );
    let secret_parts = ["Kk2Jj4Hh6Gg8Ff0Dd1Ss", "2OGYBAH6TDQEXV9Q", "Zz9Yy8Xx7Ww"];
    let exported = export::plan_json(&plan);
    let md = markdown::render(&common::model(&plan, Paper::A4, true));
    for part in secret_parts {
        assert!(!exported.contains(part), "the plan JSON holds {part}");
        assert!(!md.contains(part), "the Markdown holds {part}");
    }
    plan_file::parse(Path::new("exported.json"), exported.as_bytes()).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.upgrade-plan.json");
    std::fs::write(&file, &json).unwrap();
    let out = dir.path().join("out.md");
    let (code, stdout, stderr) = cli(&[
        "export",
        &file.display().to_string(),
        "--markdown",
        &out.display().to_string(),
        "--draft",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("secret: notes.[REDACTED] "), "{stderr}");
    assert!(!out.exists());
    for part in secret_parts {
        assert!(!stdout.contains(part) && !stderr.contains(part), "{stderr}");
    }
}

/// The secret plan with a review whose comment, notes and checklist carry every secret too,
/// made as the app makes one (its copy of the reviewed answers included).
fn reviewed_secret_plan() -> Plan {
    use upgrade_planner::plan::{CheckEntry, Open, Review, ReviewVerdict};
    let (mut plan, _) = secret_plan();
    let k = Knowledge::embedded();
    let a = analyse(&plan, &k, today());
    let all: Vec<&str> = SECRETS.iter().map(|(_, text, _)| *text).collect();
    let mut r: Review = upgrade_planner::review::new_review(&plan, &a, &k);
    r.verdict = Some(Open::Known(ReviewVerdict::NeedsInfo));
    r.comment = Some(all.join("\n"));
    r.missing = all.iter().map(|s| (*s).to_string()).collect();
    r.step_notes.insert("backup".into(), all.join("\n"));
    r.checklist.insert(
        "rollback_plan".into(),
        CheckEntry {
            note: Some(all.join(" ")),
            ..Default::default()
        },
    );
    plan.reviews.push(r);
    plan
}

#[test]
fn reviews_never_carry_a_secret_into_an_output() {
    let plan = reviewed_secret_plan();
    // The copy of the reviewed answers a review keeps holds none of the plan's secrets.
    let kept = serde_json::to_string(&plan.reviews[0].answers).unwrap();
    assert_no_secret("the reviewed answers", &kept);
    // The review command refuses like export: nothing written, the secret not printed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reviewed.upgrade-plan.json");
    plan_file::save(&file, &plan).unwrap();
    let md = dir.path().join("reply.md");
    let pdf_out = dir.path().join("reply.pdf");
    let (code, stdout, stderr) = cli(&[
        "review",
        &file.display().to_string(),
        "--markdown",
        &md.display().to_string(),
        "--pdf",
        &pdf_out.display().to_string(),
        "--json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("secret: reviews[0].step_notes.backup"),
        "{stderr}"
    );
    assert_no_secret("review stdout", &stdout);
    assert_no_secret("review stderr", &stderr);
    assert!(!md.exists() && !pdf_out.exists());
    // The reply's renderers, called directly, redact.
    let k = Knowledge::embedded();
    let a = analyse(&plan, &k, today());
    let reply = upgrade_planner::review::reply::build(&plan, &k, &a, today(), false);
    let text = upgrade_planner::review::markdown::render(&reply);
    assert!(text.contains("\\[REDACTED\\]"), "{text}");
    assert_no_secret("review Markdown", &text);
    assert_no_secret("review JSON", &serde_json::to_string(&reply).unwrap());
    let m = common::model(&plan, Paper::A4, true);
    let bytes = pdf::render_review_pdf(&reply, &m).unwrap();
    assert_no_secret(
        "review PDF text",
        &pdf_extract::extract_text_from_mem(&bytes).unwrap(),
    );
    assert_no_secret("review PDF bytes", &String::from_utf8_lossy(&bytes));
    // The plan's own exports show the review status without its texts' secrets.
    assert_no_secret("plan Markdown", &markdown::render(&m));
}
