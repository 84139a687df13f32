/* test_fingerprint.c — what a budget measures (config/fingerprint.c): the
 * same work gives the same fingerprint whatever the target, the thresholds,
 * the regression settings, the names or the secrets in ${NAME} (in a header or
 * a body); a change to
 * the load, the trials or the requests changes it, and the difference says
 * what changed. And the command line's overrides (pg_budget_parse_with) go
 * through the file's own checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/fingerprint.h"

#define BUDGET                                                                                     \
    "{\"name\":\"%s\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","        \
    "\"rate\":%d,\"duration\":\"6s\"},\"trials\":6,\"scenarios\":[{\"name\":\"s\",\"requests\":[" \
    "{\"path\":\"%s\",\"headers\":{\"Authorization\":\"Bearer ${PG_TEST_TOKEN}\"},"              \
    "\"method\":\"POST\",\"body\":\"{\\\"key\\\": \\\"${PG_TEST_TOKEN}\\\"}\"}]}],"                  \
    "\"thresholds\":{\"http_req_duration\":[\"%s\"]}}"

typedef struct work {
    char hex[PG_FINGERPRINT_HEX];
    cJSON *json;
} work;

static work of(const char *name, const char *target, int rate, const char *path,
               const char *threshold, const pg_budget_overrides *ov)
{
    char text[2048];
    pg_budget *b = NULL;
    pg_err err;
    work w;

    snprintf(text, sizeof text, BUDGET, name, target, rate, path, threshold);
    if (pg_budget_parse_with(&b, "b.json", text, strlen(text), ov, &err) != 0)
        fail_msg("budget: %s", err.msg);
    assert_int_equal(pg_budget_work(b, &w.json, w.hex, &err), 0);
    assert_int_equal(strlen(w.hex), 64);
    pg_budget_free(b);
    return w;
}

static void same_work_same_fingerprint(void **state)
{
    work a, b;
    (void)state;
    setenv("PG_TEST_TOKEN", "secret-one", 1);
    a = of("api", "http://127.0.0.1:8080", 50, "/items", "p(95)<200ms", NULL);
    /* another port, name, threshold and token: the same work */
    setenv("PG_TEST_TOKEN", "secret-two", 1);
    b = of("renamed", "http://127.0.0.1:9999", 50, "/items", "p(99)<1s", NULL);
    assert_string_equal(a.hex, b.hex);
    {
        char *text = cJSON_PrintUnformatted(a.json);
        /* the header as written, never the secret */
        assert_non_null(strstr(text, "Bearer ${PG_TEST_TOKEN}"));
        assert_null(strstr(text, "secret"));
        assert_null(strstr(text, "127.0.0.1"));
        free(text);
    }
    cJSON_Delete(a.json);
    cJSON_Delete(b.json);
}

static void other_work_says_what_changed(void **state)
{
    work a, b, c;
    char diff[256];
    pg_budget_overrides two = {NULL, 3, 0, 0};
    (void)state;
    setenv("PG_TEST_TOKEN", "x", 1);
    a = of("api", "http://127.0.0.1:8080", 50, "/items", "p(95)<200ms", NULL);
    b = of("api", "http://127.0.0.1:8080", 40, "/items", "p(95)<200ms", NULL);
    assert_string_not_equal(a.hex, b.hex);
    pg_work_diff(a.json, b.json, diff, sizeof diff);
    assert_string_equal(diff, "load.rate 50 -> 40");
    cJSON_Delete(b.json);
    b = of("api", "http://127.0.0.1:8080", 50, "/other", "p(95)<200ms", NULL);
    pg_work_diff(a.json, b.json, diff, sizeof diff);
    assert_string_equal(diff, "scenarios.0.requests.0.path \"/items\" -> \"/other\"");
    /* --trials 3: fewer, longer trials */
    c = of("api", "http://127.0.0.1:8080", 50, "/items", "p(95)<200ms", &two);
    pg_work_diff(a.json, c.json, diff, sizeof diff);
    assert_non_null(strstr(diff, "load.trials 6 -> 3"));
    assert_non_null(strstr(diff, "load.trial_duration_us 1000000 -> 2000000"));
    pg_work_diff(a.json, a.json, diff, sizeof diff);
    assert_string_equal(diff, "");
    cJSON_Delete(a.json);
    cJSON_Delete(b.json);
    cJSON_Delete(c.json);
}

static void overrides_pass_the_files_checks(void **state)
{
    char text[2048];
    pg_budget *b = NULL;
    pg_err err;
    pg_budget_overrides compared = {NULL, 2, 0, 1}, run = {NULL, 2, 0, 0},
                        query = {"http://127.0.0.1:1/?x=1", 0, 0, 0},
                        short_trials = {NULL, 20, 1000000, 0};
    (void)state;
    setenv("PG_TEST_TOKEN", "x", 1);
    snprintf(text, sizeof text, BUDGET, "api", "http://127.0.0.1:8080", 50, "/", "p(95)<1s");
    /* too few trials to reach alpha: an error where they will be compared */
    assert_int_equal(pg_budget_parse_with(&b, "b.json", text, strlen(text), &compared, &err),
                     PG_EINVALID);
    assert_non_null(strstr(err.msg, "--trials (from the command line): 2 trials per side"));
    assert_int_equal(err.line, 0);
    /* a warning where nothing is compared */
    assert_int_equal(pg_budget_parse_with(&b, "b.json", text, strlen(text), &run, &err), 0);
    assert_non_null(strstr(b->warning, "2 trials per side can never show a regression"));
    assert_int_equal(b->trials, 2);
    pg_budget_free(b);
    /* --target is checked as the file's target is */
    assert_int_equal(pg_budget_parse_with(&b, "b.json", text, strlen(text), &query, &err),
                     PG_EINVALID);
    assert_non_null(strstr(err.msg, "--target (from the command line): \"target\" must not have"));
    /* --duration with --trials leaving under 100ms each */
    assert_int_equal(
        pg_budget_parse_with(&b, "b.json", text, strlen(text), &short_trials, &err), PG_EINVALID);
    assert_non_null(strstr(err.msg, "leave under 100ms each"));
}

/* The digest itself, against the examples of FIPS 180-2 (appendix B) and the
 * empty message (as `printf '' | sha256sum` prints it); the million 'a's
 * cross more than one block boundary at every size the update is given. */
static void sha256_matches_the_published_examples(void **state)
{
    static const struct {
        const char *in, *hex;
    } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[PG_FINGERPRINT_HEX];
    char *million = malloc(1000000);

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pg_sha256_hex(cases[i].in, strlen(cases[i].in), hex);
        assert_string_equal(hex, cases[i].hex);
    }
    assert_non_null(million);
    memset(million, 'a', 1000000);
    pg_sha256_hex(million, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_matches_the_published_examples),
        cmocka_unit_test(same_work_same_fingerprint),
        cmocka_unit_test(other_work_says_what_changed),
        cmocka_unit_test(overrides_pass_the_files_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
