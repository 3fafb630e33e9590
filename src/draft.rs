//! The autosaved draft: its file format, writing it, and deciding at the next start whether
//! to offer it.
//!
//! The wizard writes the open plan here every 30 seconds while it has unsaved changes. The
//! draft is one file (plan, source path and time together), written atomically, so a crash
//! at any moment leaves the previous draft or the new one. No UI code: the app shell calls
//! [`write`], [`check`], [`read`] and [`remove`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::Plan;
use crate::plan_file;

/// The draft file in the app's data directory.
pub const DRAFT_FILE: &str = "autosave.upgrade-plan-draft.json";
/// Where a draft that cannot be read is moved, so that nothing is deleted unseen; later ones
/// go to `autosave.unreadable-2.json`, `-3` and so on (see [`unreadable_path`]).
pub const UNREADABLE_FILE: &str = "autosave.unreadable.json";
/// How many unreadable drafts are kept at most; after that one stays where it is.
const MAX_UNREADABLE: u32 = 1000;
/// `format` of a draft file.
pub const DRAFT_FORMAT: &str = "upgrade-planner-draft";
/// A draft older than this is still offered, with a note that it is old.
pub const STALE_AFTER_DAYS: i64 = 14;

#[derive(Debug, Serialize, Deserialize)]
struct DraftFile {
    format: String,
    /// When the draft was written (UTC).
    saved_at: DateTime<Utc>,
    /// The plan file the draft belongs to (none for a plan never saved).
    source: Option<PathBuf>,
    /// The tool version that wrote it.
    tool_version: String,
    /// The plan, in the plan file format.
    plan: Value,
}

/// A draft as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub plan: Plan,
    pub source: Option<PathBuf>,
    pub saved_at: DateTime<Utc>,
}

/// What to do about a draft at start-up.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// No draft: the last session ended cleanly.
    Nothing,
    /// The draft holds nothing the plan file does not: it was removed, nothing to offer.
    AlreadySaved,
    /// The draft file could not be read. It was moved to `kept` (when that worked).
    Unreadable {
        message: String,
        kept: Option<PathBuf>,
    },
    /// Offer the draft. `notes` say why the user may not want it (old, or the plan file was
    /// changed after the draft was written, or is gone).
    Offer {
        draft: Box<Draft>,
        notes: Vec<String>,
    },
}

/// Write the draft of the open plan atomically.
pub fn write(
    dir: &Path,
    plan: &Plan,
    source: Option<&Path>,
    saved_at: DateTime<Utc>,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let plan = serde_json::to_value(plan).map_err(|e| format!("cannot serialise the plan: {e}"))?;
    let file = DraftFile {
        format: DRAFT_FORMAT.into(),
        saved_at,
        source: source.map(Path::to_path_buf),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        plan,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    plan_file::write_atomic(&dir.join(DRAFT_FILE), text.as_bytes()).map_err(|e| e.to_string())
}

/// The draft in `dir`, if there is one.
pub fn read(dir: &Path) -> Option<Result<Draft, String>> {
    let path = dir.join(DRAFT_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return None;
    }
    Some(read_file(&path))
}

fn read_file(path: &Path) -> Result<Draft, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    if !meta.is_file() || meta.len() > plan_file::MAX_PLAN_BYTES * 2 {
        return Err(format!("{shown}: not a draft file"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let file: DraftFile = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{shown}:{}:{}: not a readable draft: {}",
            e.line(),
            e.column(),
            crate::text::scrub_quoted(&e.to_string())
        )
    })?;
    if file.format != DRAFT_FORMAT {
        return Err(format!(
            "{shown}: not a draft file (format {})",
            crate::text::quote(&file.format)
        ));
    }
    // The plan goes through the plan file reader: same migration, limits and messages.
    let plan_text = serde_json::to_vec(&file.plan).map_err(|e| e.to_string())?;
    let plan = plan_file::parse(path, &plan_text).map_err(|e| e.to_string())?;
    Ok(Draft {
        plan,
        source: file.source,
        saved_at: file.saved_at,
    })
}

/// Remove the draft (after a save, on a clean exit, or when the user discards it).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(DRAFT_FILE));
}

/// Where the `n`-th unreadable draft is kept (`n` from 1): [`UNREADABLE_FILE`], then
/// `autosave.unreadable-2.json` and so on.
pub fn unreadable_path(dir: &Path, n: u32) -> PathBuf {
    if n <= 1 {
        dir.join(UNREADABLE_FILE)
    } else {
        dir.join(format!("autosave.unreadable-{n}.json"))
    }
}

/// Move the draft to the first free [`unreadable_path`]; an earlier unreadable draft is never
/// replaced. A hard link is made first (it fails rather than replace an existing file), then
/// the draft's own name removed; where links are not supported, the draft is renamed to a
/// name that does not exist.
fn keep_unreadable(dir: &Path) -> Option<PathBuf> {
    let draft = dir.join(DRAFT_FILE);
    for n in 1..=MAX_UNREADABLE {
        let kept = unreadable_path(dir, n);
        match std::fs::hard_link(&draft, &kept) {
            Ok(()) => {
                let _ = std::fs::remove_file(&draft);
                return Some(kept);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) if std::fs::symlink_metadata(&kept).is_ok() => {}
            Err(_) => return std::fs::rename(&draft, &kept).ok().map(|()| kept),
        }
    }
    None
}

/// Decide at start-up what to do with a draft left in `dir`.
///
/// A draft that cannot be read is moved aside, never deleted; a draft equal to its saved
/// plan file is removed; any other draft is offered, with notes when it is old or when its
/// plan file changed (or disappeared) after it was written.
pub fn check(dir: &Path, now: DateTime<Utc>) -> Recovery {
    let draft = match read(dir) {
        None => return Recovery::Nothing,
        Some(Ok(d)) => d,
        Some(Err(message)) => {
            let kept = keep_unreadable(dir);
            return Recovery::Unreadable { message, kept };
        }
    };
    let mut notes = Vec::new();
    if let Some(source) = &draft.source {
        match plan_file::load(source) {
            Ok(saved) if saved == draft.plan => {
                remove(dir);
                return Recovery::AlreadySaved;
            }
            Ok(_) => {
                let modified = std::fs::metadata(source)
                    .and_then(|m| m.modified())
                    .ok()
                    .map(DateTime::<Utc>::from);
                if modified.is_some_and(|m| m > draft.saved_at) {
                    notes.push(format!(
                        "{} was saved after this draft was written; recovering the draft brings back the older answers",
                        source.display()
                    ));
                }
            }
            Err(_) if !source.exists() => {
                notes.push(format!(
                    "{} no longer exists; save the recovered plan under a new name",
                    source.display()
                ));
            }
            Err(e) => notes.push(format!("its plan file cannot be read now: {e}")),
        }
    }
    let age = now.signed_duration_since(draft.saved_at);
    if age.num_days() >= STALE_AFTER_DAYS {
        notes.push(format!("the draft is {} days old", age.num_days()));
    }
    Recovery::Offer {
        draft: Box::new(draft),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, 0, 0).unwrap()
    }

    fn edited() -> Plan {
        let mut plan = Plan::new("2026-11-21T08:00:00Z");
        plan.plan_id = "0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10".into();
        plan.contact = Some(crate::plan::Contact {
            organization: Some("Crashed Corp".into()),
            ..Default::default()
        });
        plan
    }

    #[test]
    fn a_draft_is_one_file_with_source_time_and_plan() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("p.upgrade-plan.json");
        write(dir.path(), &edited(), Some(&source), at(10)).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(
            names,
            vec![DRAFT_FILE.to_string()],
            "no temporary files left"
        );
        let v: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(DRAFT_FILE)).unwrap()).unwrap();
        assert_eq!(v["format"], DRAFT_FORMAT);
        assert_eq!(v["saved_at"], "2026-11-21T10:00:00Z");
        assert_eq!(v["source"], source.display().to_string());
        assert_eq!(v["plan"]["contact"]["organization"], "Crashed Corp");
    }

    #[test]
    fn rewriting_a_draft_replaces_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &Plan::new("2026-11-21T08:00:00Z"), None, at(9)).unwrap();
        write(dir.path(), &edited(), None, at(10)).unwrap();
        let d = read(dir.path()).unwrap().unwrap();
        assert_eq!(d.plan, edited());
        assert_eq!(d.saved_at, at(10));
        assert_eq!(d.source, None);
    }

    #[test]
    fn recovery_offers_the_edits() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check(dir.path(), at(11)), Recovery::Nothing);
        write(dir.path(), &edited(), None, at(10)).unwrap();
        match check(dir.path(), at(11)) {
            Recovery::Offer { draft, notes } => {
                assert_eq!(draft.plan, edited());
                assert_eq!(draft.saved_at, at(10));
                assert!(notes.is_empty(), "{notes:?}");
            }
            other => panic!("expected an offer, got {other:?}"),
        }
        // Deciding does not consume the draft; removing does.
        assert!(read(dir.path()).is_some());
        remove(dir.path());
        assert_eq!(check(dir.path(), at(11)), Recovery::Nothing);
    }

    #[test]
    fn a_draft_equal_to_its_saved_file_is_not_offered() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("p.upgrade-plan.json");
        plan_file::save(&source, &edited()).unwrap();
        write(dir.path(), &edited(), Some(&source), at(10)).unwrap();
        assert_eq!(check(dir.path(), at(11)), Recovery::AlreadySaved);
        assert!(
            read(dir.path()).is_none(),
            "the redundant draft was removed"
        );
    }

    #[test]
    fn a_draft_with_edits_beyond_its_saved_file_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("p.upgrade-plan.json");
        plan_file::save(&source, &Plan::new("2026-11-21T08:00:00Z")).unwrap();
        // The draft was written long before the plan file was last saved: it is stale.
        let long_ago = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap();
        write(dir.path(), &edited(), Some(&source), long_ago).unwrap();
        match check(dir.path(), at(11)) {
            Recovery::Offer { draft, notes } => {
                assert_eq!(draft.plan, edited());
                assert_eq!(draft.source.as_deref(), Some(source.as_path()));
                assert!(
                    notes
                        .iter()
                        .any(|n| n.contains("was saved after this draft")),
                    "{notes:?}"
                );
                assert!(notes.iter().any(|n| n.contains("days old")), "{notes:?}");
            }
            other => panic!("expected an offer, got {other:?}"),
        }
    }

    #[test]
    fn a_draft_whose_plan_file_is_gone_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("gone.upgrade-plan.json");
        write(dir.path(), &edited(), Some(&source), at(10)).unwrap();
        match check(dir.path(), at(10)) {
            Recovery::Offer { notes, .. } => {
                assert!(
                    notes
                        .iter()
                        .any(|n| n.contains("gone.upgrade-plan.json") && n.contains("no longer")),
                    "{notes:?}"
                );
            }
            other => panic!("expected an offer, got {other:?}"),
        }
    }

    #[test]
    fn corrupt_drafts_are_reported_and_kept_aside() {
        for junk in [
            &b""[..],
            b"{\"format\": \"upgrade-planner-draft\", \"saved_at\": ",
            b"\xff\xfe\x00junk",
            b"{\"format\": \"something-else\", \"saved_at\": \"2026-11-21T10:00:00Z\", \"source\": null, \"tool_version\": \"0\", \"plan\": {}}",
            b"{\"format\": \"upgrade-planner-draft\", \"saved_at\": \"2026-11-21T10:00:00Z\", \"source\": null, \"tool_version\": \"0\", \"plan\": {\"format\": \"gitlab-upgrade-plan\", \"schema_version\": 99}}",
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(DRAFT_FILE), junk).unwrap();
            match check(dir.path(), at(11)) {
                Recovery::Unreadable { message, kept } => {
                    assert!(message.contains(DRAFT_FILE), "{message}");
                    let kept = kept.unwrap();
                    assert_eq!(std::fs::read(&kept).unwrap(), junk, "kept byte for byte");
                }
                other => panic!("{junk:?}: expected unreadable, got {other:?}"),
            }
            // Reported once: the next start finds nothing.
            assert_eq!(check(dir.path(), at(11)), Recovery::Nothing);
        }
    }

    #[test]
    fn a_second_unreadable_draft_does_not_replace_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let junk: [&[u8]; 3] = [b"first broken draft", b"second", b"third {"];
        let mut kept = Vec::new();
        for j in junk {
            std::fs::write(dir.path().join(DRAFT_FILE), j).unwrap();
            match check(dir.path(), at(11)) {
                Recovery::Unreadable { kept: Some(k), .. } => kept.push(k),
                other => panic!("expected unreadable and kept, got {other:?}"),
            }
        }
        assert_eq!(
            kept,
            (1..=3)
                .map(|n| unreadable_path(dir.path(), n))
                .collect::<Vec<_>>()
        );
        for (k, j) in kept.iter().zip(junk) {
            assert_eq!(
                std::fs::read(k).unwrap(),
                j,
                "{} kept byte for byte",
                k.display()
            );
        }
        assert!(!dir.path().join(DRAFT_FILE).exists());
    }
}
