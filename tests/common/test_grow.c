/* test_grow.c — the one doubling rule for appended arrays (common/grow.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common/grow.h"

static void doubles_from_first(void **state)
{
    int *a = NULL;
    size_t cap = 0, grew = 0;
    (void)state;
    for (size_t n = 0; n < 1000; n++) {
        size_t before = cap;
        assert_int_equal(pg_grow(&a, &cap, n, sizeof *a, 16), 0);
        assert_true(n < cap);
        if (cap != before) {
            assert_int_equal(cap, before ? before * 2 : 16);
            grew++;
        }
        a[n] = (int)n; /* valgrind and ASan check the room is there */
    }
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(a[n], (int)n);
    assert_int_equal(grew, 7); /* 16, 32, ..., 1024 */
    free(a);
}

static void room_already_there_is_left_alone(void **state)
{
    int *a = malloc(8 * sizeof *a), *same = a;
    size_t cap = 8;
    (void)state;
    assert_int_equal(pg_grow(&a, &cap, 7, sizeof *a, 16), 0);
    assert_ptr_equal(a, same);
    assert_int_equal(cap, 8);
    free(a);
}

static void too_large_fails_and_keeps_the_array(void **state)
{
    char *a = malloc(4), *same = a;
    size_t cap = 4;
    (void)state;
    /* 8 items of SIZE_MAX / 4 bytes cannot be asked for */
    assert_int_equal(pg_grow(&a, &cap, 4, SIZE_MAX / 4, 1), -1);
    assert_ptr_equal(a, same);
    assert_int_equal(cap, 4);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_from_first),
        cmocka_unit_test(room_already_there_is_left_alone),
        cmocka_unit_test(too_large_fails_and_keeps_the_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
