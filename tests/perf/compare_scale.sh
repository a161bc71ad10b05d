#!/bin/bash
# compare at scale (issue 11, part 2): how long `perfcmp record` and
# `perfcmp compare` take on two Google Benchmark files of N benchmarks x R
# repetitions (one in a hundred 30% slower in the second), their peak
# memory, and whether the verdicts are still the reference ones.
#
#   tests/perf/compare_scale.sh [N] [R] [REPEATS]      (default 10000 10 5)
#   BUILD=build-i11s REF=build-i11s-before tests/perf/compare_scale.sh
#   KEEP=dir tests/perf/compare_scale.sh     (keeps the files and outputs in dir)
#
# Steps timed (each REPEATS times with /usr/bin/time; medians printed; with
# REF, REF's perfcmp is timed too, the two alternating run by run):
#   compare      perfcmp compare cur.json --baseline base.json
#   record       perfcmp record cur.json (into a fresh database)
#   rec+cmp      the two commands of CI: record cur.json, then compare the
#                recorded run with base.json; the sum of the two
# Checks:
#   - the verdicts are exactly the expected ones: BM_scale/i regressed when
#     i % 100 == 0, every other row unchanged;
#   - with REF=DIR (a build of an earlier perfcmp), the whole output of
#     compare and of cmp-db in every format (text, json, junit, markdown),
#     stdout and stderr, is byte for byte that of REF/perfcmp.
# Figures are of this machine at this moment: the load average is printed
# with them.  Not a test: nothing here runs under `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
P=$ROOT/$BUILD/perfcmp
N=${1:-10000}
R=${2:-10}
REPEATS=${3:-5}
[ -x "$P" ] || { echo "compare_scale.sh: build $P first (make BUILD=$BUILD)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare_scale.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

if [ -n "${KEEP:-}" ]; then
    tmp=$KEEP
    mkdir -p "$tmp"
else
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare_scale.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
fi
export NO_COLOR=1
unset PERFCMP_DB

gen() { # SEED SLOW OUT
    awk -v n="$N" -v reps="$R" -v seed="$1" -v slow="$2" -f "$ROOT/tests/perf/gen_gbench.awk" > "$3"
}
[ -s "$tmp/base.json" ] || gen 1 0 "$tmp/base.json"
[ -s "$tmp/cur.json" ] || gen 2 1 "$tmp/cur.json"
cd "$tmp"   # relative names: the outputs name the files, and must not differ by directory

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed LABEL ARGS...: runs each perfcmp (this build's, and REF's when
# given) with ARGS REPEATS times, the two alternating run by run so that
# both meet the same moments of a shared machine; prints the medians of
# wall, user+sys CPU and peak RSS per build.  Exit status 0 and 1 are
# fine (1: regressions found).  Each build records into its own database.
timed() {
    local label=$1 i b
    shift
    for b in "${BUILDS[@]}"; do : > "times.$b.txt"; done
    for ((i = 0; i < REPEATS; i++)); do
        for b in "${BUILDS[@]}"; do
            local bin=$P db=rec.db
            [ "$b" = ref ] && bin=$RP && db=rec-ref.db
            [ "$label" = record ] && rm -f "$db" "$db"-*
            local args=("$@")
            args=("${args[@]/#@DB@/$db}")
            /usr/bin/time -f '%e %U %S %M' -o one.txt "$bin" "${args[@]}" > out.txt 2> err.txt ||
                [ $? -eq 1 ] ||
                { echo "compare_scale.sh: $label ($b) failed:" >&2; cat err.txt >&2; exit 2; }
            tail -n 1 one.txt >> "times.$b.txt"
        done
    done
    for b in "${BUILDS[@]}"; do
        local w c m name=$label
        [ "$b" = ref ] && name="$label (REF)"
        w=$(awk '{ print $1 }' "times.$b.txt" | median)
        c=$(awk '{ print $2 + $3 }' "times.$b.txt" | median)
        m=$(awk '{ print $4 }' "times.$b.txt" | median)
        printf '%-16s wall %6.2f s  cpu %6.2f s  peak %6.1f MB   (load %s)\n' "$name" "$w" "$c" \
            "$(echo "$m / 1024" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
        echo "$w $c $m" > "median-$label.$b.txt"
    done
}

BUILDS=(new)
if [ -n "${REF:-}" ]; then
    RP=$ROOT/$REF/perfcmp
    [ -x "$RP" ] || { echo "compare_scale.sh: no $RP" >&2; exit 2; }
    BUILDS=(new ref)
fi
echo "$N benchmarks x $R repetitions, $(($(wc -c < base.json) / 1048576)) MiB a file; $(nproc) cores; $REPEATS repeats${REF:+, alternating with REF=$REF}"
timed compare compare cur.json --baseline base.json
timed record --db @DB@ record cur.json
# the compare of the recorded run: the database holds one run, cur.json's
for b in "${BUILDS[@]}"; do
    if [ "$b" = ref ]; then rm -f rec-ref.db*; "$RP" --db rec-ref.db record cur.json > /dev/null
    else rm -f rec.db*; "$P" --db rec.db record cur.json > /dev/null; fi
done
timed cmp-db --db @DB@ compare --baseline base.json
for b in "${BUILDS[@]}"; do
    read -r w1 c1 m1 < "median-record.$b.txt"
    read -r w2 c2 m2 < "median-cmp-db.$b.txt"
    name=rec+cmp
    [ "$b" = ref ] && name="rec+cmp (REF)"
    printf '%-16s wall %6.2f s  cpu %6.2f s  peak %6.1f MB   (sum of record and cmp-db; peak the larger)\n' \
        "$name" "$(echo "$w1 + $w2" | bc -l)" "$(echo "$c1 + $c2" | bc -l)" \
        "$(awk -v a="$m1" -v b="$m2" 'BEGIN { print (a > b ? a : b) / 1024 }')"
done

# The verdicts: exactly the hundredth benchmarks regressed, the rest unchanged.
"$P" compare cur.json --baseline base.json --format=json > new.json || true
got=$(sed -n 's/^[[:space:]]*"verdict":[[:space:]]*"\([a-z]*\)".*/\1/p' new.json | sort | uniq -c | tr -s ' ' | tr '\n' ';')
reg=$(awk '/"bench":/ { b = $0 } /"verdict": *"regressed"/ { print b }' new.json |
    sed 's/.*"BM_scale\/\([0-9]*\)".*/\1/' | awk '$1 % 100 != 0' | wc -l)
want_reg=$(((N + 99) / 100))
if echo "$got" | grep -q " $want_reg regressed;" && [ "$reg" -eq 0 ]; then
    echo "verdicts: as expected ($got)"
else
    echo "verdicts: NOT as expected ($got; $reg regressed rows that should not be)"
    status=1
fi

# The saved reference: sha256 of each format's output by the perfcmp of
# commit 183e528 (before issue 11), for the default N and R.
refsums=$ROOT/tests/perf/compare_scale.ref
if [ "$N" = 10000 ] && [ "$R" = 10 ] && [ -f "$refsums" ]; then
    for f in text json junit markdown; do
        "$P" compare cur.json --baseline base.json --format=$f > "new.$f" 2>&1 || true
        want=$(awk -v f="$f" '$2 == f { print $1 }' "$refsums")
        if [ "$(sha256sum < "new.$f" | cut -d' ' -f1)" = "$want" ]; then
            echo "output --format=$f: identical to the saved reference"
        else
            echo "output --format=$f: DIFFERS from the saved reference"
            status=1
        fi
    done
fi

if [ -n "${REF:-}" ]; then
    same=1
    for f in text json junit markdown; do
        "$RP" compare cur.json --baseline base.json --format=$f > "ref.$f" 2> "ref.$f.err" || true
        "$P" compare cur.json --baseline base.json --format=$f > "new.$f" 2> "new.$f.err" || true
        if cmp -s "ref.$f" "new.$f" && cmp -s "ref.$f.err" "new.$f.err"; then
            echo "output --format=$f: identical to $REF ($(wc -l < "new.$f") lines)"
        else
            echo "output --format=$f: DIFFERS from $REF"
            same=0
        fi
        # and the compare of the recorded run (the store's path)
        "$RP" --db rec.db compare --baseline base.json --format=$f > "ref.$f" 2> "ref.$f.err" || true
        "$P" --db rec.db compare --baseline base.json --format=$f > "new.$f" 2> "new.$f.err" || true
        if cmp -s "ref.$f" "new.$f" && cmp -s "ref.$f.err" "new.$f.err"; then
            echo "output of cmp-db --format=$f: identical to $REF"
        else
            echo "output of cmp-db --format=$f: DIFFERS from $REF"
            same=0
        fi
    done
    [ "$same" = 1 ] || status=1
fi
exit "${status:-0}"
