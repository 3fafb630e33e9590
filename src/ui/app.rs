//! The wizard's state and frame: the stepper, the step pages, Back/Next, the menu, dialogs,
//! and the commands (open, save, recover, ...) that run after the frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::documents;
use super::platform::Platform;
use super::steps;
use super::widgets::{self, Form};
use crate::draft::{self, Recovery};
use crate::envinfo::FilledField;
use crate::knowledge::Knowledge;
use crate::plan::{Plan, Step};
use crate::plan_file;
use crate::validate::{Analysis, Finding, Severity, analyse};

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
}

/// Per-step UI state that is not part of the plan.
#[derive(Debug, Default)]
pub struct StepUi {
    pub env_info_text: String,
    pub env_info_result: Option<Result<Vec<FilledField>, String>>,
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
    pub analysis: Analysis,
    /// What the review page shows and the exports render (rebuilt when the plan changes).
    pub export_model: Option<Box<crate::export::ExportModel>>,
    analysed: Plan,
    pub commands: Vec<Command>,
    pub dialog: Option<Dialog>,
    /// One-line message at the bottom (e.g. "Saved", or why Next refused).
    pub status: Option<(String, Severity)>,
    pub recent: Vec<PathBuf>,
    pub theme: ThemeChoice,
    pub step_ui: StepUi,
    pub knowledge: &'static Knowledge,
    pub today: NaiveDate,
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
            analysis,
            export_model: None,
            commands: Vec::new(),
            dialog: None,
            status: None,
            recent: Vec::new(),
            theme: ThemeChoice::System,
            step_ui: StepUi::default(),
            knowledge,
            today,
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

    pub fn is_dirty(&self) -> bool {
        self.plan != self.saved_plan
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

    fn refresh_analysis(&mut self) {
        if self.plan != self.analysed || self.export_model.is_none() {
            self.analysis = analyse(&self.plan, self.knowledge, self.today);
            self.analysed = self.plan.clone();
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
        let errors = self.step_errors(self.step);
        if errors > 0 && self.step != Step::Start && self.step != Step::Review {
            self.revealed.insert(self.step);
            self.status = Some((
                format!(
                    "Next is blocked: fix the {errors} error(s) on this step first (they are listed at the top)."
                ),
                Severity::Error,
            ));
            return;
        }
        self.revealed.insert(self.step);
        let i = self.step.number();
        if let Some(next) = Step::ALL.get(i) {
            self.status = None;
            self.go_to(*next);
        }
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
        let step = plan.last_step.unwrap_or(Step::Start);
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
        self.revealed.clear();
        self.touched.clear();
        self.step = step;
        self.refresh_analysis();
    }

    /// Draw one frame and run the commands it produced.
    pub fn show(&mut self, ui: &mut Ui) {
        self.poll_jobs();
        self.shortcuts(ui.ctx());
        self.refresh_analysis();
        self.menu_bar(ui);
        self.status_bar(ui);
        self.stepper(ui);
        self.nav_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(900.0);
                    self.step_page(ui);
                });
        });
        self.dialogs(ui.ctx());
        self.refresh_analysis();
        self.handle_window(ui.ctx());
        self.repaint = Some(ui.ctx().clone());
        if !self.commands.is_empty() {
            // What the commands change (dialogs, status, a new plan) shows on the next frame.
            ui.ctx().request_repaint();
        }
        self.run_commands();
        self.autosave_tick(ui.ctx());
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let sc = |m: Modifiers, k: Key| KeyboardShortcut::new(m, k);
        let save_as = sc(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
        ctx.input_mut(|i| {
            if i.consume_shortcut(&save_as) {
                self.commands.push(Command::SaveAs);
            }
            if i.consume_shortcut(&sc(Modifiers::COMMAND, Key::S)) {
                self.commands.push(Command::Save);
            }
            if i.consume_shortcut(&sc(Modifiers::COMMAND, Key::O)) {
                self.commands.push(Command::Open);
            }
            if i.consume_shortcut(&sc(Modifiers::COMMAND, Key::N)) {
                self.commands.push(Command::New);
            }
        });
        if self.dialog.is_none() {
            let (back, next) = ctx.input_mut(|i| {
                (
                    i.consume_shortcut(&sc(Modifiers::ALT, Key::ArrowLeft)),
                    i.consume_shortcut(&sc(Modifiers::ALT, Key::ArrowRight)),
                )
            });
            if back {
                self.back();
            }
            if next {
                self.next();
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.commands.push(Command::OpenPath(p));
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("New plan  (Ctrl+N)").clicked() {
                        self.commands.push(Command::New);
                    }
                    if ui.button("Open…  (Ctrl+O)").clicked() {
                        self.commands.push(Command::Open);
                    }
                    ui.add_enabled_ui(!self.recent.is_empty(), |ui| {
                        ui.menu_button("Open recent", |ui| {
                            for p in self.recent.clone() {
                                if ui.button(p.display().to_string()).clicked() {
                                    self.commands.push(Command::OpenPath(p));
                                }
                            }
                        });
                    });
                    ui.separator();
                    if ui.button("Save  (Ctrl+S)").clicked() {
                        self.commands.push(Command::Save);
                    }
                    if ui.button("Save as…  (Ctrl+Shift+S)").clicked() {
                        self.commands.push(Command::SaveAs);
                    }
                    ui.separator();
                    if ui.button("Export PDF…").clicked() {
                        self.commands.push(Command::ExportPdf { draft: false });
                    }
                    if ui.button("Export PDF as draft…").clicked() {
                        self.commands.push(Command::ExportPdf { draft: true });
                    }
                    if ui.button("Export JSON…").clicked() {
                        self.commands.push(Command::ExportJson);
                    }
                    if ui.button("Copy Markdown").clicked() {
                        self.commands.push(Command::CopyMarkdown);
                    }
                    ui.separator();
                    if ui.button("Quit").clicked() {
                        self.commands.push(Command::Close);
                    }
                });
                ui.menu_button("View", |ui| {
                    ui.label("Theme");
                    for (t, label) in [
                        (ThemeChoice::System, "Follow the system"),
                        (ThemeChoice::Light, "Light"),
                        (ThemeChoice::Dark, "Dark"),
                    ] {
                        if ui.radio(self.theme == t, label).clicked() {
                            self.set_theme(ui.ctx(), t);
                        }
                    }
                    ui.separator();
                    if ui.button("Zoom in  (Ctrl +)").clicked() {
                        egui::gui_zoom::zoom_in(ui.ctx());
                    }
                    if ui.button("Zoom out  (Ctrl -)").clicked() {
                        egui::gui_zoom::zoom_out(ui.ctx());
                    }
                    if ui.button("Reset zoom  (Ctrl 0)").clicked() {
                        ui.ctx().set_zoom_factor(1.0);
                    }
                });
                ui.menu_button("Help", |ui| {
                    if ui.button("GitLab upgrade paths").clicked() {
                        self.commands.push(Command::OpenUrl(
                            "https://docs.gitlab.com/update/upgrade_paths/".into(),
                        ));
                    }
                    if ui.button("Upgrade Assistance").clicked() {
                        self.commands.push(Command::OpenUrl(
                            "https://about.gitlab.com/support/scheduling-upgrade-assistance/"
                                .into(),
                        ));
                    }
                    ui.separator();
                    ui.label(format!("Upgrade Planner {}", env!("CARGO_PKG_VERSION")));
                    ui.label(self.knowledge.data_summary());
                });
            });
        });
    }

    pub fn set_theme(&mut self, ctx: &egui::Context, t: ThemeChoice) {
        self.theme = t;
        ctx.set_theme(match t {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((msg, sev)) = &self.status {
                    let color = widgets::severity_color(ui, *sev);
                    ui.label(RichText::new(msg).color(color));
                } else {
                    let e = self.analysis.count(Severity::Error);
                    let w = self.analysis.count(Severity::Warning);
                    ui.label(format!("{e} error(s), {w} warning(s) in the plan"));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(self.knowledge.data_summary()).weak().small());
                });
            });
        });
    }

    fn stepper(&mut self, ui: &mut Ui) {
        egui::Panel::left("stepper")
            .resizable(false)
            .exact_size(230.0)
            .show(ui, |ui| {
                ui.add_space(8.0);
                ui.heading("Upgrade plan");
                ui.add_space(8.0);
                for step in Step::ALL {
                    let findings = self.step_findings(step);
                    let errors = findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count();
                    let warnings = findings
                        .iter()
                        .filter(|f| f.severity == Severity::Warning)
                        .count();
                    let visited = self.visited.contains(&step);
                    let current = step == self.step;
                    let (mark, color, state) = if current {
                        ("▶", ui.visuals().strong_text_color(), "current")
                    } else if !visited {
                        ("○", ui.visuals().weak_text_color(), "not visited")
                    } else if errors > 0 {
                        ("✖", widgets::error_color(ui), "has errors")
                    } else if warnings > 0 {
                        ("⚠", widgets::warning_color(ui), "has warnings")
                    } else {
                        ("✔", widgets::ok_color(ui), "complete")
                    };
                    let text =
                        RichText::new(format!("{mark}  {}. {}", step.number(), step.title()))
                            .color(color);
                    let r =
                        ui.add_enabled(visited || current, egui::Button::selectable(current, text));
                    let r = r.on_hover_text(format!("{} ({state})", step.title()));
                    if r.clicked() {
                        self.go_to(step);
                    }
                }
                ui.add_space(12.0);
                ui.separator();
                ui.label(RichText::new(self.window_title()).small().weak());
            });
    }

    fn nav_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("nav").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let first = self.step == Step::Start;
                if ui
                    .add_enabled(!first, egui::Button::new("◀ Back"))
                    .on_hover_text("Alt+Left")
                    .clicked()
                {
                    self.back();
                }
                ui.label(format!(
                    "Step {} of {}",
                    self.step.number(),
                    Step::ALL.len()
                ));
                let last = self.step == Step::Review;
                if ui
                    .add_enabled(!last, egui::Button::new("Next ▶"))
                    .on_hover_text("Alt+Right")
                    .clicked()
                {
                    self.next();
                }
            });
            ui.add_space(4.0);
        });
    }

    fn step_page(&mut self, ui: &mut Ui) {
        let step = self.step;
        let findings: Vec<Finding> = self.analysis.findings.clone();
        let step_findings: Vec<&Finding> = findings.iter().filter(|f| f.step == step).collect();
        let reveal = self.revealed.contains(&step);
        widgets::step_header(
            ui,
            step.number(),
            Step::ALL.len(),
            step.title(),
            steps::intro(step),
        );
        if step != Step::Review && step != Step::Start {
            widgets::findings_summary(ui, &step_findings, reveal);
        }
        let mut form = Form {
            findings: &findings,
            touched: &mut self.touched,
            reveal_all: reveal,
            focus: &mut self.focus,
        };
        let mut ctx = steps::StepCtx {
            plan: &mut self.plan,
            knowledge: self.knowledge,
            analysis: &self.analysis,
            commands: &mut self.commands,
            ui_state: &mut self.step_ui,
            recent: &self.recent,
            jump: None,
            today: self.today,
            model: self.export_model.as_deref(),
        };
        steps::show(step, &mut ctx, &mut form, ui);
        if let Some(field) = ctx.jump.take() {
            self.go_to_field(&field);
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.dialog.clone() else {
            return;
        };
        let escape = ctx.input(|i| i.key_pressed(Key::Escape));
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            match &dialog {
                Dialog::Unsaved { then } => {
                    ui.heading("Unsaved changes");
                    ui.label("The plan has changes that are not saved. Save them first?");
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            self.commands.push(Command::Save);
                            self.commands.push((**then).clone());
                            close = true;
                        }
                        if ui.button("Don't save").clicked() {
                            self.saved_plan = self.plan.clone();
                            if **then == Command::Close {
                                self.discard_on_exit = true;
                            }
                            self.commands.push((**then).clone());
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
                Dialog::Recover {
                    saved_at,
                    source,
                    notes,
                } => {
                    ui.heading("Recover unsaved work?");
                    ui.label(format!(
                        "Upgrade Planner did not close normally. A draft autosaved at {saved_at}{} can be recovered.",
                        source
                            .as_ref()
                            .map(|s| format!(" (from {})", s.display()))
                            .unwrap_or_default()
                    ));
                    for note in notes {
                        ui.label(format!("Note: {note}."));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Recover draft").clicked() {
                            self.commands.push(Command::RecoverDraft);
                            close = true;
                        }
                        if ui.button("Discard draft").clicked() {
                            self.commands.push(Command::DiscardDraft);
                            close = true;
                        }
                    });
                }
                Dialog::Error { title, message } => {
                    ui.heading(title);
                    ui.label(message);
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                }
            }
        });
        // Esc (or a click outside) closes a dialog without acting; a recovery offer stays
        // available from the Start step.
        if close || escape || modal.should_close() {
            self.dialog = None;
            if let Some(field) = self.focus_after_dialog.take() {
                self.focus = Some(field);
            }
        }
    }

    fn handle_window(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialog = Some(Dialog::Unsaved {
                    then: Box::new(Command::Close),
                });
            } else {
                self.forget_draft();
            }
        }
        if self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Ask to close (through the unsaved-changes prompt when needed).
    fn guarded(&mut self, cmd: Command) -> bool {
        if self.is_dirty() {
            self.dialog = Some(Dialog::Unsaved {
                then: Box::new(cmd),
            });
            false
        } else {
            true
        }
    }

    pub fn run_commands(&mut self) {
        let cmds = std::mem::take(&mut self.commands);
        for cmd in cmds {
            match cmd {
                Command::New => {
                    if self.guarded(Command::New) {
                        let now = self.platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                        let plan = Plan::new(&now);
                        self.load_plan(plan.clone(), None, plan);
                        self.status = Some(("New plan".into(), Severity::Info));
                    }
                }
                Command::Open => {
                    if self.guarded(Command::Open) {
                        let dir = self.file_dir();
                        if let Some(p) = self.platform.pick_open(dir.as_deref()) {
                            self.open_path(&p);
                        }
                    }
                }
                Command::OpenPath(p) => {
                    if self.guarded(Command::OpenPath(p.clone())) {
                        self.open_path(&p);
                    }
                }
                Command::Save => match self.file.clone() {
                    Some(p) => self.save_to(&p),
                    None => self.save_as(),
                },
                Command::SaveAs => self.save_as(),
                Command::Close => {
                    if self.guarded(Command::Close) {
                        self.allow_close = true;
                        self.forget_draft();
                    }
                }
                Command::RecoverDraft => self.recover_draft(),
                Command::DiscardDraft => {
                    self.forget_draft();
                    self.status =
                        Some(("The autosaved draft was discarded".into(), Severity::Info));
                }
                Command::OpenUrl(u) => self.platform.open_url(&u),
                Command::ExportPdf { draft } => self.export_pdf(draft),
                Command::ExportJson => self.export_json(),
                Command::CopyMarkdown => {
                    if self.refuse_secrets("Markdown summary") {
                        continue;
                    }
                    let draft = self.analysis.has_errors();
                    let md = crate::export::markdown::render(&self.build_model(draft));
                    if self.platform.copy_text(&md) {
                        self.status = Some((
                            if draft {
                                "Markdown copied, marked DRAFT: the plan still has errors".into()
                            } else {
                                "Markdown summary copied to the clipboard".into()
                            },
                            if draft {
                                Severity::Warning
                            } else {
                                Severity::Info
                            },
                        ));
                    }
                }
                Command::CopyText(t) => {
                    if self.platform.copy_text(&t) {
                        self.status = Some(("Copied to the clipboard".into(), Severity::Info));
                    }
                }
            }
        }
    }

    fn open_path(&mut self, p: &Path) {
        match plan_file::load(p) {
            Ok(plan) => {
                self.load_plan(plan.clone(), Some(p.to_path_buf()), plan);
                self.remember(p);
                self.status = Some((format!("Opened {}", p.display()), Severity::Info));
            }
            Err(e) => {
                // The open plan stays as it is.
                self.dialog = Some(Dialog::Error {
                    title: "Cannot open the plan".into(),
                    message: e.to_string(),
                });
            }
        }
    }

    fn remember(&mut self, p: &Path) {
        if let Some(dir) = self.platform.data_dir()
            && let Err(e) = documents::push_recent(&dir, &mut self.recent, p)
        {
            self.status = Some((
                format!("Could not update the recent-plans list: {e}"),
                Severity::Warning,
            ));
        }
    }

    fn save_as(&mut self) {
        let dir = self.file_dir();
        let name = self
            .file
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| documents::suggested_name(&self.plan, "upgrade-plan.json"));
        if let Some(mut p) =
            self.platform
                .pick_save(dir.as_deref(), &name, ("Upgrade plan", &["json"]))
        {
            if p.extension().is_none() {
                p.set_extension("upgrade-plan.json");
            }
            self.save_to(&p);
        }
    }

    fn save_to(&mut self, path: &Path) {
        let now = self.platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        self.plan.revision += 1;
        self.plan.updated_at = Some(now.clone());
        if self.plan.created_at.is_none() {
            self.plan.created_at = Some(now);
        }
        self.plan.last_step = Some(self.step);
        let snapshot = Box::new(self.plan.clone());
        let text = plan_file::to_json(&snapshot);
        let job_path = path.to_path_buf();
        self.spawn_job(format!("Saving {}…", path.display()), move || {
            let result = catch_job_panic("saving the plan", || {
                plan_file::save_text(&job_path, text.as_bytes()).map_err(|e| e.to_string())
            });
            JobDone::Saved {
                path: job_path,
                plan: snapshot,
                result,
            }
        });
    }

    fn export_pdf(&mut self, draft: bool) {
        if self.refuse_secrets("PDF") {
            return;
        }
        if let Err(e) = crate::export::check_exportable(&self.analysis, draft) {
            self.dialog = Some(Dialog::Error {
                title: "The PDF was not exported".into(),
                message: format!(
                    "{e}. The review page lists them; click one to go to its field. To send the plan for early feedback anyway, use File > Export PDF as draft: every page is then marked DRAFT."
                ),
            });
            return;
        }
        let dir = self.file_dir();
        let name = documents::suggested_name(&self.plan, if draft { "draft.pdf" } else { "pdf" });
        let Some(path) = self
            .platform
            .pick_save(dir.as_deref(), &name, ("PDF", &["pdf"]))
        else {
            return;
        };
        let model = self.build_model(draft);
        self.run_export(&path, "PDF", move || {
            crate::export::pdf::render_pdf(&model).map_err(|e| e.to_string())
        });
    }

    fn export_json(&mut self) {
        if self.refuse_secrets("plan file") {
            return;
        }
        let dir = self.file_dir();
        let name = documents::suggested_name(&self.plan, "upgrade-plan.json");
        let Some(path) =
            self.platform
                .pick_save(dir.as_deref(), &name, ("Upgrade plan", &["json"]))
        else {
            return;
        };
        let text = crate::export::plan_json_with(&self.plan, self.step_ui.redact_hosts);
        self.run_export(&path, "plan file", move || Ok(text.into_bytes()));
    }

    /// Render and write an export off the UI thread.
    pub(crate) fn run_export(
        &mut self,
        path: &Path,
        what: &'static str,
        render: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
    ) {
        let job_path = path.to_path_buf();
        self.spawn_job(format!("Exporting {}…", path.display()), move || {
            let result = catch_job_panic(what, render).and_then(|bytes| {
                plan_file::write_atomic(&job_path, &bytes).map_err(|e| e.to_string())
            });
            JobDone::Exported {
                path: job_path,
                what,
                result,
            }
        });
    }

    /// Run `job` off the UI thread (inline in tests); its result comes back through
    /// [`Self::poll_jobs`], and the UI is woken when it is done.
    fn spawn_job(&mut self, status: String, job: impl FnOnce() -> JobDone + Send + 'static) {
        let tx = self.jobs_tx.clone();
        let repaint = self.repaint.clone();
        let run = move || {
            let _ = tx.send(job());
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        };
        self.pending_jobs += 1;
        self.status = Some((status, Severity::Info));
        if self.inline_jobs {
            run();
            self.poll_jobs();
        } else {
            std::thread::spawn(run);
        }
    }

    /// The folder of the open plan file: where file dialogs start.
    fn file_dir(&self) -> Option<PathBuf> {
        self.file
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
    }

    fn poll_jobs(&mut self) {
        while let Ok(done) = self.jobs_rx.try_recv() {
            self.pending_jobs = self.pending_jobs.saturating_sub(1);
            match done {
                JobDone::Saved { path, plan, result } => match result {
                    Ok(()) => {
                        self.saved_plan = *plan;
                        self.file = Some(path.clone());
                        self.remember(&path);
                        self.forget_draft();
                        self.status = Some((format!("Saved {}", path.display()), Severity::Info));
                    }
                    Err(e) => {
                        self.dialog = Some(Dialog::Error {
                            title: "The plan was not saved".into(),
                            message: format!(
                                "{e}\n\nYour answers are still open here; try another location."
                            ),
                        });
                        self.status = Some(("Not saved".into(), Severity::Error));
                    }
                },
                JobDone::Exported { path, what, result } => match result {
                    Ok(()) => {
                        self.status = Some((
                            format!("Exported the {what} to {}", path.display()),
                            Severity::Info,
                        ));
                    }
                    Err(e) => {
                        self.dialog = Some(Dialog::Error {
                            title: format!("The {what} was not exported"),
                            message: format!("{}: {e}", path.display()),
                        });
                    }
                },
            }
        }
    }

    /// Whether a save is still running.
    pub fn busy(&self) -> bool {
        self.pending_jobs > 0
    }

    fn recover_draft(&mut self) {
        let Some(dir) = self.platform.data_dir() else {
            return;
        };
        match draft::read(&dir) {
            Some(Ok(d)) => {
                let saved = d
                    .source
                    .as_deref()
                    .and_then(|s| plan_file::load(s).ok())
                    .unwrap_or_default();
                let file = d.source.filter(|s| s.is_file());
                self.load_plan(d.plan, file, saved);
                self.status = Some((
                    "Recovered the autosaved draft; save it to keep it".into(),
                    Severity::Info,
                ));
            }
            Some(Err(e)) => {
                self.dialog = Some(Dialog::Error {
                    title: "The draft cannot be recovered".into(),
                    message: e,
                });
            }
            None => {}
        }
    }

    /// Write the draft now (when there are unsaved changes).
    pub fn autosave_now(&mut self) {
        self.last_autosave = Instant::now();
        if !self.is_dirty() {
            return;
        }
        let Some(dir) = self.platform.data_dir() else {
            return;
        };
        let now = self.platform.now();
        let mut plan = self.plan.clone();
        plan.last_step = Some(self.step);
        if let Err(e) = draft::write(&dir, &plan, self.file.as_deref(), now) {
            self.status = Some((format!("Autosave failed: {e}"), Severity::Warning));
        }
    }

    fn forget_draft(&mut self) {
        if let Some(dir) = self.platform.data_dir() {
            draft::remove(&dir);
        }
    }

    fn autosave_tick(&mut self, ctx: &egui::Context) {
        if !self.is_dirty() {
            self.last_autosave = Instant::now();
            return;
        }
        let elapsed = self.last_autosave.elapsed();
        if elapsed >= AUTOSAVE_EVERY {
            self.autosave_now();
        } else {
            // One wake-up when the next autosave is due; no polling in between.
            ctx.request_repaint_after(AUTOSAVE_EVERY - elapsed);
        }
    }

    /// Called when the app exits.
    pub fn on_exit(&mut self) {
        if self.discard_on_exit {
            self.forget_draft();
        } else if self.is_dirty() {
            self.autosave_now();
        }
    }
}

/// Run a background job so that a bug in it (a panic) comes back as an error the user sees,
/// instead of a job that never reports and a status line stuck on "Exporting…".
fn catch_job_panic<T>(what: &str, job: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no details".into());
            Err(format!(
                "internal error while {what}: {detail}. Your plan is unchanged; please report this."
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::platform::ScriptedPlatform;

    #[test]
    fn a_panicking_export_job_is_reported_not_lost() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let platform = ScriptedPlatform {
            data_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
        let mut app =
            WizardApp::new(Box::new(platform), Knowledge::global(), today).with_inline_jobs();
        let out = dir.path().join("x.pdf");
        app.run_export(&out, "PDF", || panic!("layout bug"));
        assert_eq!(app.pending_jobs, 0, "the job was not accounted for");
        match &app.dialog {
            Some(Dialog::Error { title, message }) => {
                assert!(title.contains("PDF"), "{title}");
                assert!(message.contains("layout bug"), "{message}");
            }
            other => panic!("expected an error dialog, got {other:?}"),
        }
        assert!(!out.exists(), "nothing may be written");
    }
}
