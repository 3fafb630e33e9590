//! Step 10: rollback plan.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::ui::widgets::{self, Form};
use crate::validate::{DEFAULT_ROLLBACK_HOURS, parse_local_datetime};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let model = ctx.model;
    let has_method = ctx.plan.method().is_some();
    let window = ctx.plan.first_window().cloned().unwrap_or_default();
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
    let field = "rollback.confirmed";
    let label = form.label_of(field);
    ui.scope_builder(
        egui::UiBuilder::new().scope_id(egui::Id::unique(("upgrade-planner-field", field))),
        |ui| {
            let mut confirmed = r.confirmed == Some(true);
            let resp = ui.checkbox(&mut confirmed, label);
            if resp.changed() {
                r.confirmed = Some(confirmed);
                form.touched.insert(field.into());
            }
            form.track(ui, field, &resp);
            form.show_findings(ui, field);
        },
    );

    section(ui, "When to roll back");
    form.field("rollback.trigger")
        .hint("e.g. a hop fails its checks and cannot be fixed within 30 minutes")
        .multiline(ui, &mut r.trigger);
    form.field("rollback.decision_deadline")
        .date_time(ui, &mut r.decision_deadline);
    let rollback_hours = r.duration_hours.unwrap_or(DEFAULT_ROLLBACK_HOURS);
    if let Some(suggested) = latest_decision(&window, rollback_hours) {
        let text = suggested.format("%Y-%m-%dT%H:%M").to_string();
        if r.decision_deadline.as_deref() != Some(text.as_str()) {
            ui.horizontal_wrapped(|ui| {
                widgets::help(
                    ui,
                    &format!(
                        "The latest time that leaves room to roll back: {} (window end minus {} h).",
                        suggested.format("%Y-%m-%d %H:%M"),
                        widgets::format_hours(&rollback_hours)
                    ),
                );
                if ui.small_button("Use this time").clicked() {
                    r.decision_deadline = Some(text);
                    form.forget_drafts("rollback.decision_deadline");
                    form.touched.insert("rollback.decision_deadline".into());
                }
            });
        }
    }
    form.field("rollback.duration_hours")
        .hint("e.g. 2")
        .hours(ui, &mut r.duration_hours);
    if let (Some(h), Some(p)) = (window.duration_hours, &ctx.analysis.path) {
        let needs = match r.duration_hours {
            Some(rh) => format!("the rollback needs {} h of it", widgets::format_hours(&rh)),
            None => format!(
                "a rollback needs about {} h of it (assumed until you enter the time above)",
                widgets::format_hours(&DEFAULT_ROLLBACK_HOURS)
            ),
        };
        widgets::help(
            ui,
            &format!(
                "The window is {} h for {} hop(s); {needs}.",
                widgets::format_hours(&h),
                p.hops.len(),
            ),
        );
    }
    form.show_findings(ui, "windows[0].duration_hours");
}

/// Window end minus the rollback time: the last moment to decide and still roll back in time.
fn latest_decision(
    window: &crate::plan::Window,
    rollback_hours: f64,
) -> Option<chrono::NaiveDateTime> {
    let start = window.start.as_deref().and_then(parse_local_datetime)?;
    let hours = window.duration_hours.filter(|h| *h > 0.0 && *h <= 168.0)?;
    let minutes = ((hours - rollback_hours.max(0.0)) * 60.0).round() as i64;
    if minutes <= 0 {
        return None;
    }
    start.checked_add_signed(chrono::Duration::try_minutes(minutes)?)
}
