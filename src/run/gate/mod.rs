//! The gate between hops: the outputs of the checks an administrator pastes after a hop, read,
//! and a verdict: go, or no-go with what is still running or failing.
//!
//! What is read (the formats come from GitLab's own sources and from real outputs; samples with
//! their sources are in `tests/fixtures/gate/`):
//!
//! - batched background migrations: the count the runbook prints
//!   (`puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count`, also
//!   `with_status(:failed).count` and the older `Gitlab::BackgroundMigration.remaining`),
//!   `gitlab-rake gitlab:background_migrations:status` (`finished | Class,table,column,[args]`),
//!   the newer `gitlab:background_migrations:list` table, the `gitlab-psql` query of the
//!   upgrade docs (its rows, or `(0 rows)`), and the upgrade's own error (`Expected batched
//!   background migration … 'finished', but it is 'active'`);
//! - `gitlab-rake gitlab:check SANITIZE=true`: a check followed by `Try fixing it:` failed; a
//!   section that never prints `… Finished` was cut off;
//! - `gitlab-rake db:migrate:status`: any `down` migration;
//! - `gitlab-rake gitlab:geo:check`: as `gitlab:check`, and `* Can connect to … no`;
//! - `gitlab-ctl status`: a service `down:` that is not `normally down`;
//! - `gitlab-rake gitlab:env:info`: the version GitLab reports, against the hop's.
//!
//! Go needs the background migrations read and finished, and nothing read failing. Checks that
//! were not pasted are listed as not read (they do not block).

mod check;
mod parse;

use std::fmt;

use crate::export::redact::redact;

pub use parse::read;

/// The most a paste may hold; real outputs are a few kilobytes (a `db:migrate:status` of a
/// large instance under a megabyte).
pub const MAX_GATE_BYTES: usize = 4 * 1024 * 1024;

/// The most items of one kind a reason lists before "and N more".
const LIST_AT_MOST: usize = 5;

/// A check whose output the gate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckKind {
    BackgroundMigrations,
    GitlabCheck,
    MigrateStatus,
    GeoCheck,
    ServiceStatus,
    EnvInfo,
}

impl CheckKind {
    /// The id kept in the run log.
    pub fn id(self) -> &'static str {
        match self {
            CheckKind::BackgroundMigrations => "background_migrations",
            CheckKind::GitlabCheck => "gitlab_check",
            CheckKind::MigrateStatus => "db_migrate_status",
            CheckKind::GeoCheck => "geo_check",
            CheckKind::ServiceStatus => "gitlab_ctl_status",
            CheckKind::EnvInfo => "env_info",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::BackgroundMigrations => "Batched background migrations",
            CheckKind::GitlabCheck => "gitlab:check",
            CheckKind::MigrateStatus => "db:migrate:status",
            CheckKind::GeoCheck => "gitlab:geo:check",
            CheckKind::ServiceStatus => "gitlab-ctl status",
            CheckKind::EnvInfo => "gitlab:env:info",
        }
    }
}

/// What one output said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    pub kind: Option<CheckKind>,
    /// One line: what was read (`3 migrations listed, all finished`).
    pub summary: String,
    /// What blocks the next hop.
    pub problems: Vec<String>,
    /// Worth a look, not blocking.
    pub warnings: Vec<String>,
    /// The version `gitlab:env:info` reports.
    pub version: Option<String>,
}

impl Reading {
    pub(crate) fn new(kind: CheckKind, summary: impl Into<String>) -> Reading {
        Reading {
            kind: Some(kind),
            summary: summary.into(),
            ..Reading::default()
        }
    }

    pub fn kind(&self) -> CheckKind {
        self.kind.unwrap_or(CheckKind::GitlabCheck)
    }

    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What the gate needs to know about the hop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requirements {
    /// The version the hop installed (`17.3.7`, `19.5.x`, `17.3`): `gitlab:env:info`, when
    /// pasted, must report it.
    pub hop: Option<String>,
    /// Geo is used: `gitlab:geo:check` is one of the checks (listed when not pasted).
    pub geo: bool,
}

/// The gate's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GateResult {
    pub readings: Vec<Reading>,
    /// Why not go; empty means go.
    pub reasons: Vec<String>,
    /// Not blocking: checks not pasted, warnings.
    pub notes: Vec<String>,
}

impl GateResult {
    pub fn go(&self) -> bool {
        self.reasons.is_empty()
    }

    /// The checks read, by id, each once.
    pub fn check_ids(&self) -> Vec<String> {
        let mut kinds: Vec<CheckKind> = self.readings.iter().map(Reading::kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds.into_iter().map(|k| k.id().to_string()).collect()
    }
}

/// Why a paste could not be judged at all.
#[derive(Debug, Clone, PartialEq)]
pub enum GateError {
    /// Nothing but white space.
    Empty,
    /// Larger than [`MAX_GATE_BYTES`].
    TooLarge { bytes: usize },
    /// No output of a check the gate reads was found.
    Unrecognised,
}

impl fmt::Display for GateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateError::Empty => write!(f, "it is empty: paste the outputs of the checks"),
            GateError::TooLarge { bytes } => write!(
                f,
                "it is {bytes} bytes long, more than the {MAX_GATE_BYTES} bytes any check prints"
            ),
            GateError::Unrecognised => write!(
                f,
                "nothing in it is the output of a check the gate reads (the background migrations count or status, gitlab:check, db:migrate:status, gitlab:geo:check, gitlab-ctl status, gitlab:env:info)"
            ),
        }
    }
}

impl std::error::Error for GateError {}

/// Read the pasted outputs and decide: go, or no-go with the reasons.
pub fn judge(text: &str, req: &Requirements) -> Result<GateResult, GateError> {
    if text.len() > MAX_GATE_BYTES {
        return Err(GateError::TooLarge { bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(GateError::Empty);
    }
    let readings = read(text);
    if readings.is_empty() {
        return Err(GateError::Unrecognised);
    }
    let mut reasons = Vec::new();
    let mut notes = Vec::new();
    for r in &readings {
        let label = r.kind().label();
        reasons.extend(r.problems.iter().map(|p| format!("{label}: {p}")));
        notes.extend(r.warnings.iter().map(|w| format!("{label}: {w}")));
    }
    let has = |k: CheckKind| readings.iter().any(|r| r.kind() == k);
    if !has(CheckKind::BackgroundMigrations) {
        reasons.push(
            "Batched background migrations: not in the paste. Paste the output of the count (it prints 0 when nothing is queued) or of gitlab:background_migrations:status.".to_string(),
        );
    }
    if let Some(hop) = req.hop.as_deref() {
        for r in readings.iter().filter(|r| r.kind() == CheckKind::EnvInfo) {
            if let Some(v) = &r.version
                && !same_version(v, hop)
            {
                reasons.push(format!(
                    "gitlab:env:info: GitLab reports {v}, but this hop installs {hop}."
                ));
            }
        }
    }
    let mut wanted = vec![CheckKind::GitlabCheck, CheckKind::MigrateStatus];
    if req.geo {
        wanted.push(CheckKind::GeoCheck);
    }
    for k in wanted {
        if !has(k) {
            notes.push(format!("{}: not pasted, so not read.", k.label()));
        }
    }
    Ok(GateResult {
        readings,
        reasons: reasons.iter().map(|r| shown(r)).collect(),
        notes: notes.iter().map(|n| shown(n)).collect(),
    })
}

/// What a reason shows of the paste: one line, secrets redacted, not endless.
fn shown(s: &str) -> String {
    let one = crate::text::one_line(s);
    let text = redact(&one);
    if text.chars().count() > 300 {
        let cut: String = text.chars().take(299).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Whether the version GitLab reports is the hop's: `17.3.7-ee` is `17.3.7`; a hop given as
/// `19.5.x` or `19.5` is any patch of 19.5.
pub fn same_version(reported: &str, hop: &str) -> bool {
    let clean = |v: &str| {
        let v = v.trim().trim_start_matches('v');
        let v = v.split(['-', '+', ' ']).next().unwrap_or_default();
        v.split('.').map(str::to_string).collect::<Vec<_>>()
    };
    let r = clean(reported);
    let h = clean(hop);
    if h.len() < 2 || r.len() < 2 {
        return false;
    }
    let patch_known = h.get(2).is_some_and(|p| p != "x" && !p.is_empty());
    r[0] == h[0] && r[1] == h[1] && (!patch_known || r.get(2) == h.get(2))
}

/// `1 migration is` / `3 migrations are`.
pub(crate) fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `a, b, c and 4 more`.
pub(crate) fn listing(items: &[String]) -> String {
    let shown: Vec<&str> = items
        .iter()
        .take(LIST_AT_MOST)
        .map(String::as_str)
        .collect();
    let more = items.len().saturating_sub(LIST_AT_MOST);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests;
