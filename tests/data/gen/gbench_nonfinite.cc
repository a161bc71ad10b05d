// Generates the Google Benchmark JSON fixtures of non-finite values under
// tests/data/gbench/ (nonfinite-*.json): what the JSON reporter writes for
// NaN and infinities, bare NaN / Infinity / -Infinity tokens.  Not built
// by make: compile and run by hand (see README in this folder).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

// A user counter of 0/0: a hit rate over no lookups.  The time is fine.
static void BM_hit_rate(benchmark::State &state)
{
    std::vector<int> v(64, 1);
    double hits = 0, lookups = 0;
    for (auto _ : state) {
        int s = 0;
        for (int x : v)
            s += x;
        benchmark::DoNotOptimize(s);
    }
    state.counters["hit_rate"] = hits / lookups;
    state.counters["lookups"] = lookups;
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_hit_rate)->Iterations(1000);

// A manual time that is NaN (an elapsed time computed from a broken clock).
static void BM_manual_nan(benchmark::State &state)
{
    for (auto _ : state)
        state.SetIterationTime(std::numeric_limits<double>::quiet_NaN());
}
BENCHMARK(BM_manual_nan)->UseManualTime()->Iterations(10);

// A manual time of -infinity.
static void BM_manual_neg_inf(benchmark::State &state)
{
    for (auto _ : state)
        state.SetIterationTime(-std::numeric_limits<double>::infinity());
}
BENCHMARK(BM_manual_neg_inf)->UseManualTime()->Iterations(10);

BENCHMARK_MAIN();
