//! Tests of the `gitlab:env:info` parser on the real samples in `tests/fixtures/env_info/`.

use super::*;
use crate::plan::{InstallMethod, TopologyKind};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DOCS_EE: &str =
    include_str!("../../../tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt");
const GRAFANA_CE: &str = include_str!(
    "../../../tests/fixtures/env_info/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
);
const BLOG_CE: &str =
    include_str!("../../../tests/fixtures/env_info/blog_17.1.1-ce_empty-system_tabs.txt");
const GITLAB_CHECK: &str =
    include_str!("../../../tests/fixtures/env_info/gitlab_check_docs_sample.txt");

fn filled_value<'a>(filled: &'a [FilledField], field: &str) -> Option<&'a str> {
    filled
        .iter()
        .find(|f| f.field == field)
        .map(|f| f.value.as_str())
}

#[test]
fn docs_sample_ee_with_two_storages() -> TestResult {
    let info = parse(DOCS_EE)?;
    assert_eq!(info.gitlab_version.as_deref(), Some("15.5.5-ee"));
    assert_eq!(info.edition, Some(Edition::Ee));
    assert_eq!(info.db_version.as_deref(), Some("13.8"));
    assert_eq!(info.db_adapter.as_deref(), Some("PostgreSQL"));
    assert_eq!(info.system.as_deref(), Some("Ubuntu 20.04"));
    assert_eq!(info.redis_version.as_deref(), Some("6.2.7"));
    assert_eq!(info.shell_version.as_deref(), Some("14.12.0"));
    assert_eq!(
        info.url.as_deref(),
        Some("https://app.gitaly.gcp.gitlabsandbox.net")
    );
    assert_eq!(info.elasticsearch, Some(false));
    assert_eq!(info.geo_enabled, Some(false));
    assert_eq!(info.geo_role, None);
    assert_eq!(info.using_ldap, Some(false));

    let names: Vec<&str> = info.storages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["default", "gitaly"]);
    assert_eq!(
        info.storages[0].address.as_deref(),
        Some("unix:/var/opt/gitlab/gitaly/gitaly.socket")
    );
    assert_eq!(
        info.storages[1].address.as_deref(),
        Some("tcp://10.128.20.6:2305")
    );
    assert!(
        info.storages
            .iter()
            .all(|s| s.version.as_deref() == Some("15.5.5"))
    );
    assert_eq!(info.gitaly_mode(), Some(GitalyMode::Sharded));
    Ok(())
}

#[test]
fn docs_sample_fills_the_plan() -> TestResult {
    let prefill = parse(DOCS_EE)?.to_plan();
    let plan = &prefill.plan;
    let versions = plan.versions.as_ref().ok_or("missing")?;
    assert_eq!(versions.current.as_deref(), Some("15.5.5"));
    assert_eq!(versions.edition, Some(Edition::Ee.into()));
    let os = plan.os.as_ref().ok_or("missing")?;
    assert_eq!(os.distribution.as_deref(), Some("ubuntu"));
    assert_eq!(os.version.as_deref(), Some("20.04"));
    let topo = plan.topology.as_ref().ok_or("missing")?;
    assert_eq!(
        topo.postgresql
            .as_ref()
            .ok_or("missing")?
            .version
            .as_deref(),
        Some("13.8")
    );
    assert_eq!(topo.pg_mode(), None);
    assert_eq!(
        topo.redis.as_ref().ok_or("missing")?.version.as_deref(),
        Some("6.2.7")
    );
    assert_eq!(topo.gitaly_mode(), Some(GitalyMode::Sharded));
    assert_eq!(topo.gitaly.as_ref().ok_or("missing")?.storages.len(), 2);
    assert_eq!(topo.elasticsearch, Some(false));
    assert_eq!(topo.ldap, Some(false));
    assert_eq!(plan.geo_enabled(), Some(false));
    // `Directory: /opt/gitlab/...`: the Linux package (or its Docker image, said in the note).
    assert_eq!(plan.method(), Some(InstallMethod::LinuxPackage));
    assert!(filled_value(&prefill.filled, "install.method").is_some_and(|v| v.contains("Docker")));
    assert_eq!(
        filled_value(&prefill.filled, "topology.gitaly.storages"),
        Some(
            "default (unix:/var/opt/gitlab/gitaly/gitaly.socket), gitaly (tcp://10.128.20.6:2305)"
        )
    );
    assert_eq!(
        filled_value(&prefill.filled, "versions.current"),
        Some("15.5.5")
    );
    // Every filled field is listed once.
    let mut fields: Vec<&str> = prefill.filled.iter().map(|f| f.field.as_str()).collect();
    let count = fields.len();
    fields.sort_unstable();
    fields.dedup();
    assert_eq!(fields.len(), count);
    assert!(!fields.contains(&"geo.site_role"));
    Ok(())
}

#[test]
fn grafana_sample_ce_with_tabs() -> TestResult {
    let info = parse(GRAFANA_CE)?;
    assert_eq!(info.gitlab_version.as_deref(), Some("18.1.2"));
    assert_eq!(info.edition, Some(Edition::Ce));
    assert_eq!(info.db_version.as_deref(), Some("16.8"));
    assert_eq!(info.system.as_deref(), Some("Ubuntu 24.04"));
    assert_eq!(info.url.as_deref(), Some("http://gitlab.example.com"));
    assert_eq!(info.shell_version.as_deref(), Some("14.42.0"));
    assert_eq!(info.elasticsearch, None);
    assert_eq!(info.geo_enabled, None);
    assert_eq!(info.storages.len(), 1);
    assert_eq!(info.storages[0].name, "default");
    assert_eq!(info.storages[0].version.as_deref(), Some("18.1.2"));

    let prefill = info.to_plan();
    let os = prefill.plan.os.as_ref().ok_or("missing")?;
    assert_eq!(os.distribution.as_deref(), Some("ubuntu"));
    assert_eq!(os.version.as_deref(), Some("24.04"));
    assert_eq!(
        prefill
            .plan
            .topology
            .as_ref()
            .ok_or("missing")?
            .gitaly_mode(),
        Some(GitalyMode::Bundled)
    );
    assert_eq!(prefill.plan.geo, None);
    assert_eq!(
        filled_value(&prefill.filled, "versions.edition"),
        Some("Community Edition (CE)")
    );
    Ok(())
}

#[test]
fn blog_sample_with_empty_system() -> TestResult {
    let info = parse(BLOG_CE)?;
    assert_eq!(info.gitlab_version.as_deref(), Some("17.1.1"));
    assert_eq!(info.edition, Some(Edition::Ce));
    assert_eq!(info.db_version.as_deref(), Some("14.11"));
    assert_eq!(info.system, None);
    assert_eq!(info.redis_version.as_deref(), Some("7.0.15"));
    assert_eq!(
        info.storages[0].address.as_deref(),
        Some("unix://var/opt/gitlab/gitaly/gitaly.socket")
    );

    let prefill = info.to_plan();
    assert_eq!(prefill.plan.os, None);
    assert!(!prefill.filled.iter().any(|f| f.field.starts_with("os.")));
    assert_eq!(
        prefill
            .plan
            .topology
            .as_ref()
            .ok_or("missing")?
            .gitaly_mode(),
        Some(GitalyMode::Bundled)
    );
    assert_eq!(
        prefill
            .plan
            .versions
            .as_ref()
            .ok_or("missing")?
            .current
            .as_deref(),
        Some("17.1.1")
    );
    Ok(())
}

#[test]
fn crlf_line_endings_give_the_same_result() -> TestResult {
    for sample in [DOCS_EE, GRAFANA_CE, BLOG_CE] {
        let crlf = sample.replace('\n', "\r\n");
        assert!(crlf.contains("\r\n"));
        assert_eq!(parse(&crlf)?, parse(sample)?);
    }
    Ok(())
}

#[test]
fn tabs_turned_into_spaces_give_the_same_result() -> TestResult {
    for sample in [GRAFANA_CE, BLOG_CE] {
        let spaces = sample.replace('\t', "    ");
        assert!(!spaces.contains('\t'));
        assert_eq!(parse(&spaces)?, parse(sample)?);
    }
    Ok(())
}

#[test]
fn shell_prompts_and_indentation_are_ignored() -> TestResult {
    let indented: String = GRAFANA_CE.lines().map(|l| format!("    {l}\n")).collect();
    let pasted =
        format!("root@gitlab:~# sudo gitlab-rake gitlab:env:info\n{indented}root@gitlab:~#\n");
    assert_eq!(parse(&pasted)?, parse(GRAFANA_CE)?);

    let dollar = format!("$ sudo gitlab-rake gitlab:env:info\n\n{DOCS_EE}\n$ \n");
    assert_eq!(parse(&dollar)?, parse(DOCS_EE)?);
    Ok(())
}

#[test]
fn colour_codes_are_stripped() -> TestResult {
    let coloured = GRAFANA_CE
        .replace(
            "GitLab information",
            "\u{1b}[33mGitLab information\u{1b}[0m",
        )
        .replace("Using LDAP:\tno", "Using LDAP:\t\u{1b}[32myes\u{1b}[0m");
    let info = parse(&coloured)?;
    assert_eq!(info.gitlab_version.as_deref(), Some("18.1.2"));
    assert_eq!(info.using_ldap, Some(true));
    Ok(())
}

#[test]
fn geo_secondary() -> TestResult {
    let text = DOCS_EE.replace(
        "Geo:            no",
        "Geo:            yes\nGeo node:       Secondary",
    );
    assert_ne!(text, DOCS_EE);
    let info = parse(&text)?;
    assert_eq!(info.geo_enabled, Some(true));
    assert_eq!(info.geo_role, Some(GeoRole::Secondary));

    let prefill = info.to_plan();
    let geo = prefill.plan.geo.as_ref().ok_or("missing")?;
    assert_eq!(geo.enabled, Some(true));
    assert_eq!(geo.site_role, Some(GeoRole::Secondary.into()));
    assert_eq!(
        filled_value(&prefill.filled, "geo.site_role"),
        Some("secondary")
    );
    Ok(())
}

#[test]
fn geo_node_line_alone_means_geo_enabled() -> TestResult {
    let text = DOCS_EE.replace("Geo:            no", "Geo node:       Primary");
    let info = parse(&text)?;
    assert_eq!(info.geo_enabled, Some(true));
    assert_eq!(info.geo_role, Some(GeoRole::Primary));
    Ok(())
}

#[test]
fn storages_from_the_shell_section_when_gitaly_is_missing() -> TestResult {
    // Older output lists storage paths, which are not Gitaly addresses.
    let (without_gitaly, _) = DOCS_EE.split_once("Gitaly\n").ok_or("no Gitaly section")?;
    let info = parse(without_gitaly)?;
    let names: Vec<&str> = info.storages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["default", "gitaly"]);
    assert!(info.storages.iter().all(|s| s.address.is_none()));
    assert_eq!(info.gitaly_mode(), None);

    // Newer output lists addresses there.
    let (without_gitaly, _) = GRAFANA_CE
        .split_once("Gitaly\n")
        .ok_or("no Gitaly section")?;
    let info = parse(without_gitaly)?;
    assert_eq!(
        info.storages[0].address.as_deref(),
        Some("unix:/var/opt/gitlab/gitaly/gitaly.socket")
    );
    assert_eq!(info.storages[0].version, None);
    assert_eq!(info.gitaly_mode(), Some(GitalyMode::Bundled));
    Ok(())
}

#[test]
fn ee_only_lines_mean_ee_even_without_suffix() -> TestResult {
    let text = GRAFANA_CE.replace(
        "Using LDAP:",
        "Elasticsearch:\tno\nGeo:\t\tyes\nGeo node:\tPrimary\nUsing LDAP:",
    );
    let info = parse(&text)?;
    assert_eq!(info.edition, Some(Edition::Ee));
    assert_eq!(info.geo_role, Some(GeoRole::Primary));
    assert_eq!(info.elasticsearch, Some(false));
    Ok(())
}

#[test]
fn version_is_read_by_section() -> TestResult {
    // Only the GitLab Shell part: its `Version:` is not the GitLab version.
    let info = parse("GitLab Shell\nVersion:\t14.42.0\n")?;
    assert_eq!(info.gitlab_version, None);
    assert_eq!(info.shell_version.as_deref(), Some("14.42.0"));
    assert_eq!(info.edition, None);

    // Without headers, the first `Version:` is taken as GitLab's.
    let info = parse("Version:\t16.3.4-ee\nDB Version:\t13.11\n")?;
    assert_eq!(info.gitlab_version.as_deref(), Some("16.3.4-ee"));
    assert_eq!(info.edition, Some(Edition::Ee));
    assert_eq!(info.db_version.as_deref(), Some("13.11"));
    Ok(())
}

#[test]
fn text_that_is_not_env_info_is_rejected() -> TestResult {
    for text in [
        GITLAB_CHECK,
        "",
        "   \n\n",
        "We upgraded last year and the password reset worked fine.\nNothing else to report.",
        "Gitaly\n",
        "Version: latest\nURL: https://gitlab.example.com",
    ] {
        assert_eq!(parse(text), Err(EnvInfoError::NotEnvInfo), "{text:?}");
    }
    let message = EnvInfoError::NotEnvInfo.to_string();
    assert!(message.contains("gitlab:env:info"), "{message}");
    assert!(message.contains("Version:"), "{message}");
    Ok(())
}

#[test]
fn recognises_operating_systems() -> TestResult {
    for (system, expected) in [
        ("Ubuntu 24.04", Some(("ubuntu", "24.04"))),
        ("Ubuntu 22.04.4 LTS", Some(("ubuntu", "22.04"))),
        ("Debian GNU/Linux 12", Some(("debian", "12"))),
        ("Debian 12", Some(("debian", "12"))),
        ("Debian 11.9", Some(("debian", "11"))),
        ("Red Hat Enterprise Linux 9.4", Some(("rhel", "9"))),
        ("RedHatEnterprise 8.10", Some(("rhel", "8"))),
        (
            "Red Hat Enterprise Linux release 9.4 (Plow)",
            Some(("rhel", "9")),
        ),
        ("RHEL 9", Some(("rhel", "9"))),
        ("AlmaLinux 9.3", Some(("almalinux", "9"))),
        ("CentOS 7", Some(("centos", "7"))),
        (
            "CentOS Linux release 7.9.2009 (Core)",
            Some(("centos", "7")),
        ),
        ("Amazon Linux 2023", Some(("amazon_linux", "2023"))),
        (
            "Amazon Linux release 2 (Karoo)",
            Some(("amazon_linux", "2")),
        ),
        ("Oracle Linux 8", Some(("oracle_linux", "8"))),
        ("OracleServer 8.9", Some(("oracle_linux", "8"))),
        ("openSUSE Leap 15.6", Some(("opensuse_leap", "15.6"))),
        ("SLES 15", Some(("sles", "15"))),
        ("SUSE Linux Enterprise Server 15", Some(("sles", "15"))),
        ("SLES 15-SP5", Some(("sles", "15"))),
        ("Rocky 9.3", None),
        ("Debian bookworm/sid", None),
        ("openSUSE 20240101", None),
        ("CentOS Stream 9", None),
        ("Windows", None),
        ("", None),
    ] {
        let got = os_from_system(system);
        let got_ref = got.as_ref().map(|(d, v)| (*d, v.as_str()));
        assert_eq!(got_ref, expected, "{system}");
    }
    Ok(())
}

#[test]
fn apply_to_keeps_other_answers() -> TestResult {
    let mut plan = Plan {
        versions: Some(Versions {
            current: Some("15.0.0".to_string()),
            target: Some("18.2".to_string()),
            ..Versions::default()
        }),
        install: Some(crate::plan::Install {
            method: Some(InstallMethod::Docker.into()),
            ..crate::plan::Install::default()
        }),
        topology: Some(Topology {
            kind: Some(TopologyKind::MultiNode.into()),
            gitaly: Some(Gitaly {
                mode: Some(GitalyMode::Cluster.into()),
                ..Gitaly::default()
            }),
            ..Topology::default()
        }),
        ..Plan::default()
    };

    let filled = parse(DOCS_EE)?.apply_to(&mut plan);
    let versions = plan.versions.as_ref().ok_or("missing")?;
    assert_eq!(versions.current.as_deref(), Some("15.5.5"));
    assert_eq!(versions.target.as_deref(), Some("18.2"));
    assert_eq!(plan.method(), Some(InstallMethod::Docker));
    assert_eq!(plan.topology_kind(), Some(TopologyKind::MultiNode));
    // Remote storages are what a Gitaly Cluster looks like too: keep the answer.
    assert_eq!(
        plan.topology.as_ref().ok_or("missing")?.gitaly_mode(),
        Some(GitalyMode::Cluster)
    );
    assert_eq!(filled_value(&filled, "topology.gitaly.mode"), None);
    assert!(filled_value(&filled, "topology.gitaly.storages").is_some());
    Ok(())
}

#[test]
fn fields_env_info_lacks_are_left_alone() -> TestResult {
    let mut plan = Plan {
        os: Some(Os {
            distribution: Some("rhel".to_string()),
            version: Some("9".to_string()),
            ..Os::default()
        }),
        ..Plan::default()
    };
    let filled = parse(BLOG_CE)?.apply_to(&mut plan);
    assert_eq!(
        plan.os.as_ref().ok_or("missing")?.distribution.as_deref(),
        Some("rhel")
    );
    assert_eq!(plan.geo, None);
    assert!(
        !filled
            .iter()
            .any(|f| f.field.starts_with("os.") || f.field.starts_with("geo."))
    );
    Ok(())
}

#[test]
fn non_postgresql_database_version_is_not_a_postgresql_version() -> TestResult {
    let text = BLOG_CE
        .replace("DB Adapter:\tPostgreSQL", "DB Adapter:\tmysql2")
        .replace("DB Version:\t14.11", "DB Version:\t5.7.33");
    let info = parse(&text)?;
    assert_eq!(info.db_adapter.as_deref(), Some("mysql2"));
    let prefill = info.to_plan();
    let topo = prefill.plan.topology.as_ref().ok_or("missing")?;
    assert_eq!(topo.postgresql, None);
    assert_eq!(
        filled_value(&prefill.filled, "topology.postgresql.version"),
        None
    );
    Ok(())
}

#[test]
fn unknown_values_are_none() -> TestResult {
    let text = GRAFANA_CE.replace("Redis Version:\t7.2.9", "Redis Version:\tunknown");
    let info = parse(&text)?;
    assert_eq!(info.redis_version, None);
    assert_eq!(info.to_plan().plan.topology.ok_or("missing")?.redis, None);
    Ok(())
}

#[test]
fn the_rails_directory_tells_the_install_method_without_overriding_an_answer() -> TestResult {
    let paste = |dir: &str| format!("GitLab information\nVersion: 17.1.1\nDirectory: {dir}\n");
    for (dir, method) in [
        (
            "/opt/gitlab/embedded/service/gitlab-rails",
            Some(InstallMethod::LinuxPackage),
        ),
        ("/srv/gitlab", Some(InstallMethod::HelmChart)),
        ("/home/git/gitlab", Some(InstallMethod::SelfCompiled)),
        ("/usr/local/gitlab", None),
    ] {
        let info = parse(&paste(dir))?;
        assert_eq!(info.install_method().map(|(m, _)| m), method, "{dir}");
    }
    let info = parse(&paste("/opt/gitlab/embedded/service/gitlab-rails"))?;
    let mut plan = Plan::default();
    plan.install = Some(crate::plan::Install {
        method: Some(InstallMethod::Docker.into()),
        ..Default::default()
    });
    let filled = info.apply_to(&mut plan);
    assert_eq!(plan.method(), Some(InstallMethod::Docker));
    assert!(filled_value(&filled, "install.method").is_none());
    Ok(())
}
