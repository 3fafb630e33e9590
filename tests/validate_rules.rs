//! Every validation rule, each shown to fire on a plan that differs from a clean sample in one
//! answer only (so each test fails if its rule is removed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::*;
use upgrade_planner::plan_file;
use upgrade_planner::validate::{Finding, Severity, step_of, validate};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn multi() -> Plan {
    plan_file::parse(
        "multi-node-geo.upgrade-plan.json".as_ref(),
        include_bytes!("../assets/samples/multi-node-geo.upgrade-plan.json"),
    )
    .unwrap()
}

fn single() -> Plan {
    plan_file::parse(
        "single-node.upgrade-plan.json".as_ref(),
        include_bytes!("../assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap()
}

fn findings(p: &Plan) -> Vec<Finding> {
    validate(p, &Knowledge::embedded(), today())
}

/// The findings of `rule`, asserting there is at least one.
fn expect(p: &Plan, rule: &str, severity: Severity, field: &str) -> Vec<Finding> {
    let all = findings(p);
    let hits: Vec<Finding> = all
        .iter()
        .filter(|f| f.rule == rule && f.field == field)
        .cloned()
        .collect();
    assert!(
        !hits.is_empty(),
        "expected rule {rule} at {field}; got {:#?}",
        all.iter()
            .map(|f| (f.rule, &f.field, &f.message))
            .collect::<Vec<_>>()
    );
    for h in &hits {
        assert_eq!(h.severity, severity, "{h:?}");
        assert_eq!(h.step, step_of(field));
        assert!(!h.message.is_empty());
    }
    hits
}

fn errors(p: &Plan) -> Vec<Finding> {
    findings(p)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

#[test]
fn samples_are_clean() {
    for p in [multi(), single()] {
        let e = errors(&p);
        assert!(e.is_empty(), "{e:#?}");
        assert!(
            !findings(&p).iter().any(|f| f.severity == Severity::Warning),
            "{:#?}",
            findings(&p)
        );
    }
}

#[test]
fn downgrade_is_an_error() {
    let mut p = single();
    p.versions.as_mut().unwrap().target = Some("17.3".into());
    let f = expect(&p, "downgrade", Severity::Error, "versions.target");
    assert!(f[0].message.contains("older"));
}

#[test]
fn target_newer_than_data_warns_data_may_be_stale() {
    let mut p = single();
    p.versions.as_mut().unwrap().current = Some("19.2.4".into());
    p.versions.as_mut().unwrap().target = Some("19.6".into());
    let f = expect(&p, "data_stale", Severity::Warning, "versions.target");
    assert!(f[0].message.contains("19.6 is newer than the GitLab data"));
    assert!(f[0].message.contains("UNVERIFIED"), "{}", f[0].message);
}

#[test]
fn versions_that_cannot_exist_are_errors_at_their_field() {
    // 16.x ended at 16.11 (stops.json last_minor_of_major); on 2026-11-21 the release calendar
    // puts 19.9 on 2027-02-18.
    for (current, target, field, needle) in [
        (
            "16.99.1",
            "17.0",
            "versions.current",
            "GitLab 16 ended at 16.11",
        ),
        (
            "15.12.0",
            "16.11",
            "versions.current",
            "GitLab 15 ended at 15.11",
        ),
        (
            "16.3.4",
            "16.99",
            "versions.target",
            "GitLab 16 ended at 16.11",
        ),
        ("18.11.3", "19.9", "versions.target", "due on 2027-02-18"),
        (
            "16.11.99",
            "17.11",
            "versions.current",
            "newest known 16.11 patch",
        ),
    ] {
        let mut p = single();
        p.versions.as_mut().unwrap().current = Some(current.into());
        p.versions.as_mut().unwrap().target = Some(target.into());
        let f = expect(&p, "version_impossible", Severity::Error, field);
        assert!(
            f[0].message.contains(needle),
            "{current} -> {target}: {}",
            f[0].message
        );
    }
}

#[test]
fn data_behind_the_release_calendar_is_a_hint_with_the_missing_minors() {
    let f = expect(
        &single(),
        "data_behind_calendar",
        Severity::Info,
        "versions.target",
    );
    assert!(
        f[0].message.contains("19.4, 19.5 (a required stop), 19.6"),
        "{}",
        f[0].message
    );
    // Within 45 days of the data's newest release (2026-08-20), nothing is said.
    let early = validate(
        &single(),
        &Knowledge::embedded(),
        NaiveDate::from_ymd_opt(2026, 9, 20).unwrap(),
    );
    assert!(!early.iter().any(|f| f.rule == "data_behind_calendar"));
}

#[test]
fn patch_to_avoid_as_target_is_an_error() {
    let mut p = single();
    p.versions.as_mut().unwrap().current = Some("18.2.8".into());
    p.versions.as_mut().unwrap().target = Some("18.5.1".into());
    let f = expect(&p, "patch_to_avoid", Severity::Error, "versions.target");
    assert!(f[0].message.contains("18.5.2"), "{}", f[0].message);
}

#[test]
fn os_without_packages_for_a_hop_names_the_last_packaged_version() {
    let mut p = single();
    p.os = Some(Os {
        distribution: Some("ubuntu".into()),
        version: Some("18.04".into()),
        ..Default::default()
    });
    let v = p.versions.as_mut().unwrap();
    v.current = Some("16.7.10".into());
    v.target = Some("17.3".into());
    // The OS upgrade is a step of the timeline: missing, it is an error that says where it
    // can go (up to 16.11, the last version with 18.04 packages).
    let f = expect(
        &p,
        "dependency_range",
        Severity::Error,
        "dependency_upgrades",
    );
    assert!(f[0].message.contains("Ubuntu 18.04"), "{}", f[0].message);
    assert!(
        f[0].message.contains("up to GitLab 16.11"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("17.3"), "{}", f[0].message);
}

#[test]
fn os_is_checked_at_every_hop_not_only_the_target() {
    // Target 16.11 is fine on Ubuntu 24.04 ... except 24.04 has no packages before 17.1:
    // the intermediate hops cannot be installed.
    let mut p = single();
    p.os.as_mut().unwrap().distribution = Some("ubuntu".into());
    p.os.as_mut().unwrap().version = Some("24.04".into());
    let v = p.versions.as_mut().unwrap();
    v.current = Some("16.3.9".into());
    v.target = Some("17.3".into());
    // Not even the running version has packages for it: the OS entered cannot be right.
    let f = expect(&p, "dependency_range", Severity::Error, "os.version");
    assert!(f[0].message.contains("17.1"), "{}", f[0].message);
    assert!(f[0].message.contains("16.3"), "{}", f[0].message);
}

#[test]
fn unverified_os_end_is_only_a_warning() {
    let mut p = single();
    p.os.as_mut().unwrap().distribution = Some("amazon_linux".into());
    p.os.as_mut().unwrap().version = Some("2".into());
    let v = p.versions.as_mut().unwrap();
    v.current = Some("18.11.11".into());
    v.target = Some("19.3".into());
    let f = expect(&p, "os_not_packaged", Severity::Warning, "os.version");
    assert!(f[0].message.contains("UNVERIFIED"));
}

#[test]
fn node_specific_os_is_checked_too() {
    let mut p = multi();
    p.topology.as_mut().unwrap().nodes[1].os = Some(Os {
        distribution: Some("ubuntu".into()),
        version: Some("20.04".into()),
        ..Default::default()
    });
    p.versions.as_mut().unwrap().current = Some("18.8.11".into());
    p.versions.as_mut().unwrap().target = Some("19.2".into());
    expect(
        &p,
        "os_not_packaged",
        Severity::Error,
        "topology.nodes[1].os.version",
    );
}

#[test]
fn architecture_and_edition_must_be_packaged() {
    let mut p = single();
    p.os = Some(Os {
        distribution: Some("oracle_linux".into()),
        version: Some("9".into()),
        arch: Some(Arch::Aarch64.into()),
        ..Default::default()
    });
    expect(&p, "os_arch", Severity::Error, "os.arch");
    let mut p = single();
    p.os = Some(Os {
        distribution: Some("sles".into()),
        version: Some("15".into()),
        ..Default::default()
    });
    p.versions.as_mut().unwrap().edition = Some(Edition::Ce.into());
    p.versions.as_mut().unwrap().current = Some("17.8.7".into());
    expect(&p, "os_edition", Severity::Error, "os.distribution");
}

#[test]
fn postgresql_below_the_minimum_for_a_hop() {
    // External PostgreSQL 14.11 with its upgrade to 16 after 16.11 planned: fine.
    let mut p = multi();
    assert!(!findings(&p).iter().any(|f| f.rule == "dependency_range"));
    // Without the planned upgrade, 17.x (minimum 14.14) and 18.x (minimum 16.5) do not run.
    p.dependency_upgrades.clear();
    let f = expect(
        &p,
        "dependency_range",
        Severity::Error,
        "dependency_upgrades",
    );
    assert!(f[0].message.contains("minimum 14.14"), "{}", f[0].message);
    assert!(f[0].message.contains("16.10 to 17.11"), "{}", f[0].message);
    // A planned step where the new version does not run yet names both ends of its range.
    p.dependency_upgrades = vec![DependencyUpgrade {
        component: Component::Postgresql.into(),
        to: "16".into(),
        after: "16.7".into(),
        extra: Default::default(),
    }];
    let f = expect(
        &p,
        "dependency_range",
        Severity::Error,
        "dependency_upgrades[0]",
    );
    assert!(f[0].message.contains("16.10 to 17.11"), "{}", f[0].message);
}

#[test]
fn bundled_single_node_postgresql_counts_the_automatic_upgrade() {
    let p = single(); // bundled PostgreSQL 14.11, path through 17.11 (auto upgrade to 16)
    assert!(!findings(&p).iter().any(|f| f.rule == "dependency_range"));
    // Multi-node bundled HA gets no automatic upgrade.
    let mut p = single();
    let t = p.topology.as_mut().unwrap();
    t.kind = Some(TopologyKind::MultiNode.into());
    t.nodes = vec![Node::new(NodeRole::Rails, 2)];
    t.postgresql.as_mut().unwrap().mode = Some(PostgresMode::BundledHa.into());
    expect(
        &p,
        "dependency_range",
        Severity::Error,
        "dependency_upgrades",
    );
}

#[test]
fn redis_below_the_minimum_for_a_hop() {
    let mut p = multi();
    p.versions.as_mut().unwrap().current = Some("18.8.11".into());
    p.versions.as_mut().unwrap().target = Some("19.2".into());
    p.dependency_upgrades.clear();
    p.topology
        .as_mut()
        .unwrap()
        .postgresql
        .as_mut()
        .unwrap()
        .version = Some("17.2".into());
    let redis = p.topology.as_mut().unwrap().redis.as_mut().unwrap();
    redis.mode = Some(RedisMode::External.into());
    redis.version = Some("6.2.14".into());
    let f = expect(
        &p,
        "dependency_range",
        Severity::Error,
        "dependency_upgrades",
    );
    assert!(
        f[0].message.contains("Redis 6.2.14") && f[0].message.contains("Redis 6.2.14 → 7"),
        "{}",
        f[0].message
    );
}

#[test]
fn bundled_mattermost_cannot_cross_19_0() {
    let mut p = single();
    p.versions.as_mut().unwrap().current = Some("18.11.11".into());
    p.versions.as_mut().unwrap().target = Some("19.2".into());
    p.topology.as_mut().unwrap().mattermost = Some(true);
    expect(&p, "mattermost_19", Severity::Error, "topology.mattermost");
    p.versions.as_mut().unwrap().target = Some("18.11.11".into());
    p.versions.as_mut().unwrap().current = Some("18.8.11".into());
    assert!(!findings(&p).iter().any(|f| f.rule == "mattermost_19"));
}

#[test]
fn zero_downtime_needs_an_eligible_topology() {
    let mut p = single();
    p.zero_downtime = Some(true);
    expect(&p, "zdu_ineligible", Severity::Error, "zero_downtime");
    let mut p = multi();
    p.zero_downtime = Some(true);
    p.install.as_mut().unwrap().method = Some(InstallMethod::Docker.into());
    expect(&p, "zdu_ineligible", Severity::Error, "zero_downtime");
    let mut p = multi();
    p.zero_downtime = Some(true);
    p.topology.as_mut().unwrap().redis.as_mut().unwrap().mode = Some(RedisMode::Bundled.into());
    let f = expect(&p, "zdu_components", Severity::Warning, "zero_downtime");
    assert!(f[0].message.contains("Redis"));
}

#[test]
fn geo_without_secondaries() {
    let mut p = multi();
    p.geo.as_mut().unwrap().secondaries.clear();
    expect(&p, "geo_no_secondaries", Severity::Error, "geo.secondaries");
}

#[test]
fn window_in_the_past_or_too_soon() {
    let mut p = single();
    p.first_window_mut().start = Some("2026-11-01T20:00".into());
    expect(&p, "window_in_past", Severity::Error, "windows[0].start");
    p.first_window_mut().start = Some("2026-11-24T20:00".into());
    expect(&p, "window_too_soon", Severity::Warning, "windows[0].start");
}

#[test]
fn window_too_short_for_the_path_and_rollback() {
    let mut p = multi();
    p.first_window_mut().duration_hours = Some(8.0);
    let f = expect(
        &p,
        "window_too_short",
        Severity::Warning,
        "windows[0].duration_hours",
    );
    assert!(
        f[0].message.contains("Window 1") && f[0].message.contains("Split the upgrade over"),
        "{}",
        f[0].message
    );
}

#[test]
fn edition_or_method_change_is_outside_upgrade_assistance() {
    let mut p = single();
    p.versions.as_mut().unwrap().edition = Some(Edition::Ce.into());
    p.versions.as_mut().unwrap().current = Some("17.8.7".into());
    p.versions.as_mut().unwrap().target_edition = Some(Edition::Ee.into());
    expect(
        &p,
        "edition_change",
        Severity::Warning,
        "versions.target_edition",
    );
    let mut p = single();
    p.install.as_mut().unwrap().target_method = Some(InstallMethod::HelmChart.into());
    expect(
        &p,
        "method_change",
        Severity::Warning,
        "install.target_method",
    );
}

#[test]
fn backup_must_include_secrets_and_config() {
    let mut p = single();
    p.backup.as_mut().unwrap().secrets_backed_up = Some(false);
    expect(
        &p,
        "secrets_backup",
        Severity::Error,
        "backup.secrets_backed_up",
    );
    let mut p = single();
    p.backup.as_mut().unwrap().config_backed_up = None;
    expect(
        &p,
        "config_backup",
        Severity::Error,
        "backup.config_backed_up",
    );
    let mut p = multi();
    p.backup.as_mut().unwrap().object_storage_backed_up = Some(false);
    expect(
        &p,
        "object_storage_backup",
        Severity::Error,
        "backup.object_storage_backed_up",
    );
}

#[test]
fn snapshot_only_backup_is_outside_support_scope() {
    let mut p = single();
    p.backup.as_mut().unwrap().method = Some(BackupMethod::Snapshot.into());
    let f = expect(&p, "snapshot_only", Severity::Warning, "backup.method");
    assert!(f[0].message.contains("outside the scope"));
}

#[test]
fn restore_must_have_been_tested() {
    let mut p = single();
    p.backup.as_mut().unwrap().restore_tested_on = None;
    expect(
        &p,
        "restore_untested",
        Severity::Warning,
        "backup.restore_tested_on",
    );
    p.backup.as_mut().unwrap().restore_tested_on = Some("2027-01-01".into());
    expect(
        &p,
        "restore_future",
        Severity::Error,
        "backup.restore_tested_on",
    );
    p.backup.as_mut().unwrap().restore_tested_on = Some("2025-01-01".into());
    expect(
        &p,
        "restore_stale",
        Severity::Warning,
        "backup.restore_tested_on",
    );
}

#[test]
fn rollback_must_be_confirmed_and_fit_the_window() {
    let mut p = single();
    p.rollback.as_mut().unwrap().confirmed = Some(false);
    expect(
        &p,
        "rollback_unconfirmed",
        Severity::Error,
        "rollback.confirmed",
    );
    let mut p = single();
    p.rollback.as_mut().unwrap().decision_deadline = Some("2026-12-07T01:00".into());
    expect(
        &p,
        "deadline_outside_window",
        Severity::Warning,
        "rollback.decision_deadline",
    );
    let mut p = single();
    p.rollback.as_mut().unwrap().decision_deadline = Some("2026-12-06T03:30".into());
    expect(
        &p,
        "deadline_too_late",
        Severity::Warning,
        "rollback.decision_deadline",
    );
}

#[test]
fn unacknowledged_blocker_known_issue() {
    let mut p = single();
    p.known_issues_reviewed
        .retain(|id| id != "gl18-git-data-dirs-removed");
    let f = expect(
        &p,
        "blocker_unreviewed",
        Severity::Error,
        "known_issues_reviewed",
    );
    assert!(
        f.iter()
            .any(|f| f.message.contains("gl18-git-data-dirs-removed"))
    );
}

#[test]
fn conditional_stop_questions_must_be_answered_when_they_matter() {
    let mut p = single();
    p.versions.as_mut().unwrap().current = Some("15.11.13".into());
    p.versions.as_mut().unwrap().target = Some("16.3".into());
    p.topology
        .as_mut()
        .unwrap()
        .postgresql
        .as_mut()
        .unwrap()
        .version = Some("13.11".into());
    expect(
        &p,
        "condition_unanswered",
        Severity::Warning,
        "conditions.npm_packages",
    );
    // Not asked when the path does not reach the stop.
    assert!(
        !findings(&single())
            .iter()
            .any(|f| f.rule == "condition_unanswered")
    );
}

#[test]
fn secrets_in_any_text_field_are_errors_at_that_field() {
    type Mutation = Box<dyn Fn(&mut Plan)>;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "notes.unique_setup",
            Box::new(|p: &mut Plan| {
                p.notes.as_mut().unwrap().unique_setup =
                    Some("API token glpat-AbCdEfGhIjKlMnOpQrSt12 for the checks".into());
            }),
        ),
        (
            "notes.current_known_issues",
            Box::new(|p: &mut Plan| {
                p.notes.as_mut().unwrap().current_known_issues =
                    Some("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----".into());
            }),
        ),
        (
            "backup.location",
            Box::new(|p: &mut Plan| {
                p.backup.as_mut().unwrap().location = Some("s3 with AKIA4HQ2Z7PXB3MNV5RT".into());
            }),
        ),
        (
            "topology.nodes[0].notes",
            Box::new(|p: &mut Plan| {
                p.topology.as_mut().unwrap().nodes = vec![Node::new(NodeRole::Rails, 1)];
                p.topology.as_mut().unwrap().nodes[0].notes =
                    Some("gitlab_rails['db_password'] = 'hunter2hunter2'".into());
            }),
        ),
        (
            "custom_field",
            Box::new(|p: &mut Plan| {
                p.extra.insert(
                    "custom_field".into(),
                    "runner glrt-abcdefghijklmnopqrstuv".into(),
                );
            }),
        ),
    ];
    for (field, mutate) in cases {
        let mut p = single();
        mutate(&mut p);
        let f = expect(&p, "secret_in_text", Severity::Error, field);
        // The message names the kind of secret, never the secret.
        assert!(!f[0].message.contains("glpat-AbCd"));
        assert!(!f[0].message.contains("hunter2"));
    }
}

#[test]
fn required_answers_and_formats() {
    let p = Plan::default();
    let e = errors(&p);
    for field in [
        "contact.organization",
        "contact.name",
        "contact.email",
        "windows[0].start",
        "windows[0].time_zone",
        "windows[0].duration_hours",
        "versions.current",
        "versions.edition",
        "install.method",
        "os.version",
        "topology.kind",
        "geo.enabled",
        "backup.method",
        "rollback.confirmed",
    ] {
        assert!(
            e.iter().any(|f| f.field == field),
            "missing required error for {field}"
        );
    }
    let mut p = single();
    p.contact.as_mut().unwrap().email = Some("zoe at example".into());
    expect(&p, "email_format", Severity::Error, "contact.email");
    let mut p = single();
    p.first_window_mut().time_zone = Some("Europe/Atlantis".into());
    expect(&p, "time_zone", Severity::Error, "windows[0].time_zone");
    let mut p = single();
    p.first_window_mut().start = Some("next saturday".into());
    expect(&p, "datetime_format", Severity::Error, "windows[0].start");
    let mut p = single();
    p.versions.as_mut().unwrap().target = Some("latest".into());
    expect(&p, "version_format", Severity::Error, "versions.target");
    let mut p = multi();
    p.topology.as_mut().unwrap().nodes[0].count = 0;
    expect(&p, "node_count", Severity::Error, "topology.nodes[0].count");
    let mut p = multi();
    p.topology.as_mut().unwrap().nodes.clear();
    expect(&p, "nodes_missing", Severity::Error, "topology.nodes");
    let mut p = multi();
    p.topology
        .as_mut()
        .unwrap()
        .postgresql
        .as_mut()
        .unwrap()
        .version = None;
    expect(
        &p,
        "pg_version_missing",
        Severity::Error,
        "topology.postgresql.version",
    );
}

#[test]
fn findings_are_ordered_errors_first() {
    let p = Plan::default();
    let f = findings(&p);
    let severities: Vec<Severity> = f.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
}
