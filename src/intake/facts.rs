//! Reads what the diagnostics script (`upgrade-planner diagnostics`, `assets/diagnostics.sh`)
//! prints: one `key: value` a line after the `upgrade_planner_facts: 1` marker, pasted alone
//! or among `gitlab:env:info` output, from one node or several.
//!
//! Only known keys with a value of the expected shape are taken (a number, a version, yes/no,
//! a Geo role, a date): nothing else of the paste can reach the plan.

use serde::Serialize;

use super::env_info::clean_line;
use crate::plan::{Edition, GitlabRbSettings};
use crate::version::parse_version;

/// The first line of the script's output; its number is the output's format.
pub const MARKER: &str = "upgrade_planner_facts";

/// The Geo role the script reports: `none` when Geo is not set up (or the edition has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GeoFact {
    None,
    Primary,
    Secondary,
}

/// Everything recognised in the script's output; a fact printed as `unknown` (or not at all)
/// stays `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// How many outputs of the script the paste holds (one per node it ran on).
    pub reports: usize,
    pub collected_on: Option<String>,
    /// The GitLab version as printed, e.g. `17.3.2-ee`.
    pub gitlab_version: Option<String>,
    pub edition: Option<Edition>,
    /// The PostgreSQL server version, e.g. `14.11`.
    pub postgresql_version: Option<String>,
    /// The Redis server version (from the server itself, not `redis-cli`).
    pub redis_version: Option<String>,
    pub users: Option<u64>,
    pub npm_packages: Option<u64>,
    pub ci_pipeline_messages_rows: Option<u64>,
    pub ci_pipeline_variables_rows: Option<u64>,
    pub geo_role: Option<GeoFact>,
    /// Whether gitlab.rb sets each setting: yes on any node wins.
    pub gitlab_rb: GitlabRbSettings,
}

/// Parse the script's output out of a paste. `None` when no `upgrade_planner_facts:` line is
/// there (the paste is something else).
pub fn parse(text: &str) -> Option<Facts> {
    let mut facts = Facts::default();
    for raw in text.lines() {
        let line = clean_line(raw);
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == MARKER {
            if value.starts_with(|c: char| c.is_ascii_digit()) {
                facts.reports += 1;
            }
            continue;
        }
        if facts.reports > 0 {
            read_fact(&mut facts, &key, value);
        }
    }
    (facts.reports > 0).then_some(facts)
}

/// Take one `key: value` line into `facts`. Several reports (nodes) merge: a count takes the
/// largest, a version the first one given, a gitlab.rb setting found on any node is there.
fn read_fact(facts: &mut Facts, key: &str, value: &str) {
    if let Some(setting) = key.strip_prefix("gitlab_rb_") {
        if let (Some(slot), Some(found)) = (facts.gitlab_rb.slot(setting), yes_no(value)) {
            *slot = Some(slot.unwrap_or(false) || found);
        }
        return;
    }
    let count = match key {
        "users_count" => Some(&mut facts.users),
        "npm_packages_count" => Some(&mut facts.npm_packages),
        "ci_pipeline_messages_rows" => Some(&mut facts.ci_pipeline_messages_rows),
        "ci_pipeline_variables_rows" => Some(&mut facts.ci_pipeline_variables_rows),
        _ => None,
    };
    if let Some(slot) = count {
        if let Some(n) = number(value) {
            *slot = Some(slot.map_or(n, |m| m.max(n)));
        }
        return;
    }
    match key {
        "gitlab_version" if facts.gitlab_version.is_none() => {
            facts.gitlab_version = parse_version(value).is_ok().then(|| value.to_string());
        }
        "gitlab_edition" if facts.edition.is_none() => {
            facts.edition = match value.to_ascii_lowercase().as_str() {
                "ee" => Some(Edition::Ee),
                "ce" => Some(Edition::Ce),
                _ => None,
            };
        }
        "postgresql_version" if facts.postgresql_version.is_none() => {
            facts.postgresql_version = dotted_version(value);
        }
        "redis_version" if facts.redis_version.is_none() => {
            facts.redis_version = dotted_version(value);
        }
        "geo_role" if facts.geo_role.is_none() => {
            facts.geo_role = match value.to_ascii_lowercase().as_str() {
                "none" => Some(GeoFact::None),
                "primary" => Some(GeoFact::Primary),
                "secondary" => Some(GeoFact::Secondary),
                _ => None,
            };
        }
        "collected_on" if facts.collected_on.is_none() => {
            facts.collected_on = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .map(|d| d.format("%Y-%m-%d").to_string());
        }
        _ => {}
    }
}

/// A whole number as the script prints it (`12345`); anything else is not a count.
fn number(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// `14.11`, `7.2.4`: digits and dots, starting with a digit, of a sane length. PostgreSQL may
/// print more after a space (`13.11 (Ubuntu 13.11-1)`): the first word counts.
fn dotted_version(value: &str) -> Option<String> {
    let word = value.split_whitespace().next()?;
    let ok = word.len() <= 16
        && word.starts_with(|c: char| c.is_ascii_digit())
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !word.ends_with('.');
    ok.then(|| word.to_string())
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// What the script prints on a single-node EE 16.0 instance with a few odd settings.
    pub(crate) const SINGLE_NODE: &str = "\
upgrade_planner_facts: 1
collected_on: 2026-11-20
gitlab_rb_git_data_dirs: yes
gitlab_rb_grafana: no
gitlab_rb_mattermost: no
gitlab_rb_spamcheck: no
gitlab_rb_patroni: no
gitlab_version: 16.0.8-ee
gitlab_edition: ee
postgresql_version: 13.11 (Ubuntu 13.11-1.pgdg22.04+1)
redis_version: 6.2.14
users_count: 41250
npm_packages_count: 0
ci_pipeline_messages_rows: 12000
ci_pipeline_variables_rows: 2400000
geo_role: none
";

    #[test]
    fn reads_every_fact() -> TestResult {
        let f = parse(SINGLE_NODE).ok_or("not recognised")?;
        assert_eq!(f.reports, 1);
        assert_eq!(f.collected_on.as_deref(), Some("2026-11-20"));
        assert_eq!(f.gitlab_version.as_deref(), Some("16.0.8-ee"));
        assert_eq!(f.edition, Some(Edition::Ee));
        assert_eq!(f.postgresql_version.as_deref(), Some("13.11"));
        assert_eq!(f.redis_version.as_deref(), Some("6.2.14"));
        assert_eq!(f.users, Some(41_250));
        assert_eq!(f.npm_packages, Some(0));
        assert_eq!(f.ci_pipeline_messages_rows, Some(12_000));
        assert_eq!(f.ci_pipeline_variables_rows, Some(2_400_000));
        assert_eq!(f.geo_role, Some(GeoFact::None));
        assert_eq!(f.gitlab_rb.git_data_dirs, Some(true));
        assert_eq!(f.gitlab_rb.grafana, Some(false));
        assert_eq!(f.gitlab_rb.patroni, Some(false));
        Ok(())
    }

    #[test]
    fn without_the_marker_nothing_is_read() {
        let without = SINGLE_NODE.replace("upgrade_planner_facts: 1\n", "");
        assert_eq!(parse(&without), None);
        assert_eq!(parse(""), None);
        // The marker needs its format number.
        assert_eq!(parse("upgrade_planner_facts: yes\nusers_count: 5\n"), None);
        // Lines before the marker are not facts.
        let f = parse("users_count: 99\nupgrade_planner_facts: 1\n");
        assert_eq!(f.map(|f| f.users), Some(None));
    }

    #[test]
    fn unknown_and_malformed_values_stay_unknown() -> TestResult {
        let text = "upgrade_planner_facts: 1\n\
            users_count: unknown\nnpm_packages_count: -3\nci_pipeline_messages_rows: 1.5e6\n\
            ci_pipeline_variables_rows: 12 345\ngitlab_version: latest\ngitlab_edition: ultimate\n\
            postgresql_version: unknown\nredis_version: 7.2.\ngeo_role: tertiary\n\
            gitlab_rb_grafana: unknown\ngitlab_rb_git_data_dirs: perhaps\ncollected_on: 2026-13-40\n\
            gitlab_rb_password: yes\nsecret_token: glpat-abcdefghijklmnopqrst\n";
        let f = parse(text).ok_or("not recognised")?;
        assert_eq!(
            f,
            Facts {
                reports: 1,
                ..Facts::default()
            }
        );
        Ok(())
    }

    #[test]
    fn several_nodes_merge_yes_wins_and_the_largest_count() -> TestResult {
        let rails = "upgrade_planner_facts: 1\ngitlab_rb_patroni: no\ngitlab_rb_grafana: no\n\
            users_count: 100\ngitlab_version: 17.3.2-ee\n";
        let database = "upgrade_planner_facts: 1\ngitlab_rb_patroni: yes\ngitlab_rb_grafana: no\n\
            users_count: unknown\ngitlab_version: 17.3.1-ee\n";
        let f = parse(&format!("{rails}\n{database}")).ok_or("not recognised")?;
        assert_eq!(f.reports, 2);
        assert_eq!(f.gitlab_rb.patroni, Some(true));
        assert_eq!(f.gitlab_rb.grafana, Some(false));
        assert_eq!(f.gitlab_rb.spamcheck, None);
        assert_eq!(f.users, Some(100));
        assert_eq!(f.gitlab_version.as_deref(), Some("17.3.2-ee"));
        Ok(())
    }

    #[test]
    fn prompts_colours_crlf_and_spaces_are_tolerated() -> TestResult {
        let messy: String = SINGLE_NODE
            .lines()
            .map(|l| format!("   \u{1b}[32m{}\u{1b}[0m\r\n", l.replace(": ", ":\t ")))
            .collect();
        let pasted = format!("root@gitlab:~# sudo bash facts.sh\r\n{messy}root@gitlab:~#\r\n");
        assert_eq!(parse(&pasted), parse(SINGLE_NODE));
        Ok(())
    }
}
