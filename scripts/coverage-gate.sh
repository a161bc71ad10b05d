#!/bin/sh
# The coverage gate of CI (.ci/run), after `make coverage`: prints the
# covered lines of src/, src/core and src/cli/import.c against their
# floors and exits 1 if any is below its floor (2 if there is no report).
#   coverage-gate.sh [INFO]   default build-cov/coverage/lcov.info
# The floors are what was measured when they were set, less a small margin
# (docs/reliability.md, "Test coverage"): raise them when coverage rises,
# so that it cannot fall back unnoticed.
set -eu
cd "$(dirname "$0")/.."
info=${1:-build-cov/coverage/lcov.info}

# NAME FLOOR (percent of lines)
FLOORS='
src/ (all) 84
src/core 89
src/cli/import.c 86
'

[ -r "$info" ] || { echo "coverage-gate: no report '$info' (run make coverage)" >&2; exit 2; }
raw=$(scripts/coverage-summary.sh "$info" --raw)

status=0
printf '%s\n' "$FLOORS" | { bad=0; while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=${line% *}
    floor=${line##* }
    figures=$(printf '%s\n' "$raw" | awk -v n="$name" '
        { lf = $(NF - 2); lh = $(NF - 3); k = $0; for (i = 0; i < 4; i++) sub(/ [0-9]+$/, "", k) }
        k == n { printf "%d %d %.1f", lh, lf, lf ? 100 * lh / lf : 0; found = 1 }
        END { if (!found) print "missing" }')
    if [ "$figures" = missing ]; then
        echo "coverage-gate: $name: not in the report"
        bad=1
        continue
    fi
    set -- $figures
    if awk -v h="$1" -v n="$2" -v f="$floor" 'BEGIN { exit !(100 * h >= f * n) }'; then
        verdict=ok
    else
        verdict="BELOW THE FLOOR"
    fi
    printf 'coverage-gate: %-18s lines %5s%% (%s of %s), floor %s%%: %s\n' \
        "$name" "$3" "$1" "$2" "$floor" "$verdict"
    [ "$verdict" = ok ] || bad=1
done; exit "$bad"; } || status=1
[ "$status" = 0 ] || echo "coverage-gate: coverage fell below a floor (see build-cov/coverage/html/index.html)"
exit "$status"
