//! Helpers shared by the integration tests (exports, architecture and privacy checks).

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use upgrade_planner::export::{ExportMeta, ExportModel, Paper};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::Plan;
use upgrade_planner::plan_file;
use upgrade_planner::validate::analyse;

pub const SMALL: &str = "assets/samples/single-node.upgrade-plan.json";
pub const GEO: &str = "assets/samples/multi-node-geo.upgrade-plan.json";
pub const LARGE: &str = "tests/fixtures/large.upgrade-plan.json";
pub const TOKEN: &str = "tests/fixtures/token-in-notes.upgrade-plan.json";

pub fn load(rel: &str) -> Plan {
    plan_file::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The export model as of 2026-11-21 10:30 UTC, with a fixed tool version.
pub fn model(plan: &Plan, paper: Paper, draft: bool) -> ExportModel {
    let k = Knowledge::embedded();
    let a = analyse(plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    let mut meta = ExportMeta::new(Utc.with_ymd_and_hms(2026, 11, 21, 10, 30, 0).unwrap());
    meta.tool_version = "9.9.9-test".into();
    meta.paper = paper;
    meta.draft = draft;
    ExportModel::build(plan, &k, &a, meta)
}

/// Every `.rs` file below `dir`, recursively, appended to `out`.
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
