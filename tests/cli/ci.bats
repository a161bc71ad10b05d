#!/usr/bin/env bats
# docs/ci.md, run as written: each shell block marked `# ci-step: NAME` is
# taken from the page and run in a git repository of its own, with
# `perfcmp` on PATH and `./bench` a real bench binary (the chain benchmark
# of tests/fixtures/slowdown.c, whose work PERFCMP_SLOWDOWN multiplies).
# Wall-time verdicts depend on the machine, so for them only the exit
# status's range and the files are checked; instruction counts are exact,
# so the noise-free workflow is checked verdict by verdict.

bats_require_minimum_version 1.5.0
load helpers

# The lines of the block of docs/ci.md marked '# ci-step: NAME'.
ci_step() {
    awk -v name="$1" '
        /^ *```/ {
            if (inblock && hit) exit
            inblock = !inblock; first = 1; hit = 0; next
        }
        inblock && first { first = 0; line = $0; sub(/^ +/, "", line)
                           if (line == "# ci-step: " name) { hit = 1; next } }
        inblock && hit { sub(/^ +/, ""); print }
    ' "$PERFCMP_ROOT/docs/ci.md"
}

# run_step NAME: runs that block with bash -e, as a CI job would.
run_step() {
    local script
    script=$(ci_step "$1")
    [ -n "$script" ] || { echo "no block '# ci-step: $1' in docs/ci.md" >&2; return 1; }
    run --separate-stderr bash -ec "$script"
}

setup() {
    WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/perfcmp-test.XXXXXX")
    cd "$WORK"
    unset PERFCMP_DB            # the default .perfcmp/perfcmp.db, as on a runner
    mkdir bin
    ln -s "$PERFCMP_BIN" bin/perfcmp
    export PATH=$WORK/bin:$PATH
    cat > bench <<EOF
#!/bin/sh
exec "$FIXTURES/slowdown" --min-time=0.01 --samples=5 --filter='chain/*' "\$@"
EOF
    chmod +x bench
    git init -q .
    git config user.email ci@example.invalid
    git config user.name ci
    printf '%s\n' .perfcmp/ bin/ bench 'perf-*' > .gitignore
    git add .gitignore
    git commit -q -m init
}

@test "docs/ci.md: every step named on the page exists" {
    local name
    for name in save-baseline check comment save-baseline-instr check-instr history pinned \
                ab-build ab-check; do
        [ -n "$(ci_step "$name")" ] || { echo "missing ci-step $name" >&2; false; }
    done
}

@test "docs/ci.md wall-time workflow: baseline committed, checked on an empty database, reported" {
    run_step save-baseline
    [ "$status" -eq 0 ] || { echo "$stderr" >&2; false; }
    [ "$(git ls-files baselines)" = "baselines/default.json" ]
    [ -z "$(git status --porcelain)" ]
    # a fresh runner: the committed file is the only baseline there is
    rm -rf .perfcmp
    run_step check
    [ "$status" -le 1 ] || { echo "$stderr" >&2; false; }
    printf '%s\n' "$output" |
        grep -q "^comparing run 1 with baseline 'default' (baselines/default.json): wall_time, "
    python3 - <<'EOF'
import xml.etree.ElementTree as ET
root = ET.parse("perf-junit.xml").getroot()
cases = root.findall(".//testcase")
assert [c.get("name") for c in cases] == ["chain/2000"], [c.get("name") for c in cases]
EOF
    run_step comment
    [ "$status" -le 1 ]
    grep -q 'chain/2000' perf-comment.md
    run_step pinned
    [ "$status" -le 1 ] || { echo "$stderr" >&2; false; }
    run_step history
    [ "$status" -le 1 ] || { echo "$stderr" >&2; false; }
    [ -s perf-report/index.html ]
    [ "$(sqlite3 .perfcmp/perfcmp.db 'SELECT COUNT(*) FROM runs')" -eq 2 ]
}

@test "docs/ci.md instruction-count workflow: exact verdicts from a committed baseline" {
    command -v valgrind > /dev/null || skip "valgrind is not installed"
    if grep -qa __asan_init "$FIXTURES/slowdown"; then
        skip "a sanitizer build cannot run under valgrind"
    fi
    run_step save-baseline-instr
    [ "$status" -eq 0 ] || { echo "$stderr" >&2; false; }
    [ "$(git ls-files baselines)" = "baselines/default.json" ]
    rm -rf .perfcmp
    # the same code: the same count, exit 0 whatever the machine is doing
    run_step check-instr
    [ "$status" -eq 0 ] || { echo "$output $stderr" >&2; false; }
    [[ "$output" == *"chain/2000"*"unchanged"* ]]
    ! grep -q '<failure' perf-junit.xml
    # 50% more work per iteration: regressed, a failure in the JUnit file
    PERFCMP_SLOWDOWN=1.5 run_step check-instr
    [ "$status" -eq 1 ] || { echo "$output $stderr" >&2; false; }
    [[ "$output" == *"chain/2000"*"regressed"* ]]
    grep -q '<failure type="regressed"' perf-junit.xml
}

# make_ab_project: a project whose `make bench` writes ./bench, the chain
# benchmark with PERFCMP_SLOWDOWN set from the committed file work.txt
# (1), committed on branch main, so that a commit can change the code's
# speed.
make_ab_project() {
    cat > Makefile <<'EOF'
bench: work.txt
	printf '#!/bin/sh\nPERFCMP_SLOWDOWN=%s exec "%s" --filter="chain/*" "$$@"\n' "$$(cat work.txt)" "@FIXTURE@" > $@
	chmod +x $@
EOF
    sed -i "s|@FIXTURE@|$FIXTURES/slowdown|" Makefile
    echo 1 > work.txt
    printf '%s\n' build-base/ >> .gitignore
    git add Makefile work.txt .gitignore
    git commit -q -m "the benchmarks"
    git branch -M main
    rm -f bench
}

@test "docs/ci.md interleaved A/B: merge base and head built apart, a 3x slowdown on the head is regressed" {
    make_ab_project
    git checkout -q -b topic
    echo 3 > work.txt
    git commit -q -am "three times the work"
    BASE_REF=main run_step ab-build
    [ "$status" -eq 0 ] || { echo "$output $stderr" >&2; false; }
    grep -q 'PERFCMP_SLOWDOWN=1 ' build-base/bench
    grep -q 'PERFCMP_SLOWDOWN=3 ' bench
    BASE_REF=main run_step ab-check
    [ "$status" -eq 1 ] || { echo "$output $stderr" >&2; false; }
    [[ "$output" == *"chain/2000"*"regressed"*"paired, 10 rounds"* ]]
    grep -q '<failure type="regressed"' perf-junit.xml
    # both runs recorded, each with its commit
    run perfcmp runs
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" == *"$(git rev-parse --short=7 topic)"* ]]
    [[ "${lines[2]}" == *"$(git rev-parse --short=7 main)"* ]]
}

@test "docs/ci.md interleaved A/B: a head that does not change the code" {
    make_ab_project
    git checkout -q -b docs-only
    echo "words" > README
    git add README
    git commit -q -m "documentation only"
    BASE_REF=main run_step ab-build
    [ "$status" -eq 0 ] || { echo "$output $stderr" >&2; false; }
    BASE_REF=main run_step ab-check
    # wall time: the verdict depends on the machine; the table and the files do not
    [ "$status" -le 1 ] || { echo "$output $stderr" >&2; false; }
    [[ "$output" == *"comparing HEAD './bench' (run 2) with BASE 'build-base/bench' (run 1)"* ]]
    [[ "$output" == *"chain/2000"*"paired, 10 rounds"* ]]
    python3 - <<'EOF'
import xml.etree.ElementTree as ET
root = ET.parse("perf-junit.xml").getroot()
assert [c.get("name") for c in root.findall(".//testcase")] == ["chain/2000"]
EOF
    [ "$(sqlite3 .perfcmp/perfcmp.db 'SELECT COUNT(*) FROM runs')" -eq 2 ]
}
