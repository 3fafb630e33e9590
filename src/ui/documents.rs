//! Files the app keeps for itself in its data directory: the recent-plans list and the
//! autosaved draft. All IO here is called from the app shell, never from widget code.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::plan_file;

pub const RECENT_FILE: &str = "recent.json";
pub const DRAFT_FILE: &str = "autosave.upgrade-plan.json";
pub const DRAFT_META_FILE: &str = "autosave.meta.json";
pub const RECENT_MAX: usize = 10;

/// Which file the draft belongs to and when it was written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftMeta {
    pub source: Option<PathBuf>,
    pub saved_at: String,
}

/// A recovered draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub plan: Plan,
    pub meta: DraftMeta,
}

/// Recent plans, newest first, without files that no longer exist.
pub fn load_recent(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dir.join(RECENT_FILE)) else {
        return Vec::new();
    };
    let list: Vec<PathBuf> = serde_json::from_str(&text).unwrap_or_default();
    list.into_iter()
        .filter(|p| p.is_file())
        .take(RECENT_MAX)
        .collect()
}

/// Put `path` first in the list and store it.
pub fn push_recent(dir: &Path, list: &mut Vec<PathBuf>, path: &Path) -> Result<(), String> {
    list.retain(|p| p != path);
    list.insert(0, path.to_path_buf());
    list.retain(|p| p.is_file());
    list.truncate(RECENT_MAX);
    write_json(dir, RECENT_FILE, list)
}

fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    plan_file::write_atomic(&dir.join(name), text.as_bytes()).map_err(|e| e.to_string())
}

/// Write the draft of the open plan.
pub fn write_draft(dir: &Path, plan: &Plan, meta: &DraftMeta) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    plan_file::save(&dir.join(DRAFT_FILE), plan).map_err(|e| e.to_string())?;
    write_json(dir, DRAFT_META_FILE, meta)
}

/// The draft left by a session that did not end cleanly, if any.
pub fn read_draft(dir: &Path) -> Option<Result<Draft, String>> {
    let path = dir.join(DRAFT_FILE);
    if !path.is_file() {
        return None;
    }
    let meta = std::fs::read_to_string(dir.join(DRAFT_META_FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Some(
        plan_file::load(&path)
            .map(|plan| Draft { plan, meta })
            .map_err(|e| e.to_string()),
    )
}

/// Remove the draft (after a save, or when the user discards it).
pub fn remove_draft(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(DRAFT_FILE));
    let _ = std::fs::remove_file(dir.join(DRAFT_META_FILE));
}

/// A file name for a plan: `example-corp.upgrade-plan.json`.
pub fn suggested_name(plan: &Plan, extension: &str) -> String {
    let org = plan
        .contact
        .as_ref()
        .and_then(|c| c.organization.as_deref())
        .unwrap_or("gitlab");
    let mut slug: String = org
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "gitlab" } else { slug };
    format!("{slug}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_drops_missing_files_and_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::fs::write(&a, "{}").unwrap();
        std::fs::write(&b, "{}").unwrap();
        let mut list = Vec::new();
        push_recent(dir.path(), &mut list, &a).unwrap();
        push_recent(dir.path(), &mut list, &b).unwrap();
        assert_eq!(load_recent(dir.path()), vec![b.clone(), a.clone()]);
        std::fs::remove_file(&b).unwrap();
        assert_eq!(load_recent(dir.path()), vec![a]);
    }

    #[test]
    fn draft_round_trip_and_removal() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_draft(dir.path()).is_none());
        let mut plan = Plan::new("2026-11-21T10:00:00Z");
        plan.revision = 4;
        let meta = DraftMeta {
            source: Some("/tmp/x.json".into()),
            saved_at: "2026-11-21T10:00:00Z".into(),
        };
        write_draft(dir.path(), &plan, &meta).unwrap();
        let d = read_draft(dir.path()).unwrap().unwrap();
        assert_eq!(d.plan, plan);
        assert_eq!(d.meta, meta);
        remove_draft(dir.path());
        assert!(read_draft(dir.path()).is_none());
    }

    #[test]
    fn suggested_names_are_safe() {
        let mut plan = Plan::default();
        assert_eq!(
            suggested_name(&plan, "upgrade-plan.json"),
            "gitlab.upgrade-plan.json"
        );
        plan.contact = Some(crate::plan::Contact {
            organization: Some("Société Générale / R&D".into()),
            ..Default::default()
        });
        let name = suggested_name(&plan, "pdf");
        assert!(!name.contains('/') && !name.contains(' '), "{name}");
        assert!(name.ends_with(".pdf"));
    }
}
