#!/usr/bin/env bats
# Output that cannot be written and a database that another process holds
# locked: errors a user meets on a full disk or beside another writer
# (docs/reliability.md).  /dev/full fails every write with ENOSPC.

bats_require_minimum_version 1.5.0
load helpers

MKRESULTS=$PERFCMP_ROOT/tests/stress/mkresults.sh

setup_file() {
    [ -w /dev/full ] || skip "no writable /dev/full"
}

# one run of 3 benchmarks, saved as baseline 'default'
seed_run() {
    "$MKRESULTS" -b 3 -m seed > seed.json
    perfcmp record seed.json > /dev/null
    perfcmp baseline save > /dev/null 2>&1
}

@test "show --format=json to a full disk fails in one line, not silently with exit 0" {
    seed_run
    run --separate-stderr perfcmp show 1 --format=json
    [ "$status" -eq 0 ]
    [ -n "$output" ]
    run --separate-stderr bash -c 'exec "$1" show 1 --format=json > /dev/full' _ "$PERFCMP_BIN"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot write to standard output: No space left on device" ]
}

@test "runs, history and compare to a full disk exit 2 with one error line" {
    seed_run
    for cmd in "runs" "runs --format=json" "compare" "history --help"; do
        # shellcheck disable=SC2086
        run --separate-stderr bash -c 'exec "$@" > /dev/full' _ "$PERFCMP_BIN" $cmd
        [ "$status" -eq 2 ] || { echo "$cmd: exit $status" >&2; return 1; }
        [ "$(printf '%s\n' "$stderr" | grep -c '^error: ')" -eq 1 ] || { echo "$cmd: $stderr" >&2; return 1; }
        [[ "$stderr" == *"No space left on device"* ]]
    done
}

@test "record to a full standard output still stores its run and says the message was lost" {
    "$MKRESULTS" -b 2 -m lost > lost.json
    run --separate-stderr bash -c 'exec "$1" record lost.json > /dev/full' _ "$PERFCMP_BIN"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot write to standard output: No space left on device" ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 1 ]
}

@test "record waits for another process's write lock and then stores its run" {
    seed_run
    "$MKRESULTS" -b 3 -m waited > waited.json
    # another writer holds the database's write lock for 3 seconds
    hold_write_lock 3 &
    local holder=$! i
    for i in $(seq 300); do [ -e locked ] && break; sleep 0.1; done
    [ -e locked ]
    run --separate-stderr perfcmp record waited.json
    wait "$holder"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    # it finished only after the lock was given up
    [ -e releasing ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 2 ]
    [ "$(db_intact)" = ok ]
}
