//! Step 1: new, open, recent, and prefill from `gitlab:env:info`.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::envinfo;
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

    section(ui, "Prefill from gitlab:env:info");
    widgets::help(
        ui,
        "On a Rails node run `sudo gitlab-rake gitlab:env:info` and paste its whole output here. Versions, edition, PostgreSQL and Redis versions, Gitaly storages, Geo and LDAP are filled in; you can change every answer afterwards.",
    );
    let label = ui.label(RichText::new("gitlab:env:info output").strong());
    ui.add(
        egui::TextEdit::multiline(&mut ctx.ui_state.env_info_text)
            .id(widgets::input_id("start#env_info"))
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY)
            .hint_text("System information\nSystem:   Ubuntu 22.04\n…"),
    )
    .labelled_by(label.id);
    if ui.button("Prefill the plan").clicked() {
        ctx.ui_state.env_info_result = Some(match envinfo::parse(&ctx.ui_state.env_info_text) {
            Ok(info) => Ok(info.apply_to(ctx.plan)),
            Err(e) => Err(e.to_string()),
        });
    }
    match &ctx.ui_state.env_info_result {
        Some(Ok(filled)) if filled.is_empty() => {
            ui.label("Nothing could be filled in from this text.");
        }
        Some(Ok(filled)) => {
            ui.label(
                RichText::new(format!("Filled in {} answer(s):", filled.len()))
                    .color(widgets::ok_color(ui)),
            );
            egui::Grid::new("filled").striped(true).show(ui, |ui| {
                for f in filled {
                    ui.label(form.label_of(&f.field));
                    ui.label(&f.value);
                    ui.end_row();
                }
            });
        }
        Some(Err(e)) => {
            ui.label(RichText::new(e).color(widgets::error_color(ui)));
        }
        None => {}
    }
}
