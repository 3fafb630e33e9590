//! Making untrusted text safe to show: in a one-line message on a terminal, in an export, or
//! quoted inside an error.
//!
//! A plan file, a path or a paste can hold anything: terminal escape sequences, line breaks,
//! bidirectional overrides, or a secret where an enum value should be. Everything the command
//! line prints and every export passes the text it did not write itself through here.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::secrets::find_secrets;

/// The longest value a message quotes; longer ones are described instead.
pub const MAX_QUOTED_CHARS: usize = 32;

/// Characters that reorder how text is displayed (bidirectional embeddings, overrides and
/// isolates): shown escaped in messages so a file cannot make a message read differently.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

fn push_escaped(out: &mut String, c: char) {
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

fn escape_where(s: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` as one line for a message: every control character (line breaks and tabs included)
/// and every bidirectional control is written as an escape (`\n`, `\x1b`, `\u{202e}`).
pub fn one_line(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c.is_control() || is_bidi_control(c))
}

/// `s` with control characters escaped except line breaks and tabs, for multi-line text in
/// an export (a note keeps its paragraphs; an escape sequence is shown, not run).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c.is_control() && c != '\n' && c != '\t')
}

/// [`escape_controls`] that also escapes bidirectional controls: free text written by someone
/// else (a review) cannot reorder what is shown around it.
pub fn escape_controls_and_bidi(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| {
        (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
    })
}

/// Pretty JSON with the characters serde_json leaves raw but a terminal may act on (DEL, the
/// C1 controls, bidirectional controls) written as `\u` escapes. They can only occur inside
/// strings, where the escape means the same character: the document reads back identically.
pub fn json_safe(json: String) -> String {
    if !json
        .chars()
        .any(|c| c.is_control() && c != '\n' || is_bidi_control(c))
    {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if (c.is_control() && c != '\n') || is_bidi_control(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a value mixes character classes the way generated passwords and keys do: at least
/// three of lower case, upper case, digits and symbols other than `-`, `_`, `.`, `/`, `:` and
/// space (which are common in names, versions and paths).
pub fn looks_random(v: &str) -> bool {
    let lower = v.chars().any(|c| c.is_lowercase());
    let upper = v.chars().any(|c| c.is_uppercase());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let symbol = v
        .chars()
        .any(|c| !c.is_alphanumeric() && !matches!(c, '-' | '_' | '.' | '/' | ':' | ' '));
    [lower, upper, digit, symbol].iter().filter(|b| **b).count() >= 3
}

/// Whether a message may quote `v` as it is: it is short, holds no secret the scanner knows
/// and does not look like a generated password.
pub fn may_quote(v: &str) -> bool {
    v.chars().count() <= MAX_QUOTED_CHARS && find_secrets(v).is_empty() && !looks_random(v)
}

/// How a message shows a value from a file: `` `value` `` (one line) when [`may_quote`] allows
/// it, otherwise only its length.
pub fn quote(v: &str) -> String {
    if may_quote(v) {
        format!("`{}`", one_line(v))
    } else {
        describe_hidden(v)
    }
}

/// What a message says instead of a value it must not print.
pub fn describe_hidden(v: &str) -> String {
    let n = v.chars().count();
    format!(
        "a value of {n} character{} (not shown: it is long or could be a secret)",
        if n == 1 { "" } else { "s" }
    )
}

/// A message from a parser (serde's `unknown variant `X`, expected ...`, `invalid type:
/// string "X"`) with each quoted value that [`may_quote`] refuses replaced by a description,
/// and the whole made one line.
pub fn scrub_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(['`', '"']) {
        let q = rest[i..].chars().next().unwrap_or('"');
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(len) = quoted_len(after, q) else {
            // No closing quote: the rest may be a value cut short; describe it.
            out.push_str(&describe_hidden(after));
            rest = "";
            break;
        };
        let inner = &after[..len];
        let shown = if q == '"' {
            unescape_debug(inner)
        } else {
            inner.to_string()
        };
        if may_quote(&shown) {
            out.push(q);
            out.push_str(inner);
            out.push(q);
        } else {
            out.push_str(&describe_hidden(&shown));
        }
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    one_line(&out).into_owned()
}

/// Length of a quoted segment up to (not including) its closing quote `q`; a `"` segment
/// skips backslash escapes.
fn quoted_len(s: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && q == '"' {
            escaped = true;
        } else if c == q {
            return Some(i);
        }
    }
    None
}

/// The text of a Rust `{:?}` string literal body (enough of it to scan: `\n`, `\t`, `\"`,
/// `\\`, `\u{..}`).
fn unescape_debug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let code: String = chars
                    .by_ref()
                    .skip_while(|c| *c == '{')
                    .take_while(|c| *c != '}')
                    .collect();
                if let Some(ch) = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_controls_line_breaks_and_bidi() {
        assert_eq!(one_line("plain — ünïcode"), "plain — ünïcode");
        assert_eq!(one_line("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(one_line("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(one_line("\u{9b}2J \u{7f}"), "\\x9b2J \\x7f");
        assert_eq!(one_line("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(!one_line("x\u{2028}y\u{85}").contains(['\u{85}']));
    }

    #[test]
    fn escape_controls_keeps_line_breaks_and_tabs() {
        assert_eq!(escape_controls("a\n\tb\x1b[2Jc\r"), "a\n\tb\\x1b[2Jc\\r");
        assert!(matches!(escape_controls("clean\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_safe_escapes_what_serde_leaves_raw_and_reads_back_the_same() {
        let value = serde_json::json!({"k": "a\u{9b}b\u{7f}c\u{202e}d\u{1b}e\n"});
        let text = json_safe(serde_json::to_string_pretty(&value).unwrap());
        assert!(text.is_ascii(), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn quoting_hides_secrets_long_and_random_values() {
        assert_eq!(quote("carrier_pigeon"), "`carrier_pigeon`");
        assert_eq!(quote("gitlab-upgrade-plan-v9"), "`gitlab-upgrade-plan-v9`");
        assert_eq!(quote("16.3.4-ee"), "`16.3.4-ee`");
        assert_eq!(quote("a\nb"), "`a\\nb`");
        for hidden in [
            "glpat-aB3dE5fG7hJ9kL1mN3pQ",
            "Tr0ub4dor&3",
            "a value that is far too long to be an enum name at all",
        ] {
            let q = quote(hidden);
            assert!(!q.contains(hidden), "{q}");
            assert!(q.contains("not shown"), "{q}");
        }
    }

    #[test]
    fn parser_messages_keep_names_and_lose_secrets() {
        let m = scrub_quoted(
            "unknown variant `glpat-aB3dE5fG7hJ9kL1mN3pQ`, expected one of `linux_package`, `docker`",
        );
        assert!(!m.contains("aB3dE5"), "{m}");
        assert!(m.contains("a value of 26 characters"), "{m}");
        assert!(m.contains("`linux_package`, `docker`"), "{m}");
        let m = scrub_quoted(r#"invalid type: string "Tr0ub4dor&3\n", expected u32"#);
        assert!(!m.contains("Tr0ub4dor"), "{m}");
        assert_eq!(
            scrub_quoted(r#"invalid type: string "three", expected u32"#),
            r#"invalid type: string "three", expected u32"#
        );
        assert_eq!(
            scrub_quoted("invalid value: integer `-3`, expected u32"),
            "invalid value: integer `-3`, expected u32"
        );
        let m = scrub_quoted("unknown variant `\x1b[2Jx`, expected `a`");
        assert!(!m.contains('\x1b'), "{m}");
        let m = scrub_quoted("cut short `glpat-aB3dE5fG7hJ9kL1mN3pQ");
        assert!(!m.contains("aB3dE5"), "{m}");
    }
}
