//! The inputs a step draws through [`Form::field`]: text, choices, yes/no, numbers.

use egui::{RichText, Ui, UiBuilder};

use super::{FIELD_WIDTH, Form, input_id};
use crate::plan::{Open, OpenAnswer, other_label};

/// One field being drawn: its path, label, hint and whether it is required.
pub struct Field<'f, 'a> {
    pub(super) form: &'f mut Form<'a>,
    pub(super) field: String,
    pub(super) label: String,
    pub(super) hint: String,
    pub(super) required: bool,
}

/// Width of a single-line input in `ui`: the usual width, or what is left when the window (or
/// the zoom) leaves less.
pub fn input_width(ui: &Ui) -> f32 {
    FIELD_WIDTH.min(ui.available_width()).max(80.0)
}

impl<'f, 'a> Field<'f, 'a> {
    pub(super) fn new(form: &'f mut Form<'a>, field: &str) -> Field<'f, 'a> {
        let label = form.label_of(field);
        Field {
            form,
            field: field.to_string(),
            label,
            hint: String::new(),
            required: false,
        }
    }

    /// Mark the field as required (an empty answer is an error).
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Grey text shown in an empty input.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.to_string();
        self
    }

    /// Draw the field in its own scope (stable ids whatever is above it): label, the input
    /// drawn by `input`, then the field's findings.
    pub(super) fn draw<R>(
        self,
        ui: &mut Ui,
        input: impl FnOnce(&mut Ui, &mut Form<'a>, &str, egui::Id) -> R,
    ) -> R {
        let Field {
            form,
            field,
            label,
            required,
            ..
        } = self;
        let scope = egui::Id::unique(("upgrade-planner-field", field.as_str()));
        ui.scope_builder(UiBuilder::new().scope_id(scope), |ui| {
            let l = Form::label(ui, &label, required);
            let out = input(ui, form, &field, l.id);
            form.show_findings(ui, &field);
            ui.add_space(6.0);
            out
        })
        .inner
    }

    /// A single-line text input bound to an optional string.
    pub fn text(self, ui: &mut Ui, value: &mut Option<String>) -> bool {
        self.text_edit(ui, value, false)
    }

    /// A multi-line text input.
    pub fn multiline(self, ui: &mut Ui, value: &mut Option<String>) -> bool {
        self.text_edit(ui, value, true)
    }

    fn text_edit(self, ui: &mut Ui, value: &mut Option<String>, multiline: bool) -> bool {
        let hint = self.hint.clone();
        self.draw(ui, |ui, form, field, label| {
            let mut buf = value.clone().unwrap_or_default();
            let edit = if multiline {
                egui::TextEdit::multiline(&mut buf)
                    .desired_rows(4)
                    .desired_width(ui.available_width())
            } else {
                egui::TextEdit::singleline(&mut buf).desired_width(input_width(ui))
            };
            // What the app writes it must be able to read: an answer stops at the limit a
            // plan file allows.
            let edit = edit.char_limit(crate::plan_file::MAX_TEXT_CHARS);
            let r = ui
                .add(edit.id(input_id(field)).hint_text(hint))
                .labelled_by(label);
            let changed = r.changed();
            if changed {
                *value = if buf.is_empty() { None } else { Some(buf) };
            }
            form.track(ui, field, &r);
            changed
        })
    }

    /// A dropdown with human labels, for lists too long for radio buttons; `None` shows the
    /// hint (or "Choose").
    pub fn choice<T: Copy + PartialEq>(
        self,
        ui: &mut Ui,
        value: &mut Option<T>,
        options: &[(T, &str)],
    ) -> bool {
        let placeholder = if self.hint.is_empty() {
            "Choose".to_string()
        } else {
            self.hint.clone()
        };
        self.draw(ui, |ui, form, field, label| {
            let selected = value
                .and_then(|v| options.iter().find(|(o, _)| *o == v))
                .map(|(_, s)| (*s).to_string())
                .unwrap_or(placeholder);
            let before = *value;
            let inner = egui::ComboBox::from_id_salt("choice")
                .selected_text(selected)
                .width(input_width(ui) - 10.0)
                .height(480.0)
                .show_ui(ui, |ui| {
                    for (o, text) in options {
                        ui.selectable_value(value, Some(*o), *text);
                    }
                });
            let r = inner.response.labelled_by(label);
            let changed = *value != before;
            if changed {
                form.touched.insert(field.to_string());
            }
            form.track(ui, field, &r);
            changed
        })
    }

    /// A short list of answers as radio buttons: one click to answer.
    pub fn radio<T: Copy + PartialEq>(
        self,
        ui: &mut Ui,
        value: &mut Option<T>,
        options: &[(T, &str)],
    ) -> bool {
        self.draw(ui, |ui, form, field, label| {
            let before = *value;
            let vertical = options.len() > 3;
            let r = radio_group(ui, field, label, vertical, |ui| {
                let mut first = None;
                for (o, text) in options {
                    let r = ui.radio(*value == Some(*o), *text);
                    if r.clicked() {
                        *value = Some(*o);
                    }
                    first.get_or_insert(r);
                }
                first
            });
            let changed = *value != before;
            if changed {
                form.touched.insert(field.to_string());
            }
            if let Some(r) = r {
                form.track(ui, field, &r);
            }
            changed
        })
    }

    /// [`radio`](Self::radio) for an answer that may hold a value this version does not
    /// know: that value is one more button, `other: <value>`, selected until the user picks a
    /// known one (only then is the kept value replaced).
    pub fn open_radio<T: Copy + PartialEq>(
        self,
        ui: &mut Ui,
        value: &mut Option<Open<T>>,
        options: &[(T, &str)],
    ) -> bool {
        with_kept(value, options, |pick, opts| self.radio(ui, pick, opts))
    }

    /// [`choice`](Self::choice) for an answer that may hold a value this version does not
    /// know: the dropdown shows `other: <value>` (also as an entry of its own) until the user
    /// picks a known value.
    pub fn open_choice<T: Copy + PartialEq>(
        self,
        ui: &mut Ui,
        value: &mut Option<Open<T>>,
        options: &[(T, &str)],
    ) -> bool {
        with_kept(value, options, |pick, opts| self.choice(ui, pick, opts))
    }

    /// A yes/no question: two radio buttons.
    pub fn yes_no(self, ui: &mut Ui, value: &mut Option<bool>) -> bool {
        self.radio(ui, value, &[(true, "Yes"), (false, "No")])
    }

    /// A yes/no question an administrator may not know the answer to: "Not sure" leaves the
    /// value unset and records the field in `to_verify` (the plan's list of answers to check).
    pub fn yes_no_unsure(
        self,
        ui: &mut Ui,
        value: &mut Option<bool>,
        to_verify: &mut Vec<String>,
    ) -> bool {
        self.draw(ui, |ui, form, field, label| {
            let unsure = to_verify.iter().any(|f| f == field);
            #[derive(Clone, Copy, PartialEq)]
            enum Answer {
                Yes,
                No,
                NotSure,
            }
            let before = match (*value, unsure) {
                (Some(true), _) => Some(Answer::Yes),
                (Some(false), _) => Some(Answer::No),
                (None, true) => Some(Answer::NotSure),
                (None, false) => None,
            };
            let mut answer = before;
            let r = radio_group(ui, field, label, false, |ui| {
                let mut first = None;
                for (a, text) in [
                    (Answer::Yes, "Yes"),
                    (Answer::No, "No"),
                    (Answer::NotSure, "Not sure"),
                ] {
                    let r = ui.radio(answer == Some(a), text);
                    if r.clicked() {
                        answer = Some(a);
                    }
                    first.get_or_insert(r);
                }
                first
            });
            let changed = answer != before;
            if changed {
                *value = match answer {
                    Some(Answer::Yes) => Some(true),
                    Some(Answer::No) => Some(false),
                    _ => None,
                };
                to_verify.retain(|f| f != field);
                if answer == Some(Answer::NotSure) {
                    to_verify.push(field.to_string());
                }
                form.touched.insert(field.to_string());
            }
            if let Some(r) = r {
                form.track(ui, field, &r);
            }
            changed
        })
    }

    /// A whole number (a count of nodes). Nothing is clamped: a value from a file shows as it is.
    pub fn count(self, ui: &mut Ui, value: &mut Option<u32>) -> bool {
        let hint = self.hint.clone();
        self.draw(ui, |ui, form, field, label| {
            let r = parsed_input(
                ui,
                form,
                field,
                label,
                &hint,
                value,
                90.0,
                &|v| v.to_string(),
                &|t| {
                    t.parse::<u32>().map_err(|_| {
                        format!("`{t}` is not a whole number of nodes (for example 3).")
                    })
                },
            );
            settle(form, field, &r);
            r.changed()
        })
    }

    /// A number of hours (`2`, `2.5`; a decimal comma works too).
    pub fn hours(self, ui: &mut Ui, value: &mut Option<f64>) -> bool {
        let hint = self.hint.clone();
        self.draw(ui, |ui, form, field, label| {
            let r = parsed_input(
                ui,
                form,
                field,
                label,
                &hint,
                value,
                90.0,
                &format_hours,
                &parse_hours,
            );
            settle(form, field, &r);
            r.changed()
        })
    }
}

impl Field<'_, '_> {
    /// A list typed as text separated by commas, spaces or line breaks (host names). What the
    /// user types stays as typed while they edit: a comma is not swallowed by the list.
    pub fn list(self, ui: &mut Ui, value: &mut Vec<String>) -> bool {
        let hint = self.hint.clone();
        self.draw(ui, |ui, form, field, label| {
            let mut v = (!value.is_empty()).then(|| value.clone());
            let r = parsed_input(
                ui,
                form,
                field,
                label,
                &hint,
                &mut v,
                input_width(ui),
                &|items: &Vec<String>| items.join(", "),
                &|t| {
                    Ok(t.split([',', ' ', '\n', ';'])
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_string)
                        .collect())
                },
            );
            settle(form, field, &r);
            if r.changed() {
                *value = v.unwrap_or_default();
            }
            r.changed()
        })
    }
}

/// `8` for 8.0, `2.5` for 2.5.
pub fn format_hours(h: &f64) -> String {
    if h.fract() == 0.0 && h.abs() < 1e15 {
        format!("{}", *h as i64)
    } else {
        format!("{h}")
    }
}

/// Hours as typed: `8`, `2.5`, `2,5`, `2.5 h`.
pub fn parse_hours(t: &str) -> Result<f64, String> {
    let cleaned = t
        .trim()
        .trim_end_matches(['h', 'H'])
        .trim()
        .replace(',', ".");
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "`{t}` is not a number of hours (for example 8 or 2.5)."
        )),
    }
}

/// An entry of an option list drawn for an [`Open`] answer: a known value, or the value kept
/// as written.
#[derive(Clone, Copy, PartialEq)]
enum Pick<T> {
    Known(T),
    Kept,
}

/// Draw `options` (plus `other: <value>` when `value` holds one this version does not know)
/// with `draw`, and store a known value the user picked. Whether the answer changed.
fn with_kept<T: Copy + PartialEq>(
    value: &mut Option<Open<T>>,
    options: &[(T, &str)],
    draw: impl FnOnce(&mut Option<Pick<T>>, &[(Pick<T>, &str)]) -> bool,
) -> bool {
    let kept = value.unknown().map(other_label);
    let mut list: Vec<(Pick<T>, &str)> =
        options.iter().map(|(t, l)| (Pick::Known(*t), *l)).collect();
    if let Some(label) = &kept {
        list.push((Pick::Kept, label.as_str()));
    }
    let mut pick = value.as_ref().map(|v| match v {
        Open::Known(t) => Pick::Known(*t),
        Open::Unknown(_) => Pick::Kept,
    });
    let before = pick;
    draw(&mut pick, &list);
    match pick {
        Some(Pick::Known(t)) if pick != before => {
            *value = Some(Open::Known(t));
            true
        }
        _ => false,
    }
}

/// Radio buttons side by side (wrapping when narrow) or one under the other, in one accessible
/// group named by the field's label. `add` returns the first button, which takes the focus
/// when asked.
fn radio_group(
    ui: &mut Ui,
    field: &str,
    label: egui::Id,
    vertical: bool,
    add: impl FnOnce(&mut Ui) -> Option<egui::Response>,
) -> Option<egui::Response> {
    let inner = ui.scope_builder(
        UiBuilder::new()
            .scope_id(input_id(field))
            .accessibility_role(egui::accesskit::Role::RadioGroup),
        |ui| {
            if vertical {
                add(ui)
            } else {
                ui.horizontal_wrapped(add).inner
            }
        },
    );
    inner.response.labelled_by(label);
    inner.inner
}

/// Once the user has left an input whose text is a valid value, show the value as the app
/// writes it (`8` for `8.0`).
pub(super) fn settle(form: &mut Form<'_>, key: &str, r: &egui::Response) {
    if !r.has_focus() && form.drafts.get(key).is_some_and(|d| d.problem.is_none()) {
        form.drafts.remove(key);
    }
}

/// A text input whose text is parsed into a value. What the user types is kept as typed (a
/// draft) while they edit; text that is not a valid value stays a draft with what is wrong,
/// the value is unset, and the problem shows once the input loses focus. The caller decides
/// when a valid draft has become the value ([`settle`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn parsed_input<T>(
    ui: &mut Ui,
    form: &mut Form<'_>,
    key: &str,
    label: egui::Id,
    hint: &str,
    value: &mut Option<T>,
    width: f32,
    render: &dyn Fn(&T) -> String,
    parse: &dyn Fn(&str) -> Result<T, String>,
) -> egui::Response {
    let shown = form
        .drafts
        .get(key)
        .map(|d| d.text.clone())
        .unwrap_or_else(|| value.as_ref().map(render).unwrap_or_default());
    let mut buf = shown;
    let r = ui
        .add(
            egui::TextEdit::singleline(&mut buf)
                .id(input_id(key))
                .hint_text(RichText::new(hint))
                .desired_width(width.min(ui.available_width())),
        )
        .labelled_by(label);
    if r.changed() {
        let t = buf.trim();
        if t.is_empty() {
            *value = None;
            form.drafts.remove(key);
        } else {
            match parse(t) {
                Ok(v) => {
                    *value = Some(v);
                    form.drafts.set(key, buf.clone(), None);
                }
                Err(problem) => {
                    *value = None;
                    form.drafts.set(key, buf.clone(), Some(problem));
                }
            }
        }
    }
    form.track(ui, super::field_of(key), &r);
    r
}
