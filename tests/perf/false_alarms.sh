#!/usr/bin/env bash
# false_alarms.sh - measured figures for docs/verdicts.md: how often
# `perfcmp compare` calls a regression on an unchanged benchmark (A/A),
# how often it catches a known 10% and 30% slowdown, what `run --confirm=1`
# and the run-to-run noise check (a history of A runs) do to both, and how
# long a comparison of 10,000 benchmarks takes.  The first columns are
# compare without the noise check (--noise-runs=0).
#
#   tests/perf/false_alarms.sh [PAIRS]      (default 50 pairs per scenario;
#                                            0: only the timing)
#
#   BUILD=build-x     build directory (default build): needs perfcmp and
#                     fixtures/slowdown (make BUILD=... all)
#   MIN_TIME=0.05     --min-time of each bench run
#   BIG=10000         benchmarks in the timing files (0 skips the timing)
#
# Each pair is two separate processes of tests/fixtures/slowdown: A with
# PERFCMP_SLOWDOWN=1 and B with the scenario's factor, run back to back, so
# the comparison sees real run-to-run noise (frequency, caches, the other
# jobs on the machine), not just sample-to-sample noise.  Figures are
# measurements of this machine at this moment, not assertions.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PAIRS=${1:-50}
MIN_TIME=${MIN_TIME:-0.05}
BIG=${BIG:-10000}
P=$PWD/$BUILD/perfcmp
FX=$PWD/$BUILD/fixtures/slowdown
for f in "$P" "$FX"; do
    [ -x "$f" ] || { echo "false_alarms.sh: '$f' not built (make BUILD=$BUILD all)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PERFCMP_DB=$tmp/perfcmp.db
export NO_COLOR=1

bench() { # FACTOR OUT
    PERFCMP_SLOWDOWN=$1 "$FX" --quiet --min-time="$MIN_TIME" --out="$2"
}

BENCHES="chain/2000 walk/2000"

# Prints the verdicts of the benchmarks (in BENCHES order) comparing CUR
# with BASE at THRESHOLD, one word each; more compare options may follow.
verdicts() { # CUR BASE THRESHOLD [OPTION...]
    local cur=$1 base=$2 t=$3
    shift 3
    { "$P" compare "$cur" --baseline "$base" --threshold="$t" --format=json "$@" 2>/dev/null ||
        true; } |
        sed -n 's/^[[:space:]]*"verdict":[[:space:]]*"\([a-z]*\)".*/\1/p' | tr '\n' ' '
}

# The final verdicts of `perfcmp run --confirm=1` against BASE at THRESHOLD
# (its runs go to a database of their own, without the noise check).
confirmed() { # FACTOR BASE THRESHOLD
    { PERFCMP_DB=$tmp/confirm.db PERFCMP_SLOWDOWN=$1 "$P" run --quiet --confirm=1 --noise-runs=0 \
        --baseline "$2" --threshold="$3" --format=json -- "$FX" --min-time="$MIN_TIME" \
        2>/dev/null || true; } |
        sed -n 's/^[[:space:]]*"verdict":[[:space:]]*"\([a-z]*\)".*/\1/p' | tr '\n' ' '
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d/%d (%.0f%%)", a, b, b ? 100 * a / b : 0 }'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$PAIRS pairs per scenario, --min-time=$MIN_TIME, 30 samples, alpha 0.01"
echo
[ "$PAIRS" -gt 0 ] && printf '%-11s %-7s %-9s %-14s %-14s %-14s %-14s %s\n' benchmark factor threshold \
    regressed inconclusive improved "--confirm=1" "with history"
declare -A count=()
factors="1.0 1.1 1.3"
[ "$PAIRS" -gt 0 ] || factors=
for factor in $factors; do
    for _ in $(seq "$PAIRS"); do
        bench 1.0 "$tmp/a.json"
        bench "$factor" "$tmp/b.json"
        # A is the reference branch: its runs are the history that the
        # noise check of the last column reads (from its 6th run on).
        "$P" record "$tmp/a.json" > /dev/null
        for t in 5 20; do
            read -r -a v <<< "$(verdicts "$tmp/b.json" "$tmp/a.json" "$t%" --noise-runs=0)"
            read -r -a h <<< "$(verdicts "$tmp/b.json" "$tmp/a.json" "$t%")"
            read -r -a c <<< "$(confirmed "$factor" "$tmp/a.json" "$t%")"
            k=0
            for b in $BENCHES; do
                key="$b $factor $t"
                count[$key ${v[$k]:-none}]=$(( ${count[$key ${v[$k]:-none}]:-0} + 1 ))
                count[$key confirmed-${c[$k]:-none}]=$(( ${count[$key confirmed-${c[$k]:-none}]:-0} + 1 ))
                count[$key history-${h[$k]:-none}]=$(( ${count[$key history-${h[$k]:-none}]:-0} + 1 ))
                k=$((k + 1))
            done
        done
    done
    for b in $BENCHES; do
        for t in 5 20; do
            key="$b $factor $t"
            printf '%-11s %-7s %-9s %-14s %-14s %-14s %-14s %s\n' "$b" "${factor}x" "$t%" \
                "$(pct "${count[$key regressed]:-0}" "$PAIRS")" \
                "$(pct "${count[$key inconclusive]:-0}" "$PAIRS")" \
                "$(pct "${count[$key improved]:-0}" "$PAIRS")" \
                "$(pct "${count[$key confirmed-regressed]:-0}" "$PAIRS")" \
                "$(pct "${count[$key history-regressed]:-0}" "$PAIRS")"
        done
    done
done

[ "$BIG" -gt 0 ] || exit 0
echo
# Two files of BIG benchmarks x 30 samples (normal noise, 5% sd); one
# benchmark in a hundred 30% slower in the second.
gen() { # SEED SLOW OUT
    awk -v seed="$1" -v slow="$2" -v n="$BIG" 'BEGIN {
        srand(seed)
        printf "{\"schema\":\"perfcmp-results\",\"version\":1,\"context\":{\"timestamp\":\"2026-11-23T10:00:00Z\",\"host\":\"h\",\"cpu_model\":\"c\",\"cpu_count\":2,\"os\":\"Linux\",\"kernel\":\"k\",\"arch\":\"x86_64\",\"compiler\":\"cc\",\"cflags\":\"\",\"library_version\":\"0.1.0\",\"command\":\"gen\",\"git\":null},\"benchmarks\":["
        for (i = 0; i < n; i++) {
            c = (100 + i % 1000) * ((slow && i % 100 == 0) ? 1.3 : 1)
            printf "%s{\"name\":\"bench/%d\",\"family\":\"bench\",\"args\":[%d],\"tags\":[],\"status\":\"ok\",\"iterations\":100,\"metrics\":[{\"name\":\"wall_time\",\"unit\":\"ns\",\"direction\":\"lower\",\"samples\":[", i ? "," : "", i, i
            for (j = 0; j < 30; j++) {
                z = sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand())
                printf "%s%.3f", j ? "," : "", c * (1 + 0.05 * z)
            }
            printf "]}]}"
        }
        printf "]}\n"
    }' > "$3"
}
gen 1 0 "$tmp/big-base.json"
gen 2 1 "$tmp/big-cur.json"
best() { # COMMAND...: the fastest of three runs, "REAL s wall, USER s CPU"
    local b="" t
    for _ in 1 2 3; do
        t=$( { TIMEFORMAT='%R %U'; time "$@" > "$tmp/out.txt" 2>&1; } 2>&1 ) || true
        t=${t##*$'\n'}
        if [ -z "$b" ] || awk -v t="${t%% *}" -v b="${b%% *}" 'BEGIN { exit !(t < b) }'; then b=$t; fi
    done
    echo "${b%% *} s wall, ${b##* } s CPU"
}
t_files=$(best "$P" compare "$tmp/big-cur.json" --baseline "$tmp/big-base.json")
echo "compare $BIG benchmarks x 30 samples, two files:        $t_files ($(tail -n 1 "$tmp/out.txt"))"
rm -f "$PERFCMP_DB"
"$P" record "$tmp/big-base.json" > /dev/null
# (the baseline file goes to the temporary directory, not to the
# repository's baselines/)
if "$P" baseline save --dir "$tmp/baselines" > /dev/null 2>&1; then
    "$P" record "$tmp/big-cur.json" > /dev/null
    t_db=$(best "$P" compare)
    echo "compare $BIG benchmarks x 30 samples, from the database: $t_db ($(tail -n 1 "$tmp/out.txt"))"
fi
