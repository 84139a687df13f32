/* html_monitor.c — resources and staircases in the HTML report (see html_monitor.h). */
#include "report/html_monitor.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/threshold.h"
#include "report/details.h"
#include "report/doc.h"
#include "report/escape.h"
#include "report/svg.h"

#define MAX_SERIES 4

static const char *const colours[] = {"#1565c0", "#c62828", "#2e7d32", "#6a1b9a"};

/* Samples of a series as x (seconds) and y (scaled), malloc'd; 0 when none
 * (and b failed when there were some but no memory for them). */
static size_t samples(pg_buf *b, const cJSON *series, double scale, double **x, double **y)
{
    const cJSON *a = pg_doc_get(series, "samples"), *p;
    size_t n = (size_t)cJSON_GetArraySize(a), k = 0;

    *x = *y = NULL;
    if (!n)
        return 0;
    if (!(*x = calloc(n, sizeof **x)) || !(*y = calloc(n, sizeof **y))) {
        free(*x);
        *x = NULL;
        pg_buf_fail(b);
        return 0;
    }
    cJSON_ArrayForEach(p, a)
    {
        const cJSON *t = cJSON_GetArrayItem(p, 0), *v = cJSON_GetArrayItem(p, 1);
        if (cJSON_IsNumber(t) && cJSON_IsNumber(v)) {
            (*x)[k] = t->valuedouble;
            (*y)[k++] = v->valuedouble * scale;
        }
    }
    return k;
}

/* One chart of up to four series of the monitor, by name. */
static void chart(pg_buf *b, const cJSON *all, const char *const *names, const char *const *labels,
                  size_t n, double scale, const char *title, const char *y_label)
{
    pg_svg_series se[MAX_SERIES];
    double *x[MAX_SERIES] = {0}, *y[MAX_SERIES] = {0};
    size_t k = 0;

    for (size_t i = 0; i < n && i < MAX_SERIES; i++) {
        size_t got = samples(b, pg_doc_get(all, names[i]), scale, &x[k], &y[k]);
        if (!got)
            continue;
        se[k] = (pg_svg_series){labels[i], colours[k], x[k], y[k], got, 0};
        k++;
    }
    if (k) {
        pg_svg_chart c = {.title = title,
                          .x_label = "seconds into the measured run",
                          .y_label = y_label,
                          .series = se,
                          .n_series = k,
                          .y_from_zero = 1};
        pg_svg_line_chart(b, &c);
    }
    for (size_t i = 0; i < k; i++) {
        free(x[i]);
        free(y[i]);
    }
}

void pg_html_resources(pg_buf *b, const cJSON *bud)
{
    static const char *const cpu[] = {"host_cpu", "perfgate_cpu", "target_cpu", "other_cpu"};
    static const char *const cpu_labels[] = {"machine", "perfgate", "target", "others"};
    static const char *const mem[] = {"target_rss"}, *const mem_labels[] = {"target RSS"};
    const cJSON *info = pg_doc_get(bud, "monitor"), *all = pg_doc_get(info, "series");
    const cJSON *s, *hnt;
    int scraped = 0;

    if (!info && !cJSON_GetArraySize(pg_doc_get(bud, "hints")))
        return;
    pg_buf_puts(b, "<h3>Resources</h3>\n");
    if (pg_doc_str(info, "target", NULL)) {
        pg_buf_puts(b, "<p>Target process: ");
        pg_escape_html(b, pg_doc_str(info, "target", ""), 300);
        pg_buf_puts(b, "</p>\n");
    }
    chart(b, all, cpu, cpu_labels, 4, 1.0,
          "CPU over time (machine: % of all cores; perfgate, target, other processes: % of one "
          "core)",
          "%");
    chart(b, all, mem, mem_labels, 1, 1.0 / (1024.0 * 1024.0), "Target memory over time", "MiB");
    cJSON_ArrayForEach(s, all)
    {
        const char *name = s->string ? s->string : "";
        char title[160];
        if (pg_metric_sampled(name) || scraped++ >= 8)
            continue;
        snprintf(title, sizeof title, "Scraped gauge %.100s", name);
        chart(b, all, &name, &name, 1, 1.0, title, "");
    }
    pg_details_resources(b, PG_TABLE_HTML, bud, NULL);
    if (pg_doc_str(info, "note", NULL)) {
        pg_buf_puts(b, "<p class=\"warn\">Monitor: ");
        pg_escape_html(b, pg_doc_str(info, "note", ""), 600);
        pg_buf_puts(b, "</p>\n");
    }
    if (cJSON_GetArraySize(pg_doc_get(bud, "hints"))) {
        pg_buf_puts(b, "<h3>What the data suggests</h3><ul>\n");
        cJSON_ArrayForEach(hnt, pg_doc_get(bud, "hints"))
        {
            pg_buf_puts(b, "<li>");
            pg_escape_html(b, cJSON_IsString(hnt) ? hnt->valuestring : "", 600);
            pg_buf_puts(b, "</li>\n");
        }
        pg_buf_puts(b, "</ul>\n");
    }
}

typedef struct step_point {
    double rate, p95, p99, rps;
} step_point;

static int by_rate(const void *a, const void *b)
{
    double x = ((const step_point *)a)->rate, y = ((const step_point *)b)->rate;
    return (x > y) - (x < y);
}

/* Every step of every trial, in order of the offered rate: against it p95,
 * p99 and the achieved rate. */
static void staircase_charts(pg_buf *b, const cJSON *bud, size_t n)
{
    double *x = calloc(n ? n : 1, sizeof *x), *p95 = calloc(n ? n : 1, sizeof *p95),
           *p99 = calloc(n ? n : 1, sizeof *p99), *rps = calloc(n ? n : 1, sizeof *rps);
    step_point *pts = calloc(n ? n : 1, sizeof *pts);
    const cJSON *t, *st;
    size_t k = 0;

    if (!(x && p95 && p99 && rps && pts))
        pg_buf_fail(b); /* no chart is not a chart without steps */
    else {
        cJSON_ArrayForEach(t, pg_doc_get(bud, "trials"))
            cJSON_ArrayForEach(st, pg_doc_get(t, "steps"))
        {
            if (k == n)
                break;
            pts[k++] =
                (step_point){pg_doc_num(st, "rate", 0), pg_doc_num(st, "p95_us", NAN) / 1000.0,
                             pg_doc_num(st, "p99_us", NAN) / 1000.0, pg_doc_num(st, "rps", 0)};
        }
        qsort(pts, k, sizeof *pts, by_rate);
        for (size_t i = 0; i < k; i++) {
            x[i] = pts[i].rate;
            p95[i] = pts[i].p95;
            p99[i] = pts[i].p99;
            rps[i] = pts[i].rps;
        }
        {
            pg_svg_series lat[] = {{"p99", colours[1], x, p99, k, 1},
                                   {"p95", colours[0], x, p95, k, 0}};
            pg_svg_series thr[] = {{"offered", "#757575", x, x, k, 1},
                                   {"achieved", colours[2], x, rps, k, 0}};
            pg_svg_chart c = {.title =
                                  "Latency against offered load (every step of every staircase)",
                              .x_label = "offered iterations/s",
                              .y_label = "ms",
                              .series = lat,
                              .n_series = 2,
                              .y_from_zero = 1};
            pg_svg_line_chart(b, &c);
            c.title = "Achieved against offered throughput";
            c.y_label = "per second";
            c.series = thr;
            pg_svg_line_chart(b, &c);
        }
    }
    free(pts);
    free(x);
    free(p95);
    free(p99);
    free(rps);
}

void pg_html_capacity(pg_buf *b, const cJSON *bud)
{
    const cJSON *sum = pg_doc_get(bud, "summary"), *t;
    size_t n = 0;

    if (!cJSON_IsNumber(pg_doc_get(sum, "capacity_rps")))
        return;
    cJSON_ArrayForEach(t, pg_doc_get(bud, "trials")) n +=
        (size_t)cJSON_GetArraySize(pg_doc_get(t, "steps"));
    pg_buf_printf(b,
                  "<h3>Capacity</h3><p><b>%.4g requests/s</b>: the median over the staircases of "
                  "the highest offered rate at which every threshold held.</p>\n",
                  pg_doc_num(sum, "capacity_rps", 0));
    staircase_charts(b, bud, n);
    pg_details_staircase(b, PG_TABLE_HTML, bud, INT_MAX, NULL);
}
