//! The notes of each hop: database and Redis minimums, bundled PostgreSQL upgraded by the
//! package, OS packages, patches to avoid, and the known issues on the path.

use super::*;

pub(super) fn add_notes(
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
    let mut effective_pg = starting_postgresql(env);
    for (i, hop) in path.hops.iter_mut().enumerate() {
        let v = hop.semver.clone();
        if v.major != prev.major || i == 0 {
            minimum_notes(k, hop, &prev, i == 0, effective_pg.as_deref(), env);
        }
        bundled_postgresql_notes(k, hop, env, &mut effective_pg);
        if let (Some(os), true) = (os_entry, uses_packages)
            && let Some(note) = os_note(os, hop.minor(), i == last_index)
        {
            hop.notes.push(note);
        }
        patch_and_data_notes(k, hop, &path_minors);
        // Known issues at this hop.
        for issue in &k.known_issues.items {
            let hit = match issue.match_kind {
                // An issue the current version already has is not brought by the upgrade.
                MatchKind::Install => {
                    issue.affects_version(&v) && !issue.affects_version(&from.version)
                }
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
                (from.minor(), Some(&prev)),
                &path_minors,
                Some(hop.version.clone()),
            ) {
                hop.notes.push(issue_note(issue, &m));
                matches.push(m);
            }
        }
        prev = v;
    }
    // Issues of the current version, and install-time issues it already has (told as the
    // instance's, not at a hop: the upgrade does not bring them).
    for issue in &k.known_issues.items {
        if matches!(issue.match_kind, MatchKind::Current | MatchKind::Install)
            && issue.affects_version(&from.version)
            && let Some(m) = issue_match(issue, env, (from.minor(), None), &path_minors, None)
        {
            matches.push(m);
        }
    }
    matches.sort_by_key(|a| a.severity);
    path.known_issues = matches;
    path_notes(k, path, to);
}

/// The PostgreSQL version that counts at the start: a PostgreSQL the package brings (bundled,
/// with or without Patroni) gets the package's newest minor of its major with every install,
/// so only its major counts.
fn starting_postgresql(env: &Environment) -> Option<String> {
    let bundled = matches!(
        env.pg_mode,
        Some(crate::plan::PostgresMode::Bundled | crate::plan::PostgresMode::BundledHa)
    );
    env.pg_version.clone().map(|v| {
        if bundled {
            crate::timeline::support::major_of(&v).map_or(v, |m| m.to_string())
        } else {
            v
        }
    })
}

/// Database and Redis minimums that change on this hop (or all of them on the first hop).
fn minimum_notes(
    k: &Knowledge,
    hop: &mut Hop,
    prev: &semver::Version,
    first: bool,
    effective_pg: Option<&str>,
    env: &Environment,
) {
    let v = hop.semver.clone();
    if let Some(min) = k.postgresql_minimum(v.major) {
        let before = k.postgresql_minimum(prev.major).map(|m| m.minimum.as_str());
        let changed = before != Some(min.minimum.as_str());
        if changed || first {
            let mut msg = format!(
                "GitLab {} needs PostgreSQL {} or newer.",
                v.major, min.minimum
            );
            let mut severity = NoteSeverity::Info;
            if let Some(have) = effective_pg {
                if version_below(have, &min.minimum) {
                    msg.push_str(&format!(
                        " This instance reports PostgreSQL {have}: upgrade it before this hop."
                    ));
                    severity = NoteSeverity::Blocker;
                }
            } else if changed {
                severity = NoteSeverity::Warning;
            }
            if let Some(n) = &min.note {
                msg.push(' ');
                msg.push_str(n);
            }
            if severity != NoteSeverity::Info || first {
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
    let Some(min) = k.redis_minimum(v.major) else {
        return;
    };
    let before = k.redis_minimum(prev.major).map(|m| m.minimum.as_str());
    if before == Some(min.minimum.as_str()) {
        return;
    }
    let mut msg = format!("GitLab {} needs Redis {} or newer.", v.major, min.minimum);
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

/// Bundled PostgreSQL upgraded by the package at this minor: a note, and single-node Linux
/// package/Docker installs carry the upgraded version on to the next hops.
fn bundled_postgresql_notes(
    k: &Knowledge,
    hop: &mut Hop,
    env: &Environment,
    effective_pg: &mut Option<String>,
) {
    let package_install = |m: Option<InstallMethod>, unknown_ok: bool| {
        m.map_or(unknown_ok, |m| {
            matches!(m, InstallMethod::LinuxPackage | InstallMethod::Docker)
        })
    };
    let auto_pg = env.component("single_node_bundled_postgresql") == Some(true)
        && package_install(env.method, false);
    for a in &k.requirements.bundled_postgresql_auto_upgrade {
        if a.minor_parsed != Some(hop.minor()) {
            continue;
        }
        if auto_pg
            && effective_pg
                .as_deref()
                .is_some_and(|have| version_below(have, &a.postgresql))
        {
            *effective_pg = Some(a.postgresql.clone());
        }
        if env.component("single_node_bundled_postgresql") != Some(false)
            && package_install(env.method, true)
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
}

/// Patches to avoid, stops the data could not confirm, and minors without a known release.
fn patch_and_data_notes(k: &Knowledge, hop: &mut Hop, path_minors: &[Minor]) {
    let v = hop.semver.clone();
    for p in k.avoid_entries(&v) {
        if let Some(before) = p.only_before_parsed
            && Minor::of(&path_last(path_minors)) < before
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
}

/// Notes on the whole path: a target that is not the newest patch, and the wait for
/// background migrations. (A target past the data is told by the version check.)
fn path_notes(k: &Knowledge, path: &mut UpgradePath, to: &UserVersion) {
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

/// `at`: the current minor, and the version installed just before the hop (`None` for issues
/// of the current version).
fn issue_match(
    issue: &KnownIssue,
    env: &Environment,
    at: (Minor, Option<&semver::Version>),
    path_minors: &[Minor],
    hop_version: Option<String>,
) -> Option<IssueMatch> {
    let check = match applicability(issue, env, at.0, at.1, path_minors) {
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
    /// The sources disagree whether this minor has packages for this OS: `last_certain` is the
    /// last every source packages, `none_from` the first none does.
    Unverified {
        last_certain: Minor,
        none_from: Minor,
    },
}

pub fn os_support(os: &OsEntry, minor: Minor) -> OsSupport {
    if let Some(first) = os.first_minor()
        && minor < first
    {
        return OsSupport::TooEarly { first };
    }
    if let Some((last_certain, none_from)) = os.disputed_end() {
        if minor >= none_from {
            return OsSupport::Ended {
                last: last_certain,
                verified: true,
            };
        }
        if minor > last_certain {
            return OsSupport::Unverified {
                last_certain,
                none_from,
            };
        }
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
        OsSupport::Unverified {
            last_certain,
            none_from,
        } => (
            NoteSeverity::Warning,
            format!(
                "{minor} packages for {name} are UNVERIFIED: GitLab's docs name {last_certain} the last version for it, while the package sources built some later ones and stop at {none_from}. Check packages.gitlab.com for {minor} before relying on it, or move the nodes to a supported OS (or the Docker image) while on {last_certain}."
            ),
            false,
        ),
        OsSupport::Ended { last, .. } if os.disputed_end().is_some() => (
            NoteSeverity::Blocker,
            format!(
                "No {minor} packages for {name}: its packages stop by {} at the latest, and only up to {last} are they certain. Move the nodes to a supported OS (or the Docker image) while on {last}, before this hop.",
                os.none_from.as_deref().unwrap_or_default()
            ),
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
