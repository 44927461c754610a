#!/bin/sh
# The ABI of build/libsqlite3.so.0 against Debian's SQLite 3.40.1 (../shared/abi): the header
# passes abi_check.c and abi_check_session.c, the SONAME is libsqlite3.so.0, every function and
# data symbol of the lists is exported, and nothing else is but libSQL's libsql_* additions.
set -u
abi=${1:-../shared/abi}
top=$(cd "$(dirname "$0")/../.." && pwd)
lib="$top/build/libsqlite3.so.0"
passed=0; failed=0
ok() { passed=$((passed+1)); echo "  ok: $1"; }
bad() { failed=$((failed+1)); echo "  FAIL: $1"; }
if [ ! -d "$abi" ]; then echo "ABI lists not found at $abi"; echo "0 passed, 1 failed"; exit 1; fi
for f in abi_check.c abi_check_session.c; do
  msg=$(cc -std=c11 -fsyntax-only -I "$top/include" "$abi/$f" 2>&1)
  if [ -z "$msg" ]; then ok "$f compiles clean"; else bad "$f: $msg"; fi
done
msg=$(cc -std=c11 -fsyntax-only -I "$top/include" -x c - 2>&1 <<'C'
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
int sqlite3_extension_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  (void)err;
  return sqlite3_exec(db, "select 1", 0, 0, 0);
}
C
)
if [ -z "$msg" ]; then ok "sqlite3ext.h builds an extension"; else bad "sqlite3ext.h: $msg"; fi
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
if [ "$soname" = "libsqlite3.so.0" ]; then ok "SONAME $soname"; else bad "SONAME is '$soname'"; fi
tmp=$(mktemp -d)
nm -D --defined-only "$lib" | awk '{print $3}' | sort -u > "$tmp/have"
cat "$abi/sqlite3-3.40-functions.txt" "$abi/session-3.40-functions.txt" "$abi/sqlite3-3.40-data.txt" \
  | sort -u > "$tmp/want"
missing=$(comm -23 "$tmp/want" "$tmp/have")
extra=$(comm -13 "$tmp/want" "$tmp/have" | grep -v '^libsql_')
n=$(wc -l < "$tmp/want")
if [ -z "$missing" ]; then ok "all $n ABI symbols exported"; else bad "missing: $(echo $missing)"; fi
if [ -z "$extra" ]; then ok "no symbol exported beyond sqlite3_*/libsql_*"; else bad "extra: $(echo $extra)"; fi
rm -rf "$tmp"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
