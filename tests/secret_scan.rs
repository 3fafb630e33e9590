//! The secret scanner against two lists: texts that hold a secret (each must be found, and
//! redaction must remove its distinctive part) and ordinary plan prose, hashes, ids and
//! placeholders (none may be reported). Add to both when a rule changes.

#![allow(clippy::unwrap_used, clippy::panic)]

use upgrade_planner::export::redact::redact;
use upgrade_planner::secrets::{find_secrets, gitleaks_rules_covered};

/// (text, a part of the secret that must not survive redaction).
const SECRETS: &[(&str, &str)] = &[
    // GitLab
    ("glpat-Qm7vR4tY8wZ1aB3cD5eF", "Qm7vR4tY8wZ1aB3c"),
    (
        "routable glpat-Zm9vYmFyYmF6cXV4MTIzNDU2.01.1a2b3c4d5",
        "Zm9vYmFyYmF6",
    ),
    ("gldt-Hq2Lp9Xw4Rt6Yz8Nm1Bv", "Hq2Lp9Xw4Rt6"),
    ("glrt-t1_Kd8Fs3Lq7Wm2Xn5Pz9Rv", "Kd8Fs3Lq7Wm2"),
    ("glcbt-64_Vb6Nc2Mx8Lk4Jh7GfQw3E", "Vb6Nc2Mx8Lk4"),
    (
        "gitlab-runner register --token GR1348941Vb6Nc2Mx8Lk4Jh7GfQw3E",
        "Vb6Nc2Mx8Lk4",
    ),
    (
        "cookie _gitlab_session=3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f",
        "3f2c1a9b8e7d6c5b",
    ),
    ("PRIVATE-TOKEN: Jd7Hs2Kf9Lq4Wm8Xn3Pv", "Jd7Hs2Kf9Lq4"),
    ("JOB-TOKEN=Rt5Yh8Uj2Ik6Ol9Pq3Ws", "Rt5Yh8Uj2Ik6"),
    (
        "GET /api/v4/projects?private_token=Zx81mQ2pLk77aBcD&per_page=5",
        "Zx81mQ2pLk77",
    ),
    // Hidden GitLab tokens
    ("glpat-Hy6Tg4Rf2Ed\nWs8Qa1Zx3Cv", "Ws8Qa1Zx3Cv"),
    ("glpat-Hy6Tg4Rf2Ed\n    Ws8Qa1Zx3Cv", "Ws8Qa1Zx3Cv"),
    ("glpat-Pl9Ok8Ij\u{200B}7Uh6Yg5Tf4Rd", "7Uh6Yg5Tf4Rd"),
    ("glpat-Pl9Ok8Ij\u{2060}7Uh6Yg5\u{FEFF}Tf4Rd", "7Uh6Yg5"),
    ("glpat-Pl9Ok8Ij\u{00AD}7Uh6Yg5Tf4Rd", "7Uh6Yg5Tf4Rd"),
    ("Z2xwYXQtUnQ1WW04Tmo0S2w3QnYyWHozUXc=", "Z2xwYXQtUnQ1WW04"),
    (
        "url-safe Z2xwYXQtUnQ1WW04Tmo0S2w3QnYyWHozUXc",
        "Z2xwYXQtUnQ1WW04",
    ),
    // Headers and tokens of other vendors
    ("Authorization: Bearer Mq8Zr2Lw6Np4Xt9Vb3Kc", "Mq8Zr2Lw6Np4"),
    (
        "authorization: Basic cm9vdDpTM2NyZXQhUGFzcw==",
        "cm9vdDpTM2Ny",
    ),
    (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Xc3vB8nM1qW7eR5tY2uI9oP4aS6dF0gH",
        "Xc3vB8nM1qW7eR5t",
    ),
    (
        "https://hooks.slack.com/services/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",
        "Zq8Wm3Np6Rt9",
    ),
    (
        "xoxb-2048756431-8841299321-Qw3Er5Ty7Ui9Op1As",
        "Qw3Er5Ty7Ui9",
    ),
    ("hvs.CAESIKq9Lw3Nz7Pr2Tx5Vb8Ym4Hd6Gf1Js0", "Kq9Lw3Nz7Pr2"),
    ("s.Kq9Lw3Nz7Pr2Tx5Vb8Ym4Hd6", "Kq9Lw3Nz7Pr2"),
    ("npm_Wq4Ez8Rt2Yu6Io1Pa5Sd9Fg3Hj7Kl0Zx2Cv4", "Wq4Ez8Rt2Yu6"),
    ("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A", "aB3dE5fG7hJ9"),
    ("AKIA2OGYBAH6TDQEXV7N", "2OGYBAH6TDQE"),
    ("AIzaSyD3kN8qX2mP7rT9vB3nK5sW0yD4fG6jA1c", "D3kN8qX2mP7r"),
    ("sk_live_Zt5Wq9Er2Ty6Ui1Op3As7Df", "Zt5Wq9Er2Ty6"),
    ("dckr_pat_q8Xh1lP2mZ7rT9vB3nK5sW0yD4f", "q8Xh1lP2mZ7r"),
    (
        "pypi-AgEIcHlwaS5vcmcCJGI4YTRlYjU5LTY3ZjgtNDhkYy1hMjM4LWE1ZjY1OTk2MzMwNgACKlszLCJmNDQ",
        "CJGI4YTRlYjU5",
    ),
    // Files and configuration
    (
        "{\"auths\": {\"registry.example.com\": {\"auth\": \"cm9ib3Q6Uzd2ZXJ5U2VjcmV0UGFzcw==\"}}}",
        "cm9ib3Q6Uzd2ZXJ5",
    ),
    (
        "db.internal:5432:gitlabhq_production:gitlab:Vq7Pg3Sec9Zt",
        "Vq7Pg3Sec9Zt",
    ),
    (
        "~/.pgpass has *:*:*:gitlab:Vq7Pg3Sec9Zt in it",
        "Vq7Pg3Sec9Zt",
    ),
    (
        "gitlab_rails['db_password'] = 'Tr0ub4dor&3xyz'",
        "Tr0ub4dor&3xyz",
    ),
    ("DB_PASS=Kx7Qw2Ez9Rt", "Kx7Qw2Ez9Rt"),
    ("set password=`Hunter22x` in the unit file", "Hunter22x"),
    (
        "postgres://gitlab:Pg5ecretZq9@db.internal/gitlabhq",
        "Pg5ecretZq9",
    ),
    (
        "curl -u deploy:Ab3Cd5Ef7Gh https://registry.example.com",
        "Ab3Cd5Ef7Gh",
    ),
    (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gitlab-rails\ndata:\n  password: UzNjcjN0UGFzc3dvcmQ=\n",
        "UzNjcjN0UGFzc3dv",
    ),
    ("mailgun_api_key: 9f8e7d6c5b4a3928aB17", "9f8e7d6c5b4a"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQZkTq\n-----END OPENSSH PRIVATE KEY-----",
        "AAAABG5vbmUAAAAEbm9uZQZkTq",
    ),
];

/// Ordinary plan text: none of it is a secret.
const NOT_SECRETS: &[&str] = &[
    "password rotation policy is documented",
    "token-based auth",
    "Passwords are rotated monthly and kept in Vault.",
    "The runner token is in the team's password manager.",
    "Root password: see the team's 1Password vault",
    "secrets_backed_up: true",
    "Back up /etc/gitlab/gitlab-secrets.json and gitlab.rb",
    "secret_key_base is in gitlab-secrets.json",
    "commit 4f1c2a9b8e7d6c5b4a39281706f5e4d3c2b1a098 fixed the hook",
    "short sha 4f1c2a9b",
    "plan 0b8f0c1e-6c1d-4a57-9d55-3f4c0e2b7a10",
    "image registry.gitlab.com/gitlab-org/build/cng/gitlab-webservice-ee@sha256:3b0c4f1e2d5a6978a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718",
    "md5 9e107d9d372bb6826bd81d3542a419d6, sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    "gitlab-ee_17.3.7-ee.0_amd64.deb SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "glpat-xxxxxxxxxxxxxxxxxxxx",
    "GITLAB_TOKEN=<your token here>",
    "PRIVATE-TOKEN: <your_access_token>",
    "Authorization: Bearer $TOKEN",
    "Authorization: Bearer ${CI_JOB_TOKEN}",
    "password: ${DB_PASSWORD}",
    "password: ***",
    "password=[REDACTED]",
    "token: see the vault",
    "token_expiry: 2026-12-01",
    "secret_name: gitlab-postgresql-password",
    "existingSecret: gitlab-initial-root-password",
    "api_key_file: /etc/gitlab/api.key",
    "auth: ldap",
    "{\"auth\": \"ldap\"}",
    "Window 20:00:00 to 04:00:00 UTC",
    "primary 10.0.3.17:5432, replica [2001:db8::42]:5432",
    "ULA fd00:8080:cafe:beef:1 on the Geo link",
    "db.internal:5432:gitlabhq_production:gitlab:*",
    "upgrade 16.3.4 -> 16.7.8 -> 17.3.7 -> 17.8.7",
    "https://docs.gitlab.com/update/upgrade_paths/",
    "ssh://git@gitlab.example.com:2222/group/project.git",
    "We use the Bearer token flow documented by GitLab.",
    "Tokens start with glpat- and are revoked after the upgrade.",
    "SharedAccessKeyName=RootManageSharedAccessKey",
    "gitlab-ctl reconfigure && gitlab-ctl restart",
    "Helm values: global.psql.password.secret=gitlab-postgres, key=psql-password",
    "internationalisation and localisation settings unchanged",
    "Set `password=` and `PGPASSWORD=` in the unit file, not `gitlab_rails['db_password'] = '…'`.",
    "`.pgpass` lines (`host:5432:db:user:password`) and `curl -u user:password`, as documented",
];

#[test]
fn every_secret_in_the_list_is_found_and_redacted() {
    let mut failures = Vec::new();
    for (text, part) in SECRETS {
        if find_secrets(text).is_empty() {
            failures.push(format!("not found: {text:?}"));
            continue;
        }
        let r = redact(text);
        if r.contains(part) {
            failures.push(format!("{part:?} survives redaction: {r:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn nothing_in_the_prose_list_is_reported() {
    let reported: Vec<String> = NOT_SECRETS
        .iter()
        .filter_map(|t| {
            let hits = find_secrets(t);
            (!hits.is_empty()).then(|| format!("{t:?}: {hits:?}"))
        })
        .collect();
    assert!(reported.is_empty(), "\n{}", reported.join("\n"));
}

#[test]
fn the_readme_lists_every_gitleaks_rule_covered() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let covered = gitleaks_rules_covered();
    assert!(covered.len() >= 100, "{covered:?}");
    let missing: Vec<&&str> = covered
        .iter()
        .filter(|id| !readme.contains(&format!("`{id}`")))
        .collect();
    assert!(missing.is_empty(), "README.md does not list {missing:?}");
}
