//! Step 9: backup and restore.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::BackupMethod;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let model = ctx.model;
    let object_storage = ctx.plan.topology.as_ref().and_then(|t| t.object_storage) == Some(true);
    let plan = &mut *ctx.plan;
    let b = plan.backup.get_or_insert_with(Default::default);
    form.field("backup.method").required().open_radio(
        ui,
        &mut b.method,
        &[
            (BackupMethod::GitlabBackup, "GitLab backup tool"),
            (
                BackupMethod::Snapshot,
                "Snapshots of every node (outside Support scope)",
            ),
            (BackupMethod::Both, "Both: GitLab backup and snapshots"),
        ],
    );
    // The same steps and file list as the PDF and the Markdown: all come from the export model.
    if let Some(backup) = model
        .map(|m| &m.backup)
        .filter(|b| !b.files_to_keep.is_empty())
    {
        super::runbook_steps(ui, "Backup steps", &backup.backup_steps);
        ui.label(
            RichText::new("Keep these with the backup (the backup does not contain them):")
                .strong(),
        );
        for f in &backup.files_to_keep {
            ui.label(RichText::new(format!("• {f}")).monospace());
        }
        widgets::help(
            ui,
            "A restore works only into the exact same GitLab version and edition that made the backup: take it (and the secrets) at the version you would roll back to.",
        );
        ui.add_space(6.0);
    }
    form.field("backup.secrets_backed_up")
        .required()
        .yes_no(ui, &mut b.secrets_backed_up);
    form.field("backup.config_backed_up")
        .required()
        .yes_no(ui, &mut b.config_backed_up);
    if object_storage {
        form.field("backup.object_storage_backed_up")
            .required()
            .yes_no_unsure(ui, &mut b.object_storage_backed_up, &mut plan.to_verify);
    }
    form.field("backup_every_hop")
        .yes_no(ui, &mut plan.backup_every_hop);
    widgets::help(
        ui,
        "The runbook takes a backup at the start of each window and before each database or OS upgrade; say Yes to take one before every hop as well.",
    );
    form.field("backup.location")
        .hint("e.g. s3://backups/gitlab, NFS on backup01")
        .text(ui, &mut b.location);

    section(ui, "Restore test");
    widgets::help(
        ui,
        "When was a restore of this backup procedure last tested? Leave the date empty if it never was.",
    );
    form.field("backup.restore_tested_on")
        .date(ui, &mut b.restore_tested_on);
    if b.restore_tested_on.is_some() {
        form.field("backup.test_environment")
            .hint("e.g. staging that mirrors production")
            .text(ui, &mut b.test_environment);
    }
}
