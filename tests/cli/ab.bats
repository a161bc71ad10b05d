#!/usr/bin/env bats
# perfcmp ab: two builds run interleaved on one machine, judged on paired
# per-round ratios; exits 0/1/2 like perfcmp compare.
#
# Most tests use fake bench binaries (a Python script behind two wrapper
# scripts, ./base and ./head) whose results are fixed, so verdicts and
# schedules are known; two tests run the real fixture tests/fixtures/
# slowdown.c, once against itself (A/A) and once against itself with three
# times the work (PERFCMP_SLOWDOWN=3), a change no machine can hide.

load helpers
bats_require_minimum_version 1.5.0

# Writes ./fake.py, a stand-in bench binary, and ./base and ./head, which
# run it as side A and side B.  Each side reads FAKE_<SIDE>_... from the
# environment (perfcmp gives both binaries the same environment):
#   BENCHES     the benchmarks it lists (default "sort/16 sort/256")
#   FACTOR      its wall_time is 100 ns times this (default 1)
#   FLIP        rounds (after round 0) in which it is 1/FACTOR instead
#   ITERATIONS  the iterations it calibrates to (default 1000)
#   MODE        exit2, nojson, garbage, sleep (write child.pid and sleep
#               in round 1), listfail (--list exits 2)
#   FAIL        a benchmark that crashes (from round FAILROUND, default 0)
# Every invocation appends "SIDE ARGS..." to fake.log.
make_fakes() {
    cat > fake.py <<'EOF'
#!/usr/bin/env python3
import json, os, sys, time
side = os.environ["FAKE_SIDE"]
env = lambda k, d=None: os.environ.get("FAKE_%s_%s" % (side, k), d)
args = sys.argv[1:]
with open(os.path.join(os.environ["FAKE_DIR"], "fake.log"), "a") as f:
    f.write(side + " " + " ".join(args) + "\n")
benches = env("BENCHES", "sort/16 sort/256").split()
mode = env("MODE", "")
if "--list" in args:
    if mode == "listfail":
        sys.exit(2)
    print("\n".join(benches))
    sys.exit(0)
if mode == "exit2":
    sys.exit(2)
opt = lambda name: [a.split("=", 1)[1] for a in args if a.startswith(name + "=")]
out = opt("--out")[-1]
filters = [f.replace("\\", "") for f in opt("--filter")]
calibrating = not opt("--iterations")
if mode == "sleep" and not calibrating:
    with open(os.path.join(os.environ["FAKE_DIR"], "child.pid"), "w") as f:
        f.write(str(os.getpid()))
    time.sleep(30)
if mode == "nojson":
    sys.exit(0)
if mode == "garbage":
    open(out, "w").write("this is not json\n")
    sys.exit(0)
# the round: how many times this side ran this benchmark after round 0
rnd = 0
if not calibrating:
    cnt = os.path.join(os.environ["FAKE_DIR"], "round.%s.%s" % (side, "".join(filters).encode().hex()))
    rnd = int(open(cnt).read()) + 1 if os.path.exists(cnt) else 1
    open(cnt, "w").write(str(rnd))
factor = float(env("FACTOR", "1"))
if str(rnd) in env("FLIP", "").split():
    factor = 1 / factor
iterations = int(opt("--iterations")[-1]) if not calibrating else int(env("ITERATIONS", "1000"))
samples = int(opt("--samples")[-1])
res = []
status = 0
for name in benches:
    if filters and name not in filters:
        continue
    b = {"name": name, "family": name.split("/")[0], "args": [], "tags": [],
         "status": "ok", "iterations": iterations, "metrics": []}
    if name == env("FAIL") and rnd >= int(env("FAILROUND", "0")):
        b["status"] = "crashed"
        b["error"] = "signal 11 (Segmentation fault)"
        status = 1
    else:
        # a little noise that differs between rounds and sides
        wobble = [1 + 0.001 * ((i * 7 + rnd * 3 + len(side)) % 5) for i in range(samples)]
        b["metrics"] = [{"name": "wall_time", "unit": "ns", "direction": "lower",
                         "samples": [100.0 * factor * w for w in wobble]}]
    res.append(b)
ctx = {"timestamp": "2026-11-23T10:00:00Z", "host": "testhost", "cpu_model": "Test CPU",
       "cpu_count": 4, "os": "Linux", "kernel": "6.1.0", "arch": "x86_64",
       "compiler": "gcc 12.2.0", "cflags": "-O2", "library_version": "0.1.0",
       "command": "fake", "git": {"commit": "0123456789abcdef0123456789abcdef01234567",
                                  "branch": "main", "dirty": False}}
json.dump({"schema": "perfcmp-results", "version": 1, "context": ctx, "benchmarks": res},
          open(out, "w"))
sys.exit(status)
EOF
    chmod +x fake.py
    printf '#!/bin/sh\nFAKE_SIDE=A exec "%s/fake.py" "$@"\n' "$WORK" > base
    printf '#!/bin/sh\nFAKE_SIDE=B exec "%s/fake.py" "$@"\n' "$WORK" > head
    chmod +x base head
    export FAKE_DIR=$WORK
}

runs_count() {
    if [ "$(db_checksum)" != absent ]; then db_query 'SELECT COUNT(*) FROM runs'; else echo 0; fi
}

@test "ab --help shows the interface" {
    run perfcmp ab --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...]"* ]]
    [[ "$output" == *"--rounds"* ]]
    [[ "$output" == *"--no-record"* ]]
    [[ "$output" == *"--base-commit"* ]]
    perfcmp --help | grep -q '^  ab '
}

@test "A/A: a binary against itself exits 0 with every row unchanged or inconclusive" {
    bin=$FIXTURES/slowdown
    [ -x "$bin" ] || skip "fixtures not built"
    run --separate-stderr perfcmp ab --rounds=8 --samples=3 --min-time=0.005 \
        "$bin" -- "$bin" --filter='chain/*'
    echo "status $status, stdout: $output, stderr: $stderr"
    [ "$status" -eq 0 ]
    [[ "$output" == *"chain/2000"* ]]
    [[ "$output" == *"paired, 8 rounds"* ]]
    ! grep -Eq 'regressed|improved|failed' <<< "$output"
    [ "$(runs_count)" -eq 2 ]
}

@test "a factor-3 slowdown on HEAD is regressed: exit 1, both runs recorded with their commits" {
    bin=$FIXTURES/slowdown
    [ -x "$bin" ] || skip "fixtures not built"
    printf '#!/bin/sh\nPERFCMP_SLOWDOWN=3 exec "%s" "$@"\n' "$bin" > slow
    chmod +x slow
    # cpu_time: a round whose BASE waited for the CPU on a loaded machine
    # must not make the 12 rounds discordant (wall time is ab's default,
    # tested with fixed numbers below)
    run --separate-stderr perfcmp ab --rounds=12 --samples=3 --min-time=0.005 --metric=cpu_time \
        --base-commit=1111111 --commit=2222222 --branch=topic --base-branch=main \
        "$bin" -- ./slow --filter='chain/*'
    echo "status $status, stdout: $output, stderr: $stderr"
    [ "$status" -eq 1 ]
    [[ "$output" == *"chain/2000"*"regressed"*"paired, 12 rounds"* ]]
    [[ "$output" == *"1 regressed"* ]]
    run perfcmp runs
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" == *2222222*topic*"perfcmp ab: HEAD against run 1"* ]]
    [[ "${lines[2]}" == *1111111*main*"perfcmp ab: BASE"* ]]
    # each round's samples are one process of each stored run
    for id in 1 2; do
        perfcmp show "$id" --format=json > show.json
        python3 - <<'EOF'
import json
d = json.load(open("show.json"))
b = [b for b in d["benchmarks"] if b["name"] == "chain/2000"][0]
m = [m for m in b["metrics"] if m["name"] == "wall_time"][0]
assert len(m["processes"]) == 12, m["processes"]
assert sum(m["processes"]) == len(m["samples"])
EOF
    done
}

@test "the report in json and junit, with the paired numbers" {
    make_fakes
    export FAKE_B_FACTOR=1.5
    run --separate-stderr perfcmp ab --quiet --rounds=10 --format=json ./base -- ./head
    [ "$status" -eq 1 ]
    python3 - "$output" <<'EOF'
import json, sys
d = json.loads(sys.argv[1])
rows = d["results"]
assert len(rows) == 2, rows
for r in rows:
    assert r["verdict"] == "regressed", r
    assert abs(r["ratio"] - 1.5) < 0.01, r
    assert r["p_value"] < 0.01, r
EOF
    run --separate-stderr perfcmp ab --quiet --rounds=10 --format=junit -o report.xml ./base -- ./head
    echo "status $status, stdout: $output, stderr: $stderr"
    [ "$status" -eq 1 ]
    [[ "$output" == *"2 regressed"* ]]
    grep -q '<testsuite' report.xml
    grep -q 'sort/256' report.xml
    grep -q '<failure' report.xml
}

@test "a benchmark inconclusive after R rounds gets more rounds, up to --max-rounds" {
    make_fakes
    # HEAD 1.5 times slower, except in rounds 2 and 5 where it is 1.5
    # times faster: 8 of 10 rounds agree, p > 0.01 (inconclusive); 18 of
    # 20 do (p < 0.01)
    export FAKE_B_FACTOR=1.5 FAKE_B_FLIP="2 5" FAKE_A_BENCHES=sort/16 FAKE_B_BENCHES=sort/16
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=10 --max-rounds=10 ./base -- ./head
    echo "status $status, stdout: $output, stderr: $stderr"
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/16"*"inconclusive"*"paired, 10 rounds"* ]]
    [ "$(grep -c -- '--iterations' fake.log)" -eq 20 ]
    : > fake.log
    rm -f round.*
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=10 ./base -- ./head
    echo "status $status, stdout: $output, stderr: $stderr"
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/16"*"regressed"*"paired, 20 rounds"* ]]
    [ "$(grep -c -- '--iterations' fake.log)" -eq 40 ]
    # a clear case is not extended
    unset FAKE_B_FLIP
    : > fake.log
    rm -f round.*
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=10 ./base -- ./head
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/16"*"regressed"*"paired, 10 rounds"* ]]
    [ "$(grep -c -- '--iterations' fake.log)" -eq 20 ]
    # --max-rounds below 1 is refused
    run --separate-stderr perfcmp ab --max-rounds=0 ./base -- ./head
    [ "$status" -eq 2 ]
    [[ "$stderr" == "error: invalid value '0' for --max-rounds: expected 1 to 10000" ]]
}

@test "round 0 calibrates; later rounds give BASE's iterations to both, A and B adjacent in a seeded order" {
    make_fakes
    export FAKE_A_ITERATIONS=1000 FAKE_B_ITERATIONS=7
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=4 --seed=42 ./base -- ./head
    [ "$status" -eq 0 ]
    # two lists, two round-0 runs of everything, then 4 rounds x 2 benches x 2 sides
    [ "$(wc -l < fake.log)" -eq $((2 + 2 + 16)) ]
    [ "$(grep -c -- '--list' fake.log)" -eq 2 ]
    [ "$(grep -v -- '--list' fake.log | grep -vc -- '--iterations=')" -eq 2 ]
    [ "$(grep -c -- '--iterations=1000 ' fake.log)" -eq 16 ]
    ! grep -q -- '--iterations=7' fake.log
    grep -- '--iterations' fake.log | grep -- '--processes=1' | grep -- '--no-heap' | grep -c -- '--filter=' | grep -qx 16
    # each benchmark's two sides run back to back
    grep -- '--iterations' fake.log | sed 's/.*--filter=\([^ ]*\).*/\1/' | paste - - |
        awk '$1 != $2 { exit 1 }'
    sed 's/ --out=.*//' fake.log > first.log
    : > fake.log
    rm -f round.*
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=4 --seed=42 ./base -- ./head
    [ "$status" -eq 0 ]
    sed 's/ --out=.*//' fake.log > second.log
    cmp first.log second.log
    # and the sides change order between rounds (16 pairs: some each way)
    grep -- '--iterations' fake.log | cut -c1 | paste -d '' - - | sort -u | tr '\n' ' ' |
        grep -q 'AB BA'
}

@test "glob characters in a name are escaped in --filter" {
    make_fakes
    export FAKE_A_BENCHES='odd[1]*?' FAKE_B_BENCHES='odd[1]*?'
    run --separate-stderr perfcmp ab --no-record --quiet --rounds=2 ./base -- ./head
    [ "$status" -eq 0 ]
    grep -qF -- '--filter=odd\[1\]\*\?' fake.log
}

@test "benchmarks in one binary only are new and missing rows" {
    make_fakes
    export FAKE_A_BENCHES='sort/16 old/1' FAKE_B_BENCHES='sort/16 new/1'
    run --separate-stderr perfcmp ab --rounds=3 --seed=1 ./base -- ./head
    [ "$status" -eq 0 ]
    [[ "$output" == *"new/1"*"new"*"only in HEAD"* ]]
    [[ "$output" == *"old/1"*"missing"*"only in BASE"* ]]
    [[ "$output" == *"sort/16"*"unchanged"* ]]
    # each side's run holds its own benchmarks
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 2 ]
}

@test "a benchmark that crashes on HEAD is failed: exit 1" {
    make_fakes
    export FAKE_B_FAIL=sort/256 FAKE_B_FAILROUND=2
    run --separate-stderr perfcmp ab --rounds=3 ./base -- ./head
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/256"*"failed"*"HEAD crashed: signal 11 (Segmentation fault), in round 2"* ]]
    [[ "$output" == *"sort/16"*"unchanged"* ]]
    [ "$(runs_count)" -eq 2 ]
}

@test "a benchmark that crashes on BASE only is new with a note: exit 0" {
    make_fakes
    export FAKE_A_FAIL=sort/256
    run --separate-stderr perfcmp ab --rounds=3 ./base -- ./head
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/256"*"new"*"BASE crashed: signal 11 (Segmentation fault), in round 0"* ]]
}

@test "bad input exits 2 with one line on stderr and the database unchanged" {
    make_fakes
    run --separate-stderr perfcmp ab --quiet --rounds=2 ./base -- ./head
    [ "$status" -eq 0 ]
    before=$(db_checksum)
    touch notexec
    check() {
        run --separate-stderr perfcmp ab --quiet --rounds=2 "$@"
        echo "perfcmp ab $*: status $status, stderr: $stderr"
        [ "$status" -eq 2 ]
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
        [[ "$stderr" == "error: "* ]]
        [ "$(db_checksum)" = "$before" ]
    }
    check ./nosuch -- ./head
    [[ "$stderr" == *"'./nosuch'"* ]]
    check ./base -- ./notexec
    [[ "$stderr" == *"'./notexec'"*"Permission denied"* ]]
    check ./base -- .
    check --rounds=0 ./base -- ./head
    [[ "$stderr" == *"'0'"*"--rounds"* ]]
    check --samples=x ./base -- ./head
    check --min-time=-1 ./base -- ./head
    check --seed=-3 ./base -- ./head
    check --frobnicate ./base -- ./head
    [[ "$stderr" == *"'--frobnicate'"* ]]
    check --threshold=abc ./base -- ./head
    check --format=xml ./base -- ./head
    check ./base ./head
    [[ "$stderr" == *"expected '--'"* ]]
    check ./base --
    check
    check --metric=nosuch ./base -- ./head
    [[ "$stderr" == *"'nosuch'"* ]]
    FAKE_B_MODE=exit2 check ./base -- ./head
    [[ "$stderr" == *"'./head' in round 0 exited with status 2"* ]]
    FAKE_B_MODE=listfail check ./base -- ./head
    FAKE_A_MODE=nojson check ./base -- ./head
    [[ "$stderr" == *"wrote no results"* ]]
    FAKE_A_MODE=garbage check ./base -- ./head
    [[ "$stderr" == *"invalid result file"* ]]
    check --commit= ./base -- ./head
}

@test "--no-record stores nothing" {
    make_fakes
    run --separate-stderr perfcmp ab --no-record --rounds=2 ./base -- ./head
    [ "$status" -eq 0 ]
    [[ "$output" == *"comparing HEAD './head' with BASE './base'"* ]]
    [ "$(db_checksum)" = absent ]
}

@test "SIGINT kills the running binary, removes the temporary files, exits 130 and records nothing" {
    make_fakes
    mkdir tmp
    export TMPDIR=$WORK/tmp FAKE_B_MODE=sleep
    "$PERFCMP_BIN" ab --quiet --rounds=2 ./base -- ./head > out.txt 2>&1 &
    pid=$!
    for _ in $(seq 200); do
        [ -s child.pid ] && break
        sleep 0.05
    done
    [ -s child.pid ]
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 130 ]
    ! kill -0 "$(cat child.pid)" 2>/dev/null
    [ -z "$(ls tmp)" ]
    assert_no_store
}
