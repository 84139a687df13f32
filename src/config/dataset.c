/* dataset.c — data files read into one block of cells (see dataset.h).
 *
 * The CSV reader is RFC 4180's grammar written out, because every message
 * must name the line and column of a bad row: Debian's libcsv (3.0.3) parses
 * the same grammar but reports no position. The JSON reader is cJSON with
 * the positions json_doc.c records. */
#include "config/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/grow.h"
#include "config/fields.h"
#include "config/json_doc.h"

const char *const pg_data_order_names[PG_DATA_ORDER_COUNT + 1] = {
#define PG_DATA_ORDER_NAME(id, name) name,
    PG_DATA_ORDERS(PG_DATA_ORDER_NAME)
#undef PG_DATA_ORDER_NAME
        NULL};

#define MAX_DATA_BYTES (1u << 30) /* offsets are 32-bit; a larger file is not a test fixture */
#define MAX_FIELDS 256

/* Cells as they are read: text appended to buf, offsets to cells. */
typedef struct builder {
    pg_buf text;
    uint32_t *cells;
    size_t n_cells, cap;
} builder;

static int add_cell(builder *b, const char *s, size_t n)
{
    if (pg_grow(&b->cells, &b->cap, b->n_cells, sizeof *b->cells, 1024) != 0)
        return -1;
    b->cells[b->n_cells++] = (uint32_t)b->text.len;
    pg_buf_append(&b->text, s, n);
    pg_buf_append(&b->text, "", 1);
    return pg_buf_failed(&b->text) ? -1 : 0;
}

static void builder_free(builder *b)
{
    pg_buf_free(&b->text);
    free(b->cells);
}

/* Moves the header's cells into d->fields and the rest into d's block. */
static int finish(pg_dataset *d, builder *b, size_t n_fields, pg_err *err)
{
    if (!(d->fields = calloc(n_fields + 1, sizeof *d->fields)))
        return pg_err_set(err, PG_ENOMEM, "out of memory reading %s", d->path);
    d->n_fields = n_fields;
    for (size_t i = 0; i < n_fields; i++)
        if (!(d->fields[i] = strdup(b->text.data + b->cells[i])))
            return pg_err_set(err, PG_ENOMEM, "out of memory reading %s", d->path);
    d->n_records = b->n_cells / n_fields - 1;
    memmove(b->cells, b->cells + n_fields, d->n_records * n_fields * sizeof *b->cells);
    d->cells = b->cells;
    d->text = b->text.data ? b->text.data : strdup("");
    b->cells = NULL;
    b->text.data = NULL;
    return d->text ? PG_OK : pg_err_set(err, PG_ENOMEM, "out of memory reading %s", d->path);
}

/* The header's names: usable in {{set.field}}, each once. */
static int check_fields(const pg_dataset *d, const builder *b, size_t n, int line, pg_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *f = b->text.data + b->cells[i];
        if (!pg_name_ok(f, 1, 1))
            return pg_err_at(err, PG_EINVALID, d->path, line, 0,
                             "field name \"%s\" (column %zu of the header) is not valid: letters, "
                             "digits, _ and - (it is written {{%s.NAME}} in a template)",
                             f, i + 1, d->name ? d->name : "set");
        for (size_t j = 0; j < i; j++)
            if (strcmp(f, b->text.data + b->cells[j]) == 0)
                return pg_err_at(err, PG_EINVALID, d->path, line, 0,
                                 "field name \"%s\" appears twice in the header", f);
    }
    return PG_OK;
}

/* One CSV field starting at text[*i]; *i ends on the separator or line end.
 * Column numbers count bytes, as the CSV has no other unit. */
static int csv_field(const char *path, const char *text, size_t len, size_t *i, int *line,
                     size_t *line_start, pg_buf *field, pg_err *err)
{
    size_t at = *i;

    pg_buf_truncate(field, 0);
    if (at < len && text[at] == '"') {
        int qline = *line, qcol = (int)(at - *line_start) + 1;
        for (at++;; at++) {
            if (at >= len)
                return pg_err_at(err, PG_EINVALID, path, qline, qcol,
                                 "the quoted field that starts here is never closed (a quote "
                                 "inside a field is written \"\")");
            if (text[at] == '"') {
                if (at + 1 < len && text[at + 1] == '"') {
                    pg_buf_append(field, "\"", 1);
                    at++;
                    continue;
                }
                at++;
                break;
            }
            if (text[at] == '\n') {
                (*line)++;
                *line_start = at + 1;
            }
            pg_buf_append(field, text + at, 1);
        }
        if (at < len && text[at] != ',' && text[at] != '\n' &&
            !(text[at] == '\r' && at + 1 < len && text[at + 1] == '\n') && text[at] != '\r')
            return pg_err_at(err, PG_EINVALID, path, *line, (int)(at - *line_start) + 1,
                             "text after a quoted field's closing quote; write a comma or a line "
                             "end there (a quote inside a field is written \"\")");
    } else {
        size_t start = at;
        while (at < len && text[at] != ',' && text[at] != '\n' && text[at] != '\r') {
            if (text[at] == '"')
                return pg_err_at(err, PG_EINVALID, path, *line, (int)(at - *line_start) + 1,
                                 "a quote inside an unquoted field; quote the whole field and "
                                 "double the quote: \"say \"\"hi\"\"\"");
            at++;
        }
        pg_buf_append(field, text + start, at - start);
    }
    *i = at;
    return pg_buf_failed(field) ? pg_err_set(err, PG_ENOMEM, "out of memory reading %s", path)
                                : PG_OK;
}

int pg_dataset_parse_csv(pg_dataset *d, const char *path, const char *text, size_t len, pg_err *err)
{
    builder b = {0};
    pg_buf field = {0};
    size_t i = 0, line_start = 0, n_fields = 0;
    int line = 1, rc = PG_OK;

    if (!d->path && !(d->path = strdup(path)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = line_start = 3; /* a byte order mark, as spreadsheets write */
    while (i < len) {
        size_t row_cells = 0;
        int row_line = line;
        if (text[i] == '\n' || text[i] == '\r') { /* a blank line */
            i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
            line++;
            line_start = i;
            continue;
        }
        for (;;) {
            int col = (int)(i - line_start) + 1;
            if ((rc = csv_field(path, text, len, &i, &line, &line_start, &field, err)) != 0)
                goto out;
            if (n_fields && row_cells == n_fields) {
                rc = pg_err_at(err, PG_EINVALID, path, line, col,
                               "this row has more than the header's %zu fields (a comma inside a "
                               "field needs quotes: \"a,b\")",
                               n_fields);
                goto out;
            }
            if (!n_fields && row_cells == MAX_FIELDS) {
                rc = pg_err_at(err, PG_EINVALID, path, line, col,
                               "the header has more than %d fields", MAX_FIELDS);
                goto out;
            }
            if (add_cell(&b, pg_buf_str(&field), field.len) != 0 || b.text.len >= MAX_DATA_BYTES) {
                rc = pg_err_set(err, PG_ENOMEM, "out of memory reading %s", path);
                goto out;
            }
            row_cells++;
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            break;
        }
        if (!n_fields) {
            n_fields = row_cells;
            if ((rc = check_fields(d, &b, n_fields, row_line, err)) != 0)
                goto out;
        } else if (row_cells < n_fields) {
            rc = pg_err_at(err, PG_EINVALID, path, row_line, 0,
                           "this row has %zu field%s, the header has %zu (an empty field is "
                           "written as nothing between commas: a,,c)",
                           row_cells, row_cells == 1 ? "" : "s", n_fields);
            goto out;
        }
        if (i < len) { /* the line end */
            i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
            line++;
            line_start = i;
        }
    }
    if (!n_fields) {
        rc = pg_err_at(err, PG_EINVALID, path, 1, 0,
                       "the file is empty; a CSV data file starts with a header row naming its "
                       "fields, e.g. name,password");
        goto out;
    }
    if (b.n_cells == n_fields) {
        rc = pg_err_at(err, PG_EINVALID, path, 1, 0, "the file has a header row and no records");
        goto out;
    }
    rc = finish(d, &b, n_fields, err);
out:
    pg_buf_free(&field);
    builder_free(&b);
    return rc;
}

static int is_header_field(const builder *b, size_t n_fields, const char *name)
{
    for (size_t f = 0; f < n_fields; f++)
        if (strcmp(b->text.data + b->cells[f], name) == 0)
            return 1;
    return 0;
}

/* A value of a record as text: strings as they are, other scalars as
 * written in the file, null as "", objects and arrays as compact JSON. */
static int json_cell(builder *b, const pg_json_doc *doc, const cJSON *v)
{
    char *s;
    int rc;

    if (cJSON_IsString(v))
        return add_cell(b, v->valuestring, strlen(v->valuestring));
    if (cJSON_IsNull(v))
        return add_cell(b, "", 0);
    if (cJSON_IsNumber(v)) {
        size_t off = pg_json_doc_offset(doc, v), n = 0;
        while (off + n < doc->len && strchr("+-0123456789.eE", doc->text[off + n]))
            n++;
        return add_cell(b, doc->text + off, n);
    }
    if (!(s = cJSON_PrintUnformatted(v)))
        return -1;
    rc = add_cell(b, s, strlen(s));
    cJSON_free(s);
    return rc;
}

int pg_dataset_parse_json(pg_dataset *d, const char *path, const char *text, size_t len,
                          pg_err *err)
{
    pg_json_doc doc;
    builder b = {0};
    const cJSON *first;
    size_t n_fields = 0, k;
    int rc;

    if (!d->path && !(d->path = strdup(path)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    if ((rc = pg_json_doc_parse(&doc, path, text, len, err)) != 0)
        return rc;
    rc = PG_EINVALID;
    if (!cJSON_IsArray(doc.root) || !(first = doc.root->child) || !cJSON_IsObject(first) ||
        !first->child) {
        pg_json_doc_error(
            err, &doc, cJSON_IsArray(doc.root) && doc.root->child ? doc.root->child : doc.root, 0,
            "a JSON data file is a non-empty array of objects with the same keys, "
            "e.g. [{\"name\": \"ann\", \"password\": \"s1\"}]");
        goto out;
    }
    for (const cJSON *m = first->child; m; m = m->next, n_fields++)
        if (n_fields == MAX_FIELDS || add_cell(&b, m->string, strlen(m->string)) != 0) {
            rc = n_fields == MAX_FIELDS
                     ? pg_json_doc_error(err, &doc, m, 1, "a record has more than %d keys",
                                         MAX_FIELDS)
                     : pg_err_set(err, PG_ENOMEM, "out of memory reading %s", path);
            goto out;
        }
    if ((rc = check_fields(d, &b, n_fields, 0, err)) != 0) {
        pg_json_doc_where(&doc, first, 0, &err->line, &err->col);
        goto out;
    }
    k = 0;
    for (const cJSON *rec = first; rec; rec = rec->next, k++) {
        if (!cJSON_IsObject(rec)) {
            rc = pg_json_doc_error(err, &doc, rec, 0,
                                   "record %zu is not an object; every item of a JSON data file "
                                   "is an object with the first one's keys",
                                   k + 1);
            goto out;
        }
        if ((size_t)cJSON_GetArraySize(rec) != n_fields) {
            for (const cJSON *m = rec->child; m; m = m->next)
                if (!is_header_field(&b, n_fields, m->string)) {
                    rc = pg_json_doc_error(err, &doc, m, 1,
                                           "record %zu has \"%s\", which the first record has "
                                           "not; every record has the same keys",
                                           k + 1, m->string);
                    goto out;
                }
        }
        for (size_t f = 0; f < n_fields; f++) {
            const char *key = b.text.data + b.cells[f];
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
            if (!v) {
                rc = pg_json_doc_error(err, &doc, rec, 0,
                                       "record %zu has no \"%s\"; every record has the first "
                                       "one's keys",
                                       k + 1, key);
                goto out;
            }
            if (json_cell(&b, &doc, v) != 0 || b.text.len >= MAX_DATA_BYTES) {
                rc = pg_err_set(err, PG_ENOMEM, "out of memory reading %s", path);
                goto out;
            }
        }
    }
    rc = finish(d, &b, n_fields, err);
out:
    builder_free(&b);
    pg_json_doc_free(&doc);
    return rc;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

int pg_dataset_read(pg_dataset *d, const char *path, pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if ((rc = pg_file_read(&text, &len, path, MAX_DATA_BYTES, err)) != 0)
        return rc;
    rc = ends_with(path, ".json") ? pg_dataset_parse_json(d, path, text, len, err)
                                  : pg_dataset_parse_csv(d, path, text, len, err);
    free(text);
    return rc;
}

void pg_dataset_clear(pg_dataset *d)
{
    for (size_t i = 0; i < d->n_fields; i++)
        free(d->fields[i]);
    free(d->fields);
    free(d->name);
    free(d->path);
    free(d->cells);
    free(d->text);
    memset(d, 0, sizeof *d);
}

long pg_dataset_field(const pg_dataset *d, const char *name, size_t len)
{
    for (size_t i = 0; i < d->n_fields; i++)
        if (strlen(d->fields[i]) == len && memcmp(d->fields[i], name, len) == 0)
            return (long)i;
    return -1;
}
