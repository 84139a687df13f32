/* sections.h — parsers of the budget file's sections (internal to config/).
 * Each fills its part of a pg_budget, or err at the offending position. */
#ifndef PG_CONFIG_SECTIONS_H
#define PG_CONFIG_SECTIONS_H

#include "config/budget.h"
#include "config/fields.h"

int pg_section_load(pg_fields *f, const cJSON *load, pg_load *out);
/* cookies: the budget's "cookies", each scenario's unless it says otherwise */
int pg_section_scenarios(pg_fields *f, const cJSON *list, pg_budget *b, int cookies);
int pg_section_thresholds(pg_fields *f, const cJSON *obj, pg_budget *b);
int pg_section_regression(pg_fields *f, const cJSON *obj, pg_budget *b);
int pg_section_monitor(pg_fields *f, const cJSON *obj, pg_monitor_cfg *out);
void pg_monitor_cfg_clear(pg_monitor_cfg *mc);

/* "data" (data.c): the data files, read. */
int pg_section_data(pg_fields *f, const cJSON *obj, pg_budget *b);
/* A scenario's "data" (m may be NULL): *out the data set's index, or -1. */
int pg_scenario_data(pg_fields *f, const cJSON *m, const char *where, const pg_budget *b,
                     long *out);

/* What a template of request n_before of sc may name (a pg_tpl_resolve_fn). */
typedef struct pg_resolve_ctx {
    const pg_budget *b;
    const pg_scenario *sc;
    size_t n_before;
} pg_resolve_ctx;
int pg_resolve_name(void *ctx, const char *name, size_t len, pg_tpl_part *part, char *why,
                    size_t why_size);

/* A request's "extract" (extract.c; m may be NULL). */
int pg_section_extract(pg_fields *f, const cJSON *m, const char *where, pg_budget *b,
                       pg_request *r);
void pg_extract_clear(pg_extract *x);

char *pg_strdup(const char *s); /* NULL on NULL or out of memory */

#endif
