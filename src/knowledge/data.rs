//! The data files' shapes: stops, releases, OS matrix, requirements, known issues.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{component_label, os_display};
use crate::version::Minor;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StopsData {
    pub schema_version: u32,
    pub retrieved_at: String,
    pub source: String,
    pub material_cutoff_note: String,
    pub doc_url: String,
    pub rules: Vec<String>,
    /// Major -> its last minor (the stop before the next major).
    pub last_minor_of_major: BTreeMap<String, u64>,
    pub stops: Vec<Stop>,
    pub conditions: Vec<ConditionInfo>,
    pub linux_package_enforcement: Vec<Enforcement>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stop {
    /// `major.minor`.
    pub minor: String,
    /// Newest known patch of the stop; `None` when the stop is announced but not yet released.
    pub latest_patch: Option<String>,
    /// Condition ids; empty for an unconditional stop. The stop applies when any is true.
    #[serde(default)]
    pub conditions: Vec<String>,
    pub reason: String,
    pub verified: bool,
    pub in_upgrade_path_yml: bool,
    pub doc_url: String,
    #[serde(default)]
    pub documented_patch: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// `minor` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub minor_parsed: Option<Minor>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConditionInfo {
    pub id: String,
    pub question: String,
    pub help: String,
    pub check: Option<String>,
    pub doc_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enforcement {
    pub package_minors: String,
    pub min_installed_minor: String,
    pub pg_min_major: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleasesData {
    pub schema_version: u32,
    pub retrieved_at: String,
    pub source: String,
    pub coverage_note: String,
    pub newest_known: Release,
    pub latest_patch_per_minor: Vec<MinorRelease>,
    #[serde(default)]
    pub later_versions_seen_unverified: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    pub version: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MinorRelease {
    pub minor: String,
    pub version: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OsData {
    pub schema_version: u32,
    pub retrieved_at: String,
    pub source: String,
    pub doc_url: String,
    pub policy_notes: Vec<String>,
    pub systems: Vec<OsEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OsEntry {
    pub distribution: String,
    pub name: String,
    pub version: String,
    pub label: String,
    /// `deb` or `rpm`.
    pub family: String,
    /// Empty when unknown (ended systems).
    pub architectures: Vec<String>,
    pub editions: Vec<String>,
    /// First GitLab minor with packages, when known.
    pub first_gitlab: Option<String>,
    /// Last GitLab minor with packages; `None` when not announced.
    pub last_gitlab: Option<String>,
    /// False when the sources disagree on `last_gitlab` (UNVERIFIED).
    pub last_verified: bool,
    /// `supported`, `ending` or `ended`.
    pub status: String,
    pub os_eol: Option<String>,
    #[serde(default)]
    pub last_is_projection: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// While the sources disagree on the end: the last minor every source gives packages for.
    #[serde(default)]
    pub last_certain: Option<String>,
    /// While the sources disagree on the end: the first minor no source gives packages for.
    #[serde(default)]
    pub none_from: Option<String>,
    /// The distribution whose packages this OS installs (Raspberry Pi OS: `debian`).
    #[serde(default)]
    pub package_of: Option<String>,
}

impl OsEntry {
    /// "Ubuntu 22.04 (jammy)"
    pub fn display_name(&self) -> String {
        format!("{} {}", self.name, self.label)
    }
    pub fn first_minor(&self) -> Option<Minor> {
        self.first_gitlab.as_deref().and_then(Minor::parse)
    }
    pub fn last_minor(&self) -> Option<Minor> {
        self.last_gitlab.as_deref().and_then(Minor::parse)
    }
    /// The last minor surely packaged and the first surely not, when the end is disputed.
    pub fn disputed_end(&self) -> Option<(Minor, Minor)> {
        Some((
            self.last_certain.as_deref().and_then(Minor::parse)?,
            self.none_from.as_deref().and_then(Minor::parse)?,
        ))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequirementsData {
    pub schema_version: u32,
    pub retrieved_at: String,
    pub source: String,
    pub postgresql_minimums: Vec<Minimum>,
    pub redis_minimums: Vec<Minimum>,
    pub bundled_postgresql_auto_upgrade: Vec<AutoUpgrade>,
    pub patches_to_avoid: Vec<PatchToAvoid>,
    /// Where the support ranges below come from.
    #[serde(default)]
    pub postgresql_support_source: String,
    /// The GitLab versions that support each PostgreSQL major (minimum AND maximum).
    #[serde(default)]
    pub postgresql_support: Vec<SupportRange>,
    #[serde(default)]
    pub redis_support_source: String,
    /// The GitLab versions that support each Redis major.
    #[serde(default)]
    pub redis_support: Vec<SupportRange>,
}

/// The GitLab minors that support one major version of a dependency.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupportRange {
    /// The dependency's major version, e.g. `16`.
    #[serde(alias = "postgresql", alias = "redis")]
    pub version: String,
    /// The first GitLab minor that supports it; `None`: every version in the data.
    pub from: Option<String>,
    /// The last GitLab minor that supports it; `None`: still supported.
    pub until: Option<String>,
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `from` and `until` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub from_parsed: Option<Minor>,
    #[serde(skip)]
    pub until_parsed: Option<Minor>,
    /// `version` as a number.
    #[serde(skip)]
    pub major: u64,
}

impl SupportRange {
    /// Whether GitLab `minor` supports this major.
    pub fn covers(&self, minor: Minor) -> bool {
        self.from_parsed.is_none_or(|f| minor >= f) && self.until_parsed.is_none_or(|u| minor <= u)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Minimum {
    pub gitlab_major: u64,
    /// Minimum server version: `16`, `12.10`, `7.0`.
    pub minimum: String,
    pub verified: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doc_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AutoUpgrade {
    pub minor: String,
    pub postgresql: String,
    pub note: String,
    /// `minor` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub minor_parsed: Option<Minor>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PatchToAvoid {
    /// A semver requirement, e.g. `>=18.5.0, <18.5.2`.
    pub versions: String,
    pub reason: String,
    pub use_instead: String,
    #[serde(default)]
    pub known_issue: Option<String>,
    /// Only a problem when the path continues to this minor or later.
    #[serde(default)]
    pub only_before: Option<String>,
    /// `only_before` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub only_before_parsed: Option<Minor>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KnownIssuesData {
    pub schema_version: u32,
    pub retrieved_at: String,
    pub source: String,
    #[serde(default)]
    pub format_notes: serde_json::Value,
    pub items: Vec<KnownIssue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueSeverity {
    Blocker,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Applies when a version installed on the way satisfies `affects`.
    Install,
    /// Applies when the path crosses the lower bound of `affects`.
    Cross,
    /// Applies to the version running now.
    Current,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Requires {
    /// `distribution:version` pairs.
    #[serde(default)]
    pub os: Vec<String>,
    #[serde(default)]
    pub os_family: Option<String>,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub zero_downtime: Option<bool>,
    #[serde(default)]
    pub path_skips_minor: Option<String>,
    #[serde(default)]
    pub topology: Option<String>,
    /// Applies only while the PostgreSQL server is older than this.
    #[serde(default)]
    pub postgresql_below: Option<String>,
    /// Applies only while the Redis server is older than this.
    #[serde(default)]
    pub redis_below: Option<String>,
    /// Applies only when the version installed just before the hop matches (semver).
    #[serde(default)]
    pub upgrading_from: Option<String>,
    /// `upgrading_from` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub upgrading_from_parsed: Option<semver::VersionReq>,
    /// `path_skips_minor` parsed, filled when the data is loaded.
    #[serde(skip)]
    pub path_skips_minor_parsed: Option<Minor>,
    /// What the reader is asked to check when the plan cannot answer a condition, worded
    /// when the data is loaded.
    #[serde(skip)]
    pub check_texts: RequiresCheckTexts,
}

/// The points to check for a [`Requires`] the plan cannot answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequiresCheckTexts {
    /// "OS is Ubuntu 20.04 or Debian 11".
    pub os: String,
    /// "RPM based OS".
    pub os_family: String,
    /// "<component> in use", one per feature.
    pub features: Vec<String>,
    /// "multi-node".
    pub topology: String,
    /// "upgrading from 17.3.x".
    pub upgrading_from: String,
}

/// The points to check for a [`KnownIssue`]'s own conditions the plan cannot answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueCheckTexts {
    /// "install method is linux package or docker".
    pub install: String,
    /// "single-node".
    pub topology: String,
    /// "<component> in use", one per component.
    pub components: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KnownIssue {
    pub id: String,
    /// Semver requirements, OR-ed.
    pub affects: Vec<String>,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
    pub severity: IssueSeverity,
    pub kind: String,
    pub summary: String,
    pub doc_url: String,
    /// More pages on the issue (the first one is `doc_url`).
    #[serde(default)]
    pub see_also: Vec<String>,
    /// Empty means any method.
    pub install_methods: Vec<String>,
    pub topology: Option<String>,
    /// `Some(true)`: only with Geo.
    pub geo: Option<bool>,
    pub components: Vec<String>,
    /// Free-text condition the plan cannot always answer.
    pub condition: Option<String>,
    pub verified: bool,
    #[serde(default)]
    pub fixed_in: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub requires: Option<Requires>,
    /// Parsed `affects`, filled when the data is loaded.
    #[serde(skip)]
    pub affects_req: Vec<semver::VersionReq>,
    /// [`KnownIssue::lower_bound`] of `affects_req`, filled when the data is loaded.
    #[serde(skip)]
    pub affects_lower_bound: Option<semver::Version>,
    /// No version below this can match `affects_req` (`None`: no such floor), filled when the
    /// data is loaded so that most versions are ruled out without evaluating the ranges.
    #[serde(skip)]
    pub affects_floor: Option<semver::Version>,
    /// No version at or above this can match `affects_req` (`None`: no such ceiling).
    #[serde(skip)]
    pub affects_ceiling: Option<semver::Version>,
    /// Worded when the data is loaded.
    #[serde(skip)]
    pub check_texts: IssueCheckTexts,
}

impl KnownIssue {
    pub fn affects_version(&self, v: &semver::Version) -> bool {
        if self.affects_floor.as_ref().is_some_and(|floor| v < floor)
            || self
                .affects_ceiling
                .as_ref()
                .is_some_and(|ceiling| v >= ceiling)
        {
            return false;
        }
        self.affects_req.iter().any(|r| r.matches(v))
    }
    /// The smallest version the `affects` ranges start at (for `cross` matching), as computed
    /// when the data was loaded.
    pub fn lower_bound(&self) -> Option<&semver::Version> {
        self.affects_lower_bound.as_ref()
    }
    /// Parse `affects` and derive what the matching needs from it. Called once per load.
    pub(super) fn index(&mut self) {
        self.affects_req = self
            .affects
            .iter()
            .filter_map(|a| semver::VersionReq::parse(a).ok())
            .collect();
        self.affects_lower_bound = self.compute_lower_bound();
        self.affects_floor = self.compute_floor();
        self.affects_ceiling = self.compute_ceiling();
        if let Some(req) = &mut self.requires {
            req.path_skips_minor_parsed = req.path_skips_minor.as_deref().and_then(Minor::parse);
            req.upgrading_from_parsed = req
                .upgrading_from
                .as_deref()
                .and_then(|r| semver::VersionReq::parse(r).ok());
            let names: Vec<String> = req.os.iter().map(|o| os_display(o)).collect();
            req.check_texts = RequiresCheckTexts {
                os: format!("OS is {}", names.join(" or ")),
                os_family: req
                    .os_family
                    .as_ref()
                    .map(|f| format!("{} based OS", f.to_uppercase()))
                    .unwrap_or_default(),
                features: req
                    .features
                    .iter()
                    .map(|f| format!("{} in use", component_label(f)))
                    .collect(),
                topology: req
                    .topology
                    .as_ref()
                    .map(|t| t.replace('_', "-"))
                    .unwrap_or_default(),
                upgrading_from: req
                    .upgrading_from
                    .as_ref()
                    .map(|r| format!("upgrading from a version {r}"))
                    .unwrap_or_default(),
            };
        }
        self.check_texts = IssueCheckTexts {
            install: format!(
                "install method is {}",
                self.install_methods.join(" or ").replace('_', " ")
            ),
            topology: self
                .topology
                .as_ref()
                .map(|t| t.replace('_', "-"))
                .unwrap_or_default(),
            components: self
                .components
                .iter()
                .map(|c| format!("{} in use", component_label(c)))
                .collect(),
        };
    }
    /// The lowest version any of the ranges admits: each range's largest lower bound, the
    /// smallest of those. `None` when a range has no lower bound (or one with a pre-release,
    /// which could admit versions below it).
    fn compute_floor(&self) -> Option<semver::Version> {
        let mut floor: Option<semver::Version> = None;
        for r in &self.affects_req {
            let range_floor = r
                .comparators
                .iter()
                .filter(|c| {
                    !matches!(c.op, semver::Op::Less | semver::Op::LessEq) && c.pre.is_empty()
                })
                .map(|c| semver::Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0)))
                .max()?;
            floor = Some(match floor {
                Some(f) if f <= range_floor => f,
                _ => range_floor,
            });
        }
        floor
    }

    /// The first version above every range: each range's smallest exclusive upper bound, the
    /// largest of those. `None` when a range has no upper bound.
    fn compute_ceiling(&self) -> Option<semver::Version> {
        let mut ceiling: Option<semver::Version> = None;
        for r in &self.affects_req {
            let range_ceiling = r.comparators.iter().filter_map(exclusive_upper).min()?;
            ceiling = Some(match ceiling {
                Some(c) if c >= range_ceiling => c,
                _ => range_ceiling,
            });
        }
        ceiling
    }

    pub(super) fn compute_lower_bound(&self) -> Option<semver::Version> {
        self.affects_req
            .iter()
            .filter_map(|r| {
                r.comparators
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.op,
                            semver::Op::GreaterEq | semver::Op::Exact | semver::Op::Greater
                        )
                    })
                    .map(|c| {
                        semver::Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0))
                    })
                    .min()
            })
            .min()
    }
}

/// A version no version the comparator admits reaches (its exclusive upper bound, rounded up
/// past any pre-release), or `None` when it has no upper bound.
fn exclusive_upper(c: &semver::Comparator) -> Option<semver::Version> {
    use semver::{Op, Version};
    let (major, minor, patch) = (c.major, c.minor, c.patch);
    let next_minor = |m: u64| Version::new(major, m + 1, 0);
    Some(match c.op {
        Op::Less => Version::new(major, minor.unwrap_or(0), patch.unwrap_or(0)),
        Op::LessEq | Op::Exact | Op::Wildcard => match (minor, patch) {
            (Some(m), Some(p)) => Version::new(major, m, p + 1),
            (Some(m), None) => next_minor(m),
            _ => Version::new(major + 1, 0, 0),
        },
        Op::Tilde => match minor {
            Some(m) => next_minor(m),
            None => Version::new(major + 1, 0, 0),
        },
        Op::Caret if major > 0 => Version::new(major + 1, 0, 0),
        _ => return None,
    })
}
