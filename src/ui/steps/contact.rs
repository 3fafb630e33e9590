//! Step 2: contact and maintenance window.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let contact = ctx.plan.contact.get_or_insert_with(Default::default);
    form.field("contact.organization")
        .required()
        .hint("Example Corp")
        .text(ui, &mut contact.organization);
    form.field("contact.name")
        .required()
        .hint("Ada Admin")
        .text(ui, &mut contact.name);
    form.field("contact.email")
        .required()
        .hint("ada@example.com")
        .text(ui, &mut contact.email);
    form.field("contact.ticket")
        .hint("optional, e.g. 512345")
        .text(ui, &mut contact.ticket);

    section(ui, "Upgrade window");
    ctx.plan.first_window_mut();
    let count = ctx.plan.windows.len();
    for (i, window) in ctx.plan.windows.iter_mut().enumerate() {
        if count > 1 {
            ui.label(RichText::new(format!("Window {} of {count}", i + 1)).strong());
        }
        form.field(&format!("windows[{i}].start"))
            .required()
            .date_time(ui, &mut window.start);
        time_zone(
            ui,
            form,
            i,
            &mut window.time_zone,
            &mut ctx.ui_state.tz_search,
        );
        form.field(&format!("windows[{i}].duration_hours"))
            .required()
            .hint("e.g. 8")
            .hours(ui, &mut window.duration_hours);
        if i == 0 {
            form.field("windows[0].review_call")
                .required()
                .yes_no(ui, &mut window.review_call);
            widgets::help(
                ui,
                "The call is optional (30 minutes, screen share); Support sends a scheduling link at least 2-3 days before the upgrade. Engineers are not present during the upgrade itself.",
            );
        }
        ui.add_space(6.0);
    }
    widgets::help(
        ui,
        "A long path can be split over several windows (weekends), with the background migrations finished in between: step 3 shows the timeline and where to split.",
    );
}

fn time_zone(
    ui: &mut Ui,
    form: &mut Form<'_>,
    window: usize,
    value: &mut Option<String>,
    search: &mut String,
) {
    let field = format!("windows[{window}].time_zone");
    let field = field.as_str();
    let label = form.label_of(field);
    ui.scope_builder(
        egui::UiBuilder::new().scope_id(egui::Id::unique(("upgrade-planner-field", field))),
        |ui| {
            let l = Form::label(ui, &label, true);
            let selected = value.clone().unwrap_or_else(|| "Choose a time zone".into());
            let before = value.clone();
            let inner = egui::ComboBox::from_id_salt(field)
                .selected_text(selected)
                .width(widgets::input_width(ui) - 10.0)
                .height(320.0)
                .show_ui(ui, |ui| {
                    let sl = ui.label("Search time zones");
                    ui.add(
                        egui::TextEdit::singleline(search)
                            .id(widgets::input_id(&format!("{field}#search")))
                            .hint_text("Berlin, New_York, UTC…"),
                    )
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
            let r = inner.response.labelled_by(l.id);
            if *value != before {
                form.touched.insert(field.to_string());
            }
            form.track(ui, field, &r);
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
        },
    );
}
