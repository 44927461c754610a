#!/bin/sh
# CPython's sqlite3 module loads Ferrolite through LD_PRELOAD and opens a connection; the
# check proves the module really runs on Ferrolite (libsql_libversion answers "ferrolite ...")
# and, as a control, that without the preload it does not.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
passed=0; failed=0
probe='import ctypes, sqlite3
c = sqlite3.connect(":memory:")
c.close()
try:
    f = ctypes.CDLL(None).libsql_libversion
    f.restype = ctypes.c_char_p
    print("engine:", f().decode())
except AttributeError:
    print("engine: sqlite")
'
out=$(LD_PRELOAD="$top/build/libsqlite3.so.0" python3 -c "$probe" 2>&1)
case "$out" in
  "engine: ferrolite"*) passed=$((passed+1)); echo "  ok: python3 sqlite3.connect on Ferrolite ($out)";;
  *) failed=$((failed+1)); echo "  FAIL: under LD_PRELOAD: $out";;
esac
out=$(python3 -c "$probe" 2>&1)
case "$out" in
  "engine: sqlite") passed=$((passed+1)); echo "  ok: control run is on real SQLite";;
  *) failed=$((failed+1)); echo "  FAIL: control run: $out";;
esac
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
