/* cmd_compare.c — perfgate compare RESULTS: gate saved results, no load. */
#include "cli/cli.h"
#include "cli/gate.h"
#include "common/err.h"

int pg_cmd_compare(int argc, char **argv)
{
    pg_gate_args a;
    int at = pg_gate_parse(argc, argv, "compare", &a);

    return at < 0 ? PG_EXIT_USAGE : pg_gate_file(argv[at], &a);
}
