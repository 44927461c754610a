/* Storage benchmark (issue 4): the same workload through whatever libsqlite3.so.0 the dynamic
** linker finds. bench/run.sh runs it on real SQLite and on Ferrolite and prints the ratios.
**
**   storage DBFILE N    bulk insert of N rows in one transaction, N random rowid lookups,
**                       a full scan; prints one line of key=value figures.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next_rand(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static void die(sqlite3 *db, const char *what) {
  fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  exit(1);
}

int main(int argc, char **argv) {
  sqlite3 *db;
  sqlite3_stmt *st;
  const char *path = argc > 1 ? argv[1] : "bench.db";
  long n = argc > 2 ? atol(argv[2]) : 1000000;
  double t0, t_insert, t_lookup, t_scan;
  long long sum = 0, found = 0;
  struct stat sb;
  char text[32];
  long i;

  unlink(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) die(db, "open");
  if (sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT)", 0, 0, 0)) die(db, "create");

  t0 = now();
  if (sqlite3_exec(db, "BEGIN", 0, 0, 0)) die(db, "begin");
  if (sqlite3_prepare_v2(db, "INSERT INTO t(id, a, b) VALUES(?, ?, ?)", -1, &st, 0)) die(db, "prepare insert");
  for (i = 1; i <= n; i++) {
    unsigned long long r = next_rand();
    snprintf(text, sizeof text, "row-%020llu", r);
    sqlite3_bind_int64(st, 1, i);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)(r % 1000000));
    sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) die(db, "insert");
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  if (sqlite3_exec(db, "COMMIT", 0, 0, 0)) die(db, "commit");
  t_insert = now() - t0;

  t0 = now();
  if (sqlite3_prepare_v2(db, "SELECT a, b FROM t WHERE id = ?", -1, &st, 0)) die(db, "prepare lookup");
  for (i = 0; i < n; i++) {
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(next_rand() % n) + 1);
    if (sqlite3_step(st) == SQLITE_ROW) { found++; sum += sqlite3_column_int64(st, 0); }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  t_lookup = now() - t0;

  t0 = now();
  if (sqlite3_prepare_v2(db, "SELECT a, b FROM t", -1, &st, 0)) die(db, "prepare scan");
  while (sqlite3_step(st) == SQLITE_ROW) { sum += sqlite3_column_int64(st, 0); sum += sqlite3_column_bytes(st, 1); }
  sqlite3_finalize(st);
  t_scan = now() - t0;
  sqlite3_close(db);
  stat(path, &sb);
  printf("engine=%s rows=%ld insert_s=%.3f lookup_s=%.3f scan_s=%.3f size_bytes=%lld found=%lld check=%lld\n",
         strstr(sqlite3_sourceid(), "ferrolite") ? "ferrolite" : "sqlite", n, t_insert, t_lookup, t_scan,
         (long long)sb.st_size, found, sum);
  unlink(path);
  return 0;
}
