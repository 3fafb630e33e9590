//! Section 1, the summary, and section 2, the upgrade path.

use super::*;
use crate::export::{count, hours, primary_url};
use crate::path::NoteSeverity;
use crate::validate::Severity;

pub(super) fn summary(flow: &mut Flow<'_>, m: &ExportModel) {
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
