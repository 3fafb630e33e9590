//! The upgrade path engine: from the current to the target version, every required stop in
//! order at its latest patch, with the reason for each hop and the notes that apply there.
//!
//! The algorithm follows GitLab Support's Upgrade Path tool: the hops are the stops strictly
//! between the current and the target version (at their newest patch), then the target. When the
//! first hop is only the newest patch of the current minor it is marked optional. Conditional
//! stops join when their condition is set; a zero-downtime path visits every minor.

use std::fmt;

use serde::Serialize;

use crate::environment::{Applicability, Environment, applicability};
use crate::knowledge::{IssueSeverity, Knowledge, KnownIssue, MatchKind, OsEntry, VersionStatus};
use crate::plan::InstallMethod;
use crate::version::{Minor, UserVersion, VersionError, parse_version};

mod notes;

use notes::add_notes;
pub use notes::{OsSupport, os_support, version_below};

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct PathRequest {
    pub from: String,
    /// `None`: the newest version the data knows.
    pub to: Option<String>,
    pub zero_downtime: bool,
    /// Ids of the conditions that are true (see the stop data).
    pub conditions: Vec<String>,
    /// The day the path is asked for: versions the release calendar says cannot exist yet
    /// are refused. `None`: only versions the data rules out are.
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopKind {
    /// An unconditional required stop.
    RequiredStop,
    /// A stop required only because one of the plan's conditions is true.
    ConditionalStop,
    /// A minor visited because the upgrade is zero-downtime (one minor at a time).
    ZeroDowntimeMinor,
    /// The newest patch of the minor already running.
    PatchOfCurrent,
    /// The target version.
    Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteSeverity {
    Blocker,
    Warning,
    Info,
}

impl NoteSeverity {
    pub fn label(self) -> &'static str {
        match self {
            NoteSeverity::Blocker => "blocker",
            NoteSeverity::Warning => "warning",
            NoteSeverity::Info => "info",
        }
    }
}

impl From<IssueSeverity> for NoteSeverity {
    fn from(s: IssueSeverity) -> Self {
        match s {
            IssueSeverity::Blocker => NoteSeverity::Blocker,
            IssueSeverity::Warning => NoteSeverity::Warning,
            IssueSeverity::Info => NoteSeverity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    KnownIssue,
    Postgresql,
    Redis,
    OsPackaging,
    PatchToAvoid,
    Data,
}

/// Something that applies at a hop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopNote {
    pub kind: NoteKind,
    pub severity: NoteSeverity,
    /// Known-issue id, when the note is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub message: String,
    /// When the plan cannot tell whether the note applies: what to check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// False when the fact behind the note is UNVERIFIED in the research.
    pub verified: bool,
}

/// One step of the path: install this version, let it settle, then go on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// Version to install, e.g. `16.3.9`. When `patch_known` is false the patch is a
    /// placeholder (`.0`): use the newest patch published for this minor.
    pub version: String,
    pub minor: String,
    pub patch_known: bool,
    pub kind: HopKind,
    /// Conditions that made this a stop.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    pub reason: String,
    /// True when GitLab does not strictly require this hop (latest patch of the current minor).
    pub optional: bool,
    /// False when the stop itself is UNVERIFIED (announced, not yet in GitLab's data).
    pub verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    pub notes: Vec<HopNote>,
    #[serde(skip)]
    pub semver: semver::Version,
}

impl Hop {
    /// `16.3.9`, or `19.5.x` when the patch is not known yet.
    pub fn display_version(&self) -> String {
        if self.patch_known {
            self.version.clone()
        } else {
            format!("{}.x", self.minor)
        }
    }
    pub fn minor(&self) -> Minor {
        Minor::of(&self.semver)
    }
}

/// A known issue matched to the path and environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueMatch {
    pub id: String,
    pub severity: NoteSeverity,
    pub summary: String,
    pub doc_url: String,
    /// Version of the hop where it applies; `None` for issues of the current version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hop_version: Option<String>,
    /// What to check when the plan cannot tell whether it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    pub verified: bool,
}

/// The computed path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpgradePath {
    pub from: String,
    pub to: String,
    /// The target as the user gave it (`18.5` or `18.5.2`).
    pub to_requested: String,
    pub zero_downtime: bool,
    pub conditions: Vec<String>,
    pub hops: Vec<Hop>,
    /// Known issues on this path for this environment (also listed per hop in `notes`).
    pub known_issues: Vec<IssueMatch>,
    /// Notes that concern the whole path.
    pub notes: Vec<String>,
    pub data_date: String,
}

/// Why no path could be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum PathError {
    BadVersion {
        which: &'static str,
        error: VersionError,
    },
    Downgrade {
        from: String,
        to: String,
    },
    AlreadyThere {
        version: String,
        /// When no target was given and the data ends here: what to do.
        hint: Option<String>,
    },
    /// A version that cannot exist.
    Impossible {
        which: &'static str,
        version: String,
        reason: String,
    },
    UnknownCondition {
        name: String,
        known: Vec<String>,
    },
    UnknownMinors {
        major: u64,
    },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::BadVersion { which, error } => write!(f, "{which} version: {error}"),
            PathError::Downgrade { from, to } => write!(
                f,
                "target {to} is older than the current version {from}: GitLab cannot be downgraded by an upgrade; to go back, restore a backup taken on {to}"
            ),
            PathError::AlreadyThere { version, hint } => {
                write!(
                    f,
                    "the current version is already {version}: there is nothing to upgrade"
                )?;
                match hint {
                    Some(h) => write!(f, ". {h}"),
                    None => Ok(()),
                }
            }
            PathError::Impossible {
                which,
                version,
                reason,
            } => write!(f, "{which} version {version} cannot exist: {reason}"),
            PathError::UnknownCondition { name, known } => write!(
                f,
                "unknown condition `{name}`; known conditions: {}",
                known.join(", ")
            ),
            PathError::UnknownMinors { major } => write!(
                f,
                "the GitLab data does not know the minors of GitLab {major}; cannot build a zero-downtime path through it"
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// Compute the path for a request, with notes for `env`.
pub fn compute(
    k: &Knowledge,
    req: &PathRequest,
    env: &Environment,
) -> Result<UpgradePath, PathError> {
    let from = parse_version(&req.from).map_err(|error| PathError::BadVersion {
        which: "current",
        error,
    })?;
    let to_input = req
        .to
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| k.releases.newest_known.version.clone());
    let to = parse_version(&to_input).map_err(|error| PathError::BadVersion {
        which: "target",
        error,
    })?;
    if !req.conditions.is_empty() {
        let known = k.condition_ids();
        for c in &req.conditions {
            if !known.contains(&c.as_str()) {
                return Err(PathError::UnknownCondition {
                    name: c.clone(),
                    known: known.iter().map(|s| s.to_string()).collect(),
                });
            }
        }
    }
    let mut version_notes = Vec::new();
    for (which, v) in [("current", &from), ("target", &to)] {
        match k.version_status(v, req.today) {
            VersionStatus::Known => {}
            VersionStatus::Newer(note) => version_notes.push(note),
            VersionStatus::Impossible(reason) => {
                return Err(PathError::Impossible {
                    which,
                    version: v.to_string(),
                    reason,
                });
            }
        }
    }
    let no_target = req.to.as_deref().is_none_or(|t| t.trim().is_empty());
    let (target, target_patch_known) = resolve_target(k, &to);
    if target < from.version {
        return Err(PathError::Downgrade {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    if target == from.version {
        return Err(PathError::AlreadyThere {
            version: from.version.to_string(),
            hint: no_target.then(|| newest_hint(k, &from, req.today)),
        });
    }
    let from_minor = from.minor();
    let to_minor = Minor::of(&target);

    // Minors to visit before the target, ascending.
    let mut minors: Vec<(Minor, HopKind, Vec<String>)> = Vec::new();
    for s in &k.stops.stops {
        let Some(m) = s.minor_parsed else {
            continue;
        };
        if m < from_minor || m >= to_minor {
            continue;
        }
        if s.conditions.is_empty() {
            minors.push((m, HopKind::RequiredStop, Vec::new()));
        } else {
            let hit: Vec<String> = s
                .conditions
                .iter()
                .filter(|c| req.conditions.contains(c))
                .cloned()
                .collect();
            if !hit.is_empty() {
                minors.push((m, HopKind::ConditionalStop, hit));
            }
        }
    }
    if req.zero_downtime {
        let mut m = from_minor;
        loop {
            m = next_minor(k, m).ok_or(PathError::UnknownMinors { major: m.major })?;
            if m >= to_minor {
                break;
            }
            if !minors.iter().any(|(x, _, _)| *x == m) {
                minors.push((m, HopKind::ZeroDowntimeMinor, Vec::new()));
            }
        }
    }
    minors.sort_by_key(|(m, _, _)| *m);

    let mut hops = Vec::new();
    for (m, kind, conditions) in minors {
        let (version, patch_known) = match k.latest_patch(m) {
            Some(v) => (v, true),
            None => (m.zero(), false),
        };
        if version <= from.version {
            continue; // already on this stop's newest patch (or later)
        }
        let stop = k.stop_for(m);
        let mut kind = kind;
        let mut reason = match (kind, stop) {
            (HopKind::ZeroDowntimeMinor, _) => {
                "Zero-downtime upgrades go one minor at a time.".to_string()
            }
            (_, Some(s)) => s.reason.clone(),
            (_, None) => String::new(),
        };
        let mut optional = false;
        if m == from_minor {
            kind = HopKind::PatchOfCurrent;
            optional = true;
            reason = format!(
                "Newest patch of the minor you are on. Not strictly required, but GitLab recommends starting from the latest patch. {reason}"
            )
            .trim_end()
            .to_string();
        }
        hops.push(Hop {
            version: version.to_string(),
            minor: m.to_string(),
            patch_known,
            kind,
            conditions,
            reason,
            optional,
            verified: stop.is_none_or(|s| s.verified),
            doc_url: stop.map(|s| s.doc_url.clone()),
            notes: Vec::new(),
            semver: version,
        });
    }

    // The target.
    let target_stop = k.stop_for(to_minor);
    let mut reason = "Your target version.".to_string();
    if let Some(s) = target_stop.filter(|s| s.conditions.is_empty()) {
        reason.push_str(&format!(" It is also a required stop: {}", s.reason));
    }
    if !to.patch_given && target_patch_known {
        reason.push_str(&format!(" {to_minor} resolves to its newest patch."));
    }
    hops.push(Hop {
        version: target.to_string(),
        minor: to_minor.to_string(),
        patch_known: target_patch_known,
        kind: HopKind::Target,
        conditions: Vec::new(),
        reason,
        optional: false,
        verified: target_stop.is_none_or(|s| s.verified),
        doc_url: target_stop.map(|s| s.doc_url.clone()),
        notes: Vec::new(),
        semver: target.clone(),
    });

    let mut path = UpgradePath {
        from: from.to_string(),
        to: if target_patch_known {
            target.to_string()
        } else {
            format!("{to_minor}.x")
        },
        to_requested: to.to_string(),
        zero_downtime: req.zero_downtime,
        conditions: req.conditions.clone(),
        hops,
        known_issues: Vec::new(),
        notes: Vec::new(),
        data_date: k.data_date().to_string(),
    };
    if no_target {
        path.notes.push(format!(
            "No target was given: the target is {}, the newest release in the GitLab data of {} (released {}).",
            k.releases.newest_known.version,
            k.data_date(),
            k.releases.newest_known.date
        ));
    }
    path.notes.extend(version_notes);
    add_notes(k, &mut path, &from, &to, env);
    Ok(path)
}

/// What to say when the current version is the newest the data knows and no target was given.
fn newest_hint(k: &Knowledge, from: &UserVersion, today: Option<chrono::NaiveDate>) -> String {
    let mut hint = format!(
        "{} is the newest release in the {}",
        k.releases.newest_known.version,
        k.data_summary()
    );
    if let Some(st) = today.and_then(|t| k.staleness(t))
        && let Some(newest) = st.newest_expected()
    {
        let list: Vec<String> = st.released_since.iter().map(|s| s.label()).collect();
        hint.push_str(&format!(
            "; GitLab's release calendar says {} should have been released since (UNVERIFIED): give a target, e.g. `upgrade-planner path {} {newest}`",
            list.join(", "),
            from
        ));
    }
    hint
}

/// The version a target input stands for, and whether its patch is known.
fn resolve_target(k: &Knowledge, to: &UserVersion) -> (semver::Version, bool) {
    if to.patch_given {
        return (to.version.clone(), true);
    }
    match k.latest_patch(to.minor()) {
        Some(v) => (v, true),
        None => (to.version.clone(), false),
    }
}

/// The minor after `m`, using the last minor of each major.
fn next_minor(k: &Knowledge, m: Minor) -> Option<Minor> {
    let last = k.last_minor_of(m.major)?;
    if m.minor >= last {
        Some(Minor::new(m.major + 1, 0))
    } else {
        Some(Minor::new(m.major, m.minor + 1))
    }
}

#[cfg(test)]
mod tests;
