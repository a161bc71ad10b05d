#!/usr/bin/env bats
# perfcmp baseline save|list|show|delete|import and --save-baseline.

load helpers
bats_require_minimum_version 1.5.0

PERFCMP_FILE=$DATA/perfcmp/examples.json

json_eval() {   # json_eval FILE SQL-EXPRESSION-ON-j
    sqlite3 :memory: "WITH d(j) AS (SELECT readfile('$1')) SELECT $2 FROM d"
}

seed() {
    perfcmp record --quiet "$PERFCMP_FILE" > /dev/null
    perfcmp record --quiet "$DATA/gbench/repetitions.json" > /dev/null
}

# Every (benchmark, metric, samples) of run $2 in database $1, one per line.
samples_of() {
    local hex='hex(s.data)'
    if db_is_server "$1"; then hex="upper(encode(s.data, 'hex'))"; fi
    db_query_in "$1" "SELECT b.name || ' ' || r.metric || ' ' || $hex FROM results r
        JOIN benchmarks b ON b.id = r.bench_id JOIN samples s ON s.result_id = r.id
        WHERE r.run_id = $2 ORDER BY r.id"
}

@test "baseline --help prints the usage on stdout" {
    run --separate-stderr perfcmp baseline --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: perfcmp baseline save"* ]]
    run --separate-stderr perfcmp baseline save --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: perfcmp baseline save"* ]]
}

@test "baseline save writes baselines/default.json for the latest run" {
    seed
    run perfcmp baseline save
    [ "$status" -eq 0 ]
    [ "$output" = "saved baseline 'default' (run 2) to 'baselines/default.json'" ]
    [ -f baselines/default.json ]
    [ "$(json_eval baselines/default.json "json_extract(j, '\$.schema') || ' ' || json_extract(j, '\$.baseline.name') || ' ' || json_extract(j, '\$.baseline.run_id')")" = "perfcmp-results default 2" ]
    [ "$(json_eval baselines/default.json "json_extract(j, '\$.context.source_format')")" = google-benchmark ]
    [ "$(db_query "SELECT run_id FROM baselines WHERE name = 'default'")" -eq 2 ]
    # no temporary file is left behind
    [ "$(ls baselines)" = default.json ]
}

@test "baseline save NAME --run ID --dir DIR" {
    seed
    run perfcmp baseline save release-1.0 --run 1 --dir ci/base
    [ "$status" -eq 0 ]
    [ -f ci/base/release-1.0.json ]
    [ "$(json_eval ci/base/release-1.0.json "json_array_length(j, '\$.benchmarks')")" -eq 16 ]
    run perfcmp runs
    [[ "${lines[2]}" == *" release-1.0"* ]]
}

@test "perfcmp --save-baseline NAME is baseline save" {
    seed
    run perfcmp --save-baseline nightly
    [ "$status" -eq 0 ]
    [ -f baselines/nightly.json ]
    run perfcmp --save-baseline other --run 1
    [ "$status" -eq 0 ]
    [ "$(db_query "SELECT run_id FROM baselines WHERE name = 'other'")" -eq 1 ]
}

@test "perfcmp --save-baseline=NAME is baseline save NAME" {
    seed
    run perfcmp --save-baseline=other --run 1
    [ "$status" -eq 0 ]
    [ "$(db_query "SELECT run_id FROM baselines WHERE name = 'other'")" -eq 1 ]
}

@test "baseline save moves an existing name to another run" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    perfcmp baseline save --run 2 > /dev/null
    [ "$(db_query "SELECT name || '=' || run_id FROM baselines")" = "default=2" ]
    [ "$(json_eval baselines/default.json "json_extract(j, '\$.baseline.run_id')")" -eq 2 ]
}

@test "baseline save refuses bad names with one line and writes nothing" {
    seed
    local before name
    before=$(db_checksum)
    for name in ../x a/b /abs "" .hidden "two words"; do
        run --separate-stderr perfcmp baseline save "$name"
        [ "$status" -eq 2 ]
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
        [[ "$stderr" == "error: invalid baseline name '$name': "* ]]
    done
    [ ! -e baselines ]
    [ ! -e x.json ]
    [ "$(db_checksum)" = "$before" ]
}

@test "baseline save of an unknown run or an empty database is refused" {
    run --separate-stderr perfcmp baseline save
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no runs recorded yet in '$PERFCMP_DB': nothing to save as baseline 'default'" ]
    seed
    local before
    before=$(db_checksum)
    run --separate-stderr perfcmp baseline save --run 42
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no run 42 in '$PERFCMP_DB'" ]
    [ ! -e baselines ]
    [ "$(db_checksum)" = "$before" ]
}

@test "baseline save rolls the database back when the file cannot be written" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    local before
    before=$(db_checksum)
    echo "not a directory" > blocker
    run --separate-stderr perfcmp baseline save --run 2 --dir blocker/sub
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: cannot create the directory of 'blocker/sub/default.json': Not a directory; baseline 'default' not saved" ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "baseline list shows database baselines and files not in it" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    perfcmp baseline save nightly --run 2 > /dev/null
    cp baselines/nightly.json baselines/from-ci.json
    run perfcmp baseline list
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    [[ "${lines[0]}" == NAME*RUN*COMMIT*"SAVED AT"*FILE ]]
    [[ "${lines[1]}" =~ ^default\ +1\ +f2fd88d\ .*baselines/default.json$ ]]
    [[ "${lines[2]}" =~ ^from-ci\ +-\ .*baselines/from-ci.json\ \(file\ only\)$ ]]
    [[ "${lines[3]}" =~ ^nightly\ +2\ .*baselines/nightly.json$ ]]
    perfcmp baseline list --format=json > list.json
    [ "$(json_eval list.json "json_array_length(j)")" -eq 3 ]
    [ "$(json_eval list.json "json_extract(j, '\$[1].in_database')")" -eq 0 ]
}

@test "baseline show reads the database first, then the file" {
    seed
    perfcmp baseline save --run 2 > /dev/null
    run perfcmp baseline show default
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "run 2 (google-benchmark)"* ]]
    [[ "$output" == *"baselines  default"* ]]
    store_wipe
    run perfcmp baseline show default
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "results file (google-benchmark)" ]]
    [[ "$output" == *"BM_sort/64"* ]]
    run --separate-stderr perfcmp baseline show nope
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no baseline 'nope' in '$PERFCMP_DB' nor 'baselines/nope.json'" ]
}

@test "baseline delete removes the name, and the file only with --file" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    run perfcmp baseline delete default
    [ "$status" -eq 0 ]
    [ "$output" = "deleted baseline 'default' (run 1 stays until pruned)" ]
    [ "$(db_query 'SELECT count(*) FROM baselines')" -eq 0 ]
    [ -f baselines/default.json ]
    run --separate-stderr perfcmp baseline delete default
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no baseline 'default' in '$PERFCMP_DB' (its file stays; add --file to delete it)" ]
    run perfcmp baseline delete default --file
    [ "$status" -eq 0 ]
    [ "$output" = "deleted 'baselines/default.json'" ]
    [ ! -e baselines/default.json ]
}

@test "baseline import into an empty database gives back the same benchmarks and samples" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    local src=$PERFCMP_DB
    PERFCMP_DB=$(store_new empty)
    run perfcmp baseline import baselines/default.json
    [ "$status" -eq 0 ]
    [ "$output" = "imported baseline 'default' from 'baselines/default.json' as run 1 (16 benchmarks)" ]
    [ "$(samples_of "$PERFCMP_DB" 1)" = "$(samples_of "$src" 1)" ]
    [ -n "$(samples_of "$src" 1)" ]
    [ "$(db_query "SELECT name || '=' || run_id FROM baselines")" = "default=1" ]
    # the context came along (commit, machine)
    [ "$(db_query 'SELECT git_commit FROM runs')" = "$(db_query_in "$src" 'SELECT git_commit FROM runs WHERE id = 1')" ]
}

@test "baseline import twice does not duplicate the run" {
    seed
    perfcmp baseline save --run 2 > /dev/null
    PERFCMP_DB=$(store_new other)
    perfcmp baseline import baselines/default.json > /dev/null
    local before
    before=$(db_query 'SELECT count(*) FROM runs')
    run perfcmp baseline import baselines/default.json
    [ "$status" -eq 0 ]
    [ "$output" = "baseline 'default' now points at run 1 (the same content was already stored)" ]
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq "$before" ]
    # under another name: still the same run
    run perfcmp baseline import baselines/default.json --name copy
    [ "$status" -eq 0 ]
    [ "$(db_query "SELECT name || '=' || run_id FROM baselines ORDER BY name" | paste -sd, -)" = "copy=1,default=1" ]
}

@test "baseline import into the database it came from reuses the run" {
    seed
    perfcmp baseline save --run 1 > /dev/null
    run perfcmp baseline import baselines/default.json --name again
    [ "$status" -eq 0 ]
    [ "$output" = "baseline 'again' now points at run 1 (the same content was already stored)" ]
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq 2 ]
}

@test "baseline import of a bad file changes nothing" {
    seed
    local before
    before=$(db_checksum)
    head -c 3000 "$PERFCMP_FILE" > broken.json
    run --separate-stderr perfcmp baseline import broken.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: 'broken.json': invalid JSON: unexpected end of file (truncated?)" ]
    run --separate-stderr perfcmp baseline import missing.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot read 'missing.json': No such file or directory" ]
    run --separate-stderr perfcmp baseline import "$PERFCMP_FILE" --name ../evil
    [ "$status" -eq 2 ]
    [[ "$stderr" == "error: invalid baseline name '../evil': "* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "baseline import names a plain results file after the file" {
    cp "$DATA/hyperfine/sleep.json" sleepy.json
    run perfcmp baseline import sleepy.json
    [ "$status" -eq 0 ]
    [ "$(db_query "SELECT name FROM baselines")" = sleepy ]
}

@test "baseline refuses unknown subcommands and options with one line" {
    run --separate-stderr perfcmp baseline frobnicate
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown baseline command 'frobnicate': expected save, list, show, delete or import (see 'perfcmp baseline --help')" ]
    run --separate-stderr perfcmp baseline save --bogus
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown option '--bogus' for 'baseline save' (see 'perfcmp baseline --help')" ]
    run --separate-stderr perfcmp baseline
    [ "$status" -eq 2 ]
}
