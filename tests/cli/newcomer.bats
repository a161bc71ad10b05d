#!/usr/bin/env bats
# What a newcomer walking every command tripped over (issue 12): a missing
# argument is one line everywhere, an unknown run is named in the same
# words by every command, and 'baseline save' takes its window of runs as
# --last, with --branch NAME and --machine TEXT as the other commands do.

load helpers
bats_require_minimum_version 1.5.0

# res FILE BRANCH CPU LEVEL: a results file of one benchmark 'a' at LEVEL ns
# (two processes) on a machine whose CPU model is CPU.
res() {
    python3 - "$@" <<'PY'
import json, sys
out, branch, cpu, level = sys.argv[1:5]
l = float(level)
run = {"schema": "perfcmp-results", "version": 2,
       "context": {"timestamp": "2026-12-05T10:00:00Z", "host": "h", "cpu_model": cpu,
                   "cpu_count": 2, "os": "Linux", "kernel": "6", "arch": "x86_64",
                   "compiler": "cc", "cflags": "", "library_version": "0.1.0",
                   "command": "./bench", "binary_id": "fnv1a64:0000000000000001",
                   "git": {"commit": "c" * 40, "branch": branch, "dirty": False}},
       "benchmarks": [{"name": "a", "family": "a", "args": [], "tags": [], "status": "ok",
                       "iterations": 100,
                       "metrics": [{"name": "wall_time", "unit": "ns", "direction": "lower",
                                    "samples": [l, l + 1, l + 1, l + 2],
                                    "processes": [2, 2]}]}]}
json.dump(run, open(out, "w"))
PY
}

@test "perfcmp without a command says so in one line" {
    run --separate-stderr perfcmp
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = "error: no command given (see 'perfcmp --help')" ]
    [ ! -e .perfcmp ]
}

@test "perfcmp baseline without a subcommand, or with an unknown one, says so in one line" {
    run --separate-stderr perfcmp baseline
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = "error: no baseline command given: expected save, list, show, delete or import (see 'perfcmp baseline --help')" ]
    run --separate-stderr perfcmp baseline frob
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: unknown baseline command 'frob': expected save, list, show, delete or import (see 'perfcmp baseline --help')" ]
}

@test "an unknown run is refused in the same words by show, compare, plot and baseline save" {
    res r1.json main T 100
    perfcmp record --quiet r1.json > /dev/null
    perfcmp baseline save > /dev/null
    before=$(db_checksum)
    for cmd in "show 99" "compare 99" "compare --against 99" "plot compare 99 --script-only" \
               "plot dist a 99 --script-only" "baseline save --run 99"; do
        run --separate-stderr perfcmp $cmd
        [ "$status" -eq 2 ] || { echo "$cmd: $status"; false; }
        [ "$stderr" = "error: no run 99 in '$PERFCMP_DB'" ] || { echo "$cmd: $stderr"; false; }
    done
    [ "$(db_checksum)" = "$before" ]
}

@test "report without --html says where to look" {
    run --separate-stderr perfcmp report
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: no output directory: give --html DIR (see 'perfcmp report --help')" ]
}

@test "baseline save --last=N merges the newest N runs; --runs=N is its older spelling" {
    for i in 1 2 3; do res r$i.json main T $((100 + i)); done
    for i in 1 2 3; do perfcmp record --quiet r$i.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --last=2
    [ "$status" -eq 0 ]
    [ "${lines[1]}" = "run 4 merges 2 runs of branch 'main': 3, 2" ]
    run --separate-stderr perfcmp baseline save other --runs 2
    [ "$status" -eq 0 ]
    [ "${lines[1]}" = "run 5 merges 2 runs of branch 'main': 3, 2" ]
    run perfcmp baseline --help
    [[ "$output" == *"[--run=ID | --last=N [--branch=NAME] [--machine=TEXT]]"* ]]
    [[ "$output" == *"--runs=N is the same: its older"* ]]
}

@test "baseline save --last --machine merges only the runs of that machine" {
    res r1.json main "Xeon" 100
    res r2.json main "EPYC" 300
    res r3.json main "Xeon" 102
    for i in 1 2 3; do perfcmp record --quiet r$i.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --last=5 --machine=Xeon
    [ "$status" -eq 0 ]
    [ "${lines[1]}" = "run 4 merges 2 runs of branch 'main': 3, 1" ]
    [ "$stderr" = "warning: only 2 runs on branch 'main' on a machine matching 'Xeon' to merge, of the 5 asked" ]
}

@test "baseline save: a bad --last, or --branch and --machine without it, exit 2 and change nothing" {
    res r1.json main T 100
    perfcmp record --quiet r1.json > /dev/null
    before=$(db_checksum)
    run --separate-stderr perfcmp baseline save --last=0
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: invalid value '0' for '--last': expected a positive whole number" ]
    run --separate-stderr perfcmp baseline save --last=1001
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: invalid value '1001' for '--last': expected a positive whole number, at most 1000" ]
    run --separate-stderr perfcmp baseline save --machine=T
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: '--machine' chooses the runs of --last; give --last=N with it" ]
    run --separate-stderr perfcmp baseline save --last=2 --run=1
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: options '--run' and '--last' cannot be used together: --run saves one run, --last merges the newest N" ]
    run --separate-stderr perfcmp baseline save --last=2 --machine=nope
    [ "$status" -eq 2 ]
    [[ "$stderr" == "error: no runs on branch 'main' on a machine matching 'nope' in '"*"': nothing to save as baseline 'default'" ]]
    [ "$(db_checksum)" = "$before" ]
    [ ! -e baselines ]
}
