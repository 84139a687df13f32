/* cli.h — the command line (README.md, "Commands"): dispatch, help, and one function
 * per subcommand. Each command returns the process exit code. */
#ifndef PG_CLI_CLI_H
#define PG_CLI_CLI_H

int pg_cli_main(int argc, char **argv);

/* Subcommands (cmd_*.c). argv[0] is the command name. */
int pg_cmd_run(int argc, char **argv);
int pg_cmd_serve(int argc, char **argv);
int pg_cmd_compare(int argc, char **argv);
int pg_cmd_check(int argc, char **argv);
int pg_cmd_baseline(int argc, char **argv);
int pg_cmd_ab(int argc, char **argv);
int pg_cmd_report(int argc, char **argv);
int pg_cmd_comment(int argc, char **argv);
int pg_cmd_merge(int argc, char **argv);
int pg_cmd_init(int argc, char **argv);

/* Prints the --help text of a command to stdout; returns 0, or -1 if unknown. */
int pg_cli_help(const char *command);

/* Parses "--threads"-style whole numbers; 0 on success. */
int pg_cli_parse_long(const char *flag, const char *text, long lo, long hi, long *out);

#endif
