#!/usr/bin/env bash
# Upgrade Planner diagnostics: facts about this GitLab instance for the upgrade plan.
#
# Run it as root on a GitLab Rails node (Linux package; in Docker inside the container):
#     sudo bash upgrade-planner-facts.sh
# and paste everything it prints into the Start step of Upgrade Planner, or give it to
# `upgrade-planner env-info` (alone or together with `gitlab-rake gitlab:env:info` output).
# On other nodes (Gitaly, PostgreSQL, ...) it prints the gitlab.rb lines only: paste those
# too, so that settings kept on those nodes are found.
#
# It only reads. It prints one `key: value` a line: versions, counts, the Geo role, and for
# gitlab.rb only whether a setting is there (yes/no), never a value from it. Nothing is
# written, changed or sent anywhere.
#
# Rails names used, checked against GitLab's source: Gitlab::VERSION, Gitlab.ee?,
# ApplicationRecord, Ci::ApplicationRecord (connected to the CI database when that is
# separate), Gitlab::Redis::SharedState.with { |r| r.info } (as GitLab's own Redis version
# check does), Gitlab::Geo.enabled?/primary?/secondary? (Enterprise Edition only),
# packages_packages.package_type 2 = npm.
# UNVERIFIED: that NPM packages stay in packages_packages with package_type 2 in versions
# after 16.x (the NPM question matters only before 16.1, where they do), and that every
# version still has these names (a fact whose name is gone prints `unknown`).

set -u

echo "upgrade_planner_facts: 1"
echo "collected_on: $(date -u +%Y-%m-%d)"

# gitlab.rb, and GITLAB_OMNIBUS_CONFIG for the Docker image; one statement a line.
settings_text() {
    if [ -r /etc/gitlab/gitlab.rb ]; then
        cat /etc/gitlab/gitlab.rb
    fi
    printf '%s\n' "${GITLAB_OMNIBUS_CONFIG:-}" | tr ';' '\n'
}

# Whether an uncommented line sets what PATTERN matches: yes, no, or unknown when there is
# nothing to read (not root, or no gitlab.rb on this node).
setting() {
    if [ ! -r /etc/gitlab/gitlab.rb ] && [ -z "${GITLAB_OMNIBUS_CONFIG:-}" ]; then
        echo unknown
    elif settings_text | grep -Eq "$1"; then
        echo yes
    else
        echo no
    fi
}

echo "gitlab_rb_git_data_dirs: $(setting '^[[:space:]]*git_data_dirs([[:space:](]|$)')"
echo "gitlab_rb_grafana: $(setting '^[[:space:]]*grafana\[')"
echo "gitlab_rb_mattermost: $(setting '^[[:space:]]*mattermost(\[|_external_url|_nginx\[)')"
echo "gitlab_rb_spamcheck: $(setting '^[[:space:]]*spamcheck\[')"
echo "gitlab_rb_patroni: $(setting '^[[:space:]]*(patroni\[|roles.*patroni_role)')"

RAILS="$(command -v gitlab-rails || true)"
if [ -z "$RAILS" ]; then
    exit 0
fi

# Read-only Ruby: SELECTs, SHOW, Redis INFO and Geo status. A fact that cannot be read is
# printed as `unknown`.
FACTS_RUBY='
def fact(key)
  value = yield
  puts "#{key}: #{value.nil? ? "unknown" : value}"
rescue StandardError, ScriptError
  puts "#{key}: unknown"
end

# Rows of a table from the planner statistics (pg_class.reltuples), partitions included.
# A table never analysed has no estimate: it is counted, up to 10,000,000 rows.
def rows(conn, table)
  name = conn.quote(table)
  found = conn.select_rows(
    "SELECT c.relkind, c.reltuples FROM pg_class c " \
    "WHERE c.oid = to_regclass(#{name}) " \
    "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(#{name}))"
  )
  return nil if found.empty?
  estimates = found.reject { |kind, _| kind == "p" }.map { |_, n| n.to_f }
  if estimates.any?(&:negative?)
    conn.select_value("SELECT count(*) FROM (SELECT 1 FROM #{table} LIMIT 10000000) AS sample")
  else
    estimates.sum.round
  end
end

main = ApplicationRecord.connection
ci = defined?(Ci::ApplicationRecord) ? Ci::ApplicationRecord.connection : main

fact("gitlab_version") { Gitlab::VERSION }
fact("gitlab_edition") { Gitlab.ee? ? "ee" : "ce" }
fact("postgresql_version") { main.select_value("SHOW server_version").to_s.split.first }
fact("redis_version") { Gitlab::Redis::SharedState.with { |r| r.info["redis_version"] } }
fact("users_count") { main.select_value("SELECT count(*) FROM users") }
fact("npm_packages_count") do
  main.select_value("SELECT count(*) FROM packages_packages WHERE package_type = 2")
end
fact("ci_pipeline_messages_rows") { rows(ci, "ci_pipeline_messages") }
fact("ci_pipeline_variables_rows") { rows(ci, "ci_pipeline_variables") }
fact("geo_role") do
  if !Gitlab.ee? || !defined?(Gitlab::Geo) || !Gitlab::Geo.enabled?
    "none"
  elsif Gitlab::Geo.primary?
    "primary"
  elsif Gitlab::Geo.secondary?
    "secondary"
  end
end
'

"$RAILS" runner "$FACTS_RUBY"
