# Shared setup for the command-line tests. Load with: load helpers
#
#   PERFCMP_ROOT  the repository (set by scripts/run-tests.sh; else derived)
#   BUILD         build directory name (default build)
#   PERFCMP_TEST_STORE
#                 what $PERFCMP_DB names: sqlite (the default), a file in
#                 $WORK; or pg, a database of the test's own on the server
#                 of $PERFCMP_TEST_PG_URL (scripts/run-tests.sh starts one),
#                 created empty before the test and dropped after it.  Its
#                 URL holds no password (PGPASSWORD does), so perfcmp
#                 prints it as given, as it prints a file name.
#
# Every test runs in its own empty temporary directory ($WORK) with its own
# database ($PERFCMP_DB), so tests never see each other's data.  Tests
# reach the store through db_query, db_checksum, db_intact and the like,
# which work on both; sqlite_only skips a test of the SQLite file itself.

PERFCMP_ROOT=${PERFCMP_ROOT:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
BUILD=${BUILD:-build}
PERFCMP_BIN=${PERFCMP_BIN:-$PERFCMP_ROOT/$BUILD/perfcmp}
FIXTURES=$PERFCMP_ROOT/$BUILD/fixtures
EXAMPLES=$PERFCMP_ROOT/$BUILD/examples
DATA=$PERFCMP_ROOT/tests/data
PERFCMP_TEST_STORE=${PERFCMP_TEST_STORE:-sqlite}
export NO_COLOR=1

# pg: the server's user, HOST:PORT and password, from $PERFCMP_TEST_PG_URL
# (postgresql://USER:PASSWORD@HOST:PORT/DB); the password goes to libpq
# (perfcmp's and psql's) through PGPASSWORD.
if [ "$PERFCMP_TEST_STORE" = pg ] && [ -n "${PERFCMP_TEST_PG_URL:-}" ]; then
    PG_TEST_AUTH=${PERFCMP_TEST_PG_URL#*://}
    PG_TEST_HOST=${PG_TEST_AUTH#*@}
    PG_TEST_HOST=${PG_TEST_HOST%%/*}
    PG_TEST_AUTH=${PG_TEST_AUTH%%@*}
    PG_TEST_USER=${PG_TEST_AUTH%%:*}
    if [ "$PG_TEST_AUTH" != "$PG_TEST_USER" ]; then
        export PGPASSWORD=${PG_TEST_AUTH#*:}
    fi
fi

setup() {
    WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/perfcmp-test.XXXXXX")
    cd "$WORK"
    store_setup
}

teardown() {
    cd /
    store_teardown
    rm -rf "$WORK"
}

perfcmp() {
    "$PERFCMP_BIN" "$@"
}

# ---- the store ---------------------------------------------------------

# 0 if the tests' store is PostgreSQL (PERFCMP_TEST_STORE=pg).
store_is_pg() {
    [ "$PERFCMP_TEST_STORE" = pg ]
}

# 0 if DB names a database on a server (a postgres:// or postgresql:// URL).
db_is_server() {
    case $1 in postgres://* | postgresql://*) return 0 ;; esac
    return 1
}

# psql on the server's own database as its superuser, quiet, stopping at
# the first error; SQL from -c and -f arguments.
pg_admin() {
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$PERFCMP_TEST_PG_URL" -c "SET client_min_messages = warning" "$@"
}

# store_setup: exports PERFCMP_DB, a store of this test's alone, empty:
# $WORK/perfcmp.db, or (pg) a new database PG_TEST_DB named after the
# file, the test and the process.  Call it with $WORK made and entered
# (setup does; a file with a setup of its own calls it too).
store_setup() {
    if ! store_is_pg; then
        export PERFCMP_DB=$WORK/perfcmp.db
        return 0
    fi
    if [ -z "${PG_TEST_HOST:-}" ]; then
        echo "PERFCMP_TEST_STORE=pg needs a server: set PERFCMP_TEST_PG_URL (scripts/run-tests.sh does)" >&2
        return 1
    fi
    local file
    file=$(basename "$BATS_TEST_FILENAME" .bats | tr -c 'a-z0-9\n' '_')
    # at most 3 + 20 + 1 + 5 + 1 + 10 = 40 characters, which leaves room
    # for store_new's suffixes within PostgreSQL's 63
    PG_TEST_DB=pt_${file:0:20}_${BATS_TEST_NUMBER}_$$
    pg_admin -c "DROP DATABASE IF EXISTS $PG_TEST_DB WITH (FORCE)" \
             -c "CREATE DATABASE $PG_TEST_DB" >/dev/null || return 1
    export PERFCMP_DB=postgresql://$PG_TEST_USER@$PG_TEST_HOST/$PG_TEST_DB
}

# store_teardown: drops the test's databases (pg), store_new's too.
store_teardown() {
    [ -n "${PG_TEST_DB:-}" ] || return 0
    printf '%s\n' "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database
                   WHERE datname = '$PG_TEST_DB' OR starts_with(datname, '${PG_TEST_DB}__')" '\gexec' |
        pg_admin -f - >/dev/null || true
    PG_TEST_DB=
}

# store_new NAME: prints where a second store of this test, NAME, is: the
# file $WORK/NAME.db (not made), or (pg) the URL of a new, empty database,
# dropped at teardown.  NAME: lower-case letters, digits and _, at most 20.
store_new() {
    if ! store_is_pg; then
        echo "$WORK/$1.db"
        return 0
    fi
    pg_admin -c "CREATE DATABASE ${PG_TEST_DB}__$1" >/dev/null || return 1
    echo "postgresql://$PG_TEST_USER@$PG_TEST_HOST/${PG_TEST_DB}__$1"
}

# store_wipe: makes $PERFCMP_DB as it was before the test: no file (nor
# journal), or (pg) an empty database of the same name.
store_wipe() {
    if db_is_server "$PERFCMP_DB"; then
        local name=${PERFCMP_DB##*/}
        pg_admin -c "DROP DATABASE $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
    else
        rm -f "$PERFCMP_DB" "$PERFCMP_DB-wal" "$PERFCMP_DB-shm" "$PERFCMP_DB-journal"
    fi
}

# sqlite_only [WHAT]: skips the test when the store is PostgreSQL.  Only
# for a test of what a SQLite file alone has: its bytes, header and
# user_version, journal, permissions, size, file locks.
sqlite_only() {
    if store_is_pg; then
        skip "inspects the SQLite file itself${1:+ ($1)}"
    fi
}

# db_query SQL: runs SQL on $PERFCMP_DB and prints the rows, one a line,
# columns separated by '|', NULL as nothing (sqlite3 -batch or psql -XAt).
# Keep SQL portable: no group_concat (join the lines in the shell), no
# hex(), single quotes for strings, CASE ... THEN 1 ELSE 0 for a truth.
db_query() {
    db_query_in "$PERFCMP_DB" "$1"
}

# db_query_in DB SQL: db_query on another store.
db_query_in() {
    if db_is_server "$1"; then
        psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
    else
        sqlite3 -batch "$1" "$2"
    fi
}

# db_checksum [DB]: a checksum of the database's logical content (schema
# and rows), to show that a failed command changed nothing.  Prints
# "absent" when there is none: no file, or a server's database without
# tables (as a test's is before anything creates perfcmp's).  For a server
# it sums pg_dump's lines, sorted (a table's rows have no order, and an
# update moves a row), without the sequences' positions (setval), which a
# rolled-back insert advances, nor the random key of \restrict lines.
db_checksum() {
    local db=${1:-$PERFCMP_DB} n
    if db_is_server "$db"; then
        n=$(db_query_in "$db" "SELECT count(*) FROM pg_tables
                               WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") ||
            { echo "cannot read '$db'"; return 1; }
        if [ "$n" -eq 0 ]; then
            echo absent
            return 0
        fi
        { pg_dump --no-owner --no-privileges -d "$db" || echo "pg_dump failed"; } |
            grep -v -e '^SELECT pg_catalog.setval(' -e '^\\restrict ' -e '^\\unrestrict ' |
            LC_ALL=C sort | sha256sum | cut -d' ' -f1
    elif [ -f "$db" ]; then
        sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1
    else
        echo absent
    fi
}

# What perfcmp does on PostgreSQL and not on SQLite, that assert_no_store
# skips on.
PG_OPEN_CREATES="compare, run, exec and ab create perfcmp's tables in an empty database before they know whether they will store anything (compare_open_existing_store opens a server's database with store_open), where on SQLite they create no file"

# assert_no_store: the command before made no store: db_checksum says
# absent.  On PostgreSQL, where it may have made perfcmp's tables
# (PG_OPEN_CREATES), tables holding no run and no baseline show that it
# stored nothing, and the test is then skipped with that difference as
# its reason.
assert_no_store() {
    [ "$(db_checksum)" = absent ] && return 0
    if store_is_pg; then
        [ "$(db_query 'SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM baselines)')" -eq 0 ]
        skip "PostgreSQL: $PG_OPEN_CREATES"
    fi
    echo "a store was made: '$PERFCMP_DB'" >&2
    return 1
}

# db_intact: prints "ok" when the store is sound: SQLite's integrity_check;
# on PostgreSQL (whose pages are the server's business) every run whole,
# with each of its benchmarks, and no result or sample of a run that is
# gone.
db_intact() {
    if db_is_server "$PERFCMP_DB"; then
        db_query "SELECT CASE WHEN
              (SELECT count(*) FROM runs r WHERE r.nbenches !=
                   (SELECT count(DISTINCT bench_id) FROM results WHERE run_id = r.id))
            + (SELECT count(*) FROM results WHERE run_id NOT IN (SELECT id FROM runs))
            + (SELECT count(*) FROM samples WHERE result_id NOT IN (SELECT id FROM results)) = 0
            THEN 'ok' ELSE 'a run is not whole' END"
    else
        sqlite3 "$PERFCMP_DB" 'PRAGMA integrity_check'
    fi
}

# db_schema_version [N]: prints the store's schema version, or sets it to
# N: SQLite's user_version, PostgreSQL's perfcmp_schema table.
db_schema_version() {
    if db_is_server "$PERFCMP_DB"; then
        if [ $# -gt 0 ]; then
            db_query "UPDATE perfcmp_schema SET version = $1"
        else
            db_query 'SELECT max(version) FROM perfcmp_schema'
        fi
    elif [ $# -gt 0 ]; then
        sqlite3 "$PERFCMP_DB" "PRAGMA user_version = $1"
    else
        sqlite3 "$PERFCMP_DB" 'PRAGMA user_version'
    fi
}

# hold_write_lock SECONDS: another writer holding the store's write lock
# for SECONDS (SQLite: an exclusive transaction; PostgreSQL: the runs
# table locked against every writer, readers let through), touching
# ./locked once it holds it and ./releasing just before it lets go.  Run
# it in the background.
hold_write_lock() {
    if db_is_server "$PERFCMP_DB"; then
        printf '%s\n' 'BEGIN;' 'LOCK TABLE runs IN EXCLUSIVE MODE;' '\! touch locked' \
                      "SELECT pg_sleep($1);" '\! touch releasing' 'COMMIT;' |
            psql -X -q -v ON_ERROR_STOP=1 -d "$PERFCMP_DB" -f - >/dev/null
    else
        python3 - "$PERFCMP_DB" "$1" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN EXCLUSIVE")
c.execute("PRAGMA user_version")
open("locked", "w").close()
time.sleep(float(sys.argv[2]))
open("releasing", "w").close()
c.execute("COMMIT")
PY
    fi
}

# ---- assertions and histories ------------------------------------------

# Asserts that $output is exactly one line.
assert_one_line() {
    local n
    n=$(printf '%s\n' "$output" | wc -l)
    if [ "$n" -ne 1 ]; then
        echo "expected one line, got $n:" >&2
        printf '%s\n' "$output" >&2
        return 1
    fi
}

# noisy_history: records one benchmark at 8 levels (run-to-run noise of
# about 8%, 5 samples each with 0.4% spread inside a run), baseline = the first.
noisy_history() {
    local k i=0
    for k in 1.00 1.08 0.95 1.05 0.93 1.02 1.07 0.96; do
        i=$((i + 1))
        "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k "$k" -m "h$i" -i build-1 > "h$i.json"
        perfcmp record "h$i.json" > /dev/null
    done
    perfcmp baseline save --run 1 > /dev/null
}

# interrupt_once_stored OUT BEFORE ARGS...: runs `perfcmp ARGS...` with its
# stdout in a pipe that nobody reads until the database holds more than
# BEFORE runs; when the output is larger than a pipe holds, perfcmp is then
# blocked writing it after its commit.  Sends SIGINT there, lets the pipe
# drain into OUT and sets STORED_RC to perfcmp's exit status (its stderr
# goes to the test's).  Waits up to a minute: valgrind runs it too.
interrupt_once_stored() {
    local out=$1 before=$2 i
    shift 2
    rm -f go
    ( env --default-signal=INT "$PERFCMP_BIN" "$@" 2> stored.err &
      echo $! > pc.pid
      rc=0
      wait $! || rc=$?
      echo "$rc" > pc.rc ) |
        { while [ ! -e go ]; do sleep 0.05; done; cat > "$out"; } &
    for i in $(seq 1 1200); do
        [ "$(db_query 'SELECT COUNT(*) FROM runs' 2>/dev/null || echo 0)" -gt "$before" ] && break
        sleep 0.05
    done
    sleep 0.2
    kill -INT "$(cat pc.pid)"
    touch go
    wait
    cat stored.err >&2
    STORED_RC=$(cat pc.rc)
}
