//! Installing newer data files: each one checked to be a whole data file of a kind this build
//! reads, newer than the one in use, and consistent with the others, then written into the
//! data directory atomically. Nothing is written unless every file passes.

use std::path::{Path, PathBuf};

use super::{EMBEDDED, Knowledge, check_data_text};
use crate::version::Minor;

/// Data files bigger than this are refused (the embedded ones are well under 1 MB).
pub const MAX_DATA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A data file ready to be installed.
#[derive(Debug, Clone)]
pub struct DataCandidate {
    /// The name it is installed under, e.g. `releases.json`.
    pub name: &'static str,
    pub source: PathBuf,
    pub retrieved_at: String,
    text: String,
}

/// The file name a data file's `kind` stands for.
fn name_of_kind(kind: &str) -> Option<&'static str> {
    let name = match kind {
        "stops" => "stops.json",
        "releases" => "releases.json",
        "operating_systems" | "os" => "os.json",
        "requirements" => "requirements.json",
        "known_issues" => "known_issues.json",
        _ => return None,
    };
    EMBEDDED.iter().map(|(n, _)| *n).find(|n| *n == name)
}

/// Read one file and check it on its own: size, kind, format, the whole of it parsed.
pub fn read_candidate(path: &Path) -> Result<DataCandidate, String> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    if meta.len() > MAX_DATA_FILE_BYTES {
        return Err(format!(
            "{shown}: {} bytes is more than a data file may have ({MAX_DATA_FILE_BYTES})",
            meta.len()
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{shown}: cannot read as UTF-8 text: {e}"))?;
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let kind = serde_json::from_str::<Kind>(&text)
        .map_err(|e| {
            format!(
                "{shown}: not a valid data file (line {}, column {}): {e}",
                e.line(),
                e.column()
            )
        })?
        .kind
        .unwrap_or_default();
    let name = name_of_kind(&kind).ok_or_else(|| {
        format!(
            "{shown}: unknown kind of data {} (expected stops, releases, operating_systems, requirements or known_issues)",
            crate::text::quote(&kind)
        )
    })?;
    let header = check_data_text(name, &text, &shown)?;
    Ok(DataCandidate {
        name,
        source: path.to_path_buf(),
        retrieved_at: header.retrieved_at,
        text,
    })
}

/// What makes a set of data files contradict itself; empty when it does not.
pub fn consistency_problems(k: &Knowledge) -> Vec<String> {
    let mut out = Vec::new();
    let newest = semver::Version::parse(&k.releases.newest_known.version).ok();
    if newest.is_none() {
        out.push(format!(
            "releases.json: newest_known.version {} is not a version",
            crate::text::quote(&k.releases.newest_known.version)
        ));
    }
    if chrono::NaiveDate::parse_from_str(&k.releases.newest_known.date, "%Y-%m-%d").is_err() {
        out.push(format!(
            "releases.json: newest_known.date {} is not a date (YYYY-MM-DD)",
            crate::text::quote(&k.releases.newest_known.date)
        ));
    }
    for r in &k.releases.latest_patch_per_minor {
        let v = semver::Version::parse(&r.version).ok();
        match (Minor::parse(&r.minor), &v) {
            (Some(m), Some(v)) if Minor::of(v) == m => {}
            _ => out.push(format!(
                "releases.json: latest patch {} is not a version of minor {}",
                crate::text::quote(&r.version),
                crate::text::quote(&r.minor)
            )),
        }
        if let (Some(v), Some(n)) = (&v, &newest)
            && v > n
        {
            out.push(format!("releases.json: {v} is newer than newest_known {n}"));
        }
    }
    for s in &k.stops.stops {
        let Some(m) = s.minor_parsed else {
            out.push(format!(
                "stops.json: stop {} is not a major.minor",
                crate::text::quote(&s.minor)
            ));
            continue;
        };
        if let Some(p) = &s.latest_patch
            && semver::Version::parse(p).ok().map(|v| Minor::of(&v)) != Some(m)
        {
            out.push(format!(
                "stops.json: stop {m} has latest patch {}, not a {m} version",
                crate::text::quote(p)
            ));
        }
    }
    for major in k.stops.last_minor_of_major.keys() {
        if major.parse::<u64>().is_err() {
            out.push(format!(
                "stops.json: last_minor_of_major key {} is not a major version",
                crate::text::quote(major)
            ));
        }
    }
    out
}

/// Check `files` against the data in use (`current`, whose overrides live in `dir`): every
/// file must be newer than the one it replaces, no kind may come twice, and the data that
/// would result must be consistent and not older than today's. Returns the files to write.
pub fn check_install(
    current: &Knowledge,
    dir: &Path,
    files: &[PathBuf],
) -> Result<Vec<DataCandidate>, Vec<String>> {
    let mut problems = Vec::new();
    let mut chosen: Vec<DataCandidate> = Vec::new();
    for f in files {
        match read_candidate(f) {
            Err(e) => problems.push(e),
            Ok(c) => {
                if let Some(other) = chosen.iter().find(|o| o.name == c.name) {
                    problems.push(format!(
                        "{}: a second {} (the first is {})",
                        c.source.display(),
                        c.name,
                        other.source.display()
                    ));
                    continue;
                }
                if let Some(in_use) = current.sources.iter().find(|s| s.file == c.name)
                    && c.retrieved_at <= in_use.retrieved_at
                {
                    problems.push(format!(
                        "{}: its data ({}) is not newer than the {} in use ({}, {})",
                        c.source.display(),
                        c.retrieved_at,
                        c.name,
                        in_use.retrieved_at,
                        in_use.origin
                    ));
                    continue;
                }
                chosen.push(c);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    match combined(dir, &chosen) {
        Err(e) => return Err(vec![e]),
        Ok(k) => {
            problems.extend(consistency_problems(&k));
            if k.newest_known() < current.newest_known() {
                problems.push(format!(
                    "the new data's newest release {} is older than the {} of the data in use",
                    k.newest_known(),
                    current.newest_known()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(chosen)
    } else {
        Err(problems)
    }
}

/// The knowledge the data directory would give with `chosen` installed, built in a scratch
/// directory from copies.
fn combined(dir: &Path, chosen: &[DataCandidate]) -> Result<Knowledge, String> {
    let scratch = tempfile::tempdir()
        .map_err(|e| format!("cannot create a scratch directory to check the data: {e}"))?;
    for (name, _) in EMBEDDED {
        let target = scratch.path().join(name);
        let result = match chosen.iter().find(|c| c.name == name) {
            Some(c) => std::fs::write(&target, &c.text),
            None if dir.join(name).is_file() => std::fs::copy(dir.join(name), &target).map(|_| ()),
            None => Ok(()),
        };
        result.map_err(|e| format!("cannot prepare {name} for the check: {e}"))?;
    }
    Ok(Knowledge::load(Some(scratch.path())))
}

/// Write checked files into `dir` (created when missing), each atomically.
pub fn install(dir: &Path, chosen: &[DataCandidate]) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: cannot create the data directory: {e}", dir.display()))?;
    for c in chosen {
        let target = dir.join(c.name);
        crate::plan_file::write_atomic(&target, c.text.as_bytes())
            .map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_is_consistent() {
        assert_eq!(
            consistency_problems(&Knowledge::embedded()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn kinds_name_the_files() {
        assert_eq!(name_of_kind("operating_systems"), Some("os.json"));
        assert_eq!(name_of_kind("releases"), Some("releases.json"));
        assert_eq!(name_of_kind("plan"), None);
    }
}
