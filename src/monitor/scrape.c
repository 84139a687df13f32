/* scrape.c — one gauge out of Prometheus text or JSON (see scrape.h). */
#include "monitor/scrape.h"
#include "common/json_path.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cursor {
    const char *p, *end;
} cursor;

static int at_end(const cursor *c)
{
    return c->p >= c->end || *c->p == '\n';
}

static void skip_blanks(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static void skip_line(cursor *c)
{
    while (c->p < c->end && *c->p != '\n')
        c->p++;
    if (c->p < c->end)
        c->p++;
}

/* A name at the cursor into buf (truncated names never match: 0 returned). */
static size_t read_name(cursor *c, char *buf, size_t size, int label)
{
    size_t n = 0;

    while (c->p < c->end && pg_selector_name_char((unsigned char)*c->p, n == 0, label)) {
        if (n + 1 < size)
            buf[n] = *c->p;
        n++;
        c->p++;
    }
    if (n >= size)
        return 0;
    buf[n] = '\0';
    return n;
}

/* A quoted label value with \\ \" \n escapes; 0, or -1 when malformed. */
static int read_value(cursor *c, char *buf, size_t size, int *truncated)
{
    size_t n = 0;

    *truncated = 0;
    if (c->p >= c->end || *c->p != '"')
        return -1;
    for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
        char ch = *c->p;
        if (ch == '\n')
            return -1;
        if (ch == '\\') {
            if (++c->p >= c->end)
                return -1;
            ch = *c->p == 'n' ? '\n' : *c->p;
        }
        if (n + 1 < size)
            buf[n++] = ch;
        else
            *truncated = 1;
    }
    if (c->p >= c->end)
        return -1;
    c->p++;
    buf[n] = '\0';
    return 0;
}

/* A sample value: a float, NaN, +Inf or -Inf. */
static int read_number(cursor *c, double *v)
{
    char buf[64], *endp;
    size_t n = 0;

    while (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n' && *c->p != '\r' &&
           n + 1 < sizeof buf)
        buf[n++] = *c->p++;
    buf[n] = '\0';
    if (!n)
        return -1;
    if (strcmp(buf, "+Inf") == 0 || strcmp(buf, "Inf") == 0)
        *v = INFINITY;
    else if (strcmp(buf, "-Inf") == 0)
        *v = -INFINITY;
    else if (strcmp(buf, "NaN") == 0)
        *v = NAN;
    else {
        *v = strtod(buf, &endp);
        if (*endp)
            return -1;
    }
    return 0;
}

/* One sample line: does it match sel, and its value. -1 when malformed. */
static int sample_line(cursor *c, const pg_selector *sel, int *match, double *v)
{
    char name[sizeof sel->name], lname[64], lvalue[sizeof sel->label[0].value];
    int matched_labels[PG_SELECTOR_LABELS] = {0};
    size_t seen = 0;

    *match = read_name(c, name, sizeof name, 0) && strcmp(name, sel->name) == 0;
    if (c->p < c->end && *c->p == '{') {
        c->p++;
        for (;;) {
            int truncated;
            skip_blanks(c);
            if (c->p < c->end && *c->p == '}')
                break;
            if (!read_name(c, lname, sizeof lname, 1) || c->p >= c->end || *c->p++ != '=' ||
                read_value(c, lvalue, sizeof lvalue, &truncated) != 0)
                return -1;
            for (size_t i = 0; i < sel->n_labels; i++)
                if (!matched_labels[i] && strcmp(sel->label[i].name, lname) == 0 && !truncated &&
                    strcmp(sel->label[i].value, lvalue) == 0) {
                    matched_labels[i] = 1;
                    seen++;
                }
            skip_blanks(c);
            if (c->p < c->end && *c->p == ',')
                c->p++;
            else if (c->p >= c->end || *c->p != '}')
                return -1;
        }
        c->p++;
    }
    *match = *match && seen == sel->n_labels;
    skip_blanks(c);
    return read_number(c, v);
}

int pg_scrape_prometheus(const char *text, size_t len, const pg_selector *sel, double *out)
{
    cursor c = {text, text + len};
    double sum = 0.0;
    int found = 0;

    while (c.p < c.end) {
        int match;
        double v;
        skip_blanks(&c);
        if (at_end(&c) || *c.p == '#') {
            skip_line(&c);
            continue;
        }
        if (sample_line(&c, sel, &match, &v) == 0 && match) {
            sum += v;
            found = 1;
        }
        skip_line(&c);
    }
    if (found)
        *out = sum;
    return found ? 0 : -1;
}

int pg_scrape_json(const char *text, size_t len, const char *path, double *out)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    const cJSON *at = doc ? pg_json_path(doc, path) : NULL;
    int rc = -1;

    if (at && cJSON_IsNumber(at)) {
        *out = at->valuedouble;
        rc = 0;
    } else if (at && cJSON_IsBool(at)) {
        *out = cJSON_IsTrue(at) ? 1.0 : 0.0;
        rc = 0;
    }
    cJSON_Delete(doc);
    return rc;
}
