# mk/harness.mk: the correctness harness (issue 7), included from the Makefile.
#
#   make test-harness   quick run (part of `make test`): differential scripts, random queries
#                       (seed 1, 2,000 queries), sqllogictest subset, database files both ways,
#                       random write scripts (40 seeds), CPython's test_sqlite3, sqlite3 shell
#                       transcripts; ratcheted against tests/baseline/; summary table
#   make test-long      deep run: whole sqllogictest corpus, plus GEN_COUNT (default 100000)
#                       random queries from GEN_SEED (default time-based), minimised mismatches
#                       saved to tests/regress/
#   make baseline       rewrite tests/baseline/*.txt from a quick run (commit the result)
#   make baseline-long  the same from a long run (adds the whole slt corpus)
#   make harness-selftest  proves the harness itself: real SQLite scores 100%, deliberately
#                       broken / crashing / hanging libraries are caught (needs cc)
#
# The library under test is FERROLITE_LIB (default build/libsqlite3.so.0, built by the main
# Makefile's rule for it); e.g. `make test-harness FERROLITE_LIB=/usr/lib/x86_64-linux-gnu/libsqlite3.so.0`
# measures real SQLite against itself.

PYTHON ?= python3
HARNESS_DIR := tests/harness
FERROLITE_LIB ?= build/libsqlite3.so.0
HARNESS_ENV = FERROLITE_LIB=$(abspath $(FERROLITE_LIB))

.PHONY: test-harness test-long baseline baseline-long harness-selftest

test-harness: $(FERROLITE_LIB)
	$(HARNESS_ENV) $(PYTHON) $(HARNESS_DIR)/run.py quick

test-long: $(FERROLITE_LIB)
	$(HARNESS_ENV) $(PYTHON) $(HARNESS_DIR)/run.py long

baseline: $(FERROLITE_LIB)
	$(HARNESS_ENV) $(PYTHON) $(HARNESS_DIR)/run.py quick --update-baseline

baseline-long: $(FERROLITE_LIB)
	$(HARNESS_ENV) $(PYTHON) $(HARNESS_DIR)/run.py long --update-baseline

harness-selftest:
	$(PYTHON) $(HARNESS_DIR)/selftest.py
