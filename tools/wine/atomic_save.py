#!/usr/bin/env python3
"""Saving under Windows replaces a file atomically and keeps the one before as <name>.bak.

Runs the Windows exe (under Wine) again and again, exporting plan A and plan B by turns as JSON
over the same file, and meanwhile reads that file as fast as it can from Linux. Every read must
be one whole export, A's or B's, byte for byte: a reader never sees a half-written or missing
file. After each save, <name>.bak must hold the export before it, and no temporary file may be
left beside the target.

Usage: atomic_save.py OUT_DIR PLAN_A PLAN_B EXPECTED_A EXPECTED_B COMMAND...
COMMAND runs the exe (e.g. `wine C:\\...\\upgrade-planner.exe`); EXPECTED_A and EXPECTED_B are
the exports of A and B (made by the Linux build with the same SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROUNDS = 8


def main(argv: list[str]) -> int:
    out_dir, plan_a, plan_b = Path(argv[1]), argv[2], argv[3]
    expected = {"A": Path(argv[4]).read_bytes(), "B": Path(argv[5]).read_bytes()}
    command = argv[6:]
    target = out_dir / "saved.upgrade-plan.json"
    backup = out_dir / "saved.upgrade-plan.json.bak"
    problems: list[str] = []
    reads = 0
    seen: dict[str, int] = {"A": 0, "B": 0}
    previous: str | None = None
    for i in range(ROUNDS):
        which = "A" if i % 2 == 0 else "B"
        plan = plan_a if which == "A" else plan_b
        writer = subprocess.Popen(command + ["export", plan, "--json", str(target)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Read while the writer runs; the loop ends when the process has exited.
        while writer.poll() is None:
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                if previous is not None:
                    problems.append(f"round {i}: the file was missing during a save")
                continue
            reads += 1
            match = next((k for k, v in expected.items() if v == data), None)
            if match is None:
                problems.append(f"round {i}: read {len(data)} bytes that are neither export")
                break
            seen[match] += 1
        _, err = writer.communicate()
        if writer.returncode != 0:
            problems.append(f"round {i}: export exited {writer.returncode}: {err.decode(errors='replace')}")
            break
        if target.read_bytes() != expected[which]:
            problems.append(f"round {i}: after the save the file is not export {which}")
        if previous is not None and (not backup.exists() or backup.read_bytes() != expected[previous]):
            problems.append(f"round {i}: {backup.name} does not hold export {previous}")
        leftovers = sorted(p.name for p in out_dir.iterdir()
                           if p.name not in (target.name, backup.name))
        if leftovers:
            problems.append(f"round {i}: files left beside the plan: {leftovers}")
        previous = which
    print(f"  {ROUNDS} saves, {reads} reads during them "
          f"({seen['A']} saw A whole, {seen['B']} saw B whole)")
    for p in problems:
        print(f"atomic_save: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
