//! The review panel of review mode: the verdict (with what is missing, or why to
//! reschedule), the required-information checklist filled in from the findings, the notes
//! written on the steps, the reviewer, the date and the approvers, and Save review.

use egui::{RichText, Ui, UiBuilder};

use super::ReviewSession;
use crate::plan::{CheckStatus, Plan, RequiredInfo, ReviewVerdict, Step};
use crate::review::ReviewStatus;
use crate::ui::widgets::{self, input_id};

/// What the reviewer asked for in the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelAction {
    Save,
    GoTo(Step),
}

/// Width of the panel.
pub const WIDTH: f32 = 380.0;

/// The foot of the panel, always in view: Save review, and why the last save was refused.
pub fn footer(ui: &mut Ui, s: &ReviewSession) -> Option<PanelAction> {
    ui.add_space(6.0);
    let save = ui
        .button(RichText::new("Save review").strong())
        .on_hover_text("Write the review into the plan file (Ctrl+S)")
        .clicked();
    if let Some(p) = &s.problem {
        ui.label(RichText::new(p).color(widgets::error_color(ui)));
    }
    ui.add_space(6.0);
    save.then_some(PanelAction::Save)
}

/// Draw the panel's body; returns what was asked.
pub fn body(
    ui: &mut Ui,
    s: &mut ReviewSession,
    plan: &Plan,
    previous: Option<&ReviewStatus>,
) -> Option<PanelAction> {
    let mut action = None;
    ui.add_space(6.0);
    ui.heading("Review");
    ui.label(format!(
        "Revision {} of {}",
        plan.revision,
        plan.contact
            .as_ref()
            .and_then(|c| c.organization.as_deref())
            .unwrap_or("the plan")
    ));
    if s.editing.is_some() {
        widgets::help(
            ui,
            "You reviewed this revision before: saving updates that review.",
        );
    }
    if let Some(p) = previous.filter(|_| s.editing.is_none()) {
        let text = format!("Previous review: {}", p.line());
        ui.label(RichText::new(text).small());
        if p.changed_since_review && ui.link("See what changed since (Review step)").clicked() {
            action = Some(PanelAction::GoTo(Step::Review));
        }
    }
    ui.separator();
    let d = &mut s.draft;
    verdict(ui, &mut d.verdict, s.suggested);
    match d.verdict {
        Some(ReviewVerdict::NeedsInfo) => {
            text_box(
                ui,
                "What is missing (one item a line)",
                "review#missing",
                &mut d.missing,
                3,
            );
        }
        Some(ReviewVerdict::Reschedule) => {
            text_box(
                ui,
                "Reasons to reschedule (one a line)",
                "review#reasons",
                &mut d.reasons,
                3,
            );
        }
        _ => {}
    }

    section(ui, "Reviewer");
    line_box(
        ui,
        "Reviewer's name",
        "review#reviewer",
        &mut d.reviewer,
        "Sam Support",
    );
    line_box(
        ui,
        "Date of the review",
        "review#date",
        &mut d.date,
        "YYYY-MM-DD",
    );
    line_box(
        ui,
        "Approvers (comma-separated)",
        "review#approvers",
        &mut d.approvers,
        "senior engineer, manager",
    );
    text_box(ui, "Comment", "review#comment", &mut d.comment, 2);

    section(ui, "Required information");
    widgets::help(
        ui,
        "Filled in from the plan's findings; change what you judge otherwise.",
    );
    for item in RequiredInfo::ALL {
        let (status, note) = d.checklist.entry(item).or_default();
        checklist_item(ui, item, status, note);
    }

    section(ui, "Notes on the steps");
    let noted: Vec<Step> = Step::ALL
        .into_iter()
        .filter(|st| d.note_on(*st).is_some())
        .collect();
    if noted.is_empty() {
        widgets::help(
            ui,
            "Write a note at the top of any step; the customer sees it there.",
        );
    }
    for st in noted {
        if ui
            .link(format!("✎ {}. {}", st.number(), st.title()))
            .on_hover_text("Go to this step")
            .clicked()
        {
            action = Some(PanelAction::GoTo(st));
        }
    }
    ui.add_space(10.0);
    action
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(15.0));
}

/// A group of radio buttons with an accessible label.
fn radios<T: Copy + PartialEq>(
    ui: &mut Ui,
    key: &str,
    label: egui::Id,
    value: &mut Option<T>,
    options: &[(T, &str)],
) {
    ui.scope_builder(
        UiBuilder::new()
            .scope_id(input_id(key))
            .accessibility_role(egui::accesskit::Role::RadioGroup),
        |ui| {
            ui.horizontal_wrapped(|ui| {
                for (o, text) in options {
                    if ui.radio(*value == Some(*o), *text).clicked() {
                        *value = Some(*o);
                    }
                }
            });
        },
    )
    .response
    .labelled_by(label);
}

fn verdict(ui: &mut Ui, value: &mut Option<ReviewVerdict>, suggested: ReviewVerdict) {
    let label = ui.label(RichText::new("Verdict").strong());
    radios(
        ui,
        "review#verdict",
        label.id,
        value,
        &[
            (ReviewVerdict::Viable, "Viable"),
            (ReviewVerdict::NeedsInfo, "Needs information"),
            (ReviewVerdict::Reschedule, "Reschedule"),
        ],
    );
    let hint = match value {
        Some(ReviewVerdict::Viable) => "The path is confirmed: the upgrade can be scheduled.",
        Some(ReviewVerdict::NeedsInfo) => "Required information is missing: say what.",
        Some(ReviewVerdict::Reschedule) => {
            "Poorly planned or likely to cause downtime: the window should move. Say why."
        }
        None => "",
    };
    if !hint.is_empty() {
        widgets::help(ui, hint);
    }
    if *value != Some(suggested) {
        widgets::help(
            ui,
            &format!("The findings point to: {}.", suggested.short()),
        );
    }
}

fn checklist_item(
    ui: &mut Ui,
    item: RequiredInfo,
    status: &mut Option<CheckStatus>,
    note: &mut String,
) {
    let color = match status {
        Some(CheckStatus::Complete) => widgets::ok_color(ui),
        Some(CheckStatus::Concern) => widgets::warning_color(ui),
        Some(CheckStatus::Missing) => widgets::error_color(ui),
        None => ui.visuals().text_color(),
    };
    let label = ui.label(RichText::new(item.label()).strong().color(color));
    radios(
        ui,
        &format!("review#check#{}", item.id()),
        label.id,
        status,
        &[
            (CheckStatus::Complete, "Complete"),
            (CheckStatus::Concern, "Of concern"),
            (CheckStatus::Missing, "Missing"),
        ],
    );
    let note_label = ui.label(RichText::new(format!("Note on {}", item.label())).small());
    ui.add(
        egui::TextEdit::multiline(note)
            .id(input_id(&format!("review#check#{}#note", item.id())))
            .desired_rows(1)
            .desired_width(f32::INFINITY)
            .char_limit(crate::plan_file::MAX_TEXT_CHARS),
    )
    .labelled_by(note_label.id);
    ui.add_space(4.0);
}

fn text_box(ui: &mut Ui, label: &str, key: &str, text: &mut String, rows: usize) {
    let l = ui.label(RichText::new(label).strong());
    ui.add(
        egui::TextEdit::multiline(text)
            .id(input_id(key))
            .desired_rows(rows)
            .desired_width(f32::INFINITY)
            .char_limit(crate::plan_file::MAX_TEXT_CHARS),
    )
    .labelled_by(l.id);
}

fn line_box(ui: &mut Ui, label: &str, key: &str, text: &mut String, hint: &str) {
    let l = ui.label(RichText::new(label).strong());
    ui.add(
        egui::TextEdit::singleline(text)
            .id(input_id(key))
            .desired_width(f32::INFINITY)
            .char_limit(crate::plan_file::MAX_TEXT_CHARS)
            .hint_text(hint),
    )
    .labelled_by(l.id);
}
