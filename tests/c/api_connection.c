/* Opening and closing connections, the error state, and the misuse answers for NULL handles:
** what every client does first. Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static int commit_cb(void *p) { (void)p; return 0; }
static void rollback_cb(void *p) { (void)p; }
static void update_cb(void *p, int op, const char *d, const char *t, sqlite3_int64 r) {
  (void)p; (void)op; (void)d; (void)t; (void)r;
}
static int busy_cb(void *p, int n) { (void)p; (void)n; return 0; }
static int progress_cb(void *p) { (void)p; return 0; }
static int auth_cb(void *p, int a, const char *b, const char *c, const char *d, const char *e) {
  (void)p; (void)a; (void)b; (void)c; (void)d; (void)e; return SQLITE_OK;
}
static int trace_cb(unsigned m, void *p, void *x, void *y) { (void)m; (void)p; (void)x; (void)y; return 0; }

int main(void) {
  sqlite3 *db = 0;
  sqlite3_stmt *st = (sqlite3_stmt *)1;
  const char *tail = 0;
  const char *sql = "   ";

  CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK(db != 0);
  CHECK_INT(sqlite3_errcode(db), SQLITE_OK);
  CHECK_INT(sqlite3_extended_errcode(db), SQLITE_OK);
  CHECK_STR(sqlite3_errmsg(db), "not an error");
  CHECK_INT(sqlite3_get_autocommit(db), 1);
  CHECK_INT(sqlite3_changes(db), 0);
  CHECK_INT(sqlite3_total_changes(db), 0);
  CHECK_INT(sqlite3_last_insert_rowid(db), 0);
  sqlite3_set_last_insert_rowid(db, 42);
  CHECK_INT(sqlite3_last_insert_rowid(db), 42);
  CHECK_STR(sqlite3_db_filename(db, "main"), "");
  CHECK(sqlite3_db_filename(db, "nosuch") == 0);
  CHECK_INT(sqlite3_db_readonly(db, "main"), 0);
  CHECK_INT(sqlite3_db_readonly(db, "nosuch"), -1);
  CHECK(sqlite3_db_mutex(db) != 0);
  CHECK_INT(sqlite3_busy_timeout(db, 100), SQLITE_OK);
  CHECK_INT(sqlite3_extended_result_codes(db, 1), SQLITE_OK);
  CHECK_INT(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
  CHECK_INT(sqlite3_enable_load_extension(db, 0), SQLITE_OK);

  /* Limits: defaults of Debian's build, lowering works, raising is capped at the maximum. */
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1), 250000);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1), 2000);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, -1), 1000);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100), 2000);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1), 100);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 5000), 100);
  CHECK_INT(sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1), 2000);
  CHECK_INT(sqlite3_limit(db, 99, -1), -1);

  /* db_config booleans: defaults, setting, reading back. */
  {
    int v = -1;
    CHECK_INT(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &v), SQLITE_OK);
    CHECK_INT(v, 0);
    CHECK_INT(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &v), SQLITE_OK);
    CHECK_INT(v, 1);
    CHECK_INT(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &v), SQLITE_OK);
    CHECK_INT(v, 1);
    CHECK_INT(sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, -1, &v), SQLITE_OK);
    CHECK_INT(v, 1);
  }

  /* Hooks: each setter hands back the previous argument; clearing works. */
  {
    int a, b;
    CHECK(sqlite3_commit_hook(db, commit_cb, &a) == 0);
    CHECK(sqlite3_commit_hook(db, commit_cb, &b) == &a);
    CHECK(sqlite3_commit_hook(db, 0, 0) == &b);
    CHECK(sqlite3_rollback_hook(db, rollback_cb, &a) == 0);
    CHECK(sqlite3_rollback_hook(db, 0, 0) == &a);
    CHECK(sqlite3_update_hook(db, update_cb, &b) == 0);
    CHECK(sqlite3_update_hook(db, 0, 0) == &b);
    CHECK_INT(sqlite3_busy_handler(db, busy_cb, 0), SQLITE_OK);
    CHECK_INT(sqlite3_busy_handler(db, 0, 0), SQLITE_OK);
    sqlite3_progress_handler(db, 100, progress_cb, 0);
    sqlite3_progress_handler(db, 0, 0, 0);
    CHECK_INT(sqlite3_set_authorizer(db, auth_cb, 0), SQLITE_OK);
    CHECK_INT(sqlite3_set_authorizer(db, 0, 0), SQLITE_OK);
    CHECK_INT(sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_cb, 0), SQLITE_OK);
    CHECK_INT(sqlite3_trace_v2(db, 0, 0, 0), SQLITE_OK);
    sqlite3_interrupt(db); /* nothing runs: no effect */
  }

  /* Blank SQL prepares to no statement, with the tail at the end. */
  CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, &tail), SQLITE_OK);
  CHECK(st == 0);
  CHECK(tail == sql + 3);
  st = (sqlite3_stmt *)1;
  CHECK_INT(sqlite3_prepare_v2(db, "", -1, &st, 0), SQLITE_OK);
  CHECK(st == 0);
  CHECK(sqlite3_next_stmt(db, 0) == 0);

  /* exec and get_table on blank SQL: success, no rows, no message. */
  {
    char *err = (char *)1;
    char **table = 0;
    int nrow = -1, ncol = -1;
    CHECK_INT(sqlite3_exec(db, "   ", 0, 0, &err), SQLITE_OK);
    CHECK(err == 0);
    CHECK_INT(sqlite3_exec(db, 0, 0, 0, 0), SQLITE_OK);
    CHECK_INT(sqlite3_get_table(db, "", &table, &nrow, &ncol, 0), SQLITE_OK);
    CHECK(table != 0);
    CHECK_INT(nrow, 0);
    CHECK_INT(ncol, 0);
    sqlite3_free_table(table);
    CHECK_INT(sqlite3_exec(0, "select 1", 0, 0, 0), SQLITE_MISUSE);
  }
  CHECK_INT(sqlite3_close(db), SQLITE_OK);

  /* NULL handles: documented answers, never a crash. */
  CHECK_INT(sqlite3_close(0), SQLITE_OK);
  CHECK_INT(sqlite3_close_v2(0), SQLITE_OK);
  CHECK_INT(sqlite3_errcode(0), SQLITE_NOMEM);
  CHECK_STR(sqlite3_errmsg(0), "out of memory");
  CHECK_INT(sqlite3_prepare_v2(0, "select 1", -1, &st, 0), SQLITE_MISUSE);
  CHECK(st == 0);
  CHECK_INT(sqlite3_finalize(0), SQLITE_OK);
  CHECK_INT(sqlite3_reset(0), SQLITE_OK);

  /* Bad open flags are misuse and an unknown VFS is an error; both still hand back a
  ** connection whose message says why. */
  db = 0;
  CHECK_INT(sqlite3_open_v2(":memory:", &db, 0, 0), SQLITE_MISUSE);
  CHECK(db != 0);
  CHECK_STR(sqlite3_errmsg(db), "bad parameter or other API misuse");
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  db = 0;
  CHECK_INT(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_CREATE, 0), SQLITE_MISUSE);
  CHECK(db != 0);
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  CHECK_INT(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "nosuchvfs"),
            SQLITE_ERROR);
  CHECK(db != 0);
  CHECK_STR(sqlite3_errmsg(db), "no such vfs: nosuchvfs");
  {
    const unsigned short *m16 = sqlite3_errmsg16(db);
    const char *want = "no such vfs: nosuchvfs";
    int i, same = m16 != 0;
    for (i = 0; same && want[i]; i++) same = m16[i] == (unsigned short)want[i];
    CHECK(same && m16[i] == 0);
  }
  CHECK_INT(sqlite3_close(db), SQLITE_OK);

  /* Opening a file by name, read-write and read-only. */
  {
    char path[] = "/tmp/ferrolite-c-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unlink(path);
    db = 0;
    CHECK_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 0), SQLITE_OK);
    CHECK_STR(sqlite3_db_filename(db, "main"), path);
    CHECK_INT(sqlite3_close_v2(db), SQLITE_OK);
    unlink(path);
  }

  /* open16 takes UTF-16 names. */
  {
    static const unsigned short mem16[] = {':', 'm', 'e', 'm', 'o', 'r', 'y', ':', 0};
    db = 0;
    CHECK_INT(sqlite3_open16(mem16, &db), SQLITE_OK);
    CHECK_INT(sqlite3_close(db), SQLITE_OK);
  }
  return DONE();
}
