# Shared by the stress scripts: sourced, not run.
#   PERFCMP_BIN  the binary under test (set by run.sh; default build/perfcmp)
#   STRESS_KEEP  set to 1 to keep the temporary directory for a post-mortem
set -uo pipefail
PERFCMP_ROOT=${PERFCMP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-build}
PERFCMP_BIN=${PERFCMP_BIN:-$PERFCMP_ROOT/$BUILD/perfcmp}
MKRESULTS=$PERFCMP_ROOT/tests/stress/mkresults.sh
export NO_COLOR=1

STRESS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/perfcmp-stress.XXXXXX")
export PERFCMP_DB=$STRESS_TMP/perfcmp.db
stress_cleanup() {
    if [ "${STRESS_KEEP:-0}" = 1 ]; then
        echo "kept $STRESS_TMP" >&2
    else
        rm -rf "$STRESS_TMP"
    fi
}
trap stress_cleanup EXIT

perfcmp() { "$PERFCMP_BIN" "$@"; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# sql DB QUERY: one value or rows separated by '|'
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# Prints the checks every script ends with on DB: integrity, and runs whose
# number of benchmarks is not EXPECTED (a half-written run).
check_db_whole() {
    local db=$1 expected=$2 ic partial
    ic=$(sql "$db" 'PRAGMA integrity_check' 2>&1)
    [ "$ic" = ok ] || fail "integrity_check: $ic"
    partial=$(sql "$db" "SELECT r.id || ':' || (SELECT COUNT(DISTINCT bench_id) FROM results WHERE run_id = r.id) FROM runs r WHERE (SELECT COUNT(DISTINCT bench_id) FROM results WHERE run_id = r.id) != $expected OR r.nbenches != $expected" 2>&1)
    [ -z "$partial" ] || fail "runs without exactly $expected benchmarks (id:count): $(echo $partial | head -c 300)"
}
