/* units.c — durations, rates, sizes, percentages and ranges (see units.h).
 *
 * Numbers are read digit by digit rather than with strtod so that forms
 * strtod accepts but a budget should not ("1e3s", "0x10", " 5", "inf") are
 * refused, and overflow is detected exactly. */
#include "config/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

/* Reads an unsigned decimal "123" or "12.75" at *p; advances *p. */
static int read_decimal(const char **p, double *out)
{
    const char *s = *p;
    double v = 0.0, scale = 0.1;
    int digits = 0;

    while (*s >= '0' && *s <= '9') {
        v = v * 10.0 + (*s - '0');
        s++;
        digits++;
    }
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return -1;
        while (*s >= '0' && *s <= '9') {
            v += (*s - '0') * scale;
            scale /= 10.0;
            s++;
            digits++;
        }
    }
    if (!digits)
        return -1;
    *p = s;
    *out = v;
    return 0;
}

static int fail(char *why, size_t size, const char *fmt, const char *s)
{
    snprintf(why, size, fmt, s);
    return PG_EINVALID;
}

static const struct {
    const char *name;
    double us;
} duration_units[] = {
    {"us", 1.0}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6},
};

int pg_parse_duration(const char *s, uint64_t *us, char *why, size_t why_size)
{
    const char *p = s;
    double total = 0.0;

    if (!*s)
        return fail(why, why_size,
                    "empty duration%s; write e.g. \"500us\", \"20ms\", \"1.5s\", \"2m\"", "");
    if (*s == '-')
        return fail(why, why_size, "duration \"%s\" is negative; durations are >= 0", s);
    while (*p) {
        double v;
        size_t best = 0, len = 0;
        double unit = 0.0;

        if (read_decimal(&p, &v) != 0)
            return fail(why, why_size,
                        "\"%s\" is not a duration; write a number and a unit (us, ms, s, m, h), "
                        "e.g. \"20ms\" or \"1m30s\"",
                        s);
        for (size_t i = 0; i < sizeof duration_units / sizeof *duration_units; i++) {
            len = strlen(duration_units[i].name);
            if (strncmp(p, duration_units[i].name, len) == 0 && len > best) {
                best = len;
                unit = duration_units[i].us;
            }
        }
        if (!best) {
            if (!*p)
                return fail(
                    why, why_size,
                    "duration \"%s\" has no unit; add one of us, ms, s, m, h (e.g. \"20ms\")", s);
            return fail(why, why_size,
                        "duration \"%s\" has an unknown unit; valid units are us, ms, s, m, h", s);
        }
        p += best;
        total += v * unit;
        if (total > (double)PG_DURATION_MAX_US)
            return fail(why, why_size, "duration \"%s\" is too long; at most 24h", s);
    }
    *us = (uint64_t)llround(total);
    return PG_OK;
}

int pg_parse_rate(const char *s, double *per_s, char *why, size_t why_size)
{
    const char *p = s;
    double v, div = 1.0;

    if (!*s)
        return fail(why, why_size, "empty rate%s; write e.g. \"200\", \"200/s\" or \"12000/m\"",
                    "");
    if (*s == '-')
        return fail(why, why_size, "rate \"%s\" is negative; a rate is > 0", s);
    if (read_decimal(&p, &v) != 0)
        return fail(why, why_size,
                    "\"%s\" is not a rate; write e.g. \"200\", \"200/s\" or \"12000/m\"", s);
    if (*p == '/') {
        p++;
        if (strcmp(p, "s") == 0)
            div = 1.0;
        else if (strcmp(p, "m") == 0)
            div = 60.0;
        else if (strcmp(p, "h") == 0)
            div = 3600.0;
        else
            return fail(why, why_size, "rate \"%s\" has an unknown unit; valid are /s, /m, /h", s);
    } else if (*p) {
        return fail(why, why_size,
                    "\"%s\" is not a rate; write e.g. \"200\", \"200/s\" or \"12000/m\"", s);
    }
    if (v <= 0.0)
        return fail(why, why_size, "rate \"%s\" must be greater than 0", s);
    if (v / div > 10e6)
        return fail(why, why_size, "rate \"%s\" is over 10,000,000/s", s);
    *per_s = v / div;
    return PG_OK;
}

int pg_parse_size(const char *s, uint64_t *bytes, char *why, size_t why_size)
{
    static const struct {
        const char *name;
        double mult;
    } units[] = {
        {"", 1.0},   {"B", 1.0},      {"kB", 1e3},        {"KB", 1e3},           {"MB", 1e6},
        {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    };
    const char *p = s;
    double v;

    if (!*s)
        return fail(why, why_size, "empty size%s; write e.g. \"512\", \"64KiB\" or \"2MB\"", "");
    if (*s == '-')
        return fail(why, why_size, "size \"%s\" is negative", s);
    if (read_decimal(&p, &v) != 0)
        return fail(why, why_size, "\"%s\" is not a size; write e.g. \"512\", \"64KiB\" or \"2MB\"",
                    s);
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(p, units[i].name) == 0) {
            double b = v * units[i].mult;
            if (b > 1e15)
                return fail(why, why_size, "size \"%s\" is too large; at most 1PB", s);
            *bytes = (uint64_t)llround(b);
            return PG_OK;
        }
    }
    return fail(why, why_size,
                "size \"%s\" has an unknown unit; valid are B, kB, MB, GB, KiB, MiB, GiB", s);
}

int pg_parse_percent(const char *s, double *fraction, char *why, size_t why_size)
{
    const char *p = s;
    double v;

    if (*s == '-')
        return fail(why, why_size, "percentage \"%s\" is negative; write e.g. \"5%%\"", s);
    if (read_decimal(&p, &v) != 0 || strcmp(p, "%") != 0)
        return fail(why, why_size, "\"%s\" is not a percentage; write e.g. \"5%%\" or \"2.5%%\"",
                    s);
    if (v <= 0.0 || v >= 1000.0)
        return fail(why, why_size, "percentage \"%s\" must be above 0%% and below 1000%%", s);
    *fraction = v / 100.0;
    return PG_OK;
}

int pg_parse_duration_range(const char *s, uint64_t *lo, uint64_t *hi, char *why, size_t why_size)
{
    const char *dots = strstr(s, "..");
    char left[64];
    int rc;

    if (!dots) {
        if ((rc = pg_parse_duration(s, lo, why, why_size)) != 0)
            return rc;
        *hi = *lo;
        return PG_OK;
    }
    if ((size_t)(dots - s) >= sizeof left)
        return fail(why, why_size, "range \"%s\" is too long", s);
    memcpy(left, s, (size_t)(dots - s));
    left[dots - s] = '\0';
    if ((rc = pg_parse_duration(left, lo, why, why_size)) != 0 ||
        (rc = pg_parse_duration(dots + 2, hi, why, why_size)) != 0)
        return rc;
    if (*lo > *hi)
        return fail(why, why_size,
                    "range \"%s\" runs backwards; write it low..high, e.g. \"50ms..150ms\"", s);
    return PG_OK;
}

void pg_format_duration(uint64_t us, char *buf, size_t size)
{
    if (us < 1000)
        snprintf(buf, size, "%lluus", (unsigned long long)us);
    else if (us < 10000)
        snprintf(buf, size, "%.2fms", (double)us / 1e3);
    else if (us < 1000000)
        snprintf(buf, size, "%.1fms", (double)us / 1e3);
    else if (us < 60000000)
        snprintf(buf, size, "%.2fs", (double)us / 1e6);
    else
        snprintf(buf, size, "%llum%02llus", (unsigned long long)(us / 60000000),
                 (unsigned long long)((us / 1000000) % 60));
}

void pg_format_size(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;

    while (bytes >= 1024.0 && u < 4) {
        bytes /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0fB", bytes);
    else
        snprintf(buf, size, "%.*f%s", bytes < 10 ? 2 : bytes < 100 ? 1 : 0, bytes, units[u]);
}

void pg_format_in_unit(pg_unit unit, double v, char *buf, size_t size)
{
    switch (unit) {
    case PG_UNIT_DURATION:
        if (v < 0 && size > 1) { /* a band's lower end below zero */
            buf[0] = '-';
            pg_format_duration((uint64_t)llround(-v), buf + 1, size - 1);
        } else
            pg_format_duration((uint64_t)llround(v), buf, size);
        return;
    case PG_UNIT_PER_SECOND: /* a tenth is enough from 100/s on, small rates keep 4 digits */
        snprintf(buf, size, fabs(v) >= 100.0 ? "%.1f/s" : "%.4g/s", v);
        return;
    case PG_UNIT_SHARE: /* two decimals of a percent, and a tiny share not shown as 0 */
        snprintf(buf, size, v != 0.0 && fabs(v) < 1e-4 ? "%.2g%%" : "%.2f%%", v * 100.0);
        return;
    case PG_UNIT_PERCENT:
        snprintf(buf, size, "%.3g%%", v);
        return;
    case PG_UNIT_BYTES:
        pg_format_size(v, buf, size);
        return;
    case PG_UNIT_COUNT: /* a mean of counts keeps its fraction */
        snprintf(buf, size, v == floor(v) ? "%.0f" : "%.4g", v);
        return;
    case PG_UNIT_NUMBER:
        break;
    }
    snprintf(buf, size, "%.6g", v);
}

const char *pg_unit_label(pg_unit unit)
{
    return unit == PG_UNIT_PERCENT ? "%" : unit == PG_UNIT_BYTES ? "bytes" : "";
}
