/* test_budget.c — budget files: the invalid corpus with exact errors, the
 * valid corpus, and what parsing fills in (defaults, presets, schedules).
 *
 * Corpus: tests/config/budgets/invalid/NAME.json must fail with the message
 * in NAME.err ("line:col: text"), and every valid/NAME.json must load. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "common/file.h"
#include "config/budget.h"

#define CORPUS PG_TEST_DIR "/config/budgets"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void invalid_corpus(void **state)
{
    DIR *d;
    struct dirent *e;
    int files = 0, failures = 0;
    (void)state;

    assert_int_equal(chdir(CORPUS), 0);
    assert_non_null(d = opendir("invalid"));
    while ((e = readdir(d))) {
        char path[512], errpath[512], got[2048];
        char *want = NULL;
        pg_budget *b = NULL;
        pg_err err;

        if (!ends_with(e->d_name, ".json"))
            continue;
        files++;
        snprintf(path, sizeof path, "invalid/%s", e->d_name);
        snprintf(errpath, sizeof errpath, "invalid/%.*s.err", (int)(strlen(e->d_name) - 5),
                 e->d_name);
        if (pg_file_read(&want, NULL, errpath, 0, &err) != 0) {
            print_error("%s: no expectation file %s\n", path, errpath);
            failures++;
            continue;
        }
        want[strcspn(want, "\n")] = '\0';
        if (pg_budget_load(&b, path, &err) == 0) {
            print_error("%s: accepted, expected: %s\n", path, want);
            pg_budget_free(b);
            failures++;
        } else {
            snprintf(got, sizeof got, "%d:%d: %s", err.line, err.col, err.msg);
            if (strcmp(got, want) != 0 || strcmp(err.file, path) != 0 || err.code != PG_EINVALID) {
                print_error("%s:\n  want %s\n  got  %s\n", path, want, got);
                failures++;
            }
        }
        free(want);
    }
    closedir(d);
    print_message("%d invalid budgets checked\n", files);
    assert_true(files >= 30);
    assert_int_equal(failures, 0);
}

static void valid_corpus(void **state)
{
    DIR *d;
    struct dirent *e;
    int files = 0;
    (void)state;

    assert_int_equal(chdir(CORPUS), 0);
    assert_non_null(d = opendir("valid"));
    while ((e = readdir(d))) {
        char path[512];
        pg_budget *b = NULL;
        pg_err err;
        if (!ends_with(e->d_name, ".json"))
            continue;
        files++;
        snprintf(path, sizeof path, "valid/%s", e->d_name);
        if (pg_budget_load(&b, path, &err) != 0)
            fail_msg("%s: %d:%d: %s", path, err.line, err.col, err.msg);
        pg_budget_free(b);
    }
    closedir(d);
    assert_true(files >= 6);
}

static pg_budget *load(const char *name)
{
    char path[512];
    pg_budget *b = NULL;
    pg_err err;

    snprintf(path, sizeof path, "%s/valid/%s", CORPUS, name);
    if (pg_budget_load(&b, path, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    return b;
}

static void closed_model_fields(void **state)
{
    pg_budget *b = load("constant-vus.json");
    (void)state;
    assert_string_equal(b->target, "http://127.0.0.1:8080"); /* trailing slash dropped */
    assert_int_equal(b->load.executor, PG_EXEC_CONSTANT_VUS);
    assert_false(b->load.open_model);
    assert_int_equal(b->load.vus, 10);
    assert_int_equal(b->load.duration_us, 90000000);
    assert_int_equal(b->load.warmup_us, 5000000);
    assert_int_equal(b->load.timeout_us, 2000000);
    assert_int_equal(b->load.max_connections, 10);
    assert_int_equal(b->trials, 5);
    assert_int_equal(b->scenarios[0].think_min_us, 50000);
    assert_int_equal(b->scenarios[0].think_max_us, 150000);
    assert_string_equal(b->scenarios[0].requests[0].method, "GET");
    assert_string_equal(b->scenarios[0].requests[0].name, "GET /");
    assert_int_equal(b->n_thresholds, 15);
    assert_int_equal(pg_tag_filter_simple(&b->thresholds[14].filter), PG_TAG_NAME);
    assert_string_equal(b->thresholds[14].filter.value[PG_TAG_NAME], "GET /");
    assert_true(b->thresholds[12].abort_on_fail);
    /* regression defaults */
    assert_true(b->regression.enabled);
    assert_true(b->regression.alpha == 0.01);
    assert_int_equal(b->regression.n_metrics, 6);
    assert_string_equal(b->regression.metrics[1].name, "p95");
    assert_true(b->regression.metrics[1].min_effect == 0.10);
    assert_true(b->regression.metrics[4].min_effect == 0.001);
    /* compared by default, only between sides measured at the same time */
    assert_string_equal(b->regression.metrics[5].name, "service_cpu");
    assert_true(b->regression.metrics[5].min_effect == 0.05);
    pg_budget_free(b);
}

static void open_model_fields(void **state)
{
    pg_budget *b = load("constant-arrival-rate.json");
    const pg_request *put;
    (void)state;
    assert_true(b->load.open_model);
    assert_true(b->load.rate == 200.0);
    assert_true(b->load.http2);
    assert_true(b->load.insecure);
    assert_int_equal(b->load.max_body, 1048576);
    assert_int_equal(b->load.max_connections, 64);
    assert_int_equal(b->scenarios[0].requests[1].n_expect_status, 2);
    assert_int_equal(b->scenarios[0].requests[1].expect_status[1], 304);
    assert_string_equal(b->scenarios[0].requests[1].expect_body_contains, "\"id\":42");
    assert_string_equal(b->scenarios[1].requests[0].headers[0].name, "Content-Type");
    put = &b->scenarios[1].requests[1];
    assert_string_equal(put->body, "payload from a file\n");
    assert_true(b->regression.alpha == 0.05);
    assert_true(b->regression.metrics[1].min_effect == 0.10);
    assert_true(b->regression.metrics[4].min_effect == 0.005);
    pg_budget_free(b);
}

/* A staircase is sized before it runs: 100, 150, ... 1000 is 19 steps of 2 s. */
static void breaking_point_fields(void **state)
{
    pg_budget *b = load("breaking-point.json");
    (void)state;
    assert_int_equal(b->load.executor, PG_EXEC_BREAKING_POINT);
    assert_true(b->load.open_model);
    assert_true(b->load.bp_start == 100.0 && b->load.bp_step == 50.0 && b->load.bp_max == 1000.0);
    assert_int_equal(b->load.step_us, 2000000);
    assert_int_equal(b->load.duration_us, 19 * 2000000ull);
    assert_true(fabs(b->load.error_limit - 0.005) < 1e-12);
    assert_int_equal(b->load.max_connections, 32);
    /* the third step, and a time past the top: the rate stays at max */
    assert_true(pg_load_target_at(&b->load, 4500000) == 200.0);
    assert_true(pg_load_target_at(&b->load, 3600000000ull) == 1000.0);
    assert_string_equal(b->regression.metrics[0].name, "capacity_rps");
    assert_true(fabs(b->regression.metrics[0].min_effect - 0.08) < 1e-12);
    assert_int_equal(b->thresholds[1].def->kind, PG_METRIC_GAUGE);
    pg_budget_free(b);
}

static void breaking_point_default_regression(void **state)
{
    static const char text[] =
        "{ \"name\": \"b\", \"target\": \"http://127.0.0.1:9\",\n"
        "  \"load\": { \"executor\": \"breaking-point\", \"start\": 10, \"step\": 10,\n"
        "            \"max\": 100, \"step_duration\": \"1s\" },\n"
        "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\" } ] } ] }\n";
    pg_budget *b = NULL;
    pg_err err;
    (void)state;
    assert_int_equal(pg_budget_parse(&b, "b.json", text, strlen(text), &err), 0);
    /* latency at whatever step a staircase reached does not compare: capacity only */
    assert_int_equal(b->regression.n_metrics, 1);
    assert_string_equal(b->regression.metrics[0].name, "capacity_rps");
    assert_true(b->regression.metrics[0].min_effect == 0.10);
    assert_true(b->load.error_limit == 0.01);
    pg_budget_free(b);
}

static void monitor_fields(void **state)
{
    pg_budget *b = load("monitor.json");
    const pg_monitor_cfg *m;
    (void)state;
    m = &b->monitor;
    assert_string_equal(m->command, "nginx");
    assert_int_equal(m->pid, 0);
    assert_null(m->pid_file);
    assert_int_equal(m->interval_us, 500000);
    assert_int_equal(m->n_scrapes, 2);
    assert_int_equal(m->scrapes[0].every_us, 2000000);
    assert_false(m->scrapes[0].json);
    assert_int_equal(m->scrapes[0].n_gauges, 2);
    assert_string_equal(m->scrapes[0].gauges[1].name, "inflight");
    assert_string_equal(m->scrapes[0].gauges[1].selector,
                        "http_requests_in_flight{handler=\"/api\",code=\"200\"}");
    assert_true(m->scrapes[1].json);
    assert_int_equal(m->scrapes[1].every_us, 500000); /* the interval when not given */
    assert_non_null(pg_budget_gauge(b, "pool_busy"));
    assert_null(pg_budget_gauge(b, "host_cpu"));
    /* a threshold on a scraped gauge, and a size threshold in bytes */
    assert_ptr_equal(b->thresholds[4].def, &pg_metric_scraped);
    assert_true(b->thresholds[2].value == 512.0 * 1024 * 1024);
    pg_budget_free(b);
}

static void schedules(void **state)
{
    pg_budget *b = load("ramping-arrival-rate.json");
    (void)state;
    assert_int_equal(b->load.duration_us, 70000000);
    assert_true(pg_load_target_at(&b->load, 0) == 0.0);
    assert_true(pg_load_target_at(&b->load, 15000000) == 150.0);
    assert_true(pg_load_target_at(&b->load, 45000000) == 300.0);
    assert_true(pg_load_target_at(&b->load, 65000000) == 150.0);
    assert_true(pg_load_target_at(&b->load, 80000000) == 0.0);
    pg_budget_free(b);

    b = load("spike.json");
    assert_string_equal(b->load.preset, "spike");
    assert_int_equal(b->load.duration_us, 60000000);
    assert_true(pg_load_target_at(&b->load, 12000000) == 50.0);  /* quiet: 10% of the peak */
    assert_true(pg_load_target_at(&b->load, 25000000) == 500.0); /* the spike */
    pg_budget_free(b);

    b = load("stress.json");
    assert_false(b->regression.enabled);
    assert_true(pg_load_target_at(&b->load, 12000000) == 25.0);
    assert_true(pg_load_target_at(&b->load, 100000000) == 100.0);
    pg_budget_free(b);
}

static void parse_from_memory(void **state)
{
    const char *text =
        "{\"name\":\"m\",\"target\":\"http://127.0.0.1:1\",\"load\":{\"executor\":\"constant-vus\","
        "\"vus\":1,\"duration\":\"1s\"},\"trials\":1,\"regression\":false,"
        "\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/\"}]}]}";
    pg_budget *b = NULL;
    pg_err err;
    (void)state;
    assert_int_equal(pg_budget_parse(&b, "mem.json", text, strlen(text), &err), 0);
    assert_int_equal(b->trials, 1);
    pg_budget_free(b);
    assert_int_equal(pg_budget_load(&b, "/nonexistent/budget.json", &err), PG_EINVALID);
    assert_null(b);
    assert_non_null(strstr(err.msg, "cannot open"));
}

/* HTTP/2 without TLS: refused where libcurl fails on every reused h2c
 * connection (before 8.0.0: curl issue 10634), accepted where it works. */
static void h2c_refused_on_old_libcurl(void **state)
{
    static const char text[] =
        "{ \"name\": \"h\", \"target\": \"http://127.0.0.1:8080\",\n"
        "  \"load\": { \"executor\": \"constant-vus\", \"vus\": 1, \"duration\": \"6s\",\n"
        "            \"http\": \"2\" },\n"
        "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\" } ] } ] }\n";
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    pg_budget *b = NULL;
    pg_err err;
    int rc = pg_budget_parse(&b, "h.json", text, sizeof text - 1, &err);

    (void)state;
    if (v->version_num >= 0x080000) {
        assert_int_equal(rc, 0);
        pg_budget_free(b);
        return;
    }
    assert_int_equal(rc, PG_EINVALID);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 21);
    assert_non_null(strstr(err.msg, "fails on every reused connection with this libcurl"));
    assert_non_null(strstr(err.msg, "use an https:// target"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invalid_corpus),
        cmocka_unit_test(h2c_refused_on_old_libcurl),
        cmocka_unit_test(valid_corpus),
        cmocka_unit_test(closed_model_fields),
        cmocka_unit_test(open_model_fields),
        cmocka_unit_test(schedules),
        cmocka_unit_test(parse_from_memory),
        cmocka_unit_test(breaking_point_fields),
        cmocka_unit_test(breaking_point_default_regression),
        cmocka_unit_test(monitor_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
