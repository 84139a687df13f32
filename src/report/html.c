/* html.c — one self-contained HTML file with inline SVG charts (see html.h).
 *
 * Per budget: the comparison table and its change chart, the thresholds,
 * latency percentiles and throughput over time (the per-second timeline,
 * trial boundaries marked), the latency distribution as a percentile
 * spectrum (x is -log10(1 - q): 90%, 99%, 99.9% equally spaced, as
 * HdrHistogram plots it; corrected and uncorrected for coordinated
 * omission), the history across commits, then the detail tables. */
#include "report/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "metrics/hist.h"
#include "report/details.h"
#include "report/doc.h"
#include "report/escape.h"
#include "report/html_monitor.h"
#include "report/svg.h"

#define RED "#c62828"
#define GREEN "#2e7d32"
#define AMBER "#b26a00"
#define GREY "#757575"
#define BLUE "#1565c0"
#define PURPLE "#6a1b9a"

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;"
    "max-width:1000px;padding:0 16px;color:#1b1b1b}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd}"
    "h3{font-size:15px}table{border-collapse:collapse;margin:8px 0 16px}"
    "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}th{background:#f5f5f5}"
    ".pass{color:" GREEN "}.fail{color:" RED ";font-weight:bold}.inconclusive{color:" AMBER "}"
    ".skipped{color:" GREY "}.warn{background:#fff4e5;border-left:4px solid " AMBER
    ";padding:6px 10px}"
    ".chart{width:100%;max-width:720px;display:block;margin:8px 0 20px}"
    ".chart .t{font-weight:bold;font-size:13px}.chart .l{font-size:11px;fill:#444}"
    ".chart .g{stroke:#e4e4e4}.chart .m{stroke:#999;stroke-dasharray:2 3}"
    ".chart .z{stroke:#333}.chart .e{stroke:#999;stroke-dasharray:4 3}"
    ".chart .f{fill:none;stroke:#bbb}code{background:#f3f3f3;padding:0 3px}";

/* the CSS class of a verdict is its name */
static const char *cls(pg_verdict v)
{
    return pg_verdict_names[v];
}

static const char *colour(pg_verdict v)
{
    return v == PG_VERDICT_FAIL ? RED : v == PG_VERDICT_PASS ? GREEN : AMBER;
}

static void h(pg_buf *b, const char *s)
{
    pg_escape_html(b, s, 300);
}

static void header(pg_buf *b, const cJSON *doc)
{
    const cJSON *base = pg_doc_get(doc, "baseline");
    pg_doc_counts c;

    pg_doc_counts_of(doc, &c);
    pg_buf_printf(b, "<h1 class=\"%s\">perfgate: %s</h1>\n<p>", cls(c.overall),
                  pg_doc_headline(&c));
    pg_buf_printf(b,
                  "%d of %d thresholds broken, %d regressions, %d inconclusive, %d history "
                  "warnings.</p>\n<p>",
                  c.thresholds_failed, c.thresholds, c.regressions, c.inconclusive, c.warnings);
    if (pg_doc_str(base, "label", NULL)) {
        pg_buf_puts(b, "Baseline: ");
        h(b, pg_doc_str(base, "label", ""));
    } else if (pg_doc_bool(base, "found")) {
        pg_buf_puts(b, "Baseline: <code>");
        h(b, pg_doc_str(base, "commit", ""));
        pg_buf_printf(b, "</code>, %.0f commits before the merge-base with <code>",
                      pg_doc_num(base, "distance", 0));
        h(b, pg_doc_str(base, "base_ref", ""));
        pg_buf_puts(b, "</code>");
    } else {
        pg_buf_puts(b, "No baseline found: thresholds gate, regression checks are skipped");
    }
    pg_buf_puts(b, ". This run: <code>");
    h(b, pg_doc_str(doc, "commit", "(not in a repository)"));
    pg_buf_puts(b, "</code> on ");
    h(b, pg_doc_str(doc, "ref", ""));
    pg_buf_puts(b, ", ");
    h(b, pg_doc_str(doc, "created", ""));
    pg_buf_puts(b, ".</p>\n");
    if (c.interrupted)
        pg_buf_puts(b, "<p class=\"warn\">The run was interrupted: these results are partial.</p>");
}

static void comparison(pg_buf *b, const cJSON *doc, const cJSON *bud)
{
    const cJSON *cmp = pg_doc_get(bud, "comparison"), *m;
    pg_svg_change rows[64];
    size_t n = 0;

    if (pg_doc_str(cmp, "skipped", NULL)) {
        pg_buf_puts(b, "<p class=\"skipped\">Regression checks skipped: ");
        h(b, pg_doc_str(cmp, "skipped", ""));
        pg_buf_puts(b, "</p>\n");
        return;
    }
    if (pg_doc_str(cmp, "note", NULL)) {
        pg_buf_puts(b, "<p>Note: ");
        h(b, pg_doc_str(cmp, "note", ""));
        pg_buf_puts(b, "</p>\n");
    }
    if (pg_doc_str(cmp, "veto", NULL)) {
        pg_buf_puts(b, "<p class=\"warn\">The gate could not decide: ");
        h(b, pg_doc_str(cmp, "veto", ""));
        pg_buf_puts(b, ". The rows below are shown, not judged.</p>\n");
    }
    pg_details_comparison(b, PG_TABLE_HTML, doc, bud);
    cJSON_ArrayForEach(m, pg_doc_get(cmp, "metrics"))
    {
        const char *metric = pg_doc_str(m, "metric", "");
        pg_verdict v = pg_doc_verdict(m, "verdict");
        int flip = strcmp(pg_doc_str(m, "direction", ""), "higher_is_better") == 0;

        /* the chart shows ratios, turned so that right is worse */
        if (n < 64 && strcmp(pg_doc_str(m, "change_kind", ""), "ratio") == 0 &&
            v != PG_VERDICT_SKIPPED) {
            double c = pg_doc_num(m, "change", NAN) - 1, l = pg_doc_num(m, "ci_low", NAN) - 1,
                   u = pg_doc_num(m, "ci_high", NAN) - 1;
            rows[n].label = metric;
            rows[n].change = flip ? -c : c;
            rows[n].lo = flip ? -u : l;
            rows[n].hi = flip ? -l : u;
            rows[n].min_effect = pg_doc_num(m, "min_effect", 0);
            rows[n].colour = colour(v);
            n++;
        }
    }
    if (n)
        pg_svg_change_chart(b, "Change per metric (throughput turned so that right is worse)", rows,
                            n);
}

/* Latency and throughput per second over the whole run. */
static void timeline(pg_buf *b, const cJSON *bud)
{
    const cJSON *t, *p;
    size_t n = 0, cap = 0, nm = 0;
    double *x = NULL, *p50 = NULL, *p99 = NULL, *rps = NULL, *err = NULL, marks[128], at = 0;

    cJSON_ArrayForEach(t, pg_doc_get(bud, "trials")) cap +=
        (size_t)cJSON_GetArraySize(pg_doc_get(t, "timeline"));
    if (cap && !((x = calloc(cap, sizeof *x)) && (p50 = calloc(cap, sizeof *p50)) &&
                 (p99 = calloc(cap, sizeof *p99)) && (rps = calloc(cap, sizeof *rps)) &&
                 (err = calloc(cap, sizeof *err))))
        pg_buf_fail(b); /* not "no data": the report is not written */
    else if (cap) {
        cJSON_ArrayForEach(t, pg_doc_get(bud, "trials"))
        {
            if (nm && nm < 128)
                marks[nm - 1] = at;
            nm++;
            at += pg_doc_num(t, "duration_s", 0);
            cJSON_ArrayForEach(p, pg_doc_get(t, "timeline"))
            {
                double req = pg_doc_num(p, "requests", 0);
                x[n] = pg_doc_num(p, "t", NAN);
                p50[n] = req > 0 ? pg_doc_num(p, "p50_us", NAN) / 1000.0 : NAN;
                p99[n] = req > 0 ? pg_doc_num(p, "p99_us", NAN) / 1000.0 : NAN;
                rps[n] = req;
                err[n] = pg_doc_num(p, "errors", 0);
                n++;
            }
        }
    }
    {
        pg_svg_series lat[] = {{"p99", RED, x, p99, n, 0}, {"p50", BLUE, x, p50, n, 0}};
        pg_svg_series thr[] = {{"requests/s", GREEN, x, rps, n, 0},
                               {"errors/s", RED, x, err, n, 1}};
        pg_svg_chart c = {.title = "Latency over time (per second; dotted lines: trial boundaries)",
                          .x_label = "seconds into the measured run",
                          .y_label = "ms",
                          .series = lat,
                          .n_series = 2,
                          .marks = marks,
                          .n_marks = nm ? (nm - 1 < 128 ? nm - 1 : 127) : 0,
                          .y_from_zero = 1};
        pg_svg_line_chart(b, &c);
        c.title = "Throughput and errors over time";
        c.y_label = "per second";
        c.series = thr;
        pg_svg_line_chart(b, &c);
    }
    free(x);
    free(p50);
    free(p99);
    free(rps);
    free(err);
}

/* The percentile spectrum of all trials together, from their histograms. */
static void spectrum(pg_buf *b, const cJSON *bud)
{
    static const double qs[] = {0,    10,   20,   30,    40,    50,    60,     70, 75,   80,
                                85,   90,   93,   95,    96,    97,    98,     99, 99.3, 99.5,
                                99.7, 99.8, 99.9, 99.95, 99.97, 99.99, 99.999, 100};
    static const double ticks[] = {0, 1, 2, 3, 4, 5};
    static const char *const labels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
    enum { NQ = sizeof qs / sizeof *qs };
    const char *fields[2] = {"histogram", "histogram_uncorrected"};
    double x[NQ], y[2][NQ];
    pg_hist *hist[2] = {NULL, NULL};
    const cJSON *t;
    pg_err e;
    int ok = 1;

    for (int k = 0; k < 2 && ok; k++) {
        pg_hist *one = NULL;
        ok = pg_hist_new(&hist[k], &e) == 0 && pg_hist_new(&one, &e) == 0;
        cJSON_ArrayForEach(t, pg_doc_get(bud, "trials"))
        {
            const char *enc = pg_doc_str(t, fields[k], NULL);
            if (!ok || !enc)
                continue;
            if (pg_hist_decode(one, enc, &e) == 0)
                pg_hist_merge(hist[k], one);
            else if (e.code == PG_ENOMEM) /* a histogram that does not decode is left out */
                ok = 0;
        }
        pg_hist_free(one);
    }
    if (!ok)
        pg_buf_fail(b); /* a spectrum of fewer trials, or none, is not this run's */
    if (ok && hist[0]->total) {
        for (size_t i = 0; i < NQ; i++) {
            /* 100% is drawn at the last tick: -log10(0) has no place on the axis */
            x[i] = qs[i] >= 100 ? 5 : fmin(5, -log10(1 - qs[i] / 100));
            for (int k = 0; k < 2; k++)
                y[k][i] =
                    hist[k]->total ? (double)pg_hist_percentile(hist[k], qs[i]) / 1000.0 : NAN;
        }
        {
            pg_svg_series se[] = {{"from intended start", RED, x, y[0], NQ, 0},
                                  {"from actual send", GREY, x, y[1], NQ, 1}};
            pg_svg_chart c = {.title = "Latency distribution (percentile spectrum, all trials)",
                              .x_label = "percentile",
                              .y_label = "ms",
                              .series = se,
                              .n_series = hist[1]->total ? 2 : 1,
                              .x_ticks = ticks,
                              .x_tick_labels = labels,
                              .n_x_ticks = 6,
                              .y_from_zero = 1};
            pg_svg_line_chart(b, &c);
        }
    }
    pg_hist_free(hist[0]);
    pg_hist_free(hist[1]);
}

static void history(pg_buf *b, const cJSON *bud)
{
    const cJSON *hist = pg_doc_get(pg_doc_get(bud, "comparison"), "history"), *e;
    const cJSON *sum = pg_doc_get(bud, "summary");
    size_t n = (size_t)cJSON_GetArraySize(hist), i = 0;
    double x[32], p50[32], p95[32], p99[32], cap[32];
    int capacity = cJSON_IsNumber(pg_doc_get(sum, "capacity_rps"));
    char names[32][12];
    const char *labels[32];

    if (n == 0)
        return;
    if (n > 31)
        n = 31;
    cJSON_ArrayForEach(e, hist)
    {
        if (i == n)
            break;
        x[i] = (double)i;
        p50[i] = pg_doc_num(e, "p50", NAN) / 1000;
        p95[i] = pg_doc_num(e, "p95", NAN) / 1000;
        p99[i] = pg_doc_num(e, "p99", NAN) / 1000;
        cap[i] = pg_doc_num(e, "capacity_rps", NAN);
        snprintf(names[i], sizeof names[i], "%.7s", pg_doc_str(e, "commit", "?"));
        labels[i] = names[i];
        i++;
    }
    x[n] = (double)n;
    p95[n] = pg_doc_trials_median(bud, "p95") / 1000;
    p50[n] = pg_doc_trials_median(bud, "p50") / 1000;
    p99[n] = pg_doc_trials_median(bud, "p99") / 1000;
    cap[n] = pg_doc_num(sum, "capacity_rps", NAN);
    labels[n] = "this run";
    {
        pg_svg_series se[] = {{"p99", RED, x, p99, n + 1, 0},
                              {"p95", AMBER, x, p95, n + 1, 0},
                              {"p50", BLUE, x, p50, n + 1, 0}};
        pg_svg_series cs[] = {{"capacity", GREEN, x, cap, n + 1, 0}};
        pg_svg_chart c = {.title = "History across commits (median of each baseline's trials)",
                          .x_label = "commit (oldest left)",
                          .y_label = "ms",
                          .series = se,
                          .n_series = 3,
                          .x_ticks = x,
                          .x_tick_labels = labels,
                          .n_x_ticks = n + 1,
                          .y_from_zero = 1};
        if (capacity) { /* a staircase: its capacity, not latency at whatever step it reached */
            c.y_label = "requests/s";
            c.series = cs;
            c.n_series = 1;
        }
        pg_svg_line_chart(b, &c);
    }
}

static void budget(pg_buf *b, const cJSON *doc, const cJSON *bud)
{
    pg_buf_puts(b, "<h2>");
    h(b, pg_doc_str(bud, "name", ""));
    pg_buf_puts(b, "</h2>\n<p>Target ");
    h(b, pg_doc_str(bud, "target", ""));
    pg_buf_puts(b, ", budget file ");
    h(b, pg_doc_str(bud, "budget", ""));
    pg_buf_printf(b, ", %d trials, generator %.0f threads at %.0f%% CPU.</p>\n",
                  cJSON_GetArraySize(pg_doc_get(bud, "trials")), pg_doc_num(bud, "threads", 0),
                  pg_doc_num(bud, "generator_cpu_percent", 0));
    if (pg_doc_bool(bud, "generator_saturated")) {
        pg_buf_puts(b, "<p class=\"warn\">The load generator was saturated: ");
        h(b, pg_doc_str(bud, "saturation", ""));
        pg_buf_puts(b, "</p>\n");
    }
    comparison(b, doc, bud);
    pg_details_thresholds(b, PG_TABLE_HTML, bud);
    pg_html_capacity(b, bud);
    timeline(b, bud);
    pg_html_resources(b, bud);
    spectrum(b, bud);
    history(b, bud);
    pg_details_trials(b, PG_TABLE_HTML, bud);
    pg_details_latency(b, PG_TABLE_HTML, bud);
    pg_details_streams(b, PG_TABLE_HTML, bud);
    pg_details_counts(b, PG_TABLE_HTML, bud);
}

int pg_html_render(char **out, const cJSON *doc, pg_err *err)
{
    pg_buf b = {0};
    const cJSON *bud, *env = pg_doc_get(doc, "env");

    *out = NULL;
    pg_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    "<title>perfgate report</title><style>");
    pg_buf_puts(&b, style);
    pg_buf_puts(&b, "</style></head><body>\n");
    header(&b, doc);
    cJSON_ArrayForEach(bud, pg_doc_get(doc, "budgets")) budget(&b, doc, bud);
    pg_buf_puts(&b, "<h2>Machine</h2><p>");
    h(&b, pg_doc_str(env, "host", ""));
    pg_buf_printf(&b, ", %.0f cores, ", pg_doc_num(env, "cores", 0));
    h(&b, pg_doc_str(env, "cpu", ""));
    pg_buf_puts(&b, ", ");
    h(&b, pg_doc_str(env, "kernel", ""));
    pg_buf_puts(&b, ", perfgate ");
    h(&b, pg_doc_str(env, "perfgate", ""));
    pg_buf_puts(&b, ".</p></body></html>\n");
    if (pg_buf_failed(&b)) {
        pg_buf_free(&b);
        return pg_err_set(err, PG_ENOMEM, "out of memory while writing HTML");
    }
    *out = b.data;
    return PG_OK;
}
