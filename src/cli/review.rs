//! `upgrade-planner review PLAN --markdown FILE [--pdf FILE] [--json]`: the review reply for
//! the ticket (Markdown), the one-page review summary (PDF) and the review state (JSON), from
//! the plan's latest review, or an automatic `needs_info`/`viable` draft from its findings
//! when it has none. Without an output option the window opens in review mode (`main`).

use std::path::{Path, PathBuf};

use crate::export::{self, ExportError, ExportMeta, ExportModel, Paper};
use crate::plan_file;
use crate::review::{self, ReviewReply};
use crate::validate;

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Output, knowledge, shown, to_json};

const NAME: &str = "upgrade-planner review";

/// What `review` was asked.
pub(super) struct ReviewRequest {
    pub plan: PathBuf,
    pub markdown: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    pub json: bool,
    pub paper: Paper,
    pub redact_hosts: bool,
    pub today: Option<String>,
}

impl ReviewRequest {
    fn outputs(&self) -> Vec<(&'static str, &'static str, &Path)> {
        [
            ("--markdown", "Markdown reply", self.markdown.as_deref()),
            ("--pdf", "review summary PDF", self.pdf.as_deref()),
        ]
        .into_iter()
        .filter_map(|(o, w, p)| p.map(|p| (o, w, p)))
        .collect()
    }
}

/// Refuse outputs that would destroy something: the plan itself, one file named twice, or
/// what is not a regular file.
fn check_outputs(r: &ReviewRequest) -> Result<(), String> {
    let outputs: Vec<(&str, &Path)> = r.outputs().into_iter().map(|(o, _, p)| (o, p)).collect();
    super::check_output_paths(
        &r.plan,
        &outputs,
        (
            "names the plan being reviewed",
            "write the reply to another file",
        ),
    )
}

pub(super) fn run(r: &ReviewRequest, o: &mut Output) -> u8 {
    let (today, generated_at) =
        match super::documents_start(NAME, r.today.as_deref(), || check_outputs(r), o) {
            Ok(started) => started,
            Err(code) => return code,
        };
    let k = knowledge(o);
    let plan = match plan_file::load(&r.plan) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("{NAME}: {}", shown(e)));
            return EXIT_INPUT;
        }
    };
    let file = shown(r.plan.display());
    let analysis = validate::analyse(&plan, k, today);
    if let Err(ExportError::SecretsPresent { findings }) = export::check_exportable(&analysis, true)
    {
        o.warn(format_args!(
            "{NAME}: {file} holds what looks like a secret; nothing was written. Remove it from the plan (or the review), then run the review again:"
        ));
        for f in &findings {
            o.warn(format_args!(
                "  secret: {} [{}] {}",
                f.field,
                f.step.title(),
                f.message
            ));
        }
        return EXIT_FINDINGS;
    }
    let reply = review::reply::build(&plan, k, &analysis, today, r.redact_hosts);
    let mut rendered: Vec<(&str, &Path, Vec<u8>)> = Vec::new();
    for (_, what, path) in r.outputs() {
        let bytes = if what == "Markdown reply" {
            review::markdown::render(&reply).into_bytes()
        } else {
            let mut meta = ExportMeta::new(generated_at);
            meta.paper = r.paper;
            meta.redact_hosts = r.redact_hosts;
            let model = ExportModel::build(&plan, k, &analysis, meta);
            match export::pdf::render_review_pdf(&reply, &model) {
                Ok(b) => b,
                Err(e) => {
                    o.warn(format_args!(
                        "{NAME}: cannot render the review summary: {e}"
                    ));
                    return EXIT_INPUT;
                }
            }
        };
        rendered.push((what, path, bytes));
    }
    for (what, path, bytes) in &rendered {
        if let Err(e) = plan_file::write_atomic(path, bytes) {
            o.warn(format_args!(
                "{NAME}: cannot write the {what} to {}: {}",
                shown(path.display()),
                shown(e)
            ));
            return EXIT_INPUT;
        }
        let line = format!(
            "wrote {} ({what}, {} KB)",
            shown(path.display()),
            bytes.len().div_ceil(1024)
        );
        // With --json, standard output is the JSON document alone.
        if r.json {
            o.warn(line);
        } else {
            o.say(line);
        }
    }
    if r.json {
        o.json(&to_json(&reply));
    } else {
        o.say(summary_line(&file, &reply));
    }
    EXIT_OK
}

/// `plan.json: Needs information (draft from the findings): 1 error, 0 warnings, 2 hints`.
fn summary_line(file: &str, r: &ReviewReply) -> String {
    let source = match &r.review {
        None => " (draft from the findings; no review saved)".to_string(),
        Some(s) if s.changed_since_review => format!(
            " (review of revision {}; changed since review: now revision {})",
            s.reviewed_revision, r.revision
        ),
        Some(s) => format!(" (review of revision {})", s.reviewed_revision),
    };
    format!(
        "{file}: {}{source}: {}",
        r.verdict_label,
        r.counts.text(", ")
    )
}
