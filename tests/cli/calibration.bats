#!/usr/bin/env bats
# Calibration of the iterations per sample (issue 15): a cold first
# iteration must not decide them.  Fixture: tests/fixtures/cold.c, whose
# iterations spin 20 us on the wall clock and the very first one 1 ms.
# Assertions are on iteration counts only: a busy machine can make the
# spins longer, and so the counts lower, never higher; the bounds leave
# room for 3x, and the old calibration chose 2 (and 1) where about 83
# (and 17) fit.

load helpers

COLD=$FIXTURES/cold

# Prints the iterations per sample of the table row of benchmark $1 in
# $output ("cold_first  20.05 us  0.0%  82 x 30 ...").
iterations_of() {
    printf '%s\n' "$output" | awk -v name="$1" '$1 == name { for (i = 2; i < NF; i++) if ($(i + 1) == "x") { print $i; exit } }'
}

# Asserts that $1 is an integer from $2 to $3.
in_range() {
    if ! [ "$1" -ge "$2" ] 2>/dev/null || [ "$1" -gt "$3" ]; then
        echo "expected $2 to $3 iterations, got '$1'" >&2
        printf '%s\n' "$output" >&2
        return 1
    fi
}

@test "a first iteration 50x slower does not shrink the iterations: 0.05 s gives about 83, not 2" {
    # 0.05 s / 30 samples = 1.67 ms a sample = 83 iterations of 20 us
    run "$COLD" --no-fork --no-heap --filter=cold_first --min-time=0.05
    [ "$status" -eq 0 ]
    in_range "$(iterations_of cold_first)" 27 104
}

@test "a first iteration longer than a sample does not make it one iteration: 0.01 s gives about 17" {
    # 0.01 s / 30 = 333 us: the 1 ms first iteration alone exceeds it
    run "$COLD" --no-fork --no-heap --filter=cold_first --min-time=0.01
    [ "$status" -eq 0 ]
    in_range "$(iterations_of cold_first)" 5 21
}

@test "calibration in the benchmark's own process is not fooled either" {
    run "$COLD" --no-heap --filter=cold_first --min-time=0.05
    [ "$status" -eq 0 ]
    in_range "$(iterations_of cold_first)" 27 104
}
