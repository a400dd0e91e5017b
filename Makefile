# petitiond: build, run and test.
#
#   make            build build/petitiond (optimised)
#   make run        install missing packages, build, create var/petitiond.db,
#                   load the demo data once, serve http://127.0.0.1:8080
#   make test       install missing packages, build with AddressSanitizer and
#                   UBSan under build/test/, run every test: the unit tests,
#                   then the store conformance suite, integration and the
#                   browser test in Chromium on SQLite, then the same on
#                   PostgreSQL (a cluster of the run's own: scripts/pg-cluster;
#                   logs X.pg.log); the real mail server's test in each
#                   half (an Exim of the half's own: scripts/test-mta);
#                   screenshots in build/test/e2e-artifacts/ (-pg/); last
#                   line is "N passed, M failed", both engines
#   make test-pg    only the PostgreSQL half of make test
#   make test-store the store conformance suite alone, with the fault tests of the
#                   use cases, on the backend that PETITIOND_TEST_STORE names
#                   (unset: SQLite; e.g. 'postgresql:///t{n}?host=DIR&user=petitiond'
#                   on a cluster of `scripts/pg-cluster start DIR`)
#   make lint       house-style checks (scripts/lint: the table of layers, banned.h
#                   everywhere, no SQL printf, writes only in use cases, no SQL in
#                   the integration tests)
#   make crashtest  the crash-safety test in full: a surge of signing while
#                   petitiond is killed with SIGKILL CRASH_KILLS times (20);
#                   make test runs it with 3 kills
#   make cluster    two nodes behind nginx (TLS) on PostgreSQL with a synchronous
#                   standby, to try on https://127.0.0.1:8443/ (scripts/cluster)
#   make failovertest  failover in full: a surge through two nodes while the
#                   primary PostgreSQL is killed and its synchronous standby
#                   promoted, FAILOVER_ROUNDS times (5); make test runs one round
#
# Several builds can share the tree: BUILD=dir picks the output folder.

BUILD     ?= build
TBUILD    ?= $(BUILD)/test
CC        ?= cc
PKGS      := libmicrohttpd sqlite3 libpq jansson libsodium libcurl libxml-2.0 libseccomp
LISTEN    ?= 127.0.0.1:8080
DB        ?= var/petitiond.db

WARN      := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 -fno-common
DEFS      := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CFLAGS    ?= -O2 -g
# The sanitised test build also has the hooks tests use to kill a node at a
# chosen point (grep PETITIOND_TEST_HOOKS); a release build has none.
TEST_HOOKS := -DPETITIOND_TEST_HOOKS
SANITIZE  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer

ALL_CFLAGS = $(WARN) $(DEFS) -Isrc $(PKG_CFLAGS) -MMD -MP

LIB_SRC   := $(sort $(wildcard src/lib/*.c src/core/*.c src/store/*.c src/store/sqlite/*.c src/store/pg/*.c \
                               src/mail/*.c src/jobs/*.c src/workflow/*.c src/http/*.c src/site/*.c \
                               src/web/*.c src/api/*.c src/cmd/*.c))
EMBED_IN  := $(sort $(wildcard templates/*.html templates/mail/*.txt static/* data/jurisdictions/* data/i18n/* \
                               data/demo/* data/api/* data/schema/* sql/sqlite/*.sql \
                               sql/postgresql/*.sql))
UNIT_SRC  := $(sort $(wildcard tests/unit/*_test.c))
INTEG_SRC := $(sort $(wildcard tests/integration/*_test.c))
INTEG_LIB := $(sort $(filter-out $(INTEG_SRC),$(wildcard tests/integration/*.c)))
STORE_SRC := $(sort $(wildcard tests/store/*_test.c))
STORE_LIB := $(sort $(filter-out $(STORE_SRC),$(wildcard tests/store/*.c)))

.PHONY: all run test unit integration lint clean deps demo-db
all: $(BUILD)/petitiond

deps:
	@scripts/install-deps

# make test builds with as many jobs as the machine has cores (a fresh clone
# builds the test and fuzz binaries in about half the time on 2 cores).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# ---- release build -------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/gen/embed $(EMBED_IN)
	$(BUILD)/gen/embed $@ $(EMBED_IN)

$(BUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libpetitiond.a: $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/embedded.o
	rm -f $@
	ar rcs $@ $^

$(BUILD)/petitiond: $(BUILD)/obj/src/main.o $(BUILD)/libpetitiond.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# ---- sanitised test build ----------------------------------------------------
$(TBUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SANITIZE) $(TEST_HOOKS) $(shell pkg-config --cflags cmocka libcurl) -c $< -o $@

$(TBUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SANITIZE) -c $< -o $@

$(TBUILD)/libpetitiond.a: $(LIB_SRC:%.c=$(TBUILD)/obj/%.o) $(TBUILD)/obj/gen/embedded.o
	rm -f $@
	ar rcs $@ $^

$(TBUILD)/petitiond: $(TBUILD)/obj/src/main.o $(TBUILD)/libpetitiond.a
	$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS)

$(TBUILD)/unit/%: $(TBUILD)/obj/tests/unit/%.o $(TBUILD)/libpetitiond.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(TBUILD)/integration/%: $(TBUILD)/obj/tests/integration/%.o \
                         $(INTEG_LIB:%.c=$(TBUILD)/obj/%.o) $(TBUILD)/libpetitiond.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs cmocka libcurl)

# The store conformance suite (tests/store/): each area's test with the fixtures (every
# tests/store/*.c that is not a test), linked with the whole libpetitiond.a: faults_test
# runs the use cases of src/workflow, the intake writer and the mail thread against the
# fixture's store with planned faults (store/faults.h).  A store function declared in
# src/store/ that no test calls fails the build of the suite (scripts/store-coverage).
$(TBUILD)/store/%: $(TBUILD)/obj/tests/store/%.o $(STORE_LIB:%.c=$(TBUILD)/obj/%.o) \
                   $(TBUILD)/libpetitiond.a | $(TBUILD)/store/.covered
	$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(TBUILD)/store/.covered: scripts/store-coverage src/store/store.h \
                          $(wildcard src/store/*.h) $(wildcard tests/store/*.c)
	@mkdir -p $(dir $@)
	@scripts/store-coverage
	@touch $@

# The interoperability test's fixture (tests/interop/tlog_fixture.c): a program
# linked with the library that writes a transparency log as static files, which
# tests/interop/go_test checks with Go's sumdb/note and sumdb/tlog.
$(TBUILD)/interop/%: $(TBUILD)/obj/tests/interop/%.o $(TBUILD)/libpetitiond.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(PKG_LIBS)

# Go's checker of a log (tests/interop/tlogcheck), built offline against Debian's
# golang.org/x/mod when Go is there (tests/interop/go_test builds it too, and
# says so when it cannot); tests/integration/log_test points it at a live site.
GO_DEBIAN := /usr/share/gocode
$(TBUILD)/interop/tlogcheck: tests/interop/tlogcheck/main.go
	@mkdir -p $(dir $@)
	@if command -v go >/dev/null 2>&1 && [ -d $(GO_DEBIAN)/src/golang.org/x/mod/sumdb/tlog ]; then \
	    GO111MODULE=off GOPATH=$(GO_DEBIAN) GOCACHE=$(abspath $(TBUILD))/go-cache GOFLAGS= \
	    GOPROXY=off CGO_ENABLED=0 go build -o $@ ./tests/interop/tlogcheck; \
	else echo "no Go (golang-go, golang-golang-x-mod-dev): $@ not built"; fi

INTEROP_BIN := $(TBUILD)/interop/tlog_fixture $(TBUILD)/interop/tlogcheck
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(TBUILD)/unit/%)
INTEG_BIN := $(INTEG_SRC:tests/integration/%.c=$(TBUILD)/integration/%)
STORE_BIN := $(STORE_SRC:tests/store/%.c=$(TBUILD)/store/%)
# Every integration test runs on both engines, the real mail server's
# (tests/integration/mta_test.c, with the Exim that scripts/run-tests starts
# for each half) too: its e-mail sent once across nodes rests on the
# engine's claims.
INTEG_PG_BIN := $(INTEG_BIN)
# The tests of one backend's own internals (tests/store/sqlite_*, pg_*) run
# in that engine's half of make test only.
STORE_SQLITE_BIN := $(filter-out $(TBUILD)/store/pg_%,$(STORE_BIN))
STORE_PG_BIN     := $(filter-out $(TBUILD)/store/sqlite_%,$(STORE_BIN))

test-build: $(TBUILD)/petitiond $(UNIT_BIN) $(STORE_BIN) $(INTEG_BIN) $(INTEROP_BIN)

# make test-store: only the store conformance suite (PETITIOND_TEST_STORE picks the backend).
.PHONY: test-build test-store store-build test-pg
store-build: $(STORE_BIN)

test-store:
	@$(MAKE) --no-print-directory store-build
	@scripts/run-tests $(TBUILD) $(STORE_BIN)

E2E       := tests/e2e/run
DEPLOY_T  := tests/deploy/cluster_test
# Go's sumdb/note and sumdb/tlog check our log (issue 18), once: the SQLite half.
INTEROP_T := tests/interop/go_test

# make test: the unit tests once, then the engines' halves (scripts/run-tests:
# the binaries after --postgresql run on a cluster it starts and stops; the
# first half takes the last of them once its own are done, so the longest,
# the browser tests, come first).
test: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j$(JOBS) test-build fuzz-build
	@PETITIOND_TEST_STORE= scripts/run-tests $(TBUILD) $(UNIT_BIN) $(FUZZ_BIN) $(STORE_SQLITE_BIN) \
	    $(INTEG_BIN) $(INTEROP_T) $(E2E) --postgresql $(E2E) $(INTEG_PG_BIN) $(STORE_PG_BIN) $(DEPLOY_T)

test-pg: deps
	@$(MAKE) --no-print-directory test-build
	@scripts/run-tests $(TBUILD) --postgresql $(STORE_PG_BIN) $(INTEG_PG_BIN) $(E2E) $(DEPLOY_T)

lint:
	@scripts/lint

# ---- crash safety (full form; make test runs the short one) -----------------
CRASH_KILLS ?= 20
.PHONY: crashtest
crashtest: deps
	@$(MAKE) --no-print-directory $(TBUILD)/petitiond $(TBUILD)/integration/crash_test
	@PETITIOND_CRASH_KILLS=$(CRASH_KILLS) scripts/run-tests $(TBUILD) \
	    $(TBUILD)/integration/crash_test; rc=$$?; \
	    [ $$rc -ne 0 ] || sed -n 's/^# //p' $(TBUILD)/logs/crash_test.log; exit $$rc

# ---- several nodes, to try (scripts/cluster) ----------------------------------
# make cluster: PostgreSQL with a synchronous standby, two nodes, nginx ending TLS
# on https://127.0.0.1:$(CLUSTER_PORT)/ (a self-signed certificate) and the health
# watch, in var/cluster; Ctrl-C stops it all.
CLUSTER_PORT ?= 8443
.PHONY: cluster
cluster: deps
	@$(MAKE) --no-print-directory $(BUILD)/petitiond
	@scripts/cluster stop var/cluster
	@CLUSTER_PORT=$(CLUSTER_PORT) PETITIOND=$(BUILD)/petitiond scripts/cluster run var/cluster

# ---- failover (full form; make test runs one round) ---------------------------
# A primary PostgreSQL cluster and its synchronous standby, two nodes, a surge:
# the primary killed (SIGKILL), the standby promoted, FAILOVER_ROUNDS times
# (each round the lost primary's folder becomes a standby of the new one).
FAILOVER_ROUNDS ?= 5
.PHONY: failovertest
failovertest: deps
	@$(MAKE) --no-print-directory $(TBUILD)/petitiond $(TBUILD)/integration/failover_test
	@PETITIOND_FAILOVER_ROUNDS=$(FAILOVER_ROUNDS) scripts/run-tests $(TBUILD) \
	    --postgresql $(TBUILD)/integration/failover_test; rc=$$?; \
	    [ $$rc -ne 0 ] || grep -h 'round\|without service' $(TBUILD)/logs/failover_test*.log; exit $$rc

# ---- fuzzing (tests/fuzz/) -----------------------------------------------------
# libFuzzer targets, one per parser of untrusted bytes (tests/fuzz/*_fuzz.c), built
# with Debian's clang under $(FBUILD)/: the project's objects with AddressSanitizer,
# UBSan and libFuzzer's coverage (-fsanitize=fuzzer-no-link), each target linked
# with -fsanitize=fuzzer.  `make fuzz` runs each for FUZZ_SECONDS (60) on a copy
# of its seed corpus (tests/fuzz/corpus/TARGET/, the new inputs it finds kept in
# $(FBUILD)/corpus/TARGET/), stopping at the first crash; `make test` and
# `make fuzz-corpus` run each over its seed corpus only (scripts/run-tests), a
# few seconds in all.  tests/fuzz/RESULTS.md records the long runs.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FBUILD       ?= $(BUILD)/fuzz
FUZZ_SAN     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/*_fuzz.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FBUILD)/%)
# clang, unlike gcc, takes a vfprintf() of a function's own format argument
# for a format that is not a literal (-Wformat=2): that one warning is off.
FUZZ_CFLAGS   = $(ALL_CFLAGS) -Wno-format-nonliteral $(FUZZ_SAN) -fsanitize=fuzzer-no-link

$(FBUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FBUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FBUILD)/libpetitiond.a: $(LIB_SRC:%.c=$(FBUILD)/obj/%.o) $(FBUILD)/obj/gen/embedded.o
	rm -f $@
	ar rcs $@ $^

$(FBUILD)/%_fuzz: $(FBUILD)/obj/tests/fuzz/%_fuzz.o $(FBUILD)/libpetitiond.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

.PHONY: fuzz fuzz-build fuzz-corpus
fuzz-build: $(FUZZ_BIN)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@for t in $(FUZZ_BIN); do \
	    name=$$(basename $$t); mkdir -p $(FBUILD)/corpus/$$name; \
	    echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	    $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(FBUILD)/$$name- $(FBUILD)/corpus/$$name \
	        tests/fuzz/corpus/$$name >$(FBUILD)/$$name.log 2>&1 || \
	        { tail -40 $(FBUILD)/$$name.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units' $(FBUILD)/$$name.log; \
	done

# The targets over their seed corpora only, counted as scripts/run-tests does.
fuzz-corpus: fuzz-build
	@scripts/run-tests $(FBUILD) $(FUZZ_BIN)

# ---- running -----------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory $(BUILD)/petitiond
	@mkdir -p $(dir $(DB))
	$(BUILD)/petitiond migrate --db $(DB)
	$(BUILD)/petitiond demo --db $(DB)
	@mkdir -p var/mail
	$(BUILD)/petitiond serve --listen $(LISTEN) --db $(DB) --dev --mail-dir var/mail

# ---- benchmarks ------------------------------------------------------------------
# make bench: release build, then bench/surge.sh (signature intake and confirmations
# on SQLite against raw SQLite and on PostgreSQL against raw PostgreSQL, in a cluster
# of its own; page views on both against nginx; memory and start-up with 1,000,000
# signatures; installs wrk, nginx and sqlite3 when missing; about 18 minutes; the
# table goes to bench/results/surge-DATE.txt).  Not part of `make test`.
.PHONY: bench
BENCH_BIN := $(BUILD)/bench/tokens $(BUILD)/bench/sqlite_baseline $(BUILD)/bench/pg_baseline \
	$(BUILD)/bench/startup $(BUILD)/bench/log_bench

bench: $(BUILD)/petitiond $(BENCH_BIN)
	BUILD=$(BUILD) bench/surge.sh

# make bench-nodes: release build, then bench/nodes.sh (one node against two on one
# PostgreSQL database, in the same run: signatures per second and the CPU each costs in
# the nodes, the database and the load generator; bench/results/nodes-DATE.txt; about 3
# minutes).  Not part of `make test`.
.PHONY: bench-nodes
bench-nodes: $(BUILD)/petitiond
	BUILD=$(BUILD) bench/nodes.sh

# make bench-opendata: release build, then bench/opendata.sh (the CSV and XML exports and
# the JSON API on 5,000 public petitions, uncached against the sqlite3 shell and nginx
# serving the same bytes, cached with wrk against nginx, and peak memory; about 5 minutes;
# the table goes to bench/results/opendata-DATE.txt).  Not part of `make test`.
.PHONY: bench-opendata
bench-opendata: $(BUILD)/petitiond
	BUILD=$(BUILD) bench/opendata.sh

# make bench-count: release build, then bench/count_surge.sh (the count endpoint read
# at 16 connections DURING a surge of signing at 256, with --count-freshness-ms 0 and
# the default, against the same server idle and nginx serving the same bytes;
# BEFORE=path/to/petitiond adds a second binary, rounds interleaved with this one's;
# about 5 minutes with two; the table goes to bench/results/count-surge-DATE.txt).
# Not part of `make test`.
.PHONY: bench-count
bench-count: $(BUILD)/petitiond $(BENCH_BIN)
	BUILD=$(BUILD) BEFORE="$(BEFORE)" bench/count_surge.sh

# make bench-big: release build, then bench/big_petition.sh (issue 16: 10,000,000
# signatures loaded beforehand on one petition, on SQLite and on PostgreSQL: intake at
# 64 connections against the same on an empty database, petitiond's RSS and start-up,
# the time of counts check; about 25 minutes and 20 GB under /tmp; the table goes to
# bench/results/big-petition-DATE.txt).  Not part of `make test`.
.PHONY: bench-big
bench-big: $(BUILD)/petitiond $(BENCH_BIN)
	BUILD=$(BUILD) bench/big_petition.sh

# make bench-log: release build, then bench/log.sh (the public log's costs: confirmations
# with it against without it, a checkpoint at a million entries, storage per entry,
# tiles against the count endpoint; both engines; bench/results/log-DATE.txt; about 10
# minutes).  Not part of `make test`.
.PHONY: bench-log
bench-log: $(BUILD)/petitiond $(BENCH_BIN)
	BUILD=$(BUILD) bench/log.sh

$(BUILD)/bench/tokens: bench/tokens.c $(BUILD)/libpetitiond.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench/sqlite_baseline: bench/sqlite_baseline.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -o $@ $< -lsqlite3

$(BUILD)/bench/pg_baseline: bench/pg_baseline.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags libpq) -o $@ $< \
		$(shell pkg-config --libs libpq) -lpthread

$(BUILD)/bench/log_bench: bench/log_bench.c $(BUILD)/libpetitiond.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench/startup: bench/startup.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CFLAGS) -o $@ $<

clean:
	rm -rf $(BUILD)

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
