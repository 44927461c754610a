#!/bin/sh
# Builds each C test against include/ and runs it twice: on real SQLite (the system's
# libsqlite3.so.0, the oracle) and on Ferrolite (build/). Programs named ferrolite_*.c test
# Ferrolite-only facts and run on Ferrolite alone. Prints the closing "N passed, M failed" line
# over all checks of all runs; a run that crashes or exits non-zero without saying counts one
# failure more.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/build/tests"
mkdir -p "$out"
passed=0; failed=0
run() { # name, library dir ("" = system)
  if [ -n "$2" ]; then r=$(LD_LIBRARY_PATH="$2" "$out/$1" 2>&1); else r=$("$out/$1" 2>&1); fi
  rc=$?
  echo "$r" | sed "s|^|  [$1 on ${3}] |"
  line=$(echo "$r" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | cut -d' ' -f1); f=$(echo "$line" | cut -d' ' -f3)
    passed=$((passed+p)); failed=$((failed+f))
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && failed=$((failed+1))
  else
    failed=$((failed+1)); echo "  [$1 on ${3}] exited $rc without a result line"
  fi
}
for src in "$top"/tests/c/*.c; do
  name=$(basename "$src" .c)
  if ! cc -std=c11 -D_DEFAULT_SOURCE -Wall -Werror -I "$top/include" -o "$out/$name" "$src" \
       -L "$top/build" -lsqlite3 -ldl; then
    echo "  [$name] does not compile"; failed=$((failed+1)); continue
  fi
  case "$name" in
    ferrolite_*) ;;
    *) run "$name" "" "sqlite" ;;
  esac
  run "$name" "$top/build" "ferrolite"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
