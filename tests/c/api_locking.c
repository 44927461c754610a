/* Which statements take the database lock, and what a running statement's row looks like
** while other statements of the connection run (run on real SQLite and on Ferrolite). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  char path[] = "/tmp/ferrolite-locking-XXXXXX";
  int fd = mkstemp(path);
  sqlite3 *a, *b;
  sqlite3_stmt *st, *st2;
  close(fd);
  unlink(path);
  CHECK_INT(sqlite3_open(path, &a), SQLITE_OK);
  CHECK_INT(sqlite3_open(path, &b), SQLITE_OK);
  CHECK_INT(sqlite3_exec(a, "CREATE TABLE t(x, y); INSERT INTO t VALUES(1, 'one'), (2, 'two')", 0, 0, 0), SQLITE_OK);

  /* b reads the schema while it can. */
  CHECK_INT(sqlite3_exec(b, "SELECT count(*) FROM t", 0, 0, 0), SQLITE_OK);
  /* a holds an EXCLUSIVE lock: statements of b that read no table still run (SQLite begins no
  ** read transaction for them), statements that read a table are busy. */
  CHECK_INT(sqlite3_exec(a, "BEGIN EXCLUSIVE", 0, 0, 0), SQLITE_OK);
  CHECK_INT(sqlite3_prepare_v2(b, "SELECT 1 + 1, 'x' || 'y'", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(st, 0), 2);
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "xy");
  CHECK_INT(sqlite3_step(st), SQLITE_DONE);
  CHECK_INT(sqlite3_reset(st), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  sqlite3_finalize(st);
  CHECK_INT(sqlite3_prepare_v2(b, "SELECT count(*) FROM t", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_BUSY);
  sqlite3_finalize(st);
  CHECK_INT(sqlite3_exec(a, "COMMIT", 0, 0, 0), SQLITE_OK);

  /* A row read through the C API stays as it was while another statement of the same
  ** connection runs, and the next step replaces it. */
  CHECK_INT(sqlite3_prepare_v2(a, "SELECT x, y FROM t ORDER BY x", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_INT(sqlite3_prepare_v2(a, "SELECT y FROM t WHERE x = 2", -1, &st2, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st2), SQLITE_ROW);
  CHECK_STR((const char *)sqlite3_column_text(st2, 0), "two");
  CHECK_INT(sqlite3_column_int(st, 0), 1);
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "one");
  CHECK_INT(sqlite3_data_count(st), 2);
  sqlite3_finalize(st2);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "two");
  CHECK_INT(sqlite3_column_bytes(st, 1), 3);
  CHECK_INT(sqlite3_step(st), SQLITE_DONE);
  CHECK_INT(sqlite3_data_count(st), 0);
  CHECK(sqlite3_column_text(st, 1) == NULL);
  sqlite3_finalize(st);

  sqlite3_close(a);
  sqlite3_close(b);
  unlink(path);
  return DONE();
}
