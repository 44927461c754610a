#!/usr/bin/env python3
"""Files both ways: databases written by real SQLite read by Ferrolite, and the reverse.

Owns: suite "files". For every journal mode (delete, truncate, persist, memory, wal, off) and
page size (512, 1024, 4096, 8192, 65536) one workload (WORKLOAD: several tables, indexes on
columns, on expressions and partial, a WITHOUT ROWID table, overflowing text and blobs,
deletes that leave free pages, updates) is written to a fresh file, then:
  real->ferrolite   real SQLite writes and closes; Ferrolite's dump of the file (schema, every
                    row with its storage class, PRAGMA integrity_check) must equal real SQLite's
  ferrolite->real   Ferrolite writes and closes; real SQLite's PRAGMA integrity_check must say
                    ok and its dump must equal its dump of the file real SQLite wrote
  live-wal          (wal only) real SQLite writes with checkpoints off and stays open; Ferrolite,
                    in another process at the same time, must read the same dump from the WAL
Item names: "<direction>:journal=<mode>:page=<size>".

Invariants:
  1. Every side runs in its own worker process (common.Worker), so a crash fails one item.
  2. The comparison is answer by answer with diff.py's rules (rows, storage classes, errors).
"""
import argparse
import os
import shutil
import sys
import tempfile

from common import REPO, Items, Worker, broken_requested, require_lib, results_dir
from diff import render, same
import ratchet

MODES = ["delete", "truncate", "persist", "memory", "wal", "off"]
PAGES = [512, 1024, 4096, 8192, 65536]

WORKLOAD = [
    "CREATE TABLE t1(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, misc)",
    "CREATE INDEX t1_name ON t1(name, score DESC)",
    "CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID",
    # Expression and partial indexes: every write below maintains them, and real SQLite's
    # integrity_check compares their entries with the rows.
    "CREATE INDEX t1_lower ON t1(lower(name), id % 7) WHERE score > 0",
    "CREATE INDEX t1_misc ON t1(typeof(misc))",
    "CREATE UNIQUE INDEX kv_len ON kv(length(k), k) WHERE v IS NOT NULL",
    "CREATE TABLE big(id INTEGER PRIMARY KEY, body TEXT, raw BLOB)",
    "CREATE VIEW v1 AS SELECT id, name FROM t1 WHERE score > 0",
    "BEGIN",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
    "INSERT INTO t1(name, score, data, misc) SELECT 'name' || (i * 7919 % 401), (i % 13) * 1.25 - 4, "
    "CASE WHEN i % 5 = 0 THEN NULL ELSE x'00ff10' || CAST(i AS BLOB) END, "
    "CASE i % 4 WHEN 0 THEN i WHEN 1 THEN i * 0.5 WHEN 2 THEN 'text' || i ELSE NULL END FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
    "INSERT INTO kv SELECT printf('key%05d', i * 37 % 1000), i * i FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) "
    "INSERT INTO big(body, raw) SELECT printf('%.*c', i * 1500, char(65 + i)), zeroblob(i * 900) FROM n",
    "COMMIT",
    "DELETE FROM t1 WHERE id % 3 = 0",
    "UPDATE t1 SET name = upper(name), score = score * 2 WHERE id % 7 = 1",
    "DELETE FROM big WHERE id IN (2, 5, 9)",
    "UPDATE big SET body = body || body WHERE id = 4",
    "DELETE FROM kv WHERE v % 2 = 0",
    "INSERT INTO kv VALUES('zz-last', 'the end')",
]

DUMP = [
    "PRAGMA integrity_check",
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
    "SELECT * FROM t1 ORDER BY id",
    "SELECT name, score FROM t1 INDEXED BY t1_name WHERE name > '' ORDER BY name, score DESC, id",
    "SELECT * FROM kv ORDER BY k",
    "SELECT id, length(body), substr(body, 1, 20), hex(substr(body, -10)), length(raw) FROM big ORDER BY id",
    "SELECT count(*) FROM v1",
    "PRAGMA page_size",
]


def run_all(worker, statements, timeout):
    """Execute statements; return the first error message or None."""
    for sql in statements:
        ans = worker.execute(sql, timeout=timeout)
        if ans["error"] is not None:
            return "%s: %s" % (sql[:60], ans["error"]["msg"])
    return None


def dump(side, path, broken, timeout):
    w = Worker(side, db=path, broken=broken)
    try:
        return [w.execute(sql, timeout=timeout) for sql in DUMP]
    finally:
        w.close()


def compare(want, got):
    for sql, a, b in zip(DUMP, want, got):
        if not same(a, b):
            return "%s | real: %s | ferrolite: %s" % (sql, " ".join(render(a).split())[:300],
                                                      " ".join(render(b).split())[:300])
    return None


def write(side, path, mode, page, broken, timeout, keep_open=False):
    w = Worker(side, db=path, broken=broken)
    setup = ["PRAGMA page_size = %d" % page, "PRAGMA journal_mode = %s" % mode]
    if keep_open:
        setup.append("PRAGMA wal_autocheckpoint = 0")
    err = run_all(w, setup + WORKLOAD, timeout)
    if keep_open:
        return w, err
    w.close()
    return None, err


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args(argv)
    require_lib()
    broken = broken_requested()
    tmp = tempfile.mkdtemp(prefix="files-", dir=results_dir())
    items = Items()
    item = items.run

    try:
        for mode in MODES:
            for page in PAGES:
                tag = "journal=%s:page=%d" % (mode, page)
                base = os.path.join(tmp, "%s-%d" % (mode, page))
                os.makedirs(base)
                real_db = os.path.join(base, "real.db")
                _, err = write("real", real_db, mode, page, False, args.timeout)
                if err:
                    print("oracle failed to write %s: %s" % (tag, err))
                    continue
                truth = dump("real", real_db, False, args.timeout)

                def real_to_ferrolite():
                    return compare(truth, dump("test", real_db, broken, args.timeout))
                item("real->ferrolite:" + tag, real_to_ferrolite)

                def ferrolite_to_real():
                    fdb = os.path.join(base, "ferrolite.db")
                    _, err = write("test", fdb, mode, page, broken, args.timeout)
                    if err:
                        return "Ferrolite failed writing: " + err
                    return compare(truth, dump("real", fdb, False, args.timeout))
                item("ferrolite->real:" + tag, ferrolite_to_real)

                if mode == "wal":
                    def live_wal():
                        ldb = os.path.join(base, "live.db")
                        writer = None
                        writer, err = write("real", ldb, mode, page, False, args.timeout, keep_open=True)
                        try:
                            if err:
                                return "oracle failed: " + err
                            if not os.path.exists(ldb + "-wal") or os.path.getsize(ldb + "-wal") == 0:
                                return "harness: the live WAL is empty"
                            live_truth = dump("real", ldb, False, args.timeout)
                            return compare(live_truth, dump("test", ldb, broken, args.timeout))
                        finally:
                            if writer is not None:
                                writer.close()
                    item("live-wal:" + tag, live_wal)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ratchet.finish("files", items.ran, items.passed, items.failures, update=args.update_baseline)


if __name__ == "__main__":
    sys.exit(main())
