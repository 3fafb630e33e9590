//! The PDF's pages, composed from the export model with the layout engine: title block,
//! contents, the numbered sections, the architecture diagram and the page furniture
//! (header, "Page x of y", DRAFT marks). The PDF writer only turns the result into PDF.

use crate::path::NoteSeverity;
use crate::validate::Severity;

use super::diagram::{BlockKind, Diagram};
use super::layout::{
    Column, Document, Flow, Fonts, Geometry, Item, PT, Rgb, Span, Stroke, Style, Table, TableRow,
    TextRun, arrow, baseline, line_height,
};
use super::{ExportModel, RunbookStep, Verdict, count, hours, primary_url};

// Colours.
const HEAD: Rgb = Rgb(0x36, 0x24, 0x6e);
const PURPLE: Rgb = Rgb(0x6b, 0x4f, 0xbb);
const LAVENDER: Rgb = Rgb(0xee, 0xea, 0xf8);
const ORANGE: Rgb = Rgb(0xc8, 0x4a, 0x1c);
const GREY: Rgb = Rgb(0x5e, 0x5b, 0x66);
const LIGHT: Rgb = Rgb(0xd9, 0xd6, 0xe0);
const CODE_BG: Rgb = Rgb(0xf1, 0xf0, 0xf5);
const RED: Rgb = Rgb(0xb4, 0x23, 0x18);
const RED_BG: Rgb = Rgb(0xfd, 0xec, 0xea);
const AMBER: Rgb = Rgb(0x9a, 0x56, 0x00);
const AMBER_BG: Rgb = Rgb(0xff, 0xf4, 0xe0);
const GREEN: Rgb = Rgb(0x1f, 0x7a, 0x3d);
const GREEN_BG: Rgb = Rgb(0xe6, 0xf4, 0xea);
const BLUE: Rgb = Rgb(0x1f, 0x5f, 0xa8);
const WATERMARK: Rgb = Rgb(0xd9, 0x2d, 0x20);

// Sizes in points.
const BODY: f32 = 9.0;
const SMALL: f32 = 8.0;
const TABLE: f32 = 7.6;
const H1: f32 = 14.0;
const H2: f32 = 10.5;

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

fn steps(flow: &mut Flow<'_>, list: &[RunbookStep], indent: f32) {
    for s in list {
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
        flow.step(
            &spans,
            s.command.as_deref(),
            BODY - 0.5,
            indent,
            HEAD,
            CODE_BG,
        );
        flow.gap(0.6);
    }
}

// ------------------------------------------------------------------ title page

fn title_page(flow: &mut Flow<'_>, m: &ExportModel) {
    flow.paragraph(
        &[Span::bold("GITLAB SELF-MANAGED UPGRADE PLAN").color(PURPLE)],
        SMALL,
        0.0,
    );
    flow.gap(1.0);
    // Long organisation names get a smaller title rather than four lines.
    let title = [Span::bold(m.organization()).color(HEAD)];
    let size = [20.0, 16.0, 13.0]
        .into_iter()
        .find(|s| flow.fonts.wrap(&title, *s, flow.width()).len() <= 2)
        .unwrap_or(13.0);
    flow.paragraph(&title, size, 0.0);
    flow.gap(0.5);
    let mut sub = vec![Span::plain(format!("Upgrade {}", m.upgrade_line()))];
    if let Some(e) = &m.versions.edition {
        sub.push(Span::plain(format!(" · {e}")).color(GREY));
    }
    flow.paragraph(&sub, 13.0, 0.0);
    flow.gap(4.0);
    verdict_banner(flow, m);
    flow.gap(4.0);

    let mut contact = Vec::new();
    match &m.contact.name {
        Some(n) => contact.push(Span::plain(n.clone())),
        None => contact.push(Span::plain("name not given").color(RED)),
    }
    contact.push(Span::plain(" · ").color(GREY));
    match &m.contact.email {
        Some(e) => contact.push(Span::plain(e.clone()).link(format!("mailto:{e}"))),
        None => contact.push(Span::plain("email not given").color(RED)),
    }
    let mut window = vec![Span::bold(m.window.summary.clone())];
    if let Some(u) = &m.window.start_utc {
        window.push(Span::plain(format!(" (starts {u})")).color(GREY));
    }
    let mut upgrade = vec![Span::plain(m.upgrade_line())];
    if let Some(p) = &m.path {
        upgrade.push(Span::plain(format!(
            ", {}{}",
            count(p.hops.len(), "hop", "hops"),
            if p.zero_downtime {
                ", zero-downtime"
            } else {
                ""
            }
        )));
    }
    let env = &m.environment;
    let mut setup = Vec::new();
    if let Some(i) = &env.install_method {
        setup.push(i.clone());
    }
    if let Some(o) = &env.os {
        setup.push(format!("on {o}"));
    }
    if let Some(t) = &env.topology {
        if env.total_nodes > 0 {
            setup.push(format!("{} ({} nodes)", t.to_lowercase(), env.total_nodes));
        } else {
            setup.push(t.to_lowercase());
        }
    }
    match (m.geo.enabled, m.geo.secondaries.len()) {
        (Some(true), n) => setup.push(format!(
            "Geo with {}",
            count(n, "secondary site", "secondary sites")
        )),
        (Some(false), _) => setup.push("no Geo".into()),
        (None, _) => {}
    }
    let rows = vec![
        (
            "Organisation".to_string(),
            or_missing(m.contact.organization.as_deref()),
        ),
        ("Contact".to_string(), contact),
        (
            "Support ticket".to_string(),
            vec![match m.ticket() {
                Some(t) => Span::plain(t),
                None => Span::plain("not given yet").color(GREY),
            }],
        ),
        ("Upgrade window".to_string(), window),
        (
            "Review call".to_string(),
            vec![Span::plain(match m.window.review_call {
                Some(true) => "requested (Support sends a scheduling link 2-3 days before)",
                Some(false) => "not requested",
                None => "not answered",
            })],
        ),
        ("Upgrade".to_string(), upgrade),
        (
            "Installation".to_string(),
            if setup.is_empty() {
                or_missing(None)
            } else {
                vec![Span::plain(setup.join(", "))]
            },
        ),
        (
            "Plan".to_string(),
            vec![
                Span::mono(m.plan_id.clone()),
                Span::plain(format!(" · revision {}", m.revision)),
            ],
        ),
        (
            "Generated".to_string(),
            vec![Span::plain(format!("{} by {}", m.generated_at, m.tool))],
        ),
        (
            "GitLab data".to_string(),
            vec![Span::plain(m.data_summary.clone())],
        ),
    ];
    flow.key_values(&rows, 32.0, BODY, GREY);
    flow.gap(2.5);

    label(flow, "Path at a glance");
    path_glance(flow, m);
    flow.gap(4.0);

    label(flow, "Contents");
    for (i, (anchor, title)) in SECTIONS.iter().enumerate() {
        flow.contents_entry(
            &[Span::plain(format!("{}  {title}", i + 1))],
            anchor,
            BODY,
            0.0,
            LIGHT,
        );
    }
}

fn verdict_banner(flow: &mut Flow<'_>, m: &ExportModel) {
    let (fg, bg) = match m.verdict {
        Verdict::Ready => (GREEN, GREEN_BG),
        Verdict::ReadyWithWarnings => (AMBER, AMBER_BG),
        Verdict::NotReady => (RED, RED_BG),
    };
    let fonts = flow.fonts;
    let x = flow.left();
    let w = flow.width();
    let pad = 3.0;
    let big = 15.0;
    let counts = m.counts.text(" · ");
    let mut text = m.verdict_text.clone();
    if m.draft {
        text.push_str(" Exported as a DRAFT: not for submission.");
    }
    let lines = fonts.wrap(&[Span::plain(text)], BODY, w - 2.0 * pad - 2.0);
    let lh = line_height(BODY);
    let h = pad * 2.0 + line_height(big) + 1.0 + lh * lines.len() as f32;
    flow.ensure(h);
    let y = flow.y;
    flow.push(Item::Rect {
        x,
        y,
        w,
        h,
        fill: Some(bg),
        stroke: None,
    });
    flow.push(Item::Rect {
        x,
        y,
        w: 1.6,
        h,
        fill: Some(fg),
        stroke: None,
    });
    let top = y + pad;
    let base = baseline(top, line_height(big), big);
    flow.text_at(
        &m.verdict.label().to_uppercase(),
        Style::Bold,
        big,
        fg,
        x + pad + 2.0,
        base,
    );
    let cw = fonts.width(&counts, Style::Bold, BODY + 1.0);
    flow.text_at(&counts, Style::Bold, BODY + 1.0, fg, x + w - pad - cw, base);
    let mut t = top + line_height(big) + 1.0;
    for l in &lines {
        for it in flow.line_items(l, x + pad + 2.0, t, BODY, lh) {
            flow.push(it);
        }
        t += lh;
    }
    flow.y = y + h;
}

fn path_glance(flow: &mut Flow<'_>, m: &ExportModel) {
    let Some(p) = &m.path else {
        flow.paragraph(
            &[
                Span::plain("No path: the versions are missing or invalid (see Findings).")
                    .color(RED),
            ],
            BODY,
            0.0,
        );
        return;
    };
    let mut spans = vec![Span::chip(p.from.clone(), GREY)];
    for h in &p.hops {
        spans.push(Span::plain(" → ").color(GREY));
        let bg = if h.number == p.hops.len() {
            ORANGE
        } else if h.notes.iter().any(|n| n.severity == NoteSeverity::Blocker) {
            RED
        } else {
            PURPLE
        };
        spans.push(Span::chip(h.version.clone(), bg));
    }
    flow.paragraph(&spans, BODY + 0.5, 0.0);
    flow.gap(0.8);
    flow.paragraph(
        &[
            Span::plain("Grey: running now · purple: required stop · red: stop with a blocker to handle · orange: target.")
                .color(GREY),
        ],
        SMALL - 0.5,
        0.0,
    );
}

// ------------------------------------------------------------------ sections

fn summary(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "summary");
    let mut rows = Vec::new();
    rows.push((
        "Readiness".to_string(),
        vec![
            Span::bold(m.verdict.label()),
            Span::plain(format!(": {}", m.verdict_text)),
        ],
    ));
    if let Some(p) = &m.path {
        let optional = p.hops.iter().filter(|h| h.optional).count();
        rows.push((
            "Hops".to_string(),
            vec![Span::plain(format!(
                "{}{} from {} to {}",
                p.hops.len(),
                if optional > 0 {
                    format!(" ({optional} optional)")
                } else {
                    String::new()
                },
                p.from,
                p.to
            ))],
        ));
    }
    if let Some(e) = &m.estimate {
        let mut v = vec![Span::plain(format!(
            "about {} for {} at {} each, plus {} for a rollback = {}",
            hours(e.upgrade_hours),
            count(e.hops, "hop", "hops"),
            hours(e.hours_per_hop),
            hours(e.rollback_hours),
            hours(e.upgrade_hours + e.rollback_hours)
        ))];
        match (e.window_hours, e.fits) {
            (Some(w), Some(true)) => {
                v.push(Span::plain(format!("; the {} window fits it", hours(w))).color(GREEN));
            }
            (Some(w), Some(false)) => {
                v.push(Span::plain(format!("; the {} window is too short", hours(w))).color(RED));
            }
            _ => {}
        }
        v.push(Span::plain(" (rough guide; background migrations can take longer).").color(GREY));
        rows.push(("Time needed".to_string(), v));
    }
    let blockers = m
        .known_issues
        .iter()
        .filter(|i| i.severity == NoteSeverity::Blocker)
        .count();
    let unreviewed = m
        .known_issues
        .iter()
        .filter(|i| i.severity == NoteSeverity::Blocker && !i.reviewed)
        .count();
    rows.push((
        "Known issues".to_string(),
        vec![Span::plain(format!(
            "{} on this path, {}{}",
            m.known_issues.len(),
            count(blockers, "blocker", "blockers"),
            if blockers == 0 {
                String::new()
            } else if unreviewed == 0 {
                ", all reviewed".to_string()
            } else {
                format!(", {unreviewed} not reviewed")
            }
        ))],
    ));
    rows.push((
        "Rollback".to_string(),
        vec![Span::plain(
            match (&m.rollback.to_version, m.rollback.confirmed) {
                (Some(v), Some(true)) => format!("to {v}, steps confirmed by the customer"),
                (Some(v), _) => format!("to {v}, steps NOT confirmed yet"),
                (None, _) => "not possible to plan without the current version".to_string(),
            },
        )],
    ));
    flow.key_values(&rows, 32.0, BODY, GREY);

    let attention: Vec<_> = m
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    if !attention.is_empty() {
        label(flow, "Needs attention");
        let items: Vec<Vec<Span>> = attention
            .iter()
            .take(12)
            .map(|f| {
                vec![
                    severity_chip(f.severity),
                    sp(),
                    Span::plain(crate::validate::labelled(&f.label, &f.message)),
                    Span::plain(format!(" ({})", f.step)).color(GREY),
                ]
            })
            .collect();
        flow.bullets(&items, BODY - 0.5, 0.0, GREY);
        if attention.len() > 12 {
            flow.paragraph(
                &[Span::plain(format!(
                    "… and {} more in section 10 Findings.",
                    attention.len() - 12
                ))
                .color(GREY)],
                BODY - 0.5,
                4.0,
            );
        }
    }
}

fn path_section(flow: &mut Flow<'_>, m: &ExportModel) {
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
    let mut intro = vec![Span::plain(format!(
        "From {} to {}: {}. Install each version, let it settle (background migrations finished), then go on. ",
        p.from,
        p.to,
        count(p.hops.len(), "hop", "hops")
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
    let rows = p
        .hops
        .iter()
        .map(|h| {
            let mut version = vec![Span::bold(h.version.clone())];
            version.push(Span::plain(format!("\nfrom {}", h.from_version)).color(GREY));
            let mut why = vec![Span::bold(h.kind.clone()), Span::plain("\n")];
            why.push(Span::plain(h.reason.clone()));
            if h.optional {
                why.push(Span::plain(" (optional)").color(GREY));
            }
            if !h.verified {
                why.push(sp());
                why.push(unverified());
            }
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
            TableRow {
                cells: vec![vec![Span::bold(h.number.to_string())], version, why, notes],
                fill: if h.number % 2 == 0 {
                    Some(Rgb(0xfa, 0xf9, 0xfc))
                } else {
                    None
                },
            }
        })
        .collect();
    let table = Table {
        columns: vec![
            Column {
                title: "#".into(),
                weight: 0.35,
            },
            Column {
                title: "Version".into(),
                weight: 1.25,
            },
            Column {
                title: "Why it is a stop".into(),
                weight: 3.0,
            },
            Column {
                title: "Notes (known issues, PostgreSQL, Redis, OS)".into(),
                weight: 5.4,
            },
        ],
        rows,
        size: TABLE,
        header_fill: LAVENDER,
        header_color: HEAD,
        rule: LIGHT,
    };
    lead_in(flow, "path", &intro, &table);
    flow.table(&table);
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

fn environment(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "environment");
    let e = &m.environment;
    let mut rows = vec![
        (
            "Install method".to_string(),
            or_missing(e.install_method.as_deref()),
        ),
        ("Edition".to_string(), or_missing(e.edition.as_deref())),
        ("Operating system".to_string(), or_missing(e.os.as_deref())),
        ("Topology".to_string(), or_missing(e.topology.as_deref())),
    ];
    if let Some(r) = &e.reference_architecture {
        rows.push((
            "Reference architecture".to_string(),
            vec![Span::plain(r.clone())],
        ));
    }
    if e.total_nodes > 0 {
        rows.push((
            "Nodes".to_string(),
            vec![Span::plain(e.total_nodes.to_string())],
        ));
    }
    for (k, v) in &e.install_details {
        rows.push((k.clone(), vec![Span::plain(v.clone())]));
    }
    flow.key_values(&rows, 40.0, BODY, GREY);

    if !e.nodes.is_empty() {
        let rows = e
            .nodes
            .iter()
            .map(|n| {
                let mut os_notes = Vec::new();
                if let Some(o) = &n.os {
                    os_notes.push(Span::plain(o.clone()));
                }
                if let Some(t) = &n.notes {
                    if !os_notes.is_empty() {
                        os_notes.push(Span::plain("\n"));
                    }
                    os_notes.push(Span::plain(t.clone()).color(GREY));
                }
                TableRow {
                    cells: vec![
                        vec![Span::bold(n.role.clone())],
                        vec![Span::plain(n.count.to_string())],
                        vec![Span::plain(if n.also.is_empty() {
                            "—".to_string()
                        } else {
                            n.also.join(", ")
                        })],
                        if n.hosts.is_empty() {
                            vec![Span::plain("—").color(GREY)]
                        } else {
                            vec![Span::mono(n.hosts.join("\n"))]
                        },
                        if os_notes.is_empty() {
                            vec![Span::plain("—").color(GREY)]
                        } else {
                            os_notes
                        },
                    ],
                    fill: None,
                }
            })
            .collect();
        let table = Table {
            columns: vec![
                Column {
                    title: "Role".into(),
                    weight: 1.7,
                },
                Column {
                    title: "Count".into(),
                    weight: 0.75,
                },
                Column {
                    title: "Also runs".into(),
                    weight: 1.25,
                },
                Column {
                    title: "Host names".into(),
                    weight: 4.6,
                },
                Column {
                    title: "OS and notes".into(),
                    weight: 2.3,
                },
            ],
            rows,
            size: TABLE,
            header_fill: LAVENDER,
            header_color: HEAD,
            rule: LIGHT,
        };
        // Keep the heading with the header and first row of the table.
        let lead = flow.table_lead(&table);
        flow.ensure(line_height(H2) + 5.0 + lead);
        subheading(flow, "Nodes", false);
        flow.table(&table);
    }

    subheading(flow, "Components", false);
    let rows: Vec<(String, Vec<Span>)> = e
        .components
        .iter()
        .map(|(k, v)| {
            let span = if v == "not answered" {
                Span::plain(v.clone()).color(GREY)
            } else {
                Span::plain(v.clone())
            };
            (k.clone(), vec![span])
        })
        .collect();
    flow.key_values(&rows, 46.0, BODY - 0.5, GREY);

    subheading(flow, "Setup notes", false);
    if m.notes.unique_setup.is_none() && m.notes.current_known_issues.is_none() {
        flow.paragraph(
            &[Span::plain(
                "Nothing unusual in this setup and no issues seen on the current version were noted.",
            )
            .color(GREY)],
            BODY,
            0.0,
        );
        return;
    }
    label(flow, "Anything unusual in this setup");
    flow.paragraph(
        &[match &m.notes.unique_setup {
            Some(t) => Span::plain(t.clone()),
            None => Span::plain("Nothing noted.").color(GREY),
        }],
        BODY,
        0.0,
    );
    label(flow, "Issues already seen on the current version");
    flow.paragraph(
        &[match &m.notes.current_known_issues {
            Some(t) => Span::plain(t.clone()),
            None => Span::plain("Nothing noted.").color(GREY),
        }],
        BODY,
        0.0,
    );
}

fn architecture(flow: &mut Flow<'_>, m: &ExportModel) {
    // Keep the heading, the intro and the diagram on one page.
    let h = diagram_height(flow.fonts, flow.geometry.body_width(), &m.diagram);
    if h < flow.geometry.body_bottom - flow.geometry.body_top - 25.0 {
        flow.ensure(h + 25.0);
    }
    section(flow, "architecture");
    flow.paragraph(
        &[Span::plain(
            "Drawn from the answers in this plan: node roles with their counts (×N), how PostgreSQL, Redis and Gitaly run, and the services around GitLab.",
        )
        .color(GREY)],
        SMALL,
        0.0,
    );
    flow.gap(2.0);
    draw_diagram(flow, &m.diagram);
}

/// A block placed in the diagram.
struct Placed {
    x: f32,
    w: f32,
    kind: BlockKind,
    title: Vec<super::layout::Line>,
    count: Option<String>,
    lines: Vec<super::layout::Line>,
}

struct Row {
    y: f32,
    h: f32,
    blocks: Vec<Placed>,
    /// Indexes of blocks joined by an arrow to the next one.
    joins: Vec<usize>,
}

const BLOCK_TITLE: f32 = 7.2;
const BLOCK_LINE: f32 = 6.4;

fn block_width(fonts: &Fonts, b: &super::diagram::Block) -> f32 {
    let count = b.count.map_or(0.0, |c| {
        fonts.width(&format!("×{c}"), Style::Bold, BLOCK_TITLE) + 2.0
    });
    let t = fonts.width(&b.title, Style::Bold, BLOCK_TITLE) + count;
    let l = b
        .lines
        .iter()
        .map(|l| fonts.width(l, Style::Regular, BLOCK_LINE))
        .fold(0.0_f32, f32::max);
    (t.max(l) + 4.0).clamp(22.0, 48.0)
}

/// Rows of one tier, positioned within `[x0, x0 + w]` from `y`.
fn tier_rows(fonts: &Fonts, tier: &super::diagram::Tier, x0: f32, w: f32, y: f32) -> Vec<Row> {
    let arrow_gap = 7.0;
    let group_gap = 4.0;
    // Pack groups into rows.
    let mut rows: Vec<Vec<(&super::diagram::Group, Vec<f32>)>> = vec![Vec::new()];
    let mut used = 0.0;
    for g in &tier.groups {
        let widths: Vec<f32> = g.blocks.iter().map(|b| block_width(fonts, b)).collect();
        let gw: f32 =
            widths.iter().sum::<f32>() + arrow_gap * (widths.len().saturating_sub(1)) as f32;
        let need = if rows.last().is_some_and(|r| !r.is_empty()) {
            gw + group_gap
        } else {
            gw
        };
        // Up to 15 % too wide still fits: the blocks are narrowed and their text wraps.
        if used + need > w * 1.15 && rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
            used = gw;
        } else {
            used += need;
        }
        if let Some(r) = rows.last_mut() {
            r.push((g, widths));
        }
    }
    let mut out = Vec::new();
    let mut top = y;
    for r in rows {
        let n_gaps_arrow: usize = r.iter().map(|(_, ws)| ws.len().saturating_sub(1)).sum();
        let n_gaps_group = r.len().saturating_sub(1);
        let fixed = arrow_gap * n_gaps_arrow as f32 + group_gap * n_gaps_group as f32;
        let natural: f32 = r.iter().flat_map(|(_, ws)| ws.iter()).sum();
        let scale = if natural + fixed > w {
            ((w - fixed) / natural).max(0.3)
        } else {
            1.0
        };
        let total = natural * scale + fixed;
        let mut x = x0 + (w - total).max(0.0) / 2.0;
        let mut blocks = Vec::new();
        let mut joins = Vec::new();
        for (gi, (g, ws)) in r.iter().enumerate() {
            if gi > 0 {
                x += group_gap;
            }
            for (bi, (b, bw)) in g.blocks.iter().zip(ws).enumerate() {
                if bi > 0 {
                    x += arrow_gap;
                    joins.push(blocks.len() - 1);
                }
                let bw = bw * scale;
                let count = b.count.map(|c| format!("×{c}"));
                let count_w = count
                    .as_deref()
                    .map_or(0.0, |c| fonts.width(c, Style::Bold, BLOCK_TITLE) + 1.5);
                let title = fonts.wrap(
                    &[Span::bold(b.title.clone())],
                    BLOCK_TITLE,
                    bw - 3.0 - count_w,
                );
                let lines = fonts.wrap(&[Span::plain(b.lines.join("\n"))], BLOCK_LINE, bw - 3.0);
                blocks.push(Placed {
                    x,
                    w: bw,
                    kind: b.kind,
                    title,
                    count,
                    lines: if b.lines.is_empty() {
                        Vec::new()
                    } else {
                        lines
                    },
                });
                x += bw;
            }
        }
        let h = blocks
            .iter()
            .map(|b| {
                2.4 + b.title.len() as f32 * line_height(BLOCK_TITLE)
                    + b.lines.len() as f32 * line_height(BLOCK_LINE)
            })
            .fold(8.0_f32, f32::max);
        out.push(Row {
            y: top,
            h,
            blocks,
            joins,
        });
        top += h + 3.0;
    }
    out
}

/// Height of the diagram as [`draw_diagram`] draws it.
fn diagram_height(fonts: &Fonts, width: f32, d: &Diagram) -> f32 {
    let mut probe = Flow::new(fonts, Geometry::for_paper(width + 36.0, 10_000.0));
    let start = probe.y;
    draw_diagram(&mut probe, d);
    probe.y - start
}

fn draw_diagram(flow: &mut Flow<'_>, d: &Diagram) {
    let fonts = flow.fonts;
    let x0 = flow.left();
    let width = flow.width();
    let label_w = 23.0;
    let pad = 3.0;
    let inner_x = x0 + label_w;
    let inner_w = width - label_w - pad;
    let tier_gap = 7.0;
    let head_h = 9.5;

    // Measure first (at y = 0), then place. Clients sit above the site's frame.
    let measure = |y0: f32| {
        let clients_outside = d.tiers.first().is_some_and(|t| t.label == "Clients");
        let mut tiers = Vec::new();
        let mut y = y0;
        let mut frame_top = None;
        for (i, t) in d.tiers.iter().enumerate() {
            if i == usize::from(clients_outside) {
                frame_top = Some(y);
                y += head_h;
            }
            let rows = tier_rows(fonts, t, inner_x, inner_w, y);
            let h =
                rows.iter().map(|r| r.h).sum::<f32>() + 3.0 * (rows.len().saturating_sub(1)) as f32;
            tiers.push((t.label.clone(), y, h, rows));
            y += h + tier_gap;
        }
        let frame_top = frame_top.unwrap_or(y);
        let bottom = (y - tier_gap + pad).max(frame_top + head_h + pad);
        (tiers, frame_top, bottom)
    };
    let (_, _, site_h) = measure(0.0);
    let per_row = 4usize;
    let sec_rows = d.secondaries.len().div_ceil(per_row);
    let sec_block_h = 15.0;
    let geo_h = if d.secondaries.is_empty() {
        0.0
    } else {
        14.0 + sec_rows as f32 * (sec_block_h + 3.0)
    };
    let legend_h = 8.0;
    let total = site_h + geo_h + legend_h;
    let body_h = flow.geometry.body_bottom - flow.geometry.body_top;
    if total > body_h {
        // Too big to draw on one page: list it instead.
        for t in &d.tiers {
            let names: Vec<String> = t
                .groups
                .iter()
                .flat_map(|g| g.blocks.iter())
                .map(|b| match b.count {
                    Some(c) => format!("{} ×{c}", b.title),
                    None => b.title.clone(),
                })
                .collect();
            flow.paragraph(
                &[
                    Span::bold(format!("{}: ", t.label)),
                    Span::plain(names.join(", ")),
                ],
                BODY,
                0.0,
            );
        }
        return;
    }
    flow.ensure(total);
    let (tiers, top, site_bottom) = measure(flow.y);

    // Site frame and title bar (the stroke stays inside the margins).
    flow.push(Item::Rect {
        x: x0 + 0.2,
        y: top,
        w: width - 0.4,
        h: site_bottom - top,
        fill: Some(Rgb(0xfb, 0xfa, 0xfd)),
        stroke: Some(Stroke {
            color: PURPLE,
            width: 0.4,
            dashed: false,
        }),
    });
    flow.push(Item::Rect {
        x: x0 + 0.4,
        y: top + 0.2,
        w: width - 0.8,
        h: 6.8,
        fill: Some(LAVENDER),
        stroke: None,
    });
    let base = baseline(top, 7.0, 8.5);
    flow.text_at(&d.site_title, Style::Bold, 8.5, HEAD, x0 + 2.5, base);
    let tw = fonts.width(&d.site_title, Style::Bold, 8.5);
    let sub_lines = fonts.wrap(
        &[Span::plain(d.site_subtitle.clone())],
        7.0,
        width - tw - 9.0,
    );
    if let Some(l) = sub_lines.first() {
        for it in flow.line_items(l, x0 + 6.0 + tw, top, 7.0, 7.0) {
            let it = match it {
                Item::Text(mut t) => {
                    t.color = GREY;
                    Item::Text(t)
                }
                other => other,
            };
            flow.push(it);
        }
    }

    let center = inner_x + inner_w / 2.0;
    for (i, (label, y, h, rows)) in tiers.iter().enumerate() {
        // Tier label.
        let lines = fonts.wrap(
            &[Span::bold(label.to_uppercase()).color(GREY)],
            6.3,
            label_w - 4.0,
        );
        let mut ly = *y + 1.0;
        for l in &lines {
            for it in flow.line_items(l, x0 + 2.5, ly, 6.3, line_height(6.3)) {
                flow.push(it);
            }
            ly += line_height(6.3);
        }
        if i + 1 < tiers.len() && *y < top {
            // From the clients into the site.
            for it in arrow(center, y + h + 0.8, center, top - 0.3, PURPLE, 0.35) {
                flow.push(it);
            }
        } else if i + 1 < tiers.len() {
            // Separator and the arrow down to the next tier.
            let sep = y + h + tier_gap / 2.0;
            flow.push(Item::Line {
                x1: x0 + 2.0,
                y1: sep,
                x2: x0 + width - 2.0,
                y2: sep,
                stroke: Stroke {
                    color: Rgb(0xe6, 0xe3, 0xec),
                    width: 0.2,
                    dashed: true,
                },
            });
            for it in arrow(
                center,
                y + h + 0.8,
                center,
                y + h + tier_gap - 0.8,
                PURPLE,
                0.35,
            ) {
                flow.push(it);
            }
        }
        for r in rows {
            for (bi, b) in r.blocks.iter().enumerate() {
                draw_block(flow, b, r.y, r.h);
                if r.joins.contains(&bi)
                    && let Some(next) = r.blocks.get(bi + 1)
                {
                    let cy = r.y + r.h / 2.0;
                    for it in arrow(b.x + b.w + 0.6, cy, next.x - 0.6, cy, HEAD, 0.35) {
                        flow.push(it);
                    }
                }
            }
        }
    }

    let mut y = site_bottom;
    if !d.secondaries.is_empty() {
        // Bus from the primary site to every secondary site.
        let n = d.secondaries.len();
        let cols = n.min(per_row);
        let gap = 5.0;
        // 0.4 mm narrower than the body: the box strokes stay inside the margins.
        let bw = ((width - 0.4 - gap * (cols - 1) as f32) / cols as f32).min(70.0);
        let row_w = bw * cols as f32 + gap * (cols - 1) as f32;
        let sx = x0 + (width - row_w) / 2.0;
        let bus_y = y + 7.0;
        let stroke = Stroke {
            color: ORANGE,
            width: 0.45,
            dashed: false,
        };
        let mid = x0 + width / 2.0;
        flow.push(Item::Line {
            x1: mid,
            y1: y,
            x2: mid,
            y2: bus_y,
            stroke,
        });
        let label_x = mid + 2.0;
        flow.text_at(
            &d.replication_label,
            Style::Regular,
            6.5,
            ORANGE,
            label_x,
            y + 4.2,
        );
        let first_row = n.min(per_row);
        let centers: Vec<f32> = (0..first_row)
            .map(|i| sx + bw / 2.0 + i as f32 * (bw + gap))
            .collect();
        if let (Some(a), Some(b)) = (centers.first(), centers.last()) {
            flow.push(Item::Line {
                x1: a.min(mid),
                y1: bus_y,
                x2: b.max(mid),
                y2: bus_y,
                stroke,
            });
        }
        let mut row_top = bus_y + 5.0;
        for (i, s) in d.secondaries.iter().enumerate() {
            let col = i % per_row;
            if i > 0 && col == 0 {
                row_top += sec_block_h + 3.0;
            }
            let bx = sx + col as f32 * (bw + gap);
            let cx = bx + bw / 2.0;
            if i < per_row {
                for it in arrow(cx, bus_y, cx, row_top - 0.4, ORANGE, 0.45) {
                    flow.push(it);
                }
            }
            flow.push(Item::Rect {
                x: bx,
                y: row_top,
                w: bw,
                h: sec_block_h,
                fill: Some(Rgb(0xff, 0xf6, 0xf1)),
                stroke: Some(Stroke {
                    color: ORANGE,
                    width: 0.4,
                    dashed: false,
                }),
            });
            let mut spans = vec![Span::bold(format!("Geo secondary: {}", s.name))];
            let mut detail = Vec::new();
            if let Some(l) = &s.location {
                detail.push(l.clone());
            }
            detail.push(s.detail.clone());
            spans.push(Span::plain(format!("\n{}", detail.join(" · "))).color(GREY));
            let lines = fonts.wrap(&spans, 7.0, bw - 3.0);
            let mut ly = row_top + 1.2;
            for l in lines.iter().take(3) {
                for it in flow.line_items(l, bx + 1.5, ly, 7.0, line_height(7.0)) {
                    flow.push(it);
                }
                ly += line_height(7.0);
            }
        }
        y = row_top + sec_block_h;
    }

    // Legend.
    let ly = y + 3.0;
    let mut x = x0 + 0.2;
    for (kind, text) in [
        (
            BlockKind::Node,
            "GitLab nodes you run (×N = number of nodes)",
        ),
        (
            BlockKind::Service,
            "outside GitLab: managed or external service",
        ),
        (BlockKind::Client, "clients"),
    ] {
        let (fill, stroke) = block_style(kind);
        flow.push(Item::Rect {
            x,
            y: ly,
            w: 4.0,
            h: 3.0,
            fill: Some(fill),
            stroke: Some(stroke),
        });
        flow.text_at(text, Style::Regular, 6.5, GREY, x + 5.5, ly + 2.4);
        x += 5.5 + fonts.width(text, Style::Regular, 6.5) + 6.0;
    }
    flow.y = ly + 4.0;
}

fn block_style(kind: BlockKind) -> (Rgb, Stroke) {
    match kind {
        BlockKind::Node => (
            LAVENDER,
            Stroke {
                color: PURPLE,
                width: 0.35,
                dashed: false,
            },
        ),
        BlockKind::Service => (
            Rgb::WHITE,
            Stroke {
                color: GREY,
                width: 0.35,
                dashed: true,
            },
        ),
        BlockKind::Client => (
            Rgb(0xf3, 0xf3, 0xf3),
            Stroke {
                color: Rgb(0xa0, 0x9d, 0xa8),
                width: 0.3,
                dashed: false,
            },
        ),
    }
}

fn draw_block(flow: &mut Flow<'_>, b: &Placed, y: f32, h: f32) {
    let (fill, stroke) = block_style(b.kind);
    flow.push(Item::Rect {
        x: b.x,
        y,
        w: b.w,
        h,
        fill: Some(fill),
        stroke: Some(stroke),
    });
    let mut top = y + 1.2;
    let lh = line_height(BLOCK_TITLE);
    for (i, l) in b.title.iter().enumerate() {
        for it in flow.line_items(l, b.x + 1.5, top, BLOCK_TITLE, lh) {
            flow.push(it);
        }
        if i == 0
            && let Some(c) = &b.count
        {
            let cw = flow.fonts.width(c, Style::Bold, BLOCK_TITLE);
            let base = baseline(top, lh, BLOCK_TITLE);
            flow.text_at(
                c,
                Style::Bold,
                BLOCK_TITLE,
                PURPLE,
                b.x + b.w - 1.5 - cw,
                base,
            );
        }
        top += lh;
    }
    for l in &b.lines {
        for it in flow.line_items(l, b.x + 1.5, top, BLOCK_LINE, line_height(BLOCK_LINE)) {
            let it = match it {
                Item::Text(mut t) => {
                    t.color = GREY;
                    Item::Text(t)
                }
                other => other,
            };
            flow.push(it);
        }
        top += line_height(BLOCK_LINE);
    }
}

fn geo(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "geo");
    match m.geo.enabled {
        None => {
            flow.paragraph(
                &[Span::plain("Not answered: is GitLab Geo used?").color(RED)],
                BODY,
                0.0,
            );
            return;
        }
        Some(false) => {
            flow.paragraph(&[Span::plain("Geo is not used.")], BODY, 0.0);
            return;
        }
        Some(true) => {}
    }
    flow.paragraph(
        &[Span::plain(format!(
            "Geo is used{}, with {}. Every hop is applied to the primary site first, then to each secondary; each site needs its own backup and rollback.",
            m.geo
                .site_role
                .as_deref()
                .map(|r| format!(" (the plan was prefilled from a site whose Geo role is {r})"))
                .unwrap_or_default(),
            count(m.geo.secondaries.len(), "secondary site", "secondary sites")
        ))],
        BODY,
        0.0,
    );
    flow.gap(2.0);
    if !m.geo.secondaries.is_empty() {
        let rows = m
            .geo
            .secondaries
            .iter()
            .map(|s| TableRow {
                cells: vec![
                    vec![Span::bold(s.name.clone())],
                    vec![Span::plain(
                        s.location.clone().unwrap_or_else(|| "—".into()),
                    )],
                    vec![Span::plain(
                        s.topology.clone().unwrap_or_else(|| "not given".into()),
                    )],
                    vec![Span::plain(
                        s.node_count.map_or("—".to_string(), |n| n.to_string()),
                    )],
                ],
                fill: None,
            })
            .collect();
        flow.table(&Table {
            columns: vec![
                Column {
                    title: "Secondary site".into(),
                    weight: 2.5,
                },
                Column {
                    title: "Location".into(),
                    weight: 3.0,
                },
                Column {
                    title: "Topology".into(),
                    weight: 1.8,
                },
                Column {
                    title: "Nodes".into(),
                    weight: 0.8,
                },
            ],
            rows,
            size: TABLE,
            header_fill: LAVENDER,
            header_color: HEAD,
            rule: LIGHT,
        });
    }
    label(flow, "Order on every hop");
    steps(flow, &m.geo.procedure, 0.0);
}

fn known_issues(flow: &mut Flow<'_>, m: &ExportModel) {
    if m.known_issues.is_empty() {
        section(flow, "known-issues");
        flow.paragraph(
            &[Span::plain(
                "No known issue in the GitLab data matches this path and environment.",
            )],
            BODY,
            0.0,
        );
        return;
    }
    let intro = [Span::plain(
        "Known issues on this path for this environment, blockers first. \"Applies if\" means the plan cannot tell: check it. Blockers must be marked as reviewed.",
    )];
    let rows = m
        .known_issues
        .iter()
        .map(|i| {
            let mut issue = vec![
                Span::mono(i.id.clone())
                    .color(BLUE)
                    .link(primary_url(&i.doc_url)),
                Span::plain("\n"),
                Span::plain(i.summary.clone()),
            ];
            if let Some(c) = &i.check {
                issue.push(Span::plain(format!(" Applies if: {c}.")).color(GREY));
            }
            if !i.verified {
                issue.push(sp());
                issue.push(unverified());
            }
            issue.push(Span::plain("\n"));
            issue.push(
                Span::plain(i.doc_url.clone())
                    .color(BLUE)
                    .link(i.doc_url.clone()),
            );
            TableRow {
                cells: vec![
                    vec![note_chip(i.severity)],
                    issue,
                    vec![Span::plain(
                        i.hop_version
                            .clone()
                            .unwrap_or_else(|| "running now".into()),
                    )],
                    vec![if i.reviewed {
                        Span::bold("✓ yes").color(GREEN)
                    } else if i.severity == NoteSeverity::Blocker {
                        Span::bold("✗ no").color(RED)
                    } else {
                        Span::plain("no").color(GREY)
                    }],
                ],
                fill: None,
            }
        })
        .collect();
    let table = Table {
        columns: vec![
            Column {
                title: "Severity".into(),
                weight: 1.3,
            },
            Column {
                title: "Issue and documentation".into(),
                weight: 7.0,
            },
            Column {
                title: "At hop".into(),
                weight: 1.2,
            },
            Column {
                title: "Reviewed".into(),
                weight: 1.2,
            },
        ],
        rows,
        size: TABLE,
        header_fill: LAVENDER,
        header_color: HEAD,
        rule: LIGHT,
    };
    lead_in(flow, "known-issues", &intro, &table);
    flow.table(&table);
}

fn backup(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "backup");
    let b = &m.backup;
    let mut rows = vec![("Method".to_string(), or_missing(b.method.as_deref()))];
    for (k, v) in &b.facts {
        let span = if v == "no" || v.starts_with("never") || v == "not given" {
            Span::plain(v.clone()).color(RED)
        } else {
            Span::plain(v.clone())
        };
        rows.push((k.clone(), vec![span]));
    }
    flow.key_values(&rows, 46.0, BODY, GREY);
    label(
        flow,
        "Keep with every backup (the backup archive does not contain them)",
    );
    let items: Vec<Vec<Span>> = b
        .files_to_keep
        .iter()
        .map(|f| vec![Span::plain(f.clone())])
        .collect();
    flow.bullets(&items, BODY - 0.5, 0.0, PURPLE);
    label(flow, "Not in the GitLab backup");
    let items: Vec<Vec<Span>> = b
        .not_in_backup
        .iter()
        .map(|f| vec![Span::plain(f.clone())])
        .collect();
    flow.bullets(&items, BODY - 0.5, 0.0, PURPLE);
    if let Some(v) = &b.restore_version {
        label(
            flow,
            &format!("Back up (shown for {v}; the runbook repeats it before every hop)"),
        );
        steps(flow, &b.backup_steps, 0.0);
        label(
            flow,
            &format!(
                "Restore onto exactly GitLab {v} {}",
                m.versions.edition_short
            ),
        );
        steps(flow, &b.restore_steps, 0.0);
    }
}

fn rollback(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "rollback");
    let r = &m.rollback;
    let tz = m.window.time_zone.clone().unwrap_or_default();
    let rows = vec![
        (
            "Trigger".to_string(),
            match &r.trigger {
                Some(t) => vec![Span::plain(t.clone())],
                None => vec![Span::plain("not given").color(AMBER)],
            },
        ),
        (
            "Decision deadline".to_string(),
            match &r.decision_deadline {
                Some(d) => vec![Span::bold(format!("{d} {tz}").trim().to_string())],
                None => vec![Span::plain("not given").color(AMBER)],
            },
        ),
        (
            "A rollback takes".to_string(),
            match r.duration_hours {
                Some(h) => vec![Span::plain(hours(h))],
                None => vec![Span::plain("not estimated").color(AMBER)],
            },
        ),
        (
            "Time left".to_string(),
            vec![Span::plain(
                r.time_left
                    .clone()
                    .unwrap_or_else(|| "cannot be computed".into()),
            )],
        ),
        (
            "Steps confirmed".to_string(),
            vec![match r.confirmed {
                Some(true) => Span::plain("yes, by the customer").color(GREEN),
                _ => Span::plain("no").color(RED),
            }],
        ),
        (
            "GitLab documentation".to_string(),
            vec![if r.documented {
                Span::plain("https://docs.gitlab.com/update/package/downgrade/")
                    .color(BLUE)
                    .link("https://docs.gitlab.com/update/package/downgrade/")
            } else {
                Span::plain("GitLab's rollback page does not cover this install method; the steps below follow the restore documentation.").color(AMBER)
            }],
        ),
    ];
    flow.key_values(&rows, 40.0, BODY, GREY);
    if let Some(n) = &r.notes {
        flow.paragraph(&[Span::plain(n.clone())], BODY, 0.0);
    }
    if let Some(v) = &r.to_version {
        label(flow, &format!("Return to {v}"));
        flow.paragraph(
            &[Span::plain(format!(
                "Written for a rollback to {v} with the backup and secrets taken in hop 1's pre-checks. If a later hop fails, return to the version before that hop instead, with the backup and secrets taken in that hop's pre-checks."
            ))
            .color(GREY)],
            BODY - 0.5,
            0.0,
        );
        flow.gap(1.0);
        steps(flow, &r.steps, 0.0);
    }
}

fn runbook(flow: &mut Flow<'_>, m: &ExportModel) {
    flow.new_page();
    section(flow, "runbook");
    let e = &m.environment;
    flow.paragraph(
        &[Span::plain(format!(
            "Tick each box as you go. Commands are for {}{}, {} {}; a line ending in \\ continues on the next line. Stop and follow section 8 Rollback if a check fails and cannot be fixed before the decision deadline{}.",
            m.runbook.commands_for,
            e.os.as_deref().map(|o| format!(" on {o}")).unwrap_or_default(),
            "GitLab",
            m.versions.edition_short,
            m.rollback
                .decision_deadline
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ))],
        BODY,
        0.0,
    );
    subheading(flow, "Before the window", true);
    steps(flow, &m.runbook.before, 0.0);
    if !m.runbook.order.is_empty() {
        subheading(
            flow,
            if m.runbook.zero_downtime {
                "Zero-downtime order of the nodes"
            } else {
                "Order of the nodes"
            },
            true,
        );
        let items: Vec<Vec<Span>> = m
            .runbook
            .order
            .iter()
            .map(|r| vec![Span::plain(r.clone())])
            .collect();
        let markers: Vec<String> = (1..=items.len()).map(|i| format!("{i}.")).collect();
        flow.list(&items, &markers, BODY - 0.5, 0.0, HEAD);
        flow.paragraph(
            &[Span::plain(if m.runbook.zero_downtime {
                "Back to front, one node at a time; a component without HA is upgraded with downtime."
            } else {
                "Back to front: Gitaly before Rails, the Rails deploy node before the other Rails nodes."
            })
            .color(GREY)],
            BODY - 0.5,
            0.0,
        );
    }
    let total = m.runbook.hops.len();
    for (h, row) in m
        .runbook
        .hops
        .iter()
        .zip(m.path.iter().flat_map(|p| p.hops.iter()))
    {
        flow.gap(3.0);
        let title = format!(
            "Hop {} of {total}: {} → {}",
            h.number, h.from_version, h.version
        );
        flow.ensure(40.0);
        // A band across the page for each hop.
        let lh = line_height(H2 + 0.5);
        let y = flow.y;
        flow.push(Item::Rect {
            x: flow.left(),
            y,
            w: flow.width(),
            h: lh + 2.0,
            fill: Some(LAVENDER),
            stroke: None,
        });
        flow.outline(1, &title);
        let base = baseline(y + 1.0, lh, H2 + 0.5);
        let left = flow.left();
        flow.text_at(&title, Style::Bold, H2 + 0.5, HEAD, left + 2.0, base);
        flow.y = y + lh + 3.0;
        let mut why = vec![
            Span::bold(format!("{}: ", row.kind)),
            Span::plain(row.reason.clone()),
        ];
        if !row.verified {
            why.push(sp());
            why.push(unverified());
        }
        flow.paragraph(&why, SMALL, 0.0);
        label(flow, &format!("Pre-checks on {}", h.from_version));
        steps(flow, &h.pre_checks, 0.0);
        label(flow, &format!("Install {}", h.version));
        steps(flow, &h.install, 0.0);
        label(flow, &format!("Post-checks on {}", h.version));
        steps(flow, &h.post_checks, 0.0);
    }
    subheading(flow, "After the upgrade", true);
    steps(flow, &m.runbook.after, 0.0);
}

fn findings(flow: &mut Flow<'_>, m: &ExportModel) {
    if m.findings.is_empty() {
        section(flow, "findings");
        flow.paragraph(
            &[Span::plain("No findings: the plan passed every check.")],
            BODY,
            0.0,
        );
        return;
    }
    let intro = [Span::plain(format!(
        "Every check result, errors first: {}. Errors block the export (except as a draft); warnings are for Support to see.",
        m.counts.text(", ")
    ))];
    let rows = m
        .findings
        .iter()
        .map(|f| {
            let mut msg = vec![Span::plain(f.message.clone())];
            if let Some(u) = &f.doc_url {
                msg.push(Span::plain("\n"));
                msg.push(Span::plain(u.clone()).color(BLUE).link(primary_url(u)));
            }
            TableRow {
                cells: vec![
                    vec![severity_chip(f.severity)],
                    vec![
                        Span::plain(format!("{}. {}", f.step_number, f.step)),
                        Span::plain("\n"),
                        Span::plain(f.label.clone()).color(GREY),
                    ],
                    msg,
                ],
                fill: match f.severity {
                    Severity::Error => Some(RED_BG),
                    Severity::Warning => Some(AMBER_BG),
                    Severity::Info => None,
                },
            }
        })
        .collect();
    let table = Table {
        columns: vec![
            Column {
                title: "Severity".into(),
                weight: 1.25,
            },
            Column {
                title: "Wizard step and question".into(),
                weight: 3.0,
            },
            Column {
                title: "Finding".into(),
                weight: 6.5,
            },
        ],
        rows,
        size: TABLE,
        header_fill: LAVENDER,
        header_color: HEAD,
        rule: LIGHT,
    };
    lead_in(flow, "findings", &intro, &table);
    flow.table(&table);
}

fn about(flow: &mut Flow<'_>, m: &ExportModel) {
    // Small: keep it in one piece.
    flow.ensure(75.0);
    section(flow, "about");
    flow.paragraph(
        &[Span::plain(format!(
            "Written with {} from plan {} revision {} on {}. The upgrade path, OS support, database minimums and known issues come from the GitLab data below, embedded in the tool; facts the research could not confirm are marked UNVERIFIED. Check https://docs.gitlab.com/update/upgrade_paths/ for anything GitLab published after the data date. Secrets found in any text were replaced by [REDACTED].",
            m.tool, m.plan_id, m.revision, m.generated_at
        ))],
        BODY - 0.5,
        0.0,
    );
    flow.gap(2.0);
    let rows = m
        .data_sources
        .iter()
        .map(|s| TableRow {
            cells: vec![
                vec![Span::mono(s.file.clone())],
                vec![Span::plain(s.retrieved_at.clone())],
                vec![Span::plain(s.origin.clone())],
            ],
            fill: None,
        })
        .collect();
    flow.table(&Table {
        columns: vec![
            Column {
                title: "Data file".into(),
                weight: 2.0,
            },
            Column {
                title: "Retrieved".into(),
                weight: 1.5,
            },
            Column {
                title: "Source".into(),
                weight: 5.0,
            },
        ],
        rows,
        size: TABLE,
        header_fill: LAVENDER,
        header_color: HEAD,
        rule: LIGHT,
    });
}

// ------------------------------------------------------------------ furniture

/// `text` when it fits in `max`, else its longest prefix that fits with an ellipsis after it.
fn fitted(fonts: &Fonts, text: &str, style: Style, size: f32, max: f32) -> String {
    if fonts.width(text, style, size) <= max {
        return text.to_string();
    }
    // Widths grow with the prefix, so search the character boundaries for the last prefix
    // that fits (the empty one always counts as fitting).
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let fits = |end: usize| fonts.width(&format!("{}…", &text[..end]), style, size) <= max;
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(ends[mid]) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let end = ends.get(lo).copied().unwrap_or(0);
    format!("{}…", text[..end].trim_end())
}

fn furniture(doc: &mut Document, m: &ExportModel, fonts: &Fonts) {
    let g = doc.geometry;
    let n = doc.pages.len();
    let size = 7.0;
    let head_base = g.margin_top + 4.6;
    let rule_y = g.margin_top + 6.5;
    let foot_rule = g.body_bottom + 3.0;
    let foot_base = g.body_bottom + 6.8;
    let left = g.left();
    let right = g.right();
    let text_run =
        |text: &str, style: Style, size: f32, color: Rgb, x: f32, base: f32| -> Vec<Item> {
            let mut x = x;
            fonts
                .runs(text, style)
                .into_iter()
                .map(|(face, s)| {
                    let w = fonts.face_width(face, &s, size);
                    let run = Item::Text(TextRun {
                        x,
                        baseline: base,
                        size,
                        face,
                        color,
                        text: s,
                        width: w,
                    });
                    x += w;
                    run
                })
                .collect()
        };
    let rule = |y: f32| Item::Line {
        x1: left,
        y1: y,
        x2: right,
        y2: y,
        stroke: Stroke {
            color: LIGHT,
            width: 0.25,
            dashed: false,
        },
    };
    // The header is the same on every page but the first.
    let right_text = format!("Plan {} · revision {}", short_id(&m.plan_id), m.revision);
    let rw = fonts.width(&right_text, Style::Regular, size);
    let draft_mark = "DRAFT — NOT FOR SUBMISSION";
    let dw = if m.draft {
        fonts.width(draft_mark, Style::Bold, size + 0.5) + 4.0
    } else {
        0.0
    };
    let left_text = fitted(
        fonts,
        &format!(
            "{} · GitLab upgrade plan {}",
            m.organization(),
            m.upgrade_line()
        ),
        Style::Regular,
        size,
        right - left - rw - dw - 6.0,
    );
    for (i, page) in doc.pages.iter_mut().enumerate() {
        let mut items = Vec::new();
        // Header.
        if m.draft {
            items.extend(text_run(
                draft_mark,
                Style::Bold,
                size + 0.5,
                RED,
                left,
                head_base,
            ));
        }
        if i > 0 {
            items.extend(text_run(
                &left_text,
                Style::Regular,
                size,
                GREY,
                left + dw,
                head_base,
            ));
        }
        items.extend(text_run(
            &right_text,
            Style::Regular,
            size,
            GREY,
            right - rw,
            head_base,
        ));
        items.push(rule(rule_y));
        // Footer.
        items.push(rule(foot_rule));
        let page_text = format!("Page {} of {n}", i + 1);
        let pw = fonts.width(&page_text, Style::Bold, size);
        let foot = fitted(
            fonts,
            &format!(
                "Generated {} · {} · GitLab data of {}",
                m.generated_at, m.tool, m.data_date
            ),
            Style::Regular,
            size,
            right - left - pw - 6.0,
        );
        items.extend(text_run(&foot, Style::Regular, size, GREY, left, foot_base));
        items.extend(text_run(
            &page_text,
            Style::Bold,
            size,
            HEAD,
            right - pw,
            foot_base,
        ));
        page.furniture.extend(items);

        if m.draft {
            // A large diagonal DRAFT over the content (the PDF draws it translucent).
            let wsize = 96.0;
            let word = "DRAFT";
            let w = fonts.width(word, Style::Bold, wsize);
            let cap = 0.73 * wsize * PT;
            let (cx, cy) = (g.width / 2.0, g.height / 2.0);
            let a = 45.0_f32.to_radians();
            let (s, c) = a.sin_cos();
            // Start of the baseline so that the text's centre lands on the page centre.
            let x = cx - (w / 2.0) * c + (cap / 2.0) * s;
            let base = cy + (w / 2.0) * s + (cap / 2.0) * c;
            let runs = fonts.runs(word, Style::Bold);
            if let Some((face, text)) = runs.into_iter().next() {
                page.overlay.push(Item::Rotated {
                    run: TextRun {
                        x,
                        baseline: base,
                        size: wsize,
                        face,
                        color: WATERMARK,
                        text,
                        width: w,
                    },
                    degrees: 45.0,
                });
            }
        }
    }
}

fn short_id(id: &str) -> String {
    id.split('-').next().unwrap_or(id).to_string()
}
