// gbench_compare.cc - the three example benchmarks of
// docs/examples/bench_examples.c (fnv1a/65536, qsort/1024, memcpy/65536)
// written for Google Benchmark, to compare figures and run times with
// libperfcmp.  Not built by make (it is C++ and needs libbenchmark-dev):
// scripts/compare-gbench.sh builds and runs it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

static uint64_t example_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void example_fill(unsigned char *buf, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)example_next(&seed);
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static void fnv1a(benchmark::State &state)
{
    size_t n = (size_t)state.range(0);
    std::vector<unsigned char> buf(n);
    example_fill(buf.data(), n, 42);
    for (auto _ : state) {
        uint64_t h = fnv1a(buf.data(), n);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed((int64_t)(state.iterations() * n));
}
BENCHMARK(fnv1a)->Arg(65536);

// The example's comparator, which counts, and its count after the loop:
// both sides run the same code, inside the loop and after it.
static unsigned long sort_comparisons;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    sort_comparisons++;
    return (x > y) - (x < y);
}

static void qsort(benchmark::State &state)
{
    size_t n = (size_t)state.range(0);
    std::vector<int> input(n), work(n);
    uint64_t seed = 7;
    for (size_t i = 0; i < n; i++)
        input[i] = (int)(example_next(&seed) % 1000000);
    for (auto _ : state) {
        std::memcpy(work.data(), input.data(), n * sizeof(int));
        std::qsort(work.data(), n, sizeof(int), cmp_int);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed((int64_t)(state.iterations() * n));

    std::memcpy(work.data(), input.data(), n * sizeof(int));
    sort_comparisons = 0;
    std::qsort(work.data(), n, sizeof(int), cmp_int);
    state.counters["comparisons"] = (double)sort_comparisons;
}
BENCHMARK(qsort)->Arg(1024);

static void memcpy(benchmark::State &state)
{
    size_t n = (size_t)state.range(0);
    std::vector<unsigned char> src(n), dst(n);
    example_fill(src.data(), n, 1);
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), n);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed((int64_t)(state.iterations() * n));
}
BENCHMARK(memcpy)->Arg(65536);

BENCHMARK_MAIN();
