#!/usr/bin/env bash
# Measures the same three functions (FNV-1a over 64 KiB, qsort of 1024
# ints, memcpy of 64 KiB) with libperfcmp (docs/examples/bench_examples.c)
# and with Google Benchmark (tests/perf/gbench_compare.cc), and prints the
# medians side by side and the wall time each run needed.
#
#   scripts/compare-gbench.sh            (BUILD=build by default)
#
# Needs g++, libbenchmark-dev and python3.  Both sides take 30 samples
# within about 0.5 s per benchmark: libperfcmp by default, Google Benchmark
# with --benchmark_repetitions=30 --benchmark_min_time=0.0167.  Google
# Benchmark with its own defaults (one run of at least 0.5 s, no median)
# is timed as well.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in g++ python3; do
    command -v "$tool" >/dev/null || { echo "error: '$tool' is not installed" >&2; exit 2; }
done
[ -f /usr/include/benchmark/benchmark.h ] ||
    { echo "error: Google Benchmark is not installed (libbenchmark-dev)" >&2; exit 2; }

make -s BUILD="$BUILD" "$BUILD/examples/bench_examples"
g++ -O2 -g -std=c++17 -o "$tmp/gbench_compare" tests/perf/gbench_compare.cc -lbenchmark -lpthread

now() { date +%s.%N; }

t0=$(now)
"$BUILD/examples/bench_examples" --quiet --filter=fnv1a/65536 --filter=qsort/1024 \
    --filter=memcpy/65536 --out="$tmp/perfcmp.json"
t1=$(now)
"$tmp/gbench_compare" --benchmark_repetitions=30 --benchmark_min_time=0.0167 \
    --benchmark_report_aggregates_only=true --benchmark_format=json \
    --benchmark_out="$tmp/gbench.json" --benchmark_out_format=json >/dev/null 2>&1
t2=$(now)
"$tmp/gbench_compare" >/dev/null 2>&1
t3=$(now)

python3 - "$tmp/perfcmp.json" "$tmp/gbench.json" "$t0" "$t1" "$t2" "$t3" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
theirs = json.load(open(sys.argv[2]))
t0, t1, t2, t3 = map(float, sys.argv[3:7])

def fmt(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= div:
            return "%.3g %s" % (ns / div, unit)
    return "%.3g ns" % ns

scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
print("%-14s %14s %14s %14s %14s %7s" % ("benchmark", "perfcmp wall", "gbench real",
                                         "perfcmp cpu", "gbench cpu", "ratio"))
for b in ours["benchmarks"]:
    m = {x["name"]: x["summary"]["median"] for x in b["metrics"]}
    g = next(x for x in theirs["benchmarks"]
             if x["run_name"] == b["name"] and x.get("aggregate_name") == "median")
    real = g["real_time"] * scale[g["time_unit"]]
    cpu = g["cpu_time"] * scale[g["time_unit"]]
    print("%-14s %14s %14s %14s %14s %7.3f" % (b["name"], fmt(m["wall_time"]), fmt(real),
                                               fmt(m["cpu_time"]), fmt(cpu), m["wall_time"] / real))
print()
print("wall time of the runs (3 benchmarks):")
print("  perfcmp, defaults (30 samples, 0.5 s budget, fork)   %.2f s" % (t1 - t0))
print("  gbench, 30 repetitions x 0.0167 s                    %.2f s" % (t2 - t1))
print("  gbench, defaults (1 run >= 0.5 s, no median)         %.2f s" % (t3 - t2))
PY
