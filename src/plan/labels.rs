//! The words a person sees for the plan's fields and closed lists: the wizard's input labels,
//! which messages and exports use too (the command line keeps the field paths for scripts),
//! and the option lists of answers stored as ids.

use std::borrow::Cow;

/// The wizard label of a field path such as `contact.email`, `topology.nodes[2].count` or
/// `geo.secondaries[0].name`. Condition questions come from the GitLab data and are looked up
/// by the caller (`validate::field_label`); any other unknown path is made readable.
pub fn field_label(field: &str) -> Cow<'static, str> {
    if let Some(label) = static_label(field) {
        return Cow::Borrowed(label);
    }
    if let Some((group, rest)) = indexed(field, "topology.nodes[") {
        let label = match rest {
            "role" => format!("Role of group {group}"),
            "count" => format!("Nodes in group {group}"),
            "hosts" => format!("Host names of group {group}"),
            "os" | "os.distribution" => format!("Operating system of group {group}"),
            "os.version" => format!("Operating system version of group {group}"),
            "os.arch" => format!("Architecture of group {group}"),
            "notes" => format!("Notes on group {group}"),
            "" => format!("Node group {group}"),
            other => match indexed(other, "additional_roles[") {
                Some((n, "")) => format!("Further role {n} of group {group}"),
                _ => format!("Node group {group}: {}", readable(other)),
            },
        };
        return Cow::Owned(label);
    }
    if let Some((n, rest)) = indexed(field, "windows[") {
        let label = match rest {
            "start" => format!("Start of window {n}"),
            "time_zone" => format!("Time zone of window {n}"),
            "duration_hours" => format!("Length of window {n} (hours)"),
            "last_hop" => format!("Last hop of window {n}"),
            "" => format!("Window {n}"),
            other => format!("Window {n}: {}", readable(other)),
        };
        return Cow::Owned(label);
    }
    if let Some((n, rest)) = indexed(field, "dependency_upgrades[") {
        let label = match rest {
            "" => format!("Dependency upgrade {n}"),
            other => format!("Dependency upgrade {n}: {}", readable(other)),
        };
        return Cow::Owned(label);
    }
    if let Some((n, rest)) = indexed(field, "reviews[") {
        return Cow::Owned(super::review::review_field_label(n, rest));
    }
    if let Some(minor) = field.strip_prefix("hop_hours.") {
        return Cow::Owned(format!("Rehearsed hours for {minor}"));
    }
    if let Some((site, rest)) = indexed(field, "geo.secondaries[") {
        let label = match rest {
            "name" => format!("Name of site {site}"),
            "location" => format!("Location of site {site}"),
            "kind" => format!("Topology of site {site}"),
            "node_count" => format!("Nodes at site {site}"),
            "" => format!("Secondary site {site}"),
            other => format!("Secondary site {site}: {}", readable(other)),
        };
        return Cow::Owned(label);
    }
    Cow::Owned(readable(field))
}

/// Labels of the fields with one fixed place in the wizard.
fn static_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "contact.organization" => "Organisation",
        "contact.name" => "Contact name",
        "contact.email" => "Contact email",
        "contact.ticket" => "Support ticket number",
        "windows[0].start" => "Window start",
        "windows[0].time_zone" => "Time zone",
        "windows[0].duration_hours" => "Window length (hours)",
        "windows[0].review_call" => "Do you want a review call with GitLab Support?",
        "windows[0].last_hop" => "Last hop of window 1",
        "dependency_upgrades" => "Dependency upgrades on the path",
        "versions.current" => "Current GitLab version",
        "versions.edition" => "Edition",
        "versions.target" => "Target GitLab version",
        "versions.target_edition" => "Edition after the upgrade",
        "zero_downtime" => "Do you want a zero-downtime upgrade?",
        "install.method" => "Installation method",
        "install.target_method" => "Installation method after the upgrade",
        "install.chart_version" => "Helm chart version deployed now",
        "install.docker_image" => "Docker image in use",
        "install.container_name" => "Container name",
        "os.distribution" => "Distribution",
        "os.version" => "Version",
        "os.arch" => "Architecture",
        "topology.kind" => "Single or multi-node",
        "topology.reference_architecture" => "Reference architecture",
        "topology.nodes" => "Node groups",
        "topology.postgresql.mode" => "How PostgreSQL runs",
        "topology.postgresql.provider" => "PostgreSQL provider",
        "topology.postgresql.version" => "PostgreSQL version",
        "topology.postgresql.nodes" => "PostgreSQL nodes (Patroni)",
        "topology.redis.mode" => "How Redis runs",
        "topology.redis.version" => "Redis version",
        "topology.redis.nodes" => "Redis nodes (with Sentinel)",
        "topology.gitaly.mode" => "How Gitaly runs",
        "topology.gitaly.storages" => "Gitaly storages",
        "topology.gitaly.nodes" => "Gitaly nodes",
        "topology.gitaly.praefect_nodes" => "Praefect nodes",
        "topology.pgbouncer" => "PgBouncer",
        "topology.pgbouncer.nodes" => "PgBouncer nodes",
        "topology.consul" => "Consul",
        "topology.consul.nodes" => "Consul nodes",
        "topology.load_balancer" => "Load balancer in front of GitLab",
        "topology.object_storage" => "Object storage",
        "topology.object_storage_provider" => "Object storage provider",
        "topology.elasticsearch" => "Elasticsearch or OpenSearch (advanced search)",
        "topology.search_engine" => "Search engine",
        "topology.search_version" => "Search engine version",
        "topology.container_registry" => "Container registry",
        "topology.mattermost" => "Bundled Mattermost",
        "topology.runners" => "GitLab Runners",
        "topology.ldap" => "LDAP sign-in",
        "topology.gitlab_duo" => "GitLab Duo",
        "topology.clickhouse" => "ClickHouse",
        "geo.enabled" => "Is GitLab Geo used?",
        "geo.site_role" => "Geo role of this site",
        "geo.secondaries" => "Secondary sites",
        "notes.unique_setup" => "What is unusual or important about this setup?",
        "notes.current_known_issues" => "Known issues you already see on the current version",
        "known_issues_reviewed" => "Known issues on your path",
        "backup.method" => "Backup method",
        "backup_every_hop" => "Take a backup before every hop too?",
        "backup.secrets_backed_up" => "Are the secrets backed up?",
        "backup.config_backed_up" => "Is the configuration backed up?",
        "backup.object_storage_backed_up" => {
            "Is object storage backed up (provider tools, versioning or replication)?"
        }
        "backup.location" => "Where is the backup kept?",
        "backup.restore_tested_on" => "Date of the last restore test",
        "backup.test_environment" => "Where was it tested?",
        "rollback.confirmed" => "I have reviewed these rollback steps and they fit our setup",
        "rollback.trigger" => "Rollback trigger",
        "rollback.decision_deadline" => "Go/no-go decision time",
        "rollback.duration_hours" => "Time a rollback takes (hours)",
        "export.paper" => "Paper size",
        "facts.collected_on" => "Facts collected on",
        "facts.users" => "Users (rows in the users table)",
        "facts.npm_packages" => "NPM packages in the registry",
        "facts.ci_pipeline_messages_rows" => "Rows in ci_pipeline_messages (estimate)",
        "facts.ci_pipeline_variables_rows" => "Rows in ci_pipeline_variables (estimate)",
        "facts.gitlab_rb.git_data_dirs" => "git_data_dirs in gitlab.rb",
        "facts.gitlab_rb.grafana" => "Grafana keys in gitlab.rb",
        "facts.gitlab_rb.mattermost" => "Mattermost keys in gitlab.rb",
        "facts.gitlab_rb.spamcheck" => "Spamcheck keys in gitlab.rb",
        "facts.gitlab_rb.patroni" => "Patroni settings in gitlab.rb",
        _ => return None,
    })
}

/// `("3", "count")` for `topology.nodes[2].count` with prefix `topology.nodes[`: the position
/// counted from 1, and what follows the index (empty for the item itself).
fn indexed<'a>(field: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = field.strip_prefix(prefix)?;
    let (index, rest) = rest.split_once(']')?;
    let index: usize = index.parse().ok()?;
    Some((
        index.saturating_add(1),
        rest.strip_prefix('.').unwrap_or(rest),
    ))
}

/// A path no label is known for, readable: `custom_keys.api_token` -> `custom keys › api token`.
fn readable(field: &str) -> String {
    field.replace('_', " ").replace('.', " › ")
}

/// Providers of an external PostgreSQL, as stored in `topology.postgresql.provider`.
pub const POSTGRES_PROVIDERS: [(&str, &str); 7] = [
    ("aws_rds", "Amazon RDS for PostgreSQL"),
    ("aws_aurora", "Amazon Aurora PostgreSQL"),
    ("gcp_cloud_sql", "Google Cloud SQL for PostgreSQL"),
    ("gcp_alloydb", "Google AlloyDB"),
    ("azure", "Azure Database for PostgreSQL"),
    ("self_managed", "Self-managed PostgreSQL server"),
    ("other", "Other provider"),
];

/// Providers of object storage, as stored in `topology.object_storage_provider`.
pub const OBJECT_STORAGE_PROVIDERS: [(&str, &str); 5] = [
    ("aws_s3", "Amazon S3"),
    ("gcs", "Google Cloud Storage"),
    ("azure_blob", "Azure Blob Storage"),
    ("s3_compatible", "S3-compatible storage, e.g. MinIO or Ceph"),
    ("other", "Other"),
];

/// Advanced search back ends, as stored in `topology.search_engine`.
pub const SEARCH_ENGINES: [(&str, &str); 3] = [
    ("elasticsearch", "Elasticsearch"),
    ("opensearch", "OpenSearch"),
    ("aws_opensearch", "Amazon OpenSearch Service"),
];

/// The label of an id from one of the option lists above; an id the list does not know (a
/// hand-written or older plan) is shown as written.
pub fn option_label(list: &[(&str, &'static str)], id: &str) -> String {
    list.iter()
        .find(|(known, _)| *known == id)
        .map(|(_, label)| (*label).to_string())
        .unwrap_or_else(|| id.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_indexed_and_unknown_paths_read_as_words() {
        assert_eq!(field_label("contact.email"), "Contact email");
        assert_eq!(field_label("topology.nodes[2].count"), "Nodes in group 3");
        assert_eq!(field_label("geo.secondaries[0].name"), "Name of site 1");
        assert_eq!(
            field_label("topology.nodes[0].os.version"),
            "Operating system version of group 1"
        );
        assert_eq!(
            field_label("topology.nodes[1].additional_roles[0]"),
            "Further role 1 of group 2"
        );
        assert_eq!(
            field_label("custom_keys.api_token"),
            "custom keys › api token"
        );
        // A malformed index is not a panic, only a plainer label.
        assert_eq!(
            field_label("topology.nodes[x].count"),
            "topology › nodes[x] › count"
        );
    }

    #[test]
    fn option_ids_have_labels_and_unknown_ids_survive() {
        assert_eq!(
            option_label(&POSTGRES_PROVIDERS, "aws_rds"),
            "Amazon RDS for PostgreSQL"
        );
        assert_eq!(option_label(&POSTGRES_PROVIDERS, "aws rds"), "aws rds");
        assert_eq!(
            option_label(&OBJECT_STORAGE_PROVIDERS, "on_prem_ceph"),
            "on prem ceph"
        );
    }
}
