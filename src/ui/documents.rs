//! Files the app keeps for itself in its data directory: the recent-plans list (the autosaved
//! draft is `crate::draft`). All IO here is called from the app shell, never from widget code.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::plan::Plan;
use crate::plan_file;

pub const RECENT_FILE: &str = "recent.json";
pub const RECENT_MAX: usize = 10;

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
