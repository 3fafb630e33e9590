//! Step 10: rollback plan.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::ui::widgets::{self, Form};
use crate::validate::parse_local_datetime;

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let model = ctx.model;
    let has_method = ctx.plan.method().is_some();
    let window = ctx.plan.window.clone().unwrap_or_default();
    let r = ctx.plan.rollback.get_or_insert_with(Default::default);

    section(ui, "Rollback steps");
    // The same steps as the PDF and the Markdown: both come from the export model.
    match model.map(|m| &m.rollback) {
        Some(rb) if has_method => {
            widgets::help(
                ui,
                &format!(
                    "Going back to {}, the version the backup is taken on. Rolling back overwrites everything written since the backup.",
                    rb.to_version.as_deref().unwrap_or("the current version")
                ),
            );
            if !rb.documented {
                widgets::help(
                    ui,
                    "GitLab's rollback page does not cover this installation method: these steps restore rather than downgrade in place.",
                );
            }
            super::runbook_steps(ui, "Steps", &rb.steps);
        }
        _ => {
            ui.label(RichText::new("Choose the installation method first (step 4).").weak());
        }
    }
    ui.add_space(6.0);
    let mut confirmed = r.confirmed == Some(true);
    if ui
        .checkbox(
            &mut confirmed,
            "I have reviewed these rollback steps and they fit our setup",
        )
        .changed()
    {
        r.confirmed = Some(confirmed);
        form.touched.insert("rollback.confirmed".into());
    }
    form.show_findings(ui, "rollback.confirmed");

    section(ui, "When to roll back");
    form.multiline(
        ui,
        "Rollback trigger",
        &mut r.trigger,
        "rollback.trigger",
        "e.g. a hop fails its checks and cannot be fixed within 30 minutes",
    );
    let default_date = window
        .start
        .as_deref()
        .and_then(parse_local_datetime)
        .map(|d| d.date())
        .unwrap_or(ctx.today);
    super::contact::date_time(
        ui,
        form,
        "Go/no-go decision time",
        &mut r.decision_deadline,
        "rollback.decision_deadline",
        default_date,
    );
    form.hours(
        ui,
        "Time a rollback takes (hours)",
        &mut r.duration_hours,
        "rollback.duration_hours",
        72.0,
    );
    if let (Some(h), Some(p)) = (window.duration_hours, &ctx.analysis.path) {
        widgets::help(
            ui,
            &format!(
                "The window is {h} h for {} hop(s); the rollback needs {} h of it.",
                p.hops.len(),
                r.duration_hours.unwrap_or(0.0)
            ),
        );
    }
    form.show_findings(ui, "window.duration_hours");
}
