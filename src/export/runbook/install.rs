//! How a hop is installed, for each install method.

use super::*;

pub(super) fn install_steps(
    ctx: &Context,
    spec: &HopSpec<'_>,
    order: &[String],
) -> Vec<RunbookStep> {
    let v = pkg_version(spec.version, spec.patch_known);
    let mut steps = Vec::new();
    if !spec.patch_known {
        steps.push(RunbookStep::text(format!(
            "Look up the newest {} patch on packages.gitlab.com and use it for <patch> below.",
            spec.minor
        )));
    }
    match ctx.method() {
        InstallMethod::LinuxPackage => linux_package(ctx, spec, &v, order, &mut steps),
        InstallMethod::EnvironmentToolkit => environment_toolkit(&v, &mut steps),
        InstallMethod::Docker => docker(ctx, &v, &mut steps),
        InstallMethod::HelmChart => helm_chart(&v, &mut steps),
        InstallMethod::Operator => operator(&v, &mut steps),
        InstallMethod::SelfCompiled => self_compiled(ctx, spec, &v, &mut steps),
    }
    if ctx.geo
        && !ctx.kubernetes()
        && !(ctx.multi_node && ctx.method() == InstallMethod::LinuxPackage)
    {
        steps.push(RunbookStep::text(
            "Geo: upgrade every node of the primary site first, then each secondary site (see the Geo section).",
        ));
    }
    steps
}

fn linux_package(
    ctx: &Context,
    spec: &HopSpec<'_>,
    v: &str,
    order: &[String],
    steps: &mut Vec<RunbookStep>,
) {
    // The package runs the same configuration check and refuses to install; running it first
    // finds a removed setting before any node is touched.
    let commands = format!(
        "sudo gitlab-ctl check-config --version={}\n{}\n{}",
        spec.minor,
        package_refresh_command(ctx),
        package_install_command(ctx, v)
    );
    let what = format!(
        "check for settings {} removed, refresh the package lists, install {v}",
        spec.minor
    );
    if !ctx.multi_node {
        steps.push(RunbookStep::cmd(
            format!(
                "Check that no setting {} removed is left, refresh the package lists and install {v}. The package backs up the database and runs gitlab-ctl reconfigure with the migrations: watch the output for errors.",
                spec.minor
            ),
            commands,
        ).routine(format!("Check the configuration, refresh the package lists and install {v}; watch the output for errors."), true));
        return;
    }
    if ctx.zero_downtime {
        steps.push(RunbookStep::text(
            "Before a Rails node is upgraded, drain it from the load balancer (for example NGINX QUIT) and wait until /-/readiness fails.",
        ));
    }
    let order = if order.is_empty() {
        ""
    } else {
        " in the node order"
    };
    let geo = if ctx.geo {
        " (with Geo: the primary site, then each secondary)"
    } else {
        ""
    };
    let deploy = if ctx.zero_downtime {
        ""
    } else {
        " The Rails deploy node runs the migrations: wait for it before the other Rails nodes."
    };
    steps.push(
        RunbookStep::cmd(
            format!("On each node{order}{geo}: {what}.{deploy}"),
            commands,
        )
        .routine(format!("Install {v} on each node{order}."), true),
    );
    if ctx.zero_downtime {
        zero_downtime_reconfigure(steps);
    }
}

/// Zero-downtime: reconfigure without post-deployment migrations, then run them last.
fn zero_downtime_reconfigure(steps: &mut Vec<RunbookStep>) {
    steps.push(RunbookStep::cmd(
        "On the Rails deploy node: reconfigure without post-deployment migrations (it talks to the database leader directly, not through PgBouncer).",
        "sudo SKIP_POST_DEPLOYMENT_MIGRATIONS=true gitlab-ctl reconfigure",
    ));
    steps.push(RunbookStep::cmd(
        "On every other node: reconfigure, then restart (Gitaly and Praefect reload gracefully; PostgreSQL nodes restart Consul first).",
        "sudo gitlab-ctl reconfigure",
    ));
    steps.push(RunbookStep::cmd(
        "After ALL Rails nodes run the new version: run the post-deployment migrations on the deploy node.",
        "sudo gitlab-rake db:migrate",
    ));
}

fn environment_toolkit(v: &str, steps: &mut Vec<RunbookStep>) {
    steps.push(
        RunbookStep::cmd(
            format!(
                "Set gitlab_version: \"{v}\" in the environment's Ansible variables, then run the playbook (GET upgrades the nodes in the documented order)."
            ),
            "ansible-playbook -i environments/<env>/inventory playbooks/all.yml",
        )
        .unverified(),
    );
    steps.push(RunbookStep::cmd(
        "Every service is running on each node.",
        "sudo gitlab-ctl status",
    ));
}

fn docker(ctx: &Context, v: &str, steps: &mut Vec<RunbookStep>) {
    let image = docker_image(ctx, v);
    steps.push(RunbookStep::cmd(
        format!("Pull the {v} image."),
        format!("docker pull {image}"),
    ));
    steps.push(RunbookStep::text(format!(
        "Change the image tag to {image} where the container is defined (docker-compose.yml or your docker run command); keep every volume and option."
    )));
    steps.push(RunbookStep::cmd(
        "Recreate the container with the new image (Docker Compose shown; with docker run, stop and remove the container and run it again with the new tag). It reconfigures and migrates on start.",
        "docker compose up -d",
    ));
    steps.push(RunbookStep::cmd(
        "Follow the start until reconfigure has finished without errors.",
        format!("docker logs -f {}", ctx.container),
    ));
}

fn helm_chart(v: &str, steps: &mut Vec<RunbookStep>) {
    let chart = chart_version(v).unwrap_or_else(|| "<chart version>".into());
    steps.push(RunbookStep::cmd(
        "Refresh the chart repository.",
        "helm repo update",
    ));
    steps.push(RunbookStep::cmd(
        format!(
            "Check the values against chart {chart} (GitLab {v}): the chart refuses removed settings."
        ),
        format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab.yaml --dry-run"),
    ));
    steps.push(RunbookStep::cmd(
        format!("Upgrade to chart {chart} (GitLab {v}) with the saved values."),
        format!("helm upgrade gitlab gitlab/gitlab --version {chart} -f gitlab.yaml"),
    ));
    steps.push(RunbookStep::cmd(
        "Wait until the migrations job has completed and every pod is ready.",
        "kubectl get pods -l release=gitlab",
    ));
}

fn operator(v: &str, steps: &mut Vec<RunbookStep>) {
    let chart = chart_version(v).unwrap_or_else(|| "<chart version>".into());
    steps.push(RunbookStep::text(format!(
        "Make sure the installed GitLab Operator supports chart {chart}; upgrade the Operator first if it does not."
    )));
    steps.push(
        RunbookStep::cmd(
            format!("Set the GitLab custom resource to chart {chart} (GitLab {v})."),
            format!(
                "kubectl -n gitlab-system patch gitlab gitlab --type merge -p '{{\"spec\":{{\"chart\":{{\"version\":\"{chart}\"}}}}}}'"
            ),
        )
        .unverified(),
    );
    steps.push(RunbookStep::cmd(
        "Wait until the Operator reports the upgrade as complete and every pod is ready.",
        "kubectl -n gitlab-system get gitlab",
    ));
}

fn self_compiled(ctx: &Context, spec: &HopSpec<'_>, v: &str, steps: &mut Vec<RunbookStep>) {
    let tag = match ctx.edition {
        Edition::Ee => format!("v{v}-ee"),
        Edition::Ce => format!("v{v}"),
    };
    steps.push(RunbookStep::cmd(
        format!("Check out {tag}."),
        format!(
            "cd /home/git/gitlab && sudo -u git -H git fetch --all --prune && sudo -u git -H git checkout -- Gemfile.lock db/structure.sql locale && sudo -u git -H git checkout {tag}"
        ),
    ));
    steps.push(RunbookStep::text(format!(
        "Follow the self-compiled upgrade guide for {}: update Gitaly, GitLab Shell, Workhorse and the gems, run the migrations, compile the assets, then restart.",
        spec.minor
    )));
    steps.push(RunbookStep::cmd(
        "Run the database migrations.",
        "cd /home/git/gitlab && sudo -u git -H bundle exec rake db:migrate RAILS_ENV=production",
    ));
}
