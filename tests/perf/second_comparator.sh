#!/usr/bin/env bash
# Shows that qsort/1024's gap between libperfcmp and Google Benchmark
# (issue 13) came from the benchmark's own code, not from the library:
# one untimed qsort with a second comparator after the loop slows the
# timed sorts of the next sample down, under either tool.
#
#   tests/perf/second_comparator.sh [ROUNDS [ITERATIONS]]   (10, 100)
#
# Builds tests/perf/second_comparator.c (libperfcmp) and
# second_comparator_gbench.cc (Google Benchmark), each with one comparator
# and with -DSECOND_COMPARATOR, and runs the four ROUNDS times, in an order
# that rotates each round, with ITERATIONS iterations per sample on both
# sides and 30 samples: 100 iterations show what the first sorts after
# the second comparator pay; 870, a whole 16.7 ms sample at about 19 us.
# Prints each round's CPU-time medians, then the median over the rounds
# and the ratios, of the medians and of the fastest samples (which other
# jobs on a busy machine disturb least).  Then second_comparator_plain.c,
# with no library at all.
# Needs g++, libbenchmark-dev and python3.  BUILD=build by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROUNDS=${1:-10}
ITER=${2:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in g++ python3; do
    command -v "$tool" >/dev/null || { echo "error: '$tool' is not installed" >&2; exit 2; }
done
[ -f /usr/include/benchmark/benchmark.h ] ||
    { echo "error: Google Benchmark is not installed (libbenchmark-dev)" >&2; exit 2; }

make -s BUILD="$BUILD" "$BUILD/libperfcmp.a"
# the flags the Makefile gives the examples
cflags="-std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -Iinclude -O2 -g"
libs="$BUILD/libperfcmp.a -lcjson -lm -pthread"
# shellcheck disable=SC2086
{
    cc $cflags -o "$tmp/perfcmp_one" tests/perf/second_comparator.c $libs
    cc $cflags -DSECOND_COMPARATOR -o "$tmp/perfcmp_two" tests/perf/second_comparator.c $libs
    g++ -O2 -g -std=c++17 -o "$tmp/gbench_one" tests/perf/second_comparator_gbench.cc -lbenchmark -lpthread
    g++ -O2 -g -std=c++17 -DSECOND_COMPARATOR -o "$tmp/gbench_two" \
        tests/perf/second_comparator_gbench.cc -lbenchmark -lpthread
    cc -std=c11 -D_GNU_SOURCE -O2 -g -o "$tmp/plain" tests/perf/second_comparator_plain.c
}

python3 - "$tmp" "$ROUNDS" "$ITER" <<'PY'
import json, os, statistics, subprocess, sys
tmp, rounds, it = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = ["perfcmp_one", "perfcmp_two", "gbench_one", "gbench_two"]
out = os.path.join(tmp, "out.json")

def run(name):
    exe = os.path.join(tmp, name)
    if name.startswith("perfcmp"):
        subprocess.run([exe, "--iterations=%d" % it, "--quiet", "--out=" + out],
                       check=True, stdout=subprocess.DEVNULL)
        b = json.load(open(out))["benchmarks"][0]
        s = next(m for m in b["metrics"] if m["name"] == "cpu_time")["summary"]
        return s["median"], s["min"]
    subprocess.run([exe, "--benchmark_repetitions=30", "--benchmark_out=" + out,
                    "--benchmark_out_format=json"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, ITERATIONS=str(it)))
    bs = json.load(open(out))["benchmarks"]
    unit = {"ns": 1, "us": 1e3, "ms": 1e6}[bs[0]["time_unit"]]
    g = next(x for x in bs if x.get("aggregate_name") == "median")
    low = min(x["cpu_time"] for x in bs if x.get("run_type") == "iteration")
    return g["cpu_time"] * unit, low * unit

res = {n: [] for n in names}
print("qsort/1024, CPU-time median of 30 samples of %d iterations, in us" % it)
print("round  load   " + "  ".join("%12s" % n for n in names))
for r in range(rounds):
    for n in names[r % 4:] + names[:r % 4]:
        res[n].append(tuple(v / 1e3 for v in run(n)))
    load = open("/proc/loadavg").read().split()[0]
    print("%5d  %5s  " % (r + 1, load) + "  ".join("%12.2f" % res[n][-1][0] for n in names), flush=True)
for k, what in ((0, "median"), (1, "fastest")):
    print("%-13s " % ("median, " + what) + "  ".join("%12.2f" % statistics.median(x[k] for x in res[n]) for n in names))

def ratio(a, b, k):
    return statistics.median([x[k] / y[k] for x, y in zip(res[a], res[b])])
print()
print("median of the rounds' ratios                                       medians  fastest")
for what, a, b in (("second comparator, libperfcmp", "perfcmp_two", "perfcmp_one"),
                   ("second comparator, Google Benchmark", "gbench_two", "gbench_one"),
                   ("the tools, one comparator", "perfcmp_one", "gbench_one"),
                   ("the tools, second comparator", "perfcmp_two", "gbench_two")):
    print("  %-36s %-12s / %-12s %6.3f  %6.3f" % (what, a, b, ratio(a, b, 0), ratio(a, b, 1)))
PY
echo
echo "no library: plain sorts after one sort with the same or another comparator"
"$tmp/plain" 1000 40
