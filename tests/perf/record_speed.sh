#!/bin/sh
# How long `perfcmp record` takes to store a big result file, and how long
# `show` and `baseline save` take to read it back.
#
#   tests/perf/record_speed.sh [BENCHES] [SAMPLES]     (default 10000 30)
#   BUILD=build-store tests/perf/record_speed.sh
#
# Generates a perfcmp-results file of BENCHES benchmarks with one wall_time
# metric of SAMPLES samples each (deterministic values), records it into a
# fresh database in a temporary directory and prints the wall time of each
# step (best of 3).  The figure goes in docs/performance.md.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PERFCMP=$PWD/$BUILD/perfcmp
benches=${1:-10000}
samples=${2:-30}
[ -x "$PERFCMP" ] || { echo "record_speed: build $PERFCMP first (make BUILD=$BUILD)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/record_speed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

awk -v b="$benches" -v s="$samples" 'BEGIN {
    printf "{\"schema\":\"perfcmp-results\",\"version\":1,\"context\":{"
    printf "\"timestamp\":\"2026-11-23T11:20:00Z\",\"host\":\"perf\",\"cpu_model\":\"Perf CPU\","
    printf "\"cpu_count\":2,\"os\":\"Linux\",\"kernel\":\"6.1.0\",\"arch\":\"x86_64\","
    printf "\"compiler\":\"cc\",\"cflags\":\"\",\"library_version\":\"0.1.0\",\"command\":\"gen\","
    printf "\"git\":null},\"benchmarks\":["
    for (i = 0; i < b; i++) {
        printf "%s{\"name\":\"bench/%d\",\"family\":\"bench\",\"args\":[%d],\"tags\":[],", (i ? "," : ""), i, i
        printf "\"status\":\"ok\",\"iterations\":100,\"metrics\":[{\"name\":\"wall_time\","
        printf "\"unit\":\"ns\",\"direction\":\"lower\",\"samples\":["
        for (j = 0; j < s; j++) printf "%s%.17g", (j ? "," : ""), 1000 + 10 * i + j + (j * 7919 % 97) / 97.0
        printf "]}]}"
    }
    printf "]}\n"
}' > "$tmp/big.json"

now() { date +%s.%N; }
best() {    # best LABEL COMMAND...: best wall time of 3 runs
    label=$1
    shift
    b=
    for _ in 1 2 3; do
        t0=$(now)
        "$@" > /dev/null
        t1=$(now)
        t=$(echo "$t1 - $t0" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
    done
    printf '%-44s %8.3f s\n' "$label" "$b"
}

size=$(wc -c < "$tmp/big.json")
echo "file: $benches benchmarks x $samples samples, $((size / 1024)) KiB"
# each record into a fresh database, so the three runs measure the same work
rec() { rm -f "$tmp/db"*; "$PERFCMP" --db "$tmp/db" record "$tmp/big.json"; }
best "perfcmp record (fresh database)" rec
rec > /dev/null
"$PERFCMP" --db "$tmp/db2" record "$tmp/big.json" > /dev/null
best "perfcmp record (database with earlier runs)" "$PERFCMP" --db "$tmp/db2" record "$tmp/big.json"
best "perfcmp show latest" "$PERFCMP" --db "$tmp/db" show latest
best "perfcmp baseline save" "$PERFCMP" --db "$tmp/db" baseline save --dir "$tmp/baselines"
echo "database: $(($(wc -c < "$tmp/db") / 1024)) KiB"
