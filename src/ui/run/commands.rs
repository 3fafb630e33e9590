//! Run mode's commands, run after the frame: they change the run log in the open plan and
//! write the plan file at once (atomically, the previous version kept as `.bak`).

use super::{RunCommand, RunView};
use crate::export::{ExportMeta, ExportModel};
use crate::run::{self, RunKind, Sheet, StepStatus, store};
use crate::ui::app::{Dialog, WizardApp};
use crate::validate::Severity;

impl WizardApp {
    /// Handle one run-mode command.
    pub(crate) fn run_command(&mut self, c: RunCommand) {
        match c {
            RunCommand::Enter => self.enter_run_mode(None),
            RunCommand::Window(w) => self.enter_run_mode(Some(w)),
            RunCommand::Leave => {
                self.run.view = None;
                self.status = Some((
                    "Back in the wizard; the run log is in the plan file.".into(),
                    Severity::Info,
                ));
            }
            RunCommand::Start(kind) => self.start_run(kind),
            RunCommand::Done(step) => self.mark_step(&step, StepStatus::Done),
            RunCommand::Skip(step) => self.mark_step(&step, StepStatus::Skipped),
            RunCommand::Fail(step) => self.mark_step(&step, StepStatus::Failed),
            RunCommand::Reopen(step) => self.mark_step(&step, StepStatus::Reopened),
            RunCommand::ReadGate(section) => self.read_gate(&section),
            RunCommand::OverrideGate(section) => self.override_gate(&section),
            RunCommand::StartRollback => self.start_rollback(),
            RunCommand::Finish => self.finish_run(),
            RunCommand::View(i) => {
                if self.plan.runs.get(i).is_some()
                    && let Some(v) = self.view()
                {
                    v.run = Some(i);
                }
            }
            RunCommand::TakeTimings => self.take_timings(),
            RunCommand::CopyReport => self.copy_report(),
        }
    }

    fn model_now(&self) -> ExportModel {
        ExportModel::build(
            &self.plan,
            self.knowledge,
            &self.analysis,
            ExportMeta::new(self.run.clock.now()),
        )
    }

    /// Open run mode on window `window` (default: the first not finished). The plan must be
    /// saved in a file: the log is written into it.
    fn enter_run_mode(&mut self, window: Option<usize>) {
        let refuse = |app: &mut WizardApp, message: &str| {
            app.dialog = Some(Dialog::Error {
                title: "Run mode did not open".into(),
                message: message.to_string(),
            });
        };
        if self.file.is_none() {
            refuse(
                self,
                "Save the plan to a file first (File > Save): run mode writes its log into the plan file as you go.",
            );
            return;
        }
        if self.is_dirty() {
            refuse(
                self,
                "The plan has unsaved changes: save it first (File > Save). Run mode writes its log into the plan file as you go, and must not write unsaved answers with it.",
            );
            return;
        }
        let model = self.model_now();
        let count = model.windows.len();
        let window = window.unwrap_or_else(|| store::window_to_run(&self.plan, count));
        let Some(sheet) = Sheet::build(&self.plan, &self.analysis, &model, window) else {
            refuse(
                self,
                "This plan has no runbook yet: the current and target versions must give an upgrade path.",
            );
            return;
        };
        let run = u32::try_from(window)
            .ok()
            .and_then(|w| store::open_run(&self.plan, w));
        self.run.view = Some(Box::new(RunView::new(sheet, run)));
        self.status = None;
    }

    fn view(&mut self) -> Option<&mut RunView> {
        self.run.view.as_deref_mut()
    }

    fn say(&mut self, message: String, severity: Severity) {
        if let Some(v) = self.view() {
            v.message = Some((message, severity));
        }
    }

    /// Write the plan with its run log; keep it in memory and say so when that fails.
    fn save_log(&mut self) -> bool {
        let Some(file) = self.file.clone() else {
            return false;
        };
        match store::save(&file, &self.plan) {
            Ok(()) => {
                self.saved_plan = self.plan.clone();
                if let Some(v) = self.view() {
                    v.unsaved = false;
                }
                true
            }
            Err(e) => {
                if let Some(v) = self.view() {
                    v.unsaved = true;
                }
                self.say(
                    format!(
                        "The run log could not be written: {e}. It is kept here; the next action tries again."
                    ),
                    Severity::Error,
                );
                false
            }
        }
    }

    /// Write the log; once written, say `message`.
    fn save_and_say(&mut self, message: String, severity: Severity) {
        if self.save_log() {
            self.say(message, severity);
        }
    }

    fn start_run(&mut self, kind: RunKind) {
        let now = self.run.clock.now();
        let Some(view) = self.run.view.as_deref() else {
            return;
        };
        let (window, start) = (view.sheet.window, view.sheet.start_version.clone());
        let w = u32::try_from(window).unwrap_or(u32::MAX);
        let i = store::open_or_start(&mut self.plan, w, kind, now);
        if let Some(r) = self.plan.runs.get_mut(i) {
            r.start_version.get_or_insert(start);
        }
        if let Some(v) = self.view() {
            v.run = Some(i);
        }
        if self.save_log() {
            self.say(
                format!("{} started; every tick is saved.", kind.label()),
                Severity::Info,
            );
        }
    }

    /// The open run and the checklist, to change the run.
    fn with_run<T>(
        &mut self,
        f: impl FnOnce(&Sheet, &mut run::Run, &mut RunView, chrono::DateTime<chrono::Utc>) -> T,
    ) -> Option<T> {
        let now = self.run.clock.now();
        let view = self.run.view.as_deref_mut()?;
        let run = self.plan.runs.get_mut(view.run?)?;
        let sheet = view.sheet.clone();
        Some(f(&sheet, run, view, now))
    }

    fn mark_step(&mut self, step: &str, status: StepStatus) {
        let done = self.with_run(|sheet, run, view, now| {
            let note = view.notes.get(step).cloned().unwrap_or_default();
            let result = run::mark(sheet, run, step, status, &note, now);
            if result.is_ok() {
                view.scroll_to_current = status == StepStatus::Done;
                view.notes.remove(step);
                if view.note_open.as_ref().is_some_and(|(s, _)| s == step) {
                    view.note_open = None;
                }
            }
            result.map(|()| sheet.local(now))
        });
        match done {
            Some(Ok(at)) => {
                self.save_and_say(format!("Step {} at {at}.", status.label()), Severity::Info);
            }
            Some(Err(e)) => self.say(format!("Not recorded: {e}."), Severity::Error),
            None => {}
        }
    }

    fn read_gate(&mut self, section: &str) {
        let result = self.with_run(|sheet, run, view, now| {
            let paste = view.gate_text.get(section).cloned().unwrap_or_default();
            let r = run::read_gate(sheet, run, section, &paste, now)
                .map_err(|e| format!("The outputs could not be read: {e}."));
            view.gate_results.insert(section.to_string(), r.clone());
            view.scroll_to_current = r.as_ref().is_ok_and(crate::run::gate::GateResult::go);
            r
        });
        match result {
            Some(Ok(r)) if r.go() => {
                self.save_and_say("Gate: GO. The next step may start.".into(), Severity::Info);
            }
            Some(Ok(r)) => self.save_and_say(
                format!("Gate: NO-GO ({} reason(s)).", r.reasons.len()),
                Severity::Error,
            ),
            Some(Err(e)) => self.say(e, Severity::Error),
            None => {}
        }
    }

    fn override_gate(&mut self, section: &str) {
        let result = self.with_run(|sheet, run, view, now| {
            let reason = view.override_text.get(section).cloned().unwrap_or_default();
            run::override_gate(sheet, run, section, &reason, now)
        });
        match result {
            Some(Ok(())) => self.save_and_say(
                "The gate was passed without a go; the report lists it.".into(),
                Severity::Warning,
            ),
            Some(Err(e)) => self.say(format!("Not recorded: {e}."), Severity::Error),
            None => {}
        }
    }

    fn start_rollback(&mut self) {
        let result = self.with_run(|sheet, run, view, now| {
            let reason = view.rollback_reason.clone();
            run::start_rollback(sheet, run, &reason, now)
        });
        match result {
            Some(Ok(())) => self.save_and_say(
                "Rollback started: follow the rollback steps, then close the run.".into(),
                Severity::Warning,
            ),
            Some(Err(e)) => self.say(format!("Not recorded: {e}."), Severity::Error),
            None => {}
        }
    }

    fn finish_run(&mut self) {
        if self
            .with_run(|_, run, _, now| run::finish(run, now))
            .is_some()
            && self.save_log()
        {
            self.say("The run is closed.".into(), Severity::Info);
        }
    }

    fn take_timings(&mut self) {
        let model = self.model_now();
        let timings = run::rehearsal::timings(&self.plan, &self.analysis, &model);
        if timings.is_empty() {
            self.say(
                "No rehearsal hop is finished yet: there is no time to take.".into(),
                Severity::Warning,
            );
            return;
        }
        let changes = run::rehearsal::apply(&mut self.plan, &timings);
        if changes.is_empty() {
            self.say(
                "The plan's estimates already are this rehearsal's times.".into(),
                Severity::Info,
            );
            return;
        }
        let list: Vec<String> = timings
            .iter()
            .map(|t| format!("{} {}", t.minor, crate::export::hours(t.hours)))
            .collect();
        // New estimates are a new revision of the plan; written here, at once, like the log.
        self.plan.revision = self.plan.next_revision();
        self.plan.updated_at = Some(self.platform.now().format("%Y-%m-%dT%H:%M:%SZ").to_string());
        self.save_and_say(
            format!(
                "{} of the plan's hop estimates now come from this rehearsal ({}); the plan is saved as revision {}.",
                changes.len(),
                list.join(", "),
                self.plan.revision
            ),
            Severity::Info,
        );
    }

    fn copy_report(&mut self) {
        let model = self.model_now();
        match run::report::Report::build(&self.plan, &self.analysis, &model) {
            Ok(report) => {
                let text = run::report::markdown::render(&report);
                let copied = self.platform.copy_text(&text);
                self.say(
                    if copied {
                        "The report is on the clipboard (Markdown, for the ticket).".into()
                    } else {
                        "The clipboard could not be used.".into()
                    },
                    if copied {
                        Severity::Info
                    } else {
                        Severity::Error
                    },
                );
            }
            Err(e) => self.say(format!("No report: {e}."), Severity::Error),
        }
    }
}
