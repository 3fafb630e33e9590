//! The diagnostics script (`upgrade-planner diagnostics`): a read-only shell script, with a
//! `gitlab-rails runner` snippet, that prints the facts [`super::facts`] reads.

/// The script, as `upgrade-planner diagnostics` prints it (`assets/diagnostics.sh`).
pub const SCRIPT: &str = include_str!("../../assets/diagnostics.sh");

/// The keys the script prints, the marker first.
pub const KEYS: [&str; 16] = [
    super::facts::MARKER,
    "collected_on",
    "gitlab_rb_git_data_dirs",
    "gitlab_rb_grafana",
    "gitlab_rb_mattermost",
    "gitlab_rb_spamcheck",
    "gitlab_rb_patroni",
    "gitlab_version",
    "gitlab_edition",
    "postgresql_version",
    "redis_version",
    "users_count",
    "npm_packages_count",
    "ci_pipeline_messages_rows",
    "ci_pipeline_variables_rows",
    "geo_role",
];

/// The lines of the script that run (comments and blank lines left out).
pub fn code_lines() -> impl Iterator<Item = &'static str> {
    SCRIPT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that write, change, delete or reach out, as whole words of the code (shell,
    /// Ruby and SQL alike).
    const FORBIDDEN_WORDS: [&str; 34] = [
        "rm",
        "mv",
        "cp",
        "dd",
        "tee",
        "sed",
        "awk",
        "perl",
        "python",
        "chmod",
        "chown",
        "touch",
        "truncate",
        "mkdir",
        "ln",
        "install",
        "curl",
        "wget",
        "nc",
        "ssh",
        "reconfigure",
        "restart",
        "stop",
        "kill",
        "insert",
        "update",
        "delete",
        "drop",
        "alter",
        "create",
        "grant",
        "vacuum",
        "analyze",
        "copy",
    ];

    /// Ruby calls that write or run commands, as parts of the code.
    const FORBIDDEN_PARTS: [&str; 22] = [
        ".save",
        ".update",
        ".destroy",
        ".delete",
        ".create",
        ".insert",
        ".upsert",
        ".touch",
        ".increment",
        ".decrement",
        ".toggle",
        "execute",
        "exec_",
        ".write",
        "File.",
        "FileUtils",
        "IO.",
        "system",
        "spawn",
        "%x",
        "`",
        "gitlab-ctl",
    ];

    fn words(line: &str) -> impl Iterator<Item = String> + '_ {
        line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
    }

    #[test]
    fn the_script_writes_nothing() {
        for line in code_lines() {
            // No redirection of any kind: not even `2>/dev/null`.
            assert!(!line.contains('>'), "a `>` in: {line}");
            for w in words(line) {
                assert!(!FORBIDDEN_WORDS.contains(&w.as_str()), "`{w}` in: {line}");
            }
            for part in FORBIDDEN_PARTS {
                assert!(!line.contains(part), "`{part}` in: {line}");
            }
        }
    }

    /// The check itself must catch what it is meant to catch.
    #[test]
    fn the_write_check_would_catch_writes() {
        for bad in [
            "echo x > /tmp/f",
            "rm -f /etc/gitlab/gitlab.rb",
            "sed -i s/a/b/ /etc/gitlab/gitlab.rb",
            "sudo gitlab-ctl reconfigure",
            "User.first.update(admin: true)",
            "main.select_value(\"DELETE FROM users\")",
            "echo x | tee /tmp/f",
        ] {
            let caught = bad.contains('>')
                || words(bad).any(|w| FORBIDDEN_WORDS.contains(&w.as_str()))
                || FORBIDDEN_PARTS.iter().any(|p| bad.contains(p));
            assert!(caught, "not caught: {bad}");
        }
    }

    #[test]
    fn every_query_is_a_select_or_show() {
        let mut queries = 0;
        for call in ["select_value(", "select_rows("] {
            for (at, _) in SCRIPT.match_indices(call) {
                queries += 1;
                let arg = SCRIPT[at + call.len()..].trim_start();
                assert!(
                    arg.starts_with("\"SELECT ") || arg.starts_with("\"SHOW "),
                    "not a read: {}",
                    arg.lines().next().unwrap_or_default()
                );
            }
        }
        assert_eq!(queries, 5, "the queries of the script");
    }

    /// What the script prints of gitlab.rb is `yes`, `no` or `unknown` from `setting`, whose
    /// input goes to `grep -q` only.
    #[test]
    fn gitlab_rb_is_only_grepped_quietly() {
        let reads: Vec<&str> = code_lines()
            .filter(|l| l.contains("gitlab.rb") || l.contains("GITLAB_OMNIBUS_CONFIG"))
            .collect();
        assert!(!reads.is_empty());
        for line in &reads {
            let ok = line.starts_with("if [ -r /etc/gitlab/gitlab.rb ]")
                || line.starts_with("if [ ! -r /etc/gitlab/gitlab.rb ]")
                || *line == "cat /etc/gitlab/gitlab.rb"
                || line.starts_with("printf '%s\\n' \"${GITLAB_OMNIBUS_CONFIG:-}\" | tr");
            assert!(ok, "gitlab.rb read in an unexpected way: {line}");
        }
        let uses: Vec<&str> = code_lines()
            .filter(|l| l.contains("settings_text"))
            .collect();
        assert_eq!(
            uses,
            [
                "settings_text() {",
                "elif settings_text | grep -Eq \"$1\"; then"
            ]
        );
        let printed: Vec<&str> = code_lines()
            .filter(|l| l.starts_with("echo \"gitlab_rb_"))
            .collect();
        assert_eq!(printed.len(), 5);
        assert!(printed.iter().all(|l| l.contains(": $(setting '")));
    }

    #[test]
    fn the_script_prints_every_key_the_parser_reads() {
        for key in KEYS {
            let printed = SCRIPT.contains(&format!("echo \"{key}: "))
                || SCRIPT.contains(&format!("fact(\"{key}\")"));
            assert!(printed, "{key} is not printed by the script");
        }
    }
}
