//! Redaction: secrets never reach an export, not even a draft.
//!
//! Validation already reports a secret in any text field as an error, but a draft may be
//! exported with errors. Every string of the plan goes through [`redact`] before the export
//! model is built: the secret, from where the scanner found it to the end of its token (or its
//! quoted value, or its key block), becomes `[REDACTED]`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::plan::Plan;
use crate::secrets::{contains_secret, find_secrets};

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";
/// What replaces a host name when host redaction is asked for.
pub const HOST: &str = "[HOST]";
/// What replaces an IP address when host redaction is asked for.
pub const IP: &str = "[IP]";
/// What replaces an email address when host redaction is asked for.
pub const EMAIL: &str = "[EMAIL]";

/// Endings that make a dotted word a file name rather than a host name (`gitlab.rb`).
const FILE_ENDINGS: &[&str] = &[
    "deb", "rpm", "rb", "json", "yml", "yaml", "toml", "conf", "cfg", "ini", "txt", "log", "sh",
    "md", "pdf", "key", "crt", "pem", "csr", "tar", "gz", "tgz", "zip", "sql", "dump", "bak",
    "html", "xml", "py", "js", "ts", "go", "rs", "lock", "service", "socket",
];

struct HostPatterns {
    email: Regex,
    ipv4: Regex,
    ipv6: Regex,
    host: Regex,
}

static HOST_PATTERNS: LazyLock<Option<HostPatterns>> = LazyLock::new(|| {
    Some(HostPatterns {
        email: Regex::new(r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+\b").ok()?,
        ipv4: Regex::new(r"\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:/[0-9]{1,2})?\b").ok()?,
        // Full and compressed forms; at least two colons and one hex group, which keeps
        // times such as 20:00 out.
        ipv6: Regex::new(r"(?i)(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}\b|(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}\b)?)(?:/[0-9]{1,3})?").ok()?,
        host: Regex::new(r"(?i)\b(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?P<tld>[a-z][a-z0-9\-]{0,61}[a-z0-9])\b").ok()?,
    })
});

/// `text` with host names, IP addresses and email addresses replaced by `[HOST]`, `[IP]` and
/// `[EMAIL]`. A host name here is a dotted name ending in a word that is not a file ending
/// (`gitlab.example.com`, not `gitlab.rb`); single-label names cannot be told from words.
pub fn redact_hosts(text: &str) -> String {
    let Some(p) = HOST_PATTERNS.as_ref() else {
        return text.to_string();
    };
    let out = p.email.replace_all(text, EMAIL);
    let out = p.ipv4.replace_all(&out, IP);
    let out = p.ipv6.replace_all(&out, |c: &regex::Captures<'_>| {
        let m = c.get(0).map_or("", |m| m.as_str());
        // `::` alone (e.g. Ruby's `Gitlab::Database`) or a bare word is not an address.
        if m.chars().filter(|ch| ch.is_ascii_hexdigit()).count() >= 2 && m != "::" {
            IP.to_string()
        } else {
            m.to_string()
        }
    });
    p.host
        .replace_all(&out, |c: &regex::Captures<'_>| {
            let m = c.get(0).map_or("", |m| m.as_str());
            let tld = c
                .name("tld")
                .map_or("", |t| t.as_str())
                .to_ascii_lowercase();
            let file = FILE_ENDINGS.contains(&tld.as_str());
            let tld_is_word = tld.chars().all(|ch| ch.is_ascii_alphabetic());
            if file || !tld_is_word {
                m.to_string()
            } else {
                HOST.to_string()
            }
        })
        .into_owned()
}

/// A copy of the plan with host names, IP addresses and email addresses removed from every
/// string (and unknown key name); a node's `hosts` entries are replaced whole (they may be
/// single-label names).
pub fn redact_hosts_plan(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    replace_node_hosts(&mut plan);
    transform_plan(&plan, &|s| changed(s, redact_hosts(s)))
}

fn replace_node_hosts(plan: &mut Plan) {
    if let Some(t) = plan.topology.as_mut() {
        for node in &mut t.nodes {
            for h in &mut node.hosts {
                *h = HOST.to_string();
            }
        }
    }
}

/// The plan as the export model shows it: secrets redacted, host names too when asked, and
/// control characters other than line breaks and tabs escaped (`\x1b`), in every string and
/// key name, in one pass.
pub fn display_plan(plan: &Plan, hosts: bool) -> Plan {
    let mut owned;
    let plan = if hosts {
        owned = plan.clone();
        replace_node_hosts(&mut owned);
        &owned
    } else {
        plan
    };
    transform_plan(plan, &|s| {
        let mut out = if contains_secret(s) {
            redact(s)
        } else {
            s.to_string()
        };
        if hosts {
            out = redact_hosts(&out);
        }
        let out = crate::text::escape_controls(&out).into_owned();
        changed(s, out)
    })
}

fn changed(old: &str, new: String) -> Option<String> {
    (new != old).then_some(new)
}

/// A copy of `plan` with every string and key name passed through `f` (which returns the
/// replacement, or `None` to keep it). Nothing is copied when nothing changes.
fn transform_plan(plan: &Plan, f: &dyn Fn(&str) -> Option<String>) -> Plan {
    let Ok(mut value) = serde_json::to_value(plan) else {
        return plan.clone();
    };
    if !transform_value(&mut value, f) {
        return plan.clone();
    }
    serde_json::from_value(value).unwrap_or_else(|_| plan.clone())
}

/// Apply `f` in place; whether anything changed. A renamed key that meets an existing one
/// gets ` 2`, ` 3`… after it.
fn transform_value(v: &mut Value, f: &dyn Fn(&str) -> Option<String>) -> bool {
    match v {
        Value::String(s) => match f(s) {
            Some(new) => {
                *s = new;
                true
            }
            None => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |c, i| transform_value(i, f) | c),
        Value::Object(map) => {
            let mut any = map
                .values_mut()
                .fold(false, |c, i| transform_value(i, f) | c);
            if map.keys().any(|k| f(k).is_some()) {
                let old = std::mem::take(map);
                for (key, item) in old {
                    let base = f(&key).unwrap_or(key);
                    let mut key = base.clone();
                    let mut n = 1;
                    while map.contains_key(&key) {
                        n += 1;
                        key = format!("{base} {n}");
                    }
                    map.insert(key, item);
                }
                any = true;
            }
            any
        }
        _ => false,
    }
}

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
            // What the scanner matched (a token split by a line break or an invisible
            // character goes on past the first blank) or the heuristic end, whichever is later.
            secret_end(&out, start, hit.kind).max(ceil_char_boundary(&out, hit.end))
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

/// A copy of the plan with every secret redacted, in strings and in key names (unknown keys
/// are free text too). Numbers are untouched.
pub fn redact_plan(plan: &Plan) -> Plan {
    transform_plan(plan, &|s| contains_secret(s).then(|| redact(s)))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
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
    fn hosts_ips_and_emails_are_replaced_and_file_names_and_versions_kept() {
        let text = "Primary gitlab.example.com (10.0.3.17, 2001:db8::42) and db-01.corp.internal; \
                    mail ada@example.com. Edit /etc/gitlab/gitlab.rb and gitlab-secrets.json, \
                    upgrade 16.3.4 -> 17.3.7 at 20:00; see https://registry.example.org:5050/v2.";
        let r = redact_hosts(text);
        for gone in [
            "gitlab.example.com",
            "10.0.3.17",
            "2001:db8::42",
            "db-01.corp.internal",
            "ada@example.com",
            "registry.example.org",
        ] {
            assert!(!r.contains(gone), "{gone} left in {r}");
        }
        for kept in [
            "gitlab.rb",
            "gitlab-secrets.json",
            "16.3.4",
            "17.3.7",
            "20:00",
        ] {
            assert!(r.contains(kept), "{kept} lost from {r}");
        }
        assert!(
            r.contains("[EMAIL]") && r.contains("[IP]") && r.contains("[HOST]"),
            "{r}"
        );
        assert_eq!(
            redact_hosts("Gitlab::Database is fine"),
            "Gitlab::Database is fine"
        );
    }

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
