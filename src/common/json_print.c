/* json_print.c — exact numbers in printed JSON (see json_print.h). */
#include "common/json_print.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pg_json_number(char *buf, size_t size, double d)
{
    /* A normal double has 15.95 digits: if fewer than 15 read back, 15 do,
     * and %g drops the zeros after them. A subnormal has fewer, so its
     * shortest may be shorter than %.15g shows. 17 always read back: the
     * last try cannot fail. */
    int from = d != 0 && fabs(d) < DBL_MIN ? 1 : 15;

    for (int digits = from; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, d);
        if (digits == 17 || strtod(buf, NULL) == d)
            return;
    }
}

/* Numbers that 15 digits do not give back become raw text with more. */
static int exact(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsNumber(item) && isfinite(item->valuedouble)) {
            char text[40];
            snprintf(text, sizeof text, "%.15g", item->valuedouble);
            if (strtod(text, NULL) != item->valuedouble) {
                char *raw;
                pg_json_number(text, sizeof text, item->valuedouble);
                if (!(raw = strdup(text)))
                    return -1;
                item->type = cJSON_Raw | (item->type & cJSON_StringIsConst);
                item->valuestring = raw;
            }
        }
        if (item->child && exact(item->child) != 0)
            return -1;
    }
    return 0;
}

char *pg_json_print(const cJSON *doc, int formatted)
{
    cJSON *copy = cJSON_Duplicate(doc, 1);
    char *text = NULL;

    if (copy && exact(copy) == 0)
        text = formatted ? cJSON_Print(copy) : cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return text;
}
