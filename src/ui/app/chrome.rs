//! The parts of the frame around a step: shortcuts, menu, status bar, stepper, Back/Next,
//! the step page and the modal dialogs.

use super::*;

impl WizardApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.chooser.is_some() {
            // The built-in file chooser has the keyboard (and already serves a file command).
            return;
        }
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

    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| self.file_menu(ui));
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

    fn file_menu(&mut self, ui: &mut Ui) {
        if ui.button("New plan  (Ctrl+N)").clicked() {
            self.commands.push(Command::New);
        }
        if ui.button("Open…  (Ctrl+O)").clicked() {
            self.commands.push(Command::Open);
        }
        if ui
            .button("Open as reviewer…")
            .on_hover_text(
                "GitLab Support: read a plan without changing it, and write the review into it",
            )
            .clicked()
        {
            self.commands.push(Command::OpenAsReviewer);
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
        ui.checkbox(&mut self.use_builtin_chooser, "Use the built-in file chooser")
            .on_hover_text(
                "Choose files in Upgrade Planner's own chooser instead of the system's file dialog (for this session)",
            );
        ui.separator();
        if ui.button("Quit").clicked() {
            self.commands.push(Command::Close);
        }
    }

    pub fn set_theme(&mut self, ctx: &egui::Context, t: ThemeChoice) {
        self.theme = t;
        ctx.set_theme(match t {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        let message = match &self.status {
            Some((msg, sev)) => RichText::new(msg).color(widgets::severity_color(ui, *sev)),
            None => RichText::new(format!(
                "{} error(s), {} warning(s) in the plan",
                self.analysis.count(Severity::Error),
                self.analysis.count(Severity::Warning)
            )),
        };
        let (data, hover) = match &self.data_behind {
            None => (
                RichText::new(self.knowledge.data_summary()).weak().small(),
                None,
            ),
            Some((short, message)) => (
                RichText::new(short.as_str())
                    .color(widgets::warning_color(ui))
                    .small(),
                Some(message.as_str()),
            ),
        };
        let data_label = move |ui: &mut Ui, wrap: bool| {
            let label = egui::Label::new(data);
            let r = ui.add(if wrap { label.wrap() } else { label });
            if let Some(h) = hover {
                r.on_hover_text(h);
            }
        };
        egui::Panel::bottom("status").show(ui, |ui| {
            // Side by side when there is room; otherwise one under the other, the message
            // wrapped: a message is never cut off at the window's edge.
            if ui.available_width() >= 900.0 {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    data_label(ui, false);
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(message).wrap());
                    });
                });
            } else {
                ui.add(egui::Label::new(message).wrap());
                data_label(ui, true);
            }
        });
    }

    pub(super) fn stepper(&mut self, ui: &mut Ui) {
        egui::Panel::left("stepper")
            .resizable(false)
            .exact_size(230.0)
            .show(ui, |ui| {
                ui.add_space(8.0);
                ui.heading("Upgrade plan");
                ui.add_space(8.0);
                for step in Step::ALL {
                    // Review stands for the whole plan: its mark is the plan's state.
                    let findings = if step == Step::Review {
                        self.analysis.findings.iter().collect()
                    } else {
                        self.step_findings(step)
                    };
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
                    // A step with a reviewer's note on it carries a pen.
                    let noted = self.review.note_on(&self.plan, step).is_some();
                    let text = RichText::new(format!(
                        "{mark}  {}. {}{}",
                        step.number(),
                        step.title(),
                        if noted { "  ✎" } else { "" }
                    ))
                    .color(color);
                    let r =
                        ui.add_enabled(visited || current, egui::Button::selectable(current, text));
                    let r = r.on_hover_text(format!(
                        "{} ({state}{})",
                        step.title(),
                        if noted { "; a reviewer's note" } else { "" }
                    ));
                    if r.clicked() {
                        self.go_to(step);
                    }
                }
                ui.add_space(12.0);
                ui.separator();
                ui.label(RichText::new(self.window_title()).small().weak());
                self.review_footer(ui);
            });
    }

    pub(super) fn nav_bar(&mut self, ui: &mut Ui) {
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

    pub(super) fn step_page(&mut self, ui: &mut Ui) {
        // Analysed before the frame; the step may have changed since (stepper, Back, Next).
        self.ensure_export_model();
        let step = self.step;
        widgets::step_header(
            ui,
            step.number(),
            Step::ALL.len(),
            step.title(),
            steps::intro(step),
        );
        self.review_top(ui, step);
        // Review mode: the answers are read-only (the Review page only reads them).
        let read_only = self.review.active() && step != Step::Review;
        let findings: &[Finding] = &self.analysis.findings;
        let step_findings: Vec<&Finding> = findings.iter().filter(|f| f.step == step).collect();
        let reveal = self.revealed.contains(&step);
        let mut form = Form {
            findings,
            touched: &mut self.touched,
            reveal_all: reveal,
            focus: &mut self.focus,
            focus_first: &mut self.focus_first,
            auto_focused: &mut self.auto_focused,
            drafts: &mut self.drafts,
            knowledge: self.knowledge,
        };
        if step != Step::Review && step != Step::Start {
            widgets::findings_summary(ui, &form, &step_findings);
        }
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
        ui.add_enabled_ui(!read_only, |ui| steps::show(step, &mut ctx, &mut form, ui));
        // A focus request for a field this step did not draw (hidden by an answer) is dropped,
        // so it cannot jump at the user later.
        *form.focus = None;
        *form.focus_first = false;
        if let Some(field) = ctx.jump.take() {
            self.go_to_field(&field);
        }
    }

    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
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
                            // The pending command runs only once the save has succeeded.
                            self.commands.push(Command::SaveThen(then.clone()));
                            close = true;
                        }
                        if ui.button("Don't save").clicked() {
                            self.saved_plan = self.plan.clone();
                            self.review.discard();
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

    /// Draw the built-in file chooser, when open (under any dialog: one modal at a time).
    pub(super) fn chooser_ui(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        if let Some(active) = self.chooser.as_mut() {
            active.chooser.show(ctx);
        }
    }

    pub(super) fn handle_window(&mut self, ctx: &egui::Context) {
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
}
