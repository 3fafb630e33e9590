//! Form widgets shared by the steps. Every input:
//!
//! - lives in a scope whose id comes from its field path, so its id (and with it the keyboard
//!   focus and the cursor) never depends on what is drawn above it: an error line or box that
//!   appears while the user types cannot steal the field;
//! - has a visible label, taken from the field path (`plan::field_label`), which is also its
//!   accessible name and the name messages use;
//! - shows its own findings once it lost focus (or Next was pressed), and can be focused from
//!   the review page.

mod dates;
mod inputs;

use std::collections::{BTreeMap, BTreeSet};

use egui::{Color32, RichText, Ui};

use crate::knowledge::Knowledge;
use crate::plan::Step;
use crate::validate::{Finding, Severity, field_label, step_of};

pub use inputs::{Field, format_hours, input_width, parse_hours};

/// Width of single-line inputs (narrower when the window is).
pub const FIELD_WIDTH: f32 = 420.0;

/// The id of the input of a field (`key` is the field path, or `path#part` for one of a
/// field's several inputs). Stable: it depends on nothing but the key.
pub fn input_id(key: &str) -> egui::Id {
    egui::Id::unique(("upgrade-planner-input", key))
}

/// Text typed into a number, date or time input that is not (yet) a value: kept as typed while
/// the user edits, with what is wrong with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub text: String,
    pub problem: Option<String>,
}

/// The drafts of the open plan, by input key.
#[derive(Debug, Clone, Default)]
pub struct Drafts(BTreeMap<String, Draft>);

impl Drafts {
    pub fn get(&self, key: &str) -> Option<&Draft> {
        self.0.get(key)
    }
    pub fn set(&mut self, key: &str, text: String, problem: Option<String>) {
        self.0.insert(key.to_string(), Draft { text, problem });
    }
    pub fn remove(&mut self, key: &str) {
        self.0.remove(key);
    }
    pub fn clear(&mut self) {
        self.0.clear();
    }
    /// The first problem of a field (any of its inputs).
    pub fn problem(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| field_of(k) == field)
            .find_map(|(_, d)| d.problem.as_deref())
    }
    /// Inputs of `step` holding text that is not a valid answer: (field, problem).
    pub fn problems_on(&self, step: Step) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| step_of(field_of(k)) == step)
            .filter_map(|(k, d)| Some((field_of(k).to_string(), d.problem.clone()?)))
            .collect()
    }
}

/// The field path of an input key (`window.start#time` -> `window.start`).
pub fn field_of(key: &str) -> &str {
    key.split('#').next().unwrap_or(key)
}

/// What a step needs to draw its fields: the findings, which fields were touched, whether every
/// finding of the step should show (after Next was pressed), and focus requests.
pub struct Form<'a> {
    pub findings: &'a [Finding],
    pub touched: &'a mut BTreeSet<String>,
    pub reveal_all: bool,
    /// A field to focus and scroll to (from a click on the review page).
    pub focus: &'a mut Option<String>,
    /// Focus the first input drawn (the step was just entered).
    pub focus_first: &'a mut bool,
    /// The field the app focused by itself on entering the step, until the user types into
    /// it: leaving it untouched is not "touching" it (no error for a field never used).
    pub auto_focused: &'a mut Option<String>,
    pub drafts: &'a mut Drafts,
    pub knowledge: &'static Knowledge,
}

pub fn error_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 120, 110)
    } else {
        Color32::from_rgb(190, 20, 20)
    }
}

pub fn warning_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(240, 190, 80)
    } else {
        Color32::from_rgb(150, 95, 0)
    }
}

pub fn ok_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(120, 210, 130)
    } else {
        Color32::from_rgb(20, 130, 40)
    }
}

pub fn severity_color(ui: &Ui, s: Severity) -> Color32 {
    match s {
        Severity::Error => error_color(ui),
        Severity::Warning => warning_color(ui),
        Severity::Info => ui.visuals().weak_text_color(),
    }
}

pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

impl<'a> Form<'a> {
    /// Start drawing the input of `field`.
    pub fn field(&mut self, field: &str) -> Field<'_, 'a> {
        Field::new(self, field)
    }

    /// The label of a field as the wizard shows it.
    pub fn label_of(&self, field: &str) -> String {
        field_label(self.knowledge, field)
    }

    fn visible(&self, field: &str) -> bool {
        self.reveal_all || self.touched.contains(field)
    }

    /// Whether a finding is shown: once its field was touched (or Next was pressed), or from
    /// the start for one about the file as it was opened (a value kept as written).
    fn shown(&self, f: &Finding) -> bool {
        f.severity != Severity::Info
            && (self.visible(&f.field) || f.rule == crate::validate::UNKNOWN_VALUE_RULE)
    }

    /// Show this field's findings under it, once it was touched (or Next was pressed). Text
    /// that is not a valid answer yet says so instead.
    pub fn show_findings(&self, ui: &mut Ui, field: &str) {
        if self.visible(field)
            && let Some(problem) = self.drafts.problem(field)
        {
            ui.label(
                RichText::new(format!("{} {problem}", severity_icon(Severity::Error)))
                    .color(error_color(ui)),
            );
            return;
        }
        for f in self.findings.iter().filter(|f| f.field == field) {
            if !self.shown(f) {
                continue;
            }
            ui.label(
                RichText::new(format!("{} {}", severity_icon(f.severity), f.message))
                    .color(severity_color(ui, f.severity)),
            );
        }
    }

    /// Bookkeeping after drawing an input: touched when it loses focus, focused on request.
    pub fn track(&mut self, ui: &Ui, field: &str, response: &egui::Response) {
        let auto = self.auto_focused.as_deref() == Some(field);
        if (response.changed() || response.clicked()) && auto {
            *self.auto_focused = None;
        }
        if response.lost_focus() && auto {
            *self.auto_focused = None;
        } else if response.lost_focus() || response.changed() && !response.has_focus() {
            self.touched.insert(field.to_string());
        }
        if self.focus.as_deref() == Some(field) {
            response.request_focus();
            response.scroll_to_me(Some(egui::Align::Center));
            ui.ctx().request_repaint();
            *self.focus = None;
            *self.focus_first = false;
        } else if *self.focus_first && self.focus.is_none() {
            response.request_focus();
            *self.focus_first = false;
            *self.auto_focused = Some(field.to_string());
        }
    }

    /// The visible label (also the accessible name); required fields get a marker beside it.
    pub fn label(ui: &mut Ui, label: &str, required: bool) -> egui::Response {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(RichText::new(label).strong());
            if required {
                ui.label(RichText::new("required").small().weak());
            }
            l
        })
        .inner
    }
}

/// A help line under a question.
pub fn help(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).small().weak());
}

/// A step heading with its summary of findings.
pub fn step_header(ui: &mut Ui, number: usize, total: usize, title: &str, intro: &str) {
    ui.label(RichText::new(format!("Step {number} of {total}")).weak());
    ui.heading(title);
    if !intro.is_empty() {
        ui.label(intro);
    }
    ui.add_space(8.0);
}

/// The box at the top of a step listing the errors and warnings the user has been shown: of
/// fields they left, or all of them once Next was pressed. Nothing on arrival.
pub fn findings_summary(ui: &mut Ui, form: &Form<'_>, findings: &[&Finding]) {
    let shown: Vec<&&Finding> = findings.iter().filter(|f| form.shown(f)).collect();
    let errors = shown
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = shown.len() - errors;
    if shown.is_empty() {
        return;
    }
    let color = if errors > 0 {
        error_color(ui)
    } else {
        warning_color(ui)
    };
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(760.0));
            let title = match (errors, warnings) {
                (0, w) => format!("{w} warning(s) on this step"),
                (e, 0) => format!("{e} error(s) to fix on this step"),
                (e, w) => format!("{e} error(s) to fix and {w} warning(s) on this step"),
            };
            ui.label(RichText::new(title).strong().color(color));
            for f in shown {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        severity_icon(f.severity),
                        crate::validate::labelled(&form.label_of(&f.field), &f.message)
                    ))
                    .color(severity_color(ui, f.severity)),
                );
            }
        });
    ui.add_space(8.0);
}
