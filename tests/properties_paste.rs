//! Property tests of what the Start step and `env-info` read: pastes made of the diagnostics
//! script's lines (its keys with values of every shape) mixed with env:info lines and noise go
//! through the same checks as the `env_info` fuzz target (`fuzz_harness::env_info`), and the
//! facts never lower a conditional stop. `PROPTEST_CASES=5000 cargo test --release --test
//! properties_paste` for a longer run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use upgrade_planner::fuzz_harness;
use upgrade_planner::intake::{self, diagnostics::KEYS};
use upgrade_planner::plan::{Conditions, Plan};

const ENV_INFO_LINES: [&str; 8] = [
    "GitLab information",
    "Version:\t17.3.2-ee",
    "System information",
    "System:\tUbuntu 22.04",
    "DB Version:\t14.11",
    "Redis Version:\t7.0.15",
    "Gitaly",
    "- default Address:\tunix:/var/opt/gitlab/gitaly/gitaly.socket",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("yes".to_string()),
        Just("no".to_string()),
        Just("unknown".to_string()),
        Just("none".to_string()),
        Just("secondary".to_string()),
        Just("ee".to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (0u32..40, 0u32..20, 0u32..20).prop_map(|(a, b, c)| format!("{a}.{b}.{c}-ee")),
        "[0-9.]{0,12}",
        "\\PC{0,24}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (prop::sample::select(KEYS.to_vec()), value())
            .prop_map(|(k, v)| format!("{k}: {v}")),
        1 => prop::sample::select(ENV_INFO_LINES.to_vec()).prop_map(String::from),
        1 => "\\PC{0,40}",
    ]
}

fn paste() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..40),
        prop::sample::select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(lines, end)| {
            let mut text = format!("upgrade_planner_facts: 1{end}");
            for l in lines {
                text.push_str(&l);
                text.push_str(end);
            }
            text
        })
}

proptest! {
    #[test]
    fn mixed_pastes_pass_the_fuzz_checks(text in paste()) {
        fuzz_harness::env_info(text.as_bytes());
    }

    #[test]
    fn a_yes_answer_is_never_lowered(text in paste()) {
        let pasted = intake::read(&text).unwrap();
        let yes = Conditions {
            npm_packages: Some(true),
            large_users_table: Some(true),
            large_pipeline_variables: Some(true),
            large_pipeline_messages: Some(true),
            ..Conditions::default()
        };
        let mut plan = Plan { conditions: Some(yes.clone()), ..Plan::default() };
        let applied = pasted.apply_to(&mut plan);
        prop_assert_eq!(plan.conditions, Some(yes));
        for f in &applied.filled {
            prop_assert!(!f.field.starts_with("conditions."), "{:?}", f);
        }
    }
}
