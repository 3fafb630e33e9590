//! Section 1, the summary.

use super::*;
use crate::export::{Estimate, count, hours};
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
        rows.push(("Time needed".to_string(), time_needed(m, e)));
    }
    if m.windows.len() > 1 {
        rows.push(("Windows".to_string(), windows(m)));
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

    needs_attention(flow, m);
    super::review::since_section(flow, m);
}

/// The warnings and errors, at most twelve.
fn needs_attention(flow: &mut Flow<'_>, m: &ExportModel) {
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

/// The estimate: per window when the plan has windows, else per hop.
fn time_needed(m: &ExportModel, e: &Estimate) -> Vec<Span> {
    let mut v = Vec::new();
    if m.windows.len() > 1 {
        let work: f64 = m.windows.iter().map(|w| w.work_hours).sum();
        v.push(Span::plain(format!(
            "about {} of work over {} windows (hops at {} each, dependency steps, waits), each with {} reserved for a rollback",
            hours(work),
            m.windows.len(),
            hours(e.hours_per_hop),
            hours(e.rollback_hours)
        )));
        match e.fits {
            Some(true) => v.push(Span::plain("; every window holds its share").color(GREEN)),
            Some(false) => v.push(Span::plain("; a window is too short").color(RED)),
            None => {}
        }
    } else {
        let work = m.windows.first().map_or(e.upgrade_hours, |w| w.work_hours);
        v.push(Span::plain(format!(
            "about {} for {} at {} each (with the dependency steps), plus {} for a rollback = {}",
            hours(work),
            count(e.hops, "hop", "hops"),
            hours(e.hours_per_hop),
            hours(e.rollback_hours),
            hours(work + e.rollback_hours)
        )));
        match (e.window_hours, e.fits) {
            (Some(w), Some(true)) => {
                v.push(Span::plain(format!("; the {} window fits it", hours(w))).color(GREEN));
            }
            (Some(w), Some(false)) => {
                v.push(Span::plain(format!("; the {} window is too short", hours(w))).color(RED));
            }
            _ => {}
        }
    }
    v.push(Span::plain(" (rough guide; background migrations can take longer).").color(GREY));
    v
}

/// One line per window: when, how long, the work and the go/no-go time.
fn windows(m: &ExportModel) -> Vec<Span> {
    let count = m.windows.len();
    let mut v = Vec::new();
    for (i, w) in m.windows.iter().enumerate() {
        if i > 0 {
            v.push(Span::plain("\n"));
        }
        v.push(Span::bold(format!("{}: ", w.title(count))));
        let line = Span::plain(w.summary());
        v.push(if w.fits == Some(false) {
            line.color(RED)
        } else {
            line
        });
    }
    v
}
