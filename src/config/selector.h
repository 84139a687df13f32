/* selector.h — which sample of a Prometheus text exposition a scraped gauge
 * reads: a metric name and optional label matchers, as PromQL writes an
 * instant selector with equality only: name{label="value",other="x"}.
 * (https://prometheus.io/docs/prometheus/latest/querying/basics/). Label
 * values take PromQL's escapes \\ \" \n. Shared by the budget parser, which
 * refuses a bad one at its line and column, and the scraper, which matches
 * samples with it. */
#ifndef PG_CONFIG_SELECTOR_H
#define PG_CONFIG_SELECTOR_H

#include <stddef.h>

#define PG_SELECTOR_LABELS 8

typedef struct pg_selector {
    char name[128];
    size_t n_labels;
    struct {
        char name[64];
        char value[128];
    } label[PG_SELECTOR_LABELS];
} pg_selector;

/* Parses text; 0, or -1 with why saying what is wrong and what is valid. */
int pg_selector_parse(pg_selector *out, const char *text, char *why, size_t why_size);

/* A Prometheus metric or label name: [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':'). */
int pg_selector_name_char(int c, int first, int label);

#endif
