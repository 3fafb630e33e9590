//! Typing as a person types: one key event at a time, with the frames run between keys, while
//! error lines and the step's error box appear and disappear above the field. Every text field
//! of every step of a multi-node Geo plan is typed into this way, and the plan must hold
//! exactly what was typed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use upgrade_planner::plan::*;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, answer, choose, click, keys, next, type_into};

/// The wizard in a tall window (every field of a long step on screen), saving to and opening
/// from the given files.
fn harness(open: Option<PathBuf>, save: Option<PathBuf>, dir: &std::path::Path) -> H {
    wizard::harness(
        wizard::app(wizard::platform_answering(dir, open, save)),
        1280.0,
        4000.0,
    )
}

/// Press Next on a step with nothing filled in yet: it refuses and shows every error, so the
/// typing that follows makes error lines and the error box vanish above the fields.
fn reveal_errors(h: &mut H, step: Step) {
    click(h, "Next ▶");
    assert_eq!(h.state().step, step, "Next left {step:?} with errors");
    assert!(h.query_by_label_contains("error(s) to fix").is_some());
}

/// The labels of every text input on the page (single and multi-line).
fn text_inputs(h: &H) -> BTreeSet<String> {
    [Role::TextInput, Role::MultilineTextInput]
        .into_iter()
        .flat_map(|role| h.query_all_by_role(role).collect::<Vec<_>>())
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

/// Type each (label, text) pair, and check they were every text input of the step.
fn type_step(h: &mut H, fields: &[(&str, &str)]) {
    for (label, text) in fields {
        type_into(h, label, text);
    }
    let typed: BTreeSet<String> = fields.iter().map(|(l, _)| (*l).to_string()).collect();
    assert_eq!(
        text_inputs(h),
        typed,
        "the test must type into every text input of {:?}",
        h.state().step
    );
}

#[test]
fn every_text_field_of_a_multi_node_geo_plan_keeps_every_key_typed() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("typed.upgrade-plan.json");
    let mut h = harness(None, Some(saved.clone()), dir.path());

    // 1. Start: the env-info paste box (typed too: the paste arrives as keys over some remote
    // desktops), which then prefills the plan.
    type_step(
        &mut h,
        &[(
            "gitlab:env:info or diagnostics output",
            "GitLab information\nVersion:\t16.8.3-ee\nDirectory:\t/opt/gitlab/embedded/service/gitlab-rails\nDB Version:\t14.10\n",
        )],
    );
    click(&mut h, "Prefill the plan");
    next(&mut h, Step::Contact);

    // 2. Contact and window. The email is left half-typed, so its error shows (under it and in
    // the box at the top); finishing it makes both go while the user types.
    reveal_errors(&mut h, Step::Contact);
    type_into(&mut h, "Contact email", "zoe@exam");
    click(&mut h, "Organisation");
    assert_eq!(
        h.query_all_by_label_contains("does not look like an email")
            .count(),
        2,
        "under the field and in the box above"
    );
    type_step(
        &mut h,
        &[
            ("Organisation", "Example Corp"),
            ("Contact name", "Zoë Müller"),
            ("Contact email", "zoe@example.com"),
            ("Support ticket number", "512345"),
            ("Window start", "2026-12-12"),
            ("at", "20:00"),
            ("Window length (hours)", "10"),
        ],
    );
    click(&mut h, "Time zone");
    // The search box has the focus as soon as the list opens.
    keys(&mut h, "Berlin");
    click(&mut h, "Europe/Berlin");
    answer(
        &mut h,
        "Do you want a review call with GitLab Support?",
        "Yes",
    );
    next(&mut h, Step::Versions);

    // 3. Versions: the prefilled version is retyped; the target's first key makes it a
    // downgrade (an error above the field) until the second arrives.
    type_step(
        &mut h,
        &[
            ("Current GitLab version", "16.8.3-ee"),
            ("Target GitLab version", "18.11"),
        ],
    );
    answer(&mut h, "Do you want a zero-downtime upgrade?", "No");
    next(&mut h, Step::Installation);

    // 4. Installation: taken from the env-info paste (/opt/gitlab).
    assert_eq!(h.state().plan.method(), Some(InstallMethod::LinuxPackage));
    type_step(&mut h, &[]);
    next(&mut h, Step::Os);

    // 5. OS.
    reveal_errors(&mut h, Step::Os);
    choose(&mut h, "Distribution", "Red Hat Enterprise Linux");
    choose(&mut h, "Version", "9");
    answer(&mut h, "Architecture", "x86_64 (amd64)");
    type_step(&mut h, &[]);
    next(&mut h, Step::Topology);

    // 6. Topology: multi-node with components whose node counts are asked.
    reveal_errors(&mut h, Step::Topology);
    answer(&mut h, "Single or multi-node", "Multi-node");
    click(&mut h, "Add a node group");
    click(&mut h, "Add a node group");
    answer(&mut h, "How PostgreSQL runs", "Bundled, HA with Patroni");
    answer(&mut h, "How Redis runs", "Bundled, HA with Sentinel");
    answer(
        &mut h,
        "How Gitaly runs",
        "External Gitaly node(s), sharded",
    );
    answer(&mut h, "PgBouncer", "Yes");
    answer(&mut h, "Consul", "Yes");
    answer(&mut h, "Object storage", "Yes");
    answer(&mut h, "Object storage provider", "Amazon S3");
    answer(
        &mut h,
        "Elasticsearch or OpenSearch (advanced search)",
        "Yes",
    );
    answer(&mut h, "Search engine", "OpenSearch");
    // Counts typed at a component add its node group (groups 3 to 7 here).
    for (label, text) in [
        ("Nodes in group 1", "3"),
        ("Nodes in group 2", "2"),
        ("PostgreSQL version", "14.10"),
        ("PostgreSQL nodes (Patroni)", "3"),
        ("Redis version", "7.0"),
        ("Redis nodes (with Sentinel)", "3"),
        ("Gitaly nodes", "2"),
        ("PgBouncer nodes", "3"),
        ("Consul nodes", "3"),
        ("Search engine version", "2.11"),
    ] {
        type_into(&mut h, label, text);
    }
    type_step(
        &mut h,
        &[
            ("Nodes in group 1", "3"),
            (
                "Host names of group 1",
                "rails-1.example.com, rails-2.example.com",
            ),
            ("Nodes in group 2", "2"),
            ("Host names of group 2", "sidekiq-1"),
            ("Nodes in group 3", "3"),
            ("Host names of group 3", "pg-1, pg-2, pg-3"),
            ("Nodes in group 4", "3"),
            ("Host names of group 4", "redis-1, redis-2, redis-3"),
            ("Nodes in group 5", "2"),
            ("Host names of group 5", "gitaly-1, gitaly-2"),
            ("Nodes in group 6", "3"),
            ("Host names of group 6", "pgb-1"),
            ("Nodes in group 7", "3"),
            ("Host names of group 7", "consul-1"),
            ("PostgreSQL version", "14.10"),
            ("PostgreSQL nodes (Patroni)", "3"),
            ("Redis version", "7.0"),
            ("Redis nodes (with Sentinel)", "3"),
            ("Gitaly nodes", "2"),
            ("PgBouncer nodes", "3"),
            ("Consul nodes", "3"),
            ("Search engine version", "2.11"),
        ],
    );
    let t = h.state().plan.topology.clone().unwrap();
    assert_eq!(t.count_role(NodeRole::Pgbouncer), 3);
    assert_eq!(
        t.count_role(NodeRole::RedisSentinel),
        3,
        "Sentinel on the Redis nodes"
    );
    h.state_mut().go_to(Step::Geo);
    h.run();

    // 7. Geo: after Next shows "Give the secondary site a name", the first key of the name
    // makes that error (and the box above) disappear.
    answer(&mut h, "Is GitLab Geo used?", "Yes");
    click(&mut h, "Add a secondary site");
    reveal_errors(&mut h, Step::Geo);
    type_step(
        &mut h,
        &[
            ("Name of site 1", "dr-frankfurt"),
            ("Location of site 1", "Frankfurt am Main"),
            ("Nodes at site 1", "12"),
        ],
    );
    answer(&mut h, "Topology of site 1", "Multi-node");
    next(&mut h, Step::KnownIssues);

    // 8. Notes and known issues (the filter is a text field too).
    type_step(
        &mut h,
        &[
            (
                "What is unusual or important about this setup?",
                "Custom NGINX in front.\nAir-gapped: packages come from a mirror.",
            ),
            (
                "Known issues you already see on the current version",
                "Slow merge request diffs.",
            ),
            ("Filter known issues", "gl"),
        ],
    );
    assert_eq!(h.state().step_ui.known_issue_filter, "gl");
    h.state_mut().go_to(Step::Backup);
    h.run();

    // 9. Backup and restore.
    reveal_errors(&mut h, Step::Backup);
    answer(&mut h, "Backup method", "GitLab backup tool");
    answer(&mut h, "Are the secrets backed up?", "Yes");
    answer(&mut h, "Is the configuration backed up?", "Yes");
    answer(
        &mut h,
        "Is object storage backed up (provider tools, versioning or replication)?",
        "Not sure",
    );
    type_step(
        &mut h,
        &[
            ("Where is the backup kept?", "s3://backups/gitlab"),
            ("Date of the last restore test", "2026-11-02"),
            ("Where was it tested?", "staging mirrors production"),
        ],
    );
    next(&mut h, Step::Rollback);

    // 10. Rollback.
    reveal_errors(&mut h, Step::Rollback);
    click(
        &mut h,
        "I have reviewed these rollback steps and they fit our setup",
    );
    type_step(
        &mut h,
        &[
            (
                "Rollback trigger",
                "A hop fails its checks\nand cannot be fixed in 30 min.",
            ),
            ("Go/no-go decision time", "2026-12-13"),
            ("at", "04:00"),
            ("Time a rollback takes (hours)", "2.5"),
        ],
    );
    next(&mut h, Step::Review);

    // 11. Review: save, then check every answer as typed.
    click(&mut h, "Save as…");
    assert!(!h.state().is_dirty(), "{:?}", h.state().status);
    let p = upgrade_planner::plan_file::load(&saved).unwrap();
    let c = p.contact.clone().unwrap();
    assert_eq!(
        (c.organization, c.name, c.email, c.ticket),
        (
            Some("Example Corp".into()),
            Some("Zoë Müller".into()),
            Some("zoe@example.com".into()),
            Some("512345".into())
        )
    );
    let w = p.first_window().cloned().unwrap();
    assert_eq!(w.start.as_deref(), Some("2026-12-12T20:00"));
    assert_eq!(w.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(w.duration_hours, Some(10.0));
    assert_eq!(w.review_call, Some(true));
    let v = p.versions.clone().unwrap();
    assert_eq!(
        (v.current.as_deref(), v.target.as_deref(), v.edition.known()),
        (Some("16.8.3-ee"), Some("18.11"), Some(Edition::Ee))
    );
    let t = p.topology.clone().unwrap();
    assert_eq!(t.nodes[0].count, 3);
    assert_eq!(
        t.nodes[0].hosts,
        vec!["rails-1.example.com", "rails-2.example.com"]
    );
    assert_eq!(t.nodes[1].count, 2);
    assert_eq!(t.nodes[1].hosts, vec!["sidekiq-1"]);
    let pg = t.postgresql.clone().unwrap();
    assert_eq!(pg.version.as_deref(), Some("14.10"));
    assert_eq!(t.count_role(NodeRole::Postgresql), 3);
    assert_eq!(
        t.redis.as_ref().and_then(|r| r.version.as_deref()),
        Some("7.0")
    );
    assert_eq!(t.count_role(NodeRole::Redis), 3);
    assert_eq!(t.count_role(NodeRole::Consul), 3);
    assert_eq!(t.object_storage_provider.as_deref(), Some("aws_s3"));
    assert_eq!(
        (t.search_engine.as_deref(), t.search_version.as_deref()),
        (Some("opensearch"), Some("2.11"))
    );
    let g = p.geo.clone().unwrap();
    assert_eq!(g.secondaries[0].name, "dr-frankfurt");
    assert_eq!(
        g.secondaries[0].location.as_deref(),
        Some("Frankfurt am Main")
    );
    assert_eq!(g.secondaries[0].node_count, Some(12));
    let n = p.notes.clone().unwrap();
    assert_eq!(
        n.unique_setup.as_deref(),
        Some("Custom NGINX in front.\nAir-gapped: packages come from a mirror.")
    );
    assert_eq!(
        n.current_known_issues.as_deref(),
        Some("Slow merge request diffs.")
    );
    let b = p.backup.clone().unwrap();
    assert_eq!(b.location.as_deref(), Some("s3://backups/gitlab"));
    assert_eq!(b.restore_tested_on.as_deref(), Some("2026-11-02"));
    assert_eq!(
        b.test_environment.as_deref(),
        Some("staging mirrors production")
    );
    assert_eq!(b.object_storage_backed_up, None);
    assert!(p.is_unsure("backup.object_storage_backed_up"));
    let r = p.rollback.clone().unwrap();
    assert_eq!(
        r.trigger.as_deref(),
        Some("A hop fails its checks\nand cannot be fixed in 30 min.")
    );
    assert_eq!(r.decision_deadline.as_deref(), Some("2026-12-13T04:00"));
    assert_eq!(r.duration_hours, Some(2.5));
    drop(h);

    // Reopen, and retype the target: its first key ("1") is a downgrade, an error above the
    // field, which the next keys resolve.
    let mut h = harness(Some(saved.clone()), Some(saved.clone()), dir.path());
    click(&mut h, "Open plan…");
    h.state_mut().go_to(Step::Versions);
    h.run();
    type_into(&mut h, "Target GitLab version", "18.5");
    type_into(&mut h, "Target GitLab version", "18.11");
    assert_eq!(
        h.state()
            .plan
            .versions
            .as_ref()
            .and_then(|v| v.target.as_deref()),
        Some("18.11")
    );
}
