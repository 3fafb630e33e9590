//! The wizard's state and frame: the stepper, the step pages, Back/Next, the menu, dialogs,
//! and the commands (open, save, recover, ...) that run after the frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

mod chrome;
mod commands;
pub mod file_chooser;
mod review;

use super::documents;
use super::platform::{Picked, Platform};
use super::steps;
use super::widgets::{self, Form};
use crate::draft::{self, Recovery};
use crate::intake::Applied;
use crate::knowledge::Knowledge;
use crate::plan::{Plan, Review, Step};
use crate::plan_file;
use crate::validate::{Analysis, Finding, Severity, analyse};

/// How the status line starts when it says why Next was refused.
const BLOCKED: &str = "Next is blocked:";

/// How often an unsaved plan is written to the draft file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

/// Something the user asked for that needs IO or a dialog; run after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    /// Save (asking where when the plan has no file yet), then run the command, but only once
    /// the plan is safely written: the Save of the unsaved-changes prompt.
    SaveThen(Box<Command>),
    Close,
    RecoverDraft,
    DiscardDraft,
    OpenUrl(String),
    CopyText(String),
    /// Export the PDF; `draft` marks every page DRAFT and allows a plan with errors.
    ExportPdf {
        draft: bool,
    },
    /// Export the plan file (secrets redacted) to attach to the ticket.
    ExportJson,
    /// Put the Markdown summary on the clipboard for the ticket body.
    CopyMarkdown,
    /// Run mode (the upgrade day): handled in `ui::run`.
    Run(crate::ui::run::RunCommand),
    /// Ask for a plan file and open it in review mode (read-only, with the review panel).
    OpenAsReviewer,
    /// Open this plan file in review mode.
    OpenPathAsReviewer(PathBuf),
    /// Write the review into the plan file (review mode's Save).
    SaveReview,
}

/// What a file chosen in a file dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    Open,
    /// Open a plan in review mode.
    OpenAsReviewer,
    /// Save and Save as.
    Save,
    ExportPdf {
        draft: bool,
    },
    ExportJson,
}

/// The built-in file chooser while it is open, and what its file is for.
#[derive(Debug, Clone)]
pub struct ActiveChooser {
    pub chooser: file_chooser::FileChooser,
    pub action: FileAction,
}

/// A modal dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Unsaved changes: save, discard or cancel before running `then`.
    Unsaved { then: Box<Command> },
    /// A draft from an earlier session can be recovered.
    Recover {
        saved_at: String,
        source: Option<PathBuf>,
        /// Why the user may not want it (old; the plan file changed since).
        notes: Vec<String>,
    },
    /// Something failed; the open plan is untouched.
    Error { title: String, message: String },
}

/// Light, dark or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

/// Result of work done off the UI thread.
enum JobDone {
    Saved {
        path: PathBuf,
        plan: Box<Plan>,
        result: Result<(), String>,
    },
    Exported {
        path: PathBuf,
        what: &'static str,
        result: Result<(), String>,
    },
    ReviewSaved {
        path: PathBuf,
        plan: Box<Plan>,
        draft: Box<crate::ui::review::ReviewDraft>,
        index: usize,
        result: Result<(), String>,
    },
}

/// Per-step UI state that is not part of the plan.
#[derive(Debug, Default)]
pub struct StepUi {
    pub env_info_text: String,
    /// What the last prefill filled and kept, or why the paste was refused.
    pub env_info_result: Option<Result<Applied, String>>,
    /// The diagnostics script was copied to the clipboard (the step says so).
    pub script_copied: bool,
    pub tz_search: String,
    pub known_issue_filter: String,
    pub paper: Option<crate::export::Paper>,
    /// Exports leave out host names, IP addresses and email addresses.
    pub redact_hosts: bool,
}

pub struct WizardApp {
    pub plan: Plan,
    /// The plan as last saved or opened (to tell whether there are unsaved changes).
    pub saved_plan: Plan,
    pub file: Option<PathBuf>,
    pub step: Step,
    pub visited: BTreeSet<Step>,
    /// Steps where Next was pressed: all their findings show.
    pub revealed: BTreeSet<Step>,
    pub touched: BTreeSet<String>,
    pub focus: Option<String>,
    /// Focus the first input of the step on the next frame (the step was just entered).
    pub focus_first: bool,
    /// The input focused by the app on entering a step, until the user types into it.
    auto_focused: Option<String>,
    /// Text typed into number, date and time inputs that is not a value yet.
    pub drafts: widgets::Drafts,
    /// Scroll the step page to its top on the next frame.
    scroll_to_top: bool,
    pub analysis: Analysis,
    /// What the review page shows and the exports render (rebuilt when the plan changes).
    pub export_model: Option<Box<crate::export::ExportModel>>,
    analysed: Plan,
    pub commands: Vec<Command>,
    pub dialog: Option<Dialog>,
    /// The built-in file chooser, when open.
    pub chooser: Option<ActiveChooser>,
    /// File > Use the built-in file chooser: skip the system dialog (kept for the session).
    pub use_builtin_chooser: bool,
    /// Where the built-in chooser last found a file (it starts there next time).
    last_chooser_dir: Option<PathBuf>,
    /// What to run once the save in progress has succeeded (the unsaved-changes prompt).
    after_save: Option<Command>,
    /// The file that save wrote, for the status line once that command has run.
    saved_before: Option<PathBuf>,
    /// One-line message at the bottom (e.g. "Saved", or why Next refused).
    pub status: Option<(String, Severity)>,
    pub recent: Vec<PathBuf>,
    pub theme: ThemeChoice,
    pub step_ui: StepUi,
    pub knowledge: &'static Knowledge,
    pub today: NaiveDate,
    /// How far the data is behind `today` (both fixed for the window's life): the status
    /// bar's short line and its hover text, worked out once.
    data_behind: Option<(String, String)>,
    pub platform: Box<dyn Platform>,
    jobs_tx: Sender<JobDone>,
    jobs_rx: Receiver<JobDone>,
    pending_jobs: usize,
    last_autosave: Instant,
    /// The user chose to discard unsaved changes on close.
    discard_on_exit: bool,
    /// Allow the window to close on the next request.
    allow_close: bool,
    title: String,
    /// Work is run inline (tests) instead of on a thread.
    inline_jobs: bool,
    /// A field to focus once the open dialog is closed (a modal keeps focus to itself).
    focus_after_dialog: Option<String>,
    /// Woken by background work when it finishes.
    repaint: Option<egui::Context>,
    /// Run mode: its clock and, while open, its state.
    pub run: crate::ui::run::RunMode,
    /// Review mode and the reviewed plan's state (`ui::review`).
    pub review: crate::ui::review::ReviewUi,
}

impl WizardApp {
    pub fn new(
        platform: Box<dyn Platform>,
        knowledge: &'static Knowledge,
        today: NaiveDate,
    ) -> WizardApp {
        let plan = Plan::new(&platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let analysis = analyse(&plan, knowledge, today);
        let (jobs_tx, jobs_rx) = channel();
        let mut app = WizardApp {
            saved_plan: plan.clone(),
            analysed: plan.clone(),
            plan,
            file: None,
            step: Step::Start,
            visited: BTreeSet::from([Step::Start]),
            revealed: BTreeSet::new(),
            touched: BTreeSet::new(),
            focus: None,
            focus_first: false,
            auto_focused: None,
            drafts: widgets::Drafts::default(),
            scroll_to_top: false,
            analysis,
            export_model: None,
            commands: Vec::new(),
            dialog: None,
            chooser: None,
            use_builtin_chooser: false,
            last_chooser_dir: None,
            after_save: None,
            saved_before: None,
            status: None,
            recent: Vec::new(),
            theme: ThemeChoice::System,
            step_ui: StepUi::default(),
            knowledge,
            today,
            data_behind: knowledge
                .staleness(today)
                .map(|st| (format!("⚠ {}", st.short()), st.message())),
            platform,
            jobs_tx,
            jobs_rx,
            pending_jobs: 0,
            last_autosave: Instant::now(),
            discard_on_exit: false,
            allow_close: false,
            title: String::new(),
            inline_jobs: false,
            focus_after_dialog: None,
            repaint: None,
            run: crate::ui::run::RunMode::default(),
            review: Default::default(),
        };
        if let Some(dir) = app.platform.data_dir() {
            app.recent = documents::load_recent(&dir);
            match draft::check(&dir, app.platform.now()) {
                Recovery::Offer { draft, notes } => {
                    app.dialog = Some(Dialog::Recover {
                        saved_at: draft.saved_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                        source: draft.source,
                        notes,
                    });
                }
                Recovery::Unreadable { message, kept } => {
                    app.status = Some((
                        format!(
                            "An autosaved draft could not be read: {message}{}",
                            kept.map(|k| format!(" (kept as {})", k.display()))
                                .unwrap_or_default()
                        ),
                        Severity::Warning,
                    ));
                }
                Recovery::Nothing | Recovery::AlreadySaved => {}
            }
        }
        app
    }

    /// Run saves on the calling thread (for tests: no waiting on threads).
    pub fn with_inline_jobs(mut self) -> WizardApp {
        self.inline_jobs = true;
        self
    }

    /// Whether there are unsaved changes. Opening a step creates its empty section: that is
    /// not a change, only answers are.
    pub fn is_dirty(&self) -> bool {
        self.plan != self.saved_plan && self.plan.normalized() != self.saved_plan.normalized()
            || self.review.unsaved()
    }

    /// The window title: file name, `*` when unsaved.
    pub fn window_title(&self) -> String {
        let name = self
            .file
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled plan".into());
        format!(
            "{}{name} — Upgrade Planner",
            if self.is_dirty() { "* " } else { "" }
        )
    }

    /// Analyse the plan again when it changed. The export model is then out of date: it is
    /// dropped, and [`Self::ensure_export_model`] builds it again only when a step that shows
    /// it is drawn (building it, runbook included, on every keystroke cost more than the
    /// analysis itself).
    fn refresh_analysis(&mut self) {
        if self.plan != self.analysed {
            self.analysis = analyse(&self.plan, self.knowledge, self.today);
            self.analysed = self.plan.clone();
            self.export_model = None;
        }
    }

    /// Build the export model of the analysed plan if the current step shows it (Backup,
    /// Rollback and Review read it through `StepCtx::model`) and it is not there yet.
    fn ensure_export_model(&mut self) {
        if self.export_model.is_some()
            || !matches!(self.step, Step::Backup | Step::Rollback | Step::Review)
        {
            return;
        }
        // The review page shows the plan as it is; host redaction applies to exports.
        let mut meta = self.export_meta(self.analysis.has_errors());
        meta.redact_hosts = false;
        self.export_model = Some(Box::new(crate::export::ExportModel::build(
            &self.plan,
            self.knowledge,
            &self.analysis,
            meta,
        )));
    }

    fn export_meta(&self, draft: bool) -> crate::export::ExportMeta {
        let mut meta = crate::export::ExportMeta::new(self.platform.now());
        meta.draft = draft;
        meta.paper = self.step_ui.paper.unwrap_or(crate::export::Paper::A4);
        meta.redact_hosts = self.step_ui.redact_hosts;
        meta
    }

    /// Refuse an export while a secret is in the plan: say why and go to the first field.
    fn refuse_secrets(&mut self, what: &str) -> bool {
        let Err(e @ crate::export::ExportError::SecretsPresent { .. }) =
            crate::export::check_exportable(&self.analysis, true)
        else {
            return false;
        };
        if let crate::export::ExportError::SecretsPresent { findings } = &e
            && let Some(first) = findings.first()
        {
            let field = first.field.clone();
            self.go_to_field(&field);
            self.focus_after_dialog = self.focus.take();
        }
        self.dialog = Some(Dialog::Error {
            title: format!("The {what} was not exported"),
            message: format!(
                "Nothing was exported: {e}. The field with the secret is now open; remove the secret, then export again."
            ),
        });
        true
    }

    fn build_model(&self, draft: bool) -> crate::export::ExportModel {
        crate::export::ExportModel::build(
            &self.plan,
            self.knowledge,
            &self.analysis,
            self.export_meta(draft),
        )
    }

    pub fn step_findings(&self, step: Step) -> Vec<&Finding> {
        self.analysis
            .findings
            .iter()
            .filter(|f| f.step == step)
            .collect()
    }

    fn step_errors(&self, step: Step) -> usize {
        self.step_findings(step)
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn go_to(&mut self, step: Step) {
        if step != self.step {
            self.scroll_to_top = true;
            // Typing can start at once; the first steps' own buttons are the way on there.
            self.focus_first = !matches!(step, Step::Start | Step::Review);
        }
        self.step = step;
        self.visited.insert(step);
        // The step is written into the file on save (and into the draft), but moving between
        // steps is not an edit: it must not mark the plan unsaved.
    }

    /// Go to the step of a field and focus it.
    pub fn go_to_field(&mut self, field: &str) {
        let step = crate::validate::step_of(field);
        self.go_to(step);
        self.revealed.insert(step);
        self.focus = Some(field.to_string());
    }

    pub fn next(&mut self) {
        self.revealed.insert(self.step);
        if let Some(why) = self.blocked_reason() {
            self.status = Some((why, Severity::Error));
            return;
        }
        let i = self.step.number();
        if let Some(next) = Step::ALL.get(i) {
            self.status = None;
            self.go_to(*next);
        }
    }

    /// A status line that says why Next was refused follows the reason: it changes with it and
    /// goes once the reason is gone.
    fn refresh_blocked_status(&mut self) {
        let Some((msg, _)) = &self.status else {
            return;
        };
        if !msg.starts_with(BLOCKED) {
            return;
        }
        self.status = self.blocked_reason().map(|why| (why, Severity::Error));
    }

    /// Why Next may not leave the current step, if it may not: errors, or typed text that is
    /// not a valid answer.
    fn blocked_reason(&self) -> Option<String> {
        // A reviewer reads the steps in order and cannot fix what they find.
        if matches!(self.step, Step::Start | Step::Review) || self.review.active() {
            return None;
        }
        let typed = self.drafts.problems_on(self.step);
        if let Some((field, problem)) = typed.first() {
            let label = crate::validate::field_label(self.knowledge, field);
            return Some(format!(
                "{BLOCKED} {}",
                crate::validate::labelled(&label, problem)
            ));
        }
        let errors = self.step_errors(self.step);
        (errors > 0).then(|| {
            format!(
                "{BLOCKED} fix the {errors} error(s) on this step first (they are listed at the top)."
            )
        })
    }

    pub fn back(&mut self) {
        let i = self.step.number();
        if i >= 2 {
            self.status = None;
            self.go_to(Step::ALL[i - 2]);
        }
    }

    /// Replace the open plan (after New/Open/Recover).
    fn load_plan(&mut self, plan: Plan, file: Option<PathBuf>, saved: Plan) {
        let step = plan.saved_step().unwrap_or(Step::Start);
        self.run.view = None;
        self.plan = plan;
        self.saved_plan = saved;
        // A plan from a file is a document with answers: every step can be visited. A new plan
        // starts with only the first.
        self.visited = if file.is_some() || step != Step::Start {
            Step::ALL.iter().copied().collect()
        } else {
            BTreeSet::from([Step::Start])
        };
        self.file = file;
        self.review.end();
        self.revealed.clear();
        self.touched.clear();
        self.drafts.clear();
        self.focus = None;
        self.go_to(step);
        self.refresh_analysis();
    }

    /// Draw one frame and run the commands it produced.
    pub fn show(&mut self, ui: &mut Ui) {
        self.poll_jobs();
        self.shortcuts(ui.ctx());
        self.refresh_analysis();
        self.menu_bar(ui);
        self.status_bar(ui);
        if self.run.is_open() {
            super::run::show(self, ui);
        } else {
            self.wizard_pages(ui);
        }
        self.dialogs(ui.ctx());
        self.chooser_ui(ui.ctx());
        self.refresh_analysis();
        self.refresh_blocked_status();
        self.handle_window(ui.ctx());
        self.repaint = Some(ui.ctx().clone());
        let chooser_work = self
            .chooser
            .as_ref()
            .is_some_and(|c| c.chooser.request.is_some());
        let work = chooser_work || !self.commands.is_empty();
        self.run_commands();
        self.run_chooser_requests();
        if work || !self.commands.is_empty() {
            // What the commands and the chooser's requests changed (dialogs, a listing, status,
            // a new plan) shows on the next frame, and commands queued meanwhile (what follows
            // a save) run then.
            ui.ctx().request_repaint();
        }
        self.autosave_tick(ui.ctx());
    }

    /// The wizard: the stepper, Back/Next and the current step's page.
    fn wizard_pages(&mut self, ui: &mut Ui) {
        self.stepper(ui);
        self.nav_bar(ui);
        self.review_panel(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            // One scroll position per step; a step is entered at its top.
            let mut area = egui::ScrollArea::vertical()
                .id_salt(("step-page", self.step.id()))
                .auto_shrink([false, false]);
            if std::mem::take(&mut self.scroll_to_top) {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| {
                // Never wider than the window (a zoomed or narrow one): text wraps instead.
                ui.set_max_width(ui.available_width().min(900.0));
                self.step_page(ui);
            });
        });
        self.guard_review();
    }
}
