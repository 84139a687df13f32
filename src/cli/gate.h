/* gate.h — comparing a results file with its baseline, shared by `compare`
 * and `check` (internal to cli/). */
#ifndef PG_CLI_GATE_H
#define PG_CLI_GATE_H

#include <getopt.h>

#include "metrics/results.h"
#include "report/reports.h"

typedef struct pg_gate_args {
    const char *json;      /* --json: results + verdict */
    const char *baselines; /* --baselines DIR */
    const char *repo;      /* --repo DIR */
    const char *base;      /* --base REF */
    int strict;
    int require_baseline; /* no baseline (or a shallow clone) exits 3 instead of passing */
    long max_depth;
    pg_report_paths out; /* --json --junit --markdown --html */
} pg_gate_args;

/* getopt_long entries of the report options (vals 'J','B','R','b','x','d','j','m','h',
 * and 'q' + 256 for --require-baseline). */
extern const struct option pg_gate_longopts[];
#define PG_GATE_OPTION_COUNT 10

void pg_gate_args_init(pg_gate_args *a);

/* The command line of `perfgate CMD RESULTS [report options]` (compare,
 * report): the index of RESULTS in argv, or -1 after saying what is wrong. */
int pg_gate_parse(int argc, char **argv, const char *cmd, pg_gate_args *a);
int pg_gate_option(int opt, const char *arg, pg_gate_args *a); /* 1 handled, 0 not mine, -1 bad */

/* Compares results_path with the baseline found for it and reports (console,
 * the report files asked for, GitHub when its variables are set). A
 * results_path that already holds a verdict document is compared anew. Returns
 * the exit code: 0 pass (or inconclusive without --strict), 1 gate failed,
 * 2 bad input, 3 could not run. */
int pg_gate_file(const char *results_path, const pg_gate_args *a);

/* pg_gate_file on a results document already open (pg_results_open); doc
 * becomes the verdict document. results_path names it in messages. */
int pg_gate_doc(cJSON *doc, const char *results_path, const pg_gate_args *a);

/* The exit code of a gate that finished: 1 for FAIL, 0 for PASS and
 * INCONCLUSIVE (--strict has made that FAIL already), 3 for anything else:
 * an undecided verdict is a failure of perfgate, never a pass. */
int pg_verdict_exit(pg_verdict overall);

/* The report files of doc, then GitHub's summary, annotations and outputs
 * when running in GitHub Actions. */
int pg_gate_publish(const cJSON *doc, const pg_report_paths *out, pg_err *err);

#endif
