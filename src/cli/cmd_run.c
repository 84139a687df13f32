/* cmd_run.c — perfgate run: run budgets and evaluate their thresholds. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"
#include "common/err.h"

int pg_cmd_run(int argc, char **argv)
{
    pg_run_args a;
    int opt, r;

    pg_run_args_init(&a);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:q", pg_run_longopts, NULL)) != -1) {
        if ((r = pg_run_option(opt, optarg, &a)) == 1)
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate run: unknown or incomplete option '%s'; see perfgate run --help\n",
                    argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr,
                "perfgate run: no budget file given; usage: perfgate run BUDGET... [options]\n");
        return PG_EXIT_USAGE;
    }
    return pg_run_execute(argv + optind, argc - optind, &a, a.output);
}
