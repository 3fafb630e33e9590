//! Reading the outputs, line by line. Tables and sections are read first and their lines
//! marked as used; a line left that holds only a number is a count.

use std::sync::OnceLock;

use regex::Regex;

use super::{CheckKind, Reading, count_of, listing};

/// Batched background migration states that are done (GitLab: "all migrations must have a
/// Finished status"; `finalized` is finished and cleaned up).
const DONE_STATES: [&str; 2] = ["finished", "finalized"];
const ALL_STATES: [&str; 6] = [
    "active",
    "paused",
    "finished",
    "failed",
    "finalizing",
    "finalized",
];

/// The fixed patterns, compiled once.
struct Patterns {
    ansi: Regex,
    bbm_row: Regex,
    bbm_state: Regex,
    bbm_class: Regex,
    migration_row: Regex,
    migration_head: Regex,
    service_row: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        Some(Patterns {
            ansi: Regex::new(r"\x1b\[[0-9;?]*[ -/]*[@-~]").ok()?,
            bbm_row: Regex::new(
                r"^\s*(active|paused|finished|failed|finalizing|finalized)\s*\|\s*([A-Za-z_:][^|]*)$",
            )
            .ok()?,
            bbm_state: Regex::new(r"but it is '([a-z_]+)'").ok()?,
            bbm_class: Regex::new(r#"job_class_name(?:=>|:)\s*"([A-Za-z0-9_:]+)""#).ok()?,
            migration_row: Regex::new(r"^\s*(up|down)\s+(\d{14})\s+(.*?)\s*$").ok()?,
            migration_head: Regex::new(r"^\s*Status\s+Migration ID\s+Migration Name\s*$").ok()?,
            service_row: Regex::new(
                r"^\s*(run|down|fail|warning|timeout):\s+([A-Za-z0-9_.-]+):",
            )
            .ok()?,
        })
    })
    .as_ref()
}

/// The lines of a paste, cleaned (colour codes, carriage returns and a byte-order mark
/// removed), with whether a reader used them.
pub(super) struct Lines {
    pub text: Vec<String>,
    pub used: Vec<bool>,
}

impl Lines {
    fn new(paste: &str, p: &Patterns) -> Lines {
        let paste = paste.strip_prefix('\u{feff}').unwrap_or(paste);
        let text: Vec<String> = paste
            .lines()
            .map(|l| p.ansi.replace_all(l, "").replace('\r', ""))
            .collect();
        let used = vec![false; text.len()];
        Lines { text, used }
    }
}

/// Every output of a check found in the paste, in the order they start.
pub fn read(paste: &str) -> Vec<Reading> {
    let Some(p) = patterns() else {
        return Vec::new();
    };
    let mut lines = Lines::new(paste, p);
    let mut out: Vec<(usize, Reading)> = Vec::new();
    out.extend(bbm_status(&mut lines, p));
    out.extend(bbm_tables(&mut lines));
    out.extend(bbm_error(&mut lines, p));
    out.extend(super::check::sections(&mut lines));
    out.extend(migrate_status(&mut lines, p));
    out.extend(service_status(&mut lines, p));
    out.extend(env_info(&mut lines));
    out.extend(counts(&mut lines));
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, r)| r).collect()
}

/// `class on table`, from `Class,table,column,[args]`.
fn migration_name(ident: &str) -> String {
    let mut parts = ident.split(',');
    let class = parts.next().unwrap_or_default().trim();
    match parts.next().map(str::trim).filter(|t| !t.is_empty()) {
        Some(table) => format!("{class} on {table}"),
        None => class.to_string(),
    }
}

/// The migrations not done, grouped by state, as problems.
fn state_problems(rows: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for state in ALL_STATES.iter().filter(|s| !DONE_STATES.contains(s)) {
        let names: Vec<String> = rows
            .iter()
            .filter(|(st, _)| st == state)
            .map(|(_, n)| n.clone())
            .collect();
        if !names.is_empty() {
            problems.push(format!(
                "{} {state}: {}.",
                count_of(names.len(), "migration is", "migrations are"),
                listing(&names)
            ));
        }
    }
    problems
}

/// `gitlab-rake gitlab:background_migrations:status`: `Database: main`, then
/// `<status> | Class,table,column,[args]` per migration.
fn bbm_status(lines: &mut Lines, p: &Patterns) -> Vec<(usize, Reading)> {
    let row = &p.bbm_row;
    let mut rows = Vec::new();
    let mut first = None;
    for (i, l) in lines.text.iter().enumerate() {
        if lines.used[i] {
            continue;
        }
        if let Some(c) = row.captures(l) {
            rows.push((c[1].to_string(), migration_name(&c[2])));
            lines.used[i] = true;
            first.get_or_insert(i);
        } else if l.trim_start().starts_with("Database: ")
            && lines
                .text
                .get(i + 1)
                .is_some_and(|n| row.is_match(n) || n.trim().is_empty())
        {
            lines.used[i] = true;
            first.get_or_insert(i);
        }
    }
    let Some(at) = first else {
        return Vec::new();
    };
    let mut r = Reading::new(
        CheckKind::BackgroundMigrations,
        format!(
            "gitlab:background_migrations:status: {} listed",
            count_of(rows.len(), "migration", "migrations")
        ),
    );
    r.problems = state_problems(&rows);
    vec![(at, r)]
}

/// A `|`-separated row, trimmed.
fn cells(l: &str) -> Vec<String> {
    l.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_rule(l: &str) -> bool {
    let t = l.trim();
    !t.is_empty() && t.contains('-') && t.chars().all(|c| matches!(c, '-' | '+' | '|' | ' '))
}

/// psql's `(N rows)` footer.
fn rows_footer(l: &str) -> Option<usize> {
    let t = l.trim();
    let inner = t.strip_prefix('(')?.strip_suffix(')')?;
    let (n, word) = inner.split_once(' ')?;
    matches!(word, "row" | "rows").then(|| n.parse().ok())?
}

/// Tables of migrations: the `gitlab-psql` query of the upgrade docs (every row is a migration
/// not finished), `gitlab:background_migrations:list` (with a status column), and a psql
/// `count` of them.
fn bbm_tables(lines: &mut Lines) -> Vec<(usize, Reading)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.text.len() {
        let head = cells(&lines.text[i]);
        let lower: Vec<String> = head.iter().map(|c| c.to_ascii_lowercase()).collect();
        let is_migrations = lower.iter().any(|c| c == "job_class_name");
        let is_count = lower.len() == 1 && lower[0] == "count";
        let ruled = lines.text.get(i + 1).is_some_and(|l| is_rule(l));
        if lines.used[i] || !(is_migrations || is_count) || !ruled {
            i += 1;
            continue;
        }
        let at = i;
        lines.used[i] = true;
        lines.used[i + 1] = true;
        let mut j = i + 2;
        let mut rows: Vec<Vec<String>> = Vec::new();
        while j < lines.text.len() {
            let l = &lines.text[j];
            if let Some(_n) = rows_footer(l) {
                lines.used[j] = true;
                j += 1;
                break;
            }
            if l.trim().is_empty() {
                break;
            }
            rows.push(cells(l));
            lines.used[j] = true;
            j += 1;
        }
        out.push((at, table_reading(&lower, &rows, is_count)));
        i = j;
    }
    out
}

fn table_reading(head: &[String], rows: &[Vec<String>], is_count: bool) -> Reading {
    if is_count {
        let n = rows
            .first()
            .and_then(|r| r.first())
            .and_then(|c| c.parse::<u64>().ok());
        let mut r = Reading::new(
            CheckKind::BackgroundMigrations,
            format!(
                "psql count: {}",
                n.map_or("no number".to_string(), |n| n.to_string())
            ),
        );
        match n {
            Some(0) => {}
            Some(n) => r.problems.push(format!(
                "the query counts {n} (0 means every batched background migration has finished)."
            )),
            None => r
                .problems
                .push("the count query printed no number.".to_string()),
        }
        return r;
    }
    let col = |name: &str| head.iter().position(|c| c == name);
    let class = col("job_class_name");
    let table = col("table_name");
    let status = col("status");
    let named: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let name = match (class.and_then(|c| r.get(c)), table.and_then(|t| r.get(t))) {
                (Some(c), Some(t)) if !t.is_empty() => format!("{c} on {t}"),
                (Some(c), _) => c.clone(),
                _ => r.join(" "),
            };
            let st = status
                .and_then(|s| r.get(s))
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_default();
            (st, name)
        })
        .collect();
    if status.is_some() {
        let mut r = Reading::new(
            CheckKind::BackgroundMigrations,
            format!(
                "gitlab:background_migrations:list: {} listed",
                count_of(named.len(), "migration", "migrations")
            ),
        );
        r.problems = state_problems(&named);
        let unknown: Vec<String> = named
            .iter()
            .filter(|(st, _)| !ALL_STATES.contains(&st.as_str()))
            .map(|(st, n)| format!("{n} ({st})"))
            .collect();
        if !unknown.is_empty() {
            r.problems.push(format!(
                "a state the gate does not know: {}.",
                listing(&unknown)
            ));
        }
        return r;
    }
    // The docs' query lists only migrations not finished (status NOT IN (3, 6)).
    let mut r = Reading::new(
        CheckKind::BackgroundMigrations,
        format!(
            "gitlab-psql query: {} returned",
            count_of(named.len(), "row", "rows")
        ),
    );
    if !named.is_empty() {
        let names: Vec<String> = named.into_iter().map(|(_, n)| n).collect();
        r.problems.push(format!(
            "{} not finished: {}.",
            count_of(names.len(), "migration is", "migrations are"),
            listing(&names)
        ));
    }
    r
}

/// The upgrade's own refusal: `Expected batched background migration for the given
/// configuration to be marked as 'finished', but it is 'active'`.
fn bbm_error(lines: &mut Lines, p: &Patterns) -> Vec<(usize, Reading)> {
    let (state, class) = (&p.bbm_state, &p.bbm_class);
    let mut out = Vec::new();
    for i in 0..lines.text.len() {
        let l = &lines.text[i];
        if !l.contains("Expected batched background migration") {
            continue;
        }
        lines.used[i] = true;
        // The state may be on this line or the next (the docs wrap it).
        let window: String = lines.text[i..(i + 8).min(lines.text.len())].join(" ");
        let st = state
            .captures(&window)
            .map_or("not finished".to_string(), |c| c[1].to_string());
        let name = class.captures(&window).map(|c| c[1].to_string());
        let mut r = Reading::new(
            CheckKind::BackgroundMigrations,
            "the upgrade stopped on a batched background migration",
        );
        r.problems.push(format!(
            "the upgrade refused to go on: {} is {st}, not finished. Finish it on the version before this hop (or roll back), then upgrade again.",
            name.unwrap_or_else(|| "a batched background migration".to_string())
        ));
        out.push((i, r));
    }
    out
}

/// `gitlab-rake db:migrate:status`: `up`/`down`, a 14-digit id and the name, per migration.
fn migrate_status(lines: &mut Lines, p: &Patterns) -> Vec<(usize, Reading)> {
    let (row, head) = (&p.migration_row, &p.migration_head);
    let mut first = None;
    let (mut up, mut down) = (0usize, Vec::new());
    for i in 0..lines.text.len() {
        if lines.used[i] {
            continue;
        }
        let l = &lines.text[i];
        if let Some(c) = row.captures(l) {
            if &c[1] == "up" {
                up += 1;
            } else {
                down.push(format!("{} {}", &c[2], &c[3]));
            }
        } else if !head.is_match(l) && !l.trim_start().starts_with("database: ") {
            continue;
        }
        lines.used[i] = true;
        first.get_or_insert(i);
    }
    let Some(at) = first else {
        return Vec::new();
    };
    let mut r = Reading::new(
        CheckKind::MigrateStatus,
        format!("{up} up, {} down", down.len()),
    );
    if !down.is_empty() {
        r.problems.push(format!(
            "{} down (not run): {}. Run the database migrations (gitlab-rake db:migrate) and check again.",
            count_of(down.len(), "migration is", "migrations are"),
            listing(&down)
        ));
    } else if up == 0 {
        r.warnings
            .push("no migration is listed: paste the whole output.".to_string());
    }
    vec![(at, r)]
}

/// `gitlab-ctl status`: `run: puma: (pid 1234) 56s; run: log: …` per service.
fn service_status(lines: &mut Lines, p: &Patterns) -> Vec<(usize, Reading)> {
    let row = &p.service_row;
    let mut first = None;
    let mut running = 0usize;
    let mut stopped = Vec::new();
    for i in 0..lines.text.len() {
        if lines.used[i] {
            continue;
        }
        let l = &lines.text[i];
        let Some(c) = row.captures(l) else { continue };
        lines.used[i] = true;
        first.get_or_insert(i);
        let state = &c[1];
        let first_part = l.split(';').next().unwrap_or_default();
        if state == "run" {
            running += 1;
        } else if !first_part.contains("normally down") {
            stopped.push(format!("{} ({state})", &c[2]));
        }
    }
    let Some(at) = first else {
        return Vec::new();
    };
    let mut r = Reading::new(
        CheckKind::ServiceStatus,
        format!("{running} running, {} not", stopped.len()),
    );
    if !stopped.is_empty() {
        r.problems.push(format!(
            "{} not running: {}.",
            count_of(stopped.len(), "service is", "services are"),
            listing(&stopped)
        ));
    }
    vec![(at, r)]
}

/// `gitlab-rake gitlab:env:info`: the `Version:` under `GitLab information`.
fn env_info(lines: &mut Lines) -> Vec<(usize, Reading)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.text.len() {
        if lines.text[i].trim() != "GitLab information" {
            i += 1;
            continue;
        }
        lines.used[i] = true;
        let at = i;
        let mut version = None;
        let mut j = i + 1;
        while j < lines.text.len() && !lines.text[j].trim().is_empty() {
            if let Some(v) = lines.text[j].trim_start().strip_prefix("Version:") {
                version = Some(v.trim().to_string()).filter(|v| !v.is_empty());
                lines.used[j] = true;
                break;
            }
            j += 1;
        }
        let mut r = Reading::new(
            CheckKind::EnvInfo,
            format!(
                "GitLab {}",
                version.as_deref().unwrap_or("(no version line)")
            ),
        );
        r.version = version;
        out.push((at, r));
        i = j + 1;
    }
    out
}

/// What a bare number counts, from the command before it.
fn count_kind(command: &str) -> &'static str {
    if command.contains("with_status(:failed)") || command.contains("failed") {
        "failed"
    } else if command.contains("BackgroundMigration.remaining") {
        "remaining"
    } else if command.contains("pending") {
        "pending"
    } else {
        "queued"
    }
}

/// Lines left that hold only a number: the counts the runbook's runner commands print.
fn counts(lines: &mut Lines) -> Vec<(usize, Reading)> {
    let mut out = Vec::new();
    let mut previous = String::new();
    for i in 0..lines.text.len() {
        let l = lines.text[i].trim().to_string();
        if lines.used[i] || l.is_empty() {
            continue;
        }
        let Ok(n) = l.parse::<u64>() else {
            previous = l;
            continue;
        };
        if l.len() > 12 {
            previous = l;
            continue;
        }
        lines.used[i] = true;
        let kind = count_kind(&previous);
        let what = match kind {
            "failed" => "failed batched background migrations",
            "remaining" => "background migrations (not batched) still to run",
            "pending" => "background migration jobs pending",
            _ => "batched background migrations not finished (queued, running, paused or failed)",
        };
        let mut r = Reading::new(CheckKind::BackgroundMigrations, format!("{what}: {n}"));
        if n > 0 {
            r.problems.push(format!(
                "{n} {what}. Wait until the count is 0 (hours are normal; do not stop GitLab), then paste it again."
            ));
        }
        out.push((i, r));
        previous = l;
    }
    out
}
