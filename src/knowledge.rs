//! The GitLab knowledge the planner reasons with: stops, releases, OS matrix, database
//! minimums, patches to avoid and known issues.
//!
//! The data lives in `assets/data/*.json`, derived from the project's research by
//! `tools/derive_data.py`, and is embedded in the binary. A newer copy of any file placed in
//! the user's config directory (`<config>/upgrade-planner/data/`) replaces the embedded one when
//! it parses and its `retrieved_at` is newer; a broken one is ignored with a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::version::Minor;

/// Environment variable that points at a directory of data files (used instead of the
/// config directory; handy for testing and for administrators who distribute data).
pub const DATA_DIR_ENV: &str = "UPGRADE_PLANNER_DATA_DIR";

/// Format version of the data files this build understands.
pub const DATA_SCHEMA: u32 = 1;

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
    fn index(&mut self) {
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

    fn compute_lower_bound(&self) -> Option<semver::Version> {
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

/// Where one data file came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataSource {
    pub file: String,
    pub retrieved_at: String,
    /// `embedded` or the path of the override file.
    pub origin: String,
}

/// All the knowledge, parsed and indexed.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub stops: StopsData,
    pub releases: ReleasesData,
    pub os: OsData,
    pub requirements: RequirementsData,
    pub known_issues: KnownIssuesData,
    pub sources: Vec<DataSource>,
    /// Problems with override files (they were ignored).
    pub warnings: Vec<String>,
    latest_patch: BTreeMap<Minor, semver::Version>,
    avoid_reqs: Vec<semver::VersionReq>,
    /// `releases.newest_known.version` parsed (0.0.0 when it does not parse).
    newest_known: semver::Version,
}

const EMBEDDED: [(&str, &str); 5] = [
    ("stops.json", include_str!("../assets/data/stops.json")),
    (
        "releases.json",
        include_str!("../assets/data/releases.json"),
    ),
    ("os.json", include_str!("../assets/data/os.json")),
    (
        "requirements.json",
        include_str!("../assets/data/requirements.json"),
    ),
    (
        "known_issues.json",
        include_str!("../assets/data/known_issues.json"),
    ),
];

/// The header every data file shares; read first to compare dates.
#[derive(Deserialize)]
struct Header {
    schema_version: u32,
    retrieved_at: String,
}

impl Knowledge {
    /// The knowledge in use by this process: embedded data, refreshed by newer files in the
    /// data directory. Parsed once.
    pub fn global() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| Knowledge::load(default_data_dir().as_deref()))
    }

    /// Only the embedded data.
    pub fn embedded() -> Knowledge {
        Knowledge::load(None)
    }

    /// Embedded data, with newer files from `dir` taking precedence.
    #[allow(clippy::expect_used)] // The embedded files are ours; tests prove they parse.
    pub fn load(dir: Option<&Path>) -> Knowledge {
        let mut warnings = Vec::new();
        let mut sources = Vec::new();
        let mut texts: BTreeMap<&str, String> = BTreeMap::new();
        for (name, embedded) in EMBEDDED {
            let mut chosen = embedded.to_string();
            let embedded_date = serde_json::from_str::<Header>(embedded)
                .map(|h| h.retrieved_at)
                .unwrap_or_default();
            let mut origin = "embedded".to_string();
            let mut date = embedded_date.clone();
            if let Some(dir) = dir {
                let path = dir.join(name);
                if path.is_file() {
                    match read_override(name, &path) {
                        Ok((text, header)) => {
                            if header.retrieved_at > embedded_date {
                                chosen = text;
                                origin = path.display().to_string();
                                date = header.retrieved_at;
                            } else {
                                warnings.push(format!(
                                    "{}: not used, its data ({}) is not newer than the built-in data ({})",
                                    path.display(),
                                    header.retrieved_at,
                                    embedded_date
                                ));
                            }
                        }
                        Err(e) => warnings.push(format!("{e}; using the built-in {name}")),
                    }
                }
            }
            sources.push(DataSource {
                file: name.to_string(),
                retrieved_at: date,
                origin,
            });
            texts.insert(name, chosen);
        }
        let get = |n: &str| texts.get(n).map(String::as_str).unwrap_or_default();
        let mut stops: StopsData =
            serde_json::from_str(get("stops.json")).expect("embedded stops.json");
        let releases: ReleasesData =
            serde_json::from_str(get("releases.json")).expect("embedded releases.json");
        let os: OsData = serde_json::from_str(get("os.json")).expect("embedded os.json");
        let mut requirements: RequirementsData =
            serde_json::from_str(get("requirements.json")).expect("embedded requirements.json");
        let mut known_issues: KnownIssuesData =
            serde_json::from_str(get("known_issues.json")).expect("embedded known_issues.json");
        for issue in &mut known_issues.items {
            issue.index();
        }
        for s in &mut stops.stops {
            s.minor_parsed = Minor::parse(&s.minor);
        }
        for a in &mut requirements.bundled_postgresql_auto_upgrade {
            a.minor_parsed = Minor::parse(&a.minor);
        }
        for p in &mut requirements.patches_to_avoid {
            p.only_before_parsed = p.only_before.as_deref().and_then(Minor::parse);
        }
        let newest_known = semver::Version::parse(&releases.newest_known.version)
            .unwrap_or_else(|_| semver::Version::new(0, 0, 0));
        let latest_patch = releases
            .latest_patch_per_minor
            .iter()
            .filter_map(|r| {
                Some((
                    Minor::parse(&r.minor)?,
                    semver::Version::parse(&r.version).ok()?,
                ))
            })
            .collect();
        let avoid_reqs = requirements
            .patches_to_avoid
            .iter()
            .map(|p| semver::VersionReq::parse(&p.versions).unwrap_or(semver::VersionReq::STAR))
            .collect();
        Knowledge {
            stops,
            releases,
            os,
            requirements,
            known_issues,
            sources,
            warnings,
            latest_patch,
            avoid_reqs,
            newest_known,
        }
    }

    /// The newest retrieval date of the data in use, `YYYY-MM-DD`.
    pub fn data_date(&self) -> &str {
        self.sources
            .iter()
            .map(|s| s.retrieved_at.as_str())
            .max()
            .unwrap_or("unknown")
    }

    /// One line for outputs: "GitLab data of 2026-11-21 (releases up to 19.3.0, 2026-08-20)".
    pub fn data_summary(&self) -> String {
        format!(
            "GitLab data of {} (releases up to {}, {})",
            self.data_date(),
            self.releases.newest_known.version,
            self.releases.newest_known.date
        )
    }

    /// The newest release the data knows.
    pub fn newest_known(&self) -> semver::Version {
        self.newest_known.clone()
    }

    /// The newest known patch of a minor.
    pub fn latest_patch(&self, minor: Minor) -> Option<semver::Version> {
        if let Some(v) = self.latest_patch.get(&minor) {
            return Some(v.clone());
        }
        self.stops
            .stops
            .iter()
            .find(|s| s.minor_parsed == Some(minor))
            .and_then(|s| s.latest_patch.as_deref())
            .and_then(|p| semver::Version::parse(p).ok())
    }

    /// Every minor the data knows to exist, ascending (from releases and stops).
    pub fn known_minors(&self) -> Vec<Minor> {
        let mut v: Vec<Minor> = self.latest_patch.keys().copied().collect();
        v.extend(self.stops.stops.iter().filter_map(|s| s.minor_parsed));
        v.sort();
        v.dedup();
        v
    }

    /// The last minor of a major, when known.
    pub fn last_minor_of(&self, major: u64) -> Option<u64> {
        self.stops
            .last_minor_of_major
            .get(&major.to_string())
            .copied()
    }

    pub fn condition(&self, id: &str) -> Option<&ConditionInfo> {
        self.stops.conditions.iter().find(|c| c.id == id)
    }

    pub fn condition_ids(&self) -> Vec<&str> {
        self.stops
            .conditions
            .iter()
            .map(|c| c.id.as_str())
            .collect()
    }

    pub fn stop_for(&self, minor: Minor) -> Option<&Stop> {
        self.stops
            .stops
            .iter()
            .find(|s| s.minor_parsed == Some(minor))
    }

    /// Patches to avoid that contain `v`.
    pub fn avoid_entries<'k>(
        &'k self,
        v: &semver::Version,
    ) -> impl Iterator<Item = &'k PatchToAvoid> {
        self.requirements
            .patches_to_avoid
            .iter()
            .zip(&self.avoid_reqs)
            .filter(move |(_, r)| r.matches(v))
            .map(|(p, _)| p)
    }

    pub fn os_entry(&self, distribution: &str, version: &str) -> Option<&OsEntry> {
        let want = normalise_os_version(version);
        self.os
            .systems
            .iter()
            .find(|e| e.distribution == distribution && normalise_os_version(&e.version) == want)
    }

    /// Distribution ids with their display names, in data order, without duplicates.
    pub fn distributions(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for e in &self.os.systems {
            if !out.iter().any(|(id, _)| *id == e.distribution) {
                out.push((&e.distribution, &e.name));
            }
        }
        out
    }

    pub fn postgresql_minimum(&self, major: u64) -> Option<&Minimum> {
        self.requirements
            .postgresql_minimums
            .iter()
            .find(|m| m.gitlab_major == major)
    }

    pub fn redis_minimum(&self, major: u64) -> Option<&Minimum> {
        self.requirements
            .redis_minimums
            .iter()
            .filter(|m| m.gitlab_major <= major)
            .max_by_key(|m| m.gitlab_major)
    }

    pub fn issue(&self, id: &str) -> Option<&KnownIssue> {
        self.known_issues.items.iter().find(|i| i.id == id)
    }
}

/// "22.04 (jammy)" -> "22.04"; "12.5" for SLES stays; lower case.
fn normalise_os_version(v: &str) -> String {
    v.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn read_override(name: &str, path: &Path) -> Result<(String, Header), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read data file: {e}", path.display()))?;
    let header: Header = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not a valid data file (line {}, column {}): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if header.schema_version != DATA_SCHEMA {
        return Err(format!(
            "{}: data format version {} is not supported (this build reads {DATA_SCHEMA})",
            path.display(),
            header.schema_version
        ));
    }
    // The whole file must parse as the right kind of data before it may replace the embedded one.
    let full = match name {
        "stops.json" => serde_json::from_str::<StopsData>(&text).map(|_| ()),
        "releases.json" => serde_json::from_str::<ReleasesData>(&text).map(|_| ()),
        "os.json" => serde_json::from_str::<OsData>(&text).map(|_| ()),
        "requirements.json" => serde_json::from_str::<RequirementsData>(&text).map(|_| ()),
        "known_issues.json" => serde_json::from_str::<KnownIssuesData>(&text).map(|_| ()),
        _ => Ok(()),
    };
    full.map_err(|e| {
        format!(
            "{}: not a valid {name} (line {}, column {}): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    Ok((text, header))
}

/// `$UPGRADE_PLANNER_DATA_DIR`, else `<config dir>/upgrade-planner/data`.
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    dirs::config_dir().map(|d| d.join("upgrade-planner").join("data"))
}

/// Human name of a component id used by the knowledge.
pub fn component_label(name: &str) -> &str {
    match name {
        "postgresql" => "PostgreSQL",
        "external_postgresql" => "external PostgreSQL",
        "patroni" => "Patroni (PostgreSQL HA)",
        "external_redis" => "external Redis",
        "redis" => "bundled Redis",
        "gitaly" => "Gitaly",
        "gitaly_cluster" => "Gitaly Cluster (Praefect)",
        "pgbouncer" => "PgBouncer",
        "container_registry" => "container registry",
        "elasticsearch" => "Elasticsearch/OpenSearch",
        "object_storage" => "object storage",
        "gitlab_runner" => "GitLab Runner",
        "ldap" => "LDAP",
        "gitlab_duo" => "GitLab Duo",
        "clickhouse" => "ClickHouse",
        "ci" => "CI/CD",
        "mattermost" => "bundled Mattermost",
        "single_node_bundled_postgresql" => "single node with bundled PostgreSQL",
        other => other,
    }
}

/// "ubuntu:20.04" -> "Ubuntu 20.04".
pub fn os_display(key: &str) -> String {
    let (dist, version) = key.split_once(':').unwrap_or((key, ""));
    let name = match dist {
        "ubuntu" => "Ubuntu",
        "debian" => "Debian",
        "sles" => "SLES",
        "opensuse_leap" => "openSUSE Leap",
        "rhel" => "RHEL",
        "almalinux" => "AlmaLinux",
        "oracle_linux" => "Oracle Linux",
        "amazon_linux" => "Amazon Linux",
        other => other,
    };
    format!("{name} {version}").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue_with(affects: &[&str]) -> KnownIssue {
        let mut k = Knowledge::embedded();
        let mut issue = k.known_issues.items.swap_remove(0);
        issue.affects = affects.iter().map(|a| a.to_string()).collect();
        issue.index();
        issue
    }

    #[test]
    fn the_floor_is_the_lowest_version_any_range_admits() {
        let floor = |affects: &[&str]| issue_with(affects).affects_floor.map(|v| v.to_string());
        assert_eq!(
            floor(&[">=17.1.0, <17.1.3", "=18.0.0"]),
            Some("17.1.0".into())
        );
        assert_eq!(floor(&[">=19.0.0"]), Some("19.0.0".into()));
        assert_eq!(floor(&["~16.4", ">=18.2.1"]), Some("16.4.0".into()));
        assert_eq!(floor(&["<17.0.0"]), None);
        assert_eq!(floor(&[">=18.0.0", "<17.0.0"]), None);
        assert_eq!(floor(&["*"]), None);
        assert_eq!(floor(&[">=19.0.0-rc1"]), None);
    }

    #[test]
    fn the_ceiling_is_the_first_version_above_every_range() {
        let ceiling = |affects: &[&str]| issue_with(affects).affects_ceiling.map(|v| v.to_string());
        assert_eq!(
            ceiling(&[">=17.1.0, <17.1.3", "=18.0.0"]),
            Some("18.0.1".into())
        );
        assert_eq!(ceiling(&["<17.1"]), Some("17.1.0".into()));
        assert_eq!(ceiling(&["<=17.1", "~16.4.2"]), Some("17.2.0".into()));
        assert_eq!(ceiling(&["=18"]), Some("19.0.0".into()));
        assert_eq!(ceiling(&[">=19.0.0"]), None);
        assert_eq!(ceiling(&["<17.0.0", ">=18.0.0"]), None);
        assert_eq!(ceiling(&["*"]), None);
    }

    /// The floor and ceiling only skip work: with and without them, every embedded issue
    /// matches the same versions.
    #[test]
    fn the_floor_never_changes_which_versions_an_issue_affects() {
        let k = Knowledge::embedded();
        let synthetic: Vec<KnownIssue> = [
            &["~16.4.2", "^18.1"][..],
            &["16.4.*", "<=17.1", "=18"],
            &[">=15.0.0, <15.4.6", ">17.3.1, <=17.3.5"],
            &["<16.0.0-rc1", ">=19.0.0-rc1"],
        ]
        .iter()
        .map(|a| issue_with(a))
        .collect();
        let mut checked = 0;
        for issue in k.known_issues.items.iter().chain(&synthetic) {
            for major in 12..=21 {
                for minor in 0..=11 {
                    for patch in [0, 1, 2, 3, 5, 8, 12] {
                        let v = semver::Version::new(major, minor, patch);
                        let plain = issue.affects_req.iter().any(|r| r.matches(&v));
                        assert_eq!(issue.affects_version(&v), plain, "{} at {v}", issue.id);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn embedded_data_parses_and_carries_sources() {
        let k = Knowledge::embedded();
        assert!(k.warnings.is_empty(), "{:?}", k.warnings);
        assert_eq!(k.sources.len(), 5);
        for s in &k.sources {
            assert_eq!(s.origin, "embedded");
            assert_eq!(s.retrieved_at.len(), 10, "{s:?}");
        }
        assert!(!k.stops.source.is_empty());
        assert!(!k.os.source.is_empty());
        assert!(!k.known_issues.source.is_empty());
        assert!(k.known_issues.items.len() >= 90);
        for i in &k.known_issues.items {
            assert_eq!(
                i.affects_req.len(),
                i.affects.len(),
                "unparsable range in {}",
                i.id
            );
        }
        for p in &k.requirements.patches_to_avoid {
            semver::VersionReq::parse(&p.versions).unwrap();
        }
    }

    #[test]
    fn parsed_forms_are_filled_when_the_data_loads() {
        let k = Knowledge::embedded();
        for s in &k.stops.stops {
            assert!(s.minor_parsed.is_some(), "{}", s.minor);
            assert_eq!(s.minor_parsed, Minor::parse(&s.minor));
        }
        for a in &k.requirements.bundled_postgresql_auto_upgrade {
            assert!(a.minor_parsed.is_some(), "{}", a.minor);
            assert_eq!(a.minor_parsed, Minor::parse(&a.minor));
        }
        for p in &k.requirements.patches_to_avoid {
            assert_eq!(p.only_before.is_some(), p.only_before_parsed.is_some());
        }
        let mut bounded = 0;
        let mut skips = 0;
        for i in &k.known_issues.items {
            assert_eq!(
                i.lower_bound().cloned(),
                i.compute_lower_bound(),
                "{}",
                i.id
            );
            bounded += usize::from(i.lower_bound().is_some());
            if let Some(r) = &i.requires {
                assert_eq!(
                    r.path_skips_minor.is_some(),
                    r.path_skips_minor_parsed.is_some()
                );
                skips += usize::from(r.path_skips_minor_parsed.is_some());
            }
        }
        assert!(bounded > 50, "{bounded} issues with a lower bound");
        assert!(skips > 0);
        assert_eq!(
            k.newest_known().to_string(),
            k.releases.newest_known.version
        );
    }

    #[test]
    fn latest_patches_come_from_the_release_data() {
        let k = Knowledge::embedded();
        assert_eq!(
            k.latest_patch(Minor::new(16, 3)).unwrap().to_string(),
            "16.3.9"
        );
        assert_eq!(
            k.latest_patch(Minor::new(18, 5)).unwrap().to_string(),
            "18.5.7"
        );
        assert_eq!(k.latest_patch(Minor::new(19, 5)), None);
        assert_eq!(k.newest_known().to_string(), "19.3.0");
        assert_eq!(k.last_minor_of(16), Some(11));
    }

    #[test]
    fn unverified_facts_stay_marked() {
        let k = Knowledge::embedded();
        let debian11 = k.os_entry("debian", "11").unwrap();
        assert!(!debian11.last_verified);
        let stop_19_5 = k.stop_for(Minor::new(19, 5)).unwrap();
        assert!(!stop_19_5.verified);
        let suse = k.issue("gl19-suse-support-ending").unwrap();
        assert!(!suse.verified);
        let pg18 = k.postgresql_minimum(18).unwrap();
        assert!(
            pg18.note
                .as_deref()
                .unwrap_or_default()
                .contains("UNVERIFIED")
        );
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn newer_override_replaces_embedded_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut releases: serde_json::Value =
            serde_json::from_str(include_str!("../assets/data/releases.json")).unwrap();
        releases["retrieved_at"] = "2099-01-01".into();
        releases["newest_known"]["version"] = "19.6.1".into();
        write(dir.path(), "releases.json", &releases.to_string());
        let k = Knowledge::load(Some(dir.path()));
        assert!(k.warnings.is_empty(), "{:?}", k.warnings);
        assert_eq!(k.newest_known().to_string(), "19.6.1");
        assert_eq!(k.data_date(), "2099-01-01");
        let src = k
            .sources
            .iter()
            .find(|s| s.file == "releases.json")
            .unwrap();
        assert!(src.origin.ends_with("releases.json"));
    }

    #[test]
    fn older_or_broken_override_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let mut os: serde_json::Value =
            serde_json::from_str(include_str!("../assets/data/os.json")).unwrap();
        os["retrieved_at"] = "2000-01-01".into();
        write(dir.path(), "os.json", &os.to_string());
        write(
            dir.path(),
            "stops.json",
            "{ \"schema_version\": 1, \"retrieved_at\": \"2099-01-01\", ",
        );
        let mut ki: serde_json::Value =
            serde_json::from_str(include_str!("../assets/data/known_issues.json")).unwrap();
        ki["retrieved_at"] = "2099-01-01".into();
        ki["items"] = "oops".into();
        write(dir.path(), "known_issues.json", &ki.to_string());
        let k = Knowledge::load(Some(dir.path()));
        assert_eq!(k.warnings.len(), 3, "{:?}", k.warnings);
        assert!(
            k.warnings
                .iter()
                .any(|w| w.contains("stops.json") && w.contains("line"))
        );
        assert!(
            k.warnings
                .iter()
                .any(|w| w.contains("os.json") && w.contains("not newer"))
        );
        assert!(k.warnings.iter().any(|w| w.contains("known_issues.json")));
        assert!(k.sources.iter().all(|s| s.origin == "embedded"));
        assert_eq!(k.stops.stops.len(), Knowledge::embedded().stops.stops.len());
    }
}
