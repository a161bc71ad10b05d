#!/usr/bin/env bats
# perfcmp db copy between two stores of the pass's kind: two SQLite files,
# or two databases on the server in the PostgreSQL pass (store_new; a file
# to the server and back is in postgres.bats).

load helpers
bats_require_minimum_version 1.5.0

fill() {
    perfcmp --db "$1" record --note "first" "$DATA/perfcmp/examples.json" >/dev/null
    perfcmp --db "$1" record "$DATA/perfcmp/examples.json" >/dev/null
    perfcmp --db "$1" record "$DATA/compare/base.json" >/dev/null
    perfcmp --db "$1" baseline save main --run 3 --dir bl >/dev/null
    perfcmp --db "$1" record "$DATA/compare/slower.json" >/dev/null
}

@test "db copy: every run (content recorded twice too) and the baseline, once" {
    a=$(store_new a)
    b=$(store_new b)
    fill "$a"
    run perfcmp db copy "$a" "$b"
    [ "$status" -eq 0 ]
    [ "$output" = "copied 4 runs (0 already there) and 1 baseline from '$a' to '$b'" ]
    [ "$(perfcmp --db "$a" runs)" = "$(perfcmp --db "$b" runs)" ]
    # every sample, the context and the note; only the recording time is new
    strip() { sed 's/"recorded_at":"[^"]*"//'; }
    [ "$(perfcmp --db "$a" show 4 --format=json | strip)" = "$(perfcmp --db "$b" show 4 --format=json | strip)" ]
    [ "$(perfcmp --db "$a" show 1 --format=json | strip)" = "$(perfcmp --db "$b" show 1 --format=json | strip)" ]
    [ "$(perfcmp --db "$b" show 1 --format=json | grep -c '"note":"first"')" -eq 1 ]
    run perfcmp --db "$b" compare 4 --baseline main
    [ "$status" -eq 1 ]
    # again: nothing new
    run perfcmp db copy "$a" "$b"
    [ "$status" -eq 0 ]
    [ "$output" = "copied 0 runs (4 already there) and 0 baselines from '$a' to '$b'" ]
    # a third record of the same content in SRC is the one copied
    perfcmp --db "$a" record "$DATA/perfcmp/examples.json" >/dev/null
    run perfcmp db copy "$a" "$b"
    [ "$output" = "copied 1 run (4 already there) and 0 baselines from '$a' to '$b'" ]
    [ "$(perfcmp --db "$b" runs --format=json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 5 ]
}

@test "db copy: a baseline name taken in DST is left alone, with a warning" {
    a=$(store_new a)
    b=$(store_new b)
    fill "$a"
    perfcmp --db "$b" record "$DATA/compare/faster.json" >/dev/null
    perfcmp --db "$b" baseline save main --run 1 --dir bl2 >/dev/null
    run --separate-stderr perfcmp db copy "$a" "$b"
    [ "$status" -eq 0 ]
    [ "$stderr" = "warning: baseline 'main' left as it is in '$b' (run 1)" ]
    [ "$output" = "copied 4 runs (0 already there) and 0 baselines from '$a' to '$b'" ]
    [ "$(perfcmp --db "$b" baseline list | grep -c '^main ')" -eq 1 ]
    perfcmp --db "$b" baseline list | grep '^main ' | grep -q ' 1 '
}

@test "db copy: bad arguments are one line, exit 2, and change nothing" {
    a=$(store_new a)
    b=$(store_new b)
    fill "$a"
    perfcmp --db "$b" record "$DATA/compare/faster.json" >/dev/null
    before=$(db_checksum "$b")
    run perfcmp db
    [ "$status" -eq 2 ]
    [ "$output" = "error: no db command given: expected copy (see 'perfcmp db --help')" ]
    run perfcmp db copy "$a"
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp db copy "$a" "$b" c.db
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp db copy missing.db "$b"
    [ "$status" -eq 2 ]
    [ "$output" = "error: cannot open database 'missing.db': no such file" ]
    run perfcmp db copy "$b" "$b"
    [ "$status" -eq 2 ]
    [ "$output" = "error: SRC and DST are the same store '$b'" ]
    run perfcmp db copy --force "$a" "$b"
    [ "$status" -eq 2 ]
    [ "$output" = "error: unknown option '--force' (see 'perfcmp db --help')" ]
    run perfcmp db move "$a" "$b"
    [ "$status" -eq 2 ]
    [ "$output" = "error: unknown db command 'move' (see 'perfcmp db --help')" ]
    echo "not a database" > junk.db
    run perfcmp db copy junk.db "$b"
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$(db_checksum "$b")" = "$before" ]
    [ ! -e c.db ]
}

@test "a libpq that cannot be loaded is one line and exit 2, nothing else opened (PERFCMP_LIBPQ)" {
    PERFCMP_LIBPQ=$WORK/no-such-libpq.so run perfcmp --db postgresql://ci:secret@127.0.0.1:1/perf runs
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: cannot open database 'postgresql://ci:***@127.0.0.1:1/perf': the PostgreSQL client library cannot be loaded (apt-get install libpq5): $WORK/no-such-libpq.so: cannot open shared object file: No such file or directory" ]
    # a library that is not libpq
    PERFCMP_LIBPQ=libm.so.6 run perfcmp --db postgresql://ci@127.0.0.1:1/perf runs
    [ "$status" -eq 2 ]
    [ "$output" = "error: cannot open database 'postgresql://ci@127.0.0.1:1/perf': the PostgreSQL client library 'libm.so.6' has no PQconnectdb: not libpq, or one older than PostgreSQL 10" ]
    # SQLite stores never load it
    PERFCMP_LIBPQ=$WORK/no-such-libpq.so run perfcmp --db "$WORK/x.db" runs
    [ "$status" -eq 0 ]
}
