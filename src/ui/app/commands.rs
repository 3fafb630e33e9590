//! The commands that run after the frame: open, save, export, recover, autosave, and the
//! background jobs that write files.

use super::file_chooser::{ChooserMode, ChooserRequest, Entry, FileChooser, FileFilter};
use super::*;

impl WizardApp {
    /// Ask to close (through the unsaved-changes prompt when needed).
    pub(super) fn guarded(&mut self, cmd: Command) -> bool {
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
        // These commands follow a save: the status line says both.
        let saved_before = if cmds.is_empty() {
            None
        } else {
            self.saved_before.take()
        };
        self.run_each(cmds);
        if let Some(path) = saved_before
            && let Some((msg, Severity::Info)) = &self.status
        {
            self.status = Some((format!("Saved {}. {msg}", path.display()), Severity::Info));
        }
    }

    fn run_each(&mut self, cmds: Vec<Command>) {
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
                        self.ask_file(FileAction::Open);
                    }
                }
                Command::OpenPath(p) => {
                    if self.guarded(Command::OpenPath(p.clone())) {
                        self.open_path(&p);
                    }
                }
                Command::Save => self.save(),
                Command::SaveAs if self.review.active() => {
                    self.status = Some((
                        "Review mode: the review is saved into the plan file it was opened from (Save review)".into(),
                        Severity::Warning,
                    ));
                }
                Command::SaveAs => self.ask_file(FileAction::Save),
                Command::SaveThen(then) => {
                    self.after_save = Some(*then);
                    self.save();
                }
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
                Command::Run(c) => self.run_command(c),
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
                Command::OpenAsReviewer | Command::OpenPathAsReviewer(_) | Command::SaveReview => {
                    self.run_review_command(cmd);
                }
                Command::CopyText(t) => {
                    if self.platform.copy_text(&t) {
                        self.status = Some(("Copied to the clipboard".into(), Severity::Info));
                    }
                }
            }
        }
    }

    pub(super) fn open_path(&mut self, p: &Path) {
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

    pub(super) fn remember(&mut self, p: &Path) {
        if let Some(dir) = self.platform.data_dir()
            && let Err(e) = documents::push_recent(&dir, &mut self.recent, p)
        {
            self.status = Some((
                format!("Could not update the recent-plans list: {e}"),
                Severity::Warning,
            ));
        }
    }

    /// Save to the plan's file, or ask where when it has none. In review mode: save the
    /// review.
    fn save(&mut self) {
        if self.review.active() {
            self.save_review();
            return;
        }
        match self.file.clone() {
            Some(p) => self.save_to(&p),
            None => self.ask_file(FileAction::Save),
        }
    }

    /// Ask for a file for `action`: through the system dialog, or the built-in chooser when
    /// the user prefers it or the system dialog is not available or fails. A chosen file goes
    /// on to [`Self::file_chosen`], at once or when the chooser confirms.
    pub(super) fn ask_file(&mut self, action: FileAction) {
        let spec = self.file_spec(action);
        if self.use_builtin_chooser {
            self.open_chooser(action, spec, None);
            return;
        }
        let dir = self.file_dir();
        let picked = match spec.mode {
            ChooserMode::Open => self.platform.pick_open(dir.as_deref()),
            ChooserMode::Save => {
                let exts: Vec<&str> = spec.filter.extensions.iter().map(String::as_str).collect();
                self.platform
                    .pick_save(dir.as_deref(), &spec.name, (&spec.filter.name, &exts))
            }
        };
        match picked {
            Picked::Path(p) => self.file_chosen(action, p),
            Picked::Cancelled => self.file_not_chosen(action, "the file dialog was cancelled"),
            Picked::Unavailable(why) => {
                let note = format!(
                    "The system file dialog is not available: {why}; choose the file here."
                );
                self.open_chooser(action, spec, Some(note));
            }
            Picked::Failed(why) => {
                let note = format!("The system file dialog failed: {why}; choose the file here.");
                self.open_chooser(action, spec, Some(note));
            }
        }
    }

    /// Title, suggested name and filter of the file asked for.
    fn file_spec(&self, action: FileAction) -> FileSpec {
        let suggested = |ext: &str| documents::suggested_name(&self.plan, ext);
        let plan_filter = FileFilter::new("Upgrade plan", &["json"]);
        match action {
            FileAction::Open => FileSpec {
                mode: ChooserMode::Open,
                title: "Open a plan",
                name: String::new(),
                filter: plan_filter,
                default_extension: None,
            },
            FileAction::OpenAsReviewer => FileSpec {
                mode: ChooserMode::Open,
                title: "Open a plan to review",
                name: String::new(),
                filter: plan_filter,
                default_extension: None,
            },
            FileAction::Save => FileSpec {
                mode: ChooserMode::Save,
                title: "Save the plan",
                name: self
                    .file
                    .as_deref()
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| suggested("upgrade-plan.json")),
                filter: plan_filter,
                default_extension: Some("upgrade-plan.json"),
            },
            FileAction::ExportPdf { draft } => FileSpec {
                mode: ChooserMode::Save,
                title: if draft {
                    "Export the PDF as a draft"
                } else {
                    "Export the PDF"
                },
                name: suggested(if draft { "draft.pdf" } else { "pdf" }),
                filter: FileFilter::new("PDF", &["pdf"]),
                default_extension: Some("pdf"),
            },
            FileAction::ExportJson => FileSpec {
                mode: ChooserMode::Save,
                title: "Export the plan file (JSON)",
                name: suggested("upgrade-plan.json"),
                filter: plan_filter,
                default_extension: Some("upgrade-plan.json"),
            },
        }
    }

    /// Open the built-in chooser for `action`, with `note` saying why when it replaces the
    /// system dialog.
    fn open_chooser(&mut self, action: FileAction, spec: FileSpec, note: Option<String>) {
        let home = self.platform.home_dir();
        let plan_folder = self.file_dir();
        let start = plan_folder
            .clone()
            .or_else(|| self.last_chooser_dir.clone())
            .or_else(|| home.clone())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut chooser = FileChooser::new(spec.mode, spec.title, start, spec.filter);
        chooser.note = note;
        if matches!(
            action,
            FileAction::ExportPdf { .. } | FileAction::ExportJson
        ) {
            chooser.confirm_label = "Export".into();
        }
        chooser.default_extension = spec.default_extension.map(str::to_string);
        chooser.file_name = spec.name;
        chooser.home = home;
        chooser.plan_folder = plan_folder;
        self.chooser = Some(ActiveChooser { chooser, action });
    }

    /// A file was chosen for `action` (by either dialog): carry the action out.
    fn file_chosen(&mut self, action: FileAction, mut path: PathBuf) {
        match action {
            FileAction::Open => self.open_path(&path),
            FileAction::OpenAsReviewer => self.open_as_reviewer(&path),
            FileAction::Save => {
                if path.extension().is_none() {
                    path.set_extension("upgrade-plan.json");
                }
                self.save_to(&path);
            }
            FileAction::ExportPdf { draft } => self.write_pdf(&path, draft),
            FileAction::ExportJson => self.write_json(&path),
        }
    }

    /// No file was chosen for `action`. A user's cancel needs no message, unless a command was
    /// waiting for the save: then say that it did not run.
    fn file_not_chosen(&mut self, action: FileAction, reason: &str) {
        if action == FileAction::Save
            && let Some(then) = self.after_save.take()
        {
            self.status = Some((
                format!(
                    "Not saved: {reason}. {}; the plan keeps its unsaved changes.",
                    not_done(&then)
                ),
                Severity::Warning,
            ));
        }
    }

    /// Carry out what the built-in chooser asked for during the frame: list a folder, look at
    /// the confirmed path, or finish.
    pub(super) fn run_chooser_requests(&mut self) {
        // A confirmed folder turns into a listing request: a few rounds at most.
        for _ in 0..4 {
            let Some(active) = self.chooser.as_mut() else {
                return;
            };
            let Some(request) = active.chooser.request.take() else {
                return;
            };
            match request {
                ChooserRequest::List(dir) => {
                    let listing = read_folder(&dir);
                    active.chooser.set_listing(dir, listing);
                }
                ChooserRequest::Confirm(path) => match inspect_target(active.chooser.mode, &path) {
                    Target::Usable => self.chooser_done(path),
                    Target::Folder => active.chooser.request = Some(ChooserRequest::List(path)),
                    Target::Exists => active.chooser.ask_overwrite(path),
                    Target::Problem(message) => active.chooser.show_error(message),
                },
                ChooserRequest::Replace(path) => self.chooser_done(path),
                ChooserRequest::Cancel => {
                    let action = active.action;
                    self.chooser = None;
                    self.file_not_chosen(action, "the file chooser was closed");
                }
            }
        }
    }

    fn chooser_done(&mut self, path: PathBuf) {
        if let Some(active) = self.chooser.take() {
            self.last_chooser_dir = path.parent().map(Path::to_path_buf);
            self.file_chosen(active.action, path);
        }
    }

    pub(super) fn save_to(&mut self, path: &Path) {
        let now = self.platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        self.plan.revision = self.plan.next_revision();
        self.plan.updated_at = Some(now.clone());
        if self.plan.created_at.is_none() {
            self.plan.created_at = Some(now);
        }
        self.plan.last_step = Some(self.step.into());
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

    pub(super) fn export_pdf(&mut self, draft: bool) {
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
        self.ask_file(FileAction::ExportPdf { draft });
    }

    fn write_pdf(&mut self, path: &Path, draft: bool) {
        let model = self.build_model(draft);
        self.run_export(path, "PDF", move || {
            crate::export::pdf::render_pdf(&model).map_err(|e| e.to_string())
        });
    }

    pub(super) fn export_json(&mut self) {
        if self.refuse_secrets("plan file") {
            return;
        }
        self.ask_file(FileAction::ExportJson);
    }

    fn write_json(&mut self, path: &Path) {
        let text = crate::export::plan_json_with(&self.plan, self.step_ui.redact_hosts);
        self.run_export(path, "plan file", move || Ok(text.into_bytes()));
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
    pub(super) fn spawn_job(
        &mut self,
        status: String,
        job: impl FnOnce() -> JobDone + Send + 'static,
    ) {
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
    pub(super) fn file_dir(&self) -> Option<PathBuf> {
        self.file
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
    }

    pub(super) fn poll_jobs(&mut self) {
        while let Ok(done) = self.jobs_rx.try_recv() {
            self.job_done(done);
        }
    }

    /// Wait up to `timeout` for the background jobs still running and handle their results
    /// (a save's continuation is then queued). Returns false when some did not finish in time.
    pub fn wait_for_jobs(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.pending_jobs > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.jobs_rx.recv_timeout(left) {
                Ok(done) => self.job_done(done),
                Err(_) => return false,
            }
        }
        true
    }

    /// Take in the result of a background job.
    fn job_done(&mut self, done: JobDone) {
        self.pending_jobs = self.pending_jobs.saturating_sub(1);
        match done {
            JobDone::Saved { path, plan, result } => match result {
                Ok(()) => {
                    self.saved_plan = *plan;
                    self.file = Some(path.clone());
                    self.remember(&path);
                    self.forget_draft();
                    self.status = Some((format!("Saved {}", path.display()), Severity::Info));
                    // The prompt's Save: now that the plan is written, do what was asked.
                    if let Some(then) = self.after_save.take() {
                        self.commands.push(then);
                        self.saved_before = Some(path);
                    }
                }
                Err(e) => {
                    let skipped = self
                        .after_save
                        .take()
                        .map(|then| format!(" {}.", not_done(&then)))
                        .unwrap_or_default();
                    self.dialog = Some(Dialog::Error {
                        title: "The plan was not saved".into(),
                        message: format!(
                            "{e}\n\nYour answers are still open here; try another location.{skipped}"
                        ),
                    });
                    self.status = Some((format!("Not saved: {}", path.display()), Severity::Error));
                }
            },
            JobDone::ReviewSaved {
                path,
                plan,
                draft,
                index,
                result,
            } => self.review_saved(path, *plan, *draft, index, result),
            JobDone::Exported { path, what, result } => match result {
                Ok(()) => {
                    self.status = Some((
                        format!("Exported the {what} to {}", path.display()),
                        Severity::Info,
                    ));
                }
                Err(e) => {
                    let shown = path.display().to_string();
                    // Name the file once: write errors already start with it.
                    let message = if e.contains(&shown) {
                        e
                    } else {
                        format!("{shown}: {e}")
                    };
                    self.dialog = Some(Dialog::Error {
                        title: format!("The {what} was not exported"),
                        message,
                    });
                    self.status = Some((format!("Not exported: {shown}"), Severity::Error));
                }
            },
        }
    }

    /// Whether a save is still running.
    pub fn busy(&self) -> bool {
        self.pending_jobs > 0
    }

    pub(super) fn recover_draft(&mut self) {
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
        plan.last_step = Some(self.step.into());
        if let Err(e) = draft::write(&dir, &plan, self.file.as_deref(), now) {
            self.status = Some((format!("Autosave failed: {e}"), Severity::Warning));
        }
    }

    pub(super) fn forget_draft(&mut self) {
        if let Some(dir) = self.platform.data_dir() {
            draft::remove(&dir);
        }
    }

    pub(super) fn autosave_tick(&mut self, ctx: &egui::Context) {
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

/// What [`WizardApp::file_spec`] gives the file dialogs.
struct FileSpec {
    mode: ChooserMode,
    title: &'static str,
    /// The suggested file name (saving).
    name: String,
    filter: FileFilter,
    default_extension: Option<&'static str>,
}

/// What did not happen because a save did not: the command the unsaved-changes prompt held.
fn not_done(then: &Command) -> String {
    match then {
        Command::New => "No new plan was started".into(),
        Command::Open => "No other plan was opened".into(),
        Command::OpenPath(p) => format!("{} was not opened", p.display()),
        Command::Close => "The window stays open".into(),
        other => format!("{other:?} was not done"),
    }
}

/// Read a folder for the built-in chooser. Entries that cannot be read are left out.
fn read_folder(dir: &Path) -> Result<Vec<Entry>, String> {
    let shown = dir.display();
    let items = std::fs::read_dir(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("The folder {shown} does not exist."),
        std::io::ErrorKind::PermissionDenied => {
            format!("The folder {shown} cannot be read: permission denied.")
        }
        std::io::ErrorKind::NotADirectory => format!("{shown} is a file, not a folder."),
        _ => format!("The folder {shown} cannot be read: {e}."),
    })?;
    Ok(items
        .flatten()
        .map(|item| {
            let path = item.path();
            // Follow links: a link to a folder is listed as a folder.
            let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
            Entry {
                name: item.file_name().to_string_lossy().into_owned(),
                path,
                is_dir,
            }
        })
        .collect())
}

/// What a path confirmed in the built-in chooser turned out to be.
enum Target {
    /// Open it, or write it.
    Usable,
    /// A folder: go into it.
    Folder,
    /// An existing file to save over: ask first.
    Exists,
    /// Not usable; the message says why and names it.
    Problem(String),
}

fn inspect_target(mode: ChooserMode, path: &Path) -> Target {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Target::Folder,
        Ok(_) if mode == ChooserMode::Open => Target::Usable,
        Ok(_) => Target::Exists,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match mode {
            ChooserMode::Open => Target::Problem(format!("{shown} does not exist.")),
            ChooserMode::Save => inspect_folder_of(path),
        },
        Err(e) => Target::Problem(format!("{shown} cannot be used: {e}.")),
    }
}

/// A new file can be written only into an existing folder.
fn inspect_folder_of(path: &Path) -> Target {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Target::Usable;
    };
    let (shown, folder) = (path.display(), dir.display());
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Target::Usable,
        Ok(_) => Target::Problem(format!(
            "{shown} cannot be written: {folder} is a file, not a folder."
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Target::Problem(format!(
            "{shown} cannot be written: the folder {folder} does not exist."
        )),
        Err(e) => Target::Problem(format!(
            "{shown} cannot be written: the folder {folder} cannot be read ({e})."
        )),
    }
}

/// Run a background job so that a bug in it (a panic) comes back as an error the user sees,
/// instead of a job that never reports and a status line stuck on "Exporting…".
pub(super) fn catch_job_panic<T>(
    what: &str,
    job: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
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
    pub(super) fn a_panicking_export_job_is_reported_not_lost() {
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
