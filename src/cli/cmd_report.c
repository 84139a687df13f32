/* cmd_report.c — perfgate report RESULTS: the report files again, from
 * saved results, without running anything.
 *
 * RESULTS written by `check --json` or `compare --json` already hold the
 * verdict: it is rendered as it was decided (the baseline may have changed
 * since). Plain results from `run -o` are compared with their baseline
 * first, as `compare` would. The exit code says whether the reports were
 * written (0), not what the gate decided: that was `check`'s to say. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/gate.h"
#include "common/err.h"
#include "metrics/values.h"
#include "report/doc.h"

int pg_cmd_report(int argc, char **argv)
{
    pg_gate_args a;
    cJSON *doc = NULL;
    pg_err err;
    int opt, r, rc;

    pg_gate_args_init(&a);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", pg_gate_longopts, NULL)) != -1) {
        if ((r = pg_gate_option(opt, optarg, &a)) == 1)
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate report: unknown or incomplete option '%s'; see perfgate report "
                    "--help\n",
                    argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "perfgate report: give exactly one results file; usage: perfgate report "
                        "RESULTS --junit F --markdown F --html F\n");
        return PG_EXIT_USAGE;
    }
    if (!a.out.json && !a.out.junit && !a.out.markdown && !a.out.html) {
        fprintf(stderr, "perfgate report: nothing to write: give --junit F, --markdown F, --html F "
                        "or --json F\n");
        return PG_EXIT_USAGE;
    }
    if ((rc = pg_results_open((void **)&doc, argv[optind], &err)) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(rc);
    }
    if (!pg_doc_get(doc, "verdict")) {
        cJSON_Delete(doc);
        rc = pg_gate_file(argv[optind], &a);
        return rc == PG_EXIT_FAIL ? PG_EXIT_PASS : rc;
    }
    rc = pg_gate_publish(doc, &a.out, &err);
    if (rc != 0)
        pg_err_print(&err, stderr);
    cJSON_Delete(doc);
    return rc ? PG_EXIT_NORUN : PG_EXIT_PASS;
}
