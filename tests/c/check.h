/* A minimal test harness for the C tests: CHECK counts, DONE prints the closing line
** "N passed, M failed" and returns the exit code. Each test program runs against real SQLite
** and against Ferrolite (tests/c/run.sh), so every expectation is checked against the oracle. */
#ifndef FERROLITE_CHECK_H
#define FERROLITE_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) do { \
    if (cond) { check_passed++; } \
    else { check_failed++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if (g_ && w_ && strcmp(g_, w_) == 0) { check_passed++; } \
    else { check_failed++; fprintf(stderr, "%s:%d: %s: got [%s], want [%s]\n", __FILE__, __LINE__, \
                                   #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
  } while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ == w_) { check_passed++; } \
    else { check_failed++; fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, \
                                   #got, g_, w_); } \
  } while (0)

#define DONE() (printf("%d passed, %d failed\n", check_passed, check_failed), check_failed != 0)
#endif
