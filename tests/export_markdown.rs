//! The Markdown summary for the ticket body: snapshots (insta) and properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{GEO, LARGE, SMALL, TOKEN, load, model};
use upgrade_planner::export::{Paper, markdown};

fn render(file: &str, draft: bool) -> String {
    markdown::render(&model(&load(file), Paper::A4, draft))
}

#[test]
fn single_node_summary() {
    insta::assert_snapshot!("single_node", render(SMALL, false));
}

#[test]
fn multi_node_geo_summary() {
    insta::assert_snapshot!("multi_node_geo", render(GEO, false));
}

#[test]
fn largest_plan_summary() {
    insta::assert_snapshot!("large", render(LARGE, false));
}

#[test]
fn draft_summary_is_marked_and_redacted() {
    let md = render(TOKEN, true);
    assert!(md.contains("**DRAFT: not for submission.**"));
    assert!(!md.contains("glpat-"));
    assert!(md.contains("\\[REDACTED\\]"));
    insta::assert_snapshot!("draft", md);
}

#[test]
fn the_largest_plan_stays_compact() {
    let md = render(LARGE, false);
    let lines = md.lines().count();
    assert!(lines < 150, "{lines} lines");
    assert!(md.lines().all(|l| l.chars().count() < 2_000));
}

#[test]
fn markdown_carries_identity_and_agrees_with_the_model() {
    let m = model(&load(GEO), Paper::A4, false);
    let md = markdown::render(&m);
    for s in [
        m.plan_id.as_str(),
        "revision 3",
        "2026-11-21 10:30 UTC",
        "Upgrade Planner 9.9.9-test",
        "GitLab data of 2026-11-21",
        m.verdict.label(),
        &m.counts.text(", "),
        &m.window.summary,
    ] {
        assert!(md.contains(s), "`{s}` missing");
    }
    for h in &m.path.as_ref().unwrap().hops {
        assert!(md.contains(&format!("`{}`", h.version)), "{}", h.version);
    }
    // Task lists: one box per hop, and reviewed blockers ticked.
    assert_eq!(
        md.lines().filter(|l| l.starts_with("- [ ] Hop ")).count(),
        m.runbook.hops.len()
    );
    for i in m.known_issues.iter().filter(|i| i.reviewed) {
        if i.severity == upgrade_planner::path::NoteSeverity::Blocker {
            assert!(md.contains(&format!("- [x] 🛑 [{}]", i.id)), "{}", i.id);
        }
    }
}

#[test]
fn text_from_the_plan_cannot_break_the_markdown() {
    let mut plan = load(SMALL);
    plan.contact.as_mut().unwrap().organization =
        Some("Evil | Corp <b>**x**</b> [link](javascript:alert(1))".into());
    let md = markdown::render(&model(&plan, Paper::A4, false));
    let title = md.lines().next().unwrap();
    assert!(
        title.contains(
            "Evil \\| Corp &lt;b&gt;\\*\\*x\\*\\*&lt;/b&gt; \\[link\\](javascript:alert(1))"
        ),
        "{title}"
    );
}
