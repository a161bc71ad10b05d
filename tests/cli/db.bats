#!/usr/bin/env bats
# perfcmp db copy between two SQLite files: no server needed, so these run
# in every pass (the server to file and back is in postgres.bats).

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
    fill a.db
    run perfcmp db copy a.db b.db
    [ "$status" -eq 0 ]
    [ "$output" = "copied 4 runs (0 already there) and 1 baseline from 'a.db' to 'b.db'" ]
    [ "$(perfcmp --db a.db runs)" = "$(perfcmp --db b.db runs)" ]
    # every sample, the context and the note; only the recording time is new
    strip() { sed 's/"recorded_at":"[^"]*"//'; }
    [ "$(perfcmp --db a.db show 4 --format=json | strip)" = "$(perfcmp --db b.db show 4 --format=json | strip)" ]
    [ "$(perfcmp --db a.db show 1 --format=json | strip)" = "$(perfcmp --db b.db show 1 --format=json | strip)" ]
    [ "$(perfcmp --db b.db show 1 --format=json | grep -c '"note":"first"')" -eq 1 ]
    run perfcmp --db b.db compare 4 --baseline main
    [ "$status" -eq 1 ]
    # again: nothing new
    run perfcmp db copy a.db b.db
    [ "$status" -eq 0 ]
    [ "$output" = "copied 0 runs (4 already there) and 0 baselines from 'a.db' to 'b.db'" ]
    # a third record of the same content in a.db is the one copied
    perfcmp --db a.db record "$DATA/perfcmp/examples.json" >/dev/null
    run perfcmp db copy a.db b.db
    [ "$output" = "copied 1 run (4 already there) and 0 baselines from 'a.db' to 'b.db'" ]
    [ "$(perfcmp --db b.db runs --format=json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 5 ]
}

@test "db copy: a baseline name taken in DST is left alone, with a warning" {
    fill a.db
    perfcmp --db b.db record "$DATA/compare/faster.json" >/dev/null
    perfcmp --db b.db baseline save main --run 1 --dir bl2 >/dev/null
    run --separate-stderr perfcmp db copy a.db b.db
    [ "$status" -eq 0 ]
    [ "$stderr" = "warning: baseline 'main' left as it is in 'b.db' (run 1)" ]
    [ "$output" = "copied 4 runs (0 already there) and 0 baselines from 'a.db' to 'b.db'" ]
    [ "$(perfcmp --db b.db baseline list | grep -c '^main ')" -eq 1 ]
    perfcmp --db b.db baseline list | grep '^main ' | grep -q ' 1 '
}

@test "db copy: bad arguments are one line, exit 2, and change nothing" {
    fill a.db
    perfcmp --db b.db record "$DATA/compare/faster.json" >/dev/null
    before=$(db_checksum b.db)
    run perfcmp db
    [ "$status" -eq 2 ]
    [ "$output" = "error: no db command given: expected copy (see 'perfcmp db --help')" ]
    run perfcmp db copy a.db
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp db copy a.db b.db c.db
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp db copy missing.db b.db
    [ "$status" -eq 2 ]
    [ "$output" = "error: cannot open database 'missing.db': no such file" ]
    run perfcmp db copy b.db b.db
    [ "$status" -eq 2 ]
    [ "$output" = "error: SRC and DST are the same store 'b.db'" ]
    run perfcmp db copy --force a.db b.db
    [ "$status" -eq 2 ]
    [ "$output" = "error: unknown option '--force' (see 'perfcmp db --help')" ]
    run perfcmp db move a.db b.db
    [ "$status" -eq 2 ]
    [ "$output" = "error: unknown db command 'move' (see 'perfcmp db --help')" ]
    echo "not a database" > junk.db
    run perfcmp db copy junk.db b.db
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$(db_checksum b.db)" = "$before" ]
    [ ! -e c.db ]
}
