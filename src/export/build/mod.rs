//! Building the export model from the plan, the knowledge and the analysis.

use super::*;
use crate::plan::{OpenAnswer, Window};
use crate::text::one_line;

mod recovery;
mod timeline;

use recovery::{backup_info, geo_info, rollback_info};

pub(super) fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

pub(super) fn yes_no(b: Option<bool>) -> String {
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
    /// The findings of `analysis` by severity.
    pub fn of(analysis: &Analysis) -> Counts {
        Counts {
            errors: analysis.count(Severity::Error),
            warnings: analysis.count(Severity::Warning),
            infos: analysis.count(Severity::Info),
        }
    }

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

/// A window's start, end, zone, offset and length, and all of it in a line.
fn window_info(w: &Window) -> WindowInfo {
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

/// `#512345` for a numeric ticket, else the ticket as given.
fn ticket_label(t: &str) -> String {
    if t.starts_with('#') || !t.chars().all(|c| c.is_ascii_digit()) {
        t.to_string()
    } else {
        format!("#{t}")
    }
}

fn data_sources(k: &Knowledge) -> Vec<DataSourceRow> {
    k.sources
        .iter()
        .map(|s| DataSourceRow {
            file: s.file.clone(),
            retrieved_at: s.retrieved_at.clone(),
            origin: s.origin.clone(),
        })
        .collect()
}

fn contact_info(plan: &Plan) -> ContactInfo {
    let contact = plan.contact.clone().unwrap_or_default();
    ContactInfo {
        organization: text(&contact.organization),
        name: text(&contact.name),
        email: text(&contact.email),
        ticket: text(&contact.ticket),
    }
}

/// The plan's latest review, compared with the plan as it is: before its texts are cleaned
/// for display (the review's copy of the answers never was), each text cleaned after.
fn review_status(
    plan: &Plan,
    k: &Knowledge,
    analysis: &Analysis,
    meta: &ExportMeta,
) -> Option<crate::review::ReviewStatus> {
    let hosts = meta.redact_hosts;
    crate::review::status(plan, k, analysis, meta.generated_at.date_naive(), &|s| {
        crate::review::clean_text(s, hosts)
    })
}

impl ExportModel {
    /// Build the model. `plan` may hold secrets: every text is redacted here.
    pub fn build(plan: &Plan, k: &Knowledge, analysis: &Analysis, meta: ExportMeta) -> ExportModel {
        let review = review_status(plan, k, analysis, &meta);
        // Every string enters the model here: secrets redacted, hosts if asked, control
        // characters escaped.
        let plan = redact::display_plan(plan, meta.redact_hosts);
        let counts = Counts::of(analysis);
        let (verdict, verdict_text) = verdict(&counts, analysis);
        let versions = plan.versions.clone().unwrap_or_default();
        let edition_short = versions
            .edition
            .known()
            .unwrap_or(Edition::Ee)
            .id()
            .to_uppercase();
        let path = analysis.path.as_ref().map(path_info);
        let ctx = runbook::Context::from_plan(&plan);
        let current = text(&versions.current)
            .map(|c| crate::version::parse_version(&c).map_or(c, |v| v.version.to_string()));
        let ticket = plan
            .contact
            .as_ref()
            .and_then(|c| text(&c.ticket))
            .map(|t| ticket_label(&t));
        let release = Release {
            ctx: &ctx,
            current: current.as_deref(),
            edition_short: &edition_short,
        };
        let (runbook, windows) = timeline::runbook_of(
            &plan,
            k,
            analysis,
            path.as_ref(),
            &release,
            ticket.as_deref(),
        );
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
            data_sources: data_sources(k),
            contact: contact_info(&plan),
            window: window_info(&plan.first_window().cloned().unwrap_or_default()),
            versions: VersionsInfo {
                current: current.clone(),
                target: text(&versions.target),
                target_resolved: path.as_ref().map(|p| p.to.clone()),
                edition: versions.edition.map(|e| e.shown(Edition::label)),
                edition_short: edition_short.clone(),
            },
            verdict,
            verdict_text,
            counts,
            estimate: path.as_ref().map(|p| estimate(&plan, p, &windows)),
            windows,
            runbook,
            path,
            environment: super::environment::environment_info(&plan, k),
            diagram: diagram::build(&plan),
            geo: geo_info(&plan, &ctx),
            notes: NotesInfo {
                unique_setup: text(&notes.unique_setup),
                current_known_issues: text(&notes.current_known_issues),
            },
            known_issues: issue_rows(&plan, analysis),
            backup: backup_info(&plan, &release),
            rollback: rollback_info(&plan, &release),
            findings: finding_rows(k, analysis, &meta),
            review,
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

/// What the runbook's commands need: the install context, the version a backup is taken on
/// and the edition.
struct Release<'a> {
    ctx: &'a runbook::Context,
    current: Option<&'a str>,
    edition_short: &'a str,
}

fn verdict(counts: &Counts, analysis: &Analysis) -> (Verdict, String) {
    let verdict = if counts.errors > 0 || analysis.path.is_none() {
        Verdict::NotReady
    } else if counts.warnings > 0 {
        Verdict::ReadyWithWarnings
    } else {
        Verdict::Ready
    };
    let text = match verdict {
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
    (verdict, text)
}

/// The rough time per hop, and whether the windows hold the work (each its share of hops and
/// dependency steps with a rollback reserve; the first window alone for a plan with one).
fn estimate(plan: &Plan, p: &PathInfo, windows: &[WindowRow]) -> Estimate {
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
    let window_hours = plan.first_window().and_then(|w| w.duration_hours);
    let fits = if windows.is_empty() {
        window_hours.map(|w| w >= upgrade + rollback)
    } else {
        windows
            .iter()
            .map(|w| w.fits)
            .try_fold(true, |all, f| f.map(|f| all && f))
    };
    Estimate {
        hops: p.hops.len(),
        hours_per_hop: per,
        upgrade_hours: upgrade,
        rollback_hours: rollback,
        window_hours,
        fits,
    }
}

fn issue_rows(plan: &Plan, analysis: &Analysis) -> Vec<IssueRow> {
    analysis
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
        .unwrap_or_default()
}

/// The findings as the wizard shows them: with the label of their field.
fn finding_rows(k: &Knowledge, analysis: &Analysis, meta: &ExportMeta) -> Vec<FindingRow> {
    analysis
        .findings
        .iter()
        .map(|f| FindingRow {
            severity: f.severity,
            step: f.step.title().to_string(),
            step_number: f.step.number(),
            field: one_line(&f.field).into_owned(),
            label: one_line(&crate::validate::field_label(k, &f.field)).into_owned(),
            message: one_line(&if meta.redact_hosts {
                redact::redact_hosts(&redact::redact(&f.message))
            } else {
                redact::redact(&f.message)
            })
            .into_owned(),
            doc_url: f.doc_url.clone(),
        })
        .collect()
}

/// A yes/no answer as exports print it; "to verify" for one answered "not sure".
fn answer(plan: &Plan, field: &str, value: Option<bool>) -> String {
    match value {
        None if plan.is_unsure(field) => "to verify (not sure yet)".into(),
        other => yes_no(other),
    }
}

/// `OpenSearch 2.11`: the search back end and its version, as far as the plan says.
fn ctx_is_kubernetes(plan: &Plan) -> bool {
    matches!(
        plan.method(),
        Some(crate::plan::InstallMethod::HelmChart | crate::plan::InstallMethod::Operator)
    )
}
