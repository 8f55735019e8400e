#ifndef WARDEN_MALLOC_COUNTER_H
#define WARDEN_MALLOC_COUNTER_H
/// The number of heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) made by the process
/// since it started, counted by the interposers in malloc_counter.c. 0 where interposing is not supported.
long warden_bench_malloc_count(void);
#endif
