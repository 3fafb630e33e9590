//! The timeline on the Versions step: the windows, each with its hops and dependency steps in
//! order and the time they take; steps moved within their range, proposed steps added, windows
//! split after a hop or merged, rehearsal timings entered.

use egui::{RichText, Ui};

use super::section;
use crate::plan::{Component, DependencyUpgrade, Plan, Window};
use crate::timeline::windows::{self, Item, WindowPlan};
use crate::timeline::{DependencyStep, Origin};
use crate::ui::widgets::{self, Form};
use crate::validate::{Analysis, Schedule};
use crate::version::Minor;

/// A change the user asked for, applied after the drawing.
enum Edit {
    AddStep(DependencyStep),
    Remove(usize),
    Move(usize, Minor),
    SplitAfter(usize, Minor),
    Merge(usize),
    ProposeSplit,
}

pub fn show(plan: &mut Plan, analysis: &Analysis, form: &mut Form<'_>, ui: &mut Ui) {
    let (Some(path), Some(schedule)) = (&analysis.path, &analysis.schedule) else {
        return;
    };
    section(ui, "Timeline and windows");
    widgets::help(
        ui,
        "Each window takes the hops and dependency steps in it, one after the other; the estimates (or your rehearsal timings) and a rollback reserve must fit. A dependency step can follow any GitLab version in its range: move it, or split the windows where your team wants to stop.",
    );
    let mut edits = Vec::new();
    proposals(ui, schedule, &mut edits);
    let count = schedule.windows.len();
    for w in &schedule.windows {
        window_box(ui, path, schedule, w, count, &mut edits);
    }
    if schedule.windows.iter().any(|w| w.fits == Some(false))
        && ui
            .button("Propose a split into windows of the first window's length")
            .clicked()
    {
        edits.push(Edit::ProposeSplit);
    }
    rehearsal(ui, plan, schedule, form);
    apply(plan, schedule, edits);
}

fn proposals(ui: &mut Ui, schedule: &Schedule, edits: &mut Vec<Edit>) {
    let t = &schedule.timeline;
    let (config, needed): (Vec<&DependencyStep>, Vec<&DependencyStep>) = t
        .proposals
        .iter()
        .partition(|p| p.component == Component::Config);
    if !needed.is_empty() {
        let color = widgets::error_color(ui);
        proposal_box(
            ui,
            &format!(
                "The path needs {} step(s) the plan does not have yet:",
                needed.len()
            ),
            color,
            &needed,
            edits,
        );
    }
    if !config.is_empty() {
        let color = ui.visuals().widgets.noninteractive.bg_stroke.color;
        proposal_box(
            ui,
            "Configuration a new major refuses, if your gitlab.rb still has it (add the change where you will make it):",
            color,
            &config,
            edits,
        );
    }
}

fn proposal_box(
    ui: &mut Ui,
    title: &str,
    color: egui::Color32,
    steps: &[&DependencyStep],
    edits: &mut Vec<Edit>,
) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(860.0));
            ui.label(RichText::new(title).strong());
            for p in steps {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!(
                        "{} after {} (it can follow GitLab {})",
                        p.title(),
                        p.after,
                        p.range_text()
                    ));
                    if ui.small_button("Add to the plan").clicked() {
                        edits.push(Edit::AddStep((*p).clone()));
                    }
                });
            }
            if steps.len() > 1 && ui.small_button("Add all of these").clicked() {
                for p in steps {
                    edits.push(Edit::AddStep((*p).clone()));
                }
            }
        });
    ui.add_space(6.0);
}

fn window_box(
    ui: &mut Ui,
    path: &crate::path::UpgradePath,
    schedule: &Schedule,
    w: &WindowPlan,
    count: usize,
    edits: &mut Vec<Edit>,
) {
    let color = match w.fits {
        Some(false) => widgets::warning_color(ui),
        _ => ui.visuals().widgets.noninteractive.bg_stroke.color,
    };
    let id = egui::Id::unique(("timeline-window", w.number));
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), |ui| {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, color))
            .show(ui, |ui| {
                ui.set_width(ui.available_width().min(860.0));
                ui.label(RichText::new(window_title(w)).strong());
                ui.label(RichText::new(window_times(w)).small());
                let hops_here: Vec<usize> = w
                    .items
                    .iter()
                    .filter_map(|it| match it {
                        Item::Hop { index, .. } => Some(*index),
                        Item::Step { .. } => None,
                    })
                    .collect();
                for it in &w.items {
                    match it {
                        Item::Hop {
                            index,
                            hours,
                            rehearsed,
                        } => {
                            hop_row(
                                ui, path, schedule, w, *index, *hours, *rehearsed, &hops_here,
                                edits,
                            );
                        }
                        Item::Step { step, hours } => step_row(ui, schedule, step, *hours, edits),
                    }
                }
                if w.number < count {
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .small_button(format!("Merge with window {}", w.number + 1))
                            .clicked()
                        {
                            edits.push(Edit::Merge(w.number - 1));
                        }
                    });
                    if let Some(last) = w
                        .last_hop
                        .and_then(|m| path.hops.iter().rev().find(|h| h.minor() == m))
                    {
                        widgets::help(ui, &windows::between(&last.display_version()));
                    }
                }
            });
    });
    ui.add_space(4.0);
}

fn window_title(w: &WindowPlan) -> String {
    format!(
        "Window {}: about {} h of work and a {} h rollback reserve{}",
        w.number,
        widgets::format_hours(&w.work_hours),
        widgets::format_hours(&w.rollback_hours),
        match (w.length, w.fits) {
            (Some(l), Some(false)) => format!(": more than its {} h", widgets::format_hours(&l)),
            (Some(l), _) => format!(" in {} h", widgets::format_hours(&l)),
            (None, _) => String::new(),
        }
    )
}

fn window_times(w: &WindowPlan) -> String {
    match (w.start, w.deadline) {
        (Some(s), Some(d)) => format!(
            "Starts {}; go/no-go by {} (after that, only a rollback fits).",
            s.format("%a %-d %b %Y %H:%M"),
            d.format("%a %-d %b %H:%M")
        ),
        (Some(s), None) => format!("Starts {}.", s.format("%a %-d %b %Y %H:%M")),
        _ => "Its date, time and length are asked on step 2.".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn hop_row(
    ui: &mut Ui,
    path: &crate::path::UpgradePath,
    schedule: &Schedule,
    w: &WindowPlan,
    index: usize,
    hours: f64,
    rehearsed: bool,
    hops_here: &[usize],
    edits: &mut Vec<Edit>,
) {
    let Some(hop) = path.hops.get(index) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("{}. GitLab {}", index + 1, hop.display_version()))
                .monospace()
                .strong(),
        );
        ui.label(
            RichText::new(format!(
                "{} h{}",
                widgets::format_hours(&hours),
                if rehearsed {
                    " (rehearsed)"
                } else {
                    " (estimate)"
                }
            ))
            .weak(),
        );
        // A window can end after any hop but its own last one (which already ends it).
        let last_in_window = hops_here.last() == Some(&index);
        let last_of_path = index + 1 == schedule.hops.len();
        if !last_in_window
            && !last_of_path
            && ui
                .small_button(format!("End window {} here", w.number))
                .on_hover_text("The hops after this one go to a new window")
                .clicked()
        {
            edits.push(Edit::SplitAfter(w.number - 1, hop.minor()));
        }
    });
}

fn step_row(
    ui: &mut Ui,
    schedule: &Schedule,
    step: &DependencyStep,
    hours: f64,
    edits: &mut Vec<Edit>,
) {
    let id = egui::Id::unique((
        "timeline-step",
        step.component,
        step.to.as_str(),
        step.plan_index,
    ));
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.add_space(16.0);
            let tag = match step.origin {
                Origin::Planned => "",
                Origin::Proposed => "Proposed: ",
                Origin::Automatic => "By the package: ",
            };
            ui.label(RichText::new(format!("{tag}{}", step.title())).strong());
            ui.label(
                RichText::new(format!(
                    "{} h (estimate) · can follow GitLab {}",
                    widgets::format_hours(&hours),
                    step.range_text()
                ))
                .weak(),
            );
            match (step.origin, step.plan_index) {
                (Origin::Planned, Some(i)) => {
                    move_choice(ui, schedule, step, i, edits);
                    if ui.small_button("Remove").clicked() {
                        edits.push(Edit::Remove(i));
                    }
                }
                (Origin::Proposed, _) if ui.small_button("Add to the plan").clicked() => {
                    edits.push(Edit::AddStep(step.clone()));
                }
                _ => {}
            }
        });
        if step.origin != Origin::Planned {
            widgets::help(ui, &step.reason);
        }
    });
}

/// Where a planned step can move: the path's versions inside its range.
fn move_choice(
    ui: &mut Ui,
    schedule: &Schedule,
    step: &DependencyStep,
    index: usize,
    edits: &mut Vec<Edit>,
) {
    let options: Vec<Minor> = schedule
        .timeline
        .positions
        .iter()
        .copied()
        .filter(|m| step.allows(*m))
        .collect();
    let label = ui.label("after");
    let mut chosen = step.after;
    egui::ComboBox::from_id_salt("after")
        .selected_text(step.after.to_string())
        .show_ui(ui, |ui| {
            for m in &options {
                ui.selectable_value(&mut chosen, *m, m.to_string());
            }
        })
        .response
        .labelled_by(label.id);
    if chosen != step.after {
        edits.push(Edit::Move(index, chosen));
    }
}

/// Hours a hop took in a rehearsal, which replace the estimates.
fn rehearsal(ui: &mut Ui, plan: &mut Plan, schedule: &Schedule, form: &mut Form<'_>) {
    egui::CollapsingHeader::new("Rehearsal timings (optional)")
        .id_salt("rehearsal-timings")
        .show(ui, |ui| {
            widgets::help(
                ui,
                "Hours each hop took on a test instance, from the upgrade to the background migrations finished; they replace the estimates.",
            );
            let mut seen = Vec::new();
            for m in &schedule.hops {
                if seen.contains(m) {
                    continue;
                }
                seen.push(*m);
                let key = m.to_string();
                let mut v = plan.hop_hours.get(&key).copied();
                if form
                    .field(&format!("hop_hours.{key}"))
                    .hint("hours")
                    .hours(ui, &mut v)
                {
                    match v {
                        Some(h) => plan.hop_hours.insert(key, h),
                        None => plan.hop_hours.remove(&key),
                    };
                }
            }
        });
}

fn upgrade_of(s: &DependencyStep) -> DependencyUpgrade {
    DependencyUpgrade {
        component: s.component.into(),
        to: s.to.clone(),
        after: s.after.to_string(),
        extra: Default::default(),
    }
}

fn apply(plan: &mut Plan, schedule: &Schedule, edits: Vec<Edit>) {
    for e in edits {
        match e {
            Edit::AddStep(s) => plan.dependency_upgrades.push(upgrade_of(&s)),
            Edit::Remove(i) if i < plan.dependency_upgrades.len() => {
                plan.dependency_upgrades.remove(i);
            }
            Edit::Move(i, m) => {
                if let Some(d) = plan.dependency_upgrades.get_mut(i) {
                    d.after = m.to_string();
                }
            }
            Edit::SplitAfter(i, m) => split_after(plan, i, m),
            Edit::Merge(i) if i + 1 < plan.windows.len() => {
                let next = plan.windows.remove(i + 1);
                plan.windows[i].last_hop = next.last_hop;
            }
            Edit::ProposeSplit => propose(plan, schedule),
            _ => {}
        }
    }
    // Configuration steps are kept apart from version steps in the list for readability.
    plan.dependency_upgrades
        .sort_by_key(|d| (d.component == Component::Config, Minor::parse(&d.after)));
}

/// Window `i` ends after `m`; what followed goes to a new window right after it.
fn split_after(plan: &mut Plan, i: usize, m: Minor) {
    plan.first_window_mut();
    let Some(w) = plan.windows.get_mut(i) else {
        return;
    };
    let rest = w.last_hop.take();
    w.last_hop = Some(m.to_string());
    let zone = w.time_zone.clone();
    let length = w.duration_hours;
    plan.windows.insert(
        i + 1,
        Window {
            time_zone: zone,
            duration_hours: length,
            last_hop: rest,
            ..Default::default()
        },
    );
}

/// Windows of the first window's length, split where the work fits.
fn propose(plan: &mut Plan, schedule: &Schedule) {
    let Some(length) = plan.first_window().and_then(|w| w.duration_hours) else {
        return;
    };
    let settings = crate::validate::schedule_settings(plan);
    let cuts = windows::propose_split(&schedule.hops, &schedule.timeline, length, &settings);
    let first = plan.first_window_mut().clone();
    let mut windows = Vec::new();
    for (i, cut) in cuts.iter().enumerate() {
        let w = plan.windows.get(i).cloned().unwrap_or_else(|| Window {
            time_zone: first.time_zone.clone(),
            duration_hours: first.duration_hours,
            ..Default::default()
        });
        windows.push(Window {
            last_hop: Some(cut.to_string()),
            ..w
        });
    }
    let last = plan
        .windows
        .get(cuts.len())
        .cloned()
        .unwrap_or_else(|| Window {
            time_zone: first.time_zone.clone(),
            duration_hours: first.duration_hours,
            ..Default::default()
        });
    windows.push(Window {
        last_hop: None,
        ..last
    });
    plan.windows = windows;
}
