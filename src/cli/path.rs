//! `upgrade-planner path FROM [TO]`: the upgrade path with the reason for every hop.

use crate::environment::Environment;
use crate::knowledge::Knowledge;
use crate::path::{self, NoteSeverity, PathRequest, UpgradePath};

use super::{EXIT_INPUT, EXIT_OK, Output, knowledge, shown, to_json};

pub(super) fn run(
    from: String,
    to: Option<String>,
    zero_downtime: bool,
    conditions: Vec<String>,
    json: bool,
    o: &mut Output,
) -> u8 {
    let k = knowledge(o);
    let req = PathRequest {
        from,
        to,
        zero_downtime,
        conditions,
    };
    match path::compute(k, &req, &Environment::unknown()) {
        Ok(p) => {
            if json {
                o.json(&to_json(&p));
            } else {
                print_path(&p, k, o);
            }
            EXIT_OK
        }
        Err(e) => {
            o.warn(format_args!("upgrade-planner path: {}", shown(e)));
            EXIT_INPUT
        }
    }
}

fn marker(s: NoteSeverity) -> &'static str {
    match s {
        NoteSeverity::Blocker => "BLOCKER",
        NoteSeverity::Warning => "warning",
        NoteSeverity::Info => "info",
    }
}

fn print_path(p: &UpgradePath, k: &Knowledge, o: &mut Output) {
    o.say(format_args!(
        "Upgrade path {} -> {}{}{}",
        p.from,
        p.to,
        if p.zero_downtime {
            " (zero-downtime: one minor at a time)"
        } else {
            ""
        },
        if p.conditions.is_empty() {
            String::new()
        } else {
            format!(" [conditions: {}]", p.conditions.join(", "))
        }
    ));
    o.say(k.data_summary());
    o.say("");
    let width = p
        .hops
        .iter()
        .map(|h| h.display_version().len())
        .max()
        .unwrap_or(0);
    for (i, h) in p.hops.iter().enumerate() {
        o.say(format_args!(
            "{:>2}. {:<width$}  {}{}",
            i + 1,
            h.display_version(),
            if h.optional { "(optional) " } else { "" },
            h.reason,
        ));
        for n in &h.notes {
            let id =
                n.id.as_deref()
                    .map(|i| format!("{i}: "))
                    .unwrap_or_default();
            o.say(format_args!(
                "      [{}] {id}{}",
                marker(n.severity),
                n.message
            ));
            if let Some(c) = &n.check {
                o.say(format_args!("          applies if: {c}"));
            }
        }
    }
    if !p.notes.is_empty() {
        o.say("");
        o.say("Notes:");
        for n in &p.notes {
            o.say(format_args!("  - {n}"));
        }
    }
}
