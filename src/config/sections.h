/* sections.h — parsers of the budget file's sections (internal to config/).
 * Each fills its part of a pg_budget, or err at the offending position. */
#ifndef PG_CONFIG_SECTIONS_H
#define PG_CONFIG_SECTIONS_H

#include "config/budget.h"
#include "config/fields.h"

int pg_section_load(pg_fields *f, const cJSON *load, pg_load *out);
int pg_section_scenarios(pg_fields *f, const cJSON *list, pg_budget *b);
int pg_section_thresholds(pg_fields *f, const cJSON *obj, pg_budget *b);
int pg_section_regression(pg_fields *f, const cJSON *obj, pg_budget *b);
int pg_section_monitor(pg_fields *f, const cJSON *obj, pg_monitor_cfg *out);
void pg_monitor_cfg_clear(pg_monitor_cfg *mc);

char *pg_strdup(const char *s); /* NULL on NULL or out of memory */

#endif
