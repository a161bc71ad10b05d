#!/usr/bin/env bash
# make test-stress: runs every tests/stress/stress_*.sh against $BUILD/perfcmp
# and prints one line per script, then "N passed, N failed".
# Each script prints its figures (processes, runs, kills...) on its last line.
#   BUILD  build directory holding perfcmp (default build)
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD PERFCMP_ROOT=$PWD NO_COLOR=1
export PERFCMP_BIN=${PERFCMP_BIN:-$PWD/$BUILD/perfcmp}
[ -x "$PERFCMP_BIN" ] || { echo "test-stress: $PERFCMP_BIN is missing; run make first" >&2; exit 2; }
passed=0 failed=0
for t in tests/stress/stress_*.sh; do
    echo "== $t"
    if bash "$t"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $t"
    fi
done
echo "test-stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
