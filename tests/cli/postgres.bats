#!/usr/bin/env bats
# The PostgreSQL store, against the private server scripts/run-tests.sh
# starts (tests/pg/server.sh; $PERFCMP_TEST_PG_URL names its database).
# Every command is run on both stores over the same inputs and must say the
# same; then what only a server can do wrong: passwords, an unreachable
# host, a newer schema.  Each test gets a database of its own.
# Skipped, with the reason, when no server was started, and in the pass
# of the whole suite on PostgreSQL (PERFCMP_TEST_STORE=pg).

load helpers

setup() {
    [ -n "${PERFCMP_TEST_PG_URL:-}" ] || skip "no PostgreSQL test server (PERFCMP_TEST_PG_URL unset)"
    if store_is_pg; then skip "uses both stores itself: it ran in the SQLite pass"; fi
    WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/perfcmp-test.XXXXXX")
    cd "$WORK"
    PGDB=pc_$$_${BATS_TEST_NUMBER}
    psql -q -X "$PERFCMP_TEST_PG_URL" -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null
    PG_URL=${PERFCMP_TEST_PG_URL%/*}/$PGDB
    export PERFCMP_DB=$PG_URL
}

teardown() {
    cd /
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
    if [ -n "${PGDB:-}" ]; then
        psql -q -X "$PERFCMP_TEST_PG_URL" -c "SET client_min_messages = warning" \
            -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null || true
    fi
}

# Records the same inputs into $1 (a store): two runs of the examples, a
# baseline, a faster and a slower run of the compare fixtures.
fill() {
    local db=$1
    perfcmp --db "$db" record --note "first" "$DATA/perfcmp/examples.json" >/dev/null
    perfcmp --db "$db" record "$DATA/perfcmp/examples.json" >/dev/null
    perfcmp --db "$db" record "$DATA/compare/base.json" >/dev/null
    perfcmp --db "$db" baseline save main --run 3 --dir bl >/dev/null
    perfcmp --db "$db" record "$DATA/compare/slower.json" >/dev/null
    perfcmp --db "$db" record "$DATA/compare/faster.json" >/dev/null
}

# Runs a command on store $1 and prints its status and output, with the
# store's name and the times of recording made alike.
said() {
    local db=$1 rc=0
    shift
    out=$(perfcmp --db "$db" "$@" 2>&1) || rc=$?
    printf 'rc=%s\n%s\n' "$rc" "$out" |
        sed -e "s|$db|DB|g" -e 's/recorded 20[0-9T:-]*Z/recorded T/g' \
            -e 's/"recorded_at":[[:space:]]*"[^"]*"/"recorded_at": "T"/g' \
            -e "s/$(date -u +%Y-%m-%d)T[0-9:]*Z/NOW/g"
}

@test "every command says the same on PostgreSQL as on SQLite" {
    fill "$WORK/lite.db"
    fill "$PG_URL"
    name=$(perfcmp --db "$PG_URL" show 1 --format=json |
           python3 -c 'import json,sys; print(json.load(sys.stdin)["benchmarks"][0]["name"])')
    while IFS= read -r cmd; do
        # shellcheck disable=SC2086
        lite=$(said "$WORK/lite.db" $cmd)
        # shellcheck disable=SC2086
        pg=$(said "$PG_URL" $cmd)
        if [ "$lite" != "$pg" ]; then
            echo "differs: perfcmp $cmd" >&2
            diff <(echo "$lite") <(echo "$pg") >&2 || true
            return 1
        fi
    done <<EOF2
runs
runs --last 2 --branch main
runs --format=json
show 1
show latest --format=json
show 4 --format=json
history $name
history $name --format=json
compare --baseline main
compare 5 --baseline main --format=json
compare --against 3 4
baseline list
baseline show main
trend
trend --format=json
plot trend $name -o t.svg --script-only
plot compare --baseline main -o c.svg --script-only
plot dist $name 2 --against 1 -o d.svg --script-only
prune --keep-last 2 --dry-run
prune --keep-last 2
runs
EOF2
    perfcmp --db "$WORK/lite.db" report --html lite-html --baseline main >/dev/null
    perfcmp --db "$PG_URL" report --html pg-html --baseline main >/dev/null
    diff <(sed "s|$WORK/lite.db|DB|g" lite-html/index.html) <(sed "s|$PG_URL|DB|g" pg-html/index.html)
}

@test "run and baseline save record into the server" {
    cat > fake <<EOF2
#!/bin/sh
for a in "\$@"; do case \$a in --out=*) cp "$DATA/compare/base.json" "\${a#--out=}" ;; esac; done
EOF2
    chmod +x fake
    run perfcmp run --quiet --save-baseline --baseline-dir bl -- ./fake
    [ "$status" -eq 0 ]
    run perfcmp run --baseline-dir bl -- ./fake
    [ "$status" -eq 0 ]
    run perfcmp runs --format=json
    [ "$(printf '%s' "$output" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 2 ]
    run perfcmp baseline delete default
    [ "$status" -eq 0 ]
    run perfcmp baseline list
    [[ "$output" != *"default "* ]] || [[ "$output" == *"bl/"* ]]
}

@test "a wrong password is one line, exit 2, and never printed" {
    bad=$(printf '%s' "$PG_URL" | sed 's|:[^:@/]*@|:n0t-the-pw@|')
    run perfcmp --db "$bad" runs
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == *"password authentication failed"* ]]
    [[ "$output" != *"n0t-the-pw"* ]]
    [[ "$output" == *":***@"* ]]
    # nor the right one, in any error line
    run env PERFCMP_DB="$PG_URL" "$PERFCMP_BIN" show 99
    [ "$status" -eq 2 ]
    [[ "$output" != *"perfcmp-test-pw"* ]]
    run perfcmp --db "${PG_URL%%\?*}?password=n0t-the-pw" runs
    [ "$status" -eq 2 ]
    [[ "$output" != *"n0t-the-pw"* ]]
}

@test "an unreachable server is one line and exit 2" {
    run perfcmp --db "postgresql://u:pw@127.0.0.1:1/db" runs
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: cannot open database 'postgresql://u:***@127.0.0.1:1/db': "* ]]
}

@test "a database with a newer schema is refused and left alone" {
    perfcmp record "$DATA/compare/base.json" >/dev/null
    psql -q -X "$PG_URL" -c "UPDATE perfcmp_schema SET version = 99"
    run perfcmp record "$DATA/compare/base.json"
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == *"database schema version 99 is newer than this perfcmp supports"* ]]
    [ "$(psql -X -At "$PG_URL" -c 'SELECT count(*) FROM runs')" -eq 1 ]
}

@test "a libpq keyword string opens the same database" {
    perfcmp record "$DATA/compare/base.json" >/dev/null
    kw=$(python3 - "$PG_URL" <<'EOF2'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1])
print(f"host={p.hostname} port={p.port} user={p.username} password={p.password} dbname={p.path[1:]}")
EOF2
)
    run perfcmp --db "$kw" runs
    [ "$status" -eq 0 ]
    [[ "$output" == *"1 "* ]]
}

@test "db copy moves a SQLite history to the server and back, once" {
    fill "$WORK/lite.db"
    run perfcmp db copy "$WORK/lite.db" "$PG_URL"
    [ "$status" -eq 0 ]
    [[ "$output" == "copied 5 runs (0 already there) and 1 baseline from '$WORK/lite.db' to 'postgresql://perfcmp:***@"* ]]
    [[ "$output" != *perfcmp-test-pw* ]]
    run perfcmp db copy "$WORK/lite.db" "$PG_URL"
    [ "$status" -eq 0 ]
    [[ "$output" == "copied 0 runs (5 already there) and 0 baselines from "* ]]
    [ "$(psql -X -At "$PG_URL" -c 'SELECT count(*) FROM runs')" -eq 5 ]
    # what the server holds reads as the file did
    for cmd in "runs" "show 4 --format=json" "compare --baseline main" "trend"; do
        # shellcheck disable=SC2086
        [ "$(said "$WORK/lite.db" $cmd)" = "$(said "$PG_URL" $cmd)" ]
    done
    # and back into a new file, whole
    run perfcmp db copy "$PG_URL" "$WORK/back.db"
    [ "$status" -eq 0 ]
    [[ "$output" == "copied 5 runs (0 already there) and 1 baseline from "* ]]
    [ "$(said "$WORK/lite.db" show 5 --format=json)" = "$(said "$WORK/back.db" show 5 --format=json)" ]
    # a run recorded on the server alone is the only one copied back
    perfcmp record "$DATA/compare/same.json" >/dev/null
    run perfcmp db copy "$PG_URL" "$WORK/back.db"
    [[ "$output" == "copied 1 run (5 already there) and 0 baselines from "* ]]
}

@test "db copy: usage errors and a missing source are one line, exit 2" {
    run perfcmp db copy only-one.db
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp db copy missing.db "$PG_URL"
    [ "$status" -eq 2 ]
    [ "$output" = "error: cannot open database 'missing.db': no such file" ]
    run perfcmp db frobnicate
    [ "$status" -eq 2 ]
    run perfcmp db --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: perfcmp db copy SRC DST"* ]]
    [ "$(psql -X -At "$PG_URL" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'runs'")" -eq 0 ]
}
