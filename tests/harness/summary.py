#!/usr/bin/env python3
"""Prints the one-table summary of a harness run from build/harness/<suite>.json.

Usage: summary.py [suite ...] (default: every suite with a result file). Exit status 1 when a
listed suite regressed or left no result (it crashed or timed out).
"""
import json
import os
import sys

from common import results_dir

ORDER = ["diff", "gen", "slt", "files", "cpython", "shell", "gen-long"]


def load(suite):
    path = os.path.join(results_dir(), suite + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def table(suites, notes=None):
    notes = notes or {}
    rows = [("suite", "mode", "passed", "failed", "skipped", "baseline", "regress", "status")]
    bad = False
    for s in suites:
        r = load(s)
        if r is None:
            status = notes.get(s, "NO RESULT")
            bad = bad or status not in ("skipped",)
            rows.append((s, "-", "-", "-", "-", "-", "-", status))
            continue
        base = "-" if r.get("baseline") is None else str(r["baseline"])
        status = r["status"]
        if s in notes:
            status = notes[s] + " / " + status
        if r["regressions"]:
            bad = True
        rows.append((s, str(r["mode"])[:22], str(r["passed"]), str(r["failed"]), str(r["skipped"]),
                     base, str(r["regressions"]), status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i in (0, 1, 7) else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines), bad


def main(argv):
    suites = argv or [s for s in ORDER if load(s) is not None]
    text, bad = table(suites)
    print(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
