/* units.h — the scalar syntaxes of budget files: durations, rates, sizes,
 * percentages and think-time ranges.
 *
 * Every parser takes the whole string, returns 0 or PG_EINVALID, and on
 * failure writes a one-line reason into why (what was wrong and what would be
 * valid), which the budget parser prefixes with file:line:col. */
#ifndef PG_CONFIG_UNITS_H
#define PG_CONFIG_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Longest duration anything in a budget may have: 24 h, in microseconds. */
#define PG_DURATION_MAX_US (24ull * 3600ull * 1000000ull)

/* "500us", "20ms", "1.5s", "2m", "1h", "1m30s" -> microseconds. A bare number
 * is refused (ambiguous); units are us, ms, s, m, h. */
int pg_parse_duration(const char *s, uint64_t *us, char *why, size_t why_size);

/* "200", "200/s", "12000/m", "3600/h" -> per second (> 0). */
int pg_parse_rate(const char *s, double *per_s, char *why, size_t why_size);

/* "512", "64KB", "1.5MiB", "2GB" -> bytes. kB/KB/MB/GB are powers of 1000,
 * KiB/MiB/GiB powers of 1024, B or no unit is bytes. */
int pg_parse_size(const char *s, uint64_t *bytes, char *why, size_t why_size);

/* "5%", "0.5%" -> 0.05, 0.005 (a fraction, 0 < x < 10). */
int pg_parse_percent(const char *s, double *fraction, char *why, size_t why_size);

/* "100ms" or "50ms..150ms" -> [lo, hi] microseconds, lo <= hi. */
int pg_parse_duration_range(const char *s, uint64_t *lo, uint64_t *hi, char *why, size_t why_size);

/* What a metric's numbers are, so each is shown one way everywhere. */
typedef enum {
    PG_UNIT_DURATION,   /* microseconds */
    PG_UNIT_PER_SECOND, /* events per second: throughput, capacity, stream rates */
    PG_UNIT_SHARE,      /* a fraction of 1 (an error rate); changes are differences */
    PG_UNIT_PERCENT,    /* a percentage already (CPU, memory in use) */
    PG_UNIT_BYTES,
    PG_UNIT_COUNT,  /* a whole number of things */
    PG_UNIT_NUMBER, /* anything else (a scraped gauge) */
} pg_unit;

/* What a results file's gauge series says its samples are in: "%", "bytes" or "". */
const char *pg_unit_label(pg_unit unit);

/* v in unit as people read it: "12.5ms" (a negative duration "-850us"),
 * "812.3/s", "45.68/s", "0.12%", "37.5%", "12.3MiB", "1200", "0.25". */
void pg_format_in_unit(pg_unit unit, double v, char *buf, size_t size);

/* Formats microseconds the way people read them: "850us", "12.5ms", "1.50s", "2m30s". */
void pg_format_duration(uint64_t us, char *buf, size_t size);

/* Formats bytes in powers of 1024: "512B", "64.0KiB", "12.3MiB", "1.50GiB". */
void pg_format_size(double bytes, char *buf, size_t size);

#endif
