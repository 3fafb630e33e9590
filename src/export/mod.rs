//! Exports: one model of the finished plan (the plan, the computed path, the matched known
//! issues and the findings) that the PDF, the Markdown summary and the wizard's review page
//! all render from, so they never disagree.
//!
//! Build it with [`ExportModel::build`]; render it with [`pdf::render_pdf`] and
//! [`markdown::render`]; write the plan itself with [`plan_json`]. A plan with errors is
//! exported only as a draft ([`check_exportable`]); secrets are always redacted.

pub mod compose;
pub mod diagram;
pub mod layout;
pub mod markdown;
pub mod pdf;
pub mod redact;
pub mod runbook;

use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use crate::knowledge::Knowledge;
use crate::path::{HopKind, NoteKind, NoteSeverity, UpgradePath};
use crate::plan::{BackupMethod, Edition, Plan, TopologyKind};
use crate::text::one_line;
use crate::validate::{
    Analysis, DEFAULT_ROLLBACK_HOURS, Finding, HOURS_PER_HOP_MULTI, HOURS_PER_HOP_SINGLE, Severity,
    parse_local_datetime,
};

pub use diagram::Diagram;
pub use runbook::{RunbookHop, RunbookStep};

/// Paper size of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

/// What the export adds to the plan: when, by what, how.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportMeta {
    /// Generation time; injected so that outputs are reproducible.
    pub generated_at: DateTime<Utc>,
    pub tool_version: String,
    /// Mark every page DRAFT (required to export a plan with errors).
    pub draft: bool,
    pub paper: Paper,
    /// Replace host names, IP addresses and email addresses (see [`redact::redact_hosts`]).
    pub redact_hosts: bool,
}

impl ExportMeta {
    /// A4, not a draft, this build's version.
    pub fn new(generated_at: DateTime<Utc>) -> ExportMeta {
        ExportMeta {
            generated_at,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            draft: false,
            paper: Paper::A4,
            redact_hosts: false,
        }
    }
}

/// Whether Support can work with the plan as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    ReadyWithWarnings,
    NotReady,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready",
            Verdict::ReadyWithWarnings => "Ready with warnings",
            Verdict::NotReady => "Not ready",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Why an export was refused or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// The plan has errors and the export was not asked for as a draft.
    PlanHasErrors { errors: Vec<Finding> },
    /// A text field holds what looks like a secret: nothing is exported, drafts included.
    SecretsPresent { findings: Vec<Finding> },
    /// An embedded font could not be read (a build problem).
    Font(String),
    /// The PDF writer failed.
    Pdf(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::PlanHasErrors { errors } => write!(
                f,
                "the plan has {}; fix them, or export it as a draft",
                count(errors.len(), "error", "errors")
            ),
            ExportError::SecretsPresent { findings } => write!(
                f,
                "the plan holds what looks like a secret in {} ({}); remove it first: nothing is exported while a secret is in the plan, not even a draft",
                count(findings.len(), "field", "fields"),
                findings
                    .iter()
                    .map(|f| f.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExportError::Font(e) => write!(f, "embedded font: {e}"),
            ExportError::Pdf(e) => write!(f, "PDF: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The rule id of a secret found in a text field.
pub const SECRET_RULE: &str = "secret_in_text";

/// A plan with a secret in it does not leave at all, not even as a draft; a plan with other
/// errors leaves only as a draft.
pub fn check_exportable(analysis: &Analysis, draft: bool) -> Result<(), ExportError> {
    let secrets: Vec<Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.rule == SECRET_RULE)
        .cloned()
        .collect();
    if !secrets.is_empty() {
        return Err(ExportError::SecretsPresent { findings: secrets });
    }
    if analysis.has_errors() && !draft {
        return Err(ExportError::PlanHasErrors {
            errors: analysis
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned()
                .collect(),
        });
    }
    Ok(())
}

/// The plan file as exported: normalised and with secrets redacted.
pub fn plan_json(plan: &Plan) -> String {
    plan_json_with(plan, false)
}

/// The plan file as exported, with host names, IP and email addresses removed if asked.
pub fn plan_json_with(plan: &Plan, redact_hosts: bool) -> String {
    let plan = redact::redact_plan(plan);
    if redact_hosts {
        crate::plan_file::to_json(&redact::redact_hosts_plan(&plan))
    } else {
        crate::plan_file::to_json(&plan)
    }
}

// ------------------------------------------------------------------ the model

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataSourceRow {
    pub file: String,
    pub retrieved_at: String,
    pub origin: String,
}

/// Everything a renderer needs, already worded and redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportModel {
    #[serde(skip)]
    pub meta: ExportMeta,
    pub draft: bool,
    pub paper: Paper,
    pub plan_id: String,
    pub revision: u32,
    /// `2026-11-21 10:00 UTC`.
    pub generated_at: String,
    /// `Upgrade Planner 0.1.0`.
    pub tool: String,
    pub data_date: String,
    /// `GitLab data of 2026-11-21 (releases up to 19.3.0, 2026-08-20)`.
    pub data_summary: String,
    pub data_sources: Vec<DataSourceRow>,
    pub contact: ContactInfo,
    pub window: WindowInfo,
    pub versions: VersionsInfo,
    pub verdict: Verdict,
    pub verdict_text: String,
    pub counts: Counts,
    pub path: Option<PathInfo>,
    pub estimate: Option<Estimate>,
    pub environment: EnvironmentInfo,
    pub diagram: Diagram,
    pub geo: GeoInfo,
    pub notes: NotesInfo,
    pub known_issues: Vec<IssueRow>,
    pub backup: BackupInfo,
    pub rollback: RollbackInfo,
    pub runbook: Runbook,
    pub findings: Vec<FindingRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactInfo {
    pub organization: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub ticket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowInfo {
    /// `Sat 12 Dec 2026 20:00`, local to the window's zone.
    pub start: Option<String>,
    pub end: Option<String>,
    pub time_zone: Option<String>,
    /// `UTC+01:00` at the start.
    pub utc_offset: Option<String>,
    /// `2026-12-12 19:00 UTC`.
    pub start_utc: Option<String>,
    pub duration_hours: Option<f64>,
    pub review_call: Option<bool>,
    /// One line with all of it.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionsInfo {
    pub current: Option<String>,
    /// As the user gave it.
    pub target: Option<String>,
    /// The version the path ends on.
    pub target_resolved: Option<String>,
    pub edition: Option<String>,
    /// `EE` or `CE`.
    pub edition_short: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteRow {
    pub severity: NoteSeverity,
    /// `Known issue`, `PostgreSQL`, `Redis`, `OS`, `Patch to avoid`, `Data`.
    pub kind: String,
    pub id: Option<String>,
    pub text: String,
    /// When the plan cannot tell whether it applies: what to check.
    pub check: Option<String>,
    pub doc_url: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopRow {
    pub number: usize,
    pub from_version: String,
    /// `16.3.9`, or `19.5.x` when the patch is not known.
    pub version: String,
    pub minor: String,
    pub patch_known: bool,
    /// `Required stop`, `Conditional stop`, ...
    pub kind: String,
    pub reason: String,
    pub optional: bool,
    pub verified: bool,
    pub doc_url: Option<String>,
    pub notes: Vec<NoteRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathInfo {
    pub from: String,
    pub to: String,
    pub zero_downtime: bool,
    pub conditions: Vec<String>,
    pub hops: Vec<HopRow>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub hops: usize,
    pub hours_per_hop: f64,
    pub upgrade_hours: f64,
    pub rollback_hours: f64,
    pub window_hours: Option<f64>,
    pub fits: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRow {
    pub role: String,
    pub count: u32,
    pub also: Vec<String>,
    pub hosts: Vec<String>,
    pub os: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentInfo {
    pub install_method: Option<String>,
    pub install_details: Vec<(String, String)>,
    pub edition: Option<String>,
    pub os: Option<String>,
    pub topology: Option<String>,
    pub reference_architecture: Option<String>,
    pub total_nodes: u32,
    pub nodes: Vec<NodeRow>,
    pub components: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoSiteRow {
    pub name: String,
    pub location: Option<String>,
    pub topology: Option<String>,
    pub node_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoInfo {
    pub enabled: Option<bool>,
    pub site_role: Option<String>,
    pub secondaries: Vec<GeoSiteRow>,
    pub procedure: Vec<RunbookStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotesInfo {
    pub unique_setup: Option<String>,
    pub current_known_issues: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueRow {
    pub id: String,
    pub severity: NoteSeverity,
    pub summary: String,
    /// Hop where it applies; `None` for the running version.
    pub hop_version: Option<String>,
    pub check: Option<String>,
    pub doc_url: String,
    pub verified: bool,
    pub reviewed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupInfo {
    pub method: Option<String>,
    pub facts: Vec<(String, String)>,
    pub backup_steps: Vec<RunbookStep>,
    pub files_to_keep: Vec<String>,
    pub not_in_backup: Vec<String>,
    pub restore_steps: Vec<RunbookStep>,
    /// The version the restore steps are written for.
    pub restore_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollbackInfo {
    pub confirmed: Option<bool>,
    pub trigger: Option<String>,
    /// Local time in the window's zone.
    pub decision_deadline: Option<String>,
    pub duration_hours: Option<f64>,
    pub notes: Option<String>,
    /// How much of the window is left after the decision time, when known.
    pub time_left: Option<String>,
    /// The version a rollback returns to (the running version before the upgrade).
    pub to_version: Option<String>,
    /// GitLab documents rollback for this install method.
    pub documented: bool,
    pub steps: Vec<RunbookStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Runbook {
    pub before: Vec<RunbookStep>,
    /// Node roles in upgrade order (multi-node).
    pub order: Vec<String>,
    pub zero_downtime: bool,
    pub hops: Vec<RunbookHop>,
    pub after: Vec<RunbookStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub severity: Severity,
    pub step: String,
    pub step_number: usize,
    pub field: String,
    pub message: String,
    pub doc_url: Option<String>,
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "not answered".into(),
    }
}

/// `hours` as a time span (rounded to the minute); `None` when a hand-edited file gives a length
/// no calendar can hold (validation reports such a window length).
fn minutes(hours: f64) -> Option<Duration> {
    Duration::try_minutes((hours * 60.0).round() as i64)
}

/// `start` plus `hours`; `None` when the end falls outside the calendar's range.
fn add_hours(start: NaiveDateTime, hours: f64) -> Option<NaiveDateTime> {
    start.checked_add_signed(minutes(hours)?)
}

/// The first URL of a documentation reference (some list two, separated by ` ; `).
pub fn primary_url(doc_url: &str) -> &str {
    doc_url
        .split(|c: char| c.is_whitespace() || c == ';')
        .find(|s| !s.is_empty())
        .unwrap_or(doc_url)
}

/// `1 hop`, `3 hops`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Counts {
    /// `0 errors · 2 warnings · 1 hint` (with `sep` between).
    pub fn text(&self, sep: &str) -> String {
        [
            count(self.errors, "error", "errors"),
            count(self.warnings, "warning", "warnings"),
            count(self.infos, "hint", "hints"),
        ]
        .join(sep)
    }
}

/// `8`, `1.5`.
pub fn hours(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0} h")
    } else {
        format!("{h:.1} h")
    }
}

fn fmt_local(dt: NaiveDateTime) -> String {
    dt.format("%a %-d %b %Y %H:%M").to_string()
}

fn window_info(plan: &Plan) -> WindowInfo {
    let w = plan.window.clone().unwrap_or_default();
    let tz_name = text(&w.time_zone);
    let tz: Option<chrono_tz::Tz> = tz_name.as_deref().and_then(|t| t.parse().ok());
    let start = text(&w.start).and_then(|s| parse_local_datetime(&s));
    let duration = w.duration_hours.filter(|h| *h > 0.0 && *h <= 168.0);
    let mut info = WindowInfo {
        start: start.map(fmt_local),
        end: None,
        time_zone: tz_name.clone(),
        utc_offset: None,
        start_utc: None,
        duration_hours: w.duration_hours,
        review_call: w.review_call,
        summary: String::new(),
    };
    if let (Some(start), Some(tz)) = (start, tz) {
        if let Some(local) = tz.from_local_datetime(&start).earliest() {
            info.utc_offset = Some(format!("UTC{}", local.format("%:z")));
            let utc = local.with_timezone(&Utc);
            info.start_utc = Some(utc.format("%Y-%m-%d %H:%M UTC").to_string());
            if let Some(end_utc) = duration
                .and_then(minutes)
                .and_then(|d| utc.checked_add_signed(d))
            {
                let end_local = end_utc.with_timezone(&tz);
                info.end = Some(fmt_local(end_local.naive_local()));
            }
        }
    } else if let (Some(start), Some(h)) = (start, duration) {
        info.end = add_hours(start, h).map(fmt_local);
    }
    let mut summary = match (&info.start, &info.end) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => s.clone(),
        _ => "not given".into(),
    };
    if let Some(tz) = &info.time_zone {
        summary.push(' ');
        summary.push_str(tz);
        if let Some(o) = &info.utc_offset {
            summary.push_str(&format!(" ({o})"));
        }
    }
    if let Some(h) = info.duration_hours {
        summary.push_str(&format!(", {}", hours(h)));
    }
    info.summary = summary;
    info
}

fn note_kind(k: NoteKind) -> &'static str {
    match k {
        NoteKind::KnownIssue => "Known issue",
        NoteKind::Postgresql => "PostgreSQL",
        NoteKind::Redis => "Redis",
        NoteKind::OsPackaging => "OS",
        NoteKind::PatchToAvoid => "Patch to avoid",
        NoteKind::Data => "Data",
    }
}

fn hop_kind(k: HopKind) -> &'static str {
    match k {
        HopKind::RequiredStop => "Required stop",
        HopKind::ConditionalStop => "Conditional stop",
        HopKind::ZeroDowntimeMinor => "Zero-downtime minor",
        HopKind::PatchOfCurrent => "Latest patch of current minor",
        HopKind::Target => "Target",
    }
}

fn path_info(p: &UpgradePath) -> PathInfo {
    let mut prev = p.from.clone();
    let hops = p
        .hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let row = HopRow {
                number: i + 1,
                from_version: prev.clone(),
                version: h.display_version(),
                minor: h.minor.clone(),
                patch_known: h.patch_known,
                kind: hop_kind(h.kind).to_string(),
                reason: h.reason.clone(),
                optional: h.optional,
                verified: h.verified,
                doc_url: h.doc_url.clone(),
                notes: h
                    .notes
                    .iter()
                    .map(|n| NoteRow {
                        severity: n.severity,
                        kind: note_kind(n.kind).to_string(),
                        id: n.id.clone(),
                        text: n.message.clone(),
                        check: n.check.clone(),
                        doc_url: n.doc_url.clone(),
                        verified: n.verified,
                    })
                    .collect(),
            };
            prev = h.display_version();
            row
        })
        .collect();
    PathInfo {
        from: p.from.clone(),
        to: p.to.clone(),
        zero_downtime: p.zero_downtime,
        conditions: p.conditions.iter().map(|c| c.replace('_', " ")).collect(),
        hops,
        notes: p.notes.clone(),
    }
}

fn os_label(k: &Knowledge, os: &crate::plan::Os) -> Option<String> {
    let dist = text(&os.distribution)?;
    let ver = text(&os.version).unwrap_or_default();
    let name = match k.os_entry(&dist, &ver) {
        Some(e) => e.display_name(),
        None => {
            let n = k
                .distributions()
                .into_iter()
                .find(|(id, _)| *id == dist)
                .map_or(dist.clone(), |(_, n)| n.to_string());
            format!("{n} {ver}").trim().to_string()
        }
    };
    Some(match os.arch {
        Some(a) => format!("{name}, {}", a.id()),
        None => name,
    })
}

fn environment_info(plan: &Plan, k: &Knowledge) -> EnvironmentInfo {
    let t = plan.topology.clone().unwrap_or_default();
    let install = plan.install.clone().unwrap_or_default();
    let mut details = Vec::new();
    if let Some(target) = install.target_method.filter(|m| Some(*m) != install.method) {
        details.push(("Changing to".to_string(), target.label().to_string()));
    }
    if let Some(c) = text(&install.chart_version) {
        details.push(("Helm chart now".to_string(), c));
    }
    if let Some(i) = text(&install.docker_image) {
        details.push(("Docker image now".to_string(), i));
    }
    if let Some(c) = text(&install.container_name) {
        details.push(("Container".to_string(), c));
    }
    let nodes = t
        .nodes
        .iter()
        .map(|n| NodeRow {
            role: n.role.label().to_string(),
            count: n.count,
            also: n
                .additional_roles
                .iter()
                .map(|r| r.label().to_string())
                .collect(),
            hosts: n.hosts.clone(),
            os: n.os.as_ref().and_then(|o| os_label(k, o)),
            notes: text(&n.notes),
        })
        .collect();
    let mut components = Vec::new();
    let pg = t.postgresql.clone().unwrap_or_default();
    components.push((
        "PostgreSQL".to_string(),
        [
            pg.mode.map(|m| match m {
                crate::plan::PostgresMode::Bundled => "bundled".to_string(),
                crate::plan::PostgresMode::BundledHa => "bundled, Patroni HA".to_string(),
                crate::plan::PostgresMode::External => "external".to_string(),
            }),
            text(&pg.provider).map(|p| p.replace('_', " ")),
            text(&pg.version).map(|v| format!("version {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
    ));
    let redis = t.redis.clone().unwrap_or_default();
    components.push((
        "Redis".to_string(),
        [
            redis.mode.map(|m| match m {
                crate::plan::RedisMode::Bundled => "bundled".to_string(),
                crate::plan::RedisMode::Sentinel => "Sentinel HA".to_string(),
                crate::plan::RedisMode::External => "external".to_string(),
            }),
            text(&redis.version).map(|v| format!("version {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
    ));
    let gitaly = t.gitaly.clone().unwrap_or_default();
    let mut g = gitaly
        .mode
        .map(|m| match m {
            crate::plan::GitalyMode::Bundled => "bundled".to_string(),
            crate::plan::GitalyMode::Sharded => "external, sharded".to_string(),
            crate::plan::GitalyMode::Cluster => "Gitaly Cluster (Praefect)".to_string(),
        })
        .unwrap_or_default();
    if !gitaly.storages.is_empty() {
        let names: Vec<String> = gitaly
            .storages
            .iter()
            .map(|s| match &s.address {
                Some(a) => format!("{} ({a})", s.name),
                None => s.name.clone(),
            })
            .collect();
        if !g.is_empty() {
            g.push_str("; ");
        }
        g.push_str(&format!("storages: {}", names.join(", ")));
    }
    components.push(("Gitaly".to_string(), g));
    for (label, value) in [
        ("PgBouncer", t.pgbouncer),
        ("Consul", t.consul),
        ("Load balancer", t.load_balancer),
        ("Object storage", t.object_storage),
        ("Elasticsearch/OpenSearch", t.elasticsearch),
        ("Container registry", t.container_registry),
        ("Bundled Mattermost", t.mattermost),
        ("GitLab Runner", t.runners),
        ("LDAP", t.ldap),
        ("GitLab Duo", t.gitlab_duo),
        ("ClickHouse", t.clickhouse),
    ] {
        if value.is_some() {
            components.push((label.to_string(), yes_no(value)));
        }
    }
    for c in &mut components {
        if c.1.is_empty() {
            c.1 = "not answered".into();
        }
    }
    EnvironmentInfo {
        install_method: plan.method().map(|m| m.label().to_string()),
        install_details: details,
        edition: plan
            .versions
            .as_ref()
            .and_then(|v| v.edition)
            .map(|e| e.label().to_string()),
        os: plan.os.as_ref().and_then(|o| os_label(k, o)),
        topology: t.kind.map(|k| match k {
            TopologyKind::SingleNode => "Single node".to_string(),
            TopologyKind::MultiNode => "Multi-node".to_string(),
        }),
        reference_architecture: text(&t.reference_architecture),
        total_nodes: t.total_nodes(),
        nodes,
        components,
    }
}

/// The attention lines of a hop: blockers and warnings, one line each.
fn attention(h: &HopRow) -> Vec<(NoteSeverity, String)> {
    h.notes
        .iter()
        .filter(|n| n.severity != NoteSeverity::Info)
        .map(|n| {
            let mut s =
                n.id.as_deref()
                    .map(|i| format!("{i}: "))
                    .unwrap_or_default();
            s.push_str(&n.text);
            if let Some(c) = &n.check {
                s.push_str(&format!(" (applies if: {c})"));
            }
            (n.severity, s)
        })
        .collect()
}

/// `#512345` for a numeric ticket, else the ticket as given.
fn ticket_label(t: &str) -> String {
    if t.starts_with('#') || !t.chars().all(|c| c.is_ascii_digit()) {
        t.to_string()
    } else {
        format!("#{t}")
    }
}

impl ExportModel {
    /// Build the model. `plan` may hold secrets: every text is redacted here.
    pub fn build(plan: &Plan, k: &Knowledge, analysis: &Analysis, meta: ExportMeta) -> ExportModel {
        // Every string enters the model here: secrets redacted, hosts if asked, control
        // characters escaped.
        let plan = redact::display_plan(plan, meta.redact_hosts);
        let counts = Counts {
            errors: analysis.count(Severity::Error),
            warnings: analysis.count(Severity::Warning),
            infos: analysis.count(Severity::Info),
        };
        let verdict = if counts.errors > 0 || analysis.path.is_none() {
            Verdict::NotReady
        } else if counts.warnings > 0 {
            Verdict::ReadyWithWarnings
        } else {
            Verdict::Ready
        };
        let verdict_text = match verdict {
            Verdict::NotReady if counts.errors > 0 => format!(
                "{} must be fixed before Support can work with this plan (see Findings).",
                count(counts.errors, "error", "errors")
            ),
            Verdict::NotReady => "No upgrade path could be computed.".to_string(),
            Verdict::ReadyWithWarnings => format!(
                "No errors. {} to address or accept before the window (see Findings).",
                count(counts.warnings, "warning", "warnings")
            ),
            Verdict::Ready => "No errors or warnings.".to_string(),
        };
        let contact = plan.contact.clone().unwrap_or_default();
        let versions = plan.versions.clone().unwrap_or_default();
        let edition = versions.edition.unwrap_or(Edition::Ee);
        let edition_short = edition.id().to_uppercase();
        let path = analysis.path.as_ref().map(path_info);
        let window = window_info(&plan);

        let estimate = path.as_ref().map(|p| {
            let per = if plan.topology_kind() == Some(TopologyKind::MultiNode) {
                HOURS_PER_HOP_MULTI
            } else {
                HOURS_PER_HOP_SINGLE
            };
            let rollback = plan
                .rollback
                .as_ref()
                .and_then(|r| r.duration_hours)
                .filter(|h| *h > 0.0)
                .unwrap_or(DEFAULT_ROLLBACK_HOURS);
            let upgrade = per * p.hops.len() as f64;
            let window_hours = plan.window.as_ref().and_then(|w| w.duration_hours);
            Estimate {
                hops: p.hops.len(),
                hours_per_hop: per,
                upgrade_hours: upgrade,
                rollback_hours: rollback,
                window_hours,
                fits: window_hours.map(|w| w >= upgrade + rollback),
            }
        });

        let ctx = runbook::Context::from_plan(&plan);
        // Kubernetes deployments roll their pods out themselves: no node order.
        let order =
            if plan.topology_kind() == Some(TopologyKind::MultiNode) && !ctx_is_kubernetes(&plan) {
                runbook::node_order(&plan)
            } else {
                Vec::new()
            };
        let current = text(&versions.current)
            .map(|c| crate::version::parse_version(&c).map_or(c, |v| v.version.to_string()));
        let hops: Vec<RunbookHop> = path
            .as_ref()
            .map(|p| {
                p.hops
                    .iter()
                    .zip(analysis.path.iter().flat_map(|a| a.hops.iter()))
                    .map(|(row, hop)| {
                        let spec = runbook::HopSpec {
                            number: row.number,
                            total: p.hops.len(),
                            from_version: &row.from_version,
                            version: &hop.version,
                            patch_known: hop.patch_known,
                            minor: &hop.minor,
                            attention: attention(row),
                        };
                        runbook::hop(&ctx, &spec, &order, &edition_short)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let hop_versions: Vec<String> = path
            .as_ref()
            .map(|p| {
                p.hops
                    .iter()
                    .filter(|h| h.patch_known)
                    .map(|h| h.version.clone())
                    .collect()
            })
            .unwrap_or_default();
        let target_resolved = path.as_ref().map(|p| p.to.clone());
        let runbook = Runbook {
            before: runbook::preparation(&ctx, &hop_versions),
            order,
            zero_downtime: plan.zero_downtime == Some(true),
            hops,
            after: runbook::after(
                &ctx,
                target_resolved.as_deref().unwrap_or("the target version"),
                &edition_short,
                text(&contact.ticket).map(|t| ticket_label(&t)).as_deref(),
            ),
        };

        let b = plan.backup.clone().unwrap_or_default();
        let object_storage = plan.topology.as_ref().and_then(|t| t.object_storage) == Some(true);
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
                yes_no(b.object_storage_backed_up),
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
        if object_storage && !ctx_is_kubernetes(&plan) {
            not_in_backup.insert(1, "Anything in object storage".to_string());
        }
        if plan.topology.as_ref().and_then(|t| t.elasticsearch) == Some(true) {
            not_in_backup.push("Elasticsearch/OpenSearch indexes".into());
        }
        if plan.topology.as_ref().and_then(|t| t.mattermost) == Some(true) {
            not_in_backup.push("Mattermost data".into());
        }
        let backup = BackupInfo {
            method: b.method.map(|m| {
                match m {
                    BackupMethod::GitlabBackup => "GitLab backup tool",
                    BackupMethod::Snapshot => "Snapshots of every node (outside Support scope)",
                    BackupMethod::Both => "GitLab backup tool and snapshots of every node",
                }
                .to_string()
            }),
            facts,
            backup_steps: current
                .as_deref()
                .map(|v| runbook::backup_steps(&ctx, v, &edition_short))
                .unwrap_or_default(),
            files_to_keep: runbook::files_to_keep(plan.method()),
            not_in_backup,
            restore_steps: current
                .as_deref()
                .map(|v| runbook::restore_steps(&ctx, v, &edition_short))
                .unwrap_or_default(),
            restore_version: current.clone(),
        };

        let r = plan.rollback.clone().unwrap_or_default();
        let deadline = text(&r.decision_deadline).and_then(|d| parse_local_datetime(&d));
        let window_end = match (
            text(&plan.window.clone().unwrap_or_default().start)
                .and_then(|s| parse_local_datetime(&s)),
            plan.window.as_ref().and_then(|w| w.duration_hours),
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
        let rollback = RollbackInfo {
            confirmed: r.confirmed,
            trigger: text(&r.trigger),
            decision_deadline: deadline
                .map(fmt_local)
                .or_else(|| text(&r.decision_deadline)),
            duration_hours: r.duration_hours,
            notes: text(&r.notes),
            time_left,
            to_version: current.clone(),
            documented: matches!(
                plan.method(),
                None | Some(
                    crate::plan::InstallMethod::LinuxPackage
                        | crate::plan::InstallMethod::Docker
                        | crate::plan::InstallMethod::EnvironmentToolkit
                )
            ),
            steps: current
                .as_deref()
                .map(|v| runbook::rollback_steps(&ctx, v, &edition_short))
                .unwrap_or_default(),
        };

        let g = plan.geo.clone().unwrap_or_default();
        let geo = GeoInfo {
            enabled: g.enabled,
            site_role: g.site_role.map(|r| match r {
                crate::plan::GeoRole::Primary => "primary".to_string(),
                crate::plan::GeoRole::Secondary => "secondary".to_string(),
            }),
            secondaries: g
                .secondaries
                .iter()
                .map(|s| GeoSiteRow {
                    name: s.name.clone(),
                    location: text(&s.location),
                    topology: s.kind.map(|k| match k {
                        TopologyKind::SingleNode => "single node".to_string(),
                        TopologyKind::MultiNode => "multi-node".to_string(),
                    }),
                    node_count: s.node_count,
                })
                .collect(),
            procedure: if g.enabled == Some(true) {
                runbook::geo_procedure(&ctx)
            } else {
                Vec::new()
            },
        };

        let known_issues = analysis
            .path
            .as_ref()
            .map(|p| {
                p.known_issues
                    .iter()
                    .map(|m| IssueRow {
                        id: m.id.clone(),
                        severity: m.severity,
                        summary: m.summary.clone(),
                        hop_version: m.hop_version.clone(),
                        check: m.check.clone(),
                        doc_url: m.doc_url.clone(),
                        verified: m.verified,
                        reviewed: plan.known_issues_reviewed.iter().any(|r| r == &m.id),
                    })
                    .collect()
            })
            .unwrap_or_default();

        let findings = analysis
            .findings
            .iter()
            .map(|f| FindingRow {
                severity: f.severity,
                step: f.step.title().to_string(),
                step_number: f.step.number(),
                field: one_line(&f.field).into_owned(),
                message: one_line(&if meta.redact_hosts {
                    redact::redact_hosts(&redact::redact(&f.message))
                } else {
                    redact::redact(&f.message)
                })
                .into_owned(),
                doc_url: f.doc_url.clone(),
            })
            .collect();

        let notes = plan.notes.clone().unwrap_or_default();
        ExportModel {
            draft: meta.draft,
            paper: meta.paper,
            plan_id: if plan.plan_id.trim().is_empty() {
                "(no id)".into()
            } else {
                one_line(&plan.plan_id).into_owned()
            },
            revision: plan.revision,
            generated_at: meta.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            tool: format!("Upgrade Planner {}", meta.tool_version),
            data_date: k.data_date().to_string(),
            data_summary: k.data_summary(),
            data_sources: k
                .sources
                .iter()
                .map(|s| DataSourceRow {
                    file: s.file.clone(),
                    retrieved_at: s.retrieved_at.clone(),
                    origin: s.origin.clone(),
                })
                .collect(),
            contact: ContactInfo {
                organization: text(&contact.organization),
                name: text(&contact.name),
                email: text(&contact.email),
                ticket: text(&contact.ticket),
            },
            window,
            versions: VersionsInfo {
                current,
                target: text(&versions.target),
                target_resolved,
                edition: versions.edition.map(|e| e.label().to_string()),
                edition_short,
            },
            verdict,
            verdict_text,
            counts,
            path,
            estimate,
            environment: environment_info(&plan, k),
            diagram: diagram::build(&plan),
            geo,
            notes: NotesInfo {
                unique_setup: text(&notes.unique_setup),
                current_known_issues: text(&notes.current_known_issues),
            },
            known_issues,
            backup,
            rollback,
            runbook,
            findings,
            meta,
        }
    }

    /// `16.3.4 → 18.5.7`, with what is known.
    pub fn upgrade_line(&self) -> String {
        let from = self.versions.current.as_deref().unwrap_or("?");
        let to = self
            .versions
            .target_resolved
            .as_deref()
            .or(self.versions.target.as_deref())
            .unwrap_or("?");
        format!("{from} → {to}")
    }

    /// Organisation or a stand-in.
    pub fn organization(&self) -> &str {
        self.contact
            .organization
            .as_deref()
            .unwrap_or("Organisation not given")
    }

    /// The ticket as `#512345`, when given.
    pub fn ticket(&self) -> Option<String> {
        self.contact.ticket.as_deref().map(ticket_label)
    }
}

fn ctx_is_kubernetes(plan: &Plan) -> bool {
    matches!(
        plan.method(),
        Some(crate::plan::InstallMethod::HelmChart | crate::plan::InstallMethod::Operator)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::analyse;
    use chrono::NaiveDate;

    pub(crate) fn sample(name: &str) -> Plan {
        let path = format!("{}/assets/samples/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::plan_file::load(std::path::Path::new(&path)).unwrap()
    }

    pub(crate) fn model(plan: &Plan, draft: bool) -> ExportModel {
        let k = Knowledge::embedded();
        let a = analyse(plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        let mut meta = ExportMeta::new(Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap());
        meta.tool_version = "0.0.0-test".into();
        meta.draft = draft;
        ExportModel::build(plan, &k, &a, meta)
    }

    #[test]
    fn model_carries_identity_versions_and_window_with_zone() {
        let m = model(&sample("multi-node-geo.upgrade-plan.json"), false);
        assert_eq!(m.plan_id, "0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10");
        assert_eq!(m.revision, 3);
        assert_eq!(m.generated_at, "2026-11-21 10:00 UTC");
        assert_eq!(m.tool, "Upgrade Planner 0.0.0-test");
        assert_eq!(m.data_date, "2026-11-21");
        assert_eq!(m.upgrade_line(), "16.3.4 → 18.5.7");
        assert_eq!(m.ticket().as_deref(), Some("#512345"));
        assert_eq!(m.window.start.as_deref(), Some("Sat 12 Dec 2026 20:00"));
        assert_eq!(m.window.end.as_deref(), Some("Sun 13 Dec 2026 20:00"));
        assert_eq!(m.window.utc_offset.as_deref(), Some("UTC+01:00"));
        assert_eq!(m.window.start_utc.as_deref(), Some("2026-12-12 19:00 UTC"));
        assert_eq!(m.verdict, Verdict::Ready);
        let p = m.path.as_ref().unwrap();
        assert_eq!(p.hops.first().unwrap().from_version, "16.3.4");
        assert_eq!(p.hops.last().unwrap().version, "18.5.7");
        assert_eq!(m.runbook.hops.len(), p.hops.len());
        assert!(!m.runbook.order.is_empty());
        assert_eq!(m.diagram.secondaries.len(), 1);
        assert!(m.known_issues.iter().any(|i| i.reviewed));
    }

    #[test]
    fn verdict_follows_the_findings() {
        let mut plan = sample("single-node.upgrade-plan.json");
        assert_eq!(model(&plan, false).verdict, Verdict::Ready);
        plan.backup.as_mut().unwrap().location = None;
        let m = model(&plan, false);
        assert_eq!(m.verdict, Verdict::ReadyWithWarnings);
        assert!(m.verdict_text.contains("1 warning"));
        plan.backup.as_mut().unwrap().secrets_backed_up = Some(false);
        let m = model(&plan, true);
        assert_eq!(m.verdict, Verdict::NotReady);
        assert!(m.draft);
        assert_eq!(m.findings[0].severity, Severity::Error);
    }

    #[test]
    fn drafts_are_required_for_plans_with_errors() {
        let k = Knowledge::embedded();
        let plan = Plan::default();
        let a = analyse(&plan, &k, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        match check_exportable(&a, false) {
            Err(ExportError::PlanHasErrors { errors }) => assert!(!errors.is_empty()),
            other => panic!("{other:?}"),
        }
        assert!(check_exportable(&a, true).is_ok());
        // An empty plan still builds a model (everything "not given").
        let m = model(&plan, true);
        assert_eq!(m.verdict, Verdict::NotReady);
        assert!(m.path.is_none());
    }

    #[test]
    fn secrets_are_redacted_from_the_model_and_the_json() {
        let mut plan = sample("single-node.upgrade-plan.json");
        plan.notes.as_mut().unwrap().unique_setup =
            Some("Runner uses glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF daily".into());
        let m = model(&plan, true);
        let all = serde_json::to_string(&m).unwrap();
        assert!(!all.contains("glpat-9xK2"), "secret in model");
        assert_eq!(
            m.notes.unique_setup.as_deref(),
            Some("Runner uses [REDACTED] daily")
        );
        assert!(!plan_json(&plan).contains("glpat-9xK2"));
    }
}
