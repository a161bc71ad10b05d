// second_comparator_gbench.cc - second_comparator.c for Google Benchmark:
// qsort/1024 with one comparator, or with -DSECOND_COMPARATOR a second,
// counting one in an untimed sort after the loop.  ITERATIONS=N in the
// environment fixes the iterations per repetition (1.7.1 has no flag for
// it), so that both tools can run the same number.
// tests/perf/second_comparator.sh builds and runs it.
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

static unsigned long sort_comparisons;

#ifdef SECOND_COMPARATOR
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_int_counting(const void *a, const void *b)
{
    sort_comparisons++;
    return cmp_int(a, b);
}
#define CMP_AFTER cmp_int_counting
#else
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    sort_comparisons++;
    return (x > y) - (x < y);
}
#define CMP_AFTER cmp_int
#endif

static void sort_bench(benchmark::State &state)
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
    std::memcpy(work.data(), input.data(), n * sizeof(int));
    sort_comparisons = 0;
    std::qsort(work.data(), n, sizeof(int), CMP_AFTER);
    state.counters["comparisons"] = (double)sort_comparisons;
}

int main(int argc, char **argv)
{
    auto *b = benchmark::RegisterBenchmark("qsort", sort_bench)->Arg(1024);
    const char *it = std::getenv("ITERATIONS");
    if (it != nullptr && std::atol(it) > 0)
        b->Iterations(std::atol(it));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
