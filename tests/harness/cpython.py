#!/usr/bin/env python3
"""CPython's own test_sqlite3 suite, run on the library under test through LD_PRELOAD.

Owns: suite "cpython". Test ids are listed in this (plain) process from the installed stdlib
`test.test_sqlite3` package; each module's tests then run in a child python under LD_PRELOAD
(cpy_worker.py), which reports each test as it starts and ends.

Item names: unittest test ids (test.test_sqlite3.test_dbapi.ModuleTests.test_api_level).
Outcomes ok, skip and xfail pass; fail, error, xpass, crash and timeout fail.

Invariants:
  1. A crash or hang (no progress for --test-timeout seconds) fails the running test only: the
     module is restarted on the tests not yet run.
  2. If the stdlib test package is absent the suite says so and is skipped (exit 0).
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import queue

from common import PYTHON, HARNESS, REPO, broken_requested, describe_exit, require_lib, side_env
import ratchet

PASSING = ("ok", "skip", "xfail")


def list_tests():
    import unittest
    try:
        import test.test_sqlite3  # noqa: F401
    except Exception as exc:
        return None, "stdlib test package test.test_sqlite3 not importable: %s" % exc
    suite = unittest.defaultTestLoader.loadTestsFromName("test.test_sqlite3")
    ids = []

    def flatten(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                flatten(t)
            elif hasattr(t, "_testMethodName"):
                ids.append(t.id())
    flatten(suite)
    return ids, None


def run_batch(ids, env, timeout, cwd):
    """Run test ids in one child; yield (id, outcome, detail); stop on crash/hang."""
    proc = subprocess.Popen([PYTHON, os.path.join(HARNESS, "cpy_worker.py")] + ids,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, cwd=cwd, text=True, errors="replace")
    lines = queue.Queue()
    err_tail = []

    def pump():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def pump_err():
        for line in proc.stderr:
            err_tail.append(line)
            del err_tail[:-10]
    threading.Thread(target=pump, daemon=True).start()
    threading.Thread(target=pump_err, daemon=True).start()
    current = None
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            proc.kill()
            proc.wait()
            yield current, "timeout", "no progress in %ss" % timeout
            return
        if line is None:
            code = proc.wait()
            if current is not None:
                yield current, "crash", "worker %s: %s" % (describe_exit(code), "".join(err_tail[-2:]).strip()[-300:])
            else:
                yield None, "crash", "worker %s before any test: %s" % (describe_exit(code),
                                                                        "".join(err_tail[-3:]).strip()[-300:])
            return
        try:
            msg = json.loads(line)
        except ValueError:
            continue  # a test printed something
        if "start" in msg:
            current = msg["start"]
        elif "end" in msg:
            yield msg["end"], msg["outcome"], msg["detail"]
            current = None
        elif "fatal" in msg:
            proc.wait()
            yield None, "crash", msg["fatal"]
            return
        elif "done" in msg:
            proc.wait()
            return


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--test-timeout", type=float, default=60)
    args = ap.parse_args(argv)
    ids, why = list_tests()
    if ids is None:
        print("[cpython] %s: suite skipped" % why)
        return 0
    require_lib()
    env = side_env("test", broken_requested())
    cwd = os.path.join(REPO, "build", "harness", "cpython-tmp")
    os.makedirs(cwd, exist_ok=True)
    modules = {}
    for tid in ids:
        modules.setdefault(tid.rsplit(".", 2)[0], []).append(tid)
    ran, passed, failures = [], set(), {}
    skipped = 0
    for mod, mod_ids in modules.items():
        pending = list(mod_ids)
        restarts = 0
        while pending:
            seen = set()
            stuck = False
            for tid, outcome, detail in run_batch(pending, env, args.test_timeout, cwd):
                if tid is None:  # the child died outside any test (import, class fixtures)
                    if not seen:  # ... before running one: no progress possible
                        for t in pending:
                            failures[t] = "%s: %s" % (outcome, detail)
                            seen.add(t)
                        stuck = True
                    break  # else restart on the tests not run yet
                seen.add(tid)
                if tid not in mod_ids:
                    continue
                if outcome == "skip":
                    skipped += 1
                if outcome in PASSING:
                    passed.add(tid)
                else:
                    failures[tid] = "%s: %s" % (outcome, detail)
            rest = [t for t in pending if t not in seen]
            if rest and not stuck:
                restarts += 1
                if restarts > len(mod_ids):
                    for t in rest:
                        failures[t] = "not run"
                    rest = []
            pending = rest
        ok = sum(1 for t in mod_ids if t in passed)
        print("%-45s %4d passed %4d failed" % (mod, ok, len(mod_ids) - ok))
        ran += mod_ids
    return ratchet.finish("cpython", ran, passed, failures, update=args.update_baseline, skipped=skipped,
                          note="skips count as passes")


if __name__ == "__main__":
    sys.exit(main())
