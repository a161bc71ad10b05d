#!/bin/sh
# Prints a valid perfcmp-results file (docs/results-format.md) on stdout.
#   mkresults.sh [-b BENCHES] [-s SAMPLES] [-m MARK] [-k SCALE] [-p PREFIX] [-i BUILD]
#   -b  number of benchmarks, named PREFIX/0 .. PREFIX/N-1 (default 3)
#   -s  wall_time samples per benchmark (default 5)
#   -m  a marker stored as the context's command and host ("run-1")
#   -k  multiplies every sample (default 1): 2 makes a run twice as slow
#   -p  benchmark name prefix (default "bench")
#   -i  the context's binary_id, naming the build that ran (default none)
# Samples are deterministic: benchmark i, sample j -> (1000 + 10 i + j) * k.
set -eu
b=3 s=5 m=run k=1 p=bench i=
while getopts b:s:m:k:p:i: o; do
    case $o in
    b) b=$OPTARG ;; s) s=$OPTARG ;; m) m=$OPTARG ;; k) k=$OPTARG ;; p) p=$OPTARG ;; i) i=$OPTARG ;;
    *) exit 2 ;;
    esac
done
awk -v b="$b" -v s="$s" -v m="$m" -v k="$k" -v p="$p" -v id="$i" 'BEGIN {
    printf "{\"schema\":\"perfcmp-results\",\"version\":1,\"context\":{"
    printf "\"timestamp\":\"2026-11-23T11:20:00Z\",\"host\":\"%s\",\"cpu_model\":\"Stress CPU\",", m
    printf "\"cpu_count\":2,\"os\":\"Linux\",\"kernel\":\"6.1.0\",\"arch\":\"x86_64\","
    printf "\"compiler\":\"cc\",\"cflags\":\"\",\"library_version\":\"0.1.0\",\"command\":\"%s\",", m
    if (id != "") printf "\"binary_id\":\"%s\",", id
    printf "\"git\":null},\"benchmarks\":["
    for (i = 0; i < b; i++) {
        printf "%s{\"name\":\"%s/%d\",\"family\":\"%s\",\"args\":[%d],\"tags\":[],", (i ? "," : ""), p, i, p, i
        printf "\"status\":\"ok\",\"iterations\":100,\"metrics\":[{\"name\":\"wall_time\","
        printf "\"unit\":\"ns\",\"direction\":\"lower\",\"samples\":["
        for (j = 0; j < s; j++) printf "%s%g", (j ? "," : ""), (1000 + 10 * i + j) * k
        printf "]}]}"
    }
    printf "]}\n"
}'
