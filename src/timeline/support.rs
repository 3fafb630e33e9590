//! Which dependency versions a GitLab version supports: PostgreSQL and Redis majors (minimum
//! AND maximum, with the minimum patch level of each GitLab major) and OS releases (packages
//! published for them), from the GitLab knowledge.

use crate::knowledge::{Knowledge, OsEntry, SupportRange};
use crate::path::{OsSupport, os_support, version_below};
use crate::version::Minor;

use super::Component;

/// Why a dependency version cannot run with a GitLab version.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsupported {
    /// The major is supported only from a later GitLab minor.
    TooNew { from: Minor },
    /// The major is no longer supported (the last GitLab minor that supports it).
    TooOld { until: Minor },
    /// The major is supported, but this GitLab major needs a newer patch level.
    Patch { minimum: String },
    /// The knowledge does not know this version at all.
    Unknown,
}

impl Unsupported {
    /// Words for a message: `is supported only from GitLab 16.10`.
    pub fn describe(&self) -> String {
        match self {
            Unsupported::TooNew { from } => format!("is supported only from GitLab {from}"),
            Unsupported::TooOld { until } => format!("is supported only up to GitLab {until}"),
            Unsupported::Patch { minimum } => format!("is below the minimum {minimum}"),
            Unsupported::Unknown => "is not a version the GitLab data knows".to_string(),
        }
    }
}

/// The major of a dependency version: `16` for `16.4`, `14` for `14`.
pub fn major_of(version: &str) -> Option<u64> {
    version
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .find(|p| !p.is_empty())
        .and_then(|p| p.parse().ok())
}

/// A version without a minor (`16`) stands for the newest minor of that major.
fn is_major_only(version: &str) -> bool {
    !version.trim().contains('.')
}

fn ranges(k: &Knowledge, c: Component) -> &[SupportRange] {
    match c {
        Component::Postgresql => &k.requirements.postgresql_support,
        Component::Redis => &k.requirements.redis_support,
        Component::Os | Component::Config => &[],
    }
}

/// The minimum version a GitLab major needs for `c` (`14.14` for PostgreSQL with GitLab 17).
fn minimum(k: &Knowledge, c: Component, gitlab_major: u64) -> Option<&str> {
    let m = match c {
        Component::Postgresql => k.postgresql_minimum(gitlab_major),
        Component::Redis => k.redis_minimum(gitlab_major),
        Component::Os | Component::Config => None,
    };
    m.map(|m| m.minimum.as_str())
}

/// Whether GitLab `at` supports `version` of PostgreSQL or Redis.
pub fn supports(k: &Knowledge, c: Component, version: &str, at: Minor) -> Result<(), Unsupported> {
    let Some(major) = major_of(version) else {
        return Err(Unsupported::Unknown);
    };
    let Some(range) = ranges(k, c).iter().find(|r| r.major == major) else {
        return Err(Unsupported::Unknown);
    };
    if let Some(from) = range.from_parsed
        && at < from
    {
        return Err(Unsupported::TooNew { from });
    }
    if let Some(until) = range.until_parsed
        && at > until
    {
        return Err(Unsupported::TooOld { until });
    }
    if let Some(min) = minimum(k, c, at.major)
        && major_of(min) == Some(major)
        && !is_major_only(version)
        && version_below(version, min)
    {
        return Err(Unsupported::Patch {
            minimum: min.to_string(),
        });
    }
    Ok(())
}

/// The support range of a major, for reports.
pub fn range_of(k: &Knowledge, c: Component, major: u64) -> Option<&SupportRange> {
    ranges(k, c).iter().find(|r| r.major == major)
}

/// The newest major supported at both `here` (where the step happens) and `next` (the hop that
/// needs it), written as the version a step goes to: the major, with the minimum patch level
/// the later GitLab majors of the path need (`16.5` rather than `16` when 18.x comes).
pub fn best_target(
    k: &Knowledge,
    c: Component,
    here: Minor,
    next: Minor,
) -> Option<(u64, &SupportRange)> {
    ranges(k, c)
        .iter()
        .filter(|r| r.covers(here) && r.covers(next))
        .max_by_key(|r| r.major)
        .map(|r| (r.major, r))
}

/// The OS entry of a `distribution:version` text.
pub fn os_entry<'k>(k: &'k Knowledge, id: &str) -> Option<&'k OsEntry> {
    let (d, v) = id.split_once(':')?;
    k.os_entry(d, v)
}

/// Whether GitLab `at` has packages for the OS release `id` (`ubuntu:22.04`).
pub fn os_supports(k: &Knowledge, id: &str, at: Minor) -> Result<(), Unsupported> {
    let Some(e) = os_entry(k, id) else {
        return Err(Unsupported::Unknown);
    };
    match os_support(e, at) {
        // Disputed packages are warned about at each hop, not planned around.
        OsSupport::Packaged | OsSupport::LastPackaged | OsSupport::Unverified { .. } => Ok(()),
        OsSupport::TooEarly { first } => Err(Unsupported::TooNew { from: first }),
        OsSupport::Ended { last, .. } => Err(Unsupported::TooOld { until: last }),
    }
}

/// The release of the same distribution to move to: packaged at `here` and `next`, the one
/// whose packages go on longest (the newest when several are still supported).
pub fn best_os<'k>(
    k: &'k Knowledge,
    current: &OsEntry,
    here: Minor,
    next: Minor,
) -> Option<&'k OsEntry> {
    k.os.systems
        .iter()
        .filter(|e| e.distribution == current.distribution && e.version != current.version)
        .filter(|e| {
            matches!(
                os_support(e, here),
                OsSupport::Packaged | OsSupport::LastPackaged
            ) && matches!(
                os_support(e, next),
                OsSupport::Packaged | OsSupport::LastPackaged
            )
        })
        .max_by(|a, b| {
            let end = |e: &OsEntry| e.last_minor().unwrap_or(Minor::new(u64::MAX, 0));
            end(a)
                .cmp(&end(b))
                .then_with(|| a.first_minor().cmp(&b.first_minor()))
        })
}

/// `ubuntu:22.04` for an OS entry.
pub fn os_id(e: &OsEntry) -> String {
    format!("{}:{}", e.distribution, e.version)
}
