/* data.c — the "data" section and what templates may name (see budget.h).
 *
 * "data": {"users": "users.csv", "items": {"file": "items.json", "order":
 * "random"}} names data files, read here once (relative to the budget file)
 * so that every mistake in them is a load error with its line and column.
 * A scenario takes one data set ("data": "users"); its templates may then
 * name {{users.field}}, and {{name}} of a value an earlier request of the
 * scenario extracts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/sections.h"

static const char *const data_keys[] = {"file", "order", NULL};

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

static int parse_one(pg_fields *f, const cJSON *m, pg_dataset *d)
{
    const cJSON *file = m;
    char where[160], dir[512], path[1024];
    const char *order = NULL;
    int rc;

    snprintf(where, sizeof where, "data.%s", m->string);
    if (!pg_name_ok(m->string, 1, 0))
        return pg_json_doc_error(f->err, f->doc, m, 1,
                                 "data set name \"%s\" is not valid: a letter or _, then letters, "
                                 "digits, _ or - (it is written {{%s.FIELD}} in a template)",
                                 m->string, m->string);
    if (cJSON_IsObject(m)) {
        if ((rc = pg_fields_check_keys(f, m, where, data_keys)) != 0 ||
            (rc = pg_fields_string(f, m, "order", where, 0, &order)) != 0)
            return rc;
        if (!(file = cJSON_GetObjectItemCaseSensitive(m, "file")))
            return pg_json_doc_error(f->err, f->doc, m, 0, "missing required key \"file\" in %s",
                                     where);
    }
    if (!cJSON_IsString(file) || !file->valuestring[0])
        return pg_json_doc_error(f->err, f->doc, file, 0,
                                 "\"%s\" is a file name (\"users.csv\", \"users.json\") or "
                                 "{\"file\": ..., \"order\": \"sequential\" | \"random\" | "
                                 "\"unique\"}",
                                 where);
    if (order) {
        int k = 0;
        while (pg_data_order_names[k] && strcmp(pg_data_order_names[k], order) != 0)
            k++;
        if (!pg_data_order_names[k])
            return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(m, "order"),
                                     0,
                                     "\"%s.order\" is \"sequential\" (the default), \"random\" or "
                                     "\"unique\" (each record once), not \"%s\"",
                                     where, order);
        d->order = (pg_data_order)k;
    }
    pg_file_dirname(f->doc->path, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, file->valuestring);
    if (file->valuestring[0] == '/')
        snprintf(path, sizeof path, "%s", file->valuestring);
    if (!(d->name = pg_strdup(m->string)))
        return oom(f);
    rc = pg_dataset_read(d, path, f->err);
    if (rc != PG_OK && rc != PG_ENOMEM && !f->err->line) { /* not a place in the file */
        char msg[sizeof f->err->msg];
        snprintf(msg, sizeof msg, "%s", f->err->msg);
        return pg_json_doc_error(f->err, f->doc, file, 0, "\"%s\": cannot read %s: %s", where, path,
                                 msg);
    }
    return rc; /* a mistake inside the file names the file's own line and column */
}

int pg_section_data(pg_fields *f, const cJSON *obj, pg_budget *b)
{
    size_t n, i = 0;
    int rc;

    if (!obj)
        return PG_OK;
    if (!cJSON_IsObject(obj) || !(n = (size_t)cJSON_GetArraySize(obj)))
        return pg_json_doc_error(f->err, f->doc, obj, 0,
                                 "\"data\" names data files: {\"users\": \"users.csv\"}");
    if (!(b->datasets = calloc(n, sizeof *b->datasets)))
        return oom(f);
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (strcmp(m->string, "description") == 0 && cJSON_IsString(m))
            continue; /* a comment, as in every object */
        b->n_datasets = ++i;
        if ((rc = parse_one(f, m, &b->datasets[i - 1])) != 0)
            return rc;
    }
    return PG_OK;
}

int pg_scenario_data(pg_fields *f, const cJSON *m, const char *where, const pg_budget *b, long *out)
{
    const char *names[64];
    size_t k;

    *out = -1;
    if (!m)
        return PG_OK;
    if (!cJSON_IsString(m))
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "\"%s.data\" names one of the budget's data sets, e.g. \"users\"",
                                 where);
    for (k = 0; k < b->n_datasets; k++)
        if (strcmp(b->datasets[k].name, m->valuestring) == 0) {
            *out = (long)k;
            return PG_OK;
        }
    for (k = 0; k < b->n_datasets && k + 1 < sizeof names / sizeof *names; k++)
        names[k] = b->datasets[k].name;
    names[k] = NULL;
    {
        const char *close = pg_suggest(m->valuestring, names);
        char list[512];
        pg_join(names, list, sizeof list);
        if (close)
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "no data set \"%s\"; did you mean \"%s\"?", m->valuestring,
                                     close);
        return pg_json_doc_error(
            f->err, f->doc, m, 0, "no data set \"%s\" in the budget's \"data\"%s%s", m->valuestring,
            k ? "; it has " : " (add \"data\": {\"NAME\": \"file.csv\"})", k ? list : "");
    }
}

/* --- what a template names ---------------------------------------------------- */

int pg_resolve_name(void *arg, const char *name, size_t len, pg_tpl_part *part, char *why,
                    size_t why_size)
{
    const pg_resolve_ctx *c = arg;
    const char *dot = memchr(name, '.', len);

    if (dot) {
        const pg_dataset *d = c->sc->data >= 0 ? &c->b->datasets[c->sc->data] : NULL;
        size_t set_len = (size_t)(dot - name);
        long field;
        if (!d) {
            snprintf(why, why_size,
                     "uses {{%.*s}}, a data field, but scenario \"%s\" takes no data (add "
                     "\"data\": \"%.*s\" to it)",
                     (int)len, name, c->sc->name, (int)set_len, name);
            return -1;
        }
        if (strlen(d->name) != set_len || memcmp(d->name, name, set_len) != 0) {
            snprintf(why, why_size,
                     "uses {{%.*s}}, but scenario \"%s\" takes its records from \"%s\"", (int)len,
                     name, c->sc->name, d->name);
            return -1;
        }
        if ((field = pg_dataset_field(d, dot + 1, len - set_len - 1)) < 0) {
            char list[512];
            pg_join((const char *const *)d->fields, list, sizeof list);
            snprintf(why, why_size, "uses {{%.*s}}, but %s has no field \"%.*s\"; it has %.400s",
                     (int)len, name, d->path, (int)(len - set_len - 1), dot + 1, list);
            return -1;
        }
        part->kind = PG_TPL_FIELD;
        part->index = (size_t)field;
        return 0;
    }
    for (size_t i = 0; i < c->n_before; i++) {
        const pg_request *r = &c->sc->requests[i];
        for (size_t k = 0; k < r->n_extracts; k++) {
            const char *v = c->b->vars[r->extracts[k].var];
            if (strlen(v) == len && memcmp(v, name, len) == 0) {
                part->kind = PG_TPL_VAR;
                part->index = r->extracts[k].var;
                return 0;
            }
        }
    }
    snprintf(why, why_size,
             "uses {{%.*s}}, which no earlier request of scenario \"%s\" extracts (\"extract\": "
             "{\"%.*s\": {\"json\": \"path\"}}); a data field is written {{set.field}}",
             (int)len, name, c->sc->name, (int)len, name);
    return -1;
}
