/* cmd_run.c — perfgate run: load budgets, run them, evaluate thresholds,
 * print the table and write the results file.
 *
 * SIGINT/SIGTERM stop the load; what was measured is still written, marked
 * "interrupted", and the exit code is 130/143 as shells expect. A second
 * signal exits at once. */
#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "config/budget.h"
#include "engine/engine.h"
#include "metrics/results.h"
#include "report/console.h"
#include "stats/thresholds.h"
#include "store/repo.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    if (stop_signal)
        _exit(128 + sig); /* second signal: leave now */
    stop_signal = sig;
}

typedef struct run_args {
    const char *output;
    const char *target;
    uint64_t duration_us;
    long trials, threads, seed, shard_i, shard_n;
    int quiet, dry_run;
} run_args;

static int parse_shard(const char *s, run_args *a)
{
    char extra;

    if (sscanf(s, "%ld/%ld%c", &a->shard_i, &a->shard_n, &extra) != 2 || a->shard_n < 1 ||
        a->shard_n > 1000 || a->shard_i < 1 || a->shard_i > a->shard_n) {
        fprintf(stderr, "perfgate: --shard takes I/N with 1 <= I <= N, e.g. 2/4, not \"%s\"\n", s);
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, run_args *a)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},        {"seed", required_argument, NULL, 's'},
        {"shard", required_argument, NULL, 'S'},  {"dry-run", no_argument, NULL, 'n'},
        {"target", required_argument, NULL, 'T'}, {"duration", required_argument, NULL, 'D'},
        {"trials", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0},
    };
    char why[256];
    int opt;

    memset(a, 0, sizeof *a);
    a->seed = 1;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            a->output = optarg;
            break;
        case 't':
            if (pg_cli_parse_long("--threads", optarg, 1, 256, &a->threads) != 0)
                return -1;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 's':
            if (pg_cli_parse_long("--seed", optarg, 0, 0x7fffffffL, &a->seed) != 0)
                return -1;
            break;
        case 'S':
            if (parse_shard(optarg, a) != 0)
                return -1;
            break;
        case 'n':
            a->dry_run = 1;
            break;
        case 'T':
            a->target = optarg;
            break;
        case 'D':
            if (pg_parse_duration(optarg, &a->duration_us, why, sizeof why) != 0 ||
                a->duration_us < 1000000) {
                fprintf(stderr, "perfgate: --duration: %s\n", a->duration_us ? "at least 1s" : why);
                return -1;
            }
            break;
        case 'r':
            if (pg_cli_parse_long("--trials", optarg, 1, 100, &a->trials) != 0)
                return -1;
            break;
        default:
            fprintf(stderr,
                    "perfgate run: unknown or incomplete option '%s'; see perfgate run --help\n",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (optind >= argc) {
        fprintf(stderr,
                "perfgate run: no budget file given; usage: perfgate run BUDGET... [options]\n");
        return -1;
    }
    return 0;
}

/* Command-line overrides, applied after the file validated. */
static int apply_overrides(pg_budget *b, const run_args *a)
{
    if (a->target) {
        char *t = strdup(a->target);
        size_t n;
        if (!t || (strncmp(t, "http://", 7) != 0 && strncmp(t, "https://", 8) != 0)) {
            fprintf(stderr, "perfgate: --target must be an http:// or https:// URL, not \"%s\"\n",
                    a->target);
            free(t);
            return -1;
        }
        n = strlen(t);
        while (n > 0 && t[n - 1] == '/')
            t[--n] = '\0';
        free(b->target);
        b->target = t;
    }
    if (a->trials)
        b->trials = a->trials;
    if (a->duration_us) {
        if (b->load.n_stages) {
            /* stretch the stages in proportion */
            double f = (double)a->duration_us / (double)b->load.duration_us;
            for (size_t i = 0; i < b->load.n_stages; i++)
                b->load.stages[i].duration_us =
                    (uint64_t)((double)b->load.stages[i].duration_us * f);
        }
        b->load.duration_us = a->duration_us;
    }
    if (b->load.duration_us / (uint64_t)b->trials < 100000) {
        fprintf(stderr, "perfgate: %s: %ld trials leave under 100ms each\n", b->path, b->trials);
        return -1;
    }
    return 0;
}

static int any_failed(const pg_budget_result *b)
{
    for (size_t i = 0; i < b->n_checks; i++)
        if (b->checks[i].verdict == PG_VERDICT_FAIL)
            return 1;
    return 0;
}

int pg_cmd_run(int argc, char **argv)
{
    run_args a;
    pg_budget **budgets = NULL;
    pg_results res;
    pg_progress prog;
    pg_err err;
    struct sigaction sa;
    int n, rc = PG_EXIT_PASS, failed = 0;

    if (parse_args(argc, argv, &a) != 0)
        return PG_EXIT_USAGE;
    n = argc - optind;
    memset(&res, 0, sizeof res);
    if (!(budgets = calloc((size_t)n, sizeof *budgets)))
        return PG_EXIT_NORUN;
    for (int i = 0; i < n; i++) {
        if (pg_budget_load(&budgets[i], argv[optind + i], &err) != 0) {
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(err.code);
        } else if (apply_overrides(budgets[i], &a) != 0) {
            rc = PG_EXIT_USAGE;
        } else if (a.dry_run) {
            pg_budget_print_plan(budgets[i], stdout);
        }
    }
    if (rc != PG_EXIT_PASS || a.dry_run)
        goto out;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pg_env_detect(&res.env);
    pg_repo_head(".", res.commit, res.ref, sizeof res.ref, &err);
    pg_results_stamp(&res);
    if (a.shard_n)
        snprintf(res.shard, sizeof res.shard, "%ld/%ld", a.shard_i, a.shard_n);
    if (!(res.budgets = calloc((size_t)n, sizeof *res.budgets))) {
        rc = PG_EXIT_NORUN;
        goto out;
    }
    pg_progress_init(&prog, a.quiet);
    for (int i = 0; i < n && !stop_signal; i++) {
        pg_run_opts o = {(unsigned)a.threads,
                         (uint64_t)a.seed,
                         (unsigned)a.shard_i,
                         (unsigned)a.shard_n,
                         &stop_signal,
                         pg_progress_update,
                         &prog,
                         getenv("PERFGATE_SOCKET_LOOP") != NULL};
        pg_budget_result *br = &res.budgets[res.n_budgets];
        if (pg_engine_run(&br->run, budgets[i], &o, &err) != 0) {
            pg_progress_done(&prog);
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(err.code);
            goto out;
        }
        res.n_budgets++;
        pg_progress_done(&prog);
        br->name = strdup(budgets[i]->name);
        br->path = strdup(budgets[i]->path);
        br->target = strdup(budgets[i]->target);
        if (!br->name || !br->path || !br->target ||
            pg_thresholds_evaluate(br, budgets[i], &err) != 0) {
            rc = PG_EXIT_NORUN;
            goto out;
        }
        res.interrupted |= br->run.interrupted;
        failed |= any_failed(br);
        pg_console_budget(stdout, br, isatty(STDOUT_FILENO));
        fflush(stdout);
    }
    if (a.output) {
        if (pg_results_write(&res, a.output, &err) != 0) {
            pg_err_print(&err, stderr);
            rc = PG_EXIT_NORUN;
            goto out;
        }
        fprintf(stderr, "perfgate: results written to %s%s\n", a.output,
                res.interrupted ? " (interrupted)" : "");
    }
    if (stop_signal)
        rc = 128 + stop_signal;
    else
        rc = failed ? PG_EXIT_FAIL : PG_EXIT_PASS;
    printf("\n%s\n", stop_signal ? "interrupted: partial results"
                     : failed    ? "FAILED: a threshold was broken"
                                 : "PASSED: all thresholds hold");
out:
    for (int i = 0; i < n; i++)
        pg_budget_free(budgets[i]);
    free(budgets);
    pg_results_clear(&res);
    return rc;
}
