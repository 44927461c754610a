#!/usr/bin/env python3
"""Prints the summary table of a `make test` run from build/results/*.txt.

Each record is `passed failed known exit_code`: tests/run_suite.py writes them for the plain
suites, and the harness (tests/harness/ratchet.py) for its ratcheted ones, where `failed` counts
regressions against the committed baseline and `known` the failures the baseline already lists
(reported, never silenced, and not failing the run). The last line is the plain
`N passed, M failed` total.
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
