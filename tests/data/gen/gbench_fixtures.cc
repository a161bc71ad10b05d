// Generates the Google Benchmark JSON fixtures under tests/data/gbench/.
// Not built by make: compile and run by hand (see README in this folder).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

// A plain benchmark with one argument: sorting N integers.
static void BM_sort(benchmark::State &state)
{
    std::vector<int> v(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        state.PauseTiming();
        for (size_t i = 0; i < v.size(); i++)
            v[i] = static_cast<int>((i * 2654435761u) % 1000003u);
        state.ResumeTiming();
        std::sort(v.begin(), v.end());
        benchmark::DoNotOptimize(v.data());
    }
}
BENCHMARK(BM_sort)->Arg(64)->Arg(512);

// Counters: bytes and items per second plus a user counter.
static void BM_memcpy(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0));
    std::vector<char> src(n, 'x'), dst(n);
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), n);
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.counters["cache_lines"] = static_cast<double>(n / 64);
}
BENCHMARK(BM_memcpy)->Arg(4096)->Arg(65536);

// Complexity: BigO and RMS rows.
static void BM_accumulate(benchmark::State &state)
{
    std::vector<uint64_t> v(static_cast<size_t>(state.range(0)), 3);
    for (auto _ : state)
        benchmark::DoNotOptimize(std::accumulate(v.begin(), v.end(), uint64_t{0}));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_accumulate)->RangeMultiplier(4)->Range(256, 16384)->Complexity(benchmark::oN);

// A benchmark that reports an error.
static void BM_fails(benchmark::State &state)
{
    for (auto _ : state) {
        state.SkipWithError("could not open the input");
        break;
    }
}
BENCHMARK(BM_fails);

// Microsecond time unit.
static void BM_vector_push(benchmark::State &state)
{
    for (auto _ : state) {
        std::vector<int> v;
        for (int i = 0; i < 1000; i++)
            v.push_back(i);
        benchmark::DoNotOptimize(v.data());
    }
}
BENCHMARK(BM_vector_push)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
