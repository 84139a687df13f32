/* doc.h — reading the verdict document (verdict.h) for the renderers.
 *
 * Every report is drawn from that one JSON document, whether `check` just
 * made it or `report` reads it back from disk, so the two can never differ.
 * Lookups take a default: a document from a run that was interrupted, or a
 * plain results file without a verdict, renders what is there. */
#ifndef PG_REPORT_DOC_H
#define PG_REPORT_DOC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "metrics/results.h"

const cJSON *pg_doc_get(const cJSON *o, const char *key); /* NULL if absent or o is NULL */
const char *pg_doc_str(const cJSON *o, const char *key, const char *dflt);
double pg_doc_num(const cJSON *o, const char *key, double dflt);
int pg_doc_bool(const cJSON *o, const char *key);
pg_verdict pg_doc_verdict(const cJSON *o, const char *key); /* absent or unknown: skipped */

/* Median over a budget's trials of latency_us.<field> (e.g. "p95"), the
 * way baselines' history values are taken; NAN without trials. */
double pg_doc_trials_median(const cJSON *budget, const char *field);

/* What the gate decided, from the document's "gate" and checks. */
typedef struct pg_doc_counts {
    pg_verdict overall;
    int strict;
    int thresholds, thresholds_failed, thresholds_skipped;
    int compared, regressions, inconclusive, skipped, warnings;
    int budgets, interrupted;
    int vetoed; /* budgets whose comparisons were made but not decided (comparison.veto) */
} pg_doc_counts;

void pg_doc_counts_of(const cJSON *doc, pg_doc_counts *c);

/* "pass"/"regression"/"budget exceeded"/"inconclusive"/"could not decide"/
 * "nothing measured" — what a person reads first. */
const char *pg_doc_headline(const pg_doc_counts *c);

/* The metric value as people read it: "212ms", "812.3/s", "0.12%". */
void pg_doc_format_value(const char *metric, double v, char *buf, size_t size);

/* A comparison's change, "+12.3%" or "+0.40pp"; "n/a" if absent. */
void pg_doc_format_change(const cJSON *cmp, const char *key, char *buf, size_t size);

#endif
