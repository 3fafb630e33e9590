//! The backup, rollback and Geo parts of the export model.

use super::*;
use crate::plan::GeoRole;

pub(super) fn backup_info(plan: &Plan, release: &Release<'_>) -> BackupInfo {
    let b = plan.backup.clone().unwrap_or_default();
    let t = plan.topology.clone().unwrap_or_default();
    let object_storage = t.object_storage == Some(true);
    let mut facts = vec![
        ("Secrets backed up".to_string(), yes_no(b.secrets_backed_up)),
        (
            "Configuration backed up".to_string(),
            yes_no(b.config_backed_up),
        ),
    ];
    if object_storage {
        facts.push((
            "Object storage backed up".to_string(),
            answer(
                plan,
                "backup.object_storage_backed_up",
                b.object_storage_backed_up,
            ),
        ));
    }
    facts.push((
        "Backups kept at".to_string(),
        text(&b.location).unwrap_or_else(|| "not given".into()),
    ));
    facts.push((
        "Restore last tested".to_string(),
        match (text(&b.restore_tested_on), text(&b.test_environment)) {
            (Some(d), Some(e)) => format!("{d}, {e}"),
            (Some(d), None) => d,
            (None, _) => "never (not recorded)".into(),
        },
    ));
    let mut not_in_backup = vec![
        "Configuration and secrets (listed above)".to_string(),
        "Redis data and the Sidekiq queue".to_string(),
        "Global server hooks and file hooks".to_string(),
    ];
    if object_storage && !ctx_is_kubernetes(plan) {
        not_in_backup.insert(1, "Anything in object storage".to_string());
    }
    if t.elasticsearch == Some(true) {
        not_in_backup.push("Elasticsearch/OpenSearch indexes".into());
    }
    if t.mattermost == Some(true) {
        not_in_backup.push("Mattermost data".into());
    }
    let steps = |f: fn(&runbook::Context, &str, &str) -> Vec<RunbookStep>| {
        release
            .current
            .map(|v| f(release.ctx, v, release.edition_short))
            .unwrap_or_default()
    };
    BackupInfo {
        method: b.method.map(|m| {
            m.shown(|m| match m {
                BackupMethod::GitlabBackup => "GitLab backup tool",
                BackupMethod::Snapshot => "Snapshots of every node (outside Support scope)",
                BackupMethod::Both => "GitLab backup tool and snapshots of every node",
            })
        }),
        facts,
        backup_steps: steps(runbook::backup_steps),
        files_to_keep: runbook::files_to_keep(plan.method()),
        not_in_backup,
        restore_steps: steps(runbook::restore_steps),
        restore_version: release.current.map(str::to_string),
    }
}

pub(super) fn rollback_info(plan: &Plan, release: &Release<'_>) -> RollbackInfo {
    let r = plan.rollback.clone().unwrap_or_default();
    let deadline = text(&r.decision_deadline).and_then(|d| parse_local_datetime(&d));
    let window_end = match (
        text(&plan.first_window().cloned().unwrap_or_default().start)
            .and_then(|s| parse_local_datetime(&s)),
        plan.first_window().and_then(|w| w.duration_hours),
    ) {
        (Some(start), Some(h)) => add_hours(start, h),
        _ => None,
    };
    let time_left = match (deadline, window_end) {
        (Some(dl), Some(end)) => {
            let left = (end - dl).num_minutes() as f64 / 60.0;
            Some(format!(
                "{} of the window remain after the decision time{}",
                hours(left.max(0.0)),
                match r.duration_hours {
                    Some(rh) if left < rh =>
                        format!(", less than the {} a rollback takes", hours(rh)),
                    Some(rh) => format!(", enough for the {} a rollback takes", hours(rh)),
                    None => String::new(),
                }
            ))
        }
        _ => None,
    };
    RollbackInfo {
        confirmed: r.confirmed,
        trigger: text(&r.trigger),
        decision_deadline: deadline
            .map(fmt_local)
            .or_else(|| text(&r.decision_deadline)),
        duration_hours: r.duration_hours,
        notes: text(&r.notes),
        time_left,
        to_version: release.current.map(str::to_string),
        documented: matches!(
            plan.method(),
            None | Some(
                crate::plan::InstallMethod::LinuxPackage
                    | crate::plan::InstallMethod::Docker
                    | crate::plan::InstallMethod::EnvironmentToolkit
            )
        ),
        steps: release
            .current
            .map(|v| runbook::rollback_steps(release.ctx, v, release.edition_short))
            .unwrap_or_default(),
    }
}

pub(super) fn geo_info(plan: &Plan, ctx: &runbook::Context) -> GeoInfo {
    let g = plan.geo.clone().unwrap_or_default();
    GeoInfo {
        enabled: g.enabled,
        site_role: g.site_role.map(|r| {
            r.shown(|r| match r {
                GeoRole::Primary => "primary",
                GeoRole::Secondary => "secondary",
            })
        }),
        secondaries: g
            .secondaries
            .iter()
            .map(|s| GeoSiteRow {
                name: s.name.clone(),
                location: text(&s.location),
                topology: s.kind.as_ref().map(|k| {
                    k.shown(|k| match k {
                        TopologyKind::SingleNode => "single node",
                        TopologyKind::MultiNode => "multi-node",
                    })
                }),
                node_count: s.node_count,
            })
            .collect(),
        procedure: if g.enabled == Some(true) {
            runbook::geo_procedure(ctx)
        } else {
            Vec::new()
        },
    }
}
