//! Unit tests of the scanner: every rule with a secret it must find and text it must leave
//! alone. The longer lists of both are in `tests/secret_scan.rs`.

use super::context::PASSWORD;
use super::rules::GITLAB_PREFIXES;
use super::*;

/// [`first_secret_kind`] says what [`find_secrets`] finds first, the first time (scanned) and
/// the second (remembered).
fn same_first_kind(text: &str, hits: &[SecretHit]) {
    let first = hits.first().map(|h| h.kind);
    assert_eq!(first_secret_kind(text), first, "{text:?}");
    assert_eq!(first_secret_kind(text), first, "{text:?} (remembered)");
}

/// The single hit in `text`, checked to start at `secret`.
fn one_hit(text: &str, kind: &str, secret: &str) {
    let hits = find_secrets(text);
    same_first_kind(text, &hits);
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
    same_first_kind(text, &hits);
    assert!(hits.is_empty(), "{text:?}: {hits:?}");
}

#[test]
fn patterns_compile() {
    assert!(context::compiled());
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
        include_str!("../../tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt"),
        include_str!("../../tests/fixtures/env_info/blog_17.1.1-ce_empty-system_tabs.txt"),
        include_str!(
            "../../tests/fixtures/env_info/grafana-sample-app_18.1.2-ce_ubuntu-24.04_tabs.txt"
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

#[test]
fn hits_end_where_the_secret_ends() {
    let text = "token glpat-aB3dE5fG7hJ9kL1mN3pQ used by CI";
    let hits = find_secrets(text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        &text[hits[0].start..hits[0].end],
        "glpat-aB3dE5fG7hJ9kL1mN3pQ"
    );
}

#[test]
fn json_web_tokens() {
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    one_hit(&format!("session {jwt} expired"), "JSON Web Token", jwt);
    none("a JWT looks like eyJ... and is signed");
}

#[test]
fn http_authorization_headers() {
    for (text, secret) in [
        (
            "Authorization: Bearer q8Xh1lP2mZ7rT9vB3nK5",
            "q8Xh1lP2mZ7rT9vB3nK5",
        ),
        (
            "curl -H 'Authorization: Basic dXNlcjpTM2NyZXQh' https://x",
            "dXNlcjpTM2NyZXQh",
        ),
        (
            "authorization=token 9f8e7d6c5b4a39281706",
            "9f8e7d6c5b4a39281706",
        ),
    ] {
        let hits = find_secrets(text);
        assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        assert!(
            text[hits[0].start..].starts_with(secret),
            "{text}: {hits:?}"
        );
    }
    none("Authorization: Bearer <token>");
    none("Authorization: Bearer $GITLAB_TOKEN");
    none("Authorization: handled by the LDAP team");
    none("we use Bearer tokens for the API");
}

#[test]
fn gitlab_token_headers_with_any_value() {
    for text in [
        "curl --header \"PRIVATE-TOKEN: 9koXpg98eAheJpvBs5tK\" https://gitlab.example.com/api/v4/projects",
        "JOB-TOKEN: 64c2b1a9f0e8d7c6b5a4",
        "https://gitlab.example.com/api/v4/projects?private_token=Zx81mQ2pLk77aB&per_page=5",
    ] {
        assert_eq!(find_secrets(text).len(), 1, "{text}");
    }
    none("PRIVATE-TOKEN: <your_access_token>");
    none("JOB-TOKEN: $CI_JOB_TOKEN");
    none("send the PRIVATE-TOKEN header");
}

#[test]
fn webhooks_vault_npm_and_other_prefixed_tokens() {
    for (text, kind) in [
        (
            "https://hooks.slack.com/services/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",
            "Slack webhook URL",
        ),
        (
            "VAULT_TOKEN=hvs.CAESIJ3kN8qX2mP7rT9vB3nK5sW0yD4fG6jA1cE8uR2tY",
            "HashiCorp Vault token",
        ),
        (
            "//registry.npmjs.org/:_authToken=npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
            "npm access token",
        ),
        ("AIzaSyD3kN8qX2mP7rT9vB3nK5sW0yD4fG6jA1c", "Google API key"),
        (
            "dckr_pat_q8Xh1lP2mZ7rT9vB3nK5sW0yD4f",
            "Docker Hub access token",
        ),
    ] {
        let hits = find_secrets(text);
        assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        assert_eq!(hits[0].kind, kind, "{text}");
    }
    none("see hooks.slack.com/services/ for the webhook");
    none("Vault tokens start with hvs.");
}

#[test]
fn docker_auth_and_pgpass() {
    let docker = r#"{"auths": {"registry.example.com": {"auth": "ZGVwbG95OlMzY3IzdFBhc3M="}}}"#;
    one_hit(docker, "registry credentials (auth)", "ZGVwbG95");
    one_hit(
        "db.internal:5432:gitlabhq_production:gitlab:Pg5ecret9",
        ".pgpass password",
        "Pg5ecret9",
    );
    one_hit(
        "our ~/.pgpass:\n*:*:*:gitlab:hunter22\n",
        ".pgpass password",
        "hunter22",
    );
    none(r#"{"auth": "ldap"}"#);
    none("db.internal:5432:gitlabhq_production:gitlab:*");
    none("10.0.0.5:5432 is the primary");
    none("window 20:00:00 to 04:00:00");
}

#[test]
fn hidden_tokens_are_found_where_they_are() {
    let token = "glpat-aB3dE5fG7hJ9kL1mN3pQ";
    // A zero-width space inside.
    let text = "token glpat-aB3dE5\u{200B}fG7hJ9kL1mN3pQ here";
    let hits = find_secrets(text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        &text[hits[0].start..hits[0].end],
        "glpat-aB3dE5\u{200B}fG7hJ9kL1mN3pQ"
    );
    // Split by a line break.
    let text = "token glpat-aB3dE5fG7h\nJ9kL1mN3pQ here";
    let hits = find_secrets(text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        &text[hits[0].start..hits[0].end],
        "glpat-aB3dE5fG7h\nJ9kL1mN3pQ"
    );
    // Base64 of the token.
    let text = "encoded Z2xwYXQtYUIzZEU1Zkc3aEo5a0wxbU4zcFE= (base64)";
    one_hit(text, BASE64_KIND, "Z2xwYXQt");
    // The key name, spelled with an invisible character.
    one_hit("pass\u{2060}word=hunter2", PASSWORD, "hunter2");
    // And a token made of the pieces of all three.
    let hits = find_secrets(&format!("a {token} b"));
    assert_eq!(hits.len(), 1);
}

#[test]
fn generic_secret_keys_need_a_credible_value() {
    one_hit(
        "mailgun_api_key: 9f8e7d6c5b4a3928aB17",
        "secret assigned to a key",
        "9f8e7d6c",
    );
    one_hit(
        r#""client_secret": "Zx81mQ2pLk77aBcD""#,
        "secret assigned to a key",
        "Zx81mQ2p",
    );
    for text in [
        "token_expiry: 2026-12-01",
        "secret_name: gitlab-postgresql-password",
        "api_key_file: /etc/gitlab/api.key",
        "secrets_backed_up: true",
        "token: see the vault",
        "token-based auth is used for the API",
        "the secret: keep gitlab-secrets.json safe",
    ] {
        none(text);
    }
}

#[test]
fn prose_hashes_and_ids_are_not_secrets() {
    for text in [
        "password rotation policy is documented",
        "token-based auth",
        "commit 4f1c2a9b8e7d6c5b4a39281706f5e4d3c2b1a098 fixed it",
        "plan 0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10",
        "sha256:3b0c4f1e2d5a6978a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718",
        "md5 9e107d9d372bb6826bd81d3542a419d6",
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "GITLAB_TOKEN=<your token here>",
    ] {
        none(text);
    }
}

#[test]
fn the_memo_starts_again_when_full() {
    let mut memo = memo::Memo::default();
    memo.put("aaaa", Some("kind a"), 10);
    memo.put("bbbb", None, 10);
    assert_eq!(memo.get("aaaa"), Some(Some("kind a")));
    assert_eq!(memo.get("bbbb"), Some(None));
    assert_eq!(memo.get("cccc"), None);
    // Full: it starts again with the new text.
    memo.put("cccc", None, 10);
    assert_eq!(memo.get("aaaa"), None);
    assert_eq!(memo.get("cccc"), Some(None));
    // Larger than the memo: not kept, and nothing forgotten for it.
    memo.put("dddddddddddd", None, 10);
    assert_eq!(memo.get("dddddddddddd"), None);
    assert_eq!(memo.get("cccc"), Some(None));
}
