//! Step 4: installation method and its details.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::InstallMethod;
use crate::ui::widgets::{self, Form};
use crate::version::parse_version;

pub fn method_options() -> Vec<(InstallMethod, &'static str)> {
    InstallMethod::ALL.iter().map(|m| (*m, m.label())).collect()
}

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let target = ctx
        .plan
        .versions
        .as_ref()
        .and_then(|v| v.target.clone())
        .and_then(|t| parse_version(&t).ok());
    let install = ctx.plan.install.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "Installation method",
        &mut install.method,
        &method_options(),
        "install.method",
        "Choose how GitLab is installed",
    );
    widgets::help(
        ui,
        "Cloud marketplace images (AWS AMI and others) are the Linux package: choose Linux package.",
    );
    match install.method {
        Some(InstallMethod::HelmChart | InstallMethod::Operator) => {
            form.text_optional(
                ui,
                "Helm chart version deployed now",
                &mut install.chart_version,
                "install.chart_version",
                "e.g. 7.3.9",
            );
            if let Some(t) = &target {
                let chart_major = t.version.major.saturating_sub(9);
                widgets::help(
                    ui,
                    &format!(
                        "Chart major = GitLab major − 9: GitLab {} is chart {}.{}.{}.",
                        t.version, chart_major, t.version.minor, t.version.patch
                    ),
                );
            }
        }
        Some(InstallMethod::Docker) => {
            form.text_optional(
                ui,
                "Docker image in use",
                &mut install.docker_image,
                "install.docker_image",
                "e.g. gitlab/gitlab-ee:16.3.4-ee.0",
            );
            form.text_optional(
                ui,
                "Container name",
                &mut install.container_name,
                "install.container_name",
                "e.g. gitlab",
            );
        }
        _ => {}
    }
    section(ui, "Change of method");
    let mut options = vec![];
    options.extend(method_options());
    form.choice_optional(
        ui,
        "Installation method after the upgrade",
        &mut install.target_method,
        &options,
        "install.target_method",
        "Same as now",
    );
    if install.target_method.is_some() && install.target_method == install.method {
        install.target_method = None;
    }
    ui.label(RichText::new("Moving to another method (for example Linux package to Helm) is a migration, outside Upgrade Assistance scope.").small().weak());
}
