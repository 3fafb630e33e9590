//! Run mode: the current window's runbook as a checklist (tick with the time, skip with a
//! reason, fail with a note), commands copied with one click, the gates between hops, and the
//! window's clock with the rollback warning. Reached from the Review step or with
//! `upgrade-planner PLAN --run`.
//!
//! Widgets only draw and push [`RunCommand`]s; the log is changed and written to the plan file
//! after the frame (`commands`). The time comes from [`RunMode::clock`], which tests replace.

mod checklist;
mod clock_panel;
mod commands;
mod gate_panel;

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::app::{Command, WizardApp};
use super::widgets;
use crate::run::gate::GateResult;
use crate::run::{Clock, Position, RunKind, Sheet, SystemClock, position};
use crate::validate::Severity;

/// Something the user asked for in run mode; run after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum RunCommand {
    /// Open run mode on the plan (it must be saved first).
    Enter,
    /// Back to the wizard.
    Leave,
    /// Show another window of the plan.
    Window(usize),
    /// Start a run of the window shown.
    Start(RunKind),
    /// Tick a step (its note is optional).
    Done(String),
    /// Skip a step; the reason is the note being typed for it.
    Skip(String),
    /// A step failed; the note says what.
    Fail(String),
    /// Take back what was recorded for a step.
    Reopen(String),
    /// Read the outputs pasted at the gate after a section.
    ReadGate(String),
    /// Go on past a gate that said no-go, with the reason typed.
    OverrideGate(String),
    StartRollback,
    /// Close the run.
    Finish,
    /// Show a closed run of the window shown (by its index in the plan's runs).
    View(usize),
    /// A finished rehearsal's hop times become the plan's estimates.
    TakeTimings,
    /// Put the completion report (Markdown) on the clipboard.
    CopyReport,
}

/// Which note editor is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteFor {
    Skip,
    Fail,
}

/// Run mode's state while it is open.
pub struct RunView {
    pub sheet: Sheet,
    /// Index of the run in `plan.runs`, once started or resumed.
    pub run: Option<usize>,
    /// The note editor open under a step.
    pub note_open: Option<(String, NoteFor)>,
    /// Put the keyboard in the note editor on the next frame (it was just opened).
    pub focus_note: bool,
    /// Bring the step (or gate) to do now into view on the next frame.
    pub scroll_to_current: bool,
    /// Bring the rollback section into view on the next frame.
    pub scroll_to_rollback: bool,
    /// The clock's warning has been shown (the rollback was brought into view once).
    pub warned: bool,
    /// Text typed per step (notes), per gate (outputs, override reasons).
    pub notes: BTreeMap<String, String>,
    pub gate_text: BTreeMap<String, String>,
    pub override_text: BTreeMap<String, String>,
    /// The last reading of each gate in this session, or why it could not be read.
    pub gate_results: BTreeMap<String, Result<GateResult, String>>,
    pub rollback_reason: String,
    /// The rollback steps are shown (the user asked, or the clock says so).
    pub show_rollback: bool,
    /// One line about the last action.
    pub message: Option<(String, Severity)>,
    /// The log could not be written: it is kept here and written with the next action.
    pub unsaved: bool,
}

/// Run mode: its clock (the system's; tests set their own) and its state when open.
pub struct RunMode {
    pub clock: Box<dyn Clock>,
    pub view: Option<Box<RunView>>,
}

impl Default for RunMode {
    fn default() -> Self {
        RunMode {
            clock: Box::new(SystemClock),
            view: None,
        }
    }
}

impl RunMode {
    pub fn is_open(&self) -> bool {
        self.view.is_some()
    }
}

impl RunView {
    pub fn new(sheet: Sheet, run: Option<usize>) -> RunView {
        RunView {
            sheet,
            run,
            note_open: None,
            focus_note: false,
            scroll_to_current: true,
            scroll_to_rollback: false,
            warned: false,
            notes: BTreeMap::new(),
            gate_text: BTreeMap::new(),
            override_text: BTreeMap::new(),
            gate_results: BTreeMap::new(),
            rollback_reason: String::new(),
            show_rollback: false,
            message: None,
            unsaved: false,
        }
    }
}

/// The way into run mode on the Review step.
pub fn review_entry(ui: &mut Ui, commands: &mut Vec<Command>) {
    crate::ui::steps::section(ui, "Upgrade day");
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Open run mode…")
            .on_hover_text("The window's runbook as a checklist, with the gates between hops and the clock; the log is saved into the plan file")
            .clicked()
        {
            commands.push(Command::Run(RunCommand::Enter));
        }
        ui.label(
            RichText::new(
                "Tick the runbook as you go, read the checks between hops, watch the clock, and report.",
            )
            .weak(),
        );
    });
}

/// A short name for a section in labels: `Start`, `Hop 2`, `Step 3`, `End`.
pub fn short(section: &crate::run::Section) -> String {
    match &section.kind {
        crate::run::SectionKind::Start => "Start".into(),
        crate::run::SectionKind::Hop { number, .. } => format!("Hop {number}"),
        crate::run::SectionKind::Dependency => section.title.clone(),
        crate::run::SectionKind::End => "End".into(),
    }
}

/// Draw run mode in the window (instead of the wizard's step pages).
pub fn show(app: &mut WizardApp, ui: &mut Ui) {
    let now = app.run.clock.now();
    let Some(view) = app.run.view.as_deref_mut() else {
        return;
    };
    let run = view.run.and_then(|i| app.plan.runs.get(i));
    // A closed run's clock stops when it was closed.
    let clock = run.map(|r| crate::run::timing::clock(&view.sheet, r, r.finished().unwrap_or(now)));
    let rolling_back = run.is_some_and(|r| r.rollback.is_some() && r.finished().is_none());
    if rolling_back
        || clock
            .as_ref()
            .is_some_and(crate::run::timing::ClockState::rollback_warning)
    {
        view.show_rollback = true;
        if !view.warned {
            // The first time: the rollback comes into view, not the next step.
            view.warned = true;
            view.scroll_to_rollback = true;
            view.scroll_to_current = false;
        }
    }
    egui::Panel::top("run-top").show(ui, |ui| {
        top_bar(
            ui,
            view,
            run,
            &mut app.commands,
            app.plan.windows.len().max(1),
        );
        if let Some(c) = &clock
            && let Some(w) = &c.warning
        {
            warning_banner(ui, view, w);
        }
    });
    if let (Some(run), Some(c)) = (run, &clock) {
        egui::Panel::right("run-clock")
            .resizable(false)
            .default_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("run-clock-scroll")
                    .show(ui, |ui| clock_panel::show(ui, &view.sheet, run, c));
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(("run-page", view.sheet.window))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(900.0));
                match run {
                    None => start_page(ui, view, &app.plan, &mut app.commands),
                    Some(run) => {
                        if view.show_rollback || run.rollback.is_some() {
                            clock_panel::rollback(ui, view, run, &mut app.commands);
                        }
                        checklist::show(ui, view, run, &mut app.commands);
                    }
                }
            });
    });
    // The clock moves without input: wake up once a minute (and at the deadline) to redraw it.
    let wake = clock
        .as_ref()
        .and_then(|c| c.to_deadline)
        .and_then(|d| d.to_std().ok())
        .map_or(std::time::Duration::from_secs(60), |d| {
            d.min(std::time::Duration::from_secs(60))
        });
    ui.ctx()
        .request_repaint_after(wake.max(std::time::Duration::from_secs(1)));
}

fn top_bar(
    ui: &mut Ui,
    view: &mut RunView,
    run: Option<&crate::run::Run>,
    commands: &mut Vec<Command>,
    windows: usize,
) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("◀ Back to the plan")
            .on_hover_text("The wizard; the run log stays in the plan file")
            .clicked()
        {
            commands.push(Command::Run(RunCommand::Leave));
        }
        let kind = run.map_or("Run mode", |r| r.kind().label());
        ui.label(RichText::new(format!("{kind} · {}", view.sheet.title)).heading());
        if windows > 1 && run.is_none() {
            for w in 1..=windows {
                if w != view.sheet.window && ui.button(format!("Window {w}")).clicked() {
                    commands.push(Command::Run(RunCommand::Window(w)));
                }
            }
        }
    });
    if let Some(run) = run {
        now_line(ui, view, run);
    }
    if let Some((msg, sev)) = &view.message {
        ui.label(RichText::new(msg).color(widgets::severity_color(ui, *sev)));
    }
    ui.add_space(4.0);
}

/// The step to do now, in a line that stands out.
fn now_line(ui: &mut Ui, view: &RunView, run: &crate::run::Run) {
    let rolling_back = run.rollback.as_ref().filter(|_| run.finished().is_none());
    let text = match position(&view.sheet, run) {
        _ if run.finished().is_some() => format!(
            "The run was closed at {}{}. Copy the report for the ticket at the end of the page.",
            run.finished()
                .map(|t| view.sheet.local(t))
                .unwrap_or_default(),
            run.rollback
                .as_ref()
                .and_then(|r| r.to_version.as_deref())
                .map(|v| format!(", rolled back to GitLab {v}"))
                .unwrap_or_default()
        ),
        _ if rolling_back.is_some() => format!(
            "▶ Now: the rollback to GitLab {} — follow the rollback steps, then close the run.",
            rolling_back
                .and_then(|r| r.to_version.as_deref())
                .unwrap_or("the last backup")
        ),
        Position::Step { section, step } => {
            let s = view.sheet.section(&section);
            let n = s
                .and_then(|s| s.steps.iter().position(|st| st.id == step))
                .map_or(0, |i| i + 1);
            let total = s.map_or(0, |s| s.steps.len());
            let text = view
                .sheet
                .step(&step)
                .map(|s| s.text.as_str())
                .unwrap_or("");
            format!(
                "▶ Now: {} — step {n} of {total}: {text}",
                s.map(|s| s.title.as_str()).unwrap_or("")
            )
        }
        Position::Gate { section } => format!(
            "▶ Now: the gate after {} — paste the check outputs below",
            view.sheet
                .section(&section)
                .map(|s| s.title.as_str())
                .unwrap_or("")
        ),
        Position::Done => "Every step is done: close the run below.".to_string(),
    };
    egui::Frame::new()
        .fill(ui.visuals().selection.bg_fill.linear_multiply(0.35))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.label(RichText::new(text).strong());
        });
}

/// The clock's warning, above everything that scrolls.
fn warning_banner(ui: &mut Ui, view: &mut RunView, w: &crate::run::timing::ClockWarning) {
    egui::Frame::new()
        .fill(widgets::error_color(ui).linear_multiply(0.15))
        .stroke(egui::Stroke::new(1.5, widgets::error_color(ui)))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!("⚠ Rollback time: {}", w.message(&view.sheet)))
                    .strong()
                    .color(widgets::error_color(ui)),
            );
            if ui.button("Show the rollback steps").clicked() {
                view.scroll_to_rollback = true;
            }
        });
    ui.add_space(4.0);
}

/// Before a run is started: what the window holds, and how to start.
fn start_page(
    ui: &mut Ui,
    view: &mut RunView,
    plan: &crate::plan::Plan,
    commands: &mut Vec<Command>,
) {
    let s = &view.sheet;
    ui.label(format!(
        "GitLab {} → {}: {} steps in {} parts, {} gate(s) between hops.",
        s.start_version,
        s.end_version,
        s.all_steps().count(),
        s.sections.len(),
        s.sections.iter().filter(|x| x.gate.is_some()).count()
    ));
    let t = s.times;
    match (t.start, t.end, t.deadline) {
        (Some(a), Some(b), Some(d)) => {
            ui.label(format!(
                "Window {} – {}; go/no-go {}; a rollback needs {}.",
                s.local(a),
                s.local(b),
                s.local(d),
                crate::export::hours(t.rollback_hours)
            ));
        }
        _ => {
            ui.label("The plan gives no start or length for this window: the clock cannot show a deadline.");
        }
    }
    let closed: Vec<usize> = plan
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| usize::try_from(r.window).ok() == Some(s.window) && r.finished().is_some())
        .map(|(i, _)| i)
        .collect();
    if let Some(last) = closed
        .last()
        .and_then(|i| plan.runs.get(*i).map(|r| (*i, r)))
    {
        ui.label(format!(
            "{} earlier run(s) of this window are closed; a new one starts empty.",
            closed.len()
        ));
        ui.horizontal_wrapped(|ui| {
            let when = last.1.finished().map(|t| s.local(t)).unwrap_or_default();
            if ui
                .button(format!(
                    "View the last run ({}, closed {when})",
                    last.1.kind().label()
                ))
                .clicked()
            {
                commands.push(Command::Run(RunCommand::View(last.0)));
            }
            if ui.button("Copy the report (Markdown)").clicked() {
                commands.push(Command::Run(RunCommand::CopyReport));
            }
        });
    }
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(RichText::new("Start the upgrade window").strong())
            .clicked()
        {
            commands.push(Command::Run(RunCommand::Start(RunKind::Production)));
        }
        if ui
            .button("Start a rehearsal")
            .on_hover_text("On a test instance: its hop times can become the plan's estimates")
            .clicked()
        {
            commands.push(Command::Run(RunCommand::Start(RunKind::Rehearsal)));
        }
    });
    widgets::help(
        ui,
        "Every tick is saved into the plan file at once (the previous version is kept as .bak), with the time it was made.",
    );
}
