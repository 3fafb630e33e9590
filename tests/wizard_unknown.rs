//! The wizard with a plan whose closed lists hold values this version does not know: it opens,
//! shows each as "other: …" with its warning, saves it back unchanged, and replaces it only
//! when the user picks a known value.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use serde_json::Value;
use upgrade_planner::plan::Step;
use upgrade_planner::plan_file;

#[path = "common/wizard.rs"]
mod wizard;
use wizard::{H, answer, choose, click, type_into};

/// The multi-node Geo sample with node group 2's role `pages`, the method `nix`, saved at the
/// Topology step, as the app writes it.
fn plan_text() -> String {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/samples/multi-node-geo.upgrade-plan.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    v["topology"]["nodes"][1]["role"] = "pages".into();
    v["install"]["method"] = "nix".into();
    v["last_step"] = "topology".into();
    let plan = plan_file::parse(
        Path::new("p.json"),
        serde_json::to_string(&v).unwrap().as_bytes(),
    )
    .unwrap();
    plan_file::to_json(&plan)
}

fn save(h: &mut H) {
    click(h, "File");
    click(h, "Save  (Ctrl+S)");
    assert!(!h.state().is_dirty(), "status: {:?}", h.state().status);
}

fn saved(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Whether some node shows `text` as its label or its value (a dropdown shows its answer as
/// its value).
fn shows(h: &H, text: &str) -> bool {
    h.query_by_label(text).is_some() || h.query_by_value(text).is_some()
}

#[test]
fn kept_values_show_as_other_save_back_and_give_way_to_a_picked_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.upgrade-plan.json");
    let text = plan_text();
    std::fs::write(&path, &text).unwrap();
    let mut h = wizard::harness(
        wizard::app(wizard::platform_answering(
            dir.path(),
            Some(path.clone()),
            None,
        )),
        1280.0,
        3000.0,
    );
    click(&mut h, "Open plan…");
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    assert_eq!(h.state().step, Step::Topology);

    // The group's role reads "other: pages", with its warning beside it.
    assert!(shows(&h, "other: pages"), "the role is not shown as other");
    let warning = "`pages` is not a value this version of Upgrade Planner knows";
    assert_eq!(
        h.query_all_by_label_contains(warning).count(),
        2,
        "under the field and in the step's summary"
    );
    assert!(
        h.query_by_label_contains(&format!("Role of group 2: {warning}"))
            .is_some()
    );
    // The method is one more radio button, the selected one.
    h.state_mut().go_to(Step::Installation);
    h.run();
    let nix = h
        .get_by_label("Installation method")
        .get_by_label("other: nix");
    assert_eq!(
        nix.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );

    // Another answer edited and saved: the kept values are written as they were.
    h.state_mut().go_to(Step::Contact);
    h.run();
    type_into(&mut h, "Organisation", "Edited Ltd");
    save(&mut h);
    let v = saved(&path);
    assert_eq!(v["contact"]["organization"], "Edited Ltd");
    assert_eq!(v["topology"]["nodes"][1]["role"], "pages");
    assert_eq!(v["topology"]["nodes"][1]["count"], 2);
    assert_eq!(v["install"]["method"], "nix");
    let before: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["topology"], before["topology"], "nothing else moved");
    assert_eq!(v["install"], before["install"]);

    // Picking a known role replaces the kept one; the method stays as it was.
    h.state_mut().go_to(Step::Topology);
    h.run();
    choose(&mut h, "Role of group 2", "Sidekiq");
    assert!(!shows(&h, "other: pages"));
    assert!(h.state().is_dirty());
    save(&mut h);
    let v = saved(&path);
    assert_eq!(v["topology"]["nodes"][1]["role"], "sidekiq");
    assert_eq!(v["install"]["method"], "nix");

    // So does picking a known method.
    h.state_mut().go_to(Step::Installation);
    h.run();
    answer(&mut h, "Installation method", "Docker");
    assert!(!shows(&h, "other: nix"));
    save(&mut h);
    assert_eq!(saved(&path)["install"]["method"], "docker");
}

#[test]
fn a_recovered_draft_keeps_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file::parse(Path::new("p.json"), plan_text().as_bytes()).unwrap();
    let written = chrono::DateTime::parse_from_rfc3339("2026-11-21T09:30:00Z")
        .unwrap()
        .into();
    upgrade_planner::draft::write(dir.path(), &plan, None, written).unwrap();
    let mut h = wizard::harness(wizard::app(wizard::platform(dir.path())), 1280.0, 3000.0);
    click(&mut h, "Recover draft");
    assert_eq!(h.state().step, Step::Topology);
    assert_eq!(h.state().plan, plan);
    assert!(shows(&h, "other: pages"));
    // Another answer edited and autosaved again: the new draft still holds them.
    h.state_mut()
        .plan
        .contact
        .get_or_insert_with(Default::default)
        .organization = Some("Edited Ltd".into());
    h.run();
    h.state_mut().autosave_now();
    let draft = upgrade_planner::draft::read(dir.path()).unwrap().unwrap();
    let contact = draft.plan.contact.clone().unwrap_or_default();
    assert_eq!(contact.organization.as_deref(), Some("Edited Ltd"));
    assert_eq!(draft.plan.topology, plan.topology);
    assert_eq!(draft.plan.install, plan.install);
}
