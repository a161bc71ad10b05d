#!/usr/bin/env bash
# ci_false_alarms.sh - how often a whole CI run over the example suite
# fails, as a user meets it: the documented recipes, default flags, the
# example suite as shipped (docs/examples/bench_examples.c, 16 benchmarks).
#
#   tests/perf/ci_false_alarms.sh RECIPE SCENARIO [RUNS]   (default 50 runs)
#
#   RECIPE    stored  the stored-baseline recipe of docs/ci.md: the reference
#                     branch records a run every 5 CI runs into a database
#                     it keeps (3 at the start) and saves `perfcmp baseline
#                     save --last=3` after each, a baseline merged from its
#                     newest 3 runs; every CI run is `perfcmp run
#                     --confirm=2 --confirm-delay=30` on a machine with no
#                     database of its own
#             stored1 the same with a baseline of one run (`perfcmp run
#                     --save-baseline`, saved again every 10 CI runs): the
#                     recipe before `--runs` existed
#             ab      the A/B recipe: `perfcmp ab BASE -- HEAD` in one job
#   SCENARIO  aa      HEAD is the unchanged code (A/A): an exit 1 is a false alarm
#             slow30  HEAD's fnv1a/65536 does 30% more work, the other 15 benchmarks
#                     are unchanged: an exit 1 is a catch
#             slow10  10% more work, judged with --threshold=5%
#
#   BUILD=build       build directory with perfcmp and libperfcmp.a
#   PERFCMP=path      another perfcmp (e.g. an older build, for "before" figures)
#   LIB=path          the libperfcmp.a the bench binaries link (default $BUILD's)
#   CONFIRM_DELAY=S   the stored recipes' --confirm-delay (default 30, as
#                     docs/ci.md says; 0 leaves the option out, for a perfcmp
#                     from before it existed)
#   CANARY=1          before every CI run, time a fixed workload that no
#                     scenario changes ($BUILD/fixtures/slowdown: chain/2000,
#                     pure CPU, and walk/2000, a random walk through 4 MiB;
#                     one process, 0.2 s each) and print its medians beside
#                     the run's: does a run that meets a slow phase show it
#                     in a canary as well?  (a study, docs/verdicts.md)
#
# Prints a line per CI run (exit status, seconds, the rows that regressed)
# and a summary.  Figures are measurements of this machine at this
# moment, never assertions; docs/verdicts.md has the ones we measured.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RECIPE=${1:?usage: ci_false_alarms.sh stored|stored1|ab aa|slow30|slow10 [RUNS]}
SCENARIO=${2:?usage: ci_false_alarms.sh stored|stored1|ab aa|slow30|slow10 [RUNS]}
RUNS=${3:-50}
BUILD=${BUILD:-build}
P=${PERFCMP:-$ROOT/$BUILD/perfcmp}
LIB=${LIB:-$ROOT/$BUILD/libperfcmp.a}
for f in "$P" "$LIB"; do
    [ -e "$f" ] || { echo "ci_false_alarms.sh: '$f' not built (make BUILD=$BUILD)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
unset PERFCMP_DB

# The example suite, built as the Makefile builds it; SLOW% more work in
# fnv1a/65536 only (a second hash over SLOW% of the buffer).
build_bench() { # OUT SLOW
    local src=$tmp/bench_$2.c
    if [ "$2" = 0 ]; then
        cp docs/examples/bench_examples.c "$src"
    else
        sed "s|uint64_t h = fnv1a(buf, n);|uint64_t h = fnv1a(buf, n) ^ (n == 65536 ? fnv1a(buf, n * $2 / 100) : 0);|" \
            docs/examples/bench_examples.c > "$src"
        grep -q "n \* $2 / 100" "$src" || { echo "ci_false_alarms.sh: cannot patch the example" >&2; exit 2; }
    fi
    cc -O2 -g -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -Iinclude $(pkg-config --cflags libcjson) \
        -o "$1" "$src" "$LIB" $(pkg-config --libs libcjson) -lm -pthread || exit 2
}

A=$tmp/base/bench
H=$tmp/head/bench
mkdir -p "$tmp/base" "$tmp/head" "$tmp/ci"
build_bench "$A" 0
case $SCENARIO in
aa) build_bench "$H" 0; OPTS=() ;;
slow30) build_bench "$H" 30; OPTS=() ;;
slow10) build_bench "$H" 10; OPTS=(--threshold=5%) ;;
*) echo "ci_false_alarms.sh: unknown scenario '$SCENARIO'" >&2; exit 2 ;;
esac

# The median change of the report's wall_time rows, then the rows that
# regressed or failed, "name(+12.3%)".
regressed() { # FILE
    python3 - "$1" <<'EOF' 2>/dev/null
import json, statistics, sys
d = json.load(open(sys.argv[1]))
ch = [r["change"] for r in d["results"] if r.get("metric") == "wall_time" and r["change"] is not None]
print("suite %+.1f%%" % (100 * statistics.median(ch)) if ch else "suite -",
      " ".join("%s(%+.1f%%)" % (r["benchmark"], 100 * r["change"] if r["change"] is not None else 0)
               for r in d["results"] if r["verdict"] in ("regressed", "failed")))
EOF
}

save_baseline() {
    rm -rf "$tmp/main" && mkdir -p "$tmp/main"
    (cd "$tmp/main" && PERFCMP_DB=$tmp/main/db "$P" run --save-baseline --quiet -- "$A" \
        >/dev/null 2>&1) || { echo "ci_false_alarms.sh: saving the baseline failed" >&2; exit 2; }
}

# The reference branch's job: one more recorded run, then the baseline
# merged from the newest 3 (the database is kept between its jobs).
main_job() {
    mkdir -p "$tmp/main"
    (cd "$tmp/main" && PERFCMP_DB=$tmp/main/db "$P" run --quiet --branch=main -- "$A" \
        >/dev/null 2>&1; [ $? -le 1 ] &&
        PERFCMP_DB=$tmp/main/db "$P" baseline save --last=3 --branch=main >/dev/null 2>&1) ||
        { echo "ci_false_alarms.sh: the reference branch's job failed" >&2; exit 2; }
}

DELAY=()
[ "${CONFIRM_DELAY:-30}" = 0 ] || DELAY=(--confirm-delay="${CONFIRM_DELAY:-30}")
CANARY=${CANARY:-0}
C=$ROOT/$BUILD/fixtures/slowdown
[ "$CANARY" = 0 ] || [ -x "$C" ] || { echo "ci_false_alarms.sh: '$C' not built" >&2; exit 2; }
# "canary chain 4410ns walk 9100ns": the medians of the fixed workload now.
canary() {
    "$C" --quiet --processes=1 --min-time=0.2 --no-heap --out="$tmp/canary.json" >/dev/null 2>&1 ||
        { echo "canary failed"; return; }
    python3 - "$tmp/canary.json" <<'EOF' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
m = {b["name"].split("/")[0]: next(x["summary"]["median"] for x in b["metrics"] if x["name"] == "wall_time")
     for b in d["benchmarks"]}
print("canary chain %.0fns walk %.0fns" % (m["chain"], m["walk"]))
EOF
}

fails=0 errors=0 total_s=0
echo "# $RECIPE $SCENARIO, $RUNS CI runs, ${DELAY[*]:-no --confirm-delay}, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
    can=
    [ "$CANARY" = 0 ] || can=$(canary)
    t0=$(date +%s.%N)
    out=$tmp/ci/report.json
    rm -f "$out"
    if [ "$RECIPE" = stored ] || [ "$RECIPE" = stored1 ]; then
        if [ "$RECIPE" = stored1 ]; then
            [ $(((i - 1) % 10)) -eq 0 ] && save_baseline
        else
            [ "$i" -eq 1 ] && main_job && main_job
            [ $(((i - 1) % 5)) -eq 0 ] && main_job
        fi
        rm -f "$tmp/ci/db"*
        (cd "$tmp/ci" && PERFCMP_DB=$tmp/ci/db "$P" run --confirm=2 "${DELAY[@]}" --quiet "${OPTS[@]}" \
            --baseline-dir="$tmp/main/baselines" --format=json -o "$out" -- "$H" >/dev/null 2>"$tmp/err")
        rc=$?
    else
        (cd "$tmp/ci" && "$P" ab --no-record --quiet "${OPTS[@]}" --format=json -o "$out" \
            "$A" -- "$H" >/dev/null 2>"$tmp/err")
        rc=$?
    fi
    s=$(echo "$(date +%s.%N) - $t0" | bc)
    total_s=$(echo "$total_s + $s" | bc)
    [ "$rc" -eq 1 ] && fails=$((fails + 1))
    [ "$rc" -ge 2 ] && { errors=$((errors + 1)); head -c 300 "$tmp/err"; }
    waits=$(grep -c '^waiting' "$tmp/err" 2>/dev/null || true)
    [ "${waits:-0}" = 0 ] && waits=
    printf 'run %2d exit %d %5.1fs %s%s%s\n' "$i" "$rc" "$s" "${can:+$can }" "${waits:+delayed re-runs $waits, }" \
        "$([ -f "$out" ] && regressed "$out")"
done
printf '%s %s: %d of %d CI runs exited 1, %d exited 2; %.1f s per CI run; load %s\n' \
    "$RECIPE" "$SCENARIO" "$fails" "$RUNS" "$errors" "$(echo "$total_s / $RUNS" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
