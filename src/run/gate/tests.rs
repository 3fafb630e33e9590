//! The gate on the real outputs in `tests/fixtures/gate/` (sources in its README).

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/gate/",
            $name
        ))
    };
}

const ZERO: &str = fixture!("bbm-count-zero.txt");

fn judge_hop(text: &str, hop: &str) -> GateResult {
    judge(
        text,
        &Requirements {
            hop: Some(hop.into()),
            geo: false,
        },
    )
    .unwrap()
}

fn go(text: &str) -> GateResult {
    judge(text, &Requirements::default()).unwrap()
}

#[test]
fn a_zero_count_is_go_and_says_what_was_not_pasted() {
    let r = go(ZERO);
    assert!(r.go(), "{:?}", r.reasons);
    assert_eq!(r.readings.len(), 1);
    assert_eq!(r.readings[0].kind(), CheckKind::BackgroundMigrations);
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("gitlab:check: not pasted"))
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("db:migrate:status: not pasted"))
    );
    assert_eq!(r.check_ids(), ["background_migrations"]);
}

#[test]
fn a_bare_zero_or_a_number_alone_is_read_as_the_count() {
    assert!(go("0").go());
    assert!(go("  0 \r\n").go());
    let r = go("12");
    assert!(!r.go());
    assert!(r.reasons[0].contains("12 batched background migrations not finished"));
}

#[test]
fn queued_migrations_are_no_go_with_the_count() {
    let r = go(fixture!("bbm-count-running.txt"));
    assert!(!r.go());
    assert_eq!(r.reasons.len(), 1);
    assert!(
        r.reasons[0].contains("3 batched background migrations"),
        "{}",
        r.reasons[0]
    );
}

#[test]
fn a_failed_count_after_the_command_that_counts_failures() {
    let r = go(fixture!("bbm-failed-count.txt"));
    assert!(!r.go());
    assert_eq!(r.readings.len(), 2, "two counts read");
    assert!(
        r.reasons[0].contains("1 failed batched background migrations"),
        "{:?}",
        r.reasons
    );
}

#[test]
fn the_status_task_of_the_merge_request_is_no_go_for_the_paused_one() {
    let r = go(fixture!("bbm-status-mr71605.txt"));
    assert!(!r.go());
    assert_eq!(r.reasons.len(), 1, "{:?}", r.reasons);
    assert!(
        r.reasons[0]
            .contains("1 migration is paused: CopyColumnUsingBackgroundMigrationJob on events")
    );
    assert!(r.readings[0].summary.contains("2 migrations listed"));
}

#[test]
fn the_status_task_with_everything_finished_is_go() {
    let r = go(fixture!("bbm-status-finished.txt"));
    assert!(r.go(), "{:?}", r.reasons);
    assert!(r.readings[0].summary.contains("4 migrations listed"));
}

#[test]
fn the_status_task_names_active_and_failed_migrations() {
    let r = go(fixture!("bbm-status-active-failed.txt"));
    assert!(!r.go());
    let all = r.reasons.join("\n");
    assert!(
        all.contains(
            "1 migration is active: CopyColumnUsingBackgroundMigrationJob on push_event_payloads"
        ),
        "{all}"
    );
    assert!(
        all.contains("1 migration is failed: BackfillUserDetailsFields on users"),
        "{all}"
    );
}

#[test]
fn the_list_table_of_18_x_is_go_when_all_are_finished_or_finalized() {
    let text = fixture!("bbm-list-mr191722.txt");
    let r = go(text);
    assert!(r.go(), "{:?}", r.reasons);
    assert!(r.readings[0].summary.contains("10 migrations listed"));
    let active = text.replace("| finished ", "| active   ");
    let r = go(&active);
    assert!(!r.go());
    assert!(
        r.reasons[0].contains("2 migrations are active"),
        "{:?}",
        r.reasons
    );
}

#[test]
fn the_psql_query_of_the_docs() {
    assert!(go(fixture!("bbm-psql-none.txt")).go());
    let r = go(fixture!("bbm-psql-rows.txt"));
    assert!(!r.go());
    assert!(r.reasons[0].contains("2 migrations are not finished: CopyColumnUsingBackgroundMigrationJob on events, CopyColumnUsingBackgroundMigrationJob on push_event_payloads"), "{:?}", r.reasons);
}

#[test]
fn a_psql_count_is_its_value_not_its_row_count() {
    let zero = " count \n-------\n     0\n(1 row)\n";
    assert!(go(zero).go());
    let two = " count \n-------\n     2\n(1 row)\n";
    let r = go(two);
    assert!(!r.go());
    assert!(r.reasons[0].contains("counts 2"));
}

#[test]
fn the_upgrade_error_names_the_migration() {
    let r = go(fixture!("upgrade-error-active.txt"));
    assert!(!r.go());
    assert!(
        r.reasons[0].contains("CopyColumnUsingBackgroundMigrationJob is active"),
        "{:?}",
        r.reasons
    );
}

#[test]
fn gitlab_check_passing_adds_nothing_to_block() {
    let text = format!("{ZERO}\n{}", fixture!("gitlab-check-pass-16.6.txt"));
    let r = go(&text);
    assert!(r.go(), "{:?}", r.reasons);
    let check = r
        .readings
        .iter()
        .find(|x| x.kind() == CheckKind::GitlabCheck)
        .unwrap();
    assert!(check.summary.contains("0 failed"), "{}", check.summary);
    // "Active users: ... 2" is part of the check, not a count of migrations.
    assert_eq!(
        r.readings
            .iter()
            .filter(|x| x.kind() == CheckKind::BackgroundMigrations)
            .count(),
        1
    );
    assert!(!r.notes.iter().any(|n| n.starts_with("gitlab:check")));
}

#[test]
fn gitlab_check_failures_are_named() {
    let text = format!("{ZERO}\n{}", fixture!("gitlab-check-sidekiq-down.txt"));
    let r = go(&text);
    assert!(!r.go());
    assert_eq!(
        r.reasons,
        ["gitlab:check: 1 check failed: Sidekiq: Running? no."]
    );

    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("gitlab-check-migrations-not-up.txt")
    ));
    assert_eq!(
        r.reasons,
        ["gitlab:check: 1 check failed: All migrations up? no."]
    );

    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("gitlab-check-authorized-keys.txt")
    ));
    assert_eq!(
        r.reasons,
        ["gitlab:check: 1 check failed: Is authorized keys file accessible? no."]
    );
}

#[test]
fn a_gitlab_check_cut_off_is_no_go() {
    let full = fixture!("gitlab-check-pass-16.6.txt");
    let cut = &full[..full.find("Redis version").unwrap()];
    let r = go(&format!("{ZERO}\n{cut}"));
    assert!(!r.go());
    assert!(
        r.reasons[0].contains("stops inside \"Checking GitLab App ...\""),
        "{:?}",
        r.reasons
    );
}

#[test]
fn colour_codes_do_not_hide_a_failure() {
    let text = format!(
        "{ZERO}\nChecking Sidekiq ...\n\nSidekiq: ... Running? ... \u{1b}[31mno\u{1b}[0m\n  Try fixing it:\n  start it\n\nChecking Sidekiq ... Finished\n"
    );
    let r = go(&text);
    assert_eq!(
        r.reasons,
        ["gitlab:check: 1 check failed: Sidekiq: Running? no."]
    );
}

#[test]
fn geo_check() {
    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("geo-check-primary-pass.txt")
    ));
    assert!(r.go(), "{:?}", r.reasons);
    assert!(r.readings.iter().any(|x| x.kind() == CheckKind::GeoCheck));
    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("geo-check-secondary-fail.txt")
    ));
    assert!(!r.go());
    assert_eq!(r.reasons.len(), 1, "{:?}", r.reasons);
    assert!(r.reasons[0].starts_with("gitlab:geo:check: 3 checks failed: Database replication enabled? no, Database replication working? no, * Can connect to the primary node no"), "{:?}", r.reasons);
    // Geo used and not pasted: listed.
    let r = judge(
        ZERO,
        &Requirements {
            hop: None,
            geo: true,
        },
    )
    .unwrap();
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("gitlab:geo:check: not pasted"))
    );
}

#[test]
fn db_migrate_status() {
    let r = go(&format!("{ZERO}\n{}", fixture!("db-migrate-status-up.txt")));
    assert!(r.go(), "{:?}", r.reasons);
    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("db-migrate-status-down.txt")
    ));
    assert!(!r.go());
    assert!(r.reasons[0].contains("2 migrations are down (not run): 20140415124820 Limits to mysql, 20140416074002 Add index on iid"), "{:?}", r.reasons);
}

#[test]
fn services_down() {
    assert!(go(&format!("{ZERO}\n{}", fixture!("gitlab-ctl-status.txt"))).go());
    let r = go(&format!(
        "{ZERO}\n{}",
        fixture!("gitlab-ctl-status-sidekiq-down.txt")
    ));
    assert_eq!(
        r.reasons,
        ["gitlab-ctl status: 1 service is not running: sidekiq (down)."]
    );
    let normally_down = "down: mattermost: 10s, normally down\nrun: puma: (pid 1) 9s";
    assert!(go(&format!("{ZERO}\n{normally_down}")).go());
}

#[test]
fn the_version_must_be_the_hops() {
    let text = format!("{ZERO}\n{}", fixture!("env-info-15.5.txt"));
    assert!(judge_hop(&text, "15.5.5").go());
    assert!(judge_hop(&text, "15.5.x").go());
    assert!(judge_hop(&text, "15.5").go());
    let r = judge_hop(&text, "15.11.13");
    assert_eq!(
        r.reasons,
        ["gitlab:env:info: GitLab reports 15.5.5-ee, but this hop installs 15.11.13."]
    );
}

#[test]
fn outputs_pasted_together_are_all_read() {
    let text = [
        ZERO,
        fixture!("gitlab-check-pass-16.6.txt"),
        fixture!("db-migrate-status-up.txt"),
        fixture!("geo-check-primary-pass.txt"),
        fixture!("gitlab-ctl-status.txt"),
    ]
    .join("\n");
    let r = judge(
        &text,
        &Requirements {
            hop: None,
            geo: true,
        },
    )
    .unwrap();
    assert!(r.go(), "{:?}", r.reasons);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    assert_eq!(
        r.check_ids(),
        [
            "background_migrations",
            "gitlab_check",
            "db_migrate_status",
            "geo_check",
            "gitlab_ctl_status"
        ]
    );
}

#[test]
fn nothing_known_is_an_error_not_a_verdict() {
    assert_eq!(judge("", &Requirements::default()), Err(GateError::Empty));
    assert_eq!(
        judge(" \n\t ", &Requirements::default()),
        Err(GateError::Empty)
    );
    assert_eq!(
        judge("hello world\nall good here", &Requirements::default()),
        Err(GateError::Unrecognised)
    );
    let big = "x".repeat(MAX_GATE_BYTES + 1);
    assert!(matches!(
        judge(&big, &Requirements::default()),
        Err(GateError::TooLarge { .. })
    ));
}

#[test]
fn reasons_are_one_line_and_hold_no_secret() {
    let text =
        "Database: main\nactive     | Evil\u{7} glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF,table,col,[]\n";
    let r = go(text);
    assert!(!r.go());
    for reason in &r.reasons {
        assert!(!reason.chars().any(char::is_control), "{reason}");
        assert!(!reason.contains("glpat-9xK2"), "{reason}");
    }
}

#[test]
fn versions_compare_by_what_the_hop_gives() {
    assert!(same_version("17.3.7-ee", "17.3.7"));
    assert!(same_version("v17.3.7", "17.3.x"));
    assert!(!same_version("17.3.6-ee", "17.3.7"));
    assert!(!same_version("17.30.7", "17.3"));
    assert!(!same_version("garbage", "17.3"));
}
