//! Pastes of env:info output, of the diagnostics output, and of both: what they fill, what
//! they replace and what they keep.

use super::*;
use crate::plan::{Conditions, Edition, Geo, GeoRole, GitalyMode, Versions};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DOCS_EE: &str =
    include_str!("../../tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt");
const GRAFANA_CE: &str = include_str!(
    "../../tests/fixtures/env_info/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
);
const BLOG_CE: &str =
    include_str!("../../tests/fixtures/env_info/blog_17.1.1-ce_empty-system_tabs.txt");
const GITLAB_CHECK: &str =
    include_str!("../../tests/fixtures/env_info/gitlab_check_docs_sample.txt");

/// The script's output on an EE 15.5.5 node (the docs sample's instance, as it could be).
const FACTS_15_5: &str = "\
upgrade_planner_facts: 1
collected_on: 2026-11-20
gitlab_rb_git_data_dirs: yes
gitlab_rb_grafana: yes
gitlab_rb_mattermost: no
gitlab_rb_spamcheck: no
gitlab_rb_patroni: no
gitlab_version: 15.5.5-ee
gitlab_edition: ee
postgresql_version: 13.8
redis_version: 6.0.16
users_count: 41250
npm_packages_count: 0
ci_pipeline_messages_rows: 2100000
ci_pipeline_variables_rows: 350000
geo_role: none
";

fn value<'a>(list: &'a [FilledField], field: &str) -> Option<&'a str> {
    list.iter()
        .find(|f| f.field == field)
        .map(|f| f.value.as_str())
}

fn conditions(plan: &Plan) -> Conditions {
    plan.conditions.clone().unwrap_or_default()
}

#[test]
fn the_facts_alone_fill_versions_conditions_geo_and_are_kept() -> TestResult {
    let pasted = read(FACTS_15_5)?;
    assert!(pasted.env_info.is_none(), "the facts are not env:info");
    let prefill = pasted.to_plan();
    let plan = &prefill.plan;
    let versions = plan.versions.as_ref().ok_or("no versions")?;
    assert_eq!(versions.current.as_deref(), Some("15.5.5"));
    assert_eq!(versions.edition, Some(Edition::Ee.into()));
    let topo = plan.topology.as_ref().ok_or("no topology")?;
    let pg = topo.postgresql.as_ref().ok_or("no postgresql")?;
    assert_eq!(pg.version.as_deref(), Some("13.8"));
    let redis = topo.redis.as_ref().ok_or("no redis")?;
    assert_eq!(redis.version.as_deref(), Some("6.0.16"));

    let c = conditions(plan);
    assert_eq!(c.large_users_table, Some(true));
    assert_eq!(c.npm_packages, Some(false));
    assert_eq!(c.large_pipeline_messages, Some(true));
    assert_eq!(c.large_pipeline_variables, Some(false));
    assert_eq!(c.multiple_web_nodes, None, "no fact decides it");
    assert_eq!(plan.geo_enabled(), Some(false));

    let facts = plan.facts.as_ref().ok_or("no facts")?;
    assert_eq!(facts.users, Some(41_250));
    assert_eq!(facts.ci_pipeline_messages_rows, Some(2_100_000));
    assert_eq!(facts.collected_on.as_deref(), Some("2026-11-20"));
    assert_eq!(facts.gitlab_rb("git_data_dirs"), Some(true));
    assert_eq!(facts.gitlab_rb("mattermost"), Some(false));

    let filled = &prefill.filled;
    assert_eq!(
        value(filled, "conditions.large_users_table"),
        Some("yes: 41,250 users (30,000 or more)")
    );
    assert_eq!(
        value(filled, "conditions.npm_packages"),
        Some("no: 0 NPM packages in the registry")
    );
    assert_eq!(
        value(filled, "conditions.large_pipeline_messages"),
        Some("yes: about 2,100,000 rows in ci_pipeline_messages (more than 1,500,000)")
    );
    assert_eq!(value(filled, "facts.gitlab_rb.grafana"), Some("yes"));
    assert_eq!(value(filled, "geo.enabled"), Some("no (Geo is not set up)"));
    assert_eq!(
        value(filled, "topology.redis.version"),
        Some("6.0.16 (the Redis server)")
    );
    Ok(())
}

#[test]
fn env_info_and_facts_in_one_paste_fill_both_and_list_each_field_once() -> TestResult {
    let paste = format!("{DOCS_EE}\n$ sudo bash upgrade-planner-facts.sh\n{FACTS_15_5}");
    let pasted = read(&paste)?;
    assert!(pasted.env_info.is_some() && pasted.facts.is_some());
    let prefill = pasted.to_plan();
    let plan = &prefill.plan;
    // From env:info only.
    let os = plan.os.as_ref().ok_or("no os")?;
    assert_eq!(os.distribution.as_deref(), Some("ubuntu"));
    let topo = plan.topology.as_ref().ok_or("no topology")?;
    assert_eq!(topo.gitaly_mode(), Some(GitalyMode::Sharded));
    // env:info's Redis line is redis-cli's version (6.2.7); the facts ask the server.
    let redis = topo.redis.as_ref().ok_or("no redis")?;
    assert_eq!(redis.version.as_deref(), Some("6.0.16"));
    // From the facts only.
    assert_eq!(conditions(plan).large_users_table, Some(true));

    let mut fields: Vec<&str> = prefill.filled.iter().map(|f| f.field.as_str()).collect();
    let listed = fields.len();
    fields.sort_unstable();
    fields.dedup();
    assert_eq!(fields.len(), listed, "a field is listed twice");
    assert_eq!(
        value(&prefill.filled, "topology.redis.version"),
        Some("6.0.16 (the Redis server)")
    );
    Ok(())
}

#[test]
fn every_real_env_info_sample_reads_as_before() -> TestResult {
    for sample in [DOCS_EE, GRAFANA_CE, BLOG_CE] {
        let pasted = read(sample)?;
        assert_eq!(pasted.facts, None);
        let info = env_info::parse(sample)?;
        assert_eq!(pasted.env_info.as_ref(), Some(&info));
        let before = info.to_plan();
        let now = pasted.to_plan();
        assert_eq!(now.plan, before.plan);
        assert_eq!(now.filled, before.filled);
        // With the facts after it, env:info's answers the facts do not measure stay.
        let both = read(&format!("{sample}\n{FACTS_15_5}"))?.to_plan();
        assert_eq!(both.plan.os, before.plan.os);
        assert_eq!(
            both.plan.topology.as_ref().and_then(|t| t.gitaly.clone()),
            before.plan.topology.as_ref().and_then(|t| t.gitaly.clone())
        );
    }
    Ok(())
}

#[test]
fn text_that_is_neither_is_refused_naming_both() {
    for text in [
        GITLAB_CHECK,
        "",
        "users_count: 5\ngitlab_rb_grafana: yes\n",
        "hello",
    ] {
        assert_eq!(read(text), Err(IntakeError::NotRecognised), "{text:?}");
    }
    let message = IntakeError::NotRecognised.to_string();
    assert!(message.contains("gitlab:env:info"), "{message}");
    assert!(
        message.contains("upgrade-planner diagnostics") && message.contains(facts::MARKER),
        "{message}"
    );
}

fn facts_with(line: &str) -> String {
    format!("upgrade_planner_facts: 1\n{line}\n")
}

#[test]
fn the_thresholds_are_where_the_stop_data_puts_them() -> TestResult {
    for (line, condition, expected) in [
        ("users_count: 29999", "large_users_table", false),
        ("users_count: 30000", "large_users_table", true),
        ("npm_packages_count: 0", "npm_packages", false),
        ("npm_packages_count: 1", "npm_packages", true),
        (
            "ci_pipeline_variables_rows: 999999",
            "large_pipeline_variables",
            false,
        ),
        (
            "ci_pipeline_variables_rows: 1000000",
            "large_pipeline_variables",
            true,
        ),
        (
            "ci_pipeline_messages_rows: 1500000",
            "large_pipeline_messages",
            false,
        ),
        (
            "ci_pipeline_messages_rows: 1500001",
            "large_pipeline_messages",
            true,
        ),
    ] {
        let plan = read(&facts_with(line))?.to_plan().plan;
        let c = conditions(&plan);
        let got = match condition {
            "large_users_table" => c.large_users_table,
            "npm_packages" => c.npm_packages,
            "large_pipeline_variables" => c.large_pipeline_variables,
            _ => c.large_pipeline_messages,
        };
        assert_eq!(got, Some(expected), "{line}");
        assert!(plan.true_conditions().contains(&condition.to_string()) == expected);
    }
    Ok(())
}

#[test]
fn answers_are_filled_where_missing_raised_to_yes_and_a_yes_is_kept() -> TestResult {
    let mut plan = Plan {
        conditions: Some(Conditions {
            // Answered "no", the facts say yes: replaced, and said so.
            large_users_table: Some(false),
            // Answered "yes", the facts say no: kept, and said why.
            large_pipeline_messages: Some(true),
            // Answered as the facts say: nothing to list.
            npm_packages: Some(false),
            ..Conditions::default()
        }),
        ..Plan::default()
    };
    // "Not sure": the fact answers it.
    plan.set_unsure("conditions.large_pipeline_variables", true);
    let text = facts_with(
        "users_count: 52000\nci_pipeline_messages_rows: 400\nnpm_packages_count: 0\n\
         ci_pipeline_variables_rows: 3000000",
    );
    let applied = read(&text)?.apply_to(&mut plan);
    let c = conditions(&plan);
    assert_eq!(c.large_users_table, Some(true));
    assert_eq!(
        value(&applied.filled, "conditions.large_users_table"),
        Some("yes: 52,000 users (30,000 or more) (replaces your answer no)")
    );
    assert_eq!(c.large_pipeline_messages, Some(true));
    assert_eq!(
        value(&applied.filled, "conditions.large_pipeline_messages"),
        None
    );
    let kept = value(&applied.kept, "conditions.large_pipeline_messages").ok_or("not kept")?;
    assert!(
        kept.starts_with("yes kept: the facts say about 400 rows"),
        "{kept}"
    );
    assert_eq!(value(&applied.filled, "conditions.npm_packages"), None);
    assert_eq!(c.large_pipeline_variables, Some(true));
    assert!(!plan.is_unsure("conditions.large_pipeline_variables"));
    assert_eq!(applied.kept.len(), 1);
    Ok(())
}

#[test]
fn geo_roles_fill_geo_and_none_keeps_a_yes() -> TestResult {
    let plan = read(&facts_with("geo_role: secondary"))?.to_plan().plan;
    let geo = plan.geo.as_ref().ok_or("no geo")?;
    assert_eq!(geo.enabled, Some(true));
    assert_eq!(geo.site_role, Some(GeoRole::Secondary.into()));

    let mut plan = Plan {
        geo: Some(Geo {
            enabled: Some(true),
            ..Geo::default()
        }),
        ..Plan::default()
    };
    let applied = read(&facts_with("geo_role: none"))?.apply_to(&mut plan);
    assert_eq!(plan.geo_enabled(), Some(true));
    assert!(value(&applied.kept, "geo.enabled").is_some());

    let mut plan = Plan {
        geo: Some(Geo {
            enabled: Some(false),
            ..Geo::default()
        }),
        ..Plan::default()
    };
    let applied = read(&facts_with("geo_role: primary"))?.apply_to(&mut plan);
    assert_eq!(plan.geo_enabled(), Some(true));
    assert_eq!(
        value(&applied.filled, "geo.enabled"),
        Some("yes (replaces your answer no)")
    );
    Ok(())
}

#[test]
fn a_measured_version_replaces_a_typed_one_and_says_so() -> TestResult {
    let mut plan = Plan {
        versions: Some(Versions {
            current: Some("15.4.0".into()),
            target: Some("17.3".into()),
            ..Versions::default()
        }),
        ..Plan::default()
    };
    let applied = read(&facts_with("gitlab_version: 15.5.5-ee"))?.apply_to(&mut plan);
    let versions = plan.versions.as_ref().ok_or("no versions")?;
    assert_eq!(versions.current.as_deref(), Some("15.5.5"));
    assert_eq!(versions.target.as_deref(), Some("17.3"));
    assert_eq!(versions.edition, Some(Edition::Ee.into()));
    assert_eq!(
        value(&applied.filled, "versions.current"),
        Some("15.5.5 (replaces 15.4.0)")
    );
    Ok(())
}

#[test]
fn nothing_but_the_recognised_values_reaches_the_plan() -> TestResult {
    let text = format!(
        "{FACTS_15_5}gitlab_rb_db_password: hunter2-Secret!\nsecret_token: glpat-abcdefghijklmnopqrst\n\
         redis_version: 7.0.0 password=hunter2\npostgresql_version: ; DROP TABLE users\n"
    );
    let plan = read(&text)?.to_plan().plan;
    let json = crate::plan_file::to_json(&plan);
    for secret in ["hunter2", "glpat-", "DROP", "password"] {
        assert!(!json.contains(secret), "{secret} reached the plan:\n{json}");
    }
    Ok(())
}

#[test]
fn facts_saved_in_a_plan_file_read_back() -> TestResult {
    let plan = read(FACTS_15_5)?.to_plan().plan;
    let json = crate::plan_file::to_json(&plan);
    assert!(json.contains("\"facts\""), "{json}");
    assert!(json.contains("\"git_data_dirs\": true"), "{json}");
    let again = crate::plan_file::parse(std::path::Path::new("p.json"), json.as_bytes())?;
    assert_eq!(again, plan);
    Ok(())
}
