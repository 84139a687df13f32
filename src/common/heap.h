/* heap.h — a binary min-heap of (due time, pointer), growing by doubling.
 * Used for timers: the serve part's suspended connections and the engine's
 * virtual users in think time. Not thread-safe; callers lock if needed. */
#ifndef PG_COMMON_HEAP_H
#define PG_COMMON_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_heap_entry {
    uint64_t due;
    void *item;
} pg_heap_entry;

typedef struct pg_heap {
    pg_heap_entry *e;
    size_t n, cap;
} pg_heap;

/* Reserves room for cap entries up front so pushes below it never allocate. */
int pg_heap_init(pg_heap *h, size_t cap);
void pg_heap_free(pg_heap *h);
int pg_heap_push(pg_heap *h, uint64_t due, void *item); /* -1: out of memory */
pg_heap_entry pg_heap_pop(pg_heap *h);                  /* n must be > 0 */

static inline const pg_heap_entry *pg_heap_top(const pg_heap *h)
{
    return h->n ? &h->e[0] : NULL;
}

#endif
