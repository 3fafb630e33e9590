//! The gate after a hop: the commands to run, a box for their outputs, and the verdict read
//! from them (go, or no-go with the reasons). A no-go can be overridden with a reason.

use egui::{RichText, Ui};

use super::checklist::command_block;
use super::{Command, RunCommand, RunView, short};
use crate::run::log::parse_time;
use crate::run::{GateVerdict, Run, Section};
use crate::ui::widgets;

pub fn show(
    ui: &mut Ui,
    view: &mut RunView,
    run: &Run,
    section: &Section,
    current: bool,
    open_to_input: bool,
    commands: &mut Vec<Command>,
) {
    let Some(spec) = &section.gate else {
        return;
    };
    let who = short(section);
    let last = run.gate(&section.id);
    let verdict = last.and_then(crate::run::GateRecord::verdict);
    let frame_color = match verdict {
        Some(GateVerdict::Go) => widgets::ok_color(ui),
        Some(GateVerdict::Overridden) => widgets::warning_color(ui),
        Some(GateVerdict::NoGo) => widgets::error_color(ui),
        None => ui.visuals().widgets.noninteractive.bg_stroke.color,
    };
    let shown = egui::Frame::new()
        .stroke(egui::Stroke::new(
            if current { 2.0 } else { 1.0 },
            frame_color,
        ))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} Gate after {who}: is {} ready for the next step?",
                    if current { "▶" } else { "◆" },
                    spec.version
                ))
                .strong(),
            );
            if let Some(g) = last {
                let at = parse_time(&g.at).map_or_else(|| g.at.clone(), |t| view.sheet.local(t));
                let (text, color) = match verdict {
                    Some(GateVerdict::Go) => (format!("GO at {at}"), widgets::ok_color(ui)),
                    Some(GateVerdict::Overridden) => (
                        format!("Passed without a go at {at}"),
                        widgets::warning_color(ui),
                    ),
                    _ => (format!("NO-GO at {at}"), widgets::error_color(ui)),
                };
                ui.label(RichText::new(text).strong().color(color));
                for r in &g.reasons {
                    ui.label(format!("• {r}"));
                }
            }
            let open = verdict.is_some_and(GateVerdict::opens);
            if !open_to_input || (open && !current) {
                if !open_to_input && verdict.is_none() && run.finished().is_none() {
                    ui.label(
                        RichText::new("Its checks come once the gates before it say go.").weak(),
                    );
                }
                return;
            }
            if !current && verdict.is_none() {
                ui.label(RichText::new("Run the checks once the hop's steps are done.").weak());
            }
            ui.label("Run these and paste what they print (all of it, one after the other):");
            for (i, cmd) in spec.commands.iter().enumerate() {
                command_block(
                    ui,
                    cmd,
                    &format!("gate after {who}, check {}", i + 1),
                    commands,
                );
            }
            paste_box(ui, view, section, &who, commands);
            if let Some(result) = view.gate_results.get(&section.id) {
                result_lines(ui, result);
            }
            if verdict == Some(GateVerdict::NoGo) {
                override_box(ui, view, section, &who, commands);
            }
        });
    if current && std::mem::take(&mut view.scroll_to_current) {
        shown.response.scroll_to_me(Some(egui::Align::Center));
    }
}

fn paste_box(
    ui: &mut Ui,
    view: &mut RunView,
    section: &Section,
    who: &str,
    commands: &mut Vec<Command>,
) {
    let label = ui.label(format!("Check outputs after {who}"));
    let text = view.gate_text.entry(section.id.clone()).or_default();
    ui.add(
        egui::TextEdit::multiline(text)
            .desired_rows(5)
            .desired_width(f32::INFINITY)
            .code_editor()
            .id_salt(("gate-paste", &section.id)),
    )
    .labelled_by(label.id);
    let read = format!("Read the outputs after {who}");
    let b = ui.button("Read the outputs");
    b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &read));
    if b.clicked() {
        commands.push(Command::Run(RunCommand::ReadGate(section.id.clone())));
    }
}

fn result_lines(ui: &mut Ui, result: &Result<crate::run::gate::GateResult, String>) {
    match result {
        Err(e) => {
            ui.label(RichText::new(e).color(widgets::error_color(ui)));
        }
        Ok(r) => {
            for reading in &r.readings {
                let (icon, color) = if reading.ok() {
                    ("✔", widgets::ok_color(ui))
                } else {
                    ("✖", widgets::error_color(ui))
                };
                ui.label(
                    RichText::new(format!(
                        "{icon} {}: {}",
                        reading.kind().label(),
                        reading.summary
                    ))
                    .color(color),
                );
            }
            for n in &r.notes {
                ui.label(RichText::new(format!("○ {n}")).weak());
            }
        }
    }
}

fn override_box(
    ui: &mut Ui,
    view: &mut RunView,
    section: &Section,
    who: &str,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.collapsing(format!("Go on anyway after {who}…"), |ui| {
        let label = ui.label(format!(
            "Why go on without a go? (agreed with whom) — after {who}"
        ));
        let text = view.override_text.entry(section.id.clone()).or_default();
        ui.add(
            egui::TextEdit::singleline(text)
                .desired_width(f32::INFINITY)
                .id_salt(("gate-override", &section.id)),
        )
        .labelled_by(label.id);
        if ui.button("Go on without a go").clicked() {
            commands.push(Command::Run(RunCommand::OverrideGate(section.id.clone())));
        }
    });
}
