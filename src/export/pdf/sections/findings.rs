//! Section 10, the findings, and section 11, about this document.

use super::*;
use crate::export::primary_url;
use crate::validate::Severity;

pub(super) fn findings(flow: &mut Flow<'_>, m: &ExportModel) {
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

pub(super) fn about(flow: &mut Flow<'_>, m: &ExportModel) {
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
