/* table.h — a report table described once and written as markdown (the pull
 * request comment, the job summary) or HTML, so the two never drift apart
 * (HdrHistogram_c's habit: one walk of the data, the format chosen by an
 * enum).
 *
 * A table is a title and columns; each column says where its cell comes
 * from in a row of the verdict document and how the cell is shown. Rows
 * are the members of an object (named rows: scenarios, status codes,
 * sampled series) or the items of an array (numbered rows: trials, steps,
 * compared metrics, checks). */
#ifndef PG_REPORT_TABLE_H
#define PG_REPORT_TABLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/buf.h"
#include "metrics/results.h"

typedef enum { PG_TABLE_MARKDOWN, PG_TABLE_HTML } pg_table_format;

typedef enum {
    PG_CELL_NAME,     /* the row's member name */
    PG_CELL_INDEX,    /* the row's number (pg_table_row's index) */
    PG_CELL_TEXT,     /* a string member */
    PG_CELL_COUNT,    /* a whole number; 0 when absent */
    PG_CELL_VALUE,    /* a metric's value in its unit; "n/a" when absent */
    PG_CELL_CHANGE,   /* a comparison's change: "+12.5%" or "+0.20pp" (bold in markdown on FAIL) */
    PG_CELL_INTERVAL, /* a comparison's 95% interval: "+3.1% … +20.4%" */
    PG_CELL_P,        /* a p-value */
    PG_CELL_VERDICT,  /* the row's verdict, and why when it is inconclusive or skipped */
    PG_CELL_OBSERVED, /* a check's detail without the metric it starts with */
    PG_CELL_HELD,     /* a staircase step: "held", or what broke it */
} pg_cell_kind;

typedef struct pg_table_column {
    const char *head; /* shown escaped: it may be a name given on the command line */
    pg_cell_kind kind;
    const char *in;  /* the member object that holds the value; NULL: the row */
    const char *key; /* the member; NULL: the row itself is the number */
    /* PG_CELL_VALUE: whose unit; NULL: the row's "metric", else the row's name */
    const char *metric;
} pg_table_column;

typedef struct pg_table {
    const char *title; /* markdown: bold, HTML: a heading; NULL: none */
    const pg_table_column *cols;
    size_t n_cols;
    const char *said; /* a reason said above the table: rows do not repeat it */
} pg_table;

#define PG_TABLE(title, cols) ((pg_table){title, cols, sizeof cols / sizeof *cols, NULL})

/* The whole table with a row per member or item of rows; nothing when rows
 * is empty. */
void pg_table_write(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *rows);

/* The same in parts, for rows chosen or gathered by the caller. */
void pg_table_begin(pg_buf *b, pg_table_format f, const pg_table *t);
void pg_table_row(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *row, int index);
void pg_table_end(pg_buf *b, pg_table_format f);

/* A verdict in markdown: ✅ pass, ❌ fail, ⚠️ inconclusive, ⏭️ skipped. */
const char *pg_verdict_mark(pg_verdict v);

#endif
