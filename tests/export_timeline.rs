//! The exports follow the timeline (issue 13, item 4): the walkthrough plan (16.8.3-ee to 19.3,
//! external RDS PostgreSQL, three windows) gives a runbook per window, with the dependency
//! steps at their place and a backup at the start of each window, and a shorter PDF than the
//! runbook that repeated the whole backup block before every hop.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{load, model};
use upgrade_planner::export::pdf::layout::{Document, Fonts};
use upgrade_planner::export::pdf::sections;
use upgrade_planner::export::{ExportModel, Paper, RunbookEntry, markdown, pdf};
use upgrade_planner::plan::Plan;

const WALKTHROUGH: &str = "tests/fixtures/walkthrough-rds.upgrade-plan.json";

/// Pages of the walkthrough's PDF on main at 1143050, before the runbook followed the
/// windows (`upgrade-planner export tests/fixtures/walkthrough-rds.upgrade-plan.json --pdf`,
/// counted with pdfinfo), and of its runbook (from the top of page 12 to the top of page 27:
/// the checks and the whole backup block repeated before each of the 11 hops, and no
/// dependency step).
const PAGES_ON_MAIN: usize = 27;
const RUNBOOK_PAGES_ON_MAIN: f32 = 15.0;

/// The windows of each walkthrough window: start, go/no-go, the version it starts on.
const WINDOWS: [(&str, &str, &str); 3] = [
    ("Sat 12 Dec 2026 20:00", "Sun 13 Dec 2026 04:00", "16.8.3"),
    ("Sat 19 Dec 2026 20:00", "Sun 20 Dec 2026 04:00", "17.5.5"),
    ("Sat 9 Jan 2027 20:00", "Sun 10 Jan 2027 06:00", "18.5.7"),
];

/// The same plan in one window long enough for everything.
fn one_window(mut plan: Plan) -> Plan {
    plan.windows.truncate(1);
    plan.windows[0].last_hop = None;
    plan.windows[0].duration_hours = Some(40.0);
    plan
}

/// Text of each page, as a PDF reader extracts it, without white space (wrapping puts line
/// breaks anywhere).
fn pages_text(bytes: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(bytes)
        .unwrap()
        .into_iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The first and last page (0-based) of the runbook: from its heading to the findings'.
fn runbook_pages(doc: &Document) -> (usize, usize) {
    let (a, b) = runbook_span(doc);
    (a.0, b.0)
}

/// Where the runbook's heading and the findings' are: page and place on the page (0 at the
/// top of the body, 1 at its bottom).
fn runbook_span(doc: &Document) -> ((usize, f32), (usize, f32)) {
    let g = doc.geometry;
    let at = |title: &str| {
        doc.outline
            .iter()
            .find(|e| e.level == 0 && e.title == title)
            .map(|e| (e.page, (e.y - g.body_top) / (g.body_bottom - g.body_top)))
            .unwrap()
    };
    (at("9 Runbook"), at("10 Findings"))
}

/// The runbook's length in pages of body.
fn runbook_length(doc: &Document) -> f32 {
    let ((a, ya), (b, yb)) = runbook_span(doc);
    (b as f32 + yb) - (a as f32 + ya)
}

/// The entries of a runbook window as `hop N` or the dependency's component.
fn entry_kinds(m: &ExportModel, window: usize) -> Vec<String> {
    m.runbook.windows[window]
        .entries
        .iter()
        .map(|e| match e {
            RunbookEntry::Hop { number } => format!("hop {number}"),
            RunbookEntry::Dependency(d) => d.component.clone(),
        })
        .collect()
}

#[test]
fn the_runbook_is_written_window_by_window_with_the_steps_in_place() {
    let m = model(&load(WALKTHROUGH), Paper::A4, false);
    assert_eq!(m.windows.len(), 3);
    assert_eq!(m.runbook.windows.len(), 3);
    for (i, (start, go, version)) in WINDOWS.iter().enumerate() {
        let row = &m.windows[i];
        assert_eq!(
            row.title(3),
            format!("Window {} of 3: {start} Europe/Berlin", i + 1)
        );
        assert_eq!(row.go_no_go.as_deref(), Some(*go));
        assert_eq!(row.from_version, *version);
        let w = &m.runbook.windows[i];
        assert_eq!(w.start_version, *version);
        // Each window starts with its go/no-go time, checks and a backup with the secrets.
        assert!(w.start[0].text.starts_with(&format!("Go/no-go at {go}")));
        let commands: Vec<&str> = w
            .start
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect();
        assert!(
            commands.contains(&"sudo gitlab-backup create"),
            "{commands:?}"
        );
        assert!(
            commands.contains(
                &format!(
                    "sudo tar -czf gitlab-config-{version}.tar.gz /etc/gitlab /etc/ssh/ssh_host_*"
                )
                .as_str()
            )
        );
        assert!(
            w.start
                .iter()
                .any(|s| s.text.starts_with(&format!("Back up GitLab at {version}.")))
        );
    }
    // Hops and dependency steps in the order they are done, each window its own.
    assert_eq!(
        entry_kinds(&m, 0),
        ["hop 1", "PostgreSQL", "Configuration", "hop 2", "hop 3"]
    );
    assert_eq!(
        entry_kinds(&m, 1),
        ["hop 4", "hop 5", "Configuration", "hop 6", "hop 7"]
    );
    assert_eq!(
        entry_kinds(&m, 2),
        ["hop 8", "hop 9", "PostgreSQL", "hop 10", "hop 11"]
    );
    // The windows end where the next begins; the last has no end.
    assert!(
        m.runbook.windows[0].end[0]
            .text
            .starts_with("Window 1 ends on 17.5.5.")
    );
    assert!(m.runbook.windows[2].end.is_empty());
    // The external database: a backup first, the provider's upgrade, then GitLab's side.
    let RunbookEntry::Dependency(pg) = &m.runbook.windows[2].entries[2] else {
        panic!("not a step");
    };
    assert_eq!(pg.title, "PostgreSQL 16 → 17 (newest 17.x)");
    assert_eq!(pg.on_version, "18.11.11");
    let titles: Vec<&str> = pg.groups.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Backup at 18.11.11 first",
            "Before, on GitLab's side",
            "On the provider",
            "After, on GitLab's side"
        ]
    );
    // Not a backup before every hop: none of the hops takes one.
    assert!(m.runbook.hops.iter().all(|h| !h.backup));
    assert_eq!(m.runbook.hops.len(), 11);
}

#[test]
fn a_backup_before_every_hop_when_the_plan_asks_but_never_twice_at_one_version() {
    let mut plan = load(WALKTHROUGH);
    plan.backup_every_hop = Some(true);
    let m = model(&plan, Paper::A4, false);
    let backed_up: Vec<usize> = m
        .runbook
        .hops
        .iter()
        .filter(|h| h.backup)
        .map(|h| h.number)
        .collect();
    // Hop 1, 4 and 8 start their windows (backed up there); hop 2 follows the PostgreSQL
    // step, which took one at 16.11.10; hop 10 the one at 18.11.11.
    assert_eq!(backed_up, [3, 5, 6, 7, 9, 11]);
    let hop3 = m.runbook.hop(3).unwrap();
    assert!(
        hop3.pre_checks
            .iter()
            .any(|s| s.text.starts_with("Back up GitLab at 17.3.7."))
    );
}

#[test]
fn the_pdf_runbook_is_per_window_and_shorter() {
    let fonts = Fonts::load().unwrap();
    let three = model(&load(WALKTHROUGH), Paper::A4, false);
    let one = model(&one_window(load(WALKTHROUGH)), Paper::A4, false);
    let mut every = one_window(load(WALKTHROUGH));
    every.backup_every_hop = Some(true);
    let every = model(&every, Paper::A4, false);
    let docs: Vec<Document> = [&three, &one, &every]
        .iter()
        .map(|m| sections::layout(m, &fonts))
        .collect();
    let pages: Vec<usize> = docs.iter().map(|d| d.pages.len()).collect();
    let runbook: Vec<f32> = docs.iter().map(runbook_length).collect();
    // Pages of the whole PDF and of the runbook for three windows, one window, and one window
    // with a backup before every hop.
    let counts = format!("pages {pages:?}, runbook pages {runbook:?}");
    assert!(pages[0] + 3 <= PAGES_ON_MAIN, "{counts}");
    // About half of main's runbook (15 pages), though it now has the PostgreSQL and
    // configuration steps with their commands (about two and a half pages) that main's did
    // not: the routine of every hop is written out once and each hop lists it in short.
    assert!(runbook[0] <= RUNBOOK_PAGES_ON_MAIN * 0.56, "{counts}");
    // Each window adds its start (checks and backup); a backup before every hop adds more.
    assert!(pages[1] < pages[0], "{counts}");
    assert!(runbook[2] > runbook[1], "{counts}");
    for d in &docs {
        assert!(d.overflows().is_empty(), "{:?}", d.overflows());
    }

    // The PDF's text: each window with its heading, start, go/no-go, backup, hops and steps.
    let bytes = pdf::render_pdf(&three).unwrap();
    let text = pages_text(&bytes);
    assert_eq!(text.len(), pages[0]);
    let (first, last) = runbook_pages(&docs[0]);
    let rb = text[first..=last].concat();
    let mut at = 0;
    for (i, (start, go, version)) in WINDOWS.iter().enumerate() {
        let n = i + 1;
        for s in [
            format!("Window {n} of 3: {start} Europe/Berlin"),
            format!("go/no-go by {go}"),
            format!("Start of window {n} on {version}").to_uppercase(),
            format!("Back up GitLab at {version},"),
            format!("gitlab-config-{version}.tar.gz"),
        ] {
            let found = rb[at..].find(&squash(&s));
            assert!(found.is_some(), "`{s}` after {at} in the runbook");
            at += found.unwrap_or(0);
        }
    }
    // Hops and steps in order, with their commands.
    let mut at = 0;
    for s in [
        "Hop 1 of 11: 16.8.3 → 16.11.10",
        "sudo yum install gitlab-ee-16.11.10-ee.0.el8",
        "On 16.11.10: PostgreSQL 14.10 → 16 (newest 16.x)",
        "aws rds modify-db-instance",
        "vacuumdb",
        "Configuration that GitLab 17.0 refuses (2 changes)",
        "sudo gitlab-ctl check-config --version=17.0",
        "Hop 2 of 11: 16.11.10 → 17.3.7",
        "Hop 3 of 11",
        "Window 1 ends on 17.5.5",
        "Hop 4 of 11",
        "Hop 9 of 11",
        "On 18.11.11: PostgreSQL 16 → 17 (newest 17.x)",
        "Hop 10 of 11",
        "Hop 11 of 11: 19.2.4 → 19.3.0",
    ] {
        let found = rb[at..].find(&squash(s));
        assert!(found.is_some(), "`{s}` after {at} in the runbook");
        at += found.unwrap_or(0);
    }
    // Backups in the runbook: one per window, one before each PostgreSQL major upgrade and the
    // fresh one at the target (main's took one before each of the 11 hops and the last).
    assert_eq!(rb.matches("sudogitlab-backupcreate").count(), 3 + 2 + 1);
    // The routine of every hop is written out once; each hop says it in short, with its own
    // package commands.
    assert_eq!(
        rb.matches(&squash("Each hop below is done this way"))
            .count(),
        1
    );
    assert_eq!(rb.matches("sudogitlab-rakedb:migrate:status").count(), 1);
    for v in ["16.11.10", "17.5.5", "19.3.0"] {
        assert!(rb.contains(&squash(&format!(
            "Post-checks and the smoke test pass on {v}."
        ))));
        assert!(rb.contains(&squash(&format!("sudo yum install gitlab-ee-{v}-ee.0.el8"))));
    }
}

#[test]
fn the_markdown_has_the_timeline_at_a_glance_and_a_checklist_per_window() {
    let m = model(&load(WALKTHROUGH), Paper::A4, false);
    let md = markdown::render(&m);
    for (i, (start, go, version)) in WINDOWS.iter().enumerate() {
        let n = i + 1;
        assert!(
            md.contains(&format!("#### Window {n} of 3: {start} Europe/Berlin\n")),
            "{md}"
        );
        assert!(md.contains(&format!("go/no-go by {go}.")));
        assert!(md.contains(&format!(
            "- [ ] Start: checks pass, backup and secrets at `{version}`"
        )));
    }
    // The dependency steps sit in the table of their window, between the hops around them.
    let w1 = &md[md.find("#### Window 1 of 3").unwrap()..md.find("#### Window 2 of 3").unwrap()];
    let hop1 = w1.find("| 1 | `16.11.10` |").unwrap();
    let pg = w1
        .find("| + | PostgreSQL 14.10 → 16 (newest 16.x) after 16.11 | Planned step")
        .unwrap();
    let hop2 = w1.find("| 2 | `17.3.7` |").unwrap();
    assert!(hop1 < pg && pg < hop2);
    assert!(w1.contains("| 1.5 h |") && w1.contains("| 2 h |"));
    // The checklist keeps a box per hop and has one per dependency step.
    assert_eq!(
        md.lines().filter(|l| l.starts_with("- [ ] Hop ")).count(),
        11
    );
    assert!(md.contains(
        "- [ ] PostgreSQL 16 → 17 (newest 17.x) on `18.11.11`: backup and secrets at 18.11.11 first, GitLab stopped, upgrade by the provider"
    ));
    // One window: one table, no list of windows.
    let md1 = markdown::render(&model(&one_window(load(WALKTHROUGH)), Paper::A4, false));
    assert_eq!(md1.matches("#### ").count(), 1);
    assert!(md1.contains("#### Upgrade window: Sat 12 Dec 2026 20:00 Europe/Berlin\n"));
    assert!(md1.contains("| Window | "));
}

#[test]
fn the_plan_file_keeps_its_timeline_keys() {
    let plan = load(WALKTHROUGH);
    let json: serde_json::Value =
        serde_json::from_str(&upgrade_planner::export::plan_json(&plan)).unwrap();
    assert_eq!(json["windows"].as_array().unwrap().len(), 3);
    assert_eq!(json["windows"][0]["last_hop"], "17.5");
    assert_eq!(json["dependency_upgrades"][1]["after"], "18.11");
    for key in [
        "format",
        "schema_version",
        "plan_id",
        "versions",
        "topology",
        "backup",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
}
