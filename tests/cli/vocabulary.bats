#!/usr/bin/env bats
# One vocabulary: an option that means the same thing is spelled the same
# in every command that has it (docs/cli.md#one-vocabulary).  The help
# tests walk 'perfcmp COMMAND --help' for every command in the table that
# 'perfcmp --help' lists, so a new command is checked without a change here.

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

# The commands 'perfcmp --help' lists, one per line.
commands() {
    perfcmp --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}

# Writes each command's help to help/CMD and fails on a help that does
# not exit 0.
all_helps() {
    mkdir -p help
    local c n=0
    for c in $(commands); do
        perfcmp "$c" --help > "help/$c" || { echo "perfcmp $c --help failed" >&2; return 1; }
        n=$((n + 1))
    done
    [ "$n" -ge 12 ] || { echo "only $n commands listed" >&2; return 1; }
}

# Options of help file $1, with '--opt=VALUE' written as '--opt VALUE'.
options_of() {
    sed 's/\(--[a-z-]*\)=/\1 /g' "$1"
}

@test "every command listed answers --help" {
    all_helps
    [ -s help/plot ] && [ -s help/report ] && [ -s help/trend ] && [ -s help/compare ]
}

@test "the history window is --last everywhere; --window appears only as an alias" {
    all_helps
    local c found=0
    # Not a history window: 'prune --keep-last' says which runs to keep.
    # It is skipped by name, nothing else is ('baseline save --last=N'
    # merges the newest N runs: a window, spelled --last).
    rm -f help/prune
    for c in help/*; do
        # (compare's --noise-runs N, the history its noise check reads, is
        # a setting of that check, not a window: its help says 'last N runs')
        if grep -qiE 'newest N runs|--last' "$c"; then
            found=$((found + 1))
            grep -q -- '--last' "$c" || { echo "$c: a history window without --last" >&2; return 1; }
        fi
        # --window may only be named as the older spelling, never as an option line
        if grep -E -- '--window' "$c" | grep -qv 'is the same'; then
            echo "$c: offers --window" >&2
            return 1
        fi
    done
    # runs, history, trend, plot, report, baseline
    [ "$found" -ge 6 ]
}

@test "commands with a history window filter by --branch NAME and --machine TEXT" {
    all_helps
    local c n=0
    for c in help/*; do
        grep -q -- '--last N' <(options_of "$c") || continue
        [ "$(basename "$c")" = prune ] && continue
        n=$((n + 1))
        options_of "$c" | grep -q -- '--branch NAME' || { echo "$c: no '--branch NAME'" >&2; return 1; }
        options_of "$c" | grep -q -- '--machine TEXT' || { echo "$c: no '--machine TEXT'" >&2; return 1; }
    done
    [ "$n" -ge 5 ]
    # and nobody spells the filters differently
    ! grep -hoE -- '--(machine|branch)[ =][A-Z]+' help/runs help/history help/trend help/plot help/report |
        sed 's/=/ /' | grep -vE -- '^--machine TEXT$|^--branch NAME$'
}

@test "every command that takes --baseline takes --baseline-dir and --against too" {
    all_helps
    local c n=0
    for c in help/*; do
        grep -qE -- '--baseline([ =]|$|,)' "$c" || continue
        n=$((n + 1))
        grep -q -- '--baseline-dir' "$c" || { echo "$c: --baseline without --baseline-dir" >&2; return 1; }
        grep -q -- '--against' "$c" || { echo "$c: --baseline without --against" >&2; return 1; }
    done
    # compare, run, plot, report
    [ "$n" -ge 4 ]
}

# 6 runs of two benchmarks; run 1 saved as baseline 'default' into bl/
# only (not in the database), so that only --baseline-dir finds it.
record_runs() {
    python3 "$GEN" "$WORK/data" --runs 6 --bench sort/1024 --flat hash/64 --step 4:40
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    perfcmp baseline save --run 1 --dir bl >/dev/null
    perfcmp baseline delete default >/dev/null
}

@test "plot and report find the baseline with --baseline-dir, as compare does" {
    record_runs
    run perfcmp compare
    [ "$status" -eq 2 ]
    run perfcmp compare --baseline-dir bl
    [ "$status" -le 1 ]
    [[ "${lines[0]}" == "comparing run 6 with baseline 'default' (bl/default.json)"* ]]
    run perfcmp plot compare --script-only
    [ "$status" -eq 2 ]
    [ "$output" = "error: no baseline 'default' in the database nor 'baselines/default.json' (save one with 'perfcmp baseline save')" ]
    run perfcmp plot compare --baseline-dir bl --script-only
    [ "$status" -eq 0 ]
    [[ "$output" == *"set title 'run 6' . ' vs ' . 'baseline '"*"'default'"*"' (bl/default.json)'"* ]]
    run perfcmp plot compare --baseline-dir=bl --baseline nosuch --script-only
    [ "$status" -eq 2 ]
    [ "$output" = "error: no baseline 'nosuch' in the database nor 'bl/nosuch.json' (save one with 'perfcmp baseline save')" ]
    run perfcmp report --html rep --baseline-dir bl
    [ "$status" -eq 0 ]
    grep -q "baseline &#39;default&#39; (bl/default.json)\|baseline 'default' (bl/default.json)" rep/index.html
}

@test "plot and report compare with a stored run with --against, as compare does" {
    record_runs
    run perfcmp compare --against 3
    [ "$status" -eq 1 ]
    [[ "${lines[0]}" == "comparing run 6 with run 3:"* ]]
    run perfcmp plot compare --against 3 --script-only
    [ "$status" -eq 0 ]
    [[ "$output" == *"'run 6' . ' vs ' . 'run 3'"* ]]
    run perfcmp plot dist sort/1024 --against=3 --script-only
    [ "$status" -eq 0 ]
    [[ "$output" == *"run 3"* ]]
    run perfcmp report --html rep --against 3
    [ "$status" -eq 0 ]
    grep -q 'against run 3' rep/index.html
    run perfcmp plot compare --against 99 --script-only
    [ "$status" -eq 2 ]
    [ "$output" = "error: no run 99 in '$PERFCMP_DB'" ]
    for cmd in "plot compare --script-only" "report --html rep2" "compare"; do
        run perfcmp $cmd --against 3 --baseline default
        [ "$status" -eq 2 ]
        [ "$output" = "error: options '--baseline' and '--against' cannot be used together" ]
    done
    [ ! -e rep2 ]
}

# The number of runs 'perfcmp trend --format=json' analysed, read from stdin.
runs_analysed() {
    python3 -c 'import json, sys; print(json.load(sys.stdin)["benchmarks"][0]["runs"])'
}

@test "trend takes --last, and --window still works as its alias" {
    record_runs
    run perfcmp trend sort/1024 --last 3 --format=json
    [ "$status" -eq 0 ]
    [ "$(runs_analysed <<< "$output")" = 3 ]
    run perfcmp trend sort/1024 --window=3 --format=json
    [ "$status" -eq 0 ]
    [ "$(runs_analysed <<< "$output")" = 3 ]
    run perfcmp trend sort/1024 --format=json
    [ "$(runs_analysed <<< "$output")" = 6 ]
}

@test "a bad --last is refused in the same words by every command" {
    record_runs
    local cmd
    for cmd in "runs" "history sort/1024" "trend" "plot trend sort/1024 --script-only" "report --html rep"; do
        run perfcmp $cmd --last=0
        [ "$status" -eq 2 ]
        [ "$output" = "error: invalid value '0' for '--last': expected a positive whole number" ] ||
            { echo "perfcmp $cmd: $output" >&2; return 1; }
    done
}

@test "every command refuses an unknown option in the same words" {
    local c n=0
    for c in $(commands); do
        case $c in
            baseline) continue ;;           # takes a subcommand first
            plot) set -- plot trend x ;;    # so does plot
            *) set -- "$c" ;;
        esac
        run perfcmp "$@" --bogus
        [ "$status" -eq 2 ]
        [ "$output" = "error: unknown option '--bogus' (see 'perfcmp $c --help')" ] ||
            { echo "perfcmp $*: $output" >&2; return 1; }
        n=$((n + 1))
    done
    [ "$n" -ge 11 ]
}

@test "a command missing its argument says so in one line" {
    run perfcmp history
    [ "$status" -eq 2 ]
    [ "$output" = "error: no benchmark given (see 'perfcmp history --help')" ]
    run perfcmp plot
    [ "$status" -eq 2 ]
    [ "$output" = "error: no chart given: expected trend, compare or dist (see 'perfcmp plot --help')" ]
    local c
    for c in $(commands); do
        run perfcmp "$c"
        [ "$status" -ne 2 ] || assert_one_line || { echo "perfcmp $c" >&2; return 1; }
    done
}
