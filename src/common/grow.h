/* grow.h — the one growth rule for arrays that are appended to: the
 * capacity doubles (from `first`), so n appends cost O(n) copies in all. */
#ifndef PG_COMMON_GROW_H
#define PG_COMMON_GROW_H

#include <stddef.h>

/* Makes room for item n of an array: items points at the array pointer
 * (T **, passed as void *), which holds *cap items of size bytes. 0 when
 * item n fits (already or after growing); -1 when memory ran out, with the
 * array and *cap as they were. */
int pg_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

#endif
