//! `gitlab-rake gitlab:check` and `gitlab-rake gitlab:geo:check`: sections `Checking <Name> ...`
//! to `Checking <Name> ... Finished`, one check a line (`Question? ... answer`). A check that
//! failed is followed by `Try fixing it:`; one that only warns answers `warning` first.

use super::parse::Lines;
use super::{CheckKind, Reading, count_of, listing};

/// What the check lines of one kind said.
#[derive(Default)]
struct Tally {
    first: Option<usize>,
    checks: usize,
    failed: Vec<String>,
    warned: Vec<String>,
    cut_off: Vec<String>,
    aborted: bool,
    headed: bool,
}

/// `Question? ... answer` split at the last `...`, both trimmed.
fn check_line(l: &str) -> Option<(String, String)> {
    let at = l.rfind("...")?;
    let question = l[..at].trim().trim_end_matches(':').trim();
    let answer = l[at + 3..].trim();
    (!question.is_empty()).then(|| (question.replace(" ... ", " "), answer.to_string()))
}

/// `Checking GitLab App ...` → `GitLab App`; `Checking Geo ... Finished` → `Geo` (finished).
fn header(l: &str) -> Option<(String, bool)> {
    let rest = l.trim().strip_prefix("Checking ")?;
    if let Some(name) = rest.strip_suffix("... Finished") {
        return Some((name.trim().to_string(), true));
    }
    rest.strip_suffix("...")
        .map(|name| (name.trim().to_string(), false))
}

pub(super) fn sections(lines: &mut Lines) -> Vec<(usize, Reading)> {
    let mut app = Tally::default();
    let mut geo = Tally::default();
    // The section being read (not the "GitLab subtasks" wrapper), and where it began.
    let mut open: Option<String> = None;
    let mut wrapper_open = false;
    let mut last: Option<(String, String)> = None;
    for i in 0..lines.text.len() {
        if lines.used[i] {
            continue;
        }
        let l = lines.text[i].clone();
        let in_geo = open.as_deref() == Some("Geo");
        if let Some((name, finished)) = header(&l) {
            lines.used[i] = true;
            let t = if name == "Geo" { &mut geo } else { &mut app };
            t.first.get_or_insert(i);
            t.headed = true;
            if name == "GitLab subtasks" {
                wrapper_open = !finished;
                continue;
            }
            if finished {
                if open.as_deref() == Some(name.as_str()) {
                    open = None;
                }
            } else {
                if let Some(prev) = open.take() {
                    let t = if prev == "Geo" { &mut geo } else { &mut app };
                    t.cut_off.push(prev);
                }
                open = Some(name);
            }
            last = None;
            continue;
        }
        let inside = open.is_some() || wrapper_open;
        let t = if in_geo { &mut geo } else { &mut app };
        let trimmed = l.trim();
        if trimmed == "Try fixing it:" {
            lines.used[i] = true;
            t.first.get_or_insert(i);
            if let Some((q, a)) = last.take() {
                if a.eq_ignore_ascii_case("warning") {
                    t.warned.push(q);
                } else {
                    t.failed.push(format!("{q} {a}"));
                }
            } else {
                t.failed.push("a check (see the output)".to_string());
            }
            continue;
        }
        if trimmed.starts_with("rake aborted!") {
            lines.used[i] = true;
            if inside || t.headed {
                t.aborted = true;
            }
            continue;
        }
        if !inside {
            // Outside a section only a failure is taken (a partial paste of gitlab:check).
            if let Some(c) = check_line(&l)
                && !trimmed.starts_with("Trying to fix")
            {
                last = Some(c);
            }
            continue;
        }
        lines.used[i] = true;
        if trimmed.starts_with("Trying to fix error automatically") {
            continue;
        }
        let Some((q, mut a)) = check_line(&l) else {
            continue;
        };
        // `All migrations up? ... ` with its answer on the next line.
        if a.is_empty()
            && let Some(next) = lines.text.get(i + 1)
        {
            let w = next.trim();
            if !w.is_empty() && !w.contains(' ') && !w.contains("...") {
                a = w.to_string();
            }
        }
        t.checks += 1;
        let lower = a.to_ascii_lowercase();
        if lower.starts_with("exception") || lower.contains("failed") {
            t.failed.push(format!("{q} {a}"));
            last = None;
            continue;
        }
        if q.starts_with("* Can connect to") && lower == "no" {
            t.failed.push(format!("{q} no"));
            last = None;
            continue;
        }
        last = Some((q, a));
    }
    if let Some(name) = open {
        let t = if name == "Geo" { &mut geo } else { &mut app };
        t.cut_off.push(name);
    }
    let mut out = Vec::new();
    for (kind, t) in [(CheckKind::GitlabCheck, app), (CheckKind::GeoCheck, geo)] {
        if let Some(r) = reading(kind, &t) {
            out.push((t.first.unwrap_or(0), r));
        }
    }
    out
}

fn reading(kind: CheckKind, t: &Tally) -> Option<Reading> {
    if !t.headed && t.failed.is_empty() {
        return None;
    }
    let mut r = Reading::new(
        kind,
        format!(
            "{} read, {} failed",
            count_of(t.checks, "check", "checks"),
            t.failed.len()
        ),
    );
    if !t.failed.is_empty() {
        r.problems.push(format!(
            "{} failed: {}.",
            count_of(t.failed.len(), "check", "checks"),
            listing(&t.failed)
        ));
    }
    if t.aborted {
        r.problems
            .push("the task aborted (rake aborted!) before it finished.".to_string());
    }
    for name in &t.cut_off {
        r.problems.push(format!(
            "the output stops inside \"Checking {name} ...\" (it never says \"Checking {name} ... Finished\"): paste all of it."
        ));
    }
    if !t.warned.is_empty() {
        r.warnings.push(format!(
            "{} with a warning: {}.",
            count_of(t.warned.len(), "check", "checks"),
            listing(&t.warned)
        ));
    }
    Some(r)
}
