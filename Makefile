# perfcmp - Makefile
#
#   make                 build libperfcmp.a/.so, perfcmp, the examples
#   make test            unit tests (cmocka) + command-line tests (bats)
#   make demo            build, run the examples, record, compare, plot
#   make DEVELOPER=1     add -Werror
#   make SANITIZE=address,undefined test
#   make install PREFIX=/usr/local DESTDIR=
#   make test-valgrind   the command-line tests with perfcmp under memcheck
#   make test-browser    the HTML report in headless chromium
#   make test-stress     concurrent writers, SIGKILL, SIGINT, full disk
#   make fuzz FUZZ_TIME=60   libFuzzer targets (clang), seconds each
#   make perf            the library's own benchmarks
#   make coverage        make test's tests under gcov: summary and HTML report
#   make V=1             show full command lines
#
# Sources are found by wildcard: a new src/cli/foo.c, tests/unit/test_foo.c,
# tests/perf/foo.c or docs/examples/foo.c needs no change here.

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
CMAKEDIR = $(LIBDIR)/cmake/perfcmp

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wshadow \
           -Wpointer-arith -Wformat=2 -Wno-unused-parameter
ifdef DEVELOPER
WARNINGS += -Werror
endif
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -MMD -MP \
              -Iinclude $(WARNINGS)
ifdef SANITIZE
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS = -fsanitize=$(SANITIZE)
endif

BUILD ?= build$(if $(SANITIZE),-san,)

ifeq ($(V),1)
Q =
say =
else
Q = @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# --- dependencies -------------------------------------------------------
PKG_CONFIG ?= pkg-config
# Missing Debian packages are installed when make runs as root, and named
# with the command to install them otherwise.
ifeq ($(filter clean help lint,$(MAKECMDGOALS)),)
DEPS_ENV := $(if $(filter coverage%,$(MAKECMDGOALS)),PERFCMP_COVERAGE_DEPS=1)
MISSING_PKGS := $(shell $(DEPS_ENV) scripts/install-deps.sh --check 2>/dev/null)
ifneq ($(MISSING_PKGS),)
ifeq ($(shell id -u),0)
$(info installing missing packages: $(MISSING_PKGS))
INSTALL_RC := $(shell $(DEPS_ENV) scripts/install-deps.sh >&2; echo $$?)
ifneq ($(INSTALL_RC),0)
$(error scripts/install-deps.sh failed; missing: $(MISSING_PKGS))
endif
else
$(error missing packages: $(MISSING_PKGS); run as root: apt-get update && apt-get install -y --no-install-recommends $(MISSING_PKGS) (or: sudo scripts/install-deps.sh))
endif
endif
endif
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null)
SQLITE_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 2>/dev/null)
SQLITE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null)
PQ_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpq 2>/dev/null)
PQ_LIBS := $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS = $(BASE_CFLAGS) $(CJSON_CFLAGS) $(SQLITE_CFLAGS) $(PQ_CFLAGS) $(CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(SAN_LDFLAGS) $(LDFLAGS)
SYS_LIBS = -lm -pthread

# --- sources ------------------------------------------------------------
CORE_SRC := $(sort $(wildcard src/core/*.c))
LIB_SRC := $(sort $(wildcard src/lib/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FIXTURE_SRC := $(sort $(wildcard tests/fixtures/*.c))
PERF_SRC := $(sort $(wildcard tests/perf/*.c))
EXAMPLE_SRC := $(sort $(wildcard docs/examples/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJ := $(call obj,$(CORE_SRC))
LIB_OBJ := $(call obj,$(LIB_SRC))
CLI_OBJ := $(call obj,$(CLI_SRC))
CLI_MAIN_OBJ := $(call obj,src/cli/main.c)
CLI_LIB_OBJ := $(filter-out $(CLI_MAIN_OBJ),$(CLI_OBJ))

LIBA := $(BUILD)/libperfcmp.a
LIBSO := $(BUILD)/libperfcmp.so.$(shell sed -n 's/^\#define PERFCMP_VERSION_MAJOR //p' include/perfcmp.h)
LIBSO_LINK := $(BUILD)/libperfcmp.so
PERFCMP := $(BUILD)/perfcmp
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FIXTURE_BIN := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIXTURE_SRC))
PERF_BIN := $(patsubst tests/perf/%.c,$(BUILD)/perf/%,$(PERF_SRC))
EXAMPLE_BIN := $(patsubst docs/examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_SRC))
PC_FILE := $(BUILD)/perfcmp.pc

.PHONY: all lib test test-unit test-cli demo install uninstall clean help perf \
        test-stress test-valgrind fuzz fuzz-objs test-browser \
        check-deps-test lint coverage coverage-run FORCE
all: lib $(PERFCMP) $(EXAMPLE_BIN) $(FIXTURE_BIN) $(PERF_BIN) $(PC_FILE)
lib: $(LIBA) $(LIBSO_LINK)

$(BUILD)/obj/%.o: ALL_CFLAGS += $(OBJ_CFLAGS)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The static library is one relocatable object with every symbol that is
# not marked PERFCMP_API made local, so internal names (stats_median, ...)
# cannot collide with a user's.
$(BUILD)/libperfcmp.o: $(LIB_OBJ) $(CORE_OBJ)
	$(call say,LD,$@)$(LD) -r -o $@.tmp $^ $(LIBA_RUNTIME) && objcopy --localize-hidden $@.tmp $@ && rm -f $@.tmp
$(LIBA): $(BUILD)/libperfcmp.o
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^
$(LIBSO): $(LIB_OBJ) $(CORE_OBJ)
	$(call say,LINK,$@)$(CC) -shared -Wl,-soname,$(notdir $@) $(ALL_LDFLAGS) -o $@ $^ $(CJSON_LIBS) $(SYS_LIBS)
$(LIBSO_LINK): $(LIBSO)
	$(Q)ln -sf $(notdir $<) $@

$(PERFCMP): $(CLI_OBJ) $(CORE_OBJ)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SQLITE_LIBS) $(CJSON_LIBS) $(SYS_LIBS) -ldl

BENCH_LINK = $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBA) $(CJSON_LIBS) $(SYS_LIBS)
$(BUILD)/examples/%: docs/examples/%.c $(LIBA) include/perfcmp.h
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(BENCH_LINK)
$(BUILD)/fixtures/%: tests/fixtures/%.c $(LIBA) include/perfcmp.h
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(BENCH_LINK)
$(BUILD)/perf/%: tests/perf/%.c $(LIBA) include/perfcmp.h
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(BENCH_LINK)

# Unit tests see every internal symbol: they link the objects directly.
$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ) $(LIB_OBJ) $(CLI_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(SQLITE_LIBS) $(PQ_LIBS) $(CJSON_LIBS) $(SYS_LIBS) -ldl

# perfcmp.pc names the install directories, so it is made again whenever
# PREFIX, LIBDIR or INCLUDEDIR differ from the last time (the stamp below
# changes only then).
PC_VARS := $(PREFIX)|$(LIBDIR)|$(INCLUDEDIR)
$(BUILD)/pc-vars: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(PC_VARS)' | cmp -s - $@ || printf '%s\n' '$(PC_VARS)' > $@

FORCE:

$(PC_FILE): include/perfcmp.h Makefile $(BUILD)/pc-vars
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	  'Name: perfcmp' 'Description: micro-benchmark library of the perfcmp regression tracker' \
	  'Version: $(shell sed -n 's/^\#define PERFCMP_VERSION_STRING "\(.*\)"/\1/p' include/perfcmp.h)' \
	  'Requires.private: libcjson' 'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lperfcmp' \
	  'Libs.private: -lm -pthread' > $@

# Man pages: perfcmp(1), perfcmp-COMMAND(1) for each command 'perfcmp --help'
# lists, libperfcmp(3); made from the programs' --help by scdoc
# (scripts/gen-man.sh), so --help and the pages say the same.
MAN_STAMP := $(BUILD)/man/.stamp
$(MAN_STAMP): $(PERFCMP) $(BUILD)/examples/hello scripts/gen-man.sh scripts/help2scd.awk \
              $(wildcard docs/man/*.in)
	$(call say,GEN,$(BUILD)/man)scripts/gen-man.sh $(PERFCMP) $(BUILD)/examples/hello $(BUILD)/man && touch $@

# find_package(perfcmp): the config file finds the library and header
# relative to itself (INCLUDEDIR as seen from LIBDIR), so DESTDIR works.
CMAKE_FILES := $(BUILD)/cmake/perfcmp-config.cmake $(BUILD)/cmake/perfcmp-config-version.cmake
$(BUILD)/cmake/%.cmake: scripts/cmake/%.cmake.in include/perfcmp.h Makefile $(BUILD)/pc-vars
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)sed -e 's|@VERSION@|$(shell sed -n 's/^\#define PERFCMP_VERSION_STRING "\(.*\)"/\1/p' include/perfcmp.h)|g' \
	  -e 's|@MAJOR@|$(shell sed -n 's/^\#define PERFCMP_VERSION_MAJOR //p' include/perfcmp.h)|g' \
	  -e 's|@SONAME@|$(notdir $(LIBSO))|g' -e 's|@SIZEOF_VOID_P@|$(shell echo | $(CC) -dM -E - | sed -n 's/^\#define __SIZEOF_POINTER__ //p')|g' \
	  -e 's|@INCDIR_REL@|$(shell realpath -m --relative-to=$(LIBDIR) $(INCLUDEDIR))|g' $< > $@

.PHONY: man
man: $(MAN_STAMP)
all: $(MAN_STAMP) $(CMAKE_FILES)

# --- tests --------------------------------------------------------------
check-deps-test:
	@command -v bats >/dev/null || { echo "missing dependency: bats (install it with: sudo scripts/install-deps.sh)"; exit 2; }
	@command -v gnuplot >/dev/null || { echo "missing dependency: gnuplot-nox (install it with: sudo scripts/install-deps.sh)"; exit 2; }

test: check-deps-test all $(UNIT_BIN)
	$(Q)BUILD=$(BUILD) scripts/run-tests.sh $(UNIT_BIN)

test-unit: check-deps-test all $(UNIT_BIN)
	$(Q)BUILD=$(BUILD) SKIP_CLI=1 scripts/run-tests.sh $(UNIT_BIN)

test-cli: check-deps-test all
	$(Q)BUILD=$(BUILD) scripts/run-tests.sh

# The HTML report opened in a real headless browser (tests/browser/*.bats).
test-browser: check-deps-test all
	$(Q)if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	      command -v google-chrome >/dev/null; then \
	  PERFCMP_ROOT=$(CURDIR) BUILD=$(BUILD) PERFCMP_BIN=$(CURDIR)/$(PERFCMP) NO_COLOR=1 bats tests/browser; \
	else echo "skipping the browser tests: chromium is not installed (apt-get install chromium)"; fi

# Reliability (docs/reliability.md).  test-stress: concurrent writers and
# readers, SIGKILL during record, disk full (tests/stress/run.sh, minutes).
# test-valgrind: the command-line tests with perfcmp under valgrind memcheck.
# fuzz: libFuzzer targets tests/fuzz/fuzz_*.c built with clang into
# build-fuzz/, FUZZ_TIME seconds each (tests/fuzz/run.sh).
FUZZ_TIME ?= 60
test-stress: check-deps-test all
	$(Q)BUILD=$(BUILD) tests/stress/run.sh

test-valgrind: check-deps-test all
	$(Q)BUILD=$(BUILD) tests/stress/valgrind.sh

fuzz:
	$(Q)FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh

# The objects a fuzz target links (everything but main.c), listed for run.sh.
fuzz-objs: $(CORE_OBJ) $(LIB_OBJ) $(CLI_LIB_OBJ)
	$(Q)printf '%s\n' $^ > $(BUILD)/fuzz-objs.txt

# make coverage: make test's tests with src/ built with gcc --coverage -O0
# into build-cov/ (OBJ_CFLAGS: the benchmarks' own code stays -O2 and
# uninstrumented, as the timing tests expect; forked benchmark children
# write their counts too: PERFCMP_COVERAGE); lines and branches per
# directory and an HTML report in build-cov/coverage/ (scripts/coverage.sh,
# lcov); scripts/coverage-gate.sh holds CI's floors.  LIBA_RUNTIME puts
# libgcov into libperfcmp.a, so that programs link it as they always do.
coverage:
	$(Q)$(MAKE) --no-print-directory BUILD=build-cov SANITIZE= CFLAGS='-O2 -g' \
	  OBJ_CFLAGS='-O0 --coverage -DPERFCMP_COVERAGE' SYS_LIBS='-lm -pthread -lgcov' \
	  LIBA_RUNTIME=$(shell $(CC) -print-file-name=libgcov.a) coverage-run
coverage-run: check-deps-test all $(UNIT_BIN)
	$(Q)BUILD=$(BUILD) scripts/coverage.sh $(UNIT_BIN)

# The library's own benchmarks (figures for docs/performance.md).
perf: all
	$(Q)for b in $(PERF_BIN); do echo "== $$b"; $$b || exit $$?; done

demo: all
	$(Q)BUILD=$(BUILD) scripts/demo.sh

lint:
	$(Q)scripts/check-banned.sh

# --- install ------------------------------------------------------------
install: lib $(PERFCMP) $(PC_FILE) $(MAN_STAMP) $(CMAKE_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(CMAKEDIR)
	install -m 755 $(PERFCMP) $(DESTDIR)$(BINDIR)/perfcmp
	install -m 644 include/perfcmp.h $(DESTDIR)$(INCLUDEDIR)/perfcmp.h
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/libperfcmp.a
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/$(notdir $(LIBSO))
	ln -sf $(notdir $(LIBSO)) $(DESTDIR)$(LIBDIR)/libperfcmp.so
	install -m 644 $(PC_FILE) $(DESTDIR)$(LIBDIR)/pkgconfig/perfcmp.pc
	install -m 644 $(CMAKE_FILES) $(DESTDIR)$(CMAKEDIR)
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(BUILD)/man/libperfcmp.3 $(DESTDIR)$(MANDIR)/man3
	install -m 644 scripts/completion/perfcmp.bash $(DESTDIR)$(BASHCOMPDIR)/perfcmp

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/perfcmp $(DESTDIR)$(INCLUDEDIR)/perfcmp.h \
	  $(DESTDIR)$(LIBDIR)/libperfcmp.a $(DESTDIR)$(LIBDIR)/$(notdir $(LIBSO)) \
	  $(DESTDIR)$(LIBDIR)/libperfcmp.so $(DESTDIR)$(LIBDIR)/pkgconfig/perfcmp.pc \
	  $(DESTDIR)$(CMAKEDIR)/perfcmp-config.cmake $(DESTDIR)$(CMAKEDIR)/perfcmp-config-version.cmake \
	  $(DESTDIR)$(MANDIR)/man1/perfcmp.1 $(DESTDIR)$(MANDIR)/man1/perfcmp-*.1 \
	  $(DESTDIR)$(MANDIR)/man3/libperfcmp.3 $(DESTDIR)$(BASHCOMPDIR)/perfcmp
	rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null || true

clean:
	rm -rf build build-san build-fuzz build-cov

help:
	@sed -n '2,19p' Makefile

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
