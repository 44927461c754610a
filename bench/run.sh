#!/bin/sh
# Runs each benchmark on real SQLite (the system's libsqlite3.so.0) and on Ferrolite
# (build/), alternating, and prints each figure side by side with the ratio Ferrolite/SQLite.
# Benchmarks are reports, not tests:
# this never fails on a slow figure.
#
#   bench/run.sh [ROWS] [RUNS]      (defaults: 1000000 rows, 3 runs; medians are reported)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
runs=${2:-3}
out="$top/build/bench"
mkdir -p "$out"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I "$top/include" -o "$out/storage" "$top/bench/storage.c" -L "$top/build" -lsqlite3 || exit 1
db="$out/bench.db"
: > "$out/sqlite.txt"; : > "$out/ferrolite.txt"
for r in $(seq "$runs"); do
  "$out/storage" "$db" "$rows" >> "$out/sqlite.txt" 2>&1 || echo "sqlite run failed: $(tail -1 "$out/sqlite.txt")"
  LD_LIBRARY_PATH="$top/build" "$out/storage" "$db" "$rows" >> "$out/ferrolite.txt" 2>&1 || echo "ferrolite run failed: $(tail -1 "$out/ferrolite.txt")"
done
python3 - "$out/sqlite.txt" "$out/ferrolite.txt" "$rows" <<'PY'
import statistics, sys
def load(p):
    runs = []
    for line in open(p):
        if "=" in line and line.startswith("engine="):
            runs.append(dict(kv.split("=", 1) for kv in line.split()))
    return runs
s, f = load(sys.argv[1]), load(sys.argv[2])
print(f"storage and execution benchmark, {sys.argv[3]} rows, median of {len(s)} runs (SQLite) / {len(f)} runs (Ferrolite)")
print(f"{'figure':<12}{'sqlite':>14}{'ferrolite':>14}{'ratio':>9}")
for key in ("insert_s", "lookup_s", "scan_s", "update_s", "delete_s", "trivial_s", "size_bytes"):
    a = statistics.median(float(r[key]) for r in s) if s else float("nan")
    b = statistics.median(float(r[key]) for r in f) if f else float("nan")
    ratio = b / a if s and f and a else float("nan")
    print(f"{key:<12}{a:>14.3f}{b:>14.3f}{ratio:>9.2f}")
if not f:
    print("Ferrolite did not complete the workload (see build/bench/ferrolite.txt)")
PY

# Parser: Ferrolite's parse_one (release build) against SQLite's whole sqlite3_prepare_v2, on the
# same generated statements.
(cd "$top" && cargo build -q --release --example parse -p ferrolite-engine) || exit 1
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I "$top/include" -o "$out/parse" "$top/bench/parse.c" -L "$top/build" -lsqlite3 || exit 1
python3 "$top/bench/parse_corpus.py" "$out/schema.sql" "$out/stmts.bin" 20000
ours=$("$top/target/release/examples/parse" --bench "$runs" < "$out/stmts.bin")
theirs=$("$out/parse" "$out/schema.sql" "$runs" < "$out/stmts.bin")
echo
echo "parser benchmark, 20000 generated statements x $runs"
echo "  sqlite3_prepare_v2 (SQLite): $theirs"
echo "  parse_one (Ferrolite):       $ours"
python3 - "$theirs" "$ours" <<'PY'
import re, sys
a = float(re.search(r"([0-9.]+)/s", sys.argv[1]).group(1))
b = float(re.search(r"([0-9.]+)/s", sys.argv[2]).group(1))
print(f"  ratio (Ferrolite parse rate / SQLite prepare rate): {b / a:.2f}")
PY

# Memory: a scan of a database of MEM_MB megabytes (default 1024) must stay within the cache
# size + 30 MB of peak RSS. The file is made once by the system's sqlite3 shell (rows of ~1 KB,
# every tenth with a 12 KB blob on overflow pages) and kept in build/bench/ for later runs.
mem_mb=${MEM_MB:-1024}
memdb="$out/mem-$mem_mb.db"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I "$top/include" -o "$out/memory" "$top/bench/memory.c" -L "$top/build" -lsqlite3 || exit 1
if [ ! -s "$memdb" ]; then
  rows=$((mem_mb * 1024 / 2))
  sqlite3 "$memdb.tmp" "PRAGMA journal_mode=OFF; CREATE TABLE t(a TEXT, b BLOB);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $rows)
    INSERT INTO t SELECT printf('%0900d', i), CASE WHEN i % 10 = 0 THEN randomblob(12000) ELSE randomblob(10) END FROM c;" >/dev/null \
    && mv "$memdb.tmp" "$memdb" || exit 1
fi
echo
echo "memory benchmark: full scan of a $(($(stat -c %s "$memdb") / 1048576)) MB database (peak RSS, KiB)"
theirs=$("$out/memory" "$memdb") || exit 1
ours=$(LD_LIBRARY_PATH="$top/build" "$out/memory" "$memdb") || exit 1
python3 - "$theirs" "$ours" <<'PY'
import sys
def kv(line): return dict(x.split("=", 1) for x in line.split())
s, f = kv(sys.argv[1]), kv(sys.argv[2])
for name, r in (("sqlite", s), ("ferrolite", f)):
    print(f"  {name:<10} rows {r['rows']:>8}  scan {float(r['scan_s']):7.3f} s  peak RSS {int(r['peak_rss_kib']):>8} KiB  (before the scan {int(r['rss_before_kib'])} KiB)")
bound = int(f["cache_kib"]) + 30 * 1024
ok = int(f["peak_rss_kib"]) <= bound and s["rows"] == f["rows"] and s["bytes"] == f["bytes"]
print(f"  bound: cache {f['cache_kib']} KiB + 30 MB = {bound} KiB; Ferrolite within it and same answer: {'yes' if ok else 'NO'}")
print(f"  scan time ratio (Ferrolite/SQLite): {float(f['scan_s']) / float(s['scan_s']):.2f} (SQLite's length() reads no overflow page; ours reads the whole payload)")
PY
