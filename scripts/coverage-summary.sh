#!/bin/sh
# Lines and branches covered, from an lcov tracefile (make coverage):
#   coverage-summary.sh INFO           per directory of src/, then all of src/
#   coverage-summary.sh INFO --files   per file, the most uncovered lines first
#   coverage-summary.sh INFO --raw     "NAME LH LF BRH BRF" per directory,
#                                      per file and for src/ (for scripts)
# Paths are shown relative to the repository (src/cli/import.c).
set -eu
[ $# -ge 1 ] || { echo "usage: coverage-summary.sh INFO [--files|--raw]" >&2; exit 2; }
info=$1
mode=${2:-dirs}
root=$(cd "$(dirname "$0")/.." && pwd)

awk -v root="$root/" -v mode="$mode" '
function pct(h, n) { return n ? sprintf("%5.1f%%", 100 * h / n) : "    -" }
function row(name, lh, lf, bh, bf) {
    if (mode == "--raw")
        printf "%s %d %d %d %d\n", name, lh, lf, bh, bf
    else
        printf "%-28s %6d / %-6d %s   %6d / %-6d %s\n", name, lh, lf, pct(lh, lf), bh, bf, pct(bh, bf)
}
/^SF:/ { f = substr($0, 4)
         if (index(f, root) == 1) f = substr(f, length(root) + 1)
         else if ((i = index(f, "/src/")) > 0) f = substr(f, i + 1)   # made in another clone
         d = f; sub(/\/[^\/]*$/, "", d); files[f] = 1; dirs[d] = 1 }
/^LF:/ { lf[f] += substr($0, 4); dlf[d] += substr($0, 4); tlf += substr($0, 4) }
/^LH:/ { lh[f] += substr($0, 4); dlh[d] += substr($0, 4); tlh += substr($0, 4) }
/^BRF:/ { bf[f] += substr($0, 5); dbf[d] += substr($0, 5); tbf += substr($0, 5) }
/^BRH:/ { bh[f] += substr($0, 5); dbh[d] += substr($0, 5); tbh += substr($0, 5) }
END {
    if (mode != "--raw")
        printf "%-28s %22s   %22s\n", mode == "--files" ? "file" : "directory", "lines", "branches"
    if (mode == "--files" || mode == "--raw")
        for (f in files) sorted[f] = lf[f] - lh[f]
    if (mode == "--files") {
        n = 0
        for (f in sorted) keys[++n] = f
        for (i = 2; i <= n; i++) {       # insertion sort: most uncovered first
            k = keys[i]
            for (j = i - 1; j >= 1 && (sorted[keys[j]] < sorted[k] || \
                 (sorted[keys[j]] == sorted[k] && keys[j] > k)); j--)
                keys[j + 1] = keys[j]
            keys[j + 1] = k
        }
        for (i = 1; i <= n; i++) row(keys[i], lh[keys[i]], lf[keys[i]], bh[keys[i]], bf[keys[i]])
    } else {
        n = 0
        for (d in dirs) keys[++n] = d
        for (i = 2; i <= n; i++) {
            k = keys[i]
            for (j = i - 1; j >= 1 && keys[j] > k; j--) keys[j + 1] = keys[j]
            keys[j + 1] = k
        }
        for (i = 1; i <= n; i++) row(keys[i], dlh[keys[i]], dlf[keys[i]], dbh[keys[i]], dbf[keys[i]])
        if (mode == "--raw")
            for (f in files) row(f, lh[f], lf[f], bh[f], bf[f])
    }
    row("src/ (all)", tlh, tlf, tbh, tbf)
}' "$info"
