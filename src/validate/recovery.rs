//! Geo, known issues on the path, backup and restore, rollback and the window it needs.

use super::*;

pub(super) fn check_geo(plan: &Plan, out: &mut Out) {
    let g = plan.geo.clone().unwrap_or_default();
    match g.enabled {
        None => out.error("required", "geo.enabled", "Say whether GitLab Geo is used."),
        Some(true) if g.secondaries.is_empty() => out.error(
            "geo_no_secondaries",
            "geo.secondaries",
            "Geo is on but no secondary site is listed; describe each secondary site.",
        ),
        Some(true) => {
            for (i, s) in g.secondaries.iter().enumerate() {
                if s.name.trim().is_empty() {
                    out.error(
                        "required",
                        &format!("geo.secondaries[{i}].name"),
                        "Give the secondary site a name.",
                    );
                }
                if s.node_count.is_none() && s.kind.known() == Some(TopologyKind::MultiNode) {
                    out.warn(
                        "node_count",
                        &format!("geo.secondaries[{i}].node_count"),
                        "Enter how many nodes the site has.",
                    );
                }
                if s.node_count == Some(0) {
                    out.error(
                        "node_count",
                        &format!("geo.secondaries[{i}].node_count"),
                        "A site needs at least one node.",
                    );
                }
            }
        }
        Some(false) => {}
    }
}

pub(super) fn check_known_issues(plan: &Plan, p: Option<&UpgradePath>, out: &mut Out) {
    let Some(p) = p else {
        return;
    };
    let mut unreviewed_other = 0;
    for m in &p.known_issues {
        if plan.known_issues_reviewed.iter().any(|r| r == &m.id) {
            continue;
        }
        if m.severity == NoteSeverity::Blocker {
            out.push_doc(
                Severity::Error,
                "blocker_unreviewed",
                "known_issues_reviewed",
                format!(
                    "Blocker {} not marked as reviewed{}: {}",
                    m.id,
                    m.hop_version
                        .as_deref()
                        .map(|v| format!(" (at {v})"))
                        .unwrap_or_default(),
                    m.summary
                ),
                Some(&m.doc_url),
            );
        } else {
            unreviewed_other += 1;
        }
    }
    if unreviewed_other > 0 {
        out.info(
            "issues_unreviewed",
            "known_issues_reviewed",
            format!("{unreviewed_other} known issue(s) on the path are not marked as reviewed."),
        );
    }
}

// ------------------------------------------------------------------ backup and rollback

pub(super) fn check_backup(plan: &Plan, today: NaiveDate, out: &mut Out) {
    let b = plan.backup.clone().unwrap_or_default();
    let Some(method) = b.method.clone() else {
        out.error(
            "required",
            "backup.method",
            "Choose how the instance is backed up before the upgrade.",
        );
        return;
    };
    if method == BackupMethod::Snapshot {
        out.push_doc(
            Severity::Warning,
            "snapshot_only",
            "backup.method",
            "Snapshot-only backups are outside the scope of GitLab Support; add a GitLab backup, or make sure every node is snapshotted together (all Gitaly nodes with the Praefect database).",
            Some(BACKUP_DOC),
        );
    }
    if b.secrets_backed_up != Some(true) {
        out.push_doc(
            Severity::Error,
            "secrets_backup",
            "backup.secrets_backed_up",
            "Back up the secrets (gitlab-secrets.json or the Kubernetes secrets): without them a restored instance loses 2FA, CI variables and runner access.",
            Some(BACKUP_DOC),
        );
    }
    if b.config_backed_up != Some(true) {
        out.push_doc(
            Severity::Error,
            "config_backup",
            "backup.config_backed_up",
            "Back up the configuration (gitlab.rb, TLS certificates, SSH host keys, or the Helm values): the GitLab backup does not include it.",
            Some(BACKUP_DOC),
        );
    }
    let object_storage = plan.topology.as_ref().and_then(|t| t.object_storage) == Some(true);
    // "Not sure" is a warning to verify (see check_to_verify), not this error.
    if object_storage
        && b.object_storage_backed_up != Some(true)
        && method != BackupMethod::Snapshot
        && !plan.is_unsure("backup.object_storage_backed_up")
    {
        out.push_doc(
            Severity::Error,
            "object_storage_backup",
            "backup.object_storage_backed_up",
            "Object storage is used: the GitLab backup does not include it. Back it up with the storage provider's tools (or confirm versioning/replication covers it).",
            Some(BACKUP_DOC),
        );
    }
    if text(&b.location).is_none() {
        out.warn(
            "backup_location",
            "backup.location",
            "Say where the backup is kept (off the GitLab hosts).",
        );
    }
    match text(&b.restore_tested_on) {
        None => out.push_doc(
            Severity::Warning,
            "restore_untested",
            "backup.restore_tested_on",
            "No restore test is recorded. Test the restore in an environment like production before the window.",
            Some("https://docs.gitlab.com/update/plan_your_upgrade/"),
        ),
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Err(_) => out.error("date_format", "backup.restore_tested_on", format!("`{d}` is not a date (YYYY-MM-DD).")),
            Ok(date) if date > today => out.error(
                "restore_future",
                "backup.restore_tested_on",
                format!("The restore test date {date} is in the future."),
            ),
            Ok(date) if (today - date).num_days() > RESTORE_TEST_MAX_AGE_DAYS => out.warn(
                "restore_stale",
                "backup.restore_tested_on",
                format!(
                    "The last restore test was {} days ago; test it again before the window.",
                    (today - date).num_days()
                ),
            ),
            Ok(_) => {
                if text(&b.test_environment).is_none() {
                    out.info("restore_env", "backup.test_environment", "Describe where the restore was tested.");
                }
            }
        },
    }
}

/// The rollback: confirmed, a trigger, its duration, and a decision time inside the first
/// window that leaves room to roll back. (Whether each window holds its work and rollback
/// reserve is the timeline's check.)
pub(super) fn check_rollback(plan: &Plan, window: Option<WindowInfo>, out: &mut Out) {
    let r = plan.rollback.clone().unwrap_or_default();
    if r.confirmed != Some(true) {
        out.push_doc(
            Severity::Error,
            "rollback_unconfirmed",
            "rollback.confirmed",
            "Review and confirm the rollback steps.",
            Some(ROLLBACK_DOC),
        );
    }
    if text(&r.trigger).is_none() {
        out.warn("rollback_trigger", "rollback.trigger", "Say what makes the team roll back (for example: a failed hop, or checks failing after the last hop).");
    }
    match r.duration_hours {
        None => out.warn(
            "rollback_duration",
            "rollback.duration_hours",
            "Estimate how long a rollback takes.",
        ),
        Some(h) if h <= 0.0 => out.error(
            "rollback_duration",
            "rollback.duration_hours",
            "A rollback takes some time; enter a positive number of hours.",
        ),
        _ => {}
    }
    let deadline = text(&r.decision_deadline).map(|d| (d, parse_local_datetime(d)));
    if let Some((d, None)) = deadline {
        out.error(
            "datetime_format",
            "rollback.decision_deadline",
            format!("`{d}` is not a date and time (expected YYYY-MM-DDTHH:MM)."),
        );
    }
    let Some((start, hours)) = window.and_then(|w| Some((w.start?, w.hours?))) else {
        return;
    };
    // The window length is at most 168 hours here; the end can still leave the calendar for a
    // start at the end of its range.
    let end = chrono::Duration::try_minutes((hours * 60.0) as i64)
        .and_then(|d| start.checked_add_signed(d));
    if let (Some((_, Some(dl))), Some(end)) = (deadline, end) {
        if dl < start || dl > end {
            out.warn(
                "deadline_outside_window",
                "rollback.decision_deadline",
                format!(
                    "The rollback decision time {dl} is outside the first window ({start} to {end}).",
                ),
            );
        } else if let Some(rh) = r.duration_hours {
            let left = (end - dl).num_minutes() as f64 / 60.0;
            if left < rh {
                out.warn(
                    "deadline_too_late",
                    "rollback.decision_deadline",
                    format!("After the decision time only {left:.1} h of the window remain, but a rollback takes {rh} h."),
                );
            }
        }
    }
}
