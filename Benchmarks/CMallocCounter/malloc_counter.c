// Counts heap allocations for the benchmarks ("allocations per decision"). On glibc, defining malloc and friends
// in the executable interposes them for the whole process; each forwards to glibc's own implementation, so
// memory from either side can be freed by free(). Only the benchmark executable links this.
#include "CMallocCounter.h"
#include <stddef.h>
#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static long counter;

static inline void count(void) { __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED); }

void *malloc(size_t n) { count(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { count(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { count(); return __libc_realloc(p, n); }
void *aligned_alloc(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
void *memalign(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    count();
    void *p = __libc_memalign(alignment, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

long warden_bench_malloc_count(void) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }
#else
long warden_bench_malloc_count(void) { return 0; }
#endif
