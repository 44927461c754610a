/* The online backup API: incremental steps with remaining/pagecount, a complete copy into
** memory and into a file, finish codes, and the errors of init (run on real SQLite and on
** Ferrolite). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static long long one(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

int main(void) {
  char path[] = "/tmp/ferrolite-backup-XXXXXX";
  int fd = mkstemp(path);
  sqlite3 *src, *mem, *file;
  sqlite3_backup *b;
  int rc, steps = 0, pages;
  close(fd);
  CHECK_INT(sqlite3_open(":memory:", &src), SQLITE_OK);
  CHECK_INT(sqlite3_exec(src, "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a);"
                              "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)"
                              " INSERT INTO t SELECT i, printf('%0400d', i) FROM c", 0, 0, 0), SQLITE_OK);
  pages = (int)one(src, "PRAGMA page_count");

  CHECK_INT(sqlite3_open(":memory:", &mem), SQLITE_OK);
  b = sqlite3_backup_init(mem, "main", src, "main");
  CHECK(b != 0);
  while ((rc = sqlite3_backup_step(b, 50)) == SQLITE_OK) {
    steps++;
    CHECK_INT(sqlite3_backup_pagecount(b), pages);
    CHECK(sqlite3_backup_remaining(b) > 0 && sqlite3_backup_remaining(b) < pages);
  }
  CHECK_INT(rc, SQLITE_DONE);
  CHECK_INT(steps, (pages + 49) / 50 - 1);
  CHECK_INT(sqlite3_backup_remaining(b), 0);
  CHECK_INT(sqlite3_backup_finish(b), SQLITE_OK);
  CHECK_INT(one(mem, "SELECT count(*) FROM t WHERE a = 1234"), 1);
  CHECK_INT(one(mem, "SELECT sum(a) FROM t"), 4501500);

  /* Into a file that already holds another table: replaced, intact. */
  CHECK_INT(sqlite3_open(path, &file), SQLITE_OK);
  CHECK_INT(sqlite3_exec(file, "CREATE TABLE old(x); INSERT INTO old VALUES(1)", 0, 0, 0), SQLITE_OK);
  b = sqlite3_backup_init(file, "main", mem, "main");
  CHECK(b != 0);
  CHECK_INT(sqlite3_backup_step(b, -1), SQLITE_DONE);
  CHECK_INT(sqlite3_backup_finish(b), SQLITE_OK);
  CHECK_INT(one(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'old'"), 0);
  CHECK_INT(one(file, "SELECT count(*) FROM t"), 3000);
  CHECK_INT(one(file, "PRAGMA page_count"), pages);
  CHECK_INT(one(file, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);

  /* init errors, reported on the destination. */
  CHECK(sqlite3_backup_init(src, "main", src, "main") == 0);
  CHECK_STR(sqlite3_errmsg(src), "source and destination must be distinct");
  CHECK(sqlite3_backup_init(mem, "nope", src, "main") == 0);
  CHECK_STR(sqlite3_errmsg(mem), "unknown database nope");

  sqlite3_close(src);
  sqlite3_close(mem);
  sqlite3_close(file);
  unlink(path);
  return DONE();
}
