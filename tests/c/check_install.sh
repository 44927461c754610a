#!/bin/sh
# `make install` into a scratch DESTDIR, then a C program built with pkg-config against it runs
# on Ferrolite (it finds libsql_libversion, which real SQLite does not have).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
passed=0; failed=0
ok() { passed=$((passed+1)); echo "  ok: $1"; }
bad() { failed=$((failed+1)); echo "  FAIL: $1"; }
if make -s -C "$top" install PREFIX=/usr/local DESTDIR="$d" >"$d/log" 2>&1; then ok "make install"; else bad "make install: $(cat "$d/log")"; fi
for f in lib/libsqlite3.so.0 lib/libsqlite3.so lib/libsqlite3.a include/sqlite3.h include/sqlite3ext.h lib/pkgconfig/sqlite3.pc; do
  if [ -e "$d/usr/local/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done
cat > "$d/app.c" <<'C'
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <dlfcn.h>
int main(void) {
  sqlite3 *db;
  const char *(*v)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "libsql_libversion");
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_close(db);
  if (!v || strncmp(v(), "ferrolite", 9) != 0) return 2;
  printf("%s on %s\n", sqlite3_libversion(), v());
  return strcmp(sqlite3_libversion(), SQLITE_VERSION) != 0;
}
C
flags=$(PKG_CONFIG_PATH="$d/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$d" pkg-config --cflags --libs sqlite3)
if cc -o "$d/app" "$d/app.c" $flags -ldl 2>"$d/cc.log"; then ok "pkg-config build ($flags)"; else bad "pkg-config build: $(cat "$d/cc.log")"; fi
if out=$(LD_LIBRARY_PATH="$d/usr/local/lib" "$d/app" 2>&1); then ok "runs: $out"; else bad "app failed: $out"; fi
rm -rf "$d"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
