//! The window's checklist: each section with its steps (status, time, note; tick, skip, fail,
//! reopen; the command with a copy button), the gate after each hop, and the end of the run.

use egui::{RichText, Ui};

use super::{Command, NoteFor, RunCommand, RunView, gate_panel, short};
use crate::run::log::parse_time;
use crate::run::{Position, Run, Section, SheetStep, StepStatus, locked_by, position};
use crate::ui::widgets;

pub fn show(ui: &mut Ui, view: &mut RunView, run: &Run, commands: &mut Vec<Command>) {
    let pos = position(&view.sheet, run);
    let closed = run.finished().is_some();
    if closed {
        // A closed run is read from the top.
        view.scroll_to_current = false;
    }
    let sections = view.sheet.sections.clone();
    for section in &sections {
        let locked = locked_by(&view.sheet, run, &section.id).map(|g| g.title.clone());
        let complete = crate::run::timing::section_complete(run, section);
        ui.add_space(6.0);
        let title = section_title(run, section);
        // A part that is done folds away (it opens again with a click).
        egui::CollapsingHeader::new(RichText::new(title).heading().size(16.0))
            .id_salt(("run-section", view.sheet.window, &section.id))
            .default_open(!complete)
            .show(ui, |ui| {
                if let Some(gate) = locked.as_ref().filter(|_| !closed) {
                    ui.label(
                        RichText::new(format!(
                            "Locked: {} waits for the gate after {gate} to say go.",
                            section.title
                        ))
                        .color(widgets::warning_color(ui)),
                    );
                }
                for (i, step) in section.steps.iter().enumerate() {
                    let current = matches!(&pos, Position::Step { step: s, .. } if *s == step.id);
                    let enabled = locked.is_none() && !closed;
                    step_row(
                        ui,
                        view,
                        run,
                        section,
                        i + 1,
                        step,
                        current,
                        enabled,
                        commands,
                    );
                }
            });
        if section.gate.is_some() {
            let current = matches!(&pos, Position::Gate { section: s } if *s == section.id);
            let open = locked.is_none() && !closed;
            gate_panel::show(ui, view, run, section, current, open, commands);
        }
    }
    end_of_run(ui, view, run, &pos, commands);
}

/// `Hop 1: 17.3.7 → 17.5.5 (4/4 done · planned 1 h)`.
fn section_title(run: &Run, section: &Section) -> String {
    let done = section
        .steps
        .iter()
        .filter(|s| {
            matches!(
                run.status_of(&s.id),
                Some(StepStatus::Done | StepStatus::Skipped)
            )
        })
        .count();
    let planned = section
        .planned_hours
        .map(|h| {
            format!(
                " · planned {}{}",
                crate::export::hours(h),
                if section.rehearsed {
                    " (rehearsed)"
                } else {
                    ""
                }
            )
        })
        .unwrap_or_default();
    let mark = if done == section.steps.len() {
        "✔ "
    } else {
        ""
    };
    format!(
        "{mark}{} ({done}/{} done{planned})",
        section.title,
        section.steps.len()
    )
}

/// What a step shows once something was recorded: `✔ done 20:05`, with its note.
fn status_text(view: &RunView, run: &Run, step: &SheetStep) -> Option<(String, Option<String>)> {
    let e = run.latest(&step.id)?;
    let status = run.status_of(&step.id)?;
    let at = parse_time(&e.at).map_or_else(|| e.at.clone(), |t| view.sheet.local(t));
    let icon = match status {
        StepStatus::Done => "✔ done",
        StepStatus::Skipped => "⊘ skipped",
        StepStatus::Failed => "✖ failed",
        StepStatus::Reopened => "reopened",
    };
    Some((format!("{icon} {at}"), e.note.clone()))
}

#[allow(clippy::too_many_arguments)]
fn step_row(
    ui: &mut Ui,
    view: &mut RunView,
    run: &Run,
    section: &Section,
    n: usize,
    step: &SheetStep,
    current: bool,
    enabled: bool,
    commands: &mut Vec<Command>,
) {
    let who = format!("{} step {n}", short(section));
    let frame = if current {
        egui::Frame::new()
            .stroke(egui::Stroke::new(2.0, ui.visuals().selection.stroke.color))
            .fill(ui.visuals().selection.bg_fill.linear_multiply(0.15))
    } else {
        egui::Frame::new()
    };
    let shown = frame.inner_margin(4.0).corner_radius(4.0).show(ui, |ui| {
        let status = status_text(view, run, step);
        ui.horizontal_wrapped(|ui| {
            let marker = if current { "▶" } else { " " };
            ui.label(RichText::new(format!("{marker} {n}.")).monospace());
            let mut text = RichText::new(&step.text);
            if current {
                text = text.strong();
            }
            if let Some(sev) = step.attention {
                text = text.color(match sev {
                    crate::path::NoteSeverity::Blocker => widgets::error_color(ui),
                    _ => widgets::warning_color(ui),
                });
            }
            ui.label(text);
            if step.unverified {
                ui.label(RichText::new("UNVERIFIED").small().weak());
            }
        });
        if let Some(cmd) = &step.command {
            command_block(ui, cmd, &who, commands);
        }
        ui.horizontal_wrapped(|ui| {
            status_line(ui, status.as_ref());
            if enabled {
                step_actions(ui, view, run, step, current, &who, commands);
            }
        });
        if enabled
            && let Some((id, kind)) = view.note_open.clone()
            && id == step.id
        {
            note_editor(ui, view, step, kind, &who, commands);
        }
    });
    if current && std::mem::take(&mut view.scroll_to_current) {
        shown.response.scroll_to_me(Some(egui::Align::Center));
    }
}

/// What was recorded for a step, coloured by what it was, with its note.
fn status_line(ui: &mut Ui, status: Option<&(String, Option<String>)>) {
    let Some((s, note)) = status else {
        return;
    };
    let color = if s.starts_with('✖') {
        widgets::error_color(ui)
    } else if s.starts_with('⊘') {
        widgets::warning_color(ui)
    } else {
        widgets::ok_color(ui)
    };
    ui.label(RichText::new(s).color(color).strong());
    if let Some(note) = note {
        ui.label(RichText::new(format!("— {note}")).italics());
    }
}

/// Tick, skip, fail, reopen: each button with its own label for screen readers (and tests):
/// `Done: Hop 1 step 3`.
fn step_actions(
    ui: &mut Ui,
    view: &mut RunView,
    run: &Run,
    step: &SheetStep,
    current: bool,
    who: &str,
    commands: &mut Vec<Command>,
) {
    let open = run.status_of(&step.id);
    if open != Some(StepStatus::Done) {
        let label = format!("Done: {who}");
        let b = ui.add(egui::Button::new(if current { "✔ Done" } else { "✔" }));
        let b = b.on_hover_text("Tick it: the time is recorded");
        b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if b.clicked() {
            commands.push(Command::Run(RunCommand::Done(step.id.clone())));
        }
    }
    if open.is_none() || open == Some(StepStatus::Failed) {
        note_button(ui, view, step, NoteFor::Skip, who);
    }
    if open.is_none() {
        note_button(ui, view, step, NoteFor::Fail, who);
    }
    if open.is_some() {
        let label = format!("Reopen: {who}");
        let b = ui.small_button("↺ Reopen");
        b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if b.clicked() {
            commands.push(Command::Run(RunCommand::Reopen(step.id.clone())));
        }
    }
}

fn note_button(ui: &mut Ui, view: &mut RunView, step: &SheetStep, kind: NoteFor, who: &str) {
    let (text, label) = match kind {
        NoteFor::Skip => ("Skip…", format!("Skip: {who}")),
        NoteFor::Fail => ("Failed…", format!("Failed: {who}")),
    };
    let b = ui.small_button(text);
    b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if b.clicked() {
        view.note_open = Some((step.id.clone(), kind));
        view.focus_note = true;
    }
}

fn note_editor(
    ui: &mut Ui,
    view: &mut RunView,
    step: &SheetStep,
    kind: NoteFor,
    who: &str,
    commands: &mut Vec<Command>,
) {
    let (question, record) = match kind {
        NoteFor::Skip => (format!("Why is it skipped? ({who})"), "Record the skip"),
        NoteFor::Fail => (format!("What failed? ({who})"), "Record the failure"),
    };
    let label = ui.label(question);
    let text = view.notes.entry(step.id.clone()).or_default();
    let edit = ui.add(
        egui::TextEdit::multiline(text)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .id_salt(("run-note", &step.id)),
    );
    let edit = edit.labelled_by(label.id);
    if std::mem::take(&mut view.focus_note) {
        edit.request_focus();
    }
    ui.horizontal(|ui| {
        if ui.button(record).clicked() {
            commands.push(Command::Run(match kind {
                NoteFor::Skip => RunCommand::Skip(step.id.clone()),
                NoteFor::Fail => RunCommand::Fail(step.id.clone()),
            }));
        }
        if ui.button("Cancel").clicked() {
            view.note_open = None;
        }
    });
}

/// A command in monospace with a button that copies it.
pub fn command_block(ui: &mut Ui, cmd: &str, who: &str, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = format!("Copy the command: {who}");
        let b = ui.small_button("Copy");
        b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if b.on_hover_text("Copy the command to the clipboard")
            .clicked()
        {
            commands.push(Command::CopyText(cmd.to_string()));
        }
        egui::Frame::new()
            .fill(ui.visuals().extreme_bg_color)
            .inner_margin(4.0)
            .corner_radius(3.0)
            .show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(cmd).monospace()).wrap());
            });
    });
}

fn end_of_run(ui: &mut Ui, view: &RunView, run: &Run, pos: &Position, commands: &mut Vec<Command>) {
    ui.separator();
    if run.finished().is_some() {
        ui.label(
            RichText::new(format!(
                "The run was closed at {}.",
                run.finished()
                    .map(|t| view.sheet.local(t))
                    .unwrap_or_default()
            ))
            .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            if ui.button("Copy the report (Markdown)").clicked() {
                commands.push(Command::Run(RunCommand::CopyReport));
            }
            if run.kind() == crate::run::RunKind::Rehearsal
                && ui
                    .button("Use these hop times as the plan's estimates")
                    .on_hover_text(
                        "The plan's hop_hours take the measured times; the plan is saved",
                    )
                    .clicked()
            {
                commands.push(Command::Run(RunCommand::TakeTimings));
            }
        });
        return;
    }
    let label = if *pos == Position::Done {
        "Close the run"
    } else {
        "Close the run now (steps are left open)"
    };
    ui.horizontal_wrapped(|ui| {
        if ui.button(label).clicked() {
            commands.push(Command::Run(RunCommand::Finish));
        }
        if ui.button("Copy the report so far (Markdown)").clicked() {
            commands.push(Command::Run(RunCommand::CopyReport));
        }
    });
}
