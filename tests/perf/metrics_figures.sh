#!/bin/sh
# Figures of docs/metrics.md for issue 5:
#   1. heap accounting: the cost of a malloc/free pair with glibc alone,
#      through the interposer with no region open (what timed samples see,
#      with and without the heap pass), and while counting (the heap pass);
#   2. instruction counts under callgrind (--instr): RUNS runs of the same
#      benchmarks, identical or not;
#   3. complexity fits of tests/fixtures/scaling.c: the class and RMS of
#      each family in RUNS runs.
#
#   tests/perf/metrics_figures.sh [RUNS]          (default 10)
#   BUILD=build-m2 tests/perf/metrics_figures.sh 5
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
runs=${1:-10}
HEAP=$PWD/$BUILD/perf/heap_overhead
METRICS=$PWD/$BUILD/fixtures/metrics
SCALING=$PWD/$BUILD/fixtures/scaling
for b in "$HEAP" "$METRICS" "$SCALING"; do
    [ -x "$b" ] || { echo "metrics_figures: build $b first (make BUILD=$BUILD)" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/metrics_figures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_ns() { date +%s%N; }

echo "== 1. heap accounting: ns per malloc(64) + free pair (best of 15 runs of 10^6 pairs)"
cat > "$tmp/plain.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void)
{
    double best = 1e30;
    for (int r = 0; r < 15; r++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int i = 0; i < 1000000; i++) {
            void *p = malloc(64);
            __asm__ volatile("" : : "r"(p) : "memory");
            free(p);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e6;
        if (ns < best)
            best = ns;
    }
    printf("%.1f\n", best);
    return 0;
}
C
${CC:-cc} -O2 -o "$tmp/plain" "$tmp/plain.c"
echo "glibc alone:                          $("$tmp/plain") ns"
# the timed samples, without and with the heap pass after them
"$HEAP" --no-heap --quiet --out="$tmp/off.json"
"$HEAP" --quiet --out="$tmp/on.json"
python3 - "$tmp/off.json" "$tmp/on.json" <<'PY'
import json, sys
def get(path):
    d = {b["name"]: b for b in json.load(open(path))["benchmarks"]}
    return {n: {m["name"]: m for m in b["metrics"]} for n, b in d.items()}
off, on = get(sys.argv[1]), get(sys.argv[2])
for name in ("malloc_free", "no_alloc"):
    print("%-12s timed, --no-heap:     %6.1f ns (min %.1f)" % (name, off[name]["wall_time"]["summary"]["median"], off[name]["wall_time"]["summary"]["min"]))
    print("%-12s timed, heap pass on:  %6.1f ns (min %.1f)" % (name, on[name]["wall_time"]["summary"]["median"], on[name]["wall_time"]["summary"]["min"]))
print("malloc_free  heap pass: allocs %g, alloc_bytes %g, leaked %g per iteration" % tuple(
    on["malloc_free"][m]["samples"][0] for m in ("allocs", "alloc_bytes", "leaked_bytes")))
PY
# the heap pass itself: 10^6 counted pairs; run time with and without it
for mode in off on; do
    for r in 1 2 3 4 5; do
        t0=$(now_ns)
        if [ $mode = off ]; then "$HEAP" --filter=malloc_free --samples=1 --no-heap --quiet; else "$HEAP" --filter=malloc_free --samples=1 --quiet; fi
        echo $(( $(now_ns) - t0 ))
    done | median > "$tmp/t_$mode"
done
awk -v off="$(cat "$tmp/t_off")" -v on="$(cat "$tmp/t_on")" 'BEGIN {
    printf "run of malloc_free, 1 sample: %.1f ms with --no-heap, %.1f ms with the heap pass (median of 5)\n", off / 1e6, on / 1e6
    printf "counting while the heap pass runs:    %.1f ns per pair\n", (on - off) / 1e6 }'

echo
echo "== 2. instructions per iteration under callgrind, $runs runs (--instr --instr-iterations=100)"
i=0
while [ $i -lt "$runs" ]; do
    "$METRICS" --filter='work/*' --filter='mallocs/*' --filter=reallocs --min-time=0.01 --samples=3 \
        --instr --instr-iterations=100 --quiet --out="$tmp/i$i.json"
    i=$((i + 1))
done
python3 - "$tmp" "$runs" <<'PY'
import json, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
counts = {}
for i in range(runs):
    for b in json.load(open("%s/i%d.json" % (tmp, i)))["benchmarks"]:
        for m in b["metrics"]:
            if m["name"] == "instructions":
                counts.setdefault(b["name"], []).append(m["samples"][0])
for name, v in counts.items():
    print("%-14s %s  %s" % (name, "identical in %d runs:" % len(v) if len(set(v)) == 1 else "DIFFER:", sorted(set(v))))
PY

echo
echo "== 3. complexity fits of tests/fixtures/scaling.c, $runs runs (--min-time=0.01 --samples=20, as tests/cli/metrics.bats)"
i=0
while [ $i -lt "$runs" ]; do
    "$SCALING" --min-time=0.01 --samples=20 --no-heap --quiet --out="$tmp/s$i.json"
    i=$((i + 1))
done
python3 - "$tmp" "$runs" <<'PY'
import json, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
fits = {}
for i in range(runs):
    for c in json.load(open("%s/s%d.json" % (tmp, i))).get("complexity", []):
        fits.setdefault(c["family"], []).append((c["class"], c["rms"]))
for fam, v in fits.items():
    classes = {}
    for cls, _ in v:
        classes[cls] = classes.get(cls, 0) + 1
    rms = sorted(r for _, r in v)
    print("%-6s %s; rms median %.1f%%, max %.1f%%" % (fam, ", ".join("%s %d/%d" % (k, n, len(v)) for k, n in classes.items()),
          100 * rms[len(rms) // 2], 100 * rms[-1]))
PY
