//! The export model: what the PDF, the Markdown summary and the review page render.

use serde::Serialize;

use super::*;

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
    /// The first window (what version 1 plans had).
    pub window: WindowInfo,
    /// The timeline at a glance: every window with its hops and dependency steps in order.
    pub windows: Vec<WindowRow>,
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
    /// GitLab Support's latest review: the revision it read, its verdict, and what changed
    /// since (`None` for a plan never reviewed).
    pub review: Option<crate::review::ReviewStatus>,
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

/// One window of the timeline at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowRow {
    /// 1-based.
    pub number: usize,
    /// Start, end, zone and length as [`WindowInfo`] gives them.
    pub when: WindowInfo,
    /// Estimated (or rehearsed) hours of work.
    pub work_hours: f64,
    pub rollback_hours: f64,
    /// `Sun 13 Dec 2026 04:00`: the end less the rollback reserve, local to the window's zone.
    pub go_no_go: Option<String>,
    /// Whether the work and the rollback reserve fit the window's length.
    pub fits: Option<bool>,
    /// The GitLab version running when the window starts, and when it ends.
    pub from_version: String,
    pub to_version: String,
    pub entries: Vec<TimelineRow>,
    /// What must happen before the next window (none after the last).
    pub before_next: Option<String>,
}

impl WindowRow {
    /// `Window 2 of 3: Sat 19 Dec 2026 20:00 Europe/Berlin`; `Upgrade window: …` when it is the
    /// only one.
    pub fn title(&self, count: usize) -> String {
        let start = match (&self.when.start, &self.when.time_zone) {
            (Some(s), Some(z)) => format!("{s} {z}"),
            (Some(s), None) => s.clone(),
            _ => "date not given".to_string(),
        };
        if count == 1 {
            format!("Upgrade window: {start}")
        } else {
            format!("Window {} of {count}: {start}", self.number)
        }
    }

    /// `10 h; about 7.5 h of work and a 2 h rollback reserve; go/no-go by Sun 13 Dec 2026 04:00`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(l) = self.when.duration_hours {
            parts.push(hours(l));
        }
        let mut work = format!(
            "about {} of work and a {} rollback reserve",
            hours(self.work_hours),
            hours(self.rollback_hours)
        );
        if self.fits == Some(false) {
            work.push_str(" (more than the window)");
        }
        parts.push(work);
        if let Some(g) = &self.go_no_go {
            parts.push(format!("go/no-go by {g}"));
        }
        parts.join("; ")
    }
}

/// A GitLab hop or a dependency step on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineRow {
    Hop {
        /// 1-based, in path order.
        number: usize,
        from_version: String,
        version: String,
        hours: f64,
        /// The hours come from a rehearsal, not the estimate.
        rehearsed: bool,
    },
    Step {
        /// `PostgreSQL`, `Operating system`, ...
        component: String,
        /// `PostgreSQL 14.10 → 16 (newest 16.x)`.
        title: String,
        /// The GitLab minor it follows.
        after: String,
        /// Where it may go: `16.10 to 17.11`.
        range: String,
        /// `planned`, `proposed`, `automatic`.
        origin: String,
        hours: f64,
        reason: String,
    },
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
    /// The installation the commands are written for: the plan's method, or the Linux
    /// package when the method is not answered (or is one this version does not know).
    pub commands_for: String,
    pub before: Vec<RunbookStep>,
    /// Node roles in upgrade order (multi-node).
    pub order: Vec<String>,
    pub zero_downtime: bool,
    /// The routine done the same way at every hop, in full; the hops carry its steps too,
    /// each marked with the short form print uses.
    pub every_hop: Vec<RunbookStep>,
    pub hops: Vec<RunbookHop>,
    pub after: Vec<RunbookStep>,
    /// The runbook window by window: the hops (by number, from `hops`) and the dependency
    /// steps in order, with what starts and ends each window.
    pub windows: Vec<RunbookWindow>,
    /// The plan asks for a backup before every hop, not only at the start of each window.
    pub backup_every_hop: bool,
}

impl Runbook {
    /// The hop numbered `number` (1-based).
    pub fn hop(&self, number: usize) -> Option<&RunbookHop> {
        number.checked_sub(1).and_then(|i| self.hops.get(i))
    }
}

/// One window of the runbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookWindow {
    /// 1-based; the same window in [`ExportModel::windows`].
    pub number: usize,
    /// The GitLab version running when the window starts.
    pub start_version: String,
    /// Go/no-go, checks and the backup with its secrets.
    pub start: Vec<RunbookStep>,
    pub entries: Vec<RunbookEntry>,
    /// What must happen before the next window (empty for the last).
    pub end: Vec<RunbookStep>,
}

/// A hop (its number in [`Runbook::hops`]) or a dependency step with its commands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunbookEntry {
    Hop { number: usize },
    Dependency(Box<RunbookDependency>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub severity: Severity,
    pub step: String,
    pub step_number: usize,
    /// The field path (for scripts).
    pub field: String,
    /// The field's label in the wizard (what people read).
    pub label: String,
    pub message: String,
    pub doc_url: Option<String>,
}
