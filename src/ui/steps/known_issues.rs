//! Step 8: setup notes, issues already seen, and the known issues on this path.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::path::NoteSeverity;
use crate::ui::app::Command;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let notes = ctx.plan.notes.get_or_insert_with(Default::default);
    form.field("notes.unique_setup")
        .hint("Custom NGINX, server hooks, proxies, air-gapped network, … Never paste passwords or tokens.")
        .multiline(ui, &mut notes.unique_setup);
    form.field("notes.current_known_issues")
        .hint("Errors, slow pages, failed background migrations, …")
        .multiline(ui, &mut notes.current_known_issues);

    section(ui, "Known issues on your path");
    form.show_findings(ui, "known_issues_reviewed");
    let Some(path) = &ctx.analysis.path else {
        ui.label(
            RichText::new("Enter the versions first: the known issues depend on the path.").weak(),
        );
        return;
    };
    if path.known_issues.is_empty() {
        ui.label("No known issue in the data matches this path and environment.");
        return;
    }
    widgets::help(
        ui,
        "Read each one and tick it once you have checked it against your instance. Blockers must be reviewed before the plan can be exported. \"Applies if\" means the plan cannot tell; check it yourself.",
    );
    let filter_label = ui.label("Filter known issues");
    ui.add(
        egui::TextEdit::singleline(&mut ctx.ui_state.known_issue_filter)
            .id(widgets::input_id("known_issues#filter"))
            .hint_text("id or text")
            .desired_width(260.0),
    )
    .labelled_by(filter_label.id);
    let needle = ctx.ui_state.known_issue_filter.to_lowercase();
    let reviewed_count = path
        .known_issues
        .iter()
        .filter(|m| ctx.plan.known_issues_reviewed.contains(&m.id))
        .count();
    ui.label(format!(
        "{reviewed_count} of {} reviewed",
        path.known_issues.len()
    ));
    for m in &path.known_issues {
        if !needle.is_empty()
            && !m.id.to_lowercase().contains(&needle)
            && !m.summary.to_lowercase().contains(&needle)
        {
            continue;
        }
        let scope = egui::Id::unique(("upgrade-planner-known-issue", m.id.as_str()));
        ui.scope_builder(egui::UiBuilder::new().scope_id(scope), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width().min(860.0));
                let mut reviewed = ctx.plan.known_issues_reviewed.contains(&m.id);
                let (sev, color) = match m.severity {
                    NoteSeverity::Blocker => ("BLOCKER", widgets::error_color(ui)),
                    NoteSeverity::Warning => ("warning", widgets::warning_color(ui)),
                    NoteSeverity::Info => ("info", ui.visuals().weak_text_color()),
                };
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .checkbox(&mut reviewed, format!("Reviewed {}", m.id))
                        .changed()
                    {
                        if reviewed {
                            ctx.plan.known_issues_reviewed.push(m.id.clone());
                        } else {
                            ctx.plan.known_issues_reviewed.retain(|r| r != &m.id);
                        }
                    }
                    ui.label(RichText::new(sev).color(color).strong());
                    if let Some(v) = &m.hop_version {
                        ui.label(RichText::new(format!("at {v}")).weak());
                    }
                    if !m.verified {
                        ui.label(RichText::new("UNVERIFIED").color(widgets::warning_color(ui)));
                    }
                });
                ui.label(&m.summary);
                if let Some(c) = &m.check {
                    ui.label(RichText::new(format!("Applies if: {c}")).italics());
                }
                if ui.link(&m.doc_url).clicked() {
                    ctx.commands.push(Command::OpenUrl(m.doc_url.clone()));
                }
            });
        });
    }
}
