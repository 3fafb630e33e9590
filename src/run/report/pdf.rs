//! The report as a PDF, laid out with the plan's layout engine and written by its PDF writer
//! (A4 or Letter as the export asks, embedded fonts, "Page x of y").

use crate::export::ExportError;
use crate::export::pdf::layout::{
    Document, Flow, Fonts, Geometry, Item, Rgb, Span, Stroke, Style, TableRow, TextRun,
};
use crate::export::pdf::{PdfInfo, write_document};

use super::{NoteRow, Report, RunReport};

// The plan PDF's palette, type sizes, headings and tables: the report looks like the plan.
use crate::export::pdf::sections::{
    AMBER, AMBER_BG, BODY, GREEN, GREY, H1, H2, HEAD, LIGHT, PURPLE, RED, RED_BG,
    styled_table as table,
};

const FURNITURE: f32 = 7.0;

/// The report as PDF bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let doc = layout(report, fonts);
    if doc.overflowed {
        return Err(ExportError::TooLong {
            max_pages: crate::export::pdf::layout::MAX_PAGES,
        });
    }
    write_document(&doc, &info(report))
}

fn info(r: &Report) -> PdfInfo {
    PdfInfo {
        title: format!(
            "GitLab upgrade report {}: {}",
            r.upgrade_line, r.organization
        ),
        subject: format!("Run log of plan {} revision {}", r.plan_id, r.revision),
        author: String::new(),
        tool: r.tool.clone(),
        keywords: vec!["GitLab".into(), "upgrade report".into()],
        identifier: r.plan_id.clone(),
        generated_at: r.generated_at,
        id_seed: format!(
            "report|{}|{}|{}|{}|{}",
            r.plan_id,
            r.revision,
            r.generated_at.timestamp(),
            r.tool,
            r.paper.id()
        ),
    }
}

/// Lay the report out.
pub fn layout(r: &Report, fonts: &Fonts) -> Document {
    let (w, h) = r.paper.size_mm();
    let mut flow = Flow::new(fonts, Geometry::for_paper(w, h));
    flow.heading(
        "GitLab upgrade report",
        18.0,
        HEAD,
        0,
        Some("top"),
        30.0,
        None,
    );
    flow.paragraph(
        &[Span::bold(r.upgrade_line.clone()).color(PURPLE)],
        12.0,
        0.0,
    );
    flow.gap(2.0);
    let mut facts = vec![(
        "Organization".to_string(),
        vec![Span::plain(r.organization.clone())],
    )];
    if let Some(t) = &r.ticket {
        facts.push(("Ticket".into(), vec![Span::plain(t.clone())]));
    }
    facts.push((
        "Plan".into(),
        vec![Span::plain(format!(
            "{} · revision {}",
            r.plan_id, r.revision
        ))],
    ));
    facts.push((
        "Generated".into(),
        vec![Span::plain(format!(
            "{} · {}",
            r.generated_at.format("%Y-%m-%d %H:%M UTC"),
            r.tool
        ))],
    ));
    flow.key_values(&facts, 32.0, BODY, GREY);
    flow.gap(2.0);
    flow.paragraph(
        &[Span::bold(r.summary.clone()).color(HEAD)],
        BODY + 1.0,
        0.0,
    );
    for run in &r.runs {
        run_pages(&mut flow, run);
    }
    let mut doc = flow.finish();
    furniture(&mut doc, r, fonts);
    doc
}

fn heading(flow: &mut Flow<'_>, text: &str, size: f32, level: u8) {
    heading_kept(flow, text, size, level, 14.0);
}

/// A heading kept on one page with the next `keep` millimetres (the start of its table).
fn heading_kept(flow: &mut Flow<'_>, text: &str, size: f32, level: u8, keep: f32) {
    flow.gap(if level == 0 { 5.0 } else { 2.5 });
    let rule = (level == 0).then_some(PURPLE);
    flow.heading(text, size, HEAD, level, None, keep, rule);
    flow.gap(1.0);
}

fn plain(s: &str) -> Vec<Span> {
    vec![Span::plain(s.to_string())]
}

/// Outcome, versions, times and rollback as label and value rows.
fn run_facts(run: &RunReport) -> Vec<(String, Vec<Span>)> {
    let outcome_color = match run.outcome.as_str() {
        "finished" => GREEN,
        "rolled back" => RED,
        _ => AMBER,
    };
    let rollback = match &run.rollback {
        Some(rb) => vec![
            Span::bold("yes").color(RED),
            Span::plain(format!(
                ": started {} to {} ({}){}",
                rb.started,
                rb.to_version,
                rb.reason,
                rb.finished
                    .as_deref()
                    .map(|f| format!(", ended {f}"))
                    .unwrap_or_default()
            )),
        ],
        None => plain("no"),
    };
    let rows = vec![
        (
            "Outcome".to_string(),
            vec![Span::bold(run.outcome.clone()).color(outcome_color)],
        ),
        (
            "Versions".into(),
            plain(&format!(
                "{} → {} (planned: {})",
                run.start_version, run.reached_version, run.planned_version
            )),
        ),
        (
            "Started / ended".into(),
            plain(&format!(
                "{} / {}",
                run.started.as_deref().unwrap_or("—"),
                run.finished.as_deref().unwrap_or("still open")
            )),
        ),
        (
            "Time used".into(),
            plain(run.time_used.as_deref().unwrap_or("—")),
        ),
        ("Planned".into(), plain(&run.time_planned)),
        ("Rollback".into(), rollback),
    ];
    rows
}

fn run_pages(flow: &mut Flow<'_>, run: &RunReport) {
    heading(flow, &format!("{}: {}", run.kind, run.window), H1, 0);
    flow.key_values(&run_facts(run), 32.0, BODY, GREY);
    heading(flow, "Deviations from the plan", H2, 1);
    if run.deviations.is_empty() {
        flow.paragraph(&plain("None: the window went as planned."), BODY, 0.0);
    } else {
        let items: Vec<Vec<Span>> = run.deviations.iter().map(|d| plain(d)).collect();
        flow.bullets(&items, BODY, 0.0, AMBER);
    }
    if !run.times.is_empty() {
        let rows = run
            .times
            .iter()
            .map(|t| TableRow {
                cells: vec![
                    plain(&t.title),
                    plain(t.planned.as_deref().unwrap_or("—")),
                    plain(t.actual.as_deref().unwrap_or("—")),
                    plain(t.difference.as_deref().unwrap_or("—")),
                    plain(&t.state),
                ],
                fill: None,
            })
            .collect();
        let t = table(
            &[
                ("Part", 4.0),
                ("Planned", 1.2),
                ("Actual", 1.4),
                ("Difference", 1.4),
                ("State", 1.3),
            ],
            rows,
        );
        let keep = flow.table_lead(&t);
        heading_kept(flow, "Time used against the plan", H2, 1, keep);
        flow.table(&t);
    }
    notes(flow, "Failed steps", &run.failed, RED_BG);
    notes(flow, "Skipped steps", &run.skipped, AMBER_BG);
    events(flow, run);
}

/// What was done when, in time order.
fn events(flow: &mut Flow<'_>, run: &RunReport) {
    if run.events.is_empty() {
        heading(flow, "What was done when", H2, 1);
        flow.paragraph(&plain("Nothing was recorded."), BODY, 0.0);
        return;
    }
    let rows = run
        .events
        .iter()
        .map(|e| TableRow {
            cells: vec![
                plain(&e.at),
                vec![Span::bold(e.what.clone())],
                plain(&e.text),
                plain(e.note.as_deref().unwrap_or("")),
            ],
            fill: match e.what.as_str() {
                "failed" | "gate no-go" | "rollback" => Some(RED_BG),
                "skipped" | "gate overridden" => Some(AMBER_BG),
                _ => None,
            },
        })
        .collect();
    let t = table(
        &[("When", 1.5), ("What", 1.2), ("Step", 4.5), ("Note", 2.8)],
        rows,
    );
    let keep = flow.table_lead(&t);
    heading_kept(flow, "What was done when", H2, 1, keep);
    flow.table(&t);
}

fn notes(flow: &mut Flow<'_>, title: &str, rows: &[NoteRow], fill: Rgb) {
    if rows.is_empty() {
        return;
    }
    let rows = rows
        .iter()
        .map(|n| TableRow {
            cells: vec![
                plain(&n.at),
                vec![
                    Span::bold(n.section.clone()).color(GREY),
                    Span::plain(format!(" {}", n.step)),
                ],
                plain(&n.note),
                plain(&n.then),
            ],
            fill: Some(fill),
        })
        .collect();
    let t = table(
        &[("When", 1.5), ("Step", 4.5), ("Note", 2.8), ("Then", 1.6)],
        rows,
    );
    let keep = flow.table_lead(&t);
    heading_kept(flow, title, H2, 1, keep);
    flow.table(&t);
}

/// Text runs with font fallback at a baseline.
fn runs(
    fonts: &Fonts,
    text: &str,
    style: Style,
    color: Rgb,
    x: f32,
    base: f32,
) -> (Vec<Item>, f32) {
    let mut x0 = x;
    let items = fonts
        .runs(text, style)
        .into_iter()
        .map(|(face, s)| {
            let w = fonts.face_width(face, &s, FURNITURE);
            let run = Item::Text(TextRun {
                x: x0,
                baseline: base,
                size: FURNITURE,
                face,
                color,
                text: s,
                width: w,
            });
            x0 += w;
            run
        })
        .collect();
    (items, x0 - x)
}

/// Header (what the document is) and footer ("Page x of y") on every page.
fn furniture(doc: &mut Document, r: &Report, fonts: &Fonts) {
    let g = doc.geometry;
    let n = doc.pages.len();
    let head = format!(
        "{} · GitLab upgrade report {}",
        r.organization, r.upgrade_line
    );
    let head: String = head.chars().take(110).collect();
    for (i, page) in doc.pages.iter_mut().enumerate() {
        let base = g.margin_top + 4.6;
        let (items, _) = runs(fonts, &head, Style::Regular, GREY, g.left(), base);
        page.furniture.extend(items);
        page.furniture.push(rule(&g, g.margin_top + 6.5));
        let text = format!("Page {} of {n}", i + 1);
        let w = fonts.width(&text, Style::Bold, FURNITURE);
        let foot_base = g.body_bottom + 6.8;
        page.furniture.push(rule(&g, g.body_bottom + 3.0));
        let (items, _) = runs(fonts, &text, Style::Bold, HEAD, g.right() - w, foot_base);
        page.furniture.extend(items);
        let left = format!("Plan {} · revision {}", r.plan_id, r.revision);
        let (items, _) = runs(fonts, &left, Style::Regular, GREY, g.left(), foot_base);
        page.furniture.extend(items);
    }
}

fn rule(g: &Geometry, y: f32) -> Item {
    Item::Line {
        x1: g.left(),
        y1: y,
        x2: g.right(),
        y2: y,
        stroke: Stroke {
            color: LIGHT,
            width: 0.25,
            dashed: false,
        },
    }
}
