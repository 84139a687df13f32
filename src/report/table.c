/* table.c — one table description, markdown or HTML (see table.h). */
#include "report/table.h"

#include <math.h>
#include <stdio.h>

#include "report/doc.h"
#include "report/escape.h"

#define NAME_CHARS 120 /* a row name longer than this is cut */
#define WHY_CHARS 400  /* what broke a staircase step */

static void text(pg_buf *b, pg_table_format f, const char *s, size_t max_chars)
{
    if (f == PG_TABLE_MARKDOWN)
        pg_escape_markdown(b, s, max_chars);
    else
        pg_escape_html(b, s, max_chars);
}

void pg_table_begin(pg_buf *b, pg_table_format f, const pg_table *t)
{
    if (f == PG_TABLE_MARKDOWN) {
        if (t->title)
            pg_buf_printf(b, "**%s**\n\n", t->title);
        pg_buf_puts(b, "|");
        for (size_t c = 0; c < t->n_cols; c++)
            pg_buf_printf(b, " %s |", t->cols[c].head);
        pg_buf_puts(b, "\n|");
        /* names and words left, numbers right */
        for (size_t c = 0; c < t->n_cols; c++)
            pg_buf_puts(b, t->cols[c].kind == PG_CELL_NAME || t->cols[c].kind == PG_CELL_HELD
                               ? " --- |"
                               : " ---: |");
        pg_buf_puts(b, "\n");
        return;
    }
    if (t->title)
        pg_buf_printf(b, "<h3>%s</h3>", t->title);
    pg_buf_puts(b, "<table><tr>");
    for (size_t c = 0; c < t->n_cols; c++)
        pg_buf_printf(b, "<th>%s</th>", t->cols[c].head);
    pg_buf_puts(b, "</tr>\n");
}

static void cell(pg_buf *b, pg_table_format f, const pg_table_column *col, const cJSON *row,
                 int index)
{
    const cJSON *in = col->in ? pg_doc_get(row, col->in) : row;
    const cJSON *v = col->key ? pg_doc_get(in, col->key) : in;
    char s[40];

    switch (col->kind) {
    case PG_CELL_NAME:
        text(b, f, row->string ? row->string : "", NAME_CHARS);
        return;
    case PG_CELL_INDEX:
        pg_buf_printf(b, "%d", index);
        return;
    case PG_CELL_COUNT:
        pg_buf_printf(b, "%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0.0);
        return;
    case PG_CELL_VALUE:
        pg_doc_format_value(col->metric   ? col->metric
                            : row->string ? row->string
                                          : "",
                            cJSON_IsNumber(v) ? v->valuedouble : NAN, s, sizeof s);
        pg_buf_puts(b, s);
        return;
    case PG_CELL_HELD:
        if (pg_doc_bool(row, "held"))
            pg_buf_puts(b, f == PG_TABLE_HTML ? "<span class=\"pass\">held</span>" : "held");
        else
            text(b, f, pg_doc_str(row, "broke", "broke"), WHY_CHARS);
        return;
    }
}

void pg_table_row(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *row, int index)
{
    pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? "|" : "<tr>");
    for (size_t c = 0; c < t->n_cols; c++) {
        pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? " " : "<td>");
        cell(b, f, &t->cols[c], row, index);
        pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? " |" : "</td>");
    }
    pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? "\n" : "</tr>\n");
}

void pg_table_end(pg_buf *b, pg_table_format f)
{
    pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? "\n" : "</table>\n");
}

void pg_table_write(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *rows)
{
    const cJSON *row;
    int i = 1;

    if (!cJSON_GetArraySize(rows))
        return;
    pg_table_begin(b, f, t);
    cJSON_ArrayForEach(row, rows) pg_table_row(b, f, t, row, i++);
    pg_table_end(b, f);
}
