/* metric_catalog.c — the compared metrics' table expanded (see metric_catalog.h). */
#include "config/metric_catalog.h"

#include <string.h>

#include "config/threshold.h"

const pg_value_def pg_value_defs[PG_N_VALUES] = {
#define PG_VALUE_DEF(id, name, worse, unit, effect, use)                                           \
    [PG_VALUE_##id] = {name, PG_WORSE_WHEN_##worse, PG_UNIT_##unit, effect, PG_COMPARE_##use},
    PG_VALUE_CATALOG(PG_VALUE_DEF)
#undef PG_VALUE_DEF
};

const char *const pg_value_names[PG_N_VALUES + 1] = {
#define PG_VALUE_NAME(id, name, worse, unit, effect, use) [PG_VALUE_##id] = name,
    PG_VALUE_CATALOG(PG_VALUE_NAME)
#undef PG_VALUE_NAME
        [PG_N_VALUES] = NULL,
};

int pg_value_index(const char *name)
{
    for (int i = 0; i < PG_N_VALUES; i++)
        if (strcmp(pg_value_names[i], name) == 0)
            return i;
    return -1;
}

/* The threshold metric a "<metric>{tag:value} <aggregation>" key is of. */
static const pg_metric_def *threshold_metric(const char *key)
{
    char base[160];
    size_t n = strcspn(key, " {");

    if (n >= sizeof base)
        return NULL;
    memcpy(base, key, n);
    base[n] = '\0';
    return pg_metric_lookup(base);
}

/* A compared name's direction and unit: a row of the catalog, else its
 * threshold metric's row, else a scraped gauge (worse when higher, a number). */
static void describe(const char *key, pg_direction *worse, pg_unit *unit)
{
    int i = pg_value_index(key);
    const pg_metric_def *def;

    if (i >= 0) {
        *worse = pg_value_defs[i].worse;
        *unit = pg_value_defs[i].unit;
        return;
    }
    def = threshold_metric(key);
    *worse = def ? def->worse : PG_WORSE_WHEN_HIGHER;
    *unit = def ? def->unit : PG_UNIT_NUMBER;
}

pg_direction pg_metric_worse(const char *key)
{
    pg_direction worse;
    pg_unit unit;

    describe(key, &worse, &unit);
    return worse;
}

pg_unit pg_metric_unit(const char *key)
{
    pg_direction worse;
    pg_unit unit;

    describe(key, &worse, &unit);
    return unit;
}
