/* threshold.c — k6-style metric names and threshold expressions (see threshold.h). */
#include "config/threshold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "config/budget.h"
#include "config/fields.h"
#include "config/units.h"

const pg_metric_def pg_metric_defs[PG_N_METRICS + 1] = {
#define PG_METRIC_DEF(id, name, kind, unit, worse, what)                                           \
    [PG_METRIC_##id] = {PG_METRIC_##id,        name, PG_METRIC_##kind, PG_UNIT_##unit,             \
                        PG_WORSE_WHEN_##worse, what},
    PG_THRESHOLD_METRICS(PG_METRIC_DEF)
#undef PG_METRIC_DEF
        [PG_N_METRICS] = {PG_N_METRICS, NULL, PG_METRIC_TREND, PG_UNIT_NUMBER, PG_WORSE_WHEN_HIGHER,
                          NULL},
};

const pg_metric_def pg_metric_scraped = {
    PG_METRIC_SCRAPED, "scraped gauge",      PG_METRIC_GAUGE,
    PG_UNIT_NUMBER,    PG_WORSE_WHEN_HIGHER, "a gauge scraped from a metrics endpoint"};

const pg_metric_def *pg_metric_lookup(const char *name)
{
    for (const pg_metric_def *d = pg_metric_defs; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

int pg_metric_sampled(const char *name)
{
    const pg_metric_def *d = pg_metric_lookup(name);
    return d && d->kind == PG_METRIC_GAUGE && strcmp(name, "capacity_rps") != 0;
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

const char *const pg_tag_key_names[PG_TAG_KEY_COUNT + 1] = {
#define PG_TAG_NAME(id, name) name,
    PG_TAG_KEYS(PG_TAG_NAME)
#undef PG_TAG_NAME
        NULL};

pg_tag_key pg_tag_filter_simple(const pg_tag_filter *f)
{
    if (f->n != 1)
        return PG_TAG_KEY_COUNT;
    return f->value[PG_TAG_SCENARIO] ? PG_TAG_SCENARIO
           : f->value[PG_TAG_NAME]   ? PG_TAG_NAME
                                     : PG_TAG_KEY_COUNT;
}

void pg_tag_filter_clear(pg_tag_filter *f)
{
    for (int k = 0; k < PG_TAG_KEY_COUNT; k++)
        free(f->value[k]);
    memset(f, 0, sizeof *f);
}

/* The tag key that starts at p and is followed by ':', or -1. */
static int tag_at(const char *p, const char *end)
{
    for (int k = 0; k < PG_TAG_KEY_COUNT; k++) {
        size_t n = strlen(pg_tag_key_names[k]);
        if ((size_t)(end - p) > n && strncmp(p, pg_tag_key_names[k], n) == 0 && p[n] == ':')
            return k;
    }
    return -1;
}

/* A value that the tag can take; else why says what would be valid. */
static int check_tag_value(const char *key, int k, const char *v, char *why, size_t why_size)
{
    char *end;
    long code;
    size_t i;

    switch (k) {
    case PG_TAG_STATUS:
        code = strtol(v, &end, 10);
        if (*end || end == v || code < 100 || code > 599 || v[0] == '+' || v[0] == ' ') {
            snprintf(why, why_size,
                     "\"%s\": status is an HTTP status code from 100 to 599, e.g. {status:200}",
                     key);
            return PG_EINVALID;
        }
        return PG_OK;
    case PG_TAG_METHOD:
        for (i = 0; pg_http_methods[i] && strcmp(pg_http_methods[i], v) != 0; i++)
            ;
        if (!pg_http_methods[i]) {
            char list[128];
            pg_join(pg_http_methods, list, sizeof list);
            snprintf(why, why_size, "\"%s\": method is one of %s (upper case, as k6 tags it)", key,
                     list);
            return PG_EINVALID;
        }
        return PG_OK;
    case PG_TAG_EXPECTED_RESPONSE:
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
            snprintf(why, why_size, "\"%s\": expected_response is true or false", key);
            return PG_EINVALID;
        }
        return PG_OK;
    default:
        return PG_OK;
    }
}

int pg_metric_key_split(const char *key, char **base, pg_tag_filter *filter, char *why,
                        size_t why_size)
{
    const char *brace = strchr(key, '{'), *close, *p;

    *base = NULL;
    memset(filter, 0, sizeof *filter);
    if (!brace) {
        *base = dup_range(key, strlen(key));
        return *base ? PG_OK : PG_ENOMEM;
    }
    /* the filter ends at the last "}", as k6 reads it: a value may hold "}" */
    close = strrchr(brace, '}');
    if (!close || close[1] != '\0' || !strchr(brace, ':') || strchr(brace, ':') > close ||
        brace[1] == ':') {
        snprintf(why, why_size,
                 "\"%s\" is not a valid sub-metric; write name{tag:value}, e.g. "
                 "\"http_req_duration{scenario:browse}\" or {status:200,method:GET}",
                 key);
        return PG_EINVALID;
    }
    for (p = brace + 1; p < close;) {
        int k = tag_at(p, close);
        const char *v, *next;
        if (k < 0) {
            char list[160];
            pg_join(pg_tag_key_names, list, sizeof list);
            snprintf(why, why_size, "\"%s\" filters on an unknown tag; valid tags are %s", key,
                     list);
            goto bad;
        }
        v = p + strlen(pg_tag_key_names[k]) + 1;
        /* the value runs to the next ",KEY:" of a known key, or to the end */
        for (next = v; next < close && !(*next == ',' && tag_at(next + 1, close) >= 0); next++)
            ;
        if (next == v) {
            snprintf(why, why_size,
                     "\"%s\" filters on an empty value; name the scenario or request, e.g. "
                     "\"http_req_duration{scenario:browse}\"",
                     key);
            goto bad;
        }
        if (filter->value[k]) {
            snprintf(why, why_size, "\"%s\" filters on %s twice", key, pg_tag_key_names[k]);
            goto bad;
        }
        if (!(filter->value[k] = dup_range(v, (size_t)(next - v)))) {
            pg_tag_filter_clear(filter);
            return PG_ENOMEM;
        }
        filter->n++;
        if (check_tag_value(key, k, filter->value[k], why, why_size) != PG_OK)
            goto bad;
        p = next < close ? next + 1 : close;
    }
    if (!(*base = dup_range(key, (size_t)(brace - key)))) {
        pg_tag_filter_clear(filter);
        return PG_ENOMEM;
    }
    return PG_OK;
bad:
    pg_tag_filter_clear(filter);
    return PG_EINVALID;
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

static const char *agg_list(pg_metric_kind kind)
{
    switch (kind) {
    case PG_METRIC_TREND:
    case PG_METRIC_GAUGE:
        return "p(N), avg, med, min, max";
    case PG_METRIC_RATE:
        return "rate";
    default:
        return "count, rate";
    }
}

/* A decimal number at s (digits, a fraction, an exponent): its length, 0
 * when there is none. strtod alone would also take hexadecimal ("0x10"),
 * "inf" and "nan", which k6 refuses and a budget should not mean. */
static size_t decimal_length(const char *s)
{
    size_t n = strspn(s, "0123456789"), frac = 0;

    if (s[n] == '.')
        frac = strspn(s + n + 1, "0123456789"), n += 1 + frac;
    if (n == 0 || (n == 1 && s[0] == '.'))
        return 0;
    if (s[n] == 'e' || s[n] == 'E') {
        size_t sign = s[n + 1] == '+' || s[n + 1] == '-';
        size_t digits = strspn(s + n + 1 + sign, "0123456789");
        if (digits)
            n += 1 + sign + digits;
    }
    return n;
}

/* Reads the aggregation at *p; returns 0 or -1 (unknown). */
static int read_agg(const char **p, pg_threshold *t, char *why, size_t why_size)
{
    static const struct {
        const char *name;
        pg_agg agg;
    } names[] = {{"avg", PG_AGG_AVG}, {"med", PG_AGG_MED},   {"min", PG_AGG_MIN},
                 {"max", PG_AGG_MAX}, {"rate", PG_AGG_RATE}, {"count", PG_AGG_COUNT}};
    const char *s = *p;

    if (strncmp(s, "p(", 2) == 0) {
        size_t n = decimal_length(s + 2);
        const char *end = s + 2 + n;
        double pct = n ? strtod(s + 2, NULL) : 0.0;
        if (!n || *end != ')' || (s[2] < '0' || s[2] > '9')) {
            snprintf(why, why_size,
                     "percentile must be written p(N) with 0 < N < 100, e.g. p(95) or p(99.9)");
            return -2;
        }
        if (pct <= 0.0 || pct >= 100.0) {
            snprintf(why, why_size,
                     "p(%g) is out of range: N must be above 0 and below 100 (use %s instead)", pct,
                     pct <= 0.0 ? "min" : "max");
            return -2;
        }
        t->agg = PG_AGG_PERCENTILE;
        t->percentile = pct;
        *p = end + 1;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i].name);
        if (strncmp(s, names[i].name, n) == 0) {
            t->agg = names[i].agg;
            *p = s + n;
            return 0;
        }
    }
    return -1;
}

static int agg_fits(pg_agg agg, pg_metric_kind kind)
{
    switch (kind) {
    case PG_METRIC_TREND:
    case PG_METRIC_GAUGE:
        return agg <= PG_AGG_MAX;
    case PG_METRIC_RATE:
        return agg == PG_AGG_RATE;
    default:
        return agg == PG_AGG_RATE || agg == PG_AGG_COUNT;
    }
}

static int read_op(const char **p, pg_op *op)
{
    static const struct {
        const char *text;
        pg_op op;
    } ops[] = {{"<=", PG_OP_LE}, {">=", PG_OP_GE}, {"==", PG_OP_EQ},
               {"!=", PG_OP_NE}, {"<", PG_OP_LT},  {">", PG_OP_GT}};

    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i].text);
        if (strncmp(*p, ops[i].text, n) == 0) {
            *op = ops[i].op;
            *p += n;
            return 0;
        }
    }
    return -1;
}

/* A plain non-negative decimal number filling the whole string. */
static int read_plain_number(const char *s, double *v)
{
    size_t n = decimal_length(s);

    if (!n || *skip_spaces(s + n) != '\0')
        return -1;
    *v = strtod(s, NULL);
    return 0;
}

/* "1%", "0.5 %" -> 0.01, 0.005. */
static int read_percent(const char *s, double *v)
{
    size_t n = decimal_length(s);
    const char *pct = skip_spaces(s + n);

    if (!n || *pct != '%' || *skip_spaces(pct + 1) != '\0')
        return -1;
    *v = strtod(s, NULL) / 100.0;
    return 0;
}

int pg_threshold_parse_expr(const char *expr, const pg_metric_def *def, pg_threshold *t, char *why,
                            size_t why_size)
{
    const char *p = skip_spaces(expr);
    char agg_name[32];
    int rc;

    if (!*p) {
        snprintf(why, why_size, "empty threshold; write e.g. \"%s\"",
                 def->kind == PG_METRIC_TREND   ? "p(95)<200ms"
                 : def->kind == PG_METRIC_GAUGE ? "max<80"
                 : def->kind == PG_METRIC_RATE  ? "rate<0.01"
                                                : "count<10");
        return PG_EINVALID;
    }
    if ((rc = read_agg(&p, t, why, why_size)) == -2)
        return PG_EINVALID;
    if (rc == -1) {
        snprintf(why, why_size, "\"%s\" does not start with an aggregation; %s allows %s", expr,
                 def->name, agg_list(def->kind));
        return PG_EINVALID;
    }
    pg_agg_format(t->agg, t->percentile, agg_name, sizeof agg_name);
    if (!agg_fits(t->agg, def->kind)) {
        snprintf(why, why_size, "%s does not apply to %s; it allows %s", agg_name, def->name,
                 agg_list(def->kind));
        return PG_EINVALID;
    }
    p = skip_spaces(p);
    if (read_op(&p, &t->op) != 0) {
        snprintf(why, why_size, "\"%s\": expected a comparison after %s (<, <=, >, >=, ==, !=)",
                 expr, agg_name);
        return PG_EINVALID;
    }
    p = skip_spaces(p);
    if (!*p) {
        snprintf(why, why_size, "\"%s\": expected a value after the comparison", expr);
        return PG_EINVALID;
    }
    if (*p == '-') {
        snprintf(why, why_size, "\"%s\": the value is negative; metrics are never below 0", expr);
        return PG_EINVALID;
    }
    if (def->kind == PG_METRIC_TREND && def->unit == PG_UNIT_DURATION) {
        uint64_t us;
        char unit_why[256];
        double ms;
        /* k6 reads a bare number on a time metric as milliseconds. */
        if (read_plain_number(p, &ms) == 0) {
            t->value = ms * 1000.0;
        } else if (pg_parse_duration(p, &us, unit_why, sizeof unit_why) == 0) {
            t->value = (double)us;
        } else {
            snprintf(why, why_size, "\"%s\": %s", expr, unit_why);
            return PG_EINVALID;
        }
        return PG_OK;
    }
    if (def->unit == PG_UNIT_BYTES && read_plain_number(p, &t->value) != 0) {
        uint64_t bytes;
        char unit_why[256];
        if (pg_parse_size(p, &bytes, unit_why, sizeof unit_why) != 0) {
            snprintf(why, why_size, "\"%s\": %s", expr, unit_why);
            return PG_EINVALID;
        }
        t->value = (double)bytes;
        return PG_OK;
    }
    if (def->kind == PG_METRIC_RATE && read_percent(p, &t->value) == 0) {
        /* "rate<1%": a perfgate extension to k6's rate<0.01 */
    } else if (read_plain_number(p, &t->value) != 0) {
        snprintf(why, why_size, "\"%s\": \"%s\" is not a number (%s takes %s)", expr, p, def->name,
                 def->kind == PG_METRIC_RATE ? "a fraction such as 0.01 or a percentage such as 1%"
                                             : "a plain decimal number");
        return PG_EINVALID;
    }
    if (def->kind == PG_METRIC_RATE && t->value > 1.0) {
        snprintf(why, why_size,
                 "\"%s\": a rate of %s is a fraction from 0 to 1 (0.01 is 1%%) or a percentage "
                 "up to 100%%",
                 expr, def->name);
        return PG_EINVALID;
    }
    return PG_OK;
}

int pg_threshold_watchable(const pg_threshold *t)
{
    if (t->filter.n)
        return 0;
    switch (t->def->id) {
    case PG_METRIC_HTTP_REQ_DURATION:
    case PG_METRIC_HTTP_REQ_FAILED:
    case PG_METRIC_CHECKS:
    case PG_METRIC_HTTP_REQS:
    case PG_METRIC_DROPPED_ITERATIONS:
        return 1;
    default:
        return 0;
    }
}

int pg_threshold_holds(const pg_threshold *t, double observed)
{
    switch (t->op) {
    case PG_OP_LT:
        return observed < t->value;
    case PG_OP_LE:
        return observed <= t->value;
    case PG_OP_GT:
        return observed > t->value;
    case PG_OP_GE:
        return observed >= t->value;
    case PG_OP_EQ:
        return observed == t->value;
    default:
        return observed != t->value;
    }
}

const char *pg_op_name(pg_op op)
{
    static const char *const names[] = {"<", "<=", ">", ">=", "==", "!="};
    return names[op];
}

void pg_agg_format(pg_agg agg, double percentile, char *buf, size_t size)
{
    static const char *const names[] = {"p", "avg", "med", "min", "max", "rate", "count"};

    if (agg == PG_AGG_PERCENTILE)
        snprintf(buf, size, "p(%g)", percentile);
    else
        snprintf(buf, size, "%s", names[agg]);
}

void pg_threshold_clear(pg_threshold *t)
{
    free(t->metric);
    free(t->base);
    pg_tag_filter_clear(&t->filter);
    free(t->source);
    memset(t, 0, sizeof *t);
}
