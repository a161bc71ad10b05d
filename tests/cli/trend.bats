#!/usr/bin/env bats
# perfcmp trend: change points and creeping trends in benchmark histories.

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

gen_record() {
    rm -rf "$WORK/data"
    python3 "$GEN" "$WORK/data" "$@"
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
}

short() {
    python3 -c "import hashlib; print(hashlib.sha1(b'commit-$1').hexdigest()[:7])"
}

@test "trend finds a 30% step at the run where it happened" {
    gen_record --runs 20 --bench sort/1024 --flat hash/64 --step 12:30
    run perfcmp trend
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "hash/64: no change in 20 runs" ]
    [ "${lines[1]}" = "sort/1024: 1 change point in 20 runs" ]
    [[ "${lines[2]}" =~ ^\ \ run\ 12\ \(12\ of\ 20\)\ \ $(short 11)\ -\>\ $(short 12)\ \ \+(2[6-9]|3[0-4])\.[0-9]%\ .*\ p\ =\ 0\.005\ \ worse$ ]]
    [ "${lines[3]}" = "1 change point, 0 creeping, in 1 of 2 benchmarks" ]
}

@test "trend --format=json reports the shift, its commits and p-value" {
    gen_record --runs 20 --bench sort/1024 --step 12:30
    run perfcmp trend --format=json
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | python3 -c '
import hashlib, json, sys
d = json.load(sys.stdin)
assert d["metric"] == "wall_time" and d["alpha"] == 0.01 and d["permutations"] == 199
assert d["min_size"] == 3 and d["min_change_pct"] == 5 and d["since"] is None
(b,) = d["benchmarks"]
assert b["name"] == "sort/1024" and b["runs"] == 20
(c,) = b["change_points"]
assert c["run_id"] == 12 and c["position"] == 12 and c["previous_run_id"] == 11
assert c["commit_before"] == hashlib.sha1(b"commit-11").hexdigest()
assert c["commit_after"] == hashlib.sha1(b"commit-12").hexdigest()
assert 26 < c["change_pct"] < 34 and abs(c["after"] / c["before"] - 1 - c["change_pct"] / 100) < 1e-12
assert c["p"] == 0.005 and c["worse"] is True and c["gated"] is False
assert b["trend"]["creeping"] is False
assert d["change_points"] == 1 and d["exit_status"] == 0
'
}

@test "trend --since fails only when the change for the worse is that recent" {
    gen_record --runs 20 --bench sort/1024 --step 12:30
    run perfcmp trend --since=10
    [ "$status" -eq 1 ]
    [[ "${lines[1]}" == *"worse  [in the last --since runs]" ]]
    [ "${lines[-1]}" = "1 change point, 0 creeping, in 1 of 1 benchmark; 1 for the worse in the last 10 runs" ]
    run perfcmp trend --since=5
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = "1 change point, 0 creeping, in 1 of 1 benchmark; 0 for the worse in the last 5 runs" ]
}

@test "trend --since does not fail on an improvement" {
    gen_record --runs 20 --bench sort/1024 --step 12:-30
    run perfcmp trend --since=10
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" =~ \ -(2[6-9]|3[0-4])\.[0-9]%\ .*better$ ]]
}

@test "trend knows that a drop in throughput is for the worse" {
    gen_record --runs 20 --bench copy --step 12:-30 --higher
    run perfcmp trend --metric=bytes_per_second --since=10
    [ "$status" -eq 1 ]
    [[ "${lines[1]}" == *"worse  [in the last --since runs]" ]]
}

@test "trend finds two steps in order" {
    gen_record --runs 40 --bench sort/1024 --step 14:25 --step 28:-20
    run perfcmp trend --format=json
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | python3 -c '
import json, sys
(b,) = json.load(sys.stdin)["benchmarks"]
cps = b["change_points"]
assert [c["run_id"] for c in cps] == [14, 28], cps
assert cps[0]["worse"] and not cps[1]["worse"]
'
}

@test "trend does not take a lone spike for a change" {
    gen_record --runs 30 --bench sort/1024 --spike 15:3
    run perfcmp trend
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "sort/1024: no change in 30 runs" ]
}

@test "trend finds no change in pure noise" {
    gen_record --runs 60 --bench a --bench b --bench c --noise 0.02 --seed 3
    run perfcmp trend --since=60
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = "0 change points, 0 creeping, in 0 of 3 benchmarks; 0 for the worse in the last 60 runs" ]
}

@test "trend reports a slow creep of 2% per run" {
    gen_record --runs 20 --bench sort/1024 --creep 2
    run perfcmp trend --since=5
    [ "$status" -eq 1 ]
    printf '%s\n' "$output" | grep -E '^  creeping \+(1\.[89]|2\.[01])%/run \(\+[0-9.]+% over 20 runs, p [<=] 0\.[0-9]+\)  worse$'
    run perfcmp trend --format=json
    printf '%s\n' "$output" | python3 -c '
import json, sys
t = json.load(sys.stdin)["benchmarks"][0]["trend"]
assert t["creeping"] and t["worse"] and 1.8 < t["rate_pct_per_run"] < 2.2, t
assert 35 < t["total_pct"] < 55 and t["p"] < 0.01, t
'
}

@test "trend output is the same on every run (fixed seed)" {
    gen_record --runs 30 --bench sort/1024 --step 10:8 --noise 0.03
    run perfcmp trend --format=json
    first=$output
    run perfcmp trend --format=json
    [ "$output" = "$first" ]
}

@test "trend --window looks only at the newest runs" {
    gen_record --runs 20 --bench sort/1024 --step 12:30
    run perfcmp trend --window=8
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "sort/1024: no change in 8 runs" ]
}

@test "trend --min-change and --min-size tune what counts" {
    gen_record --runs 20 --bench sort/1024 --step 12:30
    run perfcmp trend --min-change=40%
    [ "${lines[0]}" = "sort/1024: no change in 20 runs" ]
    run perfcmp trend --min-size=11
    [ "${lines[0]}" = "sort/1024: no change in 20 runs" ]
    run perfcmp trend --alpha=0.001 --format=json
    printf '%s\n' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["permutations"] == 1999, d["permutations"]
assert d["benchmarks"][0]["change_points"][0]["p"] == 0.0005
'
}

@test "trend takes benchmark globs" {
    gen_record --runs 10 --bench sort/1 --bench sort/2 --flat hash/1
    run perfcmp trend 'sort/*'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "sort/1: no change in 10 runs" ]
    [ "${lines[1]}" = "sort/2: no change in 10 runs" ]
    [ "${lines[2]}" = "0 change points, 0 creeping, in 0 of 2 benchmarks" ]
    run perfcmp trend 'sort/*' nope
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no benchmark matches 'nope'" ]
}

@test "trend on an empty database says there is nothing yet" {
    run perfcmp trend
    [ "$status" -eq 0 ]
    [ "$output" = "no 'wall_time' values recorded yet" ]
    run perfcmp trend sort
    [ "$status" -eq 2 ]
    assert_one_line
}

@test "trend of a metric nobody recorded fails with one line" {
    gen_record --runs 5 --bench sort/1024
    run perfcmp trend sort/1024 --metric=cpu_time
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no 'cpu_time' values recorded for the benchmarks given" ]
}

@test "trend refuses bad options with one line" {
    for bad in --alpha=0 --alpha=1 --alpha=x --min-size=0 --min-change=-5 --since=0 \
               --window=x --format=xml --bogus; do
        run perfcmp trend "$bad"
        [ "$status" -eq 2 ]
        assert_one_line
    done
    run perfcmp trend --alpha=2
    [ "$output" = "error: invalid alpha '2': expected a number between 0 and 1 (exclusive)" ]
}
