//! The path engine against GitLab's own stop data.

use super::*;

fn k() -> Knowledge {
    Knowledge::embedded()
}

fn hops(from: &str, to: &str) -> Vec<String> {
    hops_with(from, to, false, &[])
}

fn hops_with(from: &str, to: &str, zdu: bool, conditions: &[&str]) -> Vec<String> {
    let req = PathRequest {
        from: from.into(),
        to: Some(to.into()),
        zero_downtime: zdu,
        conditions: conditions.iter().map(|s| s.to_string()).collect(),
        today: None,
    };
    compute(&k(), &req, &Environment::unknown())
        .unwrap()
        .hops
        .iter()
        .map(Hop::display_version)
        .collect()
}

/// GitLab's upgrade_path.yml stops from 15.0 on, plus the 19.x stops announced in the
/// GitLab 19 notes, at the patch levels the upgrade-paths doc and the release data give.
const STOPS_15_TO_19_3: [&str; 15] = [
    "15.0.5", "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7", "17.5.5", "17.8.7",
    "17.11.7", "18.2.8", "18.5.7", "18.8.11", "18.11.11", "19.2.4",
];

#[test]
fn full_path_from_15_0_visits_every_unconditional_stop() {
    let mut expected: Vec<&str> = STOPS_15_TO_19_3.to_vec();
    expected.push("19.3.0");
    assert_eq!(hops("15.0.0", "19.3"), expected);
    // Starting on the newest patch of 15.0, the first hop disappears.
    assert_eq!(hops("15.0.5", "19.3"), expected[1..].to_vec());
}

#[test]
fn each_stop_is_visited_when_the_path_crosses_it() {
    // For every stop: from the minor before it to the minor after it, the stop is a hop.
    let stops = [
        ("14.10.5", "15.0"),
        ("15.0.5", "15.4"),
        ("15.4.6", "15.11"),
        ("15.11.13", "16.3"),
        ("16.3.9", "16.7"),
        ("16.7.10", "16.11"),
        ("16.11.10", "17.3"),
        ("17.3.7", "17.5"),
        ("17.5.5", "17.8"),
        ("17.8.7", "17.11"),
        ("17.11.7", "18.2"),
        ("18.2.8", "18.5"),
        ("18.5.7", "18.8"),
        ("18.8.11", "18.11"),
        ("18.11.11", "19.2"),
    ];
    for (i, (from, stop_minor)) in stops.iter().enumerate() {
        // Target: the minor after the stop, so the stop lies strictly inside the path.
        let m = Minor::parse(stop_minor).unwrap();
        let after = if k().last_minor_of(m.major) == Some(m.minor) {
            format!("{}.0", m.major + 1)
        } else {
            format!("{}.{}", m.major, m.minor + 1)
        };
        let got = hops(from, &after);
        let stop_patch = k().latest_patch(m).unwrap().to_string();
        assert_eq!(
            got.first(),
            Some(&stop_patch),
            "case {i}: {from} -> {after}: {got:?}"
        );
        assert_eq!(got.len(), 2, "case {i}: {from} -> {after}: {got:?}");
    }
}

#[test]
fn path_15_4_2_to_18_5() {
    assert_eq!(
        hops("15.4.2", "18.5"),
        [
            "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7", "17.5.5", "17.8.7",
            "17.11.7", "18.2.8", "18.5.7"
        ]
    );
}

#[test]
fn conditional_stops_join_only_when_their_condition_is_set() {
    assert_eq!(hops("15.0.5", "15.4"), ["15.4.6"]);
    assert_eq!(
        hops_with("15.0.5", "15.4", false, &["multiple_web_nodes"]),
        ["15.1.6", "15.4.6"]
    );
    assert_eq!(hops("15.11.13", "16.3"), ["16.3.9"]);
    assert_eq!(
        hops_with("15.11.13", "16.3", false, &["npm_packages"]),
        ["16.1.8", "16.3.9"]
    );
    assert_eq!(
        hops_with("15.11.13", "16.3", false, &["large_users_table"]),
        ["16.0.10", "16.3.9"]
    );
    assert_eq!(
        hops_with("15.11.13", "16.3", false, &["large_pipeline_variables"]),
        ["16.0.10", "16.2.11", "16.3.9"]
    );
    assert_eq!(hops("16.11.10", "17.3"), ["17.3.7"]);
    assert_eq!(
        hops_with("16.11.10", "17.3", false, &["large_pipeline_messages"]),
        ["17.1.8", "17.3.7"]
    );
    assert_eq!(
        hops_with(
            "15.11.13",
            "16.3",
            false,
            &[
                "npm_packages",
                "large_users_table",
                "large_pipeline_variables"
            ]
        ),
        ["16.0.10", "16.1.8", "16.2.11", "16.3.9"]
    );
    let p = compute(
        &k(),
        &PathRequest {
            from: "15.11.13".into(),
            to: Some("16.3".into()),
            conditions: vec!["npm_packages".into()],
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    assert_eq!(p.hops[0].kind, HopKind::ConditionalStop);
    assert_eq!(p.hops[0].conditions, ["npm_packages"]);
    assert!(p.hops[0].reason.contains("NPM"), "{}", p.hops[0].reason);
}

#[test]
fn zero_downtime_visits_every_minor() {
    assert_eq!(
        hops_with("16.9.2", "17.2", true, &[]),
        ["16.10.10", "16.11.10", "17.0.8", "17.1.8", "17.2.9"]
    );
    let p = compute(
        &k(),
        &PathRequest {
            from: "16.9.11".into(),
            to: Some("16.11".into()),
            zero_downtime: true,
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    assert_eq!(p.hops[0].kind, HopKind::ZeroDowntimeMinor);
    assert_eq!(p.hops[1].kind, HopKind::Target);
}

#[test]
fn target_forms_and_first_patch_hop() {
    assert_eq!(hops("16.3.4", "16.3"), ["16.3.9"]);
    assert_eq!(hops("v16.3.4-ee", "16.7.2"), ["16.3.9", "16.7.2"]);
    let p = compute(
        &k(),
        &PathRequest {
            from: "16.3.4".into(),
            to: Some("16.7".into()),
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    assert!(p.hops[0].optional);
    assert_eq!(p.hops[0].kind, HopKind::PatchOfCurrent);
    assert!(!p.hops[1].optional);
    // No target: the newest known version.
    let p = compute(
        &k(),
        &PathRequest {
            from: "19.2.4".into(),
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    assert_eq!(p.to, "19.3.0");
}

#[test]
fn beyond_the_data_the_patch_is_unknown_and_said_so() {
    let p = compute(
        &k(),
        &PathRequest {
            from: "19.2.4".into(),
            to: Some("19.6".into()),
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    let v: Vec<String> = p.hops.iter().map(Hop::display_version).collect();
    assert_eq!(v, ["19.5.x", "19.6.x"]);
    assert!(!p.hops[0].verified);
    assert!(
        p.hops[0]
            .notes
            .iter()
            .any(|n| n.message.contains("UNVERIFIED"))
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("19.6 is newer than the GitLab data") && n.contains("UNVERIFIED"))
    );
}

#[test]
fn errors_are_clear() {
    let e = |from: &str, to: &str| {
        compute(
            &k(),
            &PathRequest {
                from: from.into(),
                to: Some(to.into()),
                ..Default::default()
            },
            &Environment::unknown(),
        )
        .unwrap_err()
        .to_string()
    };
    assert!(e("17.0", "16.11").contains("older than the current version"));
    assert!(e("16.3.9", "16.3").contains("already 16.3.9"));
    assert!(e("banana", "16.3").starts_with("current version"));
    assert!(e("16.3", "x").starts_with("target version"));
    let err = compute(
        &k(),
        &PathRequest {
            from: "16.0".into(),
            to: Some("17.0".into()),
            conditions: vec!["npm".into()],
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("npm_packages"));
}

#[test]
fn hops_carry_database_and_os_notes() {
    let mut env = Environment::unknown();
    env.os = Some(("ubuntu".into(), "18.04".into()));
    env.pg_version = Some("13.8".into());
    let p = compute(
        &k(),
        &PathRequest {
            from: "16.7.10".into(),
            to: Some("17.3".into()),
            ..Default::default()
        },
        &env,
    )
    .unwrap();
    let last = p.hops.last().unwrap();
    assert!(last.notes.iter().any(|n| n.kind == NoteKind::OsPackaging
        && n.severity == NoteSeverity::Blocker
        && n.message.contains("16.11")));
    assert!(last.notes.iter().any(|n| n.kind == NoteKind::Postgresql
        && n.severity == NoteSeverity::Blocker
        && n.message.contains("PostgreSQL 14")));
    // 16.11 is the last minor packaged for Ubuntu 18.04: no blocker there.
    let h1611 = p.hops.iter().find(|h| h.minor == "16.11").unwrap();
    assert!(
        !h1611
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::OsPackaging && n.severity == NoteSeverity::Blocker)
    );
}

#[test]
fn bundled_single_node_postgresql_is_upgraded_by_the_package() {
    let mut env = Environment::unknown();
    env.method = Some(InstallMethod::LinuxPackage);
    env.topology = Some(crate::plan::TopologyKind::SingleNode);
    env.pg_mode = Some(crate::plan::PostgresMode::Bundled);
    env.pg_version = Some("14.11".into());
    let req = PathRequest {
        from: "17.8.7".into(),
        to: Some("18.2".into()),
        ..Default::default()
    };
    let p = compute(&k(), &req, &env).unwrap();
    let blocker = |p: &UpgradePath| {
        p.hops.iter().any(|h| {
            h.notes
                .iter()
                .any(|n| n.kind == NoteKind::Postgresql && n.severity == NoteSeverity::Blocker)
        })
    };
    assert!(
        !blocker(&p),
        "17.11 upgrades bundled PostgreSQL to 16 before 18.x"
    );
    // External PostgreSQL 14 gets no such help.
    env.pg_mode = Some(crate::plan::PostgresMode::External);
    let p = compute(&k(), &req, &env).unwrap();
    assert!(blocker(&p));
}

#[test]
fn known_issues_follow_versions_and_environment() {
    let req = PathRequest {
        from: "18.8.11".into(),
        to: Some("19.2".into()),
        ..Default::default()
    };
    let unknown = compute(&k(), &req, &Environment::unknown()).unwrap();
    let ids: Vec<&str> = unknown.known_issues.iter().map(|m| m.id.as_str()).collect();
    assert!(ids.contains(&"gl19-postgresql-17-minimum"));
    assert!(
        ids.contains(&"gl19-ubuntu-2004-dropped"),
        "unknown OS: shown as a check"
    );
    let m = unknown
        .known_issues
        .iter()
        .find(|m| m.id == "gl19-ubuntu-2004-dropped")
        .unwrap();
    assert!(
        m.check
            .as_deref()
            .unwrap_or_default()
            .contains("Ubuntu 20.04")
    );
    // Not crossed: 18.0 lies before this path.
    assert!(!ids.contains(&"gl18-postgresql-16-minimum"));

    let mut env = Environment::unknown();
    env.os = Some(("ubuntu".into(), "22.04".into()));
    env.method = Some(InstallMethod::LinuxPackage);
    env.geo = Some(false);
    let known = compute(&k(), &req, &env).unwrap();
    let ids: Vec<&str> = known.known_issues.iter().map(|m| m.id.as_str()).collect();
    assert!(!ids.contains(&"gl19-ubuntu-2004-dropped"));
    assert!(!ids.iter().any(|id| id.contains("geo")), "{ids:?}");
    // The hop where the issue applies carries it.
    let h19 = known.hops.iter().find(|h| h.minor == "18.11").unwrap();
    assert!(
        h19.notes
            .iter()
            .all(|n| n.id.as_deref() != Some("gl19-postgresql-17-minimum"))
    );
    let h192 = known.hops.iter().find(|h| h.minor == "19.2").unwrap();
    assert!(
        h192.notes
            .iter()
            .any(|n| n.id.as_deref() == Some("gl19-postgresql-17-minimum"))
    );
}

#[test]
fn pinned_bad_patch_is_flagged() {
    let p = compute(
        &k(),
        &PathRequest {
            from: "18.2.8".into(),
            to: Some("18.5.1".into()),
            ..Default::default()
        },
        &Environment::unknown(),
    )
    .unwrap();
    let last = p.hops.last().unwrap();
    assert!(last.notes.iter().any(|n| n.kind == NoteKind::PatchToAvoid));
    assert!(p.notes.iter().any(|n| n.contains("18.5.7 is known")));
}

#[test]
fn version_comparison_of_servers() {
    assert!(version_below("13.8", "14"));
    assert!(!version_below("14.11", "14"));
    assert!(version_below("12.9", "12.10"));
    assert!(!version_below("16.8", "16"));
    assert!(!version_below("7.2.9", "7.0"));
    assert!(version_below("6.2.7", "7.0"));
    assert!(!version_below("", "7.0"));
}
