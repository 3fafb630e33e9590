//! Sections 5 to 8: Geo, known issues, backup and restore, rollback.

use super::*;
use crate::export::IssueRow;
use crate::export::{count, hours, primary_url};
use crate::path::NoteSeverity;

pub(super) fn geo(flow: &mut Flow<'_>, m: &ExportModel) {
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
    labelled_steps(flow, "Order on every hop", &m.geo.procedure);
}

pub(super) fn known_issues(flow: &mut Flow<'_>, m: &ExportModel) {
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
    let rows = m.known_issues.iter().map(issue_row).collect();
    let table = styled_table(
        &[
            ("Severity", 1.3),
            ("Issue and documentation", 7.0),
            ("At hop", 1.2),
            ("Reviewed", 1.2),
        ],
        rows,
    );
    lead_in(flow, "known-issues", &intro, &table);
    flow.table(&table);
}

/// One known issue: severity, id with its link and summary, hop, reviewed or not.
fn issue_row(i: &IssueRow) -> TableRow {
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
}

pub(super) fn backup(flow: &mut Flow<'_>, m: &ExportModel) {
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
        let when = if m.runbook.backup_every_hop {
            ", before risky steps and before every hop"
        } else {
            " and before risky steps"
        };
        labelled_steps(
            flow,
            &format!(
                "Back up (shown for {v}; the runbook does it at the start of every window{when})"
            ),
            &b.backup_steps,
        );
        labelled_steps(
            flow,
            &format!(
                "Restore onto exactly GitLab {v} {}",
                m.versions.edition_short
            ),
            &b.restore_steps,
        );
    }
}

pub(super) fn rollback(flow: &mut Flow<'_>, m: &ExportModel) {
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
                "Written for a rollback to {v} with the backup and secrets taken at the start of window 1. If something fails later, return to the version of the latest backup before it instead (taken at the start of that window, or just before a risky step or hop), with the secrets taken with it."
            ))
            .color(GREY)],
            BODY - 0.5,
            0.0,
        );
        flow.gap(1.0);
        steps(flow, &r.steps, 0.0);
    }
}
