#!/usr/bin/env bash
# SIGKILL during `perfcmp record`, STRESS_KILLS times (default 200).
#
# Each round records a fresh result file of STRESS_KILL_BENCHES benchmarks
# (default 1000, 20 samples each, a unique marker) and kills the process
# with SIGKILL after a random delay between 0 and the time a whole record
# takes here (measured first), so kills land during start-up, parsing,
# the transaction and around the commit.  After every kill the
# database must open (`perfcmp runs`); every 10 kills and at the end
# PRAGMA integrity_check must say ok; at the end every stored run must
# hold all of its benchmarks, no marker may be stored twice, and every
# record that exited 0 must be there.
. "$(dirname "$0")/lib.sh"
K=${STRESS_KILLS:-200}
B=${STRESS_KILL_BENCHES:-1000}
cd "$STRESS_TMP" || exit 2

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# How long one whole record takes (the median of 3).
times=()
for c in 1 2 3; do
    "$MKRESULTS" -b "$B" -s 20 -m "calib-$c" > calib.json
    t0=$(now_ms)
    perfcmp record calib.json > /dev/null || { echo "cannot record a first run" >&2; exit 2; }
    times+=($(( $(now_ms) - t0 )))
done
T=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
maxdelay=$(( T + 1 ))

killed=0 finished=0 opened=0
: > completed.txt
for k in $(seq 1 "$K"); do
    "$MKRESULTS" -b "$B" -s 20 -m "kill-$k" -k "1.$((k % 7))" > in.json
    "$PERFCMP_BIN" record in.json > /dev/null 2> err.txt &   # the process itself, not a subshell
    pid=$!
    delay=$(( RANDOM % maxdelay ))
    sleep "$(printf '0.%03d' "$delay")"
    kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; rc=$?; } 2>/dev/null      # no "Killed" notice
    if [ "$rc" -eq 137 ]; then
        killed=$((killed + 1))
    elif [ "$rc" -eq 0 ]; then
        finished=$((finished + 1))
        echo "kill-$k" >> completed.txt
    else
        fail "round $k: record exited $rc: $(head -c 300 err.txt)"
    fi
    if ! out=$(perfcmp runs --last 1 2>&1 >/dev/null); then
        fail "round $k: the database does not open after SIGKILL: $out"
    else
        opened=$((opened + 1))
    fi
    if [ $((k % 10)) -eq 0 ]; then
        ic=$(sql "$PERFCMP_DB" 'PRAGMA integrity_check' 2>&1)
        [ "$ic" = ok ] || fail "round $k: integrity_check: $ic"
    fi
done

check_db_whole "$PERFCMP_DB" "$B"
dups=$(sql "$PERFCMP_DB" 'SELECT command FROM runs GROUP BY command HAVING COUNT(*) > 1 LIMIT 5')
[ -z "$dups" ] || fail "stored more than once: $dups"
sql "$PERFCMP_DB" "SELECT command FROM runs" | sort > stored.txt
sort -o completed.txt completed.txt
lost=$(comm -23 completed.txt stored.txt | wc -l)
[ "$lost" -eq 0 ] || fail "$lost records that exited 0 are missing"
stored=$(( $(grep -c '^kill-' stored.txt) ))

echo "kill: $K rounds of SIGKILL within 0-${maxdelay} ms of starting record (a whole record of $B benchmarks takes ${T} ms): $killed killed while running, $finished had finished; $stored of the $K runs stored, each whole; database opened $opened/$K times; $failures check(s) failed"
[ "$failures" -eq 0 ]
