//! Reads `gitlab-rake gitlab:env:info` output as people paste it (tabs or spaces, CRLF, shell
//! prompts around it, colour codes) and turns what it recognises into plan answers.
//!
//! The output has four sections: `System information`, `GitLab information`, `GitLab Shell`
//! and `Gitaly`. Lines are `Label:` followed by tabs or spaces and a value; a few labels have no
//! separator at all (`Bundler Version:2.6.9`). `Version:` appears in two sections, so it is read
//! by section. Lines the parser does not know are skipped.

use std::fmt;

use serde::Serialize;

use crate::plan::{
    Edition, Geo, GeoRole, Gitaly, GitalyMode, GitalyStorage, InstallMethod, OpenAnswer, Os, Plan,
    Postgresql, Redis, Topology, Versions,
};
use crate::version::parse_version;

pub use super::{FilledField, Prefill};

/// Everything recognised in one `gitlab:env:info` paste; anything missing stays `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnvInfo {
    /// The GitLab version as printed, e.g. `15.5.5-ee`.
    pub gitlab_version: Option<String>,
    /// EE when the version has an `-ee` suffix or EE-only lines are present, CE for a bare
    /// version without EE-only lines.
    pub edition: Option<Edition>,
    /// The `System:` value, e.g. `Ubuntu 24.04`; `None` when empty or `unknown`.
    pub system: Option<String>,
    /// The `Redis Version:` value (the version of `redis-cli` on the Rails node).
    pub redis_version: Option<String>,
    pub db_adapter: Option<String>,
    /// The database server version, e.g. `16.8`.
    pub db_version: Option<String>,
    pub url: Option<String>,
    pub using_ldap: Option<bool>,
    /// Whether Elasticsearch indexing is on (EE only).
    pub elasticsearch: Option<bool>,
    /// Whether Geo is enabled (EE only).
    pub geo_enabled: Option<bool>,
    /// From `Geo node: Primary|Secondary`.
    pub geo_role: Option<GeoRole>,
    /// Repository storages with their Gitaly address and Gitaly version, in output order.
    pub storages: Vec<GitalyStorage>,
    /// The GitLab Shell version.
    pub shell_version: Option<String>,
    /// The Rails directory (`Directory:` under GitLab information), which tells how GitLab is
    /// installed: `/opt/gitlab/...` for the Linux package, `/srv/gitlab` for the Helm chart's
    /// images, `/home/git/gitlab` for a source install.
    pub directory: Option<String>,
}

/// Why a paste was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvInfoError {
    /// Neither a section header nor a GitLab `Version:` line was found.
    NotEnvInfo,
}

impl fmt::Display for EnvInfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvInfoError::NotEnvInfo => write!(
                f,
                "this does not look like `gitlab-rake gitlab:env:info` output: expected section \
                 headers such as `GitLab information` and lines such as `Version: 17.1.1-ee`"
            ),
        }
    }
}

impl std::error::Error for EnvInfoError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any header (a partial paste).
    Unknown,
    System,
    GitLab,
    Shell,
    Gitaly,
    /// A header this parser does not read (very old `Gitolite information`).
    Other,
}

/// Parse pasted `gitlab:env:info` output.
pub fn parse(text: &str) -> Result<EnvInfo, EnvInfoError> {
    let mut info = EnvInfo::default();
    let mut section = Section::Unknown;
    let mut saw_header = false;
    let mut ee_only_lines = false;

    for raw in text.lines() {
        let line = clean_line(raw);
        if line.is_empty() {
            continue;
        }
        if let Some(s) = section_header(&line) {
            section = s;
            saw_header = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix('-') {
            read_storage_line(&mut info, section, rest.trim_start());
            continue;
        }
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        let label = label.trim().to_ascii_lowercase();
        let value = value.trim();
        match label.as_str() {
            "version" => match section {
                Section::GitLab => {
                    info.gitlab_version = version_token(value).or(info.gitlab_version.take());
                }
                Section::Unknown if info.gitlab_version.is_none() => {
                    info.gitlab_version = version_token(value);
                }
                Section::Shell => info.shell_version = known(value),
                _ => {}
            },
            "directory" if matches!(section, Section::GitLab | Section::Unknown) => {
                info.directory = known(value);
            }
            "system" => info.system = known(value),
            "proxy" => ee_only_lines = true,
            "redis version" => info.redis_version = known(value),
            "db adapter" => info.db_adapter = known(value),
            "db version" => info.db_version = known(value),
            "url" => info.url = known(value),
            "using ldap" => info.using_ldap = yes_no(value),
            "elasticsearch" => {
                ee_only_lines = true;
                info.elasticsearch = yes_no(value);
            }
            "geo" => {
                ee_only_lines = true;
                info.geo_enabled = yes_no(value);
            }
            "geo node" => {
                ee_only_lines = true;
                info.geo_role = match value.to_ascii_lowercase().as_str() {
                    "primary" => Some(GeoRole::Primary),
                    "secondary" => Some(GeoRole::Secondary),
                    _ => None,
                };
            }
            _ => {}
        }
    }

    // `Geo node:` is printed only when Geo is enabled.
    if info.geo_enabled.is_none() && info.geo_role.is_some() {
        info.geo_enabled = Some(true);
    }
    info.edition = match info.gitlab_version.as_deref().and_then(suffix_edition) {
        Some(e) => Some(e),
        None if ee_only_lines => Some(Edition::Ee),
        None if info.gitlab_version.is_some() => Some(Edition::Ce),
        None => None,
    };

    if (!saw_header && info.gitlab_version.is_none()) || info == EnvInfo::default() {
        return Err(EnvInfoError::NotEnvInfo);
    }
    Ok(info)
}

/// Drop colour escapes, surrounding whitespace and `>` quote markers.
pub(crate) fn clean_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip an escape sequence such as `ESC[33m`, up to its final letter.
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out.trim().trim_start_matches('>').trim().to_string()
}

fn section_header(line: &str) -> Option<Section> {
    let name = line.trim_end_matches(':').trim().to_ascii_lowercase();
    match name.as_str() {
        "system information" => Some(Section::System),
        "gitlab information" => Some(Section::GitLab),
        "gitlab shell" => Some(Section::Shell),
        "gitaly" => Some(Section::Gitaly),
        "gitolite information" => Some(Section::Other),
        _ => None,
    }
}

/// `- <storage> Address: ...`, `- <storage> Version: ...`, `- <storage> Git Version: ...` in the
/// Gitaly section, and `- <storage>: <address or path>` under the GitLab Shell storage heading.
fn read_storage_line(info: &mut EnvInfo, section: Section, rest: &str) {
    let Some((label, value)) = rest.split_once(':') else {
        return;
    };
    let label = label.trim();
    let value = value.trim();
    let lower = label.to_ascii_lowercase();
    if lower.ends_with(" git version") {
        return;
    }
    if let Some(name) = strip_suffix_ci(label, &lower, " version") {
        if let Some(version) = known(value) {
            storage_mut(info, name).version = Some(version);
        }
    } else if let Some(name) = strip_suffix_ci(label, &lower, " address") {
        if let Some(address) = known(value) {
            storage_mut(info, name).address = Some(address);
        }
    } else if section == Section::Shell && !label.is_empty() && !label.contains(char::is_whitespace)
    {
        let storage = storage_mut(info, label);
        if storage.address.is_none() && is_gitaly_address(value) {
            storage.address = Some(value.to_string());
        }
    }
}

fn strip_suffix_ci<'a>(label: &'a str, lower: &str, suffix: &str) -> Option<&'a str> {
    if lower.ends_with(suffix) {
        let name = label.get(..label.len() - suffix.len())?.trim();
        (!name.is_empty()).then_some(name)
    } else {
        None
    }
}

fn storage_mut<'a>(info: &'a mut EnvInfo, name: &str) -> &'a mut GitalyStorage {
    let index = match info.storages.iter().position(|s| s.name == name) {
        Some(i) => i,
        None => {
            info.storages.push(GitalyStorage {
                name: name.to_string(),
                ..GitalyStorage::default()
            });
            info.storages.len() - 1
        }
    };
    &mut info.storages[index]
}

fn is_gitaly_address(value: &str) -> bool {
    ["unix:", "tcp://", "tls://", "dns:"]
        .iter()
        .any(|p| value.starts_with(p))
}

/// The value unless it is empty or `unknown`.
fn known(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && !v.eq_ignore_ascii_case("unknown")).then(|| v.to_string())
}

/// The first word of a `Version:` value when it looks like a version number.
fn version_token(value: &str) -> Option<String> {
    let token = value.split_whitespace().next()?;
    (token.starts_with(|c: char| c.is_ascii_digit()) && token.contains('.'))
        .then(|| token.to_string())
}

fn suffix_edition(version: &str) -> Option<Edition> {
    if let Ok(v) = parse_version(version) {
        return v.edition;
    }
    let lower = version.to_ascii_lowercase();
    if lower.contains("-ee") || lower.contains("+ee") {
        Some(Edition::Ee)
    } else if lower.contains("-ce") || lower.contains("+ce") {
        Some(Edition::Ce)
    } else {
        None
    }
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "enabled" => Some(true),
        "no" | "false" | "disabled" => Some(false),
        _ => None,
    }
}

fn yes_no_text(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// Map a `System:` value to a plan distribution id and version. Values come from
/// `lsb_release -irs` ("Ubuntu 24.04", "RedHatEnterprise 9.4", "OracleServer 8.9") or from
/// `/etc/system-release` ("AlmaLinux release 9.3 (Shamrock Pika)").
fn os_from_system(system: &str) -> Option<(&'static str, String)> {
    let tokens: Vec<&str> = system.split_whitespace().collect();
    let at = tokens
        .iter()
        .position(|t| t.starts_with(|c: char| c.is_ascii_digit()))?;
    let name: String = tokens
        .get(..at)?
        .iter()
        .filter(|t| !t.eq_ignore_ascii_case("release"))
        .flat_map(|t| t.chars())
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let numbers = leading_numbers(tokens.get(at)?);
    let major = numbers.first()?.clone();
    if major.len() > 4 {
        return None;
    }
    let major_minor = || {
        numbers
            .get(1)
            .map(|minor| format!("{major}.{minor}"))
            .unwrap_or_else(|| major.clone())
    };
    let found = match name.as_str() {
        "ubuntu" => ("ubuntu", format!("{major}.{}", numbers.get(1)?)),
        "debian" | "debiangnulinux" => ("debian", major.clone()),
        n if n == "rhel" || n.starts_with("redhatenterprise") => ("rhel", major.clone()),
        "almalinux" => ("almalinux", major.clone()),
        "centos" | "centoslinux" => ("centos", major.clone()),
        "amazon" | "amazonlinux" => ("amazon_linux", major.clone()),
        "ol" | "oracle" | "oraclelinux" | "oracleserver" | "oraclelinuxserver" => {
            ("oracle_linux", major.clone())
        }
        "opensuse" | "opensuseleap" => ("opensuse_leap", major_minor()),
        "sles" | "sle" | "suse" | "suselinux" | "suselinuxenterpriseserver" => {
            ("sles", major.clone())
        }
        "scientific" | "scientificlinux" => ("scientific_linux", major.clone()),
        _ => return None,
    };
    Some(found)
}

/// `9.4` -> ["9", "4"]; `7.9.2009` -> ["7", "9", "2009"]; `15-SP5` -> ["15"].
fn leading_numbers(token: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in token.split('.') {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        let whole = digits.len() == part.len();
        out.push(digits);
        if !whole {
            break;
        }
    }
    out
}

fn is_remote(storage: &GitalyStorage) -> bool {
    storage.is_remote()
        || storage
            .address
            .as_deref()
            .is_some_and(|a| a.starts_with("dns:"))
}

impl EnvInfo {
    /// The running version without edition suffix, e.g. `15.5.5`.
    pub fn current_version(&self) -> Option<String> {
        let v = parse_version(self.gitlab_version.as_deref()?).ok()?;
        Some(v.to_string())
    }

    /// Remote storages mean external Gitaly; only unix sockets mean Gitaly on this node.
    /// Gitaly Cluster (Praefect) looks like any remote storage, so it is never returned.
    pub fn gitaly_mode(&self) -> Option<GitalyMode> {
        if self.storages.is_empty() {
            None
        } else if self.storages.iter().any(is_remote) {
            Some(GitalyMode::Sharded)
        } else if self
            .storages
            .iter()
            .all(|s| s.address.as_deref().is_some_and(|a| a.starts_with("unix:")))
        {
            Some(GitalyMode::Bundled)
        } else {
            None
        }
    }

    /// A fresh plan filled with what env-info tells.
    pub fn to_plan(&self) -> Prefill {
        let mut plan = Plan::default();
        let filled = self.apply_to(&mut plan);
        Prefill { plan, filled }
    }

    /// Fill what env-info tells into `plan`, leaving every other field alone. A plan that says
    /// Gitaly Cluster keeps that answer when the storages are remote.
    pub fn apply_to(&self, plan: &mut Plan) -> Vec<FilledField> {
        let mut filled = Vec::new();
        let mut note = |field: &str, value: String| {
            filled.push(FilledField {
                field: field.to_string(),
                value,
            });
        };

        if let Some(current) = self.current_version() {
            versions(plan).current = Some(current.clone());
            note("versions.current", current);
        }
        if let Some(edition) = self.edition {
            versions(plan).edition = Some(edition.into());
            note("versions.edition", edition.label().to_string());
        }
        // An answer the user gave is not overridden by a guess from a path.
        if let Some((method, text)) = self.install_method() {
            let install = plan.install.get_or_insert_with(Default::default);
            if install.method.is_none() {
                install.method = Some(method.into());
                note("install.method", text.to_string());
            }
        }

        if let Some((distribution, version)) = self.system.as_deref().and_then(os_from_system) {
            let os = plan.os.get_or_insert_with(Os::default);
            os.distribution = Some(distribution.to_string());
            os.version = Some(version.clone());
            note("os.distribution", distribution.to_string());
            note("os.version", version);
        }

        let is_postgres = self
            .db_adapter
            .as_deref()
            .is_none_or(|a| a.to_ascii_lowercase().contains("postgres"));
        if let (true, Some(db)) = (is_postgres, self.db_version.as_deref()) {
            let version = db.split_whitespace().next().unwrap_or(db).to_string();
            topology(plan)
                .postgresql
                .get_or_insert_with(Postgresql::default)
                .version = Some(version.clone());
            note("topology.postgresql.version", version);
        }
        if let Some(redis) = &self.redis_version {
            topology(plan)
                .redis
                .get_or_insert_with(Redis::default)
                .version = Some(redis.clone());
            note("topology.redis.version", redis.clone());
        }

        if !self.storages.is_empty() {
            topology(plan)
                .gitaly
                .get_or_insert_with(Gitaly::default)
                .storages = self.storages.clone();
            let listed: Vec<String> = self.storages.iter().map(GitalyStorage::describe).collect();
            note("topology.gitaly.storages", listed.join(", "));
        }
        if let Some(mode) = self.gitaly_mode() {
            let gitaly = topology(plan).gitaly.get_or_insert_with(Gitaly::default);
            // A guess from the storages' addresses does not replace Gitaly Cluster, nor a
            // mode this version does not know (the file's author knew better).
            let keep = (mode == GitalyMode::Sharded
                && gitaly.mode.known() == Some(GitalyMode::Cluster))
                || gitaly.mode.unknown().is_some();
            if !keep {
                gitaly.mode = Some(mode.into());
                let text = match mode {
                    GitalyMode::Bundled => "bundled (Gitaly on the GitLab node)",
                    GitalyMode::Sharded => "sharded (Gitaly on other nodes)",
                    GitalyMode::Cluster => "Gitaly Cluster",
                };
                note("topology.gitaly.mode", text.to_string());
            }
        }

        if let Some(es) = self.elasticsearch {
            topology(plan).elasticsearch = Some(es);
            note("topology.elasticsearch", yes_no_text(es));
        }
        if let Some(ldap) = self.using_ldap {
            topology(plan).ldap = Some(ldap);
            note("topology.ldap", yes_no_text(ldap));
        }

        if let Some(enabled) = self.geo_enabled {
            plan.geo.get_or_insert_with(Geo::default).enabled = Some(enabled);
            note("geo.enabled", yes_no_text(enabled));
        }
        if let Some(role) = self.geo_role {
            plan.geo.get_or_insert_with(Geo::default).site_role = Some(role.into());
            let text = match role {
                GeoRole::Primary => "primary",
                GeoRole::Secondary => "secondary",
            };
            note("geo.site_role", text.to_string());
        }

        filled
    }
}

impl EnvInfo {
    /// The installation method the Rails directory points to, with the note the user needs:
    /// the official Docker image runs the Linux package, so its directory is the same.
    pub fn install_method(&self) -> Option<(InstallMethod, &'static str)> {
        let dir = self.directory.as_deref()?;
        if dir.starts_with("/opt/gitlab/") || dir == "/opt/gitlab" {
            Some((
                InstallMethod::LinuxPackage,
                "Linux package (from /opt/gitlab; the Docker image has the same path: choose Docker if GitLab runs in a container)",
            ))
        } else if dir.starts_with("/srv/gitlab") {
            Some((
                InstallMethod::HelmChart,
                "Helm chart (from /srv/gitlab, the path in its images; choose the GitLab Operator if it deploys them)",
            ))
        } else if dir.starts_with("/home/git/gitlab") {
            Some((
                InstallMethod::SelfCompiled,
                "Self-compiled (from /home/git/gitlab)",
            ))
        } else {
            None
        }
    }
}

fn versions(plan: &mut Plan) -> &mut Versions {
    plan.versions.get_or_insert_with(Versions::default)
}

fn topology(plan: &mut Plan) -> &mut Topology {
    plan.topology.get_or_insert_with(Topology::default)
}

#[cfg(test)]
mod tests;
