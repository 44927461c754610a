/* Text values keep the bytes they are given, NULs included: sqlite3_bind_text and
** sqlite3_result_text (UTF-8 and UTF-16) store all n bytes, and sqlite3_column_bytes gives
** them back; only SQL text handed to prepare ends at a NUL. (Ferrolite cut bound and result
** text at its first NUL: CPython's tests of text with NUL characters found it.)
** Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include <string.h>
#include "check.h"

static void nul_text(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n; (void)v;
  sqlite3_result_text(c, "x\0y\0z", 5, SQLITE_TRANSIENT);
}

static void nul_text16(sqlite3_context *c, int n, sqlite3_value **v) {
  static const unsigned short s[] = {'p', 0, 'q'};
  (void)n; (void)v;
  sqlite3_result_text16(c, s, (int)sizeof s, SQLITE_TRANSIENT);
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *st;
  CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db, "CREATE TABLE t(x)", 0, 0, 0), SQLITE_OK);
  /* Bound UTF-8 text with a NUL inside: all 3 bytes are stored. */
  CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?)", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_bind_text(st, 1, "a\0b", 3, SQLITE_STATIC), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  /* Bound UTF-16 text with a NUL unit inside: 3 characters, 3 bytes in UTF-8. */
  static const unsigned short u16[] = {'c', 0, 'd'};
  CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?)", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_bind_text16(st, 1, u16, (int)sizeof u16, SQLITE_STATIC), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  CHECK_INT(sqlite3_prepare_v2(db, "SELECT x, hex(x), length(x), typeof(x) FROM t ORDER BY rowid", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_INT(sqlite3_column_bytes(st, 0), 3);
  CHECK(memcmp(sqlite3_column_text(st, 0), "a\0b", 3) == 0);
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "610062");
  CHECK_INT(sqlite3_column_int(st, 2), 1); /* length() stops at the NUL */
  CHECK_STR((const char *)sqlite3_column_text(st, 3), "text");
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "630064");
  CHECK_INT(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  /* Function results keep their NULs too. */
  CHECK_INT(sqlite3_create_function(db, "nul_text", 0, SQLITE_UTF8, 0, nul_text, 0, 0), SQLITE_OK);
  CHECK_INT(sqlite3_create_function(db, "nul_text16", 0, SQLITE_UTF8, 0, nul_text16, 0, 0), SQLITE_OK);
  CHECK_INT(sqlite3_prepare_v2(db, "SELECT hex(nul_text()), hex(nul_text16())", -1, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_STR((const char *)sqlite3_column_text(st, 0), "780079007A");
  CHECK_STR((const char *)sqlite3_column_text(st, 1), "700071");
  sqlite3_finalize(st);
  /* SQL text ends at a NUL, whatever length is given. */
  CHECK_INT(sqlite3_prepare_v2(db, "SELECT 7\0 nonsense", 18, &st, 0), SQLITE_OK);
  CHECK_INT(sqlite3_step(st), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(st, 0), 7);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return DONE();
}
