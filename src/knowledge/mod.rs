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

mod calendar;
mod data;
mod install;

pub use calendar::*;
pub use data::*;
pub use install::{DataCandidate, check_install, consistency_problems, install, read_candidate};

/// Environment variable that points at a directory of data files (used instead of the
/// config directory; handy for testing and for administrators who distribute data).
pub use crate::app_dirs::DATA_DIR_ENV;

/// Format version of the data files this build understands.
pub const DATA_SCHEMA: u32 = 1;

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
    ("stops.json", include_str!("../../assets/data/stops.json")),
    (
        "releases.json",
        include_str!("../../assets/data/releases.json"),
    ),
    ("os.json", include_str!("../../assets/data/os.json")),
    (
        "requirements.json",
        include_str!("../../assets/data/requirements.json"),
    ),
    (
        "known_issues.json",
        include_str!("../../assets/data/known_issues.json"),
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
        for r in requirements
            .postgresql_support
            .iter_mut()
            .chain(requirements.redis_support.iter_mut())
        {
            r.from_parsed = r.from.as_deref().and_then(Minor::parse);
            r.until_parsed = r.until.as_deref().and_then(Minor::parse);
            r.major = r.version.trim().parse().unwrap_or(0);
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

    /// Each data file with the sources it cites.
    pub fn citations(&self) -> [(&'static str, &str); 5] {
        [
            ("stops.json", self.stops.source.as_str()),
            ("releases.json", self.releases.source.as_str()),
            ("os.json", self.os.source.as_str()),
            ("requirements.json", self.requirements.source.as_str()),
            ("known_issues.json", self.known_issues.source.as_str()),
        ]
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
    let header = check_data_text(name, &text, &path.display().to_string())?;
    Ok((text, header))
}

/// A data file's text checked to be `name`'s kind of data in this build's format, the whole
/// of it parsed. `origin` names the file in messages.
fn check_data_text(name: &str, text: &str, origin: &str) -> Result<Header, String> {
    let header: Header = serde_json::from_str(text).map_err(|e| {
        format!(
            "{origin}: not a valid data file (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    if header.schema_version != DATA_SCHEMA {
        return Err(format!(
            "{origin}: data format version {} is not supported (this build reads {DATA_SCHEMA})",
            header.schema_version
        ));
    }
    // The whole file must parse as the right kind of data before it may replace the embedded one.
    let full = match name {
        "stops.json" => serde_json::from_str::<StopsData>(text).map(|_| ()),
        "releases.json" => serde_json::from_str::<ReleasesData>(text).map(|_| ()),
        "os.json" => serde_json::from_str::<OsData>(text).map(|_| ()),
        "requirements.json" => serde_json::from_str::<RequirementsData>(text).map(|_| ()),
        "known_issues.json" => serde_json::from_str::<KnownIssuesData>(text).map(|_| ()),
        _ => Ok(()),
    };
    full.map_err(|e| {
        format!(
            "{origin}: not a valid {name} (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    Ok(header)
}

/// `$UPGRADE_PLANNER_DATA_DIR`, else `<config dir>/upgrade-planner/data` (the folder for each
/// system is in [`crate::app_dirs`]).
pub fn default_data_dir() -> Option<PathBuf> {
    crate::app_dirs::current().data
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
        "local_file_storage" => "local file storage for blobs (no object storage)",
        "gitlab_runner" => "GitLab Runner",
        "ldap" => "LDAP",
        "gitlab_duo" => "GitLab Duo",
        "clickhouse" => "ClickHouse",
        "ci" => "CI/CD",
        "mattermost" => "bundled Mattermost",
        "single_node_bundled_postgresql" => "single node with bundled PostgreSQL",
        "git_data_dirs" => "git_data_dirs in gitlab.rb",
        "grafana" => "bundled Grafana keys in gitlab.rb",
        "spamcheck" => "bundled Spamcheck",
        other => other,
    }
}

/// What the reader is asked to check when the plan cannot tell whether a component or
/// feature is in use. The gitlab.rb settings read as the known issues word them.
pub fn feature_check(name: &str) -> String {
    match name {
        "git_data_dirs" => "gitlab.rb still uses git_data_dirs".to_string(),
        "grafana" => "gitlab.rb still references bundled Grafana keys".to_string(),
        "spamcheck" => "Bundled Spamcheck enabled".to_string(),
        "mattermost" => "bundled Mattermost used, or mattermost[...] keys in gitlab.rb".to_string(),
        other => format!("{} in use", component_label(other)),
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
        // The requirements table settled GitLab 18's minimum at 16.5 (dependency-compat.md);
        // PostgreSQL 14 with GitLab 15.x stands only on a footnote.
        let pg18 = k.postgresql_minimum(18).unwrap();
        assert_eq!((pg18.minimum.as_str(), pg18.verified), ("16.5", true));
        let pg14 = k
            .requirements
            .postgresql_support
            .iter()
            .find(|r| r.major == 14)
            .unwrap();
        assert!(!pg14.verified);
        assert!(
            pg14.note
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
            serde_json::from_str(include_str!("../../assets/data/releases.json")).unwrap();
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
            serde_json::from_str(include_str!("../../assets/data/os.json")).unwrap();
        os["retrieved_at"] = "2000-01-01".into();
        write(dir.path(), "os.json", &os.to_string());
        write(
            dir.path(),
            "stops.json",
            "{ \"schema_version\": 1, \"retrieved_at\": \"2099-01-01\", ",
        );
        let mut ki: serde_json::Value =
            serde_json::from_str(include_str!("../../assets/data/known_issues.json")).unwrap();
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
