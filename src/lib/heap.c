/*
 * heap.c - heap accounting by malloc interposition (see heap.h).
 *
 * The wrappers must not allocate, must not call anything that could
 * allocate (no stdio, no dlsym), and must be correct when no region is
 * open, since they serve every allocation of the process.
 */
#include "heap.h"

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define HEAP_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#undef HEAP_SANITIZER
#define HEAP_SANITIZER 1
#endif

#ifdef HEAP_SANITIZER

/* The sanitizer's runtime interposes malloc itself: define nothing. */
const char *heap_supported(void)
{
    return "not available in sanitizer builds (the sanitizer owns malloc)";
}

int heap_begin(void)
{
    return HEAP_EUNSUPPORTED;
}

int heap_end(heap_stats *out)
{
    if (out != NULL) {
        heap_stats zero = { 0 };
        *out = zero;
    }
    return HEAP_ENOTACTIVE;
}

int heap_pause(void)
{
    return HEAP_ENOTACTIVE;
}

int heap_counting(void)
{
    return 0;
}

int heap_resume(void)
{
    return HEAP_ENOTACTIVE;
}

#else /* !HEAP_SANITIZER */

#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define HEAP_EXPORT __attribute__((visibility("default")))

/* glibc's allocator under its own exported names. */
extern void *__libc_malloc(size_t size);
extern void __libc_free(void *p);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static atomic_int heap_open;      /* a region is open (heap_begin .. heap_end) */
static atomic_int heap_active;    /* and is counting (not paused) */
static atomic_uint_fast64_t heap_allocs, heap_frees, heap_bytes;
static atomic_int_fast64_t heap_live, heap_peak;

/* The slow paths: only while a region is open. */
static void heap_note_alloc(void *p, size_t requested)
{
    int_fast64_t usable = (int_fast64_t)malloc_usable_size(p), live, peak;

    atomic_fetch_add_explicit(&heap_allocs, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&heap_bytes, requested, memory_order_relaxed);
    live = atomic_fetch_add_explicit(&heap_live, usable, memory_order_relaxed) + usable;
    peak = atomic_load_explicit(&heap_peak, memory_order_relaxed);
    while (live > peak &&
           !atomic_compare_exchange_weak_explicit(&heap_peak, &peak, live,
                                                  memory_order_relaxed, memory_order_relaxed))
        ;
}

static void heap_note_free(size_t usable)
{
    atomic_fetch_add_explicit(&heap_frees, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&heap_live, (int_fast64_t)usable, memory_order_relaxed);
}

static inline int heap_tracking(void)
{
    return __builtin_expect(atomic_load_explicit(&heap_active, memory_order_relaxed), 0);
}

HEAP_EXPORT void *malloc(size_t size)
{
    void *p = __libc_malloc(size);
    if (heap_tracking() && p != NULL)
        heap_note_alloc(p, size);
    return p;
}

HEAP_EXPORT void free(void *p)
{
    if (heap_tracking() && p != NULL)
        heap_note_free(malloc_usable_size(p));
    __libc_free(p);
}

HEAP_EXPORT void *calloc(size_t n, size_t size)
{
    void *p = __libc_calloc(n, size);
    if (heap_tracking() && p != NULL)
        heap_note_alloc(p, n * size);      /* no overflow: calloc succeeded */
    return p;
}

HEAP_EXPORT void *realloc(void *old, size_t size)
{
    size_t old_usable;
    void *p;

    if (!heap_tracking())
        return __libc_realloc(old, size);
    /* the old block's size must be read before glibc may release it */
    old_usable = old != NULL ? malloc_usable_size(old) : 0;
    p = __libc_realloc(old, size);
    if (old != NULL && size == 0 && p == NULL) {
        heap_note_free(old_usable);        /* glibc: realloc(p, 0) frees p */
    } else if (p != NULL) {
        if (old != NULL)
            atomic_fetch_sub_explicit(&heap_live, (int_fast64_t)old_usable,
                                      memory_order_relaxed);
        heap_note_alloc(p, size);
    }
    return p;
}

HEAP_EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
    size_t bytes;

    /* glibc's reallocarray calls its realloc internally, not through
     * the PLT: wrap it here so it is counted */
    if (__builtin_mul_overflow(n, size, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, bytes);
}

HEAP_EXPORT void *memalign(size_t align, size_t size)
{
    void *p = __libc_memalign(align, size);
    if (heap_tracking() && p != NULL)
        heap_note_alloc(p, size);
    return p;
}

/* glibc 2.36 makes aligned_alloc an alias of memalign: same here. */
HEAP_EXPORT void *aligned_alloc(size_t align, size_t size)
{
    return memalign(align, size);
}

HEAP_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    void *p;

    /* glibc's checks: a power of two multiple of sizeof(void *) */
    if (align % sizeof(void *) != 0 || align == 0 ||
        ((align / sizeof(void *)) & (align / sizeof(void *) - 1)) != 0)
        return EINVAL;
    p = memalign(align, size);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

HEAP_EXPORT void *valloc(size_t size)
{
    void *p = __libc_valloc(size);
    if (heap_tracking() && p != NULL)
        heap_note_alloc(p, size);
    return p;
}

HEAP_EXPORT void *pvalloc(size_t size)
{
    void *p = __libc_pvalloc(size);
    if (heap_tracking() && p != NULL)
        heap_note_alloc(p, size);
    return p;
}

const char *heap_supported(void)
{
    if (RUNNING_ON_VALGRIND)
        return "not available under valgrind (valgrind replaces malloc)";
    return NULL;
}

int heap_begin(void)
{
    int expected = 0;

    if (heap_supported() != NULL)
        return HEAP_EUNSUPPORTED;
    if (!atomic_compare_exchange_strong(&heap_open, &expected, 1))
        return HEAP_EBUSY;
    atomic_store_explicit(&heap_allocs, 0, memory_order_relaxed);
    atomic_store_explicit(&heap_frees, 0, memory_order_relaxed);
    atomic_store_explicit(&heap_bytes, 0, memory_order_relaxed);
    atomic_store_explicit(&heap_live, 0, memory_order_relaxed);
    atomic_store_explicit(&heap_peak, 0, memory_order_relaxed);
    atomic_store(&heap_active, 1);
    return HEAP_OK;
}

int heap_counting(void)
{
    return atomic_load(&heap_active) ? 1 : 0;
}

int heap_pause(void)
{
    if (!atomic_load(&heap_open))
        return HEAP_ENOTACTIVE;
    atomic_store(&heap_active, 0);
    return HEAP_OK;
}

int heap_resume(void)
{
    if (!atomic_load(&heap_open))
        return HEAP_ENOTACTIVE;
    atomic_store(&heap_active, 1);
    return HEAP_OK;
}

int heap_end(heap_stats *out)
{
    heap_stats s = { 0 };
    int expected = 1;

    atomic_store(&heap_active, 0);
    if (!atomic_compare_exchange_strong(&heap_open, &expected, 0)) {
        if (out != NULL)
            *out = s;
        return HEAP_ENOTACTIVE;
    }
    s.allocs = atomic_load_explicit(&heap_allocs, memory_order_relaxed);
    s.frees = atomic_load_explicit(&heap_frees, memory_order_relaxed);
    s.alloc_bytes = atomic_load_explicit(&heap_bytes, memory_order_relaxed);
    s.peak_heap = (uint64_t)atomic_load_explicit(&heap_peak, memory_order_relaxed);
    s.net_bytes = (int64_t)atomic_load_explicit(&heap_live, memory_order_relaxed);
    s.leaked_bytes = s.net_bytes > 0 ? (uint64_t)s.net_bytes : 0;
    if (out != NULL)
        *out = s;
    return HEAP_OK;
}

#endif /* !HEAP_SANITIZER */

const char *heap_strerror(int code)
{
    switch (code) {
    case HEAP_OK: return "success";
    case HEAP_EUNSUPPORTED: return "heap accounting is not supported in this process";
    case HEAP_EBUSY: return "a heap accounting region is already open";
    case HEAP_ENOTACTIVE: return "no heap accounting region is open";
    }
    return "unknown heap accounting error";
}
