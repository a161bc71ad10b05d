#!/usr/bin/env bash
# make demo: the main job on the embedded default (SQLite).
# Builds (done by make), runs the example benchmarks through `perfcmp run`,
# which records the run; the first time it saves the baseline, later times
# it compares with it (perfcmp warns on stderr when the baseline is
# suspect: docs/cli.md, "A suspect baseline"); then draws the charts.
# Everything the demo keeps lives under $BUILD/demo: the database, the
# baseline file, the charts.
# Run it twice to see a comparison.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DEMO=$BUILD/demo
PERFCMP=$BUILD/perfcmp
BENCH=$BUILD/examples/bench_examples
mkdir -p "$DEMO"
export PERFCMP_DB=$DEMO/perfcmp.db
baseline_dir=$DEMO/baselines

say() { printf '\n== %s\n' "$*"; }

if ! "$PERFCMP" baseline show default >/dev/null 2>&1; then
    say "first run: recording the examples and saving them as baseline 'default'"
    "$PERFCMP" run --save-baseline=default --baseline-dir "$baseline_dir" -- "$BENCH"
    rc=$?
    [ "$rc" -le 1 ] || exit "$rc"
    say "run 1 is now baseline 'default' ($baseline_dir/default.json); run 'make demo' again:" \
        "the second run is compared with it, one verdict per benchmark"
    echo "A baseline of one run is one moment of this machine: if it was a slow one, later"
    echo "runs look faster against it (and a fast one makes noise look like regressions)."
    echo "perfcmp warns on stderr when a baseline is suspect: its processes disagree by more"
    echo "than the threshold, or (once 5 runs are recorded) its median lies outside their"
    echo "history. After a few runs, 'perfcmp baseline save --last=5' merges them into one."
else
    say "running the examples and comparing with baseline 'default' (confirming suspects twice)"
    "$PERFCMP" run --confirm=2 --baseline-dir "$baseline_dir" -- "$BENCH"
    rc=$?
    case $rc in
        0) echo "perfcmp run: exit 0, no regression" ;;
        1) echo "perfcmp run: exit 1, a regression was found (CI would fail here;" \
                "on a busy machine this can be noise: see docs/verdicts.md)" ;;
        *) exit "$rc" ;;
    esac
    # A single-run baseline and history enough to replace it: say how.
    nruns=$("$PERFCMP" runs --format=json | grep -c '"id"')
    if [ "$nruns" -ge 5 ] &&
       ! "$PERFCMP" baseline show default --format=json | grep -q '"perfcmp-merged"'; then
        echo "baseline 'default' is still one run; with $nruns runs recorded, a steadier one"
        echo "merges the newest 5: $PERFCMP baseline save --last=5 --dir $baseline_dir"
    fi
fi

say "stored runs"
"$PERFCMP" runs --last=5

say "charts"
"$PERFCMP" plot compare -o "$DEMO/compare.svg" || exit 2
"$PERFCMP" plot trend 'qsort/*' -o "$DEMO/trend-qsort.svg" || exit 2
"$PERFCMP" plot dist qsort/1024 -o "$DEMO/dist-qsort-1024.svg" || exit 2
"$PERFCMP" report --html "$DEMO/report" >/dev/null || exit 2
echo "wrote $DEMO/compare.svg, $DEMO/trend-qsort.svg, $DEMO/dist-qsort-1024.svg"
echo "and the HTML report $DEMO/report/index.html"
