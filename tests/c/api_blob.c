/* Incremental BLOB I/O: open, read, write, reopen, expiry after the row changes, errors, and
** the transaction a write handle holds (run on real SQLite and on Ferrolite). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  char path[] = "/tmp/ferrolite-blob-XXXXXX";
  int fd = mkstemp(path);
  sqlite3 *db, *other;
  sqlite3_blob *b = 0;
  char buf[64];
  close(fd);
  unlink(path);
  CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_INT(sqlite3_open(path, &other), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, s TEXT, n);"
                             "INSERT INTO t VALUES(1, zeroblob(8), 'hello', 5), (2, randomblob(3000), 'x', NULL)", 0, 0, 0), SQLITE_OK);

  CHECK_INT(sqlite3_blob_open(db, "main", "t", "b", 1, 1, &b), SQLITE_OK);
  CHECK_INT(sqlite3_blob_bytes(b), 8);
  CHECK_INT(sqlite3_blob_write(b, "abc", 3, 2), SQLITE_OK);
  CHECK_INT(sqlite3_blob_write(b, "abc", 3, 6), SQLITE_ERROR);
  CHECK_INT(sqlite3_blob_read(b, buf, 5, 0), SQLITE_OK);
  CHECK(memcmp(buf, "\0\0abc", 5) == 0);
  /* The write transaction is held until the handle closes. */
  CHECK_INT(sqlite3_exec(other, "INSERT INTO t VALUES(3, 'y', 'z', 1)", 0, 0, 0), SQLITE_BUSY);
  CHECK_INT(sqlite3_blob_reopen(b, 2), SQLITE_OK);
  CHECK_INT(sqlite3_blob_bytes(b), 3000);
  CHECK_INT(sqlite3_blob_read(b, buf, 10, 2990), SQLITE_OK);
  CHECK_INT(sqlite3_blob_reopen(b, 1), SQLITE_OK);
  CHECK_INT(sqlite3_blob_close(b), SQLITE_OK);
  CHECK_INT(sqlite3_exec(other, "INSERT INTO t VALUES(3, 'y', 'z', 1)", 0, 0, 0), SQLITE_OK);

  /* A read handle on text; expiry when the row changes. */
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "s", 1, 0, &b), SQLITE_OK);
  CHECK_INT(sqlite3_blob_read(b, buf, 5, 0), SQLITE_OK);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_INT(sqlite3_blob_write(b, "x", 1, 0), SQLITE_READONLY);
  CHECK_INT(sqlite3_exec(db, "UPDATE t SET s = 'hi' WHERE id = 1", 0, 0, 0), SQLITE_OK);
  CHECK_INT(sqlite3_blob_read(b, buf, 1, 0), SQLITE_ABORT);
  CHECK_INT(sqlite3_blob_close(b), SQLITE_OK);

  /* Errors. */
  b = (sqlite3_blob *)1;
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "n", 1, 0, &b), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "cannot open value of type integer");
  CHECK(b == 0);
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "id", 1, 0, &b), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "cannot open value of type null");
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "b", 99, 0, &b), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "no such rowid: 99");
  CHECK_INT(sqlite3_blob_open(db, "main", "nope", "b", 1, 0, &b), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "no such table: main.nope");
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "zz", 1, 0, &b), SQLITE_ERROR);
  CHECK_STR(sqlite3_errmsg(db), "no such column: \"zz\"");

  /* An open handle keeps sqlite3_close from closing. */
  CHECK_INT(sqlite3_blob_open(db, "main", "t", "b", 1, 0, &b), SQLITE_OK);
  CHECK_INT(sqlite3_close(db), SQLITE_BUSY);
  CHECK_INT(sqlite3_blob_close(b), SQLITE_OK);
  CHECK_INT(sqlite3_close(db), SQLITE_OK);
  CHECK_INT(sqlite3_close(other), SQLITE_OK);
  unlink(path);
  return DONE();
}
