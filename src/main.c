/* main.c — perfgate's entry point; it only dispatches (see cli/cli.h). */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return pg_cli_main(argc, argv);
}
