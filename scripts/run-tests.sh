#!/usr/bin/env bash
# Runs the unit test binaries given as arguments (cmocka) and then every
# command-line test under tests/cli (bats); prints one closing line
# "N passed, N failed" and exits non-zero if anything failed.
#   BUILD     build directory holding perfcmp and the fixtures (default build)
#   SKIP_CLI  set to 1 to run only the unit tests
#   PERFCMP_TEST_PG  the PostgreSQL pass: unset or "auto" runs it when the
#             server binaries are found (else says in one line why not),
#             0 skips it, 1 requires it (a missing server is a failure).
#             The pass: a private server (tests/pg/server.sh, stopped and
#             removed on exit), whose URL goes to test_store_pg and
#             tests/cli/postgres.bats as PERFCMP_TEST_PG_URL.
#   PERFCMP_TEST_PG_BATS  with that server up, the command-line tests run
#             twice: on SQLite files, then with PERFCMP_TEST_STORE=pg, each
#             test on a PostgreSQL database of its own (tests/cli/
#             helpers.bash), failures named "bats (PostgreSQL): ...".
#             0 leaves the second run out.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
export PERFCMP_ROOT=$PWD
export PERFCMP_BIN=$PWD/$BUILD/perfcmp
export NO_COLOR=1

passed=0
failed=0
failed_names=()

pg_mode=${PERFCMP_TEST_PG:-auto}
pg_dir=
unset PERFCMP_TEST_PG_URL
pg_stop() { if [ -n "$pg_dir" ]; then tests/pg/server.sh stop "$pg_dir"; pg_dir=; fi; }
trap pg_stop EXIT
trap 'pg_stop; exit 130' INT TERM
if [ "$pg_mode" = 0 ]; then
    echo "PostgreSQL tests skipped: PERFCMP_TEST_PG=0"
elif ! tests/pg/server.sh find; then
    echo "PostgreSQL tests skipped: initdb and pg_ctl not found (apt-get install postgresql)"
    if [ "$pg_mode" = 1 ]; then failed=$((failed + 1)); failed_names+=("PERFCMP_TEST_PG=1 but no PostgreSQL server binaries"); fi
elif pg_out=$(tests/pg/server.sh start); then
    pg_dir=$(printf '%s\n' "$pg_out" | sed -n 1p)
    PERFCMP_TEST_PG_URL=$(printf '%s\n' "$pg_out" | sed -n 2p)
    export PERFCMP_TEST_PG_URL
    echo "PostgreSQL tests: private server in $pg_dir"
else
    echo "PostgreSQL tests: the private server did not start"
    if [ "$pg_mode" = 1 ]; then failed=$((failed + 1)); failed_names+=("the PostgreSQL test server did not start"); fi
fi

for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then f=1; fi
    if [ -n "$f" ] && [ "$f" -gt 0 ]; then
        failed=$((failed + f))
        failed_names+=("$t")
    fi
done

# bats_pass STORE LABEL: the command-line tests with PERFCMP_TEST_STORE=STORE,
# their TAP on stdout, counted into the totals; LABEL names its failures.
# Sets skipped to the number of tests skipped.
bats_pass() {
    local tap p f
    tap=$(mktemp)
    PERFCMP_TEST_STORE=$1 bats --tap tests/cli 2>&1 | tee "$tap"
    p=$(grep -c '^ok ' "$tap")
    f=$(grep -c '^not ok ' "$tap")
    skipped=$(grep -c '^ok .* # skip' "$tap")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then failed_names+=("$2: $(grep '^not ok ' "$tap" | tr '\n' ';')"); fi
    if ! grep -q '^1\.\.' "$tap"; then failed=$((failed + 1)); failed_names+=("$2 did not run"); fi
    rm -f "$tap"
}

if [ "${SKIP_CLI:-0}" != 1 ] && ls tests/cli/*.bats >/dev/null 2>&1; then
    bats_pass sqlite bats
    if [ -z "${PERFCMP_TEST_PG_URL:-}" ]; then
        :   # said above why there is no server
    elif [ "${PERFCMP_TEST_PG_BATS:-1}" = 0 ]; then
        echo "bats on PostgreSQL skipped: PERFCMP_TEST_PG_BATS=0"
    else
        bats_pass pg "bats (PostgreSQL)"
        echo "bats on PostgreSQL: the command-line tests ran again, each on a database of its own; $skipped of them skipped (each says why above)"
    fi
fi

echo
if [ "${#failed_names[@]}" -gt 0 ]; then
    printf 'failed: %s\n' "${failed_names[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
