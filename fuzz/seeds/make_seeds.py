#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz targets into fuzz/corpus/<target>/.

The real samples and fixtures are copied in as well. Run from the repository root; the files are
committed, so this only needs to run again when the seeds change (then `cargo fuzz cmin`).
"""
import copy
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


def plan_json(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1)


samples = sorted((ROOT / "assets" / "samples").glob("*.json")) + sorted(
    (ROOT / "tests" / "fixtures").glob("*.json")
)
for p in samples:
    write("plan_loader", p.name, p.read_bytes())
    # Export is slow in debug builds (tests/fuzz_corpus.rs): only the samples.
    if p.parent.name == "samples":
        write("export_pdf", p.name, p.read_bytes())

single = json.loads((ROOT / "assets/samples/single-node.upgrade-plan.json").read_text())
geo = json.loads((ROOT / "assets/samples/multi-node-geo.upgrade-plan.json").read_text())

edge = {}
edge["empty-object"] = "{}"
edge["header-only"] = '{"format":"gitlab-upgrade-plan","schema_version":1}'
edge["v0-no-header"] = '{"schema_version":0,"plan_id":"x"}'
edge["too-new"] = '{"format":"gitlab-upgrade-plan","schema_version":2}'
edge["negative-version"] = '{"format":"gitlab-upgrade-plan","schema_version":-1}'
edge["fraction-version"] = '{"format":"gitlab-upgrade-plan","schema_version":1.5}'
edge["nan"] = '{"format":"gitlab-upgrade-plan","schema_version":1,"window":{"duration_hours":NaN}}'
edge["bom"] = b"\xef\xbb\xbf" + (ROOT / "assets/samples/single-node.upgrade-plan.json").read_bytes()
edge["utf16"] = "\ufeff{}".encode("utf-16-le")
edge["not-utf8"] = b'{"format":"gitlab-upgrade-plan","plan_id":"\xff\xfe"}'
edge["array-top"] = "[1,2,3]"
edge["wrong-format"] = '{"format":"something-else","schema_version":1}'
edge["duplicate-keys"] = '{"format":"gitlab-upgrade-plan","schema_version":1,"plan_id":"a","plan_id":"b"}'
edge["deep-extra"] = (
    '{"format":"gitlab-upgrade-plan","schema_version":1,"x":' + "[" * 200 + "]" * 200 + "}"
)
edge["truncated"] = plan_json(single)[:300]

p = copy.deepcopy(geo)
p["topology"]["nodes"] = [
    {"role": "rails", "count": 4294967295},
    {"role": "gitaly", "count": 4294967295, "additional_roles": ["rails", "praefect"]},
    {"role": "postgresql", "count": 4294967295},
    {"role": "redis", "count": 4294967295},
    {"role": "load_balancer", "count": 4294967295},
]
p["geo"]["secondaries"] = [{"name": "far", "node_count": 4294967295, "kind": "multi_node"}]
edge["huge-counts"] = plan_json(p)

p = copy.deepcopy(single)
p["window"]["duration_hours"] = 1e308
p["rollback"]["duration_hours"] = -0.0
p["window"]["start"] = "9999-12-31T23:59:59"
p["rollback"]["decision_deadline"] = "0000-01-01T00:00"
p["backup"]["restore_tested_on"] = "2026-02-30"
edge["extreme-numbers-and-dates"] = plan_json(p)

p = copy.deepcopy(single)
p["window"]["duration_hours"] = 0.30000000000000004
p["rollback"]["duration_hours"] = 123456789012345.67
edge["float-precision"] = plan_json(p)

p = copy.deepcopy(geo)
p["contact"] = {
    "organization": "株式会社ギットラボ עברית العربية 🦊🚀",
    "name": "\u202eevil\u202c \u0000\u0007\u001b[31m red",
    "email": "a@b",
    "ticket": "#123\r\n456",
}
p["notes"] = {
    "unique_setup": "Zeile 1\nZeile 2\t\ttab \u200d👩‍👩‍👧 " + "长" * 300,
    "current_known_issues": "e\u0301 \ufeff \ud7ff \U0010ffff",
}
p["rollback"]["trigger"] = "x" * 3000
edge["unicode"] = plan_json(p)

p = copy.deepcopy(geo)
p["versions"] = {"current": "99999999999999999999.1.1", "target": "0.0", "edition": "ce",
                 "target_edition": "ee"}
p["install"] = {"method": "helm_chart", "target_method": "operator", "chart_version": "v"}
edge["odd-versions"] = plan_json(p)

p = copy.deepcopy(single)
p["versions"] = {"current": "18.5.0", "target": "16.0"}
edge["downgrade"] = plan_json(p)

p = copy.deepcopy(geo)
p["unknown_top"] = {"nested": [1, 2.5, None, True, {"k": "v"}]}
for section in ("contact", "window", "versions", "install", "os", "topology", "geo", "backup",
                "rollback", "notes", "conditions"):
    if isinstance(p.get(section), dict):
        p[section]["x_future_" + section] = [section, 1, {"deep": {"er": -1}}]
edge["unknown-keys-everywhere"] = plan_json(p)

p = copy.deepcopy(geo)
for n in p["topology"]["nodes"]:
    n["hosts"] = ["h%d.example.com" % i for i in range(12)]
    n["count"] = 0
edge["hosts-more-than-count"] = plan_json(p)

p = {"format": "gitlab-upgrade-plan", "schema_version": 1,
     "topology": {"kind": "multi_node", "nodes": [{"role": r} for r in (
         "rails", "sidekiq", "gitaly", "praefect", "praefect_postgresql", "postgresql",
         "pgbouncer", "redis", "redis_sentinel", "consul", "load_balancer", "monitoring",
         "registry", "elasticsearch", "other")]}}
edge["every-role"] = plan_json(p)

p = copy.deepcopy(single)
p["notes"]["unique_setup"] = "token glpat-abcdefghijklmnopqrst and password=hunter2 " \
    "postgres://u:secretpw@db/x AKIAABCDEFGHIJKLMNOP -----BEGIN RSA PRIVATE KEY-----"
edge["secrets"] = plan_json(p)

# Reviews (plan file v2): hostile content, a secret in a note (the hostile corpus has both).
for name in ("review-hostile", "review-secret"):
    edge[name] = (ROOT / "tests/corpus/hostile" / (name + ".upgrade-plan.json")).read_bytes()

for name, data in edge.items():
    write("plan_loader", name + ".json", data)
for name in ("huge-counts", "extreme-numbers-and-dates", "unicode", "odd-versions", "every-role",
             "secrets", "header-only", "review-hostile", "review-secret"):
    write("export_pdf", name + ".json", edge[name])

# env-info pastes
for p in sorted((ROOT / "tests" / "fixtures" / "env_info").glob("*.txt")):
    write("env_info", p.name, p.read_bytes())
base = (ROOT / "tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt").read_text()
env = {}
env["crlf-prompt-colours"] = "$ sudo gitlab-rake gitlab:env:info\r\n" + base.replace(
    "\n", "\r\n").replace("Version:", "\x1b[32mVersion:\x1b[0m") + "$ \r\n"
env["bom"] = b"\xef\xbb\xbf" + base.encode()
env["only-version"] = "Version: 17.1.1-ee\n"
env["header-only"] = "GitLab information\n"
env["geo-secondary"] = base.replace("Geo:            no", "Geo:            yes\nGeo node:       Secondary")
env["odd-values"] = ("System information\nSystem:\tRed Hat Enterprise Linux 9.4 (Plow)\n"
                     "GitLab information\nVersion:\t99999999999999999999.0.0\nDB Version:\t\n"
                     "Redis Version:\tx\nGitaly\n- :\n- a Address: dns:///x\n-\n- b Version:\n")
env["unicode"] = "GitLab information\nVersion: 17.1.1\nURL: https://ギット.例え.jp/🦊\n" \
    "System: \u202eUbuntu 22.04\n"
env["no-separator-labels"] = "System information\nBundler Version:2.6.9\nSystem:Debian 12\n" \
    "GitLab information\nVersion:18.1.2\n"
env["not-env-info"] = "hello world\nthis: is not it\n"
# The diagnostics script's output, alone and mixed with env:info (the same target reads both).
for p in sorted((ROOT / "tests" / "fixtures" / "diagnostics").glob("*.txt")):
    write("env_info", "facts-" + p.name, p.read_bytes())
facts = (ROOT / "tests/fixtures/diagnostics/single-node_16.0.8-ee.txt").read_text()
env["facts-after-env-info"] = base + "\n" + facts
env["env-info-after-facts"] = facts + "\n" + base
env["facts-odd-values"] = ("upgrade_planner_facts: 1\nusers_count: 99999999999999999999999\n"
                           "npm_packages_count: 18446744073709551615\nci_pipeline_messages_rows: -1\n"
                           "gitlab_version: 99999999999999999999.0.0-ee\npostgresql_version: 1..2\n"
                           "redis_version: 7.2.4.5.6.7.8.9.10.11.12\ngeo_role: PRIMARY\n"
                           "gitlab_rb_grafana: YES\ngitlab_rb_: yes\ncollected_on: 0000-01-01\n")
env["facts-marker-only"] = "upgrade_planner_facts: 1\n"
env["facts-twice-conflicting"] = ("upgrade_planner_facts: 1\ngeo_role: none\nusers_count: 5\n"
                                  "gitlab_rb_patroni: no\nupgrade_planner_facts: 2\n"
                                  "geo_role: secondary\nusers_count: 50000\ngitlab_rb_patroni: yes\n")
for name, data in env.items():
    write("env_info", name + ".txt", data)
