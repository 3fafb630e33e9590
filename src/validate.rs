//! Validation: a pure function of the plan, the knowledge and today's date that returns every
//! finding, each with a severity, the field it concerns, the wizard step and a message.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::environment::Environment;
use crate::knowledge::Knowledge;
use crate::path::{
    self, NoteSeverity, OsSupport, PathRequest, UpgradePath, os_support, version_below,
};
use crate::plan::{
    BackupMethod, InstallMethod, Os, Plan, PostgresMode, RedisMode, Step, TopologyKind,
};
use crate::secrets::find_secrets;
use crate::version::{Minor, parse_version};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem or hint about the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Dotted path of the field, e.g. `topology.postgresql.version`.
    pub field: String,
    pub message: String,
    pub step: Step,
    /// Stable id of the rule that produced it.
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
}

/// The plan with what was computed from it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub path: Option<UpgradePath>,
    pub findings: Vec<Finding>,
}

impl Analysis {
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Days of notice Support is commonly given before a window. The exact minimum lead time is
/// UNVERIFIED, so a shorter notice is only a warning.
pub const LEAD_TIME_DAYS: i64 = 7;
/// A restore test older than this is flagged.
pub const RESTORE_TEST_MAX_AGE_DAYS: i64 = 180;
/// Rough time per hop (install, reconfigure, migrations, checks) used for the window estimate.
pub const HOURS_PER_HOP_SINGLE: f64 = 1.0;
pub const HOURS_PER_HOP_MULTI: f64 = 1.5;
/// Rollback time assumed when the plan does not say.
pub const DEFAULT_ROLLBACK_HOURS: f64 = 2.0;

const UA_DOC: &str = "https://about.gitlab.com/support/scheduling-upgrade-assistance/";
const BACKUP_DOC: &str = "https://docs.gitlab.com/administration/backup_restore/backup_gitlab/";
const ZDU_DOC: &str = "https://docs.gitlab.com/update/zero_downtime/";
const OS_DOC: &str = "https://docs.gitlab.com/install/package/#supported-platforms";
const ROLLBACK_DOC: &str = "https://docs.gitlab.com/update/package/downgrade/";

/// All findings for a plan.
pub fn validate(plan: &Plan, k: &Knowledge, today: NaiveDate) -> Vec<Finding> {
    analyse(plan, k, today).findings
}

/// The wizard step a field belongs to.
pub fn step_of(field: &str) -> Step {
    let head = field.split(['.', '[']).next().unwrap_or_default();
    match head {
        "contact" | "window" => Step::Contact,
        "versions" | "conditions" | "zero_downtime" => Step::Versions,
        "install" => Step::Installation,
        "os" => Step::Os,
        "topology" => Step::Topology,
        "geo" => Step::Geo,
        "notes" | "known_issues_reviewed" => Step::KnownIssues,
        "backup" => Step::Backup,
        "rollback" => Step::Rollback,
        _ => Step::Review,
    }
}

struct Out(Vec<Finding>);

impl Out {
    fn push(&mut self, severity: Severity, rule: &'static str, field: &str, message: String) {
        self.push_doc(severity, rule, field, message, None);
    }
    fn push_doc(
        &mut self,
        severity: Severity,
        rule: &'static str,
        field: &str,
        message: impl Into<String>,
        doc_url: Option<&str>,
    ) {
        self.0.push(Finding {
            severity,
            field: field.to_string(),
            message: message.into(),
            step: step_of(field),
            rule,
            doc_url: doc_url.map(str::to_string),
        });
    }
    fn error(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, rule, field, message.into());
    }
    fn warn(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, rule, field, message.into());
    }
    fn info(&mut self, rule: &'static str, field: &str, message: impl Into<String>) {
        self.push(Severity::Info, rule, field, message.into());
    }
}

fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Validate and compute the path in one go.
pub fn analyse(plan: &Plan, k: &Knowledge, today: NaiveDate) -> Analysis {
    let mut out = Out(Vec::new());
    check_secrets(plan, &mut out);
    check_contact(plan, &mut out);
    let window = check_window(plan, today, &mut out);
    let path = check_versions(plan, k, &mut out);
    check_install(plan, &mut out);
    check_os(plan, k, path.as_ref(), &mut out);
    check_topology(plan, k, path.as_ref(), &mut out);
    check_geo(plan, &mut out);
    check_known_issues(plan, path.as_ref(), &mut out);
    check_backup(plan, today, &mut out);
    check_rollback(plan, window, path.as_ref(), &mut out);
    let mut findings = out.0;
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.step.cmp(&b.step)));
    Analysis { path, findings }
}

// ------------------------------------------------------------------ secrets

fn check_secrets(plan: &Plan, out: &mut Out) {
    let Ok(value) = serde_json::to_value(plan) else {
        return;
    };
    check_texts(&value, &mut String::new(), out);
}

/// Every string of the plan (and every key name, which unknown keys make free text too):
/// no secret, and no answer longer than a plan file may hold. A key that holds a secret is
/// named `[REDACTED]` in the field path, so the finding does not repeat it.
fn check_texts(v: &Value, path: &mut String, out: &mut Out) {
    match v {
        Value::String(s) => {
            if let Some(first) = find_secrets(s).first() {
                out.error(
                    "secret_in_text",
                    path,
                    format!(
                        "This field contains what looks like a secret ({}). Remove it: plans are attached to Support tickets and must never carry credentials.",
                        first.kind
                    ),
                );
            }
            let limit = crate::plan_file::MAX_TEXT_CHARS;
            if s.len() > limit && s.chars().count() > limit {
                out.error(
                    "text_too_long",
                    path,
                    format!(
                        "This answer is {} characters long; a plan answer is at most {limit} characters, or the plan file could not be opened again. Shorten it (logs belong in the ticket).",
                        s.chars().count()
                    ),
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_texts(item, path, out);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if let Some(first) = find_secrets(key).first() {
                    path.push_str(crate::export::redact::REDACTED);
                    out.error(
                        "secret_in_text",
                        path,
                        format!(
                            "The name of this key looks like a secret ({}). Remove the key: plans are attached to Support tickets and must never carry credentials.",
                            first.kind
                        ),
                    );
                } else {
                    path.push_str(&crate::text::one_line(key));
                }
                check_texts(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

// ------------------------------------------------------------------ contact and window

fn check_contact(plan: &Plan, out: &mut Out) {
    let c = plan.contact.clone().unwrap_or_default();
    if text(&c.organization).is_none() {
        out.error(
            "required",
            "contact.organization",
            "Enter the organisation's name.",
        );
    }
    if text(&c.name).is_none() {
        out.error(
            "required",
            "contact.name",
            "Enter the name of the person Support should contact.",
        );
    }
    match text(&c.email) {
        None => out.error(
            "required",
            "contact.email",
            "Enter a contact email address.",
        ),
        Some(e) if !looks_like_email(e) => out.error(
            "email_format",
            "contact.email",
            format!("`{e}` does not look like an email address (name@example.com)."),
        ),
        _ => {}
    }
}

fn looks_like_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

/// Parse `YYYY-MM-DDTHH:MM[:SS]` (a space works in place of `T`).
pub fn parse_local_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim().replace(' ', "T");
    chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M"))
        .ok()
}

/// The window's start and length, when both are valid.
#[derive(Debug, Clone, Copy)]
struct WindowInfo {
    start: chrono::NaiveDateTime,
    hours: Option<f64>,
}

fn check_window(plan: &Plan, today: NaiveDate, out: &mut Out) -> Option<WindowInfo> {
    let w = plan.window.clone().unwrap_or_default();
    let start = match text(&w.start) {
        None => {
            out.error(
                "required",
                "window.start",
                "Enter the date and time the upgrade window starts.",
            );
            None
        }
        Some(s) => match parse_local_datetime(s) {
            None => {
                out.error(
                    "datetime_format",
                    "window.start",
                    format!("`{s}` is not a date and time (expected YYYY-MM-DDTHH:MM)."),
                );
                None
            }
            Some(dt) => {
                let days = (dt.date() - today).num_days();
                if days < 0 {
                    out.error(
                        "window_in_past",
                        "window.start",
                        format!("The window starts on {}, which is in the past.", dt.date()),
                    );
                } else if days < LEAD_TIME_DAYS {
                    out.push_doc(
                        Severity::Warning,
                        "window_too_soon",
                        "window.start",
                        format!(
                            "The window starts in {days} day(s). Support usually needs about {LEAD_TIME_DAYS} days to review a plan (the exact lead time is not published; check the Upgrade Assistance page)."
                        ),
                        Some(UA_DOC),
                    );
                }
                if w.review_call == Some(true) && (0..3).contains(&days) {
                    out.warn(
                        "review_call_too_late",
                        "window.review_call",
                        "A review call is scheduled through a link Support sends at least 2-3 days before the upgrade; there is not enough time left.",
                    );
                }
                Some(dt)
            }
        },
    };
    match text(&w.time_zone) {
        None => out.error(
            "required",
            "window.time_zone",
            "Choose the time zone of the window.",
        ),
        Some(tz) if tz.parse::<chrono_tz::Tz>().is_err() => out.error(
            "time_zone",
            "window.time_zone",
            format!(
                "`{tz}` is not an IANA time zone (for example Europe/Berlin or America/New_York)."
            ),
        ),
        _ => {}
    }
    let hours = match w.duration_hours {
        None => {
            out.error(
                "required",
                "window.duration_hours",
                "Enter the length of the window in hours.",
            );
            None
        }
        Some(h) if !(h > 0.0 && h <= 168.0) => {
            out.error(
                "window_length",
                "window.duration_hours",
                format!(
                    "A window of {h} hours is not possible; enter a length between 0 and 168 hours."
                ),
            );
            None
        }
        Some(h) => Some(h),
    };
    start.map(|start| WindowInfo { start, hours })
}

// ------------------------------------------------------------------ versions and path

fn check_versions(plan: &Plan, k: &Knowledge, out: &mut Out) -> Option<UpgradePath> {
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
    if let (Some(from), Some(to)) = (v.edition, v.target_edition)
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
    if let (Some(suffix), Some(edition)) = (cur.edition, v.edition)
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
    if cur.version > k.newest_known() {
        out.warn(
            "data_stale",
            "versions.current",
            format!(
                "{} is newer than the newest release in the {}; the data may be out of date.",
                cur.version,
                k.data_summary()
            ),
        );
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
    let request = PathRequest {
        from: current.to_string(),
        to: Some(target_text.to_string()),
        zero_downtime: plan.zero_downtime == Some(true),
        conditions: plan.true_conditions(),
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
    if to.version > k.newest_known() {
        out.warn(
            "data_stale",
            "versions.target",
            format!(
                "The target {} is newer than the newest release in the {}: stops, known issues and OS support after {} may be missing. Check for a newer Upgrade Planner or data file.",
                to,
                k.data_summary(),
                k.newest_known()
            ),
        );
    }
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
    .filter(|(id, val)| val.is_none() && condition_matters(k, id, &computed))
    .map(|(id, _)| *id)
    .collect();
    for id in unanswered {
        let q = k
            .condition(id)
            .map(|c| c.question.clone())
            .unwrap_or_default();
        out.warn(
            "condition_unanswered",
            &format!("conditions.{id}"),
            format!("Answer this question, it decides whether the path needs an extra stop: {q}"),
        );
    }
    Some(computed)
}

/// Whether the conditional stop of `condition` lies inside the path's range.
fn condition_matters(k: &Knowledge, condition: &str, p: &UpgradePath) -> bool {
    let Ok(from) = parse_version(&p.from) else {
        return false;
    };
    let to = p.hops.last().map(|h| h.minor()).unwrap_or(from.minor());
    k.stops.stops.iter().any(|s| {
        s.conditions.iter().any(|c| c == condition)
            && s.minor_parsed.is_some_and(|m| m >= from.minor() && m < to)
    })
}

// ------------------------------------------------------------------ installation and OS

fn check_install(plan: &Plan, out: &mut Out) {
    let install = plan.install.clone().unwrap_or_default();
    let Some(method) = install.method else {
        out.error(
            "required",
            "install.method",
            "Choose how GitLab is installed.",
        );
        return;
    };
    if let Some(target) = install.target_method.filter(|t| *t != method) {
        out.push_doc(
            Severity::Warning,
            "method_change",
            "install.target_method",
            format!(
                "Moving from {} to {} is outside the scope of Upgrade Assistance; do it as a separate migration.",
                method.label(),
                target.label()
            ),
            Some(UA_DOC),
        );
    }
    if matches!(method, InstallMethod::HelmChart | InstallMethod::Operator) {
        out.info(
            "helm_rollback",
            "install.method",
            "GitLab's rollback page covers the Linux package and Docker only; for Kubernetes, restore with backup-utility and the saved Kubernetes secrets and values.",
        );
    }
}

fn check_os(plan: &Plan, k: &Knowledge, p: Option<&UpgradePath>, out: &mut Out) {
    let method = plan.method();
    let needs_os = method.is_none_or(InstallMethod::uses_os_packages);
    let os = plan.os.clone().unwrap_or_default();
    check_one_os(&os, "os", needs_os, plan, k, p, out);
    if let Some(t) = &plan.topology {
        for (i, node) in t.nodes.iter().enumerate() {
            if let Some(nos) = &node.os {
                check_one_os(
                    nos,
                    &format!("topology.nodes[{i}].os"),
                    needs_os,
                    plan,
                    k,
                    p,
                    out,
                );
            }
        }
    }
}

fn check_one_os(
    os: &Os,
    field: &str,
    needs_os: bool,
    plan: &Plan,
    k: &Knowledge,
    p: Option<&UpgradePath>,
    out: &mut Out,
) {
    let (Some(dist), Some(ver)) = (text(&os.distribution), text(&os.version)) else {
        if needs_os && field == "os" {
            out.error(
                "required",
                "os.version",
                "Choose the nodes' operating system and version: Linux packages exist only for supported systems.",
            );
        }
        return;
    };
    let Some(entry) = k.os_entry(dist, ver) else {
        if needs_os {
            out.warn(
                "os_unknown",
                &format!("{field}.version"),
                format!("{dist} {ver} is not in the OS data; check that GitLab publishes packages for it."),
            );
        }
        return;
    };
    if !needs_os {
        return;
    }
    if let Some(arch) = os.arch
        && !entry.architectures.is_empty()
        && !entry.architectures.iter().any(|a| a == arch.id())
    {
        out.error(
            "os_arch",
            &format!("{field}.arch"),
            format!(
                "GitLab publishes {} packages only for {}.",
                entry.display_name(),
                entry.architectures.join(", ")
            ),
        );
    }
    if let Some(edition) = plan.versions.as_ref().and_then(|v| v.edition)
        && !entry.editions.iter().any(|e| e == edition.id())
    {
        out.error(
            "os_edition",
            &format!("{field}.distribution"),
            format!(
                "{} packages exist only for {}.",
                entry.display_name(),
                entry.editions.join(", ").to_uppercase()
            ),
        );
    }
    let Some(p) = p else {
        return;
    };
    // The current version too: it must be installable for a restore on the same OS.
    for hop in &p.hops {
        let minor = hop.minor();
        match os_support(entry, minor) {
            OsSupport::Ended {
                last,
                verified: true,
            } => {
                out.push_doc(
                    Severity::Error,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} has no GitLab packages after {last}: the hop to {} cannot be installed on it. Move the nodes to a supported OS while on {last}, then continue.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            OsSupport::Ended {
                last,
                verified: false,
            } => {
                out.push_doc(
                    Severity::Warning,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} may have no GitLab packages after {last} (UNVERIFIED: sources disagree), and the path goes to {}. Check packages.gitlab.com before the window.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            OsSupport::TooEarly { first } => {
                out.push_doc(
                    Severity::Error,
                    "os_not_packaged",
                    &format!("{field}.version"),
                    format!(
                        "{} packages start with GitLab {first}: the hop to {} cannot be installed on it.",
                        entry.display_name(),
                        hop.display_version()
                    ),
                    Some(OS_DOC),
                );
                return;
            }
            OsSupport::LastPackaged | OsSupport::Packaged => {}
        }
    }
    if entry.status == "ending" {
        out.warn(
            "os_ending",
            &format!("{field}.version"),
            format!(
                "GitLab packages for {} are ending{}. Plan the move to a supported OS.",
                entry.display_name(),
                entry
                    .last_gitlab
                    .as_deref()
                    .map(|l| format!(" (last announced: {l}, UNVERIFIED)"))
                    .unwrap_or_default()
            ),
        );
    }
}

// ------------------------------------------------------------------ topology

fn check_topology(plan: &Plan, k: &Knowledge, p: Option<&UpgradePath>, out: &mut Out) {
    let t = plan.topology.clone().unwrap_or_default();
    let method = plan.method();
    match t.kind {
        None => out.error(
            "required",
            "topology.kind",
            "Choose single-node or multi-node.",
        ),
        Some(TopologyKind::MultiNode) if t.nodes.is_empty() => out.error(
            "nodes_missing",
            "topology.nodes",
            "List the node groups of the multi-node installation (role and count).",
        ),
        _ => {}
    }
    for (i, n) in t.nodes.iter().enumerate() {
        if n.count == 0 {
            out.error(
                "node_count",
                &format!("topology.nodes[{i}].count"),
                "A node group needs at least one node.",
            );
        }
        if n.hosts.len() > n.count as usize {
            out.warn(
                "node_hosts",
                &format!("topology.nodes[{i}].hosts"),
                format!(
                    "{} host names are listed for {} node(s).",
                    n.hosts.len(),
                    n.count
                ),
            );
        }
    }
    let pg = t.postgresql.clone().unwrap_or_default();
    if pg.mode.is_none() {
        out.warn(
            "pg_mode",
            "topology.postgresql.mode",
            "Say how PostgreSQL runs (bundled, Patroni HA or external).",
        );
    }
    if pg.mode == Some(PostgresMode::External) && text(&pg.version).is_none() {
        out.error(
            "pg_version_missing",
            "topology.postgresql.version",
            "Enter the version of the external PostgreSQL: GitLab needs a minimum version for each major.",
        );
    }
    if let (Some(p), Some(have)) = (p, text(&pg.version)) {
        check_pg_minimum(plan, k, p, have, out);
    }
    let redis = t.redis.clone().unwrap_or_default();
    if let (Some(p), Some(have)) = (p, text(&redis.version))
        && redis.mode != Some(RedisMode::Bundled)
    {
        for hop in &p.hops {
            if let Some(min) = k.redis_minimum(hop.semver.major)
                && version_below(have, &min.minimum)
            {
                out.push_doc(
                    Severity::Error,
                    "redis_minimum",
                    "topology.redis.version",
                    format!(
                        "Redis {have} is below the minimum {} for GitLab {} (hop {}). {}",
                        min.minimum,
                        hop.semver.major,
                        hop.display_version(),
                        min.note.clone().unwrap_or_default()
                    ),
                    min.doc_url.as_deref(),
                );
                break;
            }
        }
    }
    if t.mattermost == Some(true)
        && let Some(p) = p
        && p.hops.iter().any(|h| h.semver.major >= 19)
        && method.is_none_or(|m| m.uses_os_packages() || m == InstallMethod::Docker)
    {
        out.push_doc(
                    Severity::Error,
                    "mattermost_19",
                    "topology.mattermost",
                    "Bundled Mattermost is removed in GitLab 19.0: migrate it to a standalone Mattermost and remove every mattermost[...] setting from gitlab.rb before the 19.x hop.",
                    Some("https://docs.gitlab.com/update/versions/gitlab_19_changes/#mattermost-removed-from-the-linux-package"),
                );
    }
    if plan.zero_downtime == Some(true) {
        check_zero_downtime(plan, &t, out);
    }
}

fn check_pg_minimum(plan: &Plan, k: &Knowledge, p: &UpgradePath, have: &str, out: &mut Out) {
    let t = plan.topology.clone().unwrap_or_default();
    let auto = t.kind == Some(TopologyKind::SingleNode)
        && t.pg_mode() == Some(PostgresMode::Bundled)
        && plan
            .method()
            .is_some_and(|m| matches!(m, InstallMethod::LinuxPackage | InstallMethod::Docker));
    let mut effective = have.to_string();
    for hop in &p.hops {
        if let Some(min) = k.postgresql_minimum(hop.semver.major)
            && version_below(&effective, &min.minimum)
        {
            let hint = if t.pg_mode() == Some(PostgresMode::External) {
                "Upgrade the external database before this hop."
            } else {
                "Upgrade the bundled database (gitlab-ctl pg-upgrade) before this hop."
            };
            out.push_doc(
                Severity::Error,
                "pg_minimum",
                "topology.postgresql.version",
                format!(
                    "PostgreSQL {have} is below the minimum {} for GitLab {} (hop {}). {hint}",
                    min.minimum,
                    hop.semver.major,
                    hop.display_version()
                ),
                Some(&format!(
                    "https://docs.gitlab.com/update/versions/gitlab_{}_changes/",
                    hop.semver.major
                )),
            );
            return;
        }
        if auto {
            for a in &k.requirements.bundled_postgresql_auto_upgrade {
                if a.minor_parsed == Some(hop.minor()) && version_below(&effective, &a.postgresql) {
                    effective = a.postgresql.clone();
                }
            }
        }
    }
}

fn check_zero_downtime(plan: &Plan, t: &crate::plan::Topology, out: &mut Out) {
    let method = plan.method();
    if t.kind == Some(TopologyKind::SingleNode) {
        out.push_doc(
            Severity::Error,
            "zdu_ineligible",
            "zero_downtime",
            "Zero-downtime upgrades need a multi-node installation; a single node always has downtime.",
            Some(ZDU_DOC),
        );
        return;
    }
    if let Some(m) = method
        && !matches!(
            m,
            InstallMethod::LinuxPackage
                | InstallMethod::EnvironmentToolkit
                | InstallMethod::Operator
        )
    {
        out.push_doc(
                Severity::Error,
                "zdu_ineligible",
                "zero_downtime",
                format!(
                    "Zero-downtime upgrades are documented for multi-node Linux package installations (and the GitLab Operator), not for {}.",
                    m.label()
                ),
                Some(ZDU_DOC),
            );
        return;
    }
    let mut non_ha = Vec::new();
    if !matches!(
        t.pg_mode(),
        Some(PostgresMode::BundledHa | PostgresMode::External)
    ) {
        non_ha.push("PostgreSQL (Patroni)");
    }
    if !matches!(
        t.redis_mode(),
        Some(RedisMode::Sentinel | RedisMode::External)
    ) {
        non_ha.push("Redis (Sentinel)");
    }
    if t.consul != Some(true) && t.pg_mode() == Some(PostgresMode::BundledHa) {
        non_ha.push("Consul");
    }
    if t.load_balancer != Some(true) {
        non_ha.push("a load balancer in front of the Rails nodes");
    }
    if !non_ha.is_empty() {
        out.push_doc(
            Severity::Warning,
            "zdu_components",
            "zero_downtime",
            format!(
                "Zero-downtime upgrades need HA for every component; without {} those parts are upgraded with downtime.",
                non_ha.join(", ")
            ),
            Some(ZDU_DOC),
        );
    }
}

// ------------------------------------------------------------------ Geo and known issues

fn check_geo(plan: &Plan, out: &mut Out) {
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

fn check_known_issues(plan: &Plan, p: Option<&UpgradePath>, out: &mut Out) {
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

fn check_backup(plan: &Plan, today: NaiveDate, out: &mut Out) {
    let b = plan.backup.clone().unwrap_or_default();
    let Some(method) = b.method else {
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
    if object_storage
        && b.object_storage_backed_up != Some(true)
        && method != BackupMethod::Snapshot
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

fn check_rollback(plan: &Plan, window: Option<WindowInfo>, p: Option<&UpgradePath>, out: &mut Out) {
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
    let Some(w) = window else {
        return;
    };
    let Some(hours) = w.hours else {
        return;
    };
    // The window length is at most 168 hours here; the end can still leave the calendar for a
    // start at the end of its range.
    let end = chrono::Duration::try_minutes((hours * 60.0) as i64)
        .and_then(|d| w.start.checked_add_signed(d));
    if let (Some((_, Some(dl))), Some(end)) = (deadline, end) {
        if dl < w.start || dl > end {
            out.warn(
                "deadline_outside_window",
                "rollback.decision_deadline",
                format!(
                    "The rollback decision time {dl} is outside the window ({} to {end}).",
                    w.start
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
    if let Some(p) = p {
        let per_hop = if plan.topology_kind() == Some(TopologyKind::MultiNode) {
            HOURS_PER_HOP_MULTI
        } else {
            HOURS_PER_HOP_SINGLE
        };
        let hops = p.hops.len() as f64;
        let rollback = r.duration_hours.unwrap_or(DEFAULT_ROLLBACK_HOURS);
        let needed = hops * per_hop + rollback;
        if hours < needed {
            out.warn(
                "window_too_short",
                "window.duration_hours",
                format!(
                    "A {hours} h window is short for {} hop(s) (about {per_hop} h each, plus waiting for background migrations) and a {rollback} h rollback: about {needed} h are needed. Lengthen the window or split the upgrade over several windows.",
                    p.hops.len()
                ),
            );
        }
    }
}
