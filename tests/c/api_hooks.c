/* Callbacks that run while SQL executes: commit and rollback hooks (a commit hook's veto turns
** the commit into a rollback), the progress handler interrupting a long query, and
** sqlite3_exec's callback. Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include "check.h"

static int commits, rollbacks, veto, progress_calls, rows;
static int on_commit(void *p) { (void)p; commits++; return veto; }
static void on_rollback(void *p) { (void)p; rollbacks++; }
static int on_progress(void *p) { (void)p; return ++progress_calls > 10; }
static int on_row(void *p, int n, char **v, char **c) { (void)p; (void)n; (void)v; (void)c; rows++; return 0; }

int main(void) {
  sqlite3 *db;
  char *err = 0;
  CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  sqlite3_commit_hook(db, on_commit, 0);
  sqlite3_rollback_hook(db, on_rollback, 0);
  CHECK_INT(sqlite3_exec(db, "CREATE TABLE t(x)", 0, 0, 0), SQLITE_OK);
  CHECK_INT(commits, 1);
  CHECK_INT(sqlite3_exec(db, "INSERT INTO t VALUES(1)", 0, 0, 0), SQLITE_OK);
  CHECK_INT(commits, 2);
  CHECK_INT(sqlite3_exec(db, "SELECT * FROM t", on_row, 0, 0), SQLITE_OK);
  CHECK_INT(commits, 2); /* a read-only statement commits nothing */
  CHECK_INT(rows, 1);
  veto = 1;
  CHECK_INT(sqlite3_exec(db, "INSERT INTO t VALUES(2)", 0, 0, 0), SQLITE_CONSTRAINT);
  CHECK_INT(sqlite3_extended_errcode(db), SQLITE_CONSTRAINT_COMMITHOOK);
  CHECK_INT(rollbacks, 1);
  veto = 0;
  CHECK_INT(sqlite3_exec(db, "BEGIN; INSERT INTO t VALUES(3); ROLLBACK", 0, 0, 0), SQLITE_OK);
  CHECK_INT(rollbacks, 2);
  rows = 0;
  CHECK_INT(sqlite3_exec(db, "SELECT * FROM t", on_row, 0, 0), SQLITE_OK);
  CHECK_INT(rows, 1); /* rows 2 and 3 were rolled back */
  sqlite3_commit_hook(db, 0, 0);
  sqlite3_rollback_hook(db, 0, 0);

  /* The progress handler stops a long query with SQLITE_INTERRUPT. */
  sqlite3_progress_handler(db, 100, on_progress, 0);
  CHECK_INT(sqlite3_exec(db, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) "
                             "SELECT count(*) FROM c", 0, 0, &err), SQLITE_INTERRUPT);
  CHECK_STR(err, "interrupted");
  sqlite3_free(err);
  sqlite3_progress_handler(db, 0, 0, 0);
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  return DONE();
}
