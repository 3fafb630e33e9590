//! A value a closed list does not know (a node role `pages`, an install method `nix`) is kept:
//! the plan opens, every writer (plan file, draft, `export --json`) writes the same string at
//! the same key, also after other edits and with node groups and Geo sites removed or
//! reordered; validation warns (rule `unknown_value`) and never errors; the exports show
//! `other: …`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use upgrade_planner::export::{self, Paper, markdown, pdf};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::{GeoSite, Node, NodeRole, Open, Plan, TopologyKind};
use upgrade_planner::validate::{Severity, analyse};
use upgrade_planner::{draft, plan_file};

const MULTI: &str = include_str!("../assets/samples/multi-node-geo.upgrade-plan.json");

fn parse(text: &str) -> Plan {
    match plan_file::parse(Path::new("plan.json"), text.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The multi-node Geo sample as this version writes it, with `edit` applied to its JSON: the
/// text a file would hold, written the way `plan_file::to_json` writes.
fn sample_with(edit: impl FnOnce(&mut Value)) -> String {
    let canonical = plan_file::to_json(&parse(MULTI));
    let mut value: Value = serde_json::from_str(&canonical).unwrap();
    edit(&mut value);
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    text
}

/// The sample with node group 2 (Sidekiq) given the role `pages` with a further role `kas`,
/// the method `nix` and a second Geo site whose topology is `cell`.
fn with_unknown_values() -> String {
    sample_with(|v| {
        v["install"]["method"] = "nix".into();
        v["topology"]["nodes"][1]["role"] = "pages".into();
        v["topology"]["nodes"][1]["additional_roles"] = serde_json::json!(["kas"]);
        let sites = v["geo"]["secondaries"].as_array_mut().unwrap();
        sites.push(serde_json::json!({"name": "ap-south", "kind": "cell", "node_count": 4}));
    })
}

#[test]
fn a_plan_with_unknown_values_saves_back_byte_for_byte() {
    let text = with_unknown_values();
    let plan = parse(&text);
    assert_eq!(plan_file::to_json(&plan), text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.upgrade-plan.json");
    plan_file::save(&path, &plan).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // The export writes the plan file the same way.
    assert_eq!(export::plan_json(&plan), text);
}

#[test]
fn the_value_stays_with_its_node_group_and_site_through_other_edits() {
    let mut plan = parse(&with_unknown_values());
    // Another answer changes, the group before the `pages` group goes, a group is added at
    // the front, and a site is added before the `cell` one.
    plan.contact.as_mut().unwrap().name = Some("Grace Hopper".into());
    let t = plan.topology.as_mut().unwrap();
    t.nodes.remove(0);
    t.nodes.insert(0, Node::new(NodeRole::Consul, 3));
    t.nodes.swap(0, 2);
    let geo = plan.geo.as_mut().unwrap();
    geo.secondaries.insert(
        0,
        GeoSite {
            name: "us-east".into(),
            kind: Some(TopologyKind::SingleNode.into()),
            ..GeoSite::default()
        },
    );
    let saved: Value = serde_json::from_str(&plan_file::to_json(&plan)).unwrap();
    let nodes = saved["topology"]["nodes"].as_array().unwrap();
    let pages: Vec<&Value> = nodes.iter().filter(|n| n["role"] == "pages").collect();
    assert_eq!(pages.len(), 1, "{nodes:?}");
    assert_eq!(pages[0]["count"], 2, "the group's own count came with it");
    assert_eq!(pages[0]["additional_roles"], serde_json::json!(["kas"]));
    assert_eq!(nodes[0]["role"], "gitaly");
    assert_eq!(nodes[2]["role"], "consul");
    let sites = saved["geo"]["secondaries"].as_array().unwrap();
    assert_eq!(sites[2]["name"], "ap-south");
    assert_eq!(sites[2]["kind"], "cell");
    assert_eq!(sites[0]["kind"], "single_node");
    assert_eq!(saved["install"]["method"], "nix");
    assert_eq!(saved["contact"]["name"], "Grace Hopper");

    // Removing the group before it, and nothing else: the file is the original without it.
    let mut plan = parse(&with_unknown_values());
    plan.topology.as_mut().unwrap().nodes.remove(0);
    let expected = sample_with(|v| {
        v["install"]["method"] = "nix".into();
        v["topology"]["nodes"][1]["role"] = "pages".into();
        v["topology"]["nodes"][1]["additional_roles"] = serde_json::json!(["kas"]);
        let sites = v["geo"]["secondaries"].as_array_mut().unwrap();
        sites.push(serde_json::json!({"name": "ap-south", "kind": "cell", "node_count": 4}));
        v["topology"]["nodes"].as_array_mut().unwrap().remove(0);
    });
    assert_eq!(plan_file::to_json(&plan), expected);
}

#[test]
fn only_a_known_value_picked_for_the_field_replaces_it() {
    let mut plan = parse(&with_unknown_values());
    let t = plan.topology.as_mut().unwrap();
    assert_eq!(t.nodes[1].role, Open::Unknown("pages".into()));
    assert!(
        t.nodes[1].role != NodeRole::Other,
        "a kept value is not `other`"
    );
    t.nodes[1].role = NodeRole::Sidekiq.into();
    let saved: Value = serde_json::from_str(&plan_file::to_json(&plan)).unwrap();
    assert_eq!(saved["topology"]["nodes"][1]["role"], "sidekiq");
    assert_eq!(saved["topology"]["nodes"][1]["additional_roles"][0], "kas");
    assert_eq!(saved["install"]["method"], "nix");
}

#[test]
fn the_draft_keeps_the_values() {
    let plan = parse(&with_unknown_values());
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    draft::write(dir.path(), &plan, None, now).unwrap();
    let back = draft::read(dir.path()).unwrap().unwrap();
    assert_eq!(back.plan, plan);
    let text = std::fs::read_to_string(dir.path().join(draft::DRAFT_FILE)).unwrap();
    assert!(text.contains("\"role\": \"pages\""), "{text}");
    assert!(text.contains("\"method\": \"nix\""), "{text}");
}

#[test]
fn validation_warns_at_the_field_and_the_plan_stays_ready() {
    let k = Knowledge::embedded();
    let known = analyse(&parse(MULTI), &k, today());
    assert!(!known.has_errors(), "{:?}", known.findings);
    // A further group with an unknown role, an unknown further role and an unknown site
    // topology: answers the plan did not need change nothing but add a warning each.
    let text = sample_with(|v| {
        let nodes = v["topology"]["nodes"].as_array_mut().unwrap();
        nodes.push(serde_json::json!({"role": "pages", "count": 2}));
        v["topology"]["nodes"][0]["additional_roles"] = serde_json::json!(["kas"]);
        v["geo"]["secondaries"][0]["kind"] = "cell".into();
    });
    let a = analyse(&parse(&text), &k, today());
    assert!(!a.has_errors(), "{:?}", a.findings);
    let kept: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule == "unknown_value")
        .collect();
    let fields: Vec<&str> = kept.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "topology.nodes[0].additional_roles[0]",
            "topology.nodes[10].role",
            "geo.secondaries[0].kind"
        ]
    );
    assert!(kept.iter().all(|f| f.severity == Severity::Warning));
    assert_eq!(
        kept[1].message,
        "`pages` is not a value this version of Upgrade Planner knows (a newer version may); it is kept as it is."
    );
    let m = common::model(&parse(&text), Paper::A4, false);
    assert_eq!(m.counts.errors, 0);
}

/// Every place the schema gives a closed list of strings, found in the sample by following
/// the schema: `(field path as findings name it, JSON pointer)`.
fn closed_list_places(
    root: &Value,
    schema: &Value,
    value: &Value,
    at: (String, String),
) -> Vec<(String, String)> {
    let schema = resolve(root, schema);
    let (field, pointer) = at;
    if is_closed_list(schema) && value.is_string() {
        return vec![(field, pointer)];
    }
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if let Some(sub) = schema.get("properties").and_then(|p| p.get(key)) {
                    let f = if field.is_empty() {
                        key.clone()
                    } else {
                        format!("{field}.{key}")
                    };
                    out.extend(closed_list_places(
                        root,
                        sub,
                        item,
                        (f, format!("{pointer}/{key}")),
                    ));
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    let at = (format!("{field}[{i}]"), format!("{pointer}/{i}"));
                    out.extend(closed_list_places(root, sub, item, at));
                }
            }
        }
        _ => {}
    }
    out
}

/// `enum: [...]`, or `oneOf` lists and single values (how a list with some documented values
/// is written).
fn is_closed_list(schema: &Value) -> bool {
    let listed = |s: &Value| s.get("enum").is_some() || s.get("const").is_some();
    listed(schema)
        || schema
            .get("oneOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().all(listed))
}

/// A schema with `$ref` followed and an optional (`anyOf` with `null`) unwrapped.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return resolve(root, &root["$defs"][name]);
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array)
        && let Some(some) = any.iter().find(|s| s.get("type") != Some(&"null".into()))
    {
        return resolve(root, some);
    }
    schema
}

#[test]
fn every_closed_list_of_the_schema_keeps_what_it_does_not_know() {
    let schema: Value = serde_json::from_str(include_str!("../assets/plan.schema.json")).unwrap();
    // The sample, with the answers it leaves out added so that every closed list occurs (and
    // its keys in the order the app writes them).
    let text = plan_file::to_json(&parse(&sample_with(|v| {
        v["versions"]["target_edition"] = "ce".into();
        v["install"]["target_method"] = "helm_chart".into();
        v["topology"]["nodes"][0]["additional_roles"] = serde_json::json!(["sidekiq"]);
        v["topology"]["nodes"][0]["os"] = serde_json::json!({"arch": "aarch64"});
    })));
    let value: Value = serde_json::from_str(&text).unwrap();
    let places = closed_list_places(&schema, &schema, &value, (String::new(), String::new()));
    let fields: Vec<&str> = places.iter().map(|(f, _)| f.as_str()).collect();
    for expected in [
        "versions.edition",
        "versions.target_edition",
        "install.method",
        "install.target_method",
        "os.arch",
        "topology.kind",
        "topology.nodes[0].role",
        "topology.nodes[0].additional_roles[0]",
        "topology.nodes[0].os.arch",
        "topology.postgresql.mode",
        "topology.redis.mode",
        "topology.gitaly.mode",
        "geo.site_role",
        "geo.secondaries[0].kind",
        "backup.method",
        "last_step",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} not found in {fields:?}"
        );
    }
    let k = Knowledge::embedded();
    for (field, pointer) in &places {
        let mut changed = value.clone();
        *changed.pointer_mut(pointer).unwrap() = "zz_newer_value".into();
        let mut text = serde_json::to_string_pretty(&changed).unwrap();
        text.push('\n');
        let plan = match plan_file::parse(Path::new("p.json"), text.as_bytes()) {
            Ok(p) => p,
            Err(e) => panic!("{field}: {e}"),
        };
        assert_eq!(plan_file::to_json(&plan), text, "{field}");
        let warned: Vec<_> = analyse(&plan, &k, today())
            .findings
            .into_iter()
            .filter(|f| f.rule == "unknown_value")
            .collect();
        // `last_step` is where the wizard opens, not an answer: kept, without a warning.
        let expected: Vec<&str> = if field == "last_step" {
            vec![]
        } else {
            vec![field]
        };
        let got: Vec<&str> = warned.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(got, expected, "{field}");
    }
}

#[test]
fn exports_show_other_and_the_plan_file_export_keeps_the_value() {
    let plan = parse(&with_unknown_values());
    let m = common::model(&plan, Paper::A4, false);
    let e = &m.environment;
    assert_eq!(e.install_method.as_deref(), Some("other: nix"));
    assert_eq!(e.nodes[1].role, "other: pages");
    assert_eq!(e.nodes[1].also, ["other: kas"]);
    assert_eq!(
        m.geo.secondaries[1].topology.as_deref(),
        Some("other: cell")
    );
    // The runbook's commands assume what they would with no method answered.
    assert_eq!(m.runbook.commands_for, "the Linux package");

    let md = markdown::render(&m);
    for shown in ["other: nix", "other: pages ×2", "other: cell"] {
        assert!(
            md.contains(shown),
            "{shown} missing from the Markdown:\n{md}"
        );
    }
    let bytes = pdf::render_pdf(&m).unwrap();
    let text: String = pdf_extract::extract_text_from_mem(&bytes)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for shown in ["other: nix", "other: pages", "other: kas", "other: cell"] {
        assert!(text.contains(shown), "{shown} missing from the PDF");
    }
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_upgrade-planner"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .env(
            "UPGRADE_PLANNER_DATA_DIR",
            "/nonexistent/upgrade-planner-data",
        )
        .output()
        .unwrap()
}

#[test]
fn the_command_line_validates_with_a_warning_and_exports_the_value_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text = with_unknown_values();
    let plan = dir.path().join("p.upgrade-plan.json");
    std::fs::write(&plan, &text).unwrap();
    let p = plan.to_str().unwrap();

    let out = cli(&["validate", "--today", "2026-11-21", p]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("warning: topology.nodes[1].role [Topology] `pages` is not a value this version of Upgrade Planner knows"),
        "{stdout}"
    );

    let out = cli(&["validate", "--today", "2026-11-21", "--json", p]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kept: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unknown_value")
        .collect();
    assert_eq!(kept.len(), 4, "{kept:?}");
    assert!(kept.iter().all(|f| f["severity"] == "warning"));

    let json = dir.path().join("out.json");
    let md = dir.path().join("out.md");
    let out = cli(&[
        "export",
        p,
        "--json",
        json.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), text);
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("other: pages"), "{md}");
}
