/* text.h — text read from a file someone else wrote (a results file, a
 * shard, a baseline) on its way to the console and CI logs: a control
 * character there could forge a log line (a GitHub "::error::" command
 * after a newline) or move the cursor, so each is replaced by '?'. Budget
 * files refuse control characters in names, so honest files never lose a
 * character to this. */
#ifndef PG_COMMON_TEXT_H
#define PG_COMMON_TEXT_H

#include <stddef.h>

/* Copies src into dst (size bytes, NUL-terminated, cut if longer), cleaned. */
void pg_text_copy_clean(char *dst, size_t size, const char *src);

/* A cleaned malloc'd copy of src (caller frees), or NULL when out of memory. */
char *pg_text_dup_clean(const char *src);

#endif
