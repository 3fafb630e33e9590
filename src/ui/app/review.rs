//! Review mode in the app shell: opening a plan as reviewer, keeping its answers read-only,
//! the review panel and the notes at the top of the steps, and saving the review into the
//! plan file (atomically, like any save, and only when the file is still the one opened).

use super::commands::catch_job_panic;
use super::*;
use crate::review;
use crate::ui::review::customer;
use crate::ui::review::panel::{self, PanelAction};

/// The status line's prefix in review mode.
const REVIEW_MODE: &str = "Review mode";

impl WizardApp {
    /// The review commands: open as reviewer (asking for the file, or a given one), save the
    /// review.
    pub(super) fn run_review_command(&mut self, cmd: Command) {
        // Opening goes through the unsaved-changes prompt first.
        match cmd {
            Command::OpenAsReviewer if self.guarded(Command::OpenAsReviewer) => {
                self.ask_file(FileAction::OpenAsReviewer);
            }
            Command::OpenPathAsReviewer(p)
                if self.guarded(Command::OpenPathAsReviewer(p.clone())) =>
            {
                self.open_as_reviewer(&p);
            }
            Command::SaveReview => self.save_review(),
            _ => {}
        }
    }

    /// Open `p` and start reviewing it; a file that cannot be opened leaves the window as it
    /// was (the error dialog says why).
    pub(super) fn open_as_reviewer(&mut self, p: &Path) {
        self.open_path(p);
        if self.file.as_deref() != Some(p) || self.dialog.is_some() {
            return;
        }
        self.review
            .start(&self.plan, &self.analysis, self.knowledge, self.today);
        self.go_to(Step::Review);
        self.status = Some((
            format!(
                "{REVIEW_MODE}: {} revision {} is read-only; write notes at the top of each step and fill in the review on the right, then Save review.",
                p.display(),
                self.plan.revision
            ),
            Severity::Info,
        ));
    }

    /// Write the review into the plan file it was opened from.
    pub(super) fn save_review(&mut self) {
        let Some(path) = self.file.clone() else {
            return;
        };
        let k = self.knowledge;
        let Some(s) = self.review.session.as_mut() else {
            return;
        };
        if let Some(problem) = s.draft.problem() {
            s.problem = Some(problem.clone());
            self.status = Some((
                format!("The review was not saved: {problem}"),
                Severity::Error,
            ));
            if let Some(then) = self.after_save.take() {
                self.status = Some((
                    format!(
                        "The review was not saved: {problem} {}.",
                        not_done_review(&then)
                    ),
                    Severity::Error,
                ));
            }
            return;
        }
        s.problem = None;
        // The revision as it is now, with the data in use: what this review read.
        let fresh = review::new_review(&s.locked, &self.analysis, k);
        let base = match s.editing.and_then(|i| s.locked.reviews.get(i)) {
            Some(r) => Review {
                answers: fresh.answers,
                computed: fresh.computed,
                data_date: fresh.data_date,
                ..r.clone()
            },
            None => fresh,
        };
        let review = s.draft.to_review(base);
        let mut plan = s.locked.clone();
        let index = match s.editing.filter(|i| *i < plan.reviews.len()) {
            Some(i) => {
                plan.reviews[i] = review;
                i
            }
            None => {
                plan.reviews.push(review);
                plan.reviews.len() - 1
            }
        };
        let draft = Box::new(s.draft.clone());
        let text = plan_file::to_json(&plan);
        let opened = Box::new(self.saved_plan.clone());
        let plan = Box::new(plan);
        let job_path = path.clone();
        self.spawn_job(
            format!("Saving the review into {}…", path.display()),
            move || {
                let result = catch_job_panic("saving the review", || {
                    still_as_opened(&job_path, &opened)?;
                    plan_file::save_text(&job_path, text.as_bytes()).map_err(|e| e.to_string())
                });
                JobDone::ReviewSaved {
                    path: job_path,
                    plan,
                    draft,
                    index,
                    result,
                }
            },
        );
    }

    /// Take in the result of saving a review.
    pub(super) fn review_saved(
        &mut self,
        path: PathBuf,
        plan: Plan,
        draft: crate::ui::review::ReviewDraft,
        index: usize,
        result: Result<(), String>,
    ) {
        match result {
            Ok(()) => {
                let verdict = plan
                    .reviews
                    .get(index)
                    .map(Review::verdict_short)
                    .unwrap_or_default();
                if let Some(s) = self.review.session.as_mut() {
                    s.locked = plan.clone();
                    s.editing = Some(index);
                    s.saved_draft = draft;
                }
                self.plan = plan.clone();
                self.saved_plan = plan;
                self.remember(&path);
                self.forget_draft();
                self.status = Some((
                    format!("Review saved into {} ({verdict})", path.display()),
                    Severity::Info,
                ));
                if let Some(then) = self.after_save.take() {
                    self.commands.push(then);
                    self.saved_before = Some(path);
                }
            }
            Err(e) => {
                let skipped = self
                    .after_save
                    .take()
                    .map(|then| format!(" {}.", not_done_review(&then)))
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Error {
                    title: "The review was not saved".into(),
                    message: format!(
                        "{e}\n\nYour review is still open here; nothing of it is lost.{skipped}"
                    ),
                });
                self.status = Some((
                    format!("Review not saved: {}", path.display()),
                    Severity::Error,
                ));
            }
        }
    }

    /// In review mode the answers cannot change: whatever changed them is undone.
    pub(super) fn guard_review(&mut self) {
        let Some(s) = &self.review.session else {
            return;
        };
        if self.plan != s.locked {
            self.plan = s.locked.clone();
            self.status = Some((
                format!(
                    "{REVIEW_MODE}: the plan's answers cannot be changed; write a note instead."
                ),
                Severity::Warning,
            ));
        }
    }

    /// The review panel on the right, in review mode.
    pub(super) fn review_panel(&mut self, ui: &mut Ui) {
        if !self.review.active() {
            return;
        }
        let previous = self
            .review
            .status(&self.plan, self.knowledge, &self.analysis, self.today)
            .cloned();
        let plan = &self.plan;
        let Some(s) = self.review.session.as_mut() else {
            return;
        };
        // Narrower in a narrow window: the step page keeps most of the room.
        let width = panel::WIDTH.min(ui.available_width() * 0.38);
        let action = egui::Panel::right("review")
            .resizable(false)
            .exact_size(width)
            .show(ui, |ui| {
                let save = egui::Panel::bottom("review-save")
                    .show(ui, |ui| panel::footer(ui, s))
                    .inner;
                let body = egui::ScrollArea::vertical()
                    .id_salt("review-panel")
                    .auto_shrink([false, false])
                    .show(ui, |ui| panel::body(ui, s, plan, previous.as_ref()))
                    .inner;
                save.or(body)
            })
            .inner;
        match action {
            Some(PanelAction::Save) => self.commands.push(Command::SaveReview),
            Some(PanelAction::GoTo(step)) => self.go_to(step),
            None => {}
        }
    }

    /// What a reviewed plan shows at the top of a step: the reviewer's note (a box to write
    /// it in, in review mode), and on Start and Review the verdict and the changes since.
    pub(super) fn review_top(&mut self, ui: &mut Ui, step: Step) {
        let status = self
            .review
            .status(&self.plan, self.knowledge, &self.analysis, self.today)
            .cloned();
        let notes_here = !matches!(step, Step::Start | Step::Review);
        if let Some(s) = self.review.session.as_mut() {
            if notes_here {
                let mut text = s.draft.notes.get(&step).cloned().unwrap_or_default();
                customer::note_editor(ui, step, &mut text);
                if text.is_empty() {
                    s.draft.notes.remove(&step);
                } else {
                    s.draft.notes.insert(step, text);
                }
            }
        } else if let Some(note) = review::latest(&self.plan).and_then(|r| r.note_on(step)) {
            customer::note_box(ui, note, status.as_ref());
        }
        if !notes_here && let Some(st) = &status {
            customer::banner(ui, st);
        }
    }

    /// Under the stepper: review mode, or the latest review's verdict.
    pub(super) fn review_footer(&mut self, ui: &mut Ui) {
        if self.review.active() {
            ui.label(
                RichText::new("REVIEW MODE: answers read-only")
                    .small()
                    .strong()
                    .color(widgets::warning_color(ui)),
            );
        }
        let Some(st) = self
            .review
            .status(&self.plan, self.knowledge, &self.analysis, self.today)
            .cloned()
        else {
            return;
        };
        let color = customer::verdict_color(ui, &st.verdict);
        ui.label(
            RichText::new(format!(
                "Reviewed (revision {}): {}",
                st.reviewed_revision, st.verdict_label
            ))
            .small()
            .color(color),
        );
        if st.changed_since_review {
            ui.label(
                RichText::new("changed since review")
                    .small()
                    .color(widgets::warning_color(ui)),
            );
        }
    }
}

/// Refuse to write over a plan file that changed since it was opened (the customer sent a
/// new revision meanwhile, say): the review would replace it with the old one.
fn still_as_opened(path: &Path, opened: &Plan) -> Result<(), String> {
    match plan_file::load(path) {
        Ok(on_disk) if on_disk == *opened => Ok(()),
        Ok(on_disk) => Err(format!(
            "{} changed since it was opened (it is now revision {}); nothing was written. Open it as reviewer again to review what it holds now.",
            path.display(),
            on_disk.revision
        )),
        Err(e) if matches!(&e.kind, plan_file::PlanFileErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound) => {
            Ok(())
        }
        Err(e) => Err(format!(
            "{e}; the file cannot be read back, so nothing was written over it."
        )),
    }
}

/// What did not happen because the review was not saved.
fn not_done_review(then: &Command) -> String {
    match then {
        Command::New => "No new plan was started".into(),
        Command::Open | Command::OpenAsReviewer => "No other plan was opened".into(),
        Command::OpenPath(p) | Command::OpenPathAsReviewer(p) => {
            format!("{} was not opened", p.display())
        }
        Command::Close => "The window stays open".into(),
        other => format!("{other:?} was not done"),
    }
}
