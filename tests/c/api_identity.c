/* Identity, compile options, result-code texts and library-wide calls: what a program asks
** before it opens anything. Runs against real SQLite and Ferrolite alike. */
#include <sqlite3.h>
#include "check.h"

int main(void) {
  CHECK_STR(sqlite3_libversion(), SQLITE_VERSION);
  CHECK_STR(sqlite3_libversion(), "3.40.1");
  CHECK_INT(sqlite3_libversion_number(), SQLITE_VERSION_NUMBER);
  CHECK_INT(sqlite3_libversion_number(), 3040001);
  /* Programs built against the header compare the first 60 characters of the source id. */
  CHECK_INT(strncmp(sqlite3_sourceid(), SQLITE_SOURCE_ID, 60), 0);
  CHECK_STR(sqlite3_version, "3.40.1");
  CHECK_INT(sqlite3_threadsafe(), 1);
  CHECK_INT(sqlite3_initialize(), SQLITE_OK);

  CHECK_INT(sqlite3_compileoption_used("THREADSAFE=1"), 1);
  CHECK_INT(sqlite3_compileoption_used("SQLITE_THREADSAFE"), 1);
  CHECK_INT(sqlite3_compileoption_used("MAX_VARIABLE_NUMBER=250000"), 1);
  CHECK_INT(sqlite3_compileoption_used("NO_SUCH_OPTION"), 0);
  CHECK(sqlite3_compileoption_get(0) != 0);
  CHECK(sqlite3_compileoption_get(-1) == 0);
  CHECK(sqlite3_compileoption_get(100000) == 0);

  CHECK_STR(sqlite3_errstr(SQLITE_OK), "not an error");
  CHECK_STR(sqlite3_errstr(SQLITE_ERROR), "SQL logic error");
  CHECK_STR(sqlite3_errstr(SQLITE_BUSY), "database is locked");
  CHECK_STR(sqlite3_errstr(SQLITE_CONSTRAINT_UNIQUE), "constraint failed");
  CHECK_STR(sqlite3_errstr(SQLITE_ROW), "another row available");
  CHECK_STR(sqlite3_errstr(SQLITE_DONE), "no more rows available");
  CHECK_STR(sqlite3_errstr(SQLITE_ABORT_ROLLBACK), "abort due to ROLLBACK");
  CHECK_STR(sqlite3_errstr(SQLITE_CANTOPEN), "unable to open database file");
  CHECK_STR(sqlite3_errstr(SQLITE_MISUSE), "bad parameter or other API misuse");
  CHECK_STR(sqlite3_errstr(SQLITE_RANGE), "column index out of range");

  CHECK_INT(sqlite3_stricmp("HeLLo", "hello"), 0);
  CHECK(sqlite3_stricmp("a", "B") < 0);
  CHECK(sqlite3_stricmp("b", "A") > 0);
  CHECK_INT(sqlite3_strnicmp("abcX", "ABCy", 3), 0);
  CHECK(sqlite3_strnicmp("abcX", "ABCy", 4) < 0);

  /* Statement completeness, as the shell uses it to know when to run what was typed. */
  CHECK_INT(sqlite3_complete("select 1;"), 1);
  CHECK_INT(sqlite3_complete("select 1"), 0);
  CHECK_INT(sqlite3_complete("select ';'"), 0);
  CHECK_INT(sqlite3_complete("select 1; -- done"), 1);
  CHECK_INT(sqlite3_complete("/* ; */ select 1"), 0);
  CHECK_INT(sqlite3_complete("create trigger t after insert on x begin select 1;"), 0);
  CHECK_INT(sqlite3_complete("create trigger t after insert on x begin select 1; end;"), 1);
  CHECK_INT(sqlite3_complete(""), 0);
  CHECK_INT(sqlite3_complete(";"), 1);

  /* The keyword list: same count as SQLite, every name checks as a keyword, others do not. */
  {
    int i, n = sqlite3_keyword_count(), all = 1, len = 0;
    const char *z = 0;
    CHECK_INT(n, 147);
    for (i = 0; i < n; i++) {
      if (sqlite3_keyword_name(i, &z, &len) != SQLITE_OK || !sqlite3_keyword_check(z, len)) all = 0;
    }
    CHECK(all);
    CHECK_INT(sqlite3_keyword_name(n, &z, &len), SQLITE_ERROR);
    CHECK_INT(sqlite3_keyword_check("select", 6), 1);
    CHECK_INT(sqlite3_keyword_check("SeLeCt", 6), 1);
    CHECK_INT(sqlite3_keyword_check("selector", 8), 0);
    CHECK_INT(sqlite3_keyword_check("temporary", 9), 1);
  }

  /* GLOB and LIKE matching as SQL does it; 0 means a match. */
  CHECK_INT(sqlite3_strglob("a*c", "abbc"), 0);
  CHECK(sqlite3_strglob("a*c", "ABBC") != 0);
  CHECK_INT(sqlite3_strglob("[a-c]?", "bz"), 0);
  CHECK_INT(sqlite3_strlike("a%C", "ABBc", 0), 0);
  CHECK(sqlite3_strlike("a_c", "abbc", 0) != 0);
  CHECK_INT(sqlite3_strlike("a!%", "a%", '!'), 0);
  CHECK(sqlite3_strlike("a!%", "ab", '!') != 0);

  /* Status counters: memory in use is measured; unknown operations are misuse. */
  {
    sqlite3_int64 cur = -1, hi = -1;
    int c = -1, h = -1;
    void *p = sqlite3_malloc(5000);
    CHECK_INT(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0), SQLITE_OK);
    CHECK(cur >= 5000);
    CHECK(hi >= cur);
    CHECK_INT(sqlite3_status(SQLITE_STATUS_MEMORY_USED, &c, &h, 0), SQLITE_OK);
    CHECK(c >= 5000);
    CHECK_INT(sqlite3_status(1000, &c, &h, 0), SQLITE_MISUSE);
    sqlite3_free(p);
  }

  /* The library's allocator: msize reports at least what was asked for. */
  {
    char *p = sqlite3_malloc(100);
    CHECK(p != 0);
    CHECK(sqlite3_msize(p) >= 100);
    p = sqlite3_realloc(p, 1000);
    CHECK(p != 0);
    CHECK(sqlite3_msize(p) >= 1000);
    sqlite3_free(p);
    CHECK(sqlite3_malloc(0) == 0);
    CHECK(sqlite3_realloc(0, 0) == 0);
    sqlite3_free(0);
    p = sqlite3_malloc64(10);
    CHECK(p != 0);
    CHECK(sqlite3_memory_used() > 0);
    sqlite3_free(p);
  }

  /* Mutexes: recursive ones re-enter; static ones are shared. */
  {
    sqlite3_mutex *m = sqlite3_mutex_alloc(SQLITE_MUTEX_RECURSIVE);
    CHECK(m != 0);
    sqlite3_mutex_enter(m);
    CHECK_INT(sqlite3_mutex_try(m), SQLITE_OK);
    sqlite3_mutex_leave(m);
    sqlite3_mutex_leave(m);
    sqlite3_mutex_free(m);
    CHECK(sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_MAIN) == sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_MAIN));
  }

  {
    unsigned char a[16], b[16];
    sqlite3_randomness(16, a);
    sqlite3_randomness(16, b);
    CHECK(memcmp(a, b, 16) != 0);
  }
  return DONE();
}
