#!/bin/sh
# Installs the Debian packages perfcmp needs to build and test.
# As root: apt-get update, then installs what is missing (nothing if all
# is there).  Otherwise: prints the exact command to run and exits 1.
#   --check   only print the missing packages (one line) and exit 1 if any
#   PERFCMP_EXTRA_DEPS=1 adds the packages of the wider targets (fuzzing,
#   browser test, Google Benchmark and hyperfine comparisons, coverage)
#   PERFCMP_COVERAGE_DEPS=1 adds only lcov, for make coverage
set -eu
check_only=0
[ "${1:-}" = "--check" ] && check_only=1

PKGS="build-essential pkg-config libsqlite3-dev libcjson-dev libcmocka-dev bats gnuplot-nox sqlite3 valgrind git python3"
# scdoc makes the man pages; cmake builds the find_package test consumer.
PKGS="$PKGS scdoc cmake"
# libpq for the PostgreSQL store; the server (initdb, pg_ctl; psql comes
# with it) for its tests.
PKGS="$PKGS libpq-dev postgresql"
# Optional extras for the wider test targets (fuzzing, browser, comparison).
if [ "${PERFCMP_EXTRA_DEPS:-0}" = 1 ]; then
    PKGS="$PKGS clang libbenchmark-dev hyperfine chromium lcov"
elif [ "${PERFCMP_COVERAGE_DEPS:-0}" = 1 ]; then
    PKGS="$PKGS lcov"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ "$check_only" = 1 ]; then
    [ -z "$missing" ] && exit 0
    echo "${missing# }"
    exit 1
fi

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "install-deps: installed$missing"
