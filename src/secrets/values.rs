//! Telling a real secret value from a placeholder, a reference, a name or prose.

/// Words that say where a password is kept rather than what it is.
const PROSE_VALUES: [&str; 16] = [
    "vault",
    "1password",
    "keepass",
    "lastpass",
    "bitwarden",
    "n/a",
    "na",
    "tbd",
    "unchanged",
    "same",
    "see",
    "ask",
    "yes",
    "no",
    "set",
    "unknown",
];

/// Whether `value` (unquoted, lower case) is one of [`PROSE_VALUES`].
pub(super) fn is_prose_value(value: &str) -> bool {
    PROSE_VALUES.contains(&value.to_ascii_lowercase().as_str())
}

/// A value that refers to a secret held elsewhere: `$VAR`, `ENV['X']`, `File.read(...)`,
/// `{{ .Values.x }}`, `%VAR%`.
pub(super) fn is_reference(value: &str) -> bool {
    value.starts_with('$')
        || value.starts_with("ENV[")
        || value.starts_with("ENV.")
        || value.starts_with("{{")
        || value.ends_with('(')
        || value.contains("File.read")
        || (value.len() > 2 && value.starts_with('%') && value.ends_with('%'))
}

/// Empty, masked or example values.
pub(super) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let enclosed = [('<', '>'), ('[', ']'), ('(', ')'), ('{', '}')]
        .iter()
        .any(|(open, close)| v.starts_with(*open) && v.ends_with(*close));
    let masked = v
        .chars()
        .all(|c| matches!(c, '*' | '•' | '…' | '.' | '#' | '?' | '-' | '_'));
    let xs = v.len() >= 3 && v.chars().all(|c| c == 'x' || c == 'X');
    enclosed
        || masked
        || xs
        || lower.contains("redacted")
        || v.contains("EXAMPLE")
        || v.starts_with("${")
        || (v.starts_with('%') && v.ends_with('%') && v.len() > 2)
        || matches!(
            lower.as_str(),
            "null"
                | "nil"
                | "none"
                | "~"
                | "true"
                | "false"
                | "password"
                | "secret"
                | "token"
                | "changeme"
                | "mypassword"
                | "yourpassword"
                | "your_password"
                | "removed"
                | "hidden"
        )
}

/// Parts of a token body that mark it as made up for documentation.
const FAKE_MARKERS: [&str; 9] = [
    "xxxxx",
    "*****",
    "example",
    "your",
    "placeholder",
    "redacted",
    "changeme",
    "token_here",
    "tokenhere",
];

/// Token bodies that are obviously made up: one repeated character, only `x`s, or an
/// example marker such as `your` or `xxxxx`.
pub(super) fn looks_fake(body: &str) -> bool {
    let mut chars = body.chars().filter(|c| *c != '-' && *c != '_');
    let Some(first) = chars.next() else {
        return true;
    };
    if chars.all(|c| c == first) {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    body.chars().all(|c| matches!(c, 'x' | 'X' | '-' | '_'))
        || FAKE_MARKERS.iter().any(|m| lower.contains(m))
}

/// Shannon entropy of `s` in bits per character.
pub(super) fn entropy(s: &str) -> f32 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0u32;
    for c in s.chars() {
        *counts.entry(c).or_insert(0u32) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f32;
    counts
        .values()
        .map(|&k| {
            let p = k as f32 / n;
            -p * p.log2()
        })
        .sum()
}

/// A lower-case name made of words or numbers joined by `-`, `_` or `.`: a Kubernetes
/// secret's name, a file name, a DNS label (`gitlab-postgresql-password`).
fn is_resource_name(v: &str) -> bool {
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    let parts: Vec<&str> = v.split(['-', '_', '.']).collect();
    allowed
        && parts.len() > 1
        && parts.iter().all(|p| {
            p.chars().all(|c| c.is_ascii_alphabetic())
                || p.chars().all(|c| c.is_ascii_digit())
                || p.len() <= 3
        })
}

/// Capitalised words run together (`RootManageSharedAccessKey`): a name, not a key.
fn is_camel_words(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.chars().all(|c| c.is_ascii_alphabetic())
        && v.split(|c: char| c.is_ascii_uppercase())
            .skip(1)
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
}

/// Whether a value assigned to a secret-sounding key (`api_key: ...`, `Authorization: ...`)
/// looks like a generated secret rather than a name, a path, a number, a date or prose: at
/// least 8 characters, no spaces, two kinds of characters or more, and enough entropy.
pub(super) fn credible_value(v: &str) -> bool {
    if v.chars().count() < 8
        || v.chars().any(char::is_whitespace)
        || is_placeholder(v)
        || is_reference(v)
        || looks_fake(v)
        || v.starts_with(['/', '~'])
        || v.starts_with("./")
        || v.contains("://")
        || v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ':' | '+' | 'T' | 'Z'))
        || is_resource_name(v)
        || is_camel_words(v)
    {
        return false;
    }
    let lower = v.chars().any(|c| c.is_ascii_lowercase());
    let upper = v.chars().any(|c| c.is_ascii_uppercase());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let symbol = v.chars().any(|c| !c.is_ascii_alphanumeric());
    let classes = [lower, upper, digit, symbol].iter().filter(|b| **b).count();
    classes >= 2 && entropy(v) >= 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credible_values_are_random_looking() {
        for v in [
            "q8Xh1lP2mZ7rT9vB",
            "4a6f1e0b9c8d7e6f5a4b",
            "dXNlcjpTM2NyZXQh",
            "xoxp-1234-abcd-EFGH",
        ] {
            assert!(credible_value(v), "{v}");
        }
        for v in [
            "gitlab-postgresql-password",
            "/etc/gitlab/secret",
            "https://vault.example.com/token",
            "2026-12-01T10:00:00Z",
            "3600",
            "<token>",
            "$CI_JOB_TOKEN",
            "${TOKEN}",
            "{{ .Values.token }}",
            "enabled",
            "abc123",
            "aaaaaaaaaaaa",
            "supersecretvalue",
            "RootManageSharedAccessKey",
        ] {
            assert!(!credible_value(v), "{v}");
        }
    }

    #[test]
    fn fake_token_bodies() {
        for b in [
            "xxxxxxxxxxxxxxxxxxxx",
            "aaaaaaaaaaaaaaaaaaaa",
            "YOUR_TOKEN_GOES_HERE_1",
            "EXAMPLE1234TOKEN5678",
        ] {
            assert!(looks_fake(b), "{b}");
        }
        assert!(!looks_fake("aB3dE5fG7hJ9kL1mN3pQ"));
    }

    #[test]
    fn entropy_grows_with_variety() {
        assert!(entropy("aaaaaaaa") < 0.01);
        assert!((entropy("abcd") - 2.0).abs() < 0.01);
        assert!(entropy("q8Xh1lP2mZ7rT9vB") > 3.5);
    }
}
