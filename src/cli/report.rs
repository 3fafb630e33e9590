//! `upgrade-planner report PLAN --markdown FILE [--pdf FILE]`: the completion report of the
//! plan's runs (the upgrade windows and rehearsals run in run mode), for the ticket.

use std::path::{Path, PathBuf};

use crate::export::{ExportMeta, ExportModel, Paper};
use crate::plan_file;
use crate::run::report::{self, Report};
use crate::validate;

use super::{EXIT_INPUT, EXIT_OK, Output, knowledge};

const NAME: &str = "upgrade-planner report";

pub(super) struct ReportRequest {
    pub plan: PathBuf,
    pub markdown: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    pub paper: Paper,
    pub today: Option<String>,
}

impl ReportRequest {
    fn outputs(&self) -> Vec<(&'static str, &Path)> {
        [
            ("--markdown", self.markdown.as_deref()),
            ("--pdf", self.pdf.as_deref()),
        ]
        .into_iter()
        .filter_map(|(w, p)| p.map(|p| (w, p)))
        .collect()
    }
}

/// The plan itself, one file named twice, or what is not a regular file is refused before
/// anything is written.
fn check_outputs(r: &ReportRequest) -> Result<(), String> {
    super::check_output_paths(
        &r.plan,
        &r.outputs(),
        ("names the plan itself", "write the report to another file"),
    )
}

pub(super) fn run(r: &ReportRequest, o: &mut Output) -> u8 {
    let (today, generated_at) =
        match super::documents_start(NAME, r.today.as_deref(), || check_outputs(r), o) {
            Ok(started) => started,
            Err(code) => return code,
        };
    let k = knowledge(o);
    let plan = match plan_file::load(&r.plan) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    let analysis = validate::analyse(&plan, k, today);
    let mut meta = ExportMeta::new(generated_at);
    meta.paper = r.paper;
    let model = ExportModel::build(&plan, k, &analysis, meta);
    let built = match Report::build(&plan, &analysis, &model) {
        Ok(b) => b,
        Err(e) => {
            o.warn(format_args!("{NAME}: {}: {e}", r.plan.display()));
            return EXIT_INPUT;
        }
    };
    let mut rendered: Vec<(&Path, Vec<u8>, &str)> = Vec::new();
    if let Some(p) = &r.markdown {
        rendered.push((p, report::markdown::render(&built).into_bytes(), "Markdown"));
    }
    if let Some(p) = &r.pdf {
        match report::pdf::render(&built) {
            Ok(bytes) => rendered.push((p, bytes, "PDF")),
            Err(e) => {
                o.warn(format_args!("{NAME}: cannot render the PDF: {e}"));
                return EXIT_INPUT;
            }
        }
    }
    for (path, bytes, what) in &rendered {
        if let Err(e) = plan_file::write_atomic(path, bytes) {
            o.warn(format_args!(
                "{NAME}: cannot write the {what} to {}: {e}",
                path.display()
            ));
            return EXIT_INPUT;
        }
        o.say(format_args!(
            "wrote {} ({what}, {} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        ));
    }
    o.say(format_args!("{}: {}", r.plan.display(), built.summary));
    EXIT_OK
}
