//! Token rules: secrets recognisable by their own shape, whatever surrounds them (a fixed
//! prefix such as `glpat-`, `hvs.` or `npm_` followed by a random body).
//!
//! The list follows the high-confidence rules of gitleaks' default configuration
//! (`config/gitleaks.toml`): those anchored on a prefix the vendor put in the token. The
//! `gitleaks` column names the rule each entry covers ("" for ours only). What is not covered,
//! and why, is listed in the README ("Secrets").
//!
//! Each pattern may name the random part `body`; the fake-token and entropy checks run on it
//! (on the whole match when there is no `body`).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::values::{entropy, looks_fake};

/// A secret recognised by its shape.
pub(super) struct TokenRule {
    /// The gitleaks rule id(s) this entry covers, or "" when it is ours only.
    pub gitleaks: &'static str,
    /// What it is, as findings name it.
    pub kind: &'static str,
    pub pattern: &'static str,
    /// Minimum Shannon entropy of the body (bits per character); 0 for prefixes that are
    /// distinctive enough on their own.
    pub min_entropy: f32,
}

const fn rule(
    gitleaks: &'static str,
    kind: &'static str,
    pattern: &'static str,
    min_entropy: f32,
) -> TokenRule {
    TokenRule {
        gitleaks,
        kind,
        pattern,
        min_entropy,
    }
}

/// The gitleaks rules the GitLab prefix pattern covers.
pub(super) const GITLAB_GITLEAKS: &[&str] = &[
    "gitlab-pat",
    "gitlab-pat-routable",
    "gitlab-deploy-token",
    "gitlab-runner-authentication-token",
    "gitlab-runner-authentication-token-routable",
    "gitlab-ptt",
    "gitlab-scim-token",
    "gitlab-oauth-app-secret",
    "gitlab-cicd-job-token",
    "gitlab-feature-flag-client-token",
    "gitlab-incoming-mail-token",
    "gitlab-kubernetes-agent-token",
    "gitlab-feed-token",
];

/// GitLab's own token prefixes, each with what it is.
pub(super) const GITLAB_PREFIXES: [(&str, &str); 13] = [
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

/// Every other token rule. GitLab prefixes are matched by one pattern built from
/// [`GITLAB_PREFIXES`].
pub(super) const TOKEN_RULES: &[TokenRule] = &[
    rule(
        "gitlab-rrt",
        "GitLab runner registration token",
        r"\bGR1348941(?P<body>[A-Za-z0-9_\-]{20,})",
        0.0,
    ),
    rule(
        "gitlab-session-cookie",
        "GitLab session cookie",
        r"_gitlab_session=(?P<body>[0-9a-z]{32})",
        0.0,
    ),
    rule(
        "github-pat, github-oauth, github-app-token, github-refresh-token",
        "GitHub token",
        r"\bgh[pousr]_(?P<body>[A-Za-z0-9]{30,})",
        0.0,
    ),
    rule(
        "github-fine-grained-pat",
        "GitHub token",
        r"\bgithub_pat_(?P<body>[A-Za-z0-9_]{30,})",
        0.0,
    ),
    rule(
        "aws-access-token",
        "AWS access key ID",
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)(?P<body>[A-Z0-9]{16})\b",
        0.0,
    ),
    rule(
        "aws-amazon-bedrock-api-key-long-lived",
        "AWS Bedrock API key",
        r"\bABSK(?P<body>[A-Za-z0-9+/]{100,}={0,2})",
        3.0,
    ),
    rule(
        "slack-bot-token, slack-user-token, slack-legacy-token, slack-legacy-bot-token, slack-legacy-workspace-token",
        "Slack token",
        r"\bxox[abeoprs]-(?P<body>[A-Za-z0-9\-]{10,})",
        0.0,
    ),
    rule(
        "slack-config-access-token, slack-config-refresh-token",
        "Slack token",
        r"\bxoxe(?:\.xox[bp])?-\d-(?P<body>[A-Za-z0-9]{100,})",
        0.0,
    ),
    rule(
        "slack-app-token",
        "Slack token",
        r"(?i)\bxapp-\d-(?P<body>[A-Z0-9]+-\d+-[a-z0-9]+)",
        0.0,
    ),
    rule(
        "slack-webhook-url",
        "Slack webhook URL",
        r"(?i)\bhooks\.slack\.com/(?:services|workflows|triggers)/(?P<body>[A-Za-z0-9+/_\-]{20,})",
        0.0,
    ),
    rule(
        "microsoft-teams-webhook",
        "Microsoft Teams webhook URL",
        r"(?i)\.webhook\.office\.com/webhookb2/(?P<body>[a-z0-9\-@]{40,}/IncomingWebhook/[a-z0-9/\-]{20,})",
        0.0,
    ),
    rule(
        "",
        "Discord webhook URL",
        r"(?i)\bdiscord(?:app)?\.com/api/webhooks/\d+/(?P<body>[A-Za-z0-9_\-]{40,})",
        0.0,
    ),
    rule(
        "jwt",
        "JSON Web Token",
        r"\bey[A-Za-z0-9_\-]{10,}\.ey[A-Za-z0-9_\-]{10,}\.(?P<body>[A-Za-z0-9_\-]{10,}={0,2})",
        0.0,
    ),
    rule(
        "vault-service-token, vault-batch-token",
        "HashiCorp Vault token",
        r"\bhv[sbr]\.(?P<body>[A-Za-z0-9_\-]{24,})",
        3.0,
    ),
    rule(
        "vault-service-token",
        "HashiCorp Vault token",
        r"\bs\.(?P<body>[A-Za-z0-9]{24})\b",
        3.5,
    ),
    rule(
        "npm-access-token",
        "npm access token",
        r"\bnpm_(?P<body>[A-Za-z0-9]{30,})\b",
        0.0,
    ),
    rule(
        "pypi-upload-token",
        "PyPI upload token",
        r"\bpypi-AgEIcHlwaS5vcmc(?P<body>[A-Za-z0-9_\-]{50,})",
        0.0,
    ),
    rule(
        "rubygems-api-token",
        "RubyGems API token",
        r"\brubygems_(?P<body>[a-f0-9]{48})\b",
        0.0,
    ),
    rule(
        "",
        "Docker Hub access token",
        r"\bdckr_pat_(?P<body>[A-Za-z0-9_\-]{27,})",
        0.0,
    ),
    rule(
        "gcp-api-key",
        "Google API key",
        r"\bAIza(?P<body>[A-Za-z0-9_\-]{35})",
        0.0,
    ),
    rule(
        "azure-ad-client-secret",
        "Azure AD client secret",
        r"(?:^|[\s'\x22`=:(,>\\])(?P<body>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})",
        3.0,
    ),
    rule(
        "openai-api-key",
        "OpenAI API key",
        r"\bsk-(?:(?:proj|svcacct|admin)-)?(?P<body>[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,})",
        0.0,
    ),
    rule(
        "anthropic-api-key, anthropic-admin-api-key",
        "Anthropic API key",
        r"\bsk-ant-(?:api03|admin01)-(?P<body>[A-Za-z0-9_\-]{80,})",
        0.0,
    ),
    rule(
        "stripe-access-token",
        "Stripe API key",
        r"\b(?:sk|rk)_(?:test|live|prod)_(?P<body>[A-Za-z0-9]{10,99})\b",
        3.0,
    ),
    rule(
        "sendgrid-api-token",
        "SendGrid API key",
        r"\bSG\.(?P<body>[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,})",
        0.0,
    ),
    rule(
        "twilio-api-key",
        "Twilio API key",
        r"\bSK(?P<body>[0-9a-fA-F]{32})\b",
        3.0,
    ),
    rule(
        "shopify-access-token, shopify-custom-access-token, shopify-private-app-access-token, shopify-shared-secret",
        "Shopify token",
        r"\bshp(?:at|ca|pa|ss)_(?P<body>[a-fA-F0-9]{32})\b",
        0.0,
    ),
    rule(
        "huggingface-access-token, huggingface-organization-api-token",
        "Hugging Face token",
        r"\b(?:hf_|api_org_)(?P<body>[A-Za-z]{34})\b",
        3.0,
    ),
    rule(
        "databricks-api-token",
        "Databricks token",
        r"\bdapi(?P<body>[a-f0-9]{32})(?:-\d)?\b",
        0.0,
    ),
    rule(
        "digitalocean-pat, digitalocean-access-token, digitalocean-refresh-token",
        "DigitalOcean token",
        r"\bdo[opr]_v1_(?P<body>[a-f0-9]{64})\b",
        0.0,
    ),
    rule(
        "grafana-cloud-api-token, grafana-service-account-token",
        "Grafana token",
        r"\b(?:glc|glsa)_(?P<body>[A-Za-z0-9+/_]{32,}={0,3})",
        3.0,
    ),
    rule(
        "grafana-api-key",
        "Grafana API key",
        r"\beyJrIjoi(?P<body>[A-Za-z0-9]{70,}={0,3})",
        0.0,
    ),
    rule(
        "sentry-user-token",
        "Sentry token",
        r"\bsntryu_(?P<body>[a-f0-9]{64})\b",
        0.0,
    ),
    rule(
        "sentry-org-token",
        "Sentry token",
        r"\bsntrys_(?P<body>eyJ[A-Za-z0-9+/=_]{40,})",
        0.0,
    ),
    rule(
        "age-secret-key",
        "age secret key",
        r"AGE-SECRET-KEY-1(?P<body>[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
        0.0,
    ),
    rule(
        "1password-secret-key",
        "1Password secret key",
        r"\bA3-[A-Z0-9]{6}-(?P<body>(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b",
        3.0,
    ),
    rule(
        "1password-service-account-token",
        "1Password service account token",
        r"\bops_eyJ(?P<body>[A-Za-z0-9+/]{200,}={0,3})",
        0.0,
    ),
    rule(
        "atlassian-api-token",
        "Atlassian API token",
        r"\bATATT3(?P<body>[A-Za-z0-9_\-=]{150,})",
        0.0,
    ),
    rule(
        "postman-api-token",
        "Postman API key",
        r"\bPMAK-(?P<body>[a-fA-F0-9]{24}-[a-fA-F0-9]{34})\b",
        0.0,
    ),
    rule(
        "pulumi-api-token",
        "Pulumi token",
        r"\bpul-(?P<body>[a-f0-9]{40})\b",
        0.0,
    ),
    rule(
        "linear-api-key",
        "Linear API key",
        r"\blin_api_(?P<body>[A-Za-z0-9]{40})\b",
        0.0,
    ),
    rule(
        "doppler-api-token",
        "Doppler token",
        r"\bdp\.pt\.(?P<body>[A-Za-z0-9]{43})",
        0.0,
    ),
    rule(
        "dynatrace-api-token",
        "Dynatrace token",
        r"\bdt0c01\.(?P<body>[A-Za-z0-9]{24}\.[A-Za-z0-9]{64})",
        0.0,
    ),
    rule(
        "heroku-api-key-v2",
        "Heroku API key",
        r"\bHRKU-AA(?P<body>[0-9A-Za-z_\-]{58})",
        0.0,
    ),
    rule(
        "alibaba-access-key-id",
        "Alibaba Cloud access key",
        r"\bLTAI(?P<body>[A-Za-z0-9]{20})\b",
        3.0,
    ),
    rule(
        "adobe-client-secret",
        "Adobe client secret",
        r"\bp8e-(?P<body>[A-Za-z0-9]{32})\b",
        3.0,
    ),
    rule(
        "artifactory-api-key",
        "JFrog Artifactory key",
        r"\bAKCp(?P<body>[A-Za-z0-9]{69})\b",
        4.0,
    ),
    rule(
        "artifactory-reference-token",
        "JFrog Artifactory token",
        r"\bcmVmd(?P<body>[A-Za-z0-9]{59})\b",
        4.0,
    ),
    rule(
        "clojars-api-token",
        "Clojars token",
        r"(?i)\bCLOJARS_(?P<body>[a-z0-9]{60})\b",
        0.0,
    ),
    rule(
        "easypost-api-token, easypost-test-api-token",
        "EasyPost API key",
        r"\bEZ[AT]K(?P<body>[A-Za-z0-9]{54})\b",
        0.0,
    ),
    rule(
        "flyio-access-token",
        "Fly.io token",
        r"\b(?:fo1_|fm1[ar]_|fm2_)(?P<body>[A-Za-z0-9+/_\-]{40,}={0,3})",
        3.0,
    ),
    rule(
        "frameio-api-token",
        "Frame.io token",
        r"\bfio-u-(?P<body>[A-Za-z0-9_=\-]{64})",
        0.0,
    ),
    rule(
        "duffel-api-token",
        "Duffel token",
        r"\bduffel_(?:test|live)_(?P<body>[A-Za-z0-9_=\-]{43})",
        0.0,
    ),
    rule(
        "flutterwave-secret-key, flutterwave-encryption-key, flutterwave-public-key",
        "Flutterwave key",
        r"\bFLW(?:SECK|PUBK)_TEST-(?P<body>[a-hA-H0-9]{12,32})",
        0.0,
    ),
    rule(
        "harness-api-key",
        "Harness API key",
        r"\b(?:pat|sat)\.(?P<body>[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b",
        0.0,
    ),
    rule(
        "hashicorp-tf-api-token",
        "Terraform Cloud token",
        r"\b[A-Za-z0-9]{14}\.atlasv1\.(?P<body>[A-Za-z0-9_=\-]{60,70})",
        0.0,
    ),
    rule(
        "infracost-api-token",
        "Infracost token",
        r"\bico-(?P<body>[A-Za-z0-9]{32})\b",
        3.0,
    ),
    rule(
        "intra42-client-secret",
        "42 Intra client secret",
        r"\bs-s4t2(?:ud|af)-(?P<body>[a-f0-9]{64})\b",
        0.0,
    ),
    rule(
        "maxmind-license-key",
        "MaxMind license key",
        r"\b[A-Za-z0-9]{6}_(?P<body>[A-Za-z0-9]{29})_mmk\b",
        0.0,
    ),
    rule(
        "notion-api-token",
        "Notion token",
        r"\bntn_(?P<body>[0-9]{11}[A-Za-z0-9]{35})\b",
        0.0,
    ),
    rule(
        "octopus-deploy-api-key",
        "Octopus Deploy API key",
        r"\bAPI-(?P<body>[A-Z0-9]{26})\b",
        3.5,
    ),
    rule(
        "openshift-user-token",
        "OpenShift token",
        r"\bsha256~(?P<body>[A-Za-z0-9_\-]{43})",
        0.0,
    ),
    rule(
        "perplexity-api-key",
        "Perplexity API key",
        r"\bpplx-(?P<body>[A-Za-z0-9]{48})\b",
        0.0,
    ),
    rule(
        "planetscale-api-token, planetscale-oauth-token, planetscale-password",
        "PlanetScale token",
        r"\bpscale_(?:tkn|oauth|pw)_(?P<body>[A-Za-z0-9_=.\-]{32,64})",
        0.0,
    ),
    rule(
        "prefect-api-token",
        "Prefect token",
        r"\bpnu_(?P<body>[A-Za-z0-9]{36})\b",
        0.0,
    ),
    rule(
        "readme-api-token",
        "ReadMe API key",
        r"\brdme_(?P<body>[a-z0-9]{70})\b",
        0.0,
    ),
    rule(
        "scalingo-api-token",
        "Scalingo token",
        r"\btk-us-(?P<body>[A-Za-z0-9_\-]{48})",
        0.0,
    ),
    rule(
        "sendinblue-api-token",
        "Brevo (Sendinblue) API key",
        r"\bxkeysib-(?P<body>[a-f0-9]{64}-[A-Za-z0-9]{16})\b",
        0.0,
    ),
    rule(
        "settlemint-application-access-token, settlemint-personal-access-token, settlemint-service-access-token",
        "SettleMint token",
        r"\bsm_(?:aat|pat|sat)_(?P<body>[A-Za-z0-9]{16})\b",
        3.0,
    ),
    rule(
        "shippo-api-token",
        "Shippo token",
        r"\bshippo_(?:live|test)_(?P<body>[a-fA-F0-9]{40})\b",
        0.0,
    ),
    rule(
        "square-access-token",
        "Square token",
        r"\b(?:EAAA|sq0atp-)(?P<body>[A-Za-z0-9_\-]{22,60})\b",
        3.5,
    ),
    rule(
        "facebook-page-access-token",
        "Facebook access token",
        r"\bEAA[MC](?P<body>[A-Za-z0-9]{100,})",
        0.0,
    ),
    rule(
        "clickhouse-cloud-api-secret-key",
        "ClickHouse Cloud key",
        r"\b4b1d(?P<body>[A-Za-z0-9]{38})\b",
        4.0,
    ),
    rule(
        "cloudflare-origin-ca-key",
        "Cloudflare Origin CA key",
        r"\bv1\.0-[a-f0-9]{24}-(?P<body>[a-f0-9]{146})",
        0.0,
    ),
    rule(
        "authress-service-client-access-key",
        "Authress key",
        r"\b(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\.acc[_\-](?P<body>[A-Za-z0-9\-]{10,32}\.[A-Za-z0-9+/_=\-]{30,120})",
        0.0,
    ),
    rule(
        "airtable-personnal-access-token",
        "Airtable token",
        r"\bpat[A-Za-z0-9]{14}\.(?P<body>[a-f0-9]{64})\b",
        0.0,
    ),
    rule(
        "aws-amazon-bedrock-api-key-short-lived",
        "AWS Bedrock API key",
        r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t(?P<body>[A-Za-z0-9+/=%]{20,})",
        0.0,
    ),
    rule(
        "facebook-access-token",
        "Facebook access token",
        r"\b\d{15,16}[|%](?P<body>[0-9A-Za-z_\-]{27,40})\b",
        3.0,
    ),
    rule(
        "sourcegraph-access-token",
        "Sourcegraph token",
        r"\bsgp_(?:[a-fA-F0-9]{16}_|local_)?(?P<body>[a-fA-F0-9]{40})\b",
        0.0,
    ),
    rule(
        "",
        "PuTTY private key",
        r"PuTTY-User-Key-File-\d+:[^\n]*\n(?:[^\n]*\n){0,4}?Private-Lines:\s*\d+\s+(?P<body>[A-Za-z0-9+/=]{20,})",
        0.0,
    ),
];

/// The gitleaks rule ids the token rules cover.
pub(super) fn gitleaks_ids() -> impl Iterator<Item = &'static str> {
    GITLAB_GITLEAKS.iter().copied().chain(
        TOKEN_RULES
            .iter()
            .flat_map(|r| r.gitleaks.split(", "))
            .filter(|id| !id.is_empty()),
    )
}

/// A compiled rule.
pub(super) struct Compiled {
    pub kind: &'static str,
    pub regex: Regex,
    pub min_entropy: f32,
    /// For the GitLab pattern: take the kind from the `prefix` group.
    pub gitlab: bool,
}

fn gitlab_pattern() -> String {
    let mut names: Vec<&str> = GITLAB_PREFIXES
        .iter()
        .map(|(p, _)| p.trim_end_matches('-'))
        .collect();
    // Longest first, so `glrtr` is not read as `glrt` followed by `r-`.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    format!(
        r"\b(?P<prefix>{})-(?P<body>[A-Za-z0-9_\-]{{20,}})",
        names.join("|")
    )
}

/// Every rule that compiles (all of them: a unit test checks).
pub(super) static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    let mut out = Vec::with_capacity(TOKEN_RULES.len() + 1);
    if let Ok(regex) = Regex::new(&gitlab_pattern()) {
        out.push(Compiled {
            kind: "GitLab token",
            regex,
            min_entropy: 0.0,
            gitlab: true,
        });
    }
    for r in TOKEN_RULES {
        if let Ok(regex) = Regex::new(r.pattern) {
            out.push(Compiled {
                kind: r.kind,
                regex,
                min_entropy: r.min_entropy,
                gitlab: false,
            });
        }
    }
    out
});

/// All the patterns at once: one pass tells which rules can match at all (most texts match
/// none), so only those run.
static SET: LazyLock<Option<RegexSet>> =
    LazyLock::new(|| RegexSet::new(COMPILED.iter().map(|r| r.regex.as_str())).ok());

/// Every token in `text`: `add(kind, start, end)` for each one that is not a made-up example.
pub(super) fn scan(text: &str, add: &mut dyn FnMut(&'static str, usize, usize)) {
    let matched = SET.as_ref().map(|set| set.matches(text));
    for (i, rule) in COMPILED.iter().enumerate() {
        if matched.as_ref().is_some_and(|m| !m.matched(i)) {
            continue;
        }
        for c in rule.regex.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let body = c.name("body").unwrap_or(whole);
            if looks_fake(body.as_str()) || entropy(body.as_str()) < rule.min_entropy {
                continue;
            }
            let kind = if rule.gitlab {
                c.name("prefix")
                    .and_then(|p| {
                        GITLAB_PREFIXES
                            .iter()
                            .find(|(name, _)| name.trim_end_matches('-') == p.as_str())
                    })
                    .map_or(rule.kind, |(_, k)| *k)
            } else {
                rule.kind
            };
            // A pattern that needs the character before the token (Azure) starts at `body`.
            let start = if rule.regex.as_str().starts_with("(?:^|") {
                body.start()
            } else {
                whole.start()
            };
            add(kind, start, whole.end());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        assert!(Regex::new(&gitlab_pattern()).is_ok());
        for r in TOKEN_RULES {
            assert!(Regex::new(r.pattern).is_ok(), "{}: {}", r.kind, r.pattern);
        }
        assert_eq!(COMPILED.len(), TOKEN_RULES.len() + 1);
    }
}
