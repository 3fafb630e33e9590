//! Checks before and after a change, and the backup of data, secrets and configuration.

use super::*;

/// Batched background migrations have finished.
pub fn background_migrations_check(ctx: &Context, what: &str) -> RunbookStep {
    let single_bundled = !ctx.multi_node
        && ctx.pg_mode != Some(PostgresMode::External)
        && matches!(
            ctx.method(),
            InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit
        );
    if single_bundled {
        RunbookStep::cmd(
            format!(
                "{what}: the query returns no rows (or Admin > Monitoring > Background migrations shows nothing queued, finalizing or failed)."
            ),
            "sudo gitlab-psql -c \"SELECT job_class_name, table_name, column_name, job_arguments FROM batched_background_migrations WHERE status NOT IN(3, 6);\"",
        )
    } else {
        RunbookStep::cmd(
            format!(
                "{what}: the command prints 0 (or Admin > Monitoring > Background migrations shows nothing queued, finalizing or failed)."
            ),
            ctx.rails_runner(
                "puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count",
            ),
        )
    }
}

pub(super) fn gitlab_check(ctx: &Context) -> RunbookStep {
    RunbookStep::cmd(
        "GitLab's own checks pass (every line ends in yes or OK).",
        ctx.rake("gitlab:check SANITIZE=true"),
    )
}

pub(super) fn secrets_check(ctx: &Context) -> RunbookStep {
    RunbookStep::cmd(
        "Encrypted data can be decrypted with the current secrets (no failures reported).",
        ctx.rake("gitlab:doctor:secrets"),
    )
}

/// The command that backs up the data at the running version.
pub fn backup_command(ctx: &Context) -> String {
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            "sudo gitlab-backup create".to_string()
        }
        InstallMethod::Docker => format!("docker exec -t {} gitlab-backup create", ctx.container),
        InstallMethod::HelmChart | InstallMethod::Operator => {
            "kubectl exec -it deploy/gitlab-toolbox -- backup-utility".to_string()
        }
        InstallMethod::SelfCompiled => {
            "cd /home/git/gitlab && sudo -u git -H bundle exec rake gitlab:backup:create RAILS_ENV=production"
                .to_string()
        }
    }
}

/// The secrets and configuration that the GitLab backup does not contain, for the method.
pub fn files_to_keep(method: Option<InstallMethod>) -> Vec<String> {
    match method.unwrap_or(InstallMethod::LinuxPackage) {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => vec![
            "/etc/gitlab/gitlab-secrets.json (database encryption key, CI/CD variables, 2FA secrets)".into(),
            "/etc/gitlab/gitlab.rb".into(),
            "/etc/gitlab/ssl/ and /etc/gitlab/trusted-certs/ (TLS keys and certificates)".into(),
            "/etc/ssh/ssh_host_* (SSH host keys, so clients do not see a changed host key)".into(),
        ],
        InstallMethod::Docker => vec![
            "The configuration volume, usually /srv/gitlab/config (it holds gitlab-secrets.json, gitlab.rb, TLS certificates and the SSH host keys)".into(),
        ],
        InstallMethod::HelmChart | InstallMethod::Operator => vec![
            "The rails secret (gitlab-rails-secret for a release named gitlab) and the other Kubernetes Secrets of the release".into(),
            "The Helm values: helm get values gitlab > gitlab.yaml".into(),
        ],
        InstallMethod::SelfCompiled => vec![
            "/home/git/gitlab/config/secrets.yml".into(),
            "/home/git/gitlab/config/gitlab.yml".into(),
            "TLS keys and certificates of the web server, and /etc/ssh/ssh_host_* (SSH host keys)".into(),
        ],
    }
}

/// Save the secrets and configuration of the running version, named after it.
fn secrets_backup_steps(ctx: &Context, version: &str) -> Vec<RunbookStep> {
    let keep = ctx.where_to_keep();
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            let mut s = RunbookStep::cmd(
                format!(
                    "Save the secrets and configuration taken at {version} (the backup does not contain them){}. {keep}",
                    if ctx.multi_node {
                        ", on every node"
                    } else {
                        ""
                    }
                ),
                format!(
                    "sudo tar -czf gitlab-config-{version}.tar.gz /etc/gitlab /etc/ssh/ssh_host_*"
                ),
            );
            if ctx.multi_node {
                s.text
                    .push_str(" gitlab-secrets.json must be identical on all nodes.");
            }
            let every = if ctx.multi_node { " on every node" } else { "" };
            vec![s.routine(
                format!("Save the secrets and configuration of {version}{every}; keep them off the hosts."),
                true,
            )]
        }
        InstallMethod::Docker => vec![RunbookStep::cmd(
            format!(
                "Save the configuration volume taken at {version} (it holds gitlab-secrets.json; the backup does not). Adjust the path if your volume lives elsewhere. {keep}"
            ),
            format!("sudo tar -czf gitlab-config-{version}.tar.gz /srv/gitlab/config"),
        )],
        InstallMethod::HelmChart | InstallMethod::Operator => vec![
            RunbookStep::cmd(
                format!("Save the rails secret taken at {version}. {keep}"),
                format!(
                    "kubectl get secret gitlab-rails-secret -o jsonpath=\"{{.data['secrets\\.yml']}}\" | base64 --decode > gitlab-rails-secret-{version}.yaml"
                ),
            ),
            RunbookStep::cmd(
                format!("Save the Helm values in use at {version}."),
                format!("helm get values gitlab > gitlab-values-{version}.yaml"),
            ),
        ],
        InstallMethod::SelfCompiled => vec![RunbookStep::cmd(
            format!("Save the secrets and configuration taken at {version}. {keep}"),
            format!(
                "sudo tar -czf gitlab-config-{version}.tar.gz /home/git/gitlab/config/secrets.yml /home/git/gitlab/config/gitlab.yml /etc/ssh/ssh_host_*"
            ),
        )],
    }
}

/// Backup steps at the running `version` (data, then secrets and configuration).
pub fn backup_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    let method = ctx.backup_method.unwrap_or(BackupMethod::GitlabBackup);
    if matches!(method, BackupMethod::GitlabBackup | BackupMethod::Both) {
        let mut text = format!(
            "Back up GitLab at {version}. This backup restores only onto exactly GitLab {version} {edition_label}; note its ID (the file name before _gitlab_backup.tar)."
        );
        if ctx.multi_node && !ctx.kubernetes() {
            text.push_str(" Run it on one Rails node with enough free disk.");
        }
        if ctx.pgbouncer && !ctx.kubernetes() {
            text.push_str(
                " With PgBouncer, point the backup straight at the database leader (GITLAB_BACKUP_PGHOST and GITLAB_BACKUP_PGPORT).",
            );
        }
        let leader = if ctx.pgbouncer && !ctx.kubernetes() {
            ", straight from the database leader (not through PgBouncer)"
        } else {
            ""
        };
        steps.push(RunbookStep::cmd(text, backup_command(ctx)).routine(
            format!(
                "Back up GitLab at {version}{leader} as section 7 says; note the backup ID (it restores only onto {version} {edition_label})."
            ),
            true,
        ));
    }
    if matches!(method, BackupMethod::Snapshot | BackupMethod::Both) {
        let mut text = format!(
            "Snapshot every node at {version} at the same moment{}, with GitLab stopped or quiesced.",
            if ctx.multi_node { " (all of them)" } else { "" }
        );
        if ctx.gitaly_cluster {
            text.push_str(
                " Snapshot all Gitaly nodes together with the Praefect database; never restore a single Gitaly Cluster node.",
            );
        }
        text.push_str(" Snapshots are outside GitLab Support's scope.");
        steps.push(RunbookStep::text(text));
    }
    steps.extend(secrets_backup_steps(ctx, version));
    if ctx.object_storage && !ctx.kubernetes() {
        steps.push(
            RunbookStep::text(
                "Object storage is not in the GitLab backup: back up or version the buckets with the storage provider's tools.",
            )
            .routine("Back up or version the object storage buckets.", false),
        );
    }
    steps
}
