/* run.c — running budgets for `run` and `check` (see run.h): load them,
 * run them, evaluate thresholds, print the table, write the results file.
 *
 * SIGINT/SIGTERM stop the load; what was measured is still written, marked
 * "interrupted", and the exit code is 130/143 as shells expect. A second
 * signal exits at once. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "cli/stop.h"
#include "common/file.h"
#include "common/redact.h"
#include "config/budget.h"
#include "config/units.h"
#include "engine/engine.h"
#include "metrics/results.h"
#include "monitor/monitor.h"
#include "report/console.h"
#include "stats/bottleneck.h"
#include "stats/thresholds.h"
#include "store/repo.h"

static int parse_shard(const char *s, pg_run_args *a)
{
    char extra;

    if (sscanf(s, "%ld/%ld%c", &a->shard_i, &a->shard_n, &extra) != 2 || a->shard_n < 1 ||
        a->shard_n > 1000 || a->shard_i < 1 || a->shard_i > a->shard_n) {
        fprintf(stderr, "perfgate: --shard takes I/N with 1 <= I <= N, e.g. 2/4, not \"%s\"\n", s);
        return -1;
    }
    return 0;
}

const struct option pg_run_longopts[] = {
    {"output", required_argument, NULL, 'o'},
    {"threads", required_argument, NULL, 't'},
    {"quiet", no_argument, NULL, 'q'},
    {"seed", required_argument, NULL, 's'},
    {"shard", required_argument, NULL, 'S'},
    {"dry-run", no_argument, NULL, 'n'},
    {"target", required_argument, NULL, 'T'},
    {"duration", required_argument, NULL, 'D'},
    {"trials", required_argument, NULL, 'r'},
    {"testbed", required_argument, NULL, 'Y'},
    {NULL, 0, NULL, 0},
};

void pg_run_args_init(pg_run_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
}

int pg_run_option(int opt, const char *arg, pg_run_args *a)
{
    char why[256];

    switch (opt) {
    case 'o':
        a->output = arg;
        return 1;
    case 't':
        return pg_cli_parse_long("--threads", arg, 1, 256, &a->threads) == 0 ? 1 : -1;
    case 'q':
        a->quiet = 1;
        return 1;
    case 's':
        return pg_cli_parse_long("--seed", arg, 0, 0x7fffffffL, &a->seed) == 0 ? 1 : -1;
    case 'S':
        return parse_shard(arg, a) == 0 ? 1 : -1;
    case 'n':
        a->dry_run = 1;
        return 1;
    case 'T':
        a->target = arg;
        return 1;
    case 'D':
        if (pg_parse_duration(arg, &a->duration_us, why, sizeof why) != 0 ||
            a->duration_us < 1000000) {
            fprintf(stderr, "perfgate: --duration: %s\n", a->duration_us ? "at least 1s" : why);
            return -1;
        }
        return 1;
    case 'r':
        return pg_cli_parse_long("--trials", arg, 1, 100, &a->trials) == 0 ? 1 : -1;
    case 'Y':
        if (!*arg || strlen(arg) > 100 || strpbrk(arg, "\r\n\t")) {
            fprintf(stderr,
                    "perfgate: --testbed takes a name of 1 to 100 characters on one line\n");
            return -1;
        }
        a->testbed = arg;
        return 1;
    default:
        return 0;
    }
}

/* breaking-point: a step holds when every threshold of the budget holds on
 * its measurements, as on a whole run. Gauges and capacity_rps have no data
 * in one step: they are judged on the whole run afterwards. */
typedef struct step_judge {
    int quiet;
    pg_progress *progress; /* its line is cleared before a step's */
} step_judge;

static int judge_step(void *arg, const pg_budget *step, const pg_budget_run *run, int held,
                      char *why, size_t size)
{
    step_judge *j = arg;
    const pg_trial *t = &run->trials[0];
    pg_budget_result r;
    pg_err err;
    char p95[16] = "-";

    memset(&r, 0, sizeof r);
    r.run = *run; /* borrowed: only the checks are r's own */
    if (held && pg_thresholds_evaluate(&r, step, &err) == 0) {
        for (size_t i = 0; i < r.n_checks && held; i++)
            if (r.checks[i].verdict == PG_VERDICT_FAIL) {
                held = 0;
                snprintf(why, size, "%s", r.checks[i].detail);
            }
    }
    free(r.checks);
    if (t->duration.total)
        pg_format_duration(pg_hist_percentile(&t->duration, 95), p95, sizeof p95);
    pg_progress_done(j->progress);
    if (!j->quiet)
        fprintf(stderr, "%s step %g/s: %.1f req/s, p95 %s, %.2f%% failed, %llu dropped: %s%s\n",
                step->name, step->load.rate, pg_trial_rps(t), p95, 100.0 * pg_trial_error_rate(t),
                (unsigned long long)t->dropped, held ? "held" : "broke: ", held ? "" : why);
    return held;
}

int pg_run_load(pg_budget **out, const char *file, const pg_run_args *a)
{
    pg_budget_overrides ov = {a->target, a->trials, a->duration_us, a->compared};
    pg_err err;

    if (pg_budget_load_with(out, file, &ov, &err) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(err.code);
    }
    if (a->shard_n > 1 && (*out)->load.executor == PG_EXEC_BREAKING_POINT) {
        fprintf(stderr,
                "perfgate: %s: a breaking-point budget cannot be sharded (--shard): each step's "
                "verdict needs the measurements of every shard at once\n",
                (*out)->path);
        return PG_EXIT_USAGE;
    }
    if ((*out)->warning[0] && !a->quiet)
        fprintf(stderr, "perfgate: warning: %s (a run compares nothing; check would refuse it)\n",
                (*out)->warning);
    return PG_EXIT_PASS;
}

static int any_failed(const pg_budget_result *b)
{
    for (size_t i = 0; i < b->n_checks; i++)
        if (b->checks[i].verdict == PG_VERDICT_FAIL)
            return 1;
    return 0;
}

/* The results could not be written where asked (the disk filled during the
 * run): what was measured goes to the temporary directory rather than
 * nowhere, and the message says where. */
static void save_elsewhere(const pg_results *res)
{
    const char *tmpdir = getenv("TMPDIR");
    char path[4096];
    pg_err err;

    snprintf(path, sizeof path, "%s/perfgate-results-%ld.json", tmpdir && *tmpdir ? tmpdir : "/tmp",
             (long)getpid());
    if (pg_results_write(res, path, &err) == 0)
        fprintf(stderr, "perfgate: the results were saved to %s instead\n", path);
    else
        pg_err_print(&err, stderr);
}

int pg_run_execute(char **files, int n, const pg_run_args *ap, const char *output)
{
    pg_run_args a = *ap;
    pg_budget **budgets = NULL;
    pg_results res;
    pg_progress prog;
    step_judge judge;
    pg_err err;
    int rc = PG_EXIT_PASS, failed = 0;

    memset(&res, 0, sizeof res);
    if (!(budgets = calloc((size_t)n, sizeof *budgets)))
        return PG_EXIT_NORUN;
    for (int i = 0; i < n && rc == PG_EXIT_PASS; i++) {
        rc = pg_run_load(&budgets[i], files[i], &a);
        if (rc == PG_EXIT_PASS && a.dry_run)
            pg_budget_print_plan(budgets[i], stdout);
    }
    if (rc != PG_EXIT_PASS || a.dry_run)
        goto out;
    if (output && pg_file_prepare(output, &err) != 0) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN; /* said before the run, not after minutes of it */
        goto out;
    }

    pg_stop_install();
    pg_env_detect(&res.env);
    if (a.testbed)
        snprintf(res.env.testbed, sizeof res.env.testbed, "%s", a.testbed);
    pg_repo_head(".", res.commit, res.ref, sizeof res.ref, &err);
    pg_results_stamp(&res);
    if (a.shard_n)
        snprintf(res.shard, sizeof res.shard, "%ld/%ld", a.shard_i, a.shard_n);
    if (!(res.budgets = calloc((size_t)n, sizeof *res.budgets))) {
        rc = PG_EXIT_NORUN;
        goto out;
    }
    pg_progress_init(&prog, a.quiet);
    judge.quiet = a.quiet;
    judge.progress = &prog;
    for (int i = 0; i < n && !pg_stop_signal; i++) {
        pg_run_opts o = {.threads = (unsigned)a.threads,
                         .seed = (uint64_t)a.seed,
                         .shard_index = (unsigned)a.shard_i,
                         .shard_count = (unsigned)a.shard_n,
                         .stop = &pg_stop_signal,
                         .progress = pg_progress_update,
                         .progress_arg = &prog,
                         .judge = judge_step,
                         .judge_arg = &judge,
                         .watch =
                             pg_thresholds_abort(budgets[i]) ? pg_thresholds_broken_early : NULL};
        pg_budget_result *br = &res.budgets[res.n_budgets];
        pg_monitor *mon = NULL;
        if (pg_monitor_start(&mon, &budgets[i]->monitor, budgets[i]->target, "/proc", &err) != 0 ||
            pg_engine_run(&br->run, budgets[i], &o, &err) != 0) {
            pg_monitor_finish(mon, &br->run);
            pg_budget_run_clear(&br->run);
            pg_progress_done(&prog);
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(err.code);
            goto out;
        }
        pg_monitor_finish(mon, &br->run);
        res.n_budgets++;
        pg_progress_done(&prog);
        if (pg_budget_result_init(br, budgets[i], NULL, &err) != 0 ||
            pg_thresholds_evaluate(br, budgets[i], &err) != 0) {
            pg_err_print(&err, stderr);
            rc = PG_EXIT_NORUN;
            goto out;
        }
        pg_bottleneck_hints(&br->run, res.env.cores);
        res.interrupted |= br->run.interrupted;
        /* an aborted run failed, whatever its shortened trials show at the end */
        failed |= any_failed(br) || br->run.aborted[0];
        pg_console_budget(stdout, br, isatty(STDOUT_FILENO));
        fflush(stdout);
    }
    if (output) {
        if (pg_results_write(&res, output, &err) != 0) {
            pg_err_print(&err, stderr);
            save_elsewhere(&res);
            rc = PG_EXIT_NORUN;
            goto out;
        }
        if (!a.quiet || res.interrupted)
            fprintf(stderr, "perfgate: results written to %s%s\n", output,
                    res.interrupted ? " (interrupted)" : "");
    }
    if (pg_stop_signal)
        rc = 128 + pg_stop_signal;
    else
        rc = failed ? PG_EXIT_FAIL : PG_EXIT_PASS;
    printf("\n%s\n", pg_stop_signal ? "interrupted: partial results"
                     : failed       ? "FAILED: a threshold was broken"
                                    : "thresholds: all hold");
out:
    for (int i = 0; i < n; i++)
        pg_budget_free(budgets[i]);
    free(budgets);
    pg_results_clear(&res);
    return rc;
}
