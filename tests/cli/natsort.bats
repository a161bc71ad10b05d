#!/usr/bin/env bats
# Benchmarks are shown in natural order (family, then numeric arguments by
# value) wherever perfcmp chooses the order: trend, plot trend, plot
# compare, and the HTML report.

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py
ORDER='hash/64 qsort/16 qsort/256 qsort/1024 qsort/16384'

# 6 runs whose result files list the benchmarks in text-unfriendly order
# (qsort/1024 first, hash/64 last); baseline = run 1.
record_sizes() {
    python3 "$GEN" "$WORK/data" --runs 6 --bench qsort/1024 --flat qsort/16 \
        --flat qsort/16384 --flat qsort/256 --flat hash/64
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    perfcmp baseline save --run 1 >/dev/null
}

# Joins stdin's lines with spaces.
words() {
    tr '\n' ' ' | sed 's/ $//'
}

@test "the result files really list the sizes out of order" {
    record_sizes
    run perfcmp show latest
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -oE '^(qsort|hash)/[0-9]+' | words)" = \
      'qsort/1024 qsort/16 qsort/16384 qsort/256 hash/64' ]
}

@test "trend lists benchmarks in natural order" {
    record_sizes
    run perfcmp trend
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -oE '^[a-z]+/[0-9]+' | words)" = "$ORDER" ]
}

@test "plot trend draws its panels in natural order" {
    record_sizes
    run perfcmp plot trend 'qsort/*' --script-only
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | sed -n "s/^set title '\(.*\)'$/\1/p" | words)" = \
      'qsort/16 qsort/256 qsort/1024 qsort/16384' ]
}

@test "plot compare draws its bars in natural order" {
    record_sizes
    run perfcmp plot compare --script-only
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | sed -n "s/^L\[[0-9]*\] = '\(.*\)'$/\1/p" | words)" = "$ORDER" ]
}

@test "the HTML report orders its verdict table and its trend sections naturally" {
    record_sizes
    run perfcmp report --html rep
    [ "$status" -eq 0 ]
    [ "$(grep -o '<td class="name">[^<]*' rep/index.html | sed 's/.*>//' | words)" = "$ORDER" ]
    [ "$(grep -o '<h3>[^<]*' rep/index.html | sed 's/.*>//' | words)" = "$ORDER" ]
}
