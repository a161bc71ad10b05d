#!/usr/bin/env bats
# perfcmp run: runs a bench binary, records, compares, exits 0/1/2.
#
# Most tests use a fake bench binary (a shell script written per test) that
# copies prepared result files to its --out path, so verdicts are known
# and nothing depends on timing; two tests run real bench binaries.

load helpers
bats_require_minimum_version 1.5.0

D=$DATA/compare

# Writes ./fake, a stand-in bench binary driven by the environment:
#   FAKE_FILES  result files to copy to --out, one per invocation (the last
#               one repeats)
#   FAKE_EXIT   its exit status (default 0)
#   FAKE_MODE   none (write nothing), garbage, truncated, sleep (write
#               child.pid, then sleep)
# Every invocation appends its arguments to fake.log.
make_fake() {
    cat > fake <<'EOF'
#!/bin/sh
out=
for a in "$@"; do
    case $a in --out=*) out=${a#--out=} ;; esac
done
printf '%s\n' "$*" >> "$FAKE_DIR/fake.log"
n=$(cat "$FAKE_DIR/fake.count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$FAKE_DIR/fake.count"
echo "fake bench: invocation $n"
set -- $FAKE_FILES
i=1
file=$1
for f in "$@"; do
    [ "$i" -le "$n" ] && file=$f
    i=$((i + 1))
done
case ${FAKE_MODE:-copy} in
    none) ;;
    garbage) echo 'this is not json' > "$out" ;;
    truncated) head -c 200 "$file" > "$out" ;;
    sleep) echo $$ > "$FAKE_DIR/child.pid"; printf '{"schema":' > "$out"; exec sleep 30 ;;
    *) cp "$file" "$out" ;;
esac
exit "${FAKE_EXIT:-0}"
EOF
    chmod +x fake
    export FAKE_DIR=$WORK
}

# A baseline 'default' as a file: base.json.
baseline_file() {
    mkdir -p baselines
    cp "$D/base.json" baselines/default.json
}

@test "run records the first run and says there is no baseline yet" {
    make_fake
    export FAKE_FILES=$D/base.json
    run perfcmp run -- ./fake
    [ "$status" -eq 0 ]
    [[ "$output" == *"fake bench: invocation 1"* ]]
    [[ "$output" == *"no baseline 'default' yet: recorded run 1; save one with 'perfcmp baseline save'"* ]]
    # nothing to compare with: one line, not a table of 'new' rows
    [ "${lines[${#lines[@]}-1]}" = "3 benchmarks recorded, none compared" ]
    [[ "$output" != *"comparing run"* ]]
    [[ "$output" != *" new"* ]]
    # the binary got --out=<temporary file> after its own arguments
    run perfcmp compare 1 --against 1
    [ "$status" -eq 0 ]
    grep -q -- '--out=.*/results.json$' fake.log
}

@test "the first run --save-baseline says what it did and what the next run does" {
    make_fake
    export FAKE_FILES=$D/base.json
    run perfcmp run --quiet --save-baseline=default --baseline-dir bl -- ./fake
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    [ "${lines[0]}" = "first run: no baseline 'default' to compare with yet; recorded run 1 and saving it as baseline 'default'" ]
    [ "${lines[1]}" = "saved baseline 'default' (run 1) to 'bl/default.json'" ]
    [ "${lines[2]}" = "3 benchmarks recorded; the next run will be compared with baseline 'default'" ]
    [ -f bl/default.json ]
    # and the second run does what the first one said
    rm fake.count
    run perfcmp run --quiet --baseline-dir bl -- ./fake
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "comparing run 2 with baseline 'default' (run 1): wall_time, threshold 20%, alpha 0.01" ]
    [ "${lines[${#lines[@]}-1]}" = "3 unchanged" ]
}

@test "a first run with a failed benchmark still shows the table and exits 1" {
    make_fake
    export FAKE_FILES=$D/failed.json FAKE_EXIT=1
    run perfcmp run --quiet --save-baseline -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"first run: no baseline 'default' to compare with yet; recorded run 1"* ]]
    [[ "$output" == *"sort/1024"*"failed"* ]]
    [ "${lines[${#lines[@]}-1]}" = "1 failed, 2 new" ]
}

@test "the first run with json output still prints the whole report" {
    make_fake
    export FAKE_FILES=$D/base.json
    run --separate-stderr perfcmp run --quiet --save-baseline --format=json -- ./fake
    [ "$status" -eq 0 ]
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["summary"]["new"] == 3, d["summary"]' <<< "$output"
    [[ "$stderr" == *"first run: no baseline 'default' to compare with yet"* ]]
}

@test "run exits 1 on a regression and 0 on an identical run" {
    make_fake
    baseline_file
    FAKE_FILES=$D/slower.json run perfcmp run --quiet -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" != *"fake bench"* ]]
    [[ "$output" == *"comparing run 1 with baseline 'default' (baselines/default.json)"* ]]
    [[ "$output" == *"sort/1024"*"+50.0%"*"regressed"* ]]
    rm fake.count
    FAKE_FILES=$D/same.json run perfcmp run --quiet -- ./fake
    [ "$status" -eq 0 ]
    [[ "${lines[${#lines[@]}-1]}" == "3 unchanged" ]]
}

@test "run --save-baseline makes the run the baseline and writes baselines/NAME.json" {
    make_fake
    export FAKE_FILES=$D/base.json
    run perfcmp run --quiet --save-baseline -- ./fake
    [ "$status" -eq 0 ]
    [[ "$output" == *"saved baseline 'default' (run 1) to 'baselines/default.json'"* ]]
    [ -f baselines/default.json ]
    rm fake.count
    FAKE_FILES=$D/slower.json run perfcmp run --quiet --save-baseline=next -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"baseline 'default' (run 1)"* ]]
    [ -f baselines/next.json ]
    run perfcmp compare 2 --baseline next
    [ "$status" -eq 0 ]
}

@test "run --save-baseline that cannot write the file: the run stays recorded, no baseline" {
    make_fake
    perfcmp record "$D/base.json" > /dev/null
    perfcmp baseline save > /dev/null   # compare finds it in the database
    echo "not a directory" > blocker
    FAKE_FILES=$D/same.json run --separate-stderr perfcmp run --quiet --save-baseline=next \
        --baseline-dir blocker/sub -- ./fake
    [ "$status" -eq 2 ]
    [ "${#stderr_lines[@]}" -eq 2 ]
    [ "${stderr_lines[0]}" = "error: cannot create the directory of 'blocker/sub/next.json': Not a directory; baseline 'next' not saved" ]
    [ "${stderr_lines[1]}" = "run 2 was recorded" ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 2 ]
    [ "$(db_query "SELECT name || '=' || run_id FROM baselines")" = "default=1" ]
}

@test "run --save-baseline puts the old baseline back when the file cannot be renamed into place" {
    make_fake
    FAKE_FILES=$D/base.json run perfcmp run --quiet --save-baseline -- ./fake
    [ "$status" -eq 0 ]
    rm fake.count baselines/default.json
    mkdir -p baselines/default.json/in-the-way
    FAKE_FILES=$D/same.json run --separate-stderr perfcmp run --quiet --save-baseline -- ./fake
    [ "$status" -eq 2 ]
    [[ "${stderr_lines[0]}" == "error: "*"; baseline 'default' not saved (database restored)" ]]
    [ "${stderr_lines[1]}" = "run 2 was recorded" ]
    # the database still names run 1, like the file that is (not) there
    [ "$(db_query "SELECT run_id FROM baselines WHERE name = 'default'")" -eq 1 ]
    [ -z "$(ls baselines | grep -v '^default.json$')" ]   # no temporary file left
}

@test "run passes compare options through: --threshold, --metric, --format" {
    has_python=$(command -v python3 || true)
    make_fake
    baseline_file
    export FAKE_FILES=$D/slower.json
    run perfcmp run --quiet --threshold=60% -- ./fake
    [ "$status" -eq 0 ]
    rm fake.count
    run perfcmp run --metric=bytes_per_second -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"-33.3%"*"regressed"* ]]
    rm fake.count
    # JSON on stdout stays pure: the binary's table goes to stderr
    perfcmp run --format=json -- ./fake > out.json 2> err.txt || true
    grep -q "fake bench" err.txt
    ! grep -q "fake bench" out.json
    if [ -n "$has_python" ]; then
        python3 -c 'import json; d = json.load(open("out.json")); assert d["summary"]["regressed"] == 1'
    fi
}

@test "--confirm: a regression that does not persist in the re-run does not fail" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/slower.json $D/same.json"
    run perfcmp run --quiet --confirm=2 -- ./fake --filter='s*'
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/1024"*"unchanged"*"regression not confirmed by re-run 1"* ]]
    [ "$(wc -l < fake.log)" -eq 2 ]
    # the re-run asks for exactly the flagged benchmark, without the user's filter
    second=$(sed -n 2p fake.log)
    [[ "$second" == "--filter=sort/1024 --out="* ]]
}

@test "--confirm: a regression that persists in every re-run fails" {
    make_fake
    baseline_file
    export FAKE_FILES=$D/slower.json
    run perfcmp run --quiet --confirm=2 -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"regressed"*"confirmed by 2 re-runs"* ]]
    [ "$(wc -l < fake.log)" -eq 3 ]
    # only the first run is recorded
    run perfcmp compare 2
    [ "$status" -eq 2 ]
}

@test "--confirm: an inconclusive row settled by a re-run takes the re-run's verdict" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/noisy.json $D/same.json"
    run perfcmp run --quiet --confirm=3 -- ./fake
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/1024"*"unchanged"*"settled by re-run 1"* ]]
    [ "$(wc -l < fake.log)" -eq 2 ]
}

@test "--confirm: a regression seen only in the last re-run stays inconclusive" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/noisy.json $D/slower.json"
    run perfcmp run --quiet --confirm=1 -- ./fake
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/1024"*"inconclusive"*"regressed in re-run 1 only, not confirmed"* ]]
    rm fake.count fake.log
    # one more re-run that finds it again: now it stands
    run perfcmp run --quiet --confirm=2 -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/1024"*"regressed"*"confirmed by 2 re-runs"* ]]
    [ "$(wc -l < fake.log)" -eq 3 ]
}

@test "--confirm escapes glob characters in benchmark names" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/slower-odd.json $D/same.json"
    run perfcmp run --quiet --confirm=1 -- ./fake
    [ "$status" -eq 0 ]
    [ "$(sed -n 2p fake.log)" = "--filter=odd<&>\"|\\*name --out=$(sed -n 's/.*--out=//p' fake.log | sed -n 2p)" ]
}

@test "a binary that exits 2 without a file: one line, nothing recorded" {
    make_fake
    FAKE_MODE=none FAKE_EXIT=2 run perfcmp run --quiet -- ./fake
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: './fake' exited with status 2" ]
    assert_no_store
}

@test "garbage, truncated or missing result files: one line, nothing recorded" {
    make_fake
    export FAKE_FILES=$D/base.json
    FAKE_MODE=garbage run perfcmp run --quiet -- ./fake
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: './fake' wrote an invalid result file: "* ]]
    FAKE_MODE=truncated run perfcmp run --quiet -- ./fake
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: './fake' wrote an invalid result file: "* ]]
    FAKE_MODE=none run perfcmp run --quiet -- ./fake
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: './fake' exited with status 0 and wrote no results" ]
    assert_no_store
}

@test "a binary that cannot be started: one line, nothing recorded" {
    run perfcmp run -- ./no-such-binary
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: cannot run './no-such-binary': No such file or directory" ]
    assert_no_store
}

@test "exit 1 with a valid file records the run and reports failed rows" {
    make_fake
    baseline_file
    FAKE_FILES=$D/failed.json FAKE_EXIT=1 run perfcmp run --quiet -- ./fake
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/1024"*"failed"*"crashed: signal 11 (Segmentation fault)"* ]]
    run perfcmp compare 1 --against 1
    [ "$status" -eq 1 ]
}

@test "--confirm-delay waits before each re-run, and the regression must still persist" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/slower.json $D/slower.json $D/same.json"
    run --separate-stderr perfcmp run --quiet --confirm=2 --confirm-delay=0.2 -- ./fake --filter='s*'
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/1024"*"unchanged"*"regression not confirmed by re-run 2"* ]]
    [ "${#stderr_lines[@]}" -eq 2 ]
    [ "${stderr_lines[0]}" = "waiting 0.2 s before re-run 1 (1 benchmark; --confirm-delay)" ]
    [ "${stderr_lines[1]}" = "waiting 0.2 s before re-run 2 (1 benchmark; --confirm-delay)" ]
    [ "$(wc -l < fake.log)" -eq 3 ]
}

@test "--confirm-delay does not wait to settle rows that are only inconclusive" {
    make_fake
    baseline_file
    export FAKE_FILES="$D/noisy.json $D/same.json"
    run --separate-stderr perfcmp run --quiet --confirm=3 --confirm-delay=600 -- ./fake
    [ "$status" -eq 0 ]
    [[ "$output" == *"sort/1024"*"unchanged"*"settled by re-run 1"* ]]
    [ "${#stderr_lines[@]}" -eq 0 ]
}

@test "--confirm-delay: an interrupt while it waits ends the run, which stays recorded" {
    make_fake
    baseline_file
    export FAKE_FILES=$D/slower.json
    env --default-signal=INT "$PERFCMP_BIN" run --quiet --confirm=1 --confirm-delay=600 \
        -- ./fake --filter='s*' > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 600); do grep -q '^waiting' err.txt && break; sleep 0.1; done
    grep -q '^waiting 600 s before re-run 1' err.txt
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 130 ]
    grep -qx 'run 1 was recorded; its confirmation did not finish' err.txt
    [ "$(wc -l < fake.log)" -eq 1 ]   # the re-run never started
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 1 ]
}

@test "bad options and baselines exit 2 before the binary runs" {
    make_fake
    export FAKE_FILES=$D/base.json
    for args in "--threshold=abc" "--alpha=2" "--format=xml" "--confirm=x" "--confirm=-1" \
                "--confirm-delay=x" "--confirm-delay=-1" "--confirm-delay=3601" "--confirm-delay" \
                "--save-baseline=../x" "--bogus" "--baseline missing.json" "--against 7" \
                "--commit="; do
        run perfcmp run $args -- ./fake
        echo "args: $args -> $status: $output"
        [ "$status" -eq 2 ]
        assert_one_line
        [[ "$output" == error:* ]]
    done
    [ ! -f fake.log ]
    run perfcmp run --quiet
    [ "$status" -eq 2 ]
    assert_one_line
    assert_no_store
}

@test "a metric that exists nowhere exits 2 and records nothing" {
    make_fake
    baseline_file
    FAKE_FILES=$D/base.json run perfcmp run --quiet --metric=nosuch -- ./fake
    [ "$status" -eq 2 ]
    assert_one_line
    assert_no_store
}

@test "SIGINT is forwarded to the binary: exit 130, temporary files removed, nothing recorded" {
    make_fake
    mkdir tmp
    export TMPDIR=$WORK/tmp
    # the binary itself, not the perfcmp() wrapper: $! must be its pid
    FAKE_MODE=sleep "$PERFCMP_BIN" run --quiet -- ./fake > out.txt 2>&1 &
    pid=$!
    for _ in $(seq 100); do
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

@test "a real bench binary: recorded, then compared with the saved baseline" {
    [ -x "$EXAMPLES/bench_examples" ] || skip "examples not built"
    # not memcpy/64: at about 0.2 ns it was once measured as 0 ns under
    # load (coverage beside two other suites), which makes its ratio
    # infinite and the row inconclusive whatever the threshold
    args=(--filter='qsort/16' --filter='fnv1a/4096' --samples=5 --min-time=0.01)
    run perfcmp run --quiet --save-baseline -- "$EXAMPLES/bench_examples" "${args[@]}"
    [ "$status" -eq 0 ]
    [[ "$output" == *"first run: no baseline 'default' to compare with yet; recorded run 1"* ]]
    [[ "$output" == *"2 benchmarks recorded; the next run will be compared with baseline 'default'"* ]]
    # a huge threshold: the verdicts cannot depend on how busy the machine is
    run perfcmp run --quiet --threshold=100000% -- "$EXAMPLES/bench_examples" "${args[@]}"
    echo "status $status, output: $output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"comparing run 2 with baseline 'default' (run 1)"* ]]
    # the summary line (a note on a loaded machine, such as samples too
    # short to trust, may follow it)
    printf '%s\n' "${lines[@]}" | grep -qx "2 unchanged"
}

@test "a real bench binary whose benchmark crashes: exit 1, failed row, run recorded" {
    [ -x "$FIXTURES/isolation" ] || skip "fixtures not built"
    run perfcmp run --quiet -- "$FIXTURES/isolation" --filter=before --filter=segfault \
        --samples=3 --min-time=0.01
    [ "$status" -eq 1 ]
    # "crashed: signal 11 ..." (under ASan: "crashed: exited with status 1")
    [[ "$output" == *"segfault"*"failed"*"crashed"* ]]
    [[ "$output" == *"before"*"new"* ]]
    [ "$(db_checksum)" != absent ]
}

@test "run judges against the run-to-run noise of the runs before it" {
    noisy_history
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k 1.12 -m cur -i build-2 > cur.json
    printf '#!/bin/sh\nfor a; do case $a in --out=*) cp cur.json "${a#--out=}" ;; esac; done\n' > fake-noisy
    chmod +x fake-noisy
    run perfcmp run --quiet --threshold=5% -- ./fake-noisy
    [ "$status" -eq 0 ]
    [[ "$output" == *"bench/0"*"inconclusive  within the run-to-run noise of repeated runs of one build (7 pairs; 3 sd: +26.1%)"* ]]
    run perfcmp run --quiet --threshold=5% --noise-runs=0 -- ./fake-noisy
    [ "$status" -eq 1 ]
    [[ "$output" == *"bench/0"*"regressed"* ]]
}
