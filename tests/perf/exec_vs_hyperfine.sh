#!/usr/bin/env bash
# exec_vs_hyperfine.sh - perfcmp exec and hyperfine timing the same
# commands, for docs/performance.md ("perfcmp exec against hyperfine").
#
#   tests/perf/exec_vs_hyperfine.sh [ROUNDS]      (default 12)
#
#   BUILD=build   the build directory holding perfcmp
#
# Commands: true (the cost of starting a program, without and with a
# shell), grep on a 64 KiB file (a few ms), wc -l on a 20 MB file (reads
# a file), gzip -6 of 1 MB (about 100 ms of CPU).  Each round runs each
# tool once per command (2 warmup runs, 10 timed runs), in ABBA order
# (perfcmp first in rounds 1, 4, 5, 8, ...), so a slow phase of the
# machine falls on both.  Without a shell both start the program
# directly (hyperfine -N); with one, hyperfine subtracts the time of
# starting an empty shell command and perfcmp does not.  Prints per
# command and round: perfcmp's median wall and mean CPU time (ms), then
# hyperfine's, and at the end per command the medians over the rounds
# and the median and quartiles of the per-round ratio of the medians.
# A measurement of this machine now, never an assertion.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
R=${1:-12}
P=$PWD/$BUILD/perfcmp
[ -x "$P" ] || { echo "exec_vs_hyperfine.sh: '$P' not built (make BUILD=$BUILD)" >&2; exit 2; }
command -v hyperfine > /dev/null ||
    { echo "exec_vs_hyperfine.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Text of random words: 20 MB, and its first 64 KiB and 1 MB.
python3 - <<'EOF'
import random
random.seed(1)
words = ["".join(random.choice("abcdefghij") for _ in range(random.randint(2, 9)))
         for _ in range(5000)]
with open("text.txt", "w") as f:
    for _ in range(400000):
        f.write(" ".join(random.choice(words) for _ in range(8)) + "\n")
EOF
head -c 65536 text.txt > small.txt
head -c 1000000 text.txt > medium.txt

# one TOOL MODE CMD: "median-wall-ms mean-cpu-ms" of one invocation
one() {
    if [ "$1" = perfcmp ]; then
        local sh=
        [ "$2" = shell ] && sh=--shell
        "$P" --db cmp.db exec -q $sh --warmup 2 --runs 10 --out o.json -c "$3" > /dev/null
        python3 -c 'import json, statistics as s
m = {x["name"]: x["samples"] for x in json.load(open("o.json"))["benchmarks"][0]["metrics"]}
print("%.3f %.3f" % (s.median(m["wall_time"]) / 1e6, s.mean(m["cpu_time"]) / 1e6))'
    else
        local sh=-N
        [ "$2" = shell ] && sh=
        hyperfine $sh --warmup 2 --runs 10 --export-json o.json "$3" > /dev/null 2>&1
        python3 -c 'import json
d = json.load(open("o.json"))["results"][0]
print("%.3f %.3f" % (d["median"] * 1e3, (d["user"] + d["system"]) * 1e3))'
    fi
}

echo "# $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(hyperfine --version)"
for spec in "none|true" "shell|true" "none|grep -c aa small.txt" "none|wc -l text.txt" \
            "none|gzip -6 -c medium.txt"; do
    mode=${spec%%|*} c=${spec#*|}
    for round in $(seq "$R"); do
        if [ $((round % 4)) -le 1 ]; then
            a=$(one perfcmp "$mode" "$c"); b=$(one hyperfine "$mode" "$c")
        else
            b=$(one hyperfine "$mode" "$c"); a=$(one perfcmp "$mode" "$c")
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$mode" "$c" "$round" "$a" "$b"
    done
done | tee rounds.txt

python3 - rounds.txt <<'EOF'
import collections, statistics as s, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    mode, cmd, _, a, b = line.rstrip("\n").split("\t")
    pw, pc = map(float, a.split())
    hw, hc = map(float, b.split())
    rows.setdefault((mode, cmd), []).append((pw, hw, pc, hc))
print("\nshell\tcommand\tperfcmp wall\thyperfine wall\tratio: median [q1, q3]\tperfcmp cpu\thyperfine cpu")
for (mode, cmd), v in rows.items():
    r = sorted(p / h for p, h, _, _ in v if h > 0)
    q = "%.2f [%.2f, %.2f]" % (s.median(r), r[len(r) // 4], r[3 * len(r) // 4]) if r else "-"
    print("%s\t%s\t%.1f ms\t%.1f ms\t%s\t%.2f ms\t%.2f ms" % (
        mode, cmd, s.median(x[0] for x in v), s.median(x[1] for x in v), q,
        s.median(x[2] for x in v), s.median(x[3] for x in v)))
EOF
