#!/usr/bin/env python3
"""Derive the app's embedded GitLab knowledge (assets/data/*.json) from the
researched data in ../shared/data and ../shared/docs/gitlab-upgrade-facts.md.

Run from the repository root:  python3 tools/derive_data.py [SHARED_DIR]

The research files are the source of truth; this script only reshapes them
into what the app reads, adds the hand-written reason and question texts, and
keeps every source and retrieval date. Re-run it when the research is updated
and review the diff of assets/data/.
"""

import json
import os
import re
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared")
OUT = os.path.join("assets", "data")
DATA_SCHEMA = 1

UP_DOC = "https://docs.gitlab.com/update/upgrade_paths/"
CHANGES_DOC = "https://docs.gitlab.com/update/versions/gitlab_{}_changes/"


def load(name):
    with open(os.path.join(SHARED, "data", name), encoding="utf-8") as f:
        return json.load(f)


def write(name, value):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("wrote", path)


def minor_key(text):
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


# ---------------------------------------------------------------- stops

CONDITIONS = [
    {
        "id": "multiple_web_nodes",
        "question": "Does the instance run more than one web (Rails/Puma) node?",
        "help": "Instances with several web nodes must stop at 15.1 on the way from 15.0 to 15.11.",
        "check": None,
        "doc_url": UP_DOC,
    },
    {
        "id": "large_users_table",
        "question": "Is the users table very large (roughly 30,000 users or more)?",
        "help": "A long-running user-type data change in 16.0 makes 16.0 a stop for very large users tables. "
        "The Support upgrade-path tool puts the threshold at about 30k users.",
        "check": "sudo gitlab-psql -c \"SELECT COUNT(*) FROM users;\"",
        "doc_url": CHANGES_DOC.format(16),
    },
    {
        "id": "npm_packages",
        "question": "Does the package registry hold NPM packages?",
        "help": "Duplicate NPM packages are cleaned up in 16.1 before 16.3 adds a unique index; "
        "instances with NPM packages must stop at 16.1.",
        "check": "sudo gitlab-psql -c \"SELECT COUNT(*) FROM packages_packages WHERE package_type = 2;\"  (2 = npm)",
        "doc_url": CHANGES_DOC.format(16),
    },
    {
        "id": "large_pipeline_variables",
        "question": "Is there a large CI pipeline-variables history (millions of rows in ci_pipeline_variables)?",
        "help": "A large ci_pipeline_variables table makes 16.0 and 16.2 stops.",
        "check": "sudo gitlab-psql -c \"SELECT COUNT(*) FROM ci_pipeline_variables;\"",
        "doc_url": CHANGES_DOC.format(16),
    },
    {
        "id": "large_pipeline_messages",
        "question": "Does ci_pipeline_messages hold more than 1,500,000 rows?",
        "help": "Above 1.5 million rows, skipping 17.1 means a long data change during the upgrade and a likely "
        "1-hour reconfigure timeout.",
        "check": "sudo gitlab-psql -c \"SELECT COUNT(*) FROM ci_pipeline_messages;\"",
        "doc_url": CHANGES_DOC.format(17) + "#long-running-pipeline-messages-data-change",
    },
]

CONDITIONAL_STOP_CONDITIONS = {
    "15.1": ["multiple_web_nodes"],
    "16.0": ["large_users_table", "large_pipeline_variables"],
    "16.1": ["npm_packages"],
    "16.2": ["large_pipeline_variables"],
    "17.1": ["large_pipeline_messages"],
}


def stop_reason(stop, last_minor, enforcement):
    major, minor = stop["major"], stop["minor"]
    v = stop["version"]
    if stop["conditional"]:
        return "Conditional stop. " + stop["condition"] + "."
    parts = []
    if last_minor.get(major) == minor:
        parts.append(f"Last {major}.x minor: GitLab {major + 1}.0 can only be installed from {v}.")
    needed_by = [r["package_minors"] for r in enforcement if r["min_installed_minor"] == v]
    if needed_by and last_minor.get(major) != minor:
        parts.append(f"The {needed_by[0]} Linux packages refuse to install unless {v} is installed first.")
    if not parts:
        if stop["in_upgrade_path_yml"]:
            parts.append("Required stop in GitLab's upgrade_path.yml.")
        else:
            parts.append("Announced scheduled stop (GitLab 19 upgrade notes).")
    if not stop["in_upgrade_path_yml"] and not stop["conditional"]:
        parts.append("Not yet in the copy of upgrade_path.yml this data was read from.")
    if (major, minor) >= (17, 5):
        parts.append("Stops are scheduled at X.2, X.5, X.8 and X.11 since 17.5.")
    return " ".join(parts)


def derive_stops(up, releases):
    stops = up["required_stops"]
    # Last minor of each major: the unconditional stop right before the next major.
    last_minor = {}
    for s in stops:
        if not s["conditional"]:
            last_minor[s["major"]] = max(last_minor.get(s["major"], -1), s["minor"])
    # Majors whose final minor is not a stop in the data (none today) would be missing here.
    enforcement = up["linux_package_enforcement"]["ranges"]
    lpp = releases["latest_patch_per_minor"]
    out = []
    for s in stops:
        patch = None
        if s["version"] in lpp:
            patch = lpp[s["version"]]["version"]
        elif s.get("latest_patch_seen"):
            patch = s["latest_patch_seen"]["version"]
        elif s.get("documented_patch"):
            patch = s["documented_patch"]
        verified = True
        note = s.get("note")
        if s["version"] in ("19.5", "19.8", "19.11"):
            verified = False
        documented = s.get("documented_patch")
        entry = {
            "minor": s["version"],
            "latest_patch": patch,
            "conditions": CONDITIONAL_STOP_CONDITIONS.get(s["version"], []) if s["conditional"] else [],
            "reason": stop_reason(s, last_minor, enforcement),
            "verified": verified,
            "in_upgrade_path_yml": s["in_upgrade_path_yml"],
            "doc_url": UP_DOC,
        }
        if documented and documented != patch:
            entry["documented_patch"] = documented
        if note:
            entry["note"] = note
        out.append(entry)
    enforcement_out = [
        {
            "package_minors": r["package_minors"],
            "min_installed_minor": r["min_installed_minor"],
            "pg_min_major": r["pg_min_major"],
        }
        for r in enforcement
    ]
    return {
        "schema_version": DATA_SCHEMA,
        "kind": "stops",
        "retrieved_at": up["retrieved_at"],
        "source": "; ".join(f"{k}: {v}" for k, v in up["sources"].items()),
        "material_cutoff_note": up["material_cutoff_note"],
        "doc_url": UP_DOC,
        "rules": [r["rule"] for r in up["rules"]],
        "last_minor_of_major": {str(k): v for k, v in sorted(last_minor.items())},
        "stops": out,
        "conditions": CONDITIONS,
        "linux_package_enforcement": enforcement_out,
    }


# ---------------------------------------------------------------- releases

def derive_releases(releases):
    lpp = releases["latest_patch_per_minor"]
    minors = sorted(lpp.keys(), key=minor_key)
    newest = lpp[minors[-1]]
    return {
        "schema_version": DATA_SCHEMA,
        "kind": "releases",
        "retrieved_at": releases["retrieved_at"],
        "source": releases["source"],
        "coverage_note": releases["coverage_note"],
        "newest_known": {"version": newest["version"], "date": newest["date"]},
        "latest_patch_per_minor": [
            {"minor": m, "version": lpp[m]["version"], "date": lpp[m]["date"]} for m in minors
        ],
        "later_versions_seen_unverified": [
            {"version": "18.11.13", "source": "github.com/sameersbn/docker-gitlab release page (date unknown)"},
            {"version": "19.3.2", "source": "github.com/YunoHost-Apps/gitlab_ynh/pull/352 (2026-09-11)"},
        ],
    }


# ---------------------------------------------------------------- operating systems

OS_IDS = {
    "AlmaLinux": "almalinux",
    "Amazon Linux": "amazon_linux",
    "Debian": "debian",
    "openSUSE Leap": "opensuse_leap",
    "SUSE Linux Enterprise Server": "sles",
    "Oracle Linux": "oracle_linux",
    "Red Hat Enterprise Linux": "rhel",
    "Ubuntu": "ubuntu",
    "Raspberry Pi OS (64-bit)": "raspberry_pi_os",
}

OS_FAMILY = {
    "almalinux": "rpm", "amazon_linux": "rpm", "opensuse_leap": "rpm", "sles": "rpm",
    "oracle_linux": "rpm", "rhel": "rpm", "centos": "rpm", "scientific_linux": "rpm",
    "debian": "deb", "ubuntu": "deb", "raspberry_pi_os": "deb", "raspbian": "deb",
}

DISTRO_NAMES = {
    "almalinux": "AlmaLinux", "amazon_linux": "Amazon Linux", "debian": "Debian",
    "opensuse_leap": "openSUSE Leap", "sles": "SUSE Linux Enterprise Server", "oracle_linux": "Oracle Linux",
    "rhel": "Red Hat Enterprise Linux", "ubuntu": "Ubuntu", "raspberry_pi_os": "Raspberry Pi OS",
    "centos": "CentOS", "scientific_linux": "Scientific Linux", "raspbian": "Raspbian",
}

# Rows of the no-longer-supported table: text -> list of (id, version, label).
ENDED = {
    "CentOS 6 / RHEL 6": [("centos", "6", "6"), ("rhel", "6", "6")],
    "CentOS 7 / RHEL 7": [("centos", "7", "7"), ("rhel", "7", "7")],
    "CentOS 8": [("centos", "8", "8")],
    "Oracle Linux 7": [("oracle_linux", "7", "7")],
    "Scientific Linux 7": [("scientific_linux", "7", "7")],
    "Debian 7 Wheezy": [("debian", "7", "7 (wheezy)")],
    "Debian 8 Jessie": [("debian", "8", "8 (jessie)")],
    "Debian 9 Stretch": [("debian", "9", "9 (stretch)")],
    "Debian 10 Buster": [("debian", "10", "10 (buster)")],
    "openSUSE 42.1": [("opensuse_leap", "42.1", "42.1")],
    "openSUSE 42.2": [("opensuse_leap", "42.2", "42.2")],
    "openSUSE 42.3": [("opensuse_leap", "42.3", "42.3")],
    "openSUSE 13.2": [("opensuse_leap", "13.2", "13.2")],
    "openSUSE 15.0": [("opensuse_leap", "15.0", "15.0")],
    "openSUSE 15.1": [("opensuse_leap", "15.1", "15.1")],
    "openSUSE 15.2": [("opensuse_leap", "15.2", "15.2")],
    "openSUSE 15.3": [("opensuse_leap", "15.3", "15.3")],
    "openSUSE 15.4": [("opensuse_leap", "15.4", "15.4")],
    "openSUSE 15.5": [("opensuse_leap", "15.5", "15.5")],
    "SLES 15 SP2": [("sles", "15-sp2", "15 SP2")],
    "Raspbian Wheezy": [("raspbian", "wheezy", "Wheezy")],
    "Raspbian Jessie": [("raspbian", "jessie", "Jessie")],
    "Raspbian Stretch": [("raspbian", "stretch", "Stretch")],
    "Raspberry Pi OS Buster": [("raspbian", "buster", "Buster (32-bit)")],
    "Raspberry Pi OS 32-bit (any)": [("raspbian", "32-bit", "any 32-bit release")],
    "Ubuntu 12.04": [("ubuntu", "12.04", "12.04")],
    "Ubuntu 14.04": [("ubuntu", "14.04", "14.04")],
    "Ubuntu 16.04": [("ubuntu", "16.04", "16.04 (xenial)")],
    "Ubuntu 18.04": [("ubuntu", "18.04", "18.04 (bionic)")],
    "Ubuntu 20.04": [("ubuntu", "20.04", "20.04 (focal)")],
}

ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64", "armhf": "armhf"}


def to_minor(version_text):
    m = re.match(r"^(\d+)\.(\d+)", version_text or "")
    return f"{m.group(1)}.{m.group(2)}" if m else None


def derive_os(osdata):
    out = []
    for row in osdata["supported"]:
        os_id = OS_IDS[row["os"]]
        label = row["version"]
        version = label.split(" ")[0]
        if os_id == "raspberry_pi_os":
            version = "64-bit"
        status = "supported"
        if row.get("status", "").startswith("deprecated"):
            status = "ending"
        last = to_minor(row.get("proposed_last_gitlab", ""))
        last_verified = True
        notes = []
        for key in ("conflict", "doc_anomaly", "notes"):
            if row.get(key):
                notes.append(row[key])
        if row.get("conflict") or row.get("doc_anomaly"):
            last_verified = False
        if os_id == "debian" and version == "12":
            # The doc's "19.3.0" for Debian 12 is very likely a copy error (OS EOL 2028-06, not deprecated).
            last = None
        first = to_minor(row.get("first_supported_gitlab", ""))
        if os_id == "raspberry_pi_os":
            # The supported-OS doc row: "18.0 (use Debian arm64 packages)". 64-bit Raspberry Pi
            # OS installs the Debian arm64 package, which exists for every version Debian
            # 11/12 arm64 has (from 14.6): 18.0 is when the 32-bit Raspbian packages stopped
            # and 64-bit became the only way, not when 64-bit packages started.
            last = None
            first = None
            notes.append("Installs the Debian arm64 package of the matching Debian release (bookworm: Debian 12, bullseye: Debian 11); from 18.0 this is the only Raspberry Pi option.")
        suse_window = os_id in ("opensuse_leap", "sles") and row.get("status", "").startswith("deprecated")
        entry = {
            "distribution": os_id,
            "name": DISTRO_NAMES[os_id],
            "version": version,
            "label": label,
            "family": OS_FAMILY[os_id],
            "architectures": sorted({ARCH[a] for a in row["architectures"]}),
            "editions": row["editions"],
            "first_gitlab": first,
            "last_gitlab": last,
            "last_verified": last_verified,
            "status": status,
            "os_eol": row.get("os_eol"),
        }
        if last and last_verified and int(last.split(".")[0]) >= 20:
            entry["last_is_projection"] = True
        if suse_window:
            # gitlab_19_changes.md: SUSE support ends in 19.0, 18.11 the last version (the last
            # one every source agrees has packages); omnibus deprecated_os_list: packages stop
            # "Starting with GitLab 19.5". Between the two, packages are UNVERIFIED.
            entry["last_certain"] = "18.11"
            entry["none_from"] = "19.5"
        if os_id == "raspberry_pi_os":
            entry["package_of"] = "debian"
        if notes:
            entry["note"] = " ".join(notes)
        out.append(entry)
    for row in osdata["no_longer_supported"]:
        for os_id, version, label in ENDED[row["os"]]:
            last_text = row["last_gitlab_with_packages"]
            entry = {
                "distribution": os_id,
                "name": DISTRO_NAMES[os_id],
                "version": version,
                "label": label,
                "family": OS_FAMILY[os_id],
                "architectures": [],
                "editions": ["ee"] if "EE only" in last_text else (["ce"] if "CE only" in last_text else ["ce", "ee"]),
                "first_gitlab": None,
                "last_gitlab": to_minor(last_text),
                "last_verified": True,
                "status": "ended",
                "os_eol": row.get("os_eol"),
            }
            out.append(entry)
    def version_order(v):
        return [int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", v)]

    out.sort(key=lambda e: (e["distribution"], e["status"] != "ended", version_order(e["version"])))
    return {
        "schema_version": DATA_SCHEMA,
        "kind": "operating_systems",
        "retrieved_at": osdata["retrieved_at"],
        "source": "; ".join(f"{k}: {v}" for k, v in osdata["sources"].items()),
        "doc_url": "https://docs.gitlab.com/install/package/#supported-platforms",
        "policy_notes": osdata["policy_notes"],
        "systems": out,
    }


# ---------------------------------------------------------------- requirements

def derive_requirements(retrieved_at):
    facts = "shared/docs/gitlab-upgrade-facts.md section 8 (docs requirements table, omnibus preinst PG_MIN_VERSION, gitlab_NN_changes pages)"
    return {
        "schema_version": DATA_SCHEMA,
        "kind": "requirements",
        "retrieved_at": retrieved_at,
        "source": facts,
        "postgresql_minimums": [
            {"gitlab_major": 13, "minimum": "11", "verified": True},
            {"gitlab_major": 14, "minimum": "12", "verified": True,
             "note": "Doc versions name 12.7 or 12.10 as the patch level."},
            {"gitlab_major": 15, "minimum": "12.10", "verified": True},
            {"gitlab_major": 16, "minimum": "13.6", "verified": True},
            {"gitlab_major": 17, "minimum": "14.14", "verified": True,
             "note": "The requirements table (late 2026) names 14.14; older doc versions said 14 or 14.9."},
            {"gitlab_major": 18, "minimum": "16.5", "verified": True,
             "note": "The requirements table (late 2026) names 16.5; some doc copies said 16.8."},
            {"gitlab_major": 19, "minimum": "17", "verified": True},
        ],
        "redis_minimums": [
            {"gitlab_major": 19, "minimum": "7.0", "verified": True,
             "note": "Redis 6 is no longer supported in 19.0: use Redis 7.0+ (7.2 recommended) or Valkey 7.2.",
             "doc_url": CHANGES_DOC.format(19) + "#redis-6-support-removed"},
        ],
        # Which PostgreSQL majors each GitLab version supports (minimum AND maximum):
        # shared/docs/dependency-compat.md, from the "Supported versions" table of
        # https://docs.gitlab.com/install/requirements/#postgresql. `from`/`until` are the first and
        # last GitLab minors that support the major (null: before the data / still supported).
        "postgresql_support_source": "shared/docs/dependency-compat.md (docs.gitlab.com/install/requirements/#postgresql, Supported versions table), researched 2026-12-01",
        "postgresql_support": [
            {"postgresql": "12", "from": None, "until": "15.11", "verified": True},
            {"postgresql": "13", "from": None, "until": "16.11", "verified": True},
            {"postgresql": "14", "from": "15.0", "until": "17.11", "verified": False,
             "note": "GitLab 16.x supports PostgreSQL 14; with 15.x an older copy of the page allows it only under a footnote (UNVERIFIED for 15.x)."},
            {"postgresql": "15", "from": "16.1", "until": "17.11", "verified": True,
             "note": "The 16.x row's maximum 15.x is tested against GitLab 16.1 and later."},
            {"postgresql": "16", "from": "16.10", "until": "18.11", "verified": True,
             "note": "The 17.x row's maximum 16.x is tested against GitLab 16.10 and later."},
            {"postgresql": "17", "from": "17.10", "until": None, "verified": True,
             "note": "The 18.x row's maximum 17.x is tested against GitLab 17.10 and later."},
        ],
        # Redis: 6.0 or newer from GitLab 16.0 (gitlab-org/gitlab MR 128900 made the requirement
        # "6.0 or higher"), Redis 6 unsupported from 19.0 (gitlab-upgrade-facts.md section 8).
        "redis_support_source": "docs.gitlab.com/install/requirements/#redis (gitlab-org/gitlab!128900: 6.0 or higher from 16.0); gitlab_19_changes (Redis 6 removed)",
        "redis_support": [
            {"redis": "6", "from": None, "until": "18.11", "verified": True},
            {"redis": "7", "from": "16.0", "until": None, "verified": True,
             "note": "Redis 7.2 or Valkey 7.2 is recommended."},
        ],
        "bundled_postgresql_auto_upgrade": [
            {"minor": "15.11", "postgresql": "13", "note": "single-node Linux package installs only"},
            {"minor": "16.11", "postgresql": "14", "note": "single-node Linux package installs only"},
            {"minor": "17.11", "postgresql": "16", "note": "attempted on single-node Linux package installs"},
            {"minor": "18.11", "postgresql": "17", "note": "single-node Linux package installs only (17.7)"},
        ],
        "patches_to_avoid": [
            {"versions": ">=15.9.0, <15.9.3", "reason": "Profile data loss bug", "use_instead": "15.9.3 or later", "known_issue": "gl15-159-profile-data-loss"},
            {"versions": ">=15.11.0, <15.11.3", "reason": "Broken database schema on some upgrades; go through 15.11.3 or later (the stop is 15.11.13)", "use_instead": "15.11.13", "known_issue": "gl15-1511-use-15113"},
            {"versions": ">=16.3.3, <16.3.5", "reason": "Excessive database disk usage", "use_instead": "16.3.9", "known_issue": "gl16-1633-disk-usage"},
            {"versions": ">=16.8.0, <16.8.2", "reason": "Breaks with external Redis 6.0 (Redis 6.2+ needed)", "use_instead": "16.8.2 or later", "known_issue": "gl16-1680-redis60"},
            {"versions": ">=17.1.0, <17.1.2", "reason": "Direct upgrade from 16.x fails with a migration error", "use_instead": "17.1.8", "known_issue": "gl17-171-direct-upgrade-migration-failure"},
            {"versions": "=17.2.1", "reason": "Upgrade failures", "use_instead": "17.2.2 or later", "known_issue": "gl17-1721-upgrade-failures"},
            {"versions": ">=18.2.0, <18.2.6", "reason": "Push errors during zero-downtime upgrades from 18.1", "use_instead": "18.2.6 or later", "known_issue": "gl18-zdu-push-errors-181-182"},
            {"versions": ">=18.4.2, <18.4.4", "reason": "Batched background migration nil error", "use_instead": "18.4.4 or later", "known_issue": "gl18-bbm-nil-error"},
            {"versions": ">=18.5.0, <18.5.2", "reason": "NGINX returns 404 for host names other than external_url", "use_instead": "18.5.2 or later (the stop is 18.5.7)", "known_issue": "gl18-nginx-404-hostnames"},
            {"versions": ">=18.9.0, <18.9.2", "reason": "Upgrade fails with PG::CheckViolation", "use_instead": "18.9.2 or later", "known_issue": "gl18-189-checkviolation"},
            {"versions": ">=18.11.0, <18.11.2", "reason": "CI_JOB_TOKEN container image pulls fail", "use_instead": "18.11.2 or later", "known_issue": "gl18-ci-job-token-image-pull"},
            {"versions": ">=18.11.0, <18.11.9", "reason": "Before 19.0: 18.11.0-18.11.6 miss leftover Mattermost settings and 18.11.7 falsely blocks the upgrade", "use_instead": "18.11.9 or later", "known_issue": "gl19-mattermost-removed", "only_before": "19.0"},
            {"versions": ">=19.0.0, <19.0.2", "reason": "Known issues in 19.0.0 and 19.0.1", "use_instead": "19.0.2 or later"},
            {"versions": "=19.2.0", "reason": "GitLab Duo Self-Hosted URLs cleared", "use_instead": "19.2.1 or later", "known_issue": "gl19-duo-self-hosted-urls-cleared"},
        ],
    }


# ---------------------------------------------------------------- known issues

# Machine-checkable forms of the free-text conditions, where the plan can answer them.
REQUIRES = {
    "gl16-postgresql-13-minimum": {"postgresql_below": "13.6"},
    "gl17-postgresql-14-minimum": {"postgresql_below": "14.14"},
    "gl18-postgresql-16-minimum": {"postgresql_below": "16.5"},
    "gl19-postgresql-17-minimum": {"postgresql_below": "17"},
    "gl19-redis-6-removed": {"redis_below": "7.0"},
    "gl16-1680-redis60": {"redis_below": "6.2"},
    "gl19-ubuntu-2004-dropped": {"os": ["ubuntu:20.04"]},
    "gl19-suse-support-ending": {"os": ["opensuse_leap:15.6", "sles:12", "sles:15"]},
    "gl19-mattermost-removed": {"features": ["mattermost"]},
    "gl19-rpm-orphaned-dirs": {"os_family": "rpm"},
    "gl18-zdu-pipeline-failures-from-1711": {"zero_downtime": True},
    "gl18-zdu-push-errors-181-182": {"zero_downtime": True},
    "gl18-sles125-rpm-install": {"os": ["sles:12"]},
    "gl18-mattermost-spamcheck-sles125": {"os": ["sles:12"]},
    "gl18-1811-pg17-auto-upgrade": {"features": ["single_node_bundled_postgresql"]},
    "gl16-1611-pg14-auto-upgrade": {"features": ["single_node_bundled_postgresql"]},
    "gl15-1511-pg13-auto-upgrade": {"features": ["single_node_bundled_postgresql"]},
    "gl17-ubuntu-1804-dropped": {"os": ["ubuntu:18.04"]},
    "gl18-design-backfill-finalize": {"path_skips_minor": "18.4"},
    "gl17-178-new-encryption-secrets": {"topology": "multi_node"},
    # Blobs on local storage: the plan's object-storage answer decides.
    "gl18-geo-blob-log-error": {"features": ["local_file_storage"]},
    # "Upgrading from X": the version installed just before the hop where the issue strikes.
    "gl17-171-direct-upgrade-migration-failure": {"upgrading_from": "<17.0.0"},
    "gl17-duo-license-resync": {"upgrading_from": "<17.2.0", "features": ["gitlab_duo"]},
    "gl17-173-174-unique-violation": {"upgrading_from": ">=17.3.0, <17.4.0"},
    "gl17-175-176-check-violation": {"upgrading_from": ">=17.5.0, <17.6.0"},
    "gl15-1511-use-15113": {"upgrading_from": "<15.6.0"},
}
# The zero-downtime issues name the minor they start from, too.
REQUIRES["gl18-zdu-pipeline-failures-from-1711"]["upgrading_from"] = ">=17.11.0, <17.12.0"
REQUIRES["gl18-zdu-push-errors-181-182"]["upgrading_from"] = ">=18.1.0, <18.2.0"


def derive_known_issues(ki):
    items = []
    for it in ki["items"]:
        aw = it["applies_when"]
        methods = aw.get("install_methods")
        entry = {
            "id": it["id"],
            "affects": it["affects"],
            "match": it["match"],
            "severity": it["severity"],
            "kind": it["kind"],
            "summary": it["summary"],
            "doc_url": it["doc_url"].split(" ; ")[0].strip(),
            "install_methods": [] if methods == "any" else methods,
            "topology": None if aw.get("topology") in (None, "any") else aw["topology"],
            "geo": aw.get("geo"),
            "components": aw.get("components") or [],
            "condition": aw.get("condition"),
            "verified": it.get("verified", True),
        }
        more = [u.strip() for u in it["doc_url"].split(" ; ")[1:] if u.strip()]
        if more:
            entry["see_also"] = more
        if it.get("fixed_in"):
            entry["fixed_in"] = it["fixed_in"]
        if it.get("note"):
            entry["note"] = it["note"]
        if it["id"] in REQUIRES:
            entry["requires"] = REQUIRES[it["id"]]
        items.append(entry)
    return {
        "schema_version": DATA_SCHEMA,
        "kind": "known_issues",
        "retrieved_at": ki["retrieved_at"],
        "source": "; ".join(ki["sources"]),
        "format_notes": ki["format"],
        "items": items,
    }


def main():
    up = load("upgrade_path.json")
    releases = load("gitlab_releases.json")
    osdata = load("supported_os.json")
    ki = load("known_issues.json")
    write("stops.json", derive_stops(up, releases))
    write("releases.json", derive_releases(releases))
    write("os.json", derive_os(osdata))
    write("requirements.json", derive_requirements(up["retrieved_at"]))
    write("known_issues.json", derive_known_issues(ki))


if __name__ == "__main__":
    main()
