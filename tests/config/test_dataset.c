/* test_dataset.c — data files: CSV and JSON read as Python's csv and json
 * modules read them (dataset_reference.py computed the cells), and every
 * bad file refused with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/dataset.h"
#include "dataset_reference.h"

static void check_case(const pg_data_case *c, int json)
{
    pg_dataset d = {0};
    pg_err err = {0};
    int rc = json ? pg_dataset_parse_json(&d, "t.json", c->text, strlen(c->text), &err)
                  : pg_dataset_parse_csv(&d, "t.csv", c->text, strlen(c->text), &err);

    if (rc != 0)
        print_error("%s: %s\n", c->text, err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n_fields, c->n_fields);
    assert_int_equal(d.n_records, c->n_records);
    for (size_t f = 0; f < c->n_fields; f++)
        assert_string_equal(d.fields[f], c->fields[f]);
    assert_null(d.fields[c->n_fields]);
    for (size_t r = 0; r < c->n_records; r++)
        for (size_t f = 0; f < c->n_fields; f++)
            assert_string_equal(pg_dataset_cell(&d, r, f), c->cells[r * c->n_fields + f]);
    pg_dataset_clear(&d);
}

static void csv_reads_as_python_does(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof csv_cases / sizeof *csv_cases; i++)
        check_case(&csv_cases[i], 0);
}

static void json_reads_as_python_does(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof json_cases / sizeof *json_cases; i++)
        check_case(&json_cases[i], 1);
}

static void refused(const char *text, int json, int line, int col, const char *words)
{
    pg_dataset d = {0};
    pg_err err = {0};
    int rc = json ? pg_dataset_parse_json(&d, "t.json", text, strlen(text), &err)
                  : pg_dataset_parse_csv(&d, "t.csv", text, strlen(text), &err);

    assert_int_equal(rc, PG_EINVALID);
    if (err.line != line || err.col != col || !strstr(err.msg, words))
        print_error("%s -> %d:%d: %s\n", text, err.line, err.col, err.msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_non_null(strstr(err.msg, words));
    assert_string_equal(err.file, json ? "t.json" : "t.csv");
    pg_dataset_clear(&d);
}

static void bad_csv_names_line_and_column(void **state)
{
    (void)state;
    refused("a,b\n1,2\n3\n", 0, 3, 0, "this row has 1 field, the header has 2");
    refused("a,b\n1,2,3\n", 0, 2, 5, "more than the header's 2 fields");
    refused("a,b\n1,\"open\n2,3\n", 0, 2, 3, "never closed");
    refused("a,b\n1,\"x\"y\n", 0, 2, 6, "after a quoted field's closing quote");
    refused("a,b\n1,x\"y\n", 0, 2, 4, "a quote inside an unquoted field");
    refused("a,a\n1,2\n", 0, 1, 0, "appears twice");
    refused("a,b c\n1,2\n", 0, 1, 0, "is not valid");
    refused("a,b\n", 0, 1, 0, "no records");
    refused("", 0, 1, 0, "empty");
    refused("a,\n1,2\n", 0, 1, 0, "\"\" (column 2 of the header) is not valid");
}

static void bad_json_names_line_and_column(void **state)
{
    (void)state;
    refused("{\"a\": 1}", 1, 1, 1, "non-empty array of objects");
    refused("[]", 1, 1, 1, "non-empty array of objects");
    refused("[{\"a\": 1},\n 2]", 1, 2, 2, "record 2 is not an object");
    refused("[{\"a\": 1, \"b\": 2},\n {\"a\": 3}]", 1, 2, 2, "record 2 has no \"b\"");
    refused("[{\"a\": 1},\n {\"a\": 3, \"c\": 4}]", 1, 2, 11, "record 2 has \"c\"");
    refused("[{\"a\": 1,}]", 1, 1, 9, "trailing comma");
}

static void field_lookup(void **state)
{
    pg_dataset d = {0};
    pg_err err = {0};

    (void)state;
    assert_int_equal(pg_dataset_parse_csv(&d, "t.csv", "id,name\n1,a\n", 12, &err), 0);
    assert_int_equal(pg_dataset_field(&d, "name", 4), 1);
    assert_int_equal(pg_dataset_field(&d, "namex", 4), 1); /* by length: "name" */
    assert_int_equal(pg_dataset_field(&d, "nam", 3), -1);
    pg_dataset_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reads_as_python_does),
        cmocka_unit_test(json_reads_as_python_does),
        cmocka_unit_test(bad_csv_names_line_and_column),
        cmocka_unit_test(bad_json_names_line_and_column),
        cmocka_unit_test(field_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
