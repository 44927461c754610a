/* Memory benchmark (issue 4): a full scan of a large database through whatever libsqlite3.so.0
** the dynamic linker finds, reporting the peak resident set size. bench/run.sh runs it on real
** SQLite and on Ferrolite over the same file (made once by the sqlite3 shell) and checks the
** bound "peak RSS <= cache size + 30 MB".
**
**   memory DBFILE     scans every row (sum of lengths of a text and a blob column, so every
**                     overflow page is read too); prints one line of key=value figures.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static long peak_rss_kib(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

int main(int argc, char **argv) {
  sqlite3 *db;
  sqlite3_stmt *st;
  long long rows = 0, bytes = 0, cache_kib = 0;
  long rss_before;
  double t0;
  if (argc < 2) { fprintf(stderr, "usage: memory DBFILE\n"); return 2; }
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) {
    fprintf(stderr, "open: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, 0) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    long long c = sqlite3_column_int64(st, 0);
    /* Negative: KiB; positive: pages. */
    cache_kib = c < 0 ? -c : c * 4;
  }
  sqlite3_finalize(st);
  rss_before = peak_rss_kib();
  t0 = now();
  if (sqlite3_prepare_v2(db, "SELECT length(a), length(b) FROM t", -1, &st, 0) != SQLITE_OK) {
    fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    rows++;
    bytes += sqlite3_column_int64(st, 0) + sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  printf("engine=%s rows=%lld bytes=%lld scan_s=%.3f cache_kib=%lld rss_before_kib=%ld peak_rss_kib=%ld\n",
         strstr(sqlite3_sourceid(), "ferrolite") ? "ferrolite" : "sqlite", rows, bytes, now() - t0, cache_kib,
         rss_before, peak_rss_kib());
  sqlite3_close(db);
  return 0;
}
