//! What a reviewed plan shows: the reviewer's note at the top of a step (a box the customer
//! reads, or the box the reviewer writes in), and on Start and Review the verdict, whether the
//! plan changed since the review, and the changes since the reviewed revision.

use egui::{RichText, Ui};

use super::note_label;
use crate::plan::Step;
use crate::review::{PlanDiff, ReviewStatus};
use crate::ui::widgets::{self, input_id};

/// The colour of a verdict.
pub fn verdict_color(ui: &Ui, verdict: &str) -> egui::Color32 {
    match verdict {
        "viable" => widgets::ok_color(ui),
        "needs_info" => widgets::warning_color(ui),
        "reschedule" => widgets::error_color(ui),
        _ => ui.visuals().text_color(),
    }
}

/// The reviewer's note on a step, as the customer reads it at the top of the step.
pub fn note_box(ui: &mut Ui, note: &str, status: Option<&ReviewStatus>) {
    let color = widgets::warning_color(ui);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(760.0));
            let who = status
                .map(|s| {
                    let mut w = format!("revision {}", s.reviewed_revision);
                    if let Some(r) = &s.reviewer {
                        w = format!("{r}, {w}");
                    }
                    if let Some(d) = &s.reviewed_on {
                        w.push_str(&format!(", {d}"));
                    }
                    w
                })
                .unwrap_or_default();
            ui.label(
                RichText::new(format!("✎ Note from GitLab Support ({who})"))
                    .strong()
                    .color(color),
            );
            ui.label(note);
            widgets::help(
                ui,
                "Answer it by changing your answers below and saving: the new revision goes back to Support.",
            );
        });
    ui.add_space(8.0);
}

/// The box the reviewer writes the note on `step` in.
pub fn note_editor(ui: &mut Ui, step: Step, text: &mut String) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, widgets::warning_color(ui)))
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(760.0));
            let label = ui.label(RichText::new(note_label(step)).strong());
            ui.add(
                egui::TextEdit::multiline(text)
                    .id(input_id(&format!("review#note#{}", step.id())))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .char_limit(crate::plan_file::MAX_TEXT_CHARS)
                    .hint_text("What is missing or of concern on this step (the customer sees it here)"),
            )
            .labelled_by(label.id);
            widgets::help(
                ui,
                "Review mode: the plan's answers are read-only; your notes are saved with the review.",
            );
        });
    ui.add_space(8.0);
}

/// The verdict of the latest review, whether the plan changed since, and (folded) what
/// changed: shown on Start and Review.
pub fn banner(ui: &mut Ui, s: &ReviewStatus) {
    let color = verdict_color(ui, &s.verdict);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(760.0));
            ui.label(
                RichText::new(format!("GitLab Support review: {}", s.verdict_label))
                    .heading()
                    .color(color),
            );
            ui.label(s.line());
            if let Some(d) = &s.data_date {
                widgets::help(ui, &format!("Reviewed with the GitLab data of {d}."));
            }
            if s.reviews > 1 {
                widgets::help(ui, &format!("{} reviews in all; this is the latest.", s.reviews));
            }
            if s.changed_since_review {
                ui.label(
                    RichText::new("Changed since review")
                        .strong()
                        .color(widgets::warning_color(ui)),
                );
                widgets::help(
                    ui,
                    "The answers differ from the revision Support reviewed: send the plan again for the changes to be reviewed.",
                );
            } else {
                ui.label(RichText::new("No answer changed since the review").color(widgets::ok_color(ui)));
            }
            if let Some(d) = &s.since_review {
                // Open by default once the plan has changed (its own fold state from then).
                egui::CollapsingHeader::new("Changes since the reviewed revision")
                    .id_salt(("review#since", s.changed_since_review))
                    .default_open(s.changed_since_review)
                    .show(ui, |ui| changes(ui, d));
            }
        });
    ui.add_space(8.0);
}

/// The changes: answers by label (was, now), the path, findings new and resolved, known
/// issues newly applicable or gone.
pub fn changes(ui: &mut Ui, d: &PlanDiff) {
    widgets::help(
        ui,
        &format!(
            "Revision {} (GitLab data of {}) → revision {} (GitLab data of {})",
            d.old_revision, d.old_data_date, d.new_revision, d.new_data_date
        ),
    );
    if d.is_empty() {
        ui.label("No changes.");
        return;
    }
    if d.answers.is_empty() {
        ui.label("No answer changed.");
    } else {
        ui.label(RichText::new(format!("Answers changed: {}", d.answers.len())).strong());
        egui::Grid::new("review#since#answers")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                ui.label(RichText::new("Question").weak());
                ui.label(RichText::new("Was").weak());
                ui.label(RichText::new("Now").weak());
                ui.end_row();
                for a in &d.answers {
                    ui.label(&a.label);
                    ui.label(a.old.as_deref().unwrap_or("—"));
                    ui.label(a.new.as_deref().unwrap_or("—"));
                    ui.end_row();
                }
            });
    }
    if d.path_changed() {
        ui.label(format!("Path was: {}", d.old_path.join(" → ")));
        ui.label(format!("Path now: {}", d.new_path.join(" → ")));
    } else {
        ui.label(format!("Path unchanged: {}", d.new_path.join(" → ")));
    }
    for (title, list, color) in [
        ("New", &d.findings_new, widgets::error_color(ui)),
        ("Resolved", &d.findings_resolved, widgets::ok_color(ui)),
    ] {
        for f in list {
            ui.label(
                RichText::new(format!(
                    "{title} {}: {}",
                    f.severity,
                    crate::validate::labelled(&f.label, &f.message)
                ))
                .color(color),
            );
        }
    }
    if !d.issues_new.is_empty() {
        ui.label(format!(
            "Known issues newly applicable: {}",
            d.issues_new.join(", ")
        ));
    }
    if !d.issues_gone.is_empty() {
        ui.label(format!(
            "Known issues no longer applicable: {}",
            d.issues_gone.join(", ")
        ));
    }
}
