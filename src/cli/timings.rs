//! `upgrade-planner timings PLAN [--from REHEARSAL]`: take the hop times of a rehearsal (a run
//! of kind `rehearsal` in REHEARSAL, or in PLAN itself) as PLAN's estimates (`hop_hours`).

use std::path::PathBuf;

use crate::export::{ExportMeta, ExportModel};
use crate::plan_file;
use crate::run::rehearsal;
use crate::validate;

use super::{EXIT_INPUT, EXIT_OK, Output, knowledge, parse_today};

const NAME: &str = "upgrade-planner timings";

pub(super) struct TimingsRequest {
    pub plan: PathBuf,
    pub from: Option<PathBuf>,
    pub dry_run: bool,
    pub today: Option<String>,
}

pub(super) fn run(r: &TimingsRequest, o: &mut Output) -> u8 {
    let today = match parse_today(r.today.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    let k = knowledge(o);
    let mut plan = match plan_file::load(&r.plan) {
        Ok(p) => p,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    let source_path = r.from.as_ref().unwrap_or(&r.plan);
    let source = if r.from.is_some() {
        match plan_file::load(source_path) {
            Ok(p) => p,
            Err(e) => {
                o.warn(format_args!("{NAME}: {e}"));
                return EXIT_INPUT;
            }
        }
    } else {
        plan.clone()
    };
    let analysis = validate::analyse(&source, k, today);
    let model = ExportModel::build(&source, k, &analysis, ExportMeta::new(chrono::Utc::now()));
    let timings = rehearsal::timings(&source, &analysis, &model);
    if timings.is_empty() {
        o.warn(format_args!(
            "{NAME}: {} has no rehearsal run with a finished hop (start a rehearsal in run mode: upgrade-planner PLAN --run, then \"Rehearsal\")",
            source_path.display()
        ));
        return EXIT_INPUT;
    }
    let changes = rehearsal::apply(&mut plan, &timings);
    list(&timings, &changes, o);
    if changes.is_empty() {
        o.say(format_args!(
            "{}: the estimates already are the rehearsal's; nothing to change",
            r.plan.display()
        ));
        return EXIT_OK;
    }
    if r.dry_run {
        o.say(format_args!(
            "{}: {} would change (--dry-run: nothing was written)",
            r.plan.display(),
            crate::export::count(changes.len(), "estimate", "estimates")
        ));
        return EXIT_OK;
    }
    save(r, source_path, &mut plan, changes.len(), o)
}

/// Each hop's measured time and what it replaces.
fn list(timings: &[rehearsal::HopTiming], changes: &[rehearsal::Change], o: &mut Output) {
    for t in timings {
        let change = changes.iter().find(|c| c.minor == t.minor);
        o.say(format_args!(
            "  {:<6} {:>5} h  ({}){}",
            t.minor,
            format!("{:.1}", t.hours),
            t.version,
            match change.map(|c| c.before) {
                Some(Some(b)) => format!(", was {b} h"),
                Some(None) => ", was the estimate".to_string(),
                None => ", unchanged".to_string(),
            }
        ));
    }
}

/// Write the plan with its new estimates (a new revision; the previous file kept as `.bak`).
fn save(
    r: &TimingsRequest,
    source_path: &std::path::Path,
    plan: &mut crate::plan::Plan,
    changed: usize,
    o: &mut Output,
) -> u8 {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    plan.revision = plan.next_revision();
    plan.updated_at = Some(now);
    if let Err(e) = plan_file::save(&r.plan, plan) {
        o.warn(format_args!("{NAME}: {e}"));
        return EXIT_INPUT;
    }
    o.say(format_args!(
        "{}: {} taken from the rehearsal in {} (revision {}; the previous file is kept as {})",
        r.plan.display(),
        crate::export::count(changed, "estimate", "estimates"),
        source_path.display(),
        plan.revision,
        plan_file::backup_path(&r.plan).display()
    ));
    EXIT_OK
}
