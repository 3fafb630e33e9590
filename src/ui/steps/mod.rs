//! One module per wizard step. Each draws its questions from the plan and writes the answers
//! back; anything that needs IO is pushed as a command.

use std::path::PathBuf;

use egui::Ui;

use super::app::{Command, StepUi};
use super::widgets::Form;
use crate::knowledge::Knowledge;
use crate::plan::{Plan, Step};
use crate::validate::Analysis;

pub mod backup;
pub mod contact;
pub mod geo;
pub mod installation;
pub mod known_issues;
pub mod os;
pub mod review;
pub mod rollback;
pub mod start;
pub mod timeline;
pub mod topology;
pub mod versions;

/// What a step may read and change.
pub struct StepCtx<'a> {
    pub plan: &'a mut Plan,
    pub knowledge: &'static Knowledge,
    pub analysis: &'a Analysis,
    pub commands: &'a mut Vec<Command>,
    pub ui_state: &'a mut StepUi,
    pub recent: &'a [PathBuf],
    /// Set by the review page: go to this field.
    pub jump: Option<String>,
    pub today: chrono::NaiveDate,
    /// The export model of the plan (what the PDF and Markdown render).
    pub model: Option<&'a crate::export::ExportModel>,
}

/// The sentence under each step's title.
pub fn intro(step: Step) -> &'static str {
    match step {
        Step::Start => {
            "Start a new plan, open one, or paste the output of `sudo gitlab-rake gitlab:env:info` to fill in what it knows."
        }
        Step::Contact => "Who Support should talk to, and when the upgrade happens.",
        Step::Versions => {
            "Where you are, where you are going, and the path in between. The path updates as you type."
        }
        Step::Installation => {
            "How GitLab is installed. Upgrade Assistance covers upgrades that keep the installation method."
        }
        Step::Os => {
            "The nodes' operating system. GitLab must publish packages for it at every hop of the path."
        }
        Step::Topology => "Single or multi-node, and the components around GitLab.",
        Step::Geo => "GitLab Geo secondary sites, if any.",
        Step::KnownIssues => {
            "Anything unusual in your setup, issues you already see, and the known issues on your path."
        }
        Step::Backup => "The backup you take before the upgrade, and proof that it restores.",
        Step::Rollback => "How you go back if the upgrade fails, and when you decide.",
        Step::Review => {
            "Every finding, the path and the runbook. Save, then export for the Support ticket."
        }
    }
}

pub fn show(step: Step, ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    match step {
        Step::Start => start::show(ctx, form, ui),
        Step::Contact => contact::show(ctx, form, ui),
        Step::Versions => versions::show(ctx, form, ui),
        Step::Installation => installation::show(ctx, form, ui),
        Step::Os => os::show(ctx, form, ui),
        Step::Topology => topology::show(ctx, form, ui),
        Step::Geo => geo::show(ctx, form, ui),
        Step::KnownIssues => known_issues::show(ctx, form, ui),
        Step::Backup => backup::show(ctx, form, ui),
        Step::Rollback => rollback::show(ctx, form, ui),
        Step::Review => review::show(ctx, form, ui),
    }
}

/// A section heading inside a step.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(egui::RichText::new(title).heading().size(17.0));
    ui.add_space(4.0);
}

/// Runbook steps from the export model: a tick box, the text, and the command in monospace.
pub fn runbook_steps(ui: &mut Ui, title: &str, list: &[crate::export::runbook::RunbookStep]) {
    if list.is_empty() {
        return;
    }
    ui.label(egui::RichText::new(title).strong());
    // Numbered, not tick boxes: ticking happens on paper (or, later, in run mode).
    for (i, s) in list.iter().enumerate() {
        ui.label(format!(
            "{}. {}{}",
            i + 1,
            s.text,
            if s.unverified { " (UNVERIFIED)" } else { "" }
        ));
        if let Some(c) = &s.command {
            ui.label(egui::RichText::new(c).monospace());
        }
    }
}
