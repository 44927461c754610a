/*
 * faultshim.c: a deliberately faulty "library under test" for the harness's self-test.
 *
 * Built by selftest.py into build/harness/faultshim.so, linked against the system
 * libsqlite3, and given to the runners as FERROLITE_LIB. It forwards everything to real
 * SQLite except:
 *   1. sqlite3_prepare_v2 / sqlite3_prepare_v3 abort() the process when the SQL text
 *      contains "ferrolite_crash_me" and sleep forever when it contains "ferrolite_hang_me",
 *      to prove a crash or a hang in the engine costs one item, never the run; and print
 *      to stdout when it contains "ferrolite_print_me" (a library's output must not corrupt
 *      the workers' protocol);
 *      With FAULTSHIM_CRASH_EVERY=N, every Nth prepare in a process aborts (crashes
 *      anywhere, e.g. in the middle of CPython's suite);
 *   2. with FAULTSHIM_CORRUPT=1 in the environment, sqlite3_column_int64 answers one more
 *      than the truth, to prove real clients' suites catch wrong answers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef long long i64;

/* The real library (RTLD_NEXT does not find it from a preloaded object here). */
static void *real_sym(const char *name) {
    static void *lib;
    if (!lib) lib = dlopen("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", RTLD_NOW | RTLD_GLOBAL);
    return lib ? dlsym(lib, name) : NULL;
}

static void check(const char *sql, int n) {
    static long calls;
    const char *every = getenv("FAULTSHIM_CRASH_EVERY");
    if (every && atol(every) > 0 && ++calls % atol(every) == 0) abort();
    if (!sql) return;
    size_t len = n < 0 ? strlen(sql) : (size_t)n;
    if (memmem(sql, len, "ferrolite_crash_me", 18)) abort();
    if (memmem(sql, len, "ferrolite_hang_me", 17)) for (;;) sleep(1000);
    if (memmem(sql, len, "ferrolite_print_me", 18)) { puts("{\"noise\": 1}"); fflush(stdout); }
}

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail) {
    static int (*real)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    if (!real) real = real_sym("sqlite3_prepare_v2");
    check(sql, n);
    return real(db, sql, n, st, tail);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned flags, sqlite3_stmt **st,
                       const char **tail) {
    static int (*real)(sqlite3 *, const char *, int, unsigned, sqlite3_stmt **, const char **);
    if (!real) real = real_sym("sqlite3_prepare_v3");
    check(sql, n);
    return real(db, sql, n, flags, st, tail);
}

i64 sqlite3_column_int64(sqlite3_stmt *st, int i) {
    static i64 (*real)(sqlite3_stmt *, int);
    if (!real) real = real_sym("sqlite3_column_int64");
    i64 v = real(st, i);
    const char *c = getenv("FAULTSHIM_CORRUPT");
    return (c && c[0] == '1') ? v + 1 : v;
}
