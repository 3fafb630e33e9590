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
use crate::knowledge::{IssueSeverity, Knowledge, KnownIssue, MatchKind, OsEntry};
use crate::plan::InstallMethod;
use crate::version::{Minor, UserVersion, VersionError, parse_version};

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct PathRequest {
    pub from: String,
    /// `None`: the newest version the data knows.
    pub to: Option<String>,
    pub zero_downtime: bool,
    /// Ids of the conditions that are true (see the stop data).
    pub conditions: Vec<String>,
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
            PathError::AlreadyThere { version } => write!(
                f,
                "the current version is already {version}: there is nothing to upgrade"
            ),
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
    add_notes(k, &mut path, &from, &to, env);
    Ok(path)
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

fn add_notes(
    k: &Knowledge,
    path: &mut UpgradePath,
    from: &UserVersion,
    to: &UserVersion,
    env: &Environment,
) {
    let os_entry = env.os_entry(k);
    let uses_packages = env.method.is_none_or(InstallMethod::uses_os_packages);
    let path_minors: Vec<Minor> = path.hops.iter().map(Hop::minor).collect();
    let last_index = path.hops.len().saturating_sub(1);
    let mut prev = from.version.clone();
    let mut matches: Vec<IssueMatch> = Vec::new();
    // Single-node Linux package/Docker installs get bundled PostgreSQL upgraded by the package
    // at some minors; the version that matters at a hop is the one after those upgrades.
    let auto_pg = env.component("single_node_bundled_postgresql") == Some(true)
        && env
            .method
            .is_some_and(|m| matches!(m, InstallMethod::LinuxPackage | InstallMethod::Docker));
    // A PostgreSQL the package brings (bundled, with or without Patroni) gets the package's
    // newest minor of its major with every install: only its major counts.
    let bundled = matches!(
        env.pg_mode,
        Some(crate::plan::PostgresMode::Bundled | crate::plan::PostgresMode::BundledHa)
    );
    let mut effective_pg = env.pg_version.clone().map(|v| {
        if bundled {
            crate::timeline::support::major_of(&v).map_or(v, |m| m.to_string())
        } else {
            v
        }
    });
    for (i, hop) in path.hops.iter_mut().enumerate() {
        let v = hop.semver.clone();
        // Database minimums that change on this hop.
        if v.major != prev.major || i == 0 {
            if let Some(min) = k.postgresql_minimum(v.major) {
                let before = k.postgresql_minimum(prev.major).map(|m| m.minimum.as_str());
                if before != Some(min.minimum.as_str()) || i == 0 {
                    let mut msg = format!(
                        "GitLab {} needs PostgreSQL {} or newer.",
                        v.major, min.minimum
                    );
                    let mut severity = NoteSeverity::Info;
                    if let Some(have) = &effective_pg {
                        if version_below(have, &min.minimum) {
                            msg.push_str(&format!(" This instance reports PostgreSQL {have}: upgrade it before this hop."));
                            severity = NoteSeverity::Blocker;
                        }
                    } else if before != Some(min.minimum.as_str()) {
                        severity = NoteSeverity::Warning;
                    }
                    if let Some(n) = &min.note {
                        msg.push(' ');
                        msg.push_str(n);
                    }
                    if severity != NoteSeverity::Info || i == 0 {
                        hop.notes.push(HopNote {
                            kind: NoteKind::Postgresql,
                            severity,
                            id: None,
                            message: msg,
                            check: None,
                            doc_url: Some(format!(
                                "https://docs.gitlab.com/update/versions/gitlab_{}_changes/",
                                v.major
                            )),
                            verified: min.verified,
                        });
                    }
                }
            }
            if let Some(min) = k.redis_minimum(v.major) {
                let before = k.redis_minimum(prev.major).map(|m| m.minimum.as_str());
                if before != Some(min.minimum.as_str()) {
                    let mut msg =
                        format!("GitLab {} needs Redis {} or newer.", v.major, min.minimum);
                    let mut severity = NoteSeverity::Warning;
                    if let Some(have) = &env.redis_version
                        && version_below(have, &min.minimum)
                    {
                        msg.push_str(&format!(
                            " This instance reports Redis {have}: upgrade it before this hop."
                        ));
                        severity = NoteSeverity::Blocker;
                    }
                    if let Some(n) = &min.note {
                        msg.push(' ');
                        msg.push_str(n);
                    }
                    hop.notes.push(HopNote {
                        kind: NoteKind::Redis,
                        severity,
                        id: None,
                        message: msg,
                        check: None,
                        doc_url: min.doc_url.clone(),
                        verified: min.verified,
                    });
                }
            }
        }
        // Bundled PostgreSQL upgraded by the package at this minor.
        for a in &k.requirements.bundled_postgresql_auto_upgrade {
            if auto_pg
                && a.minor_parsed == Some(hop.minor())
                && effective_pg
                    .as_deref()
                    .is_some_and(|have| version_below(have, &a.postgresql))
            {
                effective_pg = Some(a.postgresql.clone());
            }
            if a.minor_parsed == Some(hop.minor())
                && env.component("single_node_bundled_postgresql") != Some(false)
                && env.method.is_none_or(|m| {
                    matches!(m, InstallMethod::LinuxPackage | InstallMethod::Docker)
                })
            {
                hop.notes.push(HopNote {
                    kind: NoteKind::Postgresql,
                    severity: NoteSeverity::Info,
                    id: None,
                    message: format!(
                        "The {} package upgrades bundled PostgreSQL to {} ({}); allow time for it or opt out and upgrade it yourself.",
                        a.minor, a.postgresql, a.note
                    ),
                    check: None,
                    doc_url: Some("https://docs.gitlab.com/administration/postgresql/replication_and_failover/".into()),
                    verified: true,
                });
            }
        }
        // OS packaging.
        if let (Some(os), true) = (os_entry, uses_packages)
            && let Some(note) = os_note(os, hop.minor(), i == last_index)
        {
            hop.notes.push(note);
        }
        // Patches to avoid.
        for p in k.avoid_entries(&v) {
            if let Some(before) = p.only_before_parsed
                && Minor::of(&path_last(&path_minors)) < before
            {
                continue;
            }
            hop.notes.push(HopNote {
                kind: NoteKind::PatchToAvoid,
                severity: NoteSeverity::Warning,
                id: p.known_issue.clone(),
                message: format!(
                    "{} is a patch to avoid: {}. Use {} instead.",
                    v, p.reason, p.use_instead
                ),
                check: None,
                doc_url: None,
                verified: true,
            });
        }
        if !hop.verified {
            hop.notes.push(HopNote {
                kind: NoteKind::Data,
                severity: NoteSeverity::Warning,
                id: None,
                message: format!(
                    "{} is an announced stop that GitLab's upgrade_path.yml did not list yet when this data was gathered (UNVERIFIED): check the upgrade path documentation.",
                    hop.minor
                ),
                check: None,
                doc_url: hop.doc_url.clone(),
                verified: false,
            });
        }
        if !hop.patch_known {
            hop.notes.push(HopNote {
                kind: NoteKind::Data,
                severity: NoteSeverity::Warning,
                id: None,
                message: format!(
                    "No {} release is known to the {}: install the newest {} patch published on packages.gitlab.com.",
                    hop.minor,
                    k.data_summary(),
                    hop.minor
                ),
                check: None,
                doc_url: Some("https://packages.gitlab.com/gitlab".into()),
                verified: false,
            });
        }
        // Known issues at this hop.
        for issue in &k.known_issues.items {
            let hit = match issue.match_kind {
                MatchKind::Install => issue.affects_version(&v),
                MatchKind::Cross => issue
                    .lower_bound()
                    .is_some_and(|lb| prev < *lb && *lb <= v && issue.affects_version(&v)),
                MatchKind::Current => false,
            };
            // An issue is told once, at the first hop where it applies.
            if !hit || matches.iter().any(|m| m.id == issue.id) {
                continue;
            }
            if let Some(m) = issue_match(
                issue,
                env,
                from.minor(),
                &path_minors,
                Some(hop.version.clone()),
            ) {
                hop.notes.push(issue_note(issue, &m));
                matches.push(m);
            }
        }
        prev = v;
    }
    for issue in &k.known_issues.items {
        if issue.match_kind == MatchKind::Current
            && issue.affects_version(&from.version)
            && let Some(m) = issue_match(issue, env, from.minor(), &path_minors, None)
        {
            matches.push(m);
        }
    }
    matches.sort_by_key(|a| a.severity);
    path.known_issues = matches;

    let newest = k.newest_known();
    if to.version > newest {
        path.notes.push(format!(
            "The target {} is newer than the newest release in the {}: stops and known issues after {} may be missing. Check https://docs.gitlab.com/update/upgrade_paths/.",
            to, k.data_summary(), newest
        ));
    }
    if to.patch_given
        && let Some(latest) = k.latest_patch(to.minor()).filter(|l| *l > to.version)
    {
        path.notes.push(format!(
                "{} is not the newest patch of {}: {} is known. GitLab recommends ending on the latest patch.",
                to.version,
                to.minor(),
                latest
            ));
    }
    path.notes.push(
        "After every hop, wait until all batched background migrations have finished (and advanced-search migrations, when Elasticsearch/OpenSearch is used) before the next hop."
            .into(),
    );
}

fn path_last(minors: &[Minor]) -> semver::Version {
    minors
        .last()
        .map(|m| m.zero())
        .unwrap_or_else(|| semver::Version::new(0, 0, 0))
}

fn issue_match(
    issue: &KnownIssue,
    env: &Environment,
    from: Minor,
    path_minors: &[Minor],
    hop_version: Option<String>,
) -> Option<IssueMatch> {
    let check = match applicability(issue, env, from, path_minors) {
        Applicability::NotApplicable => return None,
        Applicability::Applies => None,
        Applicability::Check(points) => Some(points.join("; ")),
    };
    Some(IssueMatch {
        id: issue.id.clone(),
        severity: issue.severity.into(),
        summary: issue.summary.clone(),
        doc_url: issue.doc_url.clone(),
        hop_version,
        check,
        verified: issue.verified,
    })
}

fn issue_note(issue: &KnownIssue, m: &IssueMatch) -> HopNote {
    HopNote {
        kind: NoteKind::KnownIssue,
        severity: m.severity,
        id: Some(issue.id.clone()),
        message: issue.summary.clone(),
        check: m.check.clone(),
        doc_url: Some(issue.doc_url.clone()),
        verified: issue.verified,
    }
}

/// Whether this OS has packages for a minor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsSupport {
    Packaged,
    /// The last minor with packages for this OS.
    LastPackaged,
    /// Packages for this OS start later.
    TooEarly {
        first: Minor,
    },
    /// Packages for this OS ended.
    Ended {
        last: Minor,
        verified: bool,
    },
}

pub fn os_support(os: &OsEntry, minor: Minor) -> OsSupport {
    if let Some(first) = os.first_minor()
        && minor < first
    {
        return OsSupport::TooEarly { first };
    }
    match os.last_minor() {
        Some(last) if minor > last => OsSupport::Ended {
            last,
            verified: os.last_verified,
        },
        Some(last) if minor == last => OsSupport::LastPackaged,
        _ => OsSupport::Packaged,
    }
}

fn os_note(os: &OsEntry, minor: Minor, is_target: bool) -> Option<HopNote> {
    let name = os.display_name();
    let (severity, message, verified) = match os_support(os, minor) {
        OsSupport::Packaged => return None,
        OsSupport::LastPackaged if !is_target || os.last_is_projection => return None,
        OsSupport::LastPackaged => (
            NoteSeverity::Warning,
            format!(
                "{minor} is the last GitLab version with packages for {name}; plan the OS upgrade before the next upgrade."
            ),
            os.last_verified,
        ),
        OsSupport::TooEarly { first } => (
            NoteSeverity::Blocker,
            format!("No {minor} packages for {name}: its packages start with {first}."),
            true,
        ),
        OsSupport::Ended { last, verified } => (
            if verified {
                NoteSeverity::Blocker
            } else {
                NoteSeverity::Warning
            },
            format!(
                "No {minor} packages for {name}: the last packaged version is {last}{}. Move the nodes to a supported OS at {last} before this hop.",
                if verified {
                    ""
                } else {
                    " (UNVERIFIED: sources disagree)"
                }
            ),
            verified,
        ),
    };
    Some(HopNote {
        kind: NoteKind::OsPackaging,
        severity,
        id: None,
        message,
        check: None,
        doc_url: Some("https://docs.gitlab.com/install/package/#supported-platforms".into()),
        verified,
    })
}

/// Whether a dotted version like `13.8` is below a minimum like `14` or `12.10`.
pub fn version_below(have: &str, minimum: &str) -> bool {
    let parse = |s: &str| -> Vec<u64> {
        s.trim()
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect()
    };
    let h = parse(have);
    let m = parse(minimum);
    if h.is_empty() || m.is_empty() {
        return false;
    }
    // A bare major (`16`) stands for its newest minor: not below a minimum of that major.
    if h.len() == 1 && h[0] == m[0] {
        return false;
    }
    for (i, want) in m.iter().enumerate() {
        let a = h.get(i).copied().unwrap_or(0);
        if a != *want {
            return a < *want;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::embedded()
    }

    fn hops(from: &str, to: &str) -> Vec<String> {
        hops_with(from, to, false, &[])
    }

    fn hops_with(from: &str, to: &str, zdu: bool, conditions: &[&str]) -> Vec<String> {
        let req = PathRequest {
            from: from.into(),
            to: Some(to.into()),
            zero_downtime: zdu,
            conditions: conditions.iter().map(|s| s.to_string()).collect(),
        };
        compute(&k(), &req, &Environment::unknown())
            .unwrap()
            .hops
            .iter()
            .map(Hop::display_version)
            .collect()
    }

    /// GitLab's upgrade_path.yml stops from 15.0 on, plus the 19.x stops announced in the
    /// GitLab 19 notes, at the patch levels the upgrade-paths doc and the release data give.
    const STOPS_15_TO_19_3: [&str; 15] = [
        "15.0.5", "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7", "17.5.5",
        "17.8.7", "17.11.7", "18.2.8", "18.5.7", "18.8.11", "18.11.11", "19.2.4",
    ];

    #[test]
    fn full_path_from_15_0_visits_every_unconditional_stop() {
        let mut expected: Vec<&str> = STOPS_15_TO_19_3.to_vec();
        expected.push("19.3.0");
        assert_eq!(hops("15.0.0", "19.3"), expected);
        // Starting on the newest patch of 15.0, the first hop disappears.
        assert_eq!(hops("15.0.5", "19.3"), expected[1..].to_vec());
    }

    #[test]
    fn each_stop_is_visited_when_the_path_crosses_it() {
        // For every stop: from the minor before it to the minor after it, the stop is a hop.
        let stops = [
            ("14.10.5", "15.0"),
            ("15.0.5", "15.4"),
            ("15.4.6", "15.11"),
            ("15.11.13", "16.3"),
            ("16.3.9", "16.7"),
            ("16.7.10", "16.11"),
            ("16.11.10", "17.3"),
            ("17.3.7", "17.5"),
            ("17.5.5", "17.8"),
            ("17.8.7", "17.11"),
            ("17.11.7", "18.2"),
            ("18.2.8", "18.5"),
            ("18.5.7", "18.8"),
            ("18.8.11", "18.11"),
            ("18.11.11", "19.2"),
        ];
        for (i, (from, stop_minor)) in stops.iter().enumerate() {
            // Target: the minor after the stop, so the stop lies strictly inside the path.
            let m = Minor::parse(stop_minor).unwrap();
            let after = if k().last_minor_of(m.major) == Some(m.minor) {
                format!("{}.0", m.major + 1)
            } else {
                format!("{}.{}", m.major, m.minor + 1)
            };
            let got = hops(from, &after);
            let stop_patch = k().latest_patch(m).unwrap().to_string();
            assert_eq!(
                got.first(),
                Some(&stop_patch),
                "case {i}: {from} -> {after}: {got:?}"
            );
            assert_eq!(got.len(), 2, "case {i}: {from} -> {after}: {got:?}");
        }
    }

    #[test]
    fn path_15_4_2_to_18_5() {
        assert_eq!(
            hops("15.4.2", "18.5"),
            [
                "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7", "17.5.5",
                "17.8.7", "17.11.7", "18.2.8", "18.5.7"
            ]
        );
    }

    #[test]
    fn conditional_stops_join_only_when_their_condition_is_set() {
        assert_eq!(hops("15.0.5", "15.4"), ["15.4.6"]);
        assert_eq!(
            hops_with("15.0.5", "15.4", false, &["multiple_web_nodes"]),
            ["15.1.6", "15.4.6"]
        );
        assert_eq!(hops("15.11.13", "16.3"), ["16.3.9"]);
        assert_eq!(
            hops_with("15.11.13", "16.3", false, &["npm_packages"]),
            ["16.1.8", "16.3.9"]
        );
        assert_eq!(
            hops_with("15.11.13", "16.3", false, &["large_users_table"]),
            ["16.0.10", "16.3.9"]
        );
        assert_eq!(
            hops_with("15.11.13", "16.3", false, &["large_pipeline_variables"]),
            ["16.0.10", "16.2.11", "16.3.9"]
        );
        assert_eq!(hops("16.11.10", "17.3"), ["17.3.7"]);
        assert_eq!(
            hops_with("16.11.10", "17.3", false, &["large_pipeline_messages"]),
            ["17.1.8", "17.3.7"]
        );
        assert_eq!(
            hops_with(
                "15.11.13",
                "16.3",
                false,
                &[
                    "npm_packages",
                    "large_users_table",
                    "large_pipeline_variables"
                ]
            ),
            ["16.0.10", "16.1.8", "16.2.11", "16.3.9"]
        );
        let p = compute(
            &k(),
            &PathRequest {
                from: "15.11.13".into(),
                to: Some("16.3".into()),
                conditions: vec!["npm_packages".into()],
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        assert_eq!(p.hops[0].kind, HopKind::ConditionalStop);
        assert_eq!(p.hops[0].conditions, ["npm_packages"]);
        assert!(p.hops[0].reason.contains("NPM"), "{}", p.hops[0].reason);
    }

    #[test]
    fn zero_downtime_visits_every_minor() {
        assert_eq!(
            hops_with("16.9.2", "17.2", true, &[]),
            ["16.10.10", "16.11.10", "17.0.8", "17.1.8", "17.2.9"]
        );
        let p = compute(
            &k(),
            &PathRequest {
                from: "16.9.11".into(),
                to: Some("16.11".into()),
                zero_downtime: true,
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        assert_eq!(p.hops[0].kind, HopKind::ZeroDowntimeMinor);
        assert_eq!(p.hops[1].kind, HopKind::Target);
    }

    #[test]
    fn target_forms_and_first_patch_hop() {
        assert_eq!(hops("16.3.4", "16.3"), ["16.3.9"]);
        assert_eq!(hops("v16.3.4-ee", "16.7.2"), ["16.3.9", "16.7.2"]);
        let p = compute(
            &k(),
            &PathRequest {
                from: "16.3.4".into(),
                to: Some("16.7".into()),
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        assert!(p.hops[0].optional);
        assert_eq!(p.hops[0].kind, HopKind::PatchOfCurrent);
        assert!(!p.hops[1].optional);
        // No target: the newest known version.
        let p = compute(
            &k(),
            &PathRequest {
                from: "19.2.4".into(),
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        assert_eq!(p.to, "19.3.0");
    }

    #[test]
    fn beyond_the_data_the_patch_is_unknown_and_said_so() {
        let p = compute(
            &k(),
            &PathRequest {
                from: "19.2.4".into(),
                to: Some("19.6".into()),
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        let v: Vec<String> = p.hops.iter().map(Hop::display_version).collect();
        assert_eq!(v, ["19.5.x", "19.6.x"]);
        assert!(!p.hops[0].verified);
        assert!(
            p.hops[0]
                .notes
                .iter()
                .any(|n| n.message.contains("UNVERIFIED"))
        );
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("newer than the newest release"))
        );
    }

    #[test]
    fn errors_are_clear() {
        let e = |from: &str, to: &str| {
            compute(
                &k(),
                &PathRequest {
                    from: from.into(),
                    to: Some(to.into()),
                    ..Default::default()
                },
                &Environment::unknown(),
            )
            .unwrap_err()
            .to_string()
        };
        assert!(e("17.0", "16.11").contains("older than the current version"));
        assert!(e("16.3.9", "16.3").contains("already 16.3.9"));
        assert!(e("banana", "16.3").starts_with("current version"));
        assert!(e("16.3", "x").starts_with("target version"));
        let err = compute(
            &k(),
            &PathRequest {
                from: "16.0".into(),
                to: Some("17.0".into()),
                conditions: vec!["npm".into()],
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("npm_packages"));
    }

    #[test]
    fn hops_carry_database_and_os_notes() {
        let mut env = Environment::unknown();
        env.os = Some(("ubuntu".into(), "18.04".into()));
        env.pg_version = Some("13.8".into());
        let p = compute(
            &k(),
            &PathRequest {
                from: "16.7.10".into(),
                to: Some("17.3".into()),
                ..Default::default()
            },
            &env,
        )
        .unwrap();
        let last = p.hops.last().unwrap();
        assert!(last.notes.iter().any(|n| n.kind == NoteKind::OsPackaging
            && n.severity == NoteSeverity::Blocker
            && n.message.contains("16.11")));
        assert!(last.notes.iter().any(|n| n.kind == NoteKind::Postgresql
            && n.severity == NoteSeverity::Blocker
            && n.message.contains("PostgreSQL 14")));
        // 16.11 is the last minor packaged for Ubuntu 18.04: no blocker there.
        let h1611 = p.hops.iter().find(|h| h.minor == "16.11").unwrap();
        assert!(
            !h1611
                .notes
                .iter()
                .any(|n| n.kind == NoteKind::OsPackaging && n.severity == NoteSeverity::Blocker)
        );
    }

    #[test]
    fn bundled_single_node_postgresql_is_upgraded_by_the_package() {
        let mut env = Environment::unknown();
        env.method = Some(InstallMethod::LinuxPackage);
        env.topology = Some(crate::plan::TopologyKind::SingleNode);
        env.pg_mode = Some(crate::plan::PostgresMode::Bundled);
        env.pg_version = Some("14.11".into());
        let req = PathRequest {
            from: "17.8.7".into(),
            to: Some("18.2".into()),
            ..Default::default()
        };
        let p = compute(&k(), &req, &env).unwrap();
        let blocker = |p: &UpgradePath| {
            p.hops.iter().any(|h| {
                h.notes
                    .iter()
                    .any(|n| n.kind == NoteKind::Postgresql && n.severity == NoteSeverity::Blocker)
            })
        };
        assert!(
            !blocker(&p),
            "17.11 upgrades bundled PostgreSQL to 16 before 18.x"
        );
        // External PostgreSQL 14 gets no such help.
        env.pg_mode = Some(crate::plan::PostgresMode::External);
        let p = compute(&k(), &req, &env).unwrap();
        assert!(blocker(&p));
    }

    #[test]
    fn known_issues_follow_versions_and_environment() {
        let req = PathRequest {
            from: "18.8.11".into(),
            to: Some("19.2".into()),
            ..Default::default()
        };
        let unknown = compute(&k(), &req, &Environment::unknown()).unwrap();
        let ids: Vec<&str> = unknown.known_issues.iter().map(|m| m.id.as_str()).collect();
        assert!(ids.contains(&"gl19-postgresql-17-minimum"));
        assert!(
            ids.contains(&"gl19-ubuntu-2004-dropped"),
            "unknown OS: shown as a check"
        );
        let m = unknown
            .known_issues
            .iter()
            .find(|m| m.id == "gl19-ubuntu-2004-dropped")
            .unwrap();
        assert!(
            m.check
                .as_deref()
                .unwrap_or_default()
                .contains("Ubuntu 20.04")
        );
        // Not crossed: 18.0 lies before this path.
        assert!(!ids.contains(&"gl18-postgresql-16-minimum"));

        let mut env = Environment::unknown();
        env.os = Some(("ubuntu".into(), "22.04".into()));
        env.method = Some(InstallMethod::LinuxPackage);
        env.geo = Some(false);
        let known = compute(&k(), &req, &env).unwrap();
        let ids: Vec<&str> = known.known_issues.iter().map(|m| m.id.as_str()).collect();
        assert!(!ids.contains(&"gl19-ubuntu-2004-dropped"));
        assert!(!ids.iter().any(|id| id.contains("geo")), "{ids:?}");
        // The hop where the issue applies carries it.
        let h19 = known.hops.iter().find(|h| h.minor == "18.11").unwrap();
        assert!(
            h19.notes
                .iter()
                .all(|n| n.id.as_deref() != Some("gl19-postgresql-17-minimum"))
        );
        let h192 = known.hops.iter().find(|h| h.minor == "19.2").unwrap();
        assert!(
            h192.notes
                .iter()
                .any(|n| n.id.as_deref() == Some("gl19-postgresql-17-minimum"))
        );
    }

    #[test]
    fn pinned_bad_patch_is_flagged() {
        let p = compute(
            &k(),
            &PathRequest {
                from: "18.2.8".into(),
                to: Some("18.5.1".into()),
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap();
        let last = p.hops.last().unwrap();
        assert!(last.notes.iter().any(|n| n.kind == NoteKind::PatchToAvoid));
        assert!(p.notes.iter().any(|n| n.contains("18.5.7 is known")));
    }

    #[test]
    fn version_comparison_of_servers() {
        assert!(version_below("13.8", "14"));
        assert!(!version_below("14.11", "14"));
        assert!(version_below("12.9", "12.10"));
        assert!(!version_below("16.8", "16"));
        assert!(!version_below("7.2.9", "7.0"));
        assert!(version_below("6.2.7", "7.0"));
        assert!(!version_below("", "7.0"));
    }
}
