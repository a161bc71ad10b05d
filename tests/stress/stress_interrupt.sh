#!/usr/bin/env bash
# SIGINT at random moments of `perfcmp run`, STRESS_INTERRUPTS times
# (default 40).
#
# Each round runs a copy of the spin fixture (4 benchmarks) under
# `perfcmp run` and sends SIGINT after a random delay between 0 and the
# time a whole run takes here (plus 30%), so it lands while the binary measures,
# while perfcmp parses, stores or compares.  Then: the exit status is 130
# (interrupted; nothing recorded) or that of a completed run (0 or 1, the
# run stored whole); no process of the bench binary is left; the
# temporary directory is empty; integrity_check says ok and every stored
# run has its 4 benchmarks.
. "$(dirname "$0")/lib.sh"
N=${STRESS_INTERRUPTS:-40}
fixture=$PERFCMP_ROOT/$BUILD/fixtures/spin
[ -x "$fixture" ] || { echo "interrupt: $fixture is not built" >&2; exit 2; }
cd "$STRESS_TMP" || exit 2
cp "$fixture" ./bench-under-test
mkdir -p tmp
args=(--min-time=0.02 --samples=5)
"$PERFCMP_BIN" run --quiet -- ./bench-under-test "${args[@]}" > /dev/null 2>&1 ||
    { echo "interrupt: a first run failed" >&2; exit 2; }
t0=${EPOCHREALTIME/./}
"$PERFCMP_BIN" run --quiet -- ./bench-under-test "${args[@]}" > /dev/null 2>&1
T=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
# A little past the whole run, so that some signals land in its last
# milliseconds (storing, reporting) and some runs complete.
Tmax=$(( T * 13 / 10 ))

interrupted=0 completed=0
for k in $(seq 1 "$N"); do
    before=$(sql "$PERFCMP_DB" 'SELECT COUNT(*) FROM runs')
    env --default-signal=INT TMPDIR="$STRESS_TMP/tmp" "$PERFCMP_BIN" run --quiet --note "round-$k" \
        -- ./bench-under-test "${args[@]}" > /dev/null 2> err.txt &
    pid=$!
    sleep "$(awk -v ms=$((RANDOM % (Tmax + 1))) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -INT "$pid" 2>/dev/null
    { wait "$pid"; rc=$?; } 2>/dev/null
    after=$(sql "$PERFCMP_DB" 'SELECT COUNT(*) FROM runs')
    case $rc in
    130)
        interrupted=$((interrupted + 1))
        [ "$after" -eq "$before" ] || fail "round $k: interrupted (130) but a run was stored" ;;
    0|1)
        completed=$((completed + 1))
        [ "$after" -eq $((before + 1)) ] || fail "round $k: exited $rc but $((after - before)) runs were stored" ;;
    *)
        fail "round $k: exit $rc: $(head -c 300 err.txt)" ;;
    esac
    for _ in $(seq 1 50); do pgrep -f "$STRESS_TMP/bench-under-test" > /dev/null || break; sleep 0.1; done
    if pgrep -f "$STRESS_TMP/bench-under-test" > /dev/null; then
        fail "round $k: the bench binary survived"
    fi
    [ -z "$(ls -A tmp)" ] || { fail "round $k: left temporary files: $(ls tmp | head -n 3)"; rm -rf tmp/*; }
done
ic=$(sql "$PERFCMP_DB" 'PRAGMA integrity_check')
[ "$ic" = ok ] || fail "integrity_check: $ic"
check_db_whole "$PERFCMP_DB" 4

echo "interrupt: $N SIGINTs within 0-${Tmax} ms of starting perfcmp run (a whole run takes ${T} ms): $interrupted interrupted (exit 130, nothing stored), $completed completed (stored whole); no bench process or temporary file left; $failures check(s) failed"
[ "$failures" -eq 0 ]
