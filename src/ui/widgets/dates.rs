//! Dates and times, typed (`2026-12-12`, `20:00`) or picked from a calendar. Nothing is filled
//! in for the user: an empty field stays empty until they answer.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use egui::{RichText, Ui};

use super::inputs::{parsed_input, settle};
use super::{Field, Form, warning_color};
use crate::validate::parse_local_datetime;

/// A date as typed: `YYYY-MM-DD`.
pub fn parse_date(t: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{t}` is not a date: type it as YYYY-MM-DD, e.g. 2026-12-12."))
}

/// A time as typed: `HH:MM` on a 24-hour clock (`20:00`, `9:30`).
pub fn parse_time(t: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
        format!("`{t}` is not a time: type it as HH:MM on a 24-hour clock, e.g. 20:00.")
    })
}

fn render_date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn render_time(t: &NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

impl<'a> Field<'_, 'a> {
    /// A date stored as `YYYY-MM-DD`, typed or picked.
    pub fn date(self, ui: &mut Ui, value: &mut Option<String>) -> bool {
        self.draw(ui, |ui, form, field, label| {
            let mut date = value.as_deref().and_then(|v| parse_date(v).ok());
            let unreadable = value.is_some() && date.is_none();
            let mut changed = false;
            ui.horizontal_wrapped(|ui| {
                let (c, r) = date_input(ui, form, field, label, &mut date);
                changed |= c;
                settle(form, field, &r);
                if let Some(d) = date {
                    ui.label(RichText::new(d.format("%A %-d %B %Y").to_string()).weak());
                }
            });
            if unreadable && !changed {
                saved_value_note(ui, value.as_deref().unwrap_or_default());
            }
            if changed {
                *value = date.map(|d| render_date(&d));
            }
            changed
        })
    }

    /// A local date and time stored as `YYYY-MM-DDTHH:MM`: a date input (with a calendar) and a
    /// time input. The value is set once both are valid; until then what was typed is kept.
    pub fn date_time(self, ui: &mut Ui, value: &mut Option<String>) -> bool {
        self.draw(ui, |ui, form, field, label| {
            let current = value.as_deref().and_then(parse_local_datetime);
            let unreadable = value.is_some() && current.is_none();
            let date_key = format!("{field}#date");
            let time_key = format!("{field}#time");
            // Half an answer (a date without a time) lives in the drafts until it is whole.
            let typed = |key: &str, parse: &dyn Fn(&str) -> bool| {
                form.drafts
                    .get(key)
                    .is_some_and(|d| !d.text.trim().is_empty() && parse(&d.text))
            };
            let mut date = if typed(&date_key, &|t| parse_date(t).is_ok()) {
                form.drafts
                    .get(&date_key)
                    .and_then(|d| parse_date(&d.text).ok())
            } else {
                current.map(|c| c.date())
            };
            let mut time = if typed(&time_key, &|t| parse_time(t).is_ok()) {
                form.drafts
                    .get(&time_key)
                    .and_then(|d| parse_time(&d.text).ok())
            } else {
                current.map(|c| c.time())
            };
            let mut changed = false;
            let mut focused = false;
            ui.horizontal_wrapped(|ui| {
                let (c, r) = date_input(ui, form, &date_key, label, &mut date);
                changed |= c;
                focused |= r.has_focus();
                let tl = ui.label("at");
                let r = parsed_input(
                    ui,
                    form,
                    &time_key,
                    tl.id,
                    "HH:MM",
                    &mut time,
                    70.0,
                    &render_time,
                    &parse_time,
                );
                changed |= r.changed();
                focused |= r.has_focus();
                if let Some(d) = date {
                    ui.label(RichText::new(d.format("%A %-d %B %Y").to_string()).weak());
                }
            });
            if unreadable && !changed {
                saved_value_note(ui, value.as_deref().unwrap_or_default());
            }
            if changed {
                *value = match (date, time) {
                    (Some(d), Some(t)) => Some(
                        NaiveDateTime::new(d, t)
                            .format("%Y-%m-%dT%H:%M")
                            .to_string(),
                    ),
                    _ => None,
                };
            }
            half_answer(
                form,
                &date_key,
                &time_key,
                date,
                time,
                value.is_some() && !focused,
            );
            changed
        })
    }
}

/// Keep the drafts of a date-and-time field honest: once the value is whole and the user has
/// left the inputs, they show the value; a date without a time (or the reverse) says what is
/// missing.
fn half_answer(
    form: &mut Form<'_>,
    date_key: &str,
    time_key: &str,
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    settled: bool,
) {
    if settled {
        for key in [date_key, time_key] {
            if form.drafts.get(key).is_some_and(|d| d.problem.is_none()) {
                form.drafts.remove(key);
            }
        }
        return;
    }
    let missing = |form: &Form<'_>, key: &str| {
        form.drafts
            .get(key)
            .is_none_or(|d| d.text.trim().is_empty())
    };
    match (date, time) {
        (Some(_), None) if missing(form, time_key) => form.drafts.set(
            time_key,
            String::new(),
            Some("Enter the time too (HH:MM, 24-hour clock).".into()),
        ),
        (None, Some(_)) if missing(form, date_key) => form.drafts.set(
            date_key,
            String::new(),
            Some("Enter the date too (YYYY-MM-DD).".into()),
        ),
        (None, None) => {
            for key in [date_key, time_key] {
                if form.drafts.get(key).is_some_and(|d| d.text.is_empty()) {
                    form.drafts.remove(key);
                }
            }
        }
        _ => {}
    }
}

/// The date's text input and its calendar button; returns whether the date changed and the
/// text input's response. A picked date is kept as the input's text until it becomes a value.
fn date_input(
    ui: &mut Ui,
    form: &mut Form<'_>,
    key: &str,
    label: egui::Id,
    date: &mut Option<NaiveDate>,
) -> (bool, egui::Response) {
    let r = parsed_input(
        ui,
        form,
        key,
        label,
        "YYYY-MM-DD",
        date,
        110.0,
        &render_date,
        &parse_date,
    );
    let mut changed = r.changed();
    let field = super::field_of(key).to_string();
    if let Some(picked) = calendar(ui, &field, *date) {
        *date = Some(picked);
        form.drafts.set(key, render_date(&picked), None);
        form.touched.insert(field);
        changed = true;
    }
    (changed, r)
}

/// A "Calendar" button that opens a month view; returns the date picked, if one was.
fn calendar(ui: &mut Ui, field: &str, date: Option<NaiveDate>) -> Option<NaiveDate> {
    let start = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut j = jiff::civil::Date::new(
        i16::try_from(start.year()).unwrap_or(2026),
        i8::try_from(start.month()).unwrap_or(1),
        i8::try_from(start.day()).unwrap_or(1),
    )
    .unwrap_or_default();
    let salt = format!("{field}#calendar");
    let r = ui.add(
        egui_extras::DatePickerButton::new(&mut j)
            .id_salt(&salt)
            .calendar_week(true)
            .show_icon(false)
            .format("Calendar…"),
    );
    if !r.changed() {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::from(j.year()),
        u32::try_from(j.month()).ok()?,
        u32::try_from(j.day()).ok()?,
    )
}

/// A value from the file that is not a date: say so, the inputs start empty.
fn saved_value_note(ui: &mut Ui, raw: &str) {
    let shown: String = raw.chars().take(60).collect();
    ui.label(
        RichText::new(format!(
            "The saved value `{shown}` is not a date; enter one."
        ))
        .color(warning_color(ui)),
    );
}

impl Form<'_> {
    /// Forget what was typed into the inputs of `field` (after the value was set elsewhere).
    pub fn forget_drafts(&mut self, field: &str) {
        for part in ["", "#date", "#time"] {
            self.drafts.remove(&format!("{field}{part}"));
        }
    }
}
