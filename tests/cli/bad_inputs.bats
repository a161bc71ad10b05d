#!/usr/bin/env bats
# Malformed result files given to `perfcmp record`: each must be refused
# with exit status 2, exactly one line on stderr naming the file and the
# problem, and the database left as it was (db_checksum before and after).
# The files are in tests/data/bad/ (README.md there); inputs too big to
# commit are generated here at run time.

bats_require_minimum_version 1.5.0
load helpers

MKRESULTS=$PERFCMP_ROOT/tests/stress/mkresults.sh
BAD=$DATA/bad

# Records one valid run, so that there is a database whose content a bad
# record could damage.
seed_db() {
    "$MKRESULTS" -m seed > seed.json
    run perfcmp record seed.json
    if [ "$status" -ne 0 ]; then
        echo "cannot record a valid file (exit $status): $output" >&2
        return 1
    fi
}

# refuse FILE [RECORD OPTION...]: the contract above, on a seeded database.
refuse() {
    local file=$1 before after n
    shift
    seed_db
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$@" "$file"
    after=$(db_checksum)
    echo "exit $status; stderr: $stderr" >&2
    [ "$status" -eq 2 ]
    n=$(printf '%s\n' "$stderr" | wc -l)
    [ -n "$stderr" ] && [ "$n" -eq 1 ]
    [[ "$stderr" == "error: "* ]]
    # names the file, then says something about it
    [[ "$stderr" == *"'$file'"*?* ]] || [[ "$stderr" == *"$file"*": "?* ]]
    [ "$before" = "$after" ]
}

@test "every file in tests/data/bad has a test here" {
    local f missing=0
    for f in "$BAD"/*; do
        case $f in *.md) continue ;; esac
        if ! grep -qF "\$BAD/$(basename "$f")\"" "$BATS_TEST_FILENAME"; then
            echo "no test for $(basename "$f")" >&2
            missing=1
        fi
    done
    [ "$missing" -eq 0 ]
}

@test "record refuses a Google Benchmark file: bench not object" {
    refuse "$BAD/gbench-bench-not-object.json"
}

@test "record --format google-benchmark refuses: bench not object" {
    refuse "$BAD/gbench-bench-not-object.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: benchmarks object" {
    refuse "$BAD/gbench-benchmarks-object.json"
}

@test "record --format google-benchmark refuses: benchmarks object" {
    refuse "$BAD/gbench-benchmarks-object.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: cpu time null" {
    refuse "$BAD/gbench-cpu-time-null.json"
}

@test "record --format google-benchmark refuses: cpu time null" {
    refuse "$BAD/gbench-cpu-time-null.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: iterations negative" {
    refuse "$BAD/gbench-iterations-negative.json"
}

@test "record --format google-benchmark refuses: iterations negative" {
    refuse "$BAD/gbench-iterations-negative.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: iterations string" {
    refuse "$BAD/gbench-iterations-string.json"
}

@test "record --format google-benchmark refuses: iterations string" {
    refuse "$BAD/gbench-iterations-string.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: name number" {
    refuse "$BAD/gbench-name-number.json"
}

@test "record --format google-benchmark refuses: name number" {
    refuse "$BAD/gbench-name-number.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: real time infinity" {
    refuse "$BAD/gbench-real-time-infinity.json"
}

@test "record --format google-benchmark refuses: real time infinity" {
    refuse "$BAD/gbench-real-time-infinity.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: real time negative" {
    refuse "$BAD/gbench-real-time-negative.json"
}

@test "record --format google-benchmark refuses: real time negative" {
    refuse "$BAD/gbench-real-time-negative.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: real time string" {
    refuse "$BAD/gbench-real-time-string.json"
}

@test "record --format google-benchmark refuses: real time string" {
    refuse "$BAD/gbench-real-time-string.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: time unit unknown" {
    refuse "$BAD/gbench-time-unit-unknown.json"
}

@test "record --format google-benchmark refuses: time unit unknown" {
    refuse "$BAD/gbench-time-unit-unknown.json" --format google-benchmark
}

@test "record refuses a Google Benchmark file: truncated" {
    refuse "$BAD/gbench-truncated.json"
}

@test "record --format google-benchmark refuses: truncated" {
    refuse "$BAD/gbench-truncated.json" --format google-benchmark
}

@test "record refuses a hyperfine file: command missing" {
    refuse "$BAD/hyperfine-command-missing.json"
}

@test "record --format hyperfine refuses: command missing" {
    refuse "$BAD/hyperfine-command-missing.json" --format hyperfine
}

@test "record refuses a hyperfine file: command number" {
    refuse "$BAD/hyperfine-command-number.json"
}

@test "record --format hyperfine refuses: command number" {
    refuse "$BAD/hyperfine-command-number.json" --format hyperfine
}

@test "record refuses a hyperfine file: mean string" {
    refuse "$BAD/hyperfine-mean-string.json"
}

@test "record --format hyperfine refuses: mean string" {
    refuse "$BAD/hyperfine-mean-string.json" --format hyperfine
}

@test "record refuses a hyperfine file: results object" {
    refuse "$BAD/hyperfine-results-object.json"
}

@test "record --format hyperfine refuses: results object" {
    refuse "$BAD/hyperfine-results-object.json" --format hyperfine
}

@test "record refuses a hyperfine file: time infinity" {
    refuse "$BAD/hyperfine-time-infinity.json"
}

@test "record --format hyperfine refuses: time infinity" {
    refuse "$BAD/hyperfine-time-infinity.json" --format hyperfine
}

@test "record refuses a hyperfine file: time negative" {
    refuse "$BAD/hyperfine-time-negative.json"
}

@test "record --format hyperfine refuses: time negative" {
    refuse "$BAD/hyperfine-time-negative.json" --format hyperfine
}

@test "record refuses a hyperfine file: time string" {
    refuse "$BAD/hyperfine-time-string.json"
}

@test "record --format hyperfine refuses: time string" {
    refuse "$BAD/hyperfine-time-string.json" --format hyperfine
}

@test "record refuses a hyperfine file: times string" {
    refuse "$BAD/hyperfine-times-string.json"
}

@test "record --format hyperfine refuses: times string" {
    refuse "$BAD/hyperfine-times-string.json" --format hyperfine
}

@test "record refuses a hyperfine file: truncated" {
    refuse "$BAD/hyperfine-truncated.json"
}

@test "record --format hyperfine refuses: truncated" {
    refuse "$BAD/hyperfine-truncated.json" --format hyperfine
}

@test "record refuses a perfcmp file: args absurd" {
    refuse "$BAD/perfcmp-args-absurd.json"
}

@test "record refuses a perfcmp file: args fraction" {
    refuse "$BAD/perfcmp-args-fraction.json"
}

@test "record refuses a perfcmp file: args strings" {
    refuse "$BAD/perfcmp-args-strings.json"
}

@test "record refuses a perfcmp file: bench duplicate" {
    refuse "$BAD/perfcmp-bench-duplicate.json"
}

@test "record refuses a perfcmp file: bench name empty" {
    refuse "$BAD/perfcmp-bench-name-empty.json"
}

@test "record refuses a perfcmp file: bench name missing" {
    refuse "$BAD/perfcmp-bench-name-missing.json"
}

@test "record refuses a perfcmp file: bench name number" {
    refuse "$BAD/perfcmp-bench-name-number.json"
}

@test "record refuses a perfcmp file: bench not object" {
    refuse "$BAD/perfcmp-bench-not-object.json"
}

@test "record refuses a perfcmp file: benchmarks missing" {
    refuse "$BAD/perfcmp-benchmarks-missing.json"
}

@test "record refuses a perfcmp file: benchmarks object" {
    refuse "$BAD/perfcmp-benchmarks-object.json"
}

@test "record refuses a perfcmp file: binary garbage" {
    refuse "$BAD/perfcmp-binary-garbage.bin"
}

@test "record refuses a perfcmp file: context array" {
    refuse "$BAD/perfcmp-context-array.json"
}

@test "record refuses a perfcmp file: cpu count negative" {
    refuse "$BAD/perfcmp-cpu-count-negative.json"
}

@test "record refuses a perfcmp file: cpu count string" {
    refuse "$BAD/perfcmp-cpu-count-string.json"
}

@test "record refuses a perfcmp file: direction unknown" {
    refuse "$BAD/perfcmp-direction-unknown.json"
}

@test "record refuses a perfcmp file: empty" {
    refuse "$BAD/perfcmp-empty.json"
}

@test "record refuses a perfcmp file: git dirty string" {
    refuse "$BAD/perfcmp-git-dirty-string.json"
}

@test "record refuses a perfcmp file: iterations absurd" {
    refuse "$BAD/perfcmp-iterations-absurd.json"
}

@test "record refuses a perfcmp file: iterations negative" {
    refuse "$BAD/perfcmp-iterations-negative.json"
}

@test "record refuses a perfcmp file: metric name missing" {
    refuse "$BAD/perfcmp-metric-name-missing.json"
}

@test "record refuses a perfcmp file: metrics object" {
    refuse "$BAD/perfcmp-metrics-object.json"
}

@test "record refuses a perfcmp file: name not utf8" {
    refuse "$BAD/perfcmp-name-not-utf8.json"
}

@test "record refuses a perfcmp file: name nul byte" {
    refuse "$BAD/perfcmp-name-nul-byte.json"
}

@test "record refuses a perfcmp file: name overlong utf8" {
    refuse "$BAD/perfcmp-name-overlong-utf8.json"
}

@test "record refuses a perfcmp file: nan literal" {
    refuse "$BAD/perfcmp-nan-literal.json"
}

@test "record refuses a perfcmp file: sample infinity" {
    refuse "$BAD/perfcmp-sample-infinity.json"
}

@test "record refuses a perfcmp file: sample minus infinity" {
    refuse "$BAD/perfcmp-sample-minus-infinity.json"
}

@test "record refuses a perfcmp file: sample negative" {
    refuse "$BAD/perfcmp-sample-negative.json"
}

@test "record refuses a perfcmp file: sample null" {
    refuse "$BAD/perfcmp-sample-null.json"
}

@test "record refuses a perfcmp file: sample string" {
    refuse "$BAD/perfcmp-sample-string.json"
}

@test "record refuses a perfcmp file: samples empty" {
    refuse "$BAD/perfcmp-samples-empty.json"
}

@test "record refuses a perfcmp file: samples string" {
    refuse "$BAD/perfcmp-samples-string.json"
}

@test "record refuses a perfcmp file: schema missing" {
    refuse "$BAD/perfcmp-schema-missing.json"
}

@test "record refuses a perfcmp file: schema wrong" {
    refuse "$BAD/perfcmp-schema-wrong.json"
}

@test "record refuses a perfcmp file: status unknown" {
    refuse "$BAD/perfcmp-status-unknown.json"
}

@test "record refuses a perfcmp file: tags numbers" {
    refuse "$BAD/perfcmp-tags-numbers.json"
}

@test "record refuses a perfcmp file: top level array" {
    refuse "$BAD/perfcmp-top-level-array.json"
}

@test "record refuses a perfcmp file: top level string" {
    refuse "$BAD/perfcmp-top-level-string.json"
}

@test "record refuses a perfcmp file: trailing garbage" {
    refuse "$BAD/perfcmp-trailing-garbage.json"
}

@test "record refuses a perfcmp file: truncated in string" {
    refuse "$BAD/perfcmp-truncated-in-string.json"
}

@test "record refuses a perfcmp file: truncated last brace" {
    refuse "$BAD/perfcmp-truncated-last-brace.json"
}

@test "record refuses a perfcmp file: truncated mid object" {
    refuse "$BAD/perfcmp-truncated-mid-object.json"
}

@test "record refuses a perfcmp file: two documents" {
    refuse "$BAD/perfcmp-two-documents.json"
}

@test "record refuses a perfcmp file: utf16 bom" {
    refuse "$BAD/perfcmp-utf16-bom.json"
}

@test "record refuses a perfcmp file: version fraction" {
    refuse "$BAD/perfcmp-version-fraction.json"
}

@test "record refuses a perfcmp file: version future" {
    refuse "$BAD/perfcmp-version-future.json"
}

@test "record refuses a perfcmp file: version string" {
    refuse "$BAD/perfcmp-version-string.json"
}

@test "record refuses a perfcmp file: version zero" {
    refuse "$BAD/perfcmp-version-zero.json"
}

@test "record refuses a perfcmp file: whitespace only" {
    refuse "$BAD/perfcmp-whitespace-only.json"
}

# ---- found by fuzzing or by reading the importers ------------------------

# fuzz_import_gbench (UBSan: 1e+300 is outside the range of uint64_t in
# src/cli/import.c, the Google Benchmark importer's iterations)
@test "record refuses a Google Benchmark file with 1e300 iterations" {
    refuse "$BAD/fuzz-gbench-iterations-1e300.json"
}

@test "record --format google-benchmark refuses 1e300 iterations" {
    refuse "$BAD/fuzz-gbench-iterations-1e300.json" --format google-benchmark
}

# the same cast of a hyperfine exit code to int (src/cli/import.c)
@test "record refuses a hyperfine file with an exit code of 1e300" {
    refuse "$BAD/hyperfine-exit-code-absurd.json"
}

# fuzz_import_gbench, fuzz_import_hyperfine: the importers take names that
# are not UTF-8 (results_parse refuses them) and the writer turns the bad
# bytes into U+FFFD, so a baseline file of such a run no longer matches it
@test "record refuses a Google Benchmark name that is not UTF-8" {
    refuse "$BAD/gbench-name-not-utf8.json"
}

@test "record --format google-benchmark refuses a name that is not UTF-8" {
    refuse "$BAD/gbench-name-not-utf8.json" --format google-benchmark
}

@test "record refuses a hyperfine command that is not UTF-8" {
    refuse "$BAD/hyperfine-command-not-utf8.json"
}

@test "record --format hyperfine refuses a command that is not UTF-8" {
    refuse "$BAD/hyperfine-command-not-utf8.json" --format hyperfine
}

# fuzz_import_gbench, fuzz_import_hyperfine: the importers take names with
# control characters and counters with an empty name, which results_parse
# refuses, so `baseline save` writes a file that cannot be read back
@test "record refuses a Google Benchmark counter with an empty name" {
    refuse "$BAD/fuzz-gbench-counter-empty-name.json"
}

@test "record --format google-benchmark refuses a counter with an empty name" {
    refuse "$BAD/fuzz-gbench-counter-empty-name.json" --format google-benchmark
}

@test "record refuses a Google Benchmark counter name with a control character" {
    refuse "$BAD/fuzz-gbench-counter-control-char.json"
}

@test "record --format google-benchmark refuses a counter name with a control character" {
    refuse "$BAD/fuzz-gbench-counter-control-char.json" --format google-benchmark
}

@test "record refuses a Google Benchmark name with an escape character" {
    refuse "$BAD/gbench-name-control-char.json"
}

@test "record --format google-benchmark refuses a name with an escape character" {
    refuse "$BAD/gbench-name-control-char.json" --format google-benchmark
}

@test "record refuses a hyperfine command with a control character" {
    refuse "$BAD/fuzz-hyperfine-command-control-char.json"
}

@test "record --format hyperfine refuses a command with a control character" {
    refuse "$BAD/fuzz-hyperfine-command-control-char.json" --format hyperfine
}

# ---- generated at run time ---------------------------------------------

@test "record refuses a benchmark name of 100 KB" {
    local long
    long=$(head -c 102400 /dev/zero | tr '\0' 'a')
    "$MKRESULTS" -b 1 | sed "s|\"bench/0\"|\"$long\"|" > long-name.json
    [ "$(stat -c %s long-name.json)" -gt 102400 ]
    refuse long-name.json
}

@test "record refuses 100000 nested arrays" {
    head -c 100000 /dev/zero | tr '\0' '[' > deep-arrays.json
    refuse deep-arrays.json
}

@test "record refuses 100000 nested objects" {
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":"; print "1" }' > deep-objects.json
    refuse deep-objects.json
}

@test "record refuses a benchmark with a million arguments" {
    "$MKRESULTS" -b 1 | awk '{ i = index($0, "\"args\":[0]") + 8
        printf "%s", substr($0, 1, i - 1)
        for (j = 0; j < 1000000; j++) printf "%s%d", (j ? "," : ""), j
        print substr($0, i + 1) }' > huge-args.json
    refuse huge-args.json
}

@test "record refuses a million samples with a string at the end" {
    "$MKRESULTS" -b 1 | awk '{ i = index($0, "\"samples\":[") + 10
        printf "%s", substr($0, 1, i)
        for (j = 1; j <= 1000000; j++) printf "%d,", j
        printf "\"x\""
        print substr($0, index($0, "]}]}]}")) }' > huge-samples.json
    refuse huge-samples.json
}

@test "record refuses 50000 benchmarks whose last one repeats a name" {
    "$MKRESULTS" -b 50000 -s 1 | sed 's|"bench/49999"|"bench/7"|' > many-dups.json
    refuse many-dups.json
}

@test "record refuses a duplicated name holding a newline with still one line" {
    # awk -v turns \\ into \: the JSON holds the escape \n, not a raw newline
    "$MKRESULTS" -b 2 -p 'two\\nlines' | sed 's|two\\nlines/1|two\\nlines/0|' > newline-dup.json
    grep -q 'two\\nlines/0.*two\\nlines/0' newline-dup.json
    refuse newline-dup.json
}

@test "record refuses a file that does not exist" {
    refuse no-such-file.json
}

@test "record refuses a directory" {
    mkdir adir.json
    refuse adir.json
}

@test "record refuses garbage on standard input" {
    local before
    seed_db
    before=$(db_checksum)
    run --separate-stderr perfcmp record - < "$BAD/perfcmp-binary-garbage.bin"
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: "* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "record of a bad file creates no database" {
    [ "$(db_checksum)" = absent ]
    run perfcmp record "$BAD/perfcmp-truncated-mid-object.json"
    [ "$status" -eq 2 ]
    [ "$(db_checksum)" = absent ]
}

@test "record of a good and a bad file together stores neither" {
    seed_db
    local before
    before=$(db_checksum)
    "$MKRESULTS" -m good > good.json
    run --separate-stderr perfcmp record good.json "$BAD/perfcmp-sample-infinity.json"
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == *perfcmp-sample-infinity.json* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "samples near the largest double are refused or give finite statistics" {
    "$MKRESULTS" -b 1 -s 3 -k 1e305 > huge-values.json
    grep -q 'e+30[0-9]' huge-values.json
    run perfcmp record huge-values.json
    if [ "$status" -eq 2 ]; then
        assert_one_line
    else
        [ "$status" -eq 0 ]
        run perfcmp show latest
        [ "$status" -eq 0 ]
        ! grep -qiE '\b(inf|nan)\b' <<< "$output"
        [ "$(db_query "SELECT COUNT(*) FROM results WHERE mean > 1e308 OR stddev > 1e308 OR mean != mean")" -eq 0 ]
    fi
}

@test "a file name holding a newline still gives one error line" {
    printf 'garbage' > $'bad\nname.json'
    seed_db
    before=$(db_checksum)
    run --separate-stderr perfcmp record $'bad\nname.json'
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    # the newline is shown as '?' so the message stays on one line
    [[ "$stderr" == "error: 'bad?name.json': "?* ]]
    [ "$before" = "$(db_checksum)" ]
}

# fuzz_baseline: a benchmark named "/x" without "family" gets the family
# "" (the part before the first '/'), which the writer writes and the
# reader refuses, so its baseline file cannot be read back.
@test "a benchmark named '/x' without a family survives a baseline file" {
    printf '%s\n' '{"schema":"perfcmp-results","version":1,"benchmarks":[{"name":"/x","metrics":[{"name":"wall_time","unit":"ns","direction":"lower","samples":[1,2,3]}]}]}' > slash.json
    run perfcmp record slash.json
    if [ "$status" -eq 2 ]; then
        assert_one_line     # refusing the name is fine too
        return 0
    fi
    [ "$status" -eq 0 ]
    run perfcmp baseline save
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp compare latest --baseline baselines/default.json
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
}

# fuzz_import_*: importer reasons quote the input, newlines included
@test "a hyperfine command holding a newline still gives one error line" {
    printf '%s\n' '{"results":[{"command":"sleep\n0.1","mean":0.1,"times":[0.1,"slow"]}]}' > nl-hyperfine.json
    refuse nl-hyperfine.json
}

@test "a schema name holding a newline still gives one error line" {
    printf '%s\n' '{"schema":"perfcmp-results\nx","version":1,"benchmarks":[]}' > nl-schema.json
    refuse nl-schema.json
}

# fuzz_import_hyperfine: the importers take names longer than the 1024
# bytes results_parse allows, so their baseline files cannot be read back
@test "record refuses a hyperfine command of 2000 bytes" {
    printf '{"results":[{"command":"%s","mean":0.1,"times":[0.1,0.2]}]}\n' \
        "$(head -c 2000 /dev/zero | tr '\0' 'a')" > long-command.json
    refuse long-command.json
}

@test "record refuses a Google Benchmark name of 2000 bytes" {
    local long
    long=BM_$(head -c 2000 /dev/zero | tr '\0' 'a')
    printf '{"context":{"date":"2026-11-23T11:20:00+00:00"},"benchmarks":[{"name":"%s","run_name":"%s","run_type":"iteration","iterations":10,"real_time":1,"cpu_time":1,"time_unit":"ns"}]}\n' \
        "$long" "$long" > long-gbench.json
    refuse long-gbench.json
}

# refused_or_round_trips FILE: record either refuses FILE in one line, or
# stores it so that a baseline file saved from it compares clean with it.
refused_or_round_trips() {
    run --separate-stderr perfcmp record "$1"
    if [ "$status" -eq 2 ]; then
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
        return 0
    fi
    [ "$status" -eq 0 ]
    run perfcmp baseline save
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp compare latest --baseline baselines/default.json
    echo "$output $stderr" >&2
    [ "$status" -eq 0 ]
    ! grep -qE '\b(new|missing)\b' <<< "$output"
}

# fuzz_import_gbench: a user counter named like a standard metric gives the
# run two metrics 'wall_time'; its baseline file is then refused
@test "a Google Benchmark counter named wall_time is refused or round-trips" {
    refused_or_round_trips "$BAD/fuzz-gbench-counter-named-wall-time.json"
}
