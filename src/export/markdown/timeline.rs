//! The timeline at a glance (a table per window: hops and dependency steps in order, the time
//! each takes, the go/no-go time) and the runbook's checklist window by window.

use std::fmt::Write as _;

use super::{esc, severity_icon};
use crate::export::{ExportModel, RunbookEntry, TimelineRow, WindowRow, hours};
use crate::path::NoteSeverity;

/// The windows in one table cell: `1: … (starts …)<br>2: …`.
pub(super) fn windows_cell(m: &ExportModel) -> String {
    m.windows
        .iter()
        .map(|w| {
            let mut s = format!("{}: {}", w.number, esc(&w.when.summary));
            if let Some(u) = &w.when.start_utc {
                s.push_str(&format!(" (starts {u})"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// One table per window, with its heading, estimate and go/no-go time.
pub(super) fn glance(o: &mut String, m: &ExportModel) {
    let _ = writeln!(o, "### Timeline at a glance");
    let _ = writeln!(o);
    let Some(p) = &m.path else {
        let _ = writeln!(o, "No path: the versions are missing or invalid.");
        let _ = writeln!(o);
        return;
    };
    let count = m.windows.len();
    for w in &m.windows {
        let _ = writeln!(o, "#### {}", esc(&w.title(count)));
        let _ = writeln!(o);
        let _ = writeln!(o, "{}.", esc(&w.summary()));
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "| # | Version or step | Why | Time | Blockers and warnings |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|");
        for e in &w.entries {
            match e {
                TimelineRow::Hop {
                    number,
                    hours: h,
                    rehearsed,
                    ..
                } => {
                    if let Some(row) = p.hops.iter().find(|r| r.number == *number) {
                        hop_line(o, row, *h, *rehearsed);
                    }
                }
                TimelineRow::Step { .. } => step_line(o, e),
            }
        }
        let _ = writeln!(o);
        if let Some(next) = &w.before_next {
            let _ = writeln!(o, "_{}_", esc(next));
            let _ = writeln!(o);
        }
    }
}

fn hop_line(o: &mut String, h: &crate::export::HopRow, time: f64, rehearsed: bool) {
    let mut why = h.kind.clone();
    if h.optional {
        why.push_str(" (optional)");
    }
    if !h.verified {
        why.push_str(" (UNVERIFIED)");
    }
    let notes: Vec<String> = h
        .notes
        .iter()
        .filter(|n| n.severity != NoteSeverity::Info)
        .map(|n| {
            let label = match &n.id {
                Some(id) => id.clone(),
                None => n.kind.clone(),
            };
            match &n.doc_url {
                Some(u) => format!("{} [{}]({u})", severity_icon(n.severity), esc(&label)),
                None => format!("{} {}", severity_icon(n.severity), esc(&label)),
            }
        })
        .collect();
    let _ = writeln!(
        o,
        "| {} | `{}` | {} | {}{} | {} |",
        h.number,
        h.version,
        why,
        hours(time),
        if rehearsed { " (rehearsed)" } else { "" },
        if notes.is_empty() {
            "—".to_string()
        } else {
            notes.join(", ")
        }
    );
}

fn step_line(o: &mut String, e: &TimelineRow) {
    let TimelineRow::Step {
        title,
        after,
        range,
        origin,
        hours: h,
        ..
    } = e
    else {
        return;
    };
    let why = match origin.as_str() {
        "automatic" => format!("Done by the package during the hop to {after}"),
        "proposed" => format!(
            "Proposed step, not in the plan yet; can follow {}",
            esc(range)
        ),
        _ => format!("Planned step; can follow {}", esc(range)),
    };
    let _ = writeln!(
        o,
        "| + | {} after {after} | {why} | {} | — |",
        esc(title),
        hours(*h)
    );
}

/// The checklist: before, window by window (start, hops and steps, end), after.
pub(super) fn checklist(o: &mut String, m: &ExportModel) {
    let _ = writeln!(o, "### Runbook per window");
    let _ = writeln!(o);
    let _ = writeln!(o, "- [ ] Rehearsed the whole path in the test environment");
    let _ = writeln!(o, "- [ ] Blocker known issues handled");
    let count = m.runbook.windows.len();
    for w in &m.runbook.windows {
        let Some(row) = m.windows.iter().find(|r| r.number == w.number) else {
            continue;
        };
        let _ = writeln!(o);
        window_checklist(o, m, w, row, count);
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "**{}**",
        if count > 1 {
            "After the last window"
        } else {
            "After the upgrade"
        }
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "- [ ] Fresh backup at the target version");
    let _ = writeln!(o, "- [ ] Support told that the upgrade succeeded");
    let _ = writeln!(o);
}

fn window_checklist(
    o: &mut String,
    m: &ExportModel,
    w: &crate::export::RunbookWindow,
    row: &WindowRow,
    count: usize,
) {
    let _ = writeln!(
        o,
        "**{}** ({})",
        esc(&row.title(count)),
        esc(&row.summary())
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "- [ ] Start: checks pass, backup and secrets at `{}`",
        w.start_version
    );
    for e in &w.entries {
        match e {
            RunbookEntry::Hop { number } => {
                let Some(h) = m.runbook.hop(*number) else {
                    continue;
                };
                let backup = if h
                    .pre_checks
                    .iter()
                    .any(|s| s.command.as_deref().is_some_and(|c| c.contains("backup")))
                {
                    format!("backup and secrets at `{}`, ", h.from_version)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    o,
                    "- [ ] Hop {}: {backup}install `{}`, checks pass, background migrations finished",
                    h.number, h.version
                );
            }
            RunbookEntry::Dependency(d) => {
                let _ = writeln!(
                    o,
                    "- [ ] {} on `{}`: {}",
                    esc(&d.title),
                    d.on_version,
                    esc(&d.summary)
                );
            }
        }
    }
    if row.before_next.is_some() {
        let _ = writeln!(
            o,
            "- [ ] Window {} ends on `{}`; background migrations finished before window {}",
            w.number,
            row.to_version,
            w.number + 1
        );
    }
}
