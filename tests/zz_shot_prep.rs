#![allow(clippy::unwrap_used)]
use chrono::{Duration, Utc, Timelike};
use upgrade_planner::export::{ExportMeta, ExportModel};
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::run::{self, Run, RunKind, Sheet, StepStatus};

#[test]
fn prep() {
    let k = Knowledge::embedded();
    let mut plan = upgrade_planner::plan_file::load(std::path::Path::new("tests/fixtures/run/two-hop.upgrade-plan.json")).unwrap();
    let now = Utc::now().with_second(0).unwrap();
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let mode = std::env::var("SHOT").unwrap_or_default();
    // window started 3h20 ago (deadline passed 10 min ago) or 1h ago
    let started = if mode == "late" { now - Duration::minutes(200) } else { now - Duration::minutes(70) };
    let local = started.with_timezone(&berlin).naive_local();
    plan.windows[0].start = Some(local.format("%Y-%m-%dT%H:%M").to_string());
    let a = upgrade_planner::validate::analyse(&plan, &k, now.date_naive());
    let m = ExportModel::build(&plan, &k, &a, ExportMeta::new(now));
    let s = Sheet::build(&plan, &a, &m, 1).unwrap();
    let mut r = Run::start(RunKind::Production, 1, started);
    let mut t = started;
    for id in s.section("start").unwrap().steps.iter().map(|x| x.id.clone()).collect::<Vec<_>>() {
        t += Duration::minutes(3);
        run::mark(&s, &mut r, &id, StepStatus::Done, "", t).unwrap();
    }
    let hop1: Vec<String> = s.section("hop1").unwrap().steps.iter().map(|x| x.id.clone()).collect();
    for id in &hop1 {
        t += Duration::minutes(4);
        if id == &hop1[0] {
            run::mark(&s, &mut r, id, StepStatus::Failed, "dnf lock held by dnf-automatic; stopped the timer", t).unwrap();
            t += Duration::minutes(5);
        }
        run::mark(&s, &mut r, id, StepStatus::Done, "", t).unwrap();
    }
    t += Duration::minutes(5);
    run::read_gate(&s, &mut r, "hop1", &std::fs::read_to_string("tests/fixtures/gate/bbm-status-mr71605.txt").unwrap(), t).unwrap();
    if mode == "late" {
        t += Duration::minutes(30);
        run::read_gate(&s, &mut r, "hop1", "0", t).unwrap();
        let hop2: Vec<String> = s.section("hop2").unwrap().steps.iter().map(|x| x.id.clone()).collect();
        for id in hop2.iter().take(3) {
            t += Duration::minutes(10);
            run::mark(&s, &mut r, id, StepStatus::Done, "", t).unwrap();
        }
    }
    plan.runs.push(r);
    let out = std::path::PathBuf::from(format!("/tmp/shots/{}.upgrade-plan.json", if mode.is_empty() { "run" } else { &mode }));
    upgrade_planner::plan_file::save(&out, &plan).unwrap();
}
