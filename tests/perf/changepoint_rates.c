/*
 * changepoint_rates.c - how often `perfcmp trend` finds a change that is
 * there, and how often it finds one that is not, on random series.
 *
 *     changepoint_rates [SERIES_PER_SCENARIO] [RUNS_PER_SERIES]
 *
 * (defaults 500 and 50).  Each series is RUNS per-run medians with
 * multiplicative Gaussian noise, a level shift (step), a shift that comes
 * back 10 runs later (bump), a lone outlier (spike) or a geometric creep
 * at a random position; the detector runs at the defaults of
 * `perfcmp trend` (alpha 0.01, 199 permutations, min-size 3, min-change
 * 5%).  A step counts as detected when a change point in the right
 * direction lies within 2 runs of the true position; "exact" when it is at
 * the true position.  Figures go to docs/trends.md.
 *
 * The detector and the statistics are internal (not exported by
 * libperfcmp), so they are compiled into this program from their sources.
 */
#include "../../src/core/changepoint.c"
#include "../../src/core/stats.c"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rates_rng_state = 42;

static double rates_uniform(void)
{
    rates_rng_state = rates_rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((rates_rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double rates_gauss(void)
{
    double u = rates_uniform(), v = rates_uniform();
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

enum rates_kind { NOISE, STEP, SPIKE, CREEP, BUMP };

typedef struct rates_scenario {
    const char *name;
    enum rates_kind kind;
    double size;     /* step or spike factor - 1, or creep per run */
    double noise;    /* coefficient of variation of the noise */
} rates_scenario;

static const rates_scenario scenarios[] = {
    { "pure noise, cv 2%",            NOISE, 0,     0.02 },
    { "pure noise, cv 5%",            NOISE, 0,     0.05 },
    { "lone spike x2, cv 2%",         SPIKE, 1.0,   0.02 },
    { "step +5%, cv 1%",              STEP,  0.05,  0.01 },
    { "step +10%, cv 2%",             STEP,  0.10,  0.02 },
    { "step +10%, cv 5%",             STEP,  0.10,  0.05 },
    { "step -20%, cv 5%",             STEP, -0.20,  0.05 },
    { "step +30%, cv 2%",             STEP,  0.30,  0.02 },
    { "bump +10% for 10 runs, cv 2%", BUMP,  0.10,  0.02 },
    { "creep +1%/run, cv 2%",         CREEP, 0.01,  0.02 },
    { "creep +2%/run, cv 2%",         CREEP, 0.02,  0.02 },
};

int main(int argc, char **argv)
{
    size_t nseries = argc > 1 ? strtoul(argv[1], NULL, 10) : 500;
    size_t runs = argc > 2 ? strtoul(argv[2], NULL, 10) : 50;
    if (nseries == 0 || runs < 10) {
        fprintf(stderr, "usage: changepoint_rates [SERIES >= 1] [RUNS >= 10]\n");
        return 2;
    }
    double *x = malloc(runs * sizeof *x);
    if (!x)
        return 1;
    printf("%zu series of %zu runs per scenario; defaults: alpha %.2f, %u permutations, "
           "min-size %d, min-change %.0f%%\n\n",
           nseries, runs, CHANGEPOINT_DEFAULT_ALPHA, CHANGEPOINT_DEFAULT_PERMUTATIONS,
           CHANGEPOINT_DEFAULT_MIN_SIZE, CHANGEPOINT_DEFAULT_MIN_CHANGE * 100);
    printf("%-30s %12s %10s %10s %12s %10s\n", "scenario", "any change", "detected", "exact",
           "trend", "ms/series");
    for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
        const rates_scenario *sc = &scenarios[s];
        size_t any = 0, found = 0, exact = 0, trend = 0;
        clock_t c0 = clock();
        for (size_t k = 0; k < nseries; k++) {
            size_t at = runs / 5 + (size_t)(rates_uniform() * (double)(runs * 3 / 5));
            for (size_t i = 0; i < runs; i++) {
                double level = 100;
                if ((sc->kind == STEP && i >= at) || (sc->kind == BUMP && i >= at && i < at + 10))
                    level *= 1 + sc->size;
                if (sc->kind == CREEP)
                    level *= pow(1 + sc->size, (double)i);
                x[i] = level * (1 + sc->noise * rates_gauss());
                if (sc->kind == SPIKE && i == at)
                    x[i] *= 1 + sc->size;
            }
            changepoint *cp;
            size_t ncp;
            if (changepoint_detect(x, runs, NULL, &cp, &ncp) != 0) {
                fprintf(stderr, "changepoint_detect failed\n");
                return 1;
            }
            any += ncp > 0;
            int hit = 0, hit_exact = 0;
            size_t cuts[1024];
            for (size_t i = 0; i < ncp; i++) {
                size_t d = cp[i].index > at ? cp[i].index - at : at - cp[i].index;
                if (d <= 2 && (cp[i].change > 0) == (sc->size > 0))
                    hit = 1;
                if (d == 0)
                    hit_exact = 1;
                if (i < 1024)
                    cuts[i] = cp[i].index;
            }
            found += hit;
            exact += hit && hit_exact;
            changepoint_trend t;
            if (changepoint_trend_test(x, runs, cuts, ncp < 1024 ? ncp : 1024, &t) == 0 &&
                t.p < CHANGEPOINT_DEFAULT_ALPHA && fabs(t.total) >= CHANGEPOINT_DEFAULT_MIN_CHANGE)
                trend++;
            free(cp);
        }
        double ms = 1000.0 * (double)(clock() - c0) / CLOCKS_PER_SEC / (double)nseries;
        double pct = 100.0 / (double)nseries;
        if (sc->kind == STEP || sc->kind == BUMP)
            printf("%-30s %11.1f%% %9.1f%% %9.1f%% %11.1f%% %10.2f\n", sc->name, any * pct,
                   found * pct, exact * pct, trend * pct, ms);
        else
            printf("%-30s %11.1f%% %10s %10s %11.1f%% %10.2f\n", sc->name, any * pct, "-", "-",
                   trend * pct, ms);
    }
    free(x);
    return 0;
}
