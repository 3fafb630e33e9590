//! The Start step takes the diagnostics script's output as it takes `gitlab:env:info`: pasted
//! (a paste event, as Ctrl+V sends it) alone or after env:info output, it fills the answers
//! and conditions the facts decide and lists what it filled, and what it kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use egui_kittest::kittest::Queryable;
use upgrade_planner::plan::*;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, click};

const PASTE_BOX: &str = "gitlab:env:info or diagnostics output";

const FACTS: &str = include_str!("fixtures/diagnostics/single-node_16.0.8-ee.txt");
const ENV_INFO: &str = include_str!("fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt");

fn harness(dir: &std::path::Path) -> H {
    wizard::harness(wizard::app(wizard::platform(dir)), 1280.0, 2400.0)
}

/// Focus the paste box and paste `text` into it as the system clipboard does.
fn paste(h: &mut H, text: &str) {
    click(h, PASTE_BOX);
    assert!(h.get_by_label(PASTE_BOX).is_focused());
    h.event(egui::Event::Paste(text.to_string()));
    h.run();
    assert_eq!(
        h.state().step_ui.env_info_text,
        text,
        "the paste did not arrive"
    );
}

#[test]
fn pasted_facts_fill_conditions_and_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    paste(&mut h, FACTS);
    click(&mut h, "Prefill the plan");

    let plan = &h.state().plan;
    let c = plan.conditions.clone().unwrap_or_default();
    assert_eq!(c.large_users_table, Some(true));
    assert_eq!(c.npm_packages, Some(true));
    assert_eq!(c.large_pipeline_variables, Some(true));
    assert_eq!(c.large_pipeline_messages, Some(false));
    assert_eq!(
        plan.facts.as_ref().and_then(|f| f.gitlab_rb.clone()),
        Some(GitlabRbSettings {
            git_data_dirs: Some(true),
            grafana: Some(true),
            mattermost: Some(false),
            spamcheck: Some(false),
            patroni: Some(false),
            ..Default::default()
        })
    );
    assert_eq!(
        plan.versions.as_ref().unwrap().current.as_deref(),
        Some("16.0.8")
    );

    // The list names the questions, and says what decided each answer.
    assert!(h.query_by_label_contains("Filled in").is_some());
    assert!(
        h.query_by_label("Is the users table very large (roughly 30,000 users or more)?")
            .is_some()
    );
    assert!(
        h.query_by_label("yes: 41,250 users (30,000 or more)")
            .is_some()
    );
    assert!(h.query_by_label("git_data_dirs in gitlab.rb").is_some());
    assert!(h.query_by_label("conditions.large_users_table").is_none());
    assert!(h.query_by_label_contains("Kept").is_none());
}

#[test]
fn env_info_and_facts_pasted_together_fill_both_and_a_yes_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    // An answer given before: a stop the facts would not ask for stays.
    h.state_mut().plan.conditions = Some(Conditions {
        large_pipeline_messages: Some(true),
        ..Conditions::default()
    });
    h.run();
    paste(&mut h, &format!("{ENV_INFO}\n{FACTS}"));
    click(&mut h, "Prefill the plan");

    let plan = &h.state().plan;
    // From env:info: the OS and the Gitaly storages.
    assert_eq!(
        plan.os.as_ref().unwrap().distribution.as_deref(),
        Some("ubuntu")
    );
    assert_eq!(
        plan.topology.as_ref().unwrap().gitaly_mode(),
        Some(GitalyMode::Sharded)
    );
    // From the facts (they come after env:info in the paste): version and conditions.
    assert_eq!(
        plan.versions.as_ref().unwrap().current.as_deref(),
        Some("16.0.8")
    );
    let c = plan.conditions.clone().unwrap_or_default();
    assert_eq!(c.large_users_table, Some(true));
    assert_eq!(c.large_pipeline_messages, Some(true), "the yes was kept");

    assert!(h.query_by_label_contains("Filled in").is_some());
    assert!(h.query_by_label("Gitaly storages").is_some());
    assert!(h.query_by_label_contains("Kept 1 answer(s)").is_some());
    assert!(
        h.query_by_label_contains("yes kept: the facts say about 1,200 rows")
            .is_some()
    );
}

#[test]
fn text_that_is_neither_output_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    paste(&mut h, "users_count: 5\nno marker line here\n");
    click(&mut h, "Prefill the plan");
    assert!(
        h.query_by_label_contains("nor like the output of `upgrade-planner diagnostics`")
            .is_some()
    );
    assert_eq!(h.state().plan.conditions, None);
}

#[test]
fn the_script_can_be_copied_from_the_start_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.get_by_label("Copy the diagnostics script").click();
    // The frame that handles the click is the one that asks for the clipboard.
    h.step();
    let copied = h.output().platform_output.commands.iter().any(|c| {
        matches!(c, egui::OutputCommand::CopyText(t) if t == upgrade_planner::intake::diagnostics::SCRIPT)
    });
    assert!(copied, "the script did not reach the clipboard");
    h.run();
    assert!(
        h.query_by_label_contains("sudo bash upgrade-planner-facts.sh")
            .is_some()
    );
}
