//! Form widgets shared by the steps: every input has a visible label that is also its
//! accessible name, shows its own findings once touched, and can be focused from the review page.

use std::collections::BTreeSet;

use egui::{Color32, RichText, Ui};

use crate::validate::{Finding, Severity};

/// Width of single-line inputs.
pub const FIELD_WIDTH: f32 = 420.0;

/// What a step needs to draw its fields: the findings, which fields were touched, and whether
/// every finding of the step should show (after Next was pressed).
pub struct Form<'a> {
    pub findings: &'a [Finding],
    pub touched: &'a mut BTreeSet<String>,
    pub reveal_all: bool,
    /// A field to focus and scroll to (from a click on the review page).
    pub focus: &'a mut Option<String>,
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

impl Form<'_> {
    /// Findings that belong to this field (or to its children, e.g. `os` covers `os.version`).
    fn field_findings(&self, field: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.field == field).collect()
    }

    fn visible(&self, field: &str) -> bool {
        self.reveal_all || self.touched.contains(field)
    }

    /// Show this field's findings under it, once it was touched (or Next was pressed).
    pub fn show_findings(&self, ui: &mut Ui, field: &str) {
        if !self.visible(field) {
            return;
        }
        for f in self.field_findings(field) {
            if f.severity == Severity::Info {
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
        if response.lost_focus() || response.changed() && !response.has_focus() {
            self.touched.insert(field.to_string());
        }
        if self.focus.as_deref() == Some(field) {
            response.request_focus();
            response.scroll_to_me(Some(egui::Align::Center));
            ui.ctx().request_repaint();
            *self.focus = None;
        }
    }

    /// The visible label (also the accessible name); required fields get a marker beside it.
    pub fn label(ui: &mut Ui, label: &str, required: bool) -> egui::Response {
        ui.horizontal(|ui| {
            let l = ui.label(RichText::new(label).strong());
            if required {
                ui.label(RichText::new("required").small().weak());
            }
            l
        })
        .inner
    }

    /// A single-line text input bound to an optional string.
    pub fn text(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<String>,
        field: &str,
        hint: &str,
    ) -> bool {
        self.text_impl(ui, label, value, field, hint, true)
    }

    /// An optional single-line text input.
    pub fn text_optional(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<String>,
        field: &str,
        hint: &str,
    ) -> bool {
        self.text_impl(ui, label, value, field, hint, false)
    }

    fn text_impl(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<String>,
        field: &str,
        hint: &str,
        required: bool,
    ) -> bool {
        let l = Self::label(ui, label, required);
        let mut buf = value.clone().unwrap_or_default();
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut buf)
                    .hint_text(hint)
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(l.id);
        let changed = r.changed();
        if changed {
            *value = if buf.is_empty() { None } else { Some(buf) };
        }
        self.track(ui, field, &r);
        self.show_findings(ui, field);
        ui.add_space(6.0);
        changed
    }

    /// A multi-line text input.
    pub fn multiline(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<String>,
        field: &str,
        hint: &str,
    ) -> bool {
        let l = Self::label(ui, label, false);
        let mut buf = value.clone().unwrap_or_default();
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut buf)
                    .hint_text(hint)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        let changed = r.changed();
        if changed {
            *value = if buf.is_empty() { None } else { Some(buf) };
        }
        self.track(ui, field, &r);
        self.show_findings(ui, field);
        ui.add_space(6.0);
        changed
    }

    /// A dropdown with human labels; `None` shows `placeholder`.
    pub fn choice<T: Copy + PartialEq>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<T>,
        options: &[(T, &str)],
        field: &str,
        placeholder: &str,
    ) -> bool {
        self.choice_impl(ui, label, value, options, field, placeholder, true)
    }

    /// A dropdown whose answer is optional.
    pub fn choice_optional<T: Copy + PartialEq>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<T>,
        options: &[(T, &str)],
        field: &str,
        placeholder: &str,
    ) -> bool {
        self.choice_impl(ui, label, value, options, field, placeholder, false)
    }

    #[allow(clippy::too_many_arguments)]
    fn choice_impl<T: Copy + PartialEq>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<T>,
        options: &[(T, &str)],
        field: &str,
        placeholder: &str,
        required: bool,
    ) -> bool {
        let l = Self::label(ui, label, required);
        let selected = value
            .and_then(|v| options.iter().find(|(o, _)| *o == v))
            .map(|(_, s)| *s)
            .unwrap_or(placeholder);
        let before = *value;
        let inner = egui::ComboBox::from_id_salt(field)
            .selected_text(selected)
            .width(FIELD_WIDTH - 10.0)
            .height(480.0)
            .show_ui(ui, |ui| {
                for (o, text) in options {
                    ui.selectable_value(value, Some(*o), *text);
                }
            });
        let r = inner.response.labelled_by(l.id);
        let changed = *value != before;
        if changed {
            self.touched.insert(field.to_string());
        }
        self.track(ui, field, &r);
        self.show_findings(ui, field);
        ui.add_space(6.0);
        changed
    }

    /// A yes/no question that may be unanswered.
    pub fn yes_no(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<bool>,
        field: &str,
    ) -> bool {
        self.choice(
            ui,
            label,
            value,
            &[(true, "Yes"), (false, "No")],
            field,
            "Not answered",
        )
    }

    /// A number of hours.
    pub fn hours(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<f64>,
        field: &str,
        max: f64,
    ) -> bool {
        let l = Self::label(ui, label, true);
        let mut v = value.unwrap_or(0.0);
        let r = ui
            .add(
                egui::DragValue::new(&mut v)
                    .range(0.0..=max)
                    .speed(0.25)
                    .fixed_decimals(1)
                    .suffix(" h"),
            )
            .labelled_by(l.id);
        let changed = r.changed();
        if changed {
            *value = Some(v);
        }
        self.track(ui, field, &r);
        self.show_findings(ui, field);
        ui.add_space(6.0);
        changed
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

/// The box at the top of a step listing its errors and warnings.
pub fn findings_summary(ui: &mut Ui, findings: &[&Finding], reveal: bool) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    if errors + warnings == 0 || !reveal && errors == 0 && warnings == 0 {
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
            if reveal {
                for f in findings.iter().filter(|f| f.severity != Severity::Info) {
                    ui.label(
                        RichText::new(format!("{} {}", severity_icon(f.severity), f.message))
                            .color(severity_color(ui, f.severity)),
                    );
                }
            }
        });
    ui.add_space(8.0);
}

/// A date picker over a chrono date (the picker itself works with jiff dates).
pub fn date_picker(ui: &mut Ui, date: &mut chrono::NaiveDate, id: &str) -> egui::Response {
    use chrono::Datelike;
    let mut j = jiff::civil::Date::new(
        i16::try_from(date.year()).unwrap_or(2026),
        i8::try_from(date.month()).unwrap_or(1),
        i8::try_from(date.day()).unwrap_or(1),
    )
    .unwrap_or_default();
    let r = ui.add(
        egui_extras::DatePickerButton::new(&mut j)
            .id_salt(id)
            .calendar_week(true)
            .show_icon(false)
            .format("%Y-%m-%d"),
    );
    if r.changed()
        && let Some(d) = chrono::NaiveDate::from_ymd_opt(
            i32::from(j.year()),
            u32::try_from(j.month()).unwrap_or(1),
            u32::try_from(j.day()).unwrap_or(1),
        )
    {
        *date = d;
    }
    r
}
