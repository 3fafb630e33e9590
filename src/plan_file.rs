//! Reading and writing plan files: tolerant where it can be, strict where it must be,
//! and atomic on save.

use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::plan::{FORMAT, Plan, SCHEMA_VERSION};

/// Why a plan file could not be read. Every variant names the file.
#[derive(Debug)]
pub struct PlanFileError {
    pub path: PathBuf,
    pub kind: PlanFileErrorKind,
}

#[derive(Debug)]
pub enum PlanFileErrorKind {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file is empty (or only white space).
    Empty,
    /// The bytes are not UTF-8 text (e.g. UTF-16 or binary).
    NotUtf8 { detail: String },
    /// The text is not valid JSON.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON but not a plan (not an object, wrong `format`).
    NotAPlan { message: String },
    /// Written by a newer version of the tool.
    TooNew { found: u64 },
    /// The file is bigger than any plan can be; it was not read.
    TooLarge { size: u64 },
    /// Not a regular file (a FIFO, socket or device): reading it could block forever.
    NotAFile { what: &'static str },
    /// One text answer is longer than the wizard can edit.
    TextTooLong { field: String, chars: usize },
    /// A value has the wrong type or an unknown enum value.
    Invalid {
        field: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// The plan could not be written.
    Write(std::io::Error),
}

impl fmt::Display for PlanFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            PlanFileErrorKind::Io(e) => write!(f, "{p}: cannot read the file: {e}"),
            PlanFileErrorKind::Empty => write!(f, "{p}: the file is empty, it is not a plan"),
            PlanFileErrorKind::NotUtf8 { detail } => {
                write!(f, "{p}: not a plan file: {detail}")
            }
            PlanFileErrorKind::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "{p}:{line}:{column}: not valid JSON: {message} (line {line}, column {column})"
            ),
            PlanFileErrorKind::NotAPlan { message } => write!(f, "{p}: not a plan file: {message}"),
            PlanFileErrorKind::TooNew { found } => write!(
                f,
                "{p}: this plan uses file format version {found}, but this Upgrade Planner reads up to version {SCHEMA_VERSION}; open it with a newer Upgrade Planner"
            ),
            PlanFileErrorKind::Invalid {
                field,
                line,
                column,
                message,
            } => match (line, column) {
                (Some(l), Some(c)) => write!(
                    f,
                    "{p}:{l}:{c}: invalid value at `{field}`: {message} (line {l}, column {c})"
                ),
                _ => write!(f, "{p}: invalid value at `{field}`: {message}"),
            },
            PlanFileErrorKind::TooLarge { size } => write!(
                f,
                "{p}: the file is {} ({size} bytes); a plan file is at most {} ({MAX_PLAN_BYTES} bytes), so this is not a plan",
                human_size(*size),
                human_size(MAX_PLAN_BYTES)
            ),
            PlanFileErrorKind::NotAFile { what } => {
                write!(f, "{p}: not a plan file: it is {what}, not a regular file")
            }
            PlanFileErrorKind::TextTooLong { field, chars } => write!(
                f,
                "{p}: invalid value at `{field}`: the text is {chars} characters long; a plan answer is at most {MAX_TEXT_CHARS} characters"
            ),
            PlanFileErrorKind::Write(e) => write!(f, "{p}: cannot save the plan: {e}"),
        }
    }
}

impl std::error::Error for PlanFileError {}

impl PlanFileError {
    fn new(path: &Path, kind: PlanFileErrorKind) -> PlanFileError {
        PlanFileError {
            path: path.to_path_buf(),
            kind,
        }
    }
}

/// The largest plan file that is read at all. A real plan is well under 200 KB; the limit
/// leaves room for long notes while refusing files that would only exhaust memory.
pub const MAX_PLAN_BYTES: u64 = 8 * 1024 * 1024;

/// The longest single text answer (in characters). Longer texts make the wizard's text boxes
/// unusable and no answer needs them; pasted logs belong in the ticket, not the plan.
pub const MAX_TEXT_CHARS: usize = 100_000;

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Read and parse a plan file.
///
/// The size is checked before anything is read, and the read itself stops after
/// [`MAX_PLAN_BYTES`] (for files whose reported size is not their real one).
pub fn load(path: &Path) -> Result<Plan, PlanFileError> {
    let io = |e| PlanFileError::new(path, PlanFileErrorKind::Io(e));
    let meta = fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(PlanFileError::new(
            path,
            PlanFileErrorKind::NotAPlan {
                message: "it is a directory".into(),
            },
        ));
    }
    if !meta.is_file() {
        return Err(PlanFileError::new(
            path,
            PlanFileErrorKind::NotAFile {
                what: special_file_kind(&meta),
            },
        ));
    }
    if meta.len() > MAX_PLAN_BYTES {
        return Err(PlanFileError::new(
            path,
            PlanFileErrorKind::TooLarge { size: meta.len() },
        ));
    }
    let file = fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(PlanFileError::new(
            path,
            PlanFileErrorKind::TooLarge {
                size: bytes.len() as u64,
            },
        ));
    }
    parse(path, &bytes)
}

#[cfg(unix)]
fn special_file_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_meta: &fs::Metadata) -> &'static str {
    "a special file"
}

/// Text from the bytes of a plan file: UTF-8 (with or without a byte-order mark) or UTF-16
/// with a byte-order mark (what Windows PowerShell 5 writes when output is redirected).
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    let utf16 = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16))
    } else {
        bytes
            .strip_prefix(&[0xFE, 0xFF])
            .map(|rest| (rest, u16::from_be_bytes as fn([u8; 2]) -> u16))
    };
    if let Some((rest, unit)) = utf16 {
        if rest.len() % 2 != 0 {
            return Err(format!(
                "the file is UTF-16 text with an odd number of bytes ({}); it looks truncated",
                bytes.len()
            ));
        }
        let units = rest.chunks_exact(2).map(|c| unit([c[0], c[1]]));
        let mut text = String::with_capacity(rest.len() / 2);
        for (i, ch) in char::decode_utf16(units).enumerate() {
            match ch {
                Ok(c) => text.push(c),
                Err(_) => {
                    return Err(format!(
                        "the file is not valid UTF-16 text (unpaired surrogate at byte offset {})",
                        2 + 2 * i
                    ));
                }
            }
        }
        return Ok(std::borrow::Cow::Owned(text));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(nul) = utf16_without_bom(bytes) {
        return Err(format!(
            "the file looks like UTF-16 text without a byte-order mark (NUL byte at offset {nul}); save it as UTF-8"
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    // JSON text never holds a NUL byte; UTF-16 without a byte-order mark is full of them.
    if let Some(i) = text.find('\0') {
        return Err(format!(
            "the file holds a NUL byte at offset {i}: it is binary, or UTF-16 text without a byte-order mark; save it as UTF-8"
        ));
    }
    Ok(std::borrow::Cow::Borrowed(text))
}

/// UTF-16 without a byte-order mark starts with ASCII characters each beside a NUL byte
/// (`{`, a line break, `"`): the offset of the first NUL, when the first bytes look so.
fn utf16_without_bom(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8)];
    if head.len() < 4 {
        return None;
    }
    (0..2).find(|&nul_at| {
        head.iter().enumerate().all(|(i, &c)| {
            if i % 2 == nul_at {
                c == 0
            } else {
                c != 0 && c.is_ascii()
            }
        })
    })
}

/// The first string in `v` longer than [`MAX_TEXT_CHARS`], with its field path.
fn overlong_text(v: &Value, path: &mut String) -> Option<(String, usize)> {
    match v {
        Value::String(s) if s.len() > MAX_TEXT_CHARS => {
            let chars = s.chars().count();
            (chars > MAX_TEXT_CHARS).then(|| (path.clone(), chars))
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = overlong_text(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            let found = overlong_text(item, path);
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Parse the bytes of a plan file; `path` is only used in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Plan, PlanFileError> {
    let err = |kind| PlanFileError::new(path, kind);
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(err(PlanFileErrorKind::TooLarge {
            size: bytes.len() as u64,
        }));
    }
    let text = decode(bytes).map_err(|detail| err(PlanFileErrorKind::NotUtf8 { detail }))?;
    let text: &str = &text;
    if text.trim().is_empty() {
        return Err(err(PlanFileErrorKind::Empty));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(PlanFileErrorKind::Syntax {
            line: e.line(),
            column: e.column(),
            message: syntax_message(&e),
        })
    })?;
    let Value::Object(obj) = &value else {
        return Err(err(PlanFileErrorKind::NotAPlan {
            message: format!("the top level is {}, not an object", json_kind(&value)),
        }));
    };
    match obj.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(other) => {
            return Err(err(PlanFileErrorKind::NotAPlan {
                message: format!("`format` is {other}, expected \"{FORMAT}\""),
            }));
        }
        None if obj.contains_key("schema_version") => {}
        None => {
            return Err(err(PlanFileErrorKind::NotAPlan {
                message: format!("it has no `format: \"{FORMAT}\"` key"),
            }));
        }
    }
    let version = match obj.get("schema_version") {
        None => 0,
        Some(v) => v.as_u64().ok_or_else(|| {
            err(PlanFileErrorKind::Invalid {
                field: "schema_version".into(),
                line: None,
                column: None,
                message: format!("expected a whole number, found {v}"),
            })
        })?,
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(err(PlanFileErrorKind::TooNew { found: version }));
    }
    if let Some((field, chars)) = overlong_text(&value, &mut String::new()) {
        return Err(err(PlanFileErrorKind::TextTooLong { field, chars }));
    }
    if version == u64::from(SCHEMA_VERSION) {
        // Deserialise from the text so that type errors carry a line and column.
        let mut de = serde_json::Deserializer::from_str(text);
        return serde_path_to_error::deserialize::<_, Plan>(&mut de).map_err(|e| {
            let field = field_path(&e);
            let inner = e.into_inner();
            err(PlanFileErrorKind::Invalid {
                field,
                line: Some(inner.line()),
                column: Some(inner.column()),
                message: strip_position(&inner.to_string()),
            })
        });
    }
    let migrated = migrate(value, version);
    serde_path_to_error::deserialize::<_, Plan>(migrated).map_err(|e| {
        let field = field_path(&e);
        err(PlanFileErrorKind::Invalid {
            field,
            line: None,
            column: None,
            message: e.into_inner().to_string(),
        })
    })
}

/// The field a deserialisation error is about; the root is called "(top level)".
fn field_path<E>(e: &serde_path_to_error::Error<E>) -> String {
    match e.path().to_string() {
        p if p == "." || p.is_empty() => "(top level)".into(),
        p => p,
    }
}

/// Bring an older plan to the current schema version, one version at a time.
///
/// Version 0 is a plan written before files carried a `schema_version` (early drafts); it
/// has the same shape as version 1 and only gains the header keys.
fn migrate(mut value: Value, from: u64) -> Value {
    let mut version = from;
    while version < u64::from(SCHEMA_VERSION) {
        if version == 0
            && let Value::Object(obj) = &mut value
        {
            obj.insert("format".into(), Value::String(FORMAT.into()));
            obj.insert("schema_version".into(), Value::from(1));
        }
        version += 1;
    }
    value
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn syntax_message(e: &serde_json::Error) -> String {
    let text = strip_position(&e.to_string());
    if e.is_eof() {
        format!("{text}; the file looks truncated")
    } else {
        text
    }
}

/// serde_json appends " at line L column C"; the caller prints the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The plan as the text of a plan file (pretty JSON, `format` and `schema_version` first).
pub fn to_json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).unwrap_or_else(|e| {
        // Serialising plain data structures cannot fail; keep a readable trace if it ever does.
        format!("{{\"error\": \"cannot serialise plan: {e}\"}}")
    });
    text.push('\n');
    text
}

/// Write `contents` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target. A crash leaves either the old file or the new one, never half.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), PlanFileError> {
    let werr = |e| PlanFileError::new(path, PlanFileErrorKind::Write(e));
    let dir = parent_dir(path);
    let tmp = flushed_temp_beside(path, &dir, contents).map_err(werr)?;
    tmp.persist(path).map_err(|e| werr(e.error))?;
    sync_dir(&dir);
    Ok(())
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
/// The order keeps both names whole at every moment, whatever instant the process dies:
/// the new text goes to a temporary file first (flushed); the old plan is then linked (or,
/// where links are not supported, copied and flushed) to a temporary name and renamed over
/// `<name>.bak`; only then is the new file renamed over the plan. A crash leaves the old or
/// the new plan at `path`, and an older or the previous plan at `<name>.bak`.
pub fn save_text(path: &Path, contents: &[u8]) -> Result<(), PlanFileError> {
    let werr = |e| PlanFileError::new(path, PlanFileErrorKind::Write(e));
    let dir = parent_dir(path);
    let tmp = flushed_temp_beside(path, &dir, contents).map_err(werr)?;
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        keep_backup(path, &dir).map_err(|e| {
            werr(std::io::Error::new(
                e.kind(),
                format!(
                    "cannot keep the previous version as {}: {e}; the plan was not changed",
                    backup_path(path).display()
                ),
            ))
        })?;
    }
    tmp.persist(path).map_err(|e| werr(e.error))?;
    sync_dir(&dir);
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
