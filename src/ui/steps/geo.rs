//! Step 7: GitLab Geo.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::{GeoSite, TopologyKind};
use crate::ui::widgets::Form;

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let geo = ctx.plan.geo.get_or_insert_with(Default::default);
    form.yes_no(ui, "Is GitLab Geo used?", &mut geo.enabled, "geo.enabled");
    if geo.enabled != Some(true) {
        return;
    }
    section(ui, "Secondary sites");
    form.show_findings(ui, "geo.secondaries");
    let mut remove = None;
    for (i, site) in geo.secondaries.iter_mut().enumerate() {
        let n = i + 1;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(format!("Secondary site {n}")).strong());
            let mut name = if site.name.is_empty() {
                None
            } else {
                Some(site.name.clone())
            };
            if form.text(
                ui,
                &format!("Name of site {n}"),
                &mut name,
                &format!("geo.secondaries[{i}].name"),
                "e.g. eu-west",
            ) {
                site.name = name.unwrap_or_default();
            }
            form.text_optional(
                ui,
                &format!("Location of site {n}"),
                &mut site.location,
                &format!("geo.secondaries[{i}].location"),
                "e.g. Dublin",
            );
            form.choice(
                ui,
                &format!("Topology of site {n}"),
                &mut site.kind,
                &[
                    (TopologyKind::SingleNode, "Single node"),
                    (TopologyKind::MultiNode, "Multi-node"),
                ],
                &format!("geo.secondaries[{i}].kind"),
                "Choose",
            );
            let l = ui.label(RichText::new(format!("Nodes at site {n}")).strong());
            let mut count = site.node_count.unwrap_or(1);
            if ui
                .add(egui::DragValue::new(&mut count).range(1..=500))
                .labelled_by(l.id)
                .changed()
            {
                site.node_count = Some(count);
            }
            if site.node_count.is_none() {
                site.node_count = Some(count);
            }
            if ui.button(format!("Remove site {n}")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        geo.secondaries.remove(i);
    }
    if ui.button("Add a secondary site").clicked() {
        geo.secondaries.push(GeoSite {
            node_count: Some(1),
            kind: Some(TopologyKind::SingleNode),
            ..Default::default()
        });
    }
    ui.label(RichText::new("Geo upgrades go primary first, then each secondary; a PostgreSQL major upgrade means re-initialising replication. Adding a Geo site is outside Upgrade Assistance scope.").small().weak());
}
