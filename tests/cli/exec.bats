#!/usr/bin/env bats
# perfcmp exec: times whole commands (real ones: true, sleep, sh and a
# small fixture script), records them in a real store (a SQLite file, or
# a PostgreSQL database in the pg pass) and judges them against the
# baseline like perfcmp run.  No test asserts a time: the slowed command
# differs from the fast one by a factor of ten or more.

load helpers
bats_require_minimum_version 1.5.0

# ./args.sh: appends its arguments, one per line between [ and ], and
# whatever it reads on stdin, to args.log; also prints to both outputs.
make_args() {
    cat > args.sh <<'EOF'
#!/bin/sh
for a in "$@"; do printf '[%s]\n' "$a"; done >> args.log
cat >> args.log
echo "args.sh says hello"
echo "args.sh complains" >&2
EOF
    chmod +x args.sh
}

# sql QUERY: one value from the database
sql() {
    db_query "$1"
}

# py EXPR FILE: evaluates EXPR with the JSON of FILE as d
py() {
    python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$2"
}

@test "exec records each command as a benchmark with one sample per run of wall_time, cpu_time and peak_rss" {
    run perfcmp exec --runs 5 -- true
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "command"*"runs"*"wall"*"cpu"*"peak rss" ]]
    [[ "${lines[1]}" == "true "*" 5 "* ]]
    [ "${lines[2]}" = "no baseline 'default' yet: recorded run 1; save one with 'perfcmp baseline save'" ]
    [ "${lines[3]}" = "1 benchmark recorded, none compared" ]
    [ "$(sql 'SELECT count(*) FROM runs')" = 1 ]
    [ "$(sql 'SELECT source_format FROM runs')" = perfcmp-exec ]
    [ "$(sql "SELECT x.metric || ':' || x.n || ':' || x.unit FROM results x JOIN benchmarks b ON b.id = x.bench_id WHERE b.name = 'true' ORDER BY x.metric" | paste -sd' ' -)" = "cpu_time:5:ns peak_rss:5:bytes wall_time:5:ns" ]
    [ "$(sql 'SELECT command FROM runs')" = "perfcmp exec --runs 5 -- true" ]
    # the machine is recorded as for a bench binary
    [ "$(sql 'SELECT count(*) FROM runs WHERE machine_id IS NOT NULL')" = 1 ]
}

@test "exec takes several commands with -c, the one after -- last, named in order by -n" {
    make_args
    run perfcmp exec --runs 2 -c "./args.sh 'one word' two" -c "sh -c 'exit 0'" -n first -- ./args.sh third
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" == "first "* ]]
    [[ "${lines[2]}" == "sh -c 'exit 0' "* ]]
    [[ "${lines[3]}" == "./args.sh third "* ]]
    # (in the run's order: the order of the ids of new benchmarks is the store's)
    [ "$(sql "SELECT b.name FROM results r JOIN benchmarks b ON b.id = r.bench_id
              WHERE r.metric = 'wall_time' ORDER BY r.id" | paste -sd, -)" = "first,sh -c 'exit 0',./args.sh third" ]
    [ "$(sql 'SELECT count(*) FROM benchmarks')" = 3 ]
    # -c is split as sh quotes it; the command's output went to /dev/null
    [ "$(head -3 args.log)" = "$(printf '[one word]\n[two]\n[one word]')" ]
    [ "$(grep -c '^\[third\]$' args.log)" = 2 ]
    [[ "$output" != *"args.sh says hello"* ]]
}

@test "exec runs the command without a shell: arguments reach it unsplit, unexpanded, with empty input" {
    make_args
    echo "from our stdin" | perfcmp exec --runs 1 -q -- ./args.sh 'a b' '$HOME' '*' > /dev/null
    [ "$(cat args.log)" = "$(printf '[a b]\n[$HOME]\n[*]')" ]
    rm args.log
    perfcmp exec --runs 1 -q -c "./args.sh \$HOME 'x y'" > /dev/null
    [ "$(cat args.log)" = "$(printf '[$HOME]\n[x y]')" ]
}

@test "exec --shell runs each command line with sh -c" {
    run perfcmp exec --shell --runs 2 -c 'echo hi > out.txt && test -s out.txt' -- 'echo $((6 * 7)) > sum.txt'
    [ "$status" -eq 0 ]
    [ "$(cat out.txt)" = hi ]
    [ "$(cat sum.txt)" = 42 ]
    [ "$(sql "SELECT count(*) FROM benchmarks WHERE name = 'echo \$((6 * 7)) > sum.txt'")" = 1 ]
}

@test "exec --show-output lets the command's output through" {
    make_args
    run perfcmp exec --runs 1 --show-output -- ./args.sh
    [ "$status" -eq 0 ]
    [[ "$output" == *"args.sh says hello"* ]]
    [[ "$output" == *"args.sh complains"* ]]
}

@test "exec --param runs each value as its own benchmark NAME/VALUE, in prepare and cleanup too" {
    make_args
    run perfcmp exec --runs 2 -n tool --param n=8,64 --param mode=fast,slow \
        --prepare 'touch prep-{n}' --cleanup 'touch clean-{mode}-{n}' --out r.json -- ./args.sh -n {n} --{mode}
    [ "$status" -eq 0 ]
    [ "$(py '" ".join(b["name"] for b in d["benchmarks"])' r.json)" = "tool/8/fast tool/8/slow tool/64/fast tool/64/slow" ]
    [ "$(py 'set(b["family"] for b in d["benchmarks"])' r.json)" = "{'tool'}" ]
    # not every value is an integer: no args
    [ "$(py '[b["args"] for b in d["benchmarks"]][0]' r.json)" = "[]" ]
    [ -e prep-8 ] && [ -e prep-64 ] && [ -e clean-slow-64 ] && [ -e clean-fast-8 ]
    [ "$(grep -c '^\[--slow\]$' args.log)" = 4 ]
    [ "$(grep -c '^\[64\]$' args.log)" = 4 ]
    # integer values become the instance's args, as the library's sizes
    run perfcmp exec --runs 1 --param n=1,2 --out s.json -- sh -c 'exit 0' {n}
    [ "$status" -eq 0 ]
    [ "$(py '[(b["name"], b["args"]) for b in d["benchmarks"]]' s.json)" = "[(\"sh -c 'exit 0' {n}/1\", [1]), (\"sh -c 'exit 0' {n}/2\", [2])]" ]
}

@test "exec runs --prepare before each run (warmup too) and --cleanup once after each command" {
    run perfcmp exec --warmup 2 --runs 3 --prepare 'sh -c "echo p >> log"' \
        --cleanup 'sh -c "echo c >> log"' -c 'sh -c "echo r >> log"' -c 'sh -c "echo s >> log"' -n r -n s
    [ "$status" -eq 0 ]
    [ "$(tr -d '\n' < log)" = "prprprprprcpspspspspsc" ]
    # once per command: each its own
    rm log
    run perfcmp exec --runs 1 --prepare 'sh -c "echo P >> log"' --prepare 'sh -c "echo Q >> log"' \
        -c 'sh -c "echo r >> log"' -c 'sh -c "echo s >> log"' -n r -n s
    [ "$status" -eq 0 ]
    [ "$(tr -d '\n' < log)" = "PrQs" ]
}

@test "exec without --runs runs at least --min-runs and at most --max-runs times" {
    perfcmp exec -q --min-runs 3 --min-time 0 --out a.json -- true > /dev/null
    [ "$(py 'd["benchmarks"][0]["metrics"][0]["summary"]["n"]' a.json)" = 3 ]
    perfcmp exec -q --max-runs 4 --min-time 1000 --out b.json -- true > /dev/null
    [ "$(py 'd["benchmarks"][0]["metrics"][0]["summary"]["n"]' b.json)" = 4 ]
}

@test "a slowed command is a regression: exit 1 and recorded; the same speed passes" {
    # The command sleeps for $D: 0.1 s, then 0.4 s.  A bare fork and exec
    # (D=0) takes a millisecond or two, which a busy machine can double,
    # so "the same speed passes" would depend on the neighbours.
    export D=0.1
    run perfcmp exec --runs 6 --save-baseline -n nap -- sh -c 'sleep $D'
    [ "$status" -eq 0 ]
    [ "${lines[2]}" = "first run: no baseline 'default' to compare with yet; recorded run 1 and saving it as baseline 'default'" ]
    [ -s baselines/default.json ]
    D=0.4 run perfcmp exec --runs 6 --confirm 1 -n nap -- sh -c 'sleep $D'
    [ "$status" -eq 1 ]
    [[ "$output" == *"comparing run 2 with baseline 'default' (run 1): wall_time"* ]]
    [[ "$output" =~ nap\ .*regressed\ +confirmed\ by\ 1\ re-run ]]
    [[ "$output" == *"1 regressed"* ]]
    [ "$(sql 'SELECT count(*) FROM runs')" = 2 ]
    # a machine-readable report keeps stdout clean: the summary goes to stderr
    D=0.4 run --separate-stderr perfcmp exec --runs 6 -n nap --format json -- sh -c 'sleep $D'
    [ "$status" -eq 1 ]
    python3 -c 'import json, sys; r = json.loads(sys.argv[1]); assert r["summary"]["regressed"] == 1, r["summary"]' "$output"
    [[ "$stderr" == "command"* ]]
    run perfcmp exec --runs 6 -n nap -- sh -c 'sleep $D'
    [ "$status" -eq 0 ]
    [ "$(sql 'SELECT count(*) FROM runs')" = 4 ]
}

@test "a command that exits non-zero is recorded as failed (exit 1) unless --ignore-failure" {
    run perfcmp exec --runs 3 -n bad -c 'sh -c "exit 3"'
    [ "$status" -eq 1 ]
    [[ "$output" == *"bad "*"failed: exited with status 3 in run 1"* ]]
    [ "$(sql "SELECT error FROM results WHERE status != 0")" = "exited with status 3 in run 1" ]
    run perfcmp exec --runs 3 -i -n bad -c 'sh -c "exit 3"'
    [ "$status" -eq 0 ]
    [ "$(sql 'SELECT count(*) FROM runs')" = 2 ]
}

@test "--out writes a perfcmp result file that python's json and perfcmp record read" {
    run perfcmp exec --runs 4 --commit abc123 --branch main --note exec-test --out r.json -- sleep 0.001
    [ "$status" -eq 0 ]
    python3 - r.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "perfcmp-results" and d["version"] == 2, d
c = d["context"]
assert c["source_format"] == "perfcmp-exec" and c["git"]["commit"] == "abc123", c
assert c["git"]["branch"] == "main" and c["command"].startswith("perfcmp exec "), c
assert c["binary_id"].startswith("fnv1a64:"), c
(b,) = d["benchmarks"]
assert b["name"] == "sleep 0.001" and b["status"] == "ok" and b["iterations"] == 1, b
m = {x["name"]: x for x in b["metrics"]}
assert sorted(m) == ["cpu_time", "peak_rss", "wall_time"], m
for x in m.values():
    assert len(x["samples"]) == 4 and x["direction"] == "lower", x
    assert all(v >= 0 for v in x["samples"]), x
assert m["wall_time"]["unit"] == "ns" and min(m["wall_time"]["samples"]) >= 1e6, m["wall_time"]
assert m["peak_rss"]["unit"] == "bytes" and min(m["peak_rss"]["samples"]) > 0
EOF
    [ "$(sql 'SELECT note FROM runs')" = exec-test ]
    run perfcmp --db other.db record r.json
    [ "$status" -eq 0 ]
}

@test "exec shows no progress when stderr is not a terminal, and --quiet drops the summary" {
    run --separate-stderr perfcmp exec --runs 3 -- true
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    run --separate-stderr perfcmp exec --quiet --runs 3 -- true
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [[ "$output" != command* ]]
    [ "${#lines[@]}" -eq 2 ]
}

@test "exec shows progress on a terminal, overwritten in place and cleared, and none with --quiet" {
    command -v script > /dev/null || skip "script(1) is not installed"
    script -qc "'$PERFCMP_BIN' exec --runs 3 -n nap -- sleep 0.01" /dev/null > tty.out
    grep -q $'\rperfcmp exec: nap (1 of 1): run 1 of 3\e\\[K' tty.out
    grep -q $'\r\e\\[Kcommand ' tty.out
    script -qc "'$PERFCMP_BIN' exec --quiet --runs 3 -n nap -- sleep 0.01" /dev/null > quiet.out
    ! grep -q 'perfcmp exec:' quiet.out
    grep -q 'recorded' quiet.out
}

# bad ARGS...: expects exit 2, the one line $EXPECT and an unchanged database.
bad() {
    local before
    before=$(db_checksum)
    run perfcmp exec "$@"
    [ "$status" -eq 2 ] || { echo "status $status: $output" >&2; return 1; }
    [ "$output" = "$EXPECT" ] || { echo "got: $output" >&2; echo "expected: $EXPECT" >&2; return 1; }
    [ "$(db_checksum)" = "$before" ] || { echo "the database changed" >&2; return 1; }
}

@test "bad input is one line naming the value, exit 2, and nothing recorded" {
    make_args
    perfcmp exec --runs 1 -- true > /dev/null     # a database to keep unchanged
    EXPECT="error: cannot run 'no-such-program-x': No such file or directory" \
        bad --runs 2 -- no-such-program-x
    # every program is checked before anything runs
    EXPECT="error: cannot run 'no-such-program-x': No such file or directory" \
        bad --runs 2 -c './args.sh x' -c 'no-such-program-x -v'
    [ ! -e args.log ]
    EXPECT="error: 'victim' was killed by signal 9 (Killed) in run 1" \
        bad --runs 2 -n victim -- sh -c 'kill -KILL $$'
    EXPECT="error: empty command ''" bad -c ''
    EXPECT="error: empty command '   '" bad -c '   '
    EXPECT="error: empty command ''" bad -- ''
    EXPECT="error: invalid value '0' for '--runs': expected a positive whole number" bad --runs 0 -- true
    EXPECT="error: invalid value '-1' for '--warmup': expected a whole number" bad --warmup=-1 -- true
    EXPECT="error: no command given (see 'perfcmp exec --help')" bad --runs 2
    EXPECT="error: invalid command 'x 'y': unterminated single quote" bad -c "x 'y"
    EXPECT="error: parameter 'n' is not used: no command has '{n}'" bad --param n=1,2 -- true
    EXPECT="error: invalid value 'n=1,,2' for '--param': empty value 2" bad --param n=1,,2 -- echo {n}
    EXPECT="error: two commands are named 'true': name them with -n" bad -c true -- true
    EXPECT="error: 2 names (-n) for 1 command" bad -n a -n b -- true
    EXPECT="error: options '--runs' and '--min-time' cannot be used together" bad --runs 3 --min-time 1 -- true
    EXPECT="error: --prepare of 'true' exited with status 1" bad --runs 2 --prepare false -- true
    EXPECT="error: option '--prepare' given 2 times for 3 commands: give it once, or once per command" \
        bad --prepare true --prepare true -c true -c false -- sh
    EXPECT="error: cannot write 'nodir/r.json': No such file or directory" bad --out nodir/r.json -- true
    EXPECT="error: unknown option '--bogus' (see 'perfcmp exec --help')" bad --bogus -- true
    EXPECT="error: invalid value 'soon' for --confirm-delay: expected seconds from 0 to 3600" \
        bad --confirm 1 --confirm-delay soon -- true
}

@test "an interrupt stops the command and records nothing (exit 130)" {
    perfcmp exec --runs 1 -- true > /dev/null
    local before
    before=$(db_checksum)
    env --default-signal=INT "$PERFCMP_BIN" exec --runs 2 -- sleep 30 > out 2>&1 &
    local pid=$! i
    for i in $(seq 100); do
        pgrep -P "$pid" sleep > /dev/null && break
        sleep 0.1
    done
    kill -INT "$pid"
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 130 ]
    [ "$(db_checksum)" = "$before" ]
    ! pgrep -P "$pid" > /dev/null
}

@test "exec --help names every option" {
    run perfcmp exec --help
    [ "$status" -eq 0 ]
    local o
    for o in --command --name --shell --param --runs --min-runs --max-runs --min-time --warmup \
             --prepare --cleanup --ignore-failure --show-output --quiet --out --commit --branch \
             --note --save-baseline --confirm --confirm-delay --baseline --against --baseline-dir --format; do
        [[ "$output" == *"$o"* ]] || { echo "no $o" >&2; return 1; }
    done
}
