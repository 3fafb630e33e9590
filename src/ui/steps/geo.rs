//! Step 7: GitLab Geo.

use egui::{RichText, Ui};

use super::{StepCtx, section};
use crate::plan::{GeoSite, TopologyKind};
use crate::ui::widgets::Form;

pub fn show(ctx: &mut StepCtx<'_>, form: &mut Form<'_>, ui: &mut Ui) {
    let geo = ctx.plan.geo.get_or_insert_with(Default::default);
    form.field("geo.enabled")
        .required()
        .yes_no(ui, &mut geo.enabled);
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
            let mut name = (!site.name.is_empty()).then(|| site.name.clone());
            if form
                .field(&format!("geo.secondaries[{i}].name"))
                .required()
                .hint("e.g. eu-west")
                .text(ui, &mut name)
            {
                site.name = name.unwrap_or_default();
            }
            form.field(&format!("geo.secondaries[{i}].location"))
                .hint("e.g. Dublin")
                .text(ui, &mut site.location);
            form.field(&format!("geo.secondaries[{i}].kind"))
                .required()
                .open_radio(
                    ui,
                    &mut site.kind,
                    &[
                        (TopologyKind::SingleNode, "Single node"),
                        (TopologyKind::MultiNode, "Multi-node"),
                    ],
                );
            form.field(&format!("geo.secondaries[{i}].node_count"))
                .required()
                .hint("e.g. 1")
                .count(ui, &mut site.node_count);
            if ui.button(format!("Remove site {n}")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        geo.secondaries.remove(i);
        // Inputs below the removed site now show other sites: nothing typed may move with them.
        form.drafts.clear();
    }
    if ui.button("Add a secondary site").clicked() {
        geo.secondaries.push(GeoSite {
            node_count: Some(1),
            kind: Some(TopologyKind::SingleNode.into()),
            ..Default::default()
        });
    }
    ui.label(RichText::new("Geo upgrades go primary first, then each secondary; a PostgreSQL major upgrade means re-initialising replication. Adding a Geo site is outside Upgrade Assistance scope.").small().weak());
}
