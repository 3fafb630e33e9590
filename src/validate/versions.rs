//! Versions and the path: current and target, edition, the computed path, conditional stops.

use super::*;

pub(super) fn check_versions(
    plan: &Plan,
    k: &Knowledge,
    today: NaiveDate,
    out: &mut Out,
) -> Option<UpgradePath> {
    let v = plan.versions.clone().unwrap_or_default();
    let current = text(&v.current);
    let target = text(&v.target);
    if v.edition.is_none() {
        out.error(
            "required",
            "versions.edition",
            "Choose the edition: CE or EE.",
        );
    }
    if let (Some(from), Some(to)) = (v.edition.known(), v.target_edition.known())
        && from != to
    {
        out.push_doc(
                Severity::Warning,
                "edition_change",
                "versions.target_edition",
                format!(
                    "Changing from {} to {} is outside the scope of Upgrade Assistance; plan it as a separate change.",
                    from.id().to_uppercase(),
                    to.id().to_uppercase()
                ),
                Some(UA_DOC),
            );
    }
    let Some(current) = current else {
        out.error(
            "required",
            "versions.current",
            "Enter the GitLab version running now (Admin > Help, or gitlab-rake gitlab:env:info).",
        );
        return None;
    };
    let cur = match parse_version(current) {
        Ok(c) => c,
        Err(e) => {
            out.error("version_format", "versions.current", e.to_string());
            return None;
        }
    };
    if let (Some(suffix), Some(edition)) = (cur.edition, v.edition.known())
        && suffix != edition
    {
        out.warn(
            "edition_mismatch",
            "versions.edition",
            format!(
                "The current version says {} but the edition is {}.",
                suffix.id().to_uppercase(),
                edition.id().to_uppercase()
            ),
        );
    }
    if !version_exists(k, &cur, today, "versions.current", out) {
        return None;
    }
    let Some(target_text) = target else {
        out.error("required", "versions.target", "Enter the target version.");
        return None;
    };
    let to = match parse_version(target_text) {
        Ok(t) => t,
        Err(e) => {
            out.error("version_format", "versions.target", e.to_string());
            return None;
        }
    };
    if !version_exists(k, &to, today, "versions.target", out) {
        return None;
    }
    let request = PathRequest {
        from: current.to_string(),
        to: Some(target_text.to_string()),
        zero_downtime: plan.zero_downtime == Some(true),
        conditions: plan.true_conditions(),
        today: Some(today),
    };
    let env = Environment::from_plan(plan);
    let computed = match path::compute(k, &request, &env) {
        Ok(p) => p,
        Err(e) => {
            let rule = match e {
                path::PathError::Downgrade { .. } => "downgrade",
                path::PathError::AlreadyThere { .. } => "no_upgrade",
                _ => "path",
            };
            out.error(rule, "versions.target", e.to_string());
            return None;
        }
    };
    if let Some(last) = computed.hops.last() {
        let stops_later = computed
            .hops
            .last()
            .map(|h| h.minor())
            .unwrap_or(Minor::new(0, 0));
        for avoid in k.avoid_entries(&last.semver) {
            if let Some(before) = avoid.only_before_parsed
                && stops_later < before
            {
                continue;
            }
            out.error(
                "patch_to_avoid",
                "versions.target",
                format!(
                    "{} is a patch to avoid ({}). Use {} instead.",
                    last.version, avoid.reason, avoid.use_instead
                ),
            );
        }
    }
    for h in &computed.hops {
        if !h.verified {
            out.info(
                "unverified_stop",
                "versions.target",
                format!("The path includes {}, an announced stop that is UNVERIFIED in the data; check the upgrade path documentation.", h.minor),
            );
        }
    }
    let cond = plan.conditions.clone().unwrap_or_default();
    let unanswered: Vec<&str> = [
        ("multiple_web_nodes", cond.multiple_web_nodes),
        ("npm_packages", cond.npm_packages),
        ("large_users_table", cond.large_users_table),
        ("large_pipeline_variables", cond.large_pipeline_variables),
        ("large_pipeline_messages", cond.large_pipeline_messages),
    ]
    .iter()
    .filter(|(id, val)| {
        val.is_none()
            && !plan.is_unsure(&format!("conditions.{id}"))
            && condition_matters(k, id, &computed)
    })
    .map(|(id, _)| *id)
    .collect();
    for id in unanswered {
        out.warn(
            "condition_unanswered",
            &format!("conditions.{id}"),
            "Answer this question: it decides whether the path needs an extra stop.",
        );
    }
    Some(computed)
}

/// Whether the conditional stop of `condition` lies inside the path's range (a question whose
/// stop the path has passed, or not reached, cannot change it).
pub fn condition_matters(k: &Knowledge, condition: &str, p: &UpgradePath) -> bool {
    let Ok(from) = parse_version(&p.from) else {
        return false;
    };
    let to = p.hops.last().map(|h| h.minor()).unwrap_or(from.minor());
    k.stops.stops.iter().any(|s| {
        s.conditions.iter().any(|c| c == condition)
            && s.minor_parsed.is_some_and(|m| m >= from.minor() && m < to)
    })
}

/// A version the release calendar says cannot exist is an error at its field; one newer than
/// the data is a warning. False when the version cannot be used.
fn version_exists(
    k: &Knowledge,
    v: &crate::version::UserVersion,
    today: NaiveDate,
    field: &str,
    out: &mut Out,
) -> bool {
    match k.version_status(v, Some(today)) {
        VersionStatus::Known => true,
        VersionStatus::Newer(note) => {
            out.warn("data_stale", field, note);
            true
        }
        VersionStatus::Impossible(reason) => {
            out.error(
                "version_impossible",
                field,
                format!("{v} cannot exist: {reason}."),
            );
            false
        }
    }
}
