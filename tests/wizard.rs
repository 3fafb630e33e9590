//! The wizard driven as a user would, by labels, through egui_kittest (no GPU, no window, no
//! real file dialogs: a scripted platform answers them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use upgrade_planner::path::NoteSeverity;
use upgrade_planner::plan::*;
use upgrade_planner::ui::app::{Dialog, WizardApp};
use upgrade_planner::ui::platform::ScriptedPlatform;

#[path = "common/wizard.rs"]
mod common_wizard;
use common_wizard::{knowledge, platform, today};

/// The single-node sample plan, parsed.
fn sample_plan() -> Plan {
    upgrade_planner::plan_file::parse(
        Path::new("sample"),
        include_bytes!("../assets/samples/single-node.upgrade-plan.json"),
    )
    .unwrap()
}

fn harness(app: WizardApp) -> Harness<'static, WizardApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 5000.0))
        .with_context_setup(upgrade_planner::ui::install_fonts)
        .build_ui_state(|ui, app: &mut WizardApp| app.show(ui), app)
}

fn new_app(data_dir: &Path, p: ScriptedPlatform) -> WizardApp {
    let _ = data_dir;
    WizardApp::new(Box::new(p), knowledge(), today()).with_inline_jobs()
}

fn click(h: &mut Harness<'_, WizardApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn fill(h: &mut Harness<'_, WizardApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn choose(h: &mut Harness<'_, WizardApp>, dropdown: &str, option: &str) {
    h.get_by_label(dropdown).click();
    h.run();
    h.get_by_label(option).scroll_to_me();
    h.run();
    h.get_by_label(option).click();
    h.run();
}

/// Answer a question shown as radio buttons (yes/no and short lists): one click.
fn answer(h: &mut Harness<'_, WizardApp>, question: &str, option: &str) {
    h.get_by_label(question).get_by_label(option).click();
    h.run();
}

fn next(h: &mut Harness<'_, WizardApp>, expected: Step) {
    click(h, "Next ▶");
    assert_eq!(h.state().step, expected, "status: {:?}", h.state().status);
}

#[test]
fn walk_a_complete_plan_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let save_path: PathBuf = dir.path().join("example-corp.upgrade-plan.json");
    let mut p = platform(dir.path());
    p.save_answers.push(Some(save_path.clone()));
    let mut h = harness(new_app(dir.path(), p));
    h.run();

    // 1. Start
    assert!(
        h.query_by_label("gitlab:env:info or diagnostics output")
            .is_some()
    );
    next(&mut h, Step::Contact);

    // 2. Contact and window
    fill(&mut h, "Organisation", "Example Corp");
    fill(&mut h, "Contact name", "Zoë Müller");
    fill(&mut h, "Contact email", "zoe@example.com");
    fill(&mut h, "Support ticket number", "512345");
    fill(&mut h, "Window start", "2026-12-05");
    fill(&mut h, "at", "20:00");
    h.get_by_label("Time zone").click();
    h.run();
    // The search box has the focus as soon as the list opens.
    h.get_by_label("Search time zones").type_text("Berlin");
    h.run();
    click(&mut h, "Europe/Berlin");
    fill(&mut h, "Window length (hours)", "24");
    answer(
        &mut h,
        "Do you want a review call with GitLab Support?",
        "No",
    );
    next(&mut h, Step::Versions);

    // 3. Versions and path
    fill(&mut h, "Current GitLab version", "16.3.4");
    answer(&mut h, "Edition", "Enterprise Edition (EE)");
    fill(&mut h, "Target GitLab version", "18.5");
    // From 16.3 only the 17.1 stop's question can change the path; the others are not asked.
    for (id, asked) in [
        ("multiple_web_nodes", false),
        ("large_users_table", false),
        ("npm_packages", false),
        ("large_pipeline_variables", false),
        ("large_pipeline_messages", true),
    ] {
        let q = knowledge().condition(id).unwrap().question.clone();
        assert_eq!(h.query_by_label(&q).is_some(), asked, "{id}");
        if asked {
            answer(&mut h, &q, "No");
        }
    }
    answer(&mut h, "Do you want a zero-downtime upgrade?", "No");
    // The path shows live.
    assert!(h.query_all_by_label_contains("18.5.7").count() >= 1);
    next(&mut h, Step::Installation);

    // 4. Installation
    answer(&mut h, "Installation method", "Linux package (Omnibus)");
    next(&mut h, Step::Os);

    // 5. OS
    choose(&mut h, "Distribution", "Ubuntu");
    choose(&mut h, "Version", "22.04 (jammy)");
    answer(&mut h, "Architecture", "x86_64 (amd64)");
    next(&mut h, Step::Topology);

    // 6. Topology
    answer(
        &mut h,
        "Single or multi-node",
        "Single node (everything on one server)",
    );
    assert!(
        h.query_by_label("Add a node group").is_none(),
        "no node list for a single node"
    );
    answer(&mut h, "How PostgreSQL runs", "Bundled with GitLab");
    fill(&mut h, "PostgreSQL version", "13.11");
    answer(&mut h, "How Redis runs", "Bundled with GitLab");
    answer(&mut h, "How Gitaly runs", "On the GitLab node");
    answer(&mut h, "Object storage", "No");
    // The path stays in 18.x: bundled Mattermost (removed in 19.0) is not asked.
    assert!(h.query_by_label("Bundled Mattermost").is_none());
    next(&mut h, Step::Geo);

    // 7. Geo
    answer(&mut h, "Is GitLab Geo used?", "No");
    assert!(
        h.query_by_label("Add a secondary site").is_none(),
        "no sites when Geo is off"
    );
    next(&mut h, Step::KnownIssues);

    // 8. Notes and known issues: review every blocker.
    fill(
        &mut h,
        "What is unusual or important about this setup?",
        "Custom NGINX in front.",
    );
    let blockers: Vec<String> = h
        .state()
        .analysis
        .path
        .as_ref()
        .unwrap()
        .known_issues
        .iter()
        .filter(|m| m.severity == NoteSeverity::Blocker)
        .map(|m| m.id.clone())
        .collect();
    assert!(!blockers.is_empty());
    for id in &blockers {
        click(&mut h, &format!("Reviewed {id}"));
    }
    next(&mut h, Step::Backup);

    // 9. Backup
    answer(&mut h, "Backup method", "GitLab backup tool");
    answer(&mut h, "Are the secrets backed up?", "Yes");
    answer(&mut h, "Is the configuration backed up?", "Yes");
    fill(&mut h, "Where is the backup kept?", "s3://backups/gitlab");
    fill(&mut h, "Date of the last restore test", "2026-11-21");
    fill(&mut h, "Where was it tested?", "staging");
    next(&mut h, Step::Rollback);

    // 10. Rollback
    click(
        &mut h,
        "I have reviewed these rollback steps and they fit our setup",
    );
    fill(&mut h, "Rollback trigger", "A hop fails its checks.");
    fill(&mut h, "Time a rollback takes (hours)", "2");
    // The app proposes the last time that leaves room to roll back: 2026-12-06 18:00.
    click(&mut h, "Use this time");
    next(&mut h, Step::Review);

    // 11. Review: no errors left; save.
    let errors: Vec<_> = h
        .state()
        .analysis
        .findings
        .iter()
        .filter(|f| f.severity == upgrade_planner::validate::Severity::Error)
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(h.query_by_label_contains("Ready").is_some());
    assert!(h.state().is_dirty());
    assert!(h.state().window_title().starts_with("* "));
    click(&mut h, "Save as…");
    assert!(!h.state().is_dirty(), "{:?}", h.state().status);
    assert_eq!(h.state().file.as_deref(), Some(save_path.as_path()));
    assert!(!h.state().window_title().starts_with("* "));
    let saved = h.state().plan.clone();
    drop(h);

    // Reopen in a fresh app: every answer is there, on the step it was saved at.
    let mut p = platform(dir.path());
    p.open_answers.push(Some(save_path.clone()));
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    let reopened = &h.state().plan;
    assert_eq!(reopened, &saved);
    assert_eq!(h.state().step, Step::Review);
    let c = reopened.contact.as_ref().unwrap();
    assert_eq!(c.organization.as_deref(), Some("Example Corp"));
    assert_eq!(c.name.as_deref(), Some("Zoë Müller"));
    assert_eq!(c.ticket.as_deref(), Some("512345"));
    let w = reopened.first_window().unwrap();
    assert_eq!(w.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(w.duration_hours, Some(24.0));
    assert!(w.start.as_deref().unwrap().starts_with("2026-12-05T20:00"));
    let v = reopened.versions.as_ref().unwrap();
    assert_eq!(v.current.as_deref(), Some("16.3.4"));
    assert_eq!(v.target.as_deref(), Some("18.5"));
    assert_eq!(v.edition, Some(Edition::Ee.into()));
    let conditions = reopened.conditions.as_ref().unwrap();
    assert_eq!(conditions.large_pipeline_messages, Some(false));
    assert_eq!(conditions.npm_packages, None, "not asked on this path");
    assert_eq!(reopened.method(), Some(InstallMethod::LinuxPackage));
    let os = reopened.os.as_ref().unwrap();
    assert_eq!(
        (
            os.distribution.as_deref(),
            os.version.as_deref(),
            os.arch.known()
        ),
        (Some("ubuntu"), Some("22.04"), Some(Arch::X86_64))
    );
    let t = reopened.topology.as_ref().unwrap();
    assert_eq!(t.kind, Some(TopologyKind::SingleNode.into()));
    assert_eq!(
        t.postgresql.as_ref().unwrap().version.as_deref(),
        Some("13.11")
    );
    assert_eq!(reopened.geo.as_ref().unwrap().enabled, Some(false));
    for id in &blockers {
        assert!(reopened.known_issues_reviewed.contains(id));
    }
    let b = reopened.backup.as_ref().unwrap();
    assert_eq!(b.method, Some(BackupMethod::GitlabBackup.into()));
    assert_eq!(b.restore_tested_on.as_deref(), Some("2026-11-21"));
    let r = reopened.rollback.as_ref().unwrap();
    assert_eq!(r.confirmed, Some(true));
    assert_eq!(r.duration_hours, Some(2.0));
    assert_eq!(reopened.revision, 1);
    // The recent list remembers it.
    assert_eq!(h.state().recent.first(), Some(&save_path));
}

#[test]
fn next_refuses_to_advance_past_errors_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    next(&mut h, Step::Contact);
    click(&mut h, "Next ▶");
    assert_eq!(
        h.state().step,
        Step::Contact,
        "Next must not leave a step with errors"
    );
    let (msg, _) = h.state().status.clone().unwrap();
    assert!(msg.contains("fix the") && msg.contains("error"), "{msg}");
    // The errors show next to their fields and in the summary at the top.
    assert!(
        h.query_all_by_label_contains("Enter the organisation's name.")
            .count()
            >= 2,
        "field and summary"
    );
    assert!(
        h.query_by_label_contains("error(s) to fix on this step")
            .is_some()
    );
    // Back still works, and the stepper marks the step as having errors.
    click(&mut h, "◀ Back");
    assert_eq!(h.state().step, Step::Start);
}

#[test]
fn an_error_shows_once_its_field_loses_focus() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    next(&mut h, Step::Contact);
    assert!(
        h.query_by_label_contains("does not look like an email")
            .is_none()
    );
    fill(&mut h, "Contact email", "zoe at example");
    assert!(
        h.query_by_label_contains("does not look like an email")
            .is_none(),
        "not while typing"
    );
    h.get_by_label("Organisation").focus();
    h.run();
    // Under the field and in the step's box at the top, which names the field.
    assert_eq!(
        h.query_all_by_label_contains("does not look like an email")
            .count(),
        2
    );
    assert!(
        h.query_by_label_contains("Contact email: `zoe at example` does not look like an email")
            .is_some()
    );
}

#[test]
fn review_lists_findings_and_jumps_to_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("p.upgrade-plan.json");
    let mut plan = sample_plan();
    plan.contact.as_mut().unwrap().email = None;
    plan.last_step = Some(Step::Review.into());
    upgrade_planner::plan_file::save(&plan_path, &plan).unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path));
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    assert_eq!(h.state().step, Step::Review);
    assert!(h.query_by_label_contains("Not ready").is_some());
    // Every finding is listed.
    for f in h.state().analysis.findings.clone() {
        assert!(
            h.query_by_label_contains(&f.message).is_some(),
            "missing finding {}",
            f.message
        );
    }
    click(&mut h, "✖ Contact email: Enter a contact email address.");
    assert_eq!(h.state().step, Step::Contact);
    h.run();
    assert!(h.get_by_label("Contact email").is_focused());
}

#[test]
fn an_autosaved_draft_is_offered_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    next(&mut h, Step::Contact);
    fill(&mut h, "Organisation", "Crashed Corp");
    h.state_mut().autosave_now();
    // The process dies here: the exit handler (which would write or discard the draft) never runs.
    drop(h);

    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    assert!(matches!(h.state().dialog, Some(Dialog::Recover { .. })));
    click(&mut h, "Recover draft");
    let org = h
        .state()
        .plan
        .contact
        .as_ref()
        .and_then(|c| c.organization.clone());
    assert_eq!(org.as_deref(), Some("Crashed Corp"));
    assert_eq!(h.state().step, Step::Contact);
    assert!(h.state().is_dirty(), "a recovered draft still needs saving");
}

#[test]
fn unsaved_changes_are_guarded_and_bad_files_leave_the_plan_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ \"format\": \"gitlab-upgrade-plan\", ").unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(bad));
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    next(&mut h, Step::Contact);
    fill(&mut h, "Organisation", "Keep Me");
    click(&mut h, "File");
    click(&mut h, "Open…  (Ctrl+O)");
    assert!(matches!(h.state().dialog, Some(Dialog::Unsaved { .. })));
    click(&mut h, "Don't save");
    match &h.state().dialog {
        Some(Dialog::Error { message, .. }) => assert!(
            message.contains("bad.json") && message.contains("line"),
            "{message}"
        ),
        other => panic!("expected an error dialog, got {other:?}"),
    }
    let org = h
        .state()
        .plan
        .contact
        .as_ref()
        .and_then(|c| c.organization.clone());
    assert_eq!(org.as_deref(), Some("Keep Me"));
}

#[test]
fn prefill_from_env_info_fills_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    let text = include_str!("fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt");
    h.state_mut().step_ui.env_info_text = text.to_string();
    h.run();
    click(&mut h, "Prefill the plan");
    let plan = &h.state().plan;
    assert_eq!(
        plan.versions.as_ref().unwrap().current.as_deref(),
        Some("15.5.5")
    );
    assert_eq!(
        plan.topology
            .as_ref()
            .unwrap()
            .postgresql
            .as_ref()
            .unwrap()
            .version
            .as_deref(),
        Some("13.8")
    );
    assert!(h.query_by_label_contains("Filled in").is_some());
    // The summary names the wizard's questions, not the plan file's field paths.
    assert!(h.query_by_label("Current GitLab version").is_some());
    assert!(h.query_by_label("versions.current").is_none());
}

#[test]
fn known_issue_links_open_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("p.upgrade-plan.json");
    let mut plan = sample_plan();
    plan.last_step = Some(Step::KnownIssues.into());
    upgrade_planner::plan_file::save(&plan_path, &plan).unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path));
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    assert_eq!(h.state().step, Step::KnownIssues);
    let first = h.state().analysis.path.as_ref().unwrap().known_issues[0]
        .doc_url
        .clone();
    h.get_all_by_label(&first).next().unwrap().click();
    h.run();
    assert_eq!(h.state().step, Step::KnownIssues);
    // The scripted platform recorded the URL instead of opening a browser.
    let platform = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<ScriptedPlatform>()
        .unwrap();
    assert_eq!(platform.opened_urls, vec![first]);
}

#[test]
fn exports_from_the_review_page() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("p.upgrade-plan.json");
    let pdf_path = dir.path().join("p.pdf");
    let draft_path = dir.path().join("p.draft.pdf");
    let json_path = dir.path().join("attach.upgrade-plan.json");
    let mut plan = sample_plan();
    plan.last_step = Some(Step::Review.into());
    upgrade_planner::plan_file::save(&plan_path, &plan).unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path));
    p.save_answers = vec![
        Some(pdf_path.clone()),
        Some(json_path.clone()),
        Some(draft_path.clone()),
    ];
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    assert!(h.query_by_label("Ready").is_some());
    click(&mut h, "Export PDF…");
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF was written");
    click(&mut h, "Export JSON…");
    let json = std::fs::read_to_string(&json_path).unwrap();
    assert!(json.contains("\"format\": \"gitlab-upgrade-plan\""));
    click(&mut h, "Copy Markdown");
    let copied = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<ScriptedPlatform>()
        .unwrap()
        .copied
        .clone();
    assert_eq!(copied.len(), 1);
    assert!(copied[0].contains("18.2.8"), "the Markdown has the path");

    // With an error the PDF is refused; as a draft it is written.
    h.state_mut().plan.rollback.as_mut().unwrap().confirmed = Some(false);
    h.run();
    assert!(h.query_by_label("Not ready").is_some());
    h.state_mut()
        .commands
        .push(upgrade_planner::ui::app::Command::ExportPdf { draft: false });
    h.run();
    assert!(matches!(h.state().dialog, Some(Dialog::Error { .. })));
    click(&mut h, "OK");
    click(&mut h, "Export as draft…");
    let draft = std::fs::read(&draft_path).unwrap();
    assert!(draft.starts_with(b"%PDF"));
    assert_ne!(draft, pdf);
}

#[path = "common/hostile.rs"]
mod hostile;

#[test]
fn every_hostile_file_gets_an_error_dialog_and_leaves_the_open_plan_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/single-node.upgrade-plan.json");
    let mut cases: Vec<(String, PathBuf)> = hostile::committed()
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    let generated = tempfile::tempdir().unwrap();
    for (name, p) in hostile::generated(generated.path()) {
        cases.push((name.to_string(), p));
    }
    // These are plans, in other encodings: they open (and equal the sample).
    let readable = [
        "utf8-bom.upgrade-plan.json",
        "utf16le-bom.upgrade-plan.json",
        "utf16be-bom.upgrade-plan.json",
    ];
    // Plans whose answers are wrong, or unknown to this version, but which read: each opens,
    // with a finding at the field named.
    let with_findings = [
        (
            "negative-hours.upgrade-plan.json",
            "windows[0].duration_hours",
        ),
        ("unknown-enum.upgrade-plan.json", "install.method"),
        ("unknown-values.upgrade-plan.json", "topology.nodes[1].role"),
        (
            "review-secret.upgrade-plan.json",
            "reviews[0].step_notes.backup",
        ),
        ("review-hostile.upgrade-plan.json", "versions.target"),
    ];
    let finding_at = |name: &str| {
        with_findings
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, field)| *field)
    };
    let mut p = platform(dir.path());
    p.open_answers.push(Some(sample.clone()));
    for (name, path) in &cases {
        p.open_answers.push(Some(path.clone()));
        if finding_at(name).is_some() {
            p.open_answers.push(Some(sample.clone()));
        }
    }
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    let open_plan = h.state().plan.clone();
    let open_file = h.state().file.clone();
    assert_eq!(open_file.as_deref(), Some(sample.as_path()));

    let mut refused = 0;
    for (name, path) in &cases {
        click(&mut h, "File");
        click(&mut h, "Open…  (Ctrl+O)");
        if readable.contains(&name.as_str()) {
            assert!(h.state().dialog.is_none(), "{name}: {:?}", h.state().dialog);
            assert_eq!(h.state().plan, open_plan, "{name} reads as the sample");
            assert_eq!(h.state().file.as_deref(), Some(path.as_path()));
            // Back to the sample for the next case.
            h.state_mut().file = open_file.clone();
            continue;
        }
        if let Some(field) = finding_at(name) {
            assert!(h.state().dialog.is_none(), "{name}: {:?}", h.state().dialog);
            assert_eq!(h.state().file.as_deref(), Some(path.as_path()), "{name}");
            assert!(
                h.state().analysis.findings.iter().any(|f| f.field == field),
                "{name}: no finding at {field}"
            );
            if name == "negative-hours.upgrade-plan.json" {
                let window = h.state().plan.first_window().cloned().unwrap_or_default();
                assert_eq!(window.duration_hours, Some(-4.0));
            }
            click(&mut h, "File");
            click(&mut h, "Open…  (Ctrl+O)");
            assert_eq!(h.state().plan, open_plan, "back to the sample");
            continue;
        }
        match &h.state().dialog {
            Some(Dialog::Error { title, message }) => {
                assert_eq!(title, "Cannot open the plan", "{name}");
                let shown = path.file_name().unwrap().to_string_lossy();
                assert!(message.contains(&*shown), "{name}: {message}");
            }
            other => panic!("{name}: expected an error dialog, got {other:?}"),
        }
        assert!(
            h.query_by_label("Cannot open the plan").is_some(),
            "{name}: the dialog is drawn"
        );
        assert_eq!(h.state().plan, open_plan, "{name} changed the open plan");
        assert_eq!(h.state().file, open_file, "{name} changed the open file");
        assert!(!h.state().is_dirty(), "{name}");
        click(&mut h, "OK");
        assert!(h.state().dialog.is_none());
        refused += 1;
    }
    assert_eq!(refused, cases.len() - readable.len() - with_findings.len());
}

#[test]
fn exports_are_refused_while_a_secret_is_in_the_plan_and_the_field_opens() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/token-in-notes.upgrade-plan.json");
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path));
    let out = dir.path().join("out.pdf");
    p.save_answers = vec![Some(out.clone()); 3];
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    use upgrade_planner::ui::app::Command;
    for cmd in [
        Command::ExportPdf { draft: true },
        Command::ExportPdf { draft: false },
        Command::ExportJson,
        Command::CopyMarkdown,
    ] {
        h.state_mut().go_to(Step::Start);
        h.state_mut().commands.push(cmd.clone());
        h.run();
        match &h.state().dialog {
            Some(Dialog::Error { message, .. }) => assert!(
                message.contains("secret") && message.contains("notes.unique_setup"),
                "{cmd:?}: {message}"
            ),
            other => panic!("{cmd:?}: expected an error dialog, got {other:?}"),
        }
        assert_eq!(
            h.state().step,
            Step::KnownIssues,
            "{cmd:?}: the notes step opens"
        );
        click(&mut h, "OK");
        // Once the dialog is gone, the field with the secret has the keyboard focus.
        h.run();
        assert!(
            h.get_by_label("What is unusual or important about this setup?")
                .is_focused(),
            "{cmd:?}: the field with the secret is not focused"
        );
    }
    let platform = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<ScriptedPlatform>()
        .unwrap();
    assert!(
        !platform.dialogs_shown.iter().any(|d| d == "save"),
        "no save dialog was opened: {:?}",
        platform.dialogs_shown
    );
    assert!(platform.copied.is_empty(), "nothing was copied");
    assert!(!out.exists());
}

#[test]
fn the_host_redaction_checkbox_applies_to_exports_not_to_the_saved_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("p.upgrade-plan.json");
    let json_path = dir.path().join("attach.upgrade-plan.json");
    let mut plan = sample_plan();
    plan.last_step = Some(Step::Review.into());
    plan.notes.get_or_insert_with(Default::default).unique_setup =
        Some("Primary gitlab.corp-example.com at 10.1.2.3".into());
    upgrade_planner::plan_file::save(&plan_path, &plan).unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path.clone()));
    p.save_answers = vec![Some(json_path.clone())];
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    click(
        &mut h,
        "Redact host names, IP addresses and email addresses in exports",
    );
    assert!(h.state().step_ui.redact_hosts);
    click(&mut h, "Export JSON…");
    let json = std::fs::read_to_string(&json_path).unwrap();
    for gone in ["zoe@example.org", "gitlab.corp-example.com", "10.1.2.3"] {
        assert!(!json.contains(gone), "{gone} in the JSON export");
    }
    assert!(json.contains("[EMAIL]") && json.contains("[HOST]") && json.contains("[IP]"));
    click(&mut h, "Copy Markdown");
    let copied = h
        .state()
        .platform
        .as_any()
        .downcast_ref::<ScriptedPlatform>()
        .unwrap()
        .copied
        .clone();
    assert_eq!(copied.len(), 1);
    assert!(!copied[0].contains("zoe@example.org") && !copied[0].contains("corp-example"));
    // The plan itself keeps them, on screen and on disk.
    let contact = h.state().plan.contact.clone().unwrap();
    assert_eq!(contact.email.as_deref(), Some("zoe@example.org"));
    let saved = std::fs::read_to_string(&plan_path).unwrap();
    assert!(saved.contains("zoe@example.org") && saved.contains("10.1.2.3"));
}

#[test]
fn a_recovery_offer_says_when_the_plan_file_is_gone_and_an_unreadable_draft_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("gone.upgrade-plan.json");
    let mut plan = Plan::new("2026-11-21T09:00:00Z");
    plan.contact = Some(Contact {
        organization: Some("Moved Corp".into()),
        ..Default::default()
    });
    let written = chrono::DateTime::parse_from_rfc3339("2026-11-21T09:30:00Z")
        .unwrap()
        .into();
    upgrade_planner::draft::write(dir.path(), &plan, Some(&gone), written).unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    match &h.state().dialog {
        Some(Dialog::Recover {
            saved_at, notes, ..
        }) => {
            assert_eq!(saved_at, "2026-11-21 09:30 UTC");
            assert!(
                notes.iter().any(|n| n.contains("gone.upgrade-plan.json")),
                "{notes:?}"
            );
        }
        other => panic!("expected a recovery offer, got {other:?}"),
    }
    assert!(h.query_by_label_contains("no longer exists").is_some());
    click(&mut h, "Recover draft");
    assert_eq!(
        h.state()
            .plan
            .contact
            .as_ref()
            .unwrap()
            .organization
            .as_deref(),
        Some("Moved Corp")
    );
    assert_eq!(h.state().file, None, "a missing file is not reopened");
    drop(h);

    // A draft that cannot be read: reported in the status line, kept aside, not offered.
    std::fs::write(
        dir.path().join(upgrade_planner::draft::DRAFT_FILE),
        "{\"format\": \"upgrade-planner-dr",
    )
    .unwrap();
    let mut h = harness(new_app(dir.path(), platform(dir.path())));
    h.run();
    assert!(h.state().dialog.is_none());
    let (status, _) = h.state().status.clone().unwrap();
    assert!(
        status.contains("could not be read") && status.contains("autosave.unreadable.json"),
        "{status}"
    );
    assert!(
        dir.path()
            .join(upgrade_planner::draft::UNREADABLE_FILE)
            .is_file()
    );
}

#[test]
fn moving_between_steps_is_not_an_unsaved_change_but_the_step_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("p.upgrade-plan.json");
    let mut plan = sample_plan();
    plan.last_step = Some(Step::Versions.into());
    upgrade_planner::plan_file::save(&plan_path, &plan).unwrap();
    let mut p = platform(dir.path());
    p.open_answers.push(Some(plan_path.clone()));
    let mut h = harness(new_app(dir.path(), p));
    h.run();
    click(&mut h, "Open plan…");
    assert_eq!(h.state().step, Step::Versions);
    next(&mut h, Step::Installation);
    next(&mut h, Step::Os);
    assert!(
        !h.state().is_dirty(),
        "navigation alone made the plan unsaved"
    );
    assert!(!h.state().window_title().starts_with('*'));
    // Autosave writes nothing for a plan with no edits.
    h.state_mut().autosave_now();
    assert!(upgrade_planner::draft::read(dir.path()).is_none());
    // An edit is a change; saving it records the step the user was on.
    h.state_mut()
        .plan
        .contact
        .get_or_insert_with(Default::default)
        .organization = Some("Edited Ltd".into());
    h.run();
    assert!(h.state().is_dirty());
    click(&mut h, "File");
    click(&mut h, "Save  (Ctrl+S)");
    assert!(!h.state().is_dirty());
    let saved = upgrade_planner::plan_file::load(&plan_path).unwrap();
    assert_eq!(saved.last_step, Some(Step::Os.into()));
}
