//! Step 11: the verdict, every finding grouped by step (click to go to the field), the path,
//! the timeline at a glance and the runbook window by window, and the save and export actions.
//! The verdict, timeline and runbook come from the same export model as the PDF and the
//! Markdown, so the three never disagree.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::export::{
    self, ExportModel, Paper, RunbookEntry, RunbookWindow, TimelineRow, Verdict, WindowRow,
};
use crate::plan::Step;
use crate::ui::app::Command;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let Some(model) = ctx.model else {
        return;
    };
    let a = ctx.analysis;
    let color = match model.verdict {
        Verdict::Ready => widgets::ok_color(ui),
        Verdict::ReadyWithWarnings => widgets::warning_color(ui),
        Verdict::NotReady => widgets::error_color(ui),
    };
    ui.label(RichText::new(model.verdict.label()).heading().color(color));
    ui.label(&model.verdict_text);
    ui.label(format!(
        "{} error(s), {} warning(s), {} hint(s)",
        model.counts.errors, model.counts.warnings, model.counts.infos
    ));

    section(ui, "Save and export");
    let mut paper = Some(ctx.ui_state.paper.unwrap_or(Paper::A4));
    form.field("export.paper").radio(
        ui,
        &mut paper,
        &[(Paper::A4, "A4"), (Paper::Letter, "US Letter")],
    );
    ctx.ui_state.paper = paper;
    ui.checkbox(
        &mut ctx.ui_state.redact_hosts,
        "Redact host names, IP addresses and email addresses in exports",
    )
    .on_hover_text("PDF, Markdown and JSON exports show [HOST], [IP] and [EMAIL] instead; the saved plan keeps them");
    ui.horizontal_wrapped(|ui| {
        if ui.button("Save").clicked() {
            ctx.commands.push(Command::Save);
        }
        if ui.button("Save as…").clicked() {
            ctx.commands.push(Command::SaveAs);
        }
        let errors = model.counts.errors > 0;
        if ui
            .add_enabled(!errors, egui::Button::new("Export PDF…"))
            .on_disabled_hover_text("Fix the errors first, or export as a draft")
            .clicked()
        {
            ctx.commands.push(Command::ExportPdf { draft: false });
        }
        if errors
            && ui
                .button("Export as draft…")
                .on_hover_text("Every page is marked DRAFT")
                .clicked()
        {
            ctx.commands.push(Command::ExportPdf { draft: true });
        }
        if ui
            .button("Export JSON…")
            .on_hover_text("The plan file to attach to the ticket")
            .clicked()
        {
            ctx.commands.push(Command::ExportJson);
        }
        if ui
            .button("Copy Markdown")
            .on_hover_text("A summary for the ticket body")
            .clicked()
        {
            ctx.commands.push(Command::CopyMarkdown);
        }
    });
    widgets::help(
        ui,
        &format!(
            "Plan {} · revision {} · {}",
            model.plan_id, model.revision, model.data_summary
        ),
    );

    crate::ui::run::review_entry(ui, ctx.commands);

    section(ui, "Findings");
    if a.findings.is_empty() {
        ui.label("Nothing to report.");
    }
    for step in Step::ALL {
        let list: Vec<_> = a.findings.iter().filter(|f| f.step == step).collect();
        if list.is_empty() {
            continue;
        }
        ui.label(RichText::new(format!("{}. {}", step.number(), step.title())).strong());
        for f in list {
            let text = RichText::new(format!(
                "{} {}",
                widgets::severity_icon(f.severity),
                crate::validate::labelled(&form.label_of(&f.field), &f.message)
            ))
            .color(widgets::severity_color(ui, f.severity));
            if ui.link(text).on_hover_text("Go to this field").clicked() {
                ctx.jump = Some(f.field.clone());
            }
        }
        ui.add_space(4.0);
    }

    section(ui, "Upgrade path");
    match &a.path {
        Some(p) => super::versions::path_table(ui, p, ctx.commands),
        None => {
            ui.label(RichText::new("No path yet: the versions are missing or invalid.").weak());
        }
    }

    section(ui, "Timeline at a glance");
    timeline(ui, model);

    section(ui, "Runbook");
    runbook(ui, model);
    ui.add_space(8.0);
    ui.label(RichText::new(&model.data_summary).small().weak());
}

/// Every window with its hops and dependency steps in order, the time they take and the
/// go/no-go time.
fn timeline(ui: &mut Ui, model: &ExportModel) {
    let count = model.windows.len();
    for w in &model.windows {
        let color = if w.fits == Some(false) {
            widgets::warning_color(ui)
        } else {
            ui.visuals().text_color()
        };
        ui.label(
            RichText::new(format!("{} — {}", w.title(count), w.summary()))
                .strong()
                .color(color),
        );
        for e in &w.entries {
            ui.label(match e {
                TimelineRow::Hop {
                    number,
                    from_version,
                    version,
                    hours,
                    rehearsed,
                } => format!(
                    "{number}. GitLab {from_version} → {version} · {}{}",
                    export::hours(*hours),
                    if *rehearsed { " (rehearsed)" } else { "" }
                ),
                TimelineRow::Step {
                    title,
                    after,
                    origin,
                    hours,
                    ..
                } => format!(
                    "    + {title} after {after} · {origin} · {}",
                    export::hours(*hours)
                ),
            });
        }
        if let Some(next) = &w.before_next {
            widgets::help(ui, next);
        }
        ui.add_space(6.0);
    }
}

/// The runbook window by window; each window, hop and dependency step folds open.
fn runbook(ui: &mut Ui, model: &ExportModel) {
    let rb = &model.runbook;
    if !rb.order.is_empty() {
        widgets::help(
            ui,
            &format!("Node order at each hop: {}", rb.order.join(" → ")),
        );
    }
    egui::CollapsingHeader::new("Before the first window")
        .id_salt("rb_before")
        .show(ui, |ui| super::runbook_steps(ui, "Before", &rb.before));
    let count = rb.windows.len();
    for w in &rb.windows {
        let Some(row) = model.windows.iter().find(|r| r.number == w.number) else {
            continue;
        };
        egui::CollapsingHeader::new(row.title(count))
            .id_salt(("rb_window", w.number))
            .show(ui, |ui| runbook_window(ui, model, w, row));
    }
    egui::CollapsingHeader::new("After the last window")
        .id_salt("rb_after")
        .show(ui, |ui| super::runbook_steps(ui, "After", &rb.after));
}

fn runbook_window(ui: &mut Ui, model: &ExportModel, w: &RunbookWindow, row: &WindowRow) {
    widgets::help(ui, &row.summary());
    super::runbook_steps(
        ui,
        &format!("Start of window {} on {}", w.number, w.start_version),
        &w.start,
    );
    for (i, entry) in w.entries.iter().enumerate() {
        match entry {
            RunbookEntry::Hop { number } => {
                let Some(hop) = model.runbook.hop(*number) else {
                    continue;
                };
                egui::CollapsingHeader::new(format!(
                    "Hop {}: {} → {}",
                    hop.number, hop.from_version, hop.version
                ))
                .id_salt(("rb_hop", hop.number))
                .show(ui, |ui| {
                    super::runbook_steps(ui, "Before", &hop.pre_checks);
                    super::runbook_steps(ui, "Install", &hop.install);
                    super::runbook_steps(ui, "Post-checks", &hop.post_checks);
                });
            }
            RunbookEntry::Dependency(d) => {
                egui::CollapsingHeader::new(format!("{} on {}", d.title, d.on_version))
                    .id_salt(("rb_step", w.number, i))
                    .show(ui, |ui| {
                        widgets::help(ui, &format!("{}: {}", d.origin, d.summary));
                        for g in &d.groups {
                            super::runbook_steps(ui, &g.title, &g.steps);
                        }
                    });
            }
        }
    }
    super::runbook_steps(ui, &format!("End of window {}", w.number), &w.end);
}
