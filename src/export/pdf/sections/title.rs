//! The title page: organisation, verdict, key facts, the path at a glance and the contents.

use super::*;
use crate::export::{TimelineRow, Verdict, count};
use crate::path::NoteSeverity;

pub(super) fn title_page(flow: &mut Flow<'_>, m: &ExportModel) {
    title_block(flow, m);
    flow.gap(4.0);
    verdict_banner(flow, m);
    flow.gap(4.0);
    flow.key_values(&key_facts(m), 32.0, BODY, GREY);
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

/// The kicker, the organisation as the title and the upgrade under it.
fn title_block(flow: &mut Flow<'_>, m: &ExportModel) {
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
}

/// The rows of the title page: who, when, what and which plan.
fn key_facts(m: &ExportModel) -> Vec<(String, Vec<Span>)> {
    let window = window_spans(m);
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
    let setup = setup_line(m);
    let row = |k: &str, v: Vec<Span>| (k.to_string(), v);
    vec![
        row(
            "Organisation",
            or_missing(m.contact.organization.as_deref()),
        ),
        row("Contact", contact_spans(m)),
        row(
            "Support ticket",
            vec![match m.ticket() {
                Some(t) => Span::plain(t),
                None => Span::plain("not given yet").color(GREY),
            }],
        ),
        row(
            if m.windows.len() > 1 {
                "Upgrade windows"
            } else {
                "Upgrade window"
            },
            window,
        ),
        row(
            "Review call",
            vec![Span::plain(match m.window.review_call {
                Some(true) => "requested (Support sends a scheduling link 2-3 days before)",
                Some(false) => "not requested",
                None => "not answered",
            })],
        ),
        row("Upgrade", upgrade),
        row(
            "Installation",
            if setup.is_empty() {
                or_missing(None)
            } else {
                vec![Span::plain(setup.join(", "))]
            },
        ),
        row(
            "Plan",
            vec![
                Span::mono(m.plan_id.clone()),
                Span::plain(format!(" · revision {}", m.revision)),
            ],
        ),
        row(
            "Generated",
            vec![Span::plain(format!("{} by {}", m.generated_at, m.tool))],
        ),
        row("GitLab data", vec![Span::plain(m.data_summary.clone())]),
        row(
            "Support review",
            match &m.review {
                Some(r) => super::review::status_spans(r),
                None => vec![Span::plain("not reviewed yet").color(GREY)],
            },
        ),
    ]
}

/// Each window's start, end, zone and length (the first window's for a plan with one).
fn window_spans(m: &ExportModel) -> Vec<Span> {
    let mut window = Vec::new();
    for w in &m.windows {
        if m.windows.len() > 1 {
            if w.number > 1 {
                window.push(Span::plain("\n"));
            }
            window.push(Span::plain(format!("{}: ", w.number)).color(GREY));
        }
        window.push(Span::bold(w.when.summary.clone()));
        if let Some(u) = &w.when.start_utc {
            window.push(Span::plain(format!(" (starts {u})")).color(GREY));
        }
    }
    if window.is_empty() {
        window.push(Span::bold(m.window.summary.clone()));
        if let Some(u) = &m.window.start_utc {
            window.push(Span::plain(format!(" (starts {u})")).color(GREY));
        }
    }
    window
}

/// Name and email, each marked when missing.
fn contact_spans(m: &ExportModel) -> Vec<Span> {
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
    contact
}

/// `Linux package`, `on RHEL 8`, `multi-node (26 nodes)`, `Geo with 1 secondary site`.
fn setup_line(m: &ExportModel) -> Vec<String> {
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
    setup
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
    let several = m.windows.len() > 1;
    let mut spans = Vec::new();
    if several {
        spans.push(Span::bold("W1 ").color(HEAD));
    }
    spans.push(Span::chip(p.from.clone(), GREY));
    for w in &m.windows {
        if several && w.number > 1 {
            spans.push(Span::bold(format!("  W{} ", w.number)).color(HEAD));
        }
        for e in &w.entries {
            match e {
                TimelineRow::Hop { number, .. } => {
                    let Some(h) = p.hops.iter().find(|h| h.number == *number) else {
                        continue;
                    };
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
                TimelineRow::Step {
                    component, title, ..
                } => {
                    spans.push(Span::plain(" + ").color(GREY));
                    let short = match component.as_str() {
                        "Configuration" => "config".to_string(),
                        _ => title.clone(),
                    };
                    spans.push(Span::chip(short, AMBER));
                }
            }
        }
    }
    flow.paragraph(&spans, BODY + 0.5, 0.0);
    flow.gap(0.8);
    flow.paragraph(
        &[
            Span::plain("Grey: running now · purple: required stop · red: stop with a blocker to handle · orange: target · amber: dependency step (PostgreSQL, Redis, OS, configuration) · W1, W2: where each window starts.")
                .color(GREY),
        ],
        SMALL - 0.5,
        0.0,
    );
}
