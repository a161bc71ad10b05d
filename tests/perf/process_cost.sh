#!/usr/bin/env bash
# process_cost.sh - what several processes per benchmark cost and buy: the
# wall time of the example suite (docs/examples/bench_examples.c, 16
# benchmarks, default samples and budget) with --processes=K, and how far
# its reported medians move from run to run, for K in 1 2 3 6 (default 6).
#
#   tests/perf/process_cost.sh [REPEATS]      (default 5 runs per K)
#
#   BUILD=build   the build directory holding examples/bench_examples
#
# The runs go round-robin over K (1 2 3 6 1 2 3 6 ...), so a slow phase of
# the machine falls on every K alike.  Per K it prints the median wall
# time of its runs and the precision of what a run reports: per
# benchmark, the spread (max/min - 1) of the run's wall_time, taken the
# way the verdict takes it (the median of the process medians), over the
# REPEATS runs; the median and the largest of those spreads over the 16
# benchmarks.  A measurement of this machine now, never an assertion.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
R=${1:-5}
KS=${KS:-1 2 3 6}
B=$BUILD/examples/bench_examples
[ -x "$B" ] || { echo "process_cost.sh: '$B' not built (make BUILD=$BUILD)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$R"); do
    for k in $KS; do
        t0=$(date +%s.%N)
        "$B" --quiet --processes="$k" --out="$tmp/k$k-$r.json"
        t=$(echo "$(date +%s.%N) - $t0" | bc)
        echo "$t" >> "$tmp/t$k"
        printf 'run %d processes=%d: %.2f s (load %s)\n' "$r" "$k" "$t" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
python3 - "$tmp" "$R" $KS <<'PY'
import glob, json, os, statistics as st, sys
tmp, R, ks = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def run_value(m):
    """The metric as the verdict sees a run: median of the process medians."""
    s, counts = m["samples"], m.get("processes") or [len(m["samples"])]
    meds, i = [], 0
    for c in counts:
        meds.append(st.median(s[i:i + c]))
        i += c
    return st.median(meds)

print("%-12s %12s %14s %16s %s" % ("processes", "wall (s)", "spread median", "spread largest", "(largest: benchmark)"))
for k in ks:
    times = [float(x) for x in open(os.path.join(tmp, "t" + k))]
    per = {}
    for r in range(1, R + 1):
        d = json.load(open(os.path.join(tmp, "k%s-%d.json" % (k, r))))
        for b in d["benchmarks"]:
            for m in b["metrics"]:
                if m["name"] == "wall_time" and b["status"] == "ok":
                    per.setdefault(b["name"], []).append(run_value(m))
    spreads = {n: max(v) / min(v) - 1 for n, v in per.items() if len(v) == R}
    worst = max(spreads, key=spreads.get)
    print("%-12s %12.2f %13.1f%% %15.1f%% (%s)" % (k, st.median(times), 100 * st.median(spreads.values()),
                                                  100 * spreads[worst], worst))
PY
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
