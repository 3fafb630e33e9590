//! The review reply as Markdown for the ticket (GitLab-flavoured): the verdict first, then the
//! required information, then step by step what is missing or of concern with the reviewer's
//! notes, then the app's own findings, and what changed since the reviewed revision.

use std::fmt::Write as _;

use super::diff::PlanDiff;
use super::reply::ReviewReply;
use crate::export::count;
use crate::export::markdown::esc;

/// Render the reply.
pub fn render(r: &ReviewReply) -> String {
    let mut o = String::new();
    header(&mut o, r);
    checklist(&mut o, r);
    steps(&mut o, r);
    findings(&mut o, r);
    if let Some(d) = r.review.as_ref().and_then(|s| s.since_review.as_ref()) {
        since_review(&mut o, d, "###");
    }
    let _ = writeln!(
        o,
        "_Made with Upgrade Planner from plan `{}` revision {}, GitLab data of {}._",
        r.plan_id.replace('`', "'"),
        r.revision,
        r.data_date
    );
    o
}

fn header(o: &mut String, r: &ReviewReply) {
    let org = r.organization.as_deref().unwrap_or("GitLab upgrade plan");
    let _ = writeln!(o, "## Upgrade plan review: {}", esc(org));
    let _ = writeln!(o);
    let icon = match r.verdict.as_str() {
        "viable" => "✅",
        "needs_info" => "❓",
        "reschedule" => "🛑",
        _ => "•",
    };
    let _ = writeln!(o, "{icon} **{}**", esc(&r.verdict_heading()));
    let _ = writeln!(o);
    if r.is_draft() {
        let _ = writeln!(
            o,
            "_No review is saved in this plan yet: this draft comes from the plan's own findings. A Support engineer confirms or changes it._"
        );
        let _ = writeln!(o);
    }
    let mut facts = vec![format!(
        "Plan `{}` revision {}, upgrade {}",
        r.plan_id.replace('`', "'"),
        r.revision,
        esc(&r.upgrade_line())
    )];
    if let Some(t) = &r.ticket {
        facts.push(format!("ticket {}", esc(t)));
    }
    if let Some(s) = &r.review {
        facts.push(esc(&s.line()));
        if let Some(d) = &s.data_date {
            facts.push(format!("reviewed with GitLab data of {}", esc(d)));
        }
    }
    let _ = writeln!(o, "{}.", facts.join(" · "));
    let _ = writeln!(o);
    if let Some(s) = r.review.as_ref().filter(|s| s.changed_since_review) {
        let _ = writeln!(
            o,
            "> ⚠️ **Changed since review:** the plan is now revision {}; revision {} was reviewed. See \"Changes since the reviewed revision\" below.",
            r.revision, s.reviewed_revision
        );
        let _ = writeln!(o);
    }
    list(o, "What is missing", &r.missing);
    list(o, "Why the upgrade should be rescheduled", &r.reasons);
    if let Some(c) = &r.comment {
        quote(o, c);
    }
}

fn list(o: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "**{title}:**");
    let _ = writeln!(o);
    for i in items {
        let _ = writeln!(o, "- {}", esc(i));
    }
    let _ = writeln!(o);
}

/// A text with line breaks as a block quote, each line escaped (a line that starts like a
/// heading or a list stays text).
fn quote(o: &mut String, text: &str) {
    for line in text.lines() {
        let mut line = esc(line);
        if line.starts_with(['#', '-', '+', '=']) {
            line.insert(0, '\\');
        } else if let Some(i) = line.find(|c: char| !c.is_ascii_digit())
            && i > 0
            && line[i..].starts_with(['.', ')'])
        {
            line.insert(i, '\\');
        }
        if line.is_empty() {
            let _ = writeln!(o, ">");
        } else {
            let _ = writeln!(o, "> {line}");
        }
    }
    let _ = writeln!(o);
}

fn status_icon(status: &str) -> &'static str {
    match status {
        "complete" => "✅",
        "concern" => "⚠️",
        "missing" => "❌",
        _ => "•",
    }
}

fn checklist(o: &mut String, r: &ReviewReply) {
    let _ = writeln!(o, "### Required information");
    let _ = writeln!(o);
    let _ = writeln!(o, "| Item | Status | Note |");
    let _ = writeln!(o, "|---|---|---|");
    for c in &r.checklist {
        let note = c
            .note
            .as_deref()
            .map_or_else(|| "—".to_string(), |n| esc(&n.replace('\n', "; ")));
        let by = if c.set_by == "app" && !r.is_draft() {
            " (from the findings)"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "| {} | {} {}{by} | {note} |",
            esc(&c.label),
            status_icon(&c.status),
            esc(&c.status_label)
        );
    }
    let _ = writeln!(o);
}

fn steps(o: &mut String, r: &ReviewReply) {
    if r.steps.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Step by step");
    let _ = writeln!(o);
    for s in &r.steps {
        if s.number > 0 {
            let _ = writeln!(o, "#### {}. {}", s.number, esc(&s.title));
        } else {
            let _ = writeln!(o, "#### {}", esc(&s.title));
        }
        let _ = writeln!(o);
        if let Some(n) = &s.note {
            let _ = writeln!(o, "**Reviewer's note:**");
            let _ = writeln!(o);
            quote(o, n);
        }
        for m in &s.missing {
            let _ = writeln!(o, "- ❌ Missing: {}", esc(m));
        }
        for c in &s.concerns {
            let _ = writeln!(o, "- ⚠️ Of concern: {}", esc(c));
        }
        if !s.missing.is_empty() || !s.concerns.is_empty() {
            let _ = writeln!(o);
        }
    }
}

fn findings(o: &mut String, r: &ReviewReply) {
    let _ = writeln!(o, "### The app's findings");
    let _ = writeln!(o);
    let _ = writeln!(o, "{}.", r.counts.text(", "));
    let _ = writeln!(o);
    for f in &r.findings {
        let _ = writeln!(
            o,
            "- **{}** {}: {}",
            f.severity,
            esc(&f.label),
            esc(&f.message)
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o);
    }
}

/// "Changes since the reviewed revision" under a heading of `level` (`###`): answers by
/// label with the old and new value, the path, findings new and resolved, known issues.
pub fn since_review(o: &mut String, d: &PlanDiff, level: &str) {
    let _ = writeln!(o, "{level} Changes since the reviewed revision");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Revision {} (GitLab data of {}) → revision {} (GitLab data of {}).",
        d.old_revision,
        esc(&d.old_data_date),
        d.new_revision,
        esc(&d.new_data_date)
    );
    let _ = writeln!(o);
    if d.is_empty() {
        let _ = writeln!(o, "No changes.");
        let _ = writeln!(o);
        return;
    }
    if d.answers.is_empty() {
        let _ = writeln!(o, "No answer changed.");
    } else {
        let _ = writeln!(
            o,
            "{} changed:",
            count(d.answers.len(), "answer", "answers")
        );
        let _ = writeln!(o);
        let _ = writeln!(o, "| Question | Was | Now |");
        let _ = writeln!(o, "|---|---|---|");
        for a in &d.answers {
            let cell = |v: &Option<String>| v.as_deref().map_or("—".to_string(), esc);
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                esc(&a.label),
                cell(&a.old),
                cell(&a.new)
            );
        }
    }
    let _ = writeln!(o);
    if d.path_changed() {
        let _ = writeln!(o, "- **Path was:** {}", esc(&d.old_path.join(" → ")));
        let _ = writeln!(o, "- **Path now:** {}", esc(&d.new_path.join(" → ")));
    } else {
        let _ = writeln!(o, "- **Path unchanged:** {}", esc(&d.new_path.join(" → ")));
    }
    for (title, list) in [
        ("New finding", &d.findings_new),
        ("Resolved", &d.findings_resolved),
    ] {
        for f in list {
            let _ = writeln!(
                o,
                "- **{title}** ({}): {}: {}",
                f.severity,
                esc(&f.label),
                esc(&f.message)
            );
        }
    }
    if !d.issues_new.is_empty() {
        let _ = writeln!(
            o,
            "- **Known issues newly applicable:** {}",
            esc(&d.issues_new.join(", "))
        );
    }
    if !d.issues_gone.is_empty() {
        let _ = writeln!(
            o,
            "- **Known issues no longer applicable:** {}",
            esc(&d.issues_gone.join(", "))
        );
    }
    let _ = writeln!(o);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::plan::{Open, Plan, ReviewVerdict};
    use crate::review::{new_review, reply};
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn load(name: &str) -> Plan {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::plan_file::load(std::path::Path::new(&path)).unwrap()
    }

    fn md(plan: &Plan) -> String {
        let k = Knowledge::global();
        let a = crate::validate::analyse(plan, k, today());
        render(&reply::build(plan, k, &a, today(), false))
    }

    #[test]
    fn the_draft_reply_leads_with_needs_info_and_names_the_rollback() {
        let text = md(&load(
            "tests/fixtures/unconfirmed-rollback.upgrade-plan.json",
        ));
        let verdict = text.find("Draft verdict: Needs information").unwrap();
        let missing = text.find("**What is missing:**").unwrap();
        let steps = text.find("### Step by step").unwrap();
        let findings = text.find("### The app's findings").unwrap();
        assert!(
            verdict < missing && missing < steps && steps < findings,
            "{text}"
        );
        assert!(text.contains("- Rollback plan — "), "{text}");
        assert!(text.contains("#### 10. Rollback"), "{text}");
        assert!(!text.contains("Changes since the reviewed revision"));
    }

    #[test]
    fn a_reviewed_and_revised_plan_carries_the_changes() {
        let mut plan = load("assets/samples/single-node.upgrade-plan.json");
        let k = Knowledge::global();
        let a = crate::validate::analyse(&plan, k, today());
        let mut r = new_review(&plan, &a, k);
        r.verdict = Some(Open::Known(ReviewVerdict::NeedsInfo));
        r.step_notes
            .insert("contact".into(), "Who is on call | at night?".into());
        plan.reviews.push(r);
        plan.revision += 1;
        plan.contact.as_mut().unwrap().name = Some("Night Owl".into());
        let text = md(&plan);
        assert!(text.contains("**Verdict: Needs information**"), "{text}");
        assert!(text.contains("**Changed since review:**"), "{text}");
        assert!(text.contains("> Who is on call \\| at night?"), "{text}");
        assert!(text.contains("### Changes since the reviewed revision"));
        assert!(text.contains("| Contact name | "), "{text}");
        assert!(text.contains("| Night Owl |"), "{text}");
    }
}
