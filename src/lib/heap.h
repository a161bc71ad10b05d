/*
 * heap.h - heap accounting for a measured region: allocations, bytes
 * requested, peak live heap and net heap growth (the leak signal).
 *
 * How: heap.c defines malloc, free, calloc, realloc, reallocarray,
 * memalign, aligned_alloc, posix_memalign, valloc and pvalloc with default
 * visibility, so that in a process that links libperfcmp (statically: the
 * bench binaries; or the unit tests, which link the objects) they take the
 * place of glibc's for the whole process (ELF symbol interposition, the
 * way glibc documents "Replacing malloc"): the program's own calls, and
 * the calls that shared libraries and glibc itself make through the PLT
 * (strdup, fopen, qsort's buffer, ...).  Each forwards to glibc's
 * allocator through its exported __libc_malloc, __libc_free,
 * __libc_calloc, __libc_realloc, __libc_memalign, __libc_valloc and
 * __libc_pvalloc entry points: no dlsym, so no recursion at start-up.
 *
 * Cost: while no region is open each wrapper is one relaxed atomic load
 * and a well-predicted branch in front of glibc's function.  While a
 * region is open each call also does a few atomic additions and one
 * malloc_usable_size(); so the runner opens a region only in a separate
 * pass after the timed samples, never while they are taken.
 *
 * What is counted (process-wide, every thread):
 *  - allocs: successful malloc, calloc, realloc (also realloc to a new
 *    size in place), reallocarray, memalign, aligned_alloc,
 *    posix_memalign, valloc, pvalloc calls;
 *  - frees: free() of a non-NULL pointer and realloc(p, 0);
 *  - alloc_bytes: the sizes requested by those calls (calloc: n * size);
 *  - live bytes: malloc_usable_size() of each block (the request rounded
 *    up to glibc's chunk granularity: 100 bytes -> 104 on x86-64), added
 *    on allocation and subtracted on free; peak_heap is the highest live
 *    level above the level at heap_begin, net_bytes the live level at
 *    heap_end minus that at heap_begin.  Freeing inside the region a
 *    block allocated before it lowers the level, so net_bytes can be
 *    negative; leaked_bytes is net_bytes clamped at 0.
 * Not counted: memory that bypasses malloc (mmap, sbrk, stack); glibc's
 * internal allocations that do not go through the PLT (few; see
 * docs/metrics.md); allocations before heap_begin.
 *
 * Unsupported (heap_begin returns HEAP_EUNSUPPORTED, heap_supported
 * says why): builds with AddressSanitizer, ThreadSanitizer or
 * MemorySanitizer, whose runtimes own malloc (heap.c then defines no
 * allocator at all); and processes running under valgrind, which
 * replaces the allocator (detected at run time).
 *
 * Nothing here allocates; nothing is to be freed.  One region at a time.
 */
#ifndef PERFCMP_HEAP_H
#define PERFCMP_HEAP_H

#include <stdint.h>

typedef struct heap_stats {
    uint64_t allocs;        /* successful allocation calls */
    uint64_t frees;         /* free() of non-NULL pointers, realloc(p, 0) */
    uint64_t alloc_bytes;   /* bytes requested by those allocation calls */
    uint64_t peak_heap;     /* peak live usable bytes above the level at heap_begin */
    int64_t net_bytes;      /* live usable bytes at heap_end minus at heap_begin */
    uint64_t leaked_bytes;  /* net_bytes if positive, else 0 */
} heap_stats;

enum {
    HEAP_OK = 0,
    HEAP_EUNSUPPORTED = -1, /* sanitizer build or valgrind: see heap_supported */
    HEAP_EBUSY = -2,        /* heap_begin while a region is open */
    HEAP_ENOTACTIVE = -3    /* heap_end without heap_begin */
};

/* NULL when heap accounting works in this process, else a static
 * one-line reason ("built with AddressSanitizer", "running under
 * valgrind"). */
const char *heap_supported(void);

/* Opens a region: zeroes the counters and starts counting.  Returns
 * HEAP_OK, HEAP_EUNSUPPORTED or HEAP_EBUSY. */
int heap_begin(void);

/*
 * Stops and restarts counting inside an open region without resetting
 * it, for perfcmp_pause_timing / perfcmp_resume_timing: what is allocated
 * while paused is not counted (but a free of it while counting is, and
 * lowers the level).  Return HEAP_OK, or HEAP_ENOTACTIVE when no region
 * is open.
 */
int heap_pause(void);
int heap_resume(void);

/* Closes the region opened by heap_begin and writes its figures to OUT
 * (zeroed on error).  Returns HEAP_OK or HEAP_ENOTACTIVE. */
int heap_end(heap_stats *out);

/* 1 while a region is open and counting (not paused), else 0: the
 * malloc wrappers then take their slow path.  Outside the heap pass it
 * is 0, so a timed sample sees one relaxed load and a predicted branch
 * per allocation (tests/unit/test_heap_timed.c). */
int heap_counting(void);

/* Message for a HEAP_* code (static storage). */
const char *heap_strerror(int code);

#endif
