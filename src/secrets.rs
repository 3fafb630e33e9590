//! Spots secrets pasted into free-text plan fields, so the tool can warn before a plan that
//! contains them is saved or shared.
//!
//! The checks look for token formats (GitLab, GitHub, Slack, AWS), private key blocks,
//! credentials in URLs and assignments such as `password=...`. Prose that merely mentions
//! passwords, and values that are empty or obviously masked (`<redacted>`, `***`, `${VAR}`),
//! are not reported.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A secret found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretHit {
    /// What it looks like, e.g. `GitLab personal access token`.
    pub kind: &'static str,
    /// Byte offset of the first character of the secret itself (for an assignment, its value;
    /// for a URL, the password part; for a key block, the `-----BEGIN` line).
    pub start: usize,
}

/// GitLab token prefixes and what they are.
const GITLAB_PREFIXES: [(&str, &str); 13] = [
    ("glpat-", "GitLab personal access token"),
    ("gldt-", "GitLab deploy token"),
    ("glrt-", "GitLab runner authentication token"),
    ("glrtr-", "GitLab runner authentication token"),
    ("glwt-", "GitLab workspace token"),
    ("glptt-", "GitLab pipeline trigger token"),
    ("glsoat-", "GitLab SCIM token"),
    ("gloas-", "GitLab OAuth application secret"),
    ("glcbt-", "GitLab CI/CD job token"),
    ("glffct-", "GitLab feature flags client token"),
    ("glimt-", "GitLab incoming email token"),
    ("glagent-", "GitLab agent for Kubernetes token"),
    ("glft-", "GitLab feed token"),
];

const PASSWORD: &str = "password";

struct Patterns {
    gitlab_token: Regex,
    runner_registration: Regex,
    private_key: Regex,
    assignment: Regex,
    cli_password: Regex,
    sql_password: Regex,
    url_credentials: Regex,
    aws_key_id: Regex,
    gcp_key_id: Regex,
    gcp_private_key: Regex,
    gcp_service_account: Regex,
    azure_account_key: Regex,
    slack: Regex,
    github: Regex,
}

/// A quoted or bare value after `=`, `:` or a flag.
const VALUE: &str = r#"(?P<val>'[^'\r\n]*'|"[^"\r\n]*"|[^\s'",;&]*)"#;

fn build() -> Result<Patterns, regex::Error> {
    Ok(Patterns {
        gitlab_token: Regex::new(
            r"\b(?P<prefix>glpat|gldt|glrtr|glrt|glwt|glptt|glsoat|gloas|glcbt|glffct|glimt|glagent|glft)-(?P<body>[A-Za-z0-9_\-]{20,})",
        )?,
        runner_registration: Regex::new(r"\bGR1348941(?P<body>[A-Za-z0-9_\-]{20,})")?,
        // The header, optional `Key: value` header lines, then key material. JSON strings
        // carry the line breaks as literal `\n`.
        private_key: Regex::new(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?:[A-Za-z][A-Za-z0-9-]*:[^\r\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{20,}",
        )?,
        assignment: Regex::new(&format!(
            r#"(?i)(?P<key>[A-Za-z0-9_.\-]*(?:password|passwd|pwd)|aws_?secret_?access_?key|azure_storage_access_key|(?:secret|db|otp)_key_base)['"`\]]*[ \t]*(?P<sep>=>|=|:)(?P<gap>[ \t]*){VALUE}"#
        ))?,
        cli_password: Regex::new(&format!(
            r"(?i)(?:^|\s)--(?:[a-z0-9]+-)*password[ \t]+{VALUE}"
        ))?,
        sql_password: Regex::new(r"(?i)\bpassword[ \t]+'(?P<val>[^'\r\n]*)'")?,
        url_credentials: Regex::new(
            r#"(?i)\b[a-z][a-z0-9+.\-]*://[^\s:/@'"]*:(?P<val>[^\s/@'"]+)@[A-Za-z0-9\[]"#,
        )?,
        aws_key_id: Regex::new(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")?,
        gcp_key_id: Regex::new(r#""private_key_id"[ \t]*:[ \t]*"(?P<val>[^"\r\n]*)""#)?,
        gcp_private_key: Regex::new(r#""private_key"[ \t]*:[ \t]*"(?P<val>[^"\r\n]*)""#)?,
        gcp_service_account: Regex::new(r#""type"\s*:\s*"service_account""#)?,
        azure_account_key: Regex::new(
            r"(?i)\b(?:AccountKey|SharedAccessKey)=(?P<val>[^;\s'\x22]*)",
        )?,
        slack: Regex::new(r"\bxox[baprs]-(?P<body>[A-Za-z0-9\-]{10,})")?,
        github: Regex::new(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")?,
    })
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| build().ok());

/// A hit with its end, used to drop overlapping reports.
struct Found {
    kind: &'static str,
    start: usize,
    end: usize,
    rank: usize,
}

/// Every secret in `text`, in text order. Overlapping findings are reported once.
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    let Some(p) = PATTERNS.as_ref() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut add = |kind: &'static str, start: usize, end: usize| {
        let rank = found.len();
        found.push(Found {
            kind,
            start,
            end,
            rank,
        });
    };

    for c in p.private_key.captures_iter(text) {
        if let Some(m) = c.get(0) {
            add("private key", m.start(), m.end());
        }
    }
    for c in p.gitlab_token.captures_iter(text) {
        let (Some(m), Some(prefix), Some(body)) = (c.get(0), c.name("prefix"), c.name("body"))
        else {
            continue;
        };
        if looks_fake(body.as_str()) {
            continue;
        }
        let kind = GITLAB_PREFIXES
            .iter()
            .find(|(p, _)| p.trim_end_matches('-') == prefix.as_str())
            .map_or("GitLab token", |(_, k)| *k);
        add(kind, m.start(), m.end());
    }
    for c in p.runner_registration.captures_iter(text) {
        if let (Some(m), Some(body)) = (c.get(0), c.name("body"))
            && !looks_fake(body.as_str())
        {
            add("GitLab runner registration token", m.start(), m.end());
        }
    }
    for c in p.github.find_iter(text) {
        if !looks_fake(c.as_str().trim_start_matches(|ch: char| ch != '_')) {
            add("GitHub token", c.start(), c.end());
        }
    }
    for c in p.slack.captures_iter(text) {
        if let (Some(m), Some(body)) = (c.get(0), c.name("body"))
            && !looks_fake(body.as_str())
        {
            add("Slack token", m.start(), m.end());
        }
    }
    for m in p.aws_key_id.find_iter(text) {
        if !m.as_str().ends_with("EXAMPLE") {
            add("AWS access key ID", m.start(), m.end());
        }
    }
    if p.gcp_service_account.is_match(text) {
        for c in p.gcp_private_key.captures_iter(text) {
            if let Some((s, e)) = secret_value(&c, 20) {
                add("Google Cloud service account key", s, e);
            }
        }
    }
    for c in p.gcp_key_id.captures_iter(text) {
        if let Some((s, e)) = secret_value(&c, 16) {
            add("Google Cloud service account key", s, e);
        }
    }
    for c in p.azure_account_key.captures_iter(text) {
        if let Some((s, e)) = secret_value(&c, 20) {
            add("Azure storage account key", s, e);
        }
    }
    for c in p.assignment.captures_iter(text) {
        if let Some((kind, s, e)) = assignment_hit(text, &c) {
            add(kind, s, e);
        }
    }
    for c in p.cli_password.captures_iter(text) {
        if let Some((s, e)) = secret_value(&c, 1)
            && !text[s..].starts_with('-')
        {
            add(PASSWORD, s, e);
        }
    }
    for c in p.sql_password.captures_iter(text) {
        if let Some((s, e)) = secret_value(&c, 1) {
            add(PASSWORD, s, e);
        }
    }
    for c in p.url_credentials.captures_iter(text) {
        if let Some((s, e)) = secret_value(&c, 1) {
            add("URL with credentials", s, e);
        }
    }

    found.sort_by_key(|f| (f.start, f.rank));
    let mut hits: Vec<SecretHit> = Vec::new();
    let mut covered_to = 0;
    for f in found {
        if f.start < covered_to {
            covered_to = covered_to.max(f.end);
            continue;
        }
        covered_to = covered_to.max(f.end);
        hits.push(SecretHit {
            kind: f.kind,
            start: f.start,
        });
    }
    hits
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
    ['\'', '"']
        .iter()
        .find_map(|q| raw.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
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
            if PROSE_VALUES.contains(&value.to_ascii_lowercase().as_str()) {
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

/// A value that refers to a secret held elsewhere: `$VAR`, `ENV['X']`, `File.read(...)`.
fn is_reference(value: &str) -> bool {
    value.starts_with('$')
        || value.starts_with("ENV[")
        || value.starts_with("ENV.")
        || value.ends_with('(')
        || value.contains("File.read")
}

/// Empty, masked or example values.
fn is_placeholder(value: &str) -> bool {
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
        .all(|c| matches!(c, '*' | '•' | '.' | '#' | '?' | '-' | '_'));
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
                | "changeme"
                | "mypassword"
                | "yourpassword"
                | "your_password"
                | "removed"
                | "hidden"
        )
}

/// Token bodies that are obviously made up: one repeated character or only `x`s.
fn looks_fake(body: &str) -> bool {
    let mut chars = body.chars().filter(|c| *c != '-' && *c != '_');
    let Some(first) = chars.next() else {
        return true;
    };
    chars.all(|c| c == first) || body.chars().all(|c| matches!(c, 'x' | 'X' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The single hit in `text`, checked to start at `secret`.
    fn one_hit(text: &str, kind: &str, secret: &str) {
        let hits = find_secrets(text);
        assert_eq!(hits.len(), 1, "{text:?}: {hits:?}");
        assert_eq!(hits[0].kind, kind, "{text:?}");
        assert!(
            text[hits[0].start..].starts_with(secret),
            "{text:?}: hit at {} is {:?}",
            hits[0].start,
            &text[hits[0].start..]
        );
    }

    fn none(text: &str) {
        let hits = find_secrets(text);
        assert!(hits.is_empty(), "{text:?}: {hits:?}");
    }

    #[test]
    fn patterns_compile() {
        assert!(build().is_ok());
        assert!(PATTERNS.is_some());
    }

    #[test]
    fn gitlab_tokens() {
        let body = "aB3dE5fG7hJ9kL1mN3pQ";
        for (prefix, kind) in GITLAB_PREFIXES {
            let token = format!("{prefix}{body}");
            one_hit(&format!("token: {token} (revoked?)"), kind, &token);
            // Too short to be a token, or a masked example.
            none(&format!("see {prefix}abc123 in the docs"));
            none(&format!("use {prefix}xxxxxxxxxxxxxxxxxxxx here"));
            none(&format!("{prefix}<your token>"));
        }
        let routable = "glpat-Zm9vYmFyYmF6cXV4MTIzNDU2.01.1a2b3c4d5";
        one_hit(routable, "GitLab personal access token", "glpat-Zm9v");
        none("the glpat- prefix marks personal access tokens");
    }

    #[test]
    fn runner_registration_token() {
        let token = "GR1348941aB3dE5fG7hJ9kL1mN3pQ";
        one_hit(
            &format!("gitlab-runner register --registration-token {token}"),
            "GitLab runner registration token",
            token,
        );
        none("tokens start with GR1348941 since 15.6");
        none("GR1348941XXXXXXXXXXXXXXXXXXXX");
    }

    #[test]
    fn private_keys() {
        for header in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
        ] {
            let text = format!(
                "our key:\n{header}\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END-----\n"
            );
            one_hit(&text, "private key", header);
        }
        let pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF0abcdEFGHijklMNOPqrstUVWX\n";
        one_hit(pgp, "private key", "-----BEGIN PGP PRIVATE KEY BLOCK-----");
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,9F2B\r\n\r\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM\r\n";
        one_hit(legacy, "private key", "-----BEGIN RSA PRIVATE KEY-----");

        none("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n");
        none("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUF\n");
        none("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----");
        none("put the -----BEGIN OPENSSH PRIVATE KEY----- block in /etc/gitlab/ssl");
    }

    #[test]
    fn password_assignments() {
        for (text, secret) in [
            ("password=hunter2", "hunter2"),
            ("password: hunter2", "hunter2"),
            ("Root password: correcthorse", "correcthorse"),
            ("passwd=Sup3r", "Sup3r"),
            ("Server=db;Uid=gitlab;Pwd=Sup3r;", "Sup3r"),
            ("db_password = \"s3cret-value\"", "s3cret-value"),
            ("gitlab_rails['db_password'] = 'x'", "x"),
            (
                "gitlab_rails['initial_root_password'] = \"Str0ng!Pass\"",
                "Str0ng!Pass",
            ),
            ("export PGPASSWORD=secretpw psql -h db", "secretpw"),
            ("GITLAB_ROOT_PASSWORD=Welcome123", "Welcome123"),
            ("{\"password\": \"hunter2\"}", "hunter2"),
            (":password => 'hunter2'", "hunter2"),
            ("gitlab-backup --password Sup3rS3cret", "Sup3rS3cret"),
            ("tool --db-password=Sup3rS3cret", "Sup3rS3cret"),
            ("ALTER USER gitlab WITH PASSWORD 'Sup3r';", "Sup3r"),
        ] {
            one_hit(text, "password", secret);
        }
    }

    #[test]
    fn password_prose_and_placeholders_are_not_secrets() {
        for text in [
            "we rotate passwords monthly",
            "password reset for the root account",
            "the password is stored in Vault",
            "Password: stored in Vault",
            "Root password: see the team's 1Password vault",
            "Password: Vault",
            "password=",
            "password: ",
            "password:\n  file: /etc/gitlab/pw",
            "password=<redacted>",
            "password: ***",
            "password=xxxx",
            "db_password = 'REDACTED'",
            "password=[REDACTED]",
            "password=${DB_PASSWORD}",
            "PGPASSWORD=$PGPASS psql",
            "gitlab_rails['db_password'] = ENV['DB_PASSWORD']",
            "gitlab_rails['db_password'] = File.read('/run/secrets/db').strip",
            "password: \"\"",
            "PWD=/var/opt/gitlab",
            "grep git /etc/passwd: no such user",
            "/etc/passwd:git:x:998:998::/var/opt/gitlab:/bin/sh",
            "password_file: /etc/gitlab/db_password",
            "gitlab-backup --password --force",
        ] {
            none(text);
        }
    }

    #[test]
    fn urls_with_credentials() {
        one_hit(
            "remote: https://deploy:S3cr3t!@git.example.com/group/repo.git",
            "URL with credentials",
            "S3cr3t!",
        );
        one_hit(
            "redis_url: redis://:r3dispass@10.0.0.5:6379",
            "URL with credentials",
            "r3dispass",
        );
        none("clone https://git.example.com/group/repo.git");
        none("ssh://git@gitlab.example.com:3122/group/repo.git");
        none("https://oauth2:${CI_JOB_TOKEN}@gitlab.example.com/group/repo.git");
        none("https://user:<token>@gitlab.example.com");
        none("http://gitlab.example.com:8080/path@ref");
    }

    #[test]
    fn aws_keys() {
        one_hit(
            "aws_access_key_id = AKIA2OGYBAH6TDQEXV7N",
            "AWS access key ID",
            "AKIA2OGYBAH6TDQEXV7N",
        );
        one_hit("ASIA2OGYBAH6TDQEXV7N", "AWS access key ID", "ASIA");
        none("AKIAIOSFODNN7EXAMPLE");
        none("AKIA1234 is too short");

        let secret = "q8Xh1lP2mZ7rT9vB3nK5sW0yD4fG6jA1cE8uR2tY";
        one_hit(
            &format!("aws_secret_access_key = {secret}"),
            "AWS secret access key",
            secret,
        );
        one_hit(
            &format!("'aws_secret_access_key' => '{secret}',"),
            "AWS secret access key",
            secret,
        );
        none("aws_secret_access_key = <secret>");
        none("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        none("set the aws_secret_access_key in gitlab.rb");
    }

    #[test]
    fn gcp_service_account_json() {
        let json = r#"{
  "type": "service_account",
  "project_id": "my-project",
  "private_key_id": "3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
  "client_email": "gitlab@my-project.iam.gserviceaccount.com"
}"#;
        let hits = find_secrets(json);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(json[hits[0].start..].starts_with("3f2c1a9b"));
        assert_eq!(hits[0].kind, "Google Cloud service account key");
        assert!(json[hits[1].start..].starts_with("-----BEGIN PRIVATE KEY-----"));

        one_hit(
            r#""private_key_id": "3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b""#,
            "Google Cloud service account key",
            "3f2c1a9b",
        );
        none(r#"{"type": "service_account", "private_key_id": "<redacted>", "private_key": ""}"#);
        none(r#"{"type": "service_account", "project_id": "my-project"}"#);
    }

    #[test]
    fn azure_storage_keys() {
        let key = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJD==";
        one_hit(
            &format!(
                "DefaultEndpointsProtocol=https;AccountName=gitlabstore;AccountKey={key};EndpointSuffix=core.windows.net"
            ),
            "Azure storage account key",
            key,
        );
        one_hit(
            &format!("'azure_storage_access_key' => '{key}'"),
            "Azure storage account key",
            key,
        );
        none("DefaultEndpointsProtocol=https;AccountName=gitlabstore;AccountKey=<key>;");
        none("AccountKey=;EndpointSuffix=core.windows.net");
    }

    #[test]
    fn connection_strings_and_temporary_keys() {
        one_hit(
            "DATABASE_URL=postgres://gitlab:Pg5ecret9@db.internal:5432/gitlabhq_production",
            "URL with credentials",
            "Pg5ecret9",
        );
        one_hit("postgresql://u:p@h/db", "URL with credentials", "p@h");
        let key = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo=";
        one_hit(
            &format!(
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}"
            ),
            "Azure storage account key",
            key,
        );
        one_hit(
            "Server=tcp:sql.example.net;User ID=gitlab;Password=Az5qlPass;",
            PASSWORD,
            "Az5qlPass",
        );
        one_hit(
            "temporary key ASIAY34FZKBOKMUTVV7A from STS",
            "AWS access key ID",
            "ASIAY34FZKBOKMUTVV7A",
        );
        one_hit(
            "AWS_SECRET_ACCESS_KEY=9drTJvcXLB89kQ2zsecretNotReally0123456",
            "AWS secret access key",
            "9drTJ",
        );
        none("SharedAccessKeyName=RootManageSharedAccessKey;");
    }

    #[test]
    fn slack_tokens() {
        let token = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp";
        one_hit(&format!("slack: {token}"), "Slack token", token);
        none("slack bot tokens start with xoxb-");
        none("xoxq-1234567890-0987654321-AbCdEfGhIjKlMnOp");
    }

    #[test]
    fn github_tokens() {
        let classic = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
        one_hit(&format!("GITHUB_TOKEN {classic}"), "GitHub token", classic);
        let fine = "github_pat_11ABCDEFG0aB3dE5fG7hJ9_kL1mN3pQ5rS7tU9vW1xY3z5AbCdEf";
        one_hit(fine, "GitHub token", "github_pat_");
        none("ghp_ tokens are classic tokens");
        none("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }

    #[test]
    fn secret_key_bases() {
        let value = "4a6f1e0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
        one_hit(
            &format!("\"db_key_base\": \"{value}\""),
            "GitLab secret key base",
            value,
        );
        none("\"db_key_base\": \"<redacted>\"");
    }

    #[test]
    fn several_secrets_in_order_with_byte_offsets() {
        let text = "Zürich notes — password=hunter2 and token glpat-aB3dE5fG7hJ9kL1mN3pQ.";
        let hits = find_secrets(text);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(hits[0].kind, "password");
        assert!(text[hits[0].start..].starts_with("hunter2"));
        assert_eq!(hits[1].kind, "GitLab personal access token");
        assert!(text[hits[1].start..].starts_with("glpat-"));
        assert!(hits[0].start < hits[1].start);
    }

    #[test]
    fn env_info_samples_have_no_secrets() {
        for sample in [
            include_str!("../tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt"),
            include_str!("../tests/fixtures/env_info/blog_17.1.1-ce_empty-system_tabs.txt"),
            include_str!(
                "../tests/fixtures/env_info/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
            ),
        ] {
            none(sample);
            // The same output with a proxy that carries credentials.
            let with_proxy = sample.replacen(
                "Current User:",
                "Proxy:\t\thttp_proxy: http://svc:Pr0xyPass@proxy.corp:3128\nCurrent User:",
                1,
            );
            one_hit(&with_proxy, "URL with credentials", "Pr0xyPass");
        }
    }

    #[test]
    fn plain_prose_has_no_secrets() {
        none(
            "We run GitLab 16.3 on two nodes. Passwords are rotated monthly and kept in Vault; \
             the token for the runner is in the runbook. See https://docs.gitlab.com/update/.",
        );
    }
}
