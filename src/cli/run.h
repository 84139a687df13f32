/* run.h — running budgets, shared by `run` and `check` (internal to cli/). */
#ifndef PG_CLI_RUN_H
#define PG_CLI_RUN_H

#include <getopt.h>
#include <stdint.h>

typedef struct pg_run_args {
    const char *output;
    const char *target;
    const char *testbed; /* --testbed NAME: labels the machine in the results */
    uint64_t duration_us;
    long trials, threads, seed, shard_i, shard_n;
    int quiet, dry_run;
    int compared; /* check, ab: the trials will be compared, so too few is an error */
} pg_run_args;

/* getopt_long entries for the run options, terminated by a zero entry; their
 * vals are 'o','t','q','s','S','n','T','D','r','Y'. */
extern const struct option pg_run_longopts[];
#define PG_RUN_OPTION_COUNT 10

void pg_run_args_init(pg_run_args *a);

/* Handles one run option from getopt; 1 when it was one, 0 when not, -1 on a bad value. */
int pg_run_option(int opt, const char *arg, pg_run_args *a);

/* Loads a budget with the command line's --target, --trials and --duration
 * in place of the file's values, validated as the file's are (run, check
 * and ab alike), and the --shard rule. Returns the exit code: 0, 2 (said
 * on stderr), 3. A valid but weak budget (too few trials for a run that
 * compares nothing) is warned about. */
struct pg_budget;
int pg_run_load(struct pg_budget **out, const char *file, const pg_run_args *a);

/* Loads, runs and evaluates the budgets; writes results to output (if not
 * NULL). Returns the exit code: 0 all thresholds held, 1 one broke, 2 bad
 * input, 3 could not run, 128+signal when interrupted (results still written). */
int pg_run_execute(char **files, int n, const pg_run_args *a, const char *output);

#endif
