//! `upgrade-planner export PLAN`: the PDF, the Markdown summary and the plan file for the
//! ticket.
//!
//! Before anything is rendered, every output is checked: not the plan being exported, not
//! named twice, and a regular file or a new one (a symbolic link is followed to a regular
//! file; a directory, a named pipe, a device or a link to one is refused). Then everything is
//! rendered, and the plan file checked to open again, before the first file is written.

use std::path::{Path, PathBuf};

use crate::export::{self, ExportError, ExportMeta, ExportModel, Paper};
use crate::plan_file;
use crate::validate;

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Output, knowledge, shown};

const NAME: &str = "upgrade-planner export";

pub(super) struct ExportRequest {
    pub plan: PathBuf,
    pub pdf: Option<PathBuf>,
    pub markdown: Option<PathBuf>,
    pub json: Option<PathBuf>,
    pub paper: Paper,
    pub draft: bool,
    pub redact_hosts: bool,
    pub today: Option<String>,
}

/// The kinds of output, in the order they are written.
#[derive(Clone, Copy, PartialEq)]
enum What {
    Pdf,
    Markdown,
    PlanFile,
}

impl What {
    fn label(self) -> &'static str {
        match self {
            What::Pdf => "PDF",
            What::Markdown => "Markdown",
            What::PlanFile => "plan file",
        }
    }

    fn option(self) -> &'static str {
        match self {
            What::Pdf => "--pdf",
            What::Markdown => "--markdown",
            What::PlanFile => "--json",
        }
    }
}

impl ExportRequest {
    fn outputs(&self) -> Vec<(What, &Path)> {
        [
            (What::Pdf, self.pdf.as_deref()),
            (What::Markdown, self.markdown.as_deref()),
            (What::PlanFile, self.json.as_deref()),
        ]
        .into_iter()
        .filter_map(|(w, p)| p.map(|p| (w, p)))
        .collect()
    }
}

/// Refuse outputs that would destroy something: the plan itself, one file named twice, or
/// what is not a regular file. Returns the message for the first problem.
fn check_outputs(r: &ExportRequest) -> Result<(), String> {
    let outputs: Vec<(&str, &Path)> = r
        .outputs()
        .into_iter()
        .map(|(w, p)| (w.option(), p))
        .collect();
    super::check_output_paths(
        &r.plan,
        &outputs,
        (
            "names the plan being exported",
            "the plan file is never replaced by its export; write the export to another file",
        ),
    )
}

pub(super) fn run(r: &ExportRequest, o: &mut Output) -> u8 {
    let (today, generated_at) =
        match super::documents_start(NAME, r.today.as_deref(), || check_outputs(r), o) {
            Ok(started) => started,
            Err(code) => return code,
        };
    let k = knowledge(o);
    let p = match plan_file::load(&r.plan) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    let file = r.plan.display().to_string();
    let analysis = validate::analyse(&p, k, today);
    if let Some(code) = refused(&file, &analysis, r.draft, o) {
        return code;
    }
    let mut meta = ExportMeta::new(generated_at);
    meta.draft = r.draft;
    meta.paper = r.paper;
    meta.redact_hosts = r.redact_hosts;
    let model = ExportModel::build(&p, k, &analysis, meta);
    let outputs = match render(r, &p, &model) {
        Ok(outputs) => outputs,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    drop(p);
    for (what, path, bytes) in &outputs {
        if let Err(e) = write(*what, path, bytes) {
            o.warn(format_args!(
                "{NAME}: cannot write the {} to {}: {e}",
                what.label(),
                path.display()
            ));
            return EXIT_INPUT;
        }
        o.say(format_args!(
            "wrote {} ({}, {} KB)",
            path.display(),
            what.label(),
            bytes.len().div_ceil(1024)
        ));
    }
    o.say(format_args!(
        "{file}: {}{}: {}",
        model.verdict.label(),
        if r.draft { " (DRAFT)" } else { "" },
        model.counts.text(", ")
    ));
    EXIT_OK
}

/// The exit code when the plan may not be exported (errors without `--draft`, or a secret),
/// after saying why.
fn refused(file: &str, analysis: &validate::Analysis, draft: bool, o: &mut Output) -> Option<u8> {
    match export::check_exportable(analysis, draft) {
        Err(ExportError::PlanHasErrors { errors }) => {
            o.warn(format_args!(
                "{NAME}: {file} has {}; nothing was written. Fix them, or export with --draft (every page is then marked DRAFT):",
                export::count(errors.len(), "error", "errors")
            ));
            for f in &errors {
                o.warn(format_args!(
                    "  error: {} [{}] {}",
                    f.field,
                    f.step.title(),
                    shown(&f.message)
                ));
            }
            Some(EXIT_FINDINGS)
        }
        Err(ExportError::SecretsPresent { findings }) => {
            o.warn(format_args!(
                "{NAME}: {file} holds what looks like a secret; nothing was written (not even a draft). Remove it from the plan, then export again:"
            ));
            for f in &findings {
                o.warn(format_args!(
                    "  secret: {} [{}] {}",
                    f.field,
                    f.step.title(),
                    f.message
                ));
            }
            Some(EXIT_FINDINGS)
        }
        Err(e) => {
            o.warn(format_args!("{NAME}: {file}: {e}"));
            Some(EXIT_INPUT)
        }
        Ok(()) => None,
    }
}

/// An output rendered in memory: what it is, where it goes, its bytes.
type Rendered<'a> = (What, &'a Path, Vec<u8>);

/// Every output rendered in memory; the plan file checked to open again. A failure leaves
/// no file behind.
fn render<'a>(
    r: &'a ExportRequest,
    plan: &crate::plan::Plan,
    model: &ExportModel,
) -> Result<Vec<Rendered<'a>>, String> {
    let mut outputs = Vec::new();
    for (what, path) in r.outputs() {
        let bytes = match what {
            What::Pdf => {
                export::pdf::render_pdf(model).map_err(|e| format!("cannot render the PDF: {e}"))?
            }
            What::Markdown => export::markdown::render(model).into_bytes(),
            What::PlanFile => {
                let text = export::plan_json_with(plan, r.redact_hosts);
                plan_file::check_readable(path, text.as_bytes()).map_err(|e| e.to_string())?;
                text.into_bytes()
            }
        };
        outputs.push((what, path, bytes));
    }
    Ok(outputs)
}

/// Write one output. The plan file is saved like a plan (an existing file there is kept as
/// `<name>.bak`); the PDF and the Markdown replace what is there (a plan file found there is
/// kept as `<name>.bak` too).
fn write(what: What, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let result = match what {
        What::PlanFile => plan_file::save_text(path, bytes),
        What::Pdf | What::Markdown => plan_file::write_atomic(path, bytes),
    };
    result.map_err(|e| match &e.kind {
        plan_file::PlanFileErrorKind::Write(io) => io.to_string(),
        _ => e.to_string(),
    })
}
