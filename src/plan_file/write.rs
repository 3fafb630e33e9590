//! Writing plan files and exports: atomic, onto regular files only, never over the previous
//! plan without keeping it, and never a plan the app could not open again.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::plan::{FORMAT, Plan};

use super::{MAX_PLAN_BYTES, PlanFileError, PlanFileErrorKind, parse, special_file_kind};

/// The plan as the text of a plan file (pretty JSON, `format` and `schema_version` first).
/// Characters a terminal could act on are written as `\u` escapes (see
/// [`crate::text::json_safe`]); the plan reads back the same.
pub fn to_json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).unwrap_or_else(|e| {
        // Serialising plain data structures cannot fail; keep a readable trace if it ever does.
        format!("{{\"error\": \"cannot serialise plan: {e}\"}}")
    });
    text.push('\n');
    crate::text::json_safe(text)
}

/// The text [`save`] would write for `plan`, checked to open again (see [`check_readable`]).
pub fn saveable_text(path: &Path, plan: &Plan) -> Result<String, PlanFileError> {
    let text = to_json(plan);
    check_readable(path, text.as_bytes())?;
    Ok(text)
}

/// Refuse plan text that the app would refuse to open: over [`MAX_PLAN_BYTES`] (a compact
/// file near the limit grows when written pretty), or over another limit of the reader. The
/// error names `path` and says why, before anything is written.
pub fn check_readable(path: &Path, contents: &[u8]) -> Result<(), PlanFileError> {
    let refuse = |cause| {
        Err(PlanFileError::new(
            path,
            PlanFileErrorKind::NotSaved {
                cause: Box::new(cause),
            },
        ))
    };
    if contents.len() as u64 > MAX_PLAN_BYTES {
        return refuse(PlanFileErrorKind::TooLarge {
            size: contents.len() as u64,
        });
    }
    match parse(path, contents) {
        Ok(_) => Ok(()),
        Err(e) => refuse(e.kind),
    }
}

/// Whether `bytes` start the way a plan file does: `{` then `"format": "gitlab-upgrade-plan"`
/// as the first key (how this tool writes plans; a draft file starts with its own format).
pub fn starts_as_plan(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let rest = text.trim_start();
    let Some(rest) = rest.strip_prefix('{') else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix("\"format\"") else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    rest.trim_start().starts_with(&format!("\"{FORMAT}\""))
}

/// Whether the file at `path` is a plan file (judged from its first bytes).
fn is_plan_file(path: &Path) -> bool {
    let mut head = [0u8; 256];
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    starts_as_plan(&head[..n])
}

/// Where a write to `path` lands: `path` itself when it is a regular file or does not exist
/// yet, the file a symbolic link points to when that is a regular file. A directory, a named
/// pipe, a device, a socket, or a link to one of them or to nothing is refused: writing there
/// would replace it (or block, or feed a device).
pub fn output_target(path: &Path) -> Result<PathBuf, PlanFileError> {
    let refuse = |what: String| {
        Err(PlanFileError::new(
            path,
            PlanFileErrorKind::NotWritable { what },
        ))
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(PlanFileError::new(path, PlanFileErrorKind::Write(e))),
    };
    if meta.file_type().is_symlink() {
        return match fs::metadata(path) {
            Ok(t) if t.is_file() => fs::canonicalize(path)
                .map_err(|e| PlanFileError::new(path, PlanFileErrorKind::Write(e))),
            Ok(t) if t.is_dir() => refuse("a symbolic link to a directory".into()),
            Ok(t) => refuse(format!("a symbolic link to {}", special_file_kind(&t))),
            Err(_) => refuse("a symbolic link to a file that does not exist".into()),
        };
    }
    if meta.is_file() {
        Ok(path.to_path_buf())
    } else if meta.is_dir() {
        refuse("a directory".into())
    } else {
        refuse(special_file_kind(&meta).into())
    }
}

/// Whether `a` and `b` name the same file: the same path once links and `..` are resolved, or
/// (on Unix) the same file under two names (a hard link). Files that do not exist yet are
/// compared by their resolved folder and name.
pub fn same_file(a: &Path, b: &Path) -> bool {
    fn resolved(p: &Path) -> Option<PathBuf> {
        if let Ok(c) = fs::canonicalize(p) {
            return Some(c);
        }
        let name = p.file_name()?;
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(fs::canonicalize(parent).ok()?.join(name))
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b))
            && ma.dev() == mb.dev()
            && ma.ino() == mb.ino()
        {
            return true;
        }
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Write `contents` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target. A crash leaves either the old file or the new one, never half.
///
/// The target must be a regular file or not exist ([`output_target`]; a symbolic link is
/// followed). When it is a plan file, it is kept as `<name>.bak` first, as [`save_text`]
/// does; when `contents` is a plan, it must open again ([`check_readable`]).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), PlanFileError> {
    let target = output_target(path)?;
    if starts_as_plan(contents) {
        check_readable(path, contents)?;
    }
    let keep = is_plan_file(&target);
    replace(path, &target, contents, keep)
}

/// Where the previous version of a plan is kept: `<name>.bak` beside it.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "plan".into());
    name.push(".bak");
    path.with_file_name(name)
}

/// Save a plan atomically, keeping the previous version as `<name>.bak`.
pub fn save(path: &Path, plan: &Plan) -> Result<(), PlanFileError> {
    save_text(path, to_json(plan).as_bytes())
}

/// Write the text of a plan to `path`, keeping the file it replaces as `<name>.bak`.
///
/// Nothing is written when the text would not open again ([`check_readable`]) or when `path`
/// is not a regular file ([`output_target`]).
///
/// The order keeps both names whole at every moment, whatever instant the process dies:
/// the new text goes to a temporary file first (flushed); the old plan is then linked (or,
/// where links are not supported, copied and flushed) to a temporary name and renamed over
/// `<name>.bak`; only then is the new file renamed over the plan. A crash leaves the old or
/// the new plan at `path`, and an older or the previous plan at `<name>.bak`.
pub fn save_text(path: &Path, contents: &[u8]) -> Result<(), PlanFileError> {
    let target = output_target(path)?;
    check_readable(path, contents)?;
    replace(path, &target, contents, true)
}

/// Put `contents` at `target` atomically, first keeping the regular file there as
/// `<name>.bak` when `keep` is set. Errors name `path` (what the user asked for).
fn replace(path: &Path, target: &Path, contents: &[u8], keep: bool) -> Result<(), PlanFileError> {
    let werr = |e| PlanFileError::new(path, PlanFileErrorKind::Write(e));
    let dir = parent_dir(target);
    check_replaceable(target).map_err(|e| {
        werr(std::io::Error::new(
            e.kind(),
            format!("{}{e}; the file was not changed", in_use(&e, target)),
        ))
    })?;
    let tmp = flushed_temp_beside(target, &dir, contents).map_err(werr)?;
    if keep && fs::symlink_metadata(target).is_ok_and(|m| m.is_file()) {
        keep_backup(target, &dir).map_err(|e| {
            werr(std::io::Error::new(
                e.kind(),
                format!(
                    "cannot keep the previous version as {}: {}{e}; the file was not changed",
                    backup_path(target).display(),
                    in_use(&e, target)
                ),
            ))
        })?;
    }
    tmp.persist(target).map_err(|e| {
        let e = e.error;
        werr(std::io::Error::new(
            e.kind(),
            format!("{}{e}; the file was not changed", in_use(&e, target)),
        ))
    })?;
    sync_dir(&dir);
    Ok(())
}

/// What to tell the user when Windows refuses because another program has the file open
/// without letting others delete or rename it (an editor, a viewer, a virus scanner):
/// ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33).
fn in_use(e: &std::io::Error, target: &Path) -> String {
    if cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33)) {
        format!(
            "another program has {} open (close it there, then try again): ",
            target.display()
        )
    } else {
        String::new()
    }
}

/// Windows: a file another program holds open without letting others delete it cannot be
/// renamed over (nor linked as `.bak` and the link removed again). Asking for delete access
/// finds that out before anything is written beside it.
#[cfg(windows)]
fn check_replaceable(target: &Path) -> std::io::Result<()> {
    use std::os::windows::fs::OpenOptionsExt;
    const DELETE: u32 = 0x0001_0000;
    const SHARE_READ_WRITE_DELETE: u32 = 0x1 | 0x2 | 0x4;
    let opened = fs::OpenOptions::new()
        .access_mode(DELETE)
        .share_mode(SHARE_READ_WRITE_DELETE)
        .open(target);
    match opened {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Elsewhere a file open in another program can be replaced.
#[cfg(not(windows))]
fn check_replaceable(_target: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Replace `<name>.bak` by the current file at `path`, atomically.
fn keep_backup(path: &Path, dir: &Path) -> std::io::Result<()> {
    let bak = backup_path(path);
    // A unique name for the link: create a temporary file, then replace it by the link.
    let staged = temp_beside(path, dir)?.into_temp_path();
    let staged_path = staged.to_path_buf();
    fs::remove_file(&staged_path)?;
    if fs::hard_link(path, &staged_path).is_err() {
        // File systems without hard links: copy, then flush the copy.
        fs::copy(path, &staged_path)?;
        fs::File::open(&staged_path)?.sync_all()?;
    }
    let renamed = fs::rename(&staged_path, &bak);
    if renamed.is_err() {
        let _ = fs::remove_file(&staged_path);
    }
    // The temporary path object would delete `staged_path` on drop; it was renamed away
    // (or removed) already.
    let _ = staged.keep();
    renamed
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_beside(path: &Path, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// A temporary file beside `path` holding `contents`, flushed to disk, ready to be renamed
/// over `path`.
fn flushed_temp_beside(
    path: &Path,
    dir: &Path,
    contents: &[u8],
) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = temp_beside(path, dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Make renames in `dir` durable; failure here does not lose the new file.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
