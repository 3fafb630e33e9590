//! `upgrade-planner env-info FILE|-`: a prefilled plan from a paste of `gitlab:env:info`
//! output, of the diagnostics script's output, or of both.

use std::io::Read;

use crate::plan_file;

use super::{EXIT_INPUT, EXIT_OK, Output, shown};

pub(super) fn run(input: &str, o: &mut Output) -> u8 {
    let (name, text) = match read_input(input) {
        Ok(t) => t,
        Err(e) => {
            o.warn(format_args!("upgrade-planner env-info: {e}"));
            return EXIT_INPUT;
        }
    };
    match crate::intake::read(&text) {
        Ok(intake) => {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let mut prefill = intake.to_plan();
            if prefill.plan.plan_id.is_empty() {
                let fresh = crate::plan::Plan::new(&now);
                prefill.plan.plan_id = fresh.plan_id;
                prefill.plan.created_at = fresh.created_at;
            }
            o.json(&plan_file::to_json(&prefill.plan));
            let read: Vec<&str> = [
                intake.env_info.as_ref().map(|_| "gitlab:env:info"),
                intake.facts.as_ref().map(|_| "diagnostics facts"),
            ]
            .into_iter()
            .flatten()
            .collect();
            o.warn(format_args!("Filled from {name} ({}):", read.join(" and ")));
            for f in &prefill.filled {
                o.warn(format_args!("  {:<36} {}", f.field, shown(&f.value)));
            }
            EXIT_OK
        }
        Err(e) => {
            o.warn(format_args!(
                "upgrade-planner env-info: {name}: {}",
                shown(e)
            ));
            EXIT_INPUT
        }
    }
}

/// `upgrade-planner diagnostics`: the read-only script whose output `env-info` and the Start
/// step read.
pub(super) fn diagnostics(o: &mut Output) -> u8 {
    o.json(crate::intake::diagnostics::SCRIPT);
    EXIT_OK
}

/// The text of `input` (a file, or standard input for `-`) and the name messages use for it.
fn read_input(input: &str) -> Result<(String, String), String> {
    let mut bytes = Vec::new();
    let name = if input == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        "standard input".to_string()
    } else {
        let path = std::path::Path::new(input);
        if path.is_dir() {
            return Err(format!("{input}: is a directory, expected a text file"));
        }
        bytes = std::fs::read(path).map_err(|e| format!("{input}: cannot read: {e}"))?;
        input.to_string()
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((name, text))
}
