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

/// Where the reading is: the section open (not the "GitLab subtasks" wrapper), and the last
/// check line seen (what a `Try fixing it:` refers to).
#[derive(Default)]
struct Reader {
    app: Tally,
    geo: Tally,
    open: Option<String>,
    wrapper_open: bool,
    last: Option<(String, String)>,
}

impl Reader {
    fn tally(&mut self, geo: bool) -> &mut Tally {
        if geo { &mut self.geo } else { &mut self.app }
    }

    /// A `Checking <Name> ...` line (or its `... Finished`).
    fn header(&mut self, i: usize, name: String, finished: bool) {
        let t = self.tally(name == "Geo");
        t.first.get_or_insert(i);
        t.headed = true;
        self.last = None;
        if name == "GitLab subtasks" {
            self.wrapper_open = !finished;
        } else if finished {
            if self.open.as_deref() == Some(name.as_str()) {
                self.open = None;
            }
        } else {
            if let Some(prev) = self.open.take() {
                self.tally(prev == "Geo").cut_off.push(prev);
            }
            self.open = Some(name);
        }
    }

    /// `Try fixing it:`: the check before it failed (or only warned).
    fn fix_advice(&mut self, i: usize, geo: bool) {
        let last = self.last.take();
        let t = self.tally(geo);
        t.first.get_or_insert(i);
        match last {
            Some((q, a)) if a.eq_ignore_ascii_case("warning") => t.warned.push(q),
            Some((q, a)) => t.failed.push(format!("{q} {a}")),
            None => t.failed.push("a check (see the output)".to_string()),
        }
    }

    /// A check line inside a section; `next` is the line after it.
    fn check(&mut self, l: &str, next: Option<&String>, geo: bool) {
        let trimmed = l.trim();
        if trimmed.starts_with("Trying to fix error automatically") {
            return;
        }
        let Some((q, mut a)) = check_line(l) else {
            return;
        };
        // `All migrations up? ... ` with its answer on the next line.
        if a.is_empty()
            && let Some(next) = next
        {
            let w = next.trim();
            if !w.is_empty() && !w.contains(' ') && !w.contains("...") {
                a = w.to_string();
            }
        }
        let t = self.tally(geo);
        t.checks += 1;
        let lower = a.to_ascii_lowercase();
        let failed = lower.starts_with("exception")
            || lower.contains("failed")
            || (q.starts_with("* Can connect to") && lower == "no");
        if failed {
            t.failed.push(format!("{q} {a}"));
            self.last = None;
        } else {
            self.last = Some((q, a));
        }
    }
}

pub(super) fn sections(lines: &mut Lines) -> Vec<(usize, Reading)> {
    let mut r = Reader::default();
    for i in 0..lines.text.len() {
        if lines.used[i] {
            continue;
        }
        let l = lines.text[i].clone();
        let geo = r.open.as_deref() == Some("Geo");
        if let Some((name, finished)) = header(&l) {
            lines.used[i] = true;
            r.header(i, name, finished);
            continue;
        }
        let inside = r.open.is_some() || r.wrapper_open;
        let trimmed = l.trim();
        if trimmed == "Try fixing it:" {
            lines.used[i] = true;
            r.fix_advice(i, geo);
        } else if trimmed.starts_with("rake aborted!") {
            lines.used[i] = true;
            let t = r.tally(geo);
            t.aborted |= inside || t.headed;
        } else if inside {
            lines.used[i] = true;
            r.check(&l, lines.text.get(i + 1), geo);
        } else if let Some(c) = check_line(&l)
            && !trimmed.starts_with("Trying to fix")
        {
            // Outside a section only a failure is taken (a partial paste of gitlab:check).
            r.last = Some(c);
        }
    }
    if let Some(name) = r.open.take() {
        r.tally(name == "Geo").cut_off.push(name);
    }
    let mut out = Vec::new();
    for (kind, t) in [
        (CheckKind::GitlabCheck, r.app),
        (CheckKind::GeoCheck, r.geo),
    ] {
        if let Some(reading) = reading(kind, &t) {
            out.push((t.first.unwrap_or(0), reading));
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
