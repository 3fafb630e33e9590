//! The plan file: round trips, tolerance, strictness, clear errors and atomic saving.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use upgrade_planner::plan::{Plan, SCHEMA_VERSION, Step};
use upgrade_planner::plan_file::{self, PlanFileErrorKind};

const MULTI: &str = include_str!("../assets/samples/multi-node-geo.upgrade-plan.json");
const SINGLE: &str = include_str!("../assets/samples/single-node.upgrade-plan.json");

fn parse(text: &str) -> Result<Plan, plan_file::PlanFileError> {
    plan_file::parse(Path::new("plan.json"), text.as_bytes())
}

#[test]
fn samples_load_with_every_answer() {
    let p = parse(MULTI).unwrap();
    assert_eq!(p.plan_id, "0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10");
    assert_eq!(p.revision, 3);
    assert_eq!(
        p.contact.as_ref().unwrap().organization.as_deref(),
        Some("Example Corp")
    );
    assert_eq!(p.topology.as_ref().unwrap().nodes.len(), 10);
    assert_eq!(p.geo.as_ref().unwrap().secondaries[0].name, "eu-west");
    assert_eq!(p.last_step, Some(Step::Review.into()));
    let s = parse(SINGLE).unwrap();
    assert_eq!(
        s.contact.as_ref().unwrap().name.as_deref(),
        Some("Zoë Müller-Łukasiewicz")
    );
}

#[test]
fn load_save_load_loses_nothing_and_keeps_unknown_keys() {
    let mut value: serde_json::Value = serde_json::from_str(MULTI).unwrap();
    value["future_section"] = serde_json::json!({"a": [1, 2, {"b": null}]});
    value["topology"]["future_flag"] = true.into();
    value["topology"]["nodes"][0]["rack"] = "r12".into();
    value["geo"]["secondaries"][0]["network"] = "10.0.0.0/8".into();
    let text = serde_json::to_string_pretty(&value).unwrap();
    let plan = parse(&text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.upgrade-plan.json");
    plan_file::save(&path, &plan).unwrap();
    let again = plan_file::load(&path).unwrap();
    assert_eq!(plan, again);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved, value, "the saved file is the same JSON document");
    // `format` and `schema_version` come first.
    let saved_text = std::fs::read_to_string(&path).unwrap();
    let fmt = saved_text.find("\"format\"").unwrap();
    let ver = saved_text.find("\"schema_version\"").unwrap();
    let id = saved_text.find("\"plan_id\"").unwrap();
    assert!(fmt < ver && ver < id);
}

#[test]
fn missing_sections_default() {
    let p = parse(r#"{"format": "gitlab-upgrade-plan", "schema_version": 1}"#).unwrap();
    assert!(p.contact.is_none());
    assert!(p.topology.is_none());
    assert!(p.known_issues_reviewed.is_empty());
    assert_eq!(p.revision, 0);
}

#[test]
fn older_schema_is_migrated() {
    // Version 0: early drafts without the header keys.
    let p = parse(r#"{"plan_id": "x", "schema_version": 0, "versions": {"current": "16.3.4"}}"#)
        .unwrap();
    assert_eq!(p.schema_version, SCHEMA_VERSION);
    assert_eq!(p.format, "gitlab-upgrade-plan");
    assert_eq!(p.versions.unwrap().current.as_deref(), Some("16.3.4"));
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let e = parse(r#"{"format": "gitlab-upgrade-plan", "schema_version": 7}"#).unwrap_err();
    assert!(matches!(e.kind, PlanFileErrorKind::TooNew { found: 7 }));
    let msg = e.to_string();
    assert!(
        msg.contains("plan.json")
            && msg.contains("version 7")
            && msg.contains("newer Upgrade Planner"),
        "{msg}"
    );
}

#[test]
fn truncated_file_names_line_and_column() {
    let cut = &MULTI[..MULTI.len() / 2];
    let e = parse(cut).unwrap_err();
    let PlanFileErrorKind::Syntax { line, column, .. } = e.kind else {
        panic!("{e}")
    };
    assert!(line > 10 && column > 0);
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("line {line}, column {column}")),
        "{msg}"
    );
    assert!(msg.contains("truncated"), "{msg}");
}

#[test]
fn wrong_type_names_the_field_and_position() {
    let text = MULTI.replace("\"count\": 3", "\"count\": \"three\"");
    let e = parse(&text).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("topology.nodes[0].count"), "{msg}");
    assert!(msg.contains("line "), "{msg}");
    // A closed list's value that is not a string at all (an unknown string is kept).
    let text = MULTI.replace("\"method\": \"linux_package\"", "\"method\": 7");
    let msg = parse(&text).unwrap_err().to_string();
    assert!(
        msg.contains("install.method") && msg.contains("expected a string"),
        "{msg}"
    );
}

#[test]
fn not_a_plan_is_refused() {
    for (text, needle) in [
        ("[1, 2]", "not an object"),
        (r#"{"format": "something-else"}"#, "format"),
        (r#"{"name": "x"}"#, "format"),
        ("", "empty"),
        ("   \n", "empty"),
    ] {
        let msg = parse(text).unwrap_err().to_string();
        assert!(msg.contains(needle), "{text:?}: {msg}");
        assert!(msg.starts_with("plan.json"), "{msg}");
    }
    // UTF-16 with a byte-order mark is decoded: `{}` is JSON, but not a plan.
    let utf16: Vec<u8> = [0xFF, 0xFE, b'{', 0, b'}', 0].to_vec();
    let msg = plan_file::parse(Path::new("p.json"), &utf16)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("no `format"), "{msg}");
    let odd: Vec<u8> = [0xFF, 0xFE, b'{', 0, b'}'].to_vec();
    let msg = plan_file::parse(Path::new("p.json"), &odd)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("UTF-16") && msg.contains("odd number"),
        "{msg}"
    );
    let no_bom: Vec<u8> = [b'{', 0, b'\n', 0, b'}', 0].to_vec();
    let msg = plan_file::parse(Path::new("p.json"), &no_bom)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("UTF-16 text without a byte-order mark"),
        "{msg}"
    );
    let junk = [0x00, 0x9F, 0x92, 0x96, 0xFF];
    let msg = plan_file::parse(Path::new("p.json"), &junk)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("not UTF-8"), "{msg}");
}

#[test]
fn utf8_bom_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(SINGLE.as_bytes());
    let p = plan_file::parse(Path::new("p.json"), &bytes).unwrap();
    assert_eq!(p.revision, 1);
}

#[test]
fn missing_file_and_directory_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let msg = plan_file::load(&missing).unwrap_err().to_string();
    assert!(
        msg.contains("nope.json") && msg.contains("cannot read"),
        "{msg}"
    );
    let msg = plan_file::load(dir.path()).unwrap_err().to_string();
    assert!(msg.contains("directory"), "{msg}");
}

#[test]
fn saving_is_atomic_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.upgrade-plan.json");
    std::fs::write(&path, "old contents").unwrap();
    let plan = parse(SINGLE).unwrap();
    plan_file::save(&path, &plan).unwrap();
    assert_eq!(plan_file::load(&path).unwrap(), plan);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["p.upgrade-plan.json", "p.upgrade-plan.json.bak"]);
    // The file it replaced is kept as `.bak`; the next save moves the backup on.
    let bak = plan_file::backup_path(&path);
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), "old contents");
    let mut second = plan.clone();
    second.revision += 1;
    plan_file::save(&path, &second).unwrap();
    assert_eq!(plan_file::load(&path).unwrap(), second);
    assert_eq!(plan_file::load(&bak).unwrap(), plan);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    // Saving into a directory that does not exist fails with the path named; nothing is lost.
    let bad = dir.path().join("missing-dir").join("p.json");
    let msg = plan_file::save(&bad, &plan).unwrap_err().to_string();
    assert!(
        msg.contains("missing-dir") && msg.contains("cannot save"),
        "{msg}"
    );
}

#[test]
fn published_schema_matches_the_code() {
    let committed = include_str!("../assets/plan.schema.json");
    assert_eq!(
        upgrade_planner::cli::schema_json(),
        committed,
        "assets/plan.schema.json is out of date: run `cargo run -- schema > assets/plan.schema.json`"
    );
}

#[test]
fn samples_conform_to_the_published_schema_keys() {
    // Every enum value used in the samples is one the schema lists.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../assets/plan.schema.json")).unwrap();
    let text = serde_json::to_string(&schema).unwrap();
    for v in [
        "linux_package",
        "multi_node",
        "external",
        "sentinel",
        "cluster",
        "gitlab_backup",
        "review",
    ] {
        assert!(
            text.contains(&format!("\"{v}\"")),
            "{v} missing from the schema"
        );
    }
}

#[test]
fn what_cannot_be_opened_again_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    // An answer over the per-answer limit (the wizard's text boxes stop there too).
    let mut long = parse(SINGLE).unwrap();
    long.notes.get_or_insert_with(Default::default).unique_setup =
        Some("x".repeat(plan_file::MAX_TEXT_CHARS + 1));
    // A plan that grows over the size limit when written pretty: 19,000 numbers 120 levels
    // deep (one per line behind 240 spaces) and long answers.
    let mut deep = serde_json::json!(vec![0; 19_000]);
    for _ in 0..120 {
        deep = serde_json::json!({ "a": deep });
    }
    let mut wide = parse(SINGLE).unwrap();
    wide.extra.insert("x_deep".into(), deep);
    for i in 0..45 {
        let text = "the same long answer, ".repeat(4_500);
        wide.extra.insert(format!("x_note_{i}"), text.into());
    }
    let compact = serde_json::to_string(&wide).unwrap();
    assert!(compact.len() < plan_file::MAX_PLAN_BYTES as usize);
    for (plan, says) in [
        (&long, "at most 100000 characters"),
        (&wide, "over the 8.0 MB a plan file may be"),
    ] {
        let path = dir.path().join("p.upgrade-plan.json");
        let e = plan_file::save(&path, plan).unwrap_err();
        assert!(
            matches!(e.kind, PlanFileErrorKind::NotSaved { .. }),
            "{e:?}"
        );
        let message = e.to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        assert!(message.contains("nothing was written"), "{message}");
        assert!(message.contains(says), "{message}");
        assert!(!path.exists(), "something was written");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[test]
fn too_many_values_are_refused_before_parsing_with_the_place() {
    let mut value: serde_json::Value = serde_json::from_str(SINGLE).unwrap();
    value["x_zeros"] = serde_json::json!(vec![0; plan_file::MAX_JSON_VALUES]);
    let e = parse(&serde_json::to_string(&value).unwrap()).unwrap_err();
    match e.kind {
        PlanFileErrorKind::TooManyValues { line, column, .. } => {
            assert_eq!(line, 1);
            assert!(column > 2 * (plan_file::MAX_JSON_VALUES - 100), "{column}");
        }
        other => panic!("expected too many values, got {other:?}"),
    }
    assert!(e.to_string().contains("more than 20000 values"), "{e}");
    // Lists and objects cost more once parsed: fewer of them are accepted.
    value["x_zeros"] = serde_json::json!(vec![[0]; plan_file::MAX_JSON_CONTAINERS]);
    let e = parse(&serde_json::to_string_pretty(&value).unwrap()).unwrap_err();
    assert!(
        e.to_string()
            .contains("more than 5000 lists and objects by line"),
        "{e}"
    );
    // A plan with many values, but fewer than the limits, loads.
    value["x_zeros"] = serde_json::json!(vec![0; plan_file::MAX_JSON_VALUES / 2]);
    parse(&serde_json::to_string(&value).unwrap()).unwrap();
    value["x_zeros"] = serde_json::json!(vec![[0]; plan_file::MAX_JSON_CONTAINERS / 2]);
    parse(&serde_json::to_string(&value).unwrap()).unwrap();
}

#[test]
fn the_revision_stops_at_its_largest_value() {
    let mut p = parse(SINGLE).unwrap();
    p.revision = u32::MAX - 1;
    assert_eq!(p.next_revision(), u32::MAX);
    p.revision = u32::MAX;
    assert_eq!(p.next_revision(), u32::MAX);
    let text = plan_file::to_json(&p);
    assert_eq!(parse(&text).unwrap().revision, u32::MAX);
}
