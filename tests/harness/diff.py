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
  2. A crash or hang of the Ferrolite worker fails that statement only: both sides restart
     and replay the script up to it (Pair); the run goes on.
  3. A statement preceded by a comment line containing "harness: unordered" has its rows
     compared as a multiset (for queries whose row order SQL leaves unspecified).
  4. A mismatch message names the file, the line, the statement and both answers.
  5. A query that reads only (rerunnable()) runs twice on each side, the second time as the
     same prepared statement (the worker's statement cache): both runs must agree with real
     SQLite (state left over from a run is a bug clients with statement caches meet).
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
    if kind == "t":  # invalid UTF-8 (kept as surrogate escapes) is shown as \xNN
        v = v.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
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


class Pair:
    """A real-SQLite worker and a Ferrolite worker on twin databases, with crash recovery.

    When the Ferrolite worker crashes or hangs on a statement, that statement fails and both
    sides restart on fresh databases and replay the statements run so far (without the
    culprit), so one crash costs one item. After `max_restarts` crashes, or a crash while
    replaying, the remaining statements fail as "not run".
    """

    def __init__(self, broken=False, timeout=30, max_restarts=20):
        self.broken, self.timeout, self.max_restarts = broken, timeout, max_restarts
        self.history = []
        self.restarts = 0
        self.real = self.test = None
        self.dead = None
        self._start()

    def _start(self):
        try:
            self.real = Worker("real")
        except WorkerDied as exc:
            self.dead = "oracle (real SQLite) failed to start: %s" % exc
            return
        try:
            self.test = Worker("test", broken=self.broken)
        except WorkerDied as exc:
            self.dead = str(exc)

    def _recover(self, culprit_reason):
        self.close(kill=True)
        self.restarts += 1
        if self.restarts > self.max_restarts:
            self.dead = "not run: more than %d Ferrolite crashes in this run of statements" % self.max_restarts
            return
        self._start()
        if self.dead:
            return
        for sql in self.history:
            try:
                self.real.execute(sql, timeout=self.timeout)
                self.test.execute(sql, timeout=self.timeout)
            except WorkerDied as exc:
                self.dead = "not run: a worker died replaying the statements before (%s)" % exc
                return

    def run(self, sql, unordered=False, record=True):
        """Return (ok, reason, want, got); reason is None when ok."""
        if self.dead:
            return False, self.dead, None, None
        try:
            want = self.real.execute(sql, timeout=self.timeout)
        except WorkerDied as exc:
            self.dead = "not run: the oracle died earlier (%s)" % exc
            return False, "oracle (real SQLite) failed: %s" % exc, None, None
        try:
            got = self.test.execute(sql, timeout=self.timeout)
        except WorkerDied as exc:
            self._recover(str(exc))
            return False, str(exc), want, None
        if record:
            self.history.append(sql)
        if not same(want, got, unordered):
            return False, "answers differ", want, got
        if want["error"] is None and rerunnable(sql):
            # The same text again: the client's statement cache runs the prepared statement a
            # second time, which must answer as the first run did (invariant 5).
            try:
                want2 = self.real.execute(sql, timeout=self.timeout)
                got2 = self.test.execute(sql, timeout=self.timeout)
            except WorkerDied as exc:
                self._recover(str(exc))
                return False, "second run: %s" % exc, want, None
            if not same(want2, got2, unordered):
                return False, "the second run of the same prepared statement answers differently", want2, got2
        return True, None, want, got

    def close(self, kill=False):
        for w in (self.test, self.real):
            if w is not None:
                w.kill() if kill else w.close()
        self.real = self.test = None


def run_statements(statements, broken=False, timeout=30):
    """Run (line, sql) pairs on both sides; yield (line, sql, ok, reason, real, test)."""
    pair = Pair(broken, timeout)
    try:
        for line, sql in statements:
            ok, reason, want, got = pair.run(sql, is_unordered(sql))
            yield line, sql, ok, reason, want, got
    finally:
        pair.close()


def rerunnable(sql):
    """A query that reads only and answers the same when run again: a SELECT (or VALUES, or
    WITH ... SELECT) without a function whose value changes from run to run."""
    text = " ".join(line for line in sql.split("\n") if not line.strip().startswith("--")).strip().lower()
    if not text.startswith(("select", "values", "with")):
        return False
    words = ("insert", "update", "delete", "replace", "random", "now", "current_", "changes", "last_insert_rowid", "create", "drop")
    return not any(w in text for w in words)


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
                    name, " ".join(l for l in sql.split("\n") if not l.lstrip().startswith("--")).strip()[:300],
                    render(want),
                    render(got) if got is not None else "-",
                    "" if reason == "answers differ" else "\n  (%s)" % reason))
        print("%-40s %4d/%d statements agree" % (rel, n_ok, len(statements)))
    if reported >= args.max_report:
        print("(further mismatches not printed; see build/harness/diff.failures.txt)")
    return ratchet.finish("diff", ran, passed, failures, update=args.update_baseline)


if __name__ == "__main__":
    sys.exit(main())
