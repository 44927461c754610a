/* URI filenames: how open_v2 reads `file:` names (authority, escapes, mode, cache, vfs), what
** sqlite3_db_filename returns, and the sqlite3_uri_* / sqlite3_filename_* readers. Runs
** against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static const int RWC = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

static void open_fails(const char *uri, int flags, int rc, const char *msg) {
  sqlite3 *db = 0;
  CHECK_INT(sqlite3_open_v2(uri, &db, flags, 0), rc);
  CHECK(db != 0);
  CHECK_STR(sqlite3_errmsg(db), msg);
  CHECK(sqlite3_db_filename(db, "main") == 0);
  CHECK_INT(sqlite3_db_readonly(db, "main"), -1);
  sqlite3_close(db);
}

int main(void) {
  char path[] = "/tmp/ferrolite-uri-XXXXXX";
  char uri[256];
  int fd = mkstemp(path); /* an empty file is an empty database */
  sqlite3 *db = 0;
  const char *f;
  close(fd);

  open_fails("file://other/tmp/x.db", RWC, SQLITE_ERROR, "invalid uri authority: other");
  open_fails("file:/tmp/x.db?mode=xx", RWC, SQLITE_ERROR, "no such access mode: xx");
  open_fails("file:/tmp/x.db?mode=rwc", SQLITE_OPEN_READONLY, SQLITE_PERM, "access mode not allowed: rwc");
  open_fails("file:/tmp/x.db?cache=zz", RWC, SQLITE_ERROR, "no such cache mode: zz");
  open_fails("file:/tmp/x.db?vfs=nope", RWC, SQLITE_ERROR, "no such vfs: nope");

  snprintf(uri, sizeof uri, "file://localhost%s?mode=ro&a=x%%20y&b=off&a=2&flag&n=0x10#frag", path);
  CHECK_INT(sqlite3_open_v2(uri, &db, RWC, 0), SQLITE_OK);
  f = sqlite3_db_filename(db, "main");
  CHECK_STR(f, path);
  CHECK_INT(sqlite3_db_readonly(db, "main"), 1);
  CHECK_STR(sqlite3_uri_parameter(f, "mode"), "ro");
  CHECK_STR(sqlite3_uri_parameter(f, "a"), "x y");
  CHECK_STR(sqlite3_uri_parameter(f, "flag"), "");
  CHECK(sqlite3_uri_parameter(f, "missing") == 0);
  CHECK_INT(sqlite3_uri_boolean(f, "b", 1), 0);
  CHECK_INT(sqlite3_uri_boolean(f, "missing", 7), 1);
  CHECK_INT(sqlite3_uri_int64(f, "n", 5), 16);
  CHECK_INT(sqlite3_uri_int64(f, "a", 5), 5);
  CHECK_STR(sqlite3_uri_key(f, 0), "mode");
  CHECK_STR(sqlite3_uri_key(f, 3), "a");
  CHECK(sqlite3_uri_key(f, 99) == 0);
  CHECK_STR(sqlite3_filename_database(f), path);
  {
    char want[300];
    snprintf(want, sizeof want, "%s-journal", path);
    CHECK_STR(sqlite3_filename_journal(f), want);
    snprintf(want, sizeof want, "%s-wal", path);
    CHECK_STR(sqlite3_filename_wal(f), want);
  }
  CHECK_INT(sqlite3_close(db), SQLITE_OK);

  CHECK_INT(sqlite3_open_v2("file::memory:", &db, RWC, 0), SQLITE_OK);
  CHECK_STR(sqlite3_db_filename(db, "main"), "");
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  CHECK_INT(sqlite3_open_v2("file:whatever?mode=memory", &db, RWC, 0), SQLITE_OK);
  CHECK_STR(sqlite3_db_filename(db, "main"), "");
  CHECK_INT(sqlite3_close(db), SQLITE_OK);

  /* A relative name is reported as the absolute path it opens. */
  CHECK(chdir("/tmp") == 0);
  CHECK_INT(sqlite3_open_v2(path + 5, &db, RWC, 0), SQLITE_OK);
  CHECK_STR(sqlite3_db_filename(db, "main"), path);
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  unlink(path);
  return DONE();
}
