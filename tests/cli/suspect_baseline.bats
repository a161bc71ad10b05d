#!/usr/bin/env bats
# A suspect baseline: saving one, and judging against one, warns when its
# processes disagree beyond their own spread by more than the threshold,
# or when its median lies outside the benchmark's recent history on the
# same branch and machine (src/core/suspect.h, docs/cli.md).  The warnings
# change no exit status and no database.

load helpers
bats_require_minimum_version 1.5.0

# res FILE BRANCH 'P1;P2;...' ['P1;P2;...' for bench b]: a results file
# (format 2) of benchmarks a and b on one machine; each process's samples
# are space-separated numbers, processes separated by ';'.
res() {
    python3 - "$@" <<'PY'
import json, sys
out, branch, pa = sys.argv[1:4]
pb = sys.argv[4] if len(sys.argv) > 4 else "500 501 502;500 501 502"
def metric(spec):
    procs = [[float(x) for x in p.split()] for p in spec.split(";")]
    m = {"name": "wall_time", "unit": "ns", "direction": "lower",
         "samples": [x for p in procs for x in p]}
    if len(procs) > 1:
        m["processes"] = [len(p) for p in procs]
    return m
run = {"schema": "perfcmp-results", "version": 2,
       "context": {"timestamp": "2026-12-05T10:00:00Z", "host": "h", "cpu_model": "T",
                   "cpu_count": 2, "os": "Linux", "kernel": "6", "arch": "x86_64",
                   "compiler": "cc", "cflags": "", "library_version": "0.1.0",
                   "command": "./bench", "binary_id": "fnv1a64:0000000000000001",
                   "git": {"commit": "c" * 40, "branch": branch, "dirty": False}},
       "benchmarks": [{"name": n, "family": n, "args": [], "tags": [], "status": "ok",
                       "iterations": 100, "metrics": [metric(s)]}
                      for n, s in (("a", pa), ("b", pb))]}
json.dump(run, open(out, "w"))
PY
}

# procs LEVEL: 6 processes of 3 samples around LEVEL, agreeing
procs() {
    local l=$1
    echo "$l $((l + 1)) $((l + 2));$l $((l + 1)) $((l + 2));$l $((l + 1)) $((l + 2));$((l + 1)) $((l + 2)) $((l + 3));$((l + 1)) $((l + 2)) $((l + 3));$l $((l + 1)) $((l + 2))"
}

# history N: N runs of branch main with a at 98..102 ns, recorded
history() {
    local i levels=(100 98 101 99 100 102 99 100 101 98)
    for ((i = 0; i < $1; i++)); do
        res "h$i.json" main "$(procs "${levels[$i]}")"
        perfcmp record --quiet "h$i.json" > /dev/null
    done
}

@test "baseline save warns when the run's processes disagree beyond their spread and the threshold" {
    res r1.json main "100 101 102;100 101 102;150 151 152"
    perfcmp record --quiet r1.json > /dev/null
    run --separate-stderr perfcmp baseline save
    [ "$status" -eq 0 ]
    [ "$output" = "saved baseline 'default' (run 1) to 'baselines/default.json'" ]
    [ -f baselines/default.json ]
    [ "${#stderr_lines[@]}" -eq 2 ]
    [ "${stderr_lines[0]}" = "warning: baseline 'default' (run 1): a: its processes' medians range from 101 ns to 151 ns (+49.5%), beyond their own spread and the 20% threshold" ]
    [[ "${stderr_lines[1]}" == "warning: baseline 'default' (run 1) is suspect for 1 of 2 benchmarks: "*"'perfcmp baseline save --last=5 --branch=main'" ]]
}

@test "processes within the threshold, or within their own spread, are not suspect" {
    # 10% apart: under the 20% threshold; 50% apart, but one process reaches the other
    res r1.json main "100 101 102;110 111 112" "100 101 170;99 150 151"
    perfcmp record --quiet r1.json > /dev/null
    run --separate-stderr perfcmp baseline save
    [ "$status" -eq 0 ]
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
}

@test "baseline save warns when the run lies outside the history of its branch and machine" {
    history 6
    res other.json dev "$(procs 300)"           # another branch: not history
    perfcmp record --quiet other.json > /dev/null
    res slow.json main "$(procs 150)"
    perfcmp record --quiet slow.json > /dev/null
    run --separate-stderr perfcmp baseline save nightly
    [ "$status" -eq 0 ]
    [ "${#stderr_lines[@]}" -eq 2 ]
    [ "${stderr_lines[0]}" = "warning: baseline 'nightly' (run 8): a: its median 151 ns is +49.5% off its history: 99.0 ns to 103 ns (median 101 ns) in the last 6 runs of branch 'main' on its machine" ]
    [[ "${stderr_lines[1]}" == "warning: baseline 'nightly' (run 8) is suspect for 1 of 2 benchmarks: "*"'perfcmp baseline save nightly --last=5 --branch=main'" ]]
}

@test "fewer than 5 runs of history say nothing" {
    history 4
    res slow.json main "$(procs 150)"
    perfcmp record --quiet slow.json > /dev/null
    run --separate-stderr perfcmp baseline save
    [ "$status" -eq 0 ]
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
}

@test "compare warns of a fast baseline, still exits 1 on the regression and changes nothing" {
    history 6
    res fast.json main "$(procs 70)"
    perfcmp record --quiet fast.json > /dev/null
    perfcmp baseline save > /dev/null 2>&1
    res cur.json main "$(procs 100)"
    perfcmp record --quiet cur.json > /dev/null
    before=$(db_checksum)
    run --separate-stderr perfcmp compare
    [ "$status" -eq 1 ]
    [[ "$output" == *"regressed"* ]]
    [ "${stderr_lines[0]}" = "warning: baseline 'default' (run 7): a: its median 71.0 ns is -29.7% off its history: 99.0 ns to 103 ns (median 101 ns) in the last 7 runs of branch 'main' on its machine" ]
    [[ "${stderr_lines[1]}" == "warning: baseline 'default' (run 7) is suspect for 1 of 2 benchmarks: "* ]]
    [ "$(db_checksum)" = "$before" ]
    # the same verdicts and exit status as against the same run without history
    run --separate-stderr perfcmp compare --against 7
    [ "$status" -eq 1 ]
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
}

@test "compare --baseline FILE checks the file against the history too" {
    history 6
    res fast.json main "$(procs 70)"
    run --separate-stderr perfcmp compare --baseline fast.json
    [ "$status" -eq 1 ]      # the latest run is slower than the fast file: regressed
    [[ "${stderr_lines[0]}" == "warning: 'fast.json': a: its median 71.0 ns is -29.7% off its history: "* ]]
    [[ "${stderr_lines[1]}" == "warning: 'fast.json' is suspect for 1 of 2 benchmarks: "*"'perfcmp baseline save --last=5 --branch=main'" ]]
}

@test "a file is checked from exactly 5 runs of history on, and not with 4" {
    # the check asks for no benchmark's history when the branch has fewer
    # runs on the machine than a history needs: the boundary, both sides
    history 4
    res fast.json main "$(procs 70)"
    run --separate-stderr perfcmp compare --baseline fast.json
    [ "$status" -eq 1 ]
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
    res h4.json main "$(procs 100)"
    perfcmp record --quiet h4.json > /dev/null
    run --separate-stderr perfcmp compare --baseline fast.json
    [ "$status" -eq 1 ]
    [[ "${stderr_lines[0]}" == "warning: 'fast.json': a: its median 71.0 ns is -29.7% off its history: "*" in the last 5 runs of branch 'main' on its machine" ]]
}

@test "a baseline merged from several runs is judged on its history, not on its processes" {
    res r1.json main "$(procs 100)"
    res r2.json main "$(procs 160)"
    res r3.json main "$(procs 101)"
    for f in r1 r2 r3; do perfcmp record --quiet $f.json > /dev/null; done
    run --separate-stderr perfcmp baseline save --runs=3
    [ "$status" -eq 0 ]
    # the runs disagree (save --runs says so), but the merged baseline spans them
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ "${stderr_lines[0]}" == "warning: runs 1 and 2 disagree on a beyond their own spread: "* ]]
    run --separate-stderr perfcmp compare 3
    [ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
}

# fake: a stand-in bench binary that copies $FAKE_FILE to its --out path
make_fake() {
    cat > fake <<'EOF'
#!/bin/sh
for a; do case $a in --out=*) cp "$FAKE_FILE" "${a#--out=}" ;; esac; done
EOF
    chmod +x fake
}

@test "run --save-baseline warns of the run it saves, run warns of the baseline it judges against" {
    history 6
    make_fake
    res slow.json main "$(procs 150)"
    FAKE_FILE=$PWD/slow.json run --separate-stderr perfcmp run --quiet --save-baseline -- ./fake
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"saved baseline 'default' (run 7)"* ]]
    [[ "$stderr" == *"warning: baseline 'default' (run 7): a: its median 151 ns is +49.5% off its history: 99.0 ns to 103 ns (median 101 ns) in the last 6 runs of branch 'main' on its machine"* ]]
    res cur.json main "$(procs 100)"
    FAKE_FILE=$PWD/cur.json run --separate-stderr perfcmp run --quiet -- ./fake
    [ "$status" -eq 0 ]      # improved against the slow baseline: exit 0 as ever
    [[ "$output" == *"improved"* ]]
    [[ "${stderr_lines[0]}" == "warning: baseline 'default' (run 7): a: its median 151 ns is +49.5% off its history: "* ]]
    [[ "${stderr_lines[1]}" == "warning: baseline 'default' (run 7) is suspect for 1 of 2 benchmarks: "* ]]
}

@test "a command that fails before it judges prints its one error line, not the warnings" {
    history 6
    res fast.json main "$(procs 70)"
    perfcmp record --quiet fast.json > /dev/null
    perfcmp baseline save > /dev/null 2>&1
    run --separate-stderr perfcmp run -- ./no-such-binary
    [ "$status" -eq 2 ]
    [ "$stderr" = "error: cannot run './no-such-binary': No such file or directory" ]
    run --separate-stderr perfcmp compare --metric=nope
    [ "$status" -eq 2 ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ "$stderr" == "error: unknown metric 'nope': "* ]]
}
