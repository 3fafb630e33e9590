//! Driving the wizard in egui_kittest as a person does: by labels, one key at a time, with the
//! frames run between keys. No window, no GPU, no real file dialogs (a scripted platform).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::Step;
use upgrade_planner::ui::app::WizardApp;
use upgrade_planner::ui::platform::ScriptedPlatform;

pub type H = Harness<'static, WizardApp>;

pub fn knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// A platform with its data in `data_dir` and a fixed clock; tests queue the answers of the
/// open and save dialogs in `open_answers` / `save_answers`.
pub fn platform(data_dir: &Path) -> ScriptedPlatform {
    ScriptedPlatform {
        data_dir: Some(data_dir.to_path_buf()),
        now: Some(
            chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
                .unwrap()
                .into(),
        ),
        ..Default::default()
    }
}

/// The same, with one answer queued for the open dialog and one for the save dialog.
pub fn platform_answering(
    data_dir: &Path,
    open: Option<PathBuf>,
    save: Option<PathBuf>,
) -> ScriptedPlatform {
    let mut p = platform(data_dir);
    p.open_answers.push(open);
    p.save_answers.push(save);
    p
}

pub fn app(p: ScriptedPlatform) -> WizardApp {
    WizardApp::new(Box::new(p), knowledge(), today()).with_inline_jobs()
}

/// The wizard in a window of `width` x `height` points, first frame drawn.
pub fn harness(app: WizardApp, width: f32, height: f32) -> H {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_context_setup(upgrade_planner::ui::install_fonts)
        .build_ui_state(|ui, app: &mut WizardApp| app.show(ui), app);
    h.run();
    h
}

/// Press and release the key of `c` with its text in between, as a keyboard does. A line break
/// is the Enter key; characters without a key of their own (é, @) come as text only, as an
/// input method sends them.
pub fn key_event(h: &H, c: char) {
    if c == '\n' {
        h.key_press(egui::Key::Enter);
        return;
    }
    let key = egui::Key::from_name(&c.to_uppercase().to_string());
    if let Some(key) = key {
        h.key_down(key);
    }
    h.event(egui::Event::Text(c.to_string()));
    if let Some(key) = key {
        h.key_up(key);
    }
}

/// Type `text` into the focused input, letting the app draw (and its error lines come and go)
/// after every key.
pub fn keys(h: &mut H, text: &str) {
    for c in text.chars() {
        key_event(h, c);
        h.run();
    }
}

/// Click into the input labelled `label`, select what it holds (Ctrl+A) and type `text`.
pub fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    assert!(h.get_by_label(label).is_focused(), "{label} has no focus");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    keys(h, text);
}

pub fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Answer a question shown as radio buttons: one click.
pub fn answer(h: &mut H, question: &str, option: &str) {
    h.get_by_label(question).get_by_label(option).click();
    h.run();
}

/// Pick `option` from the dropdown labelled `dropdown`.
pub fn choose(h: &mut H, dropdown: &str, option: &str) {
    click(h, dropdown);
    h.get_by_label(option).scroll_to_me();
    h.run();
    click(h, option);
}

/// Press Next and expect to be on `expected` afterwards.
pub fn next(h: &mut H, expected: Step) {
    click(h, "Next ▶");
    assert_eq!(h.state().step, expected, "status: {:?}", h.state().status);
}

/// The status line's text, if any.
pub fn status(h: &H) -> Option<String> {
    h.state().status.as_ref().map(|(s, _)| s.clone())
}
