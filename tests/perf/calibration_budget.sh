#!/usr/bin/env bash
# calibration_budget.sh - does calibration honour the time budget?  Runs
# bench binaries at several --min-time budgets and prints a table (in
# Markdown) of how long each benchmark's samples lasted together, as a
# percentage of the budget: total = sum(wall_time samples) x iterations,
# from the result files.  Issue 15: within -20% / +100% of the budget,
# unless a single iteration is longer than a sample.
#
#   tests/perf/calibration_budget.sh [-b "0.01 0.05 0.5 2"] [-d DIR] [-r] [-l NS] [CMD]...
#
#   CMD  a bench binary with its flags, one argument each, split into
#        words as the shell would: "build/examples/bench_examples
#        --tags='not slow'"; default: the examples and every fixture
#        of $BUILD (isolation's well-behaved benchmarks only)
#   -b   the budgets in seconds (default "0.01 0.05 0.5 2")
#   -d   keep the result files in DIR (default: a temporary directory,
#        removed at the end)
#   -r   do not run anything: tabulate the result files already in DIR
#        (written by an earlier run with -d)
#   -l   add NS ns per iteration to wall_time: the measured loop's own
#        cost, which the library subtracts from wall_time but a sample
#        does take (about 0.3 ns; it matters only for benchmarks of a few
#        ns per iteration); default 0
#
# Cells: "98%" in range; "*12%*" out of range; "1 it" when a sample is one
# iteration longer than a sample's share of the budget (the budget cannot
# be kept); "fixed" when the iterations are the same at every budget (set
# by the benchmark: .iterations).  The last lines count them per budget.
# Prints timings: run it on a quiet machine, and note the load (uptime).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
budgets="0.01 0.05 0.5 2"
dir=
reuse=0
loop_ns=0
while getopts "b:d:rl:" opt; do
    case $opt in
    b) budgets=$OPTARG ;;
    d) dir=$OPTARG ;;
    r) reuse=1 ;;
    l) loop_ns=$OPTARG ;;
    *) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

if [ "$reuse" = 1 ] && [ -z "$dir" ]; then
    echo "error: -r needs -d DIR" >&2
    exit 2
fi
if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/calibration-budget.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"

if [ $# -eq 0 ]; then
    set -- "$root/$BUILD/examples/bench_examples"
    for f in "$root/$BUILD"/fixtures/*; do
        case $f in
        *.d) ;;
        */isolation) set -- "$@" "$f --tags=normal" ;;
        *) set -- "$@" "$f" ;;
        esac
    done
fi

if [ "$reuse" = 0 ]; then
    echo "uptime before: $(uptime)" > "$dir/load.txt"
    for b in $budgets; do
        for cmd in "$@"; do
            # the words of the command, quotes as the shell reads them
            argv=()
            eval "argv=($cmd)"
            name=$(basename "${argv[0]}")
            "${argv[@]}" --min-time="$b" --quiet --out="$dir/$name@$b.json" ||
                echo "warning: '$cmd' exited with status $? at --min-time=$b" >&2
        done
    done
    echo "uptime after: $(uptime)" >> "$dir/load.txt"
fi

# shellcheck disable=SC2086 # one argument per budget
python3 - "$dir" "$loop_ns" $budgets <<'EOF'
import glob, json, os, statistics, sys

d, loop_ns, budgets = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
rows = {}          # benchmark -> {budget: (ratio, iterations, median wall)}
order = []
for b in budgets:
    for path in sorted(glob.glob(os.path.join(d, "*@%s.json" % b))):
        binary = os.path.basename(path).rsplit("@", 1)[0]
        with open(path) as f:
            run = json.load(f)
        for bench in run["benchmarks"]:
            if bench["status"] != "ok":
                continue
            wall = next((m for m in bench["metrics"] if m["name"] == "wall_time"), None)
            if not wall or not wall["samples"]:
                continue
            key = binary + " " + bench["name"]
            if key not in rows:
                rows[key] = {}
                order.append(key)
            total = (sum(wall["samples"]) + loop_ns * len(wall["samples"])) * bench["iterations"]
            rows[key][b] = (total / (float(b) * 1e9), bench["iterations"],
                            statistics.median(wall["samples"]), len(wall["samples"]))

def cell(key, b):
    r = rows[key].get(b)
    if r is None:
        return "-", "missing"
    ratio, iters, med, n = r
    target = float(b) * 1e9 / n
    if iters == 1 and med >= target:
        return "1 it", "exempt"
    its = {v[1] for v in rows[key].values()}
    if len(budgets) > 1 and len(rows[key]) == len(budgets) and len(its) == 1:
        return "fixed", "exempt"
    text = "%.0f%%" % (100 * ratio)
    if 0.8 <= ratio <= 2.0:
        return text, "ok"
    return "*%s*" % text, "bad"

print("| benchmark | " + " | ".join("%s s" % b for b in budgets) + " |")
print("|---|" + "---|" * len(budgets))
for key in order:
    print("| `%s` | " % key + " | ".join(cell(key, b)[0] for b in budgets) + " |")
print()
for b in budgets:
    kinds = [cell(k, b)[1] for k in order]
    ratios = [rows[k][b][0] for k in order if cell(k, b)[1] in ("ok", "bad")]
    spread = ""
    if ratios:
        spread = ", in scope from %.0f%% to %.0f%% (median %.0f%%)" % (
            100 * min(ratios), 100 * max(ratios), 100 * statistics.median(ratios))
    print("- %s s: %d in range, %d out of range, %d exempt%s" % (
        b, kinds.count("ok"), kinds.count("bad"), kinds.count("exempt"), spread))
load = os.path.join(d, "load.txt")
if os.path.exists(load):
    print()
    for line in open(load):
        print("- " + line.strip())
EOF
