"""The ratchet: compare a suite's passing items with its committed baseline.

Owns: tests/baseline/<suite>.txt (sorted names of items known to pass, one per line) and the
per-suite result files in build/harness/ (<suite>.json counts, <suite>.failures.txt every
failing item with its reason) that summary.py turns into the final table.

Invariants:
  1. A run FAILS when an item listed in the baseline ran and did not pass (a regression).
     Items of the baseline that this run did not execute (e.g. the long-mode-only slt files
     in a quick run) are neither checked nor dropped.
  2. Updating (--update-baseline) rewrites the baseline as (old baseline minus the items this
     run executed) plus the items that passed now: a quick run never forgets long-run passes.
  3. Failures are never hidden: every failing item is written out by name with its reason,
     baseline or not.
"""
import json
import os
import sys

from common import REPO, results_dir

BASELINE_DIR = os.environ.get("FERROLITE_HARNESS_BASELINE") or os.path.join(REPO, "tests", "baseline")


def baseline_path(suite):
    return os.path.join(BASELINE_DIR, suite + ".txt")


def load_baseline(suite):
    path = baseline_path(suite)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}


# The Makefile's own summary (tests/summary.py) reads build/results/<name>.txt records
# "passed failed known exit_code"; the harness's suites appear there under these names.
MAKE_NAMES = {"diff": "sql-diff", "gen": "sql-random", "slt": "sqllogictest",
              "cpython": "cpython-sqlite3", "shell": "sqlite3-shell", "gen-long": "sql-random-long",
              "files": "files-both-ways", "dml": "sql-writes"}


def write_make_record(suite, passed, failed, known, code):
    """failed = regressions against the baseline; known = every other failing item."""
    out = os.environ.get("FERROLITE_MAKE_RESULTS") or os.path.join(REPO, "build", "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, MAKE_NAMES.get(suite, suite) + ".txt"), "w") as f:
        f.write("%d %d %d %d\n" % (passed, failed, known, code))


def finish(suite, ran, passed, failures, update=False, mode="all", skipped=0, note="",
           ratchet=True):
    """Record a suite's outcome; return the process exit status (1 on regressions)."""
    ran = set(ran)
    passed = set(passed)
    base = load_baseline(suite) if ratchet else None
    regressions = sorted((base & ran) - passed) if base is not None else []
    newly = sorted(passed - base) if base is not None else sorted(passed)
    status = "ok"
    if regressions:
        status = "REGRESSED"
    if update and ratchet:
        new = ((base or set()) - ran) | passed
        os.makedirs(BASELINE_DIR, exist_ok=True)
        with open(baseline_path(suite), "w") as f:
            for name in sorted(new):
                f.write(name + "\n")
        status = "baseline updated"
        regressions_reported = regressions
        regressions = []
    else:
        regressions_reported = regressions
    out = results_dir()
    record = {
        "suite": suite, "mode": mode, "ran": len(ran), "passed": len(passed),
        "failed": len(ran - passed), "skipped": skipped, "regressions": len(regressions),
        "newly_passing": len(newly) if base is not None else None,
        "baseline": None if base is None else len(base), "status": status, "note": note,
        "ratchet": ratchet,
    }
    with open(os.path.join(out, suite + ".json"), "w") as f:
        json.dump(record, f, indent=1)
    with open(os.path.join(out, suite + ".failures.txt"), "w", errors="backslashreplace") as f:
        for name in sorted(ran - passed):
            f.write("%s\t%s\n" % (name, failures.get(name, "failed")))
    write_make_record(suite, len(passed), len(regressions), len(ran - passed) - len(regressions),
                      1 if regressions else 0)
    print("[%s] %d passed, %d failed%s (failures: %s)" % (
        suite, len(passed), len(ran - passed), (", %d skipped" % skipped) if skipped else "",
        os.path.relpath(os.path.join(out, suite + ".failures.txt"), os.getcwd())))
    if regressions_reported:
        print("[%s] %d REGRESSION(S): in the baseline, failing now:" % (suite, len(regressions_reported)))
        for name in regressions_reported[:40]:
            print("  %s  %s" % (name, failures.get(name, "failed")[:300]))
        if len(regressions_reported) > 40:
            print("  ... and %d more" % (len(regressions_reported) - 40))
    if base is None and ratchet and not update:
        print("[%s] no baseline %s yet: nothing ratcheted (make baseline writes it)"
              % (suite, os.path.relpath(baseline_path(suite), REPO)))
    elif newly and not update and ratchet:
        print("[%s] %d item(s) pass that the baseline does not list: run `make baseline` and commit"
              % (suite, len(newly)))
    if update and ratchet:
        print("[%s] baseline %s rewritten" % (suite, os.path.relpath(baseline_path(suite), REPO)))
    sys.stdout.flush()
    return 1 if regressions else 0
