//! Step 4: installation method and its details.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::{InstallMethod, OpenAnswer};
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
    form.field("install.method")
        .required()
        .open_radio(ui, &mut install.method, &method_options());
    widgets::help(
        ui,
        "Cloud marketplace images (AWS AMI and others) are the Linux package: choose Linux package.",
    );
    match install.method.known() {
        Some(InstallMethod::HelmChart | InstallMethod::Operator) => {
            form.field("install.chart_version")
                .hint("e.g. 7.3.9")
                .text(ui, &mut install.chart_version);
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
            form.field("install.docker_image")
                .hint("e.g. gitlab/gitlab-ee:16.3.4-ee.0")
                .text(ui, &mut install.docker_image);
            form.field("install.container_name")
                .hint("e.g. gitlab")
                .text(ui, &mut install.container_name);
        }
        _ => {}
    }
    section(ui, "Change of method");
    let mut options = vec![];
    options.extend(method_options());
    form.field("install.target_method")
        .hint("Same as now")
        .open_choice(ui, &mut install.target_method, &options);
    // Picking the method in use means no change; a value kept as written stays as it is.
    if install.target_method.known().is_some() && install.target_method == install.method {
        install.target_method = None;
    }
    ui.label(RichText::new("Moving to another method (for example Linux package to Helm) is a migration, outside Upgrade Assistance scope.").small().weak());
}
