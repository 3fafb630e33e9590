//! Reading and writing plan files: tolerant where it can be, strict where it must be,
//! and atomic on save.

mod write;

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::plan::{FORMAT, Plan, SCHEMA_VERSION};
use crate::text::{one_line, quote, scrub_quoted};

pub use write::{
    backup_path, check_readable, output_target, same_file, save, save_text, saveable_text,
    starts_as_plan, to_json, write_atomic,
};

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
    /// More JSON values (or more lists and objects) than any plan holds; the file was not
    /// parsed. `limit` is the limit crossed, `what` what it counts.
    TooManyValues {
        limit: usize,
        what: &'static str,
        line: usize,
        column: usize,
    },
    /// A value has the wrong type or an unknown enum value.
    Invalid {
        field: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// The plan could not be written.
    Write(std::io::Error),
    /// An output that is not a regular file (a directory, a named pipe, a device, a link to
    /// one); nothing was written.
    NotWritable { what: String },
    /// The text to be written would be refused when opened again; nothing was written.
    NotSaved { cause: Box<PlanFileErrorKind> },
}

impl fmt::Display for PlanFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = one_line(&self.path.display().to_string()).into_owned();
        match &self.kind {
            PlanFileErrorKind::Syntax { line, column, .. }
            | PlanFileErrorKind::Invalid {
                line: Some(line),
                column: Some(column),
                ..
            } => write!(f, "{p}:{line}:{column}: {}", self.kind),
            _ => write!(f, "{p}: {}", self.kind),
        }
    }
}

impl fmt::Display for PlanFileErrorKind {
    /// What is wrong, without the file name (the error's own `Display` puts it in front).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanFileErrorKind::Io(e) => write!(f, "cannot read the file: {e}"),
            PlanFileErrorKind::Empty => write!(f, "the file is empty, it is not a plan"),
            PlanFileErrorKind::NotUtf8 { detail } => write!(f, "not a plan file: {detail}"),
            PlanFileErrorKind::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON: {message} (line {line}, column {column})"
            ),
            PlanFileErrorKind::NotAPlan { message } => write!(f, "not a plan file: {message}"),
            PlanFileErrorKind::TooNew { found } => write!(
                f,
                "this plan uses file format version {found}, but this Upgrade Planner reads up to version {SCHEMA_VERSION}; open it with a newer Upgrade Planner"
            ),
            PlanFileErrorKind::Invalid {
                field,
                line,
                column,
                message,
            } => match (line, column) {
                (Some(l), Some(c)) => write!(
                    f,
                    "invalid value at `{field}`: {message} (line {l}, column {c})"
                ),
                _ => write!(f, "invalid value at `{field}`: {message}"),
            },
            PlanFileErrorKind::TooLarge { size } => write!(
                f,
                "the file is {} ({size} bytes); a plan file is at most {} ({MAX_PLAN_BYTES} bytes), so this is not a plan",
                human_size(*size),
                human_size(MAX_PLAN_BYTES)
            ),
            PlanFileErrorKind::TooManyValues {
                limit,
                what,
                line,
                column,
            } => write!(
                f,
                "not a plan file: it holds more than {limit} {what} by line {line}, column {column}; a plan holds a few hundred"
            ),
            PlanFileErrorKind::NotAFile { what } => {
                write!(f, "not a plan file: it is {what}, not a regular file")
            }
            PlanFileErrorKind::TextTooLong { field, chars } => write!(
                f,
                "invalid value at `{field}`: the text is {chars} characters long; a plan answer is at most {MAX_TEXT_CHARS} characters"
            ),
            PlanFileErrorKind::Write(e) => write!(f, "cannot save the plan: {e}"),
            PlanFileErrorKind::NotWritable { what } => write!(
                f,
                "nothing was written: it is {what}, and only a regular file (or a new one) is written"
            ),
            PlanFileErrorKind::NotSaved { cause } => match cause.as_ref() {
                PlanFileErrorKind::TooLarge { size } => write!(
                    f,
                    "nothing was written: the plan would be {} ({size} bytes), over the {} a plan file may be, and could not be opened again; shorten the longest answers or remove unknown keys",
                    human_size(*size),
                    human_size(MAX_PLAN_BYTES)
                ),
                other => write!(
                    f,
                    "nothing was written: the plan could not be opened again ({other})"
                ),
            },
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

/// The longest single text answer, in characters (`char`s, not bytes): the per-answer limit.
///
/// Loading refuses a file with a longer text (naming the field), validation reports one as an
/// error at its field (rule `text_too_long`), and the wizard's text boxes stop accepting
/// characters at this length. Longer texts make the text boxes unusable and no answer needs
/// them; pasted logs belong in the ticket, not the plan.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// The most JSON values (each number, text, boolean, list and object counts one) a plan file
/// may hold. A real plan holds a few hundred; with [`MAX_JSON_CONTAINERS`] the limit keeps the
/// memory a file can make the reader use proportional to its size whatever its shape (a list of
/// millions of zeros took ninety times its size once parsed).
pub const MAX_JSON_VALUES: usize = 20_000;

/// The most lists and objects a plan file may hold (each takes a few hundred bytes once
/// parsed, for as little as three bytes of file). A real plan holds well under a hundred.
pub const MAX_JSON_CONTAINERS: usize = 5_000;

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
pub(crate) fn special_file_kind(meta: &fs::Metadata) -> &'static str {
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
pub(crate) fn special_file_kind(_meta: &fs::Metadata) -> &'static str {
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

/// A key as a message shows it in a field path: one line, and `[REDACTED]` when the key
/// itself looks like a secret (unknown keys are free text).
fn shown_key(key: &str) -> String {
    if crate::secrets::contains_secret(key) {
        crate::export::redact::REDACTED.to_string()
    } else {
        one_line(key).into_owned()
    }
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
            path.push_str(&shown_key(key));
            let found = overlong_text(item, path);
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Where `text` crosses [`MAX_JSON_VALUES`] or [`MAX_JSON_CONTAINERS`], if it does: the kind
/// refused, the limit, and the line and column (from 1). Counted without parsing: each `[`, `{`
/// and `,` outside strings starts at most one value or key-value pair, plus the first; each
/// `[` and `{` is a container. Malformed JSON, and nesting deeper than the parser accepts (it
/// says so, with the place), are left to the parser.
fn too_many_values(text: &str) -> Option<PlanFileErrorKind> {
    /// serde_json's nesting limit.
    const PARSER_DEPTH: usize = 128;
    let (mut values, mut containers, mut depth) = (1usize, 0usize, 0usize);
    let (mut line, mut line_start) = (1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        let crossed = match b {
            b'"' => {
                in_string = true;
                None
            }
            b'\n' => {
                line += 1;
                line_start = i + 1;
                None
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                None
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > PARSER_DEPTH {
                    return None;
                }
                values += 1;
                containers += 1;
                if containers > MAX_JSON_CONTAINERS {
                    Some((MAX_JSON_CONTAINERS, "lists and objects"))
                } else {
                    (values > MAX_JSON_VALUES).then_some((MAX_JSON_VALUES, "values"))
                }
            }
            b',' => {
                values += 1;
                (values > MAX_JSON_VALUES).then_some((MAX_JSON_VALUES, "values"))
            }
            _ => None,
        };
        if let Some((limit, what)) = crossed {
            return Some(PlanFileErrorKind::TooManyValues {
                limit,
                what,
                line,
                column: text[line_start..=i].chars().count(),
            });
        }
    }
    None
}

/// Parse the bytes of a plan file; `path` is only used in messages.
///
/// Memory stays proportional to the size: the number of values is checked before parsing,
/// and the parsed tree used for the header checks is dropped before the plan itself is read.
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
    if let Some(kind) = too_many_values(text) {
        return Err(err(kind));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(PlanFileErrorKind::Syntax {
            line: e.line(),
            column: e.column(),
            message: syntax_message(&e),
        })
    })?;
    let version = check_header(&value).map_err(err)?;
    // An older file is read from the text first too (into the current shape, where its keys
    // are known or kept aside): type errors and duplicate keys carry their line and column
    // there, which the migrated tree no longer has.
    if version == u64::from(SCHEMA_VERSION) || version > 0 {
        // Deserialise from the text so that type errors carry a line and column.
        let mut de = serde_json::Deserializer::from_str(text);
        let plan = serde_path_to_error::deserialize::<_, Plan>(&mut de).map_err(|e| {
            let field = field_path(&e);
            let inner = e.into_inner();
            err(PlanFileErrorKind::Invalid {
                field,
                line: Some(inner.line()),
                column: Some(inner.column()),
                message: scrub_quoted(&strip_position(&inner.to_string())),
            })
        })?;
        if version == u64::from(SCHEMA_VERSION) {
            return Ok(plan);
        }
    }
    let migrated = migrate(value, version);
    serde_path_to_error::deserialize::<_, Plan>(migrated).map_err(|e| {
        let field = field_path(&e);
        err(PlanFileErrorKind::Invalid {
            field,
            line: None,
            column: None,
            message: scrub_quoted(&e.into_inner().to_string()),
        })
    })
}

/// The checks made on the parsed tree before the plan is read from it: an object, the right
/// `format`, a `schema_version` this build reads, no overlong text. Returns the version.
fn check_header(value: &Value) -> Result<u64, PlanFileErrorKind> {
    let Value::Object(obj) = value else {
        return Err(PlanFileErrorKind::NotAPlan {
            message: format!("the top level is {}, not an object", json_kind(value)),
        });
    };
    match obj.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(other) => {
            return Err(PlanFileErrorKind::NotAPlan {
                message: format!("`format` is {}, expected \"{FORMAT}\"", shown_value(other)),
            });
        }
        None if obj.contains_key("schema_version") => {}
        None => {
            return Err(PlanFileErrorKind::NotAPlan {
                message: format!("it has no `format: \"{FORMAT}\"` key"),
            });
        }
    }
    let version = match obj.get("schema_version") {
        None => 0,
        Some(v) => v.as_u64().ok_or_else(|| PlanFileErrorKind::Invalid {
            field: "schema_version".into(),
            line: None,
            column: None,
            message: format!("expected a whole number, found {}", shown_value(v)),
        })?,
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(PlanFileErrorKind::TooNew { found: version });
    }
    if let Some((field, chars)) = overlong_text(value, &mut String::new()) {
        return Err(PlanFileErrorKind::TextTooLong { field, chars });
    }
    Ok(version)
}

/// A value from the file as a message shows it: a text only when [`quote`] allows it, a
/// number or a boolean as it is (when short), a list or an object by its kind.
fn shown_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {}", quote(s)),
        Value::Array(_) | Value::Object(_) => json_kind(v).to_string(),
        other => {
            let text = other.to_string();
            if text.len() <= crate::text::MAX_QUOTED_CHARS {
                text
            } else {
                json_kind(other).to_string()
            }
        }
    }
}

/// The field a deserialisation error is about; the root is called "(top level)". Key names
/// that look like secrets are replaced.
fn field_path<E>(e: &serde_path_to_error::Error<E>) -> String {
    match e.path().to_string() {
        p if p == "." || p.is_empty() => "(top level)".into(),
        p => one_line(&crate::export::redact::redact(&p)).into_owned(),
    }
}

/// Bring an older plan to the current schema version, one version at a time.
///
/// Version 0 is a plan written before files carried a `schema_version` (early drafts); it
/// has the same shape as version 1 and only gains the header keys. Version 1 has one
/// `window`; version 2 a list of `windows` (that window first) and dependency steps (none
/// yet: the validator proposes the ones the path needs).
fn migrate(mut value: Value, from: u64) -> Value {
    let mut version = from;
    while version < u64::from(SCHEMA_VERSION) {
        if let Value::Object(obj) = &mut value {
            match version {
                0 => {
                    obj.insert("format".into(), Value::String(FORMAT.into()));
                }
                1 => {
                    if let Some(w) = obj.remove("window") {
                        let windows = match w {
                            Value::Null => Vec::new(),
                            w => vec![w],
                        };
                        obj.insert("windows".into(), Value::Array(windows));
                    }
                }
                _ => {}
            }
            obj.insert("schema_version".into(), Value::from(version + 1));
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
    let text = one_line(&strip_position(&e.to_string())).into_owned();
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
