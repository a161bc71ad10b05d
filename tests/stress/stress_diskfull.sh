#!/usr/bin/env bash
# A full disk under `perfcmp record`, two ways:
#
#   tmpfs   (root with mount(8) only) the database lives on a tmpfs of
#           STRESS_FS_KB KiB (default 1024): writes fail with ENOSPC;
#   ulimit  (always) `ulimit -f STRESS_FS_KB` with SIGXFSZ ignored: writes
#           past that size fail with EFBIG.
#
# Runs of 200 benchmarks x 20 samples are recorded until one fails.  Then:
# that record exited 2 with one error line, the database passes
# integrity_check, holds exactly the runs recorded before, each whole,
# and still answers `runs`; once there is room again, recording works.
. "$(dirname "$0")/lib.sh"
B=200
KB=${STRESS_FS_KB:-1024}
cd "$STRESS_TMP" || exit 2
summary=()
trap 'umount "$STRESS_TMP/tmpfs" 2>/dev/null; stress_cleanup' EXIT

scenario() {
    local mode=$1 dir=$STRESS_TMP/$1 ok=0 rc=0 k msg=
    mkdir -p "$dir"
    if [ "$mode" = tmpfs ]; then
        mount -t tmpfs -o size=${KB}k perfcmp-stress "$dir" 2>/dev/null || {
            summary+=("tmpfs: skipped (mount failed)"); return 0; }
    fi
    export PERFCMP_DB=$dir/perfcmp.db
    for k in $(seq 1 200); do
        "$MKRESULTS" -b "$B" -s 20 -m "full-$k" > in.json
        if [ "$mode" = tmpfs ]; then
            "$PERFCMP_BIN" record in.json > /dev/null 2> err.txt
        else
            ( trap '' XFSZ; ulimit -f "$KB"; exec "$PERFCMP_BIN" record in.json ) > /dev/null 2> err.txt
        fi
        rc=$?
        [ "$rc" -eq 0 ] || break
        ok=$((ok + 1))
    done
    if [ "$rc" -eq 0 ]; then
        fail "$mode: 200 runs fit in $KB KiB: the disk never filled"
    else
        [ "$rc" -eq 2 ] || fail "$mode: record on a full disk exited $rc (expected 2)"
        [ "$(wc -l < err.txt)" -eq 1 ] || fail "$mode: record on a full disk printed $(wc -l < err.txt) lines: $(head -c 500 err.txt)"
        grep -q '^error: ' err.txt || fail "$mode: no 'error: ' line: $(head -c 300 err.txt)"
        msg=$(head -n 1 err.txt)
    fi
    [ "$ok" -gt 0 ] || fail "$mode: no run fitted before the disk was full"
    local out
    out=$(perfcmp runs 2>&1 >/dev/null) || fail "$mode: runs fails on the full disk: $out"
    check_db_whole "$PERFCMP_DB" "$B"
    local n
    n=$(sql "$PERFCMP_DB" 'SELECT COUNT(*) FROM runs')
    [ "$n" = "$ok" ] || fail "$mode: $ok records succeeded but $n runs are stored"
    # room again
    if [ "$mode" = tmpfs ]; then
        mount -o remount,size=$((KB * 8))k "$dir" || fail "cannot grow the tmpfs"
    fi
    "$PERFCMP_BIN" record in.json > /dev/null 2> err.txt || fail "$mode: record once there is room: $(cat err.txt)"
    check_db_whole "$PERFCMP_DB" "$B"
    [ "$mode" = tmpfs ] && umount "$dir"
    summary+=("$mode: $ok runs fitted in $KB KiB, the next exited $rc: $msg")
}

if [ "$(id -u)" -eq 0 ]; then
    scenario tmpfs
else
    summary+=("tmpfs: skipped (not root)")
fi
scenario ulimit

echo "diskfull: ${summary[*]}; database intact each time, recording works once there is room; $failures check(s) failed"
[ "$failures" -eq 0 ]
