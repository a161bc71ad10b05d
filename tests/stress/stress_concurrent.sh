#!/usr/bin/env bash
# Concurrent writers and readers on one SQLite database.
#
# STRESS_WRITERS processes (default 8) each record STRESS_RUNS result files
# (default 100, 3 benchmarks x 5 samples each, a unique marker per file in
# the context's command) into one database while STRESS_READERS processes
# (default 2) loop over `perfcmp compare`, `perfcmp history` and `perfcmp
# runs` until the writers are done.
# Passes when no command failed (in particular none with "database is
# locked"), every marker is stored exactly once with its 3 benchmarks, and
# PRAGMA integrity_check says ok.
. "$(dirname "$0")/lib.sh"
W=${STRESS_WRITERS:-8}
R=${STRESS_RUNS:-100}
NREADERS=${STRESS_READERS:-2}
B=3
cd "$STRESS_TMP" || exit 2
mkdir -p in logs
: > logs/failures

"$MKRESULTS" -b $B -m base > base.json
perfcmp record base.json > /dev/null || { echo "cannot record a first run" >&2; exit 2; }
perfcmp baseline save base > /dev/null || { echo "cannot save a baseline" >&2; exit 2; }

for w in $(seq 1 "$W"); do
    for i in $(seq 1 "$R"); do
        "$MKRESULTS" -b $B -m "w$w-r$i" -k "1.$((i % 10))" > "in/w$w-r$i.json"
    done
done

# The reader commands that exist in this build (others are reported).
readers=()
for c in "compare --baseline base" "history bench/0" "runs --last 5"; do
    # shellcheck disable=SC2086
    out=$(perfcmp $c 2>&1 >/dev/null); rc=$?
    if [ "$rc" -le 1 ]; then readers+=("$c"); else echo "note: reader '$c' skipped: $out"; fi
done

writer() {
    local w=$1 i rc err
    for i in $(seq 1 "$R"); do
        err=$(perfcmp record "in/w$w-r$i.json" 2>&1 >/dev/null); rc=$?
        [ "$rc" -eq 0 ] || echo "writer $w run $i: exit $rc: $err" >> logs/failures
    done
}

reader() {
    local k=0 rc err c
    while [ ! -e logs/writers-done ]; do
        c=${readers[$((k % ${#readers[@]}))]}
        # shellcheck disable=SC2086
        err=$(perfcmp $c 2>&1 >/dev/null); rc=$?
        # compare exits 1 on a regression: the runs are deliberately slower
        [ "$rc" -le 1 ] || echo "reader '$c': exit $rc: $err" >> logs/failures
        k=$((k + 1))
    done
    echo "$k" >> logs/reads
}

start=$(date +%s)
rpids=()
if [ "${#readers[@]}" -gt 0 ]; then
    for _ in $(seq 1 "$NREADERS"); do reader & rpids+=($!); done
fi
wpids=()
for w in $(seq 1 "$W"); do writer "$w" & wpids+=($!); done
wait "${wpids[@]}"
touch logs/writers-done
wait "${rpids[@]}" 2>/dev/null
secs=$(( $(date +%s) - start ))

nfail=$(wc -l < logs/failures)
nlocked=$(grep -ci 'locked\|busy' logs/failures)
reads=$(awk '{ s += $1 } END { print s + 0 }' logs/reads 2>/dev/null || echo 0)
if [ "$nfail" -gt 0 ]; then
    fail "$nfail commands failed ($nlocked with 'locked' or 'busy'); first ones:"
    head -n 5 logs/failures >&2
fi

expected=$((W * R + 1))
total=$(sql "$PERFCMP_DB" 'SELECT COUNT(*) FROM runs')
distinct=$(sql "$PERFCMP_DB" 'SELECT COUNT(DISTINCT command) FROM runs')
dups=$(sql "$PERFCMP_DB" 'SELECT command FROM runs GROUP BY command HAVING COUNT(*) > 1 LIMIT 5')
[ "$total" = "$expected" ] || fail "expected $expected runs, found $total"
[ "$distinct" = "$expected" ] || fail "expected $expected distinct markers, found $distinct"
[ -z "$dups" ] || fail "stored more than once: $dups"
missing=0
for w in $(seq 1 "$W"); do
    for i in $(seq 1 "$R"); do echo "w$w-r$i"; done
done | sort > expected.txt
sql "$PERFCMP_DB" "SELECT command FROM runs WHERE command != 'base'" | sort > stored.txt
missing=$(comm -23 expected.txt stored.txt | wc -l)
[ "$missing" -eq 0 ] || fail "$missing runs missing, e.g. $(comm -23 expected.txt stored.txt | head -n 3 | tr '\n' ' ')"
check_db_whole "$PERFCMP_DB" $B

echo "concurrent: $W writers x $R runs + $NREADERS readers ($reads reads: ${readers[*]}) in ${secs}s; $total runs stored, $nfail failed commands, $nlocked locked; $failures check(s) failed"
[ "$failures" -eq 0 ]
