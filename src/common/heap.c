/* heap.c — binary min-heap (see heap.h). */
#include "common/heap.h"

#include <stdlib.h>

#include "common/grow.h"

int pg_heap_init(pg_heap *h, size_t cap)
{
    h->n = 0;
    h->cap = cap ? cap : 16;
    h->e = malloc(h->cap * sizeof *h->e);
    return h->e ? 0 : -1;
}

void pg_heap_free(pg_heap *h)
{
    free(h->e);
    h->e = NULL;
    h->n = h->cap = 0;
}

int pg_heap_push(pg_heap *h, uint64_t due, void *item)
{
    size_t i;

    if (pg_grow(&h->e, &h->cap, h->n, sizeof *h->e, 16) != 0)
        return -1;
    i = h->n++;
    h->e[i] = (pg_heap_entry){due, item};
    while (i > 0) {
        size_t p = (i - 1) / 2;
        pg_heap_entry tmp;
        if (h->e[p].due <= h->e[i].due)
            break;
        tmp = h->e[p], h->e[p] = h->e[i], h->e[i] = tmp;
        i = p;
    }
    return 0;
}

pg_heap_entry pg_heap_pop(pg_heap *h)
{
    pg_heap_entry top = h->e[0];
    size_t i = 0;

    h->e[0] = h->e[--h->n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        pg_heap_entry tmp;
        if (l < h->n && h->e[l].due < h->e[m].due)
            m = l;
        if (r < h->n && h->e[r].due < h->e[m].due)
            m = r;
        if (m == i)
            break;
        tmp = h->e[m], h->e[m] = h->e[i], h->e[i] = tmp;
        i = m;
    }
    return top;
}
