#!/usr/bin/env bats
# perfcmp history: one benchmark's values over the stored runs.

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

# 20 runs: sort/1024 steps up 30% at run 12; hash/64 stays flat and
# crashes in run 5.
record_history() {
    python3 "$GEN" "$WORK/data" --runs 20 --bench sort/1024 --flat hash/64 \
        --step 12:30 --fail 5:hash/64 "$@"
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
}

@test "history shows one row per run with commit, median, CI and change" {
    record_history
    run perfcmp history sort/1024
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "sort/1024  wall_time (ns, lower is better), 20 runs" ]
    [[ "${lines[1]}" =~ run\ +time\ +commit\ +branch\ +median\ +ci\ low\ +ci\ high\ +change ]]
    [ "${#lines[@]}" -eq 22 ]
    # run 12 is where it stepped up by about 30%
    c12=$(python3 -c 'import hashlib; print(hashlib.sha1(b"commit-12").hexdigest()[:7])')
    row=$(printf '%s\n' "$output" | awk '$1 == 12')
    [[ "$row" == *" $c12 "* ]]
    [[ "$row" == *" main "* ]]
    change=$(printf '%s\n' "$row" | awk '{print $NF}')
    [[ "$change" =~ ^\+(2[6-9]|3[0-4])\.[0-9]%$ ]]
    # the first run has nothing to compare with
    [ "$(printf '%s\n' "$output" | awk '$1 == 1 {print $NF}')" = "-" ]
}

@test "history --format=json gives exact numbers and the full commit" {
    record_history
    run perfcmp history sort/1024 --format=json
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | python3 -c '
import hashlib, json, sys
d = json.load(sys.stdin)
assert d["benchmark"] == "sort/1024" and d["metric"] == "wall_time", d
assert d["unit"] == "ns" and d["direction"] == "lower"
runs = d["runs"]
assert [r["run_id"] for r in runs] == list(range(1, 21))
r12 = runs[11]
assert r12["commit"] == hashlib.sha1(b"commit-12").hexdigest()
assert r12["branch"] == "main"
assert r12["ci_low"] <= r12["median"] <= r12["ci_high"]
assert 26 < r12["change_pct"] < 34, r12
assert runs[0]["change_pct"] is None
# the change is relative to the previous run
assert abs(r12["change_pct"] - (r12["median"] / runs[10]["median"] - 1) * 100) < 1e-9
'
}

@test "history --format=csv has a header and one line per run" {
    record_history
    run perfcmp history sort/1024 --format=csv --last=3
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "run_id,timestamp,commit,branch,status,median,ci_low,ci_high,change_pct,unit" ]
    [ "${#lines[@]}" -eq 4 ]
    [[ "${lines[1]}" == 18,2026-01-01T18:00:00Z,*,main,ok,*,ns ]]
    [[ "${lines[3]}" == 20,* ]]
}

@test "history --last keeps the newest runs, oldest first" {
    record_history
    run perfcmp history sort/1024 --last 5
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 7 ]
    [ "$(printf '%s\n' "${lines[2]}" | awk '{print $1}')" = 16 ]
    [ "$(printf '%s\n' "${lines[6]}" | awk '{print $1}')" = 20 ]
}

@test "history shows a crashed run by its status" {
    record_history
    run perfcmp history hash/64
    [ "$status" -eq 0 ]
    row=$(printf '%s\n' "$output" | awk '$1 == 5')
    [[ "$row" == *" crashed "* ]]
    # run 6 is compared with run 4, the last one that has a value
    run perfcmp history hash/64 --format=json
    printf '%s\n' "$output" | python3 -c '
import json, sys
runs = json.load(sys.stdin)["runs"]
r4, r5, r6 = runs[3], runs[4], runs[5]
assert r5["status"] == "crashed" and r5["median"] is None and r5["change_pct"] is None
assert abs(r6["change_pct"] - (r6["median"] / r4["median"] - 1) * 100) < 1e-9
'
}

@test "history shows a window that holds only failed runs" {
    record_history --fail 19:hash/64 --fail 20:hash/64
    run perfcmp history hash/64 --last=2
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    [[ "${lines[2]}" == "   19  "*" crashed "* ]]
    [[ "${lines[3]}" == "   20  "*" crashed "* ]]
    run perfcmp history hash/64 --last=2 --metric=cpu_time
    [ "$status" -eq 2 ]
    [ "$output" = "error: no metric 'cpu_time' recorded for benchmark 'hash/64'" ]
}

@test "history --branch filters runs by branch, set with record --branch" {
    record_history
    python3 "$GEN" "$WORK/feature" --runs 3 --bench sort/1024 --seed 5
    perfcmp record -q --branch=feature/x --commit=abcdef1234567 "$WORK"/feature/run-*.json
    run perfcmp history sort/1024 --branch=feature/x --format=csv
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    [[ "${lines[1]}" == 21,*,abcdef1234567,feature/x,ok,* ]]
    run perfcmp history sort/1024 --branch=feature/x
    [[ "${lines[2]}" == *" abcdef1 "*" feature/x "* ]]
}

@test "history --machine filters by the machine fingerprint" {
    record_history
    run perfcmp history sort/1024 --machine="Test CPU" --format=csv
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 21 ]
    run perfcmp history sort/1024 --machine="Other CPU"
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no 'wall_time' values of benchmark 'sort/1024' match the filters" ]
}

@test "history of a higher-is-better metric says so" {
    python3 "$GEN" "$WORK/data" --runs 4 --bench copy --higher
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    run perfcmp history copy --metric=bytes_per_second
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "copy  bytes_per_second (B/s, higher is better), 4 runs" ]
}

@test "history of an unknown benchmark fails with one line" {
    record_history
    sum=$(db_checksum)
    run perfcmp history no/such
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no benchmark 'no/such' in the database" ]
    [ "$(db_checksum)" = "$sum" ]
}

@test "a name holding a newline still gives one error line" {
    record_history
    run perfcmp history $'no\nsuch'
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no benchmark 'no?such' in the database" ]
    run perfcmp trend $'no\nsuch'
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp plot trend sort/1024 -o $'a\nb.svg.jpg'
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp plot trend sort/1024 -o $'/nonexistent\n/t.svg'
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp report --html out $'x\ny'
    [ "$status" -eq 2 ]
    assert_one_line
}

@test "history of an unknown metric fails with one line" {
    record_history
    run perfcmp history sort/1024 --metric=cpu_time
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no metric 'cpu_time' recorded for benchmark 'sort/1024'" ]
}

@test "history refuses bad usage with one line" {
    run perfcmp history
    [ "$status" -eq 2 ]
    [ "$output" = "error: no benchmark given (see 'perfcmp history --help')" ]
    run perfcmp history a b
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: unexpected argument 'b': history shows one benchmark" ]
    run perfcmp history a --format=xml
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: unknown format 'xml': expected text, json or csv" ]
    run perfcmp history a --last=0
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: invalid value '0' for '--last': expected a positive whole number" ]
    run perfcmp history a --bogus
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp history a --last
    [ "$status" -eq 2 ]
    assert_one_line
}

@test "history --help describes the command" {
    run perfcmp history --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "usage: perfcmp history BENCH"* ]]
}
