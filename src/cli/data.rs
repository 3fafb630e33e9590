//! `upgrade-planner data [install FILE...]`: the GitLab data in use, and installing newer files.

use std::path::PathBuf;

use serde::Serialize;

use crate::knowledge::{DataSource, Knowledge, check_install, default_data_dir, install};

use super::{DataAction, EXIT_INPUT, EXIT_OK, Output, knowledge, parse_today, shown, to_json};

#[derive(Serialize)]
struct DataJson<'a> {
    summary: String,
    data_date: &'a str,
    newest_known: &'a str,
    newest_known_date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stale: Option<String>,
    files: Vec<FileJson<'a>>,
    data_dir: Option<String>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    #[serde(flatten)]
    source: &'a DataSource,
    cites: &'a str,
}

pub(super) fn run(action: Option<DataAction>, json: bool, o: &mut Output) -> u8 {
    let k = knowledge(o);
    match action {
        None => show(k, json, o),
        Some(DataAction::Install { files }) => install_files(k, &files, o),
    }
}

fn show(k: &Knowledge, json: bool, o: &mut Output) -> u8 {
    let today = match parse_today(None) {
        Ok(t) => t,
        Err(e) => {
            o.warn(format_args!("upgrade-planner data: {e}"));
            return EXIT_INPUT;
        }
    };
    let stale = k.staleness(today).map(|s| s.message());
    let dir = default_data_dir();
    let citations = k.citations();
    if json {
        let files = k
            .sources
            .iter()
            .map(|s| FileJson {
                source: s,
                cites: citations
                    .iter()
                    .find(|(n, _)| *n == s.file)
                    .map(|(_, c)| *c)
                    .unwrap_or_default(),
            })
            .collect();
        o.json(&to_json(&DataJson {
            summary: k.data_summary(),
            data_date: k.data_date(),
            newest_known: &k.releases.newest_known.version,
            newest_known_date: &k.releases.newest_known.date,
            stale,
            files,
            data_dir: dir.as_ref().map(|d| d.display().to_string()),
        }));
        return EXIT_OK;
    }
    o.say(format_args!("In use: {}", k.data_summary()));
    if let Some(s) = stale {
        o.say(s);
    }
    o.say("");
    for s in &k.sources {
        o.say(format_args!(
            "  {:<18} {}  {}",
            s.file,
            s.retrieved_at,
            shown(&s.origin)
        ));
    }
    o.say("");
    o.say("Sources:");
    for (name, cites) in citations {
        o.say(format_args!("  {name}: {cites}"));
    }
    o.say("");
    match dir {
        Some(d) => o.say(format_args!(
            "Newer data files go in {} (or the directory UPGRADE_PLANNER_DATA_DIR names); install them with `upgrade-planner data install FILE...`.",
            shown(d.display())
        )),
        None => o.say(
            "This system has no configuration directory: set UPGRADE_PLANNER_DATA_DIR to a directory for newer data files.",
        ),
    }
    EXIT_OK
}

fn install_files(k: &Knowledge, files: &[PathBuf], o: &mut Output) -> u8 {
    let Some(dir) = default_data_dir() else {
        o.warn("upgrade-planner data install: this system has no configuration directory; set UPGRADE_PLANNER_DATA_DIR");
        return EXIT_INPUT;
    };
    let chosen = match check_install(k, &dir, files) {
        Ok(c) => c,
        Err(problems) => {
            for p in problems {
                o.warn(format_args!("upgrade-planner data install: {}", shown(p)));
            }
            o.warn("upgrade-planner data install: nothing was installed");
            return EXIT_INPUT;
        }
    };
    if let Err(e) = install(&dir, &chosen) {
        o.warn(format_args!("upgrade-planner data install: {}", shown(e)));
        return EXIT_INPUT;
    }
    for c in &chosen {
        o.say(format_args!(
            "installed {} ({}) from {} into {}",
            c.name,
            c.retrieved_at,
            shown(c.source.display()),
            shown(dir.display())
        ));
    }
    let now = Knowledge::load(Some(&dir));
    o.say(format_args!("In use now: {}", now.data_summary()));
    EXIT_OK
}
