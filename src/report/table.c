/* table.c — one table description, markdown or HTML (see table.h). */
#include "report/table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/doc.h"
#include "report/escape.h"

#define NAME_CHARS 120 /* a row name longer than this is cut */
#define WHY_CHARS 400  /* a reason: what broke a step, why a row is inconclusive */

static void text(pg_buf *b, pg_table_format f, const char *s, size_t max_chars)
{
    if (f == PG_TABLE_MARKDOWN)
        pg_escape_markdown(b, s, max_chars);
    else
        pg_escape_html(b, s, max_chars);
}

/* markdown alignment: words left, verdicts centred, numbers right */
static const char *rule(pg_cell_kind kind)
{
    switch (kind) {
    case PG_CELL_NAME:
    case PG_CELL_TEXT:
    case PG_CELL_INTERVAL:
    case PG_CELL_OBSERVED:
    case PG_CELL_HELD:
        return " --- |";
    case PG_CELL_VERDICT:
        return " :---: |";
    default:
        return " ---: |";
    }
}

/* What opens and closes a row, a head and a cell in each format. */
static const struct {
    const char *row, *row_end, *head, *head_end, *cell, *cell_end;
} syntax[] = {
    [PG_TABLE_MARKDOWN] = {"|", "\n", " ", " |", " ", " |"},
    [PG_TABLE_HTML] = {"<tr>", "</tr>\n", "<th>", "</th>", "<td>", "</td>"},
};

void pg_table_begin(pg_buf *b, pg_table_format f, const pg_table *t)
{
    if (t->title)
        pg_buf_printf(b, f == PG_TABLE_MARKDOWN ? "**%s**\n\n" : "<h3>%s</h3>", t->title);
    if (f == PG_TABLE_HTML)
        pg_buf_puts(b, "<table>");
    pg_buf_puts(b, syntax[f].row);
    for (size_t c = 0; c < t->n_cols; c++) {
        pg_buf_puts(b, syntax[f].head);
        text(b, f, t->cols[c].head, NAME_CHARS);
        pg_buf_puts(b, syntax[f].head_end);
    }
    pg_buf_puts(b, syntax[f].row_end);
    if (f == PG_TABLE_MARKDOWN) {
        pg_buf_puts(b, "|");
        for (size_t c = 0; c < t->n_cols; c++)
            pg_buf_puts(b, rule(t->cols[c].kind));
        pg_buf_puts(b, "\n");
    }
}

const char *pg_verdict_mark(pg_verdict v)
{
    switch (v) {
    case PG_VERDICT_PASS:
        return "\xE2\x9C\x85"; /* ✅ */
    case PG_VERDICT_FAIL:
        return "\xE2\x9D\x8C"; /* ❌ */
    case PG_VERDICT_INCONCLUSIVE:
        return "\xE2\x9A\xA0\xEF\xB8\x8F"; /* ⚠️ */
    default:
        return "\xE2\x8F\xAD\xEF\xB8\x8F"; /* ⏭️ */
    }
}

static void verdict(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *row)
{
    pg_verdict v = pg_doc_verdict(row, "verdict");
    const char *why = pg_doc_str(row, "why", "");

    pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? pg_verdict_mark(v) : pg_verdict_names[v]);
    /* an undecided row says why, unless the table's caption said it */
    if ((v == PG_VERDICT_INCONCLUSIVE || v == PG_VERDICT_SKIPPED) && *why &&
        !(t->said && strcmp(why, t->said) == 0)) {
        pg_buf_puts(b, f == PG_TABLE_MARKDOWN ? " " : ": ");
        text(b, f, why, WHY_CHARS);
    }
}

static void change(pg_buf *b, const cJSON *row, const char *key)
{
    char s[32];

    pg_doc_format_change(row, key, s, sizeof s);
    pg_buf_puts(b, s);
}

static void cell(pg_buf *b, pg_table_format f, const pg_table *t, const pg_table_column *col,
                 const cJSON *row, int index)
{
    const cJSON *in = col->in ? pg_doc_get(row, col->in) : row;
    const cJSON *v = col->key ? pg_doc_get(in, col->key) : in;
    const char *metric = col->metric ? col->metric : pg_doc_str(row, "metric", row->string);
    const char *detail = pg_doc_str(row, "detail", "");
    size_t n = strlen(pg_doc_str(row, "metric", ""));
    char s[40];

    switch (col->kind) {
    case PG_CELL_NAME:
        text(b, f, row->string ? row->string : "", NAME_CHARS);
        return;
    case PG_CELL_INDEX:
        pg_buf_printf(b, "%d", index);
        return;
    case PG_CELL_TEXT:
        text(b, f, cJSON_IsString(v) ? v->valuestring : "", WHY_CHARS);
        return;
    case PG_CELL_COUNT:
        pg_buf_printf(b, "%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0.0);
        return;
    case PG_CELL_VALUE:
        pg_doc_format_value(metric ? metric : "", cJSON_IsNumber(v) ? v->valuedouble : NAN, s,
                            sizeof s);
        pg_buf_puts(b, s);
        return;
    case PG_CELL_CHANGE: {
        int bold = f == PG_TABLE_MARKDOWN && pg_doc_verdict(row, "verdict") == PG_VERDICT_FAIL;
        pg_buf_puts(b, bold ? "**" : "");
        change(b, row, col->key);
        pg_buf_puts(b, bold ? "**" : "");
        return;
    }
    case PG_CELL_INTERVAL:
        change(b, row, "ci_low");
        pg_buf_puts(b, " \xE2\x80\xA6 "); /* … */
        change(b, row, "ci_high");
        return;
    case PG_CELL_P:
        pg_buf_printf(b, "%.4g", cJSON_IsNumber(v) ? v->valuedouble : NAN);
        return;
    case PG_CELL_VERDICT:
        verdict(b, f, t, row);
        return;
    case PG_CELL_OBSERVED: /* "http_req_duration p(95) 2.89ms < 100ms": the metric has a column */
        text(b, f,
             n && strncmp(detail, pg_doc_str(row, "metric", ""), n) == 0 && detail[n] == ' '
                 ? detail + n + 1
                 : detail,
             WHY_CHARS);
        return;
    case PG_CELL_HELD:
        if (pg_doc_bool(row, "held"))
            pg_buf_puts(b, f == PG_TABLE_HTML ? "<span class=\"pass\">held</span>" : "held");
        else
            text(b, f, pg_doc_str(row, "broke", "broke"), WHY_CHARS);
        return;
    }
}

/* A skipped comparison has no numbers: its value cells stay empty. */
static int empty(const pg_table_column *col, const cJSON *row)
{
    return pg_doc_verdict(row, "verdict") == PG_VERDICT_SKIPPED && pg_doc_get(row, "metric") &&
           (col->kind == PG_CELL_VALUE || col->kind == PG_CELL_CHANGE ||
            col->kind == PG_CELL_INTERVAL || col->kind == PG_CELL_P);
}

void pg_table_row(pg_buf *b, pg_table_format f, const pg_table *t, const cJSON *row, int index)
{
    pg_buf_puts(b, syntax[f].row);
    for (size_t c = 0; c < t->n_cols; c++) {
        const pg_table_column *col = &t->cols[c];
        if (f == PG_TABLE_HTML && col->kind == PG_CELL_VERDICT) /* the stylesheet colours it */
            pg_buf_printf(b, "<td class=\"%s\">", pg_verdict_names[pg_doc_verdict(row, "verdict")]);
        else
            pg_buf_puts(b, syntax[f].cell);
        if (!empty(col, row))
            cell(b, f, t, col, row, index);
        pg_buf_puts(b, syntax[f].cell_end);
    }
    pg_buf_puts(b, syntax[f].row_end);
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
