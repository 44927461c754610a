/* Parser benchmark (issue 5), SQLite's side: sqlite3_prepare_v2 + sqlite3_finalize on each of
** the NUL-separated statements read from stdin, REPEAT times, against the schema in SCHEMA_FILE
** (so names resolve and only syntax and compilation cost time). Prints prepares per second.
** Ferrolite's side is engine/examples/parse --bench on the same input (bench/run.sh).
**
**   parse SCHEMA_FILE REPEAT < statements
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(FILE *f, size_t *n) {
  size_t cap = 1 << 20, len = 0;
  char *buf = malloc(cap + 1);
  size_t r;
  while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
    len += r;
    if (len == cap) { cap *= 2; buf = realloc(buf, cap + 1); }
  }
  buf[len] = 0;
  *n = len;
  return buf;
}

int main(int argc, char **argv) {
  sqlite3 *db;
  size_t n, i, count = 0, ok = 0;
  char *schema, *input;
  FILE *f;
  int repeat = argc > 2 ? atoi(argv[2]) : 5, r;
  struct timespec t0, t1;
  double secs;
  if (argc < 2 || !(f = fopen(argv[1], "rb"))) { fprintf(stderr, "usage: parse SCHEMA_FILE REPEAT < stmts\n"); return 2; }
  schema = slurp(f, &n);
  fclose(f);
  input = slurp(stdin, &n);
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, schema, 0, 0, 0) != SQLITE_OK) {
    fprintf(stderr, "schema: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (r = 0; r < repeat; r++) {
    for (i = 0; i < n;) {
      size_t len = strlen(input + i);
      sqlite3_stmt *st = 0;
      if (sqlite3_prepare_v2(db, input + i, (int)len, &st, 0) == SQLITE_OK) ok++;
      sqlite3_finalize(st);
      count++;
      i += len + 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("%zu prepares (%zu ok) in %.3fs: %.0f/s\n", count, ok, secs, count / secs);
  sqlite3_close(db);
  return 0;
}
