/* gate.c — results against the baseline: find it, compare, report (see gate.h). */
#include "cli/gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/err.h"
#include "github/actions.h"
#include "metrics/values.h"
#include "report/verdict.h"
#include "stats/gate.h"
#include "store/baselines.h"

#define HISTORY 20

const struct option pg_gate_longopts[] = {
    {"json", required_argument, NULL, 'J'},
    {"baselines", required_argument, NULL, 'B'},
    {"repo", required_argument, NULL, 'R'},
    {"base", required_argument, NULL, 'b'},
    {"strict", no_argument, NULL, 'x'},
    {"max-depth", required_argument, NULL, 'd'},
    {"junit", required_argument, NULL, 'j'},
    {"markdown", required_argument, NULL, 'm'},
    {"html", required_argument, NULL, 'h'},
    {"require-baseline", no_argument, NULL, 'q' + 256},
    {NULL, 0, NULL, 0},
};

void pg_gate_args_init(pg_gate_args *a)
{
    memset(a, 0, sizeof *a);
    a->baselines = "baselines";
    a->repo = ".";
    a->max_depth = PG_STORE_MAX_DEPTH;
}

int pg_gate_option(int opt, const char *arg, pg_gate_args *a)
{
    switch (opt) {
    case 'J':
        a->out.json = arg;
        return 1;
    case 'B':
        a->baselines = arg;
        return 1;
    case 'R':
        a->repo = arg;
        return 1;
    case 'b':
        a->base = arg;
        return 1;
    case 'x':
        a->strict = 1;
        return 1;
    case 'd':
        return pg_cli_parse_long("--max-depth", arg, 1, 100000, &a->max_depth) == 0 ? 1 : -1;
    case 'j':
        a->out.junit = arg;
        return 1;
    case 'm':
        a->out.markdown = arg;
        return 1;
    case 'h':
        a->out.html = arg;
        return 1;
    case 'q' + 256:
        a->require_baseline = 1;
        return 1;
    default:
        return 0;
    }
}

int pg_gate_parse(int argc, char **argv, const char *cmd, pg_gate_args *a)
{
    int opt, r;

    pg_gate_args_init(a);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", pg_gate_longopts, NULL)) != -1) {
        if ((r = pg_gate_option(opt, optarg, a)) == 1)
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate %s: unknown or incomplete option '%s'; see perfgate %s --help\n", cmd,
                    argv[optind - 1], cmd);
        return -1;
    }
    if (optind + 1 != argc) {
        fprintf(stderr,
                "perfgate %s: give exactly one results file; usage: perfgate %s RESULTS "
                "[options]\n",
                cmd, cmd);
        return -1;
    }
    return optind;
}

/* Could the gate go on without what failed? A base ref that is not there,
 * or a stored file that is not a baseline, leaves regressions undecided and
 * says why; out of memory, I/O and the like end the run (exit 3), since
 * going on would compare with less than the command asked for. */
static int can_go_on(int rc)
{
    return rc == PG_OK || rc == PG_EINVALID || rc == PG_EUSAGE || rc == PG_ENOTFOUND ||
           rc == PG_ERUN;
}

/* The earlier baselines of the history band; a failure that cannot be
 * gone on from is returned (the band would silently have fewer baselines). */
static int load_history(pg_results_values **out, size_t *n, const pg_gate_args *a, pg_err *err)
{
    char **paths = NULL;
    size_t np = 0;
    int rc = pg_store_history(&paths, &np, a->repo, a->baselines, a->base, HISTORY, err);

    *out = NULL;
    *n = 0;
    if (!can_go_on(rc))
        goto out;
    rc = PG_OK;
    if (np && !(*out = calloc(np, sizeof **out)))
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < np && rc == PG_OK; i++) {
        int lrc = pg_store_load(&(*out)[*n], a->repo, paths[i], err);
        if (lrc == PG_OK)
            (*n)++;
        else if (!can_go_on(lrc))
            rc = lrc;
    }
out:
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

int pg_gate_publish(const cJSON *doc, const pg_report_paths *out, pg_err *err)
{
    int rc = pg_reports_write(doc, out, err);

    if (rc == 0)
        pg_github_publish(doc, out);
    return rc;
}

int pg_verdict_exit(pg_verdict overall)
{
    switch (overall) {
    case PG_VERDICT_FAIL:
        return PG_EXIT_FAIL;
    case PG_VERDICT_PASS:
    case PG_VERDICT_INCONCLUSIVE:
        return PG_EXIT_PASS;
    default:
        return PG_EXIT_NORUN;
    }
}

int pg_gate_file(const char *results_path, const pg_gate_args *a)
{
    void *doc = NULL;
    pg_err err;
    int rc;

    if ((rc = pg_results_open(&doc, results_path, &err)) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(rc);
    }
    rc = pg_gate_doc(doc, results_path, a);
    cJSON_Delete(doc);
    return rc;
}

int pg_gate_doc(cJSON *doc, const char *results_path, const pg_gate_args *a)
{
    pg_results_values cur, base, *history = NULL;
    pg_baseline_found found;
    pg_gate gate;
    pg_err err;
    size_t n_history = 0;
    char reason[1200] = "";
    int have_base = 0, rc;

    memset(&base, 0, sizeof base);
    memset(&gate, 0, sizeof gate);
    if ((rc = pg_values_parse(&cur, doc, results_path, &err)) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(rc);
    }
    rc = pg_store_find(&found, a->repo, a->baselines, a->base, (int)a->max_depth, &err);
    if (rc == PG_ENOREPO || !can_go_on(rc)) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN;
        goto out;
    }
    if (rc != 0) {
        /* no base ref or merge-base: thresholds still gate; say why regressions cannot */
        snprintf(reason, sizeof reason, "no baseline: %s", err.msg);
        fprintf(stderr, "perfgate: %s\n", reason);
    } else if (!found.found) {
        snprintf(reason, sizeof reason,
                 "no baseline in %s on the first-parent ancestry of the merge-base with %s",
                 a->baselines, found.base_ref);
    } else if ((rc = pg_store_load(&base, a->repo, found.path, &err)) != 0) {
        pg_err_print(&err, stderr);
        if (!can_go_on(rc)) {
            rc = PG_EXIT_NORUN;
            goto out;
        }
        snprintf(reason, sizeof reason, "baseline %s could not be read", found.path);
    } else if ((rc = load_history(&history, &n_history, a, &err)) != 0) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN;
        goto out;
    } else {
        have_base = 1;
    }
    if (a->require_baseline && (!have_base || found.shallow_stop)) {
        /* a gate that must compare does not pass on thresholds alone */
        fprintf(stderr, "perfgate: --require-baseline: %s\n",
                have_base ? "the history is shallow (fetch all of it: actions/checkout with "
                            "fetch-depth: 0), so the nearest baseline may not be the one found"
                          : reason);
        rc = PG_EXIT_NORUN;
        goto out;
    }
    if ((rc = pg_gate_evaluate(&gate, &cur, have_base ? &base : NULL, history, n_history, reason,
                               a->strict, &err)) != 0) {
        pg_err_print(&err, stderr);
        rc = pg_err_exit_code(rc);
        goto out;
    }
    /* found is zeroed by pg_store_find, so it says "none" when the lookup failed */
    pg_verdict_console(stdout, &gate, &found, isatty(STDOUT_FILENO));
    if (pg_verdict_doc(doc, &gate, &found, history, n_history) != PG_OK) {
        fprintf(stderr, "perfgate: out of memory building the verdict document\n");
        rc = PG_EXIT_NORUN;
        goto out;
    }
    if ((rc = pg_gate_publish(doc, &a->out, &err)) != 0) {
        pg_err_print(&err, stderr);
        rc = PG_EXIT_NORUN;
        goto out;
    }
    rc = pg_verdict_exit(gate.overall);
out:
    pg_gate_clear(&gate);
    for (size_t i = 0; i < n_history; i++)
        pg_values_clear(&history[i]);
    free(history);
    pg_values_clear(&base);
    pg_values_clear(&cur);
    return rc;
}
