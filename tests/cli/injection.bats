#!/usr/bin/env bats
# Names and notes that come from users reach SQL, the shell (gnuplot is
# run as a program), gnuplot scripts, HTML and XML.  Each must be stored
# and shown as given (or refused, for baseline names), never executed
# (no 'pwned' file appears, the 'victim' directory survives), and never
# let a file escape baselines/.

bats_require_minimum_version 1.5.0
load helpers

MKRESULTS=$PERFCMP_ROOT/tests/stress/mkresults.sh

# Benchmark names and notes tried everywhere below.  None holds a newline
# (those have their own tests).
NAMES=(
    "'; DROP TABLE runs; --"
    'x"); DROP TABLE benchmarks; --'
    '$(touch pwned)'
    '`touch pwned`'
    '; rm -rf victim; touch pwned #'
    'system("touch pwned")'
    "' . system(\"touch pwned\") . '"
    '<script>alert("x")</script>'
    "a & b < c > d \"q\" 'q'"
    '100%s %n %d %x'
    'back\slash\n'
    'pipe|in|name'
    'naïve/日本/ü'
)

# JSON string literal of $1 (escapes \ " and control characters).
json_str() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\t'/\\t}
    printf '"%s"' "$s"
}

# mkinj FILE SCALE NAME...: a perfcmp-results file, one benchmark per NAME,
# 5 samples around 1000 ns times SCALE.
mkinj() {
    local out=$1 k=$2 i=0 n
    shift 2
    {
        printf '{"schema":"perfcmp-results","version":1,"context":{"timestamp":"2026-11-23T11:20:00Z",'
        printf '"host":"h","cpu_model":"Injection CPU","cpu_count":2,"os":"Linux","kernel":"6.1",'
        printf '"arch":"x86_64","compiler":"cc","cflags":"","library_version":"0.1.0","command":"c","git":null},'
        printf '"benchmarks":['
        for n in "$@"; do
            [ "$i" -eq 0 ] || printf ','
            printf '{"name":%s,"family":"f","args":[],"tags":[],"status":"ok","iterations":1,' "$(json_str "$n")"
            printf '"metrics":[{"name":"wall_time","unit":"ns","direction":"lower",'
            printf '"samples":[%s]}]}' "$(awk -v k="$k" 'BEGIN { for (j = 0; j < 8; j++) printf "%s%g", (j ? "," : ""), (1000 + j) * k }')"
            i=$((i + 1))
        done
        printf ']}\n'
    } > "$out"
}

setup() {
    WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/perfcmp-test.XXXXXX")
    cd "$WORK"
    store_setup
    mkdir victim
}

# Nothing was executed: no 'pwned' file anywhere under $WORK, victim/ is there.
assert_not_pwned() {
    local found
    found=$(find "$WORK" -name pwned)
    if [ -n "$found" ]; then
        echo "executed: $found" >&2
        return 1
    fi
    [ -d "$WORK/victim" ]
}

# Two runs of NAMES, the second 1.5 times slower: ids 1 and 2.
record_two() {
    mkinj one.json 1 "${NAMES[@]}"
    mkinj two.json 1.5 "${NAMES[@]}"
    run perfcmp record --note "${NAMES[0]} ${NAMES[2]}" one.json
    [ "$status" -eq 0 ]
    run perfcmp record --note '$(touch pwned) `touch pwned`' two.json
    [ "$status" -eq 0 ]
}

@test "names with SQL, shell and format metacharacters are stored exactly" {
    record_two
    # in the run's order (the order of the ids of new benchmarks is the store's)
    run db_query 'SELECT b.name FROM results r JOIN benchmarks b ON b.id = r.bench_id
                  WHERE r.run_id = 1 ORDER BY r.id'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "${NAMES[@]}")" ]
    [ "$(db_query 'SELECT COUNT(*) FROM benchmarks')" -eq "${#NAMES[@]}" ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 2 ]
    [ "$(db_query 'SELECT note FROM runs WHERE id = 1')" = "${NAMES[0]} ${NAMES[2]}" ]
    assert_not_pwned
}

@test "show prints every name verbatim, and as exact JSON strings" {
    record_two
    run perfcmp show 1
    [ "$status" -eq 0 ]
    local n
    for n in "${NAMES[@]}"; do
        grep -qF -- "$n" <<< "$output" || { echo "missing from show: $n" >&2; return 1; }
    done
    run perfcmp show 1 --format=json
    [ "$status" -eq 0 ]
    for n in "${NAMES[@]}"; do
        grep -qF -- "$(json_str "$n")" <<< "$output" || { echo "missing from show --format=json: $n" >&2; return 1; }
    done
    assert_not_pwned
}

@test "runs prints notes with metacharacters verbatim" {
    record_two
    run perfcmp runs
    [ "$status" -eq 0 ]
    grep -qF -- "${NAMES[0]} ${NAMES[2]}" <<< "$output"
    grep -qF -- '$(touch pwned) `touch pwned`' <<< "$output"
    assert_not_pwned
}

@test "filters with SQL metacharacters match literally" {
    record_two
    run perfcmp runs --branch "' OR '1'='1"
    [ "$status" -eq 0 ]
    ! grep -qE '^ +[0-9]+ ' <<< "$output"
    run perfcmp runs --machine "%"
    [ "$status" -eq 0 ]
    ! grep -qE '^ +[0-9]+ ' <<< "$output"
    run perfcmp runs --machine "Injection CPU"
    [ "$status" -eq 0 ]
    [ "$(grep -cE '^ +[0-9]+ ' <<< "$output")" -eq 2 ]
    run perfcmp history "' OR '1'='1"
    [ "$status" -eq 2 ]
    [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 2 ]
    assert_not_pwned
}

@test "compare prints every name verbatim in text and JSON" {
    record_two
    run perfcmp compare 2 --against 1
    [ "$status" -eq 1 ]     # every benchmark is 1.5x slower
    local n
    for n in "${NAMES[@]}"; do
        grep -qF -- "$n" <<< "$output" || { echo "missing from compare: $n" >&2; return 1; }
    done
    run perfcmp compare 2 --against 1 --format json
    [ "$status" -eq 1 ]
    for n in "${NAMES[@]}"; do
        grep -qF -- "$(json_str "$n")" <<< "$output" || { echo "missing from compare --format json: $n" >&2; return 1; }
    done
    assert_not_pwned
}

@test "compare's JUnit XML escapes markup in names" {
    record_two
    run perfcmp compare 2 --against 1 --format junit -o report.xml
    [ "$status" -eq 1 ]
    [ -s report.xml ]
    ! grep -qF '<script>' report.xml
    grep -qF '&lt;script&gt;' report.xml
    ! grep -qF 'c > d "q"' report.xml
    # every & starts an entity
    ! grep -qE '&[^#a-zA-Z]' report.xml
    if command -v xmllint >/dev/null; then xmllint --noout report.xml; fi
    assert_not_pwned
}

@test "history of names with metacharacters shows both runs" {
    record_two
    local n
    for n in "${NAMES[@]}"; do
        run perfcmp history -- "$n"
        if [ "$status" -ne 0 ]; then
            run perfcmp history "$n"
        fi
        [ "$status" -eq 0 ] || { echo "history '$n': $output" >&2; return 1; }
        [ "$(grep -cE '^ *[12] ' <<< "$output")" -ge 2 ] || [ "$(grep -c '2026-11-23' <<< "$output")" -ge 2 ] ||
            { echo "history '$n' lacks the two runs: $output" >&2; return 1; }
    done
    assert_not_pwned
}

@test "a benchmark name with a newline is stored exactly or refused in one line" {
    mkinj nl.json 1 $'two\nlines' 'plain'
    run --separate-stderr perfcmp record nl.json
    if [ "$status" -eq 2 ]; then
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
        [ "$(db_checksum)" = absent ] || [ "$(db_query 'SELECT COUNT(*) FROM runs')" -eq 0 ]
    else
        [ "$status" -eq 0 ]
        [ "$(db_query "SELECT name FROM benchmarks WHERE name LIKE 'two%'" | od -An -tx1)" = \
          "$(printf 'two\nlines\n' | od -An -tx1)" ]
    fi
}

@test "a note with a newline and an escape sequence is stored exactly" {
    local note=$'first line\nsecond\t\e[31mred'
    "$MKRESULTS" > r.json
    run perfcmp record --note "$note" r.json
    [ "$status" -eq 0 ]
    [ "$(db_query 'SELECT note FROM runs' | od -An -tx1)" = "$(printf '%s\n' "$note" | od -An -tx1)" ]
    run perfcmp runs --format=json
    [ "$status" -eq 0 ]
    grep -qF '"first line\nsecond\t\u001b[31mred"' <<< "$output"
    run perfcmp runs
    # the text table shows control characters as '?': one row, no escape
    grep -qF 'first line?second??[31mred' <<< "$output"
    [ "$(grep -c $'\e' <<< "$output")" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    run perfcmp show latest
    grep -qF 'first line?second??[31mred' <<< "$output"
}

@test "record's --commit and --branch with metacharacters are stored exactly" {
    "$MKRESULTS" > r.json
    run perfcmp record --commit '$(touch pwned)' --branch "'; DROP TABLE runs; --" r.json
    [ "$status" -eq 0 ]
    [ "$(db_query 'SELECT git_commit FROM runs')" = '$(touch pwned)' ]
    [ "$(db_query 'SELECT branch FROM runs')" = "'; DROP TABLE runs; --" ]
    run perfcmp runs --branch "'; DROP TABLE runs; --"
    [ "$status" -eq 0 ]
    [ "$(grep -cE '^ +[0-9]+ ' <<< "$output")" -eq 1 ]
    assert_not_pwned
}

# ---- baseline names ----------------------------------------------------

BAD_BASELINE_NAMES=(
    '../evil' 'a/b' '..' '.' '.hidden' '/tmp/perfcmp-evil' 'a\b' '$(touch pwned)'
    'with space' '' "$(printf 'x%.0s' {1..65})" $'new\nline' 'nul-free-but-*?' '-rf'
)

@test "baseline save refuses names that are paths or not plain words" {
    # work two levels down, so that a name climbing out of baselines/ would
    # land inside $WORK, where nothing else writes
    mkdir -p deep/er && cd deep/er
    "$MKRESULTS" > r.json
    run perfcmp record r.json
    [ "$status" -eq 0 ]
    touch "$WORK/marker"
    local n before bad=0
    for n in "${BAD_BASELINE_NAMES[@]}"; do
        before=$(db_checksum)
        run --separate-stderr perfcmp baseline save "$n"
        if [[ "$stderr" == *"not implemented"* ]]; then skip "baseline save is not implemented yet"; fi
        if [ "$status" -ne 2 ]; then
            echo "baseline save '$n' exited $status" >&2; bad=1
        elif [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ]; then
            echo "baseline save '$n': more than one line: $stderr" >&2; bad=1
        elif [ "$(db_checksum)" != "$before" ]; then
            echo "baseline save '$n' changed the database" >&2; bad=1
        fi
    done
    [ "$bad" -eq 0 ]
    # no file was written anywhere in $WORK (other processes write to /tmp,
    # so only the absolute name is checked there)
    [ -z "$(find "$WORK" -newer "$WORK/marker" -name '*.json' 2>/dev/null)" ]
    [ ! -e /tmp/perfcmp-evil.json ] && [ ! -e /tmp/perfcmp-evil ]
    [ "$(db_query 'SELECT COUNT(*) FROM baselines')" -eq 0 ]
    assert_not_pwned
}

@test "--save-baseline refuses a name that climbs out of baselines/" {
    "$MKRESULTS" > r.json
    run perfcmp record r.json
    [ "$status" -eq 0 ]
    mkdir -p baselines
    run --separate-stderr perfcmp --save-baseline=../evil
    if [[ "$stderr" == *"not implemented"* ]]; then skip "baseline save is not implemented yet"; fi
    [ "$status" -eq 2 ]
    [ ! -e evil.json ] && [ ! -e ../evil.json ]
    run --separate-stderr perfcmp --save-baseline ../../evil
    [ "$status" -eq 2 ]
    [ ! -e "$(dirname "$WORK")/evil.json" ]
}

@test "a plain baseline name is accepted and lands in baselines/" {
    "$MKRESULTS" > r.json
    run perfcmp record r.json
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp baseline save release-1.2_rc
    if [[ "$stderr" == *"not implemented"* ]]; then skip "baseline save is not implemented yet"; fi
    [ "$status" -eq 0 ]
    [ -f baselines/release-1.2_rc.json ]
}

@test "baseline --dir with a hostile name still refuses the name" {
    "$MKRESULTS" > r.json
    run perfcmp record r.json
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp baseline save '../../escape' --dir=out/base
    if [[ "$stderr" == *"not implemented"* ]]; then skip "baseline save is not implemented yet"; fi
    [ "$status" -eq 2 ]
    [ -z "$(find "$WORK" -name 'escape*')" ]
}

# ---- charts and the HTML report --------------------------------------

# skip_unless_implemented CMD: skips when `perfcmp CMD --help` says it is not there.
skip_unless_implemented() {
    run perfcmp "$1" --help
    if [ "$status" -ne 0 ] || [[ "$output" == *"not implemented"* ]]; then
        skip "'perfcmp $1' is not implemented yet"
    fi
}

# glob_escape NAME: NAME as an fnmatch pattern matching only itself.
glob_escape() {
    printf '%s' "$1" | sed 's/[][\\*?]/\\&/g'
}

@test "plot trend draws every hostile name and runs nothing" {
    skip_unless_implemented plot
    command -v gnuplot > /dev/null || skip "gnuplot is not installed"
    record_two
    local n bad=0
    for n in "${NAMES[@]}"; do
        rm -f trend.svg
        run --separate-stderr perfcmp plot trend "$(glob_escape "$n")" -o trend.svg
        if [ "$status" -ne 0 ] || [ ! -s trend.svg ]; then
            echo "plot trend '$n': exit $status: $stderr" >&2; bad=1
        fi
        assert_not_pwned
    done
    [ "$bad" -eq 0 ]
}

@test "plot compare writes names and titles as SVG text and runs nothing" {
    skip_unless_implemented plot
    command -v gnuplot > /dev/null || skip "gnuplot is not installed"
    # without the names starting with "'" (see the test just below)
    local names=() n
    for n in "${NAMES[@]}"; do [[ "$n" == "'"* ]] || names+=("$n"); done
    mkinj one.json 1 "${names[@]}"
    mkinj two.json 1.5 "${names[@]}"
    perfcmp record one.json two.json
    run perfcmp baseline save base --run=1
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp plot compare 2 --baseline=base -o cmp.svg \
        --title '`touch pwned` system("touch pwned") <b>&</b>'
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
    [ -s cmp.svg ]
    # gnuplot escapes '<' and '&' (a bare '>' is valid XML text)
    grep -qE '&lt;script(&gt;|>)' cmp.svg
    ! grep -qF '<script' cmp.svg
    ! grep -qF '<b>' cmp.svg
    grep -qF '`touch pwned`' cmp.svg
    assert_not_pwned
}

@test "plot --script-only keeps every name inside single quotes" {
    skip_unless_implemented plot
    record_two
    run perfcmp baseline save base --run=1
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp plot compare 2 --baseline=base -o cmp.svg --script-only
    [ "$status" -eq 0 ]
    # no double-quoted string holds a name (gnuplot expands escapes there),
    # and no backtick stands outside a single-quoted string
    ! grep -qF '"`touch pwned`' <<< "$output"
    local outside
    outside=$(printf '%s\n' "$output" | sed "s/'\([^']\|''\)*'//g" | grep -F '`' || true)
    [ -z "$outside" ] || { echo "backtick outside single quotes: $outside" >&2; return 1; }
    assert_not_pwned
}

@test "the HTML report escapes names and notes" {
    skip_unless_implemented report
    record_two
    run perfcmp baseline save base --run=1
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp report --html out --baseline=base
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
    [ -s out/index.html ]
    ! grep -rqF '<script>alert' out
    grep -qF '&lt;script&gt;alert' out/index.html
    grep -qF 'a &amp; b &lt; c &gt; d' out/index.html
    ! grep -qF '<script' out/index.html
    assert_not_pwned
}

@test "the HTML report escapes names that do not start with a quote" {
    # the test above also covers names starting with "'", which gnuplot
    # 5.4 misreads as '' when doubled ('''x'); this one checks escaping alone
    skip_unless_implemented report
    local names=() n
    for n in "${NAMES[@]}"; do [[ "$n" == "'"* ]] || names+=("$n"); done
    mkinj one.json 1 "${names[@]}"
    mkinj two.json 1.5 "${names[@]}"
    run perfcmp record --note '<i>note</i> & "q"' one.json
    [ "$status" -eq 0 ]
    run perfcmp record two.json
    [ "$status" -eq 0 ]
    run perfcmp baseline save base --run=1
    [ "$status" -eq 0 ]
    run --separate-stderr perfcmp report --html out --baseline=base
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
    ! grep -rqF '<script>alert' out
    grep -qF '&lt;script&gt;alert' out/index.html
    grep -qF 'a &amp; b &lt; c &gt; d' out/index.html
    ! grep -qF '<i>note</i>' out/index.html
    assert_not_pwned
}

@test "plot trend draws a benchmark whose name starts with a quote" {
    skip_unless_implemented plot
    command -v gnuplot > /dev/null || skip "gnuplot is not installed"
    mkinj one.json 1 "'quoted"
    mkinj two.json 1.5 "'quoted"
    perfcmp record one.json two.json
    run --separate-stderr perfcmp plot trend "'quoted" -o t.svg
    echo "$stderr" >&2
    [ "$status" -eq 0 ]
    [ -s t.svg ]
}
