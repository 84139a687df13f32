/* markdown_monitor.c — the PR comment's lines on breaking-point capacity,
 * sampled resources and hints (see markdown_monitor.h). */
#include "report/markdown_monitor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/doc.h"
#include "report/details.h"
#include "report/escape.h"

static void value(pg_buf *b, const char *metric, const cJSON *o, const char *key)
{
    char s[40];
    pg_doc_format_value(metric, pg_doc_num(o, key, NAN), s, sizeof s);
    pg_buf_puts(b, s);
}

static void long_text(pg_buf *b, const char *s)
{
    pg_escape_markdown(b, s, 600);
}

/* breaking-point: the capacity found and what broke the next step. */
void pg_md_capacity(pg_buf *b, const cJSON *bud)
{
    const cJSON *sum = pg_doc_get(bud, "summary"), *t, *st;
    const char *broke = NULL;
    double broke_at = 0;
    int n = 0;

    if (!cJSON_IsNumber(pg_doc_get(sum, "capacity_rps")))
        return;
    pg_buf_printf(b, "**Capacity: %.4g requests/s** (median of",
                  pg_doc_num(sum, "capacity_rps", 0));
    cJSON_ArrayForEach(t, pg_doc_get(bud, "trials"))
    {
        pg_buf_printf(b, "%s %.4g", n++ ? "," : "", pg_doc_num(t, "capacity_rps", 0));
        cJSON_ArrayForEach(st, pg_doc_get(t, "steps")) if (!broke && !pg_doc_bool(st, "held"))
        {
            broke = pg_doc_str(st, "broke", "");
            broke_at = pg_doc_num(st, "rate", 0);
        }
    }
    pg_buf_puts(b, "; the highest rate of each staircase that held every threshold)");
    if (broke) {
        pg_buf_printf(b, ". First to break: %.4g/s, ", broke_at);
        long_text(b, broke);
    }
    pg_buf_puts(b, "\n\n");
}

/* One series' "avg X, max Y" from the summary, or nothing without samples. */
static int level(pg_buf *b, const cJSON *mon, const char *name, const char *label, int first)
{
    const cJSON *s = pg_doc_get(mon, name);

    if (!s)
        return 0;
    pg_buf_printf(b, "%s%s ", first ? "" : "; ", label);
    value(b, name, s, "mean");
    pg_buf_puts(b, " avg / ");
    value(b, name, s, "max");
    pg_buf_puts(b, " max");
    return 1;
}

/* The sampled resources in one line, the monitor's notes, the hints. */
void pg_md_resources(pg_buf *b, const cJSON *bud)
{
    const cJSON *mon = pg_doc_get(pg_doc_get(bud, "summary"), "monitor"), *h;
    const cJSON *info = pg_doc_get(bud, "monitor");
    int first = 1;

    if (mon) {
        pg_buf_puts(b, "Resources \xE2\x80\x94 machine: ");
        first &= !level(b, mon, "host_cpu", "CPU", first);
        first &= !level(b, mon, "host_mem", "memory", first);
        first &= !level(b, mon, "perfgate_cpu", "perfgate CPU", first);
        first &= !level(b, mon, "other_cpu", "other processes' CPU (of one core)", first);
        first &= !level(b, mon, "cpu_steal", "steal", first);
        if (pg_doc_get(mon, "target_cpu") || pg_doc_get(mon, "target_rss")) {
            pg_buf_puts(b, " \xC2\xB7 target (");
            long_text(b, pg_doc_str(info, "target", ""));
            pg_buf_puts(b, "): ");
            first = 1;
            first &= !level(b, mon, "target_cpu", "CPU (of one core)", first);
            first &= !level(b, mon, "target_rss", "RSS", first);
            first &= !level(b, mon, "target_threads", "threads", first);
            level(b, mon, "target_fds", "open files", first);
        }
        pg_buf_puts(b, "\n\n");
    }
    if (pg_doc_str(info, "note", NULL)) {
        pg_buf_puts(b, "> [!NOTE]\n> Monitor: ");
        long_text(b, pg_doc_str(info, "note", ""));
        pg_buf_puts(b, "\n\n");
    }
    if (cJSON_GetArraySize(pg_doc_get(bud, "hints"))) {
        pg_buf_puts(b, "> [!TIP]\n> **What the data suggests**\n");
        cJSON_ArrayForEach(h, pg_doc_get(bud, "hints"))
        {
            pg_buf_puts(b, "> - ");
            long_text(b, cJSON_IsString(h) ? h->valuestring : "");
            pg_buf_puts(b, "\n");
        }
        pg_buf_puts(b, "\n");
    }
}

/* Details: every sampled series, and the first staircase step by step. */
void pg_md_resources_details(pg_buf *b, const cJSON *bud)
{
    pg_details_resources(b, PG_TABLE_MARKDOWN, bud,
                         "Resources (sampled during the measured time)");
    /* the first staircase only: a pull request comment has a size limit */
    pg_details_staircase(b, PG_TABLE_MARKDOWN, bud, 1, "Staircase of trial 1");
}
