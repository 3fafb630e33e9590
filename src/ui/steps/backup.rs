//! Step 9: backup and restore.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::BackupMethod;
use crate::ui::widgets::{self, Form};

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let model = ctx.model;
    let object_storage = ctx.plan.topology.as_ref().and_then(|t| t.object_storage) == Some(true);
    let b = ctx.plan.backup.get_or_insert_with(Default::default);
    form.choice(
        ui,
        "Backup method",
        &mut b.method,
        &[
            (BackupMethod::GitlabBackup, "GitLab backup tool"),
            (
                BackupMethod::Snapshot,
                "Snapshots of every node (outside Support scope)",
            ),
            (BackupMethod::Both, "Both: GitLab backup and snapshots"),
        ],
        "backup.method",
        "Choose",
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
    form.yes_no(
        ui,
        "Are the secrets backed up?",
        &mut b.secrets_backed_up,
        "backup.secrets_backed_up",
    );
    form.yes_no(
        ui,
        "Is the configuration backed up?",
        &mut b.config_backed_up,
        "backup.config_backed_up",
    );
    if object_storage {
        form.yes_no(
            ui,
            "Is object storage backed up (provider tools, versioning or replication)?",
            &mut b.object_storage_backed_up,
            "backup.object_storage_backed_up",
        );
    }
    form.text_optional(
        ui,
        "Where is the backup kept?",
        &mut b.location,
        "backup.location",
        "e.g. s3://backups/gitlab, NFS on backup01",
    );

    section(ui, "Restore test");
    let mut tested = b.restore_tested_on.is_some();
    let l = ui.label(RichText::new("Restore tested").strong());
    if ui
        .checkbox(&mut tested, "A restore of this backup procedure was tested")
        .labelled_by(l.id)
        .changed()
    {
        b.restore_tested_on = if tested {
            Some(ctx.today.format("%Y-%m-%d").to_string())
        } else {
            None
        };
        form.touched.insert("backup.restore_tested_on".into());
    }
    if let Some(d) = b.restore_tested_on.clone() {
        let mut date = NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap_or(ctx.today);
        let dl = ui.label(RichText::new("Date of the restore test").strong());
        if widgets::date_picker(ui, &mut date, "restore_date")
            .labelled_by(dl.id)
            .changed()
        {
            b.restore_tested_on = Some(date.format("%Y-%m-%d").to_string());
        }
        form.text_optional(
            ui,
            "Where was it tested?",
            &mut b.test_environment,
            "backup.test_environment",
            "e.g. staging that mirrors production",
        );
    }
    form.show_findings(ui, "backup.restore_tested_on");
}
