//! Section 2, the upgrade path, window by window: each window's hops and dependency steps in
//! order, with the time each takes, the window's go/no-go time and what must happen before
//! the next window.

use super::*;
use crate::export::{HopRow, PathInfo, TimelineRow, WindowRow, count, hours, primary_url};

pub(super) fn path_section(flow: &mut Flow<'_>, m: &ExportModel) {
    let Some(p) = &m.path else {
        section(flow, "path");
        flow.paragraph(
            &[Span::plain(
                "No upgrade path: enter valid current and target versions (see Findings).",
            )
            .color(RED)],
            BODY,
            0.0,
        );
        return;
    };
    let intro = intro(p, m.windows.len());
    let count = m.windows.len();
    for (i, w) in m.windows.iter().enumerate() {
        let table = window_table(p, w);
        let heading = window_heading(w, count);
        let heading_h = flow.fonts.wrap(&heading, BODY, flow.width()).len() as f32
            * line_height(BODY)
            + line_height(SMALL)
            + 4.0;
        if i == 0 {
            let intro_h =
                flow.fonts.wrap(&intro, BODY, flow.width()).len() as f32 * line_height(BODY) + 2.0;
            flow.ensure(line_height(H1) + 9.0 + intro_h + heading_h + flow.table_lead(&table));
            section(flow, "path");
            flow.paragraph(&intro, BODY, 0.0);
        } else {
            flow.ensure(heading_h + 3.0 + flow.table_lead(&table));
        }
        flow.gap(3.0);
        flow.paragraph(&heading, BODY, 0.0);
        flow.paragraph(&[Span::plain(w.summary()).color(GREY)], SMALL, 0.0);
        flow.gap(1.0);
        flow.table(&table);
        if let Some(next) = &w.before_next {
            flow.gap(1.0);
            flow.paragraph(&[Span::plain(next.clone()).color(GREY)], SMALL, 0.0);
        }
    }
    if !p.notes.is_empty() {
        flow.gap(2.0);
        let items: Vec<Vec<Span>> = p
            .notes
            .iter()
            .map(|n| vec![Span::plain(n.clone())])
            .collect();
        flow.bullets(&items, BODY - 0.5, 0.0, PURPLE);
    }
}

fn intro(p: &PathInfo, windows: usize) -> Vec<Span> {
    let mut intro = vec![Span::plain(format!(
        "From {} to {}: {}{}. Install each version, let it settle (background migrations finished), then go on; dependency steps (PostgreSQL, Redis, the OS, configuration) sit where they are done. ",
        p.from,
        p.to,
        count(p.hops.len(), "hop", "hops"),
        if windows > 1 {
            format!(" in {windows} windows")
        } else {
            String::new()
        }
    ))];
    intro.push(Span::plain(if p.zero_downtime {
        "Zero-downtime: one minor at a time. "
    } else {
        "With downtime. "
    }));
    if !p.conditions.is_empty() {
        intro.push(Span::plain(format!(
            "Conditional stops asked for: {}.",
            p.conditions.join(", ")
        )));
    }
    intro
}

fn window_heading(w: &WindowRow, count: usize) -> Vec<Span> {
    let mut spans = vec![Span::bold(w.title(count)).color(HEAD)];
    if let Some(o) = &w.when.utc_offset {
        spans.push(Span::plain(format!(" ({o})")).color(GREY));
    }
    spans.push(Span::plain(format!("  {} → {}", w.from_version, w.to_version)).color(GREY));
    spans
}

fn window_table(p: &PathInfo, w: &WindowRow) -> Table {
    let rows = w
        .entries
        .iter()
        .filter_map(|e| match e {
            TimelineRow::Hop {
                number,
                hours: h,
                rehearsed,
                ..
            } => p
                .hops
                .iter()
                .find(|r| r.number == *number)
                .map(|r| hop_row(r, *h, *rehearsed)),
            TimelineRow::Step { .. } => step_row(e),
        })
        .collect();
    styled_table(
        &[
            ("#", 0.35),
            ("Version or step", 1.6),
            ("Why", 3.0),
            ("Notes (known issues, PostgreSQL, Redis, OS)", 5.05),
        ],
        rows,
    )
}

fn hop_row(h: &HopRow, time: f64, rehearsed: bool) -> TableRow {
    let version = vec![
        Span::bold(h.version.clone()),
        Span::plain(format!(
            "\nfrom {}\n{} {}",
            h.from_version,
            hours(time),
            if rehearsed { "rehearsed" } else { "estimate" }
        ))
        .color(GREY),
    ];
    let mut why = vec![Span::bold(h.kind.clone()), Span::plain("\n")];
    why.push(Span::plain(h.reason.clone()));
    if h.optional {
        why.push(Span::plain(" (optional)").color(GREY));
    }
    if !h.verified {
        why.push(sp());
        why.push(unverified());
    }
    TableRow {
        cells: vec![
            vec![Span::bold(h.number.to_string())],
            version,
            why,
            hop_notes(h),
        ],
        fill: None,
    }
}

fn hop_notes(h: &HopRow) -> Vec<Span> {
    let mut notes: Vec<Span> = Vec::new();
    for (i, n) in h.notes.iter().enumerate() {
        if i > 0 {
            notes.push(Span::plain("\n"));
        }
        notes.push(note_chip(n.severity));
        notes.push(Span::plain(format!(" {}: ", n.kind)).color(GREY));
        if let Some(id) = &n.id {
            let mut s = Span::mono(id.clone()).color(BLUE);
            if let Some(u) = &n.doc_url {
                s = s.link(primary_url(u));
            }
            notes.push(s);
            notes.push(Span::plain(" "));
        }
        notes.push(Span::plain(n.text.clone()));
        if let Some(c) = &n.check {
            notes.push(Span::plain(format!(" Applies if: {c}.")).color(GREY));
        }
        if !n.verified {
            notes.push(sp());
            notes.push(unverified());
        }
    }
    if notes.is_empty() {
        notes.push(Span::plain("—").color(GREY));
    }
    notes
}

/// A dependency step, shaded: what changes, after which version, why and where it may go.
fn step_row(e: &TimelineRow) -> Option<TableRow> {
    let TimelineRow::Step {
        component,
        title,
        after,
        range,
        origin,
        hours: h,
        reason,
    } = e
    else {
        return None;
    };
    let automatic = origin == "automatic";
    let origin = match origin.as_str() {
        "proposed" => "Proposed step (not in the plan yet)",
        "automatic" => "Done by the package",
        _ => "Planned step",
    };
    // A configuration change is a sentence: it goes in the wide column.
    let (name, change) = if component == "Configuration" {
        (component.clone(), Some(title.clone()))
    } else {
        (title.clone(), None)
    };
    let mut why = vec![Span::bold(format!("{component}: {origin}"))];
    for text in change.iter().chain(Some(reason).filter(|r| !r.is_empty())) {
        why.push(Span::plain("\n"));
        why.push(Span::plain(text.clone()));
    }
    let notes = if automatic {
        format!("During the hop to {after}.")
    } else {
        format!("It can follow any GitLab version from {range}.")
    };
    Some(TableRow {
        cells: vec![
            vec![Span::plain("+").color(AMBER)],
            vec![
                Span::bold(name),
                Span::plain(format!("\nafter {after}\n{} estimate", hours(*h))).color(GREY),
            ],
            why,
            vec![Span::plain(notes)],
        ],
        fill: Some(AMBER_BG),
    })
}
