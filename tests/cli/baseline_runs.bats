#!/usr/bin/env bats
# perfcmp baseline save --runs=N: a baseline merged from several runs.

load helpers
bats_require_minimum_version 1.5.0

# v2file FILE MARK BRANCH 'P1;P2;...' ['P1;P2' for bench b]: a results file
# of benchmarks a and b; each process's samples are given as
# space-separated numbers, processes separated by ';'.
v2file() {
    python3 - "$@" <<'PY'
import json, sys
out, mark, branch, pa = sys.argv[1:5]
pb = sys.argv[5] if len(sys.argv) > 5 else "500 501;502 503"
def metric(spec):
    procs = [[float(x) for x in p.split()] for p in spec.split(";")]
    m = {"name": "wall_time", "unit": "ns", "direction": "lower",
         "samples": [x for p in procs for x in p]}
    if len(procs) > 1:
        m["processes"] = [len(p) for p in procs]
    return m
run = {"schema": "perfcmp-results", "version": 2,
       "context": {"timestamp": "2026-12-05T10:00:00Z", "host": mark, "cpu_model": "T",
                   "cpu_count": 2, "os": "Linux", "kernel": "6", "arch": "x86_64",
                   "compiler": "cc", "cflags": "", "library_version": "0.1.0",
                   "command": mark, "binary_id": "fnv1a64:0000000000000001",
                   "git": {"commit": "c" * 40, "branch": branch, "dirty": False}},
       "benchmarks": [{"name": n, "family": n, "args": [], "tags": [], "status": "ok",
                       "iterations": 100, "metrics": [metric(s)]}
                      for n, s in (("a", pa), ("b", pb))]}
json.dump(run, open(out, "w"))
PY
}

# the wall_time processes of benchmark $2 in stored run $1, as JSON
procs_of() {
    perfcmp show "$1" --format=json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for b in d["benchmarks"]:
    if b["name"] == sys.argv[1]:
        m = b["metrics"][0]
        print(m.get("processes"), len(m["samples"]))' "$2"
}

@test "save --runs=3 merges the newest 3 runs of the branch, each run's processes kept" {
    v2file r1.json r1 main "100 101;104 105"
    v2file r2.json r2 main "102 103;104 105"
    v2file r3.json r3 other "900 901"
    v2file r4.json r4 main "101 102;103 104;105 106"
    v2file r5.json r5 main "99 100"
    for f in r1 r2 r3 r4 r5; do perfcmp record --quiet $f.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --runs=3 --branch=main
    [ "$status" -eq 0 ]
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
    [ "${lines[0]}" = "saved baseline 'default' (run 6) to 'baselines/default.json'" ]
    [ "${lines[1]}" = "run 6 merges 3 runs of branch 'main': 5, 4, 2" ]
    # run 5 had one process (2 samples), run 4 three, run 2 two
    run procs_of 6 a
    [ "$output" = "[2, 2, 2, 2, 2, 2] 12" ]
    [ "$(python3 -c 'import json; d=json.load(open("baselines/default.json")); print(d["benchmarks"][0]["metrics"][0]["processes"], d["context"]["source_format"])')" = "[2, 2, 2, 2, 2, 2] perfcmp-merged" ]
    run perfcmp runs --format=json
    [[ "$output" == *"baseline 'default' merged from runs 5, 4, 2"* ]]
}

@test "save --runs takes the newest run's branch by default and warns when it has fewer runs" {
    v2file r1.json r1 main "100 101;102 103"
    v2file r2.json r2 dev "100 101;102 103"
    perfcmp record --quiet r1.json > /dev/null
    perfcmp record --quiet r2.json > /dev/null
    run --separate-stderr perfcmp baseline save nightly --runs=5
    [ "$status" -eq 0 ]
    [ "$stderr" = "warning: only 1 run on branch 'dev' to merge, of the 5 asked" ]
    [ "${lines[1]}" = "run 3 merges 1 run of branch 'dev': 2" ]
}

@test "save --runs warns, one line a benchmark, when runs disagree beyond their own spread" {
    v2file r1.json r1 main "100 101;102 103"
    v2file r2.json r2 main "101 102;103 104"
    v2file r3.json r3 main "170 171;172 173"
    for f in r1 r2 r3; do perfcmp record --quiet $f.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --runs=3
    [ "$status" -eq 0 ]
    [ "$stderr" = "warning: runs 1 and 3 disagree on a beyond their own spread: 102 ns and 172 ns (+69.0%)" ] || {
        echo "stderr: $stderr"; false; }
}

@test "overlapping spreads, or a gap of 5% or less, are no disagreement" {
    v2file r1.json r1 main "100 100;110 110"
    v2file r2.json r2 main "108 108;118 118"
    v2file r3.json r3 main "100 100" "500 500;500 500"
    v2file r4.json r4 main "104 104" "520 520;520 520"
    for f in r1 r2; do perfcmp record --quiet $f.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --runs=2
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    for f in r3 r4; do perfcmp record --quiet $f.json > /dev/null; done
    # a is 4% apart (no warning), b 4% apart with no spread (no warning)
    run --separate-stderr perfcmp baseline save --runs=2
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}

@test "a merged run is left out of history and of later merges, and compare judges against it" {
    for i in 1 2 3; do
        v2file r$i.json r$i main "100 101;102 103"
        perfcmp record --quiet r$i.json > /dev/null
    done
    perfcmp baseline save --runs=3 > /dev/null
    run perfcmp history a --format=csv
    [ "$(printf '%s\n' "$output" | grep -c '^[0-9]')" -eq 3 ] || { echo "$output"; false; }
    perfcmp baseline save m2 --runs=2 > /dev/null
    run perfcmp runs --format=json
    [[ "$output" == *"baseline 'm2' merged from runs 3, 2"* ]]
    v2file slow.json slow main "150 151;152 153;150 151;152 153;150 151;152 153"
    run perfcmp compare slow.json --baseline default
    [ "$status" -eq 1 ]
    [[ "$output" == *"regressed"* ]]
}

@test "save --runs: bad values and combinations exit 2 and change nothing" {
    v2file r1.json r1 main "100 101;102 103"
    perfcmp record --quiet r1.json > /dev/null
    before=$(db_checksum)
    for args in "--runs=0" "--runs=x" "--runs=1001" "--runs=2 --run=1" "--branch=main" \
                "--runs=2 --branch=nope"; do
        run --separate-stderr perfcmp baseline save $args
        [ "$status" -eq 2 ] || { echo "$args: $status"; false; }
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$args: $stderr"; false; }
    done
    run --separate-stderr perfcmp baseline save --runs=0
    [ "$stderr" = "error: invalid value '0' for '--runs': expected a positive whole number" ]
    run --separate-stderr perfcmp baseline save --runs=2 --branch=nope
    [[ "$stderr" == "error: no runs on branch 'nope' in '"*"': nothing to save as baseline 'default'" ]]
    [ "$(db_checksum)" = "$before" ]
    [ ! -e baselines ]
}
