/* markdown.h — the verdict as GitHub-flavoured markdown: the pull-request
 * comment and the job summary.
 *
 * Built for a reviewer with five seconds: the first line is the verdict
 * with its counts; then per budget one table (metric, baseline, current,
 * change, 95% interval, verdict mark) and its thresholds; a mermaid
 * xychart-beta of p95 across the last baselines and this run; everything
 * else (trials, scenarios, status codes, errors, history band, p-values,
 * environment) inside <details>. The hidden marker <!-- perfgate --> lets
 * `perfgate comment` find its own comment again.
 *
 * GitHub refuses comments over 65,536 characters: when the text would be
 * longer, whole sections are cut (details first, then charts, then budget
 * tables, from the last budget back) and a line says what was cut. Text
 * from budgets and responses goes through pg_escape_markdown. */
#ifndef PG_REPORT_MARKDOWN_H
#define PG_REPORT_MARKDOWN_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/err.h"

#define PG_MARKDOWN_MARKER "<!-- perfgate -->"
#define PG_MARKDOWN_MAX 65536

/* The markdown of doc into *out (caller frees), at most max_bytes long
 * (PG_MARKDOWN_MAX for a comment). */
int pg_markdown_render(char **out, const cJSON *doc, size_t max_bytes, pg_err *err);

#endif
