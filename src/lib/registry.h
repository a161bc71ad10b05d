/*
 * registry.h - the registered benchmark definitions and their expansion
 * into instances (one per combination of arguments).
 *
 * Definitions are kept sorted by source file, then line, so the order of
 * a run does not depend on the order constructors happen to run in.
 */
#ifndef PERFCMP_LIB_REGISTRY_H
#define PERFCMP_LIB_REGISTRY_H

#include <stddef.h>
#include <perfcmp.h>

/* Most instances one definition may expand to. */
#define REGISTRY_MAX_INSTANCES 100000

typedef struct registry_instance {
    const perfcmp_bench_def *def;
    char *name;                        /* "family/arg1/arg2" */
    long long args[PERFCMP_MAX_ARGS];
    size_t nargs;
    char **tags;                       /* words of def->tags */
    size_t ntags;
    char *error;                       /* a definition error: the instance
                                          is reported failed, never run */
} registry_instance;

typedef struct registry_list {
    registry_instance *v;
    size_t n, cap;
} registry_list;

/* The first definition (sorted); follow ->next_. */
const perfcmp_bench_def *registry_first(void);

/* Forgets every definition (for unit tests). */
void registry_clear(void);

/*
 * Expands every definition into OUT (initialised to zeros).  A definition
 * with invalid arguments becomes one instance named after the family with
 * ERROR set.  Returns 0; -1 on ENOMEM; -2 when two definitions share a
 * name, with "benchmark 'x' is defined twice (a.c:3 and b.c:9)" in
 * ERR[ERRLEN].  On failure OUT is released.
 */
int registry_expand(registry_list *out, char *err, size_t errlen);

/* Frees the contents of L (accepts NULL). */
void registry_list_release(registry_list *l);

/*
 * Splits TAGS (words separated by spaces or commas; NULL is none) into a
 * malloc'd array of malloc'd words in *OUT, *N of them.  Returns 0, -1 on
 * ENOMEM.  Free with registry_free_tags().
 */
int registry_split_tags(const char *tags, char ***out, size_t *n);
void registry_free_tags(char **tags, size_t n);

/*
 * Values of one argument dimension SPEC into VALS[MAX]: the list, or the
 * geometric range.  Returns the count, 0 for an empty (unset) dimension,
 * -1 with a reason in ERR[ERRLEN] when invalid or more than MAX values.
 */
long long registry_dimension(const perfcmp_arg_spec *spec, long long *vals, size_t max,
                             char *err, size_t errlen);

#endif
