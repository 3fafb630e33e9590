//! Undoing what hides a token from the rules: invisible characters inside it, a line break
//! through it, base64 around it.
//!
//! A [`View`] is the text with some characters taken out, and remembers where they were, so a
//! secret found in the view is reported at its place in the original text.

use std::sync::LazyLock;

use regex::Regex;

/// Characters that take no room on screen: zero-width spaces and joiners, the word joiner
/// and invisible operators, the byte-order mark, the soft hyphen, bidirectional marks and
/// controls, variation selectors, Hangul fillers and Unicode tag characters.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{E0000}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// Characters a token is made of, on both sides of a line break that splits it.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '=' | '.')
}

/// The text with characters removed, and where they were.
pub(super) struct View {
    pub text: String,
    /// `(p, n)`: before byte `p` of the view, `n` bytes of the original were removed in all.
    shifts: Vec<(usize, usize)>,
}

impl View {
    fn removed_before(&self, p: usize, inclusive: bool) -> usize {
        let i = self
            .shifts
            .partition_point(|&(at, _)| if inclusive { at <= p } else { at < p });
        i.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }

    /// Where byte `p` of the view (the start of a match) is in the original text.
    pub fn start(&self, p: usize) -> usize {
        p + self.removed_before(p, true)
    }

    /// Where a match that ends before byte `p` of the view ends in the original text.
    pub fn end(&self, p: usize) -> usize {
        p + self.removed_before(p, false)
    }
}

/// How to build a view.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Join {
    /// Only drop invisible characters.
    Invisible,
    /// Also drop a line break (with the blanks around it) between two token characters,
    /// including a literal `\n` as pasted from JSON.
    LineBreaks,
}

/// Length in bytes of a line break with its surrounding blanks at the start of `s`.
fn line_break_len(s: &str) -> Option<usize> {
    let blank = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    let mut i = blank(s);
    let rest = &s[i..];
    let brk = ["\r\n", "\n", "\r", "\\r\\n", "\\n"]
        .iter()
        .find(|b| rest.starts_with(**b))?;
    i += brk.len();
    i += blank(&s[i..]);
    Some(i)
}

/// The view of `text` with invisible characters (and, for [`Join::LineBreaks`], line breaks
/// inside tokens) removed; `None` when there is nothing to remove.
pub(super) fn view(text: &str, join: Join) -> Option<View> {
    let may_join = join == Join::LineBreaks
        && (text.contains('\n') || text.contains("\\n") || text.contains('\r'));
    if !may_join && !text.chars().any(is_invisible) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut removed = 0;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if is_invisible(c) {
            removed += c.len_utf8();
            i += c.len_utf8();
            shifts.push((out.len(), removed));
            continue;
        }
        if may_join
            && matches!(c, ' ' | '\t' | '\n' | '\r' | '\\')
            && out.chars().next_back().is_some_and(is_token_char)
            && let Some(len) = line_break_len(&text[i..])
            && text[i + len..].chars().next().is_some_and(is_token_char)
        {
            removed += len;
            i += len;
            shifts.push((out.len(), removed));
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    (!shifts.is_empty()).then_some(View { text: out, shifts })
}

static BASE64_RUN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_\-]{16,}={0,2}").ok());

/// Spans of `text` that may be base64 (16 characters or more of its alphabet).
pub(super) fn base64_runs(text: &str) -> Vec<(usize, usize)> {
    let Some(re) = BASE64_RUN.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    }))
}

/// The text that `run` encodes in base64 (standard or URL-safe alphabet, padded or not), when
/// it is mostly printable text; `None` for binary data or what is not base64.
pub(super) fn decode_base64(run: &str) -> Option<String> {
    let body = run.trim_end_matches('=');
    let standard = body.contains(['+', '/']);
    let url_safe = body.contains(['-', '_']);
    if (standard && url_safe) || body.len() % 4 == 1 {
        return None;
    }
    let mut bytes = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in body.bytes() {
        acc = (acc << 6) | sextet(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    let printable = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .count();
    (printable * 10 >= text.chars().count() * 9).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed_and_offsets_map_back() {
        let text = "x glpat-aB3d\u{200B}E5fG\u{FEFF}7hJ9 y";
        let v = view(text, Join::Invisible).unwrap();
        assert_eq!(v.text, "x glpat-aB3dE5fG7hJ9 y");
        let start = v.text.find("glpat").unwrap();
        let end = v.text.find(" y").unwrap();
        assert_eq!(
            &text[v.start(start)..v.end(end)],
            "glpat-aB3d\u{200B}E5fG\u{FEFF}7hJ9"
        );
        assert!(view("plain text\nwith lines", Join::Invisible).is_none());
    }

    #[test]
    fn line_breaks_inside_tokens_are_joined_but_paragraphs_are_not() {
        let v = view("token glpat-aB3dE\n   5fG7hJ9 here", Join::LineBreaks).unwrap();
        assert_eq!(v.text, "token glpat-aB3dE5fG7hJ9 here");
        let v = view("a literal glpat-aB3\\n5fG7", Join::LineBreaks).unwrap();
        assert_eq!(v.text, "a literal glpat-aB35fG7");
        // A blank line between is a paragraph break, and words end at punctuation.
        assert!(view("first.\n\nsecond", Join::LineBreaks).is_none());
        assert!(view("ends here,\nnext line", Join::LineBreaks).is_none());
    }

    #[test]
    fn base64_decodes_text_in_both_alphabets() {
        assert_eq!(
            decode_base64("Z2xwYXQtYUIzZEU1Zkc3aEo5a0wxbU4zcFE=").as_deref(),
            Some("glpat-aB3dE5fG7hJ9kL1mN3pQ")
        );
        assert_eq!(decode_base64("dXNlcjpwYXNz").as_deref(), Some("user:pass"));
        assert_eq!(decode_base64("PDw_Pz4-").as_deref(), Some("<<??>>"));
        assert_eq!(decode_base64("a+b-"), None);
        // Random bytes are not text.
        assert_eq!(decode_base64("q8Xh1lP2mZ7rT9vB3nK5sW0y"), None);
    }
}
