/* test_fdlimit.c — the soft open-file limit is raised as far as a run needs,
 * and never past the hard limit. The test lowers its own soft limit first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "common/fdlimit.h"

static struct rlimit original;

static int lower_soft_limit(void **state)
{
    struct rlimit low;

    (void)state;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &original), 0);
    low.rlim_cur = 64;
    low.rlim_max = original.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &low);
}

static int restore(void **state)
{
    (void)state;
    return setrlimit(RLIMIT_NOFILE, &original);
}

static void raises_the_soft_limit_to_what_is_needed(void **state)
{
    unsigned long soft, hard;
    struct rlimit now;

    (void)state;
    if (original.rlim_max != RLIM_INFINITY && original.rlim_max < 256)
        skip(); /* this machine's hard limit leaves no room to test raising */
    assert_int_equal(pg_fdlimit_ensure(200, &soft, &hard), 0);
    assert_int_equal(soft, 200);
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &now), 0);
    assert_int_equal(now.rlim_cur, 200);
    /* never lowered: asking for less keeps what is there */
    assert_int_equal(pg_fdlimit_ensure(100, &soft, &hard), 0);
    assert_int_equal(soft, 200);
}

static void says_no_past_the_hard_limit(void **state)
{
    unsigned long soft, hard;

    (void)state;
    if (original.rlim_max == RLIM_INFINITY)
        skip();
    assert_int_equal(pg_fdlimit_ensure((unsigned long)original.rlim_max + 1, &soft, &hard), -1);
    assert_int_equal(soft, 64); /* left as it was */
    assert_int_equal(hard, (unsigned long)original.rlim_max);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(raises_the_soft_limit_to_what_is_needed, lower_soft_limit,
                                        restore),
        cmocka_unit_test_setup_teardown(says_no_past_the_hard_limit, lower_soft_limit, restore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
