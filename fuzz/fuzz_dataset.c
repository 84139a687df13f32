/* fuzz_dataset.c — libFuzzer: any bytes as a data file (the first byte
 * picks CSV or JSON), then as a template rendered with its first record.
 * The readers and the template parser must return an error or a value,
 * never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config/dataset.h"
#include "config/template.h"

/* {{a.*}} names field 0 or 1 of the data, {{v}} variable 0; nothing else. */
static int resolve(void *ctx, const char *name, size_t len, pg_tpl_part *part, char *why,
                   size_t why_size)
{
    const pg_dataset *d = ctx;
    (void)why;
    (void)why_size;
    if (len == 1 && name[0] == 'v') {
        part->kind = PG_TPL_VAR;
        part->index = 0;
        return 0;
    }
    if (len > 2 && name[0] == 'a' && name[1] == '.' && d->n_fields) {
        part->kind = PG_TPL_FIELD;
        part->index = len % d->n_fields;
        return 0;
    }
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pg_dataset d = {0};
    pg_err err;
    char text[4096], why[256], *vars[1] = {"x\"y"};
    uint64_t rng = 1;
    size_t at;
    pg_template t;
    int rc;

    if (!size)
        return 0;
    rc = data[0] & 1 ? pg_dataset_parse_json(&d, "f.json", (const char *)data + 1, size - 1, &err)
                     : pg_dataset_parse_csv(&d, "f.csv", (const char *)data + 1, size - 1, &err);
    if (size - 1 < sizeof text) {
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0'; /* templates are NUL-terminated strings */
        for (pg_tpl_place place = PG_TPL_IN_PATH; place <= PG_TPL_IN_BODY; place++) {
            if (pg_template_parse(&t, text, strlen(text), place, resolve, &d, &at, why,
                                  sizeof why) == 0) {
                pg_buf out = {0};
                pg_tpl_values v = {rc == 0 ? &d : NULL, 0, vars, 7, &rng};
                pg_template_render(&t, &v, &out);
                pg_buf_free(&out);
                pg_template_clear(&t);
            }
        }
    }
    pg_dataset_clear(&d);
    return 0;
}
