#!/usr/bin/env python3
"""Print the budget table of bench/run, and with --write rewrite it in BENCHMARKS.md.

Arguments: divan output, results TSV (key, value), the cold-start note, BENCHMARKS.md.
Environment: machine, commit, date_now, write, quick (set by bench/run).
"""
import os
import re
import statistics
import sys

divan_txt, results_tsv, cold_note, benchmarks_md = sys.argv[1:5]

UNITS_US = {"ns": 0.001, "µs": 1.0, "us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def parse_divan(path):
    """name -> (fastest µs, median µs, samples) from divan's table."""
    out = {}
    for line in open(path, encoding="utf-8"):
        cols = [c.strip() for c in line.split("│")]
        if len(cols) < 6:
            continue
        m = re.match(r"^[├╰─\s]*(\w+)\s+([\d.]+)\s*(ns|µs|us|ms|s)$", cols[0])
        if not m:
            continue
        med = re.match(r"^([\d.]+)\s*(ns|µs|us|ms|s)$", cols[2])
        if not med:
            continue
        out[m.group(1)] = (
            float(m.group(2)) * UNITS_US[m.group(3)],
            float(med.group(1)) * UNITS_US[med.group(2)],
            cols[4],
        )
    return out


def fmt_time(us):
    if us >= 1000:
        return f"{us / 1000:.3g} ms" if us < 100_000 else f"{us / 1000:.0f} ms"
    if us >= 1:
        return f"{us:.3g} µs"
    return f"{us * 1000:.3g} ns"


divan = parse_divan(divan_txt)
measured = {}
for line in open(results_tsv, encoding="utf-8"):
    key, value = line.rstrip("\n").split("\t")
    measured.setdefault(key, []).append(float(value))


def stats(key):
    v = measured.get(key, [])
    return (min(v), statistics.median(v), len(v)) if v else None


rows = []  # (what, budget text, min text, median text, verdict)


def verdict(mn, med, limit):
    if med <= limit:
        return "PASS"
    if mn <= limit:
        return "PASS on min (median over; shared machine)"
    return "MISS"


def time_row(what, budget_us, budget_text, source):
    if source is None:
        rows.append((what, budget_text, "—", "—", "not measured"))
        return
    mn, med, n = source
    rows.append((what, budget_text, fmt_time(mn), fmt_time(med), verdict(mn, med, budget_us) + f" ({n} runs)"))


def divan_row(what, name, budget_us, budget_text, median_only=False):
    d = divan.get(name)
    if d is None:
        time_row(what, budget_us, budget_text, None)
        return
    mn, med, n = d
    v = ("PASS" if med <= budget_us else "MISS") if median_only else verdict(mn, med, budget_us)
    rows.append((what, budget_text, fmt_time(mn), fmt_time(med), f"{v} ({n} samples)"))


divan_row("export of the 60-node, 3-Geo-site plan to PDF + Markdown, in process",
          "export_pdf_and_markdown", 20_000, "≤ 20 ms")
time_row("same, whole process from the CLI (`export --pdf --markdown`)", 50_000, "≤ 50 ms", stats("cli_export"))
divan_row("load + validate that plan, in process", "load_and_validate", 2_000, "≤ 2 ms")
divan_row("that plan analysed again with one answer changed (what each keystroke in the wizard costs "
          "the analysis)", "analyse_after_one_edit", 2_000, "≤ 2 ms")
divan_row("path engine 15.0 → 19.3", "path_15_0_to_19_3", 50, "≤ 50 µs")
divan_row("UI logic per frame, topology step with 60 nodes (egui_kittest, 1,000 frames)",
          "frame_topology_60_nodes", 1_000, "≤ 1 ms median", median_only=True)
divan_row("UI logic per frame, review step with every finding (egui_kittest, 1,000 frames)",
          "frame_review_all_findings", 1_000, "≤ 1 ms median", median_only=True)
time_row(f"start to first frame presented under Xvfb, large plan open ({cold_note})", 300_000, "≤ 300 ms",
         stats("first_frame"))
time_row("same, warm: the binary and libraries already in the page cache (a second start)", 300_000,
         "≤ 300 ms", stats("warm_first_frame"))
for key, label in [("first_frame", "cold"), ("warm_first_frame", "warm")]:
    parts = [stats(f"{key}_{p}") for p in ("exec", "renderer", "app", "draw")]
    if all(parts):
        ex, rend, app, draw = (fmt_time(p[1]) for p in parts)
        rows.append((f"where a {label} start goes (medians)", "—",
                     f"exec and loading {ex}; window and renderer {rend}",
                     f"the app's own set-up {app}; first frame drawn and presented {draw}",
                     "breakdown"))
rep = stats("idle_repaints")
cpu = stats("idle_cpu_ms")
if rep and cpu:
    ok = rep[1] == 0 and cpu[1] <= 10
    rows.append(("idle window, 10 s, no input: repaints / CPU time", "0 repaints, ~0 CPU (≤ 10 ms)",
                 f"{rep[0]:.0f} / {cpu[0]:.0f} ms", f"{rep[1]:.0f} / {cpu[1]:.0f} ms",
                 ("PASS" if ok else "MISS") + f" ({rep[2]} runs)"))
ui_rep = stats("ui_idle_repaints")
ui_cpu = stats("ui_idle_cpu_ms")
ui_note = f"{os.environ.get('renderer') or 'renderer not reported'}; load average {os.environ.get('ui_load', '?')}"
if ui_rep and ui_cpu:
    ok = ui_rep[1] == 0 and ui_cpu[1] <= 10
    rows.append(("idle window, 10 s, a text field focused: repaints / CPU time", "0 repaints, ~0 CPU (≤ 10 ms)",
                 f"{ui_rep[0]:.0f} / {ui_cpu[0]:.0f} ms", f"{ui_rep[1]:.0f} / {ui_cpu[1]:.0f} ms",
                 ("PASS" if ok else "MISS") + f" ({ui_rep[2]} runs)"))


def cpu_row(what, key, budget_ms):
    v = stats(key)
    if v is None:
        return
    mn, med, n = v
    rows.append((what, f"≤ {budget_ms} ms CPU", f"{mn:.1f} ms", f"{med:.1f} ms",
                 verdict(mn, med, budget_ms) + f" ({n} runs)"))


cpu_row("CPU time per keystroke into a text field, large plan, 1280 × 800, software rendering "
        "(20 keys 150 ms apart; mean per run)", "ui_key_cpu_ms", 50)
cpu_row("CPU time per step change, same window (Alt+Right to Review and Alt+Left back, 18 changes "
        "300 ms apart; mean per run)", "ui_step_cpu_ms", 100)
parts = [stats(k) for k in ("ui_key_frames", "ui_step_frames", "ui_key_x_ms", "ui_step_x_ms")]
if all(parts):
    kf, sf, kx, sx = (p[1] for p in parts)
    rows.append((f"where interaction goes (medians; {ui_note})", "—",
                 f"frames per keystroke {kf:.1f}, per step change {sf:.1f}",
                 f"X server CPU (not counted above) {kx:.1f} ms per keystroke, {sx:.1f} ms per step change",
                 "breakdown"))
rss = stats("rss_kb")
hwm = stats("hwm_kb")
if rss and hwm:
    ok = rss[1] <= 150 * 1024
    rows.append(("resident memory with the large plan open (VmRSS; peak VmHWM)", "≤ 150 MB",
                 f"{rss[0] / 1024:.0f} MB (peak {hwm[0] / 1024:.0f} MB)",
                 f"{rss[1] / 1024:.0f} MB (peak {hwm[1] / 1024:.0f} MB)",
                 ("PASS" if ok else "MISS") + f" ({rss[2]} runs)"))
size = stats("pdf_size_kb")
if size:
    kb = size[0] / 1024
    rows.append(("PDF size for the large plan", "≤ 300 KB", f"{kb:.0f} KB", f"{kb:.0f} KB",
                 "PASS" if kb <= 300 else "MISS"))

header = ("what", "budget", "min", "median", "verdict")
table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
table += ["| " + " | ".join(r) + " |" for r in rows]
machine = os.environ.get("machine", "?")
commit = os.environ.get("commit", "?")
date_now = os.environ.get("date_now", "?")
block = "\n".join(
    [f"Machine: {machine}. Date: {date_now}. Commit: {commit}.", ""] + table
)

# Console: aligned, one row per budget.
print()
w = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
for r in [header] + rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())
print()
print(f"Machine: {machine}; date {date_now}; commit {commit}")
budgets = [r for r in rows if r[4] != "breakdown"]
met = [r for r in budgets if r[4].startswith("PASS")]
print(f"{len(met)} of {len(budgets)} budgets met")

if os.environ.get("write"):
    if os.environ.get("quick"):
        sys.exit("bench/run: --quick figures are not written to BENCHMARKS.md")
    text = open(benchmarks_md, encoding="utf-8").read()
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start not in text or end not in text:
        sys.exit(f"bench/run: {benchmarks_md} has no {start} ... {end} markers")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    open(benchmarks_md, "w", encoding="utf-8").write(before + start + "\n" + block + "\n" + end + after)
    print(f"wrote the table to {benchmarks_md}")
