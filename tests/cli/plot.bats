#!/usr/bin/env bats
# perfcmp plot trend|compare|dist: charts drawn by the real gnuplot.

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

# 20 runs: sort/1024 steps up 30% at run 12, hash/64 flat; baseline = run 3.
record_history() {
    python3 "$GEN" "$WORK/data" --runs 20 --bench sort/1024 --flat hash/64 --step 12:30 "$@"
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    perfcmp baseline save --run 3 >/dev/null
}

short() {
    python3 -c "import hashlib; print(hashlib.sha1(b'commit-$1').hexdigest()[:7])"
}

# Prints every text node of the SVG file $1, one per line (fails if the
# file is not well-formed XML).
svg_texts() {
    python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for el in root.iter():
    if el.tag.endswith('}text') or el.tag == 'text':
        t = ''.join(el.itertext())
        if t.strip():
            print(t)
EOF
}

# A stand-in gnuplot: lists the terminals $1 and, asked to draw, fails.
fake_gnuplot() {
    cat > "$WORK/fake-gnuplot" <<EOF
#!/bin/sh
if [ "\$2" = "-e" ]; then echo ' dumb $1' >&2; exit 0; fi
echo '"plot.gp" line 3: boom' >&2
exit 1
EOF
    chmod +x "$WORK/fake-gnuplot"
    export PERFCMP_GNUPLOT=$WORK/fake-gnuplot
}

@test "plot trend draws medians, CI band, commits and the change point" {
    record_history
    run perfcmp plot trend sort/1024 -o t.svg
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    svg_texts t.svg > texts
    grep -qx 'sort/1024' texts
    grep -qx '95% CI of the median' texts
    grep -qx 'median' texts
    grep -qx "$(short 12)" texts
    grep -qx "$(short 20)" texts
    grep -qE '^\+(2[6-9]|3[0-4])\.[0-9]%$' texts
    grep -q 'wall_time (' texts
}

@test "plot trend writes PNG and PDF by the file name" {
    record_history
    run perfcmp plot trend sort/1024 hash/64 -o t.png
    [ "$status" -eq 0 ]
    [ "$(head -c 8 t.png | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ]
    run perfcmp plot trend 'sort/*' -o t.pdf
    [ "$status" -eq 0 ]
    [ "$(head -c 5 t.pdf)" = "%PDF-" ]
}

@test "plot trend --baseline draws its level and the threshold band" {
    record_history
    run perfcmp plot trend sort/1024 --baseline default --threshold 10% -o t.svg
    [ "$status" -eq 0 ]
    svg_texts t.svg > texts
    grep -qx "baseline 'default' (run 3)" texts
    grep -qx 'threshold ±10%' texts
}

@test "plot trend draws baseline 'default' when there is one, and nothing when there is none" {
    record_history
    # the default baseline, like plot compare and report --html
    run perfcmp plot trend sort/1024 --threshold 10% -o d.svg
    [ "$status" -eq 0 ]
    svg_texts d.svg > texts
    grep -qx "baseline 'default' (run 3)" texts
    grep -qx 'threshold ±10%' texts
    perfcmp baseline delete default > /dev/null
    rm -f baselines/default.json
    run perfcmp plot trend sort/1024 -o n.svg
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    ! svg_texts n.svg | grep -q "baseline\|threshold"
    # a band needs a baseline
    run perfcmp plot trend sort/1024 --threshold 10% -o u.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: --threshold draws a band around the baseline, and there is no baseline 'default': give --baseline NAME" ]
    [ ! -e u.svg ]
    # a named baseline that does not exist is an error, not "no line"
    run perfcmp plot trend sort/1024 --baseline nosuch -o v.svg
    [ "$status" -eq 2 ]
    [ "$output" = "error: no baseline 'nosuch' in the database nor 'baselines/nosuch.json' (save one with 'perfcmp baseline save')" ]
}

@test "plot trend --by-date labels the x axis with dates" {
    record_history
    run perfcmp plot trend sort/1024 --by-date -o t.svg
    [ "$status" -eq 0 ]
    svg_texts t.svg > texts
    grep -q '2026-01-01' texts
    ! grep -qx "$(short 12)" texts
}

@test "plot trend thins the commit labels of a long history" {
    python3 "$GEN" "$WORK/data" --runs 90 --bench sort/1024
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    run perfcmp plot trend sort/1024 -o t.svg --size 700x400
    [ "$status" -eq 0 ]
    grep -qx ' width="700" height="400"' t.svg
    svg_texts t.svg > texts
    n=$(grep -cE '^[0-9a-f]{7}$' texts)
    [ "$n" -ge 10 ] && [ "$n" -le 30 ]
    grep -qx "$(short 90)" texts
}

@test "plot --script-only prints a gnuplot script with inline data" {
    record_history
    run perfcmp plot trend sort/1024 --script-only -o t.png
    [ "$status" -eq 0 ]
    [ ! -e t.png ]
    [[ "$output" == *'$trend1 << EOD'* ]]
    [[ "$output" == *"set terminal pngcairo noenhanced"* ]]
    printf '%s\n' "$output" > script.gp
    # the script draws the same chart when given to gnuplot
    run perfcmp plot trend sort/1024 --script-only
    [[ "$output" == *"set terminal svg noenhanced"* ]]
    printf '%s\n' "$output" > svg.gp
    gnuplot -d svg.gp > fromscript.svg
    svg_texts fromscript.svg | grep -qx 'sort/1024'
}

@test "plot compare draws one bar per benchmark coloured by verdict" {
    record_history
    run perfcmp plot compare -o c.svg
    [ "$status" -eq 0 ]
    svg_texts c.svg > texts
    grep -qx 'sort/1024' texts
    grep -qx 'hash/64' texts
    grep -qx 'regressed' texts
    grep -qx 'unchanged' texts
    grep -qx 'threshold ±20%' texts
    grep -qx "run 20 vs baseline 'default' (run 3)" texts
    # the regressed bar is red (#d62728)
    grep -q 'rgb(214,  39,  40)' c.svg
    run perfcmp plot compare 5 --baseline default --threshold 5 -o c2.svg
    [ "$status" -eq 0 ]
    svg_texts c2.svg | grep -qx "run 5 vs baseline 'default' (run 3)"
}

@test "plot dist shows the samples of the run and the baseline" {
    record_history
    run perfcmp plot dist sort/1024 -o d.svg
    [ "$status" -eq 0 ]
    svg_texts d.svg > texts
    grep -qx "baseline 'default' (run 3)" texts
    grep -qx 'run 20' texts
    grep -qE '^median .* -> .* \(\+(2[5-9]|3[0-4])\.[0-9]%\)$' texts
    run perfcmp plot dist sort/1024 7 -o d.png
    [ "$status" -eq 0 ]
}

@test "plot dist without a baseline draws the run alone and says so" {
    python3 "$GEN" "$WORK/data" --runs 2 --bench sort/1024
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    run perfcmp plot dist sort/1024 -o d.svg
    [ "$status" -eq 0 ]
    [ "$output" = "warning: no baseline 'default': drawing run 2 alone" ]
    svg_texts d.svg | grep -qx 'run 2'
}

@test "hostile benchmark names are drawn as text and never run" {
    python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
names = ["`touch %s/pwned1`" % w, 'system("touch %s/pwned2")' % w,
         "a' . system('touch %s/pwned3') . '" % w, "@m ^x _y {z} 100%% %%s",
         "it's \"quoted\" <b>&amp;", "'; DROP TABLE runs; --", "'@GPVAL_PWD @m", "''"]
json.dump(names, open(w + "/names.json", "w"))
for run in range(1, 5):
    doc = {"schema": "perfcmp-results", "version": 1,
           "context": {"timestamp": "2026-01-01T0%d:00:00Z" % run, "host": "h", "cpu_model": "c",
                       "cpu_count": 1, "os": "Linux", "kernel": "k", "arch": "x",
                       "compiler": "gcc", "cflags": "", "library_version": "0.1.0",
                       "command": "x", "git": {"commit": "`touch %s/pwned4`" % w,
                                               "branch": "$(touch pwned5)", "dirty": False}},
           "benchmarks": [{"name": n, "family": "f", "args": [], "tags": [], "status": "ok",
                           "iterations": 1,
                           "metrics": [{"name": "wall_time", "unit": "ns", "direction": "lower",
                                        "samples": [10 * run + i for i in range(5)]}]}
                          for n in names]}
    json.dump(doc, open("%s/h%d.json" % (w, run), "w"))
EOF
    perfcmp record -q h1.json h2.json h3.json h4.json >/dev/null
    perfcmp baseline save --run 1 >/dev/null
    run perfcmp plot trend '*' -o t.svg --title '`touch pwned6` system("touch pwned7")'
    [ "$status" -eq 0 ]
    run perfcmp plot compare -o c.svg
    [ "$status" -eq 0 ]
    name3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[3])' names.json)
    run perfcmp plot dist "$name3" -o d.svg
    [ "$status" -eq 0 ]
    run perfcmp plot trend '*' -o t.png
    [ "$status" -eq 0 ]
    for f in pwned1 pwned2 pwned3 pwned4 pwned5 pwned6 pwned7; do
        [ ! -e "$WORK/$f" ]
        [ ! -e "/tmp/$f" ]
    done
    svg_texts t.svg > t.txt
    svg_texts c.svg > c.txt
    svg_texts d.svg > d.txt
    python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
names = json.load(open(w + "/names.json"))
trend = open(w + "/t.txt").read().splitlines()
cmp = open(w + "/c.txt").read().splitlines()
dist = open(w + "/d.txt").read().splitlines()
for n in names:
    assert n in trend, ("trend", n, trend)
    assert n in cmp, ("compare", n, cmp)
assert names[3] in dist[0] or names[3] in dist, dist
assert '`touch pwned6` system("touch pwned7")' in trend, trend
EOF
}

@test "plot refuses an unknown output type with one line" {
    record_history
    sum=$(db_checksum)
    run perfcmp plot trend sort/1024 -o chart.jpg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: unknown output type 'chart.jpg': expected a .png, .svg or .pdf file name" ]
    [ ! -e chart.jpg ]
    run perfcmp plot compare -o chart
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$(db_checksum)" = "$sum" ]
}

@test "plot refuses bad usage with one line" {
    record_history
    for args in "trend sort/1024" "trend -o t.svg" "pie -o t.svg" "dist -o d.svg" \
                "trend sort/1024 -o t.svg --size 10x10" "trend sort/1024 -o t.svg --size big" \
                "trend sort/1024 -o t.svg --bogus" "compare 1 2 -o c.svg" \
                "dist sort/1024 -o d.svg --threshold 5"; do
        run perfcmp plot $args
        [ "$status" -eq 2 ]
        assert_one_line
    done
    run perfcmp plot trend sort/1024
    [ "$output" = "error: no output file: give -o FILE (.png, .svg or .pdf) or --script-only" ]
}

@test "plot of an unknown benchmark or run fails with one line" {
    record_history
    run perfcmp plot trend nope -o t.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no benchmark 'nope' in the database" ]
    run perfcmp plot dist nope -o d.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no benchmark 'nope' in run 20" ]
    run perfcmp plot compare 99 -o c.svg
    [ "$status" -eq 2 ]
    assert_one_line
    run perfcmp plot compare --baseline nosuch -o c.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ ! -e t.svg ] && [ ! -e d.svg ] && [ ! -e c.svg ]
}

@test "plot without gnuplot says so, and --script-only still works" {
    record_history
    PERFCMP_GNUPLOT=/nonexistent/gnuplot run perfcmp plot trend sort/1024 -o t.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: cannot run '/nonexistent/gnuplot': No such file or directory (install gnuplot, e.g. the gnuplot-nox package)" ]
    PERFCMP_GNUPLOT=/nonexistent/gnuplot run perfcmp plot trend sort/1024 --script-only
    [ "$status" -eq 0 ]
    [[ "$output" == *'plot $trend1'* ]]
}

@test "plot names the terminal gnuplot lacks" {
    record_history
    fake_gnuplot "png svg"
    run perfcmp plot trend sort/1024 -o t.pdf
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: '$WORK/fake-gnuplot' has no 'pdfcairo' terminal needed for .pdf output (install gnuplot-nox, or write .svg)" ]
    fake_gnuplot "svg"
    run perfcmp plot trend sort/1024 -o t.png
    [ "$status" -eq 2 ]
    [[ "$output" == *"has neither the 'pngcairo' nor the 'png' terminal"* ]]
}

@test "a gnuplot failure is reported with its message and keeps the old chart" {
    record_history
    echo old > t.svg
    fake_gnuplot "svg"
    run perfcmp plot trend sort/1024 -o t.svg
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: gnuplot failed (exit status 1): line 3: boom" ]
    [ "$(cat t.svg)" = old ]
    [ "$(ls | grep -c 't.svg.tmp')" -eq 0 ]
}

@test "plot --help describes the charts" {
    run perfcmp plot --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "usage: perfcmp plot trend"* ]]
}
