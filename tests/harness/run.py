#!/usr/bin/env python3
"""Runs the harness suites in sequence and prints the summary table (the make targets' driver).

Usage: run.py quick|long [--update-baseline] [--only suite,suite]

quick (part of `make test`): diff over tests/sql + tests/regress; gen with seed 1 and 2,000
queries; slt over select1-5.test + evidence/; database files both ways (files.py); random
write scripts (dml.py, seeds 1-40; long: 1-1000); CPython's test_sqlite3; shell transcripts.
long (`make test-long`): the same with the whole slt corpus, plus a gen run of
$GEN_COUNT (default 100,000) queries from $GEN_SEED (default: time-based) that is reported, not
ratcheted, and saves minimised mismatches into tests/regress/.

Each suite runs as its own process with a wall-clock cap; a suite that crashes or exceeds its
cap shows as an error in the table. Exit status: 1 if any suite regressed or failed to report.
"""
import os
import subprocess
import sys
import time

from common import HARNESS, PYTHON, REPO, lib_path, results_dir
import summary


def plan(mode, update):
    up = ["--update-baseline"] if update else []
    suites = [
        ("diff", ["diff.py", "--quiet" if mode == "long" else "--max-report=10"] + up, 900),
        ("gen", ["gen.py", "--seed", "1", "--count", "2000", "--minimise-budget", "30"] + up, 900),
        ("slt", ["slt.py"] + (["--long"] if mode == "long" else ["--file-timeout", "300"]) + up,
         4 * 3600 if mode == "long" else 900),
        ("files", ["files.py"] + up, 900),
        ("dml", ["dml.py"] + (["--seeds", "1000"] if mode == "long" else []) + up, 3600 if mode == "long" else 600),
        ("cpython", ["cpython.py"] + up, 900),
        ("shell", ["shell.py"] + up, 300),
    ]
    if mode == "long" and not update:
        seed = os.environ.get("GEN_SEED") or str(int(time.time()) % 1000000)
        count = os.environ.get("GEN_COUNT", "100000")
        suites.append(("gen-long", ["gen.py", "--seed", seed, "--count", count, "--no-ratchet",
                                    "--suite-name", "gen-long", "--minimise", "20",
                                    "--minimise-budget", "900",
                                    "--save-dir", os.path.join(REPO, "tests", "regress")], 6 * 3600))
    return suites


def main(argv):
    if not argv or argv[0] not in ("quick", "long"):
        print(__doc__)
        return 2
    mode = argv[0]
    update = "--update-baseline" in argv
    only = None
    if "--only" in argv:
        only = set(argv[argv.index("--only") + 1].split(","))
    if not os.path.exists(lib_path()):
        print("harness: library under test %s does not exist (build it, or set FERROLITE_LIB)" % lib_path())
        return 2
    print("harness: library under test %s (%s mode)" % (lib_path(), mode))
    out = results_dir()
    notes = {}
    names = []
    t_all = time.monotonic()
    for name, cmd, cap in plan(mode, update):
        if only and name not in only:
            continue
        names.append(name)
        res = os.path.join(out, name + ".json")
        if os.path.exists(res):
            os.remove(res)
        print("\n=== %s: %s" % (name, " ".join(cmd)))
        sys.stdout.flush()
        t0 = time.monotonic()
        try:
            proc = subprocess.run([PYTHON, os.path.join(HARNESS, cmd[0])] + cmd[1:], cwd=REPO, timeout=cap)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
            notes[name] = "ERROR: over %ds cap" % cap
        took = time.monotonic() - t0
        if code not in (0, 1, None):
            notes[name] = "ERROR: exit %d" % code
        if code == 0 and not os.path.exists(res):
            notes[name] = "skipped"
        print("=== %s: %.0fs" % (name, took))
    print("\n=== harness summary (%s, %.0fs; failing items: build/harness/<suite>.failures.txt)"
          % (mode, time.monotonic() - t_all))
    text, bad = summary.table(names, notes)
    print(text)
    if bad:
        print("harness: FAILED (a suite regressed against its baseline or did not report)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
