#!/usr/bin/env python3
"""Self-test of the harness: it must score real SQLite perfectly and catch every kind of fault.

Checks, each against real SQLite's library as the "library under test":
  1. every suite passes 100% when both sides are real SQLite (no false alarms);
  2. FERROLITE_HARNESS_BREAK=1 (the worker corrupts answers) is caught by diff, gen and slt, a
     mismatch names file and line, and gen writes a minimised regression script;
  3. a fault-injecting shim (selftest/faultshim.c: abort or hang on marked SQL, wrong integers
     with FAULTSHIM_CORRUPT=1) costs exactly the faulty items in diff and slt, is caught by
     CPython's suite and by a shell transcript;
  4. the ratchet fails a run when a baseline item fails, and --update-baseline rewrites it.
Results and baselines go to a temporary directory: the repo's baselines are never touched.
Exit status 0 when every check holds.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from common import HARNESS, PYTHON, REPO, SYSTEM_LIB

CHECKS = []


def check(name, cond, detail=""):
    CHECKS.append((name, bool(cond)))
    print("%s  %s%s" % ("ok  " if cond else "FAIL", name, ("  [" + detail + "]") if detail and not cond else ""))


def run(tool, args, lib, tmp, extra_env=None):
    env = dict(os.environ)
    env.update({"FERROLITE_LIB": lib, "FERROLITE_HARNESS_RESULTS": os.path.join(tmp, "results"),
                "FERROLITE_HARNESS_BASELINE": os.path.join(tmp, "baseline"),
                "FERROLITE_MAKE_RESULTS": os.path.join(tmp, "make-results")})
    env.pop("FERROLITE_HARNESS_BREAK", None)
    env.pop("FAULTSHIM_CORRUPT", None)
    env.update(extra_env or {})
    p = subprocess.run([PYTHON, os.path.join(HARNESS, tool)] + args, env=env, cwd=REPO,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    suite = tool[:-3]
    res_path = os.path.join(tmp, "results", suite + ".json")
    res = json.load(open(res_path)) if os.path.exists(res_path) else None
    if res is not None:
        os.remove(res_path)
    return p.returncode, p.stdout, res


def main():
    tmp = tempfile.mkdtemp(prefix="ferrolite-selftest-")
    try:
        real = SYSTEM_LIB
        shim = os.path.join(tmp, "libsqlite3-faultshim.so")
        built = subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", shim,
                                os.path.join(HARNESS, "selftest", "faultshim.c"), real, "-ldl"])
        check("fault shim builds", built.returncode == 0)
        quick_slt = [os.path.join(os.path.dirname(REPO), "shared", "slt", "select1.test")]
        quick_slt += [os.path.join(os.path.dirname(REPO), "shared", "slt", "evidence", "in2.test")]
        quick_slt = [f for f in quick_slt if os.path.exists(f)]

        # 1. real vs real: no false alarms
        for tool, args in [("diff.py", []), ("gen.py", ["--count", "500"]), ("slt.py", quick_slt),
                           ("files.py", []), ("dml.py", ["--seeds", "10"]), ("cpython.py", []), ("shell.py", [])]:
            if tool == "slt.py" and not quick_slt:
                print("skip  slt corpus absent")
                continue
            code, out, res = run(tool, args, real, tmp)
            check("%s: real SQLite vs itself passes everything" % tool,
                  code == 0 and res is not None and res["failed"] == 0 and res["passed"] > 0,
                  "exit %s, result %s" % (code, res))

        # 2. broken answers are caught
        brk = {"FERROLITE_HARNESS_BREAK": "1"}
        code, out, res = run("diff.py", [], real, tmp, brk)
        check("diff.py catches corrupted answers", res and res["failed"] > 0)
        check("diff.py names file and line and both answers",
              "MISMATCH tests/sql/" in out and "real:" in out and "ferrolite:" in out)
        regress = os.path.join(tmp, "regress")
        code, out, res = run("gen.py", ["--count", "100", "--minimise", "1", "--minimise-budget", "60",
                                        "--save-dir", regress], real, tmp, brk)
        check("gen.py catches corrupted answers", res and res["failed"] > 0)
        saved = sorted(os.listdir(regress)) if os.path.isdir(regress) else []
        check("gen.py writes a minimised regression script", len(saved) == 1, out[-500:])
        if saved:
            text = open(os.path.join(regress, saved[0])).read()
            check("the regression script is small and says what it pins",
                  text.startswith("-- ") and text.count(";\n") <= 6, text)
            code, out, res = run("diff.py", [os.path.join(regress, saved[0])], real, tmp, brk)
            check("diff.py reproduces the saved regression", res and res["failed"] == 1, out[-300:])
            code, out, res = run("diff.py", [os.path.join(regress, saved[0])], real, tmp)
            check("the saved regression passes on a correct library", res and res["failed"] == 0, out[-300:])
        if quick_slt:
            code, out, res = run("slt.py", quick_slt, real, tmp, brk)
            check("slt.py catches corrupted answers", res and res["failed"] > 0)

        code, out, res = run("files.py", [], real, tmp, brk)
        check("files.py catches corrupted answers", res and res["failed"] > 0)
        code, out, res = run("dml.py", ["--seeds", "10"], real, tmp, brk)
        check("dml.py catches corrupted answers", res and res["failed"] > 0)

        # 3. crashes and hangs cost one item; real clients catch wrong answers
        script = os.path.join(tmp, "faults.sql")
        with open(script, "w") as f:
            f.write("CREATE TABLE t(a);\nINSERT INTO t VALUES(1);\nSELECT 'ferrolite_crash_me';\n"
                    "SELECT a FROM t;\nSELECT 'ferrolite_hang_me';\nINSERT INTO t VALUES(2);\n"
                    "SELECT sum(a) FROM t;\nSELECT 'ferrolite_print_me';\n")
        code, out, res = run("diff.py", [script, "--timeout", "3"], shim, tmp)
        check("diff.py: a crash and a hang fail exactly their statements, library output is harmless",
              res and res["failed"] == 2 and res["passed"] == 6, out[-600:])
        slt_file = os.path.join(tmp, "faults.test")
        with open(slt_file, "w") as f:
            f.write("statement ok\nCREATE TABLE t(a INTEGER)\n\nstatement ok\nINSERT INTO t VALUES(5)\n\n"
                    "query T nosort\nSELECT 'ferrolite_crash_me'\n----\nferrolite_crash_me\n\n"
                    "query I nosort\nSELECT a FROM t\n----\n5\n\n"
                    "query T nosort\nSELECT 'ferrolite_hang_me'\n----\nferrolite_hang_me\n\n"
                    "query I nosort\nSELECT a + 1 FROM t\n----\n6\n")
        code, out, res = run("slt.py", [slt_file, "--record-timeout", "3"], shim, tmp)
        check("slt.py: a crash and a hang fail exactly their records",
              res and res["failed"] == 2 and res["passed"] == 4, out[-600:])
        code, out, res = run("cpython.py", [], shim, tmp, {"FAULTSHIM_CORRUPT": "1"})
        check("cpython.py catches wrong integers", res and res["failed"] > 0)
        code, out, res = run("cpython.py", [], shim, tmp, {"FAULTSHIM_CRASH_EVERY": "40"})
        check("cpython.py survives crashes mid-suite: every test still ran, crashes failed",
              res and res["ran"] == res["passed"] + res["failed"] and res["failed"] > 0
              and res["passed"] > 300, "%s %s" % (res, out[-400:]))
        tr = os.path.join(tmp, "crash.txt")
        with open(tr, "w") as f:
            f.write("# crash\n--- input\nSELECT 1;\nSELECT 'ferrolite_crash_me';\n--- stdout\n1\nferrolite_crash_me\n"
                    "--- stderr\n--- status\n0\n")
        code, out, res = run("shell.py", [tr], shim, tmp)
        check("shell.py catches a crashing shell", res and res["failed"] == 1)

        # 4. the ratchet
        code, out, res = run("diff.py", ["--update-baseline"], real, tmp)
        base = os.path.join(tmp, "baseline", "diff.txt")
        check("--update-baseline writes the sorted pass list",
              os.path.exists(base) and open(base).read().splitlines() == sorted(open(base).read().splitlines())
              and res and len(open(base).read().splitlines()) == res["passed"])
        code, out, res = run("diff.py", [], real, tmp)
        check("an unchanged library passes the ratchet", code == 0 and res["regressions"] == 0)
        code, out, res = run("diff.py", [], real, tmp, brk)
        check("a regression fails the run and is listed", code == 1 and res["regressions"] > 0
              and "REGRESSION" in out)
        code, out, res = run("diff.py", ["tests/sql/basics.sql"], real, tmp, brk)
        before = open(base).read().splitlines()
        run("diff.py", ["tests/sql/basics.sql", "--update-baseline"], real, tmp, brk)
        after = open(base).read().splitlines()
        check("a partial update keeps the baseline of files it did not run",
              any(n.startswith("tests/sql/nulls.sql:") for n in after) and len(after) < len(before))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [n for n, ok in CHECKS if not ok]
    print("\nharness self-test: %d/%d checks hold" % (len(CHECKS) - len(failed), len(CHECKS)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
