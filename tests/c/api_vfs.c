/* The default VFS as C sees it: found by name and as the default, its file methods work
** (open, write, read, short read, size, locks, close, access, delete), and programs can
** register and unregister VFSes of their own. Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  sqlite3_vfs *v = sqlite3_vfs_find(0);
  char path[] = "/tmp/ferrolite-vfs-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  unlink(path);
  CHECK(v != 0);
  CHECK_STR(v->zName, "unix");
  CHECK(sqlite3_vfs_find("unix") == v);
  CHECK(sqlite3_vfs_find("no-such-vfs") == 0);
  CHECK(v->iVersion >= 2);
  CHECK(v->szOsFile >= (int)sizeof(sqlite3_file));
  CHECK(v->mxPathname >= 512);
  {
    sqlite3_file *f = calloc(1, v->szOsFile);
    int out = 0, res = -1;
    sqlite3_int64 size = -1;
    char buf[16];
    char full[600];
    CHECK_INT(v->xOpen(v, path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &out), SQLITE_OK);
    CHECK(f->pMethods != 0);
    CHECK_INT(f->pMethods->xWrite(f, "hello", 5, 0), SQLITE_OK);
    CHECK_INT(f->pMethods->xFileSize(f, &size), SQLITE_OK);
    CHECK_INT(size, 5);
    memset(buf, 'x', sizeof buf);
    CHECK_INT(f->pMethods->xRead(f, buf, 5, 0), SQLITE_OK);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_INT(f->pMethods->xRead(f, buf, 8, 2), SQLITE_IOERR_SHORT_READ);
    CHECK(memcmp(buf, "llo\0\0\0\0\0", 8) == 0); /* the missing bytes read as zeros */
    CHECK_INT(f->pMethods->xSync(f, SQLITE_SYNC_NORMAL), SQLITE_OK);
    CHECK_INT(f->pMethods->xLock(f, SQLITE_LOCK_SHARED), SQLITE_OK);
    CHECK_INT(f->pMethods->xCheckReservedLock(f, &res), SQLITE_OK);
    CHECK_INT(res, 0);
    CHECK_INT(f->pMethods->xLock(f, SQLITE_LOCK_RESERVED), SQLITE_OK);
    CHECK_INT(f->pMethods->xCheckReservedLock(f, &res), SQLITE_OK);
    CHECK_INT(res, 1);
    CHECK_INT(f->pMethods->xUnlock(f, SQLITE_LOCK_NONE), SQLITE_OK);
    CHECK_INT(f->pMethods->xTruncate(f, 2), SQLITE_OK);
    CHECK_INT(f->pMethods->xFileSize(f, &size), SQLITE_OK);
    CHECK_INT(size, 2);
    CHECK_INT(f->pMethods->xFileControl(f, 999999, 0), SQLITE_NOTFOUND);
    CHECK_INT(f->pMethods->xClose(f), SQLITE_OK);
    CHECK_INT(v->xAccess(v, path, SQLITE_ACCESS_EXISTS, &res), SQLITE_OK);
    CHECK_INT(res, 1);
    CHECK_INT(v->xFullPathname(v, path, sizeof full, full), SQLITE_OK);
    CHECK_STR(full, path);
    CHECK_INT(v->xDelete(v, path, 0), SQLITE_OK);
    CHECK_INT(v->xAccess(v, path, SQLITE_ACCESS_EXISTS, &res), SQLITE_OK);
    CHECK_INT(res, 0);
    free(f);
  }
  {
    double now = 0;
    sqlite3_int64 now64 = 0;
    CHECK_INT(v->xCurrentTime(v, &now), SQLITE_OK);
    CHECK(now > 2460000.0); /* a Julian day number after 2023 */
    CHECK_INT(v->xCurrentTimeInt64(v, &now64), SQLITE_OK);
    CHECK(now64 > 2460000LL * 86400000LL);
  }
  /* A program's own VFS (here a copy of the default under another name). */
  {
    static sqlite3_vfs mine;
    mine = *v;
    mine.zName = "mine";
    mine.pNext = 0;
    CHECK_INT(sqlite3_vfs_register(&mine, 0), SQLITE_OK);
    CHECK(sqlite3_vfs_find("mine") == &mine);
    CHECK(sqlite3_vfs_find(0) == v);
    CHECK_INT(sqlite3_vfs_register(&mine, 1), SQLITE_OK);
    CHECK(sqlite3_vfs_find(0) == &mine);
    CHECK_INT(sqlite3_vfs_unregister(&mine), SQLITE_OK);
    CHECK(sqlite3_vfs_find("mine") == 0);
    CHECK(sqlite3_vfs_find(0) == v);
  }
  return DONE();
}
