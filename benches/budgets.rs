//! In-process benchmarks for the speed budgets of issue 7 (see BENCHMARKS.md; `bench/run` runs
//! them next to the whole-process measurements and prints every figure against its budget).
//!
//! `cargo bench --bench budgets` measures; `cargo test --benches` runs each benchmark once, as a
//! smoke check that they still build and work. Budgets are not asserted here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use egui_kittest::Harness;
use upgrade_planner::environment::Environment;
use upgrade_planner::export::{ExportMeta, ExportModel, markdown, pdf};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::path::{self, PathRequest};
use upgrade_planner::plan::{Plan, Step};
use upgrade_planner::plan_file;
use upgrade_planner::ui::app::{Command, WizardApp};
use upgrade_planner::ui::platform::ScriptedPlatform;
use upgrade_planner::validate::analyse;

fn main() {
    divan::main();
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The embedded data, parsed once (a process parses it once too).
fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

/// The 60-node, 3-Geo-site plan.
fn large_plan_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/large.upgrade-plan.json")
}

fn large_plan() -> Plan {
    plan_file::load(&large_plan_path()).unwrap()
}

fn generated_at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
        .unwrap()
        .into()
}

/// Analysis, export model, PDF and Markdown of the large plan: what `export --pdf --markdown`
/// does after reading the file. Returns the sizes so nothing is optimised away.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn export_pdf_and_markdown(bencher: Bencher) {
    let k = knowledge();
    let plan = large_plan();
    bencher.bench_local(|| {
        let analysis = analyse(&plan, k, today());
        let model = ExportModel::build(&plan, k, &analysis, ExportMeta::new(generated_at()));
        let pdf = pdf::render_pdf(&model).unwrap();
        let md = markdown::render(&model);
        (pdf.len(), md.len())
    });
}

/// Read, parse and analyse the large plan file, as `upgrade-planner validate` does once: every
/// text of the plan scanned for secrets anew (nothing remembered from the sample before).
#[divan::bench(sample_count = 200, sample_size = 1)]
fn load_and_validate(bencher: Bencher) {
    let k = knowledge();
    let path = large_plan_path();
    bencher
        .with_inputs(upgrade_planner::secrets::forget_scanned_texts)
        .bench_local_values(|()| {
            let plan = plan_file::load(&path).unwrap();
            analyse(&plan, k, today()).findings.len()
        });
}

/// What the wizard does after each keystroke: the large plan analysed again with one answer
/// changed (a letter added to the organisation's name, a different one each time).
#[divan::bench(sample_count = 200, sample_size = 1)]
fn analyse_after_one_edit(bencher: Bencher) {
    let k = knowledge();
    let mut plan = large_plan();
    analyse(&plan, k, today());
    let mut typed = 0u32;
    bencher.bench_local(|| {
        typed += 1;
        let contact = plan.contact.get_or_insert_with(Default::default);
        let name = contact.organization.get_or_insert_with(String::new);
        name.push(char::from_digit(typed % 10, 10).unwrap_or('x'));
        analyse(&plan, k, today()).findings.len()
    });
}

/// The upgrade path from 15.0 to 19.3 (no conditions, nothing known about the instance).
#[divan::bench(sample_count = 1000)]
fn path_15_0_to_19_3(bencher: Bencher) {
    let k = knowledge();
    let req = PathRequest {
        from: "15.0".into(),
        to: Some("19.3".into()),
        zero_downtime: false,
        conditions: Vec::new(),
        today: None,
    };
    let env = Environment::unknown();
    bencher.bench_local(|| path::compute(k, &req, &env).unwrap().hops.len());
}

/// The wizard with the large plan open on `step`, in a window the size the app opens with.
fn wizard_on(step: Step) -> Harness<'static, WizardApp> {
    let platform = ScriptedPlatform {
        now: Some(generated_at()),
        ..Default::default()
    };
    let mut app = WizardApp::new(Box::new(platform), knowledge(), today()).with_inline_jobs();
    app.commands.push(Command::OpenPath(large_plan_path()));
    app.run_commands();
    let nodes: u32 = app
        .plan
        .topology
        .as_ref()
        .map_or(0, |t| t.nodes.iter().map(|n| n.count).sum());
    assert_eq!(nodes, 60, "the large plan did not open");
    app.go_to(step);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1180.0, 780.0))
        .with_context_setup(upgrade_planner::ui::install_fonts)
        .build_ui_state(|ui, app: &mut WizardApp| app.show(ui), app);
    // Settle: fonts, layout caches and the first analysis happen before the measurement.
    h.run();
    h
}

/// One frame of UI logic (no rendering) on the topology step with 60 nodes, 1,000 frames.
#[divan::bench(sample_count = 1000, sample_size = 1)]
fn frame_topology_60_nodes(bencher: Bencher) {
    let mut h = wizard_on(Step::Topology);
    bencher.bench_local(|| h.step());
    assert_eq!(h.state().step, Step::Topology);
}

/// One frame of UI logic on the review step, which lists every finding, 1,000 frames.
#[divan::bench(sample_count = 1000, sample_size = 1)]
fn frame_review_all_findings(bencher: Bencher) {
    let mut h = wizard_on(Step::Review);
    assert!(!h.state().analysis.findings.is_empty());
    bencher.bench_local(|| h.step());
    assert_eq!(h.state().step, Step::Review);
}
