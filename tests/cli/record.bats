#!/usr/bin/env bats
# perfcmp record: storing result files of every format, and refusing bad
# ones without touching the database.

load helpers
bats_require_minimum_version 1.5.0

PERFCMP_FILE=$DATA/perfcmp/examples.json

# json_get FILE PATH: a value from a JSON file (sqlite3's JSON functions).
json_get() {
    sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"
}

# refused FILE... : exit 2, one line on stderr naming the first file, and
# the database unchanged.
refused() {
    local before
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$@"
    echo "exit $status; stdout: $output; stderr: $stderr" >&2
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: "*"'$1'"* ]]
    [ "$(db_checksum)" = "$before" ]
}

seed() {
    run perfcmp record "$PERFCMP_FILE"
    [ "$status" -eq 0 ]
}

@test "record --help prints the usage on stdout" {
    run --separate-stderr perfcmp record --help
    [ "$status" -eq 0 ]
    [[ "$output" == "usage: perfcmp record"* ]]
    [ -z "$stderr" ]
}

@test "record stores a perfcmp file and says which run it made" {
    run perfcmp record "$PERFCMP_FILE"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded run 1 from '$PERFCMP_FILE' (16 benchmarks)" ]
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq 1 ]
    [ "$(db_query 'SELECT nbenches FROM runs')" -eq 16 ]
    # the samples are all there: 10 per metric of fnv1a/4096
    [ "$(db_query "SELECT length(s.data) FROM samples s JOIN results r ON r.id = s.result_id
         JOIN benchmarks b ON b.id = r.bench_id WHERE b.name = 'fnv1a/4096' AND r.metric = 'wall_time'")" -eq 80 ]
}

@test "record then runs then show" {
    seed
    run perfcmp runs
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [[ "${lines[1]}" == *"    1  "*" 16  "* ]]
    run perfcmp show 1
    [ "$status" -eq 0 ]
    [[ "$output" == "run 1 (perfcmp-results), recorded "* ]]
    [[ "$output" == *"qsort/1024"*"wall_time"* ]]
    [[ "$output" == *"machine    AMD EPYC | 2 cores | Linux x86_64"* ]]
}

@test "record uses .perfcmp/perfcmp.db in the current directory by default" {
    unset PERFCMP_DB
    run perfcmp record "$PERFCMP_FILE"
    [ "$status" -eq 0 ]
    [ -f .perfcmp/perfcmp.db ]
    [ "$(sqlite3 .perfcmp/perfcmp.db 'SELECT count(*) FROM runs')" -eq 1 ]
}

@test "record honours --db over PERFCMP_DB" {
    run perfcmp --db other/x.db record "$PERFCMP_FILE"
    [ "$status" -eq 0 ]
    [ -f other/x.db ]
    [ "$(db_checksum)" = absent ]
}

@test "record reads Google Benchmark JSON: repetitions become samples" {
    run perfcmp record "$DATA/gbench/repetitions.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"(4 benchmarks)" ]]
    run perfcmp show latest
    [ "$status" -eq 0 ]
    [[ "$output" == "run 1 (google-benchmark)"* ]]
    [[ "$output" == *"BM_fails"*"failed: could not open the input"* ]]
    # five repetitions, aggregates not stored as benchmarks
    [ "$(db_query "SELECT n FROM results r JOIN benchmarks b ON b.id = r.bench_id
         WHERE b.name = 'BM_sort/64' AND r.metric = 'wall_time'")" -eq 5 ]
    [ "$(db_query "SELECT count(*) FROM benchmarks WHERE name LIKE '%_mean' OR name LIKE '%_median'")" -eq 0 ]
}

@test "record reads Google Benchmark counters and complexity files" {
    run perfcmp record "$DATA/gbench/counters.json" "$DATA/gbench/complexity.json"
    [ "$status" -eq 0 ]
    [ "$(db_query "SELECT unit || ' ' || direction FROM results WHERE metric = 'bytes_per_second' LIMIT 1")" = "B/s 1" ]
    [ "$(db_query "SELECT count(*) FROM benchmarks WHERE name LIKE 'BM_accumulate%'")" -eq 4 ]
    [ "$(db_query "SELECT count(*) FROM benchmarks WHERE name LIKE '%BigO%' OR name LIKE '%RMS%'")" -eq 0 ]
}

@test "record reads hyperfine JSON: times in seconds become wall_time in ns" {
    run perfcmp record "$DATA/hyperfine/sleep.json"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded run 1 from '$DATA/hyperfine/sleep.json' (2 benchmarks)" ]
    # 'sleep 0.01' takes at least 10 ms = 1e7 ns
    [ "$(db_query "SELECT CASE WHEN min >= 1e7 AND n = 10 THEN 1 ELSE 0 END FROM results r JOIN benchmarks b ON b.id = r.bench_id
         WHERE b.name = 'sleep 0.01' AND r.metric = 'wall_time'")" -eq 1 ]
}

@test "record marks a hyperfine command with non-zero exit codes as failed" {
    run perfcmp record "$DATA/hyperfine/failing.json"
    [ "$status" -eq 0 ]
    run perfcmp show 1
    [[ "$output" == *"false"*"failed: exited with status 1 in 5 of 5 runs"* ]]
}

@test "record --quiet prints only the run ids" {
    run perfcmp record --quiet "$PERFCMP_FILE" "$DATA/hyperfine/sleep.json"
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '1\n2')" ]
}

@test "record - reads standard input" {
    run perfcmp record - < "$DATA/hyperfine/sleep.json"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded run 1 from standard input (2 benchmarks)" ]
}

@test "record --commit, --branch and --note are stored" {
    run perfcmp record --commit=0123456789abcdef --branch feature/x --note "after the fix" "$DATA/gbench/single.json"
    [ "$status" -eq 0 ]
    run perfcmp runs
    [[ "${lines[1]}" == *"0123456 "*"feature/x"*"after the fix" ]]
    [ "$(db_query "SELECT git_commit || ' ' || branch || ' ' || note FROM runs")" = "0123456789abcdef feature/x after the fix" ]
}

@test "record --format forces a format" {
    run perfcmp record --format=google-benchmark "$DATA/gbench/single.json"
    [ "$status" -eq 0 ]
    refused "$DATA/gbench/single.json" --format=hyperfine
    run --separate-stderr perfcmp record --format=csv "$DATA/gbench/single.json"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown format 'csv': expected auto, perfcmp, google-benchmark or hyperfine" ]
}

@test "recording the same file twice makes two runs" {
    seed
    seed
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq 2 ]
}

@test "record refuses a truncated file" {
    seed
    head -c 2000 "$PERFCMP_FILE" > truncated.json
    refused truncated.json
    [[ "$stderr" == *"truncated"* ]]
}

@test "record refuses a file of the wrong schema" {
    seed
    sed 's/"perfcmp-results"/"pytest-benchmark"/' "$PERFCMP_FILE" > wrong.json
    refused wrong.json
    [[ "$stderr" == *"unknown schema 'pytest-benchmark'"* ]]
}

@test "record refuses a NaN time (Google Benchmark's bare NaN) and 1e999 (not finite)" {
    seed
    sed 's/"real_time": [0-9.e+-]*/"real_time": NaN/' "$DATA/gbench/single.json" > nan.json
    refused nan.json
    [[ "$stderr" == *"'real_time' is not a finite number (NaN)"* ]]
    sed 's/"real_time": [0-9.e+-]*/"real_time": 1e999/' "$DATA/gbench/single.json" > inf.json
    refused inf.json
    [[ "$stderr" == *"'real_time' is not a finite number"* ]]
}

@test "record refuses negative times" {
    seed
    sed 's/"real_time": [0-9.e+-]*/"real_time": -5/' "$DATA/gbench/single.json" > neg.json
    refused neg.json
    [[ "$stderr" == *"'real_time' is negative"* ]]
    sed 's/0\.0108/-0.0108/' "$DATA/hyperfine/sleep.json" > negh.json
    ! cmp -s negh.json "$DATA/hyperfine/sleep.json"
    refused negh.json
    [[ "$stderr" == *"negative"* ]]
}

@test "record refuses an empty file, a missing file and a directory" {
    seed
    : > empty.json
    refused empty.json
    [[ "$stderr" == *"empty file"* ]]
    refused nonexistent.json
    [ "$stderr" = "error: cannot read 'nonexistent.json': No such file or directory" ]
    mkdir adir
    refused adir
}

@test "record of a good file and a bad one records nothing" {
    seed
    : > empty.json
    local before
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$DATA/hyperfine/sleep.json" empty.json
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == *"'empty.json'"* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "record of a bad file into no database creates none" {
    : > empty.json
    refused empty.json
    [ "$(db_checksum)" = absent ]
    [ ! -e "$PERFCMP_DB" ]
}

@test "record refuses bad usage with one line" {
    run --separate-stderr perfcmp record
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no result files given (see 'perfcmp record --help')" ]
    run --separate-stderr perfcmp record --bogus x.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown option '--bogus' (see 'perfcmp record --help')" ]
    run --separate-stderr perfcmp record "$PERFCMP_FILE" --note
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: option '--note' needs a value" ]
    [ "$(db_checksum)" = absent ]
}

@test "record refuses a file that is not a database and leaves it alone" {
    echo "hello" > notadb
    run --separate-stderr perfcmp --db notadb record "$PERFCMP_FILE"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot open database 'notadb': not a perfcmp database" ]
    [ "$(cat notadb)" = hello ]
}

@test "record refuses another program's SQLite database" {
    sqlite3 other.db "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
    local before
    before=$(db_checksum other.db)
    run --separate-stderr perfcmp --db other.db record "$PERFCMP_FILE"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot open database 'other.db': not a perfcmp database" ]
    [ "$(db_checksum other.db)" = "$before" ]
}

@test "record refuses a database from a newer perfcmp" {
    seed
    db_schema_version 9
    local before
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$PERFCMP_FILE"
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot open database '$PERFCMP_DB': database schema version 9 is newer than this perfcmp supports (3)" ]
    [ "$(db_checksum)" = "$before" ]
}

@test "concurrent records all succeed" {
    local i pids=()
    for i in 1 2 3 4 5 6; do
        perfcmp record --quiet "$DATA/hyperfine/sleep.json" > "out.$i" 2> "err.$i" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i"; done
    cat err.* >&2
    [ -z "$(cat err.*)" ]
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq 6 ]
    [ "$(sort -n out.* | tr '\n' ' ')" = "1 2 3 4 5 6 " ]
}

@test "an unreachable PostgreSQL server is one line, exit 2, for writing and reading commands" {
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" > one.json
    local c
    for c in "record one.json" "runs"; do
        # shellcheck disable=SC2086
        run --separate-stderr perfcmp --db postgres://ci@127.0.0.1:1/perf $c
        [ "$status" -eq 2 ]
        [[ "$stderr" == "error: cannot open database 'postgres://ci@127.0.0.1:1/perf': connection to server at \"127.0.0.1\", port 1 failed: Connection refused"* ]]
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    done
    [ -z "$(ls -A | grep -v '^one.json$')" ]
}

@test "record: an interrupt after the commit lets it finish (exit 0, every line printed)" {
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 > one.json
    local d i
    d=$(printf 'd%.0s' $(seq 1 200))
    mkdir "$d"
    for i in $(seq 1 300); do cp one.json "$d/$i.json"; done
    # 300 lines of 250 bytes fill a pipe nobody reads until 'go' exists, so
    # record blocks printing them: after its commit.  Exit 130 would claim
    # that nothing was recorded.
    interrupt_once_stored out.txt 0 record "$d"/*.json
    [ "$STORED_RC" -eq 0 ]
    [ "$(grep -c '^recorded run ' out.txt)" -eq 300 ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 300 ]
}
