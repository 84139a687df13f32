/* test_gzip.c — gzip a buffer and read it back; gzip(1) is the reference
 * that what we write is gzip: it must read it, and we must read its output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/file.h"
#include "common/gzip.h"

/* a results-like text: repetitive JSON, long enough to need several rounds
 * of inflate output growth */
static char *sample(size_t *len)
{
    size_t cap = 200000, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n, "{\"histogram\": [");
    for (int i = 0; n < cap - 64; i++)
        n += (size_t)snprintf(s + n, cap - n, "%d, %d, ", i % 977, (i * 7919) % 10007);
    n += (size_t)snprintf(s + n, cap - n, "0]}");
    *len = n;
    return s;
}

static void round_trip(void **state)
{
    size_t len, gz_len, back_len;
    char *text = sample(&len), *gz, *back;
    pg_err err;

    (void)state;
    assert_int_equal(pg_gzip(&gz, &gz_len, text, len, &err), 0);
    assert_true(pg_gzip_is(gz, gz_len));
    assert_true(gz_len < len / 2);
    assert_int_equal(pg_gunzip(&back, &back_len, gz, gz_len, len, "t", &err), 0);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, text, len);
    assert_int_equal(back[len], '\0');
    free(back);
    /* one byte short of room: refused, and says so */
    assert_int_equal(pg_gunzip(&back, &back_len, gz, gz_len, len - 1, "t", &err), PG_EINVALID);
    assert_null(back);
    assert_non_null(strstr(err.msg, "more than"));
    /* truncated: refused as corrupt */
    assert_int_equal(pg_gunzip(&back, &back_len, gz, gz_len / 2, len, "t.gz", &err), PG_EINVALID);
    assert_non_null(strstr(err.msg, "not valid gzip"));
    assert_string_equal(err.file, "t.gz");
    /* not gzip at all */
    assert_false(pg_gzip_is(text, len));
    assert_int_equal(pg_gunzip(&back, &back_len, text, len, len, "t", &err), PG_EINVALID);
    free(gz);
    free(text);
}

static void empty_input(void **state)
{
    char *gz, *back;
    size_t gz_len, back_len;
    pg_err err;

    (void)state;
    assert_int_equal(pg_gzip(&gz, &gz_len, "", 0, &err), 0);
    assert_int_equal(pg_gunzip(&back, &back_len, gz, gz_len, 16, "t", &err), 0);
    assert_int_equal(back_len, 0);
    assert_string_equal(back, "");
    free(back);
    free(gz);
}

/* gzip(1) reads ours, and we read gzip(1)'s */
static void same_format_as_gzip_tool(void **state)
{
    char dir[] = "/tmp/pg_gzip_XXXXXX", path[256], cmd[700], *gz, *back, *file;
    size_t len, gz_len, back_len, file_len;
    char *text = sample(&len);
    pg_err err;

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pg_gzip(&gz, &gz_len, text, len, &err), 0);
    snprintf(path, sizeof path, "%s/ours.gz", dir);
    assert_int_equal(pg_file_write_atomic(path, gz, gz_len, &err), 0);
    snprintf(cmd, sizeof cmd,
             "gzip -dc '%s/ours.gz' > '%s/ours' && gzip -c '%s/ours' > '%s/theirs.gz'", dir, dir,
             dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/ours", dir);
    assert_int_equal(pg_file_read(&file, &file_len, path, 0, &err), 0);
    assert_int_equal(file_len, len);
    assert_memory_equal(file, text, len);
    free(file);
    snprintf(path, sizeof path, "%s/theirs.gz", dir);
    assert_int_equal(pg_file_read(&file, &file_len, path, 0, &err), 0);
    assert_int_equal(pg_gunzip(&back, &back_len, file, file_len, len, path, &err), 0);
    assert_memory_equal(back, text, len);
    free(back);
    free(file);
    free(gz);
    free(text);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(empty_input),
        cmocka_unit_test(same_format_as_gzip_tool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
