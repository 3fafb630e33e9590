//! Context rules: secrets recognised by what surrounds them (`password=…`, `Authorization:
//! Bearer …`, a URL's password, a `.pgpass` line, a private key block) rather than by their
//! own shape.

use std::sync::LazyLock;

use regex::{Captures, Regex, RegexSet};

use super::normalise::decode_base64;
use super::values::{credible_value, is_placeholder, is_prose_value, is_reference, looks_fake};

pub(super) const PASSWORD: &str = "password";

/// The gitleaks rules the context rules cover (`generic-api-key` in part: a value under a key
/// named like a secret, when it looks generated).
pub(super) const GITLEAKS: &[&str] = &[
    "private-key",
    "curl-auth-header",
    "curl-auth-user",
    "kubernetes-secret-yaml",
    "generic-api-key",
    "sidekiq-sensitive-url",
    // Any key ending in `password` (here `administrator_login_password = "…"`).
    "hashicorp-tf-password",
    // A JSON Web Token in base64 is found by decoding base64 runs (see `normalise`).
    "jwt-base64",
];

struct Patterns {
    private_key: Regex,
    assignment: Regex,
    cli_password: Regex,
    sql_password: Regex,
    url_credentials: Regex,
    gcp_key_id: Regex,
    gcp_private_key: Regex,
    gcp_service_account: Regex,
    azure_account_key: Regex,
    authorization: Regex,
    bearer: Regex,
    gitlab_header: Regex,
    secret_key: Regex,
    docker_auth: Regex,
    pgpass: Regex,
    curl_user: Regex,
    k8s_secret: Regex,
}

/// A quoted or bare value after `=`, `:` or a flag.
/// A bare value stops at a backtick: a Markdown code span around an example (`` `password=`
/// ``) is not part of it; a code span around the value alone (`` password=`x` ``) is a quote.
const VALUE: &str = r#"(?P<val>'[^'\r\n]*'|"[^"\r\n]*"|`[^`\s]+`|[^\s'",;&`]*)"#;

/// Names that make a key hold a secret: the generic rule (gitleaks' `generic-api-key` and the
/// vendor rules keyed on a name such as `mailgun_api_key`).
const SECRET_KEY_WORDS: &str = r"token|secret|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key|client[_\-]?secret|credentials?|auth[_\-]?key|signing[_\-]?key|encryption[_\-]?key|passphrase";

fn build() -> Result<Patterns, regex::Error> {
    Ok(Patterns {
        // The header, optional `Key: value` header lines, then key material. JSON strings
        // carry the line breaks as literal `\n`.
        private_key: Regex::new(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?:[A-Za-z][A-Za-z0-9-]*:[^\r\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{20,}",
        )?,
        assignment: Regex::new(&format!(
            r#"(?i)(?P<key>[A-Za-z0-9_.\-]*(?:password|passwd|pwd)|\b(?:[A-Za-z0-9_.\-]*[_.\-])?pass\b|aws_?secret_?access_?key|azure_storage_access_key|(?:secret|db|otp)_key_base)['"`\]]*[ \t]*(?P<sep>=>|:=|=|:)(?P<gap>[ \t]*){VALUE}"#
        ))?,
        cli_password: Regex::new(&format!(
            r"(?i)(?:^|\s)--(?:[a-z0-9]+-)*password[ \t]+{VALUE}"
        ))?,
        sql_password: Regex::new(r"(?i)\bpassword[ \t]+'(?P<val>[^'\r\n]*)'")?,
        url_credentials: Regex::new(
            r#"(?i)\b[a-z][a-z0-9+.\-]*://[^\s:/@'"]*:(?P<val>[^\s/@'"]+)@[A-Za-z0-9\[]"#,
        )?,
        gcp_key_id: Regex::new(r#""private_key_id"[ \t]*:[ \t]*"(?P<val>[^"\r\n]*)""#)?,
        gcp_private_key: Regex::new(r#""private_key"[ \t]*:[ \t]*"(?P<val>[^"\r\n]*)""#)?,
        gcp_service_account: Regex::new(r#""type"\s*:\s*"service_account""#)?,
        azure_account_key: Regex::new(
            r"(?i)\b(?:AccountKey|SharedAccessKey)=(?P<val>[^;\s'\x22]*)",
        )?,
        authorization: Regex::new(
            r#"(?i)\b(?:proxy-)?authorization\b['"]?[ \t]*[:=][ \t]*['"]?(?:(?P<scheme>bearer|basic|token|bot|digest|negotiate|apikey|api-key|sso-key|key)[ \t]+)?(?P<val>[^\s'",;]+)"#,
        )?,
        bearer: Regex::new(r"\b[Bb]earer[ \t]+(?P<val>[A-Za-z0-9._~+/=\-]{16,})")?,
        gitlab_header: Regex::new(&format!(
            r#"(?i)\b(?:private|job|deploy)[\-_]token\b['"]?[ \t]*(?:=|:)[ \t]*{VALUE}"#
        ))?,
        secret_key: Regex::new(&format!(
            r#"(?i)(?P<key>[A-Za-z0-9_.\-]*(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-]*)['"`\]]*[ \t]*(?P<sep>=>|:=|=|:)[ \t]*{VALUE}"#
        ))?,
        docker_auth: Regex::new(
            r#"(?:"auth"[ \t]*:[ \t]*"|(?m:^)[ \t]*_auth[ \t]*=[ \t]*)(?P<val>[A-Za-z0-9+/]{8,}={0,2})"#,
        )?,
        pgpass: Regex::new(
            r#"(?m)(?:^|[ \t'"`])(?P<host>[A-Za-z0-9._\-\[\]*]+):(?:[0-9]{1,5}|\*):(?P<db>[^:\s'"]+):(?P<user>[^:\s'"]+):(?P<val>[^\s'"`]+)"#,
        )?,
        curl_user: Regex::new(
            r#"\bcurl\b[^\n]*?[ \t](?:-u|--user)(?:[ \t]+|=)['"]?[^\s:'"]+:(?P<val>[^\s'"`]+)"#,
        )?,
        k8s_secret: Regex::new(r#"(?i)\bkind:[ \t]*['"]?secret\b"#)?,
    })
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| build().ok());

/// All the patterns at once, in the order of [`Patterns`]' fields: one pass tells which can
/// match at all, so only those run.
static SET: LazyLock<Option<RegexSet>> = LazyLock::new(|| {
    let p = PATTERNS.as_ref()?;
    RegexSet::new(
        [
            &p.private_key,
            &p.assignment,
            &p.cli_password,
            &p.sql_password,
            &p.url_credentials,
            &p.gcp_key_id,
            &p.gcp_private_key,
            &p.gcp_service_account,
            &p.azure_account_key,
            &p.authorization,
            &p.bearer,
            &p.gitlab_header,
            &p.secret_key,
            &p.docker_auth,
            &p.pgpass,
            &p.curl_user,
            &p.k8s_secret,
        ]
        .map(Regex::as_str),
    )
    .ok()
});

/// The matches of pattern `i` of the set, or none when the set says it cannot match.
fn caps<'t>(
    c: &Candidates,
    i: usize,
    re: &'t Regex,
    text: &'t str,
) -> impl Iterator<Item = Captures<'t>> {
    c.may(i)
        .then(|| re.captures_iter(text))
        .into_iter()
        .flatten()
}

/// Which patterns can match in a text; all of them when the set did not compile.
struct Candidates(Option<regex::SetMatches>);

impl Candidates {
    fn of(text: &str) -> Candidates {
        Candidates(SET.as_ref().map(|s| s.matches(text)))
    }

    fn may(&self, i: usize) -> bool {
        self.0.as_ref().is_none_or(|m| m.matched(i))
    }
}

/// Whether every context pattern compiled (checked by a unit test).
#[cfg(test)]
pub(super) fn compiled() -> bool {
    build().is_ok() && PATTERNS.is_some()
}

type Add<'a> = &'a mut dyn FnMut(&'static str, usize, usize);

/// Every secret found by its context: `add(kind, start, end)`.
pub(super) fn scan(text: &str, add: Add<'_>) {
    let Some(p) = PATTERNS.as_ref() else {
        return;
    };
    let c = Candidates::of(text);
    if !c.0.as_ref().is_none_or(regex::SetMatches::matched_any) {
        return;
    }
    for m in caps(&c, 0, &p.private_key, text).filter_map(|cap| cap.get(0)) {
        add("private key", m.start(), m.end());
    }
    if c.may(7) {
        for cap in caps(&c, 6, &p.gcp_private_key, text) {
            if let Some((s, e)) = secret_value(&cap, 20) {
                add("Google Cloud service account key", s, e);
            }
        }
    }
    for cap in caps(&c, 5, &p.gcp_key_id, text) {
        if let Some((s, e)) = secret_value(&cap, 16) {
            add("Google Cloud service account key", s, e);
        }
    }
    for cap in caps(&c, 8, &p.azure_account_key, text) {
        if let Some((s, e)) = secret_value(&cap, 20) {
            add("Azure storage account key", s, e);
        }
    }
    passwords(p, &c, text, add);
    headers(p, &c, text, add);
    for cap in caps(&c, 12, &p.secret_key, text) {
        if let Some((s, e)) = secret_named_value(text, &cap) {
            add("secret assigned to a key", s, e);
        }
    }
    for cap in caps(&c, 4, &p.url_credentials, text) {
        if let Some((s, e)) = secret_value(&cap, 1) {
            add("URL with credentials", s, e);
        }
    }
    files(p, &c, text, add);
}

fn passwords(p: &Patterns, c: &Candidates, text: &str, add: Add<'_>) {
    for cap in caps(c, 1, &p.assignment, text) {
        if let Some((kind, s, e)) = assignment_hit(text, &cap) {
            add(kind, s, e);
        }
    }
    for cap in caps(c, 2, &p.cli_password, text) {
        if let Some((s, e)) = secret_value(&cap, 1)
            && !text[s..].starts_with('-')
        {
            add(PASSWORD, s, e);
        }
    }
    for cap in caps(c, 3, &p.sql_password, text) {
        if let Some((s, e)) = secret_value(&cap, 1) {
            add(PASSWORD, s, e);
        }
    }
    for cap in caps(c, 15, &p.curl_user, text) {
        if let Some((s, e)) = secret_value(&cap, 1)
            && !is_reference(&text[s..e])
        {
            add("password in a curl command", s, e);
        }
    }
}

/// HTTP headers that carry a credential: `Authorization: …`, a bare `Bearer …`, GitLab's
/// `PRIVATE-TOKEN`, `JOB-TOKEN` and `Deploy-Token`.
fn headers(p: &Patterns, c: &Candidates, text: &str, add: Add<'_>) {
    for cap in caps(c, 9, &p.authorization, text) {
        let Some(m) = cap.name("val") else { continue };
        let v = m.as_str();
        let ok = if cap.name("scheme").is_some() {
            v.chars().count() >= 8 && !is_placeholder(v) && !is_reference(v) && !looks_fake(v)
        } else {
            credible_value(v)
        };
        if ok {
            add("HTTP Authorization header", m.start(), m.end());
        }
    }
    for cap in caps(c, 10, &p.bearer, text) {
        if let Some(m) = cap.name("val")
            && credible_value(m.as_str())
        {
            add("bearer token", m.start(), m.end());
        }
    }
    for cap in caps(c, 11, &p.gitlab_header, text) {
        if let Some((s, e)) = secret_value(&cap, 8)
            && !is_reference(&text[s..e])
            && !looks_fake(&text[s..e])
        {
            add("GitLab token", s, e);
        }
    }
}

/// Credentials in the shape of a file: a Docker `config.json` or `.npmrc` `auth` value, a
/// `.pgpass` line, the data of a Kubernetes Secret.
fn files(p: &Patterns, c: &Candidates, text: &str, add: Add<'_>) {
    for cap in caps(c, 13, &p.docker_auth, text) {
        let Some(m) = cap.name("val") else { continue };
        let user_and_password = decode_base64(m.as_str()).and_then(|d| {
            d.split_once(':')
                .map(|(u, pw)| !u.is_empty() && !pw.is_empty())
        });
        if user_and_password == Some(true) {
            add("registry credentials (auth)", m.start(), m.end());
        }
    }
    for cap in caps(c, 14, &p.pgpass, text) {
        let (Some(host), Some(db), Some(user), Some(val)) = (
            cap.name("host"),
            cap.name("db"),
            cap.name("user"),
            cap.name("val"),
        ) else {
            continue;
        };
        let named = |s: &str| s.chars().any(|ch| ch.is_alphabetic() || ch == '*');
        // Five groups of an IPv6 address look the same (`fd00:8080:cafe:beef:1`).
        let hex_group = |s: &str| s.len() <= 4 && s.chars().all(|ch| ch.is_ascii_hexdigit());
        let ipv6 = [host.as_str(), db.as_str(), user.as_str()]
            .iter()
            .all(|s| hex_group(s));
        if named(host.as_str())
            && (named(db.as_str()) || named(user.as_str()))
            && !ipv6
            && !is_placeholder(val.as_str())
            && !is_reference(val.as_str())
        {
            add(".pgpass password", val.start(), val.end());
        }
    }
    if c.may(16) {
        kubernetes_secret_data(text, add);
    }
}

/// The values under `data:` or `stringData:` in a Kubernetes Secret manifest.
fn kubernetes_secret_data(text: &str, add: Add<'_>) {
    let mut offset = 0;
    let mut block: Option<usize> = None; // indentation of the `data:` line
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end();
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        if trimmed == "data:" || trimmed == "stringData:" {
            block = Some(indent);
            continue;
        }
        let Some(base) = block else { continue };
        if trimmed.is_empty() {
            continue;
        }
        if indent <= base {
            block = None;
            continue;
        }
        let Some((_, value)) = trimmed.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        if value.chars().count() >= 8
            && !is_placeholder(value)
            && !is_reference(value)
            && let Some(at) = line.rfind(value)
        {
            add(
                "Kubernetes Secret data",
                start + at,
                start + at + value.len(),
            );
        }
    }
}

/// The span of the `val` group without its quotes, unless it is too short or a placeholder.
fn secret_value(c: &Captures<'_>, min_len: usize) -> Option<(usize, usize)> {
    let m = c.name("val")?;
    let raw = m.as_str();
    let (start, value) = match unquote(raw) {
        Some(inner) => (m.start() + 1, inner),
        None => (m.start(), raw),
    };
    (value.chars().count() >= min_len && !is_placeholder(value))
        .then_some((start, start + value.len()))
}

fn unquote(raw: &str) -> Option<&str> {
    ['\'', '"', '`']
        .iter()
        .find_map(|q| raw.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
}

/// Endings of key names that describe a secret instead of holding it (`token_expiry`,
/// `secret_name`, `api_key_file`).
const DESCRIPTIVE_KEY_ENDINGS: [&str; 24] = [
    "name",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "type",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "length",
    "size",
    "count",
    "enabled",
    "prefix",
    "ref",
    "version",
    "location",
    "store",
    "provider",
    "backend",
    "method",
    "rotation",
];

/// A credible value assigned to a key whose name says it holds a secret (`api_key: …`,
/// `"identitytoken": "…"`, `?private_token=…`).
fn secret_named_value(text: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let key = c.name("key")?.as_str().to_ascii_lowercase();
    if DESCRIPTIVE_KEY_ENDINGS.iter().any(|e| key.ends_with(e)) {
        return None;
    }
    let (s, e) = secret_value(c, 8)?;
    credible_value(&text[s..e]).then_some((s, e))
}

/// An assignment such as `password: x`, `PGPASSWORD=x` or `gitlab_rails['db_password'] = 'x'`.
fn assignment_hit(text: &str, c: &Captures<'_>) -> Option<(&'static str, usize, usize)> {
    let key = c.name("key")?;
    let key_lower = key.as_str().to_ascii_lowercase();
    // `/etc/passwd: ...` is a file name, not a key.
    if text[..key.start()].ends_with('/') {
        return None;
    }
    let (start, end) = secret_value(c, 1)?;
    let value = &text[start..end];
    let raw = c.name("val")?.as_str();
    let quoted = unquote(raw).is_some();
    if key_lower.ends_with("pwd") && value.starts_with(['/', '~']) {
        // `PWD=/var/opt/gitlab` from an environment dump is the working directory.
        return None;
    }
    if !quoted {
        let sep = c.name("sep").map_or("", |m| m.as_str());
        let spaced = c.name("gap").is_some_and(|m| !m.as_str().is_empty());
        if is_reference(value) {
            return None;
        }
        // Prose such as "Password: stored in Vault": a plain word followed by more words.
        if sep == ":" || spaced {
            let rest = text[end..].lines().next().unwrap_or("");
            let more_words = rest.trim_start().starts_with(|ch: char| ch.is_alphabetic())
                && rest.starts_with([' ', '\t']);
            if value.chars().all(char::is_alphabetic) && more_words {
                return None;
            }
            if is_prose_value(value) {
                return None;
            }
        }
    }
    let kind = if key_lower.starts_with("aws") {
        if value.contains("EXAMPLEKEY") {
            return None;
        }
        "AWS secret access key"
    } else if key_lower.starts_with("azure") {
        "Azure storage account key"
    } else if key_lower.ends_with("key_base") {
        "GitLab secret key base"
    } else {
        PASSWORD
    };
    Some((kind, start, end))
}
