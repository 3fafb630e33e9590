use super::*;
use crate::plan::{Install, Os, Versions};

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
        attention: vec![(NoteSeverity::Blocker, "x".into())],
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
    };
    let h = hop(&ctx, &spec, &[], "EE");
    assert_eq!(h.version, "19.5.x");
    assert!(
        h.install
            .iter()
            .any(|s| s.command.as_deref()
                == Some("sudo apt-get install gitlab-ee=19.5.<patch>-ee.0"))
    );
}
