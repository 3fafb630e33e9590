//! The report as Markdown for the ticket (GitLab-flavoured: tables, lists).

use std::fmt::Write as _;

use super::{NoteRow, Report, RunReport};
use crate::export::markdown::esc;

/// The report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# GitLab upgrade report: {}", esc(&r.upgrade_line));
    let _ = writeln!(o);
    let _ = writeln!(o, "**{}**", esc(&r.summary));
    let _ = writeln!(o);
    let _ = writeln!(o, "- Organization: {}", esc(&r.organization));
    if let Some(t) = &r.ticket {
        let _ = writeln!(o, "- Ticket: {}", esc(t));
    }
    let _ = writeln!(
        o,
        "- Plan {} · revision {} · {} · {}",
        esc(&r.plan_id),
        r.revision,
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
        esc(&r.tool)
    );
    for run in &r.runs {
        run_section(&mut o, run);
    }
    o
}

fn run_section(o: &mut String, run: &RunReport) {
    run_table(o, run);
    deviations_and_times(o, run);
    notes(o, "Failed steps", &run.failed);
    notes(o, "Skipped steps", &run.skipped);
    events(o, run);
}

fn run_table(o: &mut String, run: &RunReport) {
    let _ = writeln!(o);
    let _ = writeln!(o, "## {}: {}", esc(&run.kind), esc(&run.window));
    let _ = writeln!(o);
    let _ = writeln!(o, "| | |");
    let _ = writeln!(o, "|---|---|");
    let mut row = |k: &str, v: &str| {
        let _ = writeln!(o, "| {k} | {} |", esc(v));
    };
    row("Outcome", &run.outcome);
    row(
        "Versions",
        &format!(
            "{} → {} (planned: {})",
            run.start_version, run.reached_version, run.planned_version
        ),
    );
    row(
        "Started / ended",
        &format!(
            "{} / {}",
            run.started.as_deref().unwrap_or("—"),
            run.finished.as_deref().unwrap_or("still open")
        ),
    );
    row("Time used", run.time_used.as_deref().unwrap_or("—"));
    row("Planned", &run.time_planned);
    if let Some(rb) = &run.rollback {
        row(
            "Rollback",
            &format!(
                "yes: started {} to {} ({}){}",
                rb.started,
                rb.to_version,
                rb.reason,
                rb.finished
                    .as_deref()
                    .map(|f| format!(", ended {f}"))
                    .unwrap_or_default()
            ),
        );
    } else {
        row("Rollback", "no");
    }
}

fn deviations_and_times(o: &mut String, run: &RunReport) {
    let _ = writeln!(o);
    let _ = writeln!(o, "### Deviations from the plan");
    let _ = writeln!(o);
    if run.deviations.is_empty() {
        let _ = writeln!(o, "None: the window went as planned.");
    }
    for d in &run.deviations {
        let _ = writeln!(o, "- {}", esc(d));
    }
    if !run.times.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "### Time used against the plan");
        let _ = writeln!(o);
        let _ = writeln!(o, "| Part | Planned | Actual | Difference | State |");
        let _ = writeln!(o, "|---|---|---|---|---|");
        for t in &run.times {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                esc(&t.title),
                esc(t.planned.as_deref().unwrap_or("—")),
                esc(t.actual.as_deref().unwrap_or("—")),
                esc(t.difference.as_deref().unwrap_or("—")),
                esc(&t.state)
            );
        }
    }
}

fn events(o: &mut String, run: &RunReport) {
    let _ = writeln!(o);
    let _ = writeln!(o, "### What was done when");
    let _ = writeln!(o);
    if run.events.is_empty() {
        let _ = writeln!(o, "Nothing was recorded.");
    }
    for e in &run.events {
        let _ = write!(
            o,
            "- {} — **{}**: {}",
            esc(&e.at),
            esc(&e.what),
            esc(&e.text)
        );
        if let Some(n) = &e.note {
            let _ = write!(o, " — _{}_", esc(n));
        }
        let _ = writeln!(o);
    }
}

fn notes(o: &mut String, title: &str, rows: &[NoteRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "### {title}");
    let _ = writeln!(o);
    let _ = writeln!(o, "| When | Step | Note | Then |");
    let _ = writeln!(o, "|---|---|---|---|");
    for n in rows {
        let step = if n.section.is_empty() {
            n.step.clone()
        } else {
            format!("{}: {}", n.section, n.step)
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            esc(&n.at),
            esc(&step),
            esc(&n.note),
            esc(&n.then)
        );
    }
}
