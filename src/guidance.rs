//! Install-method specific guidance shown in the wizard: which files to keep besides the
//! backup, the backup command, and the rollback steps. Facts from GitLab's backup, restore and
//! downgrade documentation (see docs/gitlab-upgrade-facts.md of the research).

use crate::plan::{Edition, InstallMethod};

/// Files and secrets the GitLab backup does not contain and that must be kept with it.
pub fn files_to_keep(method: InstallMethod) -> &'static [&'static str] {
    match method {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => &[
            "/etc/gitlab/gitlab-secrets.json",
            "/etc/gitlab/gitlab.rb",
            "/etc/gitlab/ssl/ and /etc/gitlab/trusted-certs/",
            "SSH host keys (/etc/ssh/ssh_host_*)",
        ],
        InstallMethod::Docker => &[
            "The config volume, usually /srv/gitlab/config (it holds gitlab-secrets.json and gitlab.rb)",
            "SSH host keys in the config volume",
        ],
        InstallMethod::HelmChart | InstallMethod::Operator => &[
            "The rails secret (kubectl get secret <release>-rails-secret -o yaml)",
            "The other Kubernetes Secrets of the release",
            "The Helm values: helm get values gitlab > gitlab.yaml",
        ],
        InstallMethod::SelfCompiled => &[
            "/home/git/gitlab/config/secrets.yml",
            "/home/git/gitlab/config/gitlab.yml",
            "/home/git/gitlab/.gitlab_shell_secret and TLS certificates",
        ],
    }
}

/// The command that takes a GitLab backup.
pub fn backup_command(method: InstallMethod) -> &'static str {
    match method {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            "sudo gitlab-backup create"
        }
        InstallMethod::Docker => "docker exec -t <container> gitlab-backup create",
        InstallMethod::HelmChart | InstallMethod::Operator => {
            "kubectl exec <toolbox pod> -it -- backup-utility"
        }
        InstallMethod::SelfCompiled => {
            "sudo -u git -H bundle exec rake gitlab:backup:create RAILS_ENV=production"
        }
    }
}

/// Rollback steps for the install method, returning to `version` (the version the backup was
/// taken on). `rpm` selects yum over apt for the Linux package.
pub fn rollback_steps(
    method: InstallMethod,
    edition: Edition,
    version: &str,
    rpm: bool,
) -> Vec<String> {
    let pkg = match edition {
        Edition::Ee => "gitlab-ee",
        Edition::Ce => "gitlab-ce",
    };
    let suffix = edition.id();
    match method {
        InstallMethod::LinuxPackage | InstallMethod::EnvironmentToolkit => {
            let (remove, install) = if rpm {
                (
                    format!("sudo yum remove {pkg}"),
                    format!("sudo yum install {pkg}-{version}-{suffix}.0.el<N>"),
                )
            } else {
                (
                    format!("sudo dpkg -r {pkg}"),
                    format!("sudo apt install {pkg}={version}-{suffix}.0"),
                )
            };
            vec![
                "Stop Puma and Sidekiq: sudo gitlab-ctl stop puma && sudo gitlab-ctl stop sidekiq".into(),
                format!("Remove the package: {remove}"),
                format!("Install the version the backup was taken on: {install}"),
                "Put back /etc/gitlab/gitlab-secrets.json and /etc/gitlab/gitlab.rb from the backup, then: sudo gitlab-ctl reconfigure".into(),
                "Restore the backup: sudo gitlab-backup restore BACKUP=<backup id>".into(),
                "Restart and check: sudo gitlab-ctl restart && sudo gitlab-rake gitlab:check SANITIZE=true && sudo gitlab-rake gitlab:doctor:secrets".into(),
            ]
        }
        InstallMethod::Docker => vec![
            "Stop and remove the upgraded container (the volumes stay).".into(),
            format!("Start the previous image: gitlab/{pkg}:{version}-{suffix}.0 with the same volumes, and the config volume restored from the backup."),
            "Restore the backup: docker exec -it <container> gitlab-backup restore BACKUP=<backup id>".into(),
            "Restart and check: docker restart <container>, then docker exec -it <container> gitlab-rake gitlab:check SANITIZE=true".into(),
        ],
        InstallMethod::HelmChart | InstallMethod::Operator => vec![
            "GitLab's rollback page does not cover Kubernetes: restore rather than downgrade in place.".into(),
            format!("Deploy the chart version matching GitLab {version} with the saved values (helm upgrade … --version <chart> -f gitlab.yaml)."),
            "Restore the rails secret and other Kubernetes Secrets saved before the upgrade.".into(),
            "Restore the backup with backup-utility in restore mode on the toolbox pod (see the chart restore documentation).".into(),
        ],
        InstallMethod::SelfCompiled => vec![
            "Stop GitLab.".into(),
            format!("Check out and build GitLab {version} again (the version the backup was taken on)."),
            "Put back config/secrets.yml and config/gitlab.yml.".into(),
            "Restore: sudo -u git -H bundle exec rake gitlab:backup:restore RAILS_ENV=production".into(),
            "Start GitLab and run gitlab:check.".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_package_keeps_secrets_and_config() {
        let files = files_to_keep(InstallMethod::LinuxPackage);
        assert!(files.contains(&"/etc/gitlab/gitlab-secrets.json"));
        assert!(files.contains(&"/etc/gitlab/gitlab.rb"));
        assert!(
            files_to_keep(InstallMethod::HelmChart)
                .iter()
                .any(|f| f.contains("helm get values"))
        );
    }

    #[test]
    fn rollback_pins_the_old_version_for_the_package_manager() {
        let deb = rollback_steps(InstallMethod::LinuxPackage, Edition::Ee, "16.3.9", false);
        assert!(
            deb.iter()
                .any(|s| s.contains("apt install gitlab-ee=16.3.9-ee.0"))
        );
        let rpm = rollback_steps(InstallMethod::LinuxPackage, Edition::Ce, "16.3.9", true);
        assert!(
            rpm.iter()
                .any(|s| s.contains("yum install gitlab-ce-16.3.9-ce.0"))
        );
        let docker = rollback_steps(InstallMethod::Docker, Edition::Ee, "16.3.9", false);
        assert!(
            docker
                .iter()
                .any(|s| s.contains("gitlab/gitlab-ee:16.3.9-ee.0"))
        );
    }
}
