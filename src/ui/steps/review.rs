//! Step 11: every finding grouped by step (click to go to the field), the path, and the
//! save and export actions.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::Step;
use crate::ui::app::Command;
use crate::ui::widgets::{self, Form};
use crate::validate::Severity;

pub fn show(ctx: &mut StepCtx<'_>, _form: &mut Form<'_>, ui: &mut Ui) {
    let a = ctx.analysis;
    let errors = a.count(Severity::Error);
    let warnings = a.count(Severity::Warning);
    let (verdict, color) = if errors > 0 {
        ("Not ready", widgets::error_color(ui))
    } else if warnings > 0 {
        ("Ready with warnings", widgets::warning_color(ui))
    } else {
        ("Ready", widgets::ok_color(ui))
    };
    ui.label(RichText::new(verdict).heading().color(color));
    ui.label(format!(
        "{errors} error(s), {warnings} warning(s), {} hint(s)",
        a.count(Severity::Info)
    ));
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            ctx.commands.push(Command::Save);
        }
        if ui.button("Save as…").clicked() {
            ctx.commands.push(Command::SaveAs);
        }
    });

    section(ui, "Findings");
    if a.findings.is_empty() {
        ui.label("Nothing to report.");
    }
    for step in Step::ALL {
        let list: Vec<_> = a.findings.iter().filter(|f| f.step == step).collect();
        if list.is_empty() {
            continue;
        }
        ui.label(RichText::new(format!("{}. {}", step.number(), step.title())).strong());
        for f in list {
            let text = RichText::new(format!(
                "{} {}: {}",
                widgets::severity_icon(f.severity),
                f.field,
                f.message
            ))
            .color(widgets::severity_color(ui, f.severity));
            if ui.link(text).on_hover_text("Go to this field").clicked() {
                ctx.jump = Some(f.field.clone());
            }
        }
        ui.add_space(4.0);
    }

    section(ui, "Upgrade path");
    match &a.path {
        Some(p) => super::versions::path_table(ui, p, ctx.commands),
        None => {
            ui.label(RichText::new("No path yet: the versions are missing or invalid.").weak());
        }
    }
    ui.add_space(8.0);
    ui.label(RichText::new(ctx.knowledge.data_summary()).small().weak());
}
