#!/usr/bin/env bats
# perfcmp compare: verdicts, exit codes, formats, bad input.
# The data files are made by tests/data/compare/make-data.py: 30 samples a
# benchmark around a fixed centre (no timing), so every verdict is known.

load helpers
bats_require_minimum_version 1.5.0

D=$DATA/compare

# Records base.json and saves it as baseline 'default'.
baseline_from_base() {
    perfcmp record "$D/base.json" >/dev/null
    perfcmp baseline save >/dev/null
}

has_python() {
    command -v python3 >/dev/null
}

@test "compare exits 1 when a recorded run is slower than the saved baseline" {
    baseline_from_base
    perfcmp record "$D/slower.json" >/dev/null
    run perfcmp compare
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/1024"*"100 ns"*"150 ns"*"+50.0%"*"regressed"* ]]
    [[ "${lines[${#lines[@]}-1]}" == "1 regressed, 2 unchanged" ]]
}

@test "compare exits 0 for an identical run" {
    baseline_from_base
    perfcmp record "$D/same.json" >/dev/null
    run perfcmp compare
    [ "$status" -eq 0 ]
    [[ "${lines[${#lines[@]}-1]}" == "3 unchanged" ]]
    [[ "$output" != *regressed* ]]
}

@test "compare exits 0 on an improvement and 1 with --fail-on-improvement" {
    baseline_from_base
    perfcmp record "$D/faster.json" >/dev/null
    run perfcmp compare
    [ "$status" -eq 0 ]
    [[ "$output" == *"-30.0%"*"improved"* ]]
    run perfcmp compare --fail-on-improvement
    [ "$status" -eq 1 ]
}

@test "compare takes a run id, --against another run, and a results file" {
    perfcmp record "$D/base.json" >/dev/null
    perfcmp record "$D/slower.json" >/dev/null
    run perfcmp compare 2 --against 1
    [ "$status" -eq 1 ]
    [[ "$output" == *"comparing run 2 with run 1"* ]]
    run perfcmp compare 1 --against 1
    [ "$status" -eq 0 ]
    run perfcmp compare "$D/same.json" --against 1
    [ "$status" -eq 0 ]
}

@test "baselines/NAME.json into an empty database gives the same verdicts" {
    has_python || skip "python3 not found"
    baseline_from_base
    [ -f baselines/default.json ]
    perfcmp compare "$D/slower.json" --format=json > with-db.json || true
    mkdir other && cp -r baselines other/ && cd other
    PERFCMP_DB=$(store_new empty)
    run perfcmp compare "$D/slower.json" --format=json
    [ "$status" -eq 1 ]
    printf '%s\n' "$output" > ../without-db.json
    # verdicts and numbers equal; only the baseline label differs
    python3 - ../with-db.json ../without-db.json <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["results"] == b["results"], (a["results"], b["results"])
assert a["summary"] == b["summary"]
assert a["results"][0]["verdict"] == "regressed"
EOF
    assert_no_store
}

@test "compare of two files needs no database and creates none" {
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json"
    [ "$status" -eq 1 ]
    assert_no_store
}

@test "--format=json is well-formed and carries every number" {
    has_python || skip "python3 not found"
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=json
    [ "$status" -eq 1 ]
    printf '%s\n' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["results"][0]
assert r["benchmark"] == "sort/1024" and r["verdict"] == "regressed", r
assert abs(r["ratio"] - 1.5) < 1e-9 and r["direction"] == "lower" and r["unit"] == "ns"
assert r["baseline"]["n"] == 30 and r["current"]["n"] == 30
assert r["ratio_ci"][0] > 1 and r["p_value"] < 0.01 and r["threshold"] == 0.2
assert d["alpha"] == 0.01 and d["summary"]["regressed"] == 1 and d["exit_status"] == 1
'
}

@test "--format=junit is well-formed XML with escaped names and one failure" {
    has_python || skip "python3 not found"
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=junit
    [ "$status" -eq 1 ]
    printf '%s\n' "$output" | python3 -c '
import sys, xml.dom.minidom
doc = xml.dom.minidom.parseString(sys.stdin.read())
cases = doc.getElementsByTagName("testcase")
names = [c.getAttribute("name") for c in cases]
assert names == ["sort/1024", "hash/64", "odd<&>\"|*name"], names
fails = doc.getElementsByTagName("failure")
assert len(fails) == 1 and fails[0].parentNode.getAttribute("name") == "sort/1024"
assert doc.documentElement.getAttribute("failures") == "1"
'
}

@test "--format=markdown is a table ready for a PR comment" {
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=markdown
    [ "$status" -eq 1 ]
    [ "${lines[0]}" = "**perfcmp: 1 regressed, 2 unchanged**" ]
    [[ "$output" == *"| Benchmark | Baseline | Current | Change | 95% CI | p | Verdict |"* ]]
    [[ "$output" == *"| sort/1024 | 100 ns | 150 ns | +50.0% |"*"| **regressed** |"* ]]
    [[ "$output" == *'odd\<&\>"\|\*name'* ]]
    [ "$(printf '%s\n' "$output" | grep -c '^|')" -eq 5 ]
}

@test "-o writes the report to a file and the table to stdout" {
    has_python || skip "python3 not found"
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=junit -o report.xml
    [ "$status" -eq 1 ]
    [[ "$output" == *"1 regressed, 2 unchanged"* ]]
    python3 -c 'import xml.dom.minidom; xml.dom.minidom.parse("report.xml")'
    [ "$(ls | grep -c 'report.xml')" -eq 1 ]
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" -o nodir/report.txt
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: cannot write 'nodir/report.txt': No such file or directory" ]]
}

@test "--metric picks the metric; higher-is-better metrics regress when they fall" {
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --metric=bytes_per_second
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/1024"*"-33.3%"*"regressed"* ]]
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --metric=all
    [ "$status" -eq 1 ]
    [[ "$output" == *"metric"* ]]
    [[ "$output" == *"peak_rss"*"unchanged  single value: threshold only"* ]]
    [[ "${lines[${#lines[@]}-1]}" == "3 regressed, 9 unchanged" ]]
}

@test "--threshold GLOB:PCT sets per-benchmark thresholds, the last match winning" {
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --threshold='sort/*:60%'
    [ "$status" -eq 0 ]
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" \
        --threshold='sort/*:60%' --threshold='sort/1024:10%'
    [ "$status" -eq 1 ]
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --threshold=55.5%
    [ "$status" -eq 0 ]
}

@test "failed, new and missing benchmarks are reported" {
    run perfcmp compare "$D/failed.json" --baseline "$D/base.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"sort/1024"*"failed"*"crashed: signal 11 (Segmentation fault)"* ]]
    run perfcmp compare "$D/changed.json" --baseline "$D/base.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"added/1"*"new"* ]]
    [[ "$output" == *"hash/64"*"missing"* ]]
    [[ "${lines[${#lines[@]}-1]}" == "2 unchanged, 1 new, 1 missing" ]]
}

@test "different machines give a warning, or an error with --strict-machine" {
    run perfcmp compare "$D/other-machine.json" --baseline "$D/base.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"warning: comparing runs from different machines: 'Test CPU @ 3.00GHz | 4 cores | Linux x86_64' vs 'Other CPU @ 2.00GHz | 4 cores | Linux x86_64'"* ]]
    run perfcmp compare "$D/other-machine.json" --baseline "$D/base.json" --strict-machine
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: comparing runs from different machines: "* ]]
}

@test "output is the same on every run (fixed bootstrap seed)" {
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=json
    first=$output
    run perfcmp compare "$D/slower.json" --baseline "$D/base.json" --format=json
    [ "$output" = "$first" ]
}

@test "a missing default baseline is an error naming the file" {
    perfcmp record "$D/base.json" >/dev/null
    before=$(db_checksum)
    run perfcmp compare
    [ "$status" -eq 2 ]
    assert_one_line
    [[ "$output" == "error: no baseline 'default' in the database nor 'baselines/default.json'"* ]]
    [ "$(db_checksum)" = "$before" ]
}

@test "bad input exits 2 with one line and leaves the database unchanged" {
    mkdir baselines && cp "$D/base.json" baselines/default.json
    perfcmp record "$D/slower.json" >/dev/null
    run perfcmp compare
    [ "$status" -eq 1 ]
    before=$(db_checksum)
    for args in "99" "abc" "--baseline nosuch" "--baseline missing.json" "--against 99" \
                "--threshold=abc" "--threshold=-5%" "--threshold=sort:" "--threshold=:5" \
                "--alpha=0" "--alpha=1" "--alpha=1.5" "--alpha=x" "--metric=nosuch" \
                "--format=xml" "--bogus" "1 2" "--baseline default --against 1" \
                "--threshold"; do
        run perfcmp compare $args
        echo "args: $args -> $status: $output"
        [ "$status" -eq 2 ]
        assert_one_line
        [[ "$output" == error:* ]]
        [ "$(db_checksum)" = "$before" ]
    done
}

@test "a stored run against a baseline file read alongside it: the same lines, in the same order" {
    # compare parses a baseline file in a thread of its own while it reads
    # the current run from the database; what it prints must not change
    local gb=$DATA/gbench/nonfinite-counter.json
    perfcmp record "$gb" 2>/dev/null >/dev/null
    echo '{"benchmarks": [' > broken.json
    before=$(db_checksum)
    # the file's warning, once, after nothing else
    run --separate-stderr perfcmp compare --baseline "$gb"
    echo "stdout: $output; stderr: $stderr" >&2
    [ "$status" -eq 0 ]
    [ "$stderr" = "warning: '$gb': benchmark 'BM_hit_rate/iterations:1000': counter 'hit_rate' is not finite (NaN); left out (and 1 more non-finite counter value)" ]
    [[ "$output" == "comparing run 1 with '$gb'"* ]]
    # a broken file: its one error line
    run --separate-stderr perfcmp compare --baseline broken.json
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == "error: 'broken.json': "* ]]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    # a current run that cannot be read is the only error, as before: the
    # file being parsed meanwhile is dropped without a word
    run --separate-stderr perfcmp compare 99 --baseline broken.json
    [ "$status" -eq 2 ]
    [[ "$stderr" == "error: no run 99 in "* ]]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    run --separate-stderr perfcmp compare 99 --baseline "$gb"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "error: no run 99 in "* ]]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [ "$(db_checksum)" = "$before" ]
}

@test "compare on an empty database says there are no runs" {
    run perfcmp compare
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no runs recorded yet" ]
    assert_no_store
}

@test "compare --help exits 0" {
    run perfcmp compare --help
    [ "$status" -eq 0 ]
    [[ "$output" == usage:* ]]
}

@test "compare: a change within the history's run-to-run noise is inconclusive, not a regression" {
    noisy_history
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k 1.12 -m cur -i build-2 > cur.json
    perfcmp record cur.json > /dev/null                 # run 9: +12%
    # spread of the 8 runs before it: 1.4826 * MAD of the successive log
    # ratios = 0.0774 (Python, as in test_verdict.c); 3 sd = +26.1%
    run perfcmp compare --threshold=5%
    [ "$status" -eq 0 ]
    [[ "$output" == *"bench/0"*"+12.0%"*"inconclusive  within the run-to-run noise of repeated runs of one build (7 pairs; 3 sd: +26.1%)"* ]]
    # without the check, or with too short a history, it is a regression
    run perfcmp compare --threshold=5% --noise-runs=0
    [ "$status" -eq 1 ]
    [[ "$output" == *"bench/0"*"regressed"* ]]
    run perfcmp compare --threshold=5% --noise-runs=5
    [ "$status" -eq 1 ]
    # a change past the noise stands: +40% against a band of +26.1% (the
    # 7 pairs of build-1; cur and big are other builds)
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k 1.40 -m big > big.json
    perfcmp record big.json > /dev/null
    run perfcmp compare --threshold=5%
    [ "$status" -eq 1 ]
    [[ "$output" == *"bench/0"*"+40.0%"*"regressed"* ]]
    # the same judgement for a result file that is not stored, and in JSON
    run perfcmp compare cur.json --threshold=5% --format=json
    [ "$status" -eq 0 ]
    [[ "$output" =~ \"verdict\":[[:space:]]*\"inconclusive\" ]]
    [[ "$output" =~ \"note\":[[:space:]]*\"within\ the\ run-to-run\ noise\ of\ repeated\ runs\ of\ one\ build\ \(7\ pairs ]]
}

@test "compare --noise-runs refuses what is not a number of runs" {
    local v
    for v in -1 x 1.5 "" 100001; do
        run --separate-stderr perfcmp compare --noise-runs="$v"
        [ "$status" -eq 2 ]
        [ "$stderr" = "error: invalid value '$v' for '--noise-runs': expected a number of runs, 0 for none" ]
    done
}

@test "compare: a history that alternates between two builds is no noise, so a 30% slowdown still fails" {
    # issue 14: old, new, old, new ... in one history.  Successive ratios of
    # the whole history swing by 30% because the code changed; only runs of
    # one build against the previous run of the same build count as noise.
    local i
    for i in 1 2 3 4 5 6 7 8; do
        "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -m "old$i" -i old > "old$i.json"
        "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k 1.3 -m "new$i" -i new > "new$i.json"
    done
    perfcmp record old1.json > /dev/null
    perfcmp baseline save --run 1 > /dev/null
    for i in 2 3 4 5 6 7 8; do
        perfcmp record "new$i.json" > /dev/null
        run perfcmp compare --threshold=5%
        [ "$status" -eq 1 ]
        [[ "$output" == *"bench/0"*"+30.0%"*"regressed"* ]]
        perfcmp record "old$i.json" > /dev/null
        run perfcmp compare --threshold=5%
        [ "$status" -eq 0 ]
    done
    # the last comparisons had 14 runs of history; the old build repeats
    # 7 times (6 pairs), the new one 7 times: its ratios all 1.0, so the
    # spread is 0 and nothing is demoted, and no +30% is called noise
    [[ "$output" != *"within the run-to-run noise"* ]]
}

@test "compare: a history deep enough but of changing builds gives no noise check, and says so" {
    local i
    for i in 1 2 3 4 5 6 7; do
        "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k "1.0$i" -m "r$i" -i "build-$i" > "r$i.json"
        perfcmp record "r$i.json" > /dev/null
    done
    perfcmp baseline save --run 7 > /dev/null
    "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k 1.5 -m cur -i build-8 > cur.json
    perfcmp record cur.json > /dev/null
    run perfcmp compare --threshold=5%
    [ "$status" -eq 1 ]
    [[ "$output" == *"bench/0"*"regressed  no noise check: 0 of the last 7 runs repeat a build (5 needed)"* ]]
}
