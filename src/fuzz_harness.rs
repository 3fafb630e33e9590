//! What the fuzz targets run, in one place, so that the corpus tests (`tests/fuzz_corpus.rs`)
//! check exactly what the fuzzer checked.
//!
//! Each function takes arbitrary bytes, drives the public API the way the command line and the
//! wizard do, and panics only when an invariant is broken (a panic is what the fuzzer reports
//! as a finding). Bad input is not a finding: it must produce an error, and the error is
//! checked to name the file.
//!
//! The fuzz crate lives in `fuzz/` (see the README, "Fuzzing").

// Panicking on a broken invariant is the point of this module.
#![allow(clippy::panic)]

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::export::{self, ExportMeta, ExportModel, Paper};
use crate::intake;
use crate::knowledge::Knowledge;
use crate::plan::Plan;
use crate::plan_file;
use crate::validate::{self, Analysis};

/// The name the inputs are parsed under; error messages must carry it.
pub const INPUT_NAME: &str = "fuzz-input.upgrade-plan.json";

/// The embedded knowledge only: fuzzing must not depend on the machine's data directory.
fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

/// The date plans are validated as of (fixed, so findings are reproducible).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default()
}

/// The generation time written into exports (fixed, so outputs are reproducible).
pub fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 30, 0)
        .single()
        .unwrap_or_default()
}

/// Parse `data` as a plan file the way `plan_file::load` does after reading it. An error must
/// name the file; a plan that loads must survive a save and reload unchanged, and validate.
pub fn plan_loader(data: &[u8]) {
    let Some(plan) = load(data) else { return };
    round_trip(&plan);
    let analysis = validate::analyse(&plan, knowledge(), today());
    reviews(&plan, &analysis);
}

/// Whatever the reviews of a plan hold, comparing the plan with each reviewed revision works,
/// and a review made now of a plan that loads is one the plan file keeps.
fn reviews(plan: &Plan, analysis: &Analysis) {
    let k = knowledge();
    for r in &plan.reviews {
        let _ = crate::review::changed_since(plan, r);
        if let Some(d) = crate::review::since_review(plan, r, k, analysis, today()) {
            assert_eq!(
                d.old_revision, r.reviewed_revision,
                "the diff lost the revision"
            );
        }
    }
    let mut reviewed = plan.clone();
    reviewed
        .reviews
        .push(crate::review::new_review(plan, analysis, k));
    round_trip(&reviewed);
}

/// Parse `data` as a paste of `gitlab:env:info` output, of the diagnostics script's output,
/// or both (as the CLI reads a file: a UTF-8 BOM is dropped, other non-UTF-8 input is
/// refused). A paste that is accepted must give a prefilled plan that saves, reloads
/// unchanged, validates, and can be merged into an existing plan without touching answers it
/// does not know about, nor removing a conditional stop the plan has.
pub fn env_info(data: &[u8]) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let pasted = match intake::read(text) {
        Ok(pasted) => pasted,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "empty paste error message");
            return;
        }
    };
    let prefill = pasted.to_plan();
    for f in &prefill.filled {
        assert!(!f.field.is_empty(), "a filled field without a name: {f:?}");
    }
    round_trip(&prefill.plan);
    let _ = validate::analyse(&prefill.plan, knowledge(), today());

    // The wizard's "prefill" on an open plan: fills what the paste tells, keeps the rest.
    let mut plan = Plan::default();
    plan.contact = Some(crate::plan::Contact {
        organization: Some("Example".into()),
        ..Default::default()
    });
    let every_stop = crate::plan::Conditions {
        npm_packages: Some(true),
        large_users_table: Some(true),
        large_pipeline_variables: Some(true),
        large_pipeline_messages: Some(true),
        ..Default::default()
    };
    plan.conditions = Some(every_stop.clone());
    let applied = pasted.apply_to(&mut plan);
    assert_eq!(
        plan.contact
            .as_ref()
            .and_then(|c| c.organization.as_deref()),
        Some("Example"),
        "the prefill changed an answer it does not know about"
    );
    assert_eq!(
        plan.conditions.as_ref(),
        Some(&every_stop),
        "the prefill removed a conditional stop"
    );
    for f in &applied.kept {
        assert!(
            f.field.starts_with("conditions.") || f.field == "geo.enabled",
            "kept an answer the facts do not decide: {f:?}"
        );
    }
    round_trip(&plan);
}

/// Parse `data` as a plan file and export it as the CLI does (as a draft when it has errors):
/// the PDF must render and look like a PDF, the Markdown must render, and the exported plan
/// file must load again.
pub fn export_pdf(data: &[u8]) {
    let Some(plan) = load(data) else { return };
    let k = knowledge();
    let analysis = validate::analyse(&plan, k, today());
    // Vary the paper with the input so both sizes are exercised.
    let paper = if data.len().is_multiple_of(2) {
        Paper::A4
    } else {
        Paper::Letter
    };
    let model = build_model(&plan, &analysis, paper);

    match export::pdf::render_pdf(&model) {
        Ok(pdf) => {
            assert!(
                pdf.starts_with(b"%PDF-"),
                "the PDF does not start with %PDF-"
            );
            let tail = &pdf[pdf.len().saturating_sub(32)..];
            assert!(
                tail.windows(5).any(|w| w == b"%%EOF"),
                "the PDF does not end with %%EOF"
            );
        }
        Err(e) => panic!("a plan that loads could not be exported to PDF: {e}"),
    }

    let md = export::markdown::render(&model);
    assert!(md.starts_with('#'), "the Markdown has no heading");

    // The review reply and its one-page summary.
    let reply = crate::review::reply::build(&plan, k, &analysis, today(), false);
    let text = crate::review::markdown::render(&reply);
    assert!(text.starts_with("## "), "the review reply has no heading");
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a raw control character in the review reply"
    );
    match export::pdf::render_review_pdf(&reply, &model) {
        Ok(pdf) => assert!(pdf.starts_with(b"%PDF-"), "the review summary is no PDF"),
        Err(e) => panic!("a plan that loads has no review summary: {e}"),
    }

    // The exported plan file loads again, or writing it is refused with a message that names
    // the file (it would be over a reader's limit, e.g. a compact file grown when pretty).
    let exported = export::plan_json(&plan);
    if let Err(e) = plan_file::check_readable(Path::new(INPUT_NAME), exported.as_bytes()) {
        assert!(
            matches!(e.kind, plan_file::PlanFileErrorKind::NotSaved { .. })
                && e.to_string().starts_with(INPUT_NAME),
            "a refused export must say so and name the file: {e}"
        );
    }
}

/// Read `data` as check outputs pasted at a gate (as the CLI reads a file: UTF-8, a
/// byte-order mark dropped). The gate must answer: go only with the background migrations read
/// and nothing read failing; every reason one line, not endless, free of secrets; the same
/// answer twice; never go once a count still running is pasted after it. Its record must
/// survive the plan file: saved, reloaded unchanged, with no secret found in the log.
pub fn gate_output(data: &[u8]) {
    use crate::run::gate::{self, CheckKind, Requirements};
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let req = Requirements {
        hop: Some("17.5.5".into()),
        geo: data.len() % 2 == 1,
    };
    let result = match gate::judge(text, &req) {
        Ok(r) => r,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty gate error");
            return;
        }
    };
    assert!(!result.readings.is_empty(), "a verdict without a reading");
    if result.go() {
        assert!(
            result
                .readings
                .iter()
                .any(|r| r.kind() == CheckKind::BackgroundMigrations),
            "go without the background migrations read"
        );
        assert!(
            result.readings.iter().all(gate::Reading::ok),
            "go with a failing reading: {:?}",
            result.readings
        );
    }
    for line in result.reasons.iter().chain(&result.notes) {
        assert!(!line.is_empty(), "an empty reason");
        assert!(
            !line.chars().any(char::is_control),
            "a reason with a control character: {line:?}"
        );
        assert!(
            line.chars().count() <= 301,
            "a reason of {} characters",
            line.chars().count()
        );
        assert!(
            crate::secrets::first_secret_kind(line).is_none(),
            "a secret in a reason: {line:?}"
        );
    }
    assert_eq!(
        gate::judge(text, &req).as_ref(),
        Ok(&result),
        "two answers to one paste"
    );
    let mut more = text.to_string();
    more.push_str("\n\n3\n");
    if let Ok(after) = gate::judge(&more, &req) {
        assert!(!after.go(), "go with 3 migrations still queued pasted last");
    }
    gate_record_survives(&result);
}

/// The gate's record in a run, through the plan file: saved, reloaded unchanged, no secret.
fn gate_record_survives(result: &crate::run::gate::GateResult) {
    let mut plan = Plan::default();
    let mut run = crate::run::Run::start(crate::run::RunKind::Production, 1, generated_at());
    run.gates.push(crate::run::GateRecord {
        after: "hop1".into(),
        version: "17.5.5".into(),
        at: crate::run::log::format_time(generated_at()),
        verdict: Some(crate::plan::Open::Known(if result.go() {
            crate::run::GateVerdict::Go
        } else {
            crate::run::GateVerdict::NoGo
        })),
        reasons: result.reasons.clone(),
        checks: result.check_ids(),
        extra: crate::plan::Extra::new(),
    });
    plan.runs.push(run);
    round_trip(&plan);
    let analysis = validate::analyse(&plan, knowledge(), today());
    assert!(
        !analysis
            .findings
            .iter()
            .any(|f| f.rule == export::SECRET_RULE && f.field.starts_with("runs")),
        "a secret in the gate's record"
    );
}

/// The export model the CLI would build: a draft when the plan has errors. A plan with a
/// secret is refused by the CLI; its model is built anyway so the renderers see it.
pub fn build_model(plan: &Plan, analysis: &Analysis, paper: Paper) -> ExportModel {
    let mut meta = ExportMeta::new(generated_at());
    meta.tool_version = "0.0.0-fuzz".into();
    meta.draft = analysis.has_errors();
    meta.paper = paper;
    match export::check_exportable(analysis, meta.draft) {
        Ok(()) => {}
        // The CLI and the app refuse such a plan; the renderers are still exercised on it
        // (the model redacts every secret), and the refusal must name where the secret is.
        Err(export::ExportError::SecretsPresent { findings }) => {
            assert!(
                !findings.is_empty() && findings.iter().all(|f| !f.field.is_empty()),
                "a secret refusal without the field it is in"
            );
        }
        Err(e) => panic!("a draft export was refused: {e}"),
    }
    ExportModel::build(plan, knowledge(), analysis, meta)
}

/// Parse plan bytes; an error must be a readable message that names the file.
fn load(data: &[u8]) -> Option<Plan> {
    match plan_file::parse(Path::new(INPUT_NAME), data) {
        Ok(plan) => Some(plan),
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.starts_with(INPUT_NAME),
                "the error does not name the file: {message}"
            );
            None
        }
    }
}

/// Save (as text) and reload: the plan must come back equal, and saving it again must give the
/// same text. A save may be refused instead (the text would be over a limit of the reader),
/// with a message that names the file; what is written always loads again.
pub fn round_trip(plan: &Plan) {
    let text = match plan_file::saveable_text(Path::new(INPUT_NAME), plan) {
        Ok(text) => text,
        Err(e) => {
            assert!(
                matches!(e.kind, plan_file::PlanFileErrorKind::NotSaved { .. })
                    && e.to_string().starts_with(INPUT_NAME),
                "a refused save must say so and name the file: {e}"
            );
            return;
        }
    };
    let again = match plan_file::parse(Path::new(INPUT_NAME), text.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("a saved plan does not load again: {e}\n{text}"),
    };
    assert_eq!(&again, plan, "the plan changed in a save and reload");
    assert_eq!(
        plan_file::to_json(&again),
        text,
        "saving a reloaded plan gives different text"
    );
}
