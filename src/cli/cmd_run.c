/* cmd_run.c — perfgate run: load budgets, print the plan or run them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/budget.h"

int pg_cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},        {"seed", required_argument, NULL, 's'},
        {"shard", required_argument, NULL, 'S'},  {"dry-run", no_argument, NULL, 'n'},
        {"target", required_argument, NULL, 'T'}, {"duration", required_argument, NULL, 'D'},
        {"trials", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0},
    };
    int opt, dry_run = 0, rc = PG_EXIT_PASS;
    pg_err err;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n':
            dry_run = 1;
            break;
        case '?':
            fprintf(stderr, "perfgate run: unknown or incomplete option '%s'; see perfgate run --help\n",
                    argv[optind - 1]);
            return PG_EXIT_USAGE;
        default:
            break;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "perfgate run: no budget file given; usage: perfgate run BUDGET... [options]\n");
        return PG_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        pg_budget *b = NULL;
        if (pg_budget_load(&b, argv[i], &err) != 0) {
            pg_err_print(&err, stderr);
            rc = pg_err_exit_code(err.code);
            continue;
        }
        if (dry_run)
            pg_budget_print_plan(b, stdout);
        pg_budget_free(b);
    }
    if (!dry_run && rc == PG_EXIT_PASS) {
        fprintf(stderr, "perfgate run: the load engine is not built yet\n");
        return PG_EXIT_USAGE;
    }
    return rc;
}
