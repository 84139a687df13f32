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
    int at, rc;

    if ((at = pg_gate_parse(argc, argv, "report", &a)) < 0)
        return PG_EXIT_USAGE;
    if (!a.out.json && !a.out.junit && !a.out.markdown && !a.out.html) {
        fprintf(stderr, "perfgate report: nothing to write: give --junit F, --markdown F, --html F "
                        "or --json F\n");
        return PG_EXIT_USAGE;
    }
    if ((rc = pg_results_open((void **)&doc, argv[at], &err)) != 0) {
        pg_err_print(&err, stderr);
        return pg_err_exit_code(rc);
    }
    if (!pg_doc_get(doc, "verdict")) {
        rc = pg_gate_doc(doc, argv[at], &a);
        cJSON_Delete(doc);
        return rc == PG_EXIT_FAIL ? PG_EXIT_PASS : rc;
    }
    rc = pg_gate_publish(doc, &a.out, &err);
    if (rc != 0)
        pg_err_print(&err, stderr);
    cJSON_Delete(doc);
    return rc ? PG_EXIT_NORUN : PG_EXIT_PASS;
}
