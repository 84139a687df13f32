/* cmd_merge.c — perfgate merge SHARD... -o merged.json: the results of the
 * shards of one load (run --shard I/N on N machines) as one result, with its
 * thresholds judged again on the merged data. The verdict against the
 * baseline is `perfgate compare merged.json`'s. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/err.h"
#include "metrics/merge.h"
#include "metrics/results_read.h"
#include "metrics/values.h"
#include "report/console.h"
#include "stats/bottleneck.h"
#include "stats/thresholds.h"

static int read_shard(pg_results *out, const char *path, pg_err *err)
{
    void *doc = NULL;
    int rc;

    if ((rc = pg_results_open(&doc, path, err)) != 0)
        return rc;
    rc = pg_results_from_doc(out, doc, path, err);
    cJSON_Delete(doc);
    return rc;
}

int pg_cmd_merge(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {NULL, 0, NULL, 0}};
    const char *output = NULL;
    pg_results *shards = NULL, merged;
    size_t n = 0;
    pg_err err;
    int opt, quiet = 0, rc = PG_EXIT_PASS;

    memset(&merged, 0, sizeof merged);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:q", longopts, NULL)) != -1) {
        if (opt == 'o') {
            output = optarg;
        } else if (opt == 'q') {
            quiet = 1;
        } else {
            fprintf(
                stderr,
                "perfgate merge: unknown or incomplete option '%s'; see perfgate merge --help\n",
                argv[optind - 1]);
            return PG_EXIT_USAGE;
        }
    }
    if (!output || optind >= argc) {
        fprintf(stderr, "perfgate merge: usage: perfgate merge SHARD... -o merged.json\n");
        return PG_EXIT_USAGE;
    }
    if (!(shards = calloc((size_t)(argc - optind), sizeof *shards)))
        return PG_EXIT_NORUN;
    for (int i = optind; i < argc; i++) {
        n++;
        if (read_shard(&shards[n - 1], argv[i], &err) != 0)
            goto failed;
    }
    if (pg_results_merge(&merged, shards, (const char *const *)argv + optind, n, &err) != 0)
        goto failed;
    for (size_t b = 0; b < merged.n_budgets; b++) {
        if (pg_thresholds_reevaluate(&merged.budgets[b], &err) != 0)
            goto failed;
        pg_bottleneck_hints(&merged.budgets[b].run, merged.env.cores);
    }
    if (pg_results_write(&merged, output, &err) != 0)
        goto failed;
    if (!quiet)
        for (size_t b = 0; b < merged.n_budgets; b++)
            pg_console_budget(stdout, &merged.budgets[b], isatty(STDOUT_FILENO));
    fprintf(stderr, "perfgate: %zu shards merged into %s%s\n", n, output,
            merged.interrupted ? " (a shard was interrupted)" : "");
    goto out;
failed:
    pg_err_print(&err, stderr);
    rc = pg_err_exit_code(err.code);
out:
    for (size_t i = 0; i < n; i++)
        pg_results_clear(&shards[i]);
    free(shards);
    pg_results_clear(&merged);
    return rc;
}
