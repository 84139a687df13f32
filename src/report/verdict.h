/* verdict.h — the gate's verdict for people (console) and for tools (JSON).
 * The JSON is the current results file with, per budget, a "comparison"
 * object and the regression checks added, and at the top the baseline used
 * and the overall verdict: everything the reports (JUnit, markdown, HTML,
 * GitHub) need, nothing recomputed. */
#ifndef PG_REPORT_VERDICT_H
#define PG_REPORT_VERDICT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "stats/gate.h"
#include "store/baselines.h"

/* The table per budget (metric, baseline, current, change, 95% CI, p, verdict)
 * and the overall verdict line. */
void pg_verdict_console(FILE *fp, const pg_gate *g, const pg_baseline_found *base, int colour);

/* The same with the baseline described in words (perfgate ab: "A = URL")
 * and the two sides' columns headed name_a and name_b ("base", "head"). */
void pg_verdict_console_labelled(FILE *fp, const pg_gate *g, const char *baseline_label,
                                 const char *name_a, const char *name_b, int colour);

/* Makes a results document (pg_results_open) the verdict document, the
 * one input of every report (JUnit, markdown, HTML, GitHub): adds
 * "verdict", "gate" (counts) and "baseline" at the top, and per budget a
 * "comparison" (each metric with its interval and history band, and
 * "history": the medians of the earlier baselines, oldest first) with the
 * regression checks appended to "checks". A document that was a verdict
 * document before is rebuilt, not nested. history may be NULL. PG_ENOMEM
 * when memory ran out on the way (the document is then incomplete: write
 * nothing from it). */
int pg_verdict_doc(cJSON *doc, const pg_gate *g, const pg_baseline_found *base,
                   const pg_results_values *history, size_t n_history);

/* What an A/B comparison compared (perfgate ab, check --base-target). */
typedef struct pg_ab_sides {
    const char *label;    /* "A = URL, B = URL, duet schedule, 6 trials each" */
    const char *schedule; /* "duet" or "alternate" */
    const char *name_a, *name_b;
} pg_ab_sides;

/* pg_verdict_doc for B against A: "baseline" holds label, schedule, a_name
 * and b_name instead of a commit; reports head the two sides' columns with
 * the names. PG_ENOMEM when the document could not be completed. */
int pg_verdict_doc_ab(cJSON *doc, const pg_gate *g, const pg_ab_sides *sides);

/* "p95", 5123.0 -> "5.12ms"; "rps" -> "812.3/s"; "error_rate" -> "0.12%". */
void pg_format_metric(const char *metric, double v, char *buf, size_t size);

/* The change as people read it: "+12.3%" for ratios, "+0.40pp" for error rate. */
void pg_format_change(const pg_comparison *c, double change, char *buf, size_t size);

#endif
