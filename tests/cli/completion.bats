#!/usr/bin/env bats
# Bash completion (scripts/completion/perfcmp.bash): sourced and called
# as bash calls it, with COMP_WORDS and COMP_CWORD set.  It asks the
# perfcmp being completed (COMP_WORDS[0], here $PERFCMP_BIN) for its
# commands, options and baseline names.

load helpers

# The built perfcmp itself, not $PERFCMP_BIN: these tests read help texts
# and are about packaging; under make test-valgrind they would only be
# slower (memory errors are the other tests' business).
PERFCMP_BIN=$PERFCMP_ROOT/$BUILD/perfcmp

# complete WORD...: the completions of the last WORD, one per line, sorted.
# Bash splits '--opt=value' into '--opt' '=' 'value': so do the tests.
complete_words() {
    # shellcheck disable=SC1091
    source "$PERFCMP_ROOT/scripts/completion/perfcmp.bash"
    COMP_WORDS=("$PERFCMP_BIN" "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _perfcmp || :   # (compgen fails when nothing matches; bash does not mind)
    printf '%s\n' "${COMPREPLY[@]}" | sort
}

two_baselines() {
    perfcmp record "$DATA/perfcmp/examples.json" > /dev/null
    perfcmp baseline save > /dev/null
    perfcmp baseline save nightly-1 > /dev/null
}

@test "completion registers _perfcmp for perfcmp" {
    source "$PERFCMP_ROOT/scripts/completion/perfcmp.bash"
    run complete -p perfcmp
    [[ $output == *"-F _perfcmp perfcmp" ]]
}

@test "completion offers every command 'perfcmp --help' lists, and completes a prefix" {
    complete_words "" > got
    perfcmp --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | sort > want
    diff want got
    [ "$(wc -l < got)" -ge 12 ]
    [ "$(complete_words com)" = compare ]
    [ "$(complete_words --db x.db hist)" = history ]
    [ "$(complete_words --db = x.db pru)" = prune ]
}

@test "completion offers the options of the command being typed" {
    complete_words compare --thr > got
    [ "$(cat got)" = "--threshold" ]
    complete_words compare - > got
    grep -qx -- --baseline got
    grep -qx -- --fail-on-improvement got
    grep -qx -- -o got
    complete_words run --confirm- > got
    [ "$(cat got)" = "--confirm-delay" ]
    complete_words run --conf > got
    [ "$(printf '%s\n' --confirm --confirm-delay)" = "$(cat got)" ]
    complete_words --ver > got
    [ "$(cat got)" = "--version" ]
}

@test "completion offers subcommands of baseline and plot" {
    [ "$(complete_words baseline "" | tr '\n' ' ')" = "delete import list save show " ]
    [ "$(complete_words plot d)" = dist ]
}

@test "completion offers the baseline names in the database, from PERFCMP_DB or --db" {
    two_baselines
    # names, and files and directories (a baseline may be a file)
    complete_words compare --baseline "" > got
    grep -qx default got
    grep -qx nightly-1 got
    grep -qx baselines got
    [ "$(complete_words compare --baseline = ni)" = nightly-1 ]
    [ "$(complete_words baseline show "" | tr '\n' ' ')" = "default nightly-1 " ]
    [ "$(complete_words baseline delete nig)" = nightly-1 ]
    [ "$(complete_words --save-baseline d)" = default ]
    # the database of --db, not PERFCMP_DB's (a file: bash would split a
    # URL at its ':' and '@', COMP_WORDBREAKS)
    store_wipe
    PERFCMP_DB=$WORK/other.db two_baselines
    rm -rf baselines
    [ -z "$(complete_words baseline show "")" ]
    [ "$(complete_words --db other.db baseline show "" | tr '\n' ' ')" = "default nightly-1 " ]
    [ "$(complete_words --db = other.db run --baseline n)" = nightly-1 ]
}

@test "completion offers the values of --format that the command's help names" {
    [ "$(complete_words compare --format "" | tr '\n' ' ')" = "json junit markdown text " ]
    [ "$(complete_words record --format = g)" = google-benchmark ]
    [ "$(complete_words baseline list --format "" | tr '\n' ' ')" = "json text " ]
}

@test "completion writes nothing: no database appears where there was none" {
    unset PERFCMP_DB
    complete_words compare --baseline "" > /dev/null
    complete_words baseline show "" > /dev/null
    [ ! -e .perfcmp ]
    [ -z "$(ls -A | grep -v '^got$')" ]
}
