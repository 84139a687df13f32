/* json_doc.c — cJSON parsing with a side index of positions (see json_doc.h). */
#include "config/json_doc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/grow.h"
#include "config/json_syntax.h"

typedef struct walker {
    const char *text;
    size_t len;
    size_t at;
    pg_json_pos *pos;
    size_t npos, cap;
} walker;

static void skip_ws(walker *w)
{
    while (w->at < w->len) {
        char c = w->text[w->at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        w->at++;
    }
}

static void skip_string(walker *w)
{
    w->at++; /* opening quote */
    while (w->at < w->len && w->text[w->at] != '"') {
        if (w->text[w->at] == '\\')
            w->at++;
        w->at++;
    }
    w->at++; /* closing quote */
}

static int add_pos(walker *w, const cJSON *node, size_t key_off, size_t val_off)
{
    if (pg_grow(&w->pos, &w->cap, w->npos, sizeof *w->pos, 64) != 0)
        return -1;
    w->pos[w->npos++] = (pg_json_pos){node, key_off, val_off};
    return 0;
}

/* Walks one value starting at w->at, recording node and its children. */
static int walk(walker *w, const cJSON *node, size_t key_off, int has_key)
{
    size_t val_off;

    skip_ws(w);
    val_off = w->at;
    if (add_pos(w, node, has_key ? key_off : val_off, val_off) != 0)
        return -1;
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        int object = cJSON_IsObject(node);
        w->at++; /* { or [ */
        for (const cJSON *c = node->child; c; c = c->next) {
            size_t k = 0;
            skip_ws(w);
            if (object) {
                k = w->at;
                skip_string(w);
                skip_ws(w);
                w->at++; /* : */
            }
            if (walk(w, c, k, object) != 0)
                return -1;
            skip_ws(w);
            if (w->at < w->len && w->text[w->at] == ',')
                w->at++;
        }
        skip_ws(w);
        w->at++; /* } or ] */
    } else if (cJSON_IsString(node)) {
        skip_string(w);
    } else {
        /* number or literal: up to the next delimiter */
        while (w->at < w->len && !strchr(",]} \t\r\n", w->text[w->at]))
            w->at++;
    }
    return 0;
}

static int cmp_pos(const void *a, const void *b)
{
    const cJSON *x = ((const pg_json_pos *)a)->node, *y = ((const pg_json_pos *)b)->node;
    return x < y ? -1 : x > y;
}

void pg_text_line_col(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;

    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

int pg_json_doc_parse(pg_json_doc *doc, const char *path, const char *text, size_t len, pg_err *err)
{
    const char *end = NULL;
    walker w = {0};
    size_t start = 0;

    memset(doc, 0, sizeof *doc);
    snprintf(doc->path, sizeof doc->path, "%s", path);
    if (!(doc->text = malloc(len + 1)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    if (memchr(doc->text, '\0', len)) {
        int line, col;
        pg_text_line_col(doc->text, len, strlen(doc->text), &line, &col);
        pg_json_doc_free(doc);
        return pg_err_at(err, PG_EINVALID, path, line, col, "NUL byte in a JSON file");
    }
    {
        char why[256];
        size_t off = 0;
        int line, col;
        if (pg_json_syntax_check(doc->text, len, &off, why, sizeof why) != 0) {
            pg_text_line_col(doc->text, len, off, &line, &col);
            pg_json_doc_free(doc);
            return pg_err_at(err, PG_EINVALID, path, line, col, "%s", why);
        }
    }
    /* The length includes the NUL: cJSON then requires nothing after the value. */
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len + 1, &end, 1);
    if (!doc->root) {
        int line, col;
        pg_text_line_col(doc->text, len, end ? (size_t)(end - doc->text) : 0, &line, &col);
        pg_json_doc_free(doc);
        return pg_err_at(err, PG_EINVALID, path, line, col,
                         "cJSON could not parse this (nested too deep?)");
    }
    if (len >= 3 && memcmp(doc->text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    w.text = doc->text;
    w.len = len;
    w.at = start;
    if (walk(&w, doc->root, 0, 0) != 0) {
        free(w.pos);
        pg_json_doc_free(doc);
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    }
    qsort(w.pos, w.npos, sizeof *w.pos, cmp_pos);
    doc->pos = w.pos;
    doc->npos = w.npos;
    return PG_OK;
}

void pg_json_doc_free(pg_json_doc *doc)
{
    if (!doc)
        return;
    cJSON_Delete(doc->root);
    free(doc->text);
    free(doc->pos);
    memset(doc, 0, sizeof *doc);
}

static const pg_json_pos *find(const pg_json_doc *doc, const cJSON *node)
{
    pg_json_pos key = {node, 0, 0};
    return doc->pos ? bsearch(&key, doc->pos, doc->npos, sizeof *doc->pos, cmp_pos) : NULL;
}

void pg_json_doc_where(const pg_json_doc *doc, const cJSON *node, int at_key, int *line, int *col)
{
    const pg_json_pos *p = find(doc, node);

    if (!p) {
        *line = 1;
        *col = 1;
        return;
    }
    pg_text_line_col(doc->text, doc->len, at_key ? p->key_off : p->val_off, line, col);
}

size_t pg_json_doc_offset(const pg_json_doc *doc, const cJSON *node)
{
    const pg_json_pos *p = find(doc, node);
    return p ? p->val_off : doc->len;
}

/* The offset in the file of byte `at` of a string value as decoded: escapes
 * (\n, \", \u00e9) are longer in the file than in the value. */
static size_t raw_offset(const pg_json_doc *doc, size_t off, size_t at)
{
    size_t i = off + 1, decoded = 0;

    while (i < doc->len && doc->text[i] != '"' && decoded < at) {
        if (doc->text[i] != '\\') {
            i++;
            decoded++;
        } else if (i + 1 < doc->len && doc->text[i + 1] == 'u') {
            unsigned cp = (unsigned)strtoul((char[5]){doc->text[i + 2], doc->text[i + 3],
                                                      doc->text[i + 4], doc->text[i + 5], 0},
                                            NULL, 16);
            i += 6;
            decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp >= 0xD800 && cp < 0xDC00 ? 4 : 3;
            if (cp >= 0xD800 && cp < 0xDC00)
                i += 6; /* the low half of the pair */
        } else {
            i += 2;
            decoded++;
        }
    }
    return i;
}

/* The error at node's key or value, or at byte `inside` of a string value
 * (SIZE_MAX: its start); a value the command line gave names its flag. */
__attribute__((format(printf, 6, 0))) static int error_at(pg_err *err, const pg_json_doc *doc,
                                                          const cJSON *node, int at_key,
                                                          size_t inside, const char *fmt,
                                                          va_list ap)
{
    const pg_json_pos *p = find(doc, node);
    int line = 1, col = 1;
    char msg[1024];

    vsnprintf(msg, sizeof msg, fmt, ap);
    for (size_t i = 0; i < doc->n_cli; i++)
        if (doc->cli_node[i] == node)
            return pg_err_at(err, PG_EINVALID, doc->path, 0, 0, "%s (from the command line): %s",
                             doc->cli_flag[i], msg);
    if (p) {
        size_t off = at_key ? p->key_off : p->val_off;
        if (!at_key && inside != SIZE_MAX && cJSON_IsString(node) && doc->text[off] == '"')
            off = raw_offset(doc, off, inside);
        pg_text_line_col(doc->text, doc->len, off, &line, &col);
    }
    return pg_err_at(err, PG_EINVALID, doc->path, line, col, "%s", msg);
}

int pg_json_doc_error_inside(pg_err *err, const pg_json_doc *doc, const cJSON *node, size_t at,
                             const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = error_at(err, doc, node, 0, at, fmt, ap);
    va_end(ap);
    return rc;
}

int pg_json_doc_override(pg_json_doc *doc, const char *key, cJSON *value, const char *flag)
{
    if (!value || doc->n_cli == sizeof doc->cli_node / sizeof *doc->cli_node) {
        cJSON_Delete(value);
        return PG_ENOMEM;
    }
    if (cJSON_GetObjectItemCaseSensitive(doc->root, key)) {
        if (!cJSON_ReplaceItemInObjectCaseSensitive(doc->root, key, value)) {
            cJSON_Delete(value);
            return PG_ENOMEM;
        }
    } else if (!cJSON_AddItemToObject(doc->root, key, value)) {
        cJSON_Delete(value);
        return PG_ENOMEM;
    }
    doc->cli_node[doc->n_cli] = value;
    doc->cli_flag[doc->n_cli++] = flag;
    return PG_OK;
}

int pg_json_doc_error(pg_err *err, const pg_json_doc *doc, const cJSON *node, int at_key,
                      const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = error_at(err, doc, node, at_key, SIZE_MAX, fmt, ap);
    va_end(ap);
    return rc;
}
