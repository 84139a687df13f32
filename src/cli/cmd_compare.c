/* cmd_compare.c — perfgate compare RESULTS: gate saved results, no load. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/gate.h"
#include "common/err.h"

int pg_cmd_compare(int argc, char **argv)
{
    pg_gate_args a;
    int opt, r;

    pg_gate_args_init(&a);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", pg_gate_longopts, NULL)) != -1) {
        if ((r = pg_gate_option(opt, optarg, &a)) == 1)
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate compare: unknown or incomplete option '%s'; see perfgate compare "
                    "--help\n",
                    argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "perfgate compare: give exactly one results file; usage: perfgate compare "
                        "RESULTS [options]\n");
        return PG_EXIT_USAGE;
    }
    return pg_gate_file(argv[optind], &a);
}
