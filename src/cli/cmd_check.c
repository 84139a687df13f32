/* cmd_check.c — perfgate check BUDGET...: run, then gate against the
 * baseline; with --base-target URL, against the base version running at URL
 * instead (cli/ab.h: A = URL, B = the budget's target). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/ab.h"
#include "cli/cli.h"
#include "cli/gate.h"
#include "cli/run.h"
#include "common/err.h"
#include "report/reports.h"

int pg_cmd_check(int argc, char **argv)
{
    static const struct option own[] = {{"base-target", required_argument, NULL, 'E'},
                                        {NULL, 0, NULL, 0}};
    struct option longopts[PG_TWO_SIDED_OPTION_COUNT + sizeof own / sizeof *own];
    pg_run_args run;
    pg_gate_args gate;
    pg_ab_args ab;
    char tmp[] = "/tmp/perfgate-check-XXXXXX";
    const char *results;
    struct stat st;
    pg_err err;
    int opt, r, rc, fd = -1;

    pg_ab_longopts_with(longopts, own, sizeof own / sizeof *own);
    pg_run_args_init(&run);
    run.compared = 1;
    pg_gate_args_init(&gate);
    pg_ab_args_init(&ab);
    ab.name_a = "base";
    ab.name_b = "head";
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:q", longopts, NULL)) != -1) {
        if (opt == 'E') {
            if (pg_ab_url("base-target", optarg) != 0)
                return PG_EXIT_USAGE;
            ab.url_a = optarg;
            continue;
        }
        if ((r = pg_ab_option(opt, optarg, &ab)) == 1 ||
            (r == 0 && (r = pg_run_option(opt, optarg, &run)) == 1) ||
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
    if (!ab.url_a && (ab.schedule != PG_AB_DUET || strcmp(ab.name_a, "base") != 0 ||
                      strcmp(ab.name_b, "head") != 0)) {
        fprintf(stderr, "perfgate check: --schedule, --a-name and --b-name go with --base-target\n");
        return PG_EXIT_USAGE;
    }
    if (ab.url_a) {
        if (run.output || run.shard_n) {
            fprintf(stderr, "perfgate check: %s does not apply with --base-target\n",
                    run.output ? "-o" : "--shard");
            return PG_EXIT_USAGE;
        }
        return pg_ab_execute(argv + optind, argc - optind, &run, &gate, &ab);
    }
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
