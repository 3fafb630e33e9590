//! Section 9, the runbook: preparation, the node order, then window by window its start
//! (go/no-go, checks, backup), its hops and dependency steps in order with their commands,
//! and what must happen before the next window; what follows the last one.

use super::*;
use crate::export::{
    HopRow, RunbookDependency, RunbookEntry, RunbookHop, RunbookStep, RunbookWindow, WindowRow,
    primary_url,
};

/// Band colours of a window, a hop and a dependency step.
const WINDOW_BAND: Rgb = HEAD;
const STEP_BAND: Rgb = AMBER_BG;

pub(super) fn runbook(flow: &mut Flow<'_>, m: &ExportModel) {
    // On a new page unless almost half of one is left.
    let body = flow.geometry.body_bottom - flow.geometry.body_top;
    flow.ensure(body * 0.45);
    section(flow, "runbook");
    intro(flow, m);
    subheading(flow, "Before the first window", true);
    steps(flow, &in_short(&m.runbook.before), 0.0);
    node_order(flow, m);
    every_hop(flow, m);
    let count = m.runbook.windows.len();
    for w in &m.runbook.windows {
        if let Some(row) = m.windows.iter().find(|r| r.number == w.number) {
            window(flow, m, w, row, count);
        }
    }
    subheading(
        flow,
        if count > 1 {
            "After the last window"
        } else {
            "After the upgrade"
        },
        true,
    );
    steps(flow, &in_short(&m.runbook.after), 0.0);
}

fn intro(flow: &mut Flow<'_>, m: &ExportModel) {
    let e = &m.environment;
    let backups = if m.runbook.backup_every_hop {
        "at the start of each window, before each risky step and before every hop (as the plan asks)"
    } else {
        "at the start of each window and before each risky step"
    };
    flow.paragraph(
        &[Span::plain(format!(
            "Tick each box as you go. Commands are for {}{}, GitLab {}; a line ending in \\ continues on the next line. Window by window: the hops and dependency steps in the order they are done. Backups with their secrets are taken {backups}. Stop and follow section 8 Rollback if a check fails and cannot be fixed before the window's go/no-go time.",
            m.runbook.commands_for,
            e.os.as_deref().map(|o| format!(" on {o}")).unwrap_or_default(),
            m.versions.edition_short,
        ))],
        BODY,
        0.0,
    );
}

fn node_order(flow: &mut Flow<'_>, m: &ExportModel) {
    if m.runbook.order.is_empty() {
        return;
    }
    subheading(
        flow,
        if m.runbook.zero_downtime {
            "Zero-downtime order of the nodes"
        } else {
            "Order of the nodes"
        },
        true,
    );
    let order: Vec<String> = m
        .runbook
        .order
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}. {r}", i + 1))
        .collect();
    flow.paragraph(&[Span::plain(order.join("  →  "))], BODY - 0.5, 0.0);
    flow.gap(0.8);
    flow.paragraph(
        &[Span::plain(if m.runbook.zero_downtime {
            "At every hop. Back to front, one node at a time; a component without HA is upgraded with downtime."
        } else {
            "At every hop. Back to front: Gitaly before Rails, the Rails deploy node before the other Rails nodes."
        })
        .color(GREY)],
        BODY - 0.5,
        0.0,
    );
}

/// The routine done the same way at every hop, in full once; each hop lists it in short.
fn every_hop(flow: &mut Flow<'_>, m: &ExportModel) {
    if m.runbook.every_hop.is_empty() || m.runbook.hops.is_empty() {
        return;
    }
    subheading(flow, "At every hop", true);
    flow.paragraph(
        &[Span::plain(
            "Each hop below is done this way; there it is one line per step, with the hop's own package commands.",
        )
        .color(GREY)],
        BODY - 0.5,
        0.0,
    );
    flow.gap(0.8);
    for (i, s) in m.runbook.every_hop.iter().enumerate() {
        flow.list(&[step_spans(s)], &[format!("{}.", i + 1)], STEP, 0.0, HEAD);
        if let Some(cmd) = &s.command {
            flow.code(cmd, STEP - 1.0, 5.5, CODE_BG);
        }
        flow.gap(0.6);
    }
}

/// A hop's step as printed: a routine step in its short form, none when the step before
/// says it too.
fn printed(s: &RunbookStep) -> Option<RunbookStep> {
    match &s.routine {
        Some(r) if r.short.is_empty() => None,
        Some(r) => Some(RunbookStep {
            text: r.short.clone(),
            command: if r.keep_command {
                s.command.clone()
            } else {
                None
            },
            ..s.clone()
        }),
        None => Some(s.clone()),
    }
}

/// Steps as the runbook prints them: routine steps in short.
fn in_short(list: &[RunbookStep]) -> Vec<RunbookStep> {
    list.iter().filter_map(printed).collect()
}

/// A band across the page with a title that wraps; recorded in the outline. Kept with `keep`
/// millimetres of what follows.
fn band(flow: &mut Flow<'_>, title: &str, fill: Rgb, color: Rgb, keep: f32) {
    let size = H2 + 0.5;
    let lh = line_height(size);
    let lines = flow
        .fonts
        .wrap(&[Span::bold(title).color(color)], size, flow.width() - 4.0);
    let h = lh * lines.len() as f32 + 2.0;
    flow.ensure(h + keep);
    let y = flow.y;
    flow.push(Item::Rect {
        x: flow.left(),
        y,
        w: flow.width(),
        h,
        fill: Some(fill),
        stroke: None,
    });
    flow.outline(1, title);
    let mut top = y + 1.0;
    for l in &lines {
        for it in flow.line_items(l, flow.left() + 2.0, top, size, lh) {
            flow.push(it);
        }
        top += lh;
    }
    flow.y = y + h + 1.0;
}

fn window(flow: &mut Flow<'_>, m: &ExportModel, w: &RunbookWindow, row: &WindowRow, count: usize) {
    flow.gap(5.0);
    band(flow, &row.title(count), WINDOW_BAND, Rgb::WHITE, 45.0);
    let mut summary = vec![Span::bold(row.summary())];
    if let Some(u) = &row.when.start_utc {
        summary.push(Span::plain(format!(" · starts {u}")).color(GREY));
    }
    flow.paragraph(&summary, SMALL, 0.0);
    labelled_steps(
        flow,
        &format!("Start of window {} on {}", w.number, w.start_version),
        &in_short(&w.start),
    );
    for entry in &w.entries {
        match entry {
            RunbookEntry::Hop { number } => {
                let hop = m.runbook.hop(*number);
                let hop_row = m
                    .path
                    .as_ref()
                    .and_then(|p| p.hops.iter().find(|h| h.number == *number));
                if let (Some(h), Some(r)) = (hop, hop_row) {
                    hop_block(flow, h, r, m.runbook.hops.len());
                }
            }
            RunbookEntry::Dependency(d) => dependency_block(flow, d),
        }
    }
    if !w.end.is_empty() {
        labelled_steps(
            flow,
            &format!("End of window {}", w.number),
            &in_short(&w.end),
        );
    }
}

fn hop_block(flow: &mut Flow<'_>, h: &RunbookHop, row: &HopRow, total: usize) {
    flow.gap(3.0);
    // Why it is a stop is in section 2; the band names the kind.
    let title = format!(
        "Hop {} of {total}: {} → {} · {}{}",
        h.number,
        h.from_version,
        h.version,
        row.kind.to_lowercase(),
        if row.verified { "" } else { " (UNVERIFIED)" }
    );
    band(flow, &title, LAVENDER, HEAD, 25.0);
    if !h.pre_checks.is_empty() {
        labelled_steps(
            flow,
            &format!("Before, on {}", h.from_version),
            &in_short(&h.pre_checks),
        );
    }
    let install: Vec<RunbookStep> = h.install.iter().chain(&h.post_checks).cloned().collect();
    let install = in_short(&install);
    // The band names the hop: a label is needed only after the steps before it.
    if h.pre_checks.is_empty() {
        steps(flow, &install, 0.0);
    } else {
        labelled_steps(
            flow,
            &format!("Install {}, then check", h.version),
            &install,
        );
    }
}

fn dependency_block(flow: &mut Flow<'_>, d: &RunbookDependency) {
    flow.gap(3.0);
    let title = format!("On {}: {}", d.on_version, d.title);
    band(flow, &title, STEP_BAND, HEAD, 25.0);
    let mut about = vec![
        Span::bold(format!("{} step, {}: ", d.component, d.origin)),
        Span::plain(if d.origin == "done by the package" {
            d.reason.clone()
        } else {
            format!(
                "{}It can follow any GitLab version from {}.",
                if d.reason.is_empty() {
                    String::new()
                } else {
                    format!("{} ", d.reason)
                },
                d.range
            )
        }),
    ];
    if let Some(u) = &d.doc_url {
        about.push(sp());
        about.push(Span::plain(primary_url(u)).color(BLUE).link(primary_url(u)));
    }
    flow.paragraph(&about, SMALL, 0.0);
    for g in &d.groups {
        labelled_steps(flow, &g.title, &in_short(&g.steps));
    }
}
