//! Spots secrets pasted into plan texts (and key names), so the tool can refuse to let a plan
//! that holds one leave the machine, and never print one.
//!
//! Three kinds of rules:
//! - token rules ([`rules`]): a secret with a shape of its own (`glpat-…`, `hvs.…`, a JSON
//!   Web Token, a Slack webhook URL), following the high-confidence rules of gitleaks;
//! - context rules ([`context`]): a value made secret by what surrounds it (`password=…`,
//!   `Authorization: Bearer …`, `PRIVATE-TOKEN: …`, a URL's password, a `.pgpass` line, a
//!   Docker `auth` value, a private key block, a credible value under a key named like a
//!   secret);
//! - normalisation ([`normalise`]): the rules run again on the text without invisible
//!   characters, with line breaks inside tokens joined, and on what base64 runs decode to.
//!
//! Prose that merely mentions passwords or tokens, and values that are empty, masked or
//! placeholders (`<redacted>`, `***`, `${VAR}`, `glpat-xxxxxxxxxxxxxxxxxxxx`), are not reported.

mod context;
mod normalise;
mod rules;
mod values;

use normalise::{Join, View};

/// A secret found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretHit {
    /// What it looks like, e.g. `GitLab personal access token`.
    pub kind: &'static str,
    /// Byte offset of the first character of the secret itself (for an assignment, its value;
    /// for a URL, the password part; for a key block, the `-----BEGIN` line).
    pub start: usize,
    /// Byte offset just after the part the scanner matched (a key block goes on to its END
    /// line; [`crate::export::redact`] removes the whole block).
    pub end: usize,
}

/// The kind reported for a secret found inside base64.
pub const BASE64_KIND: &str = "base64-encoded secret";

/// What the normalised views add to the raw scan.
#[derive(Clone, Copy, PartialEq)]
enum Rules {
    All,
    TokensOnly,
}

/// A hit with its rank (order of discovery), used to drop overlapping reports.
struct Found {
    kind: &'static str,
    start: usize,
    end: usize,
    rank: usize,
}

/// The ids of the gitleaks default rules (`config/gitleaks.toml`) this scanner covers; the
/// README lists them, and the ones it does not cover with the reason.
pub fn gitleaks_rules_covered() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = rules::gitleaks_ids()
        .chain(context::GITLEAKS.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether `text` holds anything [`find_secrets`] reports.
pub fn contains_secret(text: &str) -> bool {
    !find_secrets(text).is_empty()
}

/// What [`find_secrets`] reports first in `text` (its kind), or `None` when it finds nothing.
///
/// The same as `find_secrets(text).first().map(|h| h.kind)`, remembered per text: the wizard
/// analyses the whole plan again after every keystroke, and scanning every answer each time
/// was most of the app's own work per keystroke. Only the text typed into is new then. The
/// memory holds at most [`MEMO_MAX_BYTES`] of texts and starts again when full.
pub fn first_secret_kind(text: &str) -> Option<&'static str> {
    if let Some(kind) = memo::get(text) {
        return kind;
    }
    let kind = find_secrets(text).first().map(|h| h.kind);
    memo::put(text, kind);
    kind
}

/// Forget what [`first_secret_kind`] remembers, so the next scans start cold (for benchmarks
/// that measure what one process analysing a plan once costs).
pub fn forget_scanned_texts() {
    memo::clear();
}

/// How many bytes of text [`first_secret_kind`] remembers at most.
pub const MEMO_MAX_BYTES: usize = 4 << 20;

mod memo {
    use std::collections::HashMap;
    use std::sync::{Mutex, PoisonError};

    /// Texts scanned before, with what was found first.
    #[derive(Default)]
    pub(super) struct Memo {
        kinds: HashMap<Box<str>, Option<&'static str>>,
        bytes: usize,
    }

    impl Memo {
        /// `Some(answer)` when `text` was scanned before.
        pub(super) fn get(&self, text: &str) -> Option<Option<&'static str>> {
            self.kinds.get(text).copied()
        }

        /// Remember `kind` for `text`, keeping at most `max_bytes` of texts: when the text
        /// does not fit, the memo starts again; a text larger than that is not kept.
        pub(super) fn put(&mut self, text: &str, kind: Option<&'static str>, max_bytes: usize) {
            if text.len() > max_bytes {
                return;
            }
            if self.bytes + text.len() > max_bytes {
                *self = Memo::default();
            }
            if self.kinds.insert(text.into(), kind).is_none() {
                self.bytes += text.len();
            }
        }
    }

    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

    pub(super) fn get(text: &str) -> Option<Option<&'static str>> {
        let memo = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        memo.as_ref()?.get(text)
    }

    pub(super) fn clear() {
        *MEMO.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    pub(super) fn put(text: &str, kind: Option<&'static str>) {
        let mut memo = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        memo.get_or_insert_with(Memo::default)
            .put(text, kind, super::MEMO_MAX_BYTES);
    }
}

/// Every secret in `text`, in text order. Overlapping findings are reported once.
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    let mut found: Vec<Found> = Vec::new();
    scan_text(text, Rules::All, None, &mut found);
    let invisible = normalise::view(text, Join::Invisible);
    if let Some(v) = &invisible {
        scan_text(&v.text, Rules::All, Some(v), &mut found);
    }
    let joined = normalise::view(text, Join::LineBreaks);
    if let Some(v) = &joined {
        scan_text(&v.text, Rules::TokensOnly, Some(v), &mut found);
    }
    let (view_text, view) = match &joined {
        Some(v) => (v.text.as_str(), Some(v)),
        None => (text, None),
    };
    scan_base64(view_text, view, &mut found);
    merge(found)
}

fn push(found: &mut Vec<Found>, view: Option<&View>, kind: &'static str, start: usize, end: usize) {
    let (start, end) = match view {
        Some(v) => (v.start(start), v.end(end)),
        None => (start, end),
    };
    let rank = found.len();
    found.push(Found {
        kind,
        start,
        end,
        rank,
    });
}

fn scan_text(text: &str, which: Rules, view: Option<&View>, found: &mut Vec<Found>) {
    let mut add = |kind, s, e| push(found, view, kind, s, e);
    rules::scan(text, &mut add);
    if which == Rules::All {
        context::scan(text, &mut add);
    }
}

/// Base64 runs whose decoded text holds a secret (a `glpat-` token encoded, a password in an
/// encoded config snippet). Only one level deep.
fn scan_base64(text: &str, view: Option<&View>, found: &mut Vec<Found>) {
    for (start, end) in normalise::base64_runs(text) {
        let Some(decoded) = normalise::decode_base64(&text[start..end]) else {
            continue;
        };
        let mut hit = false;
        let mut add = |_: &'static str, _: usize, _: usize| hit = true;
        rules::scan(&decoded, &mut add);
        context::scan(&decoded, &mut add);
        if hit {
            push(found, view, BASE64_KIND, start, end);
        }
    }
}

/// Hits in text order; one that starts inside an earlier one is merged into it.
fn merge(mut found: Vec<Found>) -> Vec<SecretHit> {
    found.sort_by_key(|f| (f.start, f.rank));
    let mut hits: Vec<SecretHit> = Vec::new();
    for f in found {
        match hits.last_mut() {
            Some(last) if f.start < last.end.max(last.start + 1) => {
                last.end = last.end.max(f.end);
            }
            _ => hits.push(SecretHit {
                kind: f.kind,
                start: f.start,
                end: f.end.max(f.start),
            }),
        }
    }
    hits
}

#[cfg(test)]
mod tests;
