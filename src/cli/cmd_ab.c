/* cmd_ab.c — perfgate ab BUDGET... --a URL --b URL: B against A on one
 * machine (cli/ab.h): the command line only. */
#include <stdio.h>
#include <string.h>

#include "cli/ab.h"
#include "cli/cli.h"
#include "cli/gate.h"
#include "cli/run.h"
#include "common/err.h"

int pg_cmd_ab(int argc, char **argv)
{
    static const struct option own[] = {{"a", required_argument, NULL, 'A'},
                                        {"b", required_argument, NULL, 'Z'},
                                        {"record-a", no_argument, NULL, 'W'},
                                        {NULL, 0, NULL, 0}};
    struct option longopts[PG_TWO_SIDED_OPTION_COUNT + sizeof own / sizeof *own];
    pg_run_args run;
    pg_gate_args gargs;
    pg_ab_args ab;
    int opt, r;

    pg_ab_longopts_with(longopts, own, sizeof own / sizeof *own);
    pg_run_args_init(&run);
    pg_gate_args_init(&gargs);
    pg_ab_args_init(&ab);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if (opt == 'W') {
            ab.record_a = 1;
            continue;
        }
        if (opt == 'A' || opt == 'Z') {
            if (pg_ab_url(opt == 'A' ? "a" : "b", optarg) != 0)
                return PG_EXIT_USAGE;
            *(opt == 'A' ? &ab.url_a : &ab.url_b) = optarg;
            continue;
        }
        if ((r = pg_ab_option(opt, optarg, &ab)) == 1 ||
            (r == 0 && (r = pg_run_option(opt, optarg, &run)) == 1) ||
            (r == 0 && (r = pg_gate_option(opt, optarg, &gargs)) == 1))
            continue;
        if (r == 0)
            fprintf(stderr,
                    "perfgate ab: unknown or incomplete option '%s'; see perfgate ab --help\n",
                    argv[optind - 1]);
        return PG_EXIT_USAGE;
    }
    if (!ab.url_a || !ab.url_b || optind >= argc) {
        fprintf(stderr, "perfgate ab: usage: perfgate ab BUDGET... --a URL --b URL [options]\n");
        return PG_EXIT_USAGE;
    }
    if (run.output || run.target || run.shard_n) {
        fprintf(stderr, "perfgate ab: %s does not apply to ab\n",
                run.output   ? "-o"
                : run.target ? "--target (the targets are --a and --b)"
                             : "--shard");
        return PG_EXIT_USAGE;
    }
    return pg_ab_execute(argv + optind, argc - optind, &run, &gargs, &ab);
}
