//! Reviews in the PDF: the plan's own pages say which revision GitLab Support reviewed, with
//! what verdict, and what changed since; and the one-page review summary that goes on the
//! ticket beside the plan PDF (`upgrade-planner review PLAN --pdf FILE`).

use super::*;
use crate::review::{PlanDiff, ReviewReply, ReviewStatus};

/// The "Support review" line of the title page.
pub(super) fn status_spans(r: &ReviewStatus) -> Vec<Span> {
    let mut v = vec![verdict_chip(&r.verdict), sp(), Span::plain(r.line())];
    if r.changed_since_review {
        v.push(Span::bold(" · changed since review").color(RED));
    }
    if r.reviews > 1 {
        v.push(Span::plain(format!(" ({} reviews in all)", r.reviews)).color(GREY));
    }
    v
}

fn verdict_colors(verdict: &str) -> (Rgb, Rgb) {
    match verdict {
        "viable" => (GREEN, GREEN_BG),
        "needs_info" => (AMBER, AMBER_BG),
        "reschedule" => (RED, RED_BG),
        _ => (GREY, LAVENDER),
    }
}

fn verdict_chip(verdict: &str) -> Span {
    let text = match verdict {
        "viable" => "VIABLE",
        "needs_info" => "NEEDS INFO",
        "reschedule" => "RESCHEDULE",
        _ => "REVIEWED",
    };
    Span::chip(text, verdict_colors(verdict).0)
}

/// In the plan's summary: what changed since the reviewed revision, when it was reviewed.
pub(super) fn since_section(flow: &mut Flow<'_>, m: &ExportModel) {
    let Some(d) = m.review.as_ref().and_then(|r| r.since_review.as_ref()) else {
        return;
    };
    subheading(flow, "Changes since the reviewed revision", true);
    since(flow, d, usize::MAX);
}

/// The changes: answers as a table (at most `cap` rows), then the path, findings and known
/// issues.
fn since(flow: &mut Flow<'_>, d: &PlanDiff, cap: usize) {
    flow.paragraph(
        &[Span::plain(format!(
            "Revision {} (GitLab data of {}) → revision {} (GitLab data of {}).",
            d.old_revision, d.old_data_date, d.new_revision, d.new_data_date
        ))
        .color(GREY)],
        BODY - 0.5,
        0.0,
    );
    flow.gap(1.0);
    if d.is_empty() {
        flow.paragraph(&[Span::plain("No changes.")], BODY, 0.0);
        return;
    }
    if !d.answers.is_empty() {
        let rows = d
            .answers
            .iter()
            .take(cap)
            .map(|a| {
                let cell = |v: &Option<String>| match v {
                    Some(t) => vec![Span::plain(t.clone())],
                    None => vec![Span::plain("—").color(GREY)],
                };
                TableRow {
                    cells: vec![
                        vec![Span::plain(a.label.clone())],
                        cell(&a.old),
                        cell(&a.new),
                    ],
                    fill: None,
                }
            })
            .collect();
        flow.table(&styled_table(
            &[("Question", 2.0), ("Was", 1.5), ("Now", 1.5)],
            rows,
        ));
        more(flow, d.answers.len(), cap, "answers");
    }
    let items = change_items(d, cap);
    flow.gap(1.0);
    flow.bullets(&items, BODY - 0.5, 0.0, GREY);
    let hidden =
        d.findings_new.len().saturating_sub(cap) + d.findings_resolved.len().saturating_sub(cap);
    more(flow, hidden, 0, "findings");
}

/// The path, findings (at most `cap` of each kind) and known issues as list items.
fn change_items(d: &PlanDiff, cap: usize) -> Vec<Vec<Span>> {
    let mut items: Vec<Vec<Span>> = Vec::new();
    if d.path_changed() {
        items.push(vec![
            Span::bold("Path was: "),
            Span::plain(d.old_path.join(" → ")),
        ]);
        items.push(vec![
            Span::bold("Path now: "),
            Span::plain(d.new_path.join(" → ")),
        ]);
    } else {
        items.push(vec![
            Span::bold("Path unchanged: "),
            Span::plain(d.new_path.join(" → ")),
        ]);
    }
    for (title, list, color) in [
        ("New finding", &d.findings_new, RED),
        ("Resolved", &d.findings_resolved, GREEN),
    ] {
        for f in list.iter().take(cap) {
            items.push(vec![
                Span::bold(format!("{title} ({}): ", f.severity)).color(color),
                Span::plain(crate::validate::labelled(&f.label, &f.message)),
            ]);
        }
    }
    if !d.issues_new.is_empty() {
        items.push(vec![
            Span::bold("Known issues newly applicable: "),
            Span::plain(d.issues_new.join(", ")),
        ]);
    }
    if !d.issues_gone.is_empty() {
        items.push(vec![
            Span::bold("Known issues no longer applicable: "),
            Span::plain(d.issues_gone.join(", ")),
        ]);
    }
    items
}

/// `… and 4 more answers (the Markdown reply has them all).`
fn more(flow: &mut Flow<'_>, total: usize, shown: usize, what: &str) {
    if total > shown {
        flow.paragraph(
            &[Span::plain(format!(
                "… and {} more {what} (the Markdown reply has them all).",
                total - shown
            ))
            .color(GREY)],
            BODY - 1.0,
            0.0,
        );
    }
}

/// How much of each list and text the summary shows: it must fit one page.
#[derive(Clone, Copy)]
struct Budget {
    /// Items per list.
    cap: usize,
    /// Characters per note.
    chars: usize,
}

const BUDGETS: [Budget; 6] = [
    Budget { cap: 8, chars: 420 },
    Budget { cap: 5, chars: 260 },
    Budget { cap: 3, chars: 160 },
    Budget { cap: 2, chars: 100 },
    Budget { cap: 1, chars: 60 },
    Budget { cap: 0, chars: 40 },
];

/// The one-page review summary: the most of the reply that fits on one page, the rest
/// counted ("… and 3 more"); the Markdown reply has everything.
pub fn review_summary(reply: &ReviewReply, model: &ExportModel, fonts: &Fonts) -> Document {
    let mut doc = summary_with(reply, model, fonts, BUDGETS[0]);
    for b in &BUDGETS[1..] {
        if doc.pages.len() <= 1 {
            break;
        }
        doc = summary_with(reply, model, fonts, *b);
    }
    // Whatever a hostile plan still puts past the first page is left out.
    doc.pages.truncate(1);
    doc.title = Some(format!(
        "GitLab upgrade plan review: {}",
        reply
            .organization
            .as_deref()
            .unwrap_or("organisation not given")
    ));
    furniture(&mut doc, model, fonts);
    doc
}

fn summary_with(reply: &ReviewReply, model: &ExportModel, fonts: &Fonts, b: Budget) -> Document {
    let (w, h) = model.paper.size_mm();
    let mut flow = Flow::new(fonts, Geometry::for_paper(w, h));
    flow.paragraph(
        &[Span::bold("GITLAB UPGRADE PLAN REVIEW SUMMARY").color(PURPLE)],
        SMALL,
        0.0,
    );
    flow.gap(1.0);
    flow.heading(
        reply
            .organization
            .as_deref()
            .unwrap_or("Organisation not given"),
        H1 + 2.0,
        HEAD,
        0,
        Some("review"),
        20.0,
        None,
    );
    verdict_banner(&mut flow, reply, b);
    flow.gap(3.0);
    flow.key_values(&facts(reply), 34.0, BODY, GREY);
    label(&mut flow, "Required information");
    checklist_table(&mut flow, reply, b);
    notes(&mut flow, reply, b);
    findings(&mut flow, reply, b);
    if let Some(d) = reply.review.as_ref().and_then(|s| s.since_review.as_ref())
        && !d.is_empty()
    {
        label(&mut flow, "Changes since the reviewed revision");
        since(&mut flow, d, b.cap);
    }
    flow.finish()
}

/// At most `max` characters of `text`, on one line, cut at a word.
fn clip(text: &str, max: usize) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let cut: String = one.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{} …", cut.trim_end())
}

fn verdict_banner(flow: &mut Flow<'_>, reply: &ReviewReply, b: Budget) {
    let (fg, bg) = verdict_colors(&reply.verdict);
    let x = flow.left();
    let w = flow.width();
    let (pad, big) = (3.0, 15.0);
    let lh = line_height(BODY);
    let mut body: Vec<Vec<Span>> = Vec::new();
    if reply.is_draft() {
        body.push(vec![Span::plain(
            "No review is saved in this plan yet: this draft comes from the plan's own findings; a Support engineer confirms or changes it.",
        )]);
    }
    for (title, list) in [("Missing", &reply.missing), ("Reason", &reply.reasons)] {
        for item in list.iter().take(b.cap.max(1)) {
            body.push(vec![
                Span::bold(format!("{title}: ")),
                Span::plain(clip(item, b.chars)),
            ]);
        }
        if list.len() > b.cap.max(1) {
            body.push(vec![
                Span::plain(format!("… and {} more.", list.len() - b.cap.max(1))).color(GREY),
            ]);
        }
    }
    if let Some(c) = &reply.comment {
        body.push(vec![Span::plain(clip(c, b.chars))]);
    }
    let wrapped: Vec<_> = body
        .iter()
        .map(|spans| flow.fonts.wrap(spans, BODY, w - 2.0 * pad - 2.0))
        .collect();
    let n: usize = wrapped.iter().map(Vec::len).sum();
    let h = pad * 2.0 + line_height(big) + 1.0 + lh * n as f32;
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
    flow.text_at(
        &reply.verdict_heading().to_uppercase(),
        Style::Bold,
        big,
        fg,
        x + pad + 2.0,
        baseline(top, line_height(big), big),
    );
    let mut t = top + line_height(big) + 1.0;
    for line in wrapped.iter().flatten() {
        for it in flow.line_items(line, x + pad + 2.0, t, BODY, lh) {
            flow.push(it);
        }
        t += lh;
    }
    flow.y = y + h;
}

fn facts(reply: &ReviewReply) -> Vec<(String, Vec<Span>)> {
    let row = |k: &str, v: Vec<Span>| (k.to_string(), v);
    let mut rows = vec![row(
        "Plan",
        vec![
            Span::mono(reply.plan_id.clone()),
            Span::plain(format!(
                " · revision {} · upgrade {}",
                reply.revision,
                reply.upgrade_line()
            )),
        ],
    )];
    if let Some(t) = &reply.ticket {
        rows.push(row("Support ticket", vec![Span::plain(t.clone())]));
    }
    match &reply.review {
        Some(s) => {
            rows.push(row("Review", vec![Span::plain(s.line())]));
            if let Some(d) = &s.data_date {
                rows.push(row(
                    "Reviewed with",
                    vec![Span::plain(format!("GitLab data of {d}"))],
                ));
            }
            rows.push(row(
                "Since the review",
                vec![if s.changed_since_review {
                    Span::bold(format!(
                        "changed: revision {} was reviewed, the plan is now revision {}",
                        s.reviewed_revision, reply.revision
                    ))
                    .color(RED)
                } else {
                    Span::plain("no answer changed").color(GREEN)
                }],
            ));
        }
        None => rows.push(row(
            "Review",
            vec![Span::plain("none saved yet (automatic draft)").color(GREY)],
        )),
    }
    rows.push(row(
        "GitLab data",
        vec![Span::plain(format!("of {}", reply.data_date))],
    ));
    rows
}

fn checklist_table(flow: &mut Flow<'_>, reply: &ReviewReply, b: Budget) {
    let rows = reply
        .checklist
        .iter()
        .map(|c| {
            let (fg, bg) = match c.status.as_str() {
                "complete" => (GREEN, None),
                "concern" => (AMBER, Some(AMBER_BG)),
                _ => (RED, Some(RED_BG)),
            };
            let mut status = vec![Span::bold(c.status_label.clone()).color(fg)];
            if c.set_by == "app" && !reply.is_draft() {
                status.push(Span::plain(" (findings)").color(GREY));
            }
            TableRow {
                cells: vec![
                    vec![Span::bold(c.label.clone())],
                    status,
                    vec![Span::plain(
                        c.note
                            .as_deref()
                            .map_or(String::new(), |n| clip(n, b.chars)),
                    )],
                ],
                fill: bg,
            }
        })
        .collect();
    flow.table(&styled_table(
        &[("Item", 1.3), ("Status", 0.9), ("Note", 3.2)],
        rows,
    ));
}

fn notes(flow: &mut Flow<'_>, reply: &ReviewReply, b: Budget) {
    let steps: Vec<_> = reply.steps.iter().filter(|s| s.note.is_some()).collect();
    if steps.is_empty() {
        return;
    }
    label(flow, "Reviewer's notes by step");
    let items: Vec<Vec<Span>> = steps
        .iter()
        .take(b.cap.max(1))
        .map(|s| {
            let title = if s.number > 0 {
                format!("{}. {}: ", s.number, s.title)
            } else {
                format!("{}: ", s.title)
            };
            vec![
                Span::bold(title).color(HEAD),
                Span::plain(clip(s.note.as_deref().unwrap_or_default(), b.chars)),
            ]
        })
        .collect();
    flow.bullets(&items, BODY - 0.5, 0.0, GREY);
    more(flow, steps.len(), b.cap.max(1), "notes");
}

fn findings(flow: &mut Flow<'_>, reply: &ReviewReply, b: Budget) {
    label(flow, "The app's findings");
    flow.paragraph(&[Span::plain(reply.counts.text(" · "))], BODY, 0.0);
    let attention: Vec<_> = reply
        .findings
        .iter()
        .filter(|f| f.severity != "info")
        .collect();
    let items: Vec<Vec<Span>> = attention
        .iter()
        .take(b.cap)
        .map(|f| {
            let chip = match f.severity.as_str() {
                "error" => Span::chip("ERROR", RED),
                _ => Span::chip("WARNING", AMBER),
            };
            vec![
                chip,
                sp(),
                Span::plain(clip(
                    &crate::validate::labelled(&f.label, &f.message),
                    b.chars,
                )),
            ]
        })
        .collect();
    if !items.is_empty() {
        flow.gap(0.8);
        flow.bullets(&items, BODY - 0.5, 0.0, GREY);
    }
    more(flow, attention.len(), b.cap, "errors and warnings");
}
