//! The PDF's pages, composed from the export model with the layout engine: the title page
//! (`title`), the numbered sections (`summary`, `environment`, `diagram`, `recovery`,
//! `runbook`, `findings`) and the page furniture (header, "Page x of y", DRAFT marks). The PDF
//! writer only turns the result into PDF.

use crate::path::NoteSeverity;
use crate::validate::Severity;

use super::layout::{
    Column, Document, Flow, Fonts, Geometry, Item, Rgb, Span, Style, Table, TableRow, baseline,
    line_height,
};
use crate::export::{ExportModel, RunbookStep};

mod diagram;
mod environment;
mod findings;
mod furniture;
mod path;
mod recovery;
mod review;
mod runbook;
mod summary;
mod title;

use diagram::architecture;
use environment::environment;
use findings::{about, findings};
use furniture::furniture;
use path::path_section;
use recovery::{backup, geo, known_issues, rollback};
use runbook::runbook;
use summary::summary;
use title::title_page;

pub use review::review_summary;

// Colours.
pub(crate) const HEAD: Rgb = Rgb(0x36, 0x24, 0x6e);
pub(crate) const PURPLE: Rgb = Rgb(0x6b, 0x4f, 0xbb);
const LAVENDER: Rgb = Rgb(0xee, 0xea, 0xf8);
const ORANGE: Rgb = Rgb(0xc8, 0x4a, 0x1c);
pub(crate) const GREY: Rgb = Rgb(0x5e, 0x5b, 0x66);
pub(crate) const LIGHT: Rgb = Rgb(0xd9, 0xd6, 0xe0);
const CODE_BG: Rgb = Rgb(0xf1, 0xf0, 0xf5);
pub(crate) const RED: Rgb = Rgb(0xb4, 0x23, 0x18);
pub(crate) const RED_BG: Rgb = Rgb(0xfd, 0xec, 0xea);
pub(crate) const AMBER: Rgb = Rgb(0x9a, 0x56, 0x00);
pub(crate) const AMBER_BG: Rgb = Rgb(0xff, 0xf4, 0xe0);
pub(crate) const GREEN: Rgb = Rgb(0x1f, 0x7a, 0x3d);
const GREEN_BG: Rgb = Rgb(0xe6, 0xf4, 0xea);
const BLUE: Rgb = Rgb(0x1f, 0x5f, 0xa8);
const WATERMARK: Rgb = Rgb(0xd9, 0x2d, 0x20);

// Sizes in points.
pub(crate) const BODY: f32 = 9.0;
const SMALL: f32 = 8.0;
pub(crate) const TABLE: f32 = 7.6;
pub(crate) const H1: f32 = 14.0;
pub(crate) const H2: f32 = 10.5;

/// The sections, in order: (anchor, title).
const SECTIONS: [(&str, &str); 11] = [
    ("summary", "Summary"),
    ("path", "Upgrade path"),
    ("environment", "Environment"),
    ("architecture", "Architecture"),
    ("geo", "Geo"),
    ("known-issues", "Known issues"),
    ("backup", "Backup and restore"),
    ("rollback", "Rollback"),
    ("runbook", "Runbook"),
    ("findings", "Findings"),
    ("about", "About this document"),
];

fn section_title(anchor: &str) -> String {
    SECTIONS
        .iter()
        .position(|(a, _)| *a == anchor)
        .map_or(anchor.to_string(), |i| {
            format!("{} {}", i + 1, SECTIONS[i].1)
        })
}

fn severity_chip(s: Severity) -> Span {
    match s {
        Severity::Error => Span::chip("ERROR", RED),
        Severity::Warning => Span::chip("WARNING", AMBER),
        Severity::Info => Span::chip("HINT", BLUE),
    }
}

fn note_chip(s: NoteSeverity) -> Span {
    match s {
        NoteSeverity::Blocker => Span::chip("BLOCKER", RED),
        NoteSeverity::Warning => Span::chip("WARNING", AMBER),
        NoteSeverity::Info => Span::chip("INFO", BLUE),
    }
}

fn unverified() -> Span {
    Span::chip("UNVERIFIED", GREY)
}

fn sp() -> Span {
    Span::plain(" ")
}

fn or_missing(v: Option<&str>) -> Vec<Span> {
    match v {
        Some(s) => vec![Span::plain(s)],
        None => vec![Span::plain("not given").color(RED)],
    }
}

/// Lay out the whole document.
pub fn layout(model: &ExportModel, fonts: &Fonts) -> Document {
    let (w, h) = model.paper.size_mm();
    let mut flow = Flow::new(fonts, Geometry::for_paper(w, h));
    title_page(&mut flow, model);
    summary(&mut flow, model);
    path_section(&mut flow, model);
    environment(&mut flow, model);
    architecture(&mut flow, model);
    geo(&mut flow, model);
    known_issues(&mut flow, model);
    backup(&mut flow, model);
    rollback(&mut flow, model);
    runbook(&mut flow, model);
    findings(&mut flow, model);
    about(&mut flow, model);
    let mut doc = flow.finish();
    furniture(&mut doc, model, fonts);
    doc
}

fn section(flow: &mut Flow<'_>, anchor: &str) {
    flow.gap(5.0);
    flow.heading(
        &section_title(anchor),
        H1,
        HEAD,
        0,
        Some(anchor),
        18.0,
        Some(PURPLE),
    );
    flow.gap(1.5);
}

/// A section whose intro paragraph leads into a table: heading, intro and the start of the
/// table stay on one page.
fn lead_in(flow: &mut Flow<'_>, anchor: &str, intro: &[Span], table: &Table) {
    let intro_h = flow.fonts.wrap(intro, BODY, flow.width()).len() as f32 * line_height(BODY) + 2.0;
    let lead = flow.table_lead(table);
    flow.ensure(line_height(H1) + 9.0 + intro_h + lead);
    section(flow, anchor);
    flow.paragraph(intro, BODY, 0.0);
    flow.gap(2.0);
}

fn subheading(flow: &mut Flow<'_>, text: &str, outline: bool) {
    flow.gap(2.5);
    if outline {
        flow.heading(text, H2, HEAD, 1, None, 12.0, None);
    } else {
        let lh = line_height(H2);
        flow.ensure(lh + 12.0);
        flow.paragraph(&[Span::bold(text).color(HEAD)], H2, 0.0);
    }
    flow.gap(0.8);
}

fn label(flow: &mut Flow<'_>, text: &str) {
    flow.gap(1.5);
    flow.ensure(line_height(SMALL) + 8.0);
    flow.paragraph(
        &[Span::bold(text.to_uppercase()).color(GREY)],
        SMALL - 0.5,
        0.0,
    );
    flow.gap(0.5);
}

/// Size of a runbook step's text.
const STEP: f32 = BODY - 0.5;

/// A step's text: its attention chip, the text and the UNVERIFIED mark.
fn step_spans(s: &RunbookStep) -> Vec<Span> {
    let mut spans = Vec::new();
    if let Some(sev) = s.attention {
        spans.push(note_chip(sev));
        spans.push(sp());
    }
    spans.push(Span::plain(s.text.clone()));
    if s.unverified {
        spans.push(sp());
        spans.push(unverified());
    }
    spans
}

fn steps(flow: &mut Flow<'_>, list: &[RunbookStep], indent: f32) {
    for s in list {
        flow.step(
            &step_spans(s),
            s.command.as_deref(),
            STEP,
            indent,
            HEAD,
            CODE_BG,
        );
        flow.gap(0.6);
    }
}

/// A label and its steps; the label stays with the start of the first step (its text and the
/// first line of its command).
fn labelled_steps(flow: &mut Flow<'_>, title: &str, list: &[RunbookStep]) {
    if let Some(first) = list.first() {
        let lines = flow
            .fonts
            .wrap(&step_spans(first), STEP, flow.width() - 5.5)
            .len()
            .min(4);
        let code = if first.command.is_some() {
            line_height(STEP - 1.0) + 3.2
        } else {
            0.0
        };
        // The label's own gap, its line and the gap under it, then the step.
        flow.ensure(1.5 + line_height(SMALL - 0.5) + 0.5 + lines as f32 * line_height(STEP) + code);
    }
    label(flow, title);
    steps(flow, list, 0.0);
}

/// A table in the document's style: `(title, relative width)` per column.
pub(crate) fn styled_table(columns: &[(&str, f32)], rows: Vec<TableRow>) -> Table {
    Table {
        columns: columns
            .iter()
            .map(|(title, weight)| Column {
                title: (*title).to_string(),
                weight: *weight,
            })
            .collect(),
        rows,
        size: TABLE,
        header_fill: LAVENDER,
        header_color: HEAD,
        rule: LIGHT,
    }
}
