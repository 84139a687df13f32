/* cmd_check.c — perfgate check BUDGET...: run, then gate against the baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/gate.h"
#include "cli/run.h"
#include "common/err.h"
#include "report/reports.h"

int pg_cmd_check(int argc, char **argv)
{
    struct option longopts[PG_RUN_OPTION_COUNT + PG_GATE_OPTION_COUNT + 1];
    pg_run_args run;
    pg_gate_args gate;
    char tmp[] = "/tmp/perfgate-check-XXXXXX";
    const char *results;
    struct stat st;
    pg_err err;
    int opt, r, rc, fd = -1;

    memcpy(longopts, pg_run_longopts, PG_RUN_OPTION_COUNT * sizeof *longopts);
    memcpy(longopts + PG_RUN_OPTION_COUNT, pg_gate_longopts,
           (PG_GATE_OPTION_COUNT + 1) * sizeof *longopts);
    pg_run_args_init(&run);
    pg_gate_args_init(&gate);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:q", longopts, NULL)) != -1) {
        if ((r = pg_run_option(opt, optarg, &run)) == 1 ||
            (r == 0 && (r = pg_gate_option(opt, optarg, &gate)) == 1))
            continue;
        if (r == 0)
            fprintf(
                stderr,
                "perfgate check: unknown or incomplete option '%s'; see perfgate check --help\n",
                argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(
            stderr,
            "perfgate check: no budget file given; usage: perfgate check BUDGET... [options]\n");
        return PG_EXIT_USAGE;
    }
    if (run.dry_run)
        return pg_run_execute(argv + optind, argc - optind, &run, NULL);
    /* -o is checked by the run itself, before its load starts */
    if (pg_reports_prepare(&gate.out, &err) != 0) {
        pg_err_print(&err, stderr);
        return PG_EXIT_NORUN; /* before the run: nothing measured in vain */
    }
    /* the raw results go to -o when given, else to a temporary file */
    results = run.output;
    if (!results) {
        if ((fd = mkstemp(tmp)) < 0) {
            perror("perfgate: cannot create a temporary file");
            return PG_EXIT_NORUN;
        }
        close(fd);
        results = tmp;
    }
    rc = pg_run_execute(argv + optind, argc - optind, &run, results);
    if (rc == PG_EXIT_PASS || rc == PG_EXIT_FAIL) {
        int g = pg_gate_file(results, &gate);
        rc = g == PG_EXIT_PASS && rc == PG_EXIT_FAIL ? PG_EXIT_FAIL : g;
    } else if (rc > 128 && stat(results, &st) == 0 && st.st_size > 0) {
        /* interrupted: the reports still show what was measured, marked so
         * (regressions are skipped for a partial run); the exit code stays
         * the signal's */
        pg_gate_file(results, &gate);
    }
    if (fd >= 0)
        unlink(tmp);
    return rc;
}
