//! `upgrade-planner validate PLAN`: every finding of a plan file.

use std::path::Path;

use crate::plan_file;
use crate::validate::{self, Analysis, Severity};

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Output, knowledge, parse_today, shown, to_json};

pub(super) fn run(plan: &Path, json: bool, today: Option<&str>, o: &mut Output) -> u8 {
    let today = match parse_today(today) {
        Ok(d) => d,
        Err(e) => {
            o.warn(format_args!("upgrade-planner validate: {e}"));
            return EXIT_INPUT;
        }
    };
    let k = knowledge(o);
    let p = match plan_file::load(plan) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("upgrade-planner validate: {e}"));
            return EXIT_INPUT;
        }
    };
    let mut analysis = validate::analyse(&p, k, today);
    // A finding may quote what the user typed; a secret never reaches the terminal.
    for f in &mut analysis.findings {
        f.message = shown(&f.message);
    }
    let file = plan.display().to_string();
    if json {
        let value = serde_json::json!({
            "file": file,
            "data_date": k.data_date(),
            "counts": {
                "error": analysis.count(Severity::Error),
                "warning": analysis.count(Severity::Warning),
                "info": analysis.count(Severity::Info),
            },
            "findings": analysis.findings,
        });
        o.json(&to_json(&value));
    } else {
        print_findings(&file, &analysis, o);
    }
    if analysis.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn print_findings(file: &str, a: &Analysis, o: &mut Output) {
    if let Some(p) = &a.path {
        let hops: Vec<String> = p.hops.iter().map(|h| h.display_version()).collect();
        o.say(format_args!(
            "{file}: path {} -> {}",
            p.from,
            hops.join(" -> ")
        ));
    }
    for f in &a.findings {
        o.say(format_args!(
            "{}: {} [{}] {}{}",
            f.severity.label(),
            f.field,
            f.step.title(),
            f.message,
            f.doc_url
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        ));
    }
    o.say(format_args!(
        "{file}: {} error(s), {} warning(s), {} hint(s)",
        a.count(Severity::Error),
        a.count(Severity::Warning),
        a.count(Severity::Info)
    ));
}
