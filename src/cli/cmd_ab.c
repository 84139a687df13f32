/* cmd_ab.c — perfgate ab BUDGET... --a URL --b URL: interleaved A/B trials.
 *
 * Both targets run on this machine, one trial at a time in the order A B A B
 * ..., so drift (CPU frequency, noisy neighbours, caches warming) lands on
 * both sides alike and cancels in the comparison: B is then judged against A
 * with the same statistics as a baseline comparison. Trials of a ramping
 * schedule are different stretches of the ramp and so are not alike; ab
 * therefore takes the constant executors only. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/gate.h"
#include "cli/run.h"
#include "cli/stop.h"
#include "common/err.h"
#include "common/file.h"
#include "common/redact.h"
#include "config/budget.h"
#include "engine/engine.h"
#include "metrics/results.h"
#include "metrics/values.h"
#include "report/reports.h"
#include "report/verdict.h"
#include "stats/gate.h"
#include "stats/thresholds.h"
#include "store/baselines.h"
#include "store/repo.h"

typedef struct side {
    const char *url;
    pg_budget_run run; /* trials gathered from the one-trial runs */
    pg_budget_values values;
} side;

/* Moves the one trial of r into s->run (which takes names from the first). */
static int gather(side *s, pg_budget_run *r, size_t trials, pg_err *err)
{
    if (!s->run.trials) {
        if (!(s->run.trials = calloc(trials, sizeof *s->run.trials)))
            return pg_err_set(err, PG_ENOMEM, "out of memory");
        s->run.names = r->names, s->run.n_names = r->n_names;
        s->run.scenario_names = r->scenario_names, s->run.n_scenarios = r->n_scenarios;
        r->names = r->scenario_names = NULL;
        r->n_names = r->n_scenarios = 0;
        s->run.threads = r->threads;
    }
    if (r->n_trials) {
        s->run.trials[s->run.n_trials++] = r->trials[0];
        memset(&r->trials[0], 0, sizeof r->trials[0]);
        pg_values_add_trial(&s->values, &s->run.trials[s->run.n_trials - 1]);
    }
    s->run.interrupted |= r->interrupted;
    s->run.saturated |= r->saturated;
    pg_budget_run_clear(r);
    return PG_OK;
}

static void fill_values(pg_budget_values *v, const pg_budget *b)
{
    snprintf(v->name, sizeof v->name, "%s", b->name);
    pg_regression_setting_from(&v->regression, &b->regression);
}

/* Runs one budget interleaved; gate decides B against A. */
static int ab_budget(pg_budget *b, side *a, side *bb, const pg_run_args *args, pg_err *err)
{
    uint64_t warmup = b->load.warmup_us, each = b->load.duration_us / (uint64_t)b->trials;
    long trials = b->trials;
    char *original = b->target;
    int rc = PG_OK;

    b->trials = 1;
    b->load.duration_us = each;
    fill_values(&a->values, b);
    fill_values(&bb->values, b);
    for (long t = 0; t < trials && !pg_stop_signal && rc == PG_OK; t++) {
        for (int s = 0; s < 2 && !pg_stop_signal; s++) {
            side *sd = s ? bb : a;
            pg_run_opts o = {.threads = (unsigned)args->threads,
                             .seed = (uint64_t)args->seed + (uint64_t)t,
                             .stop = &pg_stop_signal};
            pg_budget_run r;
            b->target = (char *)sd->url;
            b->load.warmup_us = t == 0 ? warmup : 0; /* each side warms up once */
            if ((rc = pg_engine_run(&r, b, &o, err)) != 0 ||
                (rc = gather(sd, &r, (size_t)trials, err)) != 0)
                break;
        }
        if (!args->quiet && rc == PG_OK && a->run.n_trials == bb->run.n_trials && a->run.n_trials) {
            char pa[16], pb[16];
            pg_format_duration((uint64_t)a->values.v[0][t], pa, sizeof pa);
            pg_format_duration((uint64_t)bb->values.v[0][t], pb, sizeof pb);
            fprintf(stderr, "%s trial %ld/%ld: A p50 %s, B p50 %s\n", b->name, t + 1, trials, pa,
                    pb);
        }
    }
    b->target = original;
    b->trials = trials;
    return rc;
}

/* One side's trials as results JSON text (caller frees). */
static int side_json(char **out, const pg_budget *b, side *sd, pg_err *err)
{
    pg_results res;

    *out = NULL;
    memset(&res, 0, sizeof res);
    pg_env_detect(&res.env);
    pg_results_stamp(&res);
    pg_repo_head(".", res.commit, res.ref, sizeof res.ref, err);
    if (!(res.budgets = calloc(1, sizeof *res.budgets)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    res.n_budgets = 1;
    res.interrupted = sd->run.interrupted;
    res.budgets[0].name = strdup(b->name);
    res.budgets[0].path = strdup(b->path);
    res.budgets[0].target = pg_redact_url(sd->url);
    res.budgets[0].run = sd->run;
    res.budgets[0].checks = sd->values.checks;
    res.budgets[0].n_checks = sd->values.n_checks;
    res.budgets[0].regression = sd->values.regression;
    *out = pg_results_to_json(&res);
    /* the run and the checks stay owned by the side */
    memset(&res.budgets[0].run, 0, sizeof res.budgets[0].run);
    res.budgets[0].checks = NULL;
    res.budgets[0].n_checks = 0;
    pg_results_clear(&res);
    return *out ? PG_OK : pg_err_set(err, PG_ENOMEM, "out of memory writing results");
}

/* Writes one side's trials as a results file at tmp (a mkstemp template). */
static int side_results(char *tmp, const pg_budget *b, side *sd, pg_err *err)
{
    char *text = NULL;
    int fd = mkstemp(tmp), rc;

    if (fd < 0)
        return pg_err_set(err, PG_EIO, "cannot create a temporary file");
    close(fd);
    if ((rc = side_json(&text, b, sd, err)) == PG_OK)
        rc = pg_file_write_atomic(tmp, text, strlen(text), err);
    free(text);
    return rc;
}

/* B's results with the verdict against A, into every report asked for;
 * the baseline is described by label instead of a commit. */
static int write_reports(const pg_report_paths *out, const pg_budget *b, side *bb, const pg_gate *g,
                         const char *label, pg_err *err)
{
    char *text = NULL;
    cJSON *doc = NULL;
    int rc;

    if (!out->json && !out->junit && !out->markdown && !out->html && !getenv("GITHUB_ACTIONS"))
        return PG_OK;
    if ((rc = side_json(&text, b, bb, err)) == PG_OK) {
        if (!(doc = cJSON_Parse(text))) {
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        } else {
            pg_verdict_doc(doc, g, NULL, NULL, 0);
            cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(doc, "baseline"), "label",
                                    label);
            rc = pg_gate_publish(doc, out, err);
        }
    }
    cJSON_Delete(doc);
    free(text);
    return rc;
}

/* --record-a: A ran the base build, so its trials are the baseline of the
 * merge-base of HEAD and the base ref. */
static int record_a(const pg_budget *b, side *a, const pg_gate_args *g, pg_err *err)
{
    char tmp[] = "/tmp/perfgate-ab-XXXXXX", path[1024];
    pg_baseline_found f;
    int rc;

    if ((rc = pg_store_find(&f, g->repo, g->baselines, g->base, 1, err)) != 0)
        return rc;
    if ((rc = side_results(tmp, b, a, err)) == PG_OK &&
        (rc = pg_store_record(path, g->repo, g->baselines, f.merge_base, tmp, 0, err)) == PG_OK)
        printf("recorded A as the baseline of the merge-base %.12s: %s\n", f.merge_base, path);
    unlink(tmp);
    return rc;
}

int pg_cmd_ab(int argc, char **argv)
{
    static const struct option own[] = {{"a", required_argument, NULL, 'A'},
                                        {"b", required_argument, NULL, 'Z'},
                                        {"record-a", no_argument, NULL, 'W'},
                                        {NULL, 0, NULL, 0}};
    struct option longopts[PG_RUN_OPTION_COUNT + PG_GATE_OPTION_COUNT + 4];
    pg_run_args run;
    pg_gate_args gargs;
    side a, bb;
    int opt, r, rc = PG_EXIT_PASS, record = 0;
    pg_err err;

    memcpy(longopts, pg_run_longopts, PG_RUN_OPTION_COUNT * sizeof *longopts);
    memcpy(longopts + PG_RUN_OPTION_COUNT, pg_gate_longopts,
           PG_GATE_OPTION_COUNT * sizeof *longopts);
    memcpy(longopts + PG_RUN_OPTION_COUNT + PG_GATE_OPTION_COUNT, own, sizeof own);
    pg_run_args_init(&run);
    pg_gate_args_init(&gargs);
    memset(&a, 0, sizeof a);
    memset(&bb, 0, sizeof bb);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if (opt == 'W') {
            record = 1;
            continue;
        }
        if (opt == 'A' || opt == 'Z') {
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) {
                fprintf(stderr, "perfgate ab: --%c takes an http:// or https:// URL, not \"%s\"\n",
                        opt == 'A' ? 'a' : 'b', optarg);
                return PG_EXIT_USAGE;
            }
            *(opt == 'A' ? &a.url : &bb.url) = optarg;
            continue;
        }
        if ((r = pg_run_option(opt, optarg, &run)) == 1 ||
            (r == 0 && (r = pg_gate_option(opt, optarg, &gargs)) == 1))
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate ab: unknown or incomplete option '%s'; see perfgate ab --help\n",
                    argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (!a.url || !bb.url || optind + 1 != argc) {
        fprintf(stderr,
                "perfgate ab: usage: perfgate ab BUDGET --a URL --b URL [options] (one budget)\n");
        return PG_EXIT_USAGE;
    }
    if (run.output || run.target || run.shard_n) {
        fprintf(stderr, "perfgate ab: %s does not apply to ab\n",
                run.output   ? "-o"
                : run.target ? "--target"
                             : "--shard");
        return PG_EXIT_USAGE;
    }
    {
        pg_budget *b = NULL;
        pg_gate gate;
        pg_results_values va, vb;
        char label[1200];

        if (pg_budget_load(&b, argv[optind], &err) != 0) {
            pg_err_print(&err, stderr);
            return pg_err_exit_code(err.code);
        }
        if (run.trials)
            b->trials = run.trials;
        if (run.duration_us)
            b->load.duration_us = run.duration_us;
        if (b->load.executor != PG_EXEC_CONSTANT_VUS &&
            b->load.executor != PG_EXEC_CONSTANT_ARRIVAL_RATE) {
            fprintf(stderr,
                    "perfgate ab: %s: ab needs constant-vus or constant-arrival-rate (%s)\n",
                    b->path,
                    b->load.executor == PG_EXEC_BREAKING_POINT
                        ? "a breaking-point budget is compared by its capacity_rps: run it with "
                          "check or compare"
                        : "the trials of a ramp are not alike");
            pg_budget_free(b);
            return PG_EXIT_USAGE;
        }
        if (pg_reports_prepare(&gargs.out, &err) != 0) {
            pg_err_print(&err, stderr);
            pg_budget_free(b);
            return PG_EXIT_NORUN;
        }
        pg_stop_install();
        memset(&gate, 0, sizeof gate);
        if (ab_budget(b, &a, &bb, &run, &err) != 0) {
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(err.code);
        } else {
            pg_budget_result br;
            memset(&br, 0, sizeof br);
            br.run = bb.run;
            if (pg_thresholds_evaluate(&br, b, &err) == 0) {
                bb.values.checks = br.checks;
                bb.values.n_checks = br.n_checks;
            }
            bb.values.interrupted = bb.run.interrupted || pg_stop_signal;
            a.values.interrupted = a.run.interrupted || pg_stop_signal;
            memset(&va, 0, sizeof va);
            memset(&vb, 0, sizeof vb);
            va.budgets = &a.values, va.n_budgets = 1;
            vb.budgets = &bb.values, vb.n_budgets = 1;
            char *shown_a = pg_redact_url(a.url), *shown_b = pg_redact_url(bb.url);
            snprintf(label, sizeof label, "A = %s, interleaved with B = %s, %zu trials each",
                     shown_a ? shown_a : "A", shown_b ? shown_b : "B", bb.run.n_trials);
            free(shown_a);
            free(shown_b);
            if (pg_gate_evaluate(&gate, &vb, &va, NULL, 0, NULL, gargs.strict, &err) != 0) {
                pg_err_print(&err, stderr);
                rc = PG_EXIT_NORUN;
            } else {
                pg_verdict_console_labelled(stdout, &gate, label, isatty(STDOUT_FILENO));
                rc = gate.overall == PG_VERDICT_FAIL ? PG_EXIT_FAIL : PG_EXIT_PASS;
                if (write_reports(&gargs.out, b, &bb, &gate, label, &err) != 0) {
                    pg_err_print(&err, stderr);
                    rc = PG_EXIT_NORUN;
                }
                if (record && !pg_stop_signal && record_a(b, &a, &gargs, &err) != 0) {
                    pg_err_print(&err, stderr);
                    rc = pg_err_exit_code(err.code);
                }
            }
            if (pg_stop_signal)
                rc = 128 + pg_stop_signal;
        }
        pg_gate_clear(&gate);
        free(bb.values.checks);
        pg_budget_run_clear(&a.run);
        pg_budget_run_clear(&bb.run);
        pg_budget_free(b);
    }
    return rc;
}
