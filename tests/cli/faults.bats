#!/usr/bin/env bats
# Faults around the database and the benchmark binary, the quick ones
# (the long ones, 150 SIGKILLs and a full tmpfs, are in tests/stress/).
# Each must give exit status 2 (1 where a benchmark itself failed), one
# clear error line, and leave nothing half-written.

bats_require_minimum_version 1.5.0
load helpers

MKRESULTS=$PERFCMP_ROOT/tests/stress/mkresults.sh

# The helpers' teardown, kept: ours first undoes read-only mounts.
eval "helpers_$(declare -f teardown)"
RO_MOUNTS=()
teardown() {
    local m
    for m in "${RO_MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
    chmod -R u+w "$WORK" 2>/dev/null
    helpers_teardown
}

# Records N (default 2) valid runs of 3 benchmarks.
seed_db() {
    local i
    for i in $(seq 1 "${1:-2}"); do
        "$MKRESULTS" -m "seed-$i" > "seed-$i.json"
        run perfcmp record "seed-$i.json"
        [ "$status" -eq 0 ] || { echo "cannot record a valid file: $output" >&2; return 1; }
    done
}

# Asserts the last `run --separate-stderr`: exit 2, one line, "error: ".
assert_error_line() {
    echo "exit $status; stderr: $stderr" >&2
    [ "$status" -eq 2 ]
    [ -n "$stderr" ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: "* ]]
}

# make_readonly PATH: PATH (a file or a directory) becomes read-only for
# perfcmp.  Root ignores permissions, so as root a read-only bind mount
# is used; otherwise chmod.
make_readonly() {
    if [ "$(id -u)" -eq 0 ]; then
        mount --bind "$1" "$1" 2>/dev/null || skip "cannot bind-mount (needed as root to make '$1' read-only)"
        RO_MOUNTS+=("$1")
        mount -o remount,bind,ro "$1" 2>/dev/null || skip "cannot remount '$1' read-only"
    else
        chmod a-w "$1"
    fi
}

undo_readonly() {
    if [ "$(id -u)" -eq 0 ]; then umount "$1"; else chmod u+w "$1"; fi
}

# ---- the database ------------------------------------------------------

@test "record into a read-only database file fails in one line and changes nothing" {
    sqlite_only "its permissions"
    seed_db
    local before
    before=$(db_checksum)
    make_readonly "$PERFCMP_DB"
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp record new.json
    assert_error_line
    [[ "$stderr" == *"$PERFCMP_DB"* ]] || [[ "$stderr" == *"read-only"* ]] || [[ "$stderr" == *"readonly"* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "record into a database in a read-only directory fails in one line and changes nothing" {
    sqlite_only "its directory's permissions"
    mkdir dbdir
    export PERFCMP_DB=$WORK/dbdir/perfcmp.db
    seed_db
    local before
    before=$(db_checksum)
    make_readonly "$WORK/dbdir"
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp record new.json
    assert_error_line
    undo_readonly "$WORK/dbdir"
    [ "$(db_checksum)" = "$before" ]
}

@test "record creating a database in a read-only directory fails in one line" {
    mkdir dbdir
    make_readonly "$WORK/dbdir"
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp --db "$WORK/dbdir/perfcmp.db" record new.json
    assert_error_line
    [ ! -e "$WORK/dbdir/perfcmp.db" ]
}

@test "another application's SQLite database is refused and left alone" {
    sqlite3 other.db "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT);
                      INSERT INTO moz_places(url) VALUES ('https://example.org/');"
    local before
    before=$(db_checksum other.db)
    "$MKRESULTS" > r.json
    run --separate-stderr perfcmp --db other.db record r.json
    assert_error_line
    [[ "$stderr" == *other.db* ]]
    [ "$(db_checksum other.db)" = "$before" ]
    run --separate-stderr perfcmp --db other.db runs
    assert_error_line
    [ "$(db_checksum other.db)" = "$before" ]
}

@test "a database with an unrelated 'runs' table is refused" {
    db_query "CREATE TABLE runs(id INTEGER PRIMARY KEY, distance_km REAL);
              INSERT INTO runs VALUES (1, 5.2);"
    local before
    before=$(db_checksum)
    "$MKRESULTS" > r.json
    run --separate-stderr perfcmp record r.json
    assert_error_line
    [[ "$stderr" == *"not a perfcmp database"* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "a text file as the database is refused and left alone" {
    printf 'these are my notes\nnot a database\n' > notes.txt
    local before
    before=$(sha256sum < notes.txt)
    "$MKRESULTS" > r.json
    run --separate-stderr perfcmp --db notes.txt record r.json
    assert_error_line
    [[ "$stderr" == *notes.txt* ]]
    [ "$(sha256sum < notes.txt)" = "$before" ]
    [ ! -e notes.txt-wal ] && [ ! -e notes.txt-journal ]
}

@test "a directory as the database is refused in one line" {
    mkdir adir.db
    "$MKRESULTS" > r.json
    run --separate-stderr perfcmp --db adir.db record r.json
    assert_error_line
}

@test "a database from a newer perfcmp is refused and left alone" {
    seed_db
    db_schema_version 999
    local before
    before=$(db_checksum)
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp record new.json
    assert_error_line
    [[ "$stderr" == *version* ]] || [[ "$stderr" == *newer* ]]
    [ "$(db_checksum)" = "$before" ]
    [ "$(db_schema_version)" -eq 999 ]
    run --separate-stderr perfcmp runs
    assert_error_line
}

@test "a database path under a regular file is refused in one line" {
    printf 'x' > afile
    "$MKRESULTS" > r.json
    run --separate-stderr perfcmp --db afile/sub/perfcmp.db record r.json
    assert_error_line
    [ "$(cat afile)" = x ]
}

@test "record waits for another process's write lock instead of failing" {
    seed_db
    # another writer holds the lock for 2 seconds
    hold_write_lock 2 &
    local holder=$! i
    for i in $(seq 300); do [ -e locked ] && break; sleep 0.1; done
    [ -e locked ]
    "$MKRESULTS" -m waited > w.json
    run --separate-stderr perfcmp record w.json
    wait "$holder"
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
    [ -e releasing ]
    [ "$(db_query "SELECT COUNT(*) FROM runs WHERE command = 'waited'")" -eq 1 ]
}

# corrupt FROM COUNT: overwrites COUNT bytes of the database from offset FROM
# with a fixed pattern.
corrupt() {
    head -c "$2" /dev/zero | tr '\0' '\245' |
        dd of="$PERFCMP_DB" bs=1 seek="$1" conv=notrunc status=none
}

@test "a database whose pages after the first are garbage is refused in one line" {
    sqlite_only "its pages"
    seed_db 3
    sqlite3 "$PERFCMP_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    local size
    size=$(stat -c %s "$PERFCMP_DB")
    corrupt 4096 $((size - 4096))
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp record new.json
    assert_error_line
    run --separate-stderr perfcmp runs
    assert_error_line
}

@test "a database with bytes overwritten in the middle never crashes perfcmp" {
    sqlite_only "its pages"
    seed_db 3
    sqlite3 "$PERFCMP_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    local size reported=0 cmd
    size=$(stat -c %s "$PERFCMP_DB")
    # from the start of the middle page, so that its header is hit
    # whatever the layout (the middle of a page may be free space)
    corrupt $((size / 2 / 4096 * 4096)) 1024
    "$MKRESULTS" -m new > new.json
    # each command either works or says so in one line; at least one of
    # them reads the damaged page and must report it
    for cmd in "runs" "show 1" "show 2" "show 3" "history bench/0" "compare 3 --against 1" "record new.json"; do
        # shellcheck disable=SC2086
        run --separate-stderr perfcmp $cmd
        echo "$cmd: exit $status: $stderr" >&2
        [ "$status" -le 2 ]
        if [ "$status" -eq 2 ]; then
            [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
            [[ "$stderr" == "error: "* ]]
            reported=1
        fi
    done
    [ "$reported" -eq 1 ]
}

@test "a database with a garbage header is refused and left alone" {
    sqlite_only "its header"
    seed_db
    sqlite3 "$PERFCMP_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    corrupt 0 100
    local before
    before=$(sha256sum < "$PERFCMP_DB")
    "$MKRESULTS" -m new > new.json
    run --separate-stderr perfcmp record new.json
    assert_error_line
    [ "$(sha256sum < "$PERFCMP_DB")" = "$before" ]
}

@test "record on a full disk (ulimit -f) fails in one line and changes nothing" {
    sqlite_only "its size on a full disk"
    seed_db
    sqlite3 "$PERFCMP_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    local before blocks
    before=$(db_checksum)
    # no file may grow past the database's current size; SIGXFSZ ignored
    # so that write(2) fails with EFBIG instead of killing the process
    blocks=$(( $(stat -c %s "$PERFCMP_DB") / 1024 ))
    "$MKRESULTS" -b 500 -s 50 -m big > big.json
    run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f "$1"; exec "$2" record big.json' _ "$blocks" "$PERFCMP_BIN"
    assert_error_line
    [ "$(db_checksum)" = "$before" ]
    [ "$(sqlite3 "$PERFCMP_DB" 'PRAGMA integrity_check')" = ok ]
    # and once there is room again
    run perfcmp record big.json
    [ "$status" -eq 0 ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 3 ]
}

@test "a record killed with SIGKILL leaves its run whole or absent (10 times)" {
    seed_db 1
    "$MKRESULTS" -b 400 -s 20 -m big > big.json
    local k n
    for k in $(seq 1 10); do
        "$MKRESULTS" -b 400 -s 20 -m "kill-$k" > "k.json"
        "$PERFCMP_BIN" record k.json > /dev/null 2>&1 &
        sleep "0.0$((RANDOM % 10))"
        kill -KILL $! 2>/dev/null || true     # it may have finished
        wait $! || true
        run perfcmp runs
        [ "$status" -eq 0 ]
    done
    [ "$(db_intact)" = ok ]
    n=$(db_query "SELECT COUNT(*) FROM runs r WHERE
          (SELECT COUNT(DISTINCT bench_id) FROM results WHERE run_id = r.id) != r.nbenches")
    [ "$n" -eq 0 ]
}

# ---- the benchmark binary under `perfcmp run` ----------------------------

# fake_bench NAME BODY: a shell script standing in for a bench binary.  It
# gets the arguments of `perfcmp run` after `--`, then --out=FILE; BODY
# sees the output path in $out.
fake_bench() {
    cat > "$1" <<SCRIPT
#!/bin/sh
out=
for a in "\$@"; do case \$a in --out=*) out=\${a#--out=} ;; esac; done
$2
SCRIPT
    chmod +x "$1"
}

# run_bench BIN: `perfcmp run` against a seeded database; asserts that the
# database did not change.  Temporary files go to $WORK/tmp.
run_bench() {
    seed_db
    mkdir -p tmp
    local before
    before=$(db_checksum)
    run --separate-stderr env TMPDIR="$WORK/tmp" "$PERFCMP_BIN" run --against 1 -- "$@"
    echo "exit $status; stderr: $stderr" >&2
    [ "$(db_checksum)" = "$before" ]
    [ -z "$(ls -A tmp)" ]
}

@test "run: a benchmark binary that crashes is reported and nothing is recorded" {
    fake_bench crasher 'kill -SEGV $$'
    run_bench ./crasher
    [ "$status" -eq 2 ]
    [[ "$stderr" == *crasher* ]]
    [[ "$stderr" == *signal* ]] || [[ "$stderr" == *SEGV* ]] || [[ "$stderr" == *Segmentation* ]]
}

@test "run: a benchmark binary that prints garbage instead of JSON is reported" {
    fake_bench garbage 'head -c 300 /dev/urandom; printf "\x00\xff{{{not json" > "$out"'
    run_bench ./garbage
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | grep -c '^error: ')" -eq 1 ]
}

@test "run: a benchmark binary that writes a truncated result file is reported" {
    "$MKRESULTS" -m trunc > full.json
    head -c "$(( $(stat -c %s full.json) / 2 ))" full.json > half.json
    fake_bench truncator "cat '$WORK/half.json' > \"\$out\""
    run_bench ./truncator
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | grep -c '^error: ')" -eq 1 ]
}

@test "run: a benchmark binary that writes no result file is reported" {
    fake_bench silent 'echo "all fine"; exit 0'
    run_bench ./silent
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | grep -c '^error: ')" -eq 1 ]
}

@test "run: a benchmark binary that exits non-zero after a valid file is reported" {
    "$MKRESULTS" -m exit3 > full.json
    fake_bench exiter "cat '$WORK/full.json' > \"\$out\"; exit 3"
    run_bench ./exiter
    [ "$status" -eq 2 ]
    [[ "$stderr" == *3* ]]
}

@test "run: a binary that does not exist is reported in one line" {
    run_bench ./no-such-bench
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "run: benchmarks that crash, exit, hang or fail are recorded as failed, exit 1" {
    [ -x "$FIXTURES/isolation" ] || skip "the isolation fixture is not built"
    seed_db
    run --separate-stderr perfcmp run --quiet -- "$FIXTURES/isolation" --samples=3 --min-time=0.01
    echo "exit $status; stderr: $stderr" >&2
    [ "$status" -eq 1 ]
    local id
    id=$(db_query 'SELECT MAX(id) FROM runs')
    [ "$id" -eq 3 ]
    # the broken benchmarks are there with their status and no samples
    run db_query "SELECT b.name, r.status FROM results r JOIN benchmarks b ON b.id = r.bench_id
                               WHERE r.run_id = $id AND r.metric IS NULL ORDER BY r.id"
    [[ "$output" == *segfault* ]] && [[ "$output" == *forever* ]]
    [ "$(db_query "SELECT COUNT(*) FROM samples s JOIN results r ON r.id = s.result_id
                                JOIN benchmarks b ON b.id = r.bench_id
                                WHERE r.run_id = $id AND b.name IN ('segfault', 'exit3', 'forever')")" -eq 0 ]
    # the good ones were measured
    [ "$(db_query "SELECT COUNT(*) FROM results r JOIN benchmarks b ON b.id = r.bench_id
                                WHERE r.run_id = $id AND b.name IN ('before', 'after') AND r.metric = 'wall_time'")" -eq 2 ]
}

@test "run: SIGINT stops a hanging benchmark binary and records nothing" {
    seed_db
    mkdir -p tmp
    fake_bench hang "echo \$\$ > '$WORK/child.pid'; exec sleep 600"
    local before pid i
    before=$(db_checksum)
    # a background job starts with SIGINT ignored: restore the default
    env --default-signal=INT TMPDIR="$WORK/tmp" "$PERFCMP_BIN" run --against 1 -- ./hang \
        > run.out 2> run.err &
    pid=$!
    for i in $(seq 1 100); do [ -s child.pid ] && break; sleep 0.1; done
    [ -s child.pid ]
    kill -INT "$pid"
    local rc=0
    wait "$pid" || rc=$?
    cat run.err >&2
    [ "$rc" -eq 130 ]
    # the child is gone (give the kernel a moment to reap it)
    for i in $(seq 1 50); do kill -0 "$(cat child.pid)" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$(cat child.pid)" 2>/dev/null
    [ "$(db_checksum)" = "$before" ]
    [ "$(db_intact)" = ok ]
    [ -z "$(ls -A tmp)" ]
}

@test "run: an interrupt after the run is stored lets the report finish (exit 0, not 130)" {
    seed_db
    "$MKRESULTS" -b 2000 -m late > big.json
    fake_bench big "cp '$WORK/big.json' \"\$out\""
    local before
    before=$(db_query 'SELECT COUNT(*) FROM runs')
    # The report (2000 rows, more than a pipe holds) goes into a pipe that
    # nobody reads until 'go' exists, so perfcmp blocks writing it: after
    # the run is stored.  Exit 130 would claim that nothing was recorded.
    interrupt_once_stored report.txt "$before" run --against 1 -- ./big
    [ "$STORED_RC" -eq 0 ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq $((before + 1)) ]
    # the whole report came out, up to its summary line
    [ "$(grep -c '^ *bench/' report.txt)" -eq 2000 ]
    tail -n 1 report.txt | grep -q '3 unchanged, 1997 new'
    [ "$(db_intact)" = ok ]
}

@test "run: SIGTERM stops a hanging benchmark binary and records nothing" {
    seed_db
    mkdir -p tmp
    fake_bench hang "echo \$\$ > '$WORK/child.pid'; exec sleep 600"
    local before pid i
    before=$(db_checksum)
    TMPDIR="$WORK/tmp" "$PERFCMP_BIN" run --against 1 -- ./hang > run.out 2> run.err &
    pid=$!
    for i in $(seq 1 100); do [ -s child.pid ] && break; sleep 0.1; done
    [ -s child.pid ]
    kill -TERM "$pid"
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 143 ]
    for i in $(seq 1 50); do kill -0 "$(cat child.pid)" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$(cat child.pid)" 2>/dev/null
    [ "$(db_checksum)" = "$before" ]
    [ -z "$(ls -A tmp)" ]
}

@test "run --timeout stops a hanging benchmark binary, records nothing, exit 2" {
    fake_bench hang "echo \$\$ > '$WORK/child.pid'; exec sleep 600"
    seed_db
    mkdir -p tmp
    local before i
    before=$(db_checksum)
    run --separate-stderr env TMPDIR="$WORK/tmp" "$PERFCMP_BIN" run --timeout 0.5 --against 1 -- ./hang
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: './hang' did not finish within 0.5 s (--timeout) and was killed" ]]
    for i in $(seq 1 50); do kill -0 "$(cat child.pid)" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$(cat child.pid)" 2>/dev/null
    [ "$(db_checksum)" = "$before" ]
    [ -z "$(ls -A tmp)" ]
}

@test "run --timeout refuses a value that is not a positive number of seconds" {
    seed_db
    for v in 0 -1 abc 1e999 ''; do
        run --separate-stderr "$PERFCMP_BIN" run --timeout="$v" -- /bin/true
        [ "$status" -eq 2 ]
        [[ "$stderr" == "error: invalid value '$v' for --timeout: expected seconds > 0" ]]
    done
}
