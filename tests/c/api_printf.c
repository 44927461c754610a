/* sqlite3_mprintf, sqlite3_snprintf and sqlite3_str: SQLite's printf dialect through C
** varargs. Every expected string is what real SQLite 3.40.1 produces (this program runs
** against it too). */
#include <sqlite3.h>
#include "check.h"

static void check_fmt(const char *file, int line, char *got, const char *want) {
  if (got && strcmp(got, want) == 0) check_passed++;
  else {
    check_failed++;
    fprintf(stderr, "%s:%d: got [%s], want [%s]\n", file, line, got ? got : "(null)", want);
  }
  sqlite3_free(got);
}
#define FMT(want, ...) check_fmt(__FILE__, __LINE__, sqlite3_mprintf(__VA_ARGS__), want)

int main(void) {
  FMT("", "%s", "");
  FMT("42|-7|  x|x  |00012", "%d|%i|%3s|%-3s|%05d", 42, -7, "x", "x", 12);
  FMT("9223372036854775807", "%lld", (sqlite3_int64)9223372036854775807LL);
  FMT("-1", "%ld", -1L);
  FMT("4294967295", "%u", 4294967295u);
  FMT("ff|FF|0xff|17", "%x|%X|%#x|%o", 255, 255, 255, 15);
  FMT("1,234,567", "%,d", 1234567);
  FMT("3.14|3.142|  3.1|3.141590e+00", "%.2f|%.3f|%5.1f|%e", 3.14159, 3.14159, 3.14159, 3.14159);
  FMT("0.1|1e+20|1.5", "%g|%g|%g", 0.1, 1e20, 1.5);
  FMT("1.0|1.0e+20", "%!.15g|%!.15g", 1.0, 1e20);
  FMT("it''s|'it''s'|NULL|(NULL)", "%q|%Q|%Q|%q", "it's", "it's", (char *)0, (char *)0);
  FMT("a\"\"b", "%w", "a\"b");
  FMT("abc|", "%.3s|%s", "abcdef", "");
  FMT("A|%", "%c|%%", 'A');
  FMT("|", "%s|%z", (char *)0, (char *)0); /* NULL strings print as nothing */
  {
    char *z = sqlite3_mprintf("%s", "owned");
    FMT("owned!", "%z!", z); /* %z frees its argument */
  }
  {
    char buf[8];
    char *r = sqlite3_snprintf(sizeof(buf), buf, "%s", "hello world");
    CHECK(r == buf);
    CHECK_STR(buf, "hello w");
    sqlite3_snprintf(sizeof(buf), buf, "%d", 12);
    CHECK_STR(buf, "12");
  }
  {
    sqlite3_str *s = sqlite3_str_new(0);
    char *z;
    CHECK(s != 0);
    CHECK_INT(sqlite3_str_errcode(s), SQLITE_OK);
    sqlite3_str_appendf(s, "%d-%s", 7, "x");
    sqlite3_str_append(s, "abcdef", 3);
    sqlite3_str_appendall(s, "!");
    sqlite3_str_appendchar(s, 3, '.');
    CHECK_INT(sqlite3_str_length(s), 10);
    CHECK_STR(sqlite3_str_value(s), "7-xabc!...");
    z = sqlite3_str_finish(s);
    CHECK_STR(z, "7-xabc!...");
    sqlite3_free(z);
    s = sqlite3_str_new(0);
    CHECK(sqlite3_str_finish(s) == 0); /* an empty builder finishes as NULL */
  }
  return DONE();
}
