#!/usr/bin/env python3
"""Random writes: INSERT/UPDATE/DELETE/REPLACE/UPSERT scripts through real SQLite and Ferrolite.

Owns: suite "dml". Each seed makes a schema (a rowid table with an INTEGER PRIMARY KEY,
maybe AUTOINCREMENT, a NOT NULL DEFAULT and a CHECK; one with a hidden rowid; a WITHOUT ROWID
table, maybe STRICT; indexes chosen at random among plain, UNIQUE, DESC, on expressions and
partial) and a script of random writes: multi-row INSERT with every conflict clause, INSERT
... SELECT from another table, UPSERT on a real key (with DO UPDATE ... WHERE, RETURNING),
UPDATE (rowid and PRIMARY KEY changes included) and DELETE with WHERE, RETURNING, ORDER BY
... LIMIT, REPLACE, BEGIN/COMMIT/ROLLBACK. Both
sides run the script on a database file of their own, then:
  - every statement must give the same answer (error message and code, changes);
  - the final contents must be the same (every table in key order, with storage classes);
  - real SQLite's PRAGMA integrity_check on the file Ferrolite wrote must say ok (it compares
    every index entry, expression and partial indexes included, with the rows).
Item names: "seed=<n>". The quick run (part of `make test`) takes seeds 1..--seeds.

Invariants:
  1. Scripts are a function of the seed alone (random.Random(seed)); a failure names the seed
     and the first statement that differs, so `dml.py --seed N --print` replays it.
  2. Statements avoid the tracked one-pass and planner-order classes (docs/COMPAT.md "Known
     wrong answers"): no subquery reads the table being written, and WHERE terms are written
     `+column` and name every column, so that no index (searched or covering) decides the
     order in which rows are changed.
"""
import argparse
import os
import random
import shutil
import sys
import tempfile

from common import Items, Worker, broken_requested, require_lib, results_dir
from diff import render, same
import ratchet

INDEXES = {
    "t": [
        "CREATE INDEX t_a ON t(a)",
        "CREATE UNIQUE INDEX t_ab ON t(a, b)",
        "CREATE INDEX t_cd ON t(c DESC, b COLLATE nocase)",
        "CREATE UNIQUE INDEX t_b_live ON t(b) WHERE a IS NOT NULL",
        "CREATE INDEX t_lower ON t(lower(b), a % 3) WHERE c > 0",
        "CREATE UNIQUE INDEX t_expr ON t(a * 2, substr(b, 1, 1))",
    ],
    "h": [
        "CREATE UNIQUE INDEX h_a ON h(a)",
        "CREATE INDEX h_len ON h(length(b) + a) WHERE b IS NOT NULL",
    ],
    "w": [
        "CREATE INDEX w_v ON w(v)",
        "CREATE UNIQUE INDEX w_up ON w(upper(x)) WHERE v > 2",
        "CREATE INDEX w_len ON w(length(k) * v, x)",
    ],
}

DUMP = [
    "SELECT * FROM t ORDER BY id",
    "SELECT name, seq FROM sqlite_sequence ORDER BY name",
    "SELECT rowid, * FROM h ORDER BY rowid",
    "SELECT * FROM w ORDER BY k",
]


class Script:
    """The random script of one seed."""

    def __init__(self, seed, n):
        self.r = random.Random(seed)
        r = self.r
        self.stmts = [
            "CREATE TABLE t(id INTEGER PRIMARY KEY%s, a INT, b TEXT, c REAL%s%s)" % (
                r.choice(["", " AUTOINCREMENT"]), r.choice(["", ", d NOT NULL DEFAULT 'd'"]),
                r.choice(["", ", CHECK (c IS NULL OR c > -1.5)"])),
            "CREATE TABLE h(a, b)",
            "CREATE TABLE w(k TEXT PRIMARY KEY, v%s, x%s) %s" % (
                r.choice(["", " INT"]), r.choice(["", " TEXT"]), r.choice(["WITHOUT ROWID", "STRICT, WITHOUT ROWID"])),
        ]
        if "STRICT" in self.stmts[2]:
            # STRICT needs a type for every column; ANY, because a type error inside a
            # transaction is a tracked difference (tests/regress/known-strict-error-keeps-rows.sql).
            self.stmts[2] = "CREATE TABLE w(k TEXT PRIMARY KEY, v ANY, x ANY) STRICT, WITHOUT ROWID"
        self.has_d = "d NOT NULL" in self.stmts[0]
        for table, idx in INDEXES.items():
            self.stmts += r.sample(idx, r.randint(0, len(idx)))
        self.in_txn = False
        for _ in range(n):
            self.stmts.append(self.statement())
        if self.in_txn:
            self.stmts.append("COMMIT")

    def value(self):
        r = self.r
        return r.choice(["NULL", str(r.randint(-4, 6)), str(r.randint(-4, 6)), "'%s%d'" % (r.choice("aAbB"), r.randint(0, 3)),
                         "%.2f" % r.uniform(-2, 2), "x'0%d'" % r.randint(0, 3)])

    def where(self, table):
        # `+column`: no index serves the term, so both sides visit rows in key order (which
        # rows an OR FAIL/IGNORE/REPLACE statement changes depends on that order).
        r = self.r
        col = {"t": ["+id", "+a", "+b", "+c"], "h": ["+rowid", "+a", "+b"], "w": ["+k", "+v", "+x"]}[table]
        term = r.choice([
            "%s %s %s" % (r.choice(col), r.choice(["=", "<", ">", "<>", "IS"]), self.value()),
            "%s %% %d = %d" % (r.choice(col), r.randint(2, 4), r.randint(0, 1)),
            "%s IS NULL" % r.choice(col),
            "%s IN (%s, %s)" % (r.choice(col), self.value(), self.value()),
        ])
        # A term naming every column: no index covers the WHERE, so neither side scans one.
        return "%s AND coalesce(%s, 1) IS NOT NULL" % (term, ", ".join(c for c in col if c not in ("+id", "+rowid", "+k")))

    def conflict(self):
        return self.r.choice(["", "", " OR IGNORE", " OR REPLACE", " OR ABORT", " OR FAIL", " OR ROLLBACK"])

    def statement(self):
        r = self.r
        k = r.randint(0, 99)
        if k < 4:
            if self.in_txn:
                self.in_txn = False
                return r.choice(["COMMIT", "ROLLBACK"])
            self.in_txn = True
            return "BEGIN"
        if k < 24:
            rows = ", ".join("(%s, %s, %s, %s%s)" % (r.choice(["NULL", str(r.randint(1, 25))]), self.value(), self.value(),
                                                     self.value(), ", " + self.value() if self.has_d else "")
                             for _ in range(r.randint(1, 3)))
            return "INSERT%s INTO t VALUES %s" % (self.conflict(), rows)
        if k < 32:
            rows = ", ".join("(%s, %s)" % (self.value(), self.value()) for _ in range(r.randint(1, 3)))
            return "INSERT%s INTO h VALUES %s" % (self.conflict(), rows)
        if k < 44:
            rows = ", ".join("('%s%d', %s, %s)" % (r.choice("xyz"), r.randint(0, 9), self.value(), self.value())
                             for _ in range(r.randint(1, 3)))
            return "INSERT%s INTO w VALUES %s" % (self.conflict(), rows)
        if k < 48:
            return "INSERT%s INTO h(a, b) SELECT v, x FROM w WHERE %s ORDER BY k" % (self.conflict(), self.where("w"))
        if k < 54:
            target, action = r.choice([
                ("id", "a = excluded.a + 1"), ("id", "b = excluded.b, c = c + 1"),
                ("", None),
            ])
            if action is None:
                return "INSERT INTO t(id, a, b) VALUES(%d, %s, %s) ON CONFLICT DO NOTHING" % (r.randint(1, 25), self.value(), self.value())
            return "INSERT INTO t(id, a, b) VALUES(%d, %s, %s) ON CONFLICT(%s) DO UPDATE SET %s%s" % (
                r.randint(1, 25), self.value(), self.value(), target, action,
                r.choice(["", " WHERE a IS NOT excluded.a", " RETURNING id, a, b"]))
        if k < 58:
            return "INSERT INTO w VALUES('%s%d', %s, %s) ON CONFLICT(k) DO UPDATE SET v = excluded.v, x = x || 'u'" % (
                r.choice("xyz"), r.randint(0, 9), self.value(), self.value())
        if k < 70:
            col = r.choice(["a", "b", "c", "id", "a", "b"])
            val = self.value() if col != "id" else r.choice([str(r.randint(1, 30)), "id + %d" % r.randint(1, 3)])
            tail = r.choice(["", "", " RETURNING id, a", " ORDER BY +id DESC LIMIT %d" % r.randint(0, 3)])
            return "UPDATE%s t SET %s = %s WHERE %s%s" % (self.conflict(), col, val, self.where("t"), tail)
        if k < 75:
            return "UPDATE%s h SET %s = %s WHERE %s" % (self.conflict(), r.choice(["a", "b", "rowid"]), self.value(), self.where("h"))
        if k < 82:
            col = r.choice(["v", "x", "k"])
            val = self.value() if col != "k" else "'%s%d'" % (r.choice("xyz"), r.randint(0, 9))
            return "UPDATE%s w SET %s = %s WHERE %s" % (self.conflict(), col, val, self.where("w"))
        if k < 88:
            table = r.choice(["t", "h", "w"])
            key = {"t": "+id", "h": "+rowid", "w": "+k"}[table]
            tail = r.choice(["", "", " ORDER BY %s LIMIT %d OFFSET %d" % (key, r.randint(0, 3), r.randint(0, 1)),
                             " RETURNING *" if table != "h" else ""])
            return "DELETE FROM %s WHERE %s%s" % (table, self.where(table), tail)
        if k < 94:
            return "REPLACE INTO t(id, a, b) VALUES(%d, %s, %s)" % (r.randint(1, 25), self.value(), self.value())
        return "REPLACE INTO w VALUES('%s%d', %s, %s)" % (r.choice("xyz"), r.randint(0, 9), self.value(), self.value())


def run_seed(seed, n, tmp, broken, timeout):
    """None if both sides agree on seed's script, else why not."""
    stmts = Script(seed, n).stmts
    paths = {side: os.path.join(tmp, "%s-%d.db" % (side, seed)) for side in ("real", "test")}
    workers = {side: Worker(side, db=paths[side], broken=broken and side == "test") for side in paths}
    try:
        for i, sql in enumerate(stmts + DUMP):
            a = workers["real"].execute(sql, timeout=timeout)
            b = workers["test"].execute(sql, timeout=timeout)
            if not same(a, b):
                return "statement %d: %s | real: %s | ferrolite: %s" % (
                    i, sql, " ".join(render(a).split())[:200], " ".join(render(b).split())[:200])
    finally:
        for w in workers.values():
            w.close()
    check = Worker("real", db=paths["test"])
    try:
        ans = check.execute("PRAGMA integrity_check", timeout=timeout)
    finally:
        check.close()
    if ans["error"] is not None or ans["rows"] != [[["t", "ok"]]]:
        return "real SQLite's integrity_check of Ferrolite's file: " + " ".join(render(ans).split())[:300]
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=40, help="seeds 1..N (quick run)")
    ap.add_argument("--seed", type=int, help="one seed only")
    ap.add_argument("--statements", type=int, default=150)
    ap.add_argument("--print", action="store_true", help="print the script of --seed and stop")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--no-ratchet", action="store_true")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args(argv)
    seeds = [args.seed] if args.seed is not None else list(range(1, args.seeds + 1))
    if args.print:
        for s in seeds:
            print(";\n".join(Script(s, args.statements).stmts) + ";")
        return 0
    require_lib()
    broken = broken_requested()
    tmp = tempfile.mkdtemp(prefix="dml-", dir=results_dir())
    items = Items(width=10, shown=400)
    try:
        for s in seeds:
            items.run("seed=%d" % s, lambda s=s: run_seed(s, args.statements, tmp, broken, args.timeout))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.no_ratchet:
        print("[dml] %d passed, %d failed" % (len(items.passed), len(items.failures)))
        return 1 if items.failures else 0
    return ratchet.finish("dml", items.ran, items.passed, items.failures, update=args.update_baseline)


if __name__ == "__main__":
    sys.exit(main())
