/* json_alloc.h — whether cJSON ran out of memory while a document was built.
 *
 * cJSON reports a failed allocation only by the NULL of the one call that
 * hit it; cJSON_AddStringToObject and friends then leave the key out, and a
 * verdict document built from many such calls could lose a failing check
 * and still be written. perfgate's allocation hooks count the failures per
 * thread, so a builder compares the count before and after and returns
 * PG_ENOMEM instead of an incomplete document. */
#ifndef PG_COMMON_JSON_ALLOC_H
#define PG_COMMON_JSON_ALLOC_H

/* Installs the counting hooks (once; later calls do nothing). Call it before
 * other threads use cJSON; pg_json_alloc_failures installs them too. */
void pg_json_alloc_hooks(void);

/* How many cJSON allocations of this thread have failed so far. */
unsigned long pg_json_alloc_failures(void);

#endif
