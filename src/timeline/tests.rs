//! The timeline against the compatibility tables of shared/docs/dependency-compat.md
//! (docs.gitlab.com/install/requirements, "Supported versions"):
//!
//! | GitLab | minimum PostgreSQL | maximum PostgreSQL |
//! |---|---|---|
//! | 19.x | 17.x | 17.x |
//! | 18.x | 16.5 | 17.x (from GitLab 17.10) |
//! | 17.x | 14.14 | 16.x (from GitLab 16.10) |
//! | 16.x | 13.6 | 15.x (from GitLab 16.1) |
//!
//! Redis 6 until 18.11, Redis 7 from 16.0; OS releases from the supported-OS data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::environment::Environment;
use crate::path::{self, PathRequest};

fn k() -> &'static Knowledge {
    Knowledge::global()
}

fn m(s: &str) -> Minor {
    Minor::parse(s).unwrap()
}

fn hops(from: &str, to: &str) -> Vec<Minor> {
    let req = PathRequest {
        from: from.into(),
        to: Some(to.into()),
        ..Default::default()
    };
    path::compute(k(), &req, &Environment::unknown())
        .unwrap()
        .hops
        .iter()
        .map(path::Hop::minor)
        .collect()
}

struct Case<'a> {
    from: &'a str,
    to: &'a str,
    pg: Option<(&'a str, bool)>,
    redis: Option<&'a str>,
    os: Option<&'a str>,
    planned: Vec<Planned>,
}

impl Case<'_> {
    fn build(&self) -> Timeline {
        let hops = hops(self.from, self.to);
        let start = Minor::of(&crate::version::parse_version(self.from).unwrap().version);
        build(
            k(),
            &Inputs {
                start,
                hops: &hops,
                postgresql: self.pg.map(|(v, by_package)| Current {
                    version: v.into(),
                    by_package,
                }),
                redis: self.redis.map(|v| Current {
                    version: v.into(),
                    by_package: false,
                }),
                os: self.os.map(str::to_string),
                linux_package: false,
                settings: Vec::new(),
                planned: &self.planned,
            },
        )
    }
}

fn case<'a>(from: &'a str, to: &'a str) -> Case<'a> {
    Case {
        from,
        to,
        pg: None,
        redis: None,
        os: None,
        planned: Vec::new(),
    }
}

fn planned(c: Component, to: &str, after: &str, index: usize) -> Planned {
    Planned {
        component: c,
        to: to.into(),
        after: Minor::parse(after),
        index,
    }
}

/// The proposals as (to, after, earliest, latest).
fn proposals(t: &Timeline, c: Component) -> Vec<(String, String, String, String)> {
    t.proposals
        .iter()
        .filter(|s| s.component == c)
        .map(|s| {
            let f = |m: Option<Minor>| m.map(|m| m.to_string()).unwrap_or_default();
            (
                s.to.clone(),
                s.after.to_string(),
                f(s.earliest),
                f(s.latest),
            )
        })
        .collect()
}

fn strs(v: &[(&str, &str, &str, &str)]) -> Vec<(String, String, String, String)> {
    v.iter()
        .map(|(a, b, c, d)| ((*a).into(), (*b).into(), (*c).into(), (*d).into()))
        .collect()
}

#[test]
fn the_walkthrough_customer_external_postgresql_14_10_on_rds() {
    // 17.x row: minimum 14.14; 18.x row: minimum 16.5, PostgreSQL 17 from 17.10; 19.x: 17.
    let mut c = case("16.8.3", "19.3");
    c.pg = Some(("14.10", false));
    c.redis = Some("7.0");
    c.os = Some("rhel:8");
    let t = c.build();
    assert_eq!(
        proposals(&t, Component::Postgresql),
        strs(&[
            ("16", "16.11", "16.10", "17.11"),
            ("17", "18.11", "17.10", "18.11")
        ])
    );
    let pg_problems: Vec<_> = t
        .problems
        .iter()
        .filter(|p| p.component == Component::Postgresql)
        .collect();
    assert_eq!(
        pg_problems.len(),
        2,
        "one per missing step: {pg_problems:#?}"
    );
    assert!(pg_problems[0].message.contains("14.10") && pg_problems[0].message.contains("14.14"));
    assert!(
        pg_problems[0].message.contains("16.10 to 17.11"),
        "{}",
        pg_problems[0].message
    );
    assert!(pg_problems.iter().all(|p| p.fix.is_some()));
    // Redis 7.0 and RHEL 8 fit every hop.
    assert!(proposals(&t, Component::Redis).is_empty());
    assert!(proposals(&t, Component::Os).is_empty());

    // With the two steps planned where the customer wants them (16 while on 17.11, 17 while
    // on 18.11), the app asks only for the small step that keeps 17.x happy (14.14+).
    c.planned = vec![
        planned(Component::Postgresql, "16", "17.11", 0),
        planned(Component::Postgresql, "17", "18.11", 1),
    ];
    let t = c.build();
    assert_eq!(
        proposals(&t, Component::Postgresql),
        strs(&[("14", "16.11", "16.8", "16.11")])
    );
    let planned_steps: Vec<_> = t
        .steps
        .iter()
        .filter(|s| s.origin == Origin::Planned)
        .collect();
    assert_eq!(planned_steps.len(), 2);
    assert_eq!(planned_steps[0].range_text(), "16.10 to 17.11");
    assert_eq!(planned_steps[1].range_text(), "17.10 to 18.11");
    // And with that one planned too, nothing is missing.
    c.planned
        .insert(0, planned(Component::Postgresql, "14.17", "16.11", 2));
    let t = c.build();
    assert!(t.problems.is_empty(), "{:#?}", t.problems);
    assert!(
        t.proposals
            .iter()
            .all(|p| p.component != Component::Postgresql)
    );
}

#[test]
fn a_step_out_of_its_range_names_both_ends() {
    let mut c = case("16.8.3", "18.5");
    c.pg = Some(("14.10", false));
    // PostgreSQL 16 runs only from GitLab 16.10: after 16.8 is too early.
    c.planned = vec![planned(Component::Postgresql, "16", "16.8", 0)];
    let t = c.build();
    let p = t
        .problems
        .iter()
        .find(|p| p.plan_index == Some(0))
        .expect("the misplaced step is reported");
    assert!(
        p.message.contains("16.10") && p.message.contains("17.11"),
        "{}",
        p.message
    );
    // After a version that is not on the path at all.
    c.planned = vec![planned(Component::Postgresql, "16", "17.0", 0)];
    let t = c.build();
    assert!(
        t.problems.iter().any(|p| p.plan_index == Some(0)
            && p.message.contains("does not follow a version of the path"))
    );
}

#[test]
fn an_impossible_running_combination_is_refused() {
    // GitLab 16.8 with PostgreSQL 17: 17 is supported only from GitLab 17.10.
    let mut c = case("16.8.3", "18.5");
    c.pg = Some(("17", false));
    let t = c.build();
    assert_eq!(t.problems.len(), 1);
    assert_eq!(t.problems[0].at, m("16.8"));
    assert!(
        t.problems[0].message.contains("17.10"),
        "{}",
        t.problems[0].message
    );
}

/// Every PostgreSQL major, managed by the administrator (external or Patroni), from starts
/// across 15.x-19.2 to the newest version: with the proposals planned, every hop fits, and each
/// proposal's range is the support table's (from the new major's first GitLab minor, up to the
/// old major's last).
#[test]
fn every_postgresql_major_from_every_start_gets_steps_that_fit() {
    let starts = [
        "15.0.5", "15.4.6", "15.11.13", "16.1.8", "16.3.4", "16.8.3", "16.11.10", "17.2.9",
        "17.5.5", "17.8.7", "17.11.7", "18.2.8", "18.5.7", "18.8.11", "18.11.11", "19.0.2",
        "19.2.2",
    ];
    let newest = k().releases.newest_known.version.clone();
    for pg in ["12.22", "13.20", "14.10", "15.13", "16.9", "17.5"] {
        for from in starts {
            let mut c = case(from, &newest);
            c.pg = Some((pg, false));
            let t = c.build();
            if t.problems.iter().any(|p| p.at == t.start) {
                // The running combination itself is unsupported: nothing to plan from.
                let major = support::major_of(pg).unwrap();
                let range = support::range_of(k(), Component::Postgresql, major).unwrap();
                assert!(
                    !range.covers(t.start)
                        || support::supports(k(), Component::Postgresql, pg, t.start).is_err()
                );
                continue;
            }
            // Plan every proposal and build again: nothing may be missing.
            c.planned = t
                .proposals
                .iter()
                .filter(|p| p.component == Component::Postgresql)
                .enumerate()
                .map(|(i, p)| Planned {
                    component: p.component,
                    to: p.to.clone(),
                    after: Some(p.after),
                    index: i,
                })
                .collect();
            let planned_again = c.build();
            assert!(
                planned_again.problems.is_empty(),
                "PostgreSQL {pg} from {from}: {:#?}",
                planned_again.problems
            );
            for p in &t.proposals {
                let new =
                    support::range_of(k(), Component::Postgresql, p.to.parse().unwrap()).unwrap();
                let old = support::range_of(
                    k(),
                    Component::Postgresql,
                    support::major_of(&p.from).unwrap(),
                )
                .unwrap();
                assert!(p.allows(p.after), "{pg} from {from}: {p:?}");
                assert!(new.covers(p.after), "{pg} from {from}: {p:?}");
                if p.to != support::major_of(&p.from).unwrap().to_string() {
                    assert_eq!(p.latest, old.until_parsed, "{pg} from {from}: {p:?}");
                    assert_eq!(
                        p.earliest,
                        Some(new.from_parsed.map_or(t.start, |f| f.max(t.start))),
                        "{pg} from {from}: {p:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn bundled_single_node_postgresql_is_upgraded_by_the_package() {
    // Bundled PostgreSQL on a single node: the 16.11, 17.11 and 18.11 packages upgrade it.
    let mut c = case("16.3.4", "19.2");
    c.pg = Some(("13.11", true));
    let t = c.build();
    assert!(t.problems.is_empty(), "{:#?}", t.problems);
    assert!(t.proposals.is_empty());
    let auto: Vec<(String, String)> = t
        .steps
        .iter()
        .filter(|s| s.origin == Origin::Automatic)
        .map(|s| (s.after.to_string(), s.to.clone()))
        .collect();
    assert_eq!(
        auto,
        vec![
            ("16.11".to_string(), "14".to_string()),
            ("17.11".to_string(), "16".to_string()),
            ("18.11".to_string(), "17".to_string())
        ]
    );
    assert!(t.steps[0].reason.contains("disable-postgresql-upgrade"));
    // The same database under Patroni is the administrator's to upgrade.
    c.pg = Some(("13.11", false));
    let t = c.build();
    assert!(!proposals(&t, Component::Postgresql).is_empty());
}

#[test]
fn redis_6_goes_to_7_before_19_0() {
    for (redis, steps) in [("6.0.20", 1), ("6.2.14", 1), ("7.0.15", 0), ("7.2.4", 0)] {
        let mut c = case("16.8.3", "19.2");
        c.redis = Some(redis);
        let t = c.build();
        let p = proposals(&t, Component::Redis);
        assert_eq!(p.len(), steps, "Redis {redis}: {p:?}");
        if steps == 1 {
            // Redis 7 from 16.0 (here: from now), Redis 6 until 18.11.
            assert_eq!(
                p[0],
                ("7".into(), "18.11".into(), "16.8".into(), "18.11".into())
            );
        }
    }
}

#[test]
fn an_os_that_loses_packages_is_upgraded_where_both_releases_are_packaged() {
    // Ubuntu 20.04: last packages 18.11 (supported-OS data).
    let mut c = case("16.8.3", "19.2");
    c.os = Some("ubuntu:20.04");
    let t = c.build();
    let p = proposals(&t, Component::Os);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].0.starts_with("ubuntu:2"), "{p:?}");
    assert_eq!((p[0].1.as_str(), p[0].3.as_str()), ("18.11", "18.11"));
    // RHEL 7: last packages 17.7, so the step goes before the 17.8 hop.
    let mut c = case("16.8.3", "18.2");
    c.os = Some("rhel:7");
    let t = c.build();
    let p = proposals(&t, Component::Os);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].0.starts_with("rhel:"), "{p:?}");
    assert_eq!(p[0].3, "17.7");
    assert!(Minor::parse(&p[0].1).unwrap() <= m("17.7"));
}

#[test]
fn configuration_a_new_major_refuses_is_a_step_before_it() {
    let hops = hops("17.5.5", "18.2");
    let t = build(
        k(),
        &Inputs {
            start: m("17.5"),
            hops: &hops,
            postgresql: None,
            redis: None,
            os: None,
            linux_package: true,
            settings: vec![("mattermost", false)],
            planned: &[],
        },
    );
    let git_data_dirs = t
        .proposals
        .iter()
        .find(|p| p.to == "gl18-git-data-dirs-removed")
        .expect("proposed");
    assert_eq!(git_data_dirs.after, m("17.11"));
    assert_eq!(git_data_dirs.latest, Some(m("17.11")));
    assert!(git_data_dirs.title().contains("git_data_dirs"));
    // Planned too late: after 18.2, past 18.0.
    let planned = [planned(
        Component::Config,
        "gl18-git-data-dirs-removed",
        "18.2",
        0,
    )];
    let t = build(
        k(),
        &Inputs {
            start: m("17.5"),
            hops: &hops,
            postgresql: None,
            redis: None,
            os: None,
            linux_package: true,
            settings: vec![("mattermost", false)],
            planned: &planned,
        },
    );
    assert!(
        t.problems
            .iter()
            .any(|p| p.plan_index == Some(0) && p.message.contains("17.11"))
    );
}
