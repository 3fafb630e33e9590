//! Restore, rollback and the Geo procedure.

use super::checks::{gitlab_check, secrets_check};
use super::*;

/// Restore a backup taken at `version` (with its secrets and configuration).
pub fn restore_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = vec![RunbookStep::text(format!(
        "GitLab {version} {edition_label} is installed and has been reconfigured once: a backup restores only onto the exact version and edition that made it."
    ))];
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            steps.push(RunbookStep::cmd(
                "Put back the secrets and configuration saved at that version, then reconfigure.",
                format!("sudo tar -xzf gitlab-config-{version}.tar.gz -C / && sudo gitlab-ctl reconfigure"),
            ));
            steps.push(RunbookStep::cmd(
                "Stop the processes that use the database.",
                "sudo gitlab-ctl stop puma && sudo gitlab-ctl stop sidekiq",
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup (the ID is the file name before _gitlab_backup.tar).",
                "sudo gitlab-backup restore BACKUP=<backup ID>",
            ));
            steps.push(RunbookStep::cmd(
                "Reconfigure and restart.",
                "sudo gitlab-ctl reconfigure && sudo gitlab-ctl restart",
            ));
        }
        InstallMethod::Docker => {
            let c = &ctx.container;
            steps.push(RunbookStep::text(
                "Put back the configuration volume saved at that version (gitlab-config-<version>.tar.gz) and restart the container.",
            ));
            steps.push(RunbookStep::cmd(
                "Stop the processes that use the database.",
                format!("docker exec -t {c} gitlab-ctl stop puma && docker exec -t {c} gitlab-ctl stop sidekiq"),
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup.",
                format!("docker exec -it {c} gitlab-backup restore BACKUP=<backup ID>"),
            ));
            steps.push(RunbookStep::cmd(
                "Restart the container.",
                format!("docker restart {c}"),
            ));
        }
        InstallMethod::HelmChart | InstallMethod::Operator => {
            steps.push(RunbookStep::cmd(
                "Put back the rails secret saved at that version.",
                format!(
                    "kubectl delete secret gitlab-rails-secret && kubectl create secret generic gitlab-rails-secret --from-file=secrets.yml=gitlab-rails-secret-{version}.yaml"
                ),
            ));
            steps.push(
                RunbookStep::cmd(
                    "Restore the backup from the backup bucket with the toolbox.",
                    "kubectl exec -it deploy/gitlab-toolbox -- backup-utility --restore -t <backup ID>",
                )
                .unverified(),
            );
            steps.push(RunbookStep::cmd(
                "Restart the webservice and Sidekiq pods so they read the restored secret.",
                "kubectl delete pods -l 'app in (webservice,sidekiq),release=gitlab'",
            ));
        }
        InstallMethod::SelfCompiled => {
            steps.push(RunbookStep::text(
                "Put back config/secrets.yml and config/gitlab.yml saved at that version and stop GitLab.",
            ));
            steps.push(RunbookStep::cmd(
                "Restore the backup.",
                "cd /home/git/gitlab && sudo -u git -H bundle exec rake gitlab:backup:restore BACKUP=<backup ID> RAILS_ENV=production",
            ));
        }
    }
    steps.push(gitlab_check(ctx));
    steps.push(secrets_check(ctx));
    steps
}

/// Roll back to `version` (the version running before the failed hop).
pub fn rollback_steps(ctx: &Context, version: &str, edition_label: &str) -> Vec<RunbookStep> {
    let mut steps = Vec::new();
    if ctx.backup_method == Some(BackupMethod::Snapshot) {
        steps.push(RunbookStep::text(format!(
            "Shut down every node and revert all of them to the snapshots taken at {version}, together (never a single Gitaly Cluster node)."
        )));
        steps.push(gitlab_check(ctx));
        return steps;
    }
    match ctx.method() {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            let on = if ctx.multi_node { " on every node" } else { "" };
            steps.push(RunbookStep::cmd(
                format!("Stop the processes that use the database{on}."),
                "sudo gitlab-ctl stop puma && sudo gitlab-ctl stop sidekiq",
            ));
            steps.push(RunbookStep::cmd(
                format!("Remove the new package{on}."),
                package_remove_command(ctx),
            ));
            steps.push(RunbookStep::cmd(
                format!("Install {version} again{on}."),
                package_install_command(ctx, version),
            ));
        }
        InstallMethod::Docker => {
            steps.push(RunbookStep::text(format!(
                "Stop the container and start {} with the same volumes and options.",
                docker_image(ctx, version)
            )));
        }
        InstallMethod::HelmChart | InstallMethod::Operator => {
            let chart = chart_version(version).unwrap_or_else(|| "<chart version>".into());
            steps.push(
                RunbookStep::cmd(
                    format!(
                        "GitLab's rollback page does not cover Kubernetes: redeploy chart {chart} (GitLab {version}) with the values saved at that version, then restore."
                    ),
                    format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab-values-{version}.yaml"),
                )
                .unverified(),
            );
        }
        InstallMethod::SelfCompiled => {
            let tag = match ctx.edition {
                Edition::Ee => format!("v{version}-ee"),
                Edition::Ce => format!("v{version}"),
            };
            steps.push(
                RunbookStep::text(format!(
                    "GitLab's rollback page does not cover self-compiled installations: check out {tag} again, reinstall its dependencies, then restore."
                ))
                .unverified(),
            );
        }
    }
    steps.extend(restore_steps(ctx, version, edition_label));
    if ctx.object_storage {
        steps.push(RunbookStep::text(
            "Return the object storage buckets to the state of the backup with the provider's tools.",
        ));
    }
    steps.push(RunbookStep::text(
        "Data written since the backup is lost: tell users what to push again.",
    ));
    steps
}

/// The Geo procedure for every hop.
pub fn geo_procedure(ctx: &Context) -> Vec<RunbookStep> {
    if ctx.zero_downtime {
        return vec![
            RunbookStep::text(
                "Upgrade the primary site without the post-deployment migrations (zero-downtime order).",
            ),
            RunbookStep::text(
                "Copy /etc/gitlab/gitlab-secrets.json from the primary to every secondary node.",
            ),
            RunbookStep::cmd(
                "On each secondary: set geo_secondary['auto_migrate'] = false, upgrade, then migrate the tracking database.",
                "sudo SKIP_POST_DEPLOYMENT_MIGRATIONS=true gitlab-rake db:migrate:geo",
            ),
            RunbookStep::cmd(
                "Run the post-deployment migrations on the primary.",
                "sudo gitlab-rake db:migrate",
            ),
            RunbookStep::cmd("Then on each secondary.", "sudo gitlab-rake db:migrate:geo"),
            RunbookStep::cmd(
                "Every site reports healthy.",
                "sudo gitlab-rake gitlab:geo:check",
            ),
        ];
    }
    vec![
        RunbookStep::cmd(
            "Optional: pause replication on each secondary site.",
            "sudo gitlab-ctl geo-replication-pause",
        ),
        RunbookStep::text("Upgrade every node of the primary site and test it."),
        RunbookStep::text(
            "Copy /etc/gitlab/gitlab-secrets.json from the primary to every secondary node (it must be identical).",
        ),
        RunbookStep::text("Upgrade every node of each secondary site."),
        RunbookStep::cmd(
            "Resume replication on each secondary site.",
            "sudo gitlab-ctl geo-replication-resume",
        ),
        RunbookStep::cmd(
            "Restart Puma and Sidekiq on the secondary sites.",
            "sudo gitlab-ctl restart puma && sudo gitlab-ctl restart sidekiq",
        ),
        RunbookStep::cmd(
            "Every site reports healthy.",
            "sudo gitlab-rake gitlab:geo:check",
        ),
    ]
}
