#!/usr/bin/env bash
# Builds the libFuzzer targets tests/fuzz/fuzz_*.c and runs each of them.
#
#   FUZZ_TIME     seconds per target (default 60); 0 replays the seeds once
#   FUZZ_TARGETS  names to run (default all): "results import_gbench"
#   FUZZ_JOBS     targets run at the same time (default 1)
#   FUZZ_BUILD    build directory (default build-fuzz)
#   FUZZ_MAX_LEN  largest input tried, bytes (default 16384)
#
# The tool's objects (src/core, src/lib, src/cli without main.c) are built
# by the Makefile with clang and -fsanitize=fuzzer-no-link,address,undefined
# into $FUZZ_BUILD/obj; each target links them with -fsanitize=fuzzer.
# Corpora live in $FUZZ_BUILD/corpus/NAME and grow from run to run; they
# are seeded with tests/fuzz/seeds/NAME/ when it exists, else with every
# file under tests/data/ (valid and malformed result files).  Crashing
# inputs land in $FUZZ_BUILD/artifacts/NAME/; copy one into
# tests/data/bad/fuzz-*.json to keep it as a regression test.
# Prints one line per target (seconds it ran, executions, corpus size,
# crashing inputs kept) and appends it to $FUZZ_BUILD/summary.txt; exits 1
# if any target crashed, 2 if something did not build.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_JOBS=${FUZZ_JOBS:-1}
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-16384}
CC=${FUZZ_CC:-clang}

command -v "$CC" >/dev/null || { echo "fuzz: $CC is needed (apt-get install clang)" >&2; exit 2; }

# 1. the project's objects, instrumented
if ! make -s BUILD="$FUZZ_BUILD" CC="$CC" CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" \
        SANITIZE=address,undefined fuzz-objs; then
    echo "fuzz: building the project's objects failed" >&2
    exit 2
fi
mapfile -t objs < "$FUZZ_BUILD/fuzz-objs.txt"
# As an archive, a target pulls in only the modules it needs (and does not
# depend on unrelated ones being complete).
rm -f "$FUZZ_BUILD/libfuzzobjs.a"
ar rcs "$FUZZ_BUILD/libfuzzobjs.a" "${objs[@]}"

# 2. the targets
mkdir -p "$FUZZ_BUILD/fuzz" "$FUZZ_BUILD/logs"
targets=()
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    name=${name#fuzz_}
    if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then
        continue
    fi
    bin=$FUZZ_BUILD/fuzz/fuzz_$name
    # shellcheck disable=SC2046
    if ! "$CC" -std=c11 -D_GNU_SOURCE -O1 -g -Iinclude -Isrc -Isrc/core \
            $(pkg-config --cflags libcjson sqlite3 libpq) \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer -o "$bin" "$src" "$FUZZ_BUILD/libfuzzobjs.a" \
            $(pkg-config --libs libcjson sqlite3 libpq) -lm 2> "$FUZZ_BUILD/logs/build_$name.log"; then
        echo "fuzz: fuzz_$name does not build:" >&2
        head -n 20 "$FUZZ_BUILD/logs/build_$name.log" >&2
        exit 2
    fi
    targets+=("$name")
done

# 3. corpora
seed() {
    local name=$1 dir=$FUZZ_BUILD/corpus/$1
    mkdir -p "$dir"
    if [ -d "tests/fuzz/seeds/$name" ]; then
        cp -f tests/fuzz/seeds/"$name"/* "$dir"/
    else
        find tests/data -type f ! -name '*.md' -size -"$FUZZ_MAX_LEN"c -print0 |
        while IFS= read -r -d '' f; do
            cp -f "$f" "$dir/seed-$(echo "$f" | tr '/' '_')"
        done
    fi
}

# 4. fuzzing
run_one() {
    local name=$1 log=$FUZZ_BUILD/logs/$1.log art=$FUZZ_BUILD/artifacts/$1/
    local dict=() args=()
    mkdir -p "$art"
    if [ ! -d "tests/fuzz/seeds/$name" ]; then     # a JSON target
        dict=(-dict=tests/fuzz/json.dict)
    fi
    if [ "$FUZZ_TIME" -gt 0 ]; then
        args=(-max_total_time="$FUZZ_TIME")
    else
        args=(-runs=0)
    fi
    local t0=${EPOCHREALTIME/./}
    "$FUZZ_BUILD/fuzz/fuzz_$name" "${args[@]}" "${dict[@]}" -max_len="$FUZZ_MAX_LEN" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art" "$FUZZ_BUILD/corpus/$name" > "$log" 2>&1
    local rc=$?
    local secs=$(( (${EPOCHREALTIME/./} - t0) / 1000000 ))
    local execs crashes corpus
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    corpus=$(find "$FUZZ_BUILD/corpus/$name" -type f | wc -l)
    crashes=$(find "$art" -type f | wc -l)
    printf 'fuzz_%-18s %4ss  %10s executions  corpus %6s  artifacts %s  exit %s\n' \
        "$name" "$secs" "${execs:-?}" "$corpus" "$crashes" "$rc" | tee -a "$FUZZ_BUILD/summary.txt"
    if [ "$rc" -ne 0 ]; then
        grep -m 3 -E 'ERROR|SUMMARY|runtime error|contract broken' "$log" >&2
        return 1
    fi
    return 0
}

failed=0
running=0
for name in "${targets[@]}"; do
    seed "$name"
    run_one "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$FUZZ_JOBS" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
    echo "fuzz: a target crashed; inputs are under $FUZZ_BUILD/artifacts/, logs under $FUZZ_BUILD/logs/" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
