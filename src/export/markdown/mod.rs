//! The Markdown summary for the ticket body (GitLab-flavoured: tables, task lists, links).
//! Compact on purpose: the attached PDF carries the full runbook. The timeline at a glance and
//! the checklist per window are in `timeline`.

use std::fmt::Write as _;

use crate::path::NoteSeverity;
use crate::validate::Severity;

use super::{ExportModel, Verdict, count, hours, primary_url};

mod timeline;

/// Escape text from the plan so it cannot change the Markdown around it. Every value sits
/// inside a line, so `#` needs no escape, and `_` only at the edge of a word.
pub(crate) fn esc(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '_' if word(i.checked_sub(1)) && word(Some(i + 1)) => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of free text, cut at a word.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{} … (full text in the PDF)", cut.trim_end())
}

fn or_dash(s: Option<&str>) -> String {
    s.map_or("—".to_string(), esc)
}

fn severity_icon(s: NoteSeverity) -> &'static str {
    match s {
        NoteSeverity::Blocker => "🛑",
        NoteSeverity::Warning => "⚠️",
        NoteSeverity::Info => "ℹ️",
    }
}

/// Render the model as Markdown.
pub fn render(m: &ExportModel) -> String {
    let mut o = String::new();
    header(&mut o, m);
    timeline::glance(&mut o, m);
    environment(&mut o, m);
    findings(&mut o, m);
    known_issues(&mut o, m);
    timeline::checklist(&mut o, m);
    if let Some(d) = m.review.as_ref().and_then(|r| r.since_review.as_ref()) {
        crate::review::markdown::since_review(&mut o, d, "###");
    }
    let _ = writeln!(
        o,
        "_The attached PDF has the full runbook with commands, the architecture diagram, backup, restore and rollback steps._"
    );
    o
}

/// Title, verdict and the key facts.
fn header(o: &mut String, m: &ExportModel) {
    let _ = writeln!(o, "## GitLab upgrade plan: {}", esc(m.organization()));
    let _ = writeln!(o);
    if m.draft {
        let _ = writeln!(
            o,
            "> **DRAFT: not for submission.** The plan still has errors."
        );
        let _ = writeln!(o);
    }
    let icon = match m.verdict {
        Verdict::Ready => "✅",
        Verdict::ReadyWithWarnings => "⚠️",
        Verdict::NotReady => "❌",
    };
    let _ = writeln!(
        o,
        "{icon} **{}**: {}.",
        m.verdict.label(),
        m.counts.text(", ")
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "| | |");
    let _ = writeln!(o, "|---|---|");
    let contact = match (&m.contact.name, &m.contact.email) {
        (Some(n), Some(e)) => format!("{} ({})", esc(n), esc(e)),
        (Some(n), None) => esc(n),
        (None, Some(e)) => esc(e),
        (None, None) => "—".into(),
    };
    let _ = writeln!(o, "| Contact | {contact} |");
    if let Some(t) = m.ticket() {
        let _ = writeln!(o, "| Ticket | {} |", esc(&t));
    }
    if m.windows.len() > 1 {
        let _ = writeln!(o, "| Windows | {} |", timeline::windows_cell(m));
    } else {
        let mut window = esc(&m.window.summary);
        if let Some(u) = &m.window.start_utc {
            window.push_str(&format!(" (starts {u})"));
        }
        let _ = writeln!(o, "| Window | {window} |");
    }
    let mut upgrade = format!("{} ({})", m.upgrade_line(), m.versions.edition_short);
    if let Some(p) = &m.path {
        upgrade.push_str(&format!(
            ", {}{}",
            count(p.hops.len(), "hop", "hops"),
            if p.zero_downtime {
                ", zero-downtime"
            } else {
                ""
            }
        ));
    }
    let _ = writeln!(o, "| Upgrade | {upgrade} |");
    let _ = writeln!(o, "| Installation | {} |", install_line(m));
    let _ = writeln!(
        o,
        "| Plan | `{}` revision {} |",
        m.plan_id.replace('`', "'"),
        m.revision
    );
    let _ = writeln!(
        o,
        "| Generated | {} by {}, {} |",
        m.generated_at, m.tool, m.data_summary
    );
    if let Some(r) = &m.review {
        let changed = if r.changed_since_review {
            " · **changed since review**"
        } else {
            ""
        };
        let _ = writeln!(o, "| Support review | {}{changed} |", esc(&r.line()));
    }
    let _ = writeln!(o);
}

/// `Linux package, on RHEL 8, multi-node (26 nodes)`.
fn install_line(m: &ExportModel) -> String {
    let e = &m.environment;
    let mut install = Vec::new();
    if let Some(i) = &e.install_method {
        install.push(esc(i));
    }
    if let Some(os) = &e.os {
        install.push(format!("on {}", esc(os)));
    }
    if let Some(t) = &e.topology {
        install.push(if e.total_nodes > 0 {
            format!("{} ({} nodes)", t.to_lowercase(), e.total_nodes)
        } else {
            t.to_lowercase()
        });
    }
    if install.is_empty() {
        "—".to_string()
    } else {
        install.join(", ")
    }
}

/// Nodes, components, Geo, backup and rollback in a few lines.
fn environment(o: &mut String, m: &ExportModel) {
    let e = &m.environment;
    let _ = writeln!(o, "### Environment");
    let _ = writeln!(o);
    let roles: Vec<String> = e
        .nodes
        .iter()
        .map(|n| format!("{} ×{}", esc(&n.role), n.count))
        .collect();
    if !roles.is_empty() {
        let _ = writeln!(o, "- **Nodes:** {}", roles.join(", "));
    }
    let comps: Vec<String> = e
        .components
        .iter()
        .take(3)
        .map(|(k, v)| format!("**{k}:** {}", esc(v)))
        .collect();
    let _ = writeln!(o, "- {}", comps.join(" · "));
    // The other components in use, with what the plan says about them.
    let in_use: Vec<String> = e
        .components
        .iter()
        .skip(3)
        .filter_map(|(k, v)| {
            let rest = v.strip_prefix("yes")?;
            let detail = rest.trim_start_matches(", ");
            Some(if detail.is_empty() {
                esc(k)
            } else {
                format!("{} ({})", esc(k), esc(detail))
            })
        })
        .collect();
    if !in_use.is_empty() {
        let _ = writeln!(o, "- **Also in use:** {}", in_use.join(", "));
    }
    match m.geo.enabled {
        Some(true) => {
            let sites: Vec<String> = m
                .geo
                .secondaries
                .iter()
                .map(|s| {
                    let mut d = esc(&s.name);
                    let extra: Vec<String> = [s.location.as_deref().map(esc), s.topology.clone()]
                        .into_iter()
                        .flatten()
                        .collect();
                    if !extra.is_empty() {
                        d.push_str(&format!(" ({})", extra.join(", ")));
                    }
                    d
                })
                .collect();
            let _ = writeln!(o, "- **Geo secondaries:** {}", sites.join("; "));
        }
        Some(false) => {
            let _ = writeln!(o, "- **Geo:** not used");
        }
        None => {
            let _ = writeln!(o, "- **Geo:** not answered");
        }
    }
    recovery_and_notes(o, m);
}

/// Backup, rollback and the setup notes, a line each.
fn recovery_and_notes(o: &mut String, m: &ExportModel) {
    let b = &m.backup;
    let facts: Vec<String> = b
        .facts
        .iter()
        .map(|(k, v)| format!("{}: {}", k.to_lowercase(), esc(&clip(v, 120))))
        .collect();
    let _ = writeln!(
        o,
        "- **Backup:** {}; {}",
        or_dash(b.method.as_deref()),
        facts.join(", ")
    );
    let r = &m.rollback;
    let mut rb = Vec::new();
    if let Some(v) = &r.to_version {
        rb.push(format!("to {v}"));
    }
    if let Some(d) = &r.decision_deadline {
        rb.push(format!(
            "decision by {} {}",
            esc(d),
            m.window.time_zone.as_deref().map(esc).unwrap_or_default()
        ));
    }
    if let Some(h) = r.duration_hours {
        rb.push(format!("takes {}", hours(h)));
    }
    rb.push(
        match r.confirmed {
            Some(true) => "steps confirmed",
            _ => "steps NOT confirmed",
        }
        .to_string(),
    );
    let _ = writeln!(o, "- **Rollback:** {}", rb.join(", "));
    if let Some(t) = &r.trigger {
        let _ = writeln!(o, "- **Rollback trigger:** {}", esc(&clip(t, 300)));
    }
    if let Some(n) = &m.notes.unique_setup {
        let _ = writeln!(o, "- **Unusual setup:** {}", esc(&clip(n, 300)));
    }
    if let Some(n) = &m.notes.current_known_issues {
        let _ = writeln!(
            o,
            "- **Issues seen on the current version:** {}",
            esc(&clip(n, 300))
        );
    }
    let _ = writeln!(o);
}

/// Every finding, errors first.
fn findings(o: &mut String, m: &ExportModel) {
    let _ = writeln!(o, "### Findings");
    let _ = writeln!(o);
    if m.findings.is_empty() {
        let _ = writeln!(o, "None: the plan passed every check.");
    }
    for f in &m.findings {
        let (icon, label) = match f.severity {
            Severity::Error => ("🔴", "Error"),
            Severity::Warning => ("🟠", "Warning"),
            Severity::Info => ("🔵", "Hint"),
        };
        let mut line = format!(
            "- {icon} **{label}** ({} › {}): {}",
            f.step,
            esc(&f.label),
            esc(&f.message)
        );
        if let Some(u) = &f.doc_url {
            line.push_str(&format!(" [Docs]({})", primary_url(u)));
        }
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(o);
}

/// Known issues: blockers as a task list (ticked when reviewed), the rest counted.
fn known_issues(o: &mut String, m: &ExportModel) {
    let blockers: Vec<_> = m
        .known_issues
        .iter()
        .filter(|i| i.severity == NoteSeverity::Blocker)
        .collect();
    let _ = writeln!(o, "### Known issues");
    let _ = writeln!(o);
    if m.known_issues.is_empty() {
        let _ = writeln!(o, "None on this path for this environment.");
    } else {
        for i in &blockers {
            let _ = writeln!(
                o,
                "- [{}] 🛑 [{}]({}) at {}: {}{}",
                if i.reviewed { "x" } else { " " },
                esc(&i.id),
                primary_url(&i.doc_url),
                i.hop_version.as_deref().unwrap_or("the running version"),
                esc(&i.summary),
                if i.verified { "" } else { " (UNVERIFIED)" }
            );
        }
        let warnings = m
            .known_issues
            .iter()
            .filter(|i| i.severity == NoteSeverity::Warning)
            .count();
        let infos = m.known_issues.len() - blockers.len() - warnings;
        let _ = writeln!(
            o,
            "\n{} (ticked when reviewed), {} and {} on the path; all are listed with links in the PDF.",
            count(blockers.len(), "blocker", "blockers"),
            count(warnings, "warning", "warnings"),
            count(infos, "note", "notes")
        );
    }
    let _ = writeln!(o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_break_the_markdown() {
        assert_eq!(esc("a|b *c* <script>\nd"), "a\\|b \\*c\\* &lt;script&gt; d");
        assert_eq!(esc("gitlab_rails _x_ #1"), "gitlab_rails \\_x\\_ #1");
        assert_eq!(clip("one two three", 8), "one two … (full text in the PDF)");
        assert_eq!(clip("short", 8), "short");
    }
}
