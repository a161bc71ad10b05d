#!/usr/bin/env bash
# make coverage: runs the tests of `make test` (the unit test binaries given
# as arguments, then tests/cli) in a build made with gcc --coverage, then
# writes, in $BUILD/coverage/:
#   lcov.info     the counts of src/ (lcov tracefile, lines and branches)
#   summary.txt   lines and branches per directory (src/lib, src/core,
#                 src/cli) and over src/, printed too
#   files.txt     the same per file, the most uncovered lines first
#   html/         genhtml's report (index.html), by directory and file
# Exits with the tests' status (the report is written either way).
#   BUILD   the coverage build directory (default build-cov)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-cov}
out=$BUILD/coverage
rc_opts=(--rc lcov_branch_coverage=1)

for t in lcov genhtml; do
    command -v "$t" >/dev/null || {
        echo "missing dependency: lcov (install it with: sudo PERFCMP_COVERAGE_DEPS=1 scripts/install-deps.sh)"
        exit 2
    }
done

# Counts of an earlier run would add up with this one's.
find "$BUILD" -name '*.gcda' -delete
rm -rf "$out"
mkdir -p "$out"

BUILD=$BUILD scripts/run-tests.sh "$@"
tests_rc=$?

echo
echo "coverage: reading the counts (lcov)"
# geninfo of Debian's lcov 1.16 warns about redefined subroutines on
# stderr: keep its messages in a log and show them only on failure.
if ! lcov --capture --directory "$BUILD/obj" --base-directory . "${rc_opts[@]}" \
        --output-file "$out/all.info" >"$out/lcov.log" 2>&1 ||
   ! lcov --extract "$out/all.info" "$PWD/src/*" "${rc_opts[@]}" \
        --output-file "$out/lcov.info" >>"$out/lcov.log" 2>&1; then
    cat "$out/lcov.log" >&2
    echo "coverage: lcov failed" >&2
    exit 2
fi
rm -f "$out/all.info"
if ! genhtml --quiet "${rc_opts[@]}" --prefix "$PWD" --title "perfcmp make coverage" \
        --output-directory "$out/html" "$out/lcov.info" >>"$out/lcov.log" 2>&1; then
    cat "$out/lcov.log" >&2
    echo "coverage: genhtml failed" >&2
    exit 2
fi

scripts/coverage-summary.sh "$out/lcov.info" --files >"$out/files.txt"
scripts/coverage-summary.sh "$out/lcov.info" | tee "$out/summary.txt"
echo "coverage: report in $out/html/index.html, per file in $out/files.txt"
exit "$tests_rc"
