# Shared setup for the command-line tests. Load with: load helpers
#
#   PERFCMP_ROOT  the repository (set by scripts/run-tests.sh; else derived)
#   BUILD         build directory name (default build)
#
# Every test runs in its own empty temporary directory ($WORK) with its own
# database ($PERFCMP_DB), so tests never see each other's data.

PERFCMP_ROOT=${PERFCMP_ROOT:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
BUILD=${BUILD:-build}
PERFCMP_BIN=${PERFCMP_BIN:-$PERFCMP_ROOT/$BUILD/perfcmp}
FIXTURES=$PERFCMP_ROOT/$BUILD/fixtures
EXAMPLES=$PERFCMP_ROOT/$BUILD/examples
DATA=$PERFCMP_ROOT/tests/data
export NO_COLOR=1

setup() {
    WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/perfcmp-test.XXXXXX")
    export PERFCMP_DB=$WORK/perfcmp.db
    cd "$WORK"
}

teardown() {
    cd /
    rm -rf "$WORK"
}

perfcmp() {
    "$PERFCMP_BIN" "$@"
}

# A checksum of the database's logical content (schema and rows), to show
# that a failed command changed nothing.  Prints "absent" when there is none.
db_checksum() {
    local db=${1:-$PERFCMP_DB}
    if [ -f "$db" ]; then
        sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1
    else
        echo absent
    fi
}

# Asserts that $output is exactly one line.
assert_one_line() {
    local n
    n=$(printf '%s\n' "$output" | wc -l)
    if [ "$n" -ne 1 ]; then
        echo "expected one line, got $n:" >&2
        printf '%s\n' "$output" >&2
        return 1
    fi
}

# noisy_history: records one benchmark at 8 levels (run-to-run noise of
# about 8%, 5 samples each with 0.4% spread inside a run), baseline = the first.
noisy_history() {
    local k i=0
    for k in 1.00 1.08 0.95 1.05 0.93 1.02 1.07 0.96; do
        i=$((i + 1))
        "$PERFCMP_ROOT/tests/stress/mkresults.sh" -b 1 -k "$k" -m "h$i" -i build-1 > "h$i.json"
        perfcmp record "h$i.json" > /dev/null
    done
    perfcmp baseline save --run 1 > /dev/null
}

# interrupt_once_stored OUT BEFORE ARGS...: runs `perfcmp ARGS...` with its
# stdout in a pipe that nobody reads until the database holds more than
# BEFORE runs; when the output is larger than a pipe holds, perfcmp is then
# blocked writing it after its commit.  Sends SIGINT there, lets the pipe
# drain into OUT and sets STORED_RC to perfcmp's exit status (its stderr
# goes to the test's).  Waits up to a minute: valgrind runs it too.
interrupt_once_stored() {
    local out=$1 before=$2 i
    shift 2
    rm -f go
    ( env --default-signal=INT "$PERFCMP_BIN" "$@" 2> stored.err &
      echo $! > pc.pid
      rc=0
      wait $! || rc=$?
      echo "$rc" > pc.rc ) |
        { while [ ! -e go ]; do sleep 0.05; done; cat > "$out"; } &
    for i in $(seq 1 1200); do
        [ "$(sqlite3 "$PERFCMP_DB" 'SELECT COUNT(*) FROM runs' 2>/dev/null || echo 0)" -gt "$before" ] && break
        sleep 0.05
    done
    sleep 0.2
    kill -INT "$(cat pc.pid)"
    touch go
    wait
    cat stored.err >&2
    STORED_RC=$(cat pc.rc)
}
