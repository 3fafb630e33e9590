//! Section 3, the environment: install, OS, nodes, components and setup notes.

use super::*;
use crate::export::EnvironmentInfo;

pub(super) fn environment(flow: &mut Flow<'_>, m: &ExportModel) {
    section(flow, "environment");
    let e = &m.environment;
    install_facts(flow, e);
    nodes(flow, e);
    components(flow, e);
    setup_notes(flow, m);
}

fn install_facts(flow: &mut Flow<'_>, e: &EnvironmentInfo) {
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
}

/// The node table, with its heading kept beside its first rows.
fn nodes(flow: &mut Flow<'_>, e: &EnvironmentInfo) {
    if e.nodes.is_empty() {
        return;
    }
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

fn components(flow: &mut Flow<'_>, e: &EnvironmentInfo) {
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
}

fn setup_notes(flow: &mut Flow<'_>, m: &ExportModel) {
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
