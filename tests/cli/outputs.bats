#!/usr/bin/env bats
# Output files that are not regular files: a symbolic link, a FIFO (and,
# by the same rule, /dev/null or /dev/stdout) are written in place, never
# replaced by the renamed temporary file that makes a regular output
# atomic.  Run as root, the rename would otherwise put a regular file
# where /dev/null was.  (No test writes to /dev/null itself: a regression
# would break the machine it runs on.)

load helpers

# Asserts that $1 is still a symbolic link to $2 and $2 a regular file
# holding what the command wrote.
still_a_link() {
    [ -L "$1" ] || { echo "'$1' is no longer a symbolic link" >&2; return 1; }
    [ "$(readlink "$1")" = "$2" ]
    [ -f "$2" ] && [ -s "$2" ]
}

@test "a bench binary's --out through a symlink writes the file it points at" {
    [ -x "$EXAMPLES/hello" ] || skip "examples not built"
    ln -s real.json link.json
    : > real.json
    run "$EXAMPLES/hello" --quiet --samples=3 --min-time=0.001 --processes=1 --out=link.json
    [ "$status" -eq 0 ]
    still_a_link link.json real.json
    python3 -c 'import json; d = json.load(open("real.json")); assert d["schema"] == "perfcmp-results"'
    ! ls link.json.tmp.* real.json.tmp.* 2>/dev/null
}

@test "a bench binary's --out to a FIFO reaches its reader and leaves the FIFO" {
    [ -x "$EXAMPLES/hello" ] || skip "examples not built"
    mkfifo out.fifo
    timeout 30 cat out.fifo > got.json &   # no writer (the bug): gives up
    run "$EXAMPLES/hello" --quiet --samples=3 --min-time=0.001 --processes=1 --out=out.fifo
    wait
    [ "$status" -eq 0 ]
    [ -p out.fifo ]
    python3 -c 'import json; d = json.load(open("got.json")); assert d["benchmarks"]'
}

@test "compare -o through a symlink and to a FIFO" {
    D=$DATA/compare
    ln -s real.json link.json
    : > real.json
    run perfcmp compare "$D/same.json" --baseline "$D/base.json" --format=json -o link.json
    [ "$status" -eq 0 ]
    still_a_link link.json real.json
    python3 -c 'import json; d = json.load(open("real.json")); assert d["results"]'
    mkfifo out.fifo
    timeout 30 cat out.fifo > got.xml &
    run perfcmp compare "$D/same.json" --baseline "$D/base.json" --format=junit -o out.fifo
    wait
    [ "$status" -eq 0 ]
    [ -p out.fifo ]
    grep -q '<testsuite' got.xml
}

@test "plot -o through a symlink: gnuplot draws into the file it points at" {
    command -v gnuplot >/dev/null || skip "gnuplot not installed"
    python3 "$PERFCMP_ROOT/tests/cli/gen_history.py" "$WORK/data" --runs 6 --bench sort/1024
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    ln -s chart.svg link.svg
    : > chart.svg
    run perfcmp plot trend sort/1024 -o link.svg
    [ "$status" -eq 0 ]
    still_a_link link.svg chart.svg
    grep -q '<svg' chart.svg
    ! ls link.svg.tmp-* 2>/dev/null
}

@test "exec --out through a symlink" {
    ln -s real.json link.json
    : > real.json
    run perfcmp exec --runs 3 --warmup 0 --out link.json -- true
    echo "status $status, output: $output"
    [ "$status" -eq 0 ]
    still_a_link link.json real.json
    python3 -c 'import json; d = json.load(open("real.json")); assert d["schema"] == "perfcmp-results"'
}
