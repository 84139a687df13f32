/* fingerprint.c — the work a budget measures and its hash (see fingerprint.h). */
#include "config/fingerprint.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nettle, not OpenSSL's EVP: EVP's first use loads OpenSSL's configuration
 * and providers, about 1.8 MiB that would stay resident through a load run
 * which needs one digest; nettle's SHA-256 is a plain function. */
void pg_sha256_hex(const void *data, size_t n, char hex[PG_FINGERPRINT_HEX])
{
    struct sha256_ctx ctx;
    uint8_t md[SHA256_DIGEST_SIZE];

    sha256_init(&ctx);
    sha256_update(&ctx, n, data);
    sha256_digest(&ctx, sizeof md, md);
    for (size_t i = 0; i < sizeof md; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static int add_num(cJSON *o, const char *key, double v)
{
    return cJSON_AddNumberToObject(o, key, v) != NULL;
}

static int add_str(cJSON *o, const char *key, const char *v)
{
    return v ? cJSON_AddStringToObject(o, key, v) != NULL : cJSON_AddNullToObject(o, key) != NULL;
}

static int load_json(cJSON *o, const pg_budget *b)
{
    const pg_load *l = &b->load;
    long trials = b->trials;
    cJSON *stages = cJSON_AddArrayToObject(o, "stages");
    int ok = stages != NULL;

    ok = ok && add_str(o, "executor", pg_executor_name(l->executor));
    ok = ok && add_num(o, "trials", (double)trials);
    ok = ok && add_num(o, "duration_us", (double)l->duration_us);
    ok = ok && add_num(o, "trial_duration_us", (double)pg_load_trial_us(b));
    ok = ok && add_num(o, "warmup_us", (double)l->warmup_us);
    ok = ok && add_num(o, "vus", (double)l->vus) && add_num(o, "rate", l->rate);
    ok = ok && add_num(o, "start", l->start) && add_str(o, "preset", l->preset);
    for (size_t i = 0; ok && i < l->n_stages; i++) {
        cJSON *s = cJSON_CreateObject();
        ok = s && cJSON_AddItemToArray(stages, s) &&
             add_num(s, "duration_us", (double)l->stages[i].duration_us) &&
             add_num(s, "target", l->stages[i].target);
    }
    ok = ok && add_num(o, "timeout_us", (double)l->timeout_us);
    ok = ok && add_num(o, "max_connections", (double)l->max_connections);
    ok = ok && add_num(o, "http2", l->http2) && add_num(o, "insecure", l->insecure);
    ok = ok && add_num(o, "max_body", (double)l->max_body);
    ok = ok && add_num(o, "step_start", l->bp_start) && add_num(o, "step", l->bp_step);
    ok = ok && add_num(o, "step_max", l->bp_max) && add_num(o, "step_us", (double)l->step_us);
    ok = ok && add_num(o, "error_limit", l->error_limit);
    return ok;
}

static int request_json(cJSON *o, const pg_request *r)
{
    cJSON *headers = cJSON_AddArrayToObject(o, "headers"), *status;
    char body[PG_FINGERPRINT_HEX] = "";
    int ok = headers != NULL;

    ok = ok && add_str(o, "method", r->method) && add_str(o, "path", r->path);
    for (size_t i = 0; ok && i < r->n_headers; i++) {
        cJSON *h = cJSON_CreateObject();
        /* as written: ${TOKEN} stays ${TOKEN}, so a new secret is the same work */
        ok = h && cJSON_AddItemToArray(headers, h) && add_str(h, "name", r->headers[i].name) &&
             add_str(h, "value", r->headers[i].template);
    }
    if (r->body_as_written) /* as written: ${TOKEN} stays ${TOKEN} */
        pg_sha256_hex(r->body_as_written, r->body_as_written_len, body);
    else if (r->body)
        pg_sha256_hex(r->body, r->body_len, body);
    ok = ok && add_str(o, "body_sha256", r->body ? body : NULL);
    ok = ok && (status = cJSON_AddArrayToObject(o, "expect_status")) != NULL;
    for (size_t i = 0; ok && i < r->n_expect_status; i++)
        ok = cJSON_AddItemToArray(status, cJSON_CreateNumber(r->expect_status[i]));
    ok = ok && add_str(o, "expect_body_contains", r->expect_body_contains);
    ok = ok && add_num(o, "sse", r->sse) && add_str(o, "tokens_field", r->tokens_field);
    /* added only when used, so the work of budgets without them stays the same */
    if (ok && r->n_extracts) {
        cJSON *arr = cJSON_AddArrayToObject(o, "extract");
        ok = arr != NULL;
        for (size_t i = 0; ok && i < r->n_extracts; i++) {
            cJSON *x = cJSON_CreateObject();
            if (!x || !cJSON_AddItemToArray(arr, x)) {
                cJSON_Delete(x);
                return 0;
            }
            ok = add_str(x, pg_extract_kind_keys[r->extracts[i].kind], r->extracts[i].expr) &&
                 add_num(x, "scope_vu", r->extracts[i].scope_vu);
        }
    }
    return ok;
}

/* What a scenario's records are: the same file read in the same order is
 * the same work; a changed file is not. */
static int data_json(cJSON *s, const pg_dataset *d)
{
    char hex[PG_FINGERPRINT_HEX];
    size_t cells = d->n_records * d->n_fields;
    size_t len = cells ? d->cells[cells - 1] +
                             strlen(pg_dataset_cell(d, d->n_records - 1, d->n_fields - 1)) + 1
                       : 0;
    cJSON *o = cJSON_AddObjectToObject(s, "data");

    pg_sha256_hex(d->text, len, hex);
    return o && add_str(o, "order", pg_data_order_names[d->order]) &&
           add_num(o, "records", (double)d->n_records) && add_str(o, "sha256", hex);
}

static int scenarios_json(cJSON *arr, const pg_budget *b)
{
    int ok = 1;

    for (size_t i = 0; ok && i < b->n_scenarios; i++) {
        const pg_scenario *sc = &b->scenarios[i];
        cJSON *s = cJSON_CreateObject(), *reqs;
        ok = s && cJSON_AddItemToArray(arr, s) && add_num(s, "weight", sc->weight) &&
             add_num(s, "think_min_us", (double)sc->think_min_us) &&
             add_num(s, "think_max_us", (double)sc->think_max_us) &&
             (reqs = cJSON_AddArrayToObject(s, "requests")) != NULL;
        if (ok && sc->data >= 0)
            ok = data_json(s, &b->datasets[sc->data]);
        if (ok && sc->cookies)
            ok = add_num(s, "cookies", 1);
        for (size_t k = 0; ok && k < sc->n_requests; k++) {
            cJSON *r = cJSON_CreateObject();
            ok = r && cJSON_AddItemToArray(reqs, r) && request_json(r, &sc->requests[k]);
        }
    }
    return ok;
}

int pg_budget_work(const pg_budget *b, cJSON **work, char hex[PG_FINGERPRINT_HEX], pg_err *err)
{
    cJSON *w = cJSON_CreateObject(), *load = NULL, *scen = NULL;
    char *text = NULL;

    *work = NULL;
    hex[0] = '\0';
    if (!w || !(load = cJSON_AddObjectToObject(w, "load")) || !load_json(load, b) ||
        !(scen = cJSON_AddArrayToObject(w, "scenarios")) || !scenarios_json(scen, b) ||
        !(text = cJSON_PrintUnformatted(w))) {
        cJSON_Delete(w);
        return pg_err_set(err, PG_ENOMEM, "out of memory describing the work of %s", b->name);
    }
    pg_sha256_hex(text, strlen(text), hex);
    free(text);
    *work = w;
    return PG_OK;
}

/* A value as it is shown in a difference, cut to fit. */
static void show(const cJSON *v, char *out, size_t size)
{
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;

    snprintf(out, size, "%s", text ? text : "(none)");
    if (strlen(out) > 40)
        snprintf(out + 37, size - 37, "...");
    free(text);
}

typedef struct diff_state {
    char *out;
    size_t size;
    int found;
} diff_state;

static void note(diff_state *d, const char *path, const cJSON *a, const cJSON *b)
{
    char va[48], vb[48];
    size_t used = strlen(d->out);

    if (++d->found > 3) {
        if (d->found == 4 && used + 5 < d->size)
            snprintf(d->out + used, d->size - used, "; ...");
        return;
    }
    show(a, va, sizeof va);
    show(b, vb, sizeof vb);
    snprintf(d->out + used, d->size - used, "%s%s %s -> %s", used ? "; " : "", path, va, vb);
}

static void diff(diff_state *d, const char *path, const cJSON *a, const cJSON *b)
{
    char sub[256];

    if (a && b && (cJSON_IsObject(a) && cJSON_IsObject(b))) {
        const cJSON *x;
        cJSON_ArrayForEach(x, a)
        {
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", x->string);
            diff(d, sub, x, cJSON_GetObjectItemCaseSensitive(b, x->string));
        }
        cJSON_ArrayForEach(x, b) if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
        {
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", x->string);
            note(d, sub, NULL, x);
        }
        return;
    }
    if (a && b && cJSON_IsArray(a) && cJSON_IsArray(b) &&
        cJSON_GetArraySize(a) == cJSON_GetArraySize(b)) {
        for (int i = 0; i < cJSON_GetArraySize(a); i++) {
            snprintf(sub, sizeof sub, "%s.%d", path, i);
            diff(d, sub, cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i));
        }
        return;
    }
    if (!a || !b || !cJSON_Compare(a, b, 1))
        note(d, path, a, b);
}

void pg_work_diff(const cJSON *a, const cJSON *b, char *out, size_t size)
{
    diff_state d = {out, size, 0};

    out[0] = '\0';
    diff(&d, "", a, b);
}
