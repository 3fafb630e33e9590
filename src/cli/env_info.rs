//! `upgrade-planner env-info FILE|-`: a prefilled plan from a `gitlab:env:info` paste.

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
    match crate::envinfo::parse(&text) {
        Ok(info) => {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let mut prefill = info.to_plan();
            if prefill.plan.plan_id.is_empty() {
                let fresh = crate::plan::Plan::new(&now);
                prefill.plan.plan_id = fresh.plan_id;
                prefill.plan.created_at = fresh.created_at;
            }
            o.json(&plan_file::to_json(&prefill.plan));
            o.warn(format_args!("Filled from {name}:"));
            for f in &prefill.filled {
                o.warn(format_args!("  {:<28} {}", f.field, shown(&f.value)));
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
