//! Facts from the instance (the diagnostics script's output) answering known-issue
//! conditions and configuration steps: an issue whose condition a fact answers no longer
//! says "applies if", or is gone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use upgrade_planner::environment::Environment;
use upgrade_planner::intake;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::path::{IssueMatch, PathRequest, compute};
use upgrade_planner::plan::*;
use upgrade_planner::timeline::Timeline;
use upgrade_planner::validate::build_timeline;

fn knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

fn plan(current: &str, target: &str, kind: TopologyKind) -> Plan {
    Plan {
        versions: Some(Versions {
            current: Some(current.into()),
            target: Some(target.into()),
            edition: Some(Edition::Ee.into()),
            ..Versions::default()
        }),
        install: Some(Install {
            method: Some(InstallMethod::LinuxPackage.into()),
            ..Install::default()
        }),
        topology: Some(Topology {
            kind: Some(kind.into()),
            ..Topology::default()
        }),
        ..Plan::default()
    }
}

/// Paste the script's output with these fact lines into the plan, as the Start step does.
fn paste(plan: &mut Plan, lines: &str) -> intake::Applied {
    let text = format!("upgrade_planner_facts: 1\n{lines}\n");
    intake::read(&text).unwrap().apply_to(plan)
}

fn path_of(plan: &Plan) -> upgrade_planner::path::UpgradePath {
    let v = plan.versions.as_ref().unwrap();
    let req = PathRequest {
        from: v.current.clone().unwrap(),
        to: v.target.clone(),
        zero_downtime: false,
        conditions: plan.true_conditions(),
        today: None,
    };
    compute(knowledge(), &req, &Environment::from_plan(plan)).unwrap()
}

fn issue(plan: &Plan, id: &str) -> Option<IssueMatch> {
    path_of(plan).known_issues.into_iter().find(|m| m.id == id)
}

/// (issue, from, to, the fact's key, what "applies if" says without the fact)
const ANSWERED_BY_GITLAB_RB: [(&str, &str, &str, &str, &str); 4] = [
    (
        "gl18-git-data-dirs-removed",
        "17.11.7",
        "18.2",
        "gitlab_rb_git_data_dirs",
        "gitlab.rb still uses git_data_dirs",
    ),
    (
        "gl17-grafana-key",
        "16.11.10",
        "17.1",
        "gitlab_rb_grafana",
        "gitlab.rb still references bundled Grafana keys",
    ),
    (
        "gl19-spamcheck-removed",
        "18.11.11",
        "19.0",
        "gitlab_rb_spamcheck",
        "Bundled Spamcheck enabled",
    ),
    (
        "gl19-mattermost-removed",
        "18.11.11",
        "19.0",
        "gitlab_rb_mattermost",
        "bundled Mattermost used, or mattermost[...] keys in gitlab.rb",
    ),
];

#[test]
fn without_facts_the_gitlab_rb_conditions_say_applies_if() {
    for (id, from, to, _, check) in ANSWERED_BY_GITLAB_RB {
        let p = plan(from, to, TopologyKind::SingleNode);
        let m = issue(&p, id).unwrap_or_else(|| panic!("{id} is not on {from} -> {to}"));
        assert_eq!(m.check.as_deref(), Some(check), "{id}");
    }
}

#[test]
fn a_setting_found_in_gitlab_rb_makes_the_issue_apply() {
    for (id, from, to, key, _) in ANSWERED_BY_GITLAB_RB {
        for kind in [TopologyKind::SingleNode, TopologyKind::MultiNode] {
            let mut p = plan(from, to, kind);
            paste(&mut p, &format!("{key}: yes"));
            let m = issue(&p, id).unwrap_or_else(|| panic!("{id} gone with {key}: yes"));
            assert_eq!(m.check, None, "{id} ({kind:?}) still says applies if");
        }
    }
}

#[test]
fn a_setting_absent_from_a_single_node_removes_the_issue() {
    for (id, from, to, key, _) in ANSWERED_BY_GITLAB_RB {
        let mut p = plan(from, to, TopologyKind::SingleNode);
        paste(&mut p, &format!("{key}: no"));
        assert_eq!(issue(&p, id), None, "{id} stays with {key}: no");
    }
}

/// Other nodes have their own gitlab.rb: a setting not found on the node the script ran on
/// leaves the question open, and the check says where to look.
#[test]
fn a_setting_absent_from_one_node_of_many_still_asks_about_the_others() {
    for (id, from, to, key, check) in ANSWERED_BY_GITLAB_RB {
        let mut p = plan(from, to, TopologyKind::MultiNode);
        paste(&mut p, &format!("{key}: no"));
        let m = issue(&p, id).unwrap_or_else(|| panic!("{id} gone on a multi-node plan"));
        let text = m.check.unwrap_or_default();
        assert!(
            text.starts_with(check) && text.contains("check the other nodes"),
            "{id}: {text}"
        );
    }
}

/// Leftover mattermost[...] keys block 19.0 even when bundled Mattermost is not used.
#[test]
fn mattermost_keys_count_even_when_bundled_mattermost_is_not_used() {
    let mut p = plan("18.11.11", "19.0", TopologyKind::SingleNode);
    p.topology.as_mut().unwrap().mattermost = Some(false);
    assert_eq!(issue(&p, "gl19-mattermost-removed"), None);
    paste(&mut p, "gitlab_rb_mattermost: yes");
    let m = issue(&p, "gl19-mattermost-removed").expect("the leftover keys block 19.0");
    assert_eq!(m.check, None);
}

#[test]
fn patroni_settings_answer_the_patroni_issue() {
    let id = "gl16-1610-patroni-3";
    let mut p = plan("16.7.10", "16.11", TopologyKind::MultiNode);
    let m = issue(&p, id).expect("the Patroni issue is on 16.7 -> 16.11");
    assert!(m.check.unwrap_or_default().contains("Patroni"));
    paste(&mut p, "gitlab_rb_patroni: yes");
    assert_eq!(issue(&p, id).map(|m| m.check), Some(None));
}

#[test]
fn geo_not_set_up_removes_the_geo_issues() {
    let k = knowledge();
    let mut p = plan("17.11.7", "18.11", TopologyKind::SingleNode);
    let geo_issues: Vec<String> = path_of(&p)
        .known_issues
        .iter()
        .filter(|m| k.issue(&m.id).is_some_and(|i| i.geo == Some(true)))
        .map(|m| {
            assert!(
                m.check
                    .as_deref()
                    .unwrap_or_default()
                    .contains("Geo is used")
            );
            m.id.clone()
        })
        .collect();
    assert!(
        geo_issues.len() >= 2,
        "Geo issues on the path: {geo_issues:?}"
    );
    paste(&mut p, "geo_role: none");
    let after: Vec<String> = path_of(&p).known_issues.into_iter().map(|m| m.id).collect();
    for id in &geo_issues {
        assert!(!after.contains(id), "{id} stays without Geo");
    }
    // A secondary makes them apply, without "applies if: Geo is used".
    let mut p = plan("17.11.7", "18.11", TopologyKind::SingleNode);
    paste(&mut p, "geo_role: secondary");
    for m in path_of(&p).known_issues {
        if geo_issues.contains(&m.id) {
            assert!(
                !m.check.unwrap_or_default().contains("Geo is used"),
                "{}",
                m.id
            );
        }
    }
}

#[test]
fn counts_decide_the_conditional_stops_on_the_path() {
    let mut p = plan("15.11.13", "16.3", TopologyKind::SingleNode);
    let hops = |p: &Plan| -> Vec<String> {
        path_of(p)
            .hops
            .iter()
            .map(|h| h.minor().to_string())
            .collect()
    };
    assert_eq!(hops(&p), ["16.3"]);
    paste(
        &mut p,
        "users_count: 45000\nnpm_packages_count: 3\nci_pipeline_variables_rows: 10",
    );
    assert_eq!(hops(&p), ["16.0", "16.1", "16.3"]);
}

fn config_steps(p: &Plan) -> Timeline {
    build_timeline(p, knowledge(), &path_of(p)).expect("a timeline")
}

fn config_step<'t>(
    t: &'t Timeline,
    id: &str,
) -> Option<&'t upgrade_planner::timeline::DependencyStep> {
    t.steps.iter().chain(&t.proposals).find(|s| s.to == id)
}

#[test]
fn no_configuration_step_for_a_setting_gitlab_rb_does_not_have() {
    for (id, from, to, key) in [
        (
            "gl18-git-data-dirs-removed",
            "17.11.7",
            "18.2",
            "gitlab_rb_git_data_dirs",
        ),
        ("gl17-grafana-key", "16.11.10", "17.1", "gitlab_rb_grafana"),
        (
            "gl19-mattermost-removed",
            "18.11.11",
            "19.0",
            "gitlab_rb_mattermost",
        ),
    ] {
        let unknown = plan(from, to, TopologyKind::SingleNode);
        let step = config_step(&config_steps(&unknown), id).map(|s| s.reason.clone());
        let reason = step.unwrap_or_else(|| panic!("no step {id} without facts"));
        assert!(!reason.contains("this instance has it"), "{reason}");

        let mut absent = unknown.clone();
        paste(&mut absent, &format!("{key}: no"));
        assert!(
            config_step(&config_steps(&absent), id).is_none(),
            "{id} proposed though gitlab.rb has none"
        );

        let mut present = unknown.clone();
        paste(&mut present, &format!("{key}: yes"));
        let t = config_steps(&present);
        let step = config_step(&t, id).unwrap_or_else(|| panic!("{id} missing with yes"));
        assert!(
            step.reason.contains("this instance has it"),
            "{}",
            step.reason
        );

        // On a multi-node plan, one node without it says nothing of the others.
        let mut other = plan(from, to, TopologyKind::MultiNode);
        paste(&mut other, &format!("{key}: no"));
        assert!(config_step(&config_steps(&other), id).is_some(), "{id}");
    }
}

#[test]
fn every_sample_output_is_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    let mut samples = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        samples += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let pasted = intake::read(&text).unwrap();
        let facts = pasted.facts.as_ref().expect("facts");
        assert!(pasted.env_info.is_none(), "{}", path.display());
        let prefill = pasted.to_plan();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let p = &prefill.plan;
        let c = p.conditions.clone().unwrap_or_default();
        match name.as_str() {
            "single-node_16.0.8-ee.txt" => {
                assert_eq!(facts.reports, 1);
                assert_eq!(
                    p.versions.as_ref().unwrap().current.as_deref(),
                    Some("16.0.8")
                );
                assert_eq!(c.large_users_table, Some(true));
                assert_eq!(c.npm_packages, Some(true));
                assert_eq!(c.large_pipeline_variables, Some(true));
                assert_eq!(c.large_pipeline_messages, Some(false));
                assert_eq!(p.geo_enabled(), Some(false));
            }
            "multi-node_17.3.2-ee_rails-and-database.txt" => {
                assert_eq!(facts.reports, 2);
                assert_eq!(facts.gitlab_rb.patroni, Some(true));
                assert_eq!(facts.gitlab_rb.mattermost, Some(true));
                assert_eq!(facts.gitlab_rb.git_data_dirs, Some(false));
                assert_eq!(c.large_pipeline_messages, Some(true));
                let geo = p.geo.as_ref().unwrap();
                assert_eq!(geo.site_role, Some(GeoRole::Primary.into()));
            }
            "ce_18.1.2_not-root.txt" => {
                assert_eq!(p.facts.as_ref().unwrap().gitlab_rb, None);
                assert_eq!(
                    p.topology.as_ref().and_then(|t| t.redis.clone()),
                    None,
                    "an unknown Redis version fills nothing"
                );
                assert_eq!(
                    p.versions.as_ref().unwrap().edition,
                    Some(Edition::Ce.into())
                );
            }
            "docker_17.11.7-ce_omnibus-config.txt" => {
                assert_eq!(facts.gitlab_rb.spamcheck, Some(true));
                assert_eq!(c.npm_packages, Some(true));
            }
            other => panic!("a sample without expectations: {other}"),
        }
    }
    assert_eq!(samples, 4);
}
