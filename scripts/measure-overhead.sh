#!/usr/bin/env bash
# What libperfcmp itself costs (figures for docs/performance.md):
#  1. tests/perf/overhead: an empty benchmark after loop-cost subtraction,
#     one read of each clock, one pause/resume pair;
#  2. the wall time of a whole run of the examples, with fork isolation
#     (the default) and with --no-fork, against the time budget the
#     benchmarks ask for (instances x --min-time).
#
#   scripts/measure-overhead.sh          (BUILD=build by default)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make -s BUILD="$BUILD" "$BUILD/perf/overhead" "$BUILD/examples/bench_examples"

echo "== $BUILD/perf/overhead"
"$BUILD/perf/overhead"
echo

ex=$BUILD/examples/bench_examples
n=$("$ex" --list --tags='not slow' | wc -l)
now() { date +%s.%N; }
for mode in "" --no-fork; do
    t0=$(now)
    "$ex" --quiet --tags='not slow' $mode
    t1=$(now)
    awk -v n="$n" -v t0="$t0" -v t1="$t1" -v m="${mode:-fork}" 'BEGIN {
        t = t1 - t0
        printf "examples (%d instances, 0.5 s budget each, %s): %.2f s, %.3f s per instance, %.0f%% over the budget\n",
               n, m, t, t / n, (t / (n * 0.5) - 1) * 100 }'
done
