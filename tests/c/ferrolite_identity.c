/* Ferrolite-only facts (this program runs against Ferrolite alone): the engine names itself
** after the 60-character source-id prefix and in libsql_libversion(), and a C function that is
** not built yet fails with SQLite's documented failure value and a message naming it
** (docs/COMPAT.md lists them). */
#include <sqlite3.h>
#include "check.h"

const char *libsql_libversion(void);

static int auth_cb(void *p, int a, const char *b, const char *c, const char *d, const char *e) {
  (void)p; (void)a; (void)b; (void)c; (void)d; (void)e; return SQLITE_OK;
}

int main(void) {
  sqlite3 *db = 0;
  CHECK(strstr(sqlite3_sourceid(), "ferrolite") != 0);
  CHECK(strncmp(libsql_libversion(), "ferrolite ", 10) == 0);
  CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  /* A function not built yet fails with a message naming it. */
  CHECK_INT(sqlite3_table_column_metadata(db, "main", "t", "c", 0, 0, 0, 0, 0), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "sqlite3_table_column_metadata is not supported yet by Ferrolite");
  /* An authorizer would not be consulted yet, so installing one fails rather than letting
  ** through what it would deny. */
  CHECK_INT(sqlite3_set_authorizer(db, auth_cb, 0), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "sqlite3_set_authorizer is not supported yet by Ferrolite");
  CHECK_INT(sqlite3_set_authorizer(db, 0, 0), SQLITE_OK);
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  return DONE();
}
