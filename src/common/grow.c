/* grow.c — doubling arrays (see grow.h). */
#include "common/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pg_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    void *old, *p;
    size_t c;

    if (n < *cap)
        return 0;
    c = *cap ? *cap * 2 : first;
    if (c <= n)
        c = n + 1;
    if (c > SIZE_MAX / size)
        return -1;
    /* the array pointer is read and written as bytes: T * and void * have
     * one representation on every platform perfgate builds for */
    memcpy(&old, items, sizeof old);
    if (!(p = realloc(old, c * size)))
        return -1;
    memcpy(items, &p, sizeof p);
    *cap = c;
    return 0;
}
