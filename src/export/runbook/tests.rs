use super::*;
use crate::plan::{Install, Os, Versions};
use crate::timeline::{Component, DependencyStep, Origin};

fn plan(method: InstallMethod, dist: &str, ver: &str, edition: Edition) -> Plan {
    Plan {
        install: Some(Install {
            method: Some(method.into()),
            ..Default::default()
        }),
        os: Some(Os {
            distribution: Some(dist.into()),
            version: Some(ver.into()),
            arch: None,
            extra: Default::default(),
        }),
        versions: Some(Versions {
            edition: Some(edition.into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn package_commands_follow_os_family_and_edition() {
    let cases = [
        (
            "ubuntu",
            "22.04",
            Edition::Ee,
            "sudo apt-get install gitlab-ee=18.5.7-ee.0",
        ),
        (
            "debian",
            "12",
            Edition::Ce,
            "sudo apt-get install gitlab-ce=18.5.7-ce.0",
        ),
        (
            "rhel",
            "8",
            Edition::Ee,
            "sudo yum install gitlab-ee-18.5.7-ee.0.el8",
        ),
        (
            "almalinux",
            "9",
            Edition::Ee,
            "sudo dnf install gitlab-ee-18.5.7-ee.0.el9",
        ),
        (
            "oracle_linux",
            "10",
            Edition::Ce,
            "sudo dnf install gitlab-ce-18.5.7-ce.0.el10",
        ),
        (
            "amazon_linux",
            "2023",
            Edition::Ee,
            "sudo dnf install gitlab-ee-18.5.7-ee.0.amazon2023",
        ),
        (
            "amazon_linux",
            "2",
            Edition::Ee,
            "sudo yum install gitlab-ee-18.5.7-ee.0.amazon2",
        ),
        (
            "sles",
            "15",
            Edition::Ee,
            "sudo zypper install gitlab-ee=18.5.7-ee.0",
        ),
    ];
    for (dist, ver, ed, want) in cases {
        let ctx = Context::from_plan(&plan(InstallMethod::LinuxPackage, dist, ver, ed));
        assert_eq!(
            package_install_command(&ctx, "18.5.7"),
            want,
            "{dist} {ver}"
        );
    }
}

#[test]
fn helm_chart_is_major_minus_nine() {
    assert_eq!(chart_version("18.5.7").as_deref(), Some("9.5.7"));
    assert_eq!(chart_version("17.11.7").as_deref(), Some("8.11.7"));
    assert_eq!(
        chart_version("19.5.<patch>").as_deref(),
        Some("10.5.<patch>")
    );
    let ctx = Context::from_plan(&plan(InstallMethod::HelmChart, "", "", Edition::Ee));
    let spec = HopSpec {
        number: 1,
        total: 1,
        from_version: "18.2.8",
        version: "18.5.7",
        patch_known: true,
        minor: "18.5",
        attention: Vec::new(),
        backup: true,
    };
    let h = hop(&ctx, &spec, &[], "EE");
    let cmds: Vec<&str> = h
        .install
        .iter()
        .filter_map(|s| s.command.as_deref())
        .collect();
    assert!(
        cmds.contains(&"helm upgrade gitlab gitlab/gitlab --version 9.5.7 -f gitlab.yaml"),
        "{cmds:?}"
    );
    assert!(h.pre_checks.iter().any(|s| s.command.as_deref()
        == Some("kubectl exec -it deploy/gitlab-toolbox -- backup-utility")));
}

#[test]
fn docker_changes_the_image_tag_and_runs_checks_in_the_container() {
    let mut p = plan(InstallMethod::Docker, "", "", Edition::Ce);
    p.install.as_mut().unwrap().container_name = Some("gl".into());
    let ctx = Context::from_plan(&p);
    let spec = HopSpec {
        number: 2,
        total: 3,
        from_version: "17.11.7",
        version: "18.2.8",
        patch_known: true,
        minor: "18.2",
        attention: vec![Attention {
            severity: NoteSeverity::Blocker,
            id: None,
            text: "x".into(),
        }],
        backup: true,
    };
    let h = hop(&ctx, &spec, &[], "CE");
    let all: Vec<String> = h
        .pre_checks
        .iter()
        .chain(&h.install)
        .chain(&h.post_checks)
        .filter_map(|s| s.command.clone())
        .collect();
    assert!(
        all.contains(&"docker pull gitlab/gitlab-ce:18.2.8-ce.0".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"docker exec -t gl gitlab-backup create".to_string()));
    assert!(all.contains(&"docker exec -t gl gitlab-ctl check-config --version=18.2".to_string()));
    assert!(h.pre_checks[0].text.ends_with(": x"));
    assert_eq!(h.pre_checks[0].attention, Some(NoteSeverity::Blocker));
    // The backup is taken at the version before the hop, with its own secrets.
    assert!(
        h.pre_checks
            .iter()
            .any(|s| s.text.contains("exactly GitLab 17.11.7 CE"))
    );
    assert!(
        all.contains(&"sudo tar -czf gitlab-config-17.11.7.tar.gz /srv/gitlab/config".to_string())
    );
}

#[test]
fn files_to_keep_name_the_secrets_for_each_method() {
    assert!(
        files_to_keep(Some(InstallMethod::LinuxPackage))[0]
            .starts_with("/etc/gitlab/gitlab-secrets.json")
    );
    assert!(files_to_keep(Some(InstallMethod::Docker))[0].contains("/srv/gitlab/config"));
    assert!(files_to_keep(Some(InstallMethod::HelmChart))[0].contains("gitlab-rails-secret"));
    assert!(files_to_keep(Some(InstallMethod::SelfCompiled))[0].contains("secrets.yml"));
}

#[test]
fn unknown_patch_uses_a_placeholder() {
    let ctx = Context::from_plan(&plan(
        InstallMethod::LinuxPackage,
        "ubuntu",
        "24.04",
        Edition::Ee,
    ));
    let spec = HopSpec {
        number: 1,
        total: 1,
        from_version: "19.3.0",
        version: "19.5.0",
        patch_known: false,
        minor: "19.5",
        attention: Vec::new(),
        backup: false,
    };
    let h = hop(&ctx, &spec, &[], "EE");
    assert_eq!(h.version, "19.5.x");
    assert!(
        h.install
            .iter()
            .any(|s| s.command.as_deref().is_some_and(|c| c
                .lines()
                .any(|l| l == "sudo apt-get install gitlab-ee=19.5.<patch>-ee.0")))
    );
    // No backup asked for: the pre-checks take none.
    assert!(!h.backup);
    assert!(h.pre_checks.iter().all(|s| {
        s.command
            .as_deref()
            .is_none_or(|c| !c.contains("gitlab-backup"))
    }));
}

fn step(
    component: Component,
    from: &str,
    to: &str,
    after: Minor,
    origin: Origin,
) -> DependencyStep {
    DependencyStep {
        component,
        from: from.into(),
        to: to.into(),
        after,
        earliest: None,
        latest: None,
        origin,
        reason: "because".into(),
        verified: true,
        plan_index: None,
        doc_url: Some("https://docs.gitlab.com/x".into()),
    }
}

fn commands(d: &RunbookDependency) -> Vec<String> {
    d.groups
        .iter()
        .flat_map(|g| g.steps.iter())
        .filter_map(|s| s.command.clone())
        .collect()
}

#[test]
fn bundled_postgresql_is_upgraded_with_pg_upgrade_and_checked() {
    let mut p = plan(InstallMethod::LinuxPackage, "ubuntu", "22.04", Edition::Ee);
    p.topology = Some(crate::plan::Topology {
        postgresql: Some(crate::plan::Postgresql {
            mode: Some(PostgresMode::Bundled.into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    let ctx = Context::from_plan(&p);
    let s = step(
        Component::Postgresql,
        "14",
        "16",
        Minor::new(17, 11),
        Origin::Planned,
    );
    let spec = DependencySpec {
        step: &s,
        on_version: "17.11.7",
        backup: true,
        refused_from: None,
    };
    let d = dependency(&ctx, &spec, "EE");
    let cmds = commands(&d);
    assert!(
        cmds.contains(&"sudo gitlab-ctl pg-upgrade -V 16".to_string()),
        "{cmds:?}"
    );
    assert!(cmds.iter().any(|c| c.contains("SHOW server_version")));
    // The backup at the running version comes first.
    assert_eq!(d.groups[0].title, "Backup at 17.11.7 first");
    assert!(
        d.groups[0]
            .steps
            .iter()
            .any(|s| s.text.contains("exactly GitLab 17.11.7 EE"))
    );
    assert!(d.summary.starts_with("backup and secrets at 17.11.7 first"));
    assert!(is_risky(&s));
}

#[test]
fn external_postgresql_is_upgraded_by_the_provider_then_checked_from_gitlab() {
    let mut p = plan(InstallMethod::LinuxPackage, "rhel", "8", Edition::Ee);
    p.topology = Some(crate::plan::Topology {
        kind: Some(TopologyKind::MultiNode.into()),
        postgresql: Some(crate::plan::Postgresql {
            mode: Some(PostgresMode::External.into()),
            provider: Some("aws_rds".into()),
            ..Default::default()
        }),
        pgbouncer: Some(true),
        ..Default::default()
    });
    let ctx = Context::from_plan(&p);
    let s = step(
        Component::Postgresql,
        "14.10",
        "16",
        Minor::new(16, 11),
        Origin::Planned,
    );
    let spec = DependencySpec {
        step: &s,
        on_version: "16.11.10",
        backup: false,
        refused_from: None,
    };
    let d = dependency(&ctx, &spec, "EE");
    let titles: Vec<&str> = d.groups.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Before, on GitLab's side",
            "On the provider",
            "After, on GitLab's side"
        ]
    );
    let cmds = commands(&d).join("\n");
    // GitLab stops first, the provider upgrades, then statistics, PgBouncer, start, checks.
    let order = [
        "sudo gitlab-ctl stop puma",
        "aws rds modify-db-instance",
        "--allow-major-version-upgrade",
        "vacuumdb",
        "--analyze-only",
        "sudo gitlab-ctl restart pgbouncer",
        "sudo gitlab-ctl start puma",
        "gitlab:env:info",
    ];
    let mut at = 0;
    for o in order {
        let i = cmds[at..]
            .find(o)
            .unwrap_or_else(|| panic!("{o} after {at}: {cmds}"));
        at += i;
    }
    // A minor upgrade needs neither the major flag nor ANALYZE.
    let minor = step(
        Component::Postgresql,
        "14.10",
        "14",
        Minor::new(16, 11),
        Origin::Proposed,
    );
    let d = dependency(
        &ctx,
        &DependencySpec {
            step: &minor,
            on_version: "16.11.10",
            backup: false,
            refused_from: None,
        },
        "EE",
    );
    let cmds = commands(&d).join("\n");
    assert!(!cmds.contains("--allow-major-version-upgrade"), "{cmds}");
    assert!(!cmds.contains("vacuumdb"));
    assert!(!is_risky(&minor));
}

#[test]
fn an_os_upgrade_installs_the_same_gitlab_version_for_the_new_release() {
    let ctx = Context::from_plan(&plan(InstallMethod::LinuxPackage, "rhel", "8", Edition::Ee));
    let s = step(
        Component::Os,
        "rhel:8",
        "rhel:9",
        Minor::new(18, 11),
        Origin::Planned,
    );
    let d = dependency(
        &ctx,
        &DependencySpec {
            step: &s,
            on_version: "18.11.11",
            backup: true,
            refused_from: None,
        },
        "EE",
    );
    let cmds = commands(&d);
    assert!(cmds.iter().any(|c| c.contains("leapp upgrade")), "{cmds:?}");
    // Exactly the running version, built for the new release (el9, not el8).
    assert!(
        cmds.contains(&"sudo dnf install gitlab-ee-18.11.11-ee.0.el9".to_string()),
        "{cmds:?}"
    );
    assert!(cmds.iter().any(|c| c.contains("script.rpm.sh")));
    assert!(
        d.groups
            .iter()
            .any(|g| g.title == "Install GitLab 18.11.11 for RHEL 9")
    );
    assert!(is_risky(&s));
}

#[test]
fn configuration_changes_at_one_version_share_one_reconfigure_and_check() {
    let ctx = Context::from_plan(&plan(
        InstallMethod::LinuxPackage,
        "ubuntu",
        "22.04",
        Edition::Ee,
    ));
    let a = step(
        Component::Config,
        "",
        "gl17-grafana-key",
        Minor::new(16, 11),
        Origin::Proposed,
    );
    let b = step(
        Component::Config,
        "",
        "gl17-gitaly-duplicate-storage-paths",
        Minor::new(16, 11),
        Origin::Planned,
    );
    let d = configuration(&ctx, &[&a, &b], "16.11.10", Some(Minor::new(17, 0)));
    let cmds = commands(&d);
    assert_eq!(
        cmds.iter()
            .filter(|c| *c == "sudo gitlab-ctl reconfigure")
            .count(),
        1,
        "{cmds:?}"
    );
    assert!(cmds.contains(&"sudo gitlab-ctl check-config --version=17.0".to_string()));
    let texts: Vec<&str> = d.groups[0].steps.iter().map(|s| s.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t
                .starts_with("Where gitlab.rb still needs it: Remove the bundled-Grafana keys"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Give every Gitaly storage its own path"))
    );
    assert!(!is_risky(&a));
}

#[test]
fn the_routine_of_every_hop_is_written_once_and_each_hop_marks_its_short_form() {
    let ctx = Context::from_plan(&plan(
        InstallMethod::LinuxPackage,
        "ubuntu",
        "22.04",
        Edition::Ee,
    ));
    let every = every_hop(&ctx, &[]);
    // Install, post-checks, smoke test, background migrations; the install's commands are
    // per hop, so the routine has none for it.
    assert_eq!(every.len(), 4, "{every:?}");
    assert!(every[0].command.is_none());
    let post = every[1].command.as_deref().unwrap_or_default();
    assert!(post.contains("gitlab-rake db:migrate:status"), "{post}");
    assert!(every.iter().all(|s| s.routine.is_none()));
    let spec = HopSpec {
        number: 2,
        total: 3,
        from_version: "17.11.7",
        version: "18.2.8",
        patch_known: true,
        minor: "18.2",
        attention: Vec::new(),
        backup: false,
    };
    let h = hop(&ctx, &spec, &[], "EE");
    let shorts: Vec<(&str, bool)> = h
        .install
        .iter()
        .chain(&h.post_checks)
        .filter_map(|s| s.routine.as_ref())
        .map(|r| (r.short.as_str(), r.keep_command))
        .collect();
    assert_eq!(
        shorts,
        [
            (
                "Check the configuration, refresh the package lists and install 18.2.8; watch the output for errors.",
                true
            ),
            ("Post-checks and the smoke test pass on 18.2.8.", false),
            ("", false),
            (
                "Background migrations of 18.2.8 have finished (it prints 0) before the next step.",
                false
            ),
        ]
    );
}
