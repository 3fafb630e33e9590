//! Property tests: any plan that loads can be saved, reloaded unchanged, validated and exported
//! (PDF and Markdown) without a panic.
//!
//! The strategies build plausible but random plans: every enum value, versions as people type
//! them (and some they should not), node counts in sane ranges, text with CJK, right-to-left
//! scripts, emoji and control characters, sections present or absent, and unknown keys at every
//! level. `PROPTEST_CASES=<n>` runs more cases locally (the defaults keep this file fast in
//! debug builds).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;
use upgrade_planner::export::Paper;
use upgrade_planner::fuzz_harness;
use upgrade_planner::plan::*;
use upgrade_planner::plan_file;

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        // Shrinking a failing export can take long in debug builds; a smaller case is enough.
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

// ---- text -------------------------------------------------------------------------------

/// Characters that tend to break text handling: CJK, Hebrew and Arabic, bidi controls, emoji
/// with joiners, combining marks, C0 controls, a BOM, the highest code point.
const TRICKY: &[char] = &[
    '株',
    '式',
    '会',
    '社',
    '长',
    '中',
    '文',
    'ギ',
    'ッ',
    'ト',
    '한',
    'ע',
    'ב',
    'ר',
    'ي',
    'ة',
    'ع',
    '\u{202E}',
    '\u{202C}',
    '\u{200D}',
    '\u{200B}',
    '🦊',
    '🚀',
    '👩',
    '\u{0301}',
    '\u{0000}',
    '\u{0007}',
    '\u{001B}',
    '\t',
    '\n',
    '\r',
    '\u{FEFF}',
    '\u{10FFFF}',
    'ß',
    'Ł',
    'é',
    '"',
    '\\',
    '<',
    '>',
    '&',
    '*',
    '_',
    '`',
    '#',
    '|',
    '[',
    ']',
    ' ',
];

fn tricky_text(max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::char::range('a', 'z'),
            2 => select(TRICKY),
            1 => any::<char>(),
        ],
        0..max,
    )
    .prop_map(|cs| cs.into_iter().collect())
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[A-Za-z][A-Za-z0-9 .,/-]{0,24}",
        3 => tricky_text(40),
        1 => Just(String::new()),
        // Secrets are redacted in exports; the round trip keeps them.
        1 => Just("glpat-abcdefghijklmnopqrst".to_string()),
        1 => Just("password=hunter2".to_string()),
    ]
    .boxed()
}

fn opt_text() -> BoxedStrategy<Option<String>> {
    prop::option::of(text()).boxed()
}

fn version() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (10u32..=20, 0u32..=12, 0u32..=15, select(vec!["", "-ee", "-ce", "-ee.0"]))
            .prop_map(|(a, b, c, s)| format!("{a}.{b}.{c}{s}")),
        2 => (10u32..=20, 0u32..=12).prop_map(|(a, b)| format!("{a}.{b}")),
        1 => (any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(a, b, c)| format!("v{a}.{b}.{c}")),
        1 => text(),
    ]
    .boxed()
}

fn date_time() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (2020i32..=2030, 1u32..=12, 1u32..=31, 0u32..=23, 0u32..=59)
            .prop_map(|(y, m, d, h, mi)| format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}")),
        1 => text(),
    ]
    .boxed()
}

fn hours() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => 0.0f64..48.0,
        1 => (0u32..100).prop_map(f64::from),
        1 => any::<f64>().prop_filter("JSON has no NaN or infinity", |x| x.is_finite()),
    ]
    .boxed()
}

// ---- unknown keys -----------------------------------------------------------------------

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::from),
    ]
    .boxed()
}

fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// Keys a future version might add; prefixed so they never collide with a known field.
fn extra() -> BoxedStrategy<Extra> {
    prop_oneof![
        3 => Just(Extra::new()),
        1 => prop::collection::btree_map("x_[a-z0-9_]{1,8}", json_value(), 1..3),
    ]
    .boxed()
}

// ---- sections ---------------------------------------------------------------------------

fn contact() -> BoxedStrategy<Contact> {
    (opt_text(), opt_text(), opt_text(), opt_text(), extra())
        .prop_map(|(organization, name, email, ticket, extra)| Contact {
            organization,
            name,
            email,
            ticket,
            extra,
        })
        .boxed()
}

fn window() -> BoxedStrategy<Window> {
    let zone = prop_oneof![
        select(vec![
            "Europe/Berlin",
            "America/New_York",
            "Asia/Tokyo",
            "UTC",
            "Mars/Olympus"
        ])
        .prop_map(String::from),
        text(),
    ];
    (
        prop::option::of(date_time()),
        prop::option::of(zone),
        prop::option::of(hours()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![
            select(vec!["16.11", "17.3", "18.2"]).prop_map(String::from),
            text()
        ]),
        extra(),
    )
        .prop_map(
            |(start, time_zone, duration_hours, review_call, last_hop, extra)| Window {
                start,
                time_zone,
                duration_hours,
                review_call,
                last_hop,
                extra,
            },
        )
        .boxed()
}

fn dependency_upgrade() -> BoxedStrategy<DependencyUpgrade> {
    (
        open(Component::ALL.to_vec()),
        prop_oneof![
            select(vec![
                "16",
                "17.2",
                "7",
                "ubuntu:22.04",
                "gl18-git-data-dirs-removed"
            ])
            .prop_map(String::from),
            text()
        ],
        prop_oneof![
            select(vec!["16.11", "17.11", "18.11"]).prop_map(String::from),
            text()
        ],
        extra(),
    )
        .prop_map(|(component, to, after, extra)| DependencyUpgrade {
            component,
            to,
            after,
            extra,
        })
        .boxed()
}

/// A value of a closed list, or now and then one this version does not know (a plausible
/// newer id or any text), read as a file gives it: a text that happens to be a known id is
/// that value.
fn open<T>(known: Vec<T>) -> BoxedStrategy<Open<T>>
where
    T: Clone + std::fmt::Debug + serde::de::DeserializeOwned + 'static,
{
    let other = prop_oneof![
        select(vec![
            "pages",
            "nix",
            "kas",
            "dependencies",
            "arm64",
            "Rails",
            ""
        ])
        .prop_map(String::from),
        text(),
    ];
    prop_oneof![
        6 => select(known).prop_map(Open::Known),
        1 => other.prop_map(|s| serde_json::from_value(Value::String(s)).unwrap()),
    ]
    .boxed()
}

fn edition() -> BoxedStrategy<Open<Edition>> {
    open(vec![Edition::Ce, Edition::Ee])
}

fn versions() -> BoxedStrategy<Versions> {
    (
        prop::option::of(version()),
        prop::option::of(version()),
        prop::option::of(edition()),
        prop::option::of(edition()),
        extra(),
    )
        .prop_map(
            |(current, target, edition, target_edition, extra)| Versions {
                current,
                target,
                edition,
                target_edition,
                extra,
            },
        )
        .boxed()
}

fn conditions() -> BoxedStrategy<Conditions> {
    let b = || prop::option::of(any::<bool>());
    (b(), b(), b(), b(), b(), extra())
        .prop_map(|(a, b, c, d, e, extra)| Conditions {
            multiple_web_nodes: a,
            npm_packages: b,
            large_users_table: c,
            large_pipeline_variables: d,
            large_pipeline_messages: e,
            extra,
        })
        .boxed()
}

fn method() -> BoxedStrategy<Open<InstallMethod>> {
    open(InstallMethod::ALL.to_vec())
}

fn install() -> BoxedStrategy<Install> {
    (
        prop::option::of(method()),
        prop::option::of(method()),
        opt_text(),
        opt_text(),
        opt_text(),
        extra(),
    )
        .prop_map(
            |(method, target_method, chart_version, docker_image, container_name, extra)| Install {
                method,
                target_method,
                chart_version,
                docker_image,
                container_name,
                extra,
            },
        )
        .boxed()
}

fn os() -> BoxedStrategy<Os> {
    let distro = prop_oneof![
        3 => select(vec!["ubuntu", "debian", "rhel", "almalinux", "opensuse", "amazon", "centos"])
            .prop_map(String::from),
        1 => text(),
    ];
    let ver = prop_oneof![
        3 => select(vec!["18.04", "20.04", "22.04", "24.04", "11", "12", "8", "9", "15.6", "2023"])
            .prop_map(String::from),
        1 => text(),
    ];
    (
        prop::option::of(distro),
        prop::option::of(ver),
        prop::option::of(open(vec![Arch::X86_64, Arch::Aarch64])),
        extra(),
    )
        .prop_map(|(distribution, version, arch, extra)| Os {
            distribution,
            version,
            arch,
            extra,
        })
        .boxed()
}

fn role() -> BoxedStrategy<Open<NodeRole>> {
    open(NodeRole::ALL.to_vec())
}

fn node() -> BoxedStrategy<Node> {
    (
        role(),
        prop_oneof![4 => 0u32..=12, 1 => 0u32..=500],
        prop::collection::vec(role(), 0..3),
        prop::collection::vec(text(), 0..4),
        prop::option::of(os()),
        opt_text(),
        extra(),
    )
        .prop_map(
            |(role, count, additional_roles, hosts, os, notes, extra)| Node {
                role,
                count,
                additional_roles,
                hosts,
                os,
                notes,
                extra,
            },
        )
        .boxed()
}

fn topology() -> BoxedStrategy<Topology> {
    let pg = (
        prop::option::of(open(vec![
            PostgresMode::Bundled,
            PostgresMode::BundledHa,
            PostgresMode::External,
        ])),
        opt_text(),
        prop::option::of(prop_oneof![
            select(vec!["13.8", "14.11", "16.4", "17"]).prop_map(String::from),
            text()
        ]),
        extra(),
    )
        .prop_map(|(mode, provider, version, extra)| Postgresql {
            mode,
            provider,
            version,
            extra,
        })
        .boxed();
    let redis = (
        prop::option::of(open(vec![
            RedisMode::Bundled,
            RedisMode::Sentinel,
            RedisMode::External,
        ])),
        prop::option::of(version()),
        extra(),
    )
        .prop_map(|(mode, version, extra)| Redis {
            mode,
            version,
            extra,
        })
        .boxed();
    let storage = (text(), opt_text(), prop::option::of(version()), extra()).prop_map(
        |(name, address, version, extra)| GitalyStorage {
            name,
            address,
            version,
            extra,
        },
    );
    let gitaly = (
        prop::option::of(open(vec![
            GitalyMode::Bundled,
            GitalyMode::Sharded,
            GitalyMode::Cluster,
        ])),
        prop::collection::vec(storage, 0..3),
        extra(),
    )
        .prop_map(|(mode, storages, extra)| Gitaly {
            mode,
            storages,
            extra,
        })
        .boxed();
    let b = || prop::option::of(any::<bool>());
    let flags = (b(), b(), b(), b(), b(), b(), b(), b(), b(), b(), b()).boxed();
    (
        prop::option::of(open(vec![
            TopologyKind::SingleNode,
            TopologyKind::MultiNode,
        ])),
        prop::option::of(prop_oneof![
            select(vec!["1k", "2k", "3k", "5k", "10k", "25k", "50k", "custom"])
                .prop_map(String::from),
            text()
        ]),
        prop::collection::vec(node(), 0..8),
        prop::option::of(pg),
        prop::option::of(redis),
        prop::option::of(gitaly),
        flags,
        (opt_text(), opt_text(), opt_text()),
        extra(),
    )
        .prop_map(
            |(kind, reference_architecture, nodes, postgresql, redis, gitaly, f, more, extra)| {
                Topology {
                    kind,
                    reference_architecture,
                    nodes,
                    postgresql,
                    redis,
                    gitaly,
                    pgbouncer: f.0,
                    consul: f.1,
                    load_balancer: f.2,
                    object_storage: f.3,
                    elasticsearch: f.4,
                    container_registry: f.5,
                    mattermost: f.6,
                    runners: f.7,
                    ldap: f.8,
                    gitlab_duo: f.9,
                    clickhouse: f.10,
                    object_storage_provider: more.0,
                    search_engine: more.1,
                    search_version: more.2,
                    extra,
                }
            },
        )
        .boxed()
}

fn geo() -> BoxedStrategy<Geo> {
    let site = (
        text(),
        opt_text(),
        prop::option::of(open(vec![
            TopologyKind::SingleNode,
            TopologyKind::MultiNode,
        ])),
        prop::option::of(0u32..=200),
        extra(),
    )
        .prop_map(|(name, location, kind, node_count, extra)| GeoSite {
            name,
            location,
            kind,
            node_count,
            extra,
        });
    (
        prop::option::of(any::<bool>()),
        prop::option::of(open(vec![GeoRole::Primary, GeoRole::Secondary])),
        prop::collection::vec(site, 0..4),
        extra(),
    )
        .prop_map(|(enabled, site_role, secondaries, extra)| Geo {
            enabled,
            site_role,
            secondaries,
            extra,
        })
        .boxed()
}

fn notes() -> BoxedStrategy<Notes> {
    (prop::option::of(tricky_text(400)), opt_text(), extra())
        .prop_map(|(unique_setup, current_known_issues, extra)| Notes {
            unique_setup,
            current_known_issues,
            extra,
        })
        .boxed()
}

fn backup() -> BoxedStrategy<Backup> {
    let b = || prop::option::of(any::<bool>());
    let day = prop_oneof![
        3 => (2020i32..=2030, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => text(),
    ];
    (
        prop::option::of(open(vec![
            BackupMethod::GitlabBackup,
            BackupMethod::Snapshot,
            BackupMethod::Both,
        ])),
        b(),
        b(),
        b(),
        opt_text(),
        prop::option::of(day),
        opt_text(),
        extra(),
    )
        .prop_map(
            |(method, secrets, config, objects, location, tested, test_env, extra)| Backup {
                method,
                secrets_backed_up: secrets,
                config_backed_up: config,
                object_storage_backed_up: objects,
                location,
                restore_tested_on: tested,
                test_environment: test_env,
                extra,
            },
        )
        .boxed()
}

fn rollback() -> BoxedStrategy<Rollback> {
    (
        prop::option::of(any::<bool>()),
        opt_text(),
        prop::option::of(date_time()),
        prop::option::of(hours()),
        opt_text(),
        extra(),
    )
        .prop_map(
            |(confirmed, trigger, decision_deadline, duration_hours, notes, extra)| Rollback {
                confirmed,
                trigger,
                decision_deadline,
                duration_hours,
                notes,
                extra,
            },
        )
        .boxed()
}

fn known_issue_ids() -> BoxedStrategy<Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            select(vec![
                "gl17-postgresql-14-minimum",
                "gl18-git-data-dirs-removed",
                "gl18-postgresql-16-minimum",
            ])
            .prop_map(String::from),
            text(),
        ],
        0..4,
    )
    .boxed()
}

prop_compose! {
    fn plan_unboxed()(
        header in (
            text(),
            any::<u32>(),
            prop::option::of(date_time()),
            prop::option::of(date_time()),
            prop::option::of(open(Step::ALL.to_vec())),
            known_issue_ids(),
            prop::option::of(any::<bool>()),
            extra(),
        ),
        a in (
            prop::option::of(contact()),
            prop::collection::vec(window(), 0..3),
            prop::option::of(versions()),
            prop::option::of(conditions()),
            prop::option::of(install()),
            prop::option::of(os()),
        ),
        b in (
            prop::option::of(topology()),
            prop::option::of(geo()),
            prop::option::of(notes()),
            prop::option::of(backup()),
            prop::option::of(rollback()),
            prop::collection::vec(
                select(vec![
                    "conditions.npm_packages",
                    "conditions.large_users_table",
                    "backup.object_storage_backed_up",
                ])
                .prop_map(String::from),
                0..3,
            ),
            prop::collection::vec(dependency_upgrade(), 0..4),
            prop::option::of(any::<bool>()),
        ),
    ) -> Plan {
        let (plan_id, revision, created_at, updated_at, last_step, reviewed, zero_downtime, extra) =
            header;
        Plan {
            plan_id,
            revision,
            created_at,
            updated_at,
            contact: a.0,
            windows: a.1,
            versions: a.2,
            conditions: a.3,
            zero_downtime,
            install: a.4,
            os: a.5,
            topology: b.0,
            geo: b.1,
            notes: b.2,
            known_issues_reviewed: reviewed,
            backup: b.3,
            rollback: b.4,
            last_step,
            to_verify: b.5,
            dependency_upgrades: b.6,
            backup_every_hop: b.7,
            extra,
            ..Plan::default()
        }
    }
}

fn plan() -> BoxedStrategy<Plan> {
    plan_unboxed().boxed()
}

/// The plan as a file would hold it, loaded back: what a user's file gives.
fn as_loaded(plan: &Plan) -> Plan {
    let text = plan_file::to_json(plan);
    match plan_file::parse(Path::new("generated.upgrade-plan.json"), text.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("a generated plan does not load: {e}\n{text}"),
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Save, reload: equal, and the second save gives the same text. Validation never panics.
    #[test]
    fn plans_that_load_round_trip_and_validate(plan in plan()) {
        let loaded = as_loaded(&plan);
        prop_assert_eq!(&loaded, &plan);
        fuzz_harness::round_trip(&loaded);
        let text = plan_file::to_json(&loaded);
        fuzz_harness::plan_loader(text.as_bytes());
    }

    /// A plan file written by hand with the keys in any order and unknown keys anywhere loads
    /// the same as the canonical file.
    #[test]
    fn key_order_does_not_matter(plan in plan(), seed in any::<u64>()) {
        let value = serde_json::to_value(&plan).unwrap();
        let shuffled = shuffle(value, seed);
        let text = serde_json::to_string(&shuffled).unwrap();
        let loaded = plan_file::parse(Path::new("shuffled.upgrade-plan.json"), text.as_bytes());
        prop_assert!(loaded.is_ok(), "{:?}", loaded.err().map(|e| e.to_string()));
        prop_assert_eq!(loaded.unwrap(), plan);
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// Export as the CLI does (a draft when the plan has errors): the PDF and the Markdown
    /// render, and the exported plan file loads.
    #[test]
    fn plans_that_load_export(plan in plan(), letter in any::<bool>()) {
        let loaded = as_loaded(&plan);
        let analysis = upgrade_planner::validate::analyse(
            &loaded,
            &upgrade_planner::knowledge::Knowledge::embedded(),
            fuzz_harness::today(),
        );
        let paper = if letter { Paper::Letter } else { Paper::A4 };
        let model = fuzz_harness::build_model(&loaded, &analysis, paper);
        let pdf = upgrade_planner::export::pdf::render_pdf(&model);
        prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        prop_assert!(pdf.unwrap().starts_with(b"%PDF-"));
        let md = upgrade_planner::export::markdown::render(&model);
        prop_assert!(md.starts_with("## GitLab upgrade plan"));
        let exported = upgrade_planner::export::plan_json(&loaded);
        prop_assert!(plan_file::parse(Path::new("exported.json"), exported.as_bytes()).is_ok());
    }
}

/// Reorder the keys of every object (deterministically from `seed`).
fn shuffle(value: Value, seed: u64) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            let n = entries.len();
            if n > 1 {
                let rot = usize::try_from(seed % n as u64).unwrap_or(0);
                entries.rotate_left(rot);
                if seed & 1 == 1 {
                    entries.reverse();
                }
            }
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, shuffle(v, seed.rotate_left(7))))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| shuffle(v, seed.rotate_left(3)))
                .collect(),
        ),
        other => other,
    }
}
