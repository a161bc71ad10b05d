#!/usr/bin/env bash
# make test-valgrind: runs the command-line tests (tests/cli/*.bats, or the
# files given as arguments) once with every perfcmp invocation under
# valgrind memcheck, then fails if any invocation had a memory error or a
# definite leak.
#
# The child `perfcmp run` forks for the bench binary is silenced
# (--child-silent-after-fork): when exec fails it _exits at once, and
# memcheck would count the parent's argv it still holds as a leak.
#
# helpers.bash runs $PERFCMP_BIN; here it is a wrapper that execs valgrind
# with --error-exitcode=99 (so a test checking the exit status fails on the
# spot) and a log file per process (so an error in a command whose status a
# test does not check is still caught: the logs are scanned at the end).
#   BUILD   build directory holding perfcmp (default build)
#   VG_DIR  where the wrapper, the logs and bats' output go (default
#           $BUILD/valgrind); .ci/run gives each bats file its own, so
#           that two files can run at once
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
real=$PWD/$BUILD/perfcmp
[ -x "$real" ] || { echo "test-valgrind: $real is missing; run make first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "test-valgrind: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

dir=${VG_DIR:-$PWD/$BUILD/valgrind}
rm -rf "$dir"
mkdir -p "$dir/logs"
cat > "$dir/perfcmp" <<WRAP
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite -q \\
    --child-silent-after-fork=yes \\
    --log-file=$dir/logs/vg.%p.log "$real" "\$@"
WRAP
chmod +x "$dir/perfcmp"

export PERFCMP_ROOT=$PWD PERFCMP_BIN=$dir/perfcmp BUILD NO_COLOR=1
if [ "$#" -gt 0 ]; then files=("$@"); else files=(tests/cli/*.bats); fi
bats --tap "${files[@]}" > "$dir/bats.tap" 2>&1
bats_rc=$?
grep -E '^(not ok|1\.\.)' "$dir/bats.tap"
passed=$(grep -c '^ok ' "$dir/bats.tap")
failed=$(grep -c '^not ok ' "$dir/bats.tap")

# A clean run under -q leaves an empty log.
runs=$(find "$dir/logs" -name 'vg.*.log' | wc -l)
bad=$(find "$dir/logs" -name 'vg.*.log' -size +0c | sort)
nbad=0
for log in $bad; do
    if grep -qE 'Invalid|uninitialised|definitely lost|Mismatched|overlap|Syscall param|fishy' "$log"; then
        nbad=$((nbad + 1))
        echo "== $log" >&2
        head -n 40 "$log" >&2
    fi
done
echo "test-valgrind: $runs perfcmp processes under memcheck, $nbad with errors or definite leaks; bats: $passed passed, $failed failed (full output: $dir/bats.tap)"
[ "$bats_rc" -eq 0 ] && [ "$nbad" -eq 0 ]
