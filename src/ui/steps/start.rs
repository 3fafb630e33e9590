//! Step 1: new, open, recent, and prefill from `gitlab:env:info` and the diagnostics script.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::intake;
use crate::ui::app::Command;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    ui.horizontal(|ui| {
        if ui.button("New plan").clicked() {
            ctx.commands.push(Command::New);
        }
        if ui.button("Open plan…").clicked() {
            ctx.commands.push(Command::Open);
        }
    });
    if !ctx.recent.is_empty() {
        section(ui, "Recent plans");
        for p in ctx.recent {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if ui
                .link(format!("{name}  —  {}", p.display()))
                .on_hover_text("Open this plan")
                .clicked()
            {
                ctx.commands.push(Command::OpenPath(p.clone()));
            }
        }
    }

    prefill(ctx, form, ui);
}

/// The paste box: `gitlab:env:info` output, the diagnostics script's output, or both.
fn prefill(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    section(
        ui,
        "Prefill from gitlab:env:info and the diagnostics script",
    );
    widgets::help(
        ui,
        "On a Rails node run `sudo gitlab-rake gitlab:env:info` and paste its whole output here: versions, edition, PostgreSQL and Redis versions, Gitaly storages, Geo and LDAP are filled in. The diagnostics script (read-only; also `upgrade-planner diagnostics`) adds the facts few people know by heart: user count, NPM packages, CI table sizes, the Geo role, and which settings gitlab.rb has (yes/no only). Paste its output here too, alone or after the env:info output. You can change every answer afterwards.",
    );
    if ui
        .button("Copy the diagnostics script")
        .on_hover_text("Copy the script to the clipboard; run it with `sudo bash` on a Rails node")
        .clicked()
    {
        ui.ctx().copy_text(intake::diagnostics::SCRIPT.to_string());
        ctx.ui_state.script_copied = true;
    }
    if ctx.ui_state.script_copied {
        ui.label("Copied. Save it on a Rails node as upgrade-planner-facts.sh and run `sudo bash upgrade-planner-facts.sh`.");
    }
    let label = ui.label(RichText::new("gitlab:env:info or diagnostics output").strong());
    ui.add(
        egui::TextEdit::multiline(&mut ctx.ui_state.env_info_text)
            .id(widgets::input_id("start#env_info"))
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY)
            .hint_text(
                "System information\nSystem:   Ubuntu 22.04\n…\nupgrade_planner_facts: 1\n…",
            ),
    )
    .labelled_by(label.id);
    if ui.button("Prefill the plan").clicked() {
        ctx.ui_state.env_info_result = Some(match intake::read(&ctx.ui_state.env_info_text) {
            Ok(pasted) => Ok(pasted.apply_to(ctx.plan)),
            Err(e) => Err(e.to_string()),
        });
    }
    match &ctx.ui_state.env_info_result {
        Some(Ok(applied)) if applied.filled.is_empty() && applied.kept.is_empty() => {
            ui.label("Nothing could be filled in from this text.");
        }
        Some(Ok(applied)) => {
            if !applied.filled.is_empty() {
                ui.label(
                    RichText::new(format!("Filled in {} answer(s):", applied.filled.len()))
                        .color(widgets::ok_color(ui)),
                );
                filled_grid(ui, form, "filled", &applied.filled);
            }
            if !applied.kept.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "Kept {} answer(s) of yours that the facts point away from:",
                        applied.kept.len()
                    ))
                    .color(widgets::warning_color(ui)),
                );
                filled_grid(ui, form, "kept", &applied.kept);
            }
        }
        Some(Err(e)) => {
            ui.label(RichText::new(e).color(widgets::error_color(ui)));
        }
        None => {}
    }
}

fn filled_grid(ui: &mut Ui, form: &Form<'_>, id: &str, fields: &[intake::FilledField]) {
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        for f in fields {
            ui.label(form.label_of(&f.field));
            ui.label(&f.value);
            ui.end_row();
        }
    });
}
