//! Step 5: operating system, checked against the OS matrix at every hop.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::path::{OsSupport, os_support};
use crate::plan::Arch;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let k = ctx.knowledge;
    let os = ctx.plan.os.get_or_insert_with(Default::default);
    let distributions: Vec<(&str, &str)> = k.distributions();
    // Dropdowns hold indices into these lists; the plan stores ids.
    let mut dist_choice: Option<usize> = os
        .distribution
        .as_deref()
        .and_then(|d| distributions.iter().position(|(id, _)| *id == d));
    let dist_options: Vec<(usize, &str)> = distributions
        .iter()
        .enumerate()
        .map(|(i, (_, n))| (i, *n))
        .collect();
    if form
        .field("os.distribution")
        .required()
        .hint("Choose the distribution")
        .choice(ui, &mut dist_choice, &dist_options)
    {
        os.distribution = dist_choice.map(|i| distributions[i].0.to_string());
        os.version = None;
    }
    if let Some(dist) = os.distribution.clone() {
        let entries: Vec<_> =
            k.os.systems
                .iter()
                .filter(|e| e.distribution == dist)
                .collect();
        let labels: Vec<String> = entries
            .iter()
            .map(|e| match e.status.as_str() {
                "ended" => format!("{} (no longer supported)", e.label),
                "ending" => format!("{} (support ending)", e.label),
                _ => e.label.clone(),
            })
            .collect();
        let mut ver_choice: Option<usize> = os
            .version
            .as_deref()
            .and_then(|v| entries.iter().position(|e| e.version == v));
        let ver_options: Vec<(usize, &str)> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (i, l.as_str()))
            .collect();
        if form
            .field("os.version")
            .required()
            .hint("Choose the version")
            .choice(ui, &mut ver_choice, &ver_options)
        {
            os.version = ver_choice.map(|i| entries[i].version.clone());
        }
    } else {
        form.show_findings(ui, "os.version");
    }
    form.field("os.arch").required().open_radio(
        ui,
        &mut os.arch,
        &[
            (Arch::X86_64, "x86_64 (amd64)"),
            (Arch::Aarch64, "aarch64 (arm64)"),
        ],
    );
    let os = os.clone();

    section(ui, "Packages at every hop");
    let entry = os
        .distribution
        .as_deref()
        .zip(os.version.as_deref())
        .and_then(|(d, v)| k.os_entry(d, v));
    match (entry, &ctx.analysis.path) {
        (Some(e), Some(p)) => {
            egui::Grid::new("os_hops").striped(true).show(ui, |ui| {
                ui.label(RichText::new("Hop").strong());
                ui.label(RichText::new(e.display_name()).strong());
                ui.end_row();
                for hop in &p.hops {
                    ui.label(hop.display_version());
                    let (text, color) = match os_support(e, hop.minor()) {
                        OsSupport::Packaged => ("✔ packaged".to_string(), widgets::ok_color(ui)),
                        OsSupport::LastPackaged => (
                            "✔ last packaged version".to_string(),
                            widgets::warning_color(ui),
                        ),
                        OsSupport::TooEarly { first } => (
                            format!("✖ packages start with {first}"),
                            widgets::error_color(ui),
                        ),
                        OsSupport::Unverified { last_certain, .. } => (
                            format!("⚠ packages UNVERIFIED (certain up to {last_certain})"),
                            widgets::warning_color(ui),
                        ),
                        OsSupport::Ended { last, verified } => (
                            format!(
                                "✖ no packages after {last}{}",
                                if verified { "" } else { " (UNVERIFIED)" }
                            ),
                            if verified {
                                widgets::error_color(ui)
                            } else {
                                widgets::warning_color(ui)
                            },
                        ),
                    };
                    ui.label(RichText::new(text).color(color));
                    ui.end_row();
                }
            });
            if let Some(note) = &e.note {
                widgets::help(ui, note);
            }
        }
        _ => {
            ui.label(
                RichText::new(
                    "Choose the OS and enter the versions to see package support per hop.",
                )
                .weak(),
            );
        }
    }
    widgets::help(
        ui,
        "Upgrading the OS under PostgreSQL can corrupt indexes (glibc locale change): see docs.gitlab.com/administration/postgresql/upgrading_os/.",
    );
}
