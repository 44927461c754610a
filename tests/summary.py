#!/usr/bin/env python3
"""Prints the summary table of a `make test` run from build/results/*.txt.

Each record is `passed failed known exit_code` (tests/run_suite.py writes them). The harness's
suites (tests/harness, issue 7) leave build/harness/<suite>.json; for them `failed` counts the
regressions against the committed baseline and `known` the failures the baseline already lists
(a ratchet: they are reported, never silenced, and do not fail the run). The last line is the
plain `N passed, M failed` total.
"""
import os
import sys


def main() -> int:
    d = sys.argv[1] if len(sys.argv) > 1 else "build/results"
    rows = []
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(d, name)) as f:
            parts = f.read().split()
        if len(parts) >= 4:
            rows.append((name[:-4], *map(int, parts[:4])))
    hdir = os.path.join(os.path.dirname(os.path.abspath(d)), "harness")
    for name in sorted(os.listdir(hdir)) if os.path.isdir(hdir) else []:
        if not name.endswith(".json"):
            continue
        import json
        with open(os.path.join(hdir, name)) as f:
            r = json.load(f)
        regress = int(r.get("regressions") or 0)
        failed = int(r.get("failed") or 0)
        bad = r.get("status") not in ("ok", "skipped") or regress > 0
        rows.append(("harness-" + r.get("suite", name[:-5]), int(r.get("passed") or 0), regress,
                     max(failed - regress, 0), 1 if bad else 0))
    print()
    print("Ferrolite test summary")
    print(f"{'suite':<22}{'passed':>9}{'failed':>9}{'known':>9}  status")
    tp = tf = tk = 0
    for name, p, fl, k, rc in rows:
        tp, tf, tk = tp + p, tf + fl, tk + k
        print(f"{name:<22}{p:>9}{fl:>9}{k:>9}  {'ok' if rc == 0 else 'FAILED'}")
    print(f"{'total':<22}{tp:>9}{tf:>9}{tk:>9}")
    print(f"{tp} passed, {tf} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
