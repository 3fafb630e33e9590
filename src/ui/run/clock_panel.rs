//! The window's clock (now, elapsed, time left, the go/no-go deadline, the rollback reserve,
//! planned against actual per part) and the rollback section.

use egui::{RichText, Ui};

use super::checklist::command_block;
use super::{Command, RunCommand, RunView};
use crate::run::timing::{ClockState, Progress, duration_text};
use crate::run::{Run, Sheet};
use crate::ui::widgets;

pub fn show(ui: &mut Ui, sheet: &Sheet, run: &Run, c: &ClockState) {
    ui.heading("Clock");
    let t = sheet.times;
    let row = |ui: &mut Ui, k: &str, v: String, color: Option<egui::Color32>| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(k).weak());
            let mut text = RichText::new(v).strong();
            if let Some(c) = color {
                text = text.color(c);
            }
            ui.label(text);
        });
    };
    row(
        ui,
        if run.finished().is_some() {
            "Closed"
        } else {
            "Now"
        },
        sheet.local(c.now),
        None,
    );
    if let Some(s) = run.started() {
        row(ui, "Started", sheet.local(s), None);
    }
    if let Some(e) = c.elapsed {
        row(ui, "Elapsed", duration_text(e), None);
    }
    match (t.end, c.left) {
        (Some(end), Some(left)) => {
            row(ui, "Window ends", sheet.local(end), None);
            let color = (left.num_minutes() <= 0).then(|| widgets::error_color(ui));
            row(ui, "Time left", duration_text(left), color);
        }
        _ => {
            ui.label(RichText::new("The plan gives no window end.").weak());
        }
    }
    if let (Some(d), Some(to)) = (t.deadline, c.to_deadline) {
        let color = if to.num_minutes() <= 0 {
            Some(widgets::error_color(ui))
        } else if to.num_minutes() < 60 {
            Some(widgets::warning_color(ui))
        } else {
            None
        };
        row(ui, "Go/no-go", sheet.local(d), color);
        if to.num_minutes() < 0 {
            row(
                ui,
                "Go/no-go passed",
                format!("{} ago", duration_text(-to)),
                color,
            );
        } else {
            row(ui, "Until go/no-go", duration_text(to), color);
        }
    }
    row(
        ui,
        "Rollback needs",
        crate::export::hours(t.rollback_hours),
        None,
    );
    row(
        ui,
        "Work left (planned)",
        crate::export::hours(c.remaining_planned),
        None,
    );
    if c.rollback_warning() {
        ui.label(
            RichText::new("⚠ Continuing leaves less time than the rollback needs.")
                .strong()
                .color(widgets::error_color(ui)),
        );
    }
    ui.separator();
    times_grid(ui, sheet, run, c);
}

/// Planned against actual, part by part.
fn times_grid(ui: &mut Ui, sheet: &Sheet, run: &Run, c: &ClockState) {
    ui.label(RichText::new("Planned against actual").strong());
    egui::Grid::new("run-times")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new("Part").weak());
            ui.label(RichText::new("Planned").weak());
            ui.label(RichText::new("Actual").weak());
            ui.end_row();
            for (s, time) in sheet.sections.iter().zip(&c.sections) {
                if s.planned_hours.is_none() && time.progress == Progress::NotStarted {
                    continue;
                }
                let name = super::short(s);
                ui.label(if time.progress == Progress::Running && run.finished().is_none() {
                    RichText::new(format!("▶ {name}")).strong()
                } else {
                    RichText::new(name)
                });
                ui.label(s.planned_hours.map_or("—".into(), crate::export::hours));
                let actual = time
                    .actual_hours(c.now)
                    .map(|h| duration_text(chrono::Duration::minutes((h * 60.0).round() as i64)));
                let over = matches!((s.planned_hours, time.actual_hours(c.now)), (Some(p), Some(a)) if a > p);
                let text = RichText::new(actual.unwrap_or_else(|| "—".into()));
                ui.label(if over {
                    text.color(widgets::warning_color(ui))
                } else {
                    text
                });
                ui.end_row();
            }
        });
}

/// The rollback: the version it returns to, its steps with their commands, and the button
/// that starts it (with the reason).
pub fn rollback(ui: &mut Ui, view: &mut RunView, run: &Run, commands: &mut Vec<Command>) {
    let to = run
        .rollback
        .as_ref()
        .and_then(|r| r.to_version.clone())
        .unwrap_or_else(|| crate::run::rollback_version(&view.sheet, run));
    let shown = egui::Frame::new()
        .stroke(egui::Stroke::new(1.5, widgets::error_color(ui)))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!("Rollback to GitLab {to} (the last backup)"))
                    .heading()
                    .size(16.0),
            );
            if let Some(rb) = &run.rollback {
                let at = crate::run::log::parse_time(&rb.started_at)
                    .map_or_else(|| rb.started_at.clone(), |t| view.sheet.local(t));
                ui.label(
                    RichText::new(format!(
                        "Rollback started at {at}: {}",
                        rb.reason.as_deref().unwrap_or("")
                    ))
                    .strong()
                    .color(widgets::error_color(ui)),
                );
            }
            let steps = view
                .sheet
                .rollback_to(&to)
                .map(|(_, s)| s.clone())
                .unwrap_or_default();
            for (i, s) in steps.iter().enumerate() {
                ui.label(format!("{}. {}", i + 1, s.text));
                if let Some(cmd) = &s.command {
                    command_block(ui, cmd, &format!("rollback step {}", i + 1), commands);
                }
            }
            if run.finished().is_some() {
                return;
            }
            if run.rollback.is_some() {
                if ui.button("The rollback is done: close the run").clicked() {
                    commands.push(Command::Run(RunCommand::Finish));
                }
                return;
            }
            ui.add_space(4.0);
            let label = ui.label("Why roll back?");
            ui.add(
                egui::TextEdit::singleline(&mut view.rollback_reason)
                    .desired_width(f32::INFINITY)
                    .id_salt("rollback-reason"),
            )
            .labelled_by(label.id);
            if ui
                .button(RichText::new("Start the rollback").color(widgets::error_color(ui)))
                .clicked()
            {
                commands.push(Command::Run(RunCommand::StartRollback));
            }
        });
    if std::mem::take(&mut view.scroll_to_rollback) {
        shown.response.scroll_to_me(Some(egui::Align::TOP));
    }
    ui.add_space(6.0);
}
