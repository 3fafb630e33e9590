//! The commands that run after the frame: open, save, export, recover, autosave, and the
//! background jobs that write files.

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

    pub(super) fn save_as(&mut self) {
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

    pub(super) fn save_to(&mut self, path: &Path) {
        let now = self.platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        self.plan.revision = self.plan.next_revision();
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

    pub(super) fn export_json(&mut self) {
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
        plan.last_step = Some(self.step);
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
