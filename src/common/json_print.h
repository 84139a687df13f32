/* json_print.h — JSON text whose numbers read back as the very doubles
 * written. cJSON prints a number with 15 significant digits whenever those
 * read back within an epsilon, so 1.0999999999999999 comes out as 1.1 and a
 * verdict could not be rebuilt from its own file; here every number that 15
 * digits do not give back exactly is written with 16, or 17 (which always
 * do: the shortest that does). */
#ifndef PG_COMMON_JSON_PRINT_H
#define PG_COMMON_JSON_PRINT_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The shortest %g (15, 16 or 17 digits; fewer for subnormals) that strtod reads back as d, into buf
 * (at least 32 bytes). Not for NaN or infinities. */
void pg_json_number(char *buf, size_t size, double d);

/* doc printed (formatted: indented) with exact numbers; NULL when out of
 * memory. doc is not changed. Caller frees. */
char *pg_json_print(const cJSON *doc, int formatted);

#endif
