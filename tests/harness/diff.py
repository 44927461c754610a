#!/usr/bin/env python3
"""Differential runner: SQL scripts through real SQLite and through Ferrolite, compared.

Owns: suite "diff". Each script (default: tests/sql/*.sql and tests/regress/*.sql) is split into
statements with real SQLite's sqlite3_complete (python's sqlite3.complete_statement); every
statement runs in a real-SQLite worker and in a Ferrolite worker (LD_PRELOAD, separate
processes), each on its own fresh :memory: database, and the answers are compared: column
names, rows with storage classes, error class/code/name/message, total_changes delta.

Item names: "<script path relative to repo>:<line of the statement>".

Invariants:
  1. Real SQLite defines the expected answer; scripts carry no expectations of their own.
  2. A crash or hang of the Ferrolite worker fails that statement and the rest of that script
     (their state is gone); the run goes on with the next script.
  3. A statement preceded by a comment line containing "harness: unordered" has its rows
     compared as a multiset (for queries whose row order SQL leaves unspecified).
  4. A mismatch message names the file, the line, the statement and both answers.
"""
import argparse
import json
import glob
import os
import sys

from common import REPO, Worker, WorkerDied, broken_requested, require_lib, split_statements
import ratchet


def render_cell(c):
    kind, v = c
    if kind == "n":
        return "NULL"
    if kind == "i":
        return "%d" % v
    if kind == "r":
        return "%r(real)" % v
    if kind == "t":
        return "'%s'" % v.replace("'", "''")
    return "x'%s'" % v


def render(answer, max_rows=8):
    if answer is None:
        return "<no answer>"
    parts = []
    if answer["error"] is not None:
        e = answer["error"]
        parts.append("error %s(%s) %s: %s" % (e.get("name"), e.get("code"), e.get("cls"), e.get("msg")))
    if answer["cols"] is not None:
        parts.append("cols=%s" % answer["cols"])
    if answer["rows"] or answer["cols"] is not None:
        rows = ["(" + ", ".join(render_cell(c) for c in r) + ")" for r in answer["rows"][:max_rows]]
        more = " ... %d rows in all" % len(answer["rows"]) if len(answer["rows"]) > max_rows else ""
        parts.append("rows=[%s]%s" % (", ".join(rows), more))
    parts.append("changes=%s" % answer["changes"])
    return "; ".join(parts)


def comparable(answer, unordered=False):
    e = answer["error"]
    err = None if e is None else (e.get("cls"), e.get("code"), e.get("msg"))
    rows = answer["rows"]
    if unordered:
        # Row order is unspecified: compare as a multiset; after an error the rows already
        # returned depend on scan order too, so only the error is compared.
        rows = None if err is not None else sorted(json.dumps(r) for r in rows)
    return (answer["cols"], rows, err, answer["changes"])


def same(a, b, unordered=False):
    return comparable(a, unordered) == comparable(b, unordered)


def is_unordered(sql):
    """A statement whose leading comment says `harness: unordered` compares rows as a multiset."""
    for line in sql.split("\n"):
        line = line.strip()
        if not line.startswith("--"):
            return False
        if "harness: unordered" in line:
            return True
    return False


def run_statements(statements, broken=False, timeout=30, stop_at_first=False):
    """Run (line, sql) pairs on both sides; yield (line, sql, ok, reason, real, test).

    Used by this runner and by gen.py. `reason` is None when ok.
    """
    real = Worker("real")
    try:
        try:
            test = Worker("test", broken=broken)
        except WorkerDied as exc:
            for line, sql in statements:
                yield line, sql, False, str(exc), None, None
            return
        dead = None
        for line, sql in statements:
            if dead:
                yield line, sql, False, dead, None, None
                continue
            try:
                want = real.execute(sql, timeout=timeout)
            except WorkerDied as exc:
                dead = "oracle side died earlier: %s" % exc
                yield line, sql, False, "oracle (real SQLite) failed: %s" % exc, None, None
                continue
            try:
                got = test.execute(sql, timeout=timeout)
            except WorkerDied as exc:
                dead = "not run: Ferrolite worker died at line %d (%s)" % (line, exc)
                yield line, sql, False, str(exc), want, None
                continue
            if same(want, got, is_unordered(sql)):
                yield line, sql, True, None, want, got
            else:
                yield line, sql, False, "answers differ", want, got
                if stop_at_first:
                    break
        test.kill() if dead else test.close()
    finally:
        real.close()


def scripts_default():
    files = sorted(glob.glob(os.path.join(REPO, "tests", "sql", "*.sql")))
    files += sorted(glob.glob(os.path.join(REPO, "tests", "regress", "*.sql")))
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scripts", nargs="*", help="SQL scripts (default tests/sql/*.sql tests/regress/*.sql)")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per statement")
    ap.add_argument("--quiet", action="store_true", help="do not print each mismatch")
    ap.add_argument("--max-report", type=int, default=25, help="mismatches printed in full")
    args = ap.parse_args(argv)
    require_lib()
    broken = broken_requested()
    files = [os.path.abspath(f) for f in args.scripts] or scripts_default()
    ran, passed, failures = [], set(), {}
    reported = 0
    for path in files:
        rel = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            statements = split_statements(f.read())
        n_ok = 0
        for line, sql, ok, reason, want, got in run_statements(statements, broken, args.timeout):
            name = "%s:%d" % (rel, line)
            ran.append(name)
            if ok:
                passed.add(name)
                n_ok += 1
                continue
            detail = reason
            if want is not None or got is not None:
                detail = "%s | real: %s | ferrolite: %s" % (reason, render(want), render(got))
            failures[name] = detail
            if not args.quiet and reported < args.max_report:
                reported += 1
                print("MISMATCH %s\n  sql:       %s\n  real:      %s\n  ferrolite: %s%s" % (
                    name, " ".join(sql.split())[:300], render(want),
                    render(got) if got is not None else "-",
                    "" if reason == "answers differ" else "\n  (%s)" % reason))
        print("%-40s %4d/%d statements agree" % (rel, n_ok, len(statements)))
    if reported >= args.max_report:
        print("(further mismatches not printed; see build/harness/diff.failures.txt)")
    return ratchet.finish("diff", ran, passed, failures, update=args.update_baseline)


if __name__ == "__main__":
    sys.exit(main())
