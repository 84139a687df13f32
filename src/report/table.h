/* table.h — a report table described once and written as markdown (the pull
 * request comment, the job summary) or HTML, so the two never drift apart
 * (HdrHistogram_c's habit: one walk of the data, the format chosen by an
 * enum).
 *
 * A table is a title and columns; each column says where its cell comes
 * from in a row of the verdict document and how the cell is shown. Rows
 * are the members of an object (named rows: scenarios, status codes,
 * sampled series) or the items of an array (numbered rows: trials, steps). */
#ifndef PG_REPORT_TABLE_H
#define PG_REPORT_TABLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/buf.h"

typedef enum { PG_TABLE_MARKDOWN, PG_TABLE_HTML } pg_table_format;

typedef enum {
    PG_CELL_NAME,  /* the row's member name, escaped */
    PG_CELL_INDEX, /* the row's number (pg_table_row's index) */
    PG_CELL_COUNT, /* a whole number; 0 when absent */
    PG_CELL_VALUE, /* a metric's value in its unit; "n/a" when absent */
    PG_CELL_HELD,  /* a staircase step: "held", or what broke it */
} pg_cell_kind;

typedef struct pg_table_column {
    const char *head;
    pg_cell_kind kind;
    const char *in;     /* the member object that holds the value; NULL: the row */
    const char *key;    /* the member; NULL: the row itself is the number */
    const char *metric; /* PG_CELL_VALUE: whose unit; NULL: the row's name is the metric */
} pg_table_column;

typedef struct pg_table {
    const char *title; /* markdown: bold, HTML: a heading; NULL: none */
    const pg_table_column *cols;
    size_t n_cols;
} pg_table;

#define PG_TABLE(title, cols) ((pg_table){title, cols, sizeof cols / sizeof *cols})

/* The whole table with a row per member or item of rows; nothing when rows
 * is empty. */
void pg_table_write(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *rows);

/* The same in parts, for rows gathered from several places. */
void pg_table_begin(pg_buf *b, pg_table_format f, const pg_table *t);
void pg_table_row(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *row, int index);
void pg_table_end(pg_buf *b, pg_table_format f);

#endif
