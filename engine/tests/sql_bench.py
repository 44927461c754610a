#!/usr/bin/env python3
"""Benchmark (not a test): statements parsed per second by Ferrolite's parser beside real
SQLite's sqlite3_prepare_v2 on the same statements (issue 5).

Statements come from the differential test's grammar (valid SELECT/DML/DDL). Ferrolite's side
runs engine/examples/parse --bench (the binary in target/<profile>/examples; pass a path to use
a release build); SQLite's side calls sqlite3_prepare_v2 + sqlite3_finalize through ctypes, so
its number includes Python's call overhead (it is a lower bound for SQLite).
Usage: python3 engine/tests/sql_bench.py [count] [repeat] [path/to/parse]
"""
import ctypes, os, random, subprocess, sys, time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sql_differential as gen  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 5
BIN = sys.argv[3] if len(sys.argv) > 3 else gen.BIN

random.seed(7)
stmts = [gen.stmt() for _ in range(COUNT)]
data = "\0".join(stmts).encode()
ours = subprocess.run([BIN, "--bench", str(REPEAT)], input=data, capture_output=True, check=True)
print("ferrolite parse_one:     " + ours.stdout.decode().strip())

lib = ctypes.CDLL("libsqlite3.so.0")
db = ctypes.c_void_p()
lib.sqlite3_open(b":memory:", ctypes.byref(db))
lib.sqlite3_exec(db, gen.SCHEMA, None, None, None)
raw = [s.encode() for s in stmts]
t = time.perf_counter()
for _ in range(REPEAT):
    for s in raw:
        st = ctypes.c_void_p()
        lib.sqlite3_prepare_v2(db, s, len(s), ctypes.byref(st), None)
        lib.sqlite3_finalize(st)
dt = time.perf_counter() - t
n = REPEAT * len(raw)
print("sqlite3_prepare_v2:      %d prepares in %.3fs: %.0f/s" % (n, dt, n / dt))
