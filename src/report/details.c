/* details.c — the detail tables' columns (see details.h). */
#include "report/details.h"

#include <string.h>

#include "report/doc.h"

#define LATENCY(head, in, key)                                                                     \
    {                                                                                              \
        head, PG_CELL_VALUE, in, key, "http_req_duration"                                          \
    }

void pg_details_trials(pg_buf *b, pg_table_format f, const cJSON *bud)
{
    static const pg_table_column cols[] = {
        {"trial", PG_CELL_INDEX, NULL, NULL, NULL},
        {"requests", PG_CELL_COUNT, NULL, "requests", NULL},
        {"req/s", PG_CELL_VALUE, NULL, "rps", "rps"},
        {"errors", PG_CELL_COUNT, NULL, "errors", NULL},
        {"dropped", PG_CELL_COUNT, NULL, "dropped", NULL},
        LATENCY("p50", "latency_us", "p50"),
        LATENCY("p95", "latency_us", "p95"),
        LATENCY("p99", "latency_us", "p99"),
        LATENCY("max", "latency_us", "max"),
    };
    pg_table_write(b, f, &PG_TABLE("Trials", cols), pg_doc_get(bud, "trials"));
}

void pg_details_latency(pg_buf *b, pg_table_format f, const cJSON *bud)
{
    static const pg_table_column cols[] = {
        {"name", PG_CELL_NAME, NULL, NULL, NULL},
        {"requests", PG_CELL_COUNT, NULL, "count", NULL},
        LATENCY("p50", NULL, "p50"),
        LATENCY("p90", NULL, "p90"),
        LATENCY("p95", NULL, "p95"),
        LATENCY("p99", NULL, "p99"),
        LATENCY("p99.9", NULL, "p999"),
        LATENCY("max", NULL, "max"),
    };
    const cJSON *sum = pg_doc_get(bud, "summary");

    pg_table_write(b, f, &PG_TABLE("Latency per scenario", cols), pg_doc_get(sum, "scenarios"));
    pg_table_write(b, f, &PG_TABLE("Latency per request", cols),
                   pg_doc_get(sum, "requests_by_name"));
}

void pg_details_streams(pg_buf *b, pg_table_format f, const cJSON *bud)
{
    static const pg_table_column cols[] = {
        {"streams", PG_CELL_COUNT, NULL, "streams", NULL},
        {"events", PG_CELL_COUNT, NULL, "events", NULL},
        {"tokens", PG_CELL_COUNT, NULL, "tokens", NULL},
        {"first event p50", PG_CELL_VALUE, "time_to_first_event_us", "p50",
         "sse_time_to_first_event"},
        {"p95", PG_CELL_VALUE, "time_to_first_event_us", "p95", "sse_time_to_first_event"},
        {"p99", PG_CELL_VALUE, "time_to_first_event_us", "p99", "sse_time_to_first_event"},
        {"between events p50", PG_CELL_VALUE, "inter_event_us", "p50", "sse_inter_event"},
        {"p99", PG_CELL_VALUE, "inter_event_us", "p99", "sse_inter_event"},
        {"events/s p50", PG_CELL_VALUE, "events_per_second", "p50", "sse_events_per_second"},
        {"tokens/s p50", PG_CELL_VALUE, "tokens_per_second", "p50", "sse_tokens_per_second"},
    };
    const pg_table t = PG_TABLE("Streams (Server-Sent Events)", cols);
    const cJSON *sse = pg_doc_get(pg_doc_get(bud, "summary"), "sse");

    if (!sse)
        return;
    pg_table_begin(b, f, &t);
    pg_table_row(b, f, &t, sse, 1);
    pg_table_end(b, f);
}

void pg_details_counts(pg_buf *b, pg_table_format f, const cJSON *bud)
{
    static const pg_table_column status[] = {{"status", PG_CELL_NAME, NULL, NULL, NULL},
                                             {"count", PG_CELL_COUNT, NULL, NULL, NULL}};
    static const pg_table_column kinds[] = {{"kind", PG_CELL_NAME, NULL, NULL, NULL},
                                            {"count", PG_CELL_COUNT, NULL, NULL, NULL}};
    const cJSON *sum = pg_doc_get(bud, "summary");

    pg_table_write(b, f, &PG_TABLE("Status codes", status), pg_doc_get(sum, "status"));
    pg_table_write(b, f, &PG_TABLE("Errors by kind", kinds), pg_doc_get(sum, "errors_by_kind"));
}

void pg_details_resources(pg_buf *b, pg_table_format f, const cJSON *bud, const char *title)
{
    /* a series is named by its metric, whose unit its values are in */
    static const pg_table_column cols[] = {
        {"series", PG_CELL_NAME, NULL, NULL, NULL}, {"samples", PG_CELL_COUNT, NULL, "count", NULL},
        {"avg", PG_CELL_VALUE, NULL, "mean", NULL}, {"p95", PG_CELL_VALUE, NULL, "p95", NULL},
        {"max", PG_CELL_VALUE, NULL, "max", NULL},
    };
    pg_table_write(b, f, &PG_TABLE(title, cols), pg_doc_get(pg_doc_get(bud, "summary"), "monitor"));
}

void pg_details_staircase(pg_buf *b, pg_table_format f, const cJSON *bud, int max_trials,
                          const char *title)
{
    static const pg_table_column cols[] = {
        {"trial", PG_CELL_INDEX, NULL, NULL, NULL},
        {"offered", PG_CELL_VALUE, NULL, "rate", "capacity_rps"},
        {"achieved", PG_CELL_VALUE, NULL, "rps", "rps"},
        LATENCY("p50", NULL, "p50_us"),
        LATENCY("p95", NULL, "p95_us"),
        LATENCY("p99", NULL, "p99_us"),
        {"errors", PG_CELL_COUNT, NULL, "errors", NULL},
        {"dropped", PG_CELL_COUNT, NULL, "dropped", NULL},
        {"verdict", PG_CELL_HELD, NULL, NULL, NULL},
    };
    const pg_table t = PG_TABLE(title, cols);
    const cJSON *trial, *step;
    int i = 0, rows = 0;

    cJSON_ArrayForEach(trial, pg_doc_get(bud, "trials"))
    {
        if (++i > max_trials)
            break;
        cJSON_ArrayForEach(step, pg_doc_get(trial, "steps"))
        {
            if (!rows++)
                pg_table_begin(b, f, &t);
            pg_table_row(b, f, &t, step, i);
        }
    }
    if (rows)
        pg_table_end(b, f);
}

void pg_details_comparison(pg_buf *b, pg_table_format f, const cJSON *doc, const cJSON *bud)
{
    const cJSON *base = pg_doc_get(doc, "baseline"), *cmp = pg_doc_get(bud, "comparison");
    /* an A/B comparison heads the sides with their names (base, head) */
    const pg_table_column cols[] = {
        {"metric", PG_CELL_TEXT, NULL, "metric", NULL},
        {pg_doc_str(base, "a_name", "baseline"), PG_CELL_VALUE, NULL, "baseline", NULL},
        {pg_doc_str(base, "b_name", "current"), PG_CELL_VALUE, NULL, "current", NULL},
        {"change", PG_CELL_CHANGE, NULL, "change", NULL},
        {"95% interval", PG_CELL_INTERVAL, NULL, NULL, NULL},
        {"p adjusted", PG_CELL_P, NULL, "p_adjusted", NULL},
        {"verdict", PG_CELL_VERDICT, NULL, NULL, NULL},
    };
    pg_table t = PG_TABLE(NULL, cols);

    t.said = pg_doc_str(cmp, "veto", NULL); /* said once above the table */
    pg_table_write(b, f, &t, pg_doc_get(cmp, "metrics"));
}

void pg_details_thresholds(pg_buf *b, pg_table_format f, const cJSON *bud)
{
    static const pg_table_column cols[] = {
        {"threshold", PG_CELL_TEXT, NULL, "expr", NULL},
        {"metric", PG_CELL_TEXT, NULL, "metric", NULL},
        {"observed", PG_CELL_OBSERVED, NULL, NULL, NULL},
        {"verdict", PG_CELL_VERDICT, NULL, NULL, NULL},
    };
    const pg_table t = PG_TABLE("Thresholds", cols);
    const cJSON *check;
    int rows = 0;

    cJSON_ArrayForEach(check, pg_doc_get(bud, "checks"))
    {
        if (strcmp(pg_doc_str(check, "kind", ""), "threshold") != 0)
            continue;
        if (!rows++)
            pg_table_begin(b, f, &t);
        pg_table_row(b, f, &t, check, rows);
    }
    if (rows)
        pg_table_end(b, f);
}
