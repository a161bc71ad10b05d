# gen_gbench.awk - a Google Benchmark JSON file (--benchmark_out_format=json)
# of N benchmarks x R repetitions, as GB 1.7 writes it with
# --benchmark_repetitions=R: R "iteration" rows per benchmark, then its
# mean, median, stddev and cv aggregates.
#
#   awk -v n=10000 -v reps=10 -v seed=1 -v slow=0 -f tests/perf/gen_gbench.awk > base.json
#   awk -v n=10000 -v reps=10 -v seed=2 -v slow=1 -f tests/perf/gen_gbench.awk > cur.json
#
# Benchmark i is "BM_scale/i" with a true time of 100 + i % 1000 ns and
# normal noise of 5% sd; with slow=1, every hundredth (i % 100 == 0) is
# 30% slower.  The random numbers come from the Park-Miller generator in
# exact double arithmetic, not awk's rand(), so every awk writes the same
# bytes for the same arguments.
function uniform() {
    state = (state * 16807) % 2147483647
    return state / 2147483647
}
function gauss(   u1, u2) {
    u1 = uniform()
    u2 = uniform()
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2)
}
BEGIN {
    if (n == "") n = 10000
    if (reps == "") reps = 10
    if (seed == "") seed = 1
    state = seed * 7919 + 1
    printf "{\n  \"context\": {\n    \"date\": \"2026-12-06T03:00:00+00:00\",\n"
    printf "    \"host_name\": \"perf\",\n    \"executable\": \"./bench_scale\",\n"
    printf "    \"num_cpus\": 2,\n    \"mhz_per_cpu\": 2596,\n    \"cpu_scaling_enabled\": false,\n"
    printf "    \"load_avg\": [1.0,1.0,1.0],\n    \"library_build_type\": \"release\"\n  },\n"
    printf "  \"benchmarks\": [\n"
    for (i = 0; i < n; i++) {
        c = (100 + i % 1000) * ((slow && i % 100 == 0) ? 1.3 : 1)
        sum = 0; sum2 = 0
        for (j = 0; j < reps; j++) {
            t = c * (1 + 0.05 * gauss())
            v[j] = t
            sum += t; sum2 += t * t
            printf "%s    {\n", (i || j) ? ",\n" : ""
            printf "      \"name\": \"BM_scale/%d\",\n      \"family_index\": 0,\n", i
            printf "      \"per_family_instance_index\": %d,\n      \"run_name\": \"BM_scale/%d\",\n", i, i
            printf "      \"run_type\": \"iteration\",\n      \"repetitions\": %d,\n", reps
            printf "      \"repetition_index\": %d,\n      \"threads\": 1,\n", j
            printf "      \"iterations\": %d,\n", 1000000
            printf "      \"real_time\": %.16e,\n      \"cpu_time\": %.16e,\n", t, t * 0.99
            printf "      \"time_unit\": \"ns\"\n    }"
        }
        mean = sum / reps
        sd = reps > 1 ? sqrt((sum2 - reps * mean * mean) / (reps - 1)) : 0
        # the median of v[0..reps-1] (insertion sort; reps is small)
        for (a = 1; a < reps; a++) {
            x = v[a]
            for (b = a - 1; b >= 0 && v[b] > x; b--) v[b + 1] = v[b]
            v[b + 1] = x
        }
        med = reps % 2 ? v[int(reps / 2)] : (v[reps / 2 - 1] + v[reps / 2]) / 2
        agg["mean"] = mean; agg["median"] = med; agg["stddev"] = sd; agg["cv"] = mean ? sd / mean : 0
        split("mean median stddev cv", names, " ")
        for (k = 1; k <= 4; k++) {
            an = names[k]
            printf ",\n    {\n      \"name\": \"BM_scale/%d_%s\",\n      \"family_index\": 0,\n", i, an
            printf "      \"per_family_instance_index\": %d,\n      \"run_name\": \"BM_scale/%d\",\n", i, i
            printf "      \"run_type\": \"aggregate\",\n      \"repetitions\": %d,\n", reps
            printf "      \"threads\": 1,\n      \"aggregate_name\": \"%s\",\n", an
            printf "      \"aggregate_unit\": \"%s\",\n", an == "cv" ? "percentage" : "time"
            printf "      \"iterations\": %d,\n", reps
            printf "      \"real_time\": %.16e,\n      \"cpu_time\": %.16e,\n", agg[an], agg[an] * 0.99
            printf "      \"time_unit\": \"ns\"\n    }"
        }
    }
    printf "\n  ]\n}\n"
}
