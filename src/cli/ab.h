/* ab.h — B against A on one machine, shared by `perfgate ab` and
 * `perfgate check --base-target` (internal to cli/).
 *
 * duet (default): both sides under the same load at the same time
 * (engine/duet.h); trial t of A and of B cover the same instants.
 * alternate: one trial at a time, the order within each pair of trials
 * drawn from the seed (randomized interleaving, Abedi and Brecht, ICPE
 * 2017), so a periodic disturbance cannot always land on the same side.
 * Either way trial t of B is judged against its partner trial t of A with
 * the paired test (stats/paired.h). A ramp's trial is its whole profile
 * (engine/repeat.h), so ramps compare too. Same-runner comparisons carry no
 * history band and are never vetoed as noisy: the noise falls on both. */
#ifndef PG_CLI_AB_H
#define PG_CLI_AB_H

#include "cli/gate.h"
#include "cli/run.h"

typedef enum { PG_AB_DUET, PG_AB_ALTERNATE } pg_ab_schedule;

extern const char *const pg_ab_schedule_names[]; /* "duet", "alternate" */

typedef struct pg_ab_args {
    const char *url_a;
    const char *url_b;  /* NULL: each budget's target (check --base-target) */
    const char *name_a; /* "A" unless --a-name */
    const char *name_b;
    pg_ab_schedule schedule;
    int record_a; /* store A's trials as the baseline of the merge-base */
} pg_ab_args;

void pg_ab_args_init(pg_ab_args *a);

/* getopt_long entries of the options ab and check --base-target share:
 * --schedule, --a-name, --b-name (vals 'K', 'N', 'M'), zero-terminated. */
extern const struct option pg_ab_longopts[];
#define PG_AB_OPTION_COUNT 3

/* run's, the gate's and ab's options, for the commands that measure two sides */
#define PG_TWO_SIDED_OPTION_COUNT (PG_RUN_OPTION_COUNT + PG_GATE_OPTION_COUNT + PG_AB_OPTION_COUNT)

/* Fills out with those options, then own's n_own (its terminator included). */
void pg_ab_longopts_with(struct option *out, const struct option *own, size_t n_own);

/* Handles one of them: 1 when it was one, 0 when not, -1 on a bad value
 * (said on stderr). */
int pg_ab_option(int opt, const char *arg, pg_ab_args *a);

/* 0 when arg is an http:// or https:// URL; else -1 after saying so. */
int pg_ab_url(const char *option, const char *arg);

/* Runs every budget on both sides, gates B against A and writes every report
 * asked for. Returns the exit code: 0 pass (or inconclusive without
 * --strict), 1 the gate failed, 2 bad input, 3 could not run, 128+signal. */
int pg_ab_execute(char **files, int n, const pg_run_args *run, const pg_gate_args *g,
                  const pg_ab_args *ab);

#endif
