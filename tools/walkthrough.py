#!/usr/bin/python3
"""Fill a whole new multi-node Geo plan in the real window, as a person would, and take a
screenshot after each step.

Widgets are found by their labels in the window's accessibility tree (AccessKit over AT-SPI),
clicked with xdotool, and text is typed with xdotool at human speed. Run it through
tools/walkthrough.sh, which starts Xvfb, a D-Bus session with the accessibility bus (and no
file-dialog portal) and the app.

Needs Debian's python3 with python3-pyatspi (not a virtualenv's python).
"""

import os
import subprocess
import sys
import time

import pyatspi

OUT = sys.argv[1] if len(sys.argv) > 1 else "target/walkthrough"
DELAY_MS = os.environ.get("KEY_DELAY_MS", "150")
shots = []
# What the user did: clicks, fields typed into, keys pressed (for the "how many actions" count).
actions = {"clicks": 0, "fields typed": 0, "keys": 0}


def app():
    desktop = pyatspi.Registry.getDesktop(0)
    # A debug build on a busy machine can take a while to show up.
    for _ in range(600):
        for i in range(desktop.childCount):
            a = desktop.getChildAtIndex(i)
            if a is not None and "upgrade" in (a.name or "").lower():
                return a
        time.sleep(0.1)
    raise SystemExit("the app is not in the accessibility tree")


def nodes(root):
    """Every node below root (breadth first)."""
    todo = [root]
    while todo:
        n = todo.pop(0)
        yield n
        try:
            todo.extend(n.getChildAtIndex(i) for i in range(n.childCount))
        except Exception:
            pass


def find(label, within=None, contains=False, tries=30, need_bounds=True):
    """The node named `label` (its input, not the visible label beside it)."""
    for _ in range(tries):
        for n in nodes(within or app()):
            try:
                name = n.name or ""
                role = n.getRoleName()
            except Exception:
                continue
            if not ((label in name) if contains else (name == label)):
                continue
            # The visible label of an input carries the same name: the input is what we want.
            if role in ("label", "static") and n.childCount == 0 and not contains:
                continue
            if not need_bounds:
                if n.childCount > 0:
                    return n
                continue
            try:
                ext = n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            except NotImplementedError:
                continue
            if ext.width > 0 and ext.height > 0:
                return n
        time.sleep(0.2)
    raise SystemExit(f"no widget labelled {label!r}")


def xdo(*args):
    subprocess.run(["xdotool", *args], check=True)


# The part of the window where the step page scrolls (below the menu, above the Back/Next bar).
PAGE_TOP, PAGE_BOTTOM, PAGE_X = 40, 700, 700


def into_view(n):
    """Scroll the page with the mouse wheel until `n` is inside it; its extents then, once the
    (smooth) scrolling has come to rest."""
    scrolled = False
    for _ in range(80):
        e = n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        y = e.y + e.height // 2
        if PAGE_TOP <= y <= PAGE_BOTTOM or e.x < 230:
            break
        xdo("mousemove", str(PAGE_X), "400")
        xdo("click", "5" if y > PAGE_BOTTOM else "4")
        scrolled = True
        time.sleep(0.12)
    if scrolled:
        last = None
        for _ in range(20):
            time.sleep(0.15)
            e = n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            if (e.x, e.y) == last:
                break
            last = (e.x, e.y)
    return n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)


def click(label, within=None, contains=False):
    n = find(label, within, contains)
    e = into_view(n)
    xdo("mousemove", str(e.x + e.width // 2), str(e.y + e.height // 2))
    time.sleep(0.15)
    xdo("click", "1")
    actions["clicks"] += 1
    time.sleep(0.4)


def answer(question, option):
    click(option, within=find(question, need_bounds=False))


def type_text(text):
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            xdo("key", "Return")
        if line:
            xdo("type", "--delay", DELAY_MS, line)
    time.sleep(0.4)


def fill(label, text):
    actions["fields typed"] += 1
    click(label)
    xdo("key", "ctrl+a")
    type_text(text)


def key(k):
    actions["keys"] += 1
    xdo("key", k)
    time.sleep(0.5)


def shot(name):
    time.sleep(0.6)
    path = os.path.join(OUT, f"{len(shots) + 1:02d}-{name}.png")
    subprocess.run(["import", "-window", "root", path], check=True)
    shots.append(path)


def choose(dropdown, option):
    click(dropdown)
    click(option)


def main():
    os.makedirs(OUT, exist_ok=True)
    win = subprocess.run(
        ["xdotool", "search", "--name", "Upgrade Planner"], capture_output=True, text=True
    ).stdout.split()
    if win:
        xdo("windowfocus", win[0])
    shot("start")
    key("alt+Right")
    # 2. Contact and window: a half-typed email first, so its error shows and then goes.
    fill("Contact email", "zoe@exam")
    click("Organisation")
    shot("contact-error")
    fill("Organisation", "Example Corp")
    fill("Contact name", "Zoe Mueller")
    fill("Contact email", "zoe@example.com")
    fill("Support ticket number", "512345")
    fill("Window start", "2026-12-12")
    fill("at", "20:00")
    click("Time zone")
    type_text("Berlin")
    click("Europe/Berlin")
    fill("Window length (hours)", "10")
    answer("Do you want a review call with GitLab Support?", "Yes")
    shot("contact")
    key("alt+Right")
    # 3. Versions.
    fill("Current GitLab version", "16.8.3-ee")
    fill("Target GitLab version", "18.11")
    answer("Does ci_pipeline_messages hold more than 1,500,000 rows?", "Not sure")
    answer("Do you want a zero-downtime upgrade?", "No")
    shot("versions")
    key("alt+Right")
    # 4. Installation.
    answer("Installation method", "Linux package (Omnibus)")
    shot("installation")
    key("alt+Right")
    # 5. OS.
    choose("Distribution", "Red Hat Enterprise Linux")
    choose("Version", "9")
    answer("Architecture", "x86_64 (amd64)")
    shot("os")
    key("alt+Right")
    # 6. Topology.
    answer("Single or multi-node", "Multi-node")
    click("Add a node group")
    fill("Nodes in group 1", "3")
    fill("Host names of group 1", "rails-1.example.com, rails-2.example.com, rails-3.example.com")
    answer("How PostgreSQL runs", "Bundled, HA with Patroni")
    fill("PostgreSQL version", "14.10")
    fill("PostgreSQL nodes (Patroni)", "3")
    answer("How Redis runs", "Bundled, HA with Sentinel")
    fill("Redis version", "7.2")
    fill("Redis nodes (with Sentinel)", "3")
    answer("How Gitaly runs", "Gitaly Cluster with Praefect")
    fill("Gitaly nodes", "3")
    fill("Praefect nodes", "3")
    answer("PgBouncer", "Yes")
    fill("PgBouncer nodes", "3")
    answer("Consul", "Yes")
    fill("Consul nodes", "3")
    answer("Load balancer in front of GitLab", "Yes")
    answer("Object storage", "Yes")
    answer("Object storage provider", "Amazon S3")
    answer("Elasticsearch or OpenSearch (advanced search)", "No")
    shot("topology")
    # PostgreSQL 14 must go to 16 on the way to 18.11: back on Versions, the timeline
    # proposes the steps; plan them all, then come back.
    for _ in range(3):
        key("alt+Left")
    shot("timeline-proposed")
    for _ in range(10):
        names = [n.name for n in nodes(app()) if n.name in ("Add all of these", "Add to the plan")]
        if not names:
            break
        click(names[0])
    shot("timeline-planned")
    for _ in range(4):
        key("alt+Right")
    # 7. Geo.
    answer("Is GitLab Geo used?", "Yes")
    click("Add a secondary site")
    fill("Name of site 1", "dr-frankfurt")
    fill("Location of site 1", "Frankfurt am Main")
    answer("Topology of site 1", "Multi-node")
    fill("Nodes at site 1", "12")
    shot("geo")
    key("alt+Right")
    # 8. Notes and known issues.
    fill("What is unusual or important about this setup?", "Custom NGINX in front.\nAir-gapped mirror.")
    # Read and tick every known issue on the path (blockers must be ticked).
    names = [n.name for n in nodes(app()) if (n.name or "").startswith("Reviewed gl")]
    for name in dict.fromkeys(names):
        click(name)
    shot("known-issues")
    key("alt+Right")
    # 9. Backup.
    answer("Backup method", "GitLab backup tool")
    answer("Are the secrets backed up?", "Yes")
    answer("Is the configuration backed up?", "Yes")
    answer("Is object storage backed up (provider tools, versioning or replication)?", "Not sure")
    fill("Where is the backup kept?", "s3://backups/gitlab")
    fill("Date of the last restore test", "2026-11-02")
    fill("Where was it tested?", "staging mirrors production")
    shot("backup")
    key("alt+Right")
    # 10. Rollback.
    click("I have reviewed these rollback steps and they fit our setup")
    fill("Rollback trigger", "A hop fails its checks and cannot be fixed in 30 minutes.")
    fill("Time a rollback takes (hours)", "2.5")
    click("Use this time")
    shot("rollback")
    key("alt+Right")
    shot("review")
    # Save through the built-in chooser (no portal here).
    key("ctrl+s")
    shot("save-chooser")
    type_text("walkthrough")
    key("Return")
    shot("saved")
    print("\n".join(shots))
    print("actions: " + ", ".join(f"{v} {k}" for k, v in actions.items()))


if __name__ == "__main__":
    main()
