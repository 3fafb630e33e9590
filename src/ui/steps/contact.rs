//! Step 2: contact and maintenance window.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::ui::widgets::{self, Form};
use crate::validate::parse_local_datetime;

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let contact = ctx.plan.contact.get_or_insert_with(Default::default);
    form.text(
        ui,
        "Organisation",
        &mut contact.organization,
        "contact.organization",
        "Example Corp",
    );
    form.text(
        ui,
        "Contact name",
        &mut contact.name,
        "contact.name",
        "Ada Admin",
    );
    form.text(
        ui,
        "Contact email",
        &mut contact.email,
        "contact.email",
        "ada@example.com",
    );
    form.text_optional(
        ui,
        "Support ticket number",
        &mut contact.ticket,
        "contact.ticket",
        "optional, e.g. 512345",
    );

    section(ui, "Upgrade window");
    let window = ctx.plan.window.get_or_insert_with(Default::default);
    let today = ctx.today;
    date_time(
        ui,
        form,
        "Window start",
        &mut window.start,
        "window.start",
        today + chrono::Duration::days(14),
    );
    time_zone(ui, form, &mut window.time_zone, &mut ctx.ui_state.tz_search);
    form.hours(
        ui,
        "Window length (hours)",
        &mut window.duration_hours,
        "window.duration_hours",
        168.0,
    );
    form.yes_no(
        ui,
        "Do you want a review call with GitLab Support?",
        &mut window.review_call,
        "window.review_call",
    );
    widgets::help(
        ui,
        "The call is optional (30 minutes, screen share); Support sends a scheduling link at least 2-3 days before the upgrade. Engineers are not present during the upgrade itself.",
    );
}

/// A date picker plus hour and minute, stored as `YYYY-MM-DDTHH:MM`.
pub fn date_time(
    ui: &mut Ui,
    form: &mut Form<'_>,
    label: &str,
    value: &mut Option<String>,
    field: &str,
    default_date: NaiveDate,
) {
    let current = value.as_deref().and_then(parse_local_datetime);
    let unparsable = value.is_some() && current.is_none();
    let base = current.unwrap_or_else(|| default_date.and_hms_opt(20, 0, 0).unwrap_or_default());
    let mut date = base.date();
    let mut hour = base.hour();
    let mut minute = base.minute();
    let l = Form::label(ui, label, true);
    let mut changed = false;
    ui.horizontal(|ui| {
        let r = widgets::date_picker(ui, &mut date, field).labelled_by(l.id);
        changed |= r.changed();
        let hl = ui.label("Hour");
        let r = ui
            .add(egui::DragValue::new(&mut hour).range(0..=23))
            .labelled_by(hl.id);
        changed |= r.changed();
        let ml = ui.label("Minute");
        let r = ui
            .add(egui::DragValue::new(&mut minute).range(0..=59).speed(5))
            .labelled_by(ml.id);
        changed |= r.changed();
        form.track(ui, field, &r);
        if value.is_none()
            && ui
                .button("Set")
                .on_hover_text("Use this date and time")
                .clicked()
        {
            changed = true;
        }
    });
    if unparsable {
        ui.label(
            RichText::new(format!(
                "The saved value `{}` is not a date; pick one.",
                value.clone().unwrap_or_default()
            ))
            .color(widgets::warning_color(ui)),
        );
    }
    if changed {
        let dt = NaiveDateTime::new(
            NaiveDate::from_ymd_opt(date.year(), date.month(), date.day()).unwrap_or(date),
            chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default(),
        );
        *value = Some(dt.format("%Y-%m-%dT%H:%M").to_string());
        form.touched.insert(field.to_string());
    }
    form.show_findings(ui, field);
    ui.add_space(6.0);
}

fn time_zone(ui: &mut Ui, form: &mut Form<'_>, value: &mut Option<String>, search: &mut String) {
    let field = "window.time_zone";
    let l = Form::label(ui, "Time zone", true);
    let selected = value.clone().unwrap_or_else(|| "Choose a time zone".into());
    let before = value.clone();
    let inner = egui::ComboBox::from_id_salt(field)
        .selected_text(selected)
        .width(widgets::FIELD_WIDTH - 10.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            let sl = ui.label("Search time zones");
            ui.add(egui::TextEdit::singleline(search).hint_text("Berlin, New_York, UTC…"))
                .labelled_by(sl.id)
                .request_focus();
            let needle = search.to_lowercase();
            let mut shown = 0;
            for tz in chrono_tz::TZ_VARIANTS {
                let name = tz.name();
                if !needle.is_empty() && !name.to_lowercase().contains(&needle) {
                    continue;
                }
                shown += 1;
                if shown > 150 {
                    ui.label(RichText::new("… type more to narrow the list").weak());
                    break;
                }
                ui.selectable_value(value, Some(name.to_string()), name);
            }
        });
    inner.response.labelled_by(l.id);
    if *value != before {
        form.touched.insert(field.to_string());
    }
    if let Some(tz) = value
        .as_deref()
        .and_then(|v| v.parse::<chrono_tz::Tz>().ok())
    {
        let now = chrono::Utc::now().with_timezone(&tz);
        widgets::help(
            ui,
            &format!(
                "Local time there now: {}",
                now.format("%Y-%m-%d %H:%M (%Z, UTC%:z)")
            ),
        );
    }
    form.show_findings(ui, field);
    ui.add_space(6.0);
}
