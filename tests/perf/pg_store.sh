#!/bin/bash
# The PostgreSQL store measured against SQLite, on a private local server
# (tests/pg/server.sh, removed at the end): the figures of
# docs/reliability.md, "The PostgreSQL store".
#
#   BUILD=build-pg tests/perf/pg_store.sh [speed|writers|kill|restart|migrate|all]
#
#   speed    record of BENCHES x SAMPLES (default 10000 x 30; env BENCHES,
#            SAMPLES) into a fresh SQLite file and a fresh server database,
#            best of 3 each, and the ratio (target: at most 2)
#   writers  8 concurrent writers x 100 records each: runs stored, distinct
#            content hashes, failures (target: 800, 800, 0)
#   kill     SIGKILL of record at 20 moments during a big write: partial
#            runs visible afterwards (target: 0), and the next record works
#   restart  the server stopped (fast) and started again while a big
#            record runs: the record's message and status (one line, 2),
#            partial runs (0), and the next record works
#   migrate  5 perfcmp processes opening an empty database at once: one
#            creates the schema, the others wait; all exit 0
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PERFCMP=$PWD/$BUILD/perfcmp
[ -x "$PERFCMP" ] || { echo "pg_store: build $PERFCMP first (make BUILD=$BUILD)" >&2; exit 2; }
what=${1:-all}
BENCHES=${BENCHES:-10000}
SAMPLES=${SAMPLES:-30}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pg_store.XXXXXX")
chmod 755 "$tmp"
out=$(tests/pg/server.sh start) || { echo "pg_store: the server did not start" >&2; exit 2; }
pgdir=$(echo "$out" | sed -n 1p)
URL=$(echo "$out" | sed -n 2p)
trap 'tests/pg/server.sh stop "$pgdir"; rm -rf "$tmp"' EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -1)

sql() { psql -X -At -q "$URL" -c "SET client_min_messages = warning" -c "$1"; }
fresh_db() {    # fresh_db NAME: prints the URL of an empty database NAME
    sql "DROP DATABASE IF EXISTS $1" >/dev/null
    sql "CREATE DATABASE $1" >/dev/null
    echo "${URL%/*}/$1"
}
now() { date +%s.%N; }
big() {     # big FILE BENCHES SAMPLES MARK
    awk -v b="$2" -v s="$3" -v m="$4" 'BEGIN {
        printf "{\"schema\":\"perfcmp-results\",\"version\":1,\"context\":{"
        printf "\"timestamp\":\"2026-11-23T11:20:00Z\",\"host\":\"%s\",\"cpu_model\":\"Perf CPU\",", m
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
    }' > "$1"
}

speed() {
    big "$tmp/big.json" "$BENCHES" "$SAMPLES" perf
    local best_l=999 best_p=999 t0 t1 t
    for i in 1 2 3; do
        rm -f "$tmp/speed.db"*
        t0=$(now); "$PERFCMP" --db "$tmp/speed.db" record "$tmp/big.json" >/dev/null || exit 1; t1=$(now)
        t=$(echo "$t1 - $t0" | bc); [ "$(echo "$t < $best_l" | bc)" = 1 ] && best_l=$t
        db=$(fresh_db speed)
        "$PERFCMP" --db "$db" runs >/dev/null     # the schema, outside the timing
        t0=$(now); "$PERFCMP" --db "$db" record "$tmp/big.json" >/dev/null || exit 1; t1=$(now)
        t=$(echo "$t1 - $t0" | bc); [ "$(echo "$t < $best_p" | bc)" = 1 ] && best_p=$t
    done
    t0=$(now); "$PERFCMP" --db "$db" show latest >/dev/null; t1=$(now)
    local show_p; show_p=$(echo "$t1 - $t0" | bc)
    t0=$(now); "$PERFCMP" --db "$tmp/speed.db" show latest >/dev/null; t1=$(now)
    local show_l; show_l=$(echo "$t1 - $t0" | bc)
    printf 'speed: record %s x %s: sqlite %.2f s, postgresql %.2f s, ratio %.2f; show: sqlite %.2f s, postgresql %.2f s\n' \
        "$BENCHES" "$SAMPLES" "$best_l" "$best_p" "$(echo "$best_p / $best_l" | bc -l)" "$show_l" "$show_p"
}

writers() {
    local db w fails=0
    db=$(fresh_db writers)
    "$PERFCMP" --db "$db" runs >/dev/null
    for w in 1 2 3 4 5 6 7 8; do
        for i in $(seq 1 100); do
            tests/stress/mkresults.sh -b 20 -s 10 -m "w$w-$i" > "$tmp/w$w-$i.json"
        done
    done
    local t0 t1; t0=$(now)
    for w in 1 2 3 4 5 6 7 8; do
        ( f=0; for i in $(seq 1 100); do
              "$PERFCMP" --db "$db" record "$tmp/w$w-$i.json" >/dev/null 2>>"$tmp/writers.err" || f=$((f + 1))
          done; echo "$f" > "$tmp/w$w.fails" ) &
    done
    wait
    t1=$(now)
    for w in 1 2 3 4 5 6 7 8; do fails=$((fails + $(cat "$tmp/w$w.fails"))); done
    printf 'writers: 8 x 100 records in %.1f s: %s runs, %s distinct contents, %s failed records, %s results (expected %s)\n' \
        "$(echo "$t1 - $t0" | bc)" "$(psql -X -At "$db" -c 'SELECT count(*) FROM runs')" \
        "$(psql -X -At "$db" -c 'SELECT count(DISTINCT content_hash) FROM runs')" "$fails" \
        "$(psql -X -At "$db" -c 'SELECT count(*) FROM results')" 16000
    [ -s "$tmp/writers.err" ] && sort "$tmp/writers.err" | uniq -c | head -5
}

kill_test() {
    local db partial=0 killed=0 i
    db=$(fresh_db killed)
    big "$tmp/kill.json" 5000 30 kill
    "$PERFCMP" --db "$db" runs >/dev/null
    for i in $(seq 1 20); do
        "$PERFCMP" --db "$db" record "$tmp/kill.json" >/dev/null 2>&1 &
        local pid=$!
        sleep "0.$(( (i * 37) % 90 + 5 ))"
        kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
        wait "$pid" 2>/dev/null
    done
    sleep 1     # the server notices the closed connections
    partial=$(psql -X -At "$db" -c "SELECT count(*) FROM runs r WHERE nbenches <> (SELECT count(*) FROM results x WHERE x.run_id = r.id)")
    local runs; runs=$(psql -X -At "$db" -c "SELECT count(*) FROM runs")
    "$PERFCMP" --db "$db" record "$tmp/kill.json" >/dev/null && next=ok || next=failed
    echo "kill: 20 records of 5000 x 30, $killed killed by SIGKILL mid-way: $runs whole runs stored, $partial partial runs visible; the next record: $next"
}

restart() {
    local db rc msg
    db=$(fresh_db restarted)
    big "$tmp/restart.json" 10000 30 restart
    "$PERFCMP" --db "$db" runs >/dev/null
    "$PERFCMP" --db "$db" record "$tmp/restart.json" >"$tmp/restart.out" 2>"$tmp/restart.err" &
    local pid=$!
    # stop the server once the record is writing (a statement of it active)
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 400 ] &&
          [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'restarted' AND state = 'active' AND pid <> pg_backend_pid()")" = 0 ]; do
        sleep 0.01; waited=$((waited + 1))
    done
    as_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null
    wait "$pid"; rc=$?
    # started again as tests/pg/server.sh started it (same port and socket)
    local port=${URL##*:}; port=${port%%/*}
    as_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=40" \
        start >/dev/null
    msg=$(cat "$tmp/restart.err")
    local partial; partial=$(psql -X -At "$db" -c "SELECT count(*) FROM runs r WHERE nbenches <> (SELECT count(*) FROM results x WHERE x.run_id = r.id)")
    local runs; runs=$(psql -X -At "$db" -c "SELECT count(*) FROM runs")
    "$PERFCMP" --db "$db" record "$tmp/restart.json" >/dev/null && next=ok || next=failed
    echo "restart: record exit $rc, $(printf '%s\n' "$msg" | grep -c .) line(s): $msg"
    echo "restart: runs stored $runs, partial $partial; the next record: $next"
}

migrate() {
    local db rcs=""
    db=$(fresh_db migrating)
    for i in 1 2 3 4 5; do
        "$PERFCMP" --db "$db" record "$PERFCMP_ROOT_DATA/compare/base.json" >/dev/null 2>"$tmp/m$i.err" &
        eval "p$i=\$!"
    done
    for i in 1 2 3 4 5; do eval "wait \$p$i"; rcs="$rcs $?"; done
    echo "migrate: 5 processes opening an empty database at once: exit statuses$rcs; schema version $(psql -X -At "$db" -c 'SELECT version FROM perfcmp_schema'), $(psql -X -At "$db" -c 'SELECT count(*) FROM perfcmp_schema') version row, $(psql -X -At "$db" -c 'SELECT count(*) FROM runs') runs"
    cat "$tmp"/m*.err
}
PERFCMP_ROOT_DATA=$PWD/tests/data

case $what in
speed) speed ;;
writers) writers ;;
kill) kill_test ;;
restart) restart ;;
migrate) migrate ;;
all) speed; writers; kill_test; restart; migrate ;;
*) echo "usage: $0 [speed|writers|kill|restart|migrate|all]" >&2; exit 2 ;;
esac
