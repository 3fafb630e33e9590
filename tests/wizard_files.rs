//! Saving, exporting and opening never fail silently: when the system file dialog is not
//! available or fails, the built-in chooser takes over, and every failure is shown. Driven as a
//! user would, through egui_kittest: the scripted platform plays the system dialog, the user
//! types file names key by key, and real files are written to a temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::plan::{Plan, Step};
use upgrade_planner::ui::app::{Dialog, WizardApp};
use upgrade_planner::ui::platform::{Picked, ScriptedPlatform};

fn knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

/// A platform whose home folder is `dir` (where the chooser starts for an untitled plan).
fn platform(dir: &Path) -> ScriptedPlatform {
    ScriptedPlatform {
        // Hidden, so the chooser does not list it.
        data_dir: Some(dir.join(".state")),
        home: Some(dir.to_path_buf()),
        now: Some(
            chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
                .unwrap()
                .into(),
        ),
        ..Default::default()
    }
}

fn harness(p: ScriptedPlatform, inline_jobs: bool) -> Harness<'static, WizardApp> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut app = WizardApp::new(Box::new(p), knowledge(), today);
    if inline_jobs {
        app = app.with_inline_jobs();
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .with_context_setup(upgrade_planner::ui::install_fonts)
        .build_ui_state(|ui, app: &mut WizardApp| app.show(ui), app);
    h.run();
    h
}

/// The two ways the system dialog lets the user down, and the note each one gives.
fn letdowns() -> [(Picked, &'static str); 2] {
    [
        (
            Picked::Unavailable(
                "no file chooser portal answers on the session bus and zenity is not installed"
                    .into(),
            ),
            "The system file dialog is not available: no file chooser portal",
        ),
        (
            Picked::Failed("it closed after 3 ms without showing a window".into()),
            "The system file dialog failed: it closed after 3 ms",
        ),
    ]
}

/// An untitled plan with an unsaved answer.
fn edit(h: &mut Harness<'_, WizardApp>, org: &str) {
    h.state_mut()
        .plan
        .contact
        .get_or_insert_with(Default::default)
        .organization = Some(org.into());
    h.run();
    assert!(h.state().window_title().starts_with("* "));
}

fn org(plan: &Plan) -> Option<String> {
    plan.contact.as_ref().and_then(|c| c.organization.clone())
}

fn click(h: &mut Harness<'_, WizardApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn menu(h: &mut Harness<'_, WizardApp>, item: &str) {
    click(h, "File");
    click(h, item);
}

/// Type `text` as a user does: a key press and the character it makes, one key at a time.
fn type_keys(h: &mut Harness<'_, WizardApp>, text: &str) {
    for c in text.chars() {
        let key = Key::from_name(&c.to_string());
        if let Some(key) = key {
            h.event(Event::Key {
                key,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
        }
        h.event(Event::Text(c.to_string()));
        if let Some(key) = key {
            h.event(Event::Key {
                key,
                physical_key: None,
                pressed: false,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
        }
    }
    h.run();
}

fn press(h: &mut Harness<'_, WizardApp>, key: Key) {
    h.key_press(key);
    h.run();
}

/// The chooser is open with `note`, its name field has the keyboard and holds `name`.
fn assert_chooser(h: &Harness<'_, WizardApp>, title: &str, note: Option<&str>, name: &str) {
    let active = h
        .state()
        .chooser
        .as_ref()
        .expect("the built-in chooser is open");
    assert_eq!(active.chooser.title, title);
    assert!(h.query_by_label(title).is_some(), "the chooser is drawn");
    match note {
        Some(note) => assert!(
            h.query_by_label_contains(note).is_some(),
            "note {note:?} not shown; the chooser says {:?}",
            active.chooser.note
        ),
        None => assert!(active.chooser.note.is_none(), "{:?}", active.chooser.note),
    }
    assert_eq!(active.chooser.file_name, name);
    assert!(h.get_by_label("File name").is_focused());
}

fn scripted<'h>(h: &'h Harness<'_, WizardApp>) -> &'h ScriptedPlatform {
    h.state()
        .platform
        .as_any()
        .downcast_ref::<ScriptedPlatform>()
        .unwrap()
}

fn closing(h: &Harness<'_, WizardApp>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

/// The plan files (and PDFs) written into `dir`, by name.
fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The single-node sample saved in `dir`, opened on the Contact step.
fn open_sample(dir: &Path, mut p: ScriptedPlatform) -> Harness<'static, WizardApp> {
    let path = dir.join("sample.upgrade-plan.json");
    let mut plan = upgrade_planner::plan_file::parse(
        Path::new("sample"),
        include_bytes!("../assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap();
    plan.last_step = Some(Step::Contact.into());
    upgrade_planner::plan_file::save(&path, &plan).unwrap();
    p.open_answers.push(Some(path.clone()));
    let mut h = harness(p, true);
    click(&mut h, "Open plan…");
    assert_eq!(h.state().file.as_deref(), Some(path.as_path()));
    h
}

#[test]
fn save_goes_through_the_chooser_when_the_system_dialog_is_unavailable_or_fails() {
    for (outcome, note) in letdowns() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = platform(dir.path());
        p.save_outcomes.push(outcome.clone());
        let mut h = harness(p, true);
        edit(&mut h, "Files Corp");
        menu(&mut h, "Save  (Ctrl+S)");
        assert_eq!(
            scripted(&h).dialogs_shown,
            ["save:files-corp.upgrade-plan.json"],
            "the system dialog is tried first"
        );
        assert_chooser(
            &h,
            "Save the plan",
            Some(note),
            "files-corp.upgrade-plan.json",
        );
        assert!(h.state().is_dirty(), "nothing saved yet");
        // The suggested name is selected: typing replaces it, the extension is added.
        type_keys(&mut h, "our-plan");
        press(&mut h, Key::Enter);
        let path = dir.path().join("our-plan.upgrade-plan.json");
        let saved =
            upgrade_planner::plan_file::load(&path).unwrap_or_else(|e| panic!("{outcome:?}: {e}"));
        assert_eq!(org(&saved).as_deref(), Some("Files Corp"));
        assert!(h.state().chooser.is_none());
        assert_eq!(h.state().file.as_deref(), Some(path.as_path()));
        assert!(!h.state().is_dirty());
        assert!(!h.state().window_title().starts_with('*'));
        assert!(
            h.state()
                .window_title()
                .starts_with("our-plan.upgrade-plan.json")
        );
        let (status, _) = h.state().status.clone().unwrap();
        assert!(status.starts_with("Saved "), "{status}");
    }
}

#[test]
fn save_as_goes_through_the_chooser_and_asks_before_replacing_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let [(unavailable, unavailable_note), (failed, failed_note)] = letdowns();
    let mut p = platform(dir.path());
    p.save_outcomes = vec![failed, unavailable];
    let mut h = open_sample(dir.path(), p);
    let sample = dir.path().join("sample.upgrade-plan.json");
    let before = std::fs::read(&sample).unwrap();
    edit(&mut h, "Renamed Ltd");

    // Ctrl+Shift+S; the chooser starts in the plan's folder and lists the plan.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    assert_chooser(
        &h,
        "Save the plan",
        Some(failed_note),
        "sample.upgrade-plan.json",
    );
    assert!(h.query_by_label("sample.upgrade-plan.json").is_some());
    type_keys(&mut h, "copy");
    press(&mut h, Key::Enter);
    let copy = dir.path().join("copy.upgrade-plan.json");
    let saved = upgrade_planner::plan_file::load(&copy).unwrap();
    assert_eq!(org(&saved).as_deref(), Some("Renamed Ltd"));
    assert_eq!(h.state().file.as_deref(), Some(copy.as_path()));
    assert!(!h.state().window_title().starts_with('*'));
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        before,
        "the original is untouched"
    );

    // Save as over the original: asked first; Esc goes back to the chooser, nothing written.
    edit(&mut h, "Renamed Again");
    menu(&mut h, "Save as…  (Ctrl+Shift+S)");
    assert_chooser(
        &h,
        "Save the plan",
        Some(unavailable_note),
        "copy.upgrade-plan.json",
    );
    type_keys(&mut h, "sample");
    press(&mut h, Key::Enter);
    assert!(h.query_by_label_contains("already exists").is_some());
    press(&mut h, Key::Escape);
    assert!(h.query_by_label_contains("already exists").is_none());
    assert!(h.state().chooser.is_some(), "Esc left only the question");
    assert_eq!(std::fs::read(&sample).unwrap(), before);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label_contains("already exists").is_some());
    click(&mut h, "Replace");
    let replaced = upgrade_planner::plan_file::load(&sample).unwrap();
    assert_eq!(org(&replaced).as_deref(), Some("Renamed Again"));
    assert_eq!(h.state().file.as_deref(), Some(sample.as_path()));
    assert!(!h.state().is_dirty());
    assert!(dir.path().join("sample.upgrade-plan.json.bak").is_file());
}

#[test]
fn pdf_exports_go_through_the_chooser_when_the_system_dialog_is_unavailable_or_fails() {
    for (outcome, note) in letdowns() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = platform(dir.path());
        p.save_outcomes = vec![outcome.clone(), outcome.clone()];
        let mut h = open_sample(dir.path(), p);
        assert!(!h.state().analysis.has_errors());
        menu(&mut h, "Export PDF…");
        let name = h
            .state()
            .chooser
            .as_ref()
            .unwrap()
            .chooser
            .file_name
            .clone();
        assert!(name.ends_with(".pdf"), "{name}");
        assert_chooser(&h, "Export the PDF", Some(note), &name);
        type_keys(&mut h, "ticket");
        press(&mut h, Key::Enter);
        let pdf = std::fs::read(dir.path().join("ticket.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{outcome:?}");
        let (status, _) = h.state().status.clone().unwrap();
        assert!(status.contains("Exported the PDF"), "{status}");

        menu(&mut h, "Export PDF as draft…");
        let name = h
            .state()
            .chooser
            .as_ref()
            .unwrap()
            .chooser
            .file_name
            .clone();
        assert!(name.ends_with(".draft.pdf"), "{name}");
        assert_chooser(&h, "Export the PDF as a draft", Some(note), &name);
        type_keys(&mut h, "early");
        press(&mut h, Key::Enter);
        let draft = std::fs::read(dir.path().join("early.pdf")).unwrap();
        assert!(draft.starts_with(b"%PDF"));
        assert_ne!(draft, pdf, "the draft is marked");
        assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    }
}

#[test]
fn json_export_goes_through_the_chooser_when_the_system_dialog_is_unavailable_or_fails() {
    for (outcome, note) in letdowns() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = platform(dir.path());
        p.save_outcomes.push(outcome.clone());
        let mut h = open_sample(dir.path(), p);
        menu(&mut h, "Export JSON…");
        let name = h
            .state()
            .chooser
            .as_ref()
            .unwrap()
            .chooser
            .file_name
            .clone();
        assert_chooser(&h, "Export the plan file (JSON)", Some(note), &name);
        type_keys(&mut h, "attach");
        press(&mut h, Key::Enter);
        let text = std::fs::read_to_string(dir.path().join("attach.upgrade-plan.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["format"], "gitlab-upgrade-plan", "{outcome:?}");
        upgrade_planner::plan_file::parse(Path::new("attach"), text.as_bytes()).unwrap();
        let (status, _) = h.state().status.clone().unwrap();
        assert!(status.contains("Exported the plan file"), "{status}");
    }
}

#[test]
fn the_unsaved_prompt_saves_through_the_chooser_before_new_or_close() {
    for (outcome, note) in letdowns() {
        for then in ["New plan  (Ctrl+N)", "Quit"] {
            let case = format!("{outcome:?} then {then}");
            let dir = tempfile::tempdir().unwrap();
            let mut p = platform(dir.path());
            p.save_outcomes.push(outcome.clone());
            let mut h = harness(p, true);
            edit(&mut h, "Keep Corp");
            menu(&mut h, then);
            assert!(
                matches!(h.state().dialog, Some(Dialog::Unsaved { .. })),
                "{case}"
            );
            click(&mut h, "Save");
            assert_chooser(
                &h,
                "Save the plan",
                Some(note),
                "keep-corp.upgrade-plan.json",
            );
            // Nothing has moved on while the file is being chosen.
            assert_eq!(org(&h.state().plan).as_deref(), Some("Keep Corp"), "{case}");
            assert!(!closing(&h), "{case}");
            type_keys(&mut h, "kept");
            // A closing window asks for frames until it is gone: run a fixed number.
            h.key_press(Key::Enter);
            h.run_steps(8);
            let path = dir.path().join("kept.upgrade-plan.json");
            let saved = upgrade_planner::plan_file::load(&path).unwrap();
            assert_eq!(
                org(&saved).as_deref(),
                Some("Keep Corp"),
                "{case}: saved first"
            );
            assert!(h.state().dialog.is_none(), "{case}: {:?}", h.state().dialog);
            if then == "Quit" {
                assert!(closing(&h), "{case}: the window closes after the save");
                assert!(!h.state().is_dirty());
            } else {
                assert_eq!(org(&h.state().plan), None, "{case}: then the new plan");
                assert_eq!(h.state().file, None);
                let (status, _) = h.state().status.clone().unwrap();
                assert_eq!(status, format!("Saved {}. New plan", path.display()));
                assert!(!h.state().is_dirty());
                assert!(!closing(&h));
            }
        }
    }
}

#[test]
fn the_prompt_waits_for_a_background_save_before_starting_a_new_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = platform(dir.path());
    p.save_outcomes.push(letdowns()[0].0.clone());
    // Saves run on a thread here, as in the app.
    let mut h = harness(p, false);
    edit(&mut h, "Slow Disk Inc");
    menu(&mut h, "New plan  (Ctrl+N)");
    click(&mut h, "Save");
    type_keys(&mut h, "slow");
    // One frame with Enter: the save starts on its thread; nothing has moved on.
    h.key_down(Key::Enter);
    h.step();
    assert!(h.state().chooser.is_none());
    assert_eq!(org(&h.state().plan).as_deref(), Some("Slow Disk Inc"));
    assert!(h.state().is_dirty());
    // The save's result arrives; only then does the new plan start.
    assert!(h.state_mut().wait_for_jobs(Duration::from_secs(60)));
    h.key_up(Key::Enter);
    h.run();
    let saved =
        upgrade_planner::plan_file::load(&dir.path().join("slow.upgrade-plan.json")).unwrap();
    assert_eq!(org(&saved).as_deref(), Some("Slow Disk Inc"));
    assert_eq!(org(&h.state().plan), None);
    assert!(!h.state().is_dirty());
}

#[test]
fn cancelling_writes_nothing_runs_nothing_and_the_prompt_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let [(unavailable, _), (failed, _)] = letdowns();
    let mut p = platform(dir.path());
    // Save (chooser, Esc), the prompt's Save (chooser, Cancel), the prompt's Save (system
    // dialog cancelled by the user).
    p.save_outcomes = vec![unavailable, failed, Picked::Cancelled];
    let mut h = harness(p, true);
    edit(&mut h, "Undecided Co");

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().chooser.is_some());
    press(&mut h, Key::Escape);
    assert!(h.state().chooser.is_none());
    assert!(h.state().is_dirty());
    assert!(h.state().dialog.is_none());

    for round in ["chooser", "system dialog"] {
        menu(&mut h, "New plan  (Ctrl+N)");
        click(&mut h, "Save");
        if round == "chooser" {
            assert!(h.state().chooser.is_some());
            click(&mut h, "Cancel");
        }
        assert!(h.state().chooser.is_none(), "{round}");
        assert_eq!(
            org(&h.state().plan).as_deref(),
            Some("Undecided Co"),
            "{round}"
        );
        assert!(h.state().is_dirty(), "{round}");
        assert!(h.state().window_title().starts_with("* "));
        let (status, _) = h.state().status.clone().unwrap();
        assert!(
            status.starts_with("Not saved") && status.contains("No new plan was started"),
            "{round}: {status}"
        );
    }
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

/// A folder that refuses new files, even to root (who ignores permission bits).
#[cfg(target_os = "linux")]
fn unwritable_folder(scratch: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let ro = scratch.join("read-only");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"x").is_err() {
        return ro;
    }
    PathBuf::from("/proc")
}

#[test]
fn missing_folders_are_reported_in_the_chooser() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = platform(dir.path());
    p.save_outcomes = vec![letdowns()[1].0.clone()];
    let mut h = harness(p, true);
    edit(&mut h, "Stuck Corp");

    // A name inside a folder that does not exist: said in the chooser, which stays open.
    menu(&mut h, "New plan  (Ctrl+N)");
    click(&mut h, "Save");
    type_keys(&mut h, "missing/plan");
    press(&mut h, Key::Enter);
    let error = h
        .state()
        .chooser
        .as_ref()
        .unwrap()
        .chooser
        .error
        .clone()
        .unwrap();
    assert!(
        error.contains("plan.upgrade-plan.json")
            && error.contains("missing")
            && error.contains("does not exist"),
        "{error}"
    );
    assert!(h.query_by_label(&error).is_some(), "the error is shown");
    // A folder typed that does not exist: the listing says so.
    h.get_by_label("Folder").focus();
    h.run();
    press(&mut h, Key::End);
    type_keys(&mut h, "/nowhere");
    press(&mut h, Key::Enter);
    let missing = dir.path().join("nowhere");
    let said = format!("The folder {} does not exist.", missing.display());
    assert!(
        h.query_by_label(&said).is_some(),
        "listing error {said:?} not shown"
    );

    // Nothing was written, nothing moved on; the user can still choose.
    assert!(h.state().chooser.is_some());
    assert_eq!(org(&h.state().plan).as_deref(), Some("Stuck Corp"));
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn unwritable_targets_give_an_error_dialog_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let bad = unwritable_folder(scratch.path());
    let mut p = platform(dir.path());
    p.save_outcomes = vec![letdowns()[1].0.clone(), letdowns()[0].0.clone()];
    let mut h = harness(p, true);
    edit(&mut h, "Stuck Corp");

    // A folder that refuses the file: the save fails with a dialog naming the file, and the
    // new plan is not started.
    menu(&mut h, "New plan  (Ctrl+N)");
    click(&mut h, "Save");
    let target = bad.join("stuck.upgrade-plan.json");
    type_keys(&mut h, &target.display().to_string());
    press(&mut h, Key::Enter);
    match &h.state().dialog {
        Some(Dialog::Error { title, message }) => {
            assert_eq!(title, "The plan was not saved");
            assert!(message.contains(&target.display().to_string()), "{message}");
            assert!(message.contains("No new plan was started"), "{message}");
        }
        other => panic!("expected an error dialog, got {other:?}"),
    }
    assert!(h.query_by_label("The plan was not saved").is_some());
    click(&mut h, "OK");
    assert_eq!(org(&h.state().plan).as_deref(), Some("Stuck Corp"));
    assert!(h.state().is_dirty());
    assert!(!target.exists());

    // The same for an export.
    h.state_mut().plan = upgrade_planner::plan_file::parse(
        Path::new("sample"),
        include_bytes!("../assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap();
    h.run();
    menu(&mut h, "Export JSON…");
    let target = bad.join("attach.upgrade-plan.json");
    type_keys(&mut h, &target.display().to_string());
    press(&mut h, Key::Enter);
    match &h.state().dialog {
        Some(Dialog::Error { title, message }) => {
            assert_eq!(title, "The plan file was not exported");
            let shown = target.display().to_string();
            assert_eq!(message.matches(&shown).count(), 1, "named once: {message}");
        }
        other => panic!("expected an error dialog, got {other:?}"),
    }
    let (status, _) = h.state().status.clone().unwrap();
    assert_eq!(status, format!("Not exported: {}", target.display()));
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

#[test]
fn the_built_in_chooser_can_be_chosen_in_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(platform(dir.path()), true);
    edit(&mut h, "Remote Desk");
    menu(&mut h, "Use the built-in file chooser");
    assert!(h.state().use_builtin_chooser);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(
        scripted(&h).dialogs_shown.is_empty(),
        "the system dialog is not asked: {:?}",
        scripted(&h).dialogs_shown
    );
    assert_chooser(&h, "Save the plan", None, "remote-desk.upgrade-plan.json");
    press(&mut h, Key::Enter);
    assert!(dir.path().join("remote-desk.upgrade-plan.json").is_file());
    assert!(!h.state().is_dirty());
}

#[test]
fn open_through_the_chooser_lists_folders_first_and_only_matching_visible_files() {
    let dir = tempfile::tempdir().unwrap();
    let sample = include_bytes!("../assets/samples/single-node.upgrade-plan.json");
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    std::fs::write(dir.path().join("plans/inner.upgrade-plan.json"), sample).unwrap();
    std::fs::write(dir.path().join("top.upgrade-plan.json"), sample).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    std::fs::write(dir.path().join(".hidden.upgrade-plan.json"), sample).unwrap();
    let mut p = platform(dir.path());
    p.open_outcomes.push(letdowns()[0].0.clone());
    let mut h = harness(p, true);
    click(&mut h, "Open plan…");
    assert_chooser(&h, "Open a plan", Some(letdowns()[0].1), "");
    let shown: Vec<String> = h
        .state()
        .chooser
        .as_ref()
        .unwrap()
        .chooser
        .visible()
        .iter()
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(shown, ["plans", "top.upgrade-plan.json"]);
    assert!(h.query_by_label("plans/").is_some());
    assert!(h.query_by_label("notes.txt").is_none());
    assert!(h.query_by_label(".hidden.upgrade-plan.json").is_none());
    click(&mut h, "Show all files");
    assert!(h.query_by_label("notes.txt").is_some());
    assert!(h.query_by_label(".hidden.upgrade-plan.json").is_none());

    // A name that is not there.
    click(&mut h, "File name");
    type_keys(&mut h, "nope.json");
    press(&mut h, Key::Enter);
    let error = h
        .state()
        .chooser
        .as_ref()
        .unwrap()
        .chooser
        .error
        .clone()
        .unwrap();
    assert!(
        error.contains("nope.json") && error.contains("does not exist"),
        "{error}"
    );

    // Into a folder, up, and back in; pick the file, Enter opens it.
    click(&mut h, "plans/");
    assert!(h.query_by_label("inner.upgrade-plan.json").is_some());
    click(&mut h, "⬆ Up");
    assert!(h.query_by_label("top.upgrade-plan.json").is_some());
    click(&mut h, "plans/");
    click(&mut h, "inner.upgrade-plan.json");
    assert!(h.get_by_label("File name").is_focused());
    press(&mut h, Key::Enter);
    assert!(h.state().chooser.is_none());
    assert_eq!(
        h.state().file.as_deref(),
        Some(dir.path().join("plans/inner.upgrade-plan.json").as_path())
    );
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
}
