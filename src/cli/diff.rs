//! `upgrade-planner diff OLD NEW`: what changed between two plans (or the same plan under two
//! versions of the GitLab data).

use std::path::{Path, PathBuf};

use crate::knowledge::Knowledge;
use crate::plan_file;
use crate::review::{self, PlanDiff, Side};

use super::{EXIT_INPUT, EXIT_OK, Output, knowledge, parse_today, shown, to_json};

/// What `diff` was asked.
pub(super) struct DiffRequest {
    pub old: PathBuf,
    pub new: PathBuf,
    pub old_data: Option<PathBuf>,
    pub new_data: Option<PathBuf>,
    pub json: bool,
    pub today: Option<String>,
}

pub(super) fn run(r: &DiffRequest, o: &mut Output) -> u8 {
    let today = match parse_today(r.today.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            o.warn(format_args!("upgrade-planner diff: {e}"));
            return EXIT_INPUT;
        }
    };
    let in_use = knowledge(o);
    let (Some(k_old), Some(k_new)) = (
        data(r.old_data.as_deref(), in_use, o),
        data(r.new_data.as_deref(), in_use, o),
    ) else {
        return EXIT_INPUT;
    };
    let mut plans = Vec::new();
    for path in [&r.old, &r.new] {
        match plan_file::load(path) {
            Ok(p) => plans.push(p),
            Err(e) => {
                o.warn(format_args!("upgrade-planner diff: {}", shown(e)));
                return EXIT_INPUT;
            }
        }
    }
    let [old, new] = [&plans[0], &plans[1]];
    let mut d = review::diff(
        Side {
            plan: old,
            knowledge: &k_old,
        },
        Side {
            plan: new,
            knowledge: &k_new,
        },
        today,
    );
    redact(&mut d);
    if r.json {
        o.json(&to_json(&d));
    } else {
        print(&d, r, o);
    }
    EXIT_OK
}

/// The data a side is read with: the data in use, or the files of `dir` over the embedded data.
fn data(dir: Option<&Path>, in_use: &Knowledge, o: &mut Output) -> Option<Knowledge> {
    let Some(dir) = dir else {
        return Some(in_use.clone());
    };
    if !dir.is_dir() {
        o.warn(format_args!(
            "upgrade-planner diff: {} is not a directory of data files",
            shown(dir.display())
        ));
        return None;
    }
    let k = Knowledge::load(Some(dir));
    for w in &k.warnings {
        o.warn(format_args!("warning: {}", shown(w)));
    }
    Some(k)
}

/// Whatever quotes the plans' answers goes through the secret filter.
fn redact(d: &mut PlanDiff) {
    for a in &mut d.answers {
        a.old = a.old.as_deref().map(shown);
        a.new = a.new.as_deref().map(shown);
    }
    for f in d
        .findings_new
        .iter_mut()
        .chain(d.findings_resolved.iter_mut())
    {
        f.message = shown(&f.message);
    }
}

fn print(d: &PlanDiff, r: &DiffRequest, o: &mut Output) {
    o.say(format_args!(
        "Changes from {} (revision {}, GitLab data of {}) to {} (revision {}, GitLab data of {})",
        shown(r.old.display()),
        d.old_revision,
        d.old_data_date,
        shown(r.new.display()),
        d.new_revision,
        d.new_data_date
    ));
    if d.is_empty() {
        o.say("No changes.");
        return;
    }
    o.say("");
    o.say(format_args!("Answers changed: {}", d.answers.len()));
    for a in &d.answers {
        let (mark, text) = match (&a.old, &a.new) {
            (None, Some(n)) => ("+", n.clone()),
            (Some(old), None) => ("-", format!("{old} (removed)")),
            (Some(old), Some(n)) => ("~", format!("{old} -> {n}")),
            (None, None) => continue,
        };
        o.say(format_args!("  {mark} {}: {text}   [{}]", a.label, a.field));
    }
    o.say("");
    if d.path_changed() {
        o.say("Path changed:");
        o.say(format_args!("  was: {}", d.old_path.join(" -> ")));
        o.say(format_args!("  now: {}", d.new_path.join(" -> ")));
    } else {
        o.say(format_args!("Path unchanged: {}", d.new_path.join(" -> ")));
    }
    for (title, list) in [
        ("New findings", &d.findings_new),
        ("Resolved findings", &d.findings_resolved),
    ] {
        o.say("");
        o.say(format_args!("{title}: {}", list.len()));
        for f in list {
            o.say(format_args!(
                "  [{}] {}: {}",
                f.severity, f.label, f.message
            ));
        }
    }
    o.say("");
    o.say(format_args!(
        "Known issues newly applicable: {}",
        none_or(&d.issues_new)
    ));
    o.say(format_args!(
        "Known issues no longer applicable: {}",
        none_or(&d.issues_gone)
    ));
}

fn none_or(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
