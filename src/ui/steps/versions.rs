//! Step 3: current and target versions, the questions that decide conditional stops, and the
//! live upgrade path.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::knowledge::Knowledge;
use crate::path::{HopKind, NoteSeverity, UpgradePath};
use crate::plan::{Conditions, Edition, Plan, Versions};
use crate::ui::app::Command;
use crate::ui::widgets::{self, Form};
use crate::validate::{Analysis, condition_matters};
use crate::version::parse_version;

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let newest = ctx.knowledge.releases.newest_known.version.clone();
    let plan = &mut *ctx.plan;
    let versions = plan.versions.get_or_insert_with(Default::default);
    if form
        .field("versions.current")
        .required()
        .hint("e.g. 16.3.4-ee (Admin > Help)")
        .text(ui, &mut versions.current)
    {
        infer_edition(versions);
    }
    form.field("versions.edition").required().open_radio(
        ui,
        &mut versions.edition,
        &[
            (Edition::Ee, Edition::Ee.label()),
            (Edition::Ce, Edition::Ce.label()),
        ],
    );
    form.field("versions.target")
        .required()
        .hint(&format!(
            "e.g. {newest} (newest known), or 18.5 for its latest patch"
        ))
        .text(ui, &mut versions.target);
    if versions.target.is_none()
        && ui
            .button(format!("Use the newest known version ({newest})"))
            .clicked()
    {
        versions.target = Some(newest.clone());
        form.touched.insert("versions.target".into());
    }

    conditions(ctx.knowledge, ctx.analysis, plan, form, ui);

    section(ui, "Zero-downtime upgrade");
    form.field("zero_downtime")
        .yes_no(ui, &mut plan.zero_downtime);
    widgets::help(
        ui,
        "Only for multi-node Linux package installations with HA for every component; it goes one minor at a time, so the path gets longer.",
    );

    section(ui, "Computed upgrade path");
    match &ctx.analysis.path {
        Some(p) => path_table(ui, p, ctx.commands),
        None => {
            ui.label(
                RichText::new("Enter the current and target versions to see the path.").weak(),
            );
        }
    }
    super::timeline::show(plan, ctx.analysis, form, ui);
}

/// A version typed with its edition (`16.8.3-ee`) answers the edition question, unless the
/// user already answered it.
fn infer_edition(versions: &mut Versions) {
    if versions.edition.is_none()
        && let Some(edition) = versions
            .current
            .as_deref()
            .and_then(|c| parse_version(c).ok())
            .and_then(|v| v.edition)
    {
        versions.edition = Some(edition.into());
    }
}

/// The questions that decide conditional stops, only those whose stop lies on this path.
fn conditions(
    k: &'static Knowledge,
    analysis: &Analysis,
    plan: &mut Plan,
    form: &mut Form<'_>,
    ui: &mut Ui,
) {
    let Some(path) = &analysis.path else {
        return;
    };
    let relevant: Vec<&str> = k
        .condition_ids()
        .into_iter()
        .filter(|id| condition_matters(k, id, path))
        .collect();
    if relevant.is_empty() {
        return;
    }
    section(ui, "Questions that decide extra stops");
    widgets::help(
        ui,
        "Your path passes versions that are stops only for instances with a particular trait. Answer each; the query shows how to check, and the diagnostics script's output pasted on the Start step answers all but the web-node question. Not sure? The stop stays on the path until you know.",
    );
    let cond = plan.conditions.get_or_insert_with(Conditions::default);
    let answers: [(&str, &mut Option<bool>); 5] = [
        ("multiple_web_nodes", &mut cond.multiple_web_nodes),
        ("large_users_table", &mut cond.large_users_table),
        ("npm_packages", &mut cond.npm_packages),
        (
            "large_pipeline_variables",
            &mut cond.large_pipeline_variables,
        ),
        ("large_pipeline_messages", &mut cond.large_pipeline_messages),
    ];
    for (id, value) in answers {
        let Some(info) = k.condition(id).filter(|_| relevant.contains(&id)) else {
            continue;
        };
        form.field(&format!("conditions.{id}"))
            .yes_no_unsure(ui, value, &mut plan.to_verify);
        widgets::help(ui, &info.help);
        if let Some(check) = &info.check {
            ui.label(RichText::new(check).monospace().small());
        }
        ui.add_space(4.0);
    }
}

/// The hops with their reasons and notes (also used by the review page).
pub fn path_table(ui: &mut Ui, p: &UpgradePath, commands: &mut Vec<Command>) {
    ui.label(format!(
        "{} → {}: {} hop(s){}",
        p.from,
        p.to,
        p.hops.len(),
        if p.zero_downtime {
            ", one minor at a time"
        } else {
            ""
        }
    ));
    for (i, hop) in p.hops.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width().min(860.0));
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("{}. {}", i + 1, hop.display_version()))
                        .strong()
                        .monospace()
                        .size(15.0),
                );
                let tag = match hop.kind {
                    HopKind::RequiredStop => "required stop",
                    HopKind::ConditionalStop => "conditional stop",
                    HopKind::ZeroDowntimeMinor => "zero-downtime minor",
                    HopKind::PatchOfCurrent => "optional: latest patch of your minor",
                    HopKind::Target => "target",
                };
                ui.label(RichText::new(tag).italics());
                if !hop.verified {
                    ui.label(RichText::new("UNVERIFIED").color(widgets::warning_color(ui)));
                }
            });
            ui.label(&hop.reason);
            for n in &hop.notes {
                let color = match n.severity {
                    NoteSeverity::Blocker => widgets::error_color(ui),
                    NoteSeverity::Warning => widgets::warning_color(ui),
                    NoteSeverity::Info => ui.visuals().weak_text_color(),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("[{}]", n.severity.label()))
                            .color(color)
                            .small(),
                    );
                    if let Some(id) = &n.id {
                        ui.label(RichText::new(id).monospace().small());
                    }
                    ui.label(RichText::new(&n.message).small());
                    if let Some(c) = &n.check {
                        ui.label(RichText::new(format!("(applies if: {c})")).small().weak());
                    }
                    if let Some(url) = &n.doc_url
                        && ui.small_button("docs").on_hover_text(url).clicked()
                    {
                        commands.push(Command::OpenUrl(url.clone()));
                    }
                });
            }
        });
    }
    for n in &p.notes {
        widgets::help(ui, n);
    }
}
