//! Section 9, the runbook.

use super::*;

pub(super) fn runbook(flow: &mut Flow<'_>, m: &ExportModel) {
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
