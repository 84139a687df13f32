/* ab.c — B against A on one machine (see ab.h). */
#include "cli/ab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/stop.h"
#include "common/err.h"
#include "common/file.h"
#include "common/redact.h"
#include "config/budget.h"
#include "engine/duet.h"
#include "engine/engine.h"
#include "metrics/results.h"
#include "metrics/values.h"
#include "report/reports.h"
#include "report/verdict.h"
#include "stats/gate.h"
#include "stats/paired.h"
#include "stats/thresholds.h"
#include "store/baselines.h"
#include "store/repo.h"

const char *const pg_ab_schedule_names[] = {"duet", "alternate"};

typedef struct side {
    const char *url;
    pg_budget_run run;
    pg_budget_values values;
} side;

typedef struct ab_budget {
    pg_budget *b;
    side a, b_side;
} ab_budget;

void pg_ab_args_init(pg_ab_args *a)
{
    memset(a, 0, sizeof *a);
    a->name_a = "A";
    a->name_b = "B";
    a->schedule = PG_AB_DUET;
}

const struct option pg_ab_longopts[] = {{"schedule", required_argument, NULL, 'K'},
                                        {"a-name", required_argument, NULL, 'N'},
                                        {"b-name", required_argument, NULL, 'M'},
                                        {NULL, 0, NULL, 0}};

int pg_ab_option(int opt, const char *arg, pg_ab_args *a)
{
    if (opt == 'K') {
        for (int s = 0; s < 2; s++)
            if (strcmp(arg, pg_ab_schedule_names[s]) == 0) {
                a->schedule = (pg_ab_schedule)s;
                return 1;
            }
        fprintf(stderr, "perfgate: --schedule takes duet or alternate, not \"%s\"\n", arg);
        return -1;
    }
    if (opt != 'N' && opt != 'M')
        return 0;
    if (!*arg || strlen(arg) > 40) {
        fprintf(stderr, "perfgate: --%s takes a name of 1 to 40 characters\n",
                opt == 'N' ? "a-name" : "b-name");
        return -1;
    }
    *(opt == 'N' ? &a->name_a : &a->name_b) = arg;
    return 1;
}

int pg_ab_url(const char *option, const char *arg)
{
    if (strncmp(arg, "http://", 7) == 0 || strncmp(arg, "https://", 8) == 0)
        return 0;
    fprintf(stderr, "perfgate: --%s takes an http:// or https:// URL, not \"%s\"\n", option, arg);
    return -1;
}

static void fill_values(pg_budget_values *v, const pg_budget *b)
{
    snprintf(v->name, sizeof v->name, "%s", b->name);
    pg_regression_setting_from(&v->regression, &b->regression);
}

/* Moves the trials of r to the end of s->run (which takes names from the first). */
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
    if (r->n_trials == trials && !s->run.n_timeline) {
        /* a whole run (duet): its timeline covers every trial */
        s->run.timeline = r->timeline, s->run.n_timeline = r->n_timeline;
        s->run.measure_start_ns = r->measure_start_ns;
        r->timeline = NULL, r->n_timeline = 0;
    }
    for (size_t t = 0; t < r->n_trials && s->run.n_trials < trials; t++) {
        s->run.trials[s->run.n_trials++] = r->trials[t];
        memset(&r->trials[t], 0, sizeof r->trials[t]);
        pg_values_add_trial(&s->values, &s->run.trials[s->run.n_trials - 1]);
    }
    s->run.interrupted |= r->interrupted;
    s->run.saturated |= r->saturated;
    pg_budget_run_clear(r);
    return PG_OK;
}

static void say_trial(const pg_budget *b, const ab_budget *ab, size_t t, const pg_ab_args *args)
{
    char pa[16], pb[16];

    if (t >= ab->a.values.n_trials || t >= ab->b_side.values.n_trials)
        return;
    pg_format_duration((uint64_t)ab->a.values.v[0][t], pa, sizeof pa);
    pg_format_duration((uint64_t)ab->b_side.values.v[0][t], pb, sizeof pb);
    fprintf(stderr, "%s trial %zu/%ld: %s p50 %s, %s p50 %s\n", b->name, t + 1, b->trials,
            args->name_a, pa, args->name_b, pb);
}

/* Both sides at once: one run of all trials each. */
static int run_duet(ab_budget *ab, const pg_run_args *run, const pg_ab_args *args, pg_err *err)
{
    pg_run_opts o = {
        .threads = (unsigned)run->threads, .seed = (uint64_t)run->seed, .stop = &pg_stop_signal};
    pg_budget_run ra, rb;
    size_t trials = (size_t)ab->b->trials;
    int rc;

    if ((rc = pg_duet_run(&ra, &rb, ab->b, ab->a.url, ab->b_side.url, &o, err)) != 0)
        return rc;
    if ((rc = gather(&ab->a, &ra, trials, err)) != 0) {
        pg_budget_run_clear(&rb);
        return rc;
    }
    if ((rc = gather(&ab->b_side, &rb, trials, err)) != 0)
        return rc;
    for (size_t t = 0; !run->quiet && t < trials; t++)
        say_trial(ab->b, ab, t, args);
    return PG_OK;
}

/* Which side goes first in pair t: one bit of a multiplicative hash of the
 * seed and t (the same seed gives the same order). */
static int b_first(long seed, long t)
{
    return (int)((((uint64_t)seed + (uint64_t)t + 1u) * 0x9e3779b97f4a7c15ull) >> 63);
}

/* One trial at a time, the order within each pair drawn from the seed. */
static int run_alternate(ab_budget *ab, const pg_run_args *run, const pg_ab_args *args, pg_err *err)
{
    pg_budget *b = ab->b;
    /* one trial per run: a constant executor's share of the duration, or a
     * ramp's whole profile */
    uint64_t warmup = b->load.warmup_us, duration = b->load.duration_us, each = pg_load_trial_us(b);
    long trials = b->trials;
    char *original = b->target;
    int rc = PG_OK;

    b->trials = 1;
    b->load.duration_us = each;
    for (long t = 0; t < trials && !pg_stop_signal && rc == PG_OK; t++) {
        int first = b_first(run->seed, t);
        for (int k = 0; k < 2 && !pg_stop_signal; k++) {
            side *sd = (k ^ first) ? &ab->b_side : &ab->a;
            pg_run_opts o = {.threads = (unsigned)run->threads,
                             .seed = (uint64_t)run->seed + (uint64_t)t,
                             .stop = &pg_stop_signal};
            pg_budget_run r;
            b->target = (char *)sd->url;
            /* each side warms up before its first trial */
            b->load.warmup_us = sd->run.n_trials == 0 ? warmup : 0;
            if ((rc = pg_engine_run(&r, b, &o, err)) != 0 ||
                (rc = gather(sd, &r, (size_t)trials, err)) != 0)
                break;
        }
        if (!run->quiet && rc == PG_OK)
            say_trial(b, ab, (size_t)t, args);
    }
    b->target = original;
    b->trials = trials;
    b->load.duration_us = duration;
    b->load.warmup_us = warmup;
    return rc;
}

/* Loads one budget and checks it can be compared this way. */
static int load_budget(ab_budget *ab, const char *file, const pg_run_args *run,
                       const pg_ab_args *args)
{
    pg_run_args compared = *run;
    pg_budget *b;
    int rc;

    /* the paired test below decides how few trials are too few */
    compared.compared = 0;
    compared.quiet = 1;
    if ((rc = pg_run_load(&ab->b, file, &compared)) != PG_EXIT_PASS)
        return rc;
    b = ab->b;
    if (b->load.executor == PG_EXEC_BREAKING_POINT) {
        fprintf(stderr,
                "perfgate: %s: a breaking-point budget is compared by its capacity_rps, one "
                "staircase at a time: run it with check or compare\n",
                b->path);
        return PG_EXIT_USAGE;
    }
    if (b->regression.enabled && b->trials < PG_PAIRED_MIN_TRIALS) {
        fprintf(stderr,
                "perfgate: %s: %ld trials cannot be compared: the paired test of an A/B "
                "comparison needs %d or more\n",
                b->path, b->trials, PG_PAIRED_MIN_TRIALS);
        return PG_EXIT_USAGE;
    }
    ab->a.url = args->url_a;
    ab->b_side.url = args->url_b ? args->url_b : b->target;
    for (int k = 0; k < 2; k++) {
        char why[512];
        const char *url = k ? ab->b_side.url : ab->a.url;
        if (url && pg_load_h2c_broken(&b->load, url, why, sizeof why)) {
            fprintf(stderr, "perfgate: %s: side %c (%s): %s\n", b->path, k ? 'B' : 'A', url, why);
            return PG_EXIT_USAGE;
        }
    }
    fill_values(&ab->a.values, b);
    fill_values(&ab->b_side.values, b);
    return PG_EXIT_PASS;
}

/* The results of one side of every budget (caller frees); commit names the
 * commit that side's build came from (NULL: HEAD's). */
static char *sides_json(ab_budget *abs, size_t n, int b_side, const char *commit)
{
    pg_results res;
    pg_err err;
    char *out = NULL;

    memset(&res, 0, sizeof res);
    pg_env_detect(&res.env);
    pg_results_stamp(&res);
    pg_repo_head(".", res.commit, res.ref, sizeof res.ref, &err);
    if (commit)
        snprintf(res.commit, sizeof res.commit, "%s", commit);
    if (!(res.budgets = calloc(n, sizeof *res.budgets)))
        return NULL;
    res.n_budgets = n;
    for (size_t i = 0; i < n; i++) {
        side *sd = b_side ? &abs[i].b_side : &abs[i].a;
        pg_budget_result *br = &res.budgets[i];
        res.interrupted |= sd->run.interrupted;
        if (pg_budget_result_init(br, abs[i].b, sd->url, &err) != PG_OK)
            goto out;
        br->run = sd->run;
        br->checks = sd->values.checks;
        br->n_checks = sd->values.n_checks;
    }
    out = pg_results_to_json(&res);
out:
    /* the runs and checks stay owned by the sides */
    for (size_t i = 0; i < n; i++) {
        memset(&res.budgets[i].run, 0, sizeof res.budgets[i].run);
        res.budgets[i].checks = NULL;
        res.budgets[i].n_checks = 0;
    }
    pg_results_clear(&res);
    return out;
}

/* B's results with the verdict against A into every report asked for. */
static int write_reports(const pg_report_paths *out, ab_budget *abs, size_t n, const pg_gate *g,
                         const char *label, const pg_ab_args *args, pg_err *err)
{
    char *text;
    cJSON *doc = NULL;
    int rc;

    if (!out->json && !out->junit && !out->markdown && !out->html && !getenv("GITHUB_ACTIONS"))
        return PG_OK;
    if (!(text = sides_json(abs, n, 1, NULL)) || !(doc = cJSON_Parse(text))) {
        free(text);
        return pg_err_set(err, PG_ENOMEM, "out of memory writing the reports");
    }
    {
        pg_ab_sides sides = {label, pg_ab_schedule_names[args->schedule], args->name_a,
                             args->name_b};
        if (pg_verdict_doc_ab(doc, g, &sides) != PG_OK)
            rc = pg_err_set(err, PG_ENOMEM, "out of memory writing the reports");
        else
            rc = pg_gate_publish(doc, out, err);
    }
    cJSON_Delete(doc);
    free(text);
    return rc;
}

/* --record-a: A ran the base build, so its trials are the baseline of the
 * merge-base of HEAD and the base ref. */
static int record_a(ab_budget *abs, size_t n, const pg_gate_args *g, const pg_ab_args *args,
                    pg_err *err)
{
    char tmp[] = "/tmp/perfgate-ab-XXXXXX", path[1024];
    pg_baseline_found f;
    char *text;
    int fd, rc;

    if ((rc = pg_store_find(&f, g->repo, g->baselines, g->base, 1, err)) != 0)
        return rc;
    if ((fd = mkstemp(tmp)) < 0)
        return pg_err_set(err, PG_EIO, "cannot create a temporary file");
    close(fd);
    /* A ran the merge-base's build: its trials measured that commit */
    if (!(text = sides_json(abs, n, 0, f.merge_base)))
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
    else if ((rc = pg_file_write_atomic(tmp, text, strlen(text), err)) == PG_OK &&
             (rc = pg_store_record(path, g->repo, g->baselines, f.merge_base, tmp, 0, err)) ==
                 PG_OK)
        printf("recorded %s as the baseline of the merge-base %.12s: %s\n", args->name_a,
               f.merge_base, path);
    free(text);
    unlink(tmp);
    return rc;
}

static void describe(char *label, size_t size, const ab_budget *abs, size_t n,
                     const pg_ab_args *args)
{
    char *a = pg_redact_url(abs[0].a.url), *b = pg_redact_url(abs[0].b_side.url);

    snprintf(label, size, "%s = %s, %s = %s, %s schedule, %zu trial%s each%s", args->name_a,
             a ? a : "A", args->name_b, b ? b : "B", pg_ab_schedule_names[args->schedule],
             abs[0].b_side.run.n_trials, abs[0].b_side.run.n_trials == 1 ? "" : "s",
             n > 1 ? " (first budget)" : "");
    free(a);
    free(b);
}

/* Other processes' CPU during a trial, in % of one core (the paired gate
 * weighs a queued service's latency by it). A side's engine counts every
 * process but perfgate and its own service, so at the same time as the
 * other side that side's service is taken out too (when it was measured:
 * one that is not is not on this machine, or not readable). */
static double others_percent(const pg_trial *own, const pg_trial *beside)
{
    double s = own->others_cpu_s;

    if (beside && isfinite(beside->service_cpu_s))
        s -= beside->service_cpu_s;
    return own->duration_s > 0.0 && isfinite(s) ? 100.0 * fmax(0.0, s) / own->duration_s : NAN;
}

static void other_processes(ab_budget *ab, int at_once)
{
    const pg_trial *a = ab->a.run.trials, *b = ab->b_side.run.trials;

    for (size_t t = 0; t < ab->a.run.n_trials && t < ab->b_side.run.n_trials; t++) {
        ab->a.values.other_cpu[t] = others_percent(&a[t], at_once ? &b[t] : NULL);
        ab->b_side.values.other_cpu[t] = others_percent(&b[t], at_once ? &a[t] : NULL);
    }
}

/* Thresholds on B, the paired gate, the console and the reports. */
static int decide(ab_budget *abs, size_t n, const pg_gate_args *g, const pg_ab_args *args)
{
    pg_results_values va, vb;
    pg_budget_values *bva = calloc(n, sizeof *bva), *bvb = calloc(n, sizeof *bvb);
    pg_gate gate;
    pg_err err;
    char label[1600];
    int rc = PG_EXIT_NORUN;

    memset(&gate, 0, sizeof gate);
    if (!bva || !bvb) {
        fprintf(stderr, "perfgate: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        pg_budget_result br;
        memset(&br, 0, sizeof br);
        br.run = abs[i].b_side.run;
        if (pg_thresholds_evaluate(&br, abs[i].b, &err) != 0) {
            pg_err_print(&err, stderr);
            goto out;
        }
        abs[i].b_side.values.checks = br.checks;
        abs[i].b_side.values.n_checks = br.n_checks;
        abs[i].b_side.values.interrupted = abs[i].b_side.run.interrupted || pg_stop_signal;
        abs[i].a.values.interrupted = abs[i].a.run.interrupted || pg_stop_signal;
        other_processes(&abs[i], args->schedule == PG_AB_DUET);
        bva[i] = abs[i].a.values;
        bvb[i] = abs[i].b_side.values;
    }
    memset(&va, 0, sizeof va);
    memset(&vb, 0, sizeof vb);
    va.budgets = bva, va.n_budgets = n;
    vb.budgets = bvb, vb.n_budgets = n;
    va.cores = vb.cores = sysconf(_SC_NPROCESSORS_ONLN);
    describe(label, sizeof label, abs, n, args);
    if (pg_gate_evaluate_paired(&gate, &vb, &va, g->strict, &err) != 0) {
        pg_err_print(&err, stderr);
        goto out;
    }
    pg_verdict_console_labelled(stdout, &gate, label, args->name_a, args->name_b,
                                isatty(STDOUT_FILENO));
    rc = pg_verdict_exit(gate.overall);
    if (write_reports(&g->out, abs, n, &gate, label, args, &err) != 0) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN;
    }
    if (args->record_a && !pg_stop_signal && record_a(abs, n, g, args, &err) != 0) {
        pg_err_print(&err, stderr);
        rc = pg_err_exit_code(err.code);
    }
out:
    pg_gate_clear(&gate);
    free(bva);
    free(bvb);
    return rc;
}

int pg_ab_execute(char **files, int n, const pg_run_args *run, const pg_gate_args *g,
                  const pg_ab_args *args)
{
    ab_budget *abs = calloc((size_t)n, sizeof *abs);
    pg_err err;
    int rc = PG_EXIT_PASS;

    if (!abs) {
        fprintf(stderr, "perfgate: out of memory\n");
        return PG_EXIT_NORUN;
    }
    for (int i = 0; i < n && rc == PG_EXIT_PASS; i++)
        rc = load_budget(&abs[i], files[i], run, args);
    if (rc == PG_EXIT_PASS && pg_reports_prepare(&g->out, &err) != 0) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN; /* before the run: nothing measured in vain */
    }
    if (rc == PG_EXIT_PASS) {
        pg_stop_install();
        for (int i = 0; i < n && rc == PG_EXIT_PASS && !pg_stop_signal; i++) {
            int r = args->schedule == PG_AB_DUET ? run_duet(&abs[i], run, args, &err)
                                                 : run_alternate(&abs[i], run, args, &err);
            if (r != 0) {
                pg_err_print(&err, stderr);
                rc = pg_err_exit_code(err.code);
            }
        }
        if (rc == PG_EXIT_PASS)
            rc = decide(abs, (size_t)n, g, args);
        if (pg_stop_signal)
            rc = 128 + pg_stop_signal;
    }
    for (int i = 0; i < n; i++) {
        free(abs[i].b_side.values.checks);
        pg_budget_run_clear(&abs[i].a.run);
        pg_budget_run_clear(&abs[i].b_side.run);
        pg_budget_free(abs[i].b);
    }
    free(abs);
    return rc;
}

void pg_ab_longopts_with(struct option *out, const struct option *own, size_t n_own)
{
    memcpy(out, pg_run_longopts, PG_RUN_OPTION_COUNT * sizeof *out);
    memcpy(out + PG_RUN_OPTION_COUNT, pg_gate_longopts, PG_GATE_OPTION_COUNT * sizeof *out);
    memcpy(out + PG_RUN_OPTION_COUNT + PG_GATE_OPTION_COUNT, pg_ab_longopts,
           PG_AB_OPTION_COUNT * sizeof *out);
    memcpy(out + PG_TWO_SIDED_OPTION_COUNT, own, n_own * sizeof *out);
}
