/* test_json_print.c — numbers in printed JSON read back as the very doubles
 * written, with no more digits than the shortest such decimal (Python's
 * repr, the reference: json_print_reference.py wrote the table). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/json_print.h"
#include "json_print_reference.h"

static double from_bits(unsigned long long bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* significant digits of a printed number */
static int significant(const char *s)
{
    char mant[64];
    size_t n = 0;
    const char *p = s;
    int count = 0, trailing = 0;

    while (*p && *p != 'e' && *p != 'E' && n < sizeof mant - 1)
        mant[n++] = *p++;
    mant[n] = '\0';
    for (p = mant; *p == '-' || *p == '0' || *p == '.'; p++)
        ;
    for (; *p; p++)
        if (*p >= '0' && *p <= '9') {
            count++;
            trailing = *p == '0' ? trailing + 1 : 0;
        }
    return count - trailing > 0 ? count - trailing : 1;
}

static void shortest_and_exact(void **state)
{
    size_t n = sizeof reference / sizeof *reference;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        double d = from_bits(reference[i].bits);
        char buf[40];
        pg_json_number(buf, sizeof buf, d);
        if (strtod(buf, NULL) != d || significant(buf) != reference[i].digits)
            fail_msg("%s: printed %s (%d digits, want %d)", reference[i].repr, buf,
                     significant(buf), reference[i].digits);
    }
    print_message("%zu doubles: exact, and as short as Python's repr\n", n);
}

/* through a whole document: cJSON alone loses the last digit */
static void document_round_trip(void **state)
{
    const double tricky[] = {1.0999999999999999, 0.30000000000000004, 2.0 / 3.0, 5e-324, 12.5, 0};
    cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "v"), *back;
    char *text, *plain;
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof tricky / sizeof *tricky; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(tricky[i]));
    cJSON_AddNumberToObject(doc, "nan", NAN);
    plain = cJSON_PrintUnformatted(doc);
    assert_non_null(strstr(plain, "1.1,")); /* what cJSON does by itself */
    assert_non_null(text = pg_json_print(doc, 0));
    assert_non_null(back = cJSON_Parse(text));
    i = 0;
    for (const cJSON *v = cJSON_GetObjectItem(back, "v")->child; v; v = v->next, i++)
        assert_true(v->valuedouble == tricky[i]);
    assert_int_equal(i, sizeof tricky / sizeof *tricky);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(back, "nan")));
    /* the document printed is left as it was: numbers stay numbers */
    assert_true(cJSON_IsNumber(cJSON_GetArrayItem(arr, 0)));
    cJSON_Delete(back);
    free(text);
    free(plain);
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shortest_and_exact),
        cmocka_unit_test(document_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
