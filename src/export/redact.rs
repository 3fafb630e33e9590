//! Redaction: secrets never reach an export, not even a draft.
//!
//! Validation already reports a secret in any text field as an error, but a draft may be
//! exported with errors. Every string of the plan goes through [`redact`] before the export
//! model is built: the secret, from where the scanner found it to the end of its token (or its
//! quoted value, or its key block), becomes `[REDACTED]`.

use serde_json::Value;

use crate::plan::Plan;
use crate::secrets::find_secrets;

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// `text` with every secret replaced by `[REDACTED]`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    // Each pass removes at least one secret; the bound only guards against a scanner that
    // keeps finding something in the replacement itself.
    for pass in 0..32 {
        let hits = find_secrets(&out);
        let Some(hit) = hits.first() else {
            return out;
        };
        let start = floor_char_boundary(&out, hit.start);
        let end = if pass < 16 {
            secret_end(&out, start, hit.kind)
        } else {
            line_end(&out, start)
        };
        out.replace_range(start..end, REDACTED);
    }
    // Still something after all passes: drop every line that holds a finding.
    out.lines()
        .map(|l| {
            if find_secrets(l).is_empty() {
                l.to_string()
            } else {
                REDACTED.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A copy of the plan with every string redacted (keys and numbers untouched).
pub fn redact_plan(plan: &Plan) -> Plan {
    let Ok(mut value) = serde_json::to_value(plan) else {
        return plan.clone();
    };
    redact_value(&mut value);
    serde_json::from_value(value).unwrap_or_else(|_| plan.clone())
}

fn redact_value(v: &mut Value) {
    match v {
        Value::String(s) if !find_secrets(s).is_empty() => *s = redact(s),
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        Value::Object(map) => map.values_mut().for_each(redact_value),
        _ => {}
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn line_end(s: &str, start: usize) -> usize {
    s[start..].find(['\n', '\r']).map_or(s.len(), |i| start + i)
}

/// Where the secret that starts at `start` ends.
fn secret_end(s: &str, start: usize, kind: &str) -> usize {
    let rest = &s[start..];
    if kind == "private key" {
        // The whole block, up to and including its END line.
        if let Some(i) = rest.find("-----END") {
            let after = &rest[i + 8..];
            return match after.find("-----") {
                Some(j) => start + i + 8 + j + 5,
                None => line_end(s, start + i),
            };
        }
        return s.len();
    }
    // A quoted value ends at its closing quote (or the end of the line).
    let quote = s[..start]
        .chars()
        .next_back()
        .filter(|c| matches!(c, '"' | '\''));
    if let Some(q) = quote {
        let eol = line_end(s, start);
        return s[start..eol].find(q).map_or(eol, |i| start + i);
    }
    // Otherwise the token: up to the next white space.
    rest.find(char::is_whitespace)
        .map_or(s.len(), |i| start + i)
        .max(start + rest.chars().next().map_or(0, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_up_to_the_end_of_the_token() {
        let text = "Our token glpat-9xK2mQ7vR4tY8wZ1aB3cD5eF is used by CI.";
        let r = redact(text);
        assert_eq!(r, "Our token [REDACTED] is used by CI.");
    }

    #[test]
    fn quoted_passwords_and_key_blocks_are_removed_whole() {
        let r = redact("gitlab_rails['db_password'] = \"correct horse battery\" # prod");
        assert!(!r.contains("horse"), "{r}");
        assert!(r.contains(REDACTED) && r.contains("# prod"), "{r}");
        let key = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx3J9mQ7vR4tY8wZ1aB3cD5eFg\nAnotherLineOfKeyMaterial1234567890\n-----END RSA PRIVATE KEY-----\nafter";
        let r = redact(key);
        assert_eq!(r, format!("before\n{REDACTED}\nafter"));
    }

    #[test]
    fn plans_are_redacted_everywhere_and_clean_text_is_untouched() {
        let mut plan = Plan::default();
        plan.notes = Some(crate::plan::Notes {
            unique_setup: Some("PGPASSWORD=s3cr3tValue99 on the db host".into()),
            current_known_issues: Some("Nothing secret here: password rotation is monthly.".into()),
            ..Default::default()
        });
        plan.backup = Some(crate::plan::Backup {
            location: Some("s3://AKIAABCDEFGHIJKLMNOP@bucket".into()),
            ..Default::default()
        });
        let r = redact_plan(&plan);
        let notes = r.notes.unwrap();
        assert_eq!(
            notes.unique_setup.as_deref(),
            Some("PGPASSWORD=[REDACTED] on the db host")
        );
        assert_eq!(
            notes.current_known_issues.as_deref(),
            Some("Nothing secret here: password rotation is monthly.")
        );
        let loc = r.backup.unwrap().location.unwrap();
        assert!(!loc.contains("AKIAABCDEFGHIJKLMNOP"), "{loc}");
        let json = serde_json::to_string(&redact_plan(&plan)).unwrap();
        assert!(find_secrets(&json).is_empty(), "{json}");
    }
}
