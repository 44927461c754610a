/* Registering application-defined functions and collations: argument checks, replacement and
** deletion, and the destructor running exactly once per registration (on replacement, deletion
** or close). Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include "check.h"

static int destroyed;
static void destroy(void *p) { (void)p; destroyed++; }
static void f(sqlite3_context *c, int n, sqlite3_value **v) { (void)n; (void)v; sqlite3_result_int(c, 1); }
static void final(sqlite3_context *c) { sqlite3_result_int(c, 2); }
static int cmp(void *a, int n1, const void *p1, int n2, const void *p2) {
  (void)a; (void)p1; (void)p2; return n1 - n2;
}

int main(void) {
  sqlite3 *db;
  CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_INT(sqlite3_create_function_v2(db, "f1", 1, SQLITE_UTF8, 0, f, 0, 0, destroy), SQLITE_OK);
  CHECK_INT(destroyed, 0);
  /* Replacing calls the old registration's destructor. */
  CHECK_INT(sqlite3_create_function_v2(db, "F1", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, f, 0, 0, destroy), SQLITE_OK);
  CHECK_INT(destroyed, 1);
  /* Another argument count is another function. */
  CHECK_INT(sqlite3_create_function_v2(db, "f1", 2, SQLITE_UTF8, 0, f, 0, 0, destroy), SQLITE_OK);
  CHECK_INT(destroyed, 1);
  /* Deleting (all callbacks NULL). */
  CHECK_INT(sqlite3_create_function_v2(db, "f1", 2, SQLITE_UTF8, 0, 0, 0, 0, 0), SQLITE_OK);
  CHECK_INT(destroyed, 2);
  /* An aggregate and a window function. */
  CHECK_INT(sqlite3_create_function(db, "agg", -1, SQLITE_UTF8, 0, 0, f, final), SQLITE_OK);
  CHECK_INT(sqlite3_create_window_function(db, "win", 1, SQLITE_UTF8, 0, f, final, final, f, destroy), SQLITE_OK);
  /* Misuse: both scalar and aggregate callbacks, too many arguments, half an aggregate. */
  CHECK_INT(sqlite3_create_function(db, "bad", 1, SQLITE_UTF8, 0, f, f, final), SQLITE_MISUSE);
  CHECK_INT(sqlite3_create_function(db, "bad", 128, SQLITE_UTF8, 0, f, 0, 0), SQLITE_MISUSE);
  CHECK_INT(sqlite3_create_function(db, "bad", -2, SQLITE_UTF8, 0, f, 0, 0), SQLITE_MISUSE);
  CHECK_INT(sqlite3_create_function(db, "bad", 1, SQLITE_UTF8, 0, 0, f, 0), SQLITE_MISUSE);

  CHECK_INT(sqlite3_create_collation_v2(db, "rev", SQLITE_UTF8, 0, cmp, destroy), SQLITE_OK);
  CHECK_INT(sqlite3_create_collation_v2(db, "REV", SQLITE_UTF8, 0, cmp, destroy), SQLITE_OK);
  CHECK_INT(destroyed, 3);
  CHECK_INT(sqlite3_create_collation(db, "plain", SQLITE_UTF8, 0, cmp), SQLITE_OK);

  /* Closing runs the remaining destructors: f1/1, win, rev. */
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  CHECK_INT(destroyed, 6);
  return DONE();
}
