#!/usr/bin/env bats
# perfcmp runs, show and prune.

load helpers
bats_require_minimum_version 1.5.0

PERFCMP_FILE=$DATA/perfcmp/examples.json

json_eval() {   # json_eval FILE SQL-EXPRESSION-ON-j
    sqlite3 :memory: "WITH d(j) AS (SELECT readfile('$1')) SELECT $2 FROM d"
}

record_n() {    # record_n N: N runs of the small Google Benchmark file
    local i
    for i in $(seq 1 "$1"); do
        perfcmp record --quiet --branch "b$((i % 2))" --note "run $i" "$DATA/gbench/single.json" > /dev/null
    done
}

@test "runs, show and prune print their usage with --help" {
    for c in runs show prune; do
        run --separate-stderr perfcmp "$c" --help
        [ "$status" -eq 0 ]
        [[ "$output" == "usage: perfcmp $c"* ]]
        [ -z "$stderr" ]
    done
}

@test "runs on an empty database says so" {
    run perfcmp runs
    [ "$status" -eq 0 ]
    [ "$output" = "no runs recorded in '$PERFCMP_DB'" ]
    run perfcmp runs --format=json
    [ "$output" = "[]" ]
}

@test "runs lists newest first with commit, dirty mark, branch, count, baselines and note" {
    perfcmp record --quiet "$PERFCMP_FILE" > /dev/null
    perfcmp record --quiet --commit abcdef0123 --note "second" "$DATA/hyperfine/sleep.json" > /dev/null
    perfcmp baseline save > /dev/null
    run perfcmp runs
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[0]}" == *ID*COMMIT*BRANCH*BENCHES*BASELINES*NOTE* ]]
    [[ "${lines[1]}" =~ ^\ +2\ .*abcdef0\ .*\ 2\ +default\ +second$ ]]
    # examples.json was made in a dirty work tree on main: '*'
    [[ "${lines[2]}" =~ ^\ +1\ .*[0-9a-f]{7}\*\ +main\ +16\ +-$ ]]
}

@test "runs --last, --branch and --format=json" {
    record_n 5
    run perfcmp runs --last=2
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[1]}" == "    5 "* ]]
    [[ "${lines[2]}" == "    4 "* ]]
    run perfcmp runs --branch b0
    [ "${#lines[@]}" -eq 3 ]
    perfcmp runs --format=json --branch=b1 > runs.json
    [ "$(json_eval runs.json "json_array_length(j)")" -eq 3 ]
    [ "$(json_eval runs.json "json_extract(j, '\$[0].id') || ' ' || json_extract(j, '\$[0].note') || ' ' || json_extract(j, '\$[0].benchmarks')")" = "5 run 5 1" ]
    [ "$(json_eval runs.json "json_extract(j, '\$[2].id')")" -eq 1 ]
}

@test "runs refuses bad options with one line" {
    run --separate-stderr perfcmp runs --last=0
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: invalid value '0' for '--last': expected a positive whole number" ]
    run --separate-stderr perfcmp runs --format=xml
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown format 'xml': expected text or json" ]
    run --separate-stderr perfcmp runs --nope
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "show prints the context and a table of every benchmark" {
    perfcmp record --quiet --note "the note" "$DATA/gbench/repetitions.json" > /dev/null
    run perfcmp show latest
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "run 1 (google-benchmark), recorded $(db_query 'SELECT recorded_at FROM runs')" ]
    [[ "$output" == *"  time       2026-11-23T11:30:58Z"* ]]
    [[ "$output" == *"  note       the note"* ]]
    [[ "$output" == *"BENCHMARK"*"METRIC"*"MEDIAN"*"95% CI OF MEDIAN"*"N"*"STATUS"* ]]
    # BM_sort/64's wall_time median (the middle of the five real_time values)
    [[ "$output" == *"BM_sort/64"*"wall_time"*"980.8 ns"*"5  ok"* ]]
    [[ "$output" == *"BM_fails"*"failed: could not open the input"* ]]
}

@test "show --format=json gives a results file that record reads back" {
    perfcmp record --quiet "$PERFCMP_FILE" > /dev/null
    perfcmp show 1 --format=json > shown.json
    [ "$(json_eval shown.json "json_extract(j, '\$.schema') || ' ' || json_extract(j, '\$.stored.run_id')")" = "perfcmp-results 1" ]
    # one document, ending with one newline, from the store or from a file
    perfcmp show --file "$PERFCMP_FILE" --format=json > file.json
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" > plain.json      # no family to fit
    perfcmp show --file plain.json --format=json > plain-shown.json
    local f
    for f in shown.json file.json plain-shown.json; do
        [ "$(tail -c 2 "$f" | od -An -c | tr -d ' ')" = '}\n' ] || { echo "$f ends badly" >&2; false; }
    done
    run perfcmp record shown.json
    [ "$status" -eq 0 ]
    # same benchmarks and samples
    [ "$(db_query "SELECT count(*) FROM (SELECT b.name, r.metric, s.data FROM results r
         JOIN benchmarks b ON b.id = r.bench_id JOIN samples s ON s.result_id = r.id WHERE r.run_id = 1
         EXCEPT SELECT b.name, r.metric, s.data FROM results r JOIN benchmarks b ON b.id = r.bench_id
         JOIN samples s ON s.result_id = r.id WHERE r.run_id = 2) AS d")" -eq 0 ]
    [ "$(db_query "SELECT count(*) FROM results WHERE run_id = 2")" -eq \
      "$(db_query "SELECT count(*) FROM results WHERE run_id = 1")" ]
}

@test "show --file shows a result file without storing it" {
    run perfcmp show --file "$DATA/hyperfine/sleep.json"
    [ "$status" -eq 0 ]
    [[ "$output" == "results file (hyperfine)"* ]]
    [[ "$output" == *"sleep 0.01"*"wall_time"* ]]
    [ "$(db_checksum)" = absent ]
}

@test "show prints each family's complexity class after the table, as the bench binary does" {
    run "$FIXTURES/scaling" --min-time=0.01 --samples=3 --no-heap --filter='pairs/*' --filter='scan/*' --filter=single --out=s.json
    [ "$status" -eq 0 ]
    # the bench binary's own lines (the class can differ from run to run on
    # a busy machine; show fits the same numbers, so it gives the same)
    printf '%s\n' "$output" | grep '^complexity of ' > want.txt
    [ "$(wc -l < want.txt)" -eq 2 ]
    grep -E '^complexity of scan: O\(.*\) \(rms [0-9.]+%, 9 sizes 32\.\.8192\)$' want.txt
    grep -E '^complexity of pairs: O\(.*\) \(rms [0-9.]+%, 5 sizes 32\.\.512\)$' want.txt
    perfcmp record --quiet s.json > /dev/null
    run perfcmp show latest
    [ "$status" -eq 0 ]
    # the last two lines, after the table (single has no size: no line)
    [ "$(printf '%s\n' "${lines[@]: -2}")" = "$(cat want.txt)" ]
    [[ "${lines[${#lines[@]}-3]}" == *"peak_rss"*"  ok" ]]
    # a result file gives the same lines
    run perfcmp show --file s.json
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep '^complexity of ')" = "$(cat want.txt)" ]
    # JSON: the file's "complexity" array, class for class
    perfcmp show 1 --format=json > shown.json
    for i in 0 1; do
        q="json_extract(j, '\$.complexity[$i].family') || ' ' || json_extract(j, '\$.complexity[$i].class') || ' ' || json_extract(j, '\$.complexity[$i].points')"
        [ "$(json_eval shown.json "$q")" = "$(json_eval s.json "$q")" ]
    done
    [ "$(json_eval shown.json "json_array_length(j, '\$.complexity')")" -eq 2 ]
    [ "$(json_eval shown.json "json_extract(j, '\$.stored.run_id')")" -eq 1 ]
    perfcmp show --file s.json --format=json > file.json
    [ "$(json_eval file.json "json_extract(j, '\$.complexity[1].class')")" = "$(json_eval s.json "json_extract(j, '\$.complexity[1].class')")" ]
}

@test "show fits a family measured at enough sizes to its class, and prints nothing for a run without one" {
    # lookup/N: medians exactly 3 ns * N (an O(N) family, 8 sizes)
    {
        printf '{"schema":"perfcmp-results","version":1,"context":{},"benchmarks":['
        for n in 64 128 256 512 1024 2048 4096 8192; do
            [ "$n" -eq 64 ] || printf ','
            printf '{"name":"lookup/%d","family":"lookup","args":[%d],"metrics":[{"name":"wall_time","unit":"ns","direction":"lower","samples":[%d,%d,%d]}]}' \
                "$n" "$n" $((3 * n)) $((3 * n)) $((3 * n))
        done
        printf ']}\n'
    } > lin.json
    run perfcmp show --file lin.json
    [ "$status" -eq 0 ]
    [ "${lines[${#lines[@]}-1]}" = "complexity of lookup: O(N) (rms 0.0%, 8 sizes 64..8192)" ]
    # one size per family, or none at all: no complexity line, no JSON key
    perfcmp record --quiet "$DATA/gbench/repetitions.json" > /dev/null
    run perfcmp show latest
    [ "$status" -eq 0 ]
    [[ "$output" == *"BM_sort/64"* ]]
    [[ "$output" != *"complexity"* ]]
    perfcmp show latest --format=json > shown.json
    [ "$(json_eval shown.json "json_type(j, '\$.complexity')")" = "" ]
    run perfcmp show --file "$DATA/hyperfine/sleep.json"
    [ "$status" -eq 0 ]
    [[ "$output" != *"complexity"* ]]
}

@test "show of an unknown run is refused with one line" {
    perfcmp record --quiet "$DATA/gbench/single.json" > /dev/null
    run --separate-stderr perfcmp show 42
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no run 42 in '$PERFCMP_DB'" ]
    run --separate-stderr perfcmp show abc
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: invalid run id 'abc': expected a positive number or 'latest'" ]
    run --separate-stderr perfcmp show
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no run given (see 'perfcmp show --help')" ]
}

@test "show latest on an empty database is refused" {
    run --separate-stderr perfcmp show latest
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no runs recorded yet" ]
}

@test "prune --keep-last never removes a baseline's run and prints what it removed" {
    record_n 5
    perfcmp baseline save --run 1 > /dev/null
    run perfcmp prune --keep-last=2
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "removed run 3 ("* ]]
    [[ "${lines[1]}" == "removed run 2 ("* ]]
    [ "${lines[2]}" = "removed 2 runs" ]
    [ "$(db_query 'SELECT id FROM runs ORDER BY id' | paste -sd, -)" = "1,4,5" ]
    # results and samples went with them
    [ "$(db_query 'SELECT count(*) FROM results WHERE run_id NOT IN (SELECT id FROM runs)')" -eq 0 ]
    [ "$(db_query 'SELECT count(*) FROM samples WHERE result_id NOT IN (SELECT id FROM results)')" -eq 0 ]
}

@test "prune --dry-run changes nothing" {
    record_n 3
    local before
    before=$(db_checksum)
    run perfcmp prune --keep-last 1 --dry-run
    [ "$status" -eq 0 ]
    [ "${lines[2]}" = "would remove 2 runs" ]
    [ "$(db_checksum)" = "$before" ]
}

@test "prune --older-than goes by the time a run was recorded" {
    record_n 3
    db_query "UPDATE runs SET recorded_at = '2020-01-01T00:00:00Z' WHERE id = 1"
    run perfcmp prune --older-than=30
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "removed run 1 (2026-11-23T11:30:58Z, commit -, 1 benchmark)" ]
    [ "$(db_query 'SELECT count(*) FROM runs')" -eq 2 ]
}

@test "prune refuses bad usage with one line and changes nothing" {
    record_n 2
    local before
    before=$(db_checksum)
    run --separate-stderr perfcmp prune
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: give --keep-last=N or --older-than=DAYS (see 'perfcmp prune --help')" ]
    run --separate-stderr perfcmp prune --keep-last=-1
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: invalid value '-1' for '--keep-last': expected a positive whole number" ]
    run --separate-stderr perfcmp prune --older-than=soon
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [ "$(db_checksum)" = "$before" ]
}

@test "every --format refuses an unknown word with one wording and leaves the database alone" {
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -m one > one.json
    perfcmp record one.json > /dev/null
    perfcmp baseline save > /dev/null
    local before
    before=$(db_checksum)
    local -a cmds=("runs" "show 1" "baseline list" "compare" "history bench/0" "trend")
    local -a want=("text or json" "text or json" "text or json" "text, json, junit or markdown"
                   "text, json or csv" "text or json")
    for k in "${!cmds[@]}"; do
        # shellcheck disable=SC2086
        run --separate-stderr perfcmp ${cmds[$k]} --format=xml
        [ "$status" -eq 2 ] || { echo "${cmds[$k]}: exit $status" >&2; false; }
        [ "$stderr" = "error: unknown format 'xml': expected ${want[$k]}" ] ||
            { echo "${cmds[$k]}: $stderr" >&2; false; }
    done
    run --separate-stderr perfcmp record --format=xml one.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown format 'xml': expected auto, perfcmp, google-benchmark or hyperfine" ]
    [ "$(db_checksum)" = "$before" ]
}

@test "commands that only read create no database: a mistyped --db is not made" {
    local -a cmds=("runs" "show 1" "history x" "trend" "baseline list" "baseline show x"
                   "baseline delete x" "baseline save" "prune --keep-last=1" "report --html r"
                   "plot trend x -o t.svg" "compare")
    local c
    for c in "${cmds[@]}"; do
        # shellcheck disable=SC2086
        run perfcmp --db typo/perfcmp.dbb $c
        [ "$status" -le 2 ]
        [ ! -e typo ] || { echo "'$c' created the database" >&2; false; }
        # shellcheck disable=SC2086
        run env -u PERFCMP_DB "$PERFCMP_BIN" $c
        [ ! -e .perfcmp ] || { echo "'$c' created .perfcmp/" >&2; false; }
    done
    run perfcmp --db typo/perfcmp.dbb runs
    [ "$status" -eq 0 ]
    [ "$output" = "no runs recorded in 'typo/perfcmp.dbb'" ]
    # recording creates it, and the readers then read it
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" > one.json
    run perfcmp --db typo/perfcmp.dbb record one.json
    [ "$status" -eq 0 ]
    [ -f typo/perfcmp.dbb ]
    run perfcmp --db typo/perfcmp.dbb runs
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
}
