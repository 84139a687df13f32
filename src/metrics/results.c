/* results.c — environment fingerprint, time stamp and freeing (see results.h). */
#include "metrics/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common/redact.h"
#include "config/fingerprint.h"

const char *const pg_verdict_names[PG_VERDICT_COUNT] = {"undecided", "pass", "fail", "inconclusive",
                                                        "skipped"};

pg_verdict pg_verdict_named(const char *name)
{
    for (int v = PG_VERDICT_PASS; v < PG_VERDICT_COUNT; v++)
        if (name && strcmp(name, pg_verdict_names[v]) == 0)
            return (pg_verdict)v;
    return PG_VERDICT_UNDECIDED;
}

void pg_regression_setting_from(pg_regression_setting *out, const pg_regression *r)
{
    memset(out, 0, sizeof *out);
    out->enabled = r->enabled;
    out->alpha = r->alpha;
    out->min_effect = r->min_effect;
    for (size_t k = 0; k < r->n_metrics && k < PG_MAX_REGRESSION_METRICS; k++) {
        snprintf(out->metric[k].name, sizeof out->metric[k].name, "%s", r->metrics[k].name);
        out->metric[k].min_effect = r->metrics[k].min_effect;
        out->n = k + 1;
    }
}

void pg_env_detect(pg_env *env)
{
    struct utsname u;
    FILE *fp;
    char line[512];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    memset(env, 0, sizeof *env);
    if (gethostname(env->host, sizeof env->host - 1) != 0)
        snprintf(env->host, sizeof env->host, "unknown");
    if (uname(&u) == 0)
        snprintf(env->kernel, sizeof env->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    env->cores = cores > 0 ? cores : 1;
    snprintf(env->cpu, sizeof env->cpu, "unknown");
    if ((fp = fopen("/proc/cpuinfo", "r"))) {
        while (fgets(line, sizeof line, fp)) {
            char *colon = strchr(line, ':');
            if (strncmp(line, "model name", 10) == 0 && colon) {
                colon += 1 + (colon[1] == ' ');
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(env->cpu, sizeof env->cpu, "%s", colon);
                break;
            }
        }
        fclose(fp);
    }
}

int pg_budget_result_init(pg_budget_result *br, const pg_budget *b, const char *target, pg_err *err)
{
    cJSON *work = NULL;
    int rc;

    if (!(br->name = strdup(b->name)) || !(br->path = strdup(b->path)) ||
        !(br->target = pg_redact_url(target ? target : b->target)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    pg_regression_setting_from(&br->regression, &b->regression);
    if ((rc = pg_budget_work(b, &work, br->fingerprint, err)) != PG_OK)
        return rc;
    br->work = cJSON_PrintUnformatted(work);
    cJSON_Delete(work);
    return br->work ? PG_OK : pg_err_set(err, PG_ENOMEM, "out of memory");
}

void pg_results_stamp(pg_results *r)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(r->created, sizeof r->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void pg_results_clear(pg_results *r)
{
    for (size_t i = 0; i < r->n_budgets; i++) {
        free(r->budgets[i].name);
        free(r->budgets[i].path);
        free(r->budgets[i].target);
        free(r->budgets[i].work);
        free(r->budgets[i].checks);
        pg_budget_run_clear(&r->budgets[i].run);
    }
    free(r->budgets);
    memset(r, 0, sizeof *r);
}
