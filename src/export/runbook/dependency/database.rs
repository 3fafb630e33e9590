//! PostgreSQL and Redis steps: bundled PostgreSQL with `gitlab-ctl pg-upgrade` (single node or
//! Patroni), the package's own upgrade, and external databases upgraded by their provider.

use super::*;

pub(super) fn postgresql(ctx: &Context, spec: &DependencySpec<'_>) -> Vec<RunbookGroup> {
    let s = spec.step;
    if s.origin == Origin::Automatic {
        return by_the_package(ctx, s);
    }
    match (ctx.pg_mode, ctx.method()) {
        (Some(PostgresMode::External), _) | (_, InstallMethod::SelfCompiled) => external(ctx, s),
        (Some(PostgresMode::BundledHa), _) => patroni(ctx, s),
        (_, InstallMethod::HelmChart | InstallMethod::Operator) => vec![RunbookGroup::new(
            "Upgrade the chart's PostgreSQL",
            vec![
                RunbookStep::text(format!(
                    "The chart's bundled PostgreSQL is for trials only: move to an external PostgreSQL {} with the chart's documented procedure (backup, new database, restore).",
                    target_text(&s.to)
                ))
                .unverified(),
            ],
        )],
        _ => bundled(ctx, s),
    }
}

/// The major the `pg-upgrade` command takes: `16` for `16` or `16.5`.
fn major_arg(to: &str) -> String {
    major_of(to).map_or_else(|| to.to_string(), |m| m.to_string())
}

/// `gitlab-psql` for the method (bundled PostgreSQL only).
fn psql(ctx: &Context, sql: &str) -> String {
    match ctx.method() {
        InstallMethod::Docker => {
            format!("docker exec -t {} gitlab-psql -c \"{sql}\"", ctx.container)
        }
        _ => format!("sudo gitlab-psql -c \"{sql}\""),
    }
}

/// Single-node bundled PostgreSQL: `gitlab-ctl pg-upgrade -V N` with its checks.
fn bundled(ctx: &Context, s: &DependencyStep) -> Vec<RunbookGroup> {
    let major = major_arg(&s.to);
    let old = major_arg(&s.from);
    let ctl = |args: &str| {
        ctx.ctl(args)
            .unwrap_or_else(|| format!("sudo gitlab-ctl {args}"))
    };
    let before = vec![
        RunbookStep::cmd(
            "Free disk where the database lives is larger than the database itself: pg-upgrade writes a converted copy beside it (or give it another disk with --tmp-dir).",
            match ctx.method() {
                InstallMethod::Docker => format!(
                    "docker exec -t {} du -sh /var/opt/gitlab/postgresql/data && docker exec -t {} df -h /var/opt/gitlab/postgresql",
                    ctx.container, ctx.container
                ),
                _ => "sudo du -sh /var/opt/gitlab/postgresql/data && df -h /var/opt/gitlab/postgresql"
                    .to_string(),
            },
        ),
        RunbookStep::cmd(
            format!("PostgreSQL runs {old}.x now."),
            psql(ctx, "SHOW server_version;"),
        ),
    ];
    let upgrade = vec![
        RunbookStep::cmd(
            format!(
                "Upgrade the bundled PostgreSQL to {major}. GitLab is stopped while the data is converted and started again afterwards; the command then rebuilds the statistics (ANALYZE). Watch the output for errors."
            ),
            ctl(&format!("pg-upgrade -V {major}")),
        ),
        RunbookStep::cmd(
            format!(
                "If it fails and cannot be fixed: return to PostgreSQL {old} (the old data directory is kept)."
            ),
            ctl(&format!("revert-pg-upgrade -V {old}")),
        )
        .unverified(),
    ];
    let after = vec![
        RunbookStep::cmd(
            format!("PostgreSQL reports {major}.x."),
            psql(ctx, "SHOW server_version;"),
        ),
        RunbookStep::cmd(
            "Every service is running (each line starts with run:).",
            ctl("status"),
        ),
        gitlab_check(ctx),
    ];
    vec![
        RunbookGroup::new("Before", before),
        RunbookGroup::new("Upgrade", upgrade),
        RunbookGroup::new("Check", after),
    ]
}

/// Patroni (bundled PostgreSQL with HA): the leader first, then each replica.
fn patroni(ctx: &Context, s: &DependencyStep) -> Vec<RunbookGroup> {
    let major = major_arg(&s.to);
    let steps = vec![
        RunbookStep::cmd(
            "On a PostgreSQL node: find the leader and the replicas; every member is running and streaming.",
            "sudo gitlab-ctl patroni members",
        ),
        RunbookStep::text(
            "Free disk on every PostgreSQL node is larger than the database: pg-upgrade writes a converted copy beside it.",
        ),
        stop_application(ctx),
        RunbookStep::cmd(
            "On each replica: stop Patroni.",
            "sudo gitlab-ctl stop patroni",
        ),
        RunbookStep::cmd(
            format!("On the leader: upgrade to PostgreSQL {major}."),
            format!("sudo gitlab-ctl pg-upgrade -V {major}"),
        )
        .unverified(),
        RunbookStep::cmd(
            format!("On each replica, one at a time: upgrade to PostgreSQL {major} (it copies the data from the leader again)."),
            format!("sudo gitlab-ctl pg-upgrade -V {major}"),
        )
        .unverified(),
        RunbookStep::cmd(
            "Every member runs again, the replicas stream from the leader.",
            "sudo gitlab-ctl patroni members",
        ),
        start_application(ctx),
    ];
    vec![
        RunbookGroup::new("Upgrade the Patroni cluster", steps),
        RunbookGroup::new(
            "Check from GitLab",
            gitlab_side_checks(ctx, &format!("GitLab reports DB Version {major}.x.")),
        ),
    ]
}

/// The package upgrades a single-node bundled PostgreSQL while it installs the hop.
fn by_the_package(ctx: &Context, s: &DependencyStep) -> Vec<RunbookGroup> {
    vec![RunbookGroup::new(
        "Check after the hop",
        vec![RunbookStep::cmd(
            format!(
                "PostgreSQL reports {}.x (the package upgraded it while installing the hop; the hop's pre-checks took a backup first).",
                major_arg(&s.to)
            ),
            psql(ctx, "SHOW server_version;"),
        )],
    )]
}

/// The provider's commands for a PostgreSQL upgrade, when they are known.
fn provider_steps(ctx: &Context, s: &DependencyStep, major_change: bool) -> Vec<RunbookStep> {
    let major = major_arg(&s.to);
    let label = format!("gitlab-before-postgresql-{major}");
    match (ctx.pg_provider.as_deref(), major_change) {
        (Some("aws_rds"), _) => vec![
            RunbookStep::cmd(
                "Take a manual snapshot of the instance (RDS also takes one before a major upgrade when automated backups are on).",
                format!("aws rds create-db-snapshot --db-instance-identifier <instance> --db-snapshot-identifier {label}"),
            )
            .unverified(),
            RunbookStep::cmd(
                format!(
                    "Upgrade the instance to PostgreSQL {}{} and wait until it is available again.",
                    target_text(&s.to),
                    if major_change { " with a parameter group of the new family" } else { "" }
                ),
                format!(
                    "aws rds modify-db-instance --db-instance-identifier <instance> --engine-version <{major}.x>{} --apply-immediately && aws rds wait db-instance-available --db-instance-identifier <instance>",
                    if major_change {
                        format!(" --allow-major-version-upgrade --db-parameter-group-name <postgres{major} group>")
                    } else {
                        String::new()
                    }
                ),
            )
            .unverified(),
        ],
        (Some("aws_aurora"), _) => vec![
            RunbookStep::cmd(
                "Take a manual snapshot of the cluster.",
                format!("aws rds create-db-cluster-snapshot --db-cluster-identifier <cluster> --db-cluster-snapshot-identifier {label}"),
            )
            .unverified(),
            RunbookStep::cmd(
                format!("Upgrade the cluster to PostgreSQL {}.", target_text(&s.to)),
                format!(
                    "aws rds modify-db-cluster --db-cluster-identifier <cluster> --engine-version <{major}.x>{} --apply-immediately",
                    if major_change { " --allow-major-version-upgrade --db-cluster-parameter-group-name <aurora-postgresql group>" } else { "" }
                ),
            )
            .unverified(),
        ],
        (Some("gcp_cloud_sql"), true) => vec![
            RunbookStep::cmd(
                "Take an on-demand backup of the instance.",
                "gcloud sql backups create --instance=<instance>",
            )
            .unverified(),
            RunbookStep::cmd(
                format!("Upgrade the instance to PostgreSQL {major}."),
                format!("gcloud sql instances patch <instance> --database-version=POSTGRES_{major}"),
            )
            .unverified(),
        ],
        (Some("azure"), true) => vec![
            RunbookStep::cmd(
                format!("Upgrade the flexible server to PostgreSQL {major} (Azure takes a backup first)."),
                format!("az postgres flexible-server upgrade --resource-group <group> --name <server> --version {major}"),
            )
            .unverified(),
        ],
        (_, true) => vec![RunbookStep::text(format!(
            "Take a backup or snapshot of the database, then upgrade it to PostgreSQL {} with your platform's major version upgrade (pg_upgrade underneath), following its pre- and post-upgrade steps.",
            target_text(&s.to)
        ))],
        (_, false) => vec![RunbookStep::text(format!(
            "Apply PostgreSQL {} with your platform's minor version upgrade (binaries replaced, the data directory stays).",
            target_text(&s.to)
        ))],
    }
}

/// An external PostgreSQL: GitLab stopped, the provider's upgrade, statistics rebuilt, GitLab
/// pointed at the database again and checked.
fn external(ctx: &Context, s: &DependencyStep) -> Vec<RunbookGroup> {
    let major = major_arg(&s.to);
    let major_change = major_of(&s.from) != major_of(&s.to);
    let mut gitlab_after = Vec::new();
    if major_change {
        let vacuumdb = match ctx.method() {
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
                "/opt/gitlab/embedded/bin/vacuumdb"
            }
            _ => "vacuumdb",
        };
        gitlab_after.push(RunbookStep::cmd(
            "Rebuild the optimizer statistics on every database of the instance: a major upgrade does not carry them over, and GitLab is very slow without them. It takes a while on a large database.",
            format!("{vacuumdb} --host=<database host> --username=<admin user> --all --analyze-only --jobs=4"),
        ));
    }
    gitlab_after.push(reconnect_step(ctx));
    if ctx.pgbouncer {
        gitlab_after.push(RunbookStep::cmd(
            "On each PgBouncer node: restart PgBouncer so it opens new connections.",
            "sudo gitlab-ctl restart pgbouncer",
        ));
    }
    gitlab_after.push(start_application(ctx));
    gitlab_after.extend(gitlab_side_checks(
        ctx,
        &format!("GitLab reports DB Version {major}.x."),
    ));
    if ctx.geo && major_change {
        gitlab_after.push(RunbookStep::text(
            "Geo: the secondary sites' databases follow; after a PostgreSQL major upgrade, replication to each secondary is set up again (see the Geo documentation).",
        ));
    }
    vec![
        RunbookGroup::new("Before, on GitLab's side", vec![stop_application(ctx)]),
        RunbookGroup::new("On the provider", provider_steps(ctx, s, major_change)),
        RunbookGroup::new("After, on GitLab's side", gitlab_after),
    ]
}

/// Point GitLab at the database again when its address changed.
fn reconnect_step(ctx: &Context) -> RunbookStep {
    let on = if ctx.multi_node {
        " on every Rails and Sidekiq node"
    } else {
        ""
    };
    match ctx.method() {
        InstallMethod::HelmChart | InstallMethod::Operator => RunbookStep::text(
            "If the database's address or port changed (a new instance, a blue/green switch): set global.psql.host and port in the values and run helm upgrade with the same chart version.",
        ),
        InstallMethod::SelfCompiled => RunbookStep::text(
            "If the database's address or port changed: update config/database.yml.",
        ),
        _ => RunbookStep::cmd(
            format!(
                "If the database's address or port changed (a new instance, a blue/green switch): set gitlab_rails['db_host'] and ['db_port'] in gitlab.rb{on}, then reconfigure."
            ),
            ctx.ctl("reconfigure").unwrap_or_default(),
        ),
    }
}

/// External Redis: the provider's upgrade, then Puma and Sidekiq reconnect.
pub(super) fn redis(ctx: &Context, spec: &DependencySpec<'_>) -> Vec<RunbookGroup> {
    let s = spec.step;
    let provider = vec![
        RunbookStep::text(format!(
            "Upgrade Redis to {} with the provider's tools (or the package manager of the Redis nodes, replicas first). Sessions and queued Sidekiq jobs survive only if the data is kept.",
            target_text(&s.to)
        )),
        RunbookStep::cmd(
            format!("Redis reports {}.", s.to),
            "redis-cli -h <redis host> INFO server | grep redis_version",
        ),
    ];
    let restart = match ctx.method() {
        InstallMethod::HelmChart | InstallMethod::Operator => RunbookStep::cmd(
            "Restart the webservice and Sidekiq pods so they reconnect.",
            "kubectl delete pods -l 'app in (webservice,sidekiq),release=gitlab'",
        ),
        InstallMethod::SelfCompiled => RunbookStep::cmd(
            "Restart GitLab so it reconnects.",
            "sudo service gitlab restart",
        ),
        _ => RunbookStep::cmd(
            "Restart Puma and Sidekiq so they reconnect.",
            ctx.ctl("restart puma")
                .zip(ctx.ctl("restart sidekiq"))
                .map_or_else(String::new, |(a, b)| format!("{a} && {b}")),
        ),
    };
    vec![
        RunbookGroup::new("On the provider", provider),
        RunbookGroup::new("After, on GitLab's side", vec![restart, gitlab_check(ctx)]),
    ]
}
