//! Reading and writing plan files: tolerant where it can be, strict where it must be,
//! and atomic on save.

use std::fmt;
use std::fs;
use std::io::Write;
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

/// Read and parse a plan file.
pub fn load(path: &Path) -> Result<Plan, PlanFileError> {
    let meta =
        fs::metadata(path).map_err(|e| PlanFileError::new(path, PlanFileErrorKind::Io(e)))?;
    if meta.is_dir() {
        return Err(PlanFileError::new(
            path,
            PlanFileErrorKind::NotAPlan {
                message: "it is a directory".into(),
            },
        ));
    }
    let bytes = fs::read(path).map_err(|e| PlanFileError::new(path, PlanFileErrorKind::Io(e)))?;
    parse(path, &bytes)
}

/// Parse the bytes of a plan file; `path` is only used in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Plan, PlanFileError> {
    let err = |kind| PlanFileError::new(path, kind);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(err(PlanFileErrorKind::NotUtf8 {
            detail: "the file is UTF-16 text; save it as UTF-8".into(),
        }));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(PlanFileErrorKind::NotUtf8 {
            detail: format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        })
    })?;
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
    if version == u64::from(SCHEMA_VERSION) {
        // Deserialise from the text so that type errors carry a line and column.
        let mut de = serde_json::Deserializer::from_str(text);
        return serde_path_to_error::deserialize::<_, Plan>(&mut de).map_err(|e| {
            let field = e.path().to_string();
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
        let field = e.path().to_string();
        err(PlanFileErrorKind::Invalid {
            field,
            line: None,
            column: None,
            message: e.into_inner().to_string(),
        })
    })
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
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(werr)?;
    tmp.write_all(contents).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    tmp.persist(path).map_err(|e| werr(e.error))?;
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        // Make the rename itself durable; failure here does not lose the new file.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Save a plan atomically.
pub fn save(path: &Path, plan: &Plan) -> Result<(), PlanFileError> {
    write_atomic(path, to_json(plan).as_bytes())
}
