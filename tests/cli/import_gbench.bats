#!/usr/bin/env bats
# Google Benchmark files with what its JSON reporter writes for non-finite
# doubles (bare NaN, Infinity, -Infinity), and rows of 0 iterations.  A
# non-finite counter value is left out with one warning line; a non-finite
# time, or a row that ran no iteration, refuses the file: exit 2, one line
# naming the file, the benchmark and the field, the database unchanged.
# The files are in tests/data/gbench/ (made by tests/data/gen/
# gbench_nonfinite.cc, see README.md there).

bats_require_minimum_version 1.5.0
load helpers

GB=$DATA/gbench

# Records one good run, so that there is a database a refused file could damage.
seed_db() {
    run perfcmp record "$GB/single.json"
    [ "$status" -eq 0 ]
}

# refuse FILE WHAT [RECORD OPTION...]: exit 2, one error line naming FILE
# and containing WHAT, the database as it was.
refuse() {
    local file=$1 what=$2 before after
    shift 2
    seed_db
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$@" "$file"
    after=$(db_checksum)
    echo "exit $status; stderr: $stderr" >&2
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "error: '$file': "* ]]
    [[ "$stderr" == *"$what"* ]]
    [ -z "$output" ]
    [ "$before" = "$after" ]
}

@test "record reads a NaN counter: one warning, the counter left out, the rest stored" {
    local f=$GB/nonfinite-counter.json
    run --separate-stderr perfcmp record "$f"
    echo "stdout: $output; stderr: $stderr" >&2
    [ "$status" -eq 0 ]
    # hit_rate is NaN in both repetitions (and lookups in the cv aggregate):
    # still one line
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [ "$stderr" = "warning: '$f': benchmark 'BM_hit_rate/iterations:1000': counter 'hit_rate' is not finite (NaN); left out (and 1 more non-finite counter value)" ]
    [[ "$output" == "recorded run 1 from '$f' (1 benchmark)" ]]
    run perfcmp show latest
    [ "$status" -eq 0 ]
    [[ "$output" == *"BM_hit_rate/iterations:1000"*"wall_time"* ]]
    [[ "$output" == *"lookups"* ]]
    [[ "$output" == *"items_per_second"* ]]
    [[ "$output" != *"hit_rate "* ]]
    [[ "$output" != *"NaN"* && "$output" != *"nan"* ]]
    run perfcmp show latest --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
r = json.load(sys.stdin)
names = [m["name"] for b in r["benchmarks"] for m in b["metrics"]]
assert "hit_rate" not in names and "lookups" in names, names
' <<< "$output"
}

@test "record --format google-benchmark reads a NaN counter the same" {
    run --separate-stderr perfcmp record --format google-benchmark "$GB/nonfinite-counter.json"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "warning: "*"counter 'hit_rate' is not finite (NaN); left out"* ]]
}

@test "show --file and baseline import warn about a NaN counter too" {
    run --separate-stderr perfcmp show --file "$GB/nonfinite-counter.json"
    [ "$status" -eq 0 ]
    [[ "$stderr" == "warning: '$GB/nonfinite-counter.json': "*"'hit_rate' is not finite (NaN)"* ]]
    [[ "$output" == *"lookups"* && "$output" != *"hit_rate "* ]]
    run --separate-stderr perfcmp baseline import "$GB/nonfinite-counter.json" --name nf
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "warning: "*"'hit_rate' is not finite (NaN)"* ]]
}

@test "a file without non-finite values records without a warning" {
    run --separate-stderr perfcmp record "$GB/counters.json"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}

@test "record refuses a NaN real_time, naming the benchmark and the field" {
    refuse "$GB/nonfinite-real-time-nan.json" \
        "benchmark 'BM_manual_nan/iterations:10/manual_time': 'real_time' is not a finite number (NaN)"
}

@test "record --format google-benchmark refuses a NaN real_time" {
    refuse "$GB/nonfinite-real-time-nan.json" "'real_time' is not a finite number (NaN)" \
        --format google-benchmark
}

@test "record refuses a -Infinity real_time, naming the benchmark and the field" {
    refuse "$GB/nonfinite-real-time-minus-infinity.json" \
        "benchmark 'BM_manual_neg_inf/iterations:10/manual_time': 'real_time' is not a finite number (-Infinity)"
}

@test "record refuses a NaN cpu_time" {
    sed 's/"cpu_time": [0-9.e+]*/"cpu_time": NaN/' "$GB/single.json" > cpu-nan.json
    grep -q '"cpu_time": NaN' cpu-nan.json
    refuse cpu-nan.json "benchmark 'BM_sort/64': 'cpu_time' is not a finite number (NaN)"
}

@test "a refused file records nothing, not even the good files before it" {
    local before
    seed_db
    before=$(db_checksum)
    run --separate-stderr perfcmp record "$GB/nonfinite-counter.json" "$GB/nonfinite-real-time-nan.json"
    [ "$status" -eq 2 ]
    [ "$before" = "$(db_checksum)" ]
    [[ "$stderr" == *"error: '$GB/nonfinite-real-time-nan.json': "* ]]
    run perfcmp runs
    [ "$(printf '%s\n' "$output" | grep -c '^ *[0-9]')" -eq 1 ]
}

@test "record refuses a row of 0 iterations" {
    refuse "$GB/iterations-zero.json" "benchmark 'BM_sort/64': 'iterations' is 0"
}

@test "record --format google-benchmark refuses a row of 0 iterations" {
    refuse "$GB/iterations-zero.json" "'iterations' is 0" --format google-benchmark
}

@test "a failed row of 0 iterations is a failed benchmark, not a refused file" {
    sed 's/"iterations": 0,/"error_occurred": true, "error_message": "setup failed", "iterations": 0,/' \
        "$GB/iterations-zero.json" > failed.json
    run perfcmp record failed.json
    [ "$status" -eq 0 ]
    run perfcmp show latest
    [[ "$output" == *"BM_sort/64"*"failed"* ]]
}

@test "hyperfine and perfcmp files stay strict JSON: NaN is refused" {
    printf '{"results": [{"command": "x", "times": [0.1, NaN]}]}\n' > hf.json
    refuse hf.json "invalid JSON at line 1, column 46"
    refuse "$DATA/bad/perfcmp-nan-literal.json" "invalid JSON"
    # a Google Benchmark file forced to be read as another format
    refuse "$GB/nonfinite-counter.json" "invalid JSON" --format perfcmp
}
