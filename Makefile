# Ferrolite: build, test and install libsqlite3.so.0.
#
#   make                 build/libsqlite3.so.0 (+ libsqlite3.so link, libsqlite3.a), release mode
#   make test            every test the project has (Rust, C, clients, harness) + summary table
#   make test-long       the deep runs (whole sqllogictest corpus, long random runs, fuzzing)
#   make fuzz            cargo-fuzz targets (fuzz/, FUZZ_SECS s each), then the stable-toolchain fuzz runs
#   make bench           benchmarks: the same workloads on real SQLite and Ferrolite, with ratios
#   make shell           build, then open the system sqlite3 shell on Ferrolite (demo database)
#   make install PREFIX=/usr/local DESTDIR=
#
# The shared library is linked here from cargo's static archive so that the version script
# (capi/sqlite3.map) decides exactly which symbols are exported, and so that every symbol the
# C API needs is pulled in (-u for each sqlite3_*/libsql_* symbol the archive defines).

CARGO    ?= cargo
CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
BUILD    := build
ARCHIVE  := target/release/libsqlite3.a
VERSION  := 3.40.1
SHARED   := ../shared
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

.PHONY: all cargo-release test test-rust test-c test-abi test-install test-python test-realistic test-long test-long-rust fuzz \
        deps shell install summary clean bench

all: $(BUILD)/libsqlite3.so.0 $(BUILD)/libsqlite3.so $(BUILD)/libsqlite3.a

cargo-release:
	$(CARGO) build --release --lib -p ferrolite

$(BUILD)/libsqlite3.so.0: cargo-release capi/sqlite3.map
	@mkdir -p $(BUILD)
	$(CC) -shared -o $@.tmp -Wl,-soname,libsqlite3.so.0 \
	  -Wl,--version-script=capi/sqlite3.map -Wl,--gc-sections -Wl,-z,defs -Wl,-z,now \
	  $$(nm -g --defined-only $(ARCHIVE) 2>/dev/null | \
	     awk '$$2 ~ /^[TDBR]$$/ && $$3 ~ /^(sqlite3|libsql_)/ {print "-Wl,-u," $$3}' | sort -u) \
	  $(ARCHIVE) $(NATIVE_LIBS)
	@mv $@.tmp $@

$(BUILD)/libsqlite3.so: $(BUILD)/libsqlite3.so.0
	ln -sf libsqlite3.so.0 $@

$(BUILD)/libsqlite3.a: cargo-release
	@mkdir -p $(BUILD)
	cp $(ARCHIVE) $@

# The comparison oracle (Debian's SQLite 3.40.1) and the tools the tests use.
deps:
	@missing=""; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	test -e /usr/include/sqlite3.h || missing="$$missing libsqlite3-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null; \
	fi

test: deps all
	@mkdir -p $(BUILD)/results && rm -f $(BUILD)/results/*
	@$(MAKE) --no-print-directory -k test-rust test-abi test-c test-install test-python test-realistic test-harness; \
	  rc=$$?; $(MAKE) --no-print-directory summary; exit $$rc

# Release mode: the crash and randomized storage tests run hundreds of kills and 100,000-op
# workloads, which a debug build would take minutes over.
test-rust:
	@python3 tests/run_suite.py rust -- $(CARGO) test --release --workspace

test-abi: all
	@python3 tests/run_suite.py abi -- sh tests/c/check_abi.sh $(SHARED)/abi

test-c: all
	@python3 tests/run_suite.py c-api -- sh tests/c/run.sh

test-install: all
	@python3 tests/run_suite.py install -- sh tests/c/check_install.sh

test-python: all
	@python3 tests/run_suite.py python-load -- sh tests/c/check_python.sh

bench: deps all
	sh bench/run.sh $(BENCH_ROWS) $(BENCH_RUNS)

test-realistic: all
	@python3 tests/run_suite.py python-realistic -- python3 tests/python/check_realistic.py

# The long mode's Rust part: every ignored test (the whole sqllogictest corpus through the
# parser, the 10-minute parser fuzz run, larger randomized storage runs), in release mode.
test-long-rust:
	$(CARGO) test --release --workspace -- --ignored

test-long: test-long-rust

# Fuzzing. First the cargo-fuzz (libFuzzer + AddressSanitizer) targets of fuzz/ (parse, record,
# btree_page, exec), FUZZ_SECS seconds each, one at a time; cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 unlocks on the stable toolchain. cargo-fuzz is installed when missing
# (`cargo install cargo-fuzz --locked`); FUZZ_TARGETS picks a subset. Crashes land in
# fuzz/artifacts/<target>/ (see fuzz/README.md). Then the stable-toolchain substitutes: the
# parser fuzzer for FUZZ_SECS seconds and the random-damage run against the b-tree and
# integrity_check, in release mode. Not part of `make test` (it is a long run).
FUZZ_SECS    ?= 60
FUZZ_TARGETS ?= parse record btree_page exec
fuzz:
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked || \
	  { echo "cargo-fuzz is missing: run 'cargo install cargo-fuzz --locked'"; exit 1; }
	sh fuzz/make_seeds.sh
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  case $$t in parse|exec) dict=-dict=sql.dict ;; *) dict= ;; esac; \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $$t corpus/$$t -- -max_total_time=$(FUZZ_SECS) $$dict \
	    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 || exit 1; \
	done
	FERROLITE_FUZZ_SECS=$(FUZZ_SECS) $(CARGO) test --release -p ferrolite-engine --test sql_fuzz --test storage_corrupt -- --ignored --nocapture

summary:
	@python3 tests/summary.py $(BUILD)/results

-include mk/harness.mk

shell: all
	@mkdir -p $(BUILD)
	LD_PRELOAD=$(CURDIR)/$(BUILD)/libsqlite3.so.0 sqlite3 $(BUILD)/demo.db

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(BUILD)/libsqlite3.so.0 $(DESTDIR)$(LIBDIR)/libsqlite3.so.$(VERSION)
	ln -sf libsqlite3.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsqlite3.so.0
	ln -sf libsqlite3.so.0 $(DESTDIR)$(LIBDIR)/libsqlite3.so
	install -m 644 $(BUILD)/libsqlite3.a $(DESTDIR)$(LIBDIR)/libsqlite3.a
	install -m 644 include/sqlite3.h include/sqlite3ext.h $(DESTDIR)$(INCDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCDIR@|$(INCDIR)|g' \
	  -e 's|@VERSION@|$(VERSION)|g' sqlite3.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/sqlite3.pc

clean:
	rm -rf $(BUILD)
	$(CARGO) clean
